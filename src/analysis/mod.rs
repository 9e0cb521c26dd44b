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
    while end > range.start && rope.byte(end - 1).is_ascii_whitespace() {
        end -= 1;
    }
    range.start..end
}
