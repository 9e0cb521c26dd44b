//! Helpers shared by the fuzz targets: range invariants, an independent position
//! computation (as in tests/common) and the pieces the edit target inserts.

use std::ops::Range;

use rfc_lsp::syntax::{block_lines, parse_str};
use rfc_lsp::text::{Encoding, Pos};

/// Panics unless `range` is a well-formed byte range of `text` whose ends are char
/// boundaries: what every feature must hand to the server's position conversion.
#[track_caller]
pub fn assert_range(text: &str, range: &Range<usize>, what: &str) {
    assert!(
        range.start <= range.end,
        "{what}: range {range:?} ends before it starts"
    );
    assert!(
        range.end <= text.len(),
        "{what}: range {range:?} lies past the end of the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what}: range {range:?} cuts a character"
    );
}

/// `inner` lies within `outer`.
#[track_caller]
pub fn assert_within(inner: &Range<usize>, outer: &Range<usize>, what: &str) {
    assert!(
        outer.start <= inner.start && inner.end <= outer.end,
        "{what}: {inner:?} is not within {outer:?}"
    );
}

/// The LSP position of byte `offset` in `text`, computed independently of the library:
/// lines break at `\r\n`, `\n` and a lone `\r` (a copy of tests/common's).
pub fn position_of(text: &str, offset: usize, enc: Encoding) -> Pos {
    let before = &text[..offset];
    let bytes = text.as_bytes();
    let mut line = 0;
    let mut line_start = 0;
    for (i, &b) in before.as_bytes().iter().enumerate() {
        match b {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            // A CR directly followed by LF breaks once, at the LF.
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
    }
    let col_text = &before[line_start..];
    let character = match enc {
        Encoding::Utf8 => col_text.len(),
        Encoding::Utf16 => col_text.encode_utf16().count(),
        Encoding::Utf32 => col_text.chars().count(),
    };
    Pos::new(line as u32, character as u32)
}

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

/// The block structure of a fresh, whole parse of `text`.
pub fn fresh_blocks(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    block_lines(&parse_str(text), 0, &mut lines);
    lines
}

/// Pieces that stress the grammar and the position conversions (tests/common's list).
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
    "status: ",
    "tags: [a, ",
    "## Status\n\n- **Status**: ",
    "# RFC-001: Title\n",
    "\"",
    "'",
    ": ",
    "]",
    "  \n",
    "\\\n",
];

/// A small deterministic generator (xorshift64*), for inputs that carry no edit script.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// FNV-1a of a byte string: a stable seed from an input.
pub fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
