//! The outline (document symbols and folding ranges): snapshots of the five example RFCs,
//! one per built-in template, and fixtures for every rule of what is a section.
//!
//! Snapshots live in `tests/snapshots/`; `UPDATE_SNAPSHOTS=1 cargo test` rewrites them.

mod common;

use common::position_of;
use rfc_lsp::analysis::folding::folding_ranges;
use rfc_lsp::analysis::symbols::{Symbol, SymbolKind, document_symbols};
use rfc_lsp::syntax::Document;
use rfc_lsp::text::Encoding;

/// One line per symbol: nesting, kind, name, detail, range and selection range as
/// `line:character` (0-based, UTF-16, as a client sees them).
fn render(text: &str) -> String {
    fn walk(text: &str, s: &Symbol, depth: usize, out: &mut String) {
        let p = |o| {
            let p = position_of(text, o, Encoding::Utf16);
            format!("{}:{}", p.line, p.character)
        };
        let kind = kind_name(s.kind);
        let detail = s
            .detail
            .as_deref()
            .map(|d| format!(" = {d:?}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{:indent$}{kind} {:?}{detail} {}-{} sel {}-{}\n",
            "",
            s.name,
            p(s.range.start),
            p(s.range.end),
            p(s.selection.start),
            p(s.selection.end),
            indent = depth * 2
        ));
        for c in &s.children {
            walk(text, c, depth + 1, out);
        }
    }
    let snapshot = Document::new(text, 0).snapshot();
    let mut out = String::new();
    for s in document_symbols(&snapshot) {
        walk(text, &s, 0, &mut out);
    }
    out
}

/// Just the tree of names: `kind "name"`, indented by depth.
fn names(text: &str) -> Vec<String> {
    fn walk(s: &Symbol, depth: usize, out: &mut Vec<String>) {
        out.push(format!(
            "{:indent$}{} {:?}",
            "",
            kind_name(s.kind),
            s.name,
            indent = depth * 2
        ));
        for c in &s.children {
            walk(c, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for s in document_symbols(&Document::new(text, 0).snapshot()) {
        walk(&s, 0, &mut out);
    }
    out
}

fn kind_name(kind: SymbolKind) -> &'static str {
    match kind {
        SymbolKind::Title => "title",
        SymbolKind::Section => "section",
        SymbolKind::Metadata => "metadata",
        SymbolKind::Field => "field",
    }
}

fn check_snapshot(name: &str, actual: &str) {
    let path = format!("{}/tests/snapshots/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(std::path::Path::new(&path).parent().expect("a parent"))
            .expect("writable");
        std::fs::write(&path, actual).expect("snapshot written");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {path}: run with UPDATE_SNAPSHOTS=1"));
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .filter(|(a, b)| a != b)
            .take(5)
            .map(|(a, b)| format!("- {a}\n+ {b}"))
            .collect();
        panic!(
            "{name} differs from its snapshot (UPDATE_SNAPSHOTS=1 to accept):\n{}",
            diff.join("\n")
        );
    }
}

#[test]
fn outline_snapshots_of_the_five_example_rfcs() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        // The RFCs, not the README that lists them.
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("rfc-"))
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "one example per built-in template");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("UTF-8 example");
        let stem = path
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .to_string();
        check_snapshot(&format!("outline/{stem}.txt"), &render(&text));
    }
}

#[test]
fn yaml_frontmatter_is_one_metadata_symbol_with_a_field_per_key() {
    let text = "---\nid: \"rfc-007\"\n# a YAML comment, not a heading\ntags: [a, b]\n---\n\n# RFC-007: Title\n\n## Summary\n\nText.\n";
    assert_eq!(
        render(text),
        "metadata \"Metadata\" = \"YAML frontmatter\" 0:0-4:3 sel 0:0-0:0\n  \
field \"id\" = \"rfc-007\" 1:0-1:13 sel 1:0-1:2\n  \
field \"tags\" = \"a, b\" 3:0-3:12 sel 3:0-3:4\n\
title \"RFC-007: Title\" 6:0-10:5 sel 6:0-6:16\n  \
section \"Summary\" 8:0-10:5 sel 8:0-8:10\n"
    );
}

#[test]
fn bold_lines_under_the_title_are_the_titles_first_child() {
    let text =
        "# RFC: Feature\n\n**Status**: Draft  \n**Author(s):** Zoë  \n\n## Summary\n\nText.\n";
    assert_eq!(
        names(text),
        [
            "title \"RFC: Feature\"",
            "  metadata \"Metadata\"",
            "    field \"Status\"",
            "    field \"Author(s)\"",
            "  section \"Summary\""
        ]
    );
    assert!(
        render(text).contains("field \"Author(s)\" = \"Zoë\" 3:2-3:18 sel 3:2-3:11"),
        "{}",
        render(text)
    );
}

#[test]
fn a_status_section_of_list_items_is_metadata_inside_that_section() {
    let text =
        "# RFC: X\n\n## Status\n- **Status**: Proposed\n- **Author**: Team\n\n## Summary\nText.\n";
    assert_eq!(
        names(text),
        [
            "title \"RFC: X\"",
            "  section \"Status\"",
            "    metadata \"Metadata\"",
            "      field \"Status\"",
            "      field \"Author\"",
            "  section \"Summary\""
        ]
    );
}

#[test]
fn headings_in_code_html_quotes_lists_and_frontmatter_are_not_sections() {
    let text = "---\n# in frontmatter\n---\n# Title\n\n```sh\n# in a fence\n```\n\n    # indented code\n\n<!--\n## in a comment\n-->\n\n> ## in a quote\n\n- ## in a list item\n\n<div>\n## in html\n</div>\n\n## Real\n";
    assert_eq!(
        names(text),
        [
            "metadata \"Metadata\"",
            "title \"Title\"",
            "  section \"Real\""
        ]
    );
}

#[test]
fn setext_headings_are_sections_and_nest_by_level() {
    let text =
        "Title\n=====\n\nIntro.\n\nPart One\n--------\n\n### Detail\n\nPart Two\n---\nEnd.\n";
    assert_eq!(
        names(text),
        [
            "title \"Title\"",
            "  section \"Part One\"",
            "    section \"Detail\"",
            "  section \"Part Two\""
        ]
    );
}

#[test]
fn skipped_levels_nest_under_the_nearest_higher_heading_and_later_h1s_are_sections() {
    let text = "# One\n#### Deep\n## Two ##\n# Appendix\n## A\n";
    assert_eq!(
        names(text),
        [
            "title \"One\"",
            "  section \"Deep\"",
            "  section \"Two\"",
            "section \"Appendix\"",
            "  section \"A\""
        ]
    );
}

#[test]
fn ranges_hold_with_crlf_a_bom_and_wide_characters() {
    let text = "\u{feff}---\r\nauthor: 日本\r\n---\r\n# 😀 Title\r\n\r\n## é\r\nbody\r\n\r\n";
    let out = render(text);
    assert!(
        out.contains("field \"author\" = \"日本\" 1:0-1:10 sel 1:0-1:6"),
        "{out}"
    );
    assert!(
        out.contains("title \"😀 Title\" 3:0-6:4 sel 3:0-3:10"),
        "{out}"
    );
    assert!(out.contains("section \"é\" 5:0-6:4 sel 5:0-5:4"), "{out}");
}

#[test]
fn an_empty_heading_still_has_a_name_and_a_blank_line_before_frontmatter_is_not_frontmatter() {
    let text = "#\n\n---\nid: x\n---\n";
    // The `---` after text is a thematic break, and `id: x` over `---` a setext heading.
    assert_eq!(
        names(text),
        ["title \"(empty heading)\"", "  section \"id: x\""]
    );
}

#[test]
fn folding_ranges_for_sections_frontmatter_code_and_comments() {
    let text =
        "---\na: b\n---\n# T\n\n<!--\nguidance\n-->\n\n## A\n\n```\ncode\n```\n\n## B\none line\n";
    let snapshot = Document::new(text, 0).snapshot();
    let folds: Vec<String> = folding_ranges(&snapshot)
        .iter()
        .map(|f| format!("{}-{} {:?}", f.start_line, f.end_line, f.kind))
        .collect();
    assert_eq!(
        folds,
        [
            "0-2 Region",
            "3-16 Region",
            "5-7 Comment",
            "9-13 Region",
            "11-13 Region",
            "15-16 Region"
        ]
    );
}

/// The workspace index reads headings with a line scan (files that are not open are never
/// parsed); its headings are the outline's on every example, built-in skeleton and fixture,
/// and on texts with setext headings, HTML blocks, containers and code.
#[test]
fn the_index_scan_finds_the_outlines_headings() {
    let mut texts: Vec<(String, String)> = Vec::new();
    for dir in ["examples", "src/template/builtin", "tests/fixtures"] {
        let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir)];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).expect("a folder of the repository") {
                let path = entry.expect("readable").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(&path).expect("UTF-8");
                    texts.push((path.display().to_string(), text));
                }
            }
        }
    }
    assert!(texts.len() >= 10, "found {}", texts.len());
    for text in [
        "Title\n=====\n\nIntro.\n\nPart One\n--------\n\n### Detail\n\nPart Two\n---\nEnd.\n",
        "# Title\n\n```sh\n# in a fence\n```\n\n    # indented code\n\n<!--\n## in a comment\n-->\n\n> ## in a quote\n\n- ## in a list item\n\n<div>\n## in html\n</div>\n\n## Real\n",
        "<!-- a note -->\n# After a comment\n\n<details>\n<summary>More</summary>\n\n## Inside details, after a blank line\n\n</details>\n",
        "Two line\nheading\n===\n\n- item\n---\n\n> quote\n===\n\ntext\n\n---\n\nlast\n---\n",
        "<span>inline</span> starts a paragraph\n# A heading\n",
        // CommonMark's HTML block kind 7: a lone tag of any name, to the next blank line.
        "<custom-note>\n## not a heading\n\n</custom-note>\n\n## Heading\n",
        "<a href=\"x.md\" title='t'>\n## not a heading\n\n<img src=x />\n# not one\n",
        "</span>\n# not a heading\n\n<span> text\n# A heading\n",
        "A paragraph\n<custom-note>\n## A heading: kind 7 does not interrupt a paragraph\n",
        "<custom-note>\nUnderlined\n===\n\n<bad tag\n# A heading\n",
    ] {
        texts.push(("inline".to_string(), text.to_string()));
    }
    // Lines that are, or are not, one lone tag (an HTML block of kind 7 if they are).
    for tag in [
        "<a href=\"x\" title='t' data-x=1 disabled>",
        "<a/>",
        "<a />",
        "<a  >  ",
        "<my-tag\tkey = \"v\">",
        "</a >",
        "<a href=\"x>",
        "<a b=>",
        "<1a>",
        "</a b>",
        "<a>x",
        "<a b='c'd>",
        "<a_b>",
        "<x:y>",
        "<a :b=c>",
    ] {
        texts.push((
            tag.to_string(),
            format!("{tag}\n## h\n\nIntro\n{tag}\n## i\n"),
        ));
    }
    for (name, text) in &texts {
        let doc = Document::new(text, 0);
        let snapshot = doc.snapshot();
        let outline: Vec<u32> = snapshot
            .outline
            .headings
            .iter()
            .map(|h| h.start_at.line)
            .collect();
        let scanned: Vec<u32> = rfc_lsp::workspace::index::scan_text(None, text)
            .anchors
            .iter()
            .map(|(_, line)| *line)
            .collect();
        assert_eq!(scanned, outline, "{name}:\n{text}");
    }
}

/// The server keeps a document's index facts across an edit inside one line when
/// `edit_keeps_facts` says the edit cannot change them. On random documents and random
/// in-line edits, whenever it says so, the facts read afresh are the same (but for the
/// byte offsets after the edit, which the index does not use).
#[test]
fn facts_kept_across_an_in_line_edit_are_the_facts_of_the_new_text() {
    use common::{FRAGMENTS, Rng};
    use rfc_lsp::workspace::index::{Facts, edit_keeps_facts, scan_text};
    let words = [
        "Some prose ",
        "see RFC-042 ",
        "[x](rfc-007-a.md#design) ",
        "**Status:** Draft\n",
        "## Summary\n",
        "The first sentence. Then more.\n",
        "Notes\n",
        "=",
        "-",
        "<details>\n",
        "<custom-note>\n",
        "</span>\n",
        "<a id=\"x\"></a>",
        "    ",
        "\n",
        "- ",
    ];
    let comparable = |f: &Facts| {
        let v = |x: &Option<rfc_lsp::workspace::index::Valued>| x.as_ref().map(|x| x.value.clone());
        format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            f.number,
            v(&f.id),
            v(&f.uuid),
            v(&f.title),
            v(&f.status),
            v(&f.successor),
            f.tags,
            f.summary,
            f.anchors,
            f.is_rfc,
            f.references
                .iter()
                .map(|r| (format!("{:?}", r.target), r.span.line, r.span.start))
                .collect::<Vec<_>>()
        )
    };
    let mut rng = Rng::new(6);
    let (mut kept, mut tried) = (0, 0);
    for _ in 0..10_000 {
        let mut text = String::new();
        for _ in 0..rng.below(30) + 2 {
            if rng.below(2) == 0 {
                text.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
            } else {
                text.push_str(words[rng.below(words.len())]);
            }
        }
        let facts = scan_text(None, &text);
        let starts = rfc_lsp::text::line_starts(&text);
        for _ in 0..4 {
            let line = rng.below(starts.len());
            let start = starts[line];
            let end = starts.get(line + 1).copied().unwrap_or(text.len());
            let line_text = &text[start..end];
            let body = line_text.trim_end_matches(['\n', '\r']);
            // A place inside the line (not in its line break), and what is typed there.
            let cuts: Vec<usize> = (0..=body.len())
                .filter(|&i| body.is_char_boundary(i))
                .collect();
            let a = cuts[rng.below(cuts.len())];
            let b = cuts[rng.below(cuts.len())];
            let (a, b) = (a.min(b), a.max(b));
            let typed: String = [
                FRAGMENTS[rng.below(FRAGMENTS.len())],
                words[rng.below(words.len())],
            ][rng.below(2)]
            .chars()
            .filter(|c| *c != '\n' && *c != '\r')
            .collect();
            let typed = if rng.below(3) == 0 {
                String::new()
            } else {
                typed
            };
            let after_line = format!("{}{typed}{}", &line_text[..a], &line_text[b..]);
            tried += 1;
            if !edit_keeps_facts(&facts, line as u32, line_text, &after_line) {
                continue;
            }
            let edited = format!("{}{}{}", &text[..start], after_line, &text[end..]);
            if rfc_lsp::text::line_starts(&edited).len() != starts.len() {
                continue; // a lone CR and a line feed joined: the server reads the facts again
            }
            kept += 1;
            assert_eq!(
                comparable(&scan_text(None, &edited)),
                comparable(&facts),
                "line {line} {line_text:?} -> {after_line:?} in\n{text:?}"
            );
        }
    }
    // About one edit in six keeps the facts with these pieces (indented code and HTML
    // anchors make many lines matter); the guard catches a fast path turned off.
    assert!(
        kept > tried / 8,
        "only {kept} of {tried} edits kept the facts"
    );
}

/// An open document's index facts are read chunk by chunk (`scan_snapshot`, each chunk's
/// reading kept until the chunk is reparsed); a file that is not open is read whole
/// (`scan_text`). On documents made of the lines RFCs are made of, cut into tiny chunks
/// and edited line by line, the two agree after every edit: every fact, with its lines
/// and offsets. (On garbage they may not: where tree-sitter and the line scan disagree
/// about a block, an open document is read as tree-sitter reads it.)
#[test]
fn facts_read_chunk_by_chunk_are_the_facts_of_the_whole_text() {
    use common::Rng;
    use rfc_lsp::syntax::chunks::Limits;
    use rfc_lsp::text::{Change, offset_to_line_col};
    use rfc_lsp::workspace::index::{Facts, scan_snapshot, scan_text};
    let lines = [
        "Some prose that goes on.\n",
        "See RFC-042 and rfc-7 for the history.\n",
        "Read [the design](rfc-007-a.md#design) first.\n",
        "**Status:** Draft\n",
        "**RFC Number:** 12\n",
        "**Superseded By:** RFC-050\n",
        "## Summary\n",
        "## Motivation\n",
        "### Details {#details}\n",
        "# RFC-003: Title\n",
        "The first sentence. Then more.\n",
        "<a id=\"anchor\"></a>\n",
        "<!-- a note -->\n",
        "<!--\n",
        "-->\n",
        "```sh\n",
        "```\n",
        "~~~\n",
        "    indented code\n",
        "- a list item\n",
        "  continued in the item\n",
        "1. a numbered item\n",
        "> a quote\n",
        "<details>\n",
        "</details>\n",
        "Notes\n",
        "===\n",
        "---\n",
        "| a | b |\n",
        "\n",
        "\n",
        "\n",
    ];
    let frontmatter =
        "---\nid: rfc-009\nstatus: Draft\ntags: [a, b]\nsuperseded_by: rfc-010\n---\n";
    // Prose lines are a set of lines; how the ranges are cut does not matter.
    let comparable = |f: &Facts| {
        let mut f = f.clone();
        let mut lines: Vec<u32> = f.prose_lines.iter().flat_map(|r| r.clone()).collect();
        lines.sort();
        lines.dedup();
        f.prose_lines = lines.into_iter().map(|l| l..l + 1).collect();
        f
    };
    let tiny = Limits {
        target: 24,
        max: 96,
    };
    let path = std::path::Path::new("/w/rfcs/rfc-042-x.md");
    let mut rng = Rng::new(11);
    let mut chunked = 0;
    for _ in 0..500 {
        let mut text = String::new();
        if rng.below(2) == 0 {
            text.push_str(frontmatter);
        }
        for _ in 0..rng.below(60) + 2 {
            text.push_str(lines[rng.below(lines.len())]);
        }
        let mut doc = rfc_lsp::syntax::Document::with_limits(&text, 0, tiny);
        for version in 1..=12 {
            let snapshot = doc.snapshot();
            chunked += usize::from(snapshot.outline.chunks.len() > 1);
            assert_eq!(
                comparable(&scan_snapshot(Some(path), &snapshot)),
                comparable(&scan_text(Some(path), &text)),
                "{text}"
            );
            // A line inserted, deleted or replaced.
            let starts = rfc_lsp::text::line_starts(&text);
            let k = rng.below(starts.len());
            let start = starts[k];
            let end = match rng.below(3) {
                0 => start,
                _ => starts.get(k + 1).copied().unwrap_or(text.len()),
            };
            let insert = match rng.below(3) {
                1 => String::new(),
                _ => lines[rng.below(lines.len())].to_string(),
            };
            let p = |o| offset_to_line_col(doc.rope(), o, Encoding::Utf16);
            let change = Change {
                range: Some((p(start), p(end))),
                text: insert.clone(),
            };
            doc.apply_changes([change], version, Encoding::Utf16);
            text.replace_range(start..end, &insert);
        }
    }
    assert!(chunked > 1000, "only {chunked} snapshots had chunks");
}
