//! End-to-end tests of the real binary over stdio: the handshake, and 2,000 rapid
//! incremental edits after which the server's text and outline are the client's.

mod common;

use common::lsp::Client;
use common::{Rng, expected_outline, lsp_range, random_edit, reported_outline};
use rfc_lsp::text::Encoding;
use serde_json::{Value, json};

const EXAMPLE: &str = include_str!("../examples/rfc-042-response-cache.md");
const URI: &str = "file:///tmp/rfcs/rfc-042-response-cache.md";

/// A typing-like edit: mostly single characters at a moving cursor, some deletes and
/// newlines, and now and then a random edit or paste anywhere.
fn next_edit(rng: &mut Rng, text: &str, cursor: &mut usize) -> (usize, usize, String) {
    let bytes = text.as_bytes();
    let snap = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at)
            || (at > 0 && bytes[at - 1] == b'\r' && bytes.get(at) == Some(&b'\n'))
        {
            at -= 1;
        }
        at
    };
    *cursor = snap(*cursor);
    let edit = match rng.below(20) {
        0..=12 => {
            let c = ["a", "e", " ", "é", "😀", "日", "-", "#", "*"][rng.below(9)];
            (*cursor, *cursor, c.to_string())
        }
        13 | 14 => {
            let start = snap(cursor.saturating_sub(1));
            (start, *cursor, String::new())
        }
        15 => (*cursor, *cursor, "\n".to_string()),
        _ => random_edit(rng, text),
    };
    *cursor = edit.0 + edit.2.len();
    edit
}

fn rapid_edits(encoding: &str, enc: Encoding, seed: u64) {
    let (mut client, init) = Client::start(&[encoding]);
    assert_eq!(init["capabilities"]["positionEncoding"], json!(encoding));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "markdown", "version": 0, "text": EXAMPLE } }),
    );
    let mut text = EXAMPLE.to_string();
    let mut rng = Rng::new(seed);
    let mut cursor = text
        .find("## Motivation")
        .expect("the example has a Motivation section");
    for version in 1..=2000 {
        let (start, end, insert) = next_edit(&mut rng, &text, &mut cursor);
        let range = lsp_range(&text, &(start..end), enc);
        text.replace_range(start..end, &insert);
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": URI, "version": version },
                "contentChanges": [{ "range": range, "text": insert }],
            }),
        );
    }
    let state = client.request("rfc-lsp/inspect", json!({ "textDocument": { "uri": URI } }));
    assert_eq!(state["version"], json!(2000));
    assert!(
        state["text"] == json!(text),
        "the server's text diverged from the client's"
    );
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert_eq!(reported_outline(&symbols), expected_outline(&text, enc));
    let status = client.shutdown();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn two_thousand_rapid_edits_in_utf16_leave_the_clients_text_and_outline() {
    rapid_edits("utf-16", Encoding::Utf16, 7);
}

#[test]
fn two_thousand_rapid_edits_in_utf8_leave_the_clients_text_and_outline() {
    rapid_edits("utf-8", Encoding::Utf8, 8);
}

#[test]
fn the_handshake_negotiates_the_encoding_and_declares_features_statically() {
    let (client, init) = Client::start(&["utf-32", "utf-16"]);
    let caps = &init["capabilities"];
    assert_eq!(
        caps["positionEncoding"],
        json!("utf-16"),
        "utf-8 only when offered, else utf-16"
    );
    assert_eq!(
        caps["textDocumentSync"]["change"],
        json!(2),
        "incremental sync"
    );
    assert_eq!(caps["documentSymbolProvider"], json!(true));
    assert_eq!(caps["foldingRangeProvider"], json!(true));
    assert_eq!(init["serverInfo"]["name"], json!("rfc-lsp"));
    assert!(client.shutdown().success());

    let (client, init) = Client::start(&["utf-16", "utf-8"]);
    assert_eq!(init["capabilities"]["positionEncoding"], json!("utf-8"));
    assert!(client.shutdown().success());
}

#[test]
fn folding_ranges_cover_frontmatter_sections_and_code() {
    let (mut client, _) = Client::start(&["utf-16"]);
    let text = "---\nid: rfc-001\n---\n\n# T\n\n## A\n\n```sh\n# c\n```\n\n## B\nx\n";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "markdown", "version": 0, "text": text } }),
    );
    let folds = client.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": URI } }),
    );
    let lines: Vec<(u64, u64)> = folds
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    // frontmatter 0-2, title 4-13, A 6-10, code 8-10, B 12-13
    assert_eq!(lines, vec![(0, 2), (4, 13), (6, 10), (8, 10), (12, 13)]);
    // A request for a document that is not open is an error, not a crash.
    let response = client.request_raw(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///nowhere.md" } }),
    );
    assert!(response.get("error").is_some());
    assert!(client.shutdown().success());
}

const BROKEN: &str = include_str!("fixtures/check/rfcs/rfc-001-broken-cache.md");
const BROKEN_URI: &str = "file:///tmp/rfcs/rfc-001-broken-cache.md";

fn codes(params: &serde_json::Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .or_else(|| params["items"].as_array())
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The labels of the completion items offered at `line`:`character` of `uri`.
fn completion_labels(client: &mut Client, uri: &str, line: u32, character: u32) -> Vec<String> {
    let items = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
    );
    let list = items.get("items").unwrap_or(&items);
    list.as_array()
        .expect("completion items")
        .iter()
        .filter_map(|i| i["label"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn diagnostics_are_pushed_with_their_version_to_a_client_that_does_not_pull() {
    let (mut client, init) = Client::start(&["utf-16"]);
    assert!(init["capabilities"].get("diagnosticProvider").is_none());
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": BROKEN_URI, "languageId": "markdown", "version": 3, "text": BROKEN } }),
    );
    let first = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == BROKEN_URI
    });
    assert_eq!(first["version"], 3);
    assert!(codes(&first).contains(&"status-invalid".to_string()));
    let status = first["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "status-invalid")
        .unwrap()
        .clone();
    assert_eq!(
        status["range"],
        json!({ "start": { "line": 4, "character": 8 }, "end": { "line": 4, "character": 16 } })
    );
    assert_eq!(status["severity"], 1);
    assert_eq!(status["source"], "rfc-lsp");
    // The findings across files come once the workspace is read (in the background): the
    // counts compared below are both of versions made after that.
    let mut ready = false;
    for _ in 0..500 {
        let state = client.request(
            "rfc-lsp/inspect",
            json!({ "textDocument": { "uri": BROKEN_URI } }),
        );
        if state["indexReady"] == true {
            ready = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(ready, "the workspace index is read");
    // A change that changes nothing (the status typed over with itself): version 4.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": BROKEN_URI, "version": 4 },
            "contentChanges": [{ "range": status["range"], "text": "Inreview" }],
        }),
    );
    let same = client.wait_for("textDocument/publishDiagnostics", |p| p["version"] == 4);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": BROKEN_URI, "version": 5 },
            "contentChanges": [{ "range": status["range"], "text": "In Review" }],
        }),
    );
    let second = client.wait_for("textDocument/publishDiagnostics", |p| p["version"] == 5);
    assert!(!codes(&second).contains(&"status-invalid".to_string()));
    assert_eq!(codes(&second).len() + 1, codes(&same).len());
    // Version 3's diagnostics were sent at most twice (before and after the index was
    // read), never the same twice (`first` was taken out of the list).
    let again: Vec<&serde_json::Value> = client
        .notifications
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["version"] == 3)
        .collect();
    assert!(again.len() <= 1, "{again:?}");
    if let Some(again) = again.first() {
        assert_ne!(again["params"], first);
    }
    assert!(client.shutdown().success());
}

#[test]
fn a_client_that_pulls_gets_answers_and_no_pushes() {
    let caps = json!({ "general": { "positionEncodings": ["utf-16"] }, "textDocument": { "diagnostic": { "dynamicRegistration": false } } });
    let (mut client, init) = Client::start_with(caps);
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["identifier"],
        "rfc-lsp"
    );
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": BROKEN_URI, "languageId": "markdown", "version": 1, "text": BROKEN } }),
    );
    let report = client.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": BROKEN_URI } }),
    );
    assert_eq!(report["kind"], "full");
    assert!(codes(&report).contains(&"uuid-invalid".to_string()));
    // A round trip after the open: any push would have arrived before this answer.
    client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": BROKEN_URI } }),
    );
    assert!(
        !client
            .notifications
            .iter()
            .any(|n| n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["uri"] == BROKEN_URI),
        "never both push and pull to one client"
    );
    assert!(client.shutdown().success());
}

#[test]
fn edits_name_the_version_they_were_made_for_when_the_client_takes_document_changes() {
    // Unversioned `changes` applied to a newer text corrupted it (`title: "In Review
    // Cache"`); a client taking `documentChanges` gets the version, and refuses a stale
    // edit.
    let caps = json!({
        "general": { "positionEncodings": ["utf-16"] },
        "workspace": { "applyEdit": true, "workspaceEdit": { "documentChanges": true } },
    });
    let (mut client, _) = Client::start_with(caps);
    client.notify("textDocument/didOpen", json!({ "textDocument": { "uri": BROKEN_URI, "languageId": "markdown", "version": 7, "text": BROKEN } }));
    let end = BROKEN.lines().count() as u32;
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": BROKEN_URI },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": end, "character": 0 } },
            "context": { "diagnostics": [] },
        }),
    );
    let actions = actions.as_array().expect("actions");
    assert!(!actions.is_empty());
    for a in actions {
        let changes = &a["edit"]["documentChanges"][0];
        assert_eq!(changes["textDocument"]["version"], 7, "{a}");
        assert_eq!(changes["textDocument"]["uri"], BROKEN_URI, "{a}");
        assert!(a["edit"].get("changes").is_none(), "{a}");
    }
    client.request(
        "workspace/executeCommand",
        json!({ "command": "rfc-lsp.insertMissingSections", "arguments": [BROKEN_URI] }),
    );
    let applied = client
        .notifications
        .iter()
        .rev()
        .find(|n| n["method"] == "workspace/applyEdit")
        .expect("an applyEdit");
    assert_eq!(
        applied["params"]["edit"]["documentChanges"][0]["textDocument"]["version"],
        7
    );
    assert!(client.shutdown().success());
}

#[test]
fn commands_list_templates_create_an_rfc_through_the_client_and_insert_sections() {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-cmd-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");
    std::fs::write(dir.join("rfcs/rfc-007-old.md"), "# RFC-007: Old\n").expect("written");
    let root = format!("file://{}", dir.display());
    let caps = json!({ "general": { "positionEncodings": ["utf-16"] }, "workspace": { "applyEdit": true } });
    let (mut client, init) = Client::start_with_root(caps, &root);
    let commands = &init["capabilities"]["executeCommandProvider"]["commands"];
    assert!(commands.as_array().is_some_and(|c| c.len() == 4));

    let list = client.request(
        "workspace/executeCommand",
        json!({ "command": "rfc-lsp.listTemplates", "arguments": [] }),
    );
    let names: Vec<&str> = list
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "docuchango",
            "design-review",
            "approval",
            "guided",
            "multi-app"
        ]
    );

    // Outside the workspace: refused with the reason (`/` had the scan walk the disk).
    for outside in ["/", "/etc", "../escape"] {
        let refused = client.request_raw(
            "workspace/executeCommand",
            json!({ "command": "rfc-lsp.newRfc", "arguments": [{ "title": "Escape", "dir": outside }] }),
        );
        assert!(
            refused["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("is outside")),
            "{outside}: {refused}"
        );
    }
    let rfcs = dir.join("rfcs").display().to_string();
    let created = client.request(
        "workspace/executeCommand",
        json!({ "command": "rfc-lsp.newRfc", "arguments": [{ "title": "Cache Layer", "template": "docuchango", "dir": rfcs }] }),
    );
    let uri = created["uri"]
        .as_str()
        .expect("the new file's uri")
        .to_string();
    assert!(uri.ends_with("/rfcs/rfc-008-cache-layer.md"), "{uri}");
    assert!(
        !dir.join("rfcs/rfc-008-cache-layer.md").exists(),
        "the server never writes files itself"
    );
    let edit = client
        .notifications
        .iter()
        .find(|n| n["method"] == "workspace/applyEdit")
        .expect("an applyEdit")
        .clone();
    let ops = edit["params"]["edit"]["documentChanges"]
        .as_array()
        .expect("document changes");
    assert_eq!(ops[0]["kind"], "create");
    let text = ops[1]["edits"][0]["newText"]
        .as_str()
        .expect("the new text");
    assert!(
        text.contains("id: \"rfc-008\"")
            && text.contains("# RFC-008: Cache Layer")
            && text.contains("slug: rfc-008-cache-layer"),
        "{}",
        &text[..500.min(text.len())]
    );

    // The new RFC passes its own checks but for placeholders (warnings).
    let text = text.to_string();
    client.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }));
    let published = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str()
    });
    let errors: Vec<&Value> = published["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| d["severity"] == 1)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // Insert all missing sections into a short RFC: the client gets one edit.
    client.notify("textDocument/didOpen", json!({ "textDocument": { "uri": BROKEN_URI, "languageId": "markdown", "version": 1, "text": BROKEN } }));
    let answer = client.request(
        "workspace/executeCommand",
        json!({ "command": "rfc-lsp.insertMissingSections", "arguments": [BROKEN_URI] }),
    );
    assert!(answer["inserted"].as_u64().unwrap_or(0) >= 2, "{answer}");
    let last = client
        .notifications
        .iter()
        .rev()
        .find(|n| n["method"] == "workspace/applyEdit")
        .expect("an applyEdit");
    let edits = last["params"]["edit"]["changes"][BROKEN_URI]
        .as_array()
        .expect("edits for the document");
    let inserted: String = edits.iter().filter_map(|e| e["newText"].as_str()).collect();
    assert!(
        inserted.contains("## Alternatives Considered") && inserted.contains("### Goals"),
        "{inserted}"
    );
    let bad = client.request_raw(
        "workspace/executeCommand",
        json!({ "command": "rfc-lsp.nope", "arguments": [] }),
    );
    assert!(bad.get("error").is_some());
    assert!(client.shutdown().success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn changed_editor_settings_apply_at_once() {
    let (mut client, _) = Client::start(&["utf-16"]);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": BROKEN_URI, "languageId": "markdown", "version": 1, "text": BROKEN } }),
    );
    let first = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == BROKEN_URI
    });
    assert!(codes(&first).contains(&"status-invalid".to_string()));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "rfcLsp": { "severity": { "status-invalid": "off", "uuid-invalid": "hint" } } } }),
    );
    let second = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == BROKEN_URI && !codes(p).contains(&"status-invalid".to_string())
    });
    let uuid = second["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "uuid-invalid")
        .expect("still there");
    assert_eq!(uuid["severity"], 4, "now a hint");
    // Settings of the wrong shape are ignored (logged), and the defaults come back.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "rfcLsp": { "severity": 5 } } }),
    );
    client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == BROKEN_URI && codes(p).contains(&"status-invalid".to_string())
    });
    assert!(client.shutdown().success());
}

#[test]
fn an_edited_config_file_reloads_and_a_broken_one_keeps_the_last_good_settings() {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-cfg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");
    let config = dir.join(".rfc-lsp.yaml");
    std::fs::write(&config, "severity:\n  status-invalid: off\n").expect("written");
    let doc = dir.join("rfcs/rfc-001-broken-cache.md");
    std::fs::write(&doc, BROKEN).expect("written");
    let root = format!("file://{}", dir.display());
    let uri = format!("file://{}", doc.display());
    let config_uri = format!("file://{}", config.display());
    let (mut client, _) = Client::start_with_root(json!({}), &root);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": BROKEN } }),
    );
    let first = client.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == uri);
    assert!(!codes(&first).contains(&"status-invalid".to_string()));
    let changed = |client: &mut Client| {
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": config_uri, "type": 2 }] }),
        );
    };

    // Half-way through an edit the file does not parse: a diagnostic on the file, and the
    // last good settings stay in force for the open RFC.
    std::fs::write(&config, "severity:\n  status-invalid: [off\n").expect("written");
    changed(&mut client);
    let problems = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == config_uri.as_str()
    });
    let problems = codes(&problems);
    assert!(!problems.is_empty() && problems.iter().all(|c| c == "config-invalid"));
    // The RFC's findings stay as they were, so they are not pushed again (or, had the
    // index just been read, without status-invalid all the same).
    std::thread::sleep(std::time::Duration::from_millis(300));
    client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(!client.notifications.iter().any(|n| {
        n["method"] == "textDocument/publishDiagnostics"
            && n["params"]["uri"] == uri.as_str()
            && codes(&n["params"]).contains(&"status-invalid".to_string())
    }));

    // Fixed, with another setting: it applies and the file's diagnostics are cleared.
    std::fs::write(&config, "severity:\n  uuid-invalid: off\n").expect("written");
    changed(&mut client);
    let cleared = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == config_uri.as_str()
    });
    assert_eq!(cleared["diagnostics"], json!([]));
    // (The server may push more than once meanwhile, when the index is read: the push
    // with the new settings is the one that shows status-invalid again.)
    let now = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && codes(p).contains(&"status-invalid".to_string())
    });
    assert!(!codes(&now).contains(&"uuid-invalid".to_string()));

    // A client that watches nothing: the change is noticed at the next didOpen.
    std::fs::remove_file(&config).expect("removed");
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": format!("{root}/rfcs/other.md"), "languageId": "markdown", "version": 1, "text": "# Notes\n" } }),
    );
    // Both rules back on: the defaults (earlier pushes for the same file may still be
    // queued, each with the settings of its time).
    client.wait_for("textDocument/publishDiagnostics", |p| {
        let c = codes(p);
        p["uri"] == uri
            && c.contains(&"uuid-invalid".to_string())
            && c.contains(&"status-invalid".to_string())
    });
    assert!(client.shutdown().success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_workspace_is_indexed_in_the_background_with_progress() {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");
    for i in 0..1200 {
        std::fs::write(
            dir.join(format!("rfcs/rfc-{i:04}-x.md")),
            format!(
                "---\nid: rfc-{i:04}\ntags: [zebra-{}]\n---\n# RFC-{i:04}: X\n",
                i % 3
            ),
        )
        .expect("written");
    }
    let root = format!("file://{}", dir.display());
    let caps = json!({ "window": { "workDoneProgress": true } });
    let (mut client, _) = Client::start_with_root(caps, &root);
    // Requests are answered while the index is built.
    let templates = client.request(
        "workspace/executeCommand",
        json!({ "command": "rfc-lsp.listTemplates", "arguments": [] }),
    );
    assert!(templates.as_array().is_some_and(|t| t.len() == 5));
    let begin = client.wait_for("$/progress", |p| p["value"]["kind"] == "begin");
    assert_eq!(begin["token"], "rfc-lsp/index");
    client.wait_for("$/progress", |p| p["value"]["kind"] == "report");
    let end = client.wait_for("$/progress", |p| p["value"]["kind"] == "end");
    let message = end["value"]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("1200 RFCs in 1200 Markdown files"),
        "{message}"
    );

    // The index feeds tag completion.
    let uri = format!("{root}/rfcs/rfc-9999-new.md");
    let text = "---\nid: rfc-9999\ntags: [\n---\n# RFC-9999: New\n";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
    );
    let labels = completion_labels(&mut client, &uri, 2, 7);
    for tag in ["zebra-0", "zebra-1", "zebra-2"] {
        assert!(labels.iter().any(|l| l == tag), "{tag} in {labels:?}");
    }

    // An open buffer's tags count as its text has them now, not as the disk had them.
    let other = format!("{root}/rfcs/rfc-0001-x.md");
    let changed = "---\nid: rfc-0001\ntags: [okapi]\n---\n# RFC-0001: X\n";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": other, "languageId": "markdown", "version": 1, "text": changed } }),
    );
    client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == other.as_str()
    });
    let labels = completion_labels(&mut client, &uri, 2, 7);
    assert!(labels.iter().any(|l| l == "okapi"), "okapi in {labels:?}");
    assert!(client.shutdown().success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The server runs with glibc's malloc settings fixed (src/main.rs: with the defaults its
/// peak with a 50,000-line outline crept past 30 MB), the same process answering; a
/// setting the user made is left alone, and then none of them is set.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_server_runs_with_its_malloc_settings_unless_the_user_set_one() {
    let environ = |client: &Client| -> Vec<String> {
        let raw = std::fs::read(format!("/proc/{}/environ", client.pid())).expect("environ");
        raw.split(|&b| b == 0)
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .filter(|v| v.starts_with("MALLOC_"))
            .collect()
    };
    // Started and initialized: the process that ran itself again answers.
    let (client, _) = Client::start(&[]);
    let mut set = environ(&client);
    set.sort();
    assert_eq!(
        set,
        [
            "MALLOC_ARENA_MAX=2",
            "MALLOC_MMAP_THRESHOLD_=524288",
            "MALLOC_TRIM_THRESHOLD_=131072"
        ]
    );
    assert!(client.shutdown().success());

    let (client, _) = Client::start_with_env(&[("MALLOC_ARENA_MAX", "4")]);
    assert_eq!(environ(&client), ["MALLOC_ARENA_MAX=4"]);
    assert!(client.shutdown().success());
}

#[test]
fn the_workspace_pull_reports_closed_rfcs_and_answers_unchanged_for_what_the_client_has() {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-wsdiag-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rfcs")).expect("temp dir");
    let closed = dir.join("rfcs/rfc-001-broken-cache.md");
    std::fs::write(&closed, BROKEN).expect("written");
    let open_path = dir.join("rfcs/rfc-002-other.md");
    let open_text = BROKEN.replace("rfc-001", "rfc-002");
    std::fs::write(&open_path, &open_text).expect("written");
    std::fs::write(dir.join("rfcs/notes.md"), "# Notes\n\nNot an RFC.\n").expect("written");
    let root = format!("file://{}", dir.display());
    let caps = json!({ "general": { "positionEncodings": ["utf-16"] }, "textDocument": { "diagnostic": { "dynamicRegistration": false } } });
    let (mut client, init) = Client::start_with_root(caps, &root);
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        true
    );
    let open_uri = format!("file://{}", open_path.display());
    let closed_uri = format!("file://{}", closed.display());
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": open_uri, "languageId": "markdown", "version": 1, "text": open_text } }),
    );
    // Once the workspace is read (before, the answer is empty and the client asks again).
    let mut report = json!(null);
    for _ in 0..300 {
        report = client.request("workspace/diagnostic", json!({ "previousResultIds": [] }));
        if report["items"].as_array().is_some_and(|i| !i.is_empty()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let items = report["items"].as_array().expect("items").clone();
    // The closed RFC only: the open one is pulled by itself, the notes are no RFC.
    assert_eq!(items.len(), 1, "{report}");
    assert_eq!(items[0]["uri"], closed_uri.as_str());
    assert_eq!(items[0]["kind"], "full");
    let codes: Vec<&str> = items[0]["items"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"status-invalid"), "{codes:?}");
    let id = items[0]["resultId"]
        .as_str()
        .expect("a result id")
        .to_string();
    // Asked again with that id: unchanged.
    let again = client.request(
        "workspace/diagnostic",
        json!({ "previousResultIds": [{ "uri": closed_uri, "value": id }] }),
    );
    assert_eq!(again["items"][0]["kind"], "unchanged", "{again}");
    assert_eq!(again["items"][0]["resultId"], id.as_str());
    // The file fixed on disk: a full report again, with a new id.
    std::fs::write(
        &closed,
        BROKEN.replacen("status: Inreview", "status: In Review", 1),
    )
    .expect("written");
    let fixed = client.request(
        "workspace/diagnostic",
        json!({ "previousResultIds": [{ "uri": closed_uri, "value": id }] }),
    );
    assert_eq!(fixed["items"][0]["kind"], "full", "{fixed}");
    assert_ne!(fixed["items"][0]["resultId"], id.as_str());
    let codes: Vec<&str> = fixed["items"][0]["items"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(!codes.contains(&"status-invalid"), "{codes:?}");
    assert!(client.shutdown().success());
    let _ = std::fs::remove_dir_all(&dir);
}
