//! Exactness on RFCs written from the five built-in templates. `tests/fixtures/exactness/`
//! (the set the rules were tuned on) and `tests/fixtures/exactness-blind/` (written apart,
//! from the team templates, and first checked after the tuning) each hold one folder per
//! template (each a team's RFC set with its own numbering), with
//! clean RFCs and RFCs each carrying one planted fault; `manifest.tsv` says which
//! (`path, code or CLEAN, line, what`).
//!
//! The test runs the real `check` binary on each folder, and on each file alone, and holds
//! the result to the manifest: every planted fault found with its code on its line, and no
//! other error or warning anywhere (information is allowed). Both ways give each file the
//! same findings.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const ROOTS: [&str; 2] = [
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/exactness"),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/exactness-blind"
    ),
];

/// (code, line) of every error or warning `check` reports, by path relative to ROOT.
fn check(root: &str, paths: &[String]) -> BTreeMap<String, Vec<(String, u64)>> {
    let cache = std::env::temp_dir().join(format!("rfc-lsp-exactness-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_rfc-lsp"))
        .args(["check", "--no-cache", "--format", "json"])
        .args(paths)
        .env("XDG_CACHE_HOME", cache)
        .output()
        .expect("the binary runs");
    let found: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON from check {paths:?}: {e}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut by_file: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for f in found.as_array().expect("an array") {
        let severity = f["severity"].as_str().unwrap_or_default();
        if severity != "error" && severity != "warning" {
            continue;
        }
        let path = f["path"].as_str().expect("a path");
        let rel = Path::new(path)
            .strip_prefix(root)
            .unwrap_or(Path::new(path))
            .to_string_lossy()
            .into_owned();
        by_file.entry(rel).or_default().push((
            f["code"].as_str().expect("a code").to_string(),
            f["line"].as_u64().expect("a line"),
        ));
    }
    by_file
}

fn manifest(root: &str) -> BTreeMap<String, Vec<(String, u64)>> {
    let text = std::fs::read_to_string(format!("{root}/manifest.tsv")).expect("the manifest");
    let mut expected: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 3, "manifest line {line:?}");
        let entry = expected.entry(cols[0].to_string()).or_default();
        if cols[1] != "CLEAN" {
            entry.push((cols[1].to_string(), cols[2].parse().expect("a line number")));
        }
    }
    expected
}

fn compare(
    how: &str,
    expected: &BTreeMap<String, Vec<(String, u64)>>,
    found: &BTreeMap<String, Vec<(String, u64)>>,
) {
    let mut problems = Vec::new();
    for (path, want) in expected {
        let mut got = found.get(path).cloned().unwrap_or_default();
        got.sort();
        let mut want = want.clone();
        want.sort();
        if got != want {
            problems.push(format!("{path}: expected {want:?}, found {got:?}"));
        }
    }
    for path in found.keys().filter(|p| !expected.contains_key(*p)) {
        problems.push(format!(
            "{path}: not in the manifest, found {:?}",
            found[path]
        ));
    }
    assert!(
        problems.is_empty(),
        "{how}: {} file(s) differ from the manifest:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_planted_fault_is_found_on_its_line_and_nothing_else_checked_by_folder() {
    for root in ROOTS {
        let expected = manifest(root);
        let mut folders: Vec<String> = expected
            .keys()
            .filter_map(|p| p.split('/').next())
            .map(|t| format!("{root}/{t}"))
            .collect();
        folders.dedup();
        assert_eq!(folders.len(), 5, "one folder per built-in template");
        let mut found = BTreeMap::new();
        for folder in &folders {
            found.extend(check(root, std::slice::from_ref(folder)));
        }
        compare(&format!("{root} checked by folder"), &expected, &found);
        let faults: usize = expected.values().map(Vec::len).sum();
        let clean = expected.values().filter(|v| v.is_empty()).count();
        assert!(
            faults >= 15 && clean >= 15,
            "{faults} faults, {clean} clean"
        );
    }
}

#[test]
fn each_file_checked_alone_gets_the_same_findings() {
    for root in ROOTS {
        let expected = manifest(root);
        let mut found = BTreeMap::new();
        for path in expected.keys() {
            found.extend(check(root, &[format!("{root}/{path}")]));
        }
        compare(&format!("{root} checked one by one"), &expected, &found);
    }
}
