//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses its own part of this module

pub mod lsp;
mod text;

pub use text::{FRAGMENTS, Rng, nameable_offsets, position_of};

use rfc_lsp::analysis::symbols::{Symbol, document_symbols};
use rfc_lsp::syntax::Document;
use rfc_lsp::text::Encoding;
use serde_json::{Value, json};

/// A random edit of `text`: (start, end, inserted text), at positions a client can name.
pub fn random_edit(rng: &mut Rng, text: &str) -> (usize, usize, String) {
    let boundaries = nameable_offsets(text);
    let start_idx = rng.below(boundaries.len());
    let max_delete = if rng.below(20) == 0 { 400 } else { 6 };
    let end_idx = (start_idx + rng.below(max_delete + 1)).min(boundaries.len() - 1);
    let mut insert = String::new();
    for _ in 0..rng.below(4) {
        insert.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
    }
    if rng.below(30) == 0 {
        // A paste of a slice of the text itself.
        let a = boundaries[rng.below(boundaries.len())];
        let b = boundaries[rng.below(boundaries.len())];
        insert.push_str(&text[a.min(b)..a.max(b)]);
    }
    (boundaries[start_idx], boundaries[end_idx], insert)
}

/// An LSP range of bytes in `text`.
pub fn lsp_range(text: &str, range: &std::ops::Range<usize>, enc: Encoding) -> Value {
    let p = |o| {
        let p = position_of(text, o, enc);
        json!({ "line": p.line, "character": p.character })
    };
    json!({ "start": p(range.start), "end": p(range.end) })
}

/// The outline the server should report for `text`, as (name, range, selectionRange,
/// children) JSON, computed in-process from a fresh document.
pub fn expected_outline(text: &str, enc: Encoding) -> Value {
    fn convert(text: &str, s: &Symbol, enc: Encoding) -> Value {
        json!([
            &*s.name,
            lsp_range(text, &s.range, enc),
            lsp_range(text, &s.selection, enc),
            s.children
                .iter()
                .map(|c| convert(text, c, enc))
                .collect::<Vec<_>>()
        ])
    }
    let snapshot = Document::new(text, 0).snapshot();
    Value::Array(
        document_symbols(&snapshot)
            .iter()
            .map(|s| convert(text, s, enc))
            .collect(),
    )
}

/// The (name, range, selectionRange, children) tree of a documentSymbol answer (a leaf
/// has no `children`).
pub fn reported_outline(symbols: &Value) -> Value {
    if symbols.is_null() {
        return json!([]);
    }
    Value::Array(
        symbols
            .as_array()
            .expect("a nested DocumentSymbol list")
            .iter()
            .map(|s| {
                json!([
                    s["name"],
                    s["range"],
                    s["selectionRange"],
                    reported_outline(&s["children"])
                ])
            })
            .collect(),
    )
}

/// Copies the folder `from` to `to`, files and folders alike (a fixture repository into a
/// test's temporary folder).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("temp dir");
    for entry in std::fs::read_dir(from).expect("fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copied");
        }
    }
}
