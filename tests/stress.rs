//! Stress over stdio: three documents, thousands of random edits interleaved with
//! pipelined requests (outline, folding, completion, hover, code actions) and
//! cancellations, without waiting between them. Every request is answered (a result, or
//! "cancelled" for one that was cancelled), every outline is the outline of the text as it
//! was when the request was sent, every pushed diagnostic list is exactly the one of the
//! version it names, and at the end the server's texts are the client's.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::lsp::Client;
use common::{Rng, expected_outline, lsp_range, random_edit, reported_outline};
use rfc_lsp::analysis::diagnostics::check;
use rfc_lsp::syntax::Document;
use rfc_lsp::text::Encoding;
use rfc_lsp::workspace::Settings;
use serde_json::{Value, json};

const DOCS: [(&str, &str); 3] = [
    (
        "/tmp/rfcs/rfc-042-response-cache.md",
        include_str!("../examples/rfc-042-response-cache.md"),
    ),
    (
        "/tmp/rfcs/rfc-015-feature-flag-service.md",
        include_str!("../examples/rfc-015-feature-flag-service.md"),
    ),
    (
        "/tmp/rfcs/rfc-023-team-invitations.md",
        include_str!("../examples/rfc-023-team-invitations.md"),
    ),
];

const EDITS: usize = 3_000;

/// A random edit that keeps the text about the size of an RFC: a random edit anywhere
/// (`random_edit` pastes slices of the text now and then, which compounds), or, once the
/// text has grown past 40 KB, a cut of up to 4 KB.
fn next_edit(rng: &mut Rng, text: &str) -> (usize, usize, String) {
    if text.len() < 40_000 {
        return random_edit(rng, text);
    }
    let snap = |mut at: usize| {
        while !text.is_char_boundary(at)
            || (at > 0
                && text.as_bytes()[at - 1] == b'\r'
                && text.as_bytes().get(at) == Some(&b'\n'))
        {
            at -= 1;
        }
        at
    };
    let start = snap(rng.below(text.len()));
    let end = snap((start + 1 + rng.below(4_000)).min(text.len()));
    (start, end.max(start), String::new())
}

/// (code, range) of each diagnostic, as the server would report them for `text`.
fn expected_diagnostics(text: &str, path: &str, settings: &Settings) -> Vec<(String, Value)> {
    let snapshot = Document::new(text, 0).snapshot();
    let ctx = settings.context(Some(Path::new(path)), None);
    let mut out: Vec<(String, Value)> = check(&snapshot, &ctx)
        .diagnostics
        .into_iter()
        .map(|d| {
            (
                d.code.to_string(),
                lsp_range(text, &d.range, Encoding::Utf16),
            )
        })
        .collect();
    out.sort_by_key(|(code, range)| format!("{code}{range}"));
    out
}

fn reported_diagnostics(params: &Value) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = params["diagnostics"]
        .as_array()
        .expect("a diagnostics list")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["range"].clone(),
            )
        })
        .collect();
    out.sort_by_key(|(code, range)| format!("{code}{range}"));
    out
}

struct Pending {
    method: &'static str,
    cancelled: bool,
    /// For an outline: what it must be.
    outline: Option<Value>,
}

#[test]
fn thousands_of_edits_interleaved_with_requests_and_cancellations() {
    // The rules across documents are off: they depend on what else is in the workspace,
    // and tests/workspace_e2e.rs covers them. Everything else is compared exactly.
    let off = json!({ "severity": {
        "rfc-duplicate": "off", "uuid-duplicate": "off", "reference-unknown": "off",
        "link-broken": "off", "successor-missing": "off",
    } });
    let (mut client, _) = Client::start_as_editor(
        &[],
        json!({ "general": { "positionEncodings": ["utf-16"] } }),
        "",
        off.clone(),
        off,
    );
    let settings = Settings::defaults(Path::new("/tmp"));
    let mut texts: Vec<String> = DOCS.iter().map(|(_, t)| t.to_string()).collect();
    let mut versions = [0i32; 3];
    // Every text each document had, by version, to check the pushes against.
    let mut history: Vec<HashMap<i32, String>> = vec![HashMap::new(); 3];
    for (i, (path, text)) in DOCS.iter().enumerate() {
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": format!("file://{path}"), "languageId": "markdown", "version": 0, "text": text } }),
        );
        history[i].insert(0, text.to_string());
    }
    let mut rng = Rng::new(7);
    let mut pending: HashMap<i64, Pending> = HashMap::new();
    for step in 0..EDITS {
        let d = rng.below(3);
        let uri = format!("file://{}", DOCS[d].0);
        let (start, end, insert) = next_edit(&mut rng, &texts[d]);
        let range = lsp_range(&texts[d], &(start..end), Encoding::Utf16);
        texts[d].replace_range(start..end, &insert);
        versions[d] += 1;
        history[d].insert(versions[d], texts[d].clone());
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": versions[d] },
                "contentChanges": [{ "range": range, "text": insert }],
            }),
        );
        if step % 3 != 0 {
            continue;
        }
        // A request on a random document, at a random place in it.
        let r = rng.below(3);
        let ruri = format!("file://{}", DOCS[r].0);
        let lines = texts[r].lines().count().max(1);
        let position = json!({ "line": rng.below(lines + 2), "character": rng.below(30) });
        let (method, params) = match rng.below(5) {
            0 => (
                "textDocument/documentSymbol",
                json!({ "textDocument": { "uri": ruri } }),
            ),
            1 => (
                "textDocument/foldingRange",
                json!({ "textDocument": { "uri": ruri } }),
            ),
            2 => (
                "textDocument/completion",
                json!({ "textDocument": { "uri": ruri }, "position": position }),
            ),
            3 => (
                "textDocument/hover",
                json!({ "textDocument": { "uri": ruri }, "position": position }),
            ),
            _ => (
                "textDocument/codeAction",
                json!({
                    "textDocument": { "uri": ruri },
                    "range": { "start": position, "end": position },
                    "context": { "diagnostics": [] },
                }),
            ),
        };
        let id = client.send_request(method, params);
        let cancelled = rng.below(5) == 0;
        if cancelled {
            client.notify("$/cancelRequest", json!({ "id": id }));
        }
        let outline = (method == "textDocument/documentSymbol")
            .then(|| expected_outline(&texts[r], Encoding::Utf16));
        pending.insert(
            id,
            Pending {
                method,
                cancelled,
                outline,
            },
        );
    }

    // Every request is answered.
    let mut outlines = 0;
    let mut ids: Vec<i64> = pending.keys().copied().collect();
    ids.sort();
    for id in ids {
        let p = &pending[&id];
        let response = client.response(id);
        if let Some(error) = response.get("error") {
            assert!(
                p.cancelled && error["code"] == json!(-32800),
                "{} (request {id}) failed: {error}",
                p.method
            );
            continue;
        }
        if let Some(outline) = &p.outline {
            assert_eq!(
                &reported_outline(&response["result"]),
                outline,
                "request {id}: the outline of the text when it was asked"
            );
            outlines += 1;
        }
    }
    assert!(outlines > 50, "enough outlines were checked: {outlines}");

    // The last push of each document names its last version; every push is exact for
    // the version it names, and versions never go back.
    for (d, (path, _)) in DOCS.iter().enumerate() {
        let uri = format!("file://{path}");
        let last = versions[d];
        client.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str() && p["version"] == last
        });
        let state = client.request("rfc-lsp/inspect", json!({ "textDocument": { "uri": uri } }));
        assert!(
            state["text"] == json!(texts[d]),
            "{path}: the server's text diverged"
        );
    }
    let mut checked = 0;
    let mut newest: HashMap<String, i64> = HashMap::new();
    for n in &client.notifications {
        if n["method"] != "textDocument/publishDiagnostics" {
            continue;
        }
        let params = &n["params"];
        let uri = params["uri"].as_str().expect("a uri").to_string();
        let version = params["version"]
            .as_i64()
            .expect("pushes carry the version");
        let previous = newest.insert(uri.clone(), version).unwrap_or(-1);
        assert!(
            version >= previous,
            "{uri}: version {version} after {previous}"
        );
        let d = DOCS
            .iter()
            .position(|(p, _)| uri.ends_with(p))
            .expect("one of ours");
        // Every 7th push is recomputed in process (all of them take a while in a debug
        // build); each is exact for its version.
        if version % 7 == 0 {
            let text = &history[d][&(version as i32)];
            assert_eq!(
                reported_diagnostics(params),
                expected_diagnostics(text, DOCS[d].0, &settings),
                "{uri} version {version}"
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "enough pushes were checked: {checked}");
    let status = client.shutdown();
    assert!(status.success(), "exit status {status:?}");
}
