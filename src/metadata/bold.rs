//! Bold-key metadata lines: `**Key**: value` and `**Key:** value`, directly under the
//! title (templates 001 and 004) or as list items of a `## Status` section (template 002).

use std::ops::Range;

use super::{Field, Metadata, Style, Value};
use crate::syntax::document::Snapshot;

/// Splits one line into its key and value ranges (relative to the line), if it is a
/// bold-key metadata line. A leading list marker is allowed; trailing spaces (a Markdown
/// hard break) and a trailing backslash are not part of the value.
pub fn parse_bold_line(line: &str) -> Option<(Range<usize>, Range<usize>)> {
    let bytes = line.as_bytes();
    let mut i = bytes.iter().take_while(|&&b| b == b' ').count();
    if i > 3 {
        return None;
    }
    if matches!(bytes.get(i), Some(b'-' | b'*' | b'+'))
        && matches!(bytes.get(i + 1), Some(b' ' | b'\t'))
    {
        i += 2;
        while matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
    }
    let rest = line.get(i..)?.strip_prefix("**")?;
    let close = rest.find("**")?;
    let inner = &rest[..close];
    let after = &rest[close + 2..];
    let key_start = i + 2;
    let (key_len, value_start) = if let Some(key) = inner.strip_suffix(':') {
        (key.trim_end().len(), key_start + close + 2) // **Key:** value
    } else if after.starts_with(':') {
        (inner.trim_end().len(), key_start + close + 3) // **Key**: value
    } else {
        return None;
    };
    if key_len == 0 || inner.trim().is_empty() {
        return None;
    }
    let key = key_start..key_start + key_len;
    Some((key, crate::text::fields::value_range(line, value_start)))
}

/// Bold lines between the title (the first H1) and the next heading.
pub(super) fn under_title(snapshot: &Snapshot) -> Option<Metadata> {
    let outline = &snapshot.outline;
    let title = outline.headings.iter().position(|h| h.level == 1)?;
    let start = outline.headings[title].range.end;
    let end = outline
        .headings
        .get(title + 1)
        .map_or(outline.len, |h| h.range.start);
    scan(snapshot, start..end, Style::BoldLines, false)
}

/// List items of a `## Status` section, up to its first subsection.
pub(super) fn status_section(snapshot: &Snapshot) -> Option<Metadata> {
    let outline = &snapshot.outline;
    let index = outline.headings.iter().position(|h| {
        h.level >= 2
            && snapshot
                .heading_text(h)
                .trim()
                .eq_ignore_ascii_case("status")
    })?;
    let start = outline.headings[index].range.end;
    let end = outline
        .headings
        .get(index + 1)
        .map_or(outline.len, |h| h.range.start);
    scan(snapshot, start..end, Style::StatusSection, true)
}

fn scan(
    snapshot: &Snapshot,
    region: Range<usize>,
    style: Style,
    list_items: bool,
) -> Option<Metadata> {
    let rope = &snapshot.rope;
    let outline = &snapshot.outline;
    let in_block = |offset: usize| outline.in_code_or_html(offset);
    let mut fields = Vec::new();
    let mut range: Option<Range<usize>> = None;
    let first_line = rope.byte_to_line(region.start.min(rope.len_bytes()));
    for line_no in first_line..rope.len_lines() {
        let line_range = crate::text::line_range(rope, line_no);
        if line_range.start >= region.end {
            break;
        }
        if line_range.start < region.start || in_block(line_range.start) {
            continue;
        }
        let line = snapshot.slice(line_range.clone());
        let is_item =
            line.trim_start().starts_with(['-', '*', '+']) && !line.trim_start().starts_with("**");
        if is_item != list_items {
            continue;
        }
        let Some((key, value)) = parse_bold_line(&line) else {
            continue;
        };
        let base = line_range.start;
        fields.push(Field {
            key: line[key.clone()].to_string(),
            key_range: base + key.start..base + key.end,
            value: if value.is_empty() {
                Value::Empty
            } else {
                Value::Scalar(line[value.clone()].to_string())
            },
            value_range: base + value.start..base + value.end,
        });
        let r = range.get_or_insert(line_range.clone());
        r.end = line_range.end;
    }
    Some(Metadata {
        style,
        range: range?,
        fields,
        problems: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Option<(&str, &str)> {
        parse_bold_line(line).map(|(k, v)| (&line[k], &line[v]))
    }

    #[test]
    fn reads_both_colon_placements_and_list_items() {
        assert_eq!(split("**Status**: Draft  "), Some(("Status", "Draft")));
        assert_eq!(split("**Status:** Draft  "), Some(("Status", "Draft")));
        assert_eq!(
            split("**Target Application(s):** api, shared"),
            Some(("Target Application(s)", "api, shared"))
        );
        assert_eq!(split("- **Author**: Zoë"), Some(("Author", "Zoë")));
        assert_eq!(
            split("**Last Updated**: 2026-01-02\\"),
            Some(("Last Updated", "2026-01-02"))
        );
        assert_eq!(split("**RFC Number:**"), Some(("RFC Number", "")));
    }

    #[test]
    fn ignores_lines_that_are_not_metadata() {
        assert_eq!(split("**Bold** text"), None);
        assert_eq!(split("plain: text"), None);
        assert_eq!(split("****: x"), None);
        assert_eq!(split("    **Indented**: code"), None);
    }
}
