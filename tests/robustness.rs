//! The real binary over stdio against hostile input: protocol abuse (malformed JSON,
//! unknown methods, documents never opened, positions past the end, versions going
//! backwards, a handler that panics) and hostile documents (10 MB, a 1 MB line, 10,000
//! nested list items or block quotes, unclosed frontmatter, binary data, a BOM, lone CRs).
//! Each gets an error or an empty answer, never a crash, and the server keeps answering
//! for the other documents.

mod common;

use common::lsp::Client;
use common::{expected_outline, reported_outline};
use rfc_lsp::text::Encoding;
use serde_json::{Value, json};

const EXAMPLE: &str = include_str!("../examples/rfc-042-response-cache.md");
const GOOD: &str = "file:///tmp/rfcs/rfc-042-response-cache.md";

fn open(client: &mut Client, uri: &str, version: i32, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": version, "text": text } }),
    );
}

fn doc(uri: &str) -> Value {
    json!({ "textDocument": { "uri": uri } })
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

/// The well-behaved document still gets its exact outline.
fn assert_alive(client: &mut Client) {
    let symbols = client.request("textDocument/documentSymbol", doc(GOOD));
    assert_eq!(
        reported_outline(&symbols),
        expected_outline(EXAMPLE, Encoding::Utf16),
        "the server still answers for the other document"
    );
}

fn error_code(response: &Value) -> i64 {
    response["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("an error response, got {response}"))
}

#[test]
fn a_malformed_frame_does_not_silence_the_server() {
    let (mut client, _) = Client::start(&["utf-16"]);
    open(&mut client, GOOD, 1, EXAMPLE);
    client.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == GOOD);
    // Stray bytes before a header.
    client.send_raw(b"\x00garbage\r\n");
    assert_alive(&mut client);
    client.send_raw(b"junk");
    assert_alive(&mut client);
    // A Content-Length one byte short, as a client counting characters sends for "é".
    let body = r#"{"jsonrpc":"2.0","id":900,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"file:///w/rfcs/caf\u00e9.md"}},"x":"é"}"#;
    let short = format!("Content-Length: {}\r\n\r\n{body}", body.chars().count());
    client.send_raw(short.as_bytes());
    assert_alive(&mut client);
    // And one byte long: the next header loses its first byte.
    let long = format!("Content-Length: {}\r\n\r\n{body}", body.len() + 1);
    client.send_raw(long.as_bytes());
    client.send_bytes(br#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#);
    assert_alive(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn after_shutdown_only_exit_is_served_and_the_exit_code_says_whether_it_came() {
    let (mut client, _) = Client::start(&["utf-16"]);
    open(&mut client, GOOD, 1, EXAMPLE);
    client.request("shutdown", Value::Null);
    // The outline is answered beside tower-lsp-server: it too is refused.
    for method in ["textDocument/documentSymbol", "textDocument/hover"] {
        let answer = client.request_raw(method, at(GOOD, 0, 0));
        assert_eq!(error_code(&answer), -32600, "{method}: {answer}");
    }
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_status(10).and_then(|s| s.code()), Some(0));

    let (mut client, _) = Client::start(&["utf-16"]);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_status(10).and_then(|s| s.code()), Some(1));
}

#[test]
fn the_server_ends_when_the_client_process_is_gone() {
    // A stand-in for the editor: a process that ends while the server's pipes stay open.
    let mut editor = std::process::Command::new("sleep")
        .arg("1")
        .spawn()
        .expect("sleep runs");
    let (mut client, _) = Client::start_with_params(json!({
        "processId": editor.id(),
        "rootUri": null,
        "capabilities": {},
    }));
    let _ = editor.wait();
    let status = client.exit_status(15);
    assert!(status.is_some(), "the server outlived its client by 15 s");
}

#[test]
fn protocol_abuse_gets_errors_and_the_server_goes_on() {
    // The environment variable lets the server answer `rfc-lsp/testPanic` by panicking.
    let (mut client, _) = Client::start_with_env(&[("RFC_LSP_TEST_PANIC", "1")]);
    open(&mut client, GOOD, 1, EXAMPLE);
    client.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == GOOD);

    // Not JSON at all, and JSON that is not JSON-RPC: a parse error or an invalid-request
    // error (id null), nothing else.
    client.send_bytes(b"{ this is not json");
    client.send_bytes(b"[1, 2, 3]");
    assert_alive(&mut client);

    // A method nobody knows: MethodNotFound; an unknown notification: ignored.
    let unknown = client.request_raw("textDocument/teleport", json!({}));
    assert_eq!(error_code(&unknown), -32601);
    client.notify("$/somethingElse", json!({ "x": 1 }));

    // Params of the wrong shape: InvalidParams, for the direct path and the usual one.
    for method in ["textDocument/documentSymbol", "textDocument/hover"] {
        let bad = client.request_raw(method, json!({ "textDocument": 42 }));
        assert_eq!(error_code(&bad), -32602, "{method}: {bad}");
    }

    // Documents never opened: an error naming it, for every kind of request.
    let never = "file:///tmp/rfcs/rfc-999-never-opened.md";
    for (method, params) in [
        ("textDocument/documentSymbol", doc(never)),
        ("textDocument/foldingRange", doc(never)),
        ("textDocument/hover", at(never, 0, 0)),
        ("textDocument/completion", at(never, 0, 0)),
    ] {
        let answer = client.request_raw(method, params);
        let ok_empty = answer.get("result").is_some_and(Value::is_null);
        assert!(
            answer.get("error").is_some() || ok_empty,
            "{method} for an unopened document: {answer}"
        );
    }
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": never, "version": 2 }, "contentChanges": [{ "text": "x" }] }),
    );

    // Positions far past the end: clamped, answered.
    for (method, params) in [
        ("textDocument/hover", at(GOOD, 100_000, 5)),
        ("textDocument/completion", at(GOOD, 3, 100_000)),
        (
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": GOOD },
                "range": { "start": { "line": 99_999, "character": 0 }, "end": { "line": 100_000, "character": 9 } },
                "context": { "diagnostics": [] },
            }),
        ),
    ] {
        let answer = client.request_raw(method, params);
        assert!(answer.get("error").is_none(), "{method}: {answer}");
    }
    let scratch = "file:///tmp/rfcs/rfc-100-scratch.md";
    open(&mut client, scratch, 5, "# RFC-100: Scratch\n");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": scratch, "version": 6 },
            "contentChanges": [{
                "range": { "start": { "line": 40, "character": 3 }, "end": { "line": 50, "character": 0 } },
                "text": "\n## Appended\n",
            }],
        }),
    );
    // A version that goes backwards is still applied (and logged).
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": scratch, "version": 3 },
            "contentChanges": [{
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                "text": "<!-- c -->\n",
            }],
        }),
    );
    let state = client.request("rfc-lsp/inspect", doc(scratch));
    assert_eq!(
        state["text"],
        json!("<!-- c -->\n# RFC-100: Scratch\n\n## Appended\n")
    );
    assert_eq!(state["version"], json!(3));

    // A handler that panics: an internal error, and the next request works.
    let panicked = client.request_raw("rfc-lsp/testPanic", json!({ "why": "test" }));
    assert_eq!(error_code(&panicked), -32603, "{panicked}");
    assert!(
        panicked["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("testPanic")),
        "the error says what failed: {panicked}"
    );
    assert_alive(&mut client);

    let status = client.shutdown();
    assert!(status.success(), "exit status {status:?}");
}

/// Hostile documents, each opened next to a normal one.
fn hostile_documents() -> Vec<(&'static str, String)> {
    let mut binary = Vec::with_capacity(200_000);
    let mut x: u32 = 12345;
    for _ in 0..200_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        binary.push((x >> 16) as u8);
    }
    let section = "## Section\n\nSome prose about the design, long enough to be a real line of text.\n\n- a list item\n- another\n\n```sh\ncurl http://x\n```\n\n";
    vec![
        (
            "ten-megabytes",
            format!(
                "# RFC-101: Big\n\n{}",
                section.repeat(10_000_000 / section.len())
            ),
        ),
        (
            "one-long-line",
            format!("# RFC-102: Line\n\n{}\n", "word ".repeat(200_000)),
        ),
        (
            "nested-lists",
            format!("# RFC-103: Lists\n\n{}x\n", "- ".repeat(10_000)),
        ),
        (
            "nested-quotes",
            format!("# RFC-104: Quotes\n\n{}x\n", "> ".repeat(10_000)),
        ),
        (
            "quote-run",
            format!("# RFC-105: Run\n\n{} x\n", ">".repeat(10_000)),
        ),
        (
            "list-in-quote",
            format!("# RFC-106: Mixed\n\n{}x\n", "> - ".repeat(5_000)),
        ),
        (
            "indented-lists",
            (0..2_000)
                .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
                .collect(),
        ),
        (
            "unclosed-frontmatter",
            "---\nid: rfc-107\nstatus: Draft\ntags: [a, b\n\n# RFC-107: Open\n\n## Summary\n"
                .into(),
        ),
        ("binary", String::from_utf8_lossy(&binary).into_owned()),
        (
            "bom-and-lone-crs",
            "\u{feff}---\rid: rfc-108\r---\r# RFC-108: CR\r\r## Summary\r\rText.\r".into(),
        ),
        (
            "backticks-and-brackets",
            format!(
                "# RFC-109\n\n{}\n{}\n{}\n",
                "`".repeat(100_000),
                "[".repeat(100_000),
                "*".repeat(100_000)
            ),
        ),
    ]
}

#[test]
fn hostile_documents_are_answered_and_the_server_stays_responsive() {
    let (mut client, _) = Client::start(&["utf-16"]);
    open(&mut client, GOOD, 1, EXAMPLE);
    for (name, text) in hostile_documents() {
        let uri = format!("file:///tmp/rfcs/rfc-1xx-{name}.md");
        open(&mut client, &uri, 1, &text);
        let diagnostics = client.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str() && p["version"] == 1
        });
        assert!(diagnostics["diagnostics"].is_array(), "{name}");
        for (method, params) in [
            ("textDocument/documentSymbol", doc(&uri)),
            ("textDocument/foldingRange", doc(&uri)),
            ("textDocument/hover", at(&uri, 2, 3)),
            ("textDocument/completion", at(&uri, 0, 1)),
            (
                "textDocument/codeAction",
                json!({
                    "textDocument": { "uri": uri },
                    "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 3, "character": 0 } },
                    "context": { "diagnostics": [] },
                }),
            ),
        ] {
            let answer = client.request_raw(method, params);
            assert!(answer.get("error").is_none(), "{name}: {method}: {answer}");
        }
        // An edit in the middle of it goes through.
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": 2 },
                "contentChanges": [{
                    "range": { "start": { "line": 2, "character": 1 }, "end": { "line": 2, "character": 1 } },
                    "text": "\n## Inserted\n",
                }],
            }),
        );
        client.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str() && p["version"] == 2
        });
        assert_alive(&mut client);
        client.notify("textDocument/didClose", doc(&uri));
    }
    let status = client.shutdown();
    assert!(status.success(), "exit status {status:?}");
}
