//! Real RFC repositories out of the box: `rfc-lsp init` and `check` with no configuration,
//! on repositories written in the styles public RFC repositories use (fixtures in
//! `tests/fixtures/repos/`, our own text): plain `- Key: value` list metadata with `##`
//! sections and no title, and YAML frontmatter with two templates. Each clean repository
//! gets no finding; each planted fault is reported alone, on its line.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn rfc_lsp(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rfc-lsp"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", dir.join(".cache"))
        .output()
        .expect("the binary runs")
}

/// A fresh copy of a fixture repository (with a `.git` folder: a repository's root).
fn copy(name: &str, tag: &str) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/repos")
        .join(name);
    let to = std::env::temp_dir().join(format!("rfc-lsp-init-{name}-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    common::copy_dir(&from, &to);
    std::fs::create_dir_all(to.join(".git")).expect("a .git folder");
    to
}

/// `check --format json` of the whole repository: (file name, code, line) of each finding.
fn findings(dir: &Path) -> Vec<(String, String, u64)> {
    let o = rfc_lsp(dir, &["check", "--no-cache", "--format", "json", "."]);
    let items: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("JSON from check: {}", String::from_utf8_lossy(&o.stderr)));
    items
        .as_array()
        .expect("an array")
        .iter()
        .map(|i| {
            let path = i["path"].as_str().unwrap_or("");
            let name = Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            (
                name.unwrap_or_default(),
                i["code"].as_str().unwrap_or("").to_string(),
                i["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("fixture text");
    assert!(text.contains(from), "{} contains {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("written");
}

#[test]
fn init_describes_a_list_metadata_repository_and_never_overwrites() {
    let dir = copy("list-style", "init");
    let o = rfc_lsp(&dir, &["init", "--print", "."]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let config = String::from_utf8_lossy(&o.stdout);
    for line in [
        "rfcs: [\"text/[0-9]*.md\"]",
        "skeleton: 0000-template.md",
        "metadata: list",
        "Summary: required",
        "Drawbacks: required",
        "Start Date: { kind: date }",
    ] {
        assert!(config.contains(line), "{line:?} in:\n{config}");
    }
    // Two of the eight leave Alternatives out: optional, not required.
    assert!(!config.contains("Alternatives: required"), "{config}");
    let notes = String::from_utf8_lossy(&o.stderr);
    assert!(notes.contains("8 numbered documents in text"), "{notes}");

    assert_eq!(rfc_lsp(&dir, &["init", "."]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join(".rfc-lsp.yaml")).expect("written"),
        config
    );
    let again = rfc_lsp(&dir, &["init", "."]);
    assert_eq!(again.status.code(), Some(2), "an existing file is kept");
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(
        rfc_lsp(&dir, &["init", "--force", "."]).status.code(),
        Some(0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn init_in_a_folder_without_rfcs_writes_nothing_and_says_why() {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-init-none-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("README.md"), "# Notes\n\nNothing numbered here.\n").expect("written");
    let o = rfc_lsp(&dir, &["init", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 Markdown file(s) seen"));
    assert!(!dir.join(".rfc-lsp.yaml").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_list_metadata_repository_is_clean_without_a_config_and_each_fault_is_found_alone() {
    let dir = copy("list-style", "faults");
    // Clean, including 0003 whose sections are H1s and 0002/0006 without Alternatives.
    assert_eq!(findings(&dir), []);
    // What a repository does once: the configuration is written, then RFCs change (with no
    // file, a fault in one of only eight RFCs would be read as the repository's way).
    assert_eq!(rfc_lsp(&dir, &["init", "."]).status.code(), Some(0));
    assert_eq!(findings(&dir), []);
    let text = dir.join("text");

    // Footnotes defined under the field that cites them (as Rust's RFC 3668 has): the
    // fields below them still count.
    let sandbox = text.join("0004-plugin-sandbox.md");
    let clean = std::fs::read_to_string(&sandbox).expect("fixture text");
    edit(
        &sandbox,
        "- Feature Name: `plugin_sandbox`\n",
        "- Feature Name: `plugin_sandbox`[^name]\n[^name]: Renamed once, see the discussion.\n",
    );
    assert_eq!(findings(&dir), []);
    // Above the fields, as Rust RFCs have it: a `##` title, a license in an HTML comment
    // whose lines start with `--`, a title as a plain line. The fields are still read.
    for top in [
        "## Plugin sandbox\n\n",
        "<!---\n-- Copyright 2025 Example.\n-- Licensed under MIT.\n-->\n\n",
        "Plugins: a sandbox for them\n\n",
    ] {
        std::fs::write(&sandbox, format!("{top}{clean}")).expect("written");
        assert_eq!(findings(&dir), [], "{top:?}");
    }
    std::fs::write(&sandbox, &clean).expect("written back");

    edit(
        &text.join("0004-plugin-sandbox.md"),
        "- Start Date: 2025-05-14",
        "- Start Date: 2025-13-14",
    );
    assert_eq!(
        findings(&dir),
        [("0004-plugin-sandbox.md".into(), "date-invalid".into(), 2)]
    );
    edit(
        &text.join("0004-plugin-sandbox.md"),
        "- Start Date: 2025-13-14",
        "- Start Date: 2025-05-14",
    );

    // Template guidance left in a section, on its line.
    edit(
        &text.join("0005-stable-ids.md"),
        "One more setting to document and to keep working.",
        "Why should we *not* do this?",
    );
    assert_eq!(
        findings(&dir),
        [(
            "0005-stable-ids.md".into(),
            "section-placeholder".into(),
            26
        )]
    );
    edit(
        &text.join("0005-stable-ids.md"),
        "Why should we *not* do this?",
        "One more setting to document and to keep working.",
    );

    // A required section deleted; a field removed.
    edit(
        &text.join("0007-cold-start-cache.md"),
        "## Drawbacks\n[drawbacks]: #drawbacks\n\nOne more setting to document and to keep working.\n",
        "",
    );
    edit(
        &text.join("0008-config-schema.md"),
        "- RFC PR: [example/rfcs#8](https://example.com/rfcs/pull/8)\n",
        "",
    );
    let found = findings(&dir);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("0007-cold-start-cache.md", "section-missing")
    );
    assert_eq!(
        found[1],
        ("0008-config-schema.md".into(), "field-missing".into(), 1)
    );

    // A broken anchor and a number used twice.
    let dir2 = copy("list-style", "faults2");
    assert_eq!(rfc_lsp(&dir2, &["init", "."]).status.code(), Some(0));
    let text = dir2.join("text");
    edit(
        &text.join("0001-lazy-config-reload.md"),
        "See [the motivation](#motivation)",
        "See [the motivation](#motive)",
    );
    std::fs::copy(
        text.join("0006-retry-budget.md"),
        text.join("0006-retry-budget-copy.md"),
    )
    .expect("copied");
    let mut found = findings(&dir2);
    found.sort();
    assert_eq!(
        found,
        [
            (
                "0001-lazy-config-reload.md".into(),
                "link-broken".into(),
                21
            ),
            (
                "0006-retry-budget-copy.md".into(),
                "rfc-duplicate".into(),
                1
            ),
            ("0006-retry-budget.md".into(), "rfc-duplicate".into(), 1),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&dir2);
}

#[test]
fn a_frontmatter_repository_with_two_templates_is_clean_and_a_stage_typo_is_found() {
    let dir = copy("frontmatter-style", "faults");
    // Lists and mappings in the frontmatter, date-times, both templates: clean.
    assert_eq!(findings(&dir), []);
    assert_eq!(rfc_lsp(&dir, &["init", "."]).status.code(), Some(0));
    let o = rfc_lsp(
        &dir,
        &[
            "check",
            "--no-cache",
            "--format",
            "json",
            "text/0004-deprecate-global-resolver.md",
        ],
    );
    let items: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(items, serde_json::json!([]));

    let text = dir.join("text");
    edit(
        &text.join("0009-build-output-manifest.md"),
        "stage: released",
        "stage: relased",
    );
    edit(
        &text.join("0004-deprecate-global-resolver.md"),
        "Another concept to learn for people new to the framework.",
        "> Why should we *not* do this?",
    );
    let mut found = findings(&dir);
    found.sort();
    assert_eq!(
        found,
        [
            (
                "0004-deprecate-global-resolver.md".into(),
                "section-placeholder".into(),
                33
            ),
            (
                "0009-build-output-manifest.md".into(),
                "status-invalid".into(),
                2
            ),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_table_metadata_repository_is_clean_without_a_config_and_each_fault_is_found_alone() {
    let dir = copy("table-style", "faults");
    // Clean: a header row that is a field, rows without outer pipes, a cell continued on
    // the next line, `Authors` for `Author(s)`, a status written as a link, answered
    // prompts of the template, a `[RFC]` tag in a title, an appendix at H1, a TBD in a
    // sentence.
    assert_eq!(findings(&dir), []);
    let o = rfc_lsp(&dir, &["init", "."]);
    assert_eq!(o.status.code(), Some(0));
    let config = std::fs::read_to_string(dir.join(".rfc-lsp.yaml")).expect("written");
    for line in [
        "metadata: table",
        "Status: { kind: enum, values: [Proposed, Accepted, Implemented, Withdrawn] }",
        "Updated: { kind: date }",
        "\"Author(s)\": {}   # set in 8 of 8",
    ] {
        assert!(config.contains(line), "{line:?} in:\n{config}");
    }
    assert_eq!(findings(&dir), []);
    let designs = dir.join("designs");
    let doc = designs.join("20240506-metrics-cardinality.md");
    let original = std::fs::read_to_string(&doc).expect("fixture");
    let plant = |from: &str, to: &str| {
        std::fs::write(&doc, original.replacen(from, to, 1)).expect("written");
        assert_ne!(
            std::fs::read_to_string(&doc).expect("read"),
            original,
            "{from}"
        );
        findings(&dir)
    };
    let name = "20240506-metrics-cardinality.md".to_string();
    let one = |code: &str, line: u64| vec![(name.clone(), code.to_string(), line)];
    assert_eq!(
        plant("| 2024-05-08 |", "| 2024-05-38 |"),
        one("date-invalid", 8)
    );
    assert_eq!(
        plant(
            "| Status        | Accepted |",
            "| Status        | Acepted |"
        ),
        one("status-invalid", 3)
    );
    assert_eq!(
        plant(
            "Whether the flag should be per tenant or global.",
            "What do you want the reviewers to decide?"
        ),
        one("section-placeholder", 39)
    );
    assert_eq!(
        plant("| **Reviewer**  | Kofi Adde (kofi@example.com) |\n", ""),
        one("field-missing", 3)
    );
    let found = plant(
        "## Background\n\nA single label holding user ids once created four million series in an hour.\n\nSee the [proposal](#proposal) for what changes.\n\n",
        "",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "section-missing");
    std::fs::write(&doc, &original).expect("restored");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_sidecar_metadata_repository_reports_on_the_yaml_beside_each_rfc() {
    let dir = copy("sidecar-style", "faults");
    assert_eq!(findings(&dir), []);
    assert_eq!(rfc_lsp(&dir, &["init", "."]).status.code(), Some(0));
    let config = std::fs::read_to_string(dir.join(".rfc-lsp.yaml")).expect("written");
    for line in [
        "sidecar: proposal.yaml",
        "metadata: frontmatter",
        "status: { kind: enum, values: [draft, accepted, implemented, rejected, withdrawn] }",
        "created: { kind: date }",
    ] {
        assert!(config.contains(line), "{line:?} in:\n{config}");
    }
    assert_eq!(findings(&dir), []);
    let proposals = dir.join("proposals");
    edit(
        &proposals.join("0102-tenant-quotas/proposal.yaml"),
        "created: 2025-02-03",
        "created: 2025-02-30",
    );
    edit(
        &proposals.join("0106-config-validation/proposal.yaml"),
        "status: accepted",
        "status: acepted",
    );
    edit(
        &proposals.join("0104-audit-trail/proposal.yaml"),
        "owning-team: platform-security\n",
        "",
    );
    std::fs::remove_file(proposals.join("0105-log-sampling/proposal.yaml")).expect("removed");
    let mut found = findings(&dir);
    found.sort();
    assert_eq!(
        found,
        [
            ("README.md".into(), "metadata-missing".into(), 1),
            ("proposal.yaml".into(), "date-invalid".into(), 8),
            ("proposal.yaml".into(), "field-missing".into(), 1),
            ("proposal.yaml".into(), "status-invalid".into(), 7),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn older_rfcs_written_before_the_template_took_its_form_follow_a_template_of_their_era() {
    let dir = copy("era-style", "era");
    // Twelve early RFCs with sections of their own and no Feature Name: clean.
    assert_eq!(findings(&dir), []);
    assert_eq!(rfc_lsp(&dir, &["init", "."]).status.code(), Some(0));
    let config = std::fs::read_to_string(dir.join(".rfc-lsp.yaml")).expect("written");
    for line in [
        "numbers: \">=13\"\n    template: rfc\n",
        "numbers: \"<13\"\n    template: rfc-before-13\n",
        "guidance: none",
        "Start Date: { kind: date, required: false }",
    ] {
        assert!(config.contains(line), "{line:?} in:\n{config}");
    }
    assert_eq!(findings(&dir), []);
    let text = dir.join("text");
    // An old RFC lacking a field is history; a wrong date is still wrong.
    edit(
        &text.join("0005-rotating-loading.md"),
        "- Proposal PR: [example/proposals#5](https://example.com/proposals/pull/5)\n",
        "",
    );
    edit(
        &text.join("0005-rotating-loading.md"),
        "- Start Date: 2019-06-10",
        "- Start Date: 2019-16-10",
    );
    // A new one lacking a section is a fault.
    edit(
        &text.join("0020-probed-writes.md"),
        "## Drawbacks\n\nOne more setting to document.\n\n",
        "",
    );
    let mut found = findings(&dir);
    found.sort();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        found[0],
        ("0005-rotating-loading.md".into(), "date-invalid".into(), 1)
    );
    assert_eq!(
        (found[1].0.as_str(), found[1].1.as_str()),
        ("0020-probed-writes.md", "section-missing")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn url_fields_take_addresses_and_links_and_nothing_else() {
    let dir = copy("list-style", "urls");
    assert_eq!(rfc_lsp(&dir, &["init", "."]).status.code(), Some(0));
    edit(
        &dir.join(".rfc-lsp.yaml"),
        "RFC PR: {}",
        "RFC PR: { kind: url }",
    );
    assert_eq!(findings(&dir), [], "links to https addresses are URLs");
    let doc = dir.join("text/0003-structured-logs.md");
    let text = std::fs::read_to_string(&doc).expect("fixture");
    let line = text
        .lines()
        .position(|l| l.starts_with("- RFC PR:"))
        .expect("a PR line") as u64
        + 1;
    let pr = text
        .lines()
        .find(|l| l.starts_with("- RFC PR:"))
        .expect("a PR line");
    edit(&doc, pr, "- RFC PR: <https://example.com/rfcs/pull/3>");
    assert_eq!(findings(&dir), []);
    edit(
        &doc,
        "- RFC PR: <https://example.com/rfcs/pull/3>",
        "- RFC PR: the third one",
    );
    assert_eq!(
        findings(&dir),
        [(
            "0003-structured-logs.md".into(),
            "field-format".into(),
            line
        )]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn citations_in_the_repositorys_own_form_are_detected_and_a_wrong_number_is_found() {
    // Proposals that cite each other as `XP-0003` (and mention UTF-8, RFC 3986 and an
    // issue elsewhere, which are no proposals of this repository).
    let dir = std::env::temp_dir().join(format!("rfc-lsp-init-cite-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let proposals = dir.join("proposals");
    std::fs::create_dir_all(&proposals).expect("a folder");
    std::fs::create_dir_all(dir.join(".git")).expect("a .git folder");
    let skeleton = "# Feature name\n\n* Proposal: [XP-NNNN](NNNN-filename.md)\n* Status: **Awaiting review**\n\n## Motivation\n\nWhy.\n\n## Detailed design\n\nHow.\n";
    std::fs::write(proposals.join("0000-template.md"), skeleton).expect("written");
    let names = [
        "quiet-start",
        "lazy-maps",
        "short-ids",
        "flat-logs",
        "warm-cache",
        "slim-config",
        "late-binding",
        "tidy-errors",
    ];
    for (i, name) in names.iter().enumerate() {
        let n = i + 1;
        let cites = if n > 2 {
            format!(
                "It builds on XP-{:04} and on [XP-{:04}]({:04}-{}.md).",
                n - 1,
                n - 2,
                n - 2,
                names[n - 3]
            )
        } else {
            "It stands alone.".to_string()
        };
        let text = format!(
            "# The {name} change\n\n* Proposal: [XP-{n:04}]({n:04}-{name}.md)\n* Status: **Accepted**\n\n## Motivation\n\nThe {name} change keeps UTF-8 names and RFC 3986 addresses, as\nexample/tracker#512 asked.\n\n## Detailed design\n\n{cites}\n"
        );
        std::fs::write(proposals.join(format!("{n:04}-{name}.md")), text).expect("written");
    }
    assert_eq!(findings(&dir), []);
    assert_eq!(rfc_lsp(&dir, &["init", "."]).status.code(), Some(0));
    let config = std::fs::read_to_string(dir.join(".rfc-lsp.yaml")).expect("written");
    assert!(config.contains("references:"), "{config}");
    assert!(config.contains("- \"XP-NNNN\""), "{config}");
    assert!(
        !config.contains("RFC NNNN") && !config.contains("tracker#"),
        "{config}"
    );
    assert_eq!(findings(&dir), []);
    // A citation of a number no proposal has: found, on its line, alone.
    edit(
        &proposals.join("0007-late-binding.md"),
        "on XP-0006",
        "on XP-0060",
    );
    assert_eq!(
        findings(&dir),
        [(
            "0007-late-binding.md".into(),
            "reference-unknown".into(),
            13
        )]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_era_of_rfcs_named_by_date_starts_on_a_date() {
    let dir = copy("era-style", "era-dated");
    let text = dir.join("text");
    // `0013-x.md` becomes `20190113-x.md`, `0040-x.md` `20190209-x.md`.
    let mut entries: Vec<_> = std::fs::read_dir(&text)
        .expect("the folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let n: u32 = name[..4].parse().expect("a number");
        let (month, day) = if n <= 31 { (1, n) } else { (2, n - 31) };
        let dated = format!("2019{month:02}{day:02}{}", &name[4..]);
        std::fs::rename(&path, text.join(dated)).expect("renamed");
    }
    assert_eq!(rfc_lsp(&dir, &["init", "."]).status.code(), Some(0));
    let config = std::fs::read_to_string(dir.join(".rfc-lsp.yaml")).expect("written");
    for line in [
        "since: 2019-01-13\n    template: rfc\n",
        "before: 2019-01-13\n    template: rfc-before-",
    ] {
        assert!(config.contains(line), "{line:?} in:\n{config}");
    }
    assert_eq!(findings(&dir), []);
    edit(
        &text.join("20190120-probed-writes.md"),
        "## Drawbacks\n\nOne more setting to document.\n\n",
        "",
    );
    // An old one without its Details is history.
    edit(
        &text.join("20190105-rotating-loading.md"),
        "# Details\n\nHow rotating loading works, step by step: first the setting, then the behaviour.\n\n",
        "",
    );
    let found = findings(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("20190120-probed-writes.md", "section-missing")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
