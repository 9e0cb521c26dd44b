//! Any text, opened as a document, through every analysis feature a user can reach:
//! diagnostics (in the editor's chunked document and the CLI's one-tree document),
//! document symbols, folding ranges, completion and hover at positions taken from the
//! input, and code actions over a few ranges. Besides panics it catches broken invariants:
//! every range lies within the text and on char boundaries, diagnostics are sorted and
//! carry known codes, code actions' edits do not overlap, and the chunked parse (any chunk
//! size) gives the same tree, outline and diagnostics as one tree for the whole text.
#![no_main]

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use rfc_lsp::analysis::Snapshot;
use rfc_lsp::analysis::actions::code_actions;
use rfc_lsp::analysis::completion::{Extra, complete};
use rfc_lsp::analysis::diagnostics::{Diagnostic, RULES, check};
use rfc_lsp::analysis::edit::apply;
use rfc_lsp::analysis::folding::folding_ranges;
use rfc_lsp::analysis::hover::hover;
use rfc_lsp::analysis::symbols::{Symbol, SymbolKind, document_symbols};
use rfc_lsp::syntax::Document;
use rfc_lsp::syntax::chunks::Limits;
use rfc_lsp::workspace::Settings;
use rfc_lsp_fuzz::{Rng, assert_range, assert_within, fresh_blocks, hash, nameable_offsets};

const TODAY: &str = "2026-12-01";
const RFC_PATH: &str = "/w/rfcs/rfc-001-x.md";
const NOTE_PATH: &str = "/w/notes/meeting.md";

static SETTINGS: LazyLock<Settings> = LazyLock::new(|| Settings::defaults(Path::new("/w")));
static TAGS: LazyLock<HashMap<String, usize>> = LazyLock::new(|| {
    [("performance", 3), ("api", 2), ("caching-layer", 1)]
        .into_iter()
        .map(|(t, n)| (t.to_string(), n))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let seed = hash(data);
    let settings = &*SETTINGS;
    let doc = Document::new(&text, 0);
    let snapshot = doc.snapshot();
    assert_eq!(snapshot.rope.to_string(), text, "the rope holds the text");

    outline_invariants(&snapshot, &text);

    // Diagnostics in three contexts: a file the path says is an RFC (every rule runs),
    // no path (detection decides) and a path that is not an RFC's; sometimes a template
    // forced as `--template` or a config glob would.
    let names = settings.templates.names();
    let forced = match (seed % (names.len() as u64 + 1)) as usize {
        0 => None,
        i => Some(names[i - 1]),
    };
    let rfc_path = Path::new(RFC_PATH);
    let note_path = Path::new(NOTE_PATH);
    let contexts = [
        settings.context(Some(rfc_path), forced),
        settings.context(None, None),
        settings.context(Some(note_path), None),
    ];
    let mut rfc_diagnostics = Vec::new();
    for (i, ctx) in contexts.iter().enumerate() {
        let report = check(&snapshot, ctx);
        diagnostics_invariants(&text, &report.diagnostics);
        if let Some(name) = ctx.template {
            let chosen = report.template().map(|t| t.name.as_str());
            assert_eq!(chosen, Some(name), "the forced template is the one used");
        }
        if i == 0 {
            // Under rfcs/ a file is an RFC when a template is forced on it; else it may be
            // left alone for being like no template (and then gets nothing).
            assert!(
                report.choice.is_some() || ctx.template.is_none() && report.diagnostics.is_empty(),
                "a file under rfcs/ is an RFC, or like no template and left alone"
            );
            rfc_diagnostics = report.diagnostics;
        }
    }
    let ctx = &contexts[0];

    // One chunk for the whole text, and a document cut into tiny chunks (as after many
    // edits), give what the editor's document (and `rfc-lsp check`'s) gives.
    let whole = Document::with_limits(&text, 0, Limits::WHOLE);
    assert_eq!(
        whole.outline(),
        doc.outline(),
        "one tree and chunks give the same outline"
    );
    assert_eq!(
        format!("{:?}", check(&whole.snapshot(), ctx).diagnostics),
        format!("{rfc_diagnostics:?}"),
        "one tree and chunks give the same diagnostics"
    );
    let tiny = Document::with_limits(
        &text,
        0,
        Limits {
            target: 48,
            max: 160,
        },
    );
    // Chunks read by line scan (src/syntax/plain.rs) hold what their parse holds.
    for opened in [&doc, &whole, &tiny] {
        if let Err(e) = opened.tree().check_plain_chunks(opened.rope()) {
            panic!("{e}");
        }
    }
    assert_eq!(
        tiny.tree().block_lines(tiny.rope()),
        fresh_blocks(&text),
        "tiny chunks parse as the whole text does"
    );
    assert_eq!(
        tiny.outline(),
        doc.outline(),
        "tiny chunks give the same outline"
    );
    assert_eq!(
        format!("{:?}", check(&tiny.snapshot(), ctx).diagnostics),
        format!("{rfc_diagnostics:?}"),
        "tiny chunks give the same diagnostics"
    );

    // Document symbols.
    let symbols = document_symbols(&snapshot);
    let mut titles = 0;
    symbols_invariants(&text, &symbols, &mut titles);
    assert!(titles <= 1, "at most one title symbol");

    // Folding ranges.
    let last_line = snapshot.rope.len_lines() - 1;
    for fold in folding_ranges(&snapshot) {
        assert!(
            fold.start_line < fold.end_line && fold.end_line <= last_line,
            "fold {fold:?} in a text of {} lines",
            last_line + 1
        );
    }

    // Completion and hover where a user can put the cursor.
    let offsets = cursor_offsets(&text, seed);
    for (i, &offset) in offsets.iter().enumerate() {
        let extra = Extra {
            workspace_tags: &|| TAGS.clone(),
            snippets: i % 2 == 0,
            today: TODAY,
        };
        // Detection (no path) at a few of them only: each call reads the metadata again.
        let ctxs = if i < 2 {
            &[ctx, &contexts[1]][..]
        } else {
            &[ctx][..]
        };
        for &c in ctxs {
            for item in complete(&snapshot, c, offset, &extra) {
                assert_range(
                    &text,
                    &item.edit.range,
                    &format!("completion {:?}", item.label),
                );
                assert!(!item.label.is_empty(), "a completion item has a label");
            }
            if let Some(h) = hover(&snapshot, c, offset) {
                assert_range(&text, &h.range, "hover");
                assert!(!h.text.is_empty(), "a hover has text");
            }
        }
    }

    // Code actions over the whole text, on each of the first diagnostics (as a client
    // asks for the diagnostic under the cursor) and at an empty range.
    let mut ranges: Vec<Range<usize>> = Vec::new();
    ranges.push(0..text.len());
    ranges.extend(rfc_diagnostics.iter().take(2).map(|d| d.range.clone()));
    if let Some(&o) = offsets.first() {
        ranges.push(o..o);
    }
    let mut rechecked = 0;
    for range in ranges {
        for action in code_actions(&snapshot, ctx, range, TODAY) {
            let what = format!("action {:?}", action.title);
            let mut edits = action.edits.clone();
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            for e in &edits {
                assert_range(&text, &e.range, &what);
            }
            for pair in edits.windows(2) {
                assert!(
                    pair[0].range.end <= pair[1].range.start,
                    "{what}: edits {:?} and {:?} overlap",
                    pair[0].range,
                    pair[1].range
                );
            }
            let after = apply(&text, &action.edits);
            // The fixed text opens and checks like any other (a few per input).
            if action.preferred && rechecked < 2 {
                rechecked += 1;
                let fixed = Document::new(&after, 1);
                diagnostics_invariants(&after, &check(&fixed.snapshot(), ctx).diagnostics);
            }
        }
    }
});

fn outline_invariants(snapshot: &Snapshot, text: &str) {
    let outline = &snapshot.outline;
    assert_eq!(outline.len, text.len(), "the outline covers the text");
    let mut previous_end = 0;
    for h in &outline.headings {
        assert_range(text, &h.range, "heading");
        assert_range(text, &h.text, "heading text");
        assert_within(&h.text, &h.range, "heading text");
        assert!((1..=6).contains(&h.level), "heading level {}", h.level);
        assert!(h.range.start >= previous_end, "headings in order, apart");
        previous_end = h.range.end;
    }
    for (list, what) in [
        (
            outline
                .code_blocks
                .iter()
                .map(|c| c.range.clone())
                .collect::<Vec<_>>(),
            "code block",
        ),
        (outline.html_blocks.clone(), "HTML block"),
    ] {
        // `in_code_or_html` searches these lists by halving: they must be sorted and apart.
        for r in &list {
            assert_range(text, r, what);
        }
        for pair in list.windows(2) {
            assert!(
                pair[0].end <= pair[1].start,
                "{what}s {:?} and {:?} out of order or overlapping",
                pair[0],
                pair[1]
            );
        }
    }
    if let Some(f) = &outline.frontmatter {
        assert_range(text, &f.range, "frontmatter");
        assert_range(text, &f.body, "frontmatter body");
        assert_within(&f.body, &f.range, "frontmatter body");
    }
    let sections = outline.sections();
    for s in &sections {
        assert_range(text, &s.range, "section");
        assert_within(
            &outline.headings[s.heading].range,
            &s.range,
            "section heading",
        );
        if let Some(p) = s.parent {
            assert!(p < s.heading, "a parent comes before its child");
            assert_within(&s.range, &sections[p].range, "subsection");
            assert!(sections[p].level < s.level, "a parent has a higher level");
        }
    }
}

fn diagnostics_invariants(text: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let what = format!("diagnostic {} {:?}", d.code, d.message);
        assert_range(text, &d.range, &what);
        assert!(RULES.iter().any(|r| r.0 == d.code), "{what}: unknown code");
        assert!(!d.message.is_empty(), "{what}: empty message");
        for r in &d.related {
            assert_range(text, &r.range, &format!("{what}: related"));
        }
    }
    for pair in diagnostics.windows(2) {
        let key = |d: &Diagnostic| (d.range.start, d.range.end, d.code);
        assert!(
            key(&pair[0]) <= key(&pair[1]),
            "diagnostics sorted by position"
        );
    }
}

fn symbols_invariants(text: &str, symbols: &[Symbol], titles: &mut usize) {
    for s in symbols {
        let what = format!("symbol {:?}", s.name);
        assert_range(text, &s.range, &what);
        assert_range(text, &s.selection, &what);
        // LSP: the selection range must be contained in the range.
        assert_within(&s.selection, &s.range, &what);
        assert!(!s.name.is_empty(), "{what}: a symbol has a name");
        if s.kind == SymbolKind::Title {
            *titles += 1;
        }
        symbols_invariants(text, &s.children, titles);
    }
    for pair in symbols.windows(2) {
        assert!(
            pair[0].range.start <= pair[1].range.start,
            "symbols in order"
        );
    }
}

/// Where to ask for completion and hover: the start and end, after the first few
/// trigger characters (`:`, space, `#`, `,`, `[`), the ends of the first lines, and a
/// few places picked from the input's hash.
fn cursor_offsets(text: &str, seed: u64) -> Vec<usize> {
    let nameable = nameable_offsets(text);
    let mut offsets = vec![0, text.len()];
    for trigger in [':', ' ', '#', ',', '['] {
        offsets.extend(
            text.match_indices(trigger)
                .map(|(i, _)| i + 1)
                .filter(|i| nameable.binary_search(i).is_ok())
                .take(2),
        );
    }
    offsets.extend(
        text.match_indices('\n')
            .map(|(i, _)| {
                if i > 0 && text.as_bytes()[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                }
            })
            .take(4),
    );
    let mut rng = Rng::new(seed);
    for _ in 0..3 {
        offsets.push(nameable[(rng.next() % nameable.len() as u64) as usize]);
    }
    offsets.sort_unstable();
    offsets.dedup();
    // At most ten, spread over the text: every call reads the metadata afresh.
    let n = offsets.len();
    if n > 10 {
        offsets = (0..10).map(|k| offsets[k * (n - 1) / 9]).collect();
    }
    offsets
}
