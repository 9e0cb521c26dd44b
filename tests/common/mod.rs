//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses its own part of this module

pub mod lsp;

use rfc_lsp::analysis::symbols::{Symbol, document_symbols};
use rfc_lsp::syntax::Document;
use rfc_lsp::text::{Encoding, Pos};
use serde_json::{Value, json};

/// A small deterministic generator (xorshift64*), so a failing seed replays exactly.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03 | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The LSP position of byte `offset` in `text`, computed independently of the library:
/// lines break at `\r\n`, `\n` and a lone `\r`.
pub fn position_of(text: &str, offset: usize, enc: Encoding) -> Pos {
    let before = &text[..offset];
    let mut line = 0;
    let mut line_start = 0;
    let bytes = before.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            // A CR directly followed by LF breaks once, at the LF.
            b'\r' if text.as_bytes().get(i + 1) != Some(&b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let col_text = &before[line_start..];
    let character = match enc {
        Encoding::Utf8 => col_text.len(),
        Encoding::Utf16 => col_text.encode_utf16().count(),
        Encoding::Utf32 => col_text.chars().count(),
    };
    Pos::new(line as u32, character as u32)
}

/// Pieces that stress the grammar and the position conversions.
pub const FRAGMENTS: &[&str] = &[
    "é",
    "😀",
    "日本語",
    "\r\n",
    "\n",
    "\n\n",
    "\r",
    "#",
    "# ",
    "## Heading\n",
    "### Sub ##\n",
    "```\n",
    "```sh\n",
    "~~~\n",
    "---\n",
    "---",
    "<!--",
    "-->",
    "<!-- note -->\n",
    "<div>\n",
    "> ",
    "> # quoted\n",
    "- ",
    "- # item\n",
    "1. ",
    "    ",
    "\t",
    "text",
    "word ",
    "**Status**: Draft  \n",
    "Title\n===\n",
    "===",
    "id: rfc-001\n",
    "\u{feff}",
];

/// A random edit of `text`: (start, end, inserted text), at positions a client can name.
pub fn random_edit(rng: &mut Rng, text: &str) -> (usize, usize, String) {
    // Char boundaries a client can name: never between the CR and LF of a CRLF.
    let bytes = text.as_bytes();
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .filter(|&i| !(i > 0 && bytes[i - 1] == b'\r' && bytes.get(i) == Some(&b'\n')))
        .collect();
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
