//! Diagnostics to the client: pushed after every change (with the document's version) to
//! clients that do not pull, answered on textDocument/diagnostic for those that do;
//! never both for one document. The one push to a pulling client: the findings of an RFC's
//! sidecar (`kep.yaml`) while that file is not open.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use dashmap::DashMap;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Diagnostic, DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport,
    UnchangedDocumentDiagnosticReport, Uri, WorkspaceDiagnosticParams, WorkspaceDiagnosticReport,
    WorkspaceDiagnosticReportResult, WorkspaceDocumentDiagnosticReport,
    WorkspaceFullDocumentDiagnosticReport, WorkspaceUnchangedDocumentDiagnosticReport,
};

use super::index_block::{self, IndexDocs, IndexSources};
use super::navigation::{self, SharedIndex};
use super::{Backend, convert, features::run};
use crate::analysis::diagnostics::severity_of;
use crate::analysis::{self, Snapshot};
use crate::text::Encoding;
use crate::workspace::Settings;

/// What one computation of a document's diagnostics gives.
struct Computed {
    items: Vec<Diagnostic>,
    /// Whether what other documents' findings depend on (its number, uuid, title,
    /// anchors) changed.
    changed: bool,
    /// The diagnostics of the YAML file beside it that holds its metadata (`kep.yaml`).
    sidecar: Option<(Uri, Vec<Diagnostic>)>,
    /// The document is itself such a YAML file.
    is_sidecar: bool,
}

/// The other open documents a document's diagnostics read.
struct Open {
    /// Those in its folder (a sidecar's buffer is newer than the file).
    beside: Vec<(Uri, Snapshot)>,
    /// What a marked RFC index reads, taken only if the document's facts say it holds
    /// one (no pass over every document's text on a keystroke).
    index: IndexSources,
}

/// The document's diagnostics: its own, then those across documents, and those of its
/// sidecar. Its facts go into the index on the way. A sidecar itself (open in the editor)
/// gets the field rules of the RFC beside it.
///
/// Long: one block per source of findings (sidecar, own rules, across documents, the
/// marked index).
fn compute(
    snapshot: &Snapshot,
    settings: &Settings,
    uri: &Uri,
    enc: Encoding,
    index: &SharedIndex,
    cache: &navigation::FactsCache,
    open: &Open,
) -> Computed {
    let path = uri.to_file_path();
    if let Some((template, rfc)) = path.as_deref().and_then(|p| settings.sidecar_of(p)) {
        let ctx = settings.context(Some(&rfc), None);
        let items = analysis::diagnostics::check_sidecar(snapshot, &template, &ctx)
            .into_iter()
            .map(|d| convert::diagnostic(&snapshot.rope, uri, d, enc))
            .collect();
        return Computed {
            items,
            changed: false,
            sidecar: None,
            is_sidecar: true,
        };
    }
    let ctx = settings.context(path.as_deref(), None);
    let report = analysis::diagnostics::check(snapshot, &ctx);
    let is_rfc = report.template().is_some();
    let sidecar = (report.template())
        .and_then(|t| Some((t, t.sidecar.as_deref()?, path.as_deref()?)))
        .and_then(|(t, name, path)| {
            let file = path.with_file_name(name);
            let uri = Uri::from_file_path(&file)?;
            let buffer = (open.beside.iter())
                .find(|(u, _)| *u == uri)
                .map(|(_, s)| s.clone());
            let snapshot = match buffer {
                Some(s) => s,
                None => {
                    let bytes = crate::workspace::read_regular(&file, 1 << 20).ok()?;
                    let text = String::from_utf8(bytes).ok()?;
                    crate::syntax::Document::new(&text, 0).snapshot()
                }
            };
            let items = analysis::diagnostics::check_sidecar(&snapshot, t, &ctx)
                .into_iter()
                .map(|d| convert::diagnostic(&snapshot.rope, &uri, d, enc))
                .collect();
            Some((uri, items))
        });
    let mut items: Vec<Diagnostic> = report
        .diagnostics
        .into_iter()
        .map(|d| convert::diagnostic(&snapshot.rope, uri, d, enc))
        .collect();
    let mut changed = false;
    if let Some(path) = navigation::path_of(uri) {
        let (facts, identity_changed) =
            navigation::current_facts(snapshot, uri, &path, cache, index);
        changed = identity_changed;
        if is_rfc {
            items.extend(navigation::diagnostics(
                snapshot,
                &path,
                &facts,
                index,
                ctx.severity,
                uri,
                enc,
            ));
        }
        open.index.note(uri, facts.index_block);
        if facts.index_block
            && let Some(severity) = severity_of("index-stale", ctx.severity)
            && let Some(stale) = index_block::stale(
                snapshot,
                &path,
                settings,
                index,
                &open.index.docs(Some(uri)),
            )
        {
            let d = stale.diagnostic(severity);
            items.push(convert::diagnostic(&snapshot.rope, uri, d, enc));
        }
    }
    Computed {
        items,
        changed,
        sidecar,
        is_sidecar: false,
    }
}

/// How long pushed diagnostics wait at most for the requests read before them to be
/// answered ([`super::transport::Pending`]).
const REQUESTS_FIRST: Duration = Duration::from_millis(20);

impl Backend {
    /// Publishes the diagnostics of the document's current version, unless the client
    /// pulls them or a newer version arrived meanwhile (its own push follows).
    pub(super) async fn push_diagnostics(&self, uri: Uri) {
        if self.caps().pull_diagnostics {
            return;
        }
        let Ok(snapshot) = self.snapshot(&uri) else {
            return;
        };
        let version = snapshot.version;
        // The requests the client sent behind the change (the outline, a completion) are
        // answered first; the diagnostics follow at once.
        let waited = std::time::Instant::now();
        self.pending.settled(REQUESTS_FIRST).await;
        let waited = waited.elapsed().as_micros() as u64;
        let settings = self.settings_of(&uri);
        let key = uri.clone();
        let index = self.index.clone();
        let cache = self.facts.clone();
        let started = std::time::Instant::now();
        let open = self.open_for(&uri);
        let Ok(Computed {
            items,
            changed,
            sidecar,
            ..
        }) = run(snapshot, self.encoding(), move |s, enc| {
            compute(s, &settings, &key, enc, &index, &cache, &open)
        })
        .await
        else {
            return;
        };
        tracing::debug!(
            uri = uri.as_str(),
            version,
            findings = items.len(),
            us = started.elapsed().as_micros() as u64,
            waited,
            "diagnostics"
        );
        if self.documents.get(&uri).map(|d| d.version()) == Some(version) {
            // A version's diagnostics are sent again only if they differ (the workspace
            // index became ready, another document changed what this one cites).
            let hash = items_hash(&items);
            let last = self.pushed.insert(uri.clone(), (Some(version), hash));
            if last != Some((Some(version), hash)) {
                self.client
                    .publish_diagnostics(uri.clone(), items, Some(version))
                    .await;
            }
            if let Some((sidecar, items)) = sidecar {
                let version = self.documents.get(&sidecar).map(|d| d.version());
                self.client
                    .publish_diagnostics(sidecar, items, version)
                    .await;
            }
        }
        if changed {
            // Others may now duplicate it, or cite it, or no longer.
            Box::pin(self.push_all_diagnostics(Some(uri))).await;
        }
    }

    /// Pushes (or has the client pull again) every open document's diagnostics but
    /// `except`'s.
    pub(super) async fn push_all_diagnostics(&self, except: Option<Uri>) {
        // Other documents' findings may have changed: the workspace pull reads them again.
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if self.caps().pull_diagnostics {
            if let Err(e) = self.client.workspace_diagnostic_refresh().await {
                tracing::debug!("diagnostic refresh not supported: {e}");
            }
            return;
        }
        let uris: Vec<Uri> = self
            .documents
            .iter()
            .map(|d| d.key().clone())
            .filter(|u| Some(u) != except.as_ref())
            .collect();
        for uri in uris {
            self.push_diagnostics(uri).await;
        }
    }

    /// After an open document changed: if another open document holds a marked RFC
    /// index and this one's row of it (status, authors, dates) changed, that document's
    /// diagnostics again. (Neovim may send a save before the change it follows, so the
    /// change, not the save, is what counts.)
    pub(super) async fn follow_index_rows(&self, uri: &Uri) {
        // The open documents whose last diagnostics found a start marker.
        let marked: Vec<Uri> = (self.marked.iter())
            .map(|m| m.key().clone())
            .filter(|m| m != uri && self.documents.contains_key(m))
            .collect();
        // A closed file with one counts for a client that pulls the workspace's findings.
        let closed_marked =
            self.caps().pull_diagnostics && navigation::read(&self.index).has_index_block();
        if marked.is_empty() && !closed_marked {
            self.open_rows.clear();
            return;
        }
        let Ok(snapshot) = self.snapshot(uri) else {
            return;
        };
        // From the metadata the outline already holds: no copy, no parse, no disk (a
        // sidecar's change reaches the index through the watched files).
        let meta = crate::metadata::read(&snapshot);
        let row = crate::workspace::rfc_index::Row::of(meta.first());
        tracing::debug!(uri = uri.as_str(), status = ?row.status, "an open RFC's index row");
        if self.open_rows.insert(uri.clone(), row.clone()) == Some(row) {
            return;
        }
        // The workspace pull's findings of a closed marked file are old now.
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if self.caps().pull_diagnostics {
            if let Err(e) = self.client.workspace_diagnostic_refresh().await {
                tracing::debug!("diagnostic refresh not supported: {e}");
            }
            return;
        }
        for uri in marked {
            self.push_diagnostics(uri).await;
        }
    }

    /// What the diagnostics of `uri` read of the other open documents.
    fn open_for(&self, uri: &Uri) -> Open {
        Open {
            beside: self.open_beside(uri),
            index: self.index_sources(),
        }
    }

    /// Where a marked index's rows come from.
    fn index_sources(&self) -> IndexSources {
        IndexSources {
            documents: self.documents.clone(),
            rows: self.rows.clone(),
            marked: self.marked.clone(),
        }
    }

    /// For a document with a marked RFC index, what its `index-stale` reads.
    pub(super) fn index_docs(&self, uri: &Uri, snapshot: &Snapshot) -> Option<IndexDocs> {
        index_block::has_marker(snapshot).then(|| self.index_sources().docs(Some(uri)))
    }

    /// The open documents in the same folder as `uri` (a sidecar being edited), their
    /// current text.
    fn open_beside(&self, uri: &Uri) -> Vec<(Uri, Snapshot)> {
        let Some(folder) = navigation::path_of(uri).and_then(|p| p.parent().map(Path::to_path_buf))
        else {
            return Vec::new();
        };
        let beside: Vec<Uri> = (self.documents.iter())
            .map(|d| d.key().clone())
            .filter(|u| *u != *uri)
            .filter(|u| navigation::path_of(u).is_some_and(|p| p.parent() == Some(&folder)))
            .collect();
        beside
            .into_iter()
            .filter_map(|u| Some((u.clone(), self.snapshot(&u).ok()?)))
            .collect()
    }

    pub(super) async fn pull(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        let settings = self.settings_of(&uri);
        let index = self.index.clone();
        let cache = self.facts.clone();
        let started = std::time::Instant::now();
        let version = snapshot.version;
        let open = self.open_for(&uri);
        let sidecar_open = |u: &Uri| self.documents.contains_key(u);
        let Computed {
            items,
            changed,
            sidecar,
            is_sidecar,
        } = run(snapshot, self.encoding(), {
            let uri = uri.clone();
            move |s, enc| compute(s, &settings, &uri, enc, &index, &cache, &open)
        })
        .await?;
        // The sidecar's findings are pushed while it is closed (a client keeps a pulled
        // report's related documents apart, and Neovim then never pulls that file once
        // it opens); once open it is pulled itself, and what was pushed is cleared.
        if is_sidecar {
            self.client
                .publish_diagnostics(uri.clone(), Vec::new(), None)
                .await;
        } else if let Some((sidecar, items)) = sidecar
            && !sidecar_open(&sidecar)
        {
            self.client.publish_diagnostics(sidecar, items, None).await;
        }
        tracing::debug!(
            version,
            findings = items.len(),
            us = started.elapsed().as_micros() as u64,
            "diagnostics pulled"
        );
        if changed {
            // Others may now duplicate it, or cite it, or no longer: the client pulls
            // theirs again. Asked once this answer is on its way, not before.
            let client = self.client.clone();
            tokio::spawn(async move {
                if let Err(e) = client.workspace_diagnostic_refresh().await {
                    tracing::debug!("diagnostic refresh not supported: {e}");
                }
            });
        }
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }
}

/// The workspace pull's findings of each closed RFC: its file's modification time and
/// size, the generation they were computed in, their result id and the diagnostics.
pub type WorkspaceCache =
    Arc<DashMap<PathBuf, (Option<SystemTime>, u64, u64, String, Vec<Diagnostic>)>>;

/// A closed RFC's diagnostics, from its file: its own and those across documents (its
/// facts as the index has them). `None` for a file that is not an RFC or not readable.
fn closed_file(
    path: &Path,
    settings: &Settings,
    index: &SharedIndex,
    enc: Encoding,
    docs: &IndexDocs,
) -> Option<Vec<Diagnostic>> {
    let text = crate::workspace::index::read_markdown(path)?;
    let snapshot = crate::syntax::Document::new(&text, 0).snapshot();
    let uri = Uri::from_file_path(path)?;
    let ctx = settings.context(Some(path), None);
    let report = analysis::diagnostics::check(&snapshot, &ctx);
    // A file with a marked index (a README, no RFC): that finding alone.
    let marked = text.contains(crate::workspace::rfc_index::START_OPEN);
    let severity = severity_of("index-stale", ctx.severity).filter(|_| marked);
    let stale = severity.and_then(|severity| {
        let stale = index_block::stale(&snapshot, path, settings, index, docs)?;
        Some(convert::diagnostic(
            &snapshot.rope,
            &uri,
            stale.diagnostic(severity),
            enc,
        ))
    });
    if report.template().is_none() {
        return marked.then(|| stale.into_iter().collect());
    }
    let mut items: Vec<Diagnostic> = report
        .diagnostics
        .into_iter()
        .map(|d| convert::diagnostic(&snapshot.rope, &uri, d, enc))
        .collect();
    let facts = navigation::read(index)
        .files
        .get(path)
        .cloned()
        .unwrap_or_else(|| {
            Arc::new(crate::workspace::index::scan_snapshot(
                Some(path),
                &snapshot,
            ))
        });
    items.extend(navigation::diagnostics(
        &snapshot,
        path,
        &facts,
        index,
        ctx.severity,
        &uri,
        enc,
    ));
    items.extend(stale);
    Some(items)
}

/// The hash of a list of diagnostics' JSON: what a push compares with the last one.
fn items_hash(items: &[Diagnostic]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(items)
        .unwrap_or_default()
        .hash(&mut h);
    h.finish()
}

/// A result id for a list of diagnostics: [`items_hash`] in hex.
fn result_id(items: &[Diagnostic]) -> String {
    format!("{:016x}", items_hash(items))
}

impl Backend {
    /// `workspace/diagnostic`: the findings of every RFC of the workspace that is not open
    /// (open ones are pulled one by one), each with a result id; one the client already has
    /// is answered "unchanged". A closed file is read again only when it changed on disk or
    /// something another document's findings depend on changed.
    ///
    /// Long: one loop over the closed RFCs; each goes through the cache, then becomes a
    /// full or an unchanged report.
    pub(super) async fn workspace_pull(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let previous: HashMap<String, String> = params
            .previous_result_ids
            .into_iter()
            .map(|p| (p.uri.as_str().to_string(), p.value))
            .collect();
        let index = self.index.clone();
        // The RFCs, and the files that hold a marked RFC index (a README).
        let (ready, mut rfcs, marked): (bool, Vec<PathBuf>, bool) = {
            let index = navigation::read(&index);
            let rfcs = index
                .files
                .iter()
                .filter(|(_, f)| f.is_rfc || f.index_block)
                .map(|(p, _)| p.clone())
                .collect();
            let marked = index.has_index_block();
            (index.ready, rfcs, marked)
        };
        if !ready {
            return Ok(WorkspaceDiagnosticReportResult::Report(
                WorkspaceDiagnosticReport { items: Vec::new() },
            ));
        }
        rfcs.sort();
        let open: std::collections::HashSet<PathBuf> = self
            .documents
            .iter()
            .filter_map(|d| navigation::path_of(d.key()))
            .collect();
        rfcs.retain(|p| !open.contains(p));
        let generation = self.generation.load(std::sync::atomic::Ordering::Relaxed);
        let cache = self.workspace_cache.clone();
        let enc = self.encoding();
        let configs: Vec<Arc<Settings>> = self
            .configs
            .read()
            .map(|c| c.iter().map(|c| c.settings.clone()).collect())
            .unwrap_or_default();
        // What a closed file's marked index is checked against: the open RFCs' buffers.
        let docs = if marked {
            self.index_sources().docs(None)
        } else {
            IndexDocs {
                rows: self.rows.clone(),
                open: Vec::new(),
            }
        };
        let items = tokio::task::spawn_blocking(move || {
            let mut items = Vec::new();
            for path in rfcs {
                let Some(uri) = Uri::from_file_path(&path) else {
                    continue;
                };
                let meta = std::fs::metadata(&path).ok();
                let stamp = (
                    meta.as_ref().and_then(|m| m.modified().ok()),
                    meta.as_ref().map_or(0, |m| m.len()),
                );
                let cached = cache
                    .get(&path)
                    .filter(|c| (c.0, c.1, c.2) == (stamp.0, stamp.1, generation))
                    .map(|c| (c.3.clone(), c.4.clone()));
                let (id, diagnostics) = match cached {
                    Some(hit) => hit,
                    None => {
                        let Some(settings) =
                            crate::workspace::config::innermost(&configs, |s| s.as_ref(), &path)
                                .or(configs.first())
                        else {
                            continue;
                        };
                        let Some(diagnostics) = closed_file(&path, settings, &index, enc, &docs)
                        else {
                            continue;
                        };
                        let id = result_id(&diagnostics);
                        cache.insert(
                            path.clone(),
                            (
                                stamp.0,
                                stamp.1,
                                generation,
                                id.clone(),
                                diagnostics.clone(),
                            ),
                        );
                        (id, diagnostics)
                    }
                };
                items.push(if previous.get(uri.as_str()) == Some(&id) {
                    WorkspaceDocumentDiagnosticReport::Unchanged(
                        WorkspaceUnchangedDocumentDiagnosticReport {
                            uri,
                            version: None,
                            unchanged_document_diagnostic_report:
                                UnchangedDocumentDiagnosticReport { result_id: id },
                        },
                    )
                } else {
                    WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                        uri,
                        version: None,
                        full_document_diagnostic_report: FullDocumentDiagnosticReport {
                            result_id: Some(id),
                            items: diagnostics,
                        },
                    })
                });
            }
            items
        })
        .await
        .map_err(|_| tower_lsp_server::jsonrpc::Error::internal_error())?;
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }
}
