//! The analysis layer: pure functions from a [`Snapshot`] to plain results with byte
//! offsets (or line numbers). The server and the CLI translate them; nothing here knows
//! LSP. One module per feature.

pub mod folding;
pub mod symbols;

pub use crate::syntax::document::Snapshot;

use std::ops::Range;

/// `range` with trailing whitespace (blank lines included) removed.
pub(crate) fn trim_end(snapshot: &Snapshot, range: Range<usize>) -> Range<usize> {
    let rope = &snapshot.rope;
    let mut end = range.end.min(rope.len_bytes());
    // Walk back chunk by chunk: one tree lookup per rope chunk, not per byte.
    while end > range.start {
        let (chunk, chunk_start, _, _) = rope.chunk_at_byte(end - 1);
        let bytes = &chunk.as_bytes()[..end - chunk_start];
        match bytes.iter().rposition(|b| !b.is_ascii_whitespace()) {
            Some(i) => return range.start..(chunk_start + i + 1).max(range.start),
            None => end = chunk_start,
        }
    }
    range.start..range.start
}
