//! Property test: the chunks an open reads by line scan instead of parsing (src/syntax/
//! plain.rs) hold exactly the blocks tree-sitter reads off their text, and the boundary
//! facts with them. The documents are made of lines at the edge of what the scan reads:
//! lists, nested and lazy lines, tables, fences of every length, headings with closing
//! sequences, indented and setext lines, HTML, quotes, tabs, non-ASCII spaces.
//!
//! The seed of a failing document is printed; `RFC_LSP_SEED=<n>` replays one and
//! `RFC_LSP_SEQUENCES=<n>` runs more.

mod common;

use common::Rng;
use rfc_lsp::syntax::Document;
use rfc_lsp::syntax::chunks::Limits;

/// Lines a chunk's body is drawn from, each once or more.
const LINES: &[&str] = &[
    "",
    "",
    "   ",
    "Plain text about the cache — é, 日本, ≤ 100 ms.",
    "text with `code` and **bold** and a [link](other.md#x)",
    "**Goal**: keep the hit ratio up",
    "- an item",
    "- **Owner**: team-7",
    "* a starred item",
    "+ a plus item",
    "1. first",
    "2) second",
    "10. tenth",
    "1234567890. too long a number",
    "2026. a year, not a list",
    "1.5 million",
    "  - nested item",
    "    - deeper item",
    "      - deepest item",
    "  continuation of an item",
    "    indented four",
    "        indented eight",
    "   three spaces",
    "-not an item",
    "-",
    "- ",
    "-     five spaces after the marker",
    "- # heading in an item",
    "- > quote in an item",
    "- ```",
    "- - -",
    "- [ ] a task",
    "- [x] done",
    "| Metric | Target |",
    "|--------|--------|",
    "| p99    | 100 ms |",
    "a | b",
    "--- | ---",
    "```sh",
    "```",
    "````",
    "~~~",
    "~~~ info",
    "```rust ignore",
    "``` `not` a fence",
    "  ```",
    "   ~~~",
    "``",
    "~~strike~~",
    "# comment in code, or a heading",
    "#hashtag",
    "## Heading two",
    "### Heading three ###",
    "#### C#",
    "##### Five  ",
    "###### Six",
    "####### seven",
    "##",
    "## ",
    " ## indented heading",
    "#\tTab",
    "===",
    "=",
    "--",
    "**",
    "---",
    "***",
    "___",
    "- - -",
    "=not setext",
    "> a quote",
    "<div>",
    "<!-- comment -->",
    "<!--",
    "<!-- a comment that goes on",
    "-->",
    "still in the comment? -->",
    " <!-- indented comment -->",
    "<!--> empty",
    "</span>",
    "[ref]: https://example.com",
    "[ref]:",
    "[text] in brackets",
    "\ttab indented",
    "text\twith a tab",
    "\u{a0}non-breaking space first",
    "\u{3000}ideographic space",
    "\u{feff}bom",
    "trailing hard break  ",
    "back\\slash",
    "&amp; entity",
    "Ünïcode first",
];

/// Lines the scan reads where they are, or not: text that looks like a block and is not,
/// indented lines, fences, lists, tables.
const BORDER: &[&str] = &[
    "",
    "text",
    "- an item",
    "1. first",
    "2026. a year, not a list",
    "1.5 million",
    "1234567890. too long a number",
    "  - nested item",
    "    - deeper item",
    "  continuation of an item",
    "    indented four",
    "        indented eight",
    "   three spaces",
    "-not an item",
    "=not setext",
    "--",
    "-[",
    "#hashtag",
    "[ref]: https://example.com",
    "[text] in brackets",
    "| Metric | Target |",
    "|--------|--------|",
    "a | b",
    "```sh",
    "```",
    "````",
    "~~~",
    "``",
    "~~strike~~",
    "## Heading two",
    "### Heading three ###",
    "- [ ] a task",
    "Ünïcode first",
    "trailing hard break  ",
];

fn sequences() -> u64 {
    std::env::var("RFC_LSP_SEQUENCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

/// A document of sections: each a heading, then lines drawn mostly from the plain ones.
fn document(rng: &mut Rng) -> String {
    let mut text = String::new();
    if rng.below(3) == 0 {
        text.push_str("---\nid: rfc-001\n---\n\n");
    }
    for s in 0..1 + rng.below(12) {
        let level = 1 + rng.below(3);
        text.push_str(&format!("{} Section {s}\n", "#".repeat(level)));
        let mode = rng.below(4);
        for _ in 0..rng.below(14) {
            let line = match mode {
                // The lines an RFC is mostly made of.
                0 | 1 if rng.below(25) != 0 => {
                    LINES[[0, 3, 4, 5, 6, 7, 10, 14, 16, 33, 34, 35, 38, 39, 52][rng.below(15)]]
                }
                // Lines the scan reads in some places and not in others.
                2 => BORDER[rng.below(BORDER.len())],
                _ => LINES[rng.below(LINES.len())],
            };
            text.push_str(line);
            text.push('\n');
        }
        if rng.below(3) == 0 {
            text.push('\n');
        }
    }
    if rng.below(4) == 0 {
        text.pop(); // no final line break
    }
    text
}

fn check(seed: u64, text: &str, limits: Limits) -> usize {
    let doc = Document::with_limits(text, 0, limits);
    match doc.tree().check_plain_chunks(doc.rope()) {
        Ok(plain) => plain,
        Err(e) => panic!("seed {seed} ({limits:?}): {e}\nthe document: {text:?}"),
    }
}

#[test]
fn chunks_read_by_line_scan_hold_what_their_parse_holds() {
    let one = std::env::var("RFC_LSP_SEED")
        .ok()
        .and_then(|s| s.parse().ok());
    let seeds: Vec<u64> = match one {
        Some(seed) => vec![seed],
        None => (0..sequences()).collect(),
    };
    let (mut plain, mut chunks) = (0, 0);
    for seed in seeds {
        let mut rng = Rng::new(seed);
        let text = document(&mut rng);
        // Chunks of a heading or two each, and of several sections.
        for target in [16, 200] {
            let limits = Limits {
                target,
                max: 4 * target,
            };
            plain += check(seed, &text, limits);
            chunks += Document::with_limits(&text, 0, limits)
                .tree()
                .chunks()
                .len();
        }
    }
    eprintln!("{plain} of {chunks} chunks were read by line scan");
    // The test means something only if the scan reads a good share of the chunks.
    if one.is_none() {
        assert!(
            plain * 5 >= chunks,
            "only {plain} of {chunks} chunks were read by line scan"
        );
    }
}

#[test]
fn the_example_rfcs_are_read_mostly_by_line_scan_and_exactly() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut total = (0, 0);
    for entry in std::fs::read_dir(dir).expect("examples/ exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("examples are UTF-8");
        for target in [64, 1024] {
            let limits = Limits {
                target,
                max: 4 * target,
            };
            let doc = Document::with_limits(&text, 0, limits);
            let plain = doc
                .tree()
                .check_plain_chunks(doc.rope())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            total.0 += plain;
            total.1 += doc.tree().chunks().len();
        }
    }
    let (plain, chunks) = total;
    eprintln!("{plain} of {chunks} chunks of the examples were read by line scan");
    assert!(
        plain * 2 >= chunks,
        "only {plain} of {chunks} chunks of the examples were read by line scan"
    );
}

#[test]
fn what_the_scan_does_not_read_is_parsed() {
    // Each of these sections holds a line the scan leaves to tree-sitter; a chunk of it
    // must not be a plain one (the check counts plain chunks).
    for line in [
        "> quote",
        "<div>",
        "    code",
        "Setext\n---",
        "\ttab",
        "- ```\n  code\n  ```",
        "```\nunclosed",
    ] {
        let text = format!("# Title\n\ntext\n\n## Section\n\n{line}\n");
        let limits = Limits { target: 8, max: 32 };
        let doc = Document::with_limits(&text, 0, limits);
        let plain = doc.tree().check_plain_chunks(doc.rope()).expect("exact");
        assert_eq!(doc.tree().chunks().len(), 2, "{line:?}");
        assert_eq!(plain, 1, "only the title's chunk is plain with {line:?}");
    }
}
