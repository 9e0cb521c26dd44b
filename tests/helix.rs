//! The Helix set-up as a user copies it: `editors/helix/languages.toml` parses, declares the
//! server and the Markdown language, and the settings block of `editors/helix/README.md`,
//! passed the way Helix passes `config` (initializationOptions, answers to
//! workspace/configuration, didChangeConfiguration on `:config-reload`), takes effect.
//! Helix itself is not installable on the CI machine (not in Debian 12, PyPI, npm or
//! crates.io), so this checks our half of the contract against its documented behaviour.

mod common;

use common::lsp::Client;
use serde_json::{Value, json};

const SNIPPET: &str = include_str!("../editors/helix/languages.toml");
const README: &str = include_str!("../editors/helix/README.md");
const BROKEN: &str = include_str!("fixtures/check/rfcs/rfc-001-broken-cache.md");

fn toml(text: &str) -> Value {
    let table: toml::Table = toml::from_str(text).expect("valid TOML");
    serde_json::to_value(table).expect("TOML converts to JSON")
}

/// The first ```toml block after `heading` in the README.
fn readme_block(heading: &str) -> String {
    let after = README
        .split_once(heading)
        .expect("the README has the heading")
        .1;
    let block = after.split_once("```toml\n").expect("a toml block").1;
    block.split_once("```").expect("closed").0.to_string()
}

fn codes_with_severity(params: &Value) -> Vec<(String, i64)> {
    params["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn the_snippet_declares_the_server_next_to_marksman_for_markdown() {
    let v = toml(SNIPPET);
    let server = &v["language-server"]["rfc-lsp"];
    assert_eq!(server["command"], "rfc-lsp");
    assert_eq!(server["args"], json!(["serve"]));
    assert!(
        server["config"]["rfcLsp"].is_object(),
        "settings nested under rfcLsp"
    );
    let languages = v["language"].as_array().expect("[[language]]");
    let markdown = languages
        .iter()
        .find(|l| l["name"] == "markdown")
        .expect("a markdown entry");
    assert_eq!(markdown["language-servers"], json!(["marksman", "rfc-lsp"]));
}

#[test]
fn the_readme_settings_reach_the_server_as_helix_sends_them() {
    let dir = std::env::temp_dir().join(format!("rfc-lsp-helix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("docs/rfcs")).expect("temp dir");
    // The README's block names docs/rfcs/.rfc-lsp.yaml as the config file.
    std::fs::write(
        dir.join("docs/rfcs/.rfc-lsp.yaml"),
        "severity:\n  uuid-invalid: off\n",
    )
    .expect("written");
    let doc = dir.join("docs/rfcs/rfc-001-broken-cache.md");
    std::fs::write(&doc, BROKEN).expect("written");

    // The user's languages.toml: the snippet's server section with the README's settings.
    let settings = toml(&readme_block("## Settings"));
    let server = &toml(SNIPPET)["language-server"]["rfc-lsp"];
    let config = settings["language-server"]["rfc-lsp"]["config"].clone();
    assert!(config["rfcLsp"]["severity"].is_object());
    let args: Vec<&str> = server["args"]
        .as_array()
        .expect("args")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let root = format!("file://{}", dir.display());
    let uri = format!("file://{}", doc.display());
    let caps = json!({ "workspace": { "configuration": true, "didChangeConfiguration": { "dynamicRegistration": false } } });
    let (mut client, _) = Client::start_as_editor(&args, caps, &root, config.clone(), config);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": BROKEN } }),
    );
    let first = codes_with_severity(&client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str()
    }));
    assert!(
        !first.iter().any(|(c, _)| c == "section-placeholder"),
        "off"
    );
    assert!(
        first.contains(&("section-order".to_string(), 1)),
        "an error now: {first:?}"
    );
    assert!(
        !first.iter().any(|(c, _)| c == "uuid-invalid"),
        "configFile read"
    );

    // `:config-reload` after removing the severity table: Helix sends the new `config`.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "rfcLsp": { "configFile": "docs/rfcs/.rfc-lsp.yaml" } } }),
    );
    let reloaded = codes_with_severity(&client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str()
            && p["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["code"] == "section-placeholder"))
    }));
    assert!(
        reloaded.contains(&("section-order".to_string(), 2)),
        "a warning again"
    );
    assert!(client.shutdown().success());
    let _ = std::fs::remove_dir_all(&dir);
}
