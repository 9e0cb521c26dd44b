//! The text layer: positions in the client's encoding, and resolving a client's content
//! change to a byte-level edit of the rope. Nothing here knows about trees or LSP types.

pub mod diff;
pub mod fields;
mod position;

pub use position::{Encoding, Pos, PositionMap, line_col_to_offset, offset_to_line_col};

use ropey::Rope;

/// A change the client sent, in its own coordinates: `range: None` replaces the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub range: Option<(Pos, Pos)>,
    pub text: String,
}

/// A change resolved against the current text: replace `start..old_end` (bytes) with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteEdit {
    pub start: usize,
    pub old_end: usize,
    pub text: String,
    /// True when a client coordinate lay outside the text and was clamped.
    pub clamped: bool,
}

impl ByteEdit {
    pub fn new_end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// Resolves a ranged change to bytes. Out-of-range positions clamp to the line end or the
/// end of the text; a range whose end lies before its start is treated as empty at its start.
pub fn resolve(rope: &Rope, range: (Pos, Pos), text: String, enc: Encoding) -> ByteEdit {
    let (start, c1) = line_col_to_offset(rope, range.0, enc);
    let (end, c2) = line_col_to_offset(rope, range.1, enc);
    ByteEdit {
        start,
        old_end: end.max(start),
        text,
        clamped: c1 || c2 || end < start,
    }
}

/// Applies a byte edit to the rope. Both offsets must be char boundaries (as
/// [`line_col_to_offset`] guarantees).
pub fn apply(rope: &mut Rope, edit: &ByteEdit) {
    let start = rope.byte_to_char(edit.start);
    let end = rope.byte_to_char(edit.old_end);
    if end > start {
        rope.remove(start..end);
    }
    if !edit.text.is_empty() {
        rope.insert(start, &edit.text);
    }
}

/// The byte range of `line` without its line break, clamped to the text.
pub fn line_range(rope: &Rope, line: usize) -> std::ops::Range<usize> {
    if line >= rope.len_lines() {
        let end = rope.len_bytes();
        return end..end;
    }
    let start = rope.line_to_byte(line);
    let next = if line + 1 < rope.len_lines() {
        rope.line_to_byte(line + 1)
    } else {
        rope.len_bytes()
    };
    let mut end = next;
    if end > start && rope.byte(end - 1) == b'\n' {
        end -= 1;
    }
    if end > start && rope.byte(end - 1) == b'\r' {
        end -= 1;
    }
    start..end
}

/// Byte offsets of the line starts of `text` (0, then after each LF, CRLF and lone CR),
/// found with SIMD byte search.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
    starts.push(0);
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            starts.push(i + 1);
        }
    }
    starts
}

/// The columns of the end of `prefix` (the text of a line before some offset) in UTF-8,
/// UTF-16 and UTF-32, in that order: [`column_index`] picks one.
pub fn columns(prefix: &str) -> [u32; 3] {
    let bytes = prefix.as_bytes();
    let chars = bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u32;
    let astral = bytes.iter().filter(|&&b| b >= 0xF0).count() as u32;
    [bytes.len() as u32, chars + astral, chars]
}

/// Where an encoding's column stands in [`columns`]' answer.
pub fn column_index(enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => 0,
        Encoding::Utf16 => 1,
        Encoding::Utf32 => 2,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_starts_after_lf_crlf_and_lone_cr() {
        assert_eq!(super::line_starts(""), [0]);
        assert_eq!(super::line_starts("a\nb\r\nc\rd\n"), [0, 2, 5, 7, 9]);
        assert_eq!(super::line_starts("\r\r\n\n"), [0, 1, 3, 4]);
    }

    #[test]
    fn columns_in_every_encoding() {
        assert_eq!(super::columns(""), [0, 0, 0]);
        assert_eq!(super::columns("a\u{e9}\u{65e5}\u{1F600}"), [10, 5, 4]);
    }
}
