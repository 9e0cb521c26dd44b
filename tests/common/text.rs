//! What the integration tests and the fuzz targets (`fuzz/src/lib.rs` includes this file)
//! share: a deterministic generator, an independent position computation, the offsets a
//! client can name, and the pieces random edits insert.

use rfc_lsp::text::{Encoding, Pos};

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

/// The offsets a client can name in `text`: char boundaries, never between the CR and
/// LF of a CRLF.
pub fn nameable_offsets(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .filter(|&i| !(i > 0 && bytes[i - 1] == b'\r' && bytes.get(i) == Some(&b'\n')))
        .collect()
}
