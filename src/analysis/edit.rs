//! Text edits the features propose, and the pieces of text they are made of: a missing
//! section with its placeholder body, a metadata line in the template's style, a fresh
//! UUID, the id from the file name. Edits touch only what they must.

use std::sync::Arc;

use crate::analysis::facts::SectionFacts;
use std::ops::Range;
use std::path::Path;

use super::Snapshot;
use super::diagnostics::sections::{Matching, match_sections};
use crate::metadata::{Metadata, RfcNumber, Style};
use crate::template::Template;

/// Replace `range` (bytes) with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub text: String,
}

impl TextEdit {
    pub fn insert(at: usize, text: impl Into<String>) -> TextEdit {
        TextEdit {
            range: at..at,
            text: text.into(),
        }
    }

    pub fn replace(range: Range<usize>, text: impl Into<String>) -> TextEdit {
        TextEdit {
            range,
            text: text.into(),
        }
    }
}

/// Applies non-overlapping edits to a text (for tests and the CLI).
pub fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        out.push_str(&text[at..e.range.start.max(at)]);
        out.push_str(&e.text);
        at = e.range.end.max(at);
    }
    out.push_str(&text[at..]);
    out
}

/// The document's sections matched to the template's.
pub fn matching(snapshot: &Snapshot, template: &Arc<Template>) -> Matching {
    let outline = &snapshot.outline;
    let sections = outline.sections();
    let facts = SectionFacts::of(snapshot);
    let candidates = facts.candidates(template);
    let title = outline.headings.iter().position(|h| h.level == 1);
    match_sections(template, &sections, &candidates, title)
}

/// The template sections of the subtree at `j` (j and its descendants), in order.
fn subtree(template: &Template, j: usize) -> Vec<usize> {
    let level = template.sections[j].level;
    let mut out = vec![j];
    out.extend(
        (j + 1..template.sections.len()).take_while(|&k| template.sections[k].level > level),
    );
    out
}

/// The Markdown of template section `j` and of its descendants that are missing.
pub fn section_text(template: &Template, j: usize, missing: impl Fn(usize) -> bool) -> String {
    let mut text = String::new();
    for k in subtree(template, j) {
        if k != j && !missing(k) {
            continue;
        }
        let s = &template.sections[k];
        text.push_str(&template.heading_line(k));
        text.push_str("\n\n");
        if !s.body.is_empty() {
            text.push_str(&s.body);
            text.push_str("\n\n");
        }
    }
    text
}

/// Where template section `j` goes: before the first present section that the template
/// puts after it, or at the end of the document; and never outside its parent's section
/// when the parent is present (so a document out of order still gets it in the right place).
pub fn insertion_point(snapshot: &Snapshot, template: &Template, m: &Matching, j: usize) -> usize {
    let outline = &snapshot.outline;
    let next = m
        .of_doc
        .iter()
        .enumerate()
        .find(|&(_, t)| t.is_some_and(|t| t > j))
        .map_or(outline.len, |(i, _)| outline.headings[i].range.start);
    match template.sections[j].parent.and_then(|p| m.of_template[p]) {
        Some(p) => {
            let parent = &outline.sections()[p];
            next.clamp(outline.headings[p].range.end, parent.range.end)
        }
        None => next,
    }
}

/// An edit inserting template section `j` (with its missing children) where it belongs.
pub fn insert_section(
    snapshot: &Snapshot,
    template: &Template,
    m: &Matching,
    j: usize,
) -> TextEdit {
    let at = insertion_point(snapshot, template, m, j);
    let body = section_text(template, j, |k| m.of_template[k].is_none());
    TextEdit::insert(at, with_separation(snapshot, at, body))
}

/// Every missing section (optional ones aside), each where it belongs, parents with their
/// children.
pub fn insert_all_missing(snapshot: &Snapshot, template: &Template, m: &Matching) -> Vec<TextEdit> {
    let mut edits: Vec<TextEdit> = Vec::new();
    for (j, s) in template.sections.iter().enumerate() {
        let parent_missing = s.parent.is_some_and(|p| m.of_template[p].is_none());
        if m.of_template[j].is_some()
            || parent_missing
            || s.presence == crate::template::Presence::Optional
        {
            continue;
        }
        let edit = insert_section(snapshot, template, m, j);
        // Two sections going to the same place: one edit, in template order.
        match edits.iter_mut().find(|e| e.range == edit.range) {
            Some(e) => e.text.push_str(edit.text.trim_start_matches('\n')),
            None => edits.push(edit),
        }
    }
    edits
}

/// Surrounds inserted block text with the blank lines Markdown needs, given what is
/// before `at`.
fn with_separation(snapshot: &Snapshot, at: usize, mut text: String) -> String {
    let rope = &snapshot.rope;
    let before: String = {
        // The last two characters, not bytes: a byte cut could split a character.
        let at_char = rope.byte_to_char(at.min(rope.len_bytes()));
        let start = rope.char_to_byte(at_char.saturating_sub(2));
        rope.byte_slice(start..rope.char_to_byte(at_char)).into()
    };
    let prefix = if at == 0 || before.ends_with("\n\n") {
        ""
    } else if before.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    if at == snapshot.outline.len {
        // At the end: no blank line after the last block.
        while text.ends_with("\n\n") {
            text.pop();
        }
    }
    format!("{prefix}{text}")
}

/// A fresh UUID v4.
pub fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The RFC number in a file name (`rfc-042-cache.md` -> 42), or in its folder's for an RFC
/// that is a folder's README (`1287-in-place-update/README.md`); see
/// [`RfcNumber::in_file_name`].
pub fn file_number(path: Option<&Path>) -> Option<RfcNumber> {
    let path = path?;
    let name = path.file_name()?.to_string_lossy();
    if is_folder_readme(path) {
        let folder = path.parent()?.file_name()?.to_string_lossy();
        return RfcNumber::in_file_name(&format!("{folder}.md"));
    }
    RfcNumber::in_file_name(&name)
}

/// A `README.md` that is an RFC of its own numbered folder (`1287-in-place-update/`).
pub fn is_folder_readme(path: &Path) -> bool {
    let readme = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case("README.md"));
    let numbered = (path.parent().and_then(Path::file_name)).is_some_and(|f| {
        f.to_string_lossy()
            .starts_with(|c: char| c.is_ascii_digit())
    });
    readme && numbered
}

/// The folder that holds a repository's set of RFCs, where numbers are unique: the
/// file's own, or for a folder's README the folder above.
pub fn rfc_set_folder(path: &Path) -> Option<&Path> {
    if is_folder_readme(path) {
        path.parent()?.parent()
    } else {
        path.parent()
    }
}

/// The value of a field that carries the RFC's number (`id`, `RFC Number`): the first of
/// the usual forms (`2026-042` with a year, `rfc-042`, `RFC-042`, `042`, `42`) that its
/// pattern accepts, `rfc-042` with no pattern. A number with a year keeps it; `year`
/// (this year) is offered to a number without one.
pub fn number_value(
    pattern: Option<&regex::Regex>,
    number: RfcNumber,
    year: Option<&str>,
) -> Option<String> {
    let mut forms = Vec::with_capacity(5);
    let own_year = number.year.map(|y| y.to_string());
    if let Some(y) = own_year
        .as_deref()
        .or(year)
        .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
    {
        forms.push(format!("{y}-{:03}", number.seq));
    }
    let number = number.seq;
    forms.extend([
        format!("rfc-{number:03}"),
        format!("RFC-{number:03}"),
        format!("{number:03}"),
        number.to_string(),
    ]);
    match pattern {
        None => Some(format!("rfc-{number:03}")),
        Some(p) => forms.into_iter().find(|f| p.is_match(f)),
    }
}

/// A metadata line for `key: value` in the metadata block's style.
pub fn field_line(metadata_style: Style, key: &str, value: &str) -> String {
    match metadata_style {
        Style::Frontmatter => {
            let needs_quotes = value.contains(": ")
                || value.starts_with(['[', '{', '"', '\'', '*', '&', '!', '%', '@'])
                    && !value.starts_with('[');
            if needs_quotes {
                format!("{key}: \"{}\"", value.replace('"', "\\\""))
            } else {
                format!("{key}: {value}")
            }
        }
        Style::BoldLines => format!("**{key}**: {value}  "),
        Style::StatusSection => format!("- **{key}**: {value}"),
        Style::ListLines => format!("- {key}: {value}"),
        Style::Table => format!("| {key} | {value} |"),
    }
}

/// An edit adding a field line at the end of a metadata block.
pub fn add_field(snapshot: &Snapshot, metadata: &Metadata, line: &str) -> TextEdit {
    let rope = &snapshot.rope;
    let at = match metadata.style {
        // Before the closing `---`.
        Style::Frontmatter => {
            let last_line =
                rope.byte_to_line(metadata.range.end.saturating_sub(1).min(rope.len_bytes()));
            rope.line_to_byte(last_line)
        }
        _ => {
            let end_line = rope.byte_to_line(metadata.range.end.min(rope.len_bytes()));
            if end_line + 1 < rope.len_lines() {
                rope.line_to_byte(end_line + 1)
            } else {
                rope.len_bytes()
            }
        }
    };
    let needs_newline = at > 0 && at == rope.len_bytes() && rope.byte(at - 1) != b'\n';
    TextEdit::insert(
        at,
        format!("{}{line}\n", if needs_newline { "\n" } else { "" }),
    )
}

/// Inserts `line` as the document's last line, before its final line break if it has one
/// (an insertion past the last line break leaves editors such as Neovim a blank line).
pub fn append_line(snapshot: &Snapshot, line: &str) -> TextEdit {
    let rope = &snapshot.rope;
    let len = rope.len_bytes();
    if len == 0 {
        return TextEdit::insert(0, format!("{line}\n"));
    }
    let at = if rope.byte(len - 1) == b'\n' {
        len - 1
    } else {
        len
    };
    TextEdit::insert(at, format!("\n{line}"))
}

/// Today's date as YYYY-MM-DD (UTC), from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs / 86_400) as i64)
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{:02}-{:02}", if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_513), "2026-03-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
    }

    #[test]
    fn edits_apply_in_order_and_keep_everything_else() {
        let text = "abcdef";
        let edits = [
            TextEdit::replace(4..5, "E"),
            TextEdit::insert(0, ">"),
            TextEdit::replace(1..3, ""),
        ];
        assert_eq!(apply(text, &edits), ">adEf");
    }

    #[test]
    fn separation_reads_characters_not_bytes_before_the_insertion_point() {
        // Found by the fuzzer (fuzz/seeds/analysis/crash-separation-multibyte): the two
        // bytes before the end of "é\n" (or of a lone U+FFFD) split a character.
        for (text, prefix) in [("é\n", "\n"), ("\u{fffd}", "\n\n"), ("a é\n\n", "")] {
            let snapshot = crate::syntax::Document::new(text, 0).snapshot();
            let got = with_separation(&snapshot, text.len(), "## S\n".into());
            assert_eq!(got, format!("{prefix}## S\n"), "{text:?}");
        }
    }

    #[test]
    fn file_numbers() {
        assert_eq!(
            file_number(Some(Path::new("/x/rfc-042-cache.md"))),
            Some(RfcNumber::plain(42))
        );
        assert_eq!(
            file_number(Some(Path::new("RFC_7.md"))),
            Some(RfcNumber::plain(7))
        );
        assert_eq!(file_number(Some(Path::new("notes.md"))), None);
    }
}
