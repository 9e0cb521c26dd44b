//! One keystroke, in process: apply the change to the rope and the chunked tree,
//! reparse what it touched, and rebuild the outline and the document symbols.
//!
//! `cargo bench --bench keystroke` prints, for generated RFCs of 500, 5,000 and 50,000
//! lines, the open time and the median / p95 / p99 of a keystroke over a deterministic
//! trace of typing, deleting, newlines and edits in the frontmatter. Figures go to
//! BENCHMARKS.md.

#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use std::hint::black_box;
use std::time::{Duration, Instant};

use rfc_lsp::analysis::diagnostics::check;
use rfc_lsp::analysis::symbols::document_symbols;
use rfc_lsp::syntax::Document;
use rfc_lsp::syntax::chunks::Limits;
use rfc_lsp::text::{Change, Encoding, Pos, offset_to_line_col};
use rfc_lsp::workspace::Settings;

/// A realistic RFC of about `lines` lines: frontmatter, a title, then sections with prose,
/// lists, code blocks and tables, repeated with numbered headings.
pub fn generate_rfc(lines: usize) -> String {
    let mut out = String::from(
        "---\nid: \"rfc-042\"\nslug: rfc-042-response-cache\ntitle: \"RFC-042: Response Cache\"\nstatus: Draft\ncreated: 2026-01-05\nupdated: 2026-02-01\nauthor: Zoë Müller\ntags: [\"performance\", \"caching\"]\nproject_id: \"catalog\"\ndoc_uuid: \"3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35\"\n---\n\n# RFC-042: Response Cache\n\n",
    );
    let mut i = 0;
    while out.lines().count() < lines {
        i += 1;
        out.push_str(&format!(
            "## Section {i}\n\nThis section explains part {i} of the design — the cache keys, the TTLs and\nthe invalidation path. Latency must stay ≤ 100 ms at p99 for 日本 users too.\n\n### Details {i}\n\n- **Goal {i}**: keep the hit ratio above 90 %\n- Non-goal: replacing the CDN\n- Owner: team-{i}\n\n```sh\n# warm the cache for shard {i}\ncurl -X POST http://cache.internal/warm/{i}\n```\n\n| Metric | Target |\n|--------|--------|\n| p99    | 100 ms |\n\n"
        ));
    }
    out
}

struct Trace {
    text: String,
    cursor: usize,
    step: usize,
}

impl Trace {
    /// The next edit of a deterministic trace: bursts of typing in a paragraph in the
    /// middle of the document, backspaces, a newline now and then, and every 50th edit a
    /// change of a frontmatter value.
    fn next(&mut self) -> (usize, usize, String) {
        self.step += 1;
        let edit = if self.step.is_multiple_of(50) {
            let at = self
                .text
                .find("status: ")
                .expect("frontmatter has a status")
                + 8;
            let end = at + self.text[at..].find('\n').expect("a line end");
            let value = if self.step.is_multiple_of(100) {
                "Draft"
            } else {
                "In Review"
            };
            (at, end, value.to_string())
        } else if self.step.is_multiple_of(10) {
            (self.cursor - 1, self.cursor, String::new())
        } else if self.step.is_multiple_of(37) {
            (self.cursor, self.cursor, "\n".to_string())
        } else {
            let c = ["a", "b", " ", "é", "x"][self.step % 5];
            (self.cursor, self.cursor, c.to_string())
        };
        self.text.replace_range(edit.0..edit.1, &edit.2);
        if edit.0 <= self.cursor {
            self.cursor = (self.cursor as isize + edit.2.len() as isize
                - (edit.1 - edit.0) as isize) as usize;
        }
        edit
    }
}

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
    let mid = text.len() / 2;
    let cursor = mid + text[mid..].find("This section").expect("a paragraph") + 12;
    let mut trace = Trace {
        text,
        cursor,
        step: 0,
    };
    let mut times = Vec::with_capacity(keystrokes);
    let mut apply_times = Vec::with_capacity(keystrokes);
    let mut diagnostics_times = Vec::with_capacity(keystrokes);
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
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{label:<7}{lines:>6} lines {:>5} KB {:>5} chunks | whole parse {:>7.2} ms, open {:>7.2} ms | keystroke p50 {:>6.3} p95 {:>6.3} p99 {:>6.3} ms | of which edit+reparse+outline p50 {:>6.3} ms | reparsed {:.1} KB/keystroke | diagnostics p50 {:>6.3} ms",
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
