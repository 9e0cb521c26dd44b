//! The workspace over stdio: a folder of RFCs indexed at start; cross-document
//! diagnostics (duplicate numbers and uuids on both files, with related information;
//! unknown references; broken links; a superseded RFC without a successor); definition,
//! references, hover, workspace symbols, document links, completion of references, and
//! rename of an RFC's number with the resulting edits asserted exactly.

mod common;

use std::path::{Path, PathBuf};

use common::lsp::Client;
use serde_json::{Value, json};

const UUID: &str = "3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35";

fn alpha() -> String {
    format!(
        "---\nid: rfc-001\ndoc_uuid: {UUID}\nstatus: Draft\n---\n\n# RFC-001: Alpha\n\n## Summary\n\nAlpha builds on RFC-002 and [its design](rfc-002-beta.md#design).\n"
    )
}
const BETA: &str = "---\nid: rfc-002\nslug: rfc-002-beta\ntitle: \"RFC-002: Beta\"\nstatus: Accepted\ntags: [storage]\n---\n\n# RFC-002: Beta\n\n## Summary\n\nBeta stores things. More text.\n\n## Design\n\nSee also RFC-001.\n";
fn dup() -> String {
    format!("---\nid: rfc-001\ndoc_uuid: {UUID}\n---\n\n# RFC-001: Duplicate\n")
}
const OLD: &str = "---\nid: rfc-004\nstatus: Superseded\n---\n\n# RFC-004: Old\n\nReplaced, see RFC-099 and [gone](rfc-005-gone.md).\n";

struct Workspace {
    dir: PathBuf,
}

impl Workspace {
    fn new(name: &str) -> Workspace {
        let dir = std::env::temp_dir()
            .join(format!("rfc-lsp-ws-{name}-{}", std::process::id()))
            .join("rfcs");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temp dir");
        for (file, text) in [
            ("rfc-001-alpha.md", alpha()),
            ("rfc-002-beta.md", BETA.to_string()),
            ("rfc-003-dup.md", dup()),
            ("rfc-004-old.md", OLD.to_string()),
        ] {
            std::fs::write(dir.join(file), text).expect("writable");
        }
        Workspace { dir }
    }

    fn uri(&self, file: &str) -> String {
        format!("file://{}", self.dir.join(file).display())
    }

    fn root(&self) -> String {
        format!("file://{}", self.dir.parent().expect("a parent").display())
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.dir.parent().unwrap_or(Path::new("/nonexistent")));
    }
}

fn start(ws: &Workspace) -> Client {
    start_with(
        ws,
        json!({
            "general": { "positionEncodings": ["utf-16"] },
            "workspace": { "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create", "rename"] } },
        }),
    )
}

/// A client with these capabilities on the workspace, once its four RFCs are indexed.
fn start_with(ws: &Workspace, capabilities: Value) -> Client {
    let (mut client, _) = Client::start_with_root(capabilities, &ws.root());
    // The index is there once workspace/symbol finds the RFCs.
    for _ in 0..200 {
        let found = client.request("workspace/symbol", json!({ "query": "" }));
        if found.as_array().is_some_and(|a| a.len() == 4) {
            return client;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("the workspace was not indexed");
}

fn open(client: &mut Client, uri: &str, text: &str) -> Value {
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
    );
    client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["version"] == 1
    })
}

fn with_code<'a>(diagnostics: &'a Value, code: &str) -> Vec<&'a Value> {
    diagnostics["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

#[test]
fn cross_document_diagnostics_on_both_files_with_related_information() {
    let ws = Workspace::new("diag");
    let mut client = start(&ws);
    let a = ws.uri("rfc-001-alpha.md");
    let d = ws.uri("rfc-003-dup.md");
    let on_a = open(&mut client, &a, &alpha());
    let dup_a = with_code(&on_a, "rfc-duplicate");
    assert_eq!(dup_a.len(), 1, "{on_a}");
    assert_eq!(
        dup_a[0]["range"]["start"],
        json!({ "line": 1, "character": 4 })
    );
    assert_eq!(
        dup_a[0]["relatedInformation"][0]["location"]["uri"],
        json!(d)
    );
    assert_eq!(with_code(&on_a, "uuid-duplicate").len(), 1);
    assert!(
        with_code(&on_a, "reference-unknown").is_empty(),
        "RFC-002 exists"
    );
    assert!(
        with_code(&on_a, "link-broken").is_empty(),
        "the link and its anchor exist"
    );

    let on_d = open(&mut client, &d, &dup());
    let dup_d = with_code(&on_d, "rfc-duplicate");
    assert_eq!(dup_d.len(), 1, "{on_d}");
    assert_eq!(
        dup_d[0]["relatedInformation"][0]["location"]["uri"],
        json!(a)
    );
    assert_eq!(
        dup_d[0]["relatedInformation"][0]["location"]["range"]["start"],
        json!({ "line": 1, "character": 4 })
    );

    // Renumbering the duplicate in its buffer clears the finding on both files.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": d, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 1, "character": 8 }, "end": { "line": 1, "character": 11 } }, "text": "003" }],
        }),
    );
    let on_d = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == d.as_str() && p["version"] == 2
    });
    assert!(with_code(&on_d, "rfc-duplicate").is_empty(), "{on_d}");
    let on_a = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == a.as_str() && with_code(p, "rfc-duplicate").is_empty()
    });
    assert_eq!(
        with_code(&on_a, "uuid-duplicate").len(),
        1,
        "the uuid is still shared"
    );

    let o = ws.uri("rfc-004-old.md");
    let on_o = open(&mut client, &o, OLD);
    assert_eq!(with_code(&on_o, "successor-missing").len(), 1, "{on_o}");
    let unknown = with_code(&on_o, "reference-unknown");
    assert_eq!(unknown.len(), 1);
    assert_eq!(
        unknown[0]["range"]["start"],
        json!({ "line": 7, "character": 14 })
    );
    assert_eq!(with_code(&on_o, "link-broken").len(), 1);
    assert!(client.shutdown().success());
}

#[test]
fn navigation_between_rfcs() {
    let ws = Workspace::new("nav");
    let mut client = start(&ws);
    let a = ws.uri("rfc-001-alpha.md");
    let b = ws.uri("rfc-002-beta.md");
    open(&mut client, &a, &alpha());

    // "Alpha builds on RFC-002 and [its design](rfc-002-beta.md#design)." is line 10.
    let def = client.request("textDocument/definition", at(&a, 10, 18));
    assert_eq!(def["uri"], json!(b));
    assert_eq!(
        def["range"]["start"],
        json!({ "line": 8, "character": 0 }),
        "its title"
    );
    let def = client.request("textDocument/definition", at(&a, 10, 45));
    assert_eq!(def["uri"], json!(b));
    assert_eq!(
        def["range"]["start"]["line"],
        json!(14),
        "the Design heading"
    );

    let hover = client.request("textDocument/hover", at(&a, 10, 18));
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        text.contains("RFC-002: Beta") && text.contains("Accepted"),
        "{text}"
    );
    assert!(text.contains("Beta stores things."), "{text}");

    // References to Beta, asked on Alpha's reference: both places in Alpha.
    let refs = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": a }, "position": { "line": 10, "character": 18 }, "context": { "includeDeclaration": false } }),
    );
    let places: Vec<(String, Value)> = refs
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| {
            (
                l["uri"].as_str().unwrap().to_string(),
                l["range"]["start"].clone(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            (a.clone(), json!({ "line": 10, "character": 16 })),
            (a.clone(), json!({ "line": 10, "character": 41 })),
        ]
    );

    let symbols = client.request("workspace/symbol", json!({ "query": "beta" }));
    assert_eq!(symbols.as_array().map(Vec::len), Some(1));
    assert_eq!(symbols[0]["name"], json!("RFC-002: Beta"));
    assert_eq!(symbols[0]["location"]["uri"], json!(b));
    let by_number = client.request("workspace/symbol", json!({ "query": "rfc-4" }));
    assert_eq!(by_number[0]["name"], json!("RFC-004: Old"));
    let by_tag = client.request("workspace/symbol", json!({ "query": "storage" }));
    assert_eq!(by_tag[0]["name"], json!("RFC-002: Beta"));

    let links = client.request(
        "textDocument/documentLink",
        json!({ "textDocument": { "uri": a } }),
    );
    assert_eq!(links.as_array().map(Vec::len), Some(1));
    assert_eq!(links[0]["target"], json!(format!("{b}#L15")));

    // Completion after "RFC-" offers the other RFCs.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": a, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 11, "character": 0 }, "end": { "line": 11, "character": 0 } }, "text": "\nSee RFC-" }],
        }),
    );
    let items = client.request("textDocument/completion", at(&a, 12, 8));
    let labels: Vec<&str> = items["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"RFC-002") && labels.contains(&"RFC-004"),
        "{labels:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn rename_renumbers_the_rfc_every_reference_and_its_file() {
    let ws = Workspace::new("rename");
    let mut client = start(&ws);
    let a = ws.uri("rfc-001-alpha.md");
    let b = ws.uri("rfc-002-beta.md");
    open(&mut client, &b, BETA);
    // On Beta's id value.
    let edit = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": b }, "position": { "line": 1, "character": 6 }, "newName": "rfc-010" }),
    );
    let ops = edit["documentChanges"]
        .as_array()
        .expect("document changes");
    let edits_of = |uri: &str| -> Vec<(Value, String)> {
        ops.iter()
            .filter(|o| o["textDocument"]["uri"] == uri)
            .flat_map(|o| o["edits"].as_array().unwrap().iter())
            .map(|e| {
                (
                    e["range"].clone(),
                    e["newText"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let r = |l: u32, s: u32, e: u32| json!({ "start": { "line": l, "character": s }, "end": { "line": l, "character": e } });
    assert_eq!(
        edits_of(&a),
        [
            (r(10, 16, 23), "RFC-010".to_string()),
            (r(10, 41, 63), "rfc-010-beta.md#design".to_string()),
        ]
    );
    assert_eq!(
        edits_of(&b),
        [
            (r(1, 4, 11), "rfc-010".to_string()),
            (r(2, 6, 13), "rfc-010".to_string()),
            (r(3, 8, 15), "RFC-010".to_string()),
            (r(8, 2, 9), "RFC-010".to_string()),
        ]
    );
    let open_version = ops
        .iter()
        .find(|o| o["textDocument"]["uri"] == b.as_str())
        .map(|o| o["textDocument"]["version"].clone());
    assert_eq!(open_version, Some(json!(1)), "the open buffer's version");
    let rename = ops.last().expect("operations");
    assert_eq!(rename["kind"], json!("rename"));
    assert_eq!(rename["oldUri"], json!(b));
    assert_eq!(rename["newUri"], json!(ws.uri("rfc-010-beta.md")));
    // Not to a number another RFC has.
    let taken = client.request_raw(
        "textDocument/rename",
        json!({ "textDocument": { "uri": b }, "position": { "line": 1, "character": 6 }, "newName": "rfc-004" }),
    );
    assert!(
        taken["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("taken")),
        "{taken}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn a_client_that_cannot_rename_files_keeps_the_file_name_and_its_links() {
    // Links were rewritten to `rfc-010-beta.md` while the file stayed `rfc-002-beta.md`.
    let ws = Workspace::new("rename-no-files");
    let (mut client, _) = Client::start_with_root(
        json!({ "general": { "positionEncodings": ["utf-16"] } }),
        &ws.root(),
    );
    let b = ws.uri("rfc-002-beta.md");
    let mut edit = Value::Null;
    for _ in 0..200 {
        // Until the workspace is read, rename is refused with the reason.
        let answer = client.request_raw(
            "textDocument/rename",
            json!({ "textDocument": { "uri": b }, "position": { "line": 1, "character": 6 }, "newName": "rfc-010" }),
        );
        if answer.get("result").is_some() {
            edit = answer["result"].clone();
            break;
        }
        let why = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(
            why.contains("still being read") || why.contains("not open"),
            "{answer}"
        );
        if why.contains("not open") {
            open(&mut client, &b, BETA);
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let a = ws.uri("rfc-001-alpha.md");
    let texts: Vec<&str> = edit["changes"][a.as_str()]
        .as_array()
        .expect("edits of alpha")
        .iter()
        .filter_map(|e| e["newText"].as_str())
        .collect();
    assert_eq!(texts, ["RFC-010"], "the link keeps its file name: {edit}");
    assert!(edit.get("documentChanges").is_none());
    client.wait_for("window/showMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("keeps its file name"))
    });
    assert!(client.shutdown().success());
}

/// A workspace of two folders (VS Code's multi-root workspace): RFCs in the second folder
/// are indexed too, so a reference from the first one to them resolves, and definition
/// jumps across; an RFC found in neither is still unknown. Folders added and removed
/// later (workspace/didChangeWorkspaceFolders) are indexed and dropped.
#[test]
fn every_workspace_folder_is_indexed() {
    let base = std::env::temp_dir().join(format!("rfc-lsp-ws-folders-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let (one, two) = (base.join("one/rfcs"), base.join("two/rfcs"));
    std::fs::create_dir_all(&one).expect("a temp dir");
    std::fs::create_dir_all(&two).expect("a temp dir");
    let citing = "---\nid: rfc-001\nstatus: Draft\n---\n\n# RFC-001: Alpha\n\n## Summary\n\nAlpha builds on RFC-002, not on RFC-077.\n";
    std::fs::write(one.join("rfc-001-alpha.md"), citing).expect("writable");
    std::fs::write(two.join("rfc-002-beta.md"), BETA).expect("writable");
    let uri = |p: &Path| format!("file://{}", p.display());
    let folders = [uri(&base.join("one")), uri(&base.join("two"))];
    let (mut client, _) = Client::start_in_folders(
        json!({ "general": { "positionEncodings": ["utf-16"] } }),
        &folders,
    );
    let mut indexed = false;
    for _ in 0..200 {
        let found = client.request("workspace/symbol", json!({ "query": "" }));
        if found.as_array().is_some_and(|a| a.len() == 2) {
            indexed = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(indexed, "both folders' RFCs are in the index");

    let a = uri(&one.join("rfc-001-alpha.md"));
    let on_a = open(&mut client, &a, citing);
    let unknown = with_code(&on_a, "reference-unknown");
    assert_eq!(unknown.len(), 1, "only RFC-077 is unknown: {on_a}");
    assert_eq!(
        unknown[0]["range"]["start"],
        json!({ "line": 9, "character": 32 })
    );
    let target = client.request("textDocument/definition", at(&a, 9, 20));
    let target = if target.is_array() {
        target[0].clone()
    } else {
        target
    };
    assert_eq!(
        target["uri"],
        json!(uri(&two.join("rfc-002-beta.md"))),
        "{target}"
    );

    // A folder added while the server runs is indexed: RFC-077 is found there. A folder
    // removed is dropped from the index: RFC-002 is unknown again.
    let three = base.join("three/rfcs");
    std::fs::create_dir_all(&three).expect("a temp dir");
    let gamma = "---\nid: rfc-077\nstatus: Draft\n---\n\n# RFC-077: Gamma\n";
    std::fs::write(three.join("rfc-077-gamma.md"), gamma).expect("writable");
    let folder = |p: &Path| json!({ "uri": uri(p), "name": "f" });
    let unknown_at = |p: &Value| -> Vec<u64> {
        with_code(p, "reference-unknown")
            .iter()
            .filter_map(|d| d["range"]["start"]["character"].as_u64())
            .collect()
    };
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [folder(&base.join("three"))], "removed": [] } }),
    );
    client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == a.as_str() && unknown_at(p).is_empty()
    });
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [], "removed": [folder(&base.join("two"))] } }),
    );
    let on_a = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == a.as_str() && unknown_at(p) == [16]
    });
    assert_eq!(
        unknown_at(&on_a),
        [16],
        "RFC-002 is unknown once its folder is gone: {on_a}"
    );
    assert!(client.shutdown().success());
    let _ = std::fs::remove_dir_all(&base);
}

/// A client that pulls diagnostics (Neovim, VS Code, Helix): when an edit changes what
/// other documents' findings depend on (here a heading's anchor, typed as a setext
/// heading), the server asks the client to pull again, and the citing document's
/// `link-broken` is gone from its next pull.
#[test]
fn a_pulling_client_is_asked_to_pull_again_when_an_anchor_appears() {
    let ws = Workspace::new("pull");
    let notes = ws.uri("notes.md");
    let citing = ws.uri("rfc-009-citing.md");
    let notes_text = "Notes\n=====\n\nNew heading\n";
    let citing_text =
        "---\nid: rfc-009\n---\n\n# RFC-009: Citing\n\nSee [it](notes.md#new-heading).\n";
    std::fs::write(ws.dir.join("notes.md"), notes_text).expect("writable");
    std::fs::write(ws.dir.join("rfc-009-citing.md"), citing_text).expect("writable");
    let (mut client, _) = Client::start_with_root(
        json!({
            "general": { "positionEncodings": ["utf-16"] },
            "textDocument": { "diagnostic": { "dynamicRegistration": false } },
            "workspace": { "diagnostics": { "refreshSupport": true } },
        }),
        &ws.root(),
    );
    let mut indexed = false;
    for _ in 0..200 {
        let found = client.request("workspace/symbol", json!({ "query": "" }));
        if found.as_array().is_some_and(|a| {
            a.iter()
                .any(|s| s["name"].as_str().is_some_and(|n| n.contains("Citing")))
        }) {
            indexed = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(indexed, "the citing RFC is indexed");
    let pull = |client: &mut Client, uri: &str| {
        let report = client.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        );
        report["items"]
            .as_array()
            .expect("a full report")
            .iter()
            .filter_map(|d| d["code"].as_str().map(str::to_string))
            .collect::<Vec<_>>()
    };
    for (uri, text) in [(&notes, notes_text), (&citing, citing_text)] {
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }
    assert!(pull(&mut client, &citing).contains(&"link-broken".to_string()));
    pull(&mut client, &notes);
    // Type `=` under "New heading": it is a setext heading now.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": notes, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 4, "character": 0 }, "end": { "line": 4, "character": 0 } }, "text": "=" }],
        }),
    );
    pull(&mut client, &notes);
    client.wait_for("workspace/diagnostic/refresh", |_| true);
    assert!(
        !pull(&mut client, &citing).contains(&"link-broken".to_string()),
        "the anchor exists now"
    );
    assert!(client.shutdown().success());
}

/// Each workspace folder's `.rfc-lsp.yaml` applies to the documents in it, a folder without
/// one gets the defaults, and a folder added later brings its configuration, whose problems
/// are published on its own file.
#[test]
fn each_workspace_folder_follows_its_own_configuration() {
    let base = std::env::temp_dir().join(format!("rfc-lsp-ws-configs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    for f in ["one/rfcs", "two/rfcs", "three/rfcs"] {
        std::fs::create_dir_all(base.join(f)).expect("a temp dir");
    }
    std::fs::write(
        base.join("one/.rfc-lsp.yaml"),
        "severity:\n  section-missing: off\ntemplates:\n  - name: team\n    skeleton: team.md\n",
    )
    .expect("writable");
    std::fs::write(
        base.join("one/team.md"),
        "# RFC: [Title]\n\n## Summary\n\n## Design\n",
    )
    .expect("writable");
    std::fs::write(
        base.join("three/.rfc-lsp.yaml"),
        "severity:\n  section-missing: hint\n  not-a-rule: error\n",
    )
    .expect("writable");
    // The same sparse RFC in each folder: sections are missing.
    let sparse = |n: u32| {
        format!(
            "---\nid: rfc-00{n}\nstatus: Draft\n---\n\n# RFC-00{n}: Sparse\n\n## Summary\n\nShort.\n"
        )
    };
    let uri = |p: &Path| format!("file://{}", p.display());
    let doc = |folder: &str, n: u32| base.join(format!("{folder}/rfcs/rfc-00{n}-sparse.md"));
    for (folder, n) in [("one", 1), ("two", 2), ("three", 3)] {
        std::fs::write(doc(folder, n), sparse(n)).expect("writable");
    }
    let (mut client, _) = Client::start_in_folders(
        json!({ "general": { "positionEncodings": ["utf-16"] } }),
        &[uri(&base.join("one")), uri(&base.join("two"))],
    );
    let missing = |p: &Value| with_code(p, "section-missing").len();
    // The templates listed are those of the folder named (else of the first folder).
    let mut templates = |args: Value| -> Vec<String> {
        let listed = client.request(
            "workspace/executeCommand",
            json!({ "command": "rfc-lsp.listTemplates", "arguments": args }),
        );
        listed
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|t| t["name"].as_str().map(str::to_string))
            .collect()
    };
    let in_one = templates(json!([uri(&base.join("one"))]));
    let in_two = templates(json!([uri(&base.join("two/rfcs"))]));
    assert!(in_one.contains(&"team".to_string()), "{in_one:?}");
    assert!(
        !in_two.contains(&"team".to_string()) && !in_two.is_empty(),
        "{in_two:?}"
    );
    assert_eq!(templates(json!([])), in_one, "the first folder's");
    let on_one = open(&mut client, &uri(&doc("one", 1)), &sparse(1));
    assert_eq!(
        missing(&on_one),
        0,
        "folder one turns section-missing off: {on_one}"
    );
    let on_two = open(&mut client, &uri(&doc("two", 2)), &sparse(2));
    assert!(
        missing(&on_two) > 0,
        "folder two has the defaults: {on_two}"
    );
    let on_three = open(&mut client, &uri(&doc("three", 3)), &sparse(3));
    assert_eq!(
        missing(&on_three),
        0,
        "a file outside every folder follows the first folder's: {on_three}"
    );

    // Folder three joins: its documents follow its file, and its file's problem is
    // published on it.
    let config_three = uri(&base.join("three/.rfc-lsp.yaml"));
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [{ "uri": uri(&base.join("three")), "name": "three" }], "removed": [] } }),
    );
    let problems = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == config_three
    });
    let codes: Vec<&Value> = problems["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| &d["code"])
        .collect();
    assert!(
        !codes.is_empty() && codes.iter().all(|c| *c == "config-invalid"),
        "{problems}"
    );
    let three = uri(&doc("three", 3));
    let on_three = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == three.as_str()
            && missing(p) > 0
            && with_code(p, "section-missing")
                .iter()
                .all(|d| d["severity"] == 4)
    });
    assert!(missing(&on_three) > 0);
    // Folder one's documents keep folder one's configuration.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri(&doc("one", 1)), "version": 2 },
                "contentChanges": [{ "text": sparse(1) + "\nMore.\n" }] }),
    );
    let one = uri(&doc("one", 1));
    let on_one = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == one.as_str() && p["version"] == 2
    });
    assert_eq!(missing(&on_one), 0, "{on_one}");
    assert!(client.shutdown().success());
    let _ = std::fs::remove_dir_all(&base);
}

/// Typing in a plain line keeps the document's index facts (no reference or heading
/// changed), but moves the bytes after it: a cross-document finding below stays on its
/// line and column.
#[test]
fn a_finding_below_an_edited_line_stays_in_place() {
    let ws = Workspace::new("shift");
    let mut client = start(&ws);
    let o = ws.uri("rfc-004-old.md");
    let text = "---\nid: rfc-004\nstatus: Superseded\n---\n\n# RFC-004: Old\n\nA plain line that the writer shortens.\n\nReplaced, see RFC-099 and [gone](rfc-005-gone.md).\n";
    let first = open(&mut client, &o, text);
    let broken = with_code(&first, "link-broken");
    assert_eq!(broken.len(), 1, "{first}");
    let range = broken[0]["range"].clone();
    assert_eq!(range["start"]["line"], 9);
    // "A plain line that the writer shortens." loses "that the writer " (16 characters).
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": o, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 7, "character": 13 }, "end": { "line": 7, "character": 29 } },
                "text": "",
            }],
        }),
    );
    let after = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == o.as_str() && p["version"] == 2
    });
    let broken = with_code(&after, "link-broken");
    assert_eq!(broken.len(), 1, "{after}");
    assert_eq!(broken[0]["range"], range, "{after}");
    assert!(client.shutdown().success());
}

/// A README with a marked RFC index, in a client that pulls (as VS Code does): stale while
/// its table is empty, rewritten by the quick fix, stale again once an open RFC's status
/// is typed over (the client is asked to pull again).
#[test]
fn a_marked_rfc_index_is_stale_rewritten_by_its_quick_fix_and_follows_an_open_rfc() {
    let ws = Workspace::new("index");
    let readme_path = ws.dir.parent().expect("the root").join("README.md");
    let readme = format!("file://{}", readme_path.display());
    let text = "# RFCs\n\n<!-- rfc-index:start -->\n<!-- rfc-index:end -->\n\nMore.\n";
    std::fs::write(&readme_path, text).expect("writable");
    let mut client = start_with(
        &ws,
        json!({
            "general": { "positionEncodings": ["utf-16"] },
            "textDocument": { "diagnostic": { "dynamicRegistration": false } },
            "workspace": { "diagnostics": { "refreshSupport": true } },
        }),
    );
    let pull = |client: &mut Client, uri: &str| -> Vec<Value> {
        let report = client.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        );
        (report["items"].as_array().expect("a full report").iter())
            .filter(|d| d["code"] == "index-stale")
            .cloned()
            .collect()
    };
    // Closed, the README's finding comes with the workspace's.
    let all = client.request("workspace/diagnostic", json!({ "previousResultIds": [] }));
    let closed: Vec<&Value> = (all["items"].as_array().expect("reports").iter())
        .filter(|r| r["uri"] == readme.as_str())
        .flat_map(|r| r["items"].as_array().into_iter().flatten())
        .collect();
    assert!(
        closed.len() == 1 && closed[0]["code"] == "index-stale",
        "{closed:?}"
    );
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": readme, "languageId": "markdown", "version": 1, "text": text } }),
    );
    let stale = pull(&mut client, &readme);
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(
        stale[0]["range"]["start"],
        json!({ "line": 2, "character": 0 })
    );
    assert!(
        stale[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("RFC(s) missing: RFC 1")),
        "{stale:?}"
    );
    // The quick fix on the marker: the table between the markers, nothing else.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": readme },
            "range": { "start": { "line": 2, "character": 0 }, "end": { "line": 2, "character": 0 } },
            "context": { "diagnostics": stale },
        }),
    );
    let fix = &actions[0];
    assert_eq!(fix["isPreferred"], true, "{actions}");
    assert!(
        fix["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Rewrite the RFC index (")),
        "{actions}"
    );
    let edit = &fix["edit"]["changes"][&readme][0];
    assert_eq!(
        edit["range"],
        json!({ "start": { "line": 3, "character": 0 }, "end": { "line": 3, "character": 0 } })
    );
    let table = edit["newText"].as_str().expect("the table");
    assert!(
        table.starts_with("| RFC | Title |")
            && table.contains("| 2 | [RFC-002: Beta](rfcs/rfc-002-beta.md) | Accepted |"),
        "{table}"
    );
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": readme, "version": 2 },
            "contentChanges": [{ "range": edit["range"], "text": table }],
        }),
    );
    assert_eq!(pull(&mut client, &readme), Vec::<Value>::new());
    // RFC 2 opened and its status typed over: the README is pulled again, and stale.
    let beta = ws.uri("rfc-002-beta.md");
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": beta, "languageId": "markdown", "version": 1, "text": BETA } }),
    );
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": beta, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 4, "character": 8 }, "end": { "line": 4, "character": 16 } }, "text": "Withdrawn" }],
        }),
    );
    client.wait_for("workspace/diagnostic/refresh", |_| true);
    let stale = pull(&mut client, &readme);
    assert!(
        stale.len() == 1
            && stale[0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("RFC 2: Status `Accepted` → `Withdrawn`")),
        "{stale:?}"
    );
    assert!(client.shutdown().success());
}
