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
}
