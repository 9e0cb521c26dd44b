//! What counts as placeholder text: the marks templates use for "write something here".

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// The first placeholder in a line of prose: `[Feature Name]` (not a link, a footnote or a
/// task box), `<TITLE>`, `<a || b>`, `YYYY-MM-DD`, `Your Name`, `TBD`.
pub fn in_line(line: &str) -> Option<Range<usize>> {
    all(line).next()
}

/// Every placeholder in a text, in order (the patterns never cross a line break).
pub fn all(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"\[[^\[\]\n]*[A-Za-z][^\[\]\n]*\]|<[A-Z][A-Z0-9_ |]*[A-Z]>|<[^<>\n]*\|\|[^<>\n]*>|\bYYYY-MM-DD\b|\bYour Name\b|\bTBD\b|\bLorem ipsum\b")
            .expect("the placeholder pattern compiles")
    });
    re.find_iter(text)
        .filter(move |m| {
            let after = &text[m.end()..];
            if !m.as_str().starts_with('[') {
                return true;
            }
            // `[text](url)`, `[text][ref]` and `[ref]: url` are links; `[x]` is a task box;
            // `![alt]` an image and `[^1]` a footnote. None is a placeholder.
            let link = after.starts_with(['(', '[', ':']);
            let task = m.as_str().len() == 3;
            !link && !task && !text[..m.start()].ends_with('!') && !m.as_str().starts_with("[^")
        })
        .map(|m| m.range())
}

/// Whether a metadata value is a placeholder rather than a real value.
pub fn is_placeholder_value(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    in_line(v).is_some()
        || v.contains("XXX")
        || v.contains("NNN")
        || lower.starts_with("your-")
        || lower.starts_with("your ")
        || lower == "your name"
        || lower.contains("yyyy")
        || (!v.is_empty() && v.trim_matches(|c| c == '0' || c == '-').is_empty() && v.len() == 36)
        || lower == "00000000-0000-4000-8000-000000000000"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders_and_leaves_links_and_boxes() {
        let found = |s: &str| in_line(s).map(|r| s[r].to_string());
        assert_eq!(found("Owner: [Names]"), Some("[Names]".into()));
        assert_eq!(found("# RFC <NUM> - <TITLE>"), Some("<NUM>".into()));
        assert_eq!(found("- YYYY-MM-DD: draft"), Some("YYYY-MM-DD".into()));
        assert_eq!(found("see [the docs](https://x) and [ref][1]"), None);
        assert_eq!(found("- [x] done [ ] open"), None);
        assert_eq!(found("[ref]: https://x"), None);
        assert_eq!(found("an array [1, 2]"), None);
        assert_eq!(found("<div> html </div>"), None);
    }

    #[test]
    fn placeholder_values() {
        for v in [
            "rfc-XXX",
            "YYYY-MM-DD",
            "Your Name",
            "your-project-id",
            "[Date]",
            "00000000-0000-4000-8000-000000000000",
            "<draft || in-progress>",
        ] {
            assert!(is_placeholder_value(v), "{v}");
        }
        for v in [
            "rfc-042",
            "2026-01-02",
            "Draft",
            "Maren Okafor",
            "3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35",
        ] {
            assert!(!is_placeholder_value(v), "{v}");
        }
    }
}
