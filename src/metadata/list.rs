//! Plain `- Key: value` list items as metadata ([`crate::text::fields::list_field`]): the
//! first block of the document, or the first block under its title.

use super::{Field, Metadata, Style, Value};
use crate::syntax::document::Snapshot;
use crate::text::fields::list_field;

/// The list of `Key: value` items that opens the document (before any heading) or the
/// text under its first H1. Blank lines and HTML comments may come before it; it ends at
/// the first line that is neither one of its items nor an indented continuation.
pub(super) fn at_top(snapshot: &Snapshot) -> Option<Metadata> {
    top_regions(snapshot)
        .into_iter()
        .flatten()
        .find_map(|region| read(snapshot, region))
}

/// Where metadata lines may open a document: before its first heading, or (when that is
/// the H1 title) under the title up to the next heading.
pub(super) fn top_regions(snapshot: &Snapshot) -> [Option<std::ops::Range<usize>>; 2] {
    let outline = &snapshot.outline;
    let start = outline.frontmatter.as_ref().map_or(0, |f| f.range.end);
    match outline.headings.first() {
        Some(h) if h.level == 1 && h.range.start >= start => {
            let end = outline
                .headings
                .get(1)
                .map_or(outline.len, |n| n.range.start);
            [Some(start..h.range.start), Some(h.range.end..end)]
        }
        Some(h) => [Some(start..h.range.start.max(start)), None],
        None => [Some(start..outline.len), None],
    }
}

fn read(snapshot: &Snapshot, region: std::ops::Range<usize>) -> Option<Metadata> {
    let rope = &snapshot.rope;
    let outline = &snapshot.outline;
    if region.start >= region.end {
        return None;
    }
    let mut fields = Vec::new();
    let mut range: Option<std::ops::Range<usize>> = None;
    let first_line = rope.byte_to_line(region.start.min(rope.len_bytes()));
    for line_no in first_line..rope.len_lines() {
        let line_range = crate::text::line_range(rope, line_no);
        if line_range.start >= region.end {
            break;
        }
        if line_range.start < region.start {
            continue;
        }
        let line = snapshot.slice(line_range.clone());
        let lead = line.len() - line.trim_start().len();
        let html = outline.in_code_or_html(line_range.start + lead);
        if range.is_none()
            && (line.trim().is_empty() || html && !line.trim_start().starts_with(['-', '*', '+']))
        {
            continue; // before the block
        }
        if html {
            break;
        }
        if let Some((key, value)) = list_field(&line) {
            let base = line_range.start;
            let raw = &line[value.clone()];
            fields.push(Field {
                key: line[key.clone()].to_string(),
                key_range: base + key.start..base + key.end,
                value: if raw.is_empty() {
                    Value::Empty
                } else {
                    Value::Scalar(raw.to_string())
                },
                value_range: base + value.start..base + value.end,
            });
            let r = range.get_or_insert(line_range.clone());
            r.end = line_range.end;
            continue;
        }
        let continuation = range.is_some() && lead >= 2 && !line.trim().is_empty();
        if continuation {
            if let Some(r) = range.as_mut() {
                r.end = line_range.end;
            }
            continue;
        }
        break;
    }
    Some(Metadata {
        style: Style::ListLines,
        range: range?,
        fields,
        problems: Vec::new(),
    })
}
