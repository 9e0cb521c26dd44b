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

/// The lines that start in `region`: each one's range, text, indentation and whether it
/// starts in code or HTML.
pub(super) fn region_lines(
    snapshot: &Snapshot,
    region: std::ops::Range<usize>,
) -> impl Iterator<
    Item = (
        std::ops::Range<usize>,
        std::borrow::Cow<'_, str>,
        usize,
        bool,
    ),
> {
    let rope = &snapshot.rope;
    let first_line = rope.byte_to_line(region.start.min(rope.len_bytes()));
    (first_line..rope.len_lines())
        .map(|n| crate::text::line_range(rope, n))
        .take_while(move |r| r.start < region.end)
        .filter(move |r| r.start >= region.start)
        .map(|r| {
            let line = snapshot.slice(r.clone());
            let lead = line.len() - line.trim_start().len();
            let html = snapshot.outline.in_code_or_html(r.start + lead);
            (r, line, lead, html)
        })
}

/// Where metadata lines may open a document: before its first heading, or (when that is
/// the H1 title) under the title up to the next heading.
pub(super) fn top_regions(snapshot: &Snapshot) -> [Option<std::ops::Range<usize>>; 2] {
    let outline = &snapshot.outline;
    let start = outline.frontmatter.as_ref().map_or(0, |f| f.range.end);
    match outline.headings.first() {
        // The title: an H1, or whatever heading opens the document (Rust RFCs written as
        // `## Refined trait implementations` over their metadata lines).
        Some(h)
            if h.range.start >= start
                && (h.level == 1 || snapshot.slice(start..h.range.start).trim().is_empty()) =>
        {
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
    if region.start >= region.end {
        return None;
    }
    let mut fields = Vec::new();
    let mut range: Option<std::ops::Range<usize>> = None;
    for (line_range, line, lead, html) in region_lines(snapshot, region) {
        let t = line.trim_start();
        let item = t.len() > 1 && t.starts_with(['-', '*', '+']) && t[1..].starts_with([' ', '\t']);
        // Before the block: blank lines, HTML (a license in a comment), and a title
        // written as a plain line (`Rustdoc: stabilization of ...` over the fields).
        if range.is_none() && (line.trim().is_empty() || !item) {
            continue;
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
        // A footnote's definition between the items (`[^rework]: ...` under a field that
        // cites it): neither a field nor the block's end.
        let t = line.trim_start();
        if range.is_some()
            && lead < 4
            && t.starts_with("[^")
            && t.find("]:")
                .is_some_and(|i| !t[2..i].contains([']', '[', ' ']))
        {
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
