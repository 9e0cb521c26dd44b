//! Property test: no code action loses the writer's text. On random documents (the
//! examples and seeds, randomly edited), every action offered for every diagnostic and for
//! the whole document has edits that lie in the text, on character boundaries, never
//! overlap, and replace only what the action is about: a metadata value or item, the
//! text the fixed diagnostic marks, or a document that holds nothing but whitespace
//! (scaffolding). Everything else is kept: applying the edits leaves each stretch between
//! them in place and in order.
//!
//! `RFC_LSP_SEQUENCES=<n>` runs more documents; a failure prints its seed.

mod common;

use std::ops::Range;
use std::path::Path;

use common::{Rng, random_edit};
use rfc_lsp::analysis::actions::code_actions;
use rfc_lsp::analysis::diagnostics::check;
use rfc_lsp::metadata;
use rfc_lsp::syntax::Document;
use rfc_lsp::workspace::Settings;

const SEEDS: &[&str] = &[
    "",
    "  \n\n",
    "# Title\n\nText.\n",
    "---\nid: rfc-1\nstatus: Inreview\ntags: [Cache Layer, cache, cache]\ncreated: 2026-02-30\nupdated: 2020-01-01\ndoc_uuid: 123\n---\n\n# RFC 1: x\n\n## Motivation\n\nWhy.\n",
    "# RFC: X\r\n\r\n**Status**: Drafty  \r\n**Author**: é\r\n\r\n## Summary\r\n\r\nText\r\n",
    "# RFC-7: Y\n\n## Status\n\n- **Status**: Maybe\n- **Date**: 9 Feb 2026\n\n## Context\n\nx\n",
];

fn documents() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .expect("examples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| std::fs::read_to_string(p).expect("examples are UTF-8"))
        .collect();
    texts.sort();
    texts.extend(SEEDS.iter().map(|s| s.to_string()));
    texts
}

/// How many random documents a test reads: `RFC_LSP_SEQUENCES`, else `default`.
fn sequences(default: u64) -> u64 {
    std::env::var("RFC_LSP_SEQUENCES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Seed `seed`'s document: one of `docs`, randomly edited up to 11 times.
fn random_document(seed: u64, docs: &[String]) -> String {
    let mut rng = Rng::new(seed);
    let mut text = docs[rng.below(docs.len())].clone();
    for _ in 0..rng.below(12) {
        let (start, end, insert) = random_edit(&mut rng, &text);
        text.replace_range(start..end, &insert);
    }
    text
}

fn within(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn check_document(seed: u64, text: &str, settings: &Settings) -> usize {
    let path = Path::new("/w/rfcs/rfc-042-response-cache.md");
    let ctx = settings.context(Some(path), None);
    let snapshot = Document::new(text, 0).snapshot();
    let report = check(&snapshot, &ctx);
    let blocks: Vec<Range<usize>> = metadata::read(&snapshot)
        .iter()
        .map(|m| m.range.clone())
        .collect();
    let blank = text.chars().all(char::is_whitespace);
    let mut ranges: Vec<Range<usize>> =
        report.diagnostics.iter().map(|d| d.range.clone()).collect();
    ranges.push(0..text.len());
    let mut seen = 0;
    for range in ranges {
        for action in code_actions(&snapshot, &ctx, range, "2026-12-01") {
            seen += 1;
            let what = format!("seed {seed}: action {:?} on {text:?}", action.title);
            let mut edits = action.edits.clone();
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            for e in &edits {
                assert!(
                    e.range.start <= e.range.end && e.range.end <= text.len(),
                    "{what}: edit {:?} outside the text",
                    e.range
                );
                assert!(
                    text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end),
                    "{what}: edit {:?} splits a character",
                    e.range
                );
                if e.range.is_empty() {
                    continue; // an insertion keeps everything
                }
                let fixed = action.fixes.as_ref().map(|d| d.range.clone());
                assert!(
                    blank
                        || blocks.iter().any(|b| within(b, &e.range))
                        || fixed.as_ref().is_some_and(|f| within(f, &e.range)),
                    "{what}: replaces {:?} ({:?}), which is neither metadata nor what it fixes",
                    e.range,
                    &text[e.range.clone()]
                );
            }
            for pair in edits.windows(2) {
                assert!(
                    pair[0].range.end <= pair[1].range.start,
                    "{what}: overlapping edits {:?} and {:?}",
                    pair[0].range,
                    pair[1].range
                );
            }
            // Apply them (last first) and find every untouched stretch where it belongs.
            let mut result = text.to_string();
            for e in edits.iter().rev() {
                result.replace_range(e.range.clone(), &e.text);
            }
            let mut kept_from = 0; // in the original
            let mut shift: isize = 0;
            for e in edits
                .iter()
                .chain(std::iter::once(&rfc_lsp::analysis::edit::TextEdit {
                    range: text.len()..text.len(),
                    text: String::new(),
                }))
            {
                let stretch = &text[kept_from..e.range.start];
                let at = (kept_from as isize + shift) as usize;
                assert_eq!(
                    &result[at..at + stretch.len()],
                    stretch,
                    "{what}: the text before {:?} moved or changed",
                    e.range
                );
                shift += e.text.len() as isize - (e.range.end - e.range.start) as isize;
                kept_from = e.range.end;
            }
        }
    }
    seen
}

#[test]
fn code_actions_never_lose_the_writers_text() {
    let settings = Settings::defaults(Path::new("/w"));
    let base: u64 = std::env::var("RFC_LSP_SEED_BASE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let count = sequences(300);
    let docs = documents();
    let mut actions = 0;
    for seed in base..base + count {
        let text = random_document(seed, &docs);
        actions += check_document(seed, &text, &settings);
    }
    assert!(
        actions > 1_000,
        "enough actions were offered to test: {actions}"
    );
}

/// The letters and digits of `text` (lowercased) outside `skip`, in order.
fn typed(text: &str, skip: &[Range<usize>]) -> Vec<char> {
    text.char_indices()
        .filter(|(i, _)| !skip.iter().any(|r| r.contains(i)))
        .map(|(_, c)| c)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `want` is a subsequence of `have`.
fn subsequence(want: &[char], have: &[char]) -> bool {
    let mut rest = have.iter();
    want.iter().all(|c| rest.any(|h| h == c))
}

#[test]
fn check_fix_never_removes_a_character_the_writer_typed() {
    let settings = Settings::defaults(Path::new("/w"));
    let path = Path::new("/w/rfcs/rfc-042-response-cache.md");
    let ctx = settings.context(Some(path), None);
    let count = sequences(200);
    let docs = documents();
    let mut fixed_docs = 0;
    for seed in 0..count {
        let text = random_document(seed, &docs);
        // What the template put there is not the writer's: its placeholders may go.
        let snapshot = Document::new(&text, 0).snapshot();
        let placeholders: Vec<Range<usize>> = check(&snapshot, &ctx)
            .diagnostics
            .iter()
            .filter(|d| matches!(d.code, "field-placeholder" | "field-empty"))
            .map(|d| d.range.clone())
            .collect();
        let (out, applied) = rfc_lsp::analysis::fix::fix(&text, &ctx, "2026-12-01");
        fixed_docs += usize::from(!applied.is_empty());
        assert!(
            subsequence(&typed(&text, &placeholders), &typed(&out, &[])),
            "seed {seed}: --fix removed typed text from {text:?}: {out:?} ({applied:?})"
        );
        // Fixed once, nothing is left for a second run to do.
        let (again, more) = rfc_lsp::analysis::fix::fix(&out, &ctx, "2026-12-01");
        assert!(
            more.is_empty() && again == out,
            "seed {seed}: a second --fix still changed {out:?}: {more:?}"
        );
    }
    assert!(
        fixed_docs > count as usize / 4,
        "enough documents had fixes: {fixed_docs}"
    );
}

#[test]
fn check_fix_fills_placeholders_tags_and_missing_parts_and_keeps_the_writers_values() {
    let settings = Settings::defaults(Path::new("/w"));
    let path = Path::new("/w/rfcs/rfc-042-response-cache.md");
    let ctx = settings.context(Some(path), None);
    let text = "---\nid: rfc-XXX\nslug: response-cache\ntitle: \"RFC-042: Response cache\"\nstatus: Draft\ncreated: YYYY-MM-DD\nupdated: 2026-01-05\nauthor: Maren\ntags: [Caching Layer]\nproject_id: example\ndoc_uuid: 3f7c2a91\n---\n\n# RFC-042: Response cache\n\n## Summary\n\nResponses are cached.\n";
    let (out, applied) = rfc_lsp::analysis::fix::fix(text, &ctx, "2026-12-07");
    assert!(out.contains("id: rfc-042\n"), "{out}");
    assert!(out.contains("slug: rfc-042-response-cache\n"), "{out}");
    assert!(out.contains("created: 2026-12-07\n"), "{out}");
    assert!(out.contains("tags: [caching-layer]"), "{out}");
    // The writer's invalid uuid stays: replacing it would lose what they typed.
    assert!(out.contains("doc_uuid: 3f7c2a91\n"), "{out}");
    // Missing sections come with the template's placeholder text.
    assert!(out.contains("## Motivation"), "{out}");
    assert!(
        applied.iter().any(|a| a.code == "section-missing"),
        "{applied:?}"
    );
}

/// Documents whose headings a line scan could misjudge: setext titles, a `Status` section
/// below others, headings in lists, quotes and after inline HTML, fences and comments.
const HEAD_SEEDS: &[&str] = &[
    "RFC 9: Setext\n=============\n\n- Status: Draft\n- Author: Ana\n\nSummary\n-------\n\nx\n\n## Motivation\n\ny\n",
    "# RFC-3: T\n\n## Summary\n\nx\n\n## Motivation\n\ny\n\n## Status\n\n- **Status**: Accepted\n- **Date**: 2026-01-02\n\n## Design\n\nz\n",
    "# T\n\n- # not a title\n\n**Status**: Draft\n\n## A\n\n## B\n\n## C\n",
    "# T\n\n> ## quoted\n\n**Status**: Draft\n\n## A\n\n## B\n",
    "# T\n\ntext <span>x</span>\n## A\n\n**Owner**: x\n\n## B\n\n# Second\n\n**Status**: Late\n\n## C\n",
    "```\n# not\n```\n<!--\n## not\n-->\n# T\n\n| Status | Draft |\n|---|---|\n| Author | x |\n\n## A\n\n## B\n",
    "<details>\n\n## inside\n\n</details>\n\n# T\n\n**Status**: x\n\n## A\n\n## B\n",
    "## First\n\n- Status: x\n\n## Second\n\n# Title late\n\n**Status**: y\n\n## After\n\n## More\n",
];

#[test]
fn reading_a_documents_head_finds_the_metadata_reading_all_of_it_finds() {
    let mut docs = documents();
    docs.extend(HEAD_SEEDS.iter().map(|s| s.to_string()));
    for (seed, doc) in (0..sequences(3000))
        .map(|s| (s, random_document(s, &docs)))
        .chain(
            docs.iter()
                .enumerate()
                .map(|(i, d)| (u64::MAX - i as u64, d.clone())),
        )
    {
        let whole = metadata::read(&Document::new(&doc, 0).snapshot());
        let head = metadata::read_head(&doc);
        if head != whole {
            std::fs::write("/tmp/fail.md", &doc).ok();
        }
        assert_eq!(head, whole, "seed {seed}:\n{doc}");
    }
}
