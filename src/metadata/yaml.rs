//! YAML frontmatter: the top-level mapping as metadata fields, every key and value with its
//! span, duplicate keys kept.

use super::{Field, Item, Metadata, Problem, Style, Value};
use crate::syntax::document::Snapshot;
use crate::syntax::outline::Frontmatter;
use crate::syntax::yaml::{self, Node};

pub(super) fn parse(snapshot: &Snapshot, frontmatter: &Frontmatter) -> Metadata {
    let body = snapshot.slice(frontmatter.body.clone());
    let (fields, problems) = parse_mapping(&body, frontmatter.body.start);
    Metadata {
        style: Style::Frontmatter,
        range: frontmatter.range.clone(),
        fields,
        problems,
    }
}

/// Reads a YAML text whose top level should be a mapping; offsets are shifted by `base`.
pub fn parse_mapping(body: &str, base: usize) -> (Vec<Field>, Vec<Problem>) {
    let (root, error) = yaml::parse(body, base);
    let mut problems: Vec<Problem> = error
        .into_iter()
        .map(|e| Problem {
            range: e.offset..e.offset,
            message: e.message,
        })
        .collect();
    let mut fields = Vec::new();
    match &root {
        Some(Node::Map { entries, .. }) => {
            for (key, value) in entries {
                let key_range = key.range();
                let value_range = if value.is_null() && value.range().is_empty() {
                    let at = after_colon(body, base, key_range.end);
                    at..at
                } else {
                    value.range()
                };
                fields.push(Field {
                    key: key.as_str().unwrap_or_default().to_string(),
                    key_range,
                    value: value_of(value),
                    value_range,
                });
            }
        }
        Some(other) if problems.is_empty() => problems.push(Problem {
            range: other.range(),
            message: format!(
                "frontmatter should be a mapping of keys to values, not {}",
                other.kind()
            ),
        }),
        _ => {}
    }
    (fields, problems)
}

/// Where an absent value goes: just past the `:` that follows the key (spaces allowed
/// before it), else at the key's end (a complex `? key` may have no colon at all).
fn after_colon(body: &str, base: usize, key_end: usize) -> usize {
    let rest = body.get(key_end.saturating_sub(base)..).unwrap_or_default();
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[spaces..].starts_with(':') {
        key_end + spaces + 1
    } else {
        key_end
    }
}

fn value_of(node: &Node) -> Value {
    match node {
        n if n.is_null() => Value::Empty,
        Node::Scalar { value, .. } => Value::Scalar(value.clone()),
        Node::Seq { items, .. } if items.iter().all(|i| matches!(i, Node::Scalar { .. })) => {
            Value::List(
                items
                    .iter()
                    .map(|i| Item {
                        value: i.as_str().unwrap_or_default().to_string(),
                        range: i.range(),
                    })
                    .collect(),
            )
        }
        _ => Value::Other,
    }
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

    #[test]
    fn an_absent_value_goes_after_the_colon_never_inside_a_character() {
        // Found by the fuzzer (fuzz/seeds/yaml/crash-empty-complex-key): the byte after a
        // complex key's block scalar was the middle of a character.
        let body = "? |\n\u{fffd}\n";
        let (fields, _) = parse_mapping(body, 4);
        for f in &fields {
            assert!(body.is_char_boundary(f.value_range.start - 4), "{f:?}");
            assert!(f.value_range.is_empty());
        }
        let body = "a:\nb :\n\"c\"  :\n";
        let (fields, problems) = parse_mapping(body, 0);
        assert!(problems.is_empty(), "{problems:?}");
        let at: Vec<usize> = fields.iter().map(|f| f.value_range.start).collect();
        assert_eq!(at, [2, 6, 13]);
    }

    #[test]
    fn a_scalar_document_is_a_problem() {
        let (fields, problems) = parse_mapping("just text\n", 0);
        assert!(fields.is_empty());
        assert_eq!(problems.len(), 1);
    }
}
