//! Metadata written as list items of plain `Key: value` lines, as the RFC repositories of
//! Rust and Swift keep it at the top of each document:
//!
//! ```markdown
//! - Feature Name: `my_feature`
//! - Start Date: 2024-05-01
//! * Status: **Implemented (Swift 5.9)**
//! ```
//!
//! The line reader is here, below the template and metadata layers, because both read it:
//! the template from its skeleton, the metadata from a document.

use std::ops::Range;

/// Splits a `- Key: value` line into its key and value ranges (relative to the line). The
/// key is a short label (a letter first, at most five words and 40 bytes, no link, code or
/// emphasis); the value may be empty, bold, a link or a list of links. A space after the
/// colon may be missing (`- Rust Issue:[...]`), unless a `/` follows (`- See https://x`).
pub fn list_field(line: &str) -> Option<(Range<usize>, Range<usize>)> {
    let bytes = line.as_bytes();
    let indent = bytes.iter().take_while(|&&b| b == b' ').count();
    if indent > 3
        || !matches!(bytes.get(indent), Some(b'-' | b'*' | b'+'))
        || !matches!(bytes.get(indent + 1), Some(b' ' | b'\t'))
    {
        return None;
    }
    let key_start = indent + 2 + line[indent + 2..].len() - line[indent + 2..].trim_start().len();
    let colon = key_start + line[key_start..].find(':')?;
    let key = line[key_start..colon].trim_end();
    let words = key.split_whitespace().count();
    let label = key.chars().next().is_some_and(char::is_alphabetic)
        && key.len() <= 40
        && words <= 5
        && key.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '\'' | '(' | ')' | '/')
        });
    let after = &line[colon + 1..];
    if !label || after.starts_with('/') || after.starts_with(':') {
        return None;
    }
    Some((
        key_start..key_start + key.len(),
        value_range(line, colon + 1),
    ))
}

/// A row of a key/value Markdown table, as some templates keep their metadata near the top:
///
/// ```markdown
/// | Status        | Accepted                                   |
/// :-------------- |:------------------------------------------ |
/// | **RFC #**     | [453](https://example.com/pull/453)        |
/// ```
///
/// Splits `| Key | value |` (or `Key | value`) into its key and value ranges (relative to the line): a row of
/// exactly two cells whose first is a short label, bold or not, with an optional colon.
/// The value may be empty. Pipes inside code spans or escaped (`\|`) do not split cells.
pub fn table_field(line: &str) -> Option<(Range<usize>, Range<usize>)> {
    let cells = table_cells(line)?;
    let [key, value] = cells.as_slice() else {
        return None;
    };
    let mut k = key.clone();
    let inner = &line[k.clone()];
    for mark in ["**", "__"] {
        if inner.len() > 4 && inner.starts_with(mark) && inner.ends_with(mark) {
            k = k.start + 2..k.end - 2;
            break;
        }
    }
    let text = line[k.clone()].trim_end_matches(':').trim_end();
    k.end = k.start + text.len();
    let label = text.chars().next().is_some_and(char::is_alphabetic)
        && text.len() <= 40
        && text.split_whitespace().count() <= 5
        && text.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '\'' | '(' | ')' | '/' | '#')
        });
    label.then(|| (k, value.clone()))
}

/// Header cells that name the table's columns rather than a field.
pub fn generic_header(key: &str) -> bool {
    const WORDS: [&str; 10] = [
        "field",
        "fields",
        "key",
        "name",
        "property",
        "attribute",
        "item",
        "metadata",
        "info",
        "value",
    ];
    WORDS.iter().any(|w| key.eq_ignore_ascii_case(w))
}

/// The cells of a Markdown table row, each trimmed (an empty cell is empty at its start);
/// `None` for a line with no pipe outside code. The pipes at either end are optional, as in
/// GFM; whether the line is in a table at all is the caller's question (a table's second
/// line is its delimiter row).
pub fn table_cells(line: &str) -> Option<Vec<Range<usize>>> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let bytes = line.as_bytes();
    let mut cells = Vec::new();
    let leading = line[indent..].starts_with('|');
    let mut start = indent + usize::from(leading);
    let mut i = start;
    let mut in_code = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'`' => in_code = !in_code,
            b'|' if !in_code => {
                cells.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if cells.is_empty() && !leading {
        return None; // no pipe at all
    }
    let rest = line[start.min(line.len())..].trim();
    if !rest.is_empty() {
        cells.push(start..line.len());
    }
    Some(
        cells
            .into_iter()
            .map(|c| {
                let raw = &line[c.clone()];
                let s = c.start + (raw.len() - raw.trim_start().len());
                s..s + raw.trim().len()
            })
            .collect(),
    )
}

/// A table's delimiter row (`|---|:---:|`, or `:--- |:--- |` without the leading pipe).
pub fn is_table_delimiter(line: &str) -> bool {
    let t = line.trim();
    t.contains('-')
        && t.contains('|')
        && t.split('|').all(|c| {
            let c = c.trim();
            c.is_empty() || c.trim_matches(':').chars().all(|ch| ch == '-') && c.contains('-')
        })
}

/// Whether two metadata keys name the same field. Keys people read (bold, list and table
/// lines) compare loosely: case, punctuation, a plural and `(s)` aside (`Author(s)`,
/// `Authors`, `author`); keys a program reads (YAML) compare only without case.
pub fn same_key(a: &str, b: &str, loose: bool) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    if !loose {
        return false;
    }
    let fold = |k: &str| {
        let k = k.to_lowercase().replace("(s)", "");
        let k: String = k.chars().filter(|c| c.is_alphanumeric()).collect();
        match k.strip_suffix('s') {
            Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_string(),
            _ => k,
        }
    };
    let (fa, fb) = (fold(a), fold(b));
    !fa.is_empty() && fa == fb
}

/// The value of a metadata line that starts at byte `from`: without the spaces around it
/// and a trailing backslash (a Markdown hard break). No value: empty at `from`.
pub fn value_range(line: &str, from: usize) -> Range<usize> {
    let raw = &line[from..];
    let mut value = raw.trim();
    if let Some(v) = value.strip_suffix('\\') {
        value = v.trim_end();
    }
    if value.is_empty() {
        return from..from;
    }
    let start = from + (raw.len() - raw.trim_start().len());
    start..start + value.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Option<(&str, &str)> {
        list_field(line).map(|(k, v)| (&line[k], &line[v]))
    }

    #[test]
    fn reads_plain_keys_with_any_value() {
        assert_eq!(
            split("- Start Date: 2024-05-01"),
            Some(("Start Date", "2024-05-01"))
        );
        assert_eq!(
            split("- RFC PR: [rust-lang/rfcs#12](https://github.com/rust-lang/rfcs/pull/12)"),
            Some((
                "RFC PR",
                "[rust-lang/rfcs#12](https://github.com/rust-lang/rfcs/pull/12)"
            ))
        );
        assert_eq!(
            split("* Status: **Implemented (Swift 5.9)**"),
            Some(("Status", "**Implemented (Swift 5.9)**"))
        );
        assert_eq!(
            split("- Rust Issue:[x#1](u)"),
            Some(("Rust Issue", "[x#1](u)"))
        );
        assert_eq!(split("- Feature Name:"), Some(("Feature Name", "")));
        assert_eq!(
            split("  + Crates.io Issue: N/A  "),
            Some(("Crates.io Issue", "N/A"))
        );
    }

    #[test]
    fn prose_items_are_not_fields() {
        assert_eq!(split("- See https://example.com"), None);
        assert_eq!(
            split("- **Status**: Draft"),
            None,
            "bold keys are another style"
        );
        assert_eq!(split("- `code`: a value"), None);
        assert_eq!(split("- [link](x): a value"), None);
        assert_eq!(
            split("- This item has far too many words in it: really"),
            None
        );
        assert_eq!(split("- 2024: a year"), None);
        assert_eq!(split("-Key: no space after the marker"), None);
        assert_eq!(split("    - Key: code block"), None);
        assert_eq!(split("Key: not an item"), None);
        assert_eq!(split("- Note:: odd"), None);
    }

    fn row(line: &str) -> Option<(&str, &str)> {
        table_field(line).map(|(k, v)| (&line[k], &line[v]))
    }

    #[test]
    fn reads_key_value_table_rows() {
        assert_eq!(
            row("| Status        | Accepted   |"),
            Some(("Status", "Accepted"))
        );
        assert_eq!(
            row("| **RFC #**     | [453](https://x/pull/453) |"),
            Some(("RFC #", "[453](https://x/pull/453)"))
        );
        assert_eq!(
            row("| **Updated:** | 2023-07-24"),
            Some(("Updated", "2023-07-24"))
        );
        assert_eq!(row("| Sponsor |  |"), Some(("Sponsor", "")));
        assert_eq!(row("| Key | `a|b` |"), Some(("Key", "`a|b`")));
        assert_eq!(row("| Key | a \\| b |"), Some(("Key", "a \\| b")));
        assert_eq!(row("| a | b | c |"), None, "three cells");
        assert_eq!(row("| 2024 | year |"), None);
        assert_eq!(
            row("Status        | Proposed"),
            Some(("Status", "Proposed"))
        );
        assert_eq!(row("**Sponsor**   | A. Name"), Some(("Sponsor", "A. Name")));
        assert_eq!(row("No pipe: here"), None);
        assert!(is_table_delimiter(":-------------- |:------------- |"));
        assert!(is_table_delimiter("|---|:---:|"));
        assert!(!is_table_delimiter("| a | - |"));
        assert!(!is_table_delimiter("---"));
    }

    #[test]
    fn prose_keys_match_loosely_and_yaml_keys_exactly() {
        assert!(same_key("Author(s)", "Authors", true));
        assert!(same_key("Author(s)", "author", true));
        assert!(same_key("Sponsor", "Sponsor(s)", true));
        assert!(same_key("RFC #", "rfc", true));
        assert!(!same_key("Status", "Stat", true));
        assert!(!same_key("Sponsor", "Sponsored", true));
        assert!(!same_key("authors", "author", false));
        assert!(same_key("Status", "status", false));
    }
}
