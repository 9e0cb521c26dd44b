//! Every pass over a document is linear: the hostile shapes that were quadratic (an
//! 80,000-line Summary, 40,000 references on one line, a long line of placeholders),
//! each timed at n and 2n through what a keystroke costs (the check and the index's
//! facts). Doubling the input should about double the time; a ratio near 4 is quadratic.
//!
//! `cargo bench --bench linear`; figures go to BENCHMARKS.md.

#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use rfc_lsp::analysis::diagnostics::check;
use rfc_lsp::syntax::Document;
use rfc_lsp::workspace::Settings;
use rfc_lsp::workspace::index::scan_text;

const HEAD: &str = "---\nid: rfc-001\nstatus: Draft\n---\n# RFC-001: Hostile\n\n## Summary\n\n";

fn summary_lines(n: usize) -> String {
    format!(
        "{HEAD}{}",
        "a line of the summary without a sentence end\n".repeat(n)
    )
}

fn references_on_a_line(n: usize) -> String {
    format!("{HEAD}{}\n", "RFC-042 é ".repeat(n))
}

fn placeholders_on_a_line(n: usize) -> String {
    format!("{HEAD}{}\n", "[TBD] ".repeat(n))
}

fn time(text: &str) -> Duration {
    let settings = Settings::defaults(Path::new("/w"));
    let path = Path::new("/w/rfcs/rfc-001-hostile.md");
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let snapshot = Document::new(text, 0).snapshot();
        black_box(check(&snapshot, &settings.context(Some(path), None)));
        black_box(scan_text(Some(path), text));
        best = best.min(started.elapsed());
    }
    best
}

fn main() {
    println!(
        "{:<28} {:>9} {:>11} {:>11} {:>6}",
        "shape", "n", "time(n)", "time(2n)", "ratio"
    );
    type Shape = (&'static str, fn(usize) -> String, usize);
    let shapes: [Shape; 3] = [
        ("summary lines", summary_lines, 40_000),
        ("references on one line", references_on_a_line, 20_000),
        ("placeholders on one line", placeholders_on_a_line, 100_000),
    ];
    for (name, make, n) in shapes {
        let (a, b) = (time(&make(n)), time(&make(2 * n)));
        println!(
            "{name:<28} {n:>9} {:>9.1}ms {:>9.1}ms {:>6.2}",
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            b.as_secs_f64() / a.as_secs_f64()
        );
    }
}
