//! `rfc-lsp index` as other tools and readers meet it: the JSON feed held to its schema
//! (docs/rfc-index.schema.json, by Python's `jsonschema`), and the HTML page loaded in a
//! headless Chromium, where its filters and search are used through the address
//! (`#status=Accepted`) and the rows it shows are counted, with a screenshot of each view
//! in target/index-page/.
//!
//! Python's `jsonschema` and Chromium are not part of a Rust toolchain: without them the
//! tests that need them say so and pass, unless `RFC_LSP_REQUIRE_TOOLS=1` (as in .ci/run).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const TOPICS: &[&str] = &[
    "Response cache for the catalog API",
    "Feature flag service",
    "Audit log export",
    "Team invitations",
    "Job retry policy",
    "Search index rebuilds",
    "Tenant data residency",
    "Webhook delivery guarantees",
    "Rate limits per API key",
    "Schema migrations without downtime",
    "Billing event stream",
    "Session tokens rotation",
];
const STATUSES: &[&str] = &[
    "Draft",
    "In Review",
    "Accepted",
    "Implemented",
    "Rejected",
    "Superseded",
];
const AUTHORS: &[&str] = &[
    "Maren Okafor",
    "Hiroshi Tanaka",
    "Priya Raman",
    "Lukas Brandt",
    "Ana Souza",
];
const TAGS: &[&str] = &["performance", "security", "api", "data", "billing"];

/// A workspace of `n` RFCs in the docuchango style: numbers 1..=n, statuses, authors,
/// tags and years (2019-2026) in turn. Returns its root.
fn workspace(name: &str, n: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("a temp dir");
    std::fs::create_dir_all(dir.join(".git")).expect("a repository root");
    for i in 1..=n {
        let topic = TOPICS[i % TOPICS.len()];
        let slug = topic.to_lowercase().replace(' ', "-");
        let status = STATUSES[i % STATUSES.len()];
        // More RFCs in the later years, as a process grows.
        let year = 2019 + (7.0 * (i as f64 / n as f64).sqrt()) as usize;
        let tags = [TAGS[i % TAGS.len()], TAGS[(i / 2) % TAGS.len()]];
        let tags = if tags[0] == tags[1] {
            vec![tags[0]]
        } else {
            tags.to_vec()
        };
        let successor = if status == "Superseded" {
            format!("superseded_by: rfc-{:03}\n", i + 1)
        } else {
            String::new()
        };
        let text = format!(
            "---\nid: \"rfc-{i:03}\"\nslug: rfc-{i:03}-{slug}\ntitle: \"RFC-{i:03}: {topic}\"\nstatus: {status}\n\
             created: {year}-0{m}-1{d}\nupdated: {year}-0{m}-2{d}\nauthor: {author}\ntags: [{tags}]\n{successor}---\n\n\
             # RFC-{i:03}: {topic}\n\n## Summary\n\nWhat this RFC proposes, in a sentence.\n",
            m = 1 + i % 9,
            d = i % 9,
            author = AUTHORS[i % AUTHORS.len()],
            tags = tags
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", "),
        );
        std::fs::write(dir.join(format!("rfcs/rfc-{i:03}-{slug}.md")), text).expect("written");
    }
    dir
}

fn index(dir: &Path, args: &[&str]) -> std::process::Output {
    let o = Command::new(env!("CARGO_BIN_EXE_rfc-lsp"))
        .arg("index")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// Whether a tool this test needs is missing; says so (or fails under
/// `RFC_LSP_REQUIRE_TOOLS=1`).
fn missing(tool: &str, why: &str) -> bool {
    if std::env::var("RFC_LSP_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!("{tool} is needed: {why}");
    }
    let _ = writeln!(std::io::stderr(), "skipped: {tool} is needed: {why}");
    true
}

#[test]
fn the_json_feed_has_the_fields_its_schema_names_and_passes_a_validator() {
    let dir = workspace("feed", 30);
    let o = index(&dir, &["--format", "json"]);
    let feed: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rfc-index.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).expect("the schema"))
            .expect("JSON");
    // Without a validator: every RFC has exactly the fields the schema lists.
    let mut fields: Vec<&str> = schema["$defs"]["rfc"]["required"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    fields.sort_unstable();
    let rfcs = feed["rfcs"].as_array().expect("a list");
    assert_eq!(rfcs.len(), 30);
    for rfc in rfcs {
        let mut keys: Vec<&str> = rfc
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, fields);
    }
    assert_eq!(rfcs[0]["number"], "1");
    assert_eq!(rfcs[4]["successor"], "rfc-006");
    assert_eq!(rfcs[5]["predecessors"], serde_json::json!(["5"]));
    // A real validator (Draft 2020-12): the schema is a schema, and the feed follows it.
    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  jsonschema.Draft202012Validator.check_schema(schema)\n\
                  errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(json.load(sys.stdin))]\n\
                  print(json.dumps(errors))\n";
    let run = Command::new("python3")
        .args(["-c", script])
        .arg(&schema_path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = run else {
        missing("python3", "to validate the feed against its JSON Schema");
        return;
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&o.stdout)
        .expect("fed");
    let out = child.wait_with_output().expect("ran");
    if String::from_utf8_lossy(&out.stderr).contains("No module named 'jsonschema'") {
        missing(
            "Python's jsonschema",
            "to validate the feed (python3 -m pip install jsonschema)",
        );
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Chromium, from `RFC_LSP_CHROMIUM` or the usual names.
fn chromium() -> Option<String> {
    let names = std::env::var("RFC_LSP_CHROMIUM")
        .map(|c| vec![c])
        .unwrap_or_else(|_| {
            vec![
                "chromium".into(),
                "chromium-browser".into(),
                "google-chrome".into(),
            ]
        });
    names.into_iter().find(|n| {
        Command::new(n)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Chromium's arguments for a page on this machine (root in CI: no sandbox).
const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--no-first-run",
];

/// The page at `url` as Chromium has it once its script ran.
fn dom(browser: &str, url: &str) -> String {
    let o = Command::new(browser)
        .args(HEADLESS)
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The rows of the table and how many of them are shown.
fn rows(dom: &str) -> (usize, usize) {
    let all = dom.matches("<tr data-status=").count();
    let hidden = dom
        .split("<tr data-status=")
        .skip(1)
        .filter(|r| r[..r.find('>').unwrap_or(0)].contains(" hidden"))
        .count();
    (all, all - hidden)
}

fn screenshot(browser: &str, url: &str, file: &Path) {
    let o = Command::new(browser)
        .args(HEADLESS)
        .arg("--window-size=1200,860")
        .arg(format!("--screenshot={}", file.display()))
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    assert!(size > 20_000, "{} is {size} bytes", file.display());
}

#[test]
fn the_index_page_filters_by_status_tag_and_year_and_searches_titles_in_chromium() {
    let dir = workspace("page", 48);
    index(&dir, &["--format", "html", "-o", "index.html"]);
    let page = std::fs::read_to_string(dir.join("index.html")).expect("the page");
    // Without JavaScript the table is all there, each title a link to its file.
    assert_eq!(page.matches("<tr data-status=").count(), 48);
    assert!(page.contains(
        "<a href=\"rfcs/rfc-001-feature-flag-service.md\">RFC-001: Feature flag service</a>"
    ));
    let feed: Value =
        serde_json::from_slice(&index(&dir, &["--format", "json"]).stdout).expect("JSON");
    let rfcs = feed["rfcs"].as_array().expect("a list");
    let count = |f: &dyn Fn(&Value) -> bool| rfcs.iter().filter(|r| f(r)).count();
    let Some(browser) = chromium() else {
        missing(
            "Chromium",
            "to load the index page (apt-get install chromium)",
        );
        return;
    };
    let url = |view: &str| format!("file://{}#{view}", dir.join("index.html").display());
    // Nothing chosen: every row.
    assert_eq!(rows(&dom(&browser, &url(""))), (48, 48));
    // By status: as many rows as the feed has RFCs of it.
    let accepted = count(&|r| r["status"] == "Accepted");
    assert_eq!(accepted, 8);
    let d = dom(&browser, &url("status=Accepted"));
    assert_eq!(rows(&d), (48, accepted));
    assert!(d.contains("8 of 48 RFCs shown"), "the count line");
    // The timeline counts the accepted RFCs of each year.
    let accepted_2025 = count(&|r| {
        r["status"] == "Accepted" && r["created"].as_str().is_some_and(|c| c.starts_with("2025"))
    });
    let bar = &d[d
        .find("<a href=\"#\" data-year=\"2025\"")
        .expect("a 2025 bar")..];
    let shown_2025 = bar
        .split_once("<small>")
        .and_then(|(_, rest)| rest.split_once("</small>"))
        .map(|(n, _)| n);
    assert_eq!(shown_2025, Some(accepted_2025.to_string().as_str()));
    // By tag, by year (the timeline), and words of titles.
    let security = count(&|r| {
        r["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "security"))
    });
    assert_eq!(rows(&dom(&browser, &url("tag=security"))).1, security);
    let in_2024 = count(&|r| r["created"].as_str().is_some_and(|c| c.starts_with("2024")));
    assert_eq!(rows(&dom(&browser, &url("year=2024"))).1, in_2024);
    let cache = count(&|r| {
        r["title"]
            .as_str()
            .is_some_and(|t| t.to_lowercase().contains("cache"))
    });
    assert_eq!(cache, 4);
    assert_eq!(rows(&dom(&browser, &url("q=CACHE%20api"))).1, cache);
    assert_eq!(
        rows(&dom(&browser, &url("status=Accepted&q=nothing-like-it"))).1,
        0
    );
    // The views as a reader sees them.
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/index-page");
    std::fs::create_dir_all(&shots).expect("target/index-page");
    screenshot(&browser, &url(""), &shots.join("all.png"));
    screenshot(
        &browser,
        &url("status=Accepted"),
        &shots.join("accepted.png"),
    );
    let _ = std::fs::remove_dir_all(&dir);
}
