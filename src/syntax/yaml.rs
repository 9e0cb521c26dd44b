//! YAML as a tree of nodes with byte ranges, built from saphyr-parser's event stream.
//!
//! Serde-based YAML crates give error locations only; the frontmatter rules, the template
//! schemas and the config file all need the exact span of every key and value, and must
//! see duplicate keys. Scalars keep their text (tags and anchors are not interpreted).

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// One YAML node. Ranges are byte offsets into the text given to [`parse`], plus `base`.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Scalar {
        value: String,
        quoted: bool,
        range: Range<usize>,
    },
    Seq {
        items: Vec<Node>,
        range: Range<usize>,
    },
    Map {
        entries: Vec<(Node, Node)>,
        range: Range<usize>,
    },
    /// An alias (`*name`): kept, never expanded.
    Alias { range: Range<usize> },
}

/// A YAML syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub offset: usize,
    pub message: String,
}

impl Node {
    pub fn range(&self) -> Range<usize> {
        match self {
            Node::Scalar { range, .. }
            | Node::Seq { range, .. }
            | Node::Map { range, .. }
            | Node::Alias { range } => range.clone(),
        }
    }

    /// The scalar's text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A plain, empty scalar: `key:` with nothing after it.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { value, quoted: false, .. } if value.is_empty() || value == "~" || value == "null")
    }

    pub fn entries(&self) -> &[(Node, Node)] {
        match self {
            Node::Map { entries, .. } => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match self {
            Node::Seq { items, .. } => items,
            _ => &[],
        }
    }

    /// The value of the first entry whose key is `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Node::Scalar { .. } => "a value",
            Node::Seq { .. } => "a list",
            Node::Map { .. } => "a mapping",
            Node::Alias { .. } => "an alias",
        }
    }
}

/// Parses the first document of `text`. On a syntax error, returns what was built before
/// it (open collections closed at the error) and the error.
///
/// Long: one loop over the parser's events; each event moves the same stack.
pub fn parse(text: &str, base: usize) -> (Option<Node>, Option<YamlError>) {
    // saphyr counts characters; we need bytes.
    let char_to_byte: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect();
    let at = |i: usize| base + char_to_byte[i.min(char_to_byte.len() - 1)];
    let range = |span: Span| at(span.start.index())..at(span.end.index());

    enum Open {
        Seq(Vec<Node>, usize),
        Map(Vec<(Node, Node)>, Option<Node>, usize),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut error = None;

    // Attach a finished node to its parent, or make it the root.
    fn attach(stack: &mut [Open], root: &mut Option<Node>, node: Node) {
        match stack.last_mut() {
            Some(Open::Seq(items, _)) => items.push(node),
            Some(Open::Map(entries, key, _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
            None => {
                if root.is_none() {
                    *root = Some(node);
                }
            }
        }
    }

    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(e) => e,
            Err(e) => {
                error = Some(YamlError {
                    offset: at(e.marker().index()),
                    message: e.info().to_string(),
                });
                break;
            }
        };
        match event {
            Event::Scalar(value, style, ..) => {
                let quoted = !matches!(style, ScalarStyle::Plain);
                let r = tighten(text, base, range(span), quoted);
                attach(
                    &mut stack,
                    &mut root,
                    Node::Scalar {
                        value: value.into_owned(),
                        quoted,
                        range: r,
                    },
                );
            }
            Event::Alias(_) => attach(&mut stack, &mut root, Node::Alias { range: range(span) }),
            Event::SequenceStart(..) => stack.push(Open::Seq(Vec::new(), range(span).start)),
            Event::MappingStart(..) => stack.push(Open::Map(Vec::new(), None, range(span).start)),
            Event::SequenceEnd | Event::MappingEnd => {
                let end = range(span).end;
                let node = match stack.pop() {
                    Some(Open::Seq(items, start)) => {
                        let end = end.max(items.last().map_or(start, |n| n.range().end));
                        Node::Seq {
                            items,
                            range: start..end,
                        }
                    }
                    Some(Open::Map(entries, _, start)) => {
                        let end = end.max(entries.last().map_or(start, |(_, v)| v.range().end));
                        Node::Map {
                            entries,
                            range: start..end,
                        }
                    }
                    None => continue,
                };
                attach(&mut stack, &mut root, node);
            }
            Event::DocumentEnd if root.is_some() => break,
            _ => {}
        }
    }
    // Close whatever the error left open, so the fields before it survive.
    while let Some(open) = stack.pop() {
        let node = match open {
            Open::Seq(items, start) => {
                let end = items.last().map_or(start, |n| n.range().end);
                Node::Seq {
                    items,
                    range: start..end,
                }
            }
            Open::Map(mut entries, key, start) => {
                if let Some(k) = key {
                    let r = k.range().end..k.range().end;
                    entries.push((
                        k,
                        Node::Scalar {
                            value: String::new(),
                            quoted: false,
                            range: r,
                        },
                    ));
                }
                let end = entries.last().map_or(start, |(_, v)| v.range().end);
                Node::Map {
                    entries,
                    range: start..end,
                }
            }
        };
        attach(&mut stack, &mut root, node);
    }
    (root, error)
}

/// saphyr's scalar spans can run on over trailing spaces and a comment: cut them back to
/// the closing quote, or to the end of the plain text.
fn tighten(text: &str, base: usize, range: Range<usize>, quoted: bool) -> Range<usize> {
    let Some(s) = text.get(range.start - base..range.end - base) else {
        return range;
    };
    let end = if quoted {
        match s.chars().next() {
            Some('"') => {
                let mut escaped = false;
                s.char_indices()
                    .skip(1)
                    .find(|&(_, c)| {
                        let close = c == '"' && !escaped;
                        escaped = c == '\\' && !escaped;
                        close
                    })
                    .map_or(s.len(), |(i, _)| i + 1)
            }
            Some('\'') => {
                // '' is an escaped quote inside a single-quoted scalar.
                let bytes = s.as_bytes();
                let mut i = 1;
                loop {
                    match bytes.get(i) {
                        None => break s.len(),
                        Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                        Some(b'\'') => break i + 1,
                        Some(_) => i += 1,
                    }
                }
            }
            _ => s.trim_end().len(),
        }
    } else {
        let cut = s.find(" #").or_else(|| s.find("\t#")).unwrap_or(s.len());
        s[..cut].trim_end().len()
    };
    range.start..range.start + end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_with_byte_ranges() {
        let text =
            "id: \"rfc-042\"  # c\ntags: [a, 'b''c']\nauthor: Zoë\nlist:\n  - x\n  - y\nempty:\n";
        let (root, err) = parse(text, 10);
        assert!(err.is_none());
        let root = root.expect("a mapping");
        let id = root.get("id").expect("id");
        assert_eq!(
            &text[id.range().start - 10..id.range().end - 10],
            "\"rfc-042\""
        );
        let tags = root.get("tags").expect("tags");
        let Node::Seq { items, .. } = tags else {
            panic!("a list")
        };
        assert_eq!(items[1].as_str(), Some("b'c"));
        assert_eq!(
            &text[items[1].range().start - 10..items[1].range().end - 10],
            "'b''c'"
        );
        assert_eq!(
            &text[tags.range().start - 10..tags.range().end - 10],
            "[a, 'b''c']"
        );
        assert_eq!(root.get("author").and_then(Node::as_str), Some("Zoë"));
        assert!(root.get("empty").expect("empty").is_null());
    }

    #[test]
    fn keeps_duplicates_and_survives_errors() {
        let (root, err) = parse("a: 1\na: 2\n", 0);
        assert!(err.is_none());
        assert_eq!(root.expect("map").entries().len(), 2);
        let (root, err) = parse("a: 1\nb: \"open\nc: 3\n", 0);
        let err = err.expect("an error");
        assert!(err.offset >= 5, "{err:?}");
        assert_eq!(
            root.expect("partial map").get("a").and_then(Node::as_str),
            Some("1")
        );
    }
}
