//! The tree-sitter queries in `queries/`, compiled once and shared.

use std::sync::OnceLock;

use tree_sitter::Query;

/// Source of the outline query (`queries/markdown/outline.scm`).
pub const OUTLINE_SRC: &str = include_str!("../../queries/markdown/outline.scm");

/// Every query file with its name, so one test can compile them all.
pub const ALL: &[(&str, &str)] = &[("markdown/outline.scm", OUTLINE_SRC)];

/// The capture names the outline code understands.
pub const OUTLINE_CAPTURES: &[&str] = &[
    "frontmatter",
    "heading.atx",
    "heading.setext",
    "code.fenced",
    "code.indented",
    "html",
    "container",
];

/// The compiled outline query.
pub fn outline() -> &'static Query {
    static QUERY: OnceLock<Query> = OnceLock::new();
    QUERY.get_or_init(|| {
        Query::new(&super::language(), OUTLINE_SRC)
            .expect("queries/markdown/outline.scm compiles (tested)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_compiles_and_uses_only_known_captures() {
        for (name, src) in ALL {
            let query = Query::new(&super::super::language(), src)
                .unwrap_or_else(|e| panic!("{name} does not compile: {e}"));
            for capture in query.capture_names() {
                assert!(
                    OUTLINE_CAPTURES.contains(capture),
                    "{name}: unknown capture @{capture}"
                );
            }
        }
        assert_eq!(outline().capture_names().len(), OUTLINE_CAPTURES.len());
    }
}
