//! One keystroke, in process: apply the change to the rope and the chunked tree,
//! reparse what it touched, and rebuild the outline and the document symbols; then the
//! diagnostics and the documentSymbol answer's JSON, timed apart.
//!
//! `cargo bench --bench keystroke` prints, for generated RFCs of 500, 5,000 and 50,000
//! lines, the open time and the median / p95 / p99 of a keystroke over a deterministic
//! trace of typing, deleting, newlines and edits in the frontmatter. Figures go to
//! BENCHMARKS.md.

#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use std::hint::black_box;
use std::time::{Duration, Instant};

mod common;
use common::{Trace, generate_rfc};

use rfc_lsp::analysis::diagnostics::check;
use rfc_lsp::analysis::symbols::document_symbols;
use rfc_lsp::syntax::Document;
use rfc_lsp::syntax::chunks::Limits;
use rfc_lsp::text::{Change, Encoding, Pos, offset_to_line_col};
use rfc_lsp::workspace::Settings;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn bench(lines: usize, keystrokes: usize, limits: Limits, label: &str) {
    let text = generate_rfc(lines);
    let parsed = Instant::now();
    black_box(rfc_lsp::syntax::parse_str(&text));
    let parse_time = parsed.elapsed();
    let opened = Instant::now();
    let mut doc = Document::with_limits(&text, 0, limits);
    let open_time = opened.elapsed();
    let mut trace = Trace::new(text);
    let mut times = Vec::with_capacity(keystrokes);
    let mut apply_times = Vec::with_capacity(keystrokes);
    let mut diagnostics_times = Vec::with_capacity(keystrokes);
    let mut json_times = Vec::with_capacity(keystrokes);
    let settings = Settings::defaults(std::path::Path::new("/w"));
    let mut reparsed = 0;
    for version in 1..=keystrokes {
        let (start, end, insert) = trace.next();
        // Positions are computed outside the timed part, as the client sends them.
        let rope = doc.rope();
        let p = |o| offset_to_line_col(rope, o, Encoding::Utf16);
        let range: (Pos, Pos) = (p(start), p(end));
        let change = Change {
            range: Some(range),
            text: insert,
        };
        let t = Instant::now();
        let report = doc.apply_changes([change], version as i32, Encoding::Utf16);
        let applied = t.elapsed();
        let snapshot = doc.snapshot();
        let symbols = document_symbols(&snapshot);
        black_box(symbols);
        times.push(t.elapsed());
        apply_times.push(applied);
        let t = Instant::now();
        black_box(rfc_lsp::server::symbols_json(&snapshot, Encoding::Utf16));
        json_times.push(t.elapsed());
        let t = Instant::now();
        black_box(check(
            &snapshot,
            &settings.context(Some(std::path::Path::new("/w/rfcs/rfc-042-x.md")), None),
        ));
        diagnostics_times.push(t.elapsed());
        reparsed += report.stats.reparsed_bytes;
    }
    assert_eq!(
        doc.rope().to_string(),
        trace.text,
        "the bench's edits were applied as written"
    );
    times.sort();
    apply_times.sort();
    diagnostics_times.sort();
    json_times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{label:<7}{lines:>6} lines {:>5} KB {:>5} chunks | whole parse {:>7.2} ms, open {:>7.2} ms | keystroke p50 {:>6.3} p95 {:>6.3} p99 {:>6.3} ms | of which edit+reparse+outline p50 {:>6.3} ms | reparsed {:.1} KB/keystroke | diagnostics p50 {:>6.3} ms | documentSymbol JSON p50 {:>6.3} ms",
        trace.text.len() / 1024,
        doc.tree().chunks().len(),
        ms(parse_time),
        ms(open_time),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&times, 0.99)),
        ms(percentile(&apply_times, 0.5)),
        reparsed as f64 / keystrokes as f64 / 1024.0,
        ms(percentile(&diagnostics_times, 0.5)),
        ms(percentile(&json_times, 0.5)),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is a line count to run alone.
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![500, 5_000, 50_000]
    } else {
        sizes
    };
    for &lines in &sizes {
        bench(lines, 2_000, Limits::default(), "chunked");
    }
    // The baseline: one tree for the whole document, reparsed incrementally.
    let whole = Limits {
        target: usize::MAX,
        max: usize::MAX,
    };
    for &lines in &sizes {
        bench(
            lines,
            if lines > 10_000 { 50 } else { 200 },
            whole,
            "1 tree",
        );
    }
}
