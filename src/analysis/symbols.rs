//! The document outline (textDocument/documentSymbol): the title, the metadata with one
//! child per field, and every section nested by heading level.

use std::ops::Range;
use std::sync::Arc;

use super::Snapshot;
use crate::metadata::{self, Metadata};

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

/// The outline of the document as a tree of symbols.
pub fn document_symbols(snapshot: &Snapshot) -> Vec<Symbol> {
    let outline = &snapshot.outline;
    let sections = outline.sections();
    let title = outline.headings.iter().position(|h| h.level == 1);
    let mut children: Vec<Vec<Symbol>> = vec![Vec::new(); sections.len()];
    let mut top: Vec<Symbol> = Vec::new();
    for metadata in metadata::read(snapshot) {
        // The innermost section holding the block adopts it.
        match sections
            .iter()
            .rposition(|s| s.range.contains(&metadata.range.start))
        {
            Some(i) => children[i].push(metadata_symbol(&metadata)),
            None => top.push(metadata_symbol(&metadata)),
        }
    }
    // Children come after their parents, so building backwards completes each section
    // before it is attached.
    for (i, section) in sections.iter().enumerate().rev() {
        let heading = &outline.headings[section.heading];
        let symbol = Symbol {
            name: if heading.name.is_empty() {
                "(empty heading)".into()
            } else {
                heading.name.clone()
            },
            detail: None,
            kind: if Some(section.heading) == title {
                SymbolKind::Title
            } else {
                SymbolKind::Section
            },
            range: section.range.start..outline.trimmed_end(section).max(heading.range.end),
            selection: heading.range.clone(),
            children: std::mem::take(&mut children[i]),
        };
        match section.parent {
            Some(p) => children[p].push(symbol),
            None => top.push(symbol),
        }
    }
    sort_children(&mut top);
    top
}

fn sort_children(symbols: &mut [Symbol]) {
    symbols.sort_by_key(|s| s.range.start);
    for s in symbols {
        sort_children(&mut s.children);
    }
}

fn metadata_symbol(metadata: &Metadata) -> Symbol {
    Symbol {
        name: "Metadata".into(),
        detail: Some(metadata.style.describe().to_string()),
        kind: SymbolKind::Metadata,
        range: metadata.range.clone(),
        selection: metadata.range.start..metadata.range.start,
        children: metadata
            .fields
            .iter()
            .map(|f| Symbol {
                // LSP clients reject a symbol without a name (VS Code drops the outline).
                name: if f.key.is_empty() {
                    "(empty key)".into()
                } else {
                    f.key.as_str().into()
                },
                detail: Some(f.value.display()),
                kind: SymbolKind::Field,
                range: f.key_range.start..f.value_range.end.max(f.key_range.end),
                selection: f.key_range.clone(),
                children: Vec::new(),
            })
            .collect(),
    }
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
