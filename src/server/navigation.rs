//! The workspace in the editor: the index of every RFC kept fresh from open buffers and
//! watched files, the cross-document diagnostics, and navigation between RFCs (definition,
//! references, hover, workspace symbols, document links, completion of references,
//! rename of an RFC's number).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use regex::Regex;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::features::run;
use super::{Backend, convert};
use crate::analysis::Snapshot;
use crate::metadata::RfcNumber;
use crate::text::{Encoding, line_col_to_offset};
use crate::workspace::crossdoc::{self, Finding};
use crate::workspace::index::{Facts, Index, Span, Target, normalize, scan_text};

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

fn read(index: &SharedIndex) -> std::sync::RwLockReadGuard<'_, Index> {
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
            range: f.range,
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

/// The reference at `offset`, if there is one.
fn reference_at(facts: &Facts, offset: usize) -> Option<&crate::workspace::index::Reference> {
    facts
        .references
        .iter()
        .find(|r| r.span.range.start <= offset && offset <= r.span.range.end)
}

/// The RFC (its path) a position stands for: a reference there, or the document itself
/// when the position is on its title or id.
fn subject(index: &Index, path: &Path, facts: &Facts, offset: usize) -> Option<PathBuf> {
    if let Some(r) = reference_at(facts, offset) {
        return index.target(path, &r.target).map(|(p, _)| p);
    }
    let on = |v: &Option<crate::workspace::index::Valued>| {
        v.as_ref()
            .is_some_and(|v| v.span.range.start <= offset && offset <= v.span.range.end)
    };
    (on(&facts.title) || on(&facts.id)).then(|| path.to_path_buf())
}

/// Whether reference `target` in `from` points at the RFC `to` (number `n`), as
/// [`Index::named_by`] finds it.
fn points_at(index: &Index, from: &Path, target: &Target, to: &Path, n: Option<RfcNumber>) -> bool {
    match target {
        Target::Rfc(m) => {
            n.is_some_and(|n| *m == n || (m.agrees(n) && index.with_number(*m).next().is_none()))
        }
        Target::Link { path, .. } if !path.is_empty() => index
            .resolve_link(from, path)
            .is_some_and(|(p, _)| p.as_path() == to),
        Target::Link { .. } => false,
    }
}

static TYPED_REF: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"(?i)\b(rfc)([-_]?)(\d*)$").expect("a valid pattern"));
static TYPED_LINK: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"\]\(([^)\s]*)$").expect("a valid pattern"));

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
            let r = reference_at(&facts, offset)?;
            let index = read(&index);
            let (target, line) = index.target(&path, &r.target)?;
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
            let index = read(&index);
            let to = subject(&index, &path, &facts, offset)?;
            let n = if to == path {
                facts.number
            } else {
                index.files.get(&to).and_then(|f| f.number)
            };
            let mut out = Vec::new();
            let mut files: Vec<(&PathBuf, &Arc<Facts>)> = index.files.iter().collect();
            files.sort_by(|a, b| a.0.cmp(b.0));
            for (from, f) in files {
                // This document is read from its buffer, not the index.
                let f: &Facts = if *from == path { &facts } else { f };
                for r in &f.references {
                    if points_at(&index, from, &r.target, &to, n) {
                        out.push(Location {
                            uri: uri_of(from)?,
                            range: span_range(&r.span, enc),
                        });
                    }
                }
            }
            if declaration {
                let line = index.files.get(&to).map_or(0, |f| f.title_line());
                out.insert(
                    0,
                    Location {
                        uri: uri_of(&to)?,
                        range: line_range(line),
                    },
                );
            }
            Some(out)
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
        let r = reference_at(&facts, offset)?;
        let index = read(index);
        let text = match index.target(path, &r.target) {
            None => match &r.target {
                Target::Rfc(n) => format!("No RFC numbered {n} in this workspace."),
                Target::Link { path: p, .. } => format!("`{p}` is not in this workspace."),
            },
            Some((target, _)) => {
                let f = index.files.get(&target)?;
                let mut text = format!("**{}**", f.label());
                if let Some(status) = &f.status {
                    text.push_str(&format!(" · {}", status.value));
                }
                text.push_str(&format!("\n\n`{}`", crossdoc::relative(path, &target)));
                if let Some(summary) = &f.summary {
                    text.push_str(&format!("\n\n{summary}"));
                }
                text
            }
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(convert::range(&s.rope, r.span.range.clone(), enc)),
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
            let index = read(&index);
            let links = facts
                .references
                .iter()
                .filter(|r| matches!(&r.target, Target::Link { path, .. } if !path.is_empty()))
                .filter_map(|r| {
                    let (target, line) = index.target(&path, &r.target)?;
                    let mut uri = uri_of(&target)?.as_str().to_string();
                    if line > 0 {
                        uri.push_str(&format!("#L{}", line + 1));
                    }
                    Some(DocumentLink {
                        range: convert::range(&s.rope, r.span.range.clone(), enc),
                        target: uri.parse().ok(),
                        tooltip: index.files.get(&target).map(|f| f.label()),
                        data: None,
                    })
                })
                .collect();
            Some(links)
        })
        .await
    }

    pub(super) async fn workspace_symbols(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let query = params.query.trim().to_lowercase();
        let index = self.index.clone();
        let enc = self.encoding();
        let found = tokio::task::spawn_blocking(move || {
            let index = read(&index);
            // `42`, `rfc-042` and `2026-042` find RFC 2026-042.
            let number = RfcNumber::parse(&query);
            let mut out: Vec<(PathBuf, Arc<Facts>)> = index
                .files
                .iter()
                .filter(|(_, f)| f.is_rfc)
                .filter(|(_, f)| {
                    query.is_empty()
                        || number.is_some_and(|n| f.number.is_some_and(|m| m.agrees(n)))
                        || f.title
                            .as_ref()
                            .is_some_and(|t| t.value.to_lowercase().contains(&query))
                        || f.id
                            .as_ref()
                            .is_some_and(|i| i.value.to_lowercase().contains(&query))
                        || f.tags.iter().any(|t| t.to_lowercase() == query)
                })
                .map(|(p, f)| (p.clone(), f.clone()))
                .collect();
            out.sort_by_key(|(p, f)| (f.number, p.clone()));
            out.truncate(500);
            out
        })
        .await
        .map_err(|_| Error::internal_error())?;
        #[allow(deprecated)] // `deprecated` is a field of the struct
        let symbols = found
            .into_iter()
            .filter_map(|(path, f)| {
                let span = f.title.as_ref().or(f.id.as_ref()).map(|v| v.span.clone());
                Some(SymbolInformation {
                    name: f.label(),
                    kind: SymbolKind::FILE,
                    tags: None,
                    deprecated: None,
                    location: Location {
                        uri: uri_of(&path)?,
                        range: span.map_or(line_range(0), |s| span_range(&s, enc)),
                    },
                    container_name: Some(
                        [
                            f.status.as_ref().map(|s| s.value.clone()),
                            (!f.tags.is_empty()).then(|| f.tags.join(", ")),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · "),
                    )
                    .filter(|c| !c.is_empty()),
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
        let line = s.rope.byte_to_line(offset);
        let start = s.rope.line_to_byte(line);
        let before = s.rope.byte_slice(start..offset).to_string();
        let index = read(index);
        let mut rfcs: Vec<(&PathBuf, &Arc<Facts>)> = index
            .files
            .iter()
            .filter(|(p, f)| f.is_rfc && f.number.is_some() && p.as_path() != path)
            .collect();
        rfcs.sort_by_key(|(p, f)| (f.number, (*p).clone()));
        if let Some(c) = TYPED_LINK.captures(&before) {
            let typed = c.get(1).expect("group 1");
            let range = convert::range(&s.rope, start + typed.start()..offset, enc);
            return Some(
                rfcs.iter()
                    .map(|(p, f)| {
                        let rel = crossdoc::relative(path, p);
                        CompletionItem {
                            label: rel.clone(),
                            kind: Some(CompletionItemKind::FILE),
                            detail: Some(f.label()),
                            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                                range,
                                new_text: rel,
                            })),
                            ..Default::default()
                        }
                    })
                    .collect(),
            );
        }
        let c = TYPED_REF.captures(&before)?;
        let whole = c.get(0).expect("the match");
        let (prefix, sep) = (&c[1], &c[2]);
        let sep = if sep.is_empty() { "-" } else { sep };
        let range = convert::range(&s.rope, start + whole.start()..offset, enc);
        Some(
            rfcs.iter()
                .map(|(_, f)| {
                    let n = f.number.expect("filtered");
                    let text = match n.year {
                        Some(y) => format!("{prefix}{sep}{y}-{:03}", n.seq),
                        None => format!("{prefix}{sep}{:03}", n.seq),
                    };
                    CompletionItem {
                        label: text.clone(),
                        kind: Some(CompletionItemKind::REFERENCE),
                        detail: Some(f.label()),
                        documentation: f.summary.clone().map(Documentation::String),
                        filter_text: Some(text.clone()),
                        sort_text: Some(format!("{:04}{:06}", n.year.unwrap_or(0), n.seq)),
                        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                            range,
                            new_text: text,
                        })),
                        ..Default::default()
                    }
                })
                .collect(),
        )
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
        let to = subject(&read(&index), &path, &facts, offset).ok_or_else(|| {
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
        let numbered_name = to
            .file_name()
            .is_some_and(|n| RfcNumber::in_file_name(&n.to_string_lossy()).is_some());
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
        // A client without documentChanges gets the same edits by URI.
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
        Ok(Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }))
    }
}

/// The edit that renumbers the RFC at `to`: the number on its identity lines (id, slug,
/// title, H1, RFC Number), every reference to it in the workspace, and its file name.
fn rename_edit(
    index: &Index,
    open: &HashMap<PathBuf, (Snapshot, i32)>,
    to: &Path,
    new: RfcNumber,
    rename_files: bool,
    enc: Encoding,
) -> Result<WorkspaceEdit> {
    // Open documents are read from their buffers, the rest from disk.
    let text_of = |p: &Path| -> Option<String> {
        match open.get(p) {
            Some((s, _)) => Some(s.rope.to_string()),
            None => std::fs::read_to_string(p).ok(),
        }
    };
    let target_text =
        text_of(to).ok_or_else(|| Error::invalid_params("the RFC's file cannot be read"))?;
    let target = scan_text(Some(to), &target_text);
    let old = target
        .number
        .ok_or_else(|| Error::invalid_params("this RFC has no number to change"))?;
    // `50` renumbers `2026-042` to `2026-050`: the year stays unless a new one is given.
    let new = RfcNumber {
        year: new.year.or(old.year),
        ..new
    };
    if new == old {
        return Err(Error::invalid_params("that is already its number"));
    }
    if index.with_number(new).any(|(p, _)| p.as_path() != to) {
        return Err(Error::invalid_params(format!("RFC number {new} is taken")));
    }
    let old_name = to
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    // Links are rewritten to a new file name only where the file is renamed with them.
    let new_name = renumbered(&old_name, old, new)
        .filter(|n| *n != old_name)
        .filter(|_| rename_files);
    let token =
        Regex::new(&format!(r"(?i)\brfc[-_ ]?{}\b", digits_of(old))).expect("a valid pattern");
    // `RFC-042` -> `RFC-050`, `rfc_2026-042` -> `rfc_2026-050`: what is written before the
    // sequence stays, the sequence keeps its padding.
    let retoken = |written: &str| -> String {
        let w = width(written);
        let head = &written[..written.len() - w];
        let head = match (old.year, new.year) {
            (Some(a), Some(b)) if a != b => head.replacen(&a.to_string(), &b.to_string(), 1),
            _ => head.to_string(),
        };
        format!("{head}{:0w$}", new.seq)
    };

    let mut files: Vec<PathBuf> = index.files.keys().cloned().collect();
    if !files.iter().any(|p| p == to) {
        files.push(to.to_path_buf());
    }
    files.sort();
    let mut operations = Vec::new();
    for from in &files {
        let (facts, text) = if from == to {
            (target.clone(), Some(target_text.clone()))
        } else if let Some((s, _)) = open.get(from) {
            (facts_of(s, from), Some(s.rope.to_string()))
        } else {
            (index.files[from].as_ref().clone(), None)
        };
        let concerned = from == to
            || facts
                .references
                .iter()
                .any(|r| points_at(index, from, &r.target, to, Some(old)));
        if !concerned {
            continue;
        }
        let Some(text) = text.or_else(|| text_of(from)) else {
            continue;
        };
        let rope = ropey::Rope::from_str(&text);
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        if from == to {
            let identity_lines: Vec<u32> = [&facts.id, &facts.title]
                .into_iter()
                .flatten()
                .map(|v| v.span.line)
                .collect();
            for (i, line) in text.split_inclusive('\n').enumerate().take(200) {
                let key = line
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                let key = key.trim_matches(|c| c == '*' || c == '-' || c == ' ');
                if !identity_lines.contains(&(i as u32))
                    && !matches!(key, "slug" | "title" | "id" | "rfc number" | "rfc")
                {
                    continue;
                }
                let start = rope.line_to_byte(i);
                for m in token.find_iter(line) {
                    edits.push((start + m.start()..start + m.end(), retoken(m.as_str())));
                }
            }
            // A bare number: `**RFC Number**: 042`, `id: 42`.
            if let Some(id) = &facts.id
                && token.find(&id.value).is_none()
                && RfcNumber::parse(&id.value) == Some(old)
                && let Some(m) = Regex::new(&format!(r"\b{}\b", digits_of(old)))
                    .expect("a valid pattern")
                    .find(&id.value)
            {
                let at = id.span.range.start + m.start()..id.span.range.start + m.end();
                edits.push((at, retoken(m.as_str())));
            }
        }
        for r in &facts.references {
            let range = r.span.range.clone();
            match &r.target {
                Target::Rfc(n) if points_at(index, from, &r.target, to, Some(old)) => {
                    let written = text.get(range.clone()).unwrap_or_default();
                    edits.push((range, retoken(written)));
                }
                Target::Link { path, anchor } if !path.is_empty() => {
                    let Some(new_name) = &new_name else { continue };
                    if index
                        .resolve_link(from, path)
                        .is_none_or(|(p, _)| p.as_path() != to)
                    {
                        continue;
                    }
                    let stem = new_name.trim_end_matches(".md");
                    let file = if path.ends_with(".md") {
                        new_name.as_str()
                    } else {
                        stem
                    };
                    let new_path = match path.rsplit_once('/') {
                        Some((dir, _)) => format!("{dir}/{file}"),
                        None => file.to_string(),
                    };
                    edits.push((
                        range,
                        match anchor {
                            Some(a) => format!("{new_path}#{a}"),
                            None => new_path,
                        },
                    ));
                }
                _ => {}
            }
        }
        edits.sort_by_key(|(r, _)| (r.start, r.end));
        edits.dedup_by(|a, b| a.0 == b.0);
        if edits.is_empty() {
            continue;
        }
        operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri_of(from).ok_or_else(Error::internal_error)?,
                version: open.get(from).map(|(_, v)| *v),
            },
            edits: edits
                .into_iter()
                .map(|(r, new_text)| {
                    OneOf::Left(TextEdit {
                        range: convert::range(&rope, r, enc),
                        new_text,
                    })
                })
                .collect(),
        }));
    }
    // The file is renamed after its edits, which name it by its old URI.
    if rename_files && let Some(new_name) = new_name {
        operations.push(DocumentChangeOperation::Op(ResourceOp::Rename(
            RenameFile {
                old_uri: uri_of(to).ok_or_else(Error::internal_error)?,
                new_uri: uri_of(&to.with_file_name(new_name)).ok_or_else(Error::internal_error)?,
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

/// Digits of the number in a token like `RFC-042`: the width to pad the new number to.
fn width(token: &str) -> usize {
    token.chars().rev().take_while(char::is_ascii_digit).count()
}

/// The pattern of a number's digits as written: `0*42`, `2026-0*42`.
fn digits_of(n: RfcNumber) -> String {
    match n.year {
        Some(y) => format!("{y}-0*{}", n.seq),
        None => format!("0*{}", n.seq),
    }
}

/// The file name with its number (`rfc-042-`, `0042-`, `2026-042-`) replaced.
fn renumbered(name: &str, old: RfcNumber, new: RfcNumber) -> Option<String> {
    if RfcNumber::in_file_name(name).is_none_or(|n| !n.agrees(old)) {
        return None;
    }
    let re = Regex::new(r"(?i)^(rfc[-_]?)?(?:(\d{4})-)?(\d+)").expect("a valid pattern");
    let m = re.captures(name)?;
    let seq = m.get(3).expect("group 3 takes part");
    let year = match (m.get(2), new.year) {
        (Some(_), Some(y)) => format!("{y}-"),
        (Some(y), None) => format!("{}-", y.as_str()),
        (None, _) => String::new(),
    };
    Some(format!(
        "{}{year}{:0w$}{}",
        m.get(1).map_or("", |p| p.as_str()),
        new.seq,
        &name[seq.end()..],
        w = seq.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_and_tokens_are_renumbered_with_their_padding() {
        let p = RfcNumber::plain;
        assert_eq!(
            renumbered("rfc-042-cache.md", p(42), p(50)).as_deref(),
            Some("rfc-050-cache.md")
        );
        assert_eq!(
            renumbered("RFC_7.md", p(7), p(12)).as_deref(),
            Some("RFC_12.md")
        );
        assert_eq!(
            renumbered("0042-cache.md", p(42), p(7)).as_deref(),
            Some("0007-cache.md")
        );
        let y = |seq| RfcNumber {
            year: Some(2026),
            seq,
        };
        assert_eq!(
            renumbered("2026-042-cache.md", y(42), y(50)).as_deref(),
            Some("2026-050-cache.md")
        );
        assert_eq!(
            renumbered("rfc-042-cache.md", y(42), y(50)).as_deref(),
            Some("rfc-050-cache.md")
        );
        assert_eq!(renumbered("notes.md", p(7), p(12)), None);
        assert_eq!(renumbered("rfc-041-x.md", p(7), p(12)), None);
        assert_eq!(width("RFC-042"), 3);
    }
}
