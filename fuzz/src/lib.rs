//! Helpers shared by the fuzz targets: range invariants and the pieces the edit target
//! inserts; the generator, the independent position computation and the nameable offsets
//! are the integration tests' own (tests/common/text.rs).

use std::ops::Range;

use rfc_lsp::syntax::{block_lines, parse_str};

#[path = "../../tests/common/text.rs"]
mod text;

pub use text::{FRAGMENTS, Rng, nameable_offsets, position_of};

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

/// The block structure of a fresh, whole parse of `text`.
pub fn fresh_blocks(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    block_lines(&parse_str(text), 0, &mut lines);
    lines
}

/// Pieces the edit target inserts beyond the tests' [`FRAGMENTS`]: metadata and quoting.
const MORE_FRAGMENTS: &[&str] = &[
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

/// Piece `i` (modulo their number) of [`FRAGMENTS`] followed by [`MORE_FRAGMENTS`].
pub fn fragment(i: usize) -> &'static str {
    let i = i % (FRAGMENTS.len() + MORE_FRAGMENTS.len());
    FRAGMENTS.get(i).copied().unwrap_or_else(|| MORE_FRAGMENTS[i - FRAGMENTS.len()])
}

/// FNV-1a of a byte string: a stable seed from an input.
pub fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
