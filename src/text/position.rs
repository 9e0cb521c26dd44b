//! Conversion between byte offsets and the client's (line, character) positions.
//!
//! Lines break at `\n`, `\r\n` and a lone `\r`, as in LSP (ropey's `cr_lines` feature, and
//! no Unicode line separators). Characters count UTF-8 bytes, UTF-16 code units or code
//! points, whichever encoding was negotiated. Positions outside the text clamp to the end
//! of their line or of the text; they never panic.

use ropey::Rope;

/// The position encoding agreed with the client at initialisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

/// A zero-based line and character offset, in some [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub character: u32,
}

impl Pos {
    pub const fn new(line: u32, character: u32) -> Self {
        Pos { line, character }
    }
}

/// The byte offset of `pos`, and whether it had to be clamped into the text.
pub fn line_col_to_offset(rope: &Rope, pos: Pos, enc: Encoding) -> (usize, bool) {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return (rope.len_bytes(), true);
    }
    let range = super::line_range(rope, line);
    let col = pos.character as usize;
    let start_char = rope.byte_to_char(range.start);
    let end_char = rope.byte_to_char(range.end);
    let (char_idx, clamped) = match enc {
        Enc::Utf8 => {
            let byte = range.start.saturating_add(col);
            if byte > range.end {
                (end_char, true)
            } else {
                // A column inside a multi-byte character rounds down to its start.
                (rope.byte_to_char(byte), false)
            }
        }
        Enc::Utf16 => {
            let start_cu = rope.char_to_utf16_cu(start_char);
            let end_cu = rope.char_to_utf16_cu(end_char);
            let cu = start_cu.saturating_add(col);
            if cu > end_cu {
                (end_char, true)
            } else {
                (rope.utf16_cu_to_char(cu), false)
            }
        }
        Enc::Utf32 => {
            let c = start_char.saturating_add(col);
            if c > end_char {
                (end_char, true)
            } else {
                (c, false)
            }
        }
    };
    (rope.char_to_byte(char_idx), clamped)
}

use Encoding as Enc;

/// The position of byte `offset` (clamped to the text; rounded down to a char boundary).
pub fn offset_to_line_col(rope: &Rope, offset: usize, enc: Encoding) -> Pos {
    let offset = offset.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_idx);
    let line_start_char = rope.line_to_char(line);
    let character = match enc {
        Enc::Utf8 => rope.char_to_byte(char_idx) - rope.char_to_byte(line_start_char),
        Enc::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start_char),
        Enc::Utf32 => char_idx - line_start_char,
    };
    Pos::new(line as u32, character as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A (line, character) pair.
    type LC = (u32, u32);

    /// (text, byte offset, utf-8, utf-16, utf-32 positions)
    const TABLE: &[(&str, usize, LC, LC, LC)] = &[
        ("abc", 0, (0, 0), (0, 0), (0, 0)),
        ("abc", 3, (0, 3), (0, 3), (0, 3)),
        ("ab\ncd", 3, (1, 0), (1, 0), (1, 0)),
        ("ab\ncd", 5, (1, 2), (1, 2), (1, 2)),
        // é is 2 bytes, 1 UTF-16 unit, 1 code point.
        ("é x", 2, (0, 2), (0, 1), (0, 1)),
        ("aé\néb", 4, (1, 0), (1, 0), (1, 0)),
        ("aé\néb", 6, (1, 2), (1, 1), (1, 1)),
        // CJK: 3 bytes, 1 unit.
        ("日本語", 6, (0, 6), (0, 2), (0, 2)),
        ("x日本\n語y", 11, (1, 3), (1, 1), (1, 1)),
        // Emoji: 4 bytes, 2 UTF-16 units (a surrogate pair), 1 code point.
        ("😀a", 4, (0, 4), (0, 2), (0, 1)),
        ("a😀b", 6, (0, 6), (0, 4), (0, 3)),
        // CRLF is one line break; a lone CR is one too.
        ("ab\r\ncd", 4, (1, 0), (1, 0), (1, 0)),
        ("ab\r\ncd", 6, (1, 2), (1, 2), (1, 2)),
        ("ab\rcd", 3, (1, 0), (1, 0), (1, 0)),
        ("# é\r\n## 😀\r\n", 15, (2, 0), (2, 0), (2, 0)),
        ("# é\r\n## 😀\r\n", 13, (1, 7), (1, 5), (1, 4)),
    ];

    #[test]
    fn offsets_and_positions_round_trip_in_every_encoding() {
        for &(text, offset, p8, p16, p32) in TABLE {
            let rope = Rope::from_str(text);
            for (enc, (line, character)) in [(Enc::Utf8, p8), (Enc::Utf16, p16), (Enc::Utf32, p32)]
            {
                let pos = Pos::new(line, character);
                assert_eq!(
                    offset_to_line_col(&rope, offset, enc),
                    pos,
                    "{text:?} @{offset} {enc:?}"
                );
                assert_eq!(
                    line_col_to_offset(&rope, pos, enc),
                    (offset, false),
                    "{text:?} {pos:?} {enc:?}"
                );
            }
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let rope = Rope::from_str("ab\r\ncd😀\n");
        for enc in [Enc::Utf8, Enc::Utf16, Enc::Utf32] {
            // Past the end of a line: to the line end, before the CRLF.
            assert_eq!(line_col_to_offset(&rope, Pos::new(0, 99), enc), (2, true));
            // Past the last line: to the end of the text.
            assert_eq!(
                line_col_to_offset(&rope, Pos::new(9, 0), enc),
                (rope.len_bytes(), true)
            );
            assert_eq!(
                line_col_to_offset(&rope, Pos::new(u32::MAX, u32::MAX), enc).0,
                rope.len_bytes()
            );
        }
        // Inside a character: rounds down to its start, never splits it.
        assert_eq!(
            line_col_to_offset(&rope, Pos::new(1, 3), Enc::Utf8),
            (6, false)
        );
        assert_eq!(
            line_col_to_offset(&rope, Pos::new(1, 3), Enc::Utf16),
            (6, false)
        );
        assert_eq!(offset_to_line_col(&rope, 7, Enc::Utf16), Pos::new(1, 2));
        assert_eq!(offset_to_line_col(&rope, 1000, Enc::Utf16), Pos::new(2, 0));
    }
}
