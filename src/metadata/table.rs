//! Metadata kept as a key/value Markdown table at the top of the document
//! ([`crate::text::fields::table_field`]), as TensorFlow-style templates do:
//!
//! ```markdown
//! # Title
//!
//! | Status        | Accepted                     |
//! :-------------- |:---------------------------- |
//! | **Author(s)** | A. Writer (a@example.org)    |
//! ```
//!
//! The header row is a field when it reads as one (`| Status | Accepted |`); a generic
//! header (`| Field | Value |`, or empty cells) is not.

use super::list::{region_lines, top_regions};
use super::{Field, Metadata, Style, Value};
use crate::syntax::document::Snapshot;
use crate::text::fields::{generic_header, is_table_delimiter, table_cells, table_field};

pub(super) fn at_top(snapshot: &Snapshot) -> Option<Metadata> {
    top_regions(snapshot)
        .into_iter()
        .flatten()
        .find_map(|region| read(snapshot, region))
}

fn read(snapshot: &Snapshot, region: std::ops::Range<usize>) -> Option<Metadata> {
    if region.start >= region.end {
        return None;
    }
    // The table's lines: the first non-blank line of the region, the delimiter row under
    // it, and the rows that follow.
    let mut lines: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (line_range, line, _, html) in region_lines(snapshot, region) {
        if lines.is_empty() && (line.trim().is_empty() || html && !line.trim().starts_with('|')) {
            continue; // before the table
        }
        let in_table = match lines.len() {
            0 => table_cells(&line).is_some(),
            1 => is_table_delimiter(&line),
            // `:   : (more) :`, a cell continued on the next line (a common extension).
            _ => {
                table_cells(&line).is_some() || {
                    let t = line.trim();
                    t.len() > 1 && t.starts_with(':') && t.ends_with(':')
                }
            }
        };
        if html || !in_table {
            break;
        }
        lines.push((line_range, line.into_owned()));
    }
    if lines.len() < 2 {
        return None;
    }
    let range = lines[0].0.start..lines[lines.len() - 1].0.end;
    let mut fields = Vec::new();
    for (i, (line_range, line)) in lines.iter().enumerate() {
        if i == 1 {
            continue; // the delimiter row
        }
        let Some((key, value)) = table_field(line) else {
            continue;
        };
        if i == 0 && generic_header(&line[key.clone()]) {
            continue;
        }
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
    }
    if fields.is_empty() {
        return None;
    }
    Some(Metadata {
        style: Style::Table,
        range,
        fields,
        problems: Vec::new(),
    })
}
