//! Rename of an RFC's number: the edits that renumber the RFC on its identity lines (id,
//! slug, title, H1, RFC Number), in every reference to it across the workspace, and in
//! its file name (with the links to it) where the client can rename files. Pure: the
//! texts it needs are asked of the caller.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::points_at;
use crate::analysis::edit::TextEdit;
use crate::metadata::RfcNumber;
use crate::workspace::index::{Facts, Index, Target, scan_text};

/// The edits of one file, in order, with the text they apply to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdits {
    pub path: PathBuf,
    /// The text the edits' byte ranges are in.
    pub text: String,
    /// Sorted, non-overlapping.
    pub edits: Vec<TextEdit>,
}

/// What renumbering an RFC changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renumbering {
    pub old: RfcNumber,
    /// The new number (with the old year when the new one gave none).
    pub new: RfcNumber,
    /// The files with edits, by path; the RFC's own file named by its old path.
    pub files: Vec<FileEdits>,
    /// The RFC's file, renamed after its edits: old path, new path.
    pub rename: Option<(PathBuf, PathBuf)>,
}

/// Whether the file at `path` carries a number in its name (`rfc-042-x.md`, `0042-x.md`):
/// a client that cannot rename files leaves it stale.
pub fn file_keeps_number(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| RfcNumber::in_file_name(&n.to_string_lossy()).is_some())
}

/// The old and new numbers, the file's new name and the pattern of the old number.
struct Plan<'a> {
    to: &'a Path,
    old: RfcNumber,
    new: RfcNumber,
    /// Links are rewritten to a new file name only where the file is renamed with them.
    new_name: Option<String>,
    /// `RFC-042`, `rfc_2026-042`, `rfc 42` as written.
    token: Regex,
}

impl Plan<'_> {
    /// `RFC-042` -> `RFC-050`, `rfc_2026-042` -> `rfc_2026-050`: what is written before
    /// the sequence stays, the sequence keeps its padding.
    fn retoken(&self, written: &str) -> String {
        let w = width(written);
        let head = &written[..written.len() - w];
        let head = match (self.old.year, self.new.year) {
            (Some(a), Some(b)) if a != b => head.replacen(&a.to_string(), &b.to_string(), 1),
            _ => head.to_string(),
        };
        format!("{head}{:0w$}", self.new.seq)
    }
}

/// The edits that renumber the RFC at `to` to `new` (`50` keeps the year of
/// `2026-042`). `open_facts` gives the facts of a document open in the editor, read from
/// its buffer (`None`: not open, the index's stand); `read` the text of a file (an open
/// document's buffer, else the disk). Refused, with the reason, when the RFC's file
/// cannot be read, has no number, already has `new`, or `new` is another RFC's.
pub fn rename(
    index: &Index,
    to: &Path,
    new: RfcNumber,
    rename_files: bool,
    open_facts: &dyn Fn(&Path) -> Option<Facts>,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Result<Renumbering, String> {
    let target_text = read(to).ok_or("the RFC's file cannot be read")?;
    let target = scan_text(Some(to), &target_text);
    let plan = plan(index, to, &target, new, rename_files)?;
    let mut paths: Vec<PathBuf> = index.files.keys().cloned().collect();
    if !paths.iter().any(|p| p == to) {
        paths.push(to.to_path_buf());
    }
    paths.sort();
    let mut files = Vec::new();
    for from in &paths {
        let opened;
        let facts: &Facts = if from == to {
            &target
        } else if let Some(f) = open_facts(from) {
            opened = f;
            &opened
        } else {
            &index.files[from]
        };
        let concerned = from == to
            || index
                .references_of(facts)
                .any(|r| points_at(index, from, &r.target, to, Some(plan.old)));
        if !concerned {
            continue;
        }
        let text = if from == to {
            target_text.clone()
        } else {
            let Some(text) = read(from) else { continue };
            text
        };
        let mut edits = if from == to {
            identity_edits(&plan, facts, &text)
        } else {
            Vec::new()
        };
        edits.extend(reference_edits(index, &plan, from, facts, &text));
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        edits.dedup_by(|a, b| a.range == b.range);
        if !edits.is_empty() {
            files.push(FileEdits {
                path: from.clone(),
                text,
                edits,
            });
        }
    }
    let rename = plan
        .new_name
        .as_ref()
        .map(|n| (to.to_path_buf(), to.with_file_name(n)));
    Ok(Renumbering {
        old: plan.old,
        new: plan.new,
        files,
        rename,
    })
}

/// The old and new numbers and names, or why the RFC cannot take `new`.
fn plan<'a>(
    index: &Index,
    to: &'a Path,
    target: &Facts,
    new: RfcNumber,
    rename_files: bool,
) -> Result<Plan<'a>, String> {
    let old = target.number.ok_or("this RFC has no number to change")?;
    let new = RfcNumber {
        year: new.year.or(old.year),
        ..new
    };
    if new == old {
        return Err("that is already its number".to_string());
    }
    if index.with_number(new).any(|(p, _)| p.as_path() != to) {
        return Err(format!("RFC number {new} is taken"));
    }
    let old_name = to
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let new_name = renumbered(&old_name, old, new)
        .filter(|n| *n != old_name)
        .filter(|_| rename_files);
    let token =
        Regex::new(&format!(r"(?i)\brfc[-_ ]?{}\b", digits_of(old))).expect("a valid pattern");
    Ok(Plan {
        to,
        old,
        new,
        new_name,
        token,
    })
}

/// The number on the RFC's own identity lines: its id and title lines and the first 200
/// lines keyed `slug`, `title`, `id`, `RFC Number` or `RFC`; and a bare number in the id
/// (`**RFC Number**: 042`, `id: 42`).
fn identity_edits(plan: &Plan, facts: &Facts, text: &str) -> Vec<TextEdit> {
    let identity_lines: Vec<u32> = [&facts.id, &facts.title]
        .into_iter()
        .flatten()
        .map(|v| v.span.line)
        .collect();
    // Lines as the client counts them (a lone `\r` ends one too), to find where each
    // `\n`-split line starts.
    let rope = ropey::Rope::from_str(text);
    let mut edits = Vec::new();
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
        let at = rope.line_to_byte(i);
        for m in plan.token.find_iter(line) {
            edits.push(TextEdit::replace(
                at + m.start()..at + m.end(),
                plan.retoken(m.as_str()),
            ));
        }
    }
    if let Some(id) = &facts.id
        && plan.token.find(&id.value).is_none()
        && RfcNumber::parse(&id.value) == Some(plan.old)
        && let Some(m) = Regex::new(&format!(r"\b{}\b", digits_of(plan.old)))
            .expect("a valid pattern")
            .find(&id.value)
    {
        let at = id.span.range.start + m.start()..id.span.range.start + m.end();
        edits.push(TextEdit::replace(at, plan.retoken(m.as_str())));
    }
    edits
}

/// The references in `from` to the RFC: `RFC-042` renumbered, a relative link to its file
/// renamed with it.
fn reference_edits(
    index: &Index,
    plan: &Plan,
    from: &Path,
    facts: &Facts,
    text: &str,
) -> Vec<TextEdit> {
    let mut edits = Vec::new();
    for r in index.references_of(facts) {
        let range = r.span.range.clone();
        match &r.target {
            Target::Rfc(_) if points_at(index, from, &r.target, plan.to, Some(plan.old)) => {
                let written = text.get(range.clone()).unwrap_or_default();
                edits.push(TextEdit::replace(range, plan.retoken(written)));
            }
            Target::Link { path, anchor } if !path.is_empty() => {
                let Some(new_name) = &plan.new_name else {
                    continue;
                };
                if index
                    .resolve_link(from, path)
                    .is_none_or(|(p, _)| p.as_path() != plan.to)
                {
                    continue;
                }
                edits.push(TextEdit::replace(range, relinked(path, anchor, new_name)));
            }
            _ => {}
        }
    }
    edits
}

/// A link's path to the renamed file, written as it was (with or without `.md`, in its
/// folder), with its anchor.
fn relinked(path: &str, anchor: &Option<String>, new_name: &str) -> String {
    let stem = new_name.trim_end_matches(".md");
    let file = if path.ends_with(".md") {
        new_name
    } else {
        stem
    };
    let new_path = match path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{file}"),
        None => file.to_string(),
    };
    match anchor {
        Some(a) => format!("{new_path}#{a}"),
        None => new_path,
    }
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
