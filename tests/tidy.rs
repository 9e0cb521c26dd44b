//! Hygiene as a test: every module says what it is for, the layers only look upwards
//! (text -> syntax -> template -> metadata -> analysis -> workspace -> server / cli),
//! the analysis and the syntax read no disk and run no program, and only the server
//! knows the protocol, the async runtime and the concurrent map.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).expect("UTF-8 source"))
        })
        .collect()
}

#[test]
fn every_module_opens_with_a_doc_comment() {
    for (path, text) in sources() {
        assert!(
            text.starts_with("//!"),
            "{path} must open with a `//!` line saying what it is for"
        );
    }
}

/// (layer folder, modules of the crate it must not use)
const LAYERS: &[(&str, &[&str])] = &[
    (
        "src/text/",
        &[
            "syntax",
            "template",
            "metadata",
            "analysis",
            "workspace",
            "server",
            "cli",
        ],
    ),
    (
        "src/syntax/",
        &[
            "template",
            "metadata",
            "analysis",
            "workspace",
            "server",
            "cli",
        ],
    ),
    (
        "src/template/",
        &["metadata", "analysis", "workspace", "server", "cli"],
    ),
    ("src/metadata/", &["analysis", "workspace", "server", "cli"]),
    ("src/analysis/", &["workspace", "server", "cli"]),
    ("src/workspace/", &["server", "cli"]),
    ("src/cli/", &["server"]),
];

#[test]
fn layers_only_use_the_layers_above_them() {
    for (path, text) in sources() {
        for (folder, forbidden) in LAYERS {
            if !path.starts_with(folder) {
                continue;
            }
            for module in *forbidden {
                for pattern in [format!("crate::{module}"), format!("rfc_lsp::{module}")] {
                    assert!(
                        !text.contains(&pattern),
                        "{path} uses {pattern}: a layer may only use those above it"
                    );
                }
            }
        }
    }
}

#[test]
fn only_the_server_knows_the_protocol_the_runtime_and_the_map() {
    for (path, text) in sources() {
        if path.starts_with("src/server/") || path == "src/main.rs" {
            continue;
        }
        for name in ["tower_lsp", "ls_types", "lsp_types", "tokio", "dashmap"] {
            assert!(
                !text.contains(name),
                "{path} mentions {name}: protocol types stay in src/server/"
            );
        }
    }
}

#[test]
fn the_analysis_and_the_syntax_are_pure() {
    // What a document says is worked out from its text and the settings alone: the disk,
    // other processes and the runtime are the workspace's and the server's business.
    for (path, text) in sources() {
        if !(path.starts_with("src/analysis/") || path.starts_with("src/syntax/")) {
            continue;
        }
        for name in [
            "std::fs",
            "std::process",
            "tokio",
            "ignore::",
            ".symlink_metadata(",
            ".canonicalize(",
            ".read_dir(",
        ] {
            assert!(
                !text.contains(name),
                "{path} uses {name}: reading the disk or running programs belongs in src/workspace/"
            );
        }
    }
}

#[test]
fn a_long_function_says_why_it_is_long() {
    // A function over 80 lines is hard to take in: split it, or say in a `Long:` line of
    // the comment above it why it reads best whole (one pass, one arm per kind). Tests
    // are exempt.
    let fn_start = regex::Regex::new(r"^(\s*)(pub(\([a-z]+\))? )?(async )?fn (\w+)").unwrap();
    let mut unexplained = Vec::new();
    for (path, text) in sources() {
        let lines: Vec<&str> = text.lines().collect();
        let tests_from = lines
            .iter()
            .position(|l| l.trim() == "#[cfg(test)]")
            .unwrap_or(lines.len());
        for (i, line) in lines.iter().enumerate().take(tests_from) {
            let Some(m) = fn_start.captures(line) else {
                continue;
            };
            if line.trim_end().ends_with(';') {
                continue;
            }
            let close = format!("{}}}", &m[1]);
            let Some(len) = lines[i + 1..].iter().position(|l| l.trim_end() == close) else {
                continue;
            };
            let above = lines[i.saturating_sub(12)..i].join("\n");
            if len + 2 > 80 && !above.contains("Long:") {
                unexplained.push(format!("{path}:{} `{}` ({} lines)", i + 1, &m[5], len + 2));
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "functions over 80 lines without a `Long:` reason above them:\n{}",
        unexplained.join("\n")
    );
}
