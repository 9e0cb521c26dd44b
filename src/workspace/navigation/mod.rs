//! Navigation between RFCs, as pure functions of a document's facts and the workspace
//! index: where a reference leads (definition), who points at an RFC (references), what
//! a reference names (hover), the links of a document, the workspace's RFCs by number,
//! id, title or tag (workspace symbols), the references one can type here (completion),
//! and the edits that renumber an RFC ([`rename`]). Byte offsets, spans, paths and line
//! numbers in, the same out; the server turns them into the protocol's types, and reads
//! whatever file a function asks for.

mod rename;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::crossdoc;
use super::index::{Facts, Index, Reference, Span, Target, Valued};
use crate::analysis::edit::TextEdit;
use crate::analysis::hover::Hover;
use crate::metadata::RfcNumber;
use crate::syntax::document::Snapshot;

pub use rename::{FileEdits, Renumbering, file_keeps_number, rename};

/// The reference at `offset`, if there is one.
pub fn reference_at<'a>(
    index: &'a Index,
    facts: &'a Facts,
    offset: usize,
) -> Option<&'a Reference> {
    index
        .references_of(facts)
        .find(|r| r.span.range.start <= offset && offset <= r.span.range.end)
}

/// The RFC (its path) a position stands for: a reference there, or the document itself
/// when the position is on its title or id.
pub fn subject(index: &Index, path: &Path, facts: &Facts, offset: usize) -> Option<PathBuf> {
    if let Some(r) = reference_at(index, facts, offset) {
        return index.target(path, &r.target).map(|(p, _)| p);
    }
    let on = |v: &Option<Valued>| {
        v.as_ref()
            .is_some_and(|v| v.span.range.start <= offset && offset <= v.span.range.end)
    };
    (on(&facts.title) || on(&facts.id)).then(|| path.to_path_buf())
}

/// What a rename at `offset` would change, asked before the new name is typed: the span
/// to select (the reference, the id or the title under the cursor) and the RFC's number
/// as the text to start from; or why no rename can start here.
pub fn prepare_rename(
    index: &Index,
    path: &Path,
    facts: &Facts,
    offset: usize,
) -> Result<(Span, String), String> {
    if !index.ready {
        return Err("the workspace is still being read: rename again in a moment".into());
    }
    let on = |v: &Option<Valued>| {
        v.as_ref()
            .filter(|v| v.span.range.start <= offset && offset <= v.span.range.end)
            .map(|v| v.span.clone())
    };
    let (span, to) = match reference_at(index, facts, offset) {
        Some(r) if matches!(r.target, Target::Rfc(_)) => {
            let (to, _) = index
                .target(path, &r.target)
                .ok_or("no RFC in this workspace has this number: there is nothing to rename")?;
            (r.span.clone(), to)
        }
        Some(_) => return Err("a link is renamed by renaming the file it leads to".into()),
        None => match on(&facts.id).or_else(|| on(&facts.title)) {
            Some(span) => (span, path.to_path_buf()),
            None => return Err("not on an RFC's title, id or a reference to one".into()),
        },
    };
    let number = if to == path {
        facts.number
    } else {
        index.files.get(&to).and_then(|f| f.number)
    };
    let number = number.ok_or("this RFC has no number to change")?;
    Ok((span, number.to_string()))
}

/// An RFC's title without the number it starts with (`RFC-042: Response cache` is
/// `Response cache`).
fn short_title(title: &str) -> &str {
    for sep in [": ", " - ", " — "] {
        if let Some((head, rest)) = title.split_once(sep)
            && head.len() <= 16
            && head.chars().any(|c| c.is_ascii_digit())
        {
            return rest.trim();
        }
    }
    title.trim()
}

/// Inlay hints for the citations in `range` (bytes) of the document at `path` (`char_at`:
/// its character at a byte): after each `RFC-042` that leads to an RFC,
/// `: Response cache (Accepted)`. Not after one in a link's
/// text or already followed by a colon (`RFC-042: Response cache` names it already).
pub fn inlay_hints(
    index: &Index,
    path: &Path,
    facts: &Facts,
    char_at: &dyn Fn(usize) -> Option<char>,
    range: Range<usize>,
) -> Vec<(Span, String)> {
    index
        .references_of(facts)
        .filter(|r| matches!(r.target, Target::Rfc(_)) && !r.in_link_text)
        .filter(|r| range.start <= r.span.range.start && r.span.range.end <= range.end)
        .filter(|r| char_at(r.span.range.end) != Some(':'))
        .filter_map(|r| {
            let (to, _) = index.target(path, &r.target)?;
            if to == path {
                return None;
            }
            let f = index.files.get(&to)?;
            let title = f.title.as_ref().map(|t| short_title(&t.value))?;
            let label = match &f.status {
                Some(s) if !s.value.trim().is_empty() => format!(": {title} ({})", s.value.trim()),
                _ => format!(": {title}"),
            };
            Some((r.span.clone(), label))
        })
        .collect()
}

/// The code lenses of an RFC, on its title line: how many other RFCs cite it, and its
/// successor when it names one. Each: the line, the text, and the places it stands for
/// (the citing references; the successor's title).
pub fn lenses(index: &Index, path: &Path, facts: &Facts) -> Vec<(u32, String, Vec<Place>)> {
    if !facts.is_rfc || facts.number.is_none() {
        return Vec::new();
    }
    let line = facts.title_line();
    let mut citing: Vec<(&PathBuf, Span)> = Vec::new();
    let mut files: Vec<(&PathBuf, &Arc<Facts>)> = index.files.iter().collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    for (from, f) in files {
        if from.as_path() == path || !f.is_rfc {
            continue;
        }
        citing.extend(
            index
                .references_of(f)
                .filter(|r| points_at(index, from, &r.target, path, facts.number))
                .map(|r| (from, r.span.clone())),
        );
    }
    let mut out = Vec::new();
    let rfcs = {
        let mut v: Vec<&PathBuf> = citing.iter().map(|(p, _)| *p).collect();
        v.dedup();
        v.len()
    };
    out.push((
        line,
        match rfcs {
            0 => "cited by no other RFC".to_string(),
            1 => "cited by 1 RFC".to_string(),
            n => format!("cited by {n} RFCs"),
        },
        citing
            .into_iter()
            .map(|(p, s)| Place::Span(p.clone(), s))
            .collect(),
    ));
    if let Some(successor) = &facts.successor {
        let n = RfcNumber::parse(&successor.value);
        let target = n.and_then(|n| index.target(path, &Target::Rfc(n)));
        let name = match n {
            Some(n) => format!("RFC-{:03}", n.seq),
            None => successor.value.trim().to_string(),
        };
        out.push((
            line,
            format!("superseded by {name}"),
            target.map(|(p, l)| Place::Line(p, l)).into_iter().collect(),
        ));
    }
    out
}

/// Whether reference `target` in `from` points at the RFC `to` (number `n`), as
/// [`Index::named_by`] finds it.
pub fn points_at(
    index: &Index,
    from: &Path,
    target: &Target,
    to: &Path,
    n: Option<RfcNumber>,
) -> bool {
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

/// Go to definition: the file and line the reference at `offset` in the document at
/// `path` (with `facts`) leads to: the RFC's title line, or the anchor's heading.
pub fn definition(
    index: &Index,
    path: &Path,
    facts: &Facts,
    offset: usize,
) -> Option<(PathBuf, u32)> {
    let r = reference_at(index, facts, offset)?;
    index.target(path, &r.target)
}

/// A place in a file of the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The start of a line: where an RFC is declared (its title line).
    Line(PathBuf, u32),
    /// A stretch of one line: a reference.
    Span(PathBuf, Span),
}

/// Find references: every reference in the workspace to the RFC the position stands
/// for ([`subject`]), by file path then in document order; with `declaration`, the
/// RFC's title line first. The document at `path` is read from `facts` (its buffer), the
/// others from the index. `None` when the position stands for no RFC.
pub fn references(
    index: &Index,
    path: &Path,
    facts: &Facts,
    offset: usize,
    declaration: bool,
) -> Option<Vec<Place>> {
    let to = subject(index, path, facts, offset)?;
    let n = if to == path {
        facts.number
    } else {
        index.files.get(&to).and_then(|f| f.number)
    };
    let mut out = Vec::new();
    if declaration {
        let line = index.files.get(&to).map_or(0, |f| f.title_line());
        out.push(Place::Line(to.clone(), line));
    }
    let mut files: Vec<(&PathBuf, &Arc<Facts>)> = index.files.iter().collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    for (from, f) in files {
        // This document is read from its buffer, not the index.
        let f: &Facts = if from == path { facts } else { f };
        for r in index.references_of(f) {
            if points_at(index, from, &r.target, &to, n) {
                out.push(Place::Span(from.clone(), r.span.clone()));
            }
        }
    }
    Some(out)
}

/// Hover on a reference: the target's title, status, path (relative to `path`) and the
/// first sentence of its summary, in Markdown, over the reference's bytes; or why it
/// leads nowhere.
pub fn reference_hover(index: &Index, path: &Path, facts: &Facts, offset: usize) -> Option<Hover> {
    let r = reference_at(index, facts, offset)?;
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
        text,
        range: r.span.range.clone(),
    })
}

/// A relative link of a document that leads to a file of the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The link's path (and anchor) as written: bytes of the document.
    pub range: Range<usize>,
    pub target: PathBuf,
    /// The target's title line, or its anchor's heading.
    pub line: u32,
    /// The target's label ([`Facts::label`]).
    pub tooltip: Option<String>,
}

/// Document links: the relative links of a document (at `path`, with `facts`) that lead
/// to a file the index has, in document order. Dangling ones and bare `#anchor`s are
/// left out.
pub fn links(index: &Index, path: &Path, facts: &Facts) -> Vec<Link> {
    facts
        .references
        .iter()
        .filter(|r| matches!(&r.target, Target::Link { path, .. } if !path.is_empty()))
        .filter_map(|r| {
            let (target, line) = index.target(path, &r.target)?;
            Some(Link {
                range: r.span.range.clone(),
                tooltip: index.files.get(&target).map(|f| f.label()),
                target,
                line,
            })
        })
        .collect()
}

/// An RFC found by a workspace symbol query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub path: PathBuf,
    /// Its label: the title, else `RFC-042`.
    pub name: String,
    /// Its title, else its id; `None`: the top of the file.
    pub span: Option<Span>,
    /// Its status and tags (`Accepted · cache, perf`), if it has either.
    pub container: Option<String>,
}

/// At most this many workspace symbols are answered.
pub const MAX_SYMBOLS: usize = 500;

/// Workspace symbols: the RFCs whose number agrees with the query (`42`, `rfc-042`,
/// `2026-042`), whose title or id contains it, or with a tag equal to it (any case); all
/// of them for an empty query. By number, then path; at most [`MAX_SYMBOLS`].
pub fn workspace_symbols(index: &Index, query: &str) -> Vec<Symbol> {
    let query = query.trim().to_lowercase();
    let number = RfcNumber::parse(&query);
    let contains = |v: &Option<Valued>| {
        v.as_ref()
            .is_some_and(|v| v.value.to_lowercase().contains(&query))
    };
    let mut found: Vec<(&PathBuf, &Arc<Facts>)> = index
        .files
        .iter()
        .filter(|(_, f)| f.is_rfc)
        .filter(|(_, f)| {
            query.is_empty()
                || number.is_some_and(|n| f.number.is_some_and(|m| m.agrees(n)))
                || contains(&f.title)
                || contains(&f.id)
                || f.tags.iter().any(|t| t.to_lowercase() == query)
        })
        .collect();
    found.sort_by_key(|(p, f)| (f.number, (*p).clone()));
    found.truncate(MAX_SYMBOLS);
    found
        .into_iter()
        .map(|(path, f)| Symbol {
            path: path.clone(),
            name: f.label(),
            span: f.title.as_ref().or(f.id.as_ref()).map(|v| v.span.clone()),
            container: Some(
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
        .collect()
}

/// What a reference completion item inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// A relative path, after `](`.
    File,
    /// `RFC-042`, after `RFC-` / `rfc-`.
    Rfc,
}

/// A reference one can type at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefItem {
    pub label: String,
    pub kind: RefKind,
    /// The RFC's label.
    pub detail: String,
    /// The first sentence of its summary (RFC items only).
    pub documentation: Option<String>,
    pub sort: Option<String>,
    pub filter: Option<String>,
    /// Replaces what is typed of the reference (bytes of the document).
    pub edit: TextEdit,
}

static TYPED_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(rfc)([-_]?)(\d*)$").expect("a valid pattern"));
static TYPED_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\(([^)\s]*)$").expect("a valid pattern"));

/// Completion of references at `offset` of the document at `path`: the relative paths of
/// the workspace's numbered RFCs after `](`, their numbers after `RFC-` / `rfc-` (written
/// with the prefix and separator typed), by number. `None` when the cursor is after
/// neither.
pub fn reference_completion(
    index: &Index,
    s: &Snapshot,
    path: &Path,
    offset: usize,
) -> Option<Vec<RefItem>> {
    let start = s.rope.line_to_byte(s.rope.byte_to_line(offset));
    let before = s.rope.byte_slice(start..offset).to_string();
    let mut rfcs: Vec<(&PathBuf, &Arc<Facts>)> = index
        .files
        .iter()
        .filter(|(p, f)| f.is_rfc && f.number.is_some() && p.as_path() != path)
        .collect();
    rfcs.sort_by_key(|(p, f)| (f.number, (*p).clone()));
    if let Some(c) = TYPED_LINK.captures(&before) {
        let range = start + c.get(1).expect("group 1").start()..offset;
        return Some(
            rfcs.iter()
                .map(|(p, f)| path_item(path, p, f, range.clone()))
                .collect(),
        );
    }
    let c = TYPED_REF.captures(&before)?;
    let range = start + c.get(0).expect("the match").start()..offset;
    let (prefix, sep) = (&c[1], &c[2]);
    let sep = if sep.is_empty() { "-" } else { sep };
    Some(
        rfcs.iter()
            .map(|(_, f)| {
                let n = f.number.expect("filtered");
                let text = match n.year {
                    Some(y) => format!("{prefix}{sep}{y}-{:03}", n.seq),
                    None => format!("{prefix}{sep}{:03}", n.seq),
                };
                RefItem {
                    label: text.clone(),
                    kind: RefKind::Rfc,
                    detail: f.label(),
                    documentation: f.summary.clone(),
                    filter: Some(text.clone()),
                    sort: Some(format!("{:04}{:06}", n.year.unwrap_or(0), n.seq)),
                    edit: TextEdit::replace(range.clone(), text),
                }
            })
            .collect(),
    )
}

/// The item of a relative path from `from` to the RFC at `to`.
fn path_item(from: &Path, to: &Path, f: &Facts, range: Range<usize>) -> RefItem {
    let rel = crossdoc::relative(from, to);
    RefItem {
        label: rel.clone(),
        kind: RefKind::File,
        detail: f.label(),
        documentation: None,
        sort: None,
        filter: None,
        edit: TextEdit::replace(range, rel),
    }
}

#[cfg(test)]
mod fixture;

#[cfg(test)]
mod tests;
