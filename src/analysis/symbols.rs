//! The document outline (textDocument/documentSymbol): the title, the metadata with one
//! child per field, and every section nested by heading level.

use std::ops::Range;
use std::sync::Arc;

use super::Snapshot;
use crate::metadata::{self, Metadata};
use crate::syntax::outline::{At, Outline, Section};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// The document's first H1.
    Title,
    Section,
    Metadata,
    Field,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// Shared with the outline's heading: a long outline's names are not copied.
    pub name: Arc<str>,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole extent: a section up to its last non-blank line.
    pub range: Range<usize>,
    /// What to highlight: the heading, the key.
    pub selection: Range<usize>,
    pub children: Vec<Symbol>,
}

/// An offset of a symbol, with its line and columns when the outline located it when the
/// chunk was parsed (headings and section ends; the metadata's are not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub offset: usize,
    pub at: Option<At>,
}

impl Mark {
    fn located(offset: usize, at: At) -> Mark {
        Mark {
            offset,
            at: Some(at),
        }
    }

    fn bare(offset: usize) -> Mark {
        Mark { offset, at: None }
    }
}

/// A symbol's name: a heading's (shared with the outline) or any other text.
#[derive(Debug, Clone, Copy)]
pub enum Name<'a> {
    Heading(&'a Arc<str>),
    Text(&'a str),
}

impl Name<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            Name::Heading(name) => name,
            Name::Text(text) => text,
        }
    }

    fn to_arc(self) -> Arc<str> {
        match self {
            Name::Heading(name) => name.clone(),
            Name::Text(text) => text.into(),
        }
    }
}

/// One step of a walk over the outline's symbols in document order.
#[derive(Debug)]
pub enum Step<'a> {
    /// A symbol starts; its children follow, then its [`Step::Close`].
    Open(Head<'a>),
    Close,
}

/// What a symbol is, without its children.
#[derive(Debug)]
pub struct Head<'a> {
    pub name: Name<'a>,
    pub detail: Option<&'a str>,
    pub kind: SymbolKind,
    pub range: (Mark, Mark),
    pub selection: (Mark, Mark),
}

/// The outline of the document as a tree of symbols.
pub fn document_symbols(snapshot: &Snapshot) -> Vec<Symbol> {
    // Each open symbol, innermost last, under a root that collects the top level.
    let mut open: Vec<Symbol> = vec![Symbol {
        name: "".into(),
        detail: None,
        kind: SymbolKind::Section,
        range: 0..0,
        selection: 0..0,
        children: Vec::new(),
    }];
    walk(snapshot, |step| match step {
        Step::Open(head) => open.push(Symbol {
            name: head.name.to_arc(),
            detail: head.detail.map(str::to_string),
            kind: head.kind,
            range: head.range.0.offset..head.range.1.offset,
            selection: head.selection.0.offset..head.selection.1.offset,
            children: Vec::new(),
        }),
        Step::Close => {
            let done = open.pop().expect("a Close follows its Open");
            open.last_mut()
                .expect("the root is never closed")
                .children
                .push(done);
        }
    });
    open.pop().map(|root| root.children).unwrap_or_default()
}

/// Walks the outline's symbols in document order (a parent before its children, siblings
/// by where they start) straight from the outline's headings, without building the tree:
/// the title, the sections nested by heading level, and each metadata block inside the
/// innermost section that holds it, with one child per field. A long document's answer is
/// written from this walk as it goes.
pub fn walk(snapshot: &Snapshot, mut f: impl FnMut(Step<'_>)) {
    let outline = &snapshot.outline;
    let headings = &outline.headings;
    let mut metadata = metadata::read(snapshot);
    metadata.sort_by_key(|m| m.range.start);
    let mut metadata = metadata.iter().peekable();
    let title = headings.iter().position(|h| h.level == 1);
    let mut open: Vec<usize> = Vec::new(); // the sections open, innermost last
    for (i, section) in outline.sections().iter().enumerate() {
        let h = &headings[section.heading];
        // Metadata before the heading belongs to the sections open there.
        while let Some(m) = metadata.next_if(|m| m.range.start < h.range.start) {
            walk_metadata(m, &mut f);
        }
        while open.pop_if(|top| Some(*top) != section.parent).is_some() {
            f(Step::Close);
        }
        let name = if h.name.is_empty() {
            Name::Text("(empty heading)")
        } else {
            Name::Heading(&h.name)
        };
        f(Step::Open(Head {
            name,
            detail: None,
            kind: if Some(section.heading) == title {
                SymbolKind::Title
            } else {
                SymbolKind::Section
            },
            range: (
                Mark::located(h.range.start, h.start_at),
                section_end(outline, section),
            ),
            selection: (
                Mark::located(h.range.start, h.start_at),
                Mark::located(h.range.end, h.end_at),
            ),
        }));
        open.push(i);
    }
    for m in metadata {
        walk_metadata(m, &mut f);
    }
    for _ in open {
        f(Step::Close);
    }
}

/// Where a section's symbol ends: the section trimmed, never before its heading's end.
fn section_end(outline: &Outline, section: &Section) -> Mark {
    let h = &outline.headings[section.heading];
    match outline.trimmed_end_at(section) {
        (trimmed, _) if trimmed < h.range.end => Mark::located(h.range.end, h.end_at),
        (trimmed, at) => Mark {
            offset: trimmed,
            at,
        },
    }
}

fn walk_metadata(metadata: &Metadata, f: &mut impl FnMut(Step<'_>)) {
    let bare = |r: &Range<usize>| (Mark::bare(r.start), Mark::bare(r.end));
    f(Step::Open(Head {
        name: Name::Text("Metadata"),
        detail: Some(metadata.style.describe()),
        kind: SymbolKind::Metadata,
        range: bare(&metadata.range),
        selection: bare(&(metadata.range.start..metadata.range.start)),
    }));
    for field in &metadata.fields {
        let detail = field.value.display();
        f(Step::Open(Head {
            // LSP clients reject a symbol without a name (VS Code drops the outline).
            name: Name::Text(if field.key.is_empty() {
                "(empty key)"
            } else {
                &field.key
            }),
            detail: Some(&detail),
            kind: SymbolKind::Field,
            range: bare(&(field.key_range.start..field.value_range.end.max(field.key_range.end))),
            selection: bare(&field.key_range),
        }));
        f(Step::Close);
    }
    f(Step::Close);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Document;

    #[test]
    fn a_field_without_a_key_still_has_a_name() {
        // Found by the fuzzer (fuzz/seeds/analysis/crash-empty-key-symbol.md): `:` alone
        // in a frontmatter is a field whose key is empty.
        let snapshot = Document::new("---\n:\n---\n", 0).snapshot();
        let symbols = document_symbols(&snapshot);
        let fields = &symbols[0].children;
        assert_eq!(fields.len(), 1, "{symbols:?}");
        assert_eq!(&*fields[0].name, "(empty key)");
    }
}
