//! `rfc-lsp check` as CI meets it: the real binary on fixture folders, each output format,
//! the exit codes, .gitignore, and a broken config file. The human report is snapshotted
//! in `tests/snapshots/check/` (`UPDATE_SNAPSHOTS=1` to accept a change).

use std::process::{Command, Output};

use serde_json::Value;

fn rfc_lsp(args: &[&str]) -> Output {
    rfc_lsp_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// The binary run in `dir`.
fn rfc_lsp_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rfc-lsp"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // The results cache goes to a folder of the tests', not the user's.
        .env("XDG_CACHE_HOME", cache_home())
        .output()
        .expect("the binary runs")
}

/// A fresh repository in the temp folder (`.git` marks its root) with an empty `rfcs/`.
fn repository(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("a temp dir");
    std::fs::create_dir_all(dir.join(".git")).expect("a repository root");
    dir
}

fn cache_home() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("rfc-lsp-check-cache-{}", std::process::id()))
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn snapshot(name: &str, actual: &str) {
    let path = format!(
        "{}/tests/snapshots/check/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(std::path::Path::new(&path).parent().expect("parent"))
            .expect("writable");
        std::fs::write(&path, actual).expect("written");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {path}: UPDATE_SNAPSHOTS=1"));
    assert!(
        expected == actual,
        "{name} differs from its snapshot; UPDATE_SNAPSHOTS=1 to accept:\n{actual}"
    );
}

/// `check` parses with tree-sitter allocating through mimalloc (src/syntax/alloc.rs):
/// the findings must be those of the C library's allocator, byte for byte.
#[test]
fn the_findings_do_not_depend_on_the_allocator_trees_live_in() {
    let args = [
        "check",
        "--no-cache",
        "--format",
        "json",
        "examples/",
        "tests/fixtures/check/",
        "tests/fixtures/config/",
        "src/template/builtin/",
    ];
    let fast = rfc_lsp(&args);
    let system = Command::new(env!("CARGO_BIN_EXE_rfc-lsp"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RFC_LSP_SYSTEM_MALLOC", "1")
        .output()
        .expect("the binary runs");
    assert_eq!(fast.status.code(), system.status.code());
    let findings = stdout(&fast);
    assert!(findings.matches("\"code\"").count() >= 10, "{findings}");
    assert_eq!(findings, stdout(&system));
}

#[test]
fn the_examples_pass_with_exit_0() {
    let o = rfc_lsp(&["check", "examples/"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(stdout(&o), "");
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("checked 5 RFC(s) of 6 Markdown file(s): 0 error(s), 0 warning(s)")
    );
    let o = rfc_lsp(&["check", "--deny-warnings", "examples/"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn a_broken_rfc_fails_with_exit_1_and_a_readable_report() {
    let o = rfc_lsp(&["check", "tests/fixtures/check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(!out.contains("ignored"), ".gitignore is respected");
    assert!(
        !out.contains("notes.md"),
        "a Markdown file that is not an RFC gets nothing"
    );
    snapshot("human.txt", &out);
}

#[test]
fn json_has_exactly_the_documented_keys() {
    let o = rfc_lsp(&["check", "--format", "json", "tests/fixtures/check"]);
    assert_eq!(o.status.code(), Some(1));
    let items: Value = serde_json::from_str(&stdout(&o)).expect("one JSON array");
    let items = items.as_array().expect("an array");
    assert!(items.len() > 10);
    let mut keys: Vec<&str> = items[0]
        .as_object()
        .expect("objects")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "code",
            "column",
            "end_column",
            "end_line",
            "line",
            "message",
            "path",
            "severity",
            "template"
        ]
    );
    let status = items
        .iter()
        .find(|i| i["code"] == "status-invalid")
        .expect("the status finding");
    assert_eq!(
        status["path"],
        "tests/fixtures/check/rfcs/rfc-001-broken-cache.md"
    );
    assert_eq!(
        (status["line"].as_u64(), status["column"].as_u64()),
        (Some(5), Some(9))
    );
    assert_eq!(
        (status["end_line"].as_u64(), status["end_column"].as_u64()),
        (Some(5), Some(17))
    );
    assert_eq!(status["severity"], "error");
    assert_eq!(status["template"], "docuchango");
    for i in items {
        assert!(
            ["error", "warning", "information", "hint"]
                .contains(&i["severity"].as_str().unwrap_or(""))
        );
    }
}

#[test]
fn github_and_sarif_formats() {
    let o = rfc_lsp(&["check", "--format", "github", "tests/fixtures/check"]);
    let out = stdout(&o);
    assert!(
        out.lines().all(|l| l.starts_with("::error ")
            || l.starts_with("::warning ")
            || l.starts_with("::notice ")),
        "{out}"
    );
    assert!(out.contains("::error file=tests/fixtures/check/rfcs/rfc-001-broken-cache.md,line=5,col=9,endLine=5,endColumn=17,title=rfc-lsp status-invalid::"));
    let o = rfc_lsp(&["check", "--format", "sarif", "tests/fixtures/check"]);
    let log: Value = serde_json::from_str(&stdout(&o)).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "rfc-lsp");
    let results = run["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "uuid-invalid" && r["level"] == "error")
    );
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert!(region["startLine"].as_u64().is_some() && region["startColumn"].as_u64().is_some());
}

#[test]
fn warnings_fail_only_with_deny_warnings_and_a_forced_template_applies() {
    // The Markdown skeleton of a template is full of placeholder warnings but, as metadata
    // values go, also of placeholders (warnings), and sections are all there.
    let dir = std::env::temp_dir().join(format!("rfc-lsp-cli-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");
    let file = dir.join("rfcs/rfc-010-x.md");
    let text = include_str!("../examples/rfc-015-feature-flag-service.md").replace(
        "## Backward Compatibility\n",
        "## Backward Compatibility\n\n[Say what breaks.]\n",
    );
    std::fs::write(&file, text).expect("written");
    let path = file.to_string_lossy().to_string();
    let o = rfc_lsp(&["check", &path]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "warnings alone pass: {}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("warning[section-placeholder]"));
    let o = rfc_lsp(&["check", "--deny-warnings", &path]);
    assert_eq!(o.status.code(), Some(1));
    // Forcing another template checks against that one instead.
    let o = rfc_lsp(&[
        "check",
        "--template",
        "docuchango",
        "--format",
        "json",
        &path,
    ]);
    let items: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert!(
        items
            .as_array()
            .expect("array")
            .iter()
            .all(|i| i["template"] == "docuchango")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_usage_and_unreadable_input_exit_2() {
    assert_eq!(rfc_lsp(&["check", "no/such/folder"]).status.code(), Some(2));
    assert_eq!(
        rfc_lsp(&["check", "--template", "nope", "examples/"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        rfc_lsp(&["check", "--format", "xml", "examples/"])
            .status
            .code(),
        Some(2)
    );
    let dir = std::env::temp_dir().join(format!("rfc-lsp-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("rfc-001-bin.md"), [0xff, 0xfe, 0x00, b'#']).expect("written");
    let o = rfc_lsp(&["check", &dir.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not valid UTF-8"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A CI that names its configuration must not pass by checking nothing when the file is
/// missing or is not YAML.
#[test]
fn a_named_config_that_is_missing_or_broken_exits_2() {
    let o = rfc_lsp(&["check", "--config", "no/such/config.yaml", "examples/"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--config no/such/config.yaml: cannot read the configuration"),
        "{err}"
    );
    assert!(stdout(&o).is_empty(), "nothing checked: {}", stdout(&o));

    let dir = std::env::temp_dir().join(format!("rfc-lsp-bad-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = dir.join("broken.yaml");
    std::fs::write(&config, "severity:\n  section-missing: [off\n").expect("written");
    let o = rfc_lsp(&["check", "--config", &config.to_string_lossy(), "examples/"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("YAML error") && err.contains("broken.yaml:"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `exclude:` takes files out of the check and the index; `*` in a glob stays in one
/// folder.
#[test]
fn exclude_globs_and_single_folder_stars() {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-exclude-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs/old")).expect("temp dir");
    let rfc = |n: u32| {
        format!(
            "---\nid: rfc-{n:03}\nstatus: Draft\n---\n\n# RFC-{n:03}: Sample\n\n## Summary\n\nShort.\n"
        )
    };
    std::fs::write(dir.join("rfcs/rfc-001-a.md"), rfc(1)).expect("written");
    // The same number: a duplicate, unless the file is excluded.
    std::fs::write(dir.join("rfcs/rfc-001-copy.md"), rfc(1)).expect("written");
    std::fs::write(dir.join("rfcs/old/rfc-002-b.md"), rfc(2)).expect("written");
    std::fs::write(
        dir.join(".rfc-lsp.yaml"),
        "exclude: [\"rfcs/*-copy.md\", \"rfcs/*/rfc-002-*.md\"]\nseverity: { section-missing: off }\n",
    )
    .expect("written");
    let o = rfc_lsp(&[
        "check",
        "--no-cache",
        "--format",
        "json",
        &dir.to_string_lossy(),
    ]);
    let items: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let paths: Vec<&str> = items
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["path"].as_str())
        .collect();
    assert!(
        !paths
            .iter()
            .any(|p| p.contains("copy") || p.contains("rfc-002")),
        "{paths:?}"
    );
    assert!(
        !items
            .as_array()
            .expect("array")
            .iter()
            .any(|i| i["code"] == "rfc-duplicate"),
        "{items:#}"
    );
    // `rfcs/*.md` does not reach into rfcs/old/.
    std::fs::write(dir.join(".rfc-lsp.yaml"), "exclude: [\"rfcs/*.md\"]\n").expect("written");
    let o = rfc_lsp(&[
        "check",
        "--no-cache",
        "--format",
        "json",
        &dir.to_string_lossy(),
    ]);
    let items: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let paths: Vec<&str> = items
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["path"].as_str())
        .collect();
    assert!(paths.iter().all(|p| p.contains("rfc-002")), "{paths:?}");
    assert!(!paths.is_empty(), "rfcs/old/rfc-002-b.md is still checked");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_config_is_reported_on_the_config_file_and_the_rest_applies() {
    let o = rfc_lsp(&["check", "--format", "json", "tests/fixtures/config"]);
    let items: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let items = items.as_array().expect("array");
    let config: Vec<&Value> = items
        .iter()
        .filter(|i| i["code"] == "config-invalid")
        .collect();
    let messages: Vec<&str> = config
        .iter()
        .map(|i| i["message"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(config.len(), 5, "{messages:#?}");
    assert!(config.iter().all(|i| {
        i["path"]
            .as_str()
            .is_some_and(|p| p.ends_with(".rfc-lsp.yaml"))
    }));
    assert!(
        messages
            .iter()
            .any(|m| m.contains("no template named `no-such-template`"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("unknown rule `not-a-rule`"))
    );
    // The custom template still loads, its severity override applies, and its skeleton
    // is not itself checked as an RFC.
    let status = items
        .iter()
        .find(|i| i["code"] == "status-invalid")
        .expect("the custom status rule");
    assert_eq!(status["template"], "team");
    assert_eq!(status["severity"], "warning");
    assert!(!items.iter().any(|i| {
        i["path"]
            .as_str()
            .is_some_and(|p| p.contains("team-skeleton"))
    }));
}

#[test]
fn templates_lists_and_prints_the_builtins() {
    let o = rfc_lsp(&["templates"]);
    let out = stdout(&o);
    for name in [
        "docuchango",
        "design-review",
        "approval",
        "guided",
        "multi-app",
    ] {
        assert!(out.contains(name), "{name} listed");
    }
    assert!(
        out.contains("(42 sections, 39 required, 5 example headings)"),
        "{out}"
    );
    let o = rfc_lsp(&["templates", "design-review"]);
    let note = String::from_utf8_lossy(&o.stderr);
    assert!(
        note.contains("`#### Component A`") && !stdout(&o).contains("note:"),
        "{note}"
    );
    let o = rfc_lsp(&["templates", "approval"]);
    assert!(stdout(&o).starts_with("# RFC: [Title]"));
    assert!(stdout(&o).contains("## Status\n- **Status**: Proposed"));
    assert_eq!(rfc_lsp(&["templates", "nope"]).status.code(), Some(2));
}

#[test]
fn the_cache_answers_an_unchanged_tree_and_notices_a_changed_file() {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-cache-tree-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");
    let broken = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/check/rfcs/rfc-001-broken-cache.md"),
    )
    .expect("fixture");
    let file = dir.join("rfcs/rfc-001-broken-cache.md");
    std::fs::write(&file, &broken).expect("written");
    let cache = dir.join("cache");
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json", "--cache-dir"];
        args.push(cache.to_str().expect("UTF-8 path"));
        args.push(dir.to_str().expect("UTF-8 path"));
        args.extend_from_slice(extra);
        rfc_lsp(&args)
    };
    let first = run(&[]);
    assert_eq!(first.status.code(), Some(1));
    assert!(
        std::fs::read_dir(&cache).is_ok_and(|mut d| d.next().is_some()),
        "the cache was written"
    );
    let again = run(&[]);
    assert_eq!(stdout(&again), stdout(&first), "cached output is identical");
    assert_eq!(stdout(&run(&["--no-cache"])), stdout(&first));
    // Fix the status: the cache must not answer for the changed file.
    let before = stdout(&again).matches("status-invalid").count();
    assert!(before > 0);
    let fixed = broken.replacen("status: Inreview", "status: In Review", 1);
    assert_ne!(fixed, broken, "the fixture has the bad status");
    std::fs::write(&file, fixed).expect("written");
    let after = run(&[]);
    assert!(stdout(&after).matches("status-invalid").count() < before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cached_files_still_meet_the_cross_document_rules_of_a_changed_neighbour() {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-cache-xdoc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");
    let a = dir.join("rfcs/rfc-001-a.md");
    let b = dir.join("rfcs/rfc-002-b.md");
    std::fs::write(
        &a,
        "# RFC-001: A\n\nBuilds on RFC-002 and [its design](rfc-002-b.md#design).\n",
    )
    .expect("written");
    std::fs::write(&b, "# RFC-002: B\n\n## Design\n\nText.\n").expect("written");
    let cache = dir.join("cache");
    let run = || {
        let o = rfc_lsp(&[
            "check",
            "--format",
            "json",
            "--cache-dir",
            cache.to_str().expect("UTF-8 path"),
            dir.join("rfcs").to_str().expect("UTF-8 path"),
        ]);
        stdout(&o)
    };
    let first = run();
    assert!(!first.contains("link-broken") && !first.contains("reference-unknown"));
    assert_eq!(run(), first, "warm run, same answer");
    // B loses its heading and becomes RFC-003: A is unchanged (answered from the cache)
    // and must now be told.
    std::fs::remove_file(&b).expect("removed");
    std::fs::write(dir.join("rfcs/rfc-003-b.md"), "# RFC-003: B\n\nText.\n").expect("written");
    let after = run();
    assert!(after.contains("reference-unknown"), "{after}");
    assert!(after.contains("link-broken"), "{after}");
    // A duplicate number appears: both files are told, the cached one too.
    std::fs::write(dir.join("rfcs/rfc-001-copy.md"), "# RFC-001: Copy\n").expect("written");
    assert_eq!(run().matches("rfc-duplicate").count(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `check one two` over two projects: each path follows its own root's `.rfc-lsp.yaml`
/// (as each workspace folder does in the editor), and each file's problems are reported on
/// it.
#[test]
fn each_path_follows_the_configuration_of_its_own_root() {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-check-roots-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let sparse =
        "---\nid: rfc-001\nstatus: Draft\n---\n\n# RFC-001: Sparse\n\n## Summary\n\nShort.\n";
    for (project, config) in [
        ("one", "severity:\n  section-missing: off\n"),
        (
            "two",
            "severity:\n  section-missing: hint\n  not-a-rule: error\n",
        ),
        ("three", ""),
    ] {
        std::fs::create_dir_all(dir.join(project).join("rfcs")).expect("temp dir");
        if !config.is_empty() {
            std::fs::write(dir.join(project).join(".rfc-lsp.yaml"), config).expect("written");
        } else {
            std::fs::create_dir_all(dir.join(project).join(".git")).expect("temp dir");
        }
        std::fs::write(dir.join(project).join("rfcs/rfc-001-sparse.md"), sparse).expect("written");
    }
    let path = |p: &str| dir.join(p).to_str().expect("UTF-8 path").to_string();
    let o = rfc_lsp(&[
        "check",
        "--no-cache",
        "--format",
        "json",
        &path("one/rfcs"),
        &path("two"),
        &path("three/rfcs/rfc-001-sparse.md"),
    ]);
    let findings: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let missing = |project: &str| -> Vec<String> {
        findings
            .as_array()
            .expect("an array")
            .iter()
            .filter(|f| f["code"] == "section-missing")
            .filter(|f| {
                f["path"]
                    .as_str()
                    .is_some_and(|p| p.contains(&format!("/{project}/")))
            })
            .map(|f| f["severity"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert!(missing("one").is_empty(), "one turns section-missing off");
    let two = missing("two");
    assert!(
        !two.is_empty() && two.iter().all(|s| s == "hint"),
        "{two:?}"
    );
    let three = missing("three");
    assert!(
        !three.is_empty() && three.iter().all(|s| s != "hint"),
        "defaults: {three:?}"
    );
    let config_problems: Vec<&Value> = findings
        .as_array()
        .expect("an array")
        .iter()
        .filter(|f| f["code"] == "config-invalid")
        .collect();
    assert_eq!(config_problems.len(), 1, "{findings}");
    assert!(
        config_problems[0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("two/.rfc-lsp.yaml")),
        "{findings}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn each_rfc_meets_the_nearest_docs_project() {
    // A monorepo: the root's docs-project.yaml says `storefront`; the catalog team keeps
    // its own below. The catalog RFC names its own project and is clean; the same RFC
    // beside the root's file is told which project id to use.
    let dir = std::env::temp_dir().join(format!("rfc-lsp-projects-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let rfc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/rfc-042-response-cache.md"),
    )
    .expect("the example");
    std::fs::create_dir_all(dir.join(".git")).expect("temp dir");
    std::fs::create_dir_all(dir.join("services/catalog/docs/rfcs")).expect("temp dir");
    std::fs::create_dir_all(dir.join("docs/rfcs")).expect("temp dir");
    std::fs::write(
        dir.join("docs-project.yaml"),
        "project:\n  id: storefront\n",
    )
    .expect("written");
    std::fs::write(
        dir.join("services/catalog/docs-project.yaml"),
        "project:\n  id: catalog-platform\n",
    )
    .expect("written");
    std::fs::write(
        dir.join("services/catalog/docs/rfcs/rfc-042-response-cache.md"),
        &rfc,
    )
    .expect("written");
    std::fs::write(dir.join("docs/rfcs/rfc-042-response-cache.md"), &rfc).expect("written");
    let codes_in = |p: &str| -> Vec<String> {
        let o = rfc_lsp(&[
            "check",
            "--no-cache",
            "--format",
            "json",
            dir.join(p).to_str().expect("UTF-8 path"),
        ]);
        let findings: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        findings
            .as_array()
            .expect("an array")
            .iter()
            .map(|f| f["code"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    // (The example cites its neighbours, which are not copied: only project ids count.)
    let mismatches = |p: &str| {
        codes_in(p)
            .iter()
            .filter(|c| *c == "project-id-mismatch")
            .count()
    };
    assert_eq!(mismatches("services/catalog/docs/rfcs"), 0);
    assert_eq!(mismatches("docs/rfcs"), 1);
    // Checked together, each file still meets its own project.
    assert_eq!(mismatches("."), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// (code, line, message) of each finding, by path, from `check --format json` of `paths`.
fn findings_by_file(
    paths: &[String],
) -> std::collections::BTreeMap<String, Vec<(String, u64, String)>> {
    let o = rfc_lsp(
        &[
            &["check", "--no-cache", "--format", "json"][..],
            &paths.iter().map(String::as_str).collect::<Vec<_>>(),
        ]
        .concat(),
    );
    let found: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let mut by_file: std::collections::BTreeMap<String, Vec<(String, u64, String)>> =
        Default::default();
    for f in found.as_array().expect("an array") {
        let path = std::fs::canonicalize(f["path"].as_str().expect("a path"))
            .expect("the file exists")
            .display()
            .to_string();
        by_file.entry(path).or_default().push((
            f["code"].as_str().unwrap_or_default().to_string(),
            f["line"].as_u64().unwrap_or_default(),
            f["message"].as_str().unwrap_or_default().to_string(),
        ));
    }
    by_file
}

#[test]
fn every_example_and_fixture_gets_the_same_findings_together_and_alone() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut stack = vec![root.join("examples"), root.join("tests/fixtures")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("a folder").flatten() {
            let p = e.path();
            // (`check`'s walk leaves out what .gitignore does; a named file is checked.)
            if p.ends_with("tests/fixtures/check/ignored") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                files.push(p.display().to_string());
            }
        }
    }
    files.sort();
    assert!(files.len() > 100, "{} files", files.len());
    let together = findings_by_file(&["examples".to_string(), "tests/fixtures".to_string()]);
    let mut differ = Vec::new();
    for file in &files {
        let alone = findings_by_file(std::slice::from_ref(file));
        let canonical = std::fs::canonicalize(file)
            .expect("exists")
            .display()
            .to_string();
        let a = alone.get(&canonical).cloned().unwrap_or_default();
        let t = together.get(&canonical).cloned().unwrap_or_default();
        if a != t {
            differ.push(format!("{file}:\n  together: {t:?}\n  alone:    {a:?}"));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn a_finding_far_along_a_long_line_is_shown_cut_around_it() {
    // Past column 65,535 a `{:pad$}` caret panicked and the report was lost.
    let dir = std::env::temp_dir().join(format!("rfc-lsp-long-line-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("rfc-001-long.md");
    let text = format!(
        "---\nid: rfc-001\n---\n# RFC-001: Long\n\n## Summary\n\n{} [TBD] end\n",
        "word ".repeat(20_000)
    );
    std::fs::write(&file, text).expect("written");
    let o = rfc_lsp(&["check", "--no-cache", file.to_str().expect("UTF-8 path")]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("8 | "))
        .expect("the snippet line");
    let caret = out
        .lines()
        .skip_while(|l| !l.starts_with("8 | "))
        .nth(1)
        .expect("the caret line");
    assert!(line.chars().count() < 140, "{line}");
    let at = caret.find('^').expect("a caret");
    // (Characters, not bytes: the line starts with `…`.)
    let under: String = line.chars().skip(at).take(5).collect();
    assert_eq!(under, "[TBD]", "{line}\n{caret}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn special_files_are_refused_not_read() {
    // /dev/zero filled the memory; a FIFO hung the run; both said "checked 0", exit 0.
    let o = rfc_lsp(&["check", "--no-cache", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/dev/zero: not a regular file"));
    let o = rfc_lsp(&["outline", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    let dir = std::env::temp_dir().join(format!("rfc-lsp-special-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let fifo = dir.join("rfc-001-pipe.md");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let o = rfc_lsp(&["check", "--no-cache", dir.to_str().expect("UTF-8 path")]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(String::from_utf8_lossy(&o.stderr).contains("rfc-001-pipe.md: not a regular file"));
        let o = rfc_lsp(&["check", "--no-cache", fifo.to_str().expect("UTF-8 path")]);
        assert_eq!(o.status.code(), Some(2));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn files_a_config_names_are_read_only_when_regular_and_small() {
    // `docs-project: /dev/zero` took a server to 21.7 GB; a FIFO as a skeleton blocked
    // the start for good. Each is now a problem on the config file, and the run ends.
    let dir = std::env::temp_dir().join(format!("rfc-lsp-config-paths-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");
    let fifo = dir.join("skeleton.md");
    let _ = Command::new("mkfifo").arg(&fifo).status();
    std::fs::write(
        dir.join(".rfc-lsp.yaml"),
        "docs-project: /dev/zero\ntemplates:\n  - name: team\n    skeleton: skeleton.md\n    metadata: frontmatter\n",
    )
    .expect("written");
    std::fs::write(
        dir.join("rfcs/rfc-001-x.md"),
        "---\nid: rfc-001\n---\n# RFC-001: X\n",
    )
    .expect("written");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rfc-lsp"))
        .args(["check", "--no-cache", "--format", "json"])
        .arg(dir.join("rfcs"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().expect("wait works").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("check did not finish within 20 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let o = child.wait_with_output().expect("the output");
    let findings: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let messages: Vec<&str> = findings
        .as_array()
        .expect("an array")
        .iter()
        .filter(|f| f["code"] == "config-invalid")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("/dev/zero: not a regular file")),
        "{messages:?}"
    );
    if fifo.exists() {
        assert!(
            messages
                .iter()
                .any(|m| m.contains("skeleton.md") && m.contains("not a regular file")),
            "{messages:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_config_file_schema_is_printed_as_kept_in_the_repository() {
    let o = rfc_lsp(&["schema", "--config-file"]);
    assert!(o.status.success());
    let kept = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rfc-lsp.schema.json"),
    )
    .expect("the schema file");
    assert_eq!(String::from_utf8_lossy(&o.stdout), kept);
    let schema: serde_json::Value = serde_json::from_str(&kept).expect("JSON");
    assert_eq!(schema["title"], ".rfc-lsp.yaml");
}

#[test]
fn the_pre_commit_hook_runs_check_on_the_markdown_files_it_is_given() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let hooks =
        std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).expect("the hooks file");
    let (node, error) = rfc_lsp::syntax::yaml::parse(&hooks, 0);
    assert!(error.is_none(), "{error:?}");
    let node = node.expect("a list");
    let hook = &node.items()[0];
    let field = |k: &str| {
        hook.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(field("id"), "rfc-lsp");
    assert_eq!(field("language"), "rust");
    assert_eq!(field("pass_filenames"), "true");
    // pre-commit runs the entry with the staged Markdown files appended.
    let entry = field("entry");
    let args: Vec<&str> = entry.split_whitespace().collect();
    assert_eq!(args[0], "rfc-lsp");
    let good = root.join("examples/rfc-042-response-cache.md");
    let bad = root.join("tests/fixtures/check/rfcs/rfc-001-broken-cache.md");
    let run = |file: &std::path::Path| {
        let mut all: Vec<&str> = args[1..].to_vec();
        all.push(file.to_str().expect("a UTF-8 path"));
        rfc_lsp(&all).status.code()
    };
    assert_eq!(run(&good), Some(0));
    assert_eq!(run(&bad), Some(1));
}

#[test]
fn fix_applies_the_safe_fixes_says_each_and_diff_shows_them_without_writing() {
    let dir = repository("fix");
    let file = dir.join("rfcs/rfc-001-broken-cache.md");
    let original = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/check/rfcs/rfc-001-broken-cache.md"),
    )
    .expect("the fixture");
    std::fs::write(&file, &original).expect("written");
    let run = |args: &[&str]| rfc_lsp_in(&dir, args);
    // --diff: a unified diff on stdout, nothing written, exit 1 (something would change).
    let diff = run(&["check", "--no-cache", "--diff", "rfcs"]);
    assert_eq!(diff.status.code(), Some(1));
    let shown = String::from_utf8_lossy(&diff.stdout).to_string();
    assert!(
        shown.starts_with(
            "--- a/rfcs/rfc-001-broken-cache.md\n+++ b/rfcs/rfc-001-broken-cache.md\n@@ -"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("\n-slug: cache\n+slug: rfc-002-broken-cache\n"),
        "{shown}"
    );
    assert_eq!(std::fs::read_to_string(&file).expect("there"), original);
    // --fix: written, each fix said on stderr, what is left reported and decides the exit.
    let fixed = run(&["check", "--no-cache", "--fix", "--format", "json", "rfcs"]);
    let said = String::from_utf8_lossy(&fixed.stderr).to_string();
    assert!(
        said.contains("fixed rfcs/rfc-001-broken-cache.md:3: Set `slug`"),
        "{said}"
    );
    assert!(said.contains("(section-missing)"), "{said}");
    let now = std::fs::read_to_string(&file).expect("there");
    assert!(
        now.contains("slug: rfc-002-broken-cache\n") && now.contains("### Problem Statement\n")
    );
    // What the writer typed stays, right or wrong: the status, the impossible date.
    assert!(now.contains("status: Inreview\n") && now.contains("created: 2026-02-30\n"));
    let left: serde_json::Value = serde_json::from_slice(&fixed.stdout).expect("JSON");
    let codes: Vec<&str> = left
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"status-invalid") && !codes.contains(&"section-missing"),
        "{codes:?}"
    );
    assert_eq!(fixed.status.code(), Some(1));
    // A second run has nothing to fix; --diff agrees.
    let again = run(&["check", "--no-cache", "--fix", "rfcs"]);
    assert!(!String::from_utf8_lossy(&again.stderr).contains("fixed "));
    assert_eq!(std::fs::read_to_string(&file).expect("there"), now);
    let diff = run(&["check", "--no-cache", "--diff", "rfcs"]);
    assert_eq!((diff.status.code(), diff.stdout.len()), (Some(0), 0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn index_lists_every_rfc_as_json_and_keeps_a_markdown_table_between_markers() {
    let json = rfc_lsp(&["index", "--format", "json", "examples"]);
    assert!(json.status.success());
    let feed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(feed["schema_version"], 1);
    let rfcs = feed["rfcs"].as_array().expect("a list");
    let numbers: Vec<&str> = rfcs.iter().filter_map(|r| r["number"].as_str()).collect();
    assert_eq!(numbers, ["2026-007", "15", "23", "31", "42"]);
    let cache = &rfcs[4];
    assert_eq!(
        cache["title"],
        "RFC-042: Response Cache for the Catalog API"
    );
    assert_eq!(cache["status"], "In Review");
    assert_eq!(cache["authors"], serde_json::json!(["Maren Okafor"]));
    assert_eq!(cache["file"], "examples/rfc-042-response-cache.md");
    for key in ["created", "updated", "tags", "successor"] {
        assert!(cache.get(key).is_some(), "{key} in {cache}");
    }

    // Markdown into a file: between the markers, the rest untouched, a second run the same.
    let dir = std::env::temp_dir().join(format!("rfc-lsp-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let readme = dir.join("README.md");
    std::fs::write(
        &readme,
        "# Our RFCs\n\n<!-- rfc-index:start -->\nstale\n<!-- rfc-index:end -->\n\nThe end.\n",
    )
    .expect("written");
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let out = readme.to_str().expect("UTF-8");
    let run = || rfc_lsp(&["index", "-o", out, examples.to_str().expect("UTF-8")]);
    assert!(run().status.success());
    let written = std::fs::read_to_string(&readme).expect("there");
    // The start marker names the folder indexed (not the README's own), from the README.
    assert!(
        written.starts_with("# Our RFCs\n\n<!-- rfc-index:start ../"),
        "{written}"
    );
    assert!(
        written.contains("/examples -->\n| RFC | Title | Status |"),
        "{written}"
    );
    assert!(
        written.ends_with("<!-- rfc-index:end -->\n\nThe end.\n"),
        "{written}"
    );
    assert!(!written.contains("stale"));
    // Links lead from the README to the files.
    assert!(written.contains("(../"), "{written}");
    assert_eq!(
        written.matches("\n| ").count(),
        1 + 5,
        "the header and five RFCs:\n{written}"
    );
    assert!(run().status.success());
    assert_eq!(std::fs::read_to_string(&readme).expect("there"), written);
    // Without a path, the folders the marker names are indexed again.
    assert!(rfc_lsp(&["index", "-o", out]).status.success());
    assert_eq!(std::fs::read_to_string(&readme).expect("there"), written);
    // A file without the markers is refused and left alone.
    std::fs::write(&readme, "# No markers\n").expect("written");
    assert_eq!(run().status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&readme).expect("there"),
        "# No markers\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_examples_readme_lists_the_examples_as_index_writes_them() {
    // examples/README.md's table is what `rfc-lsp index -o examples/README.md examples`
    // writes: rerun on a copy, the file comes out the same.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("rfc-lsp-examples-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("examples")).expect("a temp dir");
    for e in std::fs::read_dir(root.join("examples")).expect("examples/") {
        let e = e.expect("an entry").path();
        std::fs::copy(
            &e,
            dir.join("examples").join(e.file_name().expect("a name")),
        )
        .expect("copied");
    }
    std::fs::create_dir_all(dir.join(".git")).expect("a repository root");
    let readme = dir.join("examples/README.md");
    let kept = std::fs::read_to_string(&readme).expect("examples/README.md");
    let o = rfc_lsp_in(&dir, &["index", "-o", "examples/README.md", "examples"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(&readme).expect("there"),
        kept,
        "examples/README.md is stale: run `cargo run -- index -o examples/README.md examples`"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_stale_index_is_found_by_check_and_rewritten_by_fix() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = repository("stale-index");
    for name in [
        "rfc-042-response-cache.md",
        "rfc-015-feature-flag-service.md",
    ] {
        std::fs::copy(
            root.join("examples").join(name),
            dir.join("rfcs").join(name),
        )
        .expect("copied");
    }
    let intro = "# RFCs\n\nWhat we decided.\n\n";
    let outro = "\n## How to propose one\n\nCopy the template.\n";
    std::fs::write(
        dir.join("README.md"),
        format!("{intro}<!-- rfc-index:start -->\n<!-- rfc-index:end -->\n{outro}"),
    )
    .expect("written");
    let run = |args: &[&str]| rfc_lsp_in(&dir, args);
    let readme = || std::fs::read_to_string(dir.join("README.md")).expect("the README");
    // An empty block is stale; `index -o` fills it and check is clean.
    let o = run(&["check", "--no-cache", "--format", "json", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(run(&["index", "-o", "README.md"]).status.success());
    let written = readme();
    assert!(
        written.starts_with(intro) && written.ends_with(outro),
        "{written}"
    );
    assert_eq!(written.matches("\n| ").count(), 1 + 2, "{written}");
    let o = run(&["check", "--no-cache", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // An RFC's status changes: the README's block is stale, on its start marker.
    let cache = dir.join("rfcs/rfc-042-response-cache.md");
    let text = std::fs::read_to_string(&cache).expect("the RFC");
    std::fs::write(
        &cache,
        text.replace("status: In Review", "status: Accepted"),
    )
    .expect("written");
    let o = run(&["check", "--no-cache", "--format", "json", "."]);
    assert_eq!(o.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    // (The two RFCs cite examples not copied here: those warnings are not this test's.)
    let stale: Vec<&serde_json::Value> = (findings.as_array().expect("a list").iter())
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(stale.len(), 1, "{stale:?}");
    let f = stale[0];
    assert_eq!(f["code"], "index-stale");
    assert_eq!(f["path"], "./README.md");
    assert_eq!(f["line"], 5);
    let message = f["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("RFC 42: Status `In Review` → `Accepted`")
            && message.contains("rfc-lsp index -o README.md"),
        "{message}"
    );
    // --fix rewrites the table, keeps the rest, and says so; then all is clean.
    let o = run(&["check", "--no-cache", "--fix", "."]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("fixed ./README.md:5: Rewrite the RFC index (index-stale)"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let fixed = readme();
    assert!(
        fixed.starts_with(intro) && fixed.ends_with(outro),
        "{fixed}"
    );
    assert!(
        fixed.contains("| Accepted |") && !fixed.contains("| In Review |"),
        "{fixed}"
    );
    assert_eq!(run(&["check", "--no-cache", "."]).status.code(), Some(0));
    // A page elsewhere whose marker names the folder it indexes: stale while empty, then
    // written by `index -o` without a path (the marker says which), then clean.
    std::fs::create_dir_all(dir.join("docs")).expect("docs/");
    std::fs::write(
        dir.join("docs/index.md"),
        "# Index\n\n<!-- rfc-index:start ../rfcs -->\n<!-- rfc-index:end -->\n",
    )
    .expect("written");
    let o = run(&["check", "--no-cache", "docs"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("2 RFC(s) missing: RFC 15, RFC 42"),
        "{}",
        stdout(&o)
    );
    assert!(run(&["index", "-o", "docs/index.md"]).status.success());
    let page = std::fs::read_to_string(dir.join("docs/index.md")).expect("written");
    assert!(
        page.contains("<!-- rfc-index:start ../rfcs -->\n| RFC |")
            && page.contains("(../rfcs/rfc-042-response-cache.md)"),
        "{page}"
    );
    assert_eq!(run(&["check", "--no-cache", "docs"]).status.code(), Some(0));
    // `index-stale: off` in the config silences it.
    std::fs::write(&cache, text).expect("written back");
    std::fs::write(dir.join(".rfc-lsp.yaml"), "severity:\n  index-stale: off\n").expect("written");
    let o = run(&["check", "--no-cache", "."]);
    assert!(!stdout(&o).contains("index-stale"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
