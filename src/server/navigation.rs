//! The workspace in the editor: the index of every RFC kept fresh from open buffers and
//! watched files, the cross-document diagnostics, and navigation between RFCs (definition,
//! references, hover, workspace symbols, document links, completion of references,
//! rename of an RFC's number).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::features::run;
use super::{Backend, convert};
use crate::analysis::Snapshot;
use crate::metadata::RfcNumber;
use crate::text::{Encoding, line_col_to_offset};
use crate::workspace::crossdoc::{self, Finding};
use crate::workspace::index::{Facts, Index, Span, normalize};
use crate::workspace::navigation::{self as nav, Place, RefKind};

/// The index behind a lock: written for one entry at a time, read by requests.
pub type SharedIndex = Arc<RwLock<Index>>;

/// Open documents' facts by URI, with the version they were read from.
pub type FactsCache = Arc<dashmap::DashMap<Uri, (i32, Arc<Facts>)>>;

/// The facts of an open document at its snapshot's version: kept ones if still good,
/// else read from its text and put in the index. The flag says whether what other
/// documents' findings depend on changed.
pub fn current_facts(
    snapshot: &Snapshot,
    uri: &Uri,
    path: &Path,
    cache: &FactsCache,
    index: &SharedIndex,
) -> (Arc<Facts>, bool) {
    if let Some(e) = cache.get(uri)
        && e.0 == snapshot.version
    {
        return (e.1.clone(), false);
    }
    tracing::trace!(version = snapshot.version, "facts read from the text");
    let facts = Arc::new(facts_of(snapshot, path));
    cache
        .entry(uri.clone())
        .and_modify(|e| {
            if e.0 < snapshot.version {
                *e = (snapshot.version, facts.clone());
            }
        })
        .or_insert_with(|| (snapshot.version, facts.clone()));
    let changed = update(index, path, facts.clone());
    (facts, changed)
}

/// The file path of a `file:` URI, as the index keys it.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| normalize(&p))
}

fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

pub(super) fn read(index: &SharedIndex) -> std::sync::RwLockReadGuard<'_, Index> {
    index.read().unwrap_or_else(|p| p.into_inner())
}

fn write(index: &SharedIndex) -> std::sync::RwLockWriteGuard<'_, Index> {
    index.write().unwrap_or_else(|p| p.into_inner())
}

/// The facts of an open document, from its text now.
pub fn facts_of(snapshot: &Snapshot, path: &Path) -> Facts {
    crate::workspace::index::scan_snapshot(Some(path), snapshot)
}

/// What other documents' findings depend on: the number, uuid, title and kind of a file,
/// and the anchors its headings give (links point at them).
fn identity(
    f: &Facts,
) -> (
    Option<RfcNumber>,
    Option<String>,
    Option<String>,
    bool,
    Vec<&str>,
) {
    (
        f.number,
        f.uuid.as_ref().map(|u| u.value.to_ascii_lowercase()),
        f.title.as_ref().map(|t| t.value.clone()),
        f.is_rfc,
        f.anchors.iter().map(|(a, _)| a.as_str()).collect(),
    )
}

/// Puts an open document's facts in the index; whether what other documents' findings
/// depend on changed.
pub fn update(index: &SharedIndex, path: &Path, facts: Arc<Facts>) -> bool {
    let mut index = write(index);
    let old = index.insert(path.to_path_buf(), facts.clone());
    old.is_none_or(|o| identity(&o) != identity(&facts))
}

/// The cross-document findings of an open document, as LSP diagnostics.
pub fn diagnostics(
    snapshot: &Snapshot,
    path: &Path,
    facts: &Facts,
    index: &SharedIndex,
    severity: &HashMap<String, Option<crate::analysis::diagnostics::Severity>>,
    uri: &Uri,
    enc: Encoding,
) -> Vec<Diagnostic> {
    let index = read(index);
    if !index.ready {
        // Until the workspace is read, a reference may look dangling that is not.
        return Vec::new();
    }
    let found = crossdoc::check(path, facts, &index, severity);
    found
        .into_iter()
        .map(|f| finding(snapshot, uri, f, enc))
        .collect()
}

fn finding(snapshot: &Snapshot, uri: &Uri, f: Finding, enc: Encoding) -> Diagnostic {
    let related: Vec<(PathBuf, Span, String)> = f.related.clone();
    let mut d = convert::diagnostic(
        &snapshot.rope,
        uri,
        crate::analysis::diagnostics::Diagnostic {
            range: f.range.clone(),
            severity: f.severity,
            code: f.code,
            message: f.message,
            related: Vec::new(),
            subject: None,
        },
        enc,
    );
    let info: Vec<DiagnosticRelatedInformation> = related
        .into_iter()
        .filter_map(|(path, span, message)| {
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: uri_of(&path)?,
                    range: span_range(&span, enc),
                },
                message,
            })
        })
        .collect();
    d.related_information = (!info.is_empty()).then_some(info);
    // By line and column: the facts may be kept from before an edit that moved the bytes.
    if let Some(span) = &f.span {
        d.range = span_range(span, enc);
    }
    d
}

fn span_range(span: &Span, enc: Encoding) -> Range {
    Range::new(
        Position::new(span.line, span.start_col(enc)),
        Position::new(span.line, span.end_col(enc)),
    )
}

fn line_range(line: u32) -> Range {
    Range::new(Position::new(line, 0), Position::new(line, 0))
}

/// A place of the workspace (a title line, a reference) as an LSP location.
fn location(place: Place, enc: Encoding) -> Option<Location> {
    match place {
        Place::Line(p, line) => Some(Location {
            uri: uri_of(&p)?,
            range: line_range(line),
        }),
        Place::Span(p, span) => Some(Location {
            uri: uri_of(&p)?,
            range: span_range(&span, enc),
        }),
    }
}

impl Backend {
    /// A snapshot, its path and its facts as they are now.
    fn current(&self, uri: &Uri) -> Result<(Snapshot, PathBuf)> {
        let snapshot = self.snapshot(uri)?;
        let path = path_of(uri).ok_or_else(|| Error::invalid_params("not a file: URI"))?;
        Ok((snapshot, path))
    }

    pub(super) async fn definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let tdp = params.text_document_position_params;
        let (snapshot, path) = self.current(&tdp.text_document.uri)?;
        let index = self.index.clone();
        let pos = convert::pos(tdp.position);
        run(snapshot, self.encoding(), move |s, enc| {
            let offset = line_col_to_offset(&s.rope, pos, enc).0;
            let facts = facts_of(s, &path);
            let (target, line) = nav::definition(&read(&index), &path, &facts, offset)?;
            Some(GotoDefinitionResponse::Scalar(Location {
                uri: uri_of(&target)?,
                range: line_range(line),
            }))
        })
        .await
    }

    pub(super) async fn references(
        &self,
        params: ReferenceParams,
    ) -> Result<Option<Vec<Location>>> {
        let tdp = params.text_document_position;
        let (snapshot, path) = self.current(&tdp.text_document.uri)?;
        let index = self.index.clone();
        let pos = convert::pos(tdp.position);
        let declaration = params.context.include_declaration;
        run(snapshot, self.encoding(), move |s, enc| {
            let offset = line_col_to_offset(&s.rope, pos, enc).0;
            let facts = facts_of(s, &path);
            let found = nav::references(&read(&index), &path, &facts, offset, declaration)?;
            found
                .into_iter()
                .map(|place| location(place, enc))
                .collect()
        })
        .await
    }

    /// Hover on a reference: the target's title, status and first sentence.
    pub(super) fn reference_hover(
        index: &SharedIndex,
        s: &Snapshot,
        path: &Path,
        offset: usize,
        enc: Encoding,
    ) -> Option<Hover> {
        let facts = facts_of(s, path);
        let h = nav::reference_hover(&read(index), path, &facts, offset)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: h.text,
            }),
            range: Some(convert::range(&s.rope, h.range, enc)),
        })
    }

    pub(super) async fn links(
        &self,
        params: DocumentLinkParams,
    ) -> Result<Option<Vec<DocumentLink>>> {
        let (snapshot, path) = self.current(&params.text_document.uri)?;
        let index = self.index.clone();
        run(snapshot, self.encoding(), move |s, enc| {
            let facts = facts_of(s, &path);
            let links = nav::links(&read(&index), &path, &facts);
            Some(
                links
                    .into_iter()
                    .filter_map(|l| {
                        let mut uri = uri_of(&l.target)?.as_str().to_string();
                        if l.line > 0 {
                            uri.push_str(&format!("#L{}", l.line + 1));
                        }
                        Some(DocumentLink {
                            range: convert::range(&s.rope, l.range, enc),
                            target: uri.parse().ok(),
                            tooltip: l.tooltip,
                            data: None,
                        })
                    })
                    .collect(),
            )
        })
        .await
    }

    /// `: Response cache (Accepted)` after each citation of an RFC in the range asked
    /// for; none when the editor settings turn them off (`inlayHints: false`).
    pub(super) async fn hints(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let on = self
            .editor_settings
            .lock()
            .map(|e| e.inlay_hints.unwrap_or(true))
            .unwrap_or(true);
        if !on {
            return Ok(Some(Vec::new()));
        }
        let (snapshot, path) = self.current(&params.text_document.uri)?;
        let index = self.index.clone();
        let range = params.range;
        run(snapshot, self.encoding(), move |s, enc| {
            let start = line_col_to_offset(&s.rope, convert::pos(range.start), enc).0;
            let end = line_col_to_offset(&s.rope, convert::pos(range.end), enc).0;
            let facts = facts_of(s, &path);
            let char_at = |at: usize| {
                (at < s.rope.len_bytes())
                    .then(|| s.rope.byte_slice(at..).chars().next())
                    .flatten()
            };
            let hints = nav::inlay_hints(&read(&index), &path, &facts, &char_at, start..end);
            Some(
                hints
                    .into_iter()
                    .map(|(span, label)| InlayHint {
                        position: Position::new(span.line, span.end_col(enc)),
                        label: InlayHintLabel::String(label),
                        kind: None,
                        text_edits: None,
                        tooltip: None,
                        padding_left: Some(false),
                        padding_right: Some(true),
                        data: None,
                    })
                    .collect(),
            )
        })
        .await
    }

    /// On an RFC's title line: "cited by N RFCs", and "superseded by RFC-050" where it
    /// names a successor. Each runs `rfc-lsp.showCitations` with the places it stands for.
    pub(super) async fn lenses(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let (snapshot, path) = self.current(&params.text_document.uri)?;
        let index = self.index.clone();
        let uri = params.text_document.uri;
        run(snapshot, self.encoding(), move |s, enc| {
            let index = read(&index);
            if !index.ready {
                return Some(Vec::new());
            }
            let facts = facts_of(s, &path);
            let lenses = nav::lenses(&index, &path, &facts);
            Some(
                lenses
                    .into_iter()
                    .map(|(line, title, places)| {
                        let locations: Vec<Location> = places
                            .into_iter()
                            .filter_map(|p| location(p, enc))
                            .collect();
                        CodeLens {
                            range: line_range(line),
                            command: Some(Command {
                                title,
                                command: "rfc-lsp.showCitations".to_string(),
                                arguments: Some(vec![
                                    serde_json::json!(uri.as_str()),
                                    serde_json::json!({ "line": line, "character": 0 }),
                                    serde_json::to_value(locations).unwrap_or_default(),
                                ]),
                            }),
                            data: None,
                        }
                    })
                    .collect(),
            )
        })
        .await
    }

    pub(super) async fn workspace_symbols(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let index = self.index.clone();
        let enc = self.encoding();
        let found = tokio::task::spawn_blocking(move || {
            nav::workspace_symbols(&read(&index), &params.query)
        })
        .await
        .map_err(|_| Error::internal_error())?;
        #[allow(deprecated)] // `deprecated` is a field of the struct
        let symbols = found
            .into_iter()
            .filter_map(|f| {
                Some(SymbolInformation {
                    name: f.name,
                    kind: SymbolKind::FILE,
                    tags: None,
                    deprecated: None,
                    location: Location {
                        uri: uri_of(&f.path)?,
                        range: f.span.map_or(line_range(0), |s| span_range(&s, enc)),
                    },
                    container_name: f.container,
                })
            })
            .collect();
        Ok(Some(WorkspaceSymbolResponse::Flat(symbols)))
    }

    /// Completion of references: RFC numbers after `RFC-` / `rfc-`, relative paths after
    /// `](`. `None` when the cursor is not after either.
    pub(super) fn reference_completion(
        index: &SharedIndex,
        s: &Snapshot,
        path: &Path,
        offset: usize,
        enc: Encoding,
    ) -> Option<Vec<CompletionItem>> {
        let items = nav::reference_completion(&read(index), s, path, offset)?;
        Some(
            items
                .into_iter()
                .map(|i| CompletionItem {
                    label: i.label,
                    kind: Some(match i.kind {
                        RefKind::File => CompletionItemKind::FILE,
                        RefKind::Rfc => CompletionItemKind::REFERENCE,
                    }),
                    detail: Some(i.detail),
                    documentation: i.documentation.map(Documentation::String),
                    filter_text: i.filter,
                    sort_text: i.sort,
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range: convert::range(&s.rope, i.edit.range, enc),
                        new_text: i.edit.text,
                    })),
                    ..Default::default()
                })
                .collect(),
        )
    }

    /// What a rename here would select and start from, or an error saying why none can
    /// start here (the editor shows it before the user types a new name).
    pub(super) async fn prepare_rename_rfc(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let (snapshot, path) = self.current(&params.text_document.uri)?;
        let enc = self.encoding();
        let offset = line_col_to_offset(&snapshot.rope, convert::pos(params.position), enc).0;
        let facts = facts_of(&snapshot, &path);
        match nav::prepare_rename(&read(&self.index), &path, &facts, offset) {
            Ok((span, number)) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
                range: span_range(&span, enc),
                placeholder: number,
            })),
            Err(why) => Err(Error::invalid_params(why)),
        }
    }

    pub(super) async fn rename_rfc(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let tdp = params.text_document_position;
        let (snapshot, path) = self.current(&tdp.text_document.uri)?;
        let offset =
            line_col_to_offset(&snapshot.rope, convert::pos(tdp.position), self.encoding()).0;
        let new_number = RfcNumber::parse(&params.new_name).ok_or_else(|| {
            Error::invalid_params("the new name must be an RFC number, such as rfc-050 or 50")
        })?;
        let facts = facts_of(&snapshot, &path);
        let index = self.index.clone();
        // Until the workspace is read, a number may look free that is taken, and most
        // references are not known yet.
        if !read(&index).ready {
            return Err(Error::invalid_params(
                "the workspace is still being read: rename again in a moment",
            ));
        }
        let to = nav::subject(&read(&index), &path, &facts, offset).ok_or_else(|| {
            Error::invalid_params("not on an RFC's title, id or a reference to one")
        })?;
        // Every open document is read from its buffer; the rest from the index.
        let open: HashMap<PathBuf, (Snapshot, i32)> = self
            .documents
            .iter()
            .filter_map(|d| Some((path_of(d.key())?, (d.snapshot(), d.version()))))
            .collect();
        let rename_files = self.caps().rename_files;
        let enc = self.encoding();
        let numbered_name = nav::file_keeps_number(&to);
        let edit = tokio::task::spawn_blocking(move || {
            rename_edit(&read(&index), &open, &to, new_number, rename_files, enc)
        })
        .await
        .map_err(|_| Error::internal_error())??;
        if !rename_files && numbered_name {
            // The file keeps its name (and the links to it stay right): say so.
            self.client
                .show_message(
                    MessageType::INFO,
                    "rfc-lsp: this editor cannot rename files, so the RFC keeps its file name \
                     and the links to it are left as they are; rename the file by hand to \
                     match the new number",
                )
                .await;
        }
        if self.caps().document_changes {
            return Ok(Some(edit));
        }
        Ok(Some(by_uri(edit)))
    }
}

/// The edit that renumbers the RFC at `to` ([`nav::rename`]), open documents read from
/// their buffers (with their versions), the rest from disk.
fn rename_edit(
    index: &Index,
    open: &HashMap<PathBuf, (Snapshot, i32)>,
    to: &Path,
    new: RfcNumber,
    rename_files: bool,
    enc: Encoding,
) -> Result<WorkspaceEdit> {
    let open_facts = |p: &Path| open.get(p).map(|(s, _)| facts_of(s, p));
    let text_of = |p: &Path| -> Option<String> {
        match open.get(p) {
            Some((s, _)) => Some(s.rope.to_string()),
            None => crate::workspace::index::read_markdown(p),
        }
    };
    let r = nav::rename(index, to, new, rename_files, &open_facts, &text_of)
        .map_err(Error::invalid_params)?;
    let mut operations = Vec::new();
    for file in r.files {
        let rope = ropey::Rope::from_str(&file.text);
        operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri_of(&file.path).ok_or_else(Error::internal_error)?,
                version: open.get(&file.path).map(|(_, v)| *v),
            },
            edits: file
                .edits
                .into_iter()
                .map(|e| {
                    OneOf::Left(TextEdit {
                        range: convert::range(&rope, e.range, enc),
                        new_text: e.text,
                    })
                })
                .collect(),
        }));
    }
    // The file is renamed after its edits, which name it by its old URI.
    if let Some((old, new)) = r.rename {
        operations.push(DocumentChangeOperation::Op(ResourceOp::Rename(
            RenameFile {
                old_uri: uri_of(&old).ok_or_else(Error::internal_error)?,
                new_uri: uri_of(&new).ok_or_else(Error::internal_error)?,
                options: Some(RenameFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(false),
                }),
                annotation_id: None,
            },
        )));
    }
    Ok(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(operations)),
        ..Default::default()
    })
}

/// A rename's edits by URI, for a client without documentChanges.
fn by_uri(edit: WorkspaceEdit) -> WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    if let Some(DocumentChanges::Operations(ops)) = edit.document_changes {
        for op in ops {
            if let DocumentChangeOperation::Edit(e) = op {
                changes.entry(e.text_document.uri).or_default().extend(
                    e.edits.into_iter().filter_map(|e| match e {
                        OneOf::Left(e) => Some(e),
                        OneOf::Right(_) => None,
                    }),
                );
            }
        }
    }
    WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}
