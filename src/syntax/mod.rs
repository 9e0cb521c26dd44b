//! The syntax layer: tree-sitter-md's block grammar over the rope, reparsed incrementally
//! one chunk at a time, and the typed outline (headings, code and HTML blocks, frontmatter)
//! read off the trees with the queries in `queries/markdown/`.

pub mod alloc;
pub mod chunks;
pub mod document;
pub mod inline;
pub mod outline;
mod plain;
pub mod queries;
pub mod yaml;

use std::cell::RefCell;
use std::ops::Range;

use ropey::Rope;
use tree_sitter::{Language, Node, Parser, Tree};

pub use chunks::ChunkedTree;
pub use document::Document;
pub use outline::{Heading, Outline, Section};

/// The Markdown block grammar. Inline content is one opaque `inline` node per block: the
/// features read heading text and metadata lines straight from the rope instead.
pub fn language() -> Language {
    tree_sitter_md::LANGUAGE.into()
}

thread_local! {
    /// One parser per thread: a `Parser` is cheap to keep and not `Sync`.
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut parser = Parser::new();
        parser
            .set_language(&language())
            .expect("tree-sitter-md is built against this tree-sitter version");
        parser
    });
}

/// Parses `range` of the rope as a document of its own, reusing `old` (already edited to
/// match) where it can. Reads the rope in place: nothing is copied.
pub fn parse_rope(rope: &Rope, range: Range<usize>, old: Option<&Tree>) -> Tree {
    let slice = rope.byte_slice(range.clone());
    let len = range.len();
    PARSER.with_borrow_mut(|parser| {
        let mut read = |byte: usize, _: tree_sitter::Point| -> &[u8] {
            if byte >= len {
                return &[];
            }
            let (chunk, chunk_start, _, _) = slice.chunk_at_byte(byte);
            &chunk.as_bytes()[byte - chunk_start..]
        };
        parser
            .parse_with_options(&mut read, old, None)
            .expect("parsing without a timeout or cancellation flag always yields a tree")
    })
}

/// Parses a string as a whole document (tests, benchmarks and the CLI's fresh parses).
pub fn parse_str(text: &str) -> Tree {
    parse_bytes(text.as_bytes())
}

/// Parses text held in one piece (offsets in the tree count from its start).
pub fn parse_bytes(text: &[u8]) -> Tree {
    PARSER.with_borrow_mut(|parser| {
        parser
            .parse(text, None)
            .expect("parsing without a timeout or cancellation flag always yields a tree")
    })
}

/// Node kinds that only group other blocks: a chunked parse and a whole parse may group
/// the same blocks differently, so comparisons and the outline look through them.
pub fn is_grouping(kind: &str) -> bool {
    matches!(kind, "document" | "section")
}

/// The block structure of `tree` as one line per node, `kind start..end`, with byte
/// offsets shifted by `offset`, looking through [`is_grouping`] nodes. Two parses of the
/// same text agree exactly when these lines agree.
pub fn block_lines(tree: &Tree, offset: usize, out: &mut Vec<String>) {
    fn walk(node: Node, depth: usize, offset: usize, out: &mut Vec<String>) {
        let mut depth = depth;
        if !is_grouping(node.kind()) {
            out.push(format!(
                "{:indent$}{} {}..{}{}",
                "",
                node.kind(),
                node.start_byte() + offset,
                node.end_byte() + offset,
                if node.is_error() || node.is_missing() {
                    " !"
                } else {
                    ""
                },
                indent = depth * 2
            ));
            depth += 1;
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            walk(child, depth, offset, out);
        }
    }
    walk(tree.root_node(), 0, offset, out);
}
