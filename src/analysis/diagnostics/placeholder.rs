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
    marks(text).map(|m| m.range)
}

/// A placeholder mark found in prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub range: Range<usize>,
    /// A bare `[label]`: no placeholder if the document defines `[label]: url` (a shortcut
    /// reference link).
    pub shortcut: bool,
}

/// Every placeholder mark in a text, outside code spans and link syntax.
pub fn marks(text: &str) -> impl Iterator<Item = Mark> + '_ {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"\[[^\[\]\n]*[A-Za-z][^\[\]\n]*\]|<[A-Z][A-Z0-9_ |]*[A-Z]>|<[^<>\n]*\|\|[^<>\n]*>|\bYYYY-MM-DD\b|\bYour Name\b|\bTBD\b|\bLorem ipsum\b")
            .expect("the placeholder pattern compiles")
    });
    let spans = crate::syntax::inline::code_spans(text);
    // The start of the line of the last match, and where that match ended: each line is
    // searched for its start once, however many marks it holds.
    let (mut line_start, mut searched) = (0, 0);
    // Whether the line at `line_start` is a link reference definition, once per line.
    let is_definition = |start: usize| {
        let lead = text[start..].trim_start_matches(' ');
        lead.starts_with('[') && {
            let end = lead.find('\n').unwrap_or(lead.len());
            definitions(&lead[..end]).next().is_some()
        }
    };
    let mut definition_line = is_definition(0);
    re.find_iter(text).filter_map(move |m| {
        if let Some(n) = text[searched..m.start()].rfind('\n') {
            line_start = searched + n + 1;
            definition_line = is_definition(line_start);
        }
        searched = m.start();
        if spans.iter().any(|s| s.start < m.end() && m.start() < s.end) {
            return None;
        }
        let before = &text[..m.start()];
        let after = &text[m.end()..];
        let found = m.as_str();
        // A link reference definition (`[TBD]: https://img.shields.io/badge/TBD-red`) is
        // no text.
        if definition_line {
            return None;
        }
        if found == "YYYY-MM-DD" {
            // A date still to write (`- YYYY-MM-DD: draft`), not a format named in prose
            // ("the date as YYYY-MM-DD").
            let lead = before[line_start..]
                .trim_start()
                .trim_start_matches(['-', '*', '+', '|'])
                .trim_start();
            let first = lead.is_empty() || lead.ends_with("**") && lead.len() <= 40;
            return (first || after.starts_with(':')).then(|| Mark {
                range: m.range(),
                shortcut: false,
            });
        }
        if found == "TBD" && !stands_alone(&before[line_start..], after) {
            // "the exact format is TBD": the writer's own word that a choice is open.
            return None;
        }
        if !found.starts_with('[') {
            return Some(Mark {
                range: m.range(),
                shortcut: false,
            });
        }
        if !is_blank(
            found,
            before,
            after,
            &before[line_start..],
            &text[line_start..],
        ) {
            return None;
        }
        Some(Mark {
            range: m.range(),
            shortcut: true,
        })
    })
}

/// Whether a mark is all its line (or table cell) says (`- TBD`, `| TBD |`, `Owner:
/// **TBD**.`), or opens it as a label (`TBD: after the beta`), rather than a word in a
/// sentence.
fn stands_alone(lead: &str, after: &str) -> bool {
    let marks = ['-', '*', '+', '|', '>', '_', '#', ' ', '\t', '('];
    let lead_empty = lead.trim_start_matches(marks).is_empty()
        || lead.trim_end_matches(['*', '_', ' ']).ends_with([':', '|']) && lead.trim().len() <= 40;
    let rest = after.split('\n').next().unwrap_or("");
    let rest_empty = rest
        .trim_start_matches(['*', '_', ')', '.', '!', '?', ' ', '|', '\t'])
        .is_empty();
    let label = [":", " -", " –", " ("].iter().any(|p| rest.starts_with(p));
    lead_empty && (rest_empty || label)
}

/// Whether a bracketed `found` (with the text `before` and `after` it, the part of its
/// line before it, `lead`, and its line from the start, `line`) is a blank to fill.
fn is_blank(found: &str, before: &str, after: &str, lead: &str, line: &str) -> bool {
    // `[text](url)`, `[text][ref]` (both parts) and `[ref]: url` are links; `[x]` is a
    // task box; `![alt]` an image, `[^1]` a footnote, `> [!NOTE]` an alert. None is a
    // placeholder.
    // Inside a link's text too: `[[Pitch #2] Structured Concurrency](url)`.
    let link = after.starts_with(['(', '[', ':']) || before.ends_with([']', '[']);
    let task = found.len() == 3;
    // An editor's mark (`[sic]`, `[redacted]`, `[WIP]`) or an insertion in a quotation
    // is the writer's own.
    let inner = &found[1..found.len() - 1];
    // An issue reference (`[rfcs#3838]`, `[#12]`) is a link whose definition is missing,
    // not a blank to fill.
    let editorial = !inner.contains(' ')
        && (inner.chars().all(|c| c.is_lowercase()) || inner == "WIP" || inner.contains('#'));
    // A tag opening a title or an item, `[RFC] Faster builds`, `[P0] Support int8`: a
    // word in brackets with the writer's text after it.
    let tag = !inner.contains(' ')
        && lead
            .trim_start_matches(['-', '*', '+', '#', '>', ' ', '\t'])
            .is_empty()
        && after.starts_with(' ')
        && after
            .trim_start()
            .starts_with(|c: char| c.is_alphanumeric() || c == '`');
    // A blank to fill is named in Title Case or capitals (`[Approach Name]`, `[GDPR]`)
    // or asks in a sentence (`[Describe the change here]`); `[Rust edition]`,
    // `[workspace.dependencies]` or `[https://x]` is a link whose definition is
    // missing, or a name in brackets.
    let words: Vec<&str> = inner.split_whitespace().collect();
    let titled = words
        .iter()
        .all(|w| !w.starts_with(|c: char| c.is_lowercase()));
    // `[api, orchestrator, shared]`, `[draft | final]`: choices to pick from.
    let asks = words.len() >= 3 && inner.starts_with(|c: char| c.is_uppercase())
        || inner.contains([',', '|']);
    let dotted = inner
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'.' && w[1].is_ascii_alphanumeric());
    // `[KEP-5710]`, `[RFC-42]`: a reference whose definition is missing; `[0s, 10s]`,
    // `[0, 1)`: an interval.
    let reference = !inner.contains(' ') && inner.chars().any(|c| c.is_ascii_digit());
    let interval = inner.split(',').all(|p| {
        p.trim()
            .trim_start_matches('-')
            .starts_with(|c: char| c.is_ascii_digit())
    });
    let named = !(titled || asks) || dotted || reference || interval || inner.contains(['/', '_']);
    let quoted = lead.trim_start().starts_with('>')
        && line.lines().next().is_some_and(|l| l.contains(['"', '“']));
    // `> [Info]`, `> [Warning]`: a callout's label opening a quote.
    let callout = lead.contains('>')
        && lead.trim_start_matches([' ', '>']).is_empty()
        && !inner.contains(' ');
    !(link
        || tag
        || callout
        || task
        || editorial
        || named
        || quoted
        || before.ends_with('!')
        || found.starts_with("[^")
        || found.starts_with("[!"))
}

/// The labels of the link reference definitions in a text (`[label]: url`), normalised
/// as CommonMark matches them (case and spacing folded).
pub fn definitions(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().filter_map(|line| {
        let t = line
            .strip_prefix("   ")
            .or_else(|| line.strip_prefix("  "))
            .or_else(|| line.strip_prefix(' '))
            .unwrap_or(line);
        let rest = t.strip_prefix('[')?;
        let close = rest.find("]:")?;
        let label = &rest[..close];
        (!label.is_empty() && !label.contains(['[', ']'])).then(|| label_key(label))
    })
}

/// A link label as CommonMark compares it.
pub fn label_key(label: &str) -> String {
    label
        .trim_matches(['[', ']'])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
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
        assert_eq!(found("ids match `[a-z0-9-]+` and `x = ['in_app']`"), None);
        assert_eq!(
            found("the [limits protocol][envoy-rls] and [GDPR]"),
            Some("[GDPR]".into())
        );
        assert_eq!(found("> [!NOTE]"), None);
        assert_eq!(
            found("they wrote \"teh\" [sic] and [redacted]; - [WIP] x"),
            None
        );
        assert_eq!(found("> \"[The service] is down\", said ops"), None);
        assert_eq!(found("the export date as YYYY-MM-DD, e.g."), None);
        assert_eq!(
            found("- YYYY-MM-DD: first draft"),
            Some("YYYY-MM-DD".into())
        );
        assert_eq!(found("`unclosed [Name]"), Some("[Name]".into()));
        assert_eq!(
            found("the [Rust edition] and [workspace.dependencies]"),
            None
        );
        assert_eq!(
            found("see [https://example.com/x] or [cross-platform-behavior]"),
            None
        );
        assert_eq!(
            found("[Describe the change here]"),
            Some("[Describe the change here]".into())
        );
        assert_eq!(found("[TBD]: https://img.shields.io/badge/TBD-red"), None);
        assert_eq!(found("- TBD"), Some("TBD".into()));
        assert_eq!(found("Owner: **TBD**."), Some("TBD".into()));
        assert_eq!(found("| Sponsor | TBD |"), Some("TBD".into()));
        assert_eq!(found("TBD: after the beta"), Some("TBD".into()));
        assert_eq!(found("a format still TBD, likely JSON"), None);
        assert_eq!(found("# [RFC] Faster builds"), None);
        assert_eq!(found("*   [P0] Support int8 on CPU"), None);
        assert_eq!(found("# [Feature Name]"), Some("[Feature Name]".into()));
        assert_eq!(found("in the range [0s, 10s], as seconds"), None);
        assert_eq!(found("is the domain of [KEP-5710]"), None);
        assert_eq!(found("> [Info]"), None);
        assert_eq!(
            found("| [[Pitch #2] Structured Concurrency](https://x) |"),
            None
        );
        assert_eq!(
            found("**Apps:** [api, shared]"),
            Some("[api, shared]".into())
        );
        assert_eq!(
            found("[One paragraph summary.]"),
            Some("[One paragraph summary.]".into())
        );
        assert_eq!(found("> see [Name]"), Some("[Name]".into()));
        let defs: Vec<String> = definitions("[GDPR Art 20]: https://x\n  [b]: /y\n").collect();
        assert_eq!(defs, ["gdpr art 20", "b"]);
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
