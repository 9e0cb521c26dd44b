//! YAML frontmatter: the top-level mapping, read from saphyr-parser's event stream so that
//! every key and value keeps its span and duplicate keys are all seen.

use saphyr_parser::{Event, Parser, Span};

use super::{Field, Item, Metadata, Problem, Style, Value};
use crate::syntax::document::Snapshot;
use crate::syntax::outline::Frontmatter;

pub(super) fn parse(snapshot: &Snapshot, frontmatter: &Frontmatter) -> Metadata {
    let base = frontmatter.body.start;
    let body = snapshot.slice(frontmatter.body.clone());
    let (fields, problems) = parse_mapping(&body, base);
    Metadata {
        style: Style::Frontmatter,
        range: frontmatter.range.clone(),
        fields,
        problems,
    }
}

/// Parses a YAML text whose top level should be a mapping; offsets are shifted by `base`.
pub fn parse_mapping(body: &str, base: usize) -> (Vec<Field>, Vec<Problem>) {
    // saphyr counts characters; we need bytes.
    let char_to_byte: Vec<usize> = body
        .char_indices()
        .map(|(b, _)| b)
        .chain([body.len()])
        .collect();
    let to_range = |span: Span| {
        let at = |i: usize| base + char_to_byte[i.min(char_to_byte.len() - 1)];
        at(span.start.index())..at(span.end.index())
    };
    let mut fields = Vec::new();
    let mut problems = Vec::new();
    let mut depth = 0usize;
    // Top-level mapping state: the key waiting for its value, and a collection being read.
    let mut key: Option<(String, Span)> = None;
    let mut collection: Option<(Span, Vec<Item>, bool)> = None; // start, items, is a plain list
    let mut top_is_mapping = false;
    for event in Parser::new_from_str(body) {
        let (event, span) = match event {
            Ok(e) => e,
            Err(error) => {
                let at = to_range(Span::empty(*error.marker()));
                problems.push(Problem {
                    range: at.start..at.start,
                    message: error.info().to_string(),
                });
                break;
            }
        };
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                depth += 1;
                if depth == 1 {
                    top_is_mapping = matches!(event, Event::MappingStart(..));
                } else if depth == 2 && key.is_some() {
                    collection =
                        Some((span, Vec::new(), matches!(event, Event::SequenceStart(..))));
                } else if let Some((_, _, plain)) = &mut collection {
                    *plain = false;
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if depth == 2
                    && let (Some((k, kspan)), Some((start, items, plain))) =
                        (key.take(), collection.take())
                {
                    let end = if span.end.index() > start.start.index() {
                        span
                    } else {
                        start
                    };
                    fields.push(Field {
                        key: k,
                        key_range: to_range(kspan),
                        value: if plain {
                            Value::List(items)
                        } else {
                            Value::Other
                        },
                        value_range: to_range(Span::new(start.start, end.end)),
                    });
                }
                depth = depth.saturating_sub(1);
            }
            Event::Scalar(..) | Event::Alias(..) if depth == 1 && top_is_mapping => {
                let (text, is_scalar) = match &event {
                    Event::Scalar(text, ..) => (text.to_string(), true),
                    _ => (String::new(), false),
                };
                match key.take() {
                    None => key = Some((text, span)),
                    Some((k, kspan)) => {
                        let value_range = tighten(body, base, to_range(span));
                        let value = if is_scalar && !(text.is_empty() && value_range.is_empty()) {
                            Value::Scalar(text)
                        } else if value_range.is_empty() {
                            Value::Empty
                        } else {
                            Value::Other
                        };
                        let key_range = to_range(kspan);
                        let value_range = if value_range.is_empty() {
                            key_range.end + 1..key_range.end + 1
                        } else {
                            value_range
                        };
                        fields.push(Field {
                            key: k,
                            key_range,
                            value,
                            value_range,
                        });
                    }
                }
            }
            Event::Scalar(text, ..) if depth == 2 => {
                if let Some((_, items, _)) = &mut collection {
                    items.push(Item {
                        value: text.to_string(),
                        range: tighten(body, base, to_range(span)),
                    });
                }
            }
            _ => {}
        }
    }
    if !problems.is_empty()
        && let Some((k, kspan)) = key.take()
    {
        // The key before an error still shows in the outline.
        let key_range = to_range(kspan);
        fields.push(Field {
            key: k,
            key_range: key_range.clone(),
            value: Value::Other,
            value_range: key_range.end..key_range.end,
        });
    }
    (fields, problems)
}

/// saphyr's scalar spans can run on over trailing spaces and a comment: cut them back to
/// the closing quote, or to the end of the plain text.
fn tighten(body: &str, base: usize, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let Some(text) = body.get(range.start - base..range.end - base) else {
        return range;
    };
    let end = match text.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let mut escaped = false;
            let mut close = None;
            for (i, c) in text.char_indices().skip(1) {
                if q == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == q && !escaped {
                    close = Some(i + 1);
                    break;
                }
                escaped = false;
            }
            close.unwrap_or(text.len())
        }
        _ => {
            let cut = text
                .find(" #")
                .or_else(|| text.find("\t#"))
                .unwrap_or(text.len());
            text[..cut].trim_end().len()
        }
    };
    range.start..range.start + end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(body: &str) -> Vec<(String, String, String, String)> {
        let (fields, problems) = parse_mapping(body, 0);
        assert!(problems.is_empty(), "{problems:?}");
        fields
            .into_iter()
            .map(|f| {
                (
                    f.key,
                    body[f.key_range].to_string(),
                    f.value.display(),
                    body[f.value_range].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn reads_scalars_lists_and_spans() {
        let body = "id: \"rfc-042\"  # comment\ntags: [a, b-c]\nauthor: Zoë Müller\nlist:\n  - x\n  - y\nempty:\n";
        let got = keys(body);
        assert_eq!(
            got[0],
            (
                "id".into(),
                "id".into(),
                "rfc-042".into(),
                "\"rfc-042\"".into()
            )
        );
        assert_eq!(
            got[1],
            (
                "tags".into(),
                "tags".into(),
                "a, b-c".into(),
                "[a, b-c]".into()
            )
        );
        assert_eq!(got[2].2, "Zoë Müller");
        assert_eq!(got[2].3, "Zoë Müller");
        assert_eq!(got[3].2, "x, y");
        assert_eq!(got[4].0, "empty");
        assert_eq!(got[4].2, "");
    }

    #[test]
    fn keeps_duplicate_keys() {
        let got = keys("status: Draft\nstatus: Accepted\n");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].2, "Accepted");
    }

    #[test]
    fn an_error_is_one_problem_at_its_place_and_earlier_fields_survive() {
        let body = "id: rfc-001\ntitle: \"unclosed\nstatus: Draft\n";
        let (fields, problems) = parse_mapping(body, 10);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].range.start >= 10);
        assert_eq!(fields[0].key, "id");
    }
}
