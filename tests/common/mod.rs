//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses its own part of this module

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
            b'\r' => {
                // A CR directly followed by LF breaks once, at the LF. A CR at the very end
                // of `before` whose LF follows is still mid-break: the offset is inside CRLF.
                if text.as_bytes().get(i + 1) != Some(&b'\n') {
                    line += 1;
                    line_start = i + 1;
                }
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
