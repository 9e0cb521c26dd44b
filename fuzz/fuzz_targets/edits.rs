//! The bytes drive a sequence of client edits applied through `Document::apply_changes`
//! (the server's edit path), with small chunks so that edits cross, move and merge chunk
//! boundaries, in each position encoding. After every batch the rope equals the expected
//! text and the chunked tree equals a fresh parse; after the sequence the outline equals a
//! reopened document's, the outline walk equals `outline.scm`'s captures, and the
//! diagnostics (partly kept per chunk across edits) equal a reopened document's: the
//! comparisons tests/edits.rs makes.
//!
//! Input: `BASE [0xFF SCRIPT]`. BASE (lossy UTF-8) is the text the document opens with;
//! 0xFF never occurs in UTF-8, so a plain Markdown seed is a BASE alone, and then the
//! script comes from a generator seeded with the input's hash. SCRIPT: one byte for the
//! encoding, one for the chunk sizes, then per edit an op byte and its operands (see
//! `next_change`).
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use rfc_lsp::analysis::diagnostics::check;
use rfc_lsp::server::{symbols_answer, symbols_json};
use rfc_lsp::syntax::chunks::Limits;
use rfc_lsp::syntax::outline::{extract, extract_by_query};
use rfc_lsp::syntax::{Document, parse_str};
use rfc_lsp::text::{Change, Encoding};
use rfc_lsp::workspace::Settings;
use rfc_lsp_fuzz::{Rng, fragment, fresh_blocks, hash, nameable_offsets, position_of};

const MAX_EDITS: usize = 48;
/// Pastes and replacements stop growing the text past this: a paste of the whole text
/// doubles it, and forty-eight doublings would only measure the parser's speed.
const MAX_TEXT: usize = 16 * 1024;
/// The longest paste.
const MAX_PASTE: usize = 2048;

static SETTINGS: LazyLock<Settings> = LazyLock::new(|| Settings::defaults(Path::new("/w")));

/// Reads the script a byte at a time; `None` once it is used up.
struct Script<'a>(&'a [u8]);

impl Script<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from(self.byte()?) << 8 | u16::from(self.byte().unwrap_or(0)))
    }
}

fuzz_target!(|data: &[u8]| {
    let generated: Vec<u8>;
    let (base, script) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => {
            let mut rng = Rng::new(hash(data));
            generated = (0..96).map(|_| rng.next() as u8).collect();
            (data, &generated[..])
        }
    };
    let mut script = Script(script);
    let enc = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32]
        [usize::from(script.byte().unwrap_or(0)) % 3];
    let limits = [
        Limits {
            target: 48,
            max: 160,
        },
        Limits {
            target: 256,
            max: 1024,
        },
        Limits::default(),
    ][usize::from(script.byte().unwrap_or(0)) % 3];

    let mut expected = String::from_utf8_lossy(base).into_owned();
    let mut doc = Document::with_limits(&expected, 0, limits);
    let mut version = 0;
    let mut edits = 0;
    while edits < MAX_EDITS {
        // A batch: one change, or several in one notification as clients send them.
        let mut changes = Vec::new();
        while let Some((change, more)) = next_change(&mut script, &mut expected, enc) {
            changes.push(change);
            edits += 1;
            if !more || edits >= MAX_EDITS {
                break;
            }
        }
        if changes.is_empty() {
            break;
        }
        version += 1;
        let report = doc.apply_changes(changes.clone(), version, enc);
        assert_eq!(
            report.clamped, 0,
            "in-range changes were clamped: {changes:?}"
        );
        assert!(
            *doc.rope() == expected.as_str(),
            "the text diverged after {changes:?} ({enc:?})"
        );
        let chunked = doc.tree().block_lines(doc.rope());
        let fresh = fresh_blocks(&expected);
        if chunked != fresh {
            let at = chunked
                .iter()
                .zip(&fresh)
                .position(|(a, b)| a != b)
                .unwrap_or(chunked.len().min(fresh.len()));
            panic!(
                "the chunked tree differs from a fresh parse at block {at} ({limits:?})\n chunked: {:?}\n fresh:   {:?}\n chunks: {:?}\n changes: {changes:?}\n text: {expected:?}",
                chunked.get(at),
                fresh.get(at),
                doc.tree()
                    .chunks()
                    .iter()
                    .map(|c| c.range())
                    .collect::<Vec<_>>()
            );
        }
        // The outline answer kept across versions is the one written afresh.
        let kept = symbols_answer(&doc.snapshot(), enc);
        assert!(
            (*kept).as_ref() == symbols_json(&doc.snapshot(), enc).as_slice(),
            "the kept outline answer is stale after {changes:?}"
        );
    }

    let reopened = Document::with_limits(&expected, 0, limits);
    if let Err(e) = reopened.tree().check_plain_chunks(reopened.rope()) {
        panic!("a chunk read by line scan differs from its parse: {e}");
    }
    assert_eq!(
        doc.outline(),
        reopened.outline(),
        "the outline differs from a reopened document's"
    );
    let rope = ropey::Rope::from_str(&expected);
    let tree = parse_str(&expected);
    assert_eq!(
        extract(&tree, &rope, 0),
        extract_by_query(&tree, &rope, 0),
        "the outline walk differs from queries/markdown/outline.scm"
    );
    let ctx = SETTINGS.context(Some(Path::new("/w/rfcs/rfc-001-x.md")), None);
    assert_eq!(
        format!("{:?}", check(&doc.snapshot(), &ctx).diagnostics),
        format!("{:?}", check(&reopened.snapshot(), &ctx).diagnostics),
        "the diagnostics differ from a reopened document's"
    );
});

/// The next change of the script, applied to `expected` as the client applies it, and
/// whether the next change goes in the same notification.
///
/// Op byte: bit 6 set: another change follows in the same batch; low three bits: 0-4 a
/// ranged edit (start: two bytes, an index into the offsets a client can name; length:
/// one byte, bit 7 set for a long delete; then the inserted text), 5 a paste of a slice
/// of the text, 6 a deletion only, 7 a whole-text replacement.
/// Inserted text: a byte below 0xC0 picks up to three fragments (each one more byte);
/// 0xC0 + n takes the next n bytes literally (lossy UTF-8).
fn next_change(
    script: &mut Script,
    expected: &mut String,
    enc: Encoding,
) -> Option<(Change, bool)> {
    let op = script.byte()?;
    let more = op & 0x40 != 0;
    let kind = op & 7;
    if kind == 7 {
        // A whole-text replacement: the text so far with a fragment added at the end.
        let f = fragment(usize::from(script.byte().unwrap_or(0)));
        if expected.len() < MAX_TEXT {
            expected.push_str(f);
        }
        return Some((
            Change {
                range: None,
                text: expected.clone(),
            },
            more,
        ));
    }
    let offsets = nameable_offsets(expected);
    let start_idx = usize::from(script.u16().unwrap_or(0)) % offsets.len();
    let len_byte = script.byte().unwrap_or(0);
    let span = if len_byte & 0x80 != 0 {
        usize::from(len_byte & 0x7F) * 8
    } else {
        usize::from(len_byte % 8)
    };
    let end_idx = (start_idx + span).min(offsets.len() - 1);
    let (start, end) = (offsets[start_idx], offsets[end_idx]);
    let insert = match kind {
        6 => String::new(),
        5 => {
            let a = offsets[usize::from(script.u16().unwrap_or(0)) % offsets.len()];
            let b = offsets[usize::from(script.u16().unwrap_or(0)) % offsets.len()];
            let (a, mut b) = (a.min(b), a.max(b));
            while b - a > MAX_PASTE || !expected.is_char_boundary(b) {
                b = if b - a > MAX_PASTE {
                    a + MAX_PASTE
                } else {
                    b - 1
                };
            }
            expected[a..b].to_string()
        }
        _ => match script.byte().unwrap_or(0) {
            n @ 0xC0.. => {
                let bytes: Vec<u8> = (0..n - 0xC0).map_while(|_| script.byte()).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            }
            n => (0..n % 4)
                .map(|_| fragment(usize::from(script.byte().unwrap_or(0))))
                .collect(),
        },
    };
    // Past the size cap, edits only delete or replace.
    let insert = if expected.len() + insert.len() > MAX_TEXT + (end - start) {
        String::new()
    } else {
        insert
    };
    let range = (
        position_of(expected, start, enc),
        position_of(expected, end, enc),
    );
    expected.replace_range(start..end, &insert);
    Some((
        Change {
            range: Some(range),
            text: insert,
        },
        more,
    ))
}
