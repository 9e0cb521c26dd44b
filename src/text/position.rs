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
    // Two lookups in the rope's tree and a count over the line so far: the symbols of a
    // 50,000-line document convert ~16,000 positions per request.
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    let on_boundary = offset == rope.len_bytes() || rope.byte(offset) & 0xC0 != 0x80;
    if offset - line_start <= 4096 && on_boundary {
        let mut character = 0;
        for chunk in rope.byte_slice(line_start..offset).chunks() {
            character += match enc {
                Enc::Utf8 => chunk.len(),
                Enc::Utf16 => chunk.chars().map(char::len_utf16).sum(),
                Enc::Utf32 => chunk.chars().count(),
            };
        }
        return Pos::new(line as u32, character as u32);
    }
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

/// Positions of many offsets at once: one pass over the text instead of a lookup per
/// offset (a 50,000-line document's outline has ~17,000 of them).
pub struct PositionMap {
    offsets: Vec<usize>,
    positions: Vec<Pos>,
}

impl PositionMap {
    pub fn new(rope: &Rope, mut offsets: Vec<usize>, enc: Encoding) -> PositionMap {
        let len = rope.len_bytes();
        for o in &mut offsets {
            *o = (*o).min(len);
        }
        offsets.sort_unstable();
        offsets.dedup();
        let mut positions = Vec::with_capacity(offsets.len());
        // The line and column at byte `at`, advanced a stretch at a time: the stretches
        // between wanted offsets are counted with loops the compiler vectorises (a
        // 50,000-line outline's 17,000 offsets: ~0.3 ms instead of ~3 ms byte by byte).
        let (mut line, mut col) = (0u32, 0u32);
        let mut at = 0;
        let mut next = 0;
        for chunk in rope.chunks() {
            let bytes = chunk.as_bytes();
            let chunk_end = at + bytes.len();
            let mut from = 0; // within the chunk
            while next < offsets.len() && offsets[next] < chunk_end {
                let to = offsets[next] - at;
                let b = bytes[to];
                if b & 0xC0 == 0x80 || (b == b'\n' && to > 0 && bytes[to - 1] == b'\r') {
                    // Inside a character, or between the CR and LF of one line break
                    // (ropey never splits that pair across chunks): looked up alone, and
                    // the stretch is not cut there.
                    positions.push(offset_to_line_col(rope, offsets[next], enc));
                } else {
                    advance(&bytes[from..to], enc, &mut line, &mut col);
                    from = to;
                    positions.push(Pos::new(line, col));
                }
                next += 1;
            }
            if next == offsets.len() {
                break;
            }
            advance(&bytes[from..], enc, &mut line, &mut col);
            at = chunk_end;
        }
        while positions.len() < offsets.len() {
            positions.push(Pos::new(line, col)); // the end of the text
        }
        PositionMap { offsets, positions }
    }

    /// The position of an offset given to [`PositionMap::new`] (others: looked up).
    pub fn get(&self, rope: &Rope, offset: usize, enc: Encoding) -> Pos {
        let offset = offset.min(rope.len_bytes());
        match self.offsets.binary_search(&offset) {
            Ok(i) => self.positions[i],
            Err(_) => offset_to_line_col(rope, offset, enc),
        }
    }
}

/// Moves (`line`, `col`) over `bytes`, which start and end on character boundaries and
/// never between a CR and its LF. Line breaks are LF, CRLF and a lone CR.
fn advance(bytes: &[u8], enc: Encoding, line: &mut u32, col: &mut u32) {
    let width = |s: &[u8]| -> u32 {
        match enc {
            Enc::Utf8 => s.len() as u32,
            // A UTF-16 unit per character, two for the 4-byte ones.
            Enc::Utf16 => s
                .iter()
                .map(|&b| u32::from(b & 0xC0 != 0x80) + u32::from(b >= 0xF0))
                .sum(),
            Enc::Utf32 => s.iter().map(|&b| u32::from(b & 0xC0 != 0x80)).sum(),
        }
    };
    let breaks = if bytes.contains(&b'\r') {
        bytes
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
            .count()
    } else {
        bytes.iter().filter(|&&b| b == b'\n').count()
    };
    if breaks == 0 {
        *col += width(bytes);
        return;
    }
    *line += breaks as u32;
    let last = bytes
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .expect("a line break was counted");
    *col = width(&bytes[last + 1..]);
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

    #[test]
    fn a_position_map_agrees_with_single_lookups() {
        let text = "a\u{e9}\r\n\u{1F600}x\r\ry\n\u{65e5}\u{672c}\n\nz";
        let rope = Rope::from_str(text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let all: Vec<usize> = (0..=text.len() + 2).collect();
            let map = PositionMap::new(&rope, all.clone(), enc);
            for o in all {
                assert_eq!(
                    map.get(&rope, o, enc),
                    offset_to_line_col(&rope, o, enc),
                    "offset {o} in {enc:?}"
                );
            }
        }
    }

    #[test]
    fn a_position_map_agrees_across_many_chunks() {
        // Long enough for hundreds of rope chunks, with every kind of line break and
        // multibyte characters at chunk edges.
        let piece = "ab\u{e9}\r\n\u{1F600}x\r\ry\n\u{65e5}\u{672c} long line of text\n\n";
        let text = piece.repeat(2_000);
        let rope = Rope::from_str(&text);
        assert!(rope.chunks().count() > 50);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for step in [1, 7, 13, 997] {
                let all: Vec<usize> = (0..=text.len()).step_by(step).collect();
                let map = PositionMap::new(&rope, all.clone(), enc);
                for o in all {
                    assert_eq!(
                        map.get(&rope, o, enc),
                        offset_to_line_col(&rope, o, enc),
                        "offset {o} in {enc:?}, step {step}"
                    );
                }
            }
        }
    }
}
