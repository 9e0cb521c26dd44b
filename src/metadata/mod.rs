//! The metadata layer: the three ways RFC templates store metadata, parsed into one model
//! with the exact byte ranges of every key and value.
//!
//! - YAML frontmatter (`---` block at the top),
//! - bold lines under the title: `**Status**: Draft` or `**Status:** Draft`,
//! - a `## Status` section of list items: `- **Status**: Accepted`,
//! - plain list items at the top: `- Start Date: 2024-05-01` (Rust, Swift),
//! - a key/value table at the top: `| Status | Accepted |` (TensorFlow).

mod bold;
mod list;
pub mod number;
pub mod recognize;
mod table;
mod yaml;

use std::ops::Range;

use crate::syntax::document::Snapshot;

pub use bold::parse_bold_line;
pub use number::RfcNumber;

pub use crate::template::Style;

/// One block of metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    pub style: Style,
    /// The whole block (the frontmatter with its delimiters, or the run of lines).
    pub range: Range<usize>,
    pub fields: Vec<Field>,
    /// Syntax problems (YAML errors); the fields before the problem are still here.
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: String,
    pub key_range: Range<usize>,
    pub value: Value,
    /// The value as written (quotes included); empty at the end of the key when absent.
    pub value_range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value written (`key:` alone).
    Empty,
    Scalar(String),
    List(Vec<Item>),
    /// A nested mapping or anything else not read further.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub value: String,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub range: Range<usize>,
    pub message: String,
}

impl Value {
    /// The value as one line of text, for outlines and messages.
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Scalar(s) => s.clone(),
            Value::List(items) => items
                .iter()
                .map(|i| i.value.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            Value::Other => "…".to_string(),
        }
    }
}

/// A value as its words, for comparing with a list of allowed values: without emphasis
/// around it (`**Accepted**`), a note in parentheses after it (`Implemented (Swift
/// 5.9)`, `Active Review (March 1...14)`), or the link it is written as
/// (`[Implemented](https://example.com/commit/1)`).
pub fn plain_value(value: &str) -> String {
    let v = value.trim().trim_matches(['*', '_']).trim();
    let v = match v.strip_prefix('[').and_then(|l| l.split_once("](")) {
        Some((text, rest)) if rest.ends_with(')') && !text.contains([']', '[']) => text,
        _ => v,
    };
    let v = match v.find(" (") {
        Some(i) if i > 0 && v.ends_with(')') => v[..i].trim_end(),
        _ => v,
    };
    v.trim_matches(['*', '_']).trim().to_string()
}

impl Metadata {
    pub fn field(&self, key: &str) -> Option<&Field> {
        let loose = self.style != Style::Frontmatter;
        (self.fields.iter()).find(|f| crate::text::fields::same_key(&f.key, key, loose))
    }
}

/// A whole YAML file as one metadata block (a document's sidecar `kep.yaml`).
pub fn read_yaml_file(snapshot: &Snapshot) -> Metadata {
    read_yaml_text(&snapshot.slice(0..snapshot.rope.len_bytes()))
}

/// [`read_yaml_file`] of a text.
pub fn read_yaml_text(text: &str) -> Metadata {
    let (fields, problems) = yaml::parse_mapping(text, 0);
    Metadata {
        style: Style::Frontmatter,
        range: 0..text.len(),
        fields,
        problems,
    }
}

/// Every metadata block the document has, in document order: usually one.
pub fn read(snapshot: &Snapshot) -> Vec<Metadata> {
    let mut found = Vec::new();
    if let Some(frontmatter) = &snapshot.outline.frontmatter {
        found.push(yaml::parse(snapshot, frontmatter));
    }
    found.extend(bold::under_title(snapshot));
    found.extend(bold::status_section(snapshot));
    found.extend(list::at_top(snapshot));
    found.extend(table::at_top(snapshot));
    found
}
