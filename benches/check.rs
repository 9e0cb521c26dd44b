//! `rfc-lsp check` over a tree of 999 generated RFCs of about 330 lines (about 8 MB), and
//! the workspace scan the server runs at start over 10,000 RFCs.
//!
//! `cargo bench --bench check` prints:
//! - the floor: a bare tree-sitter-md parse of every file, on one thread and spread over
//!   the machine's cores;
//! - the same files opened as documents (parse and outline), likewise;
//! - the floor again with tree-sitter allocating through mimalloc, as `check` has it parse
//!   (in a child process: the allocator is chosen before the first parse);
//! - `rfc-lsp check --no-cache` (the release binary), wall time of repeated runs;
//! - `rfc-lsp check` again with a warm cache (nothing changed);
//! - the workspace scan of 10,000 RFCs (what the server indexes in the background);
//! - `rfc-lsp index` of the same 10,000 RFCs.
//!
//! `-- --scan-only` stops after timing the index's line scan per file, `-- --parse-only`
//! after the bare parse and the documents opened (the parse and the outline, what `check`
//! does per file before its rules).
//! `-- --index-only` times `rfc-lsp index` over the 10,000 RFCs and stops.
//! `-- --keep` leaves the generated trees in the temp folder (to profile `check` on them).
//! `-- --against "mdsmith check"` times that command on the same files, in rounds
//! alternating with `rfc-lsp check --no-cache`, and stops there.
//!
//! Figures go to BENCHMARKS.md.

#![allow(clippy::print_stdout)] // a benchmark reports on stdout

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn write_tree(dir: &Path, files: usize, lines: usize) -> Vec<PathBuf> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("bench dir");
    std::fs::create_dir_all(dir.join(".git")).expect("a workspace root marker");
    let text = common::generate_rfc(lines);
    (1..=files)
        .map(|i| {
            let path = dir.join(format!("rfcs/rfc-{i:04}-response-cache.md"));
            let mut body = text
                .replace("rfc-042", &format!("rfc-{i:04}"))
                .replace("RFC-042", &format!("RFC-{i:04}"))
                .replace("0e2f7d8a4b35", &format!("{i:012x}")); // each its own doc_uuid
            if i > 1 {
                // RFCs cite each other: the cross-document rules have work to do.
                let p = i - 1;
                body.push_str(&format!(
                    "## Related\n\nBuilds on RFC-{p:04} and [its first section](rfc-{p:04}-response-cache.md#section-1).\n"
                ));
            }
            std::fs::write(&path, body).expect("written");
            path
        })
        .collect()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn median_f(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// "min-max ms" of some timings.
fn spread_of(times: &[Duration]) -> String {
    let min = times.iter().min().copied().unwrap_or_default();
    let max = times.iter().max().copied().unwrap_or_default();
    format!("{:.0}-{:.0} ms", ms(min), ms(max))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs `each` on every file, the files spread over `threads` threads; the wall time.
fn spread(texts: &[String], threads: usize, each: impl Fn(&str) + Sync) -> Duration {
    let start = Instant::now();
    let each = &each;
    std::thread::scope(|scope| {
        for t in 0..threads {
            scope.spawn(move || {
                for text in texts.iter().skip(t).step_by(threads) {
                    each(text);
                }
            });
        }
    });
    start.elapsed()
}

/// Parses every file with tree-sitter-md on `threads` threads; the wall time.
fn bare_parse(texts: &[String], threads: usize) -> Duration {
    spread(texts, threads, |text| {
        std::hint::black_box(rfc_lsp::syntax::parse_str(text));
    })
}

/// Opens every file as a document, as `check` does (chunks, the plain ones read by line
/// scan, the outline joined), on `threads` threads; the wall time.
fn open_documents(texts: &[String], threads: usize) -> Duration {
    spread(texts, threads, |text| {
        std::hint::black_box(rfc_lsp::syntax::Document::new(text, 0));
    })
}

fn check(dir: &Path, extra: &[&str]) -> Duration {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_rfc-lsp"))
        .arg("check")
        .args(extra)
        .arg(dir.join("rfcs"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .output()
        .expect("rfc-lsp runs");
    let took = start.elapsed();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

/// `rfc-lsp check --no-cache` and another checker (`mdsmith check`: a command line, the
/// folder appended) on the same files, 7 rounds, each round running both: the medians and
/// the median of the rounds' ratios.
fn against(dir: &Path, other: &str) {
    let mut words = other.split_whitespace();
    let program = words.next().expect("a command");
    let args: Vec<&str> = words.collect();
    let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..7 {
        let us = check(dir, &["--no-cache"]);
        let start = Instant::now();
        let out = Command::new(program)
            .args(&args)
            .arg(dir.join("rfcs"))
            .current_dir(dir)
            .output()
            .unwrap_or_else(|e| panic!("{other} runs: {e}"));
        let them = start.elapsed();
        assert!(out.status.code().is_some(), "{other} was killed");
        ratios.push(us.as_secs_f64() / them.as_secs_f64());
        ours.push(us);
        theirs.push(them);
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "rfc-lsp check --no-cache {:.0} ms, {other} {:.0} ms (medians of 7 alternating rounds): rfc-lsp takes {:.2}x its time",
        ms(median(ours)),
        ms(median(theirs)),
        ratios[ratios.len() / 2]
    );
}

/// The floor with tree-sitter's allocations in mimalloc, timed in a child process of this
/// bench (see `floor_child`); the wall time of its parse alone.
fn mimalloc_floor(files: &[PathBuf]) -> Duration {
    let out = Command::new(std::env::current_exe().expect("the bench knows its path"))
        .arg("--floor-child")
        .args(files)
        .output()
        .expect("the bench runs itself");
    let nanos = String::from_utf8_lossy(&out.stdout);
    Duration::from_nanos(nanos.trim().parse().expect("the child prints its time"))
}

/// The child of [`mimalloc_floor`]: installs the allocator before any tree-sitter object
/// exists, reads the files, and prints the nanoseconds of their bare parse on all cores.
fn floor_child(cores: usize) {
    rfc_lsp::syntax::alloc::install_mimalloc();
    let texts: Vec<String> = std::env::args()
        .skip_while(|a| a != "--floor-child")
        .skip(1)
        .map(|p| std::fs::read_to_string(p).expect("readable"))
        .collect();
    println!("{}", bare_parse(&texts, cores).as_nanos());
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if std::env::args().any(|a| a == "--floor-child") {
        return floor_child(cores);
    }
    let dir = std::env::temp_dir().join("rfc-lsp-bench-check");
    let files = write_tree(&dir, 999, 330);
    let texts: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("readable"))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} files, {:.1} MB, {} lines each, {cores} cores",
        files.len(),
        bytes as f64 / 1e6,
        texts[0].lines().count()
    );
    let scan_start = Instant::now();
    let rounds = 5;
    for _ in 0..rounds {
        for (p, t) in files.iter().zip(&texts) {
            std::hint::black_box(rfc_lsp::workspace::index::scan_text(Some(p), t));
        }
    }
    println!(
        "index facts (scan_text): {:.0} us per file, 1 thread",
        scan_start.elapsed().as_secs_f64() * 1e6 / (rounds * files.len()) as f64
    );
    if std::env::args().any(|a| a == "--scan-only") {
        return;
    }
    if std::env::args().any(|a| a == "--index-only") {
        let index_dir = std::env::temp_dir().join("rfc-lsp-bench-index");
        write_tree(&index_dir, 10_000, 330);
        rfc_index(&index_dir);
        let _ = std::fs::remove_dir_all(&index_dir);
        return;
    }
    if let Some(other) = std::env::args().skip_while(|a| a != "--against").nth(1) {
        return against(&dir, &other);
    }
    // The host's speed drifts (by a third within an hour on a shared VM), so the floor,
    // the documents and `check` are timed in alternating rounds, and each ratio is the
    // median of the rounds' ratios: both sides of a ratio ran within the same second.
    let rounds = 7;
    let one = median((0..3).map(|_| bare_parse(&texts, 1)).collect());
    let open_one = median((0..3).map(|_| open_documents(&texts, 1)).collect());
    println!(
        "on 1 thread: bare tree-sitter-md parse {:.0} ms, documents opened (parse and outline) {:.0} ms, {:.2}x",
        ms(one),
        ms(open_one),
        open_one.as_secs_f64() / one.as_secs_f64()
    );
    let parse_only = std::env::args().any(|a| a == "--parse-only");
    let (mut floors, mut opens, mut colds) = (Vec::new(), Vec::new(), Vec::new());
    let (mut open_ratios, mut cold_ratios) = (Vec::new(), Vec::new());
    let (mut mi_floors, mut mi_ratios, mut cold_mi_ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let floor = bare_parse(&texts, cores);
        let open = open_documents(&texts, cores);
        open_ratios.push(open.as_secs_f64() / floor.as_secs_f64());
        if !parse_only {
            let mi_floor = mimalloc_floor(&files);
            mi_ratios.push(mi_floor.as_secs_f64() / floor.as_secs_f64());
            let cold = check(&dir, &["--no-cache"]);
            cold_ratios.push(cold.as_secs_f64() / floor.as_secs_f64());
            cold_mi_ratios.push(cold.as_secs_f64() / mi_floor.as_secs_f64());
            colds.push(cold);
            mi_floors.push(mi_floor);
        }
        floors.push(floor);
        opens.push(open);
    }
    let (floor, spread_range) = (median(floors.clone()), spread_of(&floors));
    println!(
        "bare parse on {cores} threads (the floor): {:.0} ms (median of {rounds}, {spread_range})",
        ms(floor)
    );
    println!(
        "documents opened on {cores} threads: {:.0} ms, {:.2}x the floor (median of the rounds' ratios)",
        ms(median(opens)),
        median_f(open_ratios)
    );
    if parse_only {
        return;
    }
    println!(
        "bare parse with tree-sitter in mimalloc, as check parses: {:.0} ms ({}), {:.2}x the floor",
        ms(median(mi_floors.clone())),
        spread_of(&mi_floors),
        median_f(mi_ratios)
    );
    println!(
        "rfc-lsp check --no-cache: {:.0} ms wall ({}), {:.2}x the floor, {:.2}x the mimalloc floor (medians of the rounds' ratios)",
        ms(median(colds.clone())),
        spread_of(&colds),
        median_f(cold_ratios),
        median_f(cold_mi_ratios)
    );
    check(&dir, &[]); // fills the cache
    let warm = median((0..9).map(|_| check(&dir, &[])).collect());
    println!(
        "rfc-lsp check, unchanged tree, warm cache: {:.0} ms wall (median of 9)",
        ms(warm)
    );

    let index_dir = std::env::temp_dir().join("rfc-lsp-bench-index");
    write_tree(&index_dir, 10_000, 330);
    let rss_before = rss_kb();
    let mut kept = None;
    let scans: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            let index = rfc_lsp::workspace::index::Index::scan(
                std::slice::from_ref(&index_dir),
                &mut |_| {},
            );
            let took = start.elapsed();
            assert_eq!(index.files.values().filter(|f| f.is_rfc).count(), 10_000);
            kept = Some(index);
            took
        })
        .collect();
    let references: usize = kept
        .as_ref()
        .map_or(0, |i| i.files.values().map(|f| f.references.len()).sum());
    println!(
        "workspace index of 10,000 RFCs ({references} references): {:.0} ms (median of 3, files in the page cache), {} MB resident for the index",
        ms(median(scans)),
        rss_kb().saturating_sub(rss_before) / 1024
    );
    rfc_index(&index_dir);
    if std::env::args().any(|a| a == "--keep") {
        println!(
            "kept {} and {} for profiling",
            dir.display(),
            index_dir.display()
        );
    } else {
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&index_dir);
    }
}

/// `rfc-lsp index --format json` (the release binary) over the 10,000 RFCs of `dir`:
/// each file read once, its metadata from its head, on every core.
fn rfc_index(dir: &Path) {
    let out = dir.join("index.json");
    let runs: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let o = Command::new(env!("CARGO_BIN_EXE_rfc-lsp"))
                .args(["index", "--format", "json", "-o"])
                .arg(&out)
                .current_dir(dir)
                .output()
                .expect("rfc-lsp runs");
            let took = start.elapsed();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            took
        })
        .collect();
    let feed = std::fs::read_to_string(&out).unwrap_or_default();
    assert_eq!(feed.matches("\"file\":").count(), 10_000);
    println!(
        "rfc-lsp index of 10,000 RFCs: {:.0} ms wall (median of 5, {}-{} ms)",
        ms(median(runs.clone())),
        ms(*runs.iter().min().unwrap_or(&Duration::ZERO)) as u64,
        ms(*runs.iter().max().unwrap_or(&Duration::ZERO)) as u64
    );
}

/// This process's resident memory (VmRSS), KB.
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
