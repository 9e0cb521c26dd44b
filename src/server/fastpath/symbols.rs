//! The documentSymbol answer as JSON, written by hand from the outline, and kept: while
//! the writer types inside a paragraph the outline's symbols stay exactly as they were,
//! and the next request is answered with the same bytes.
//!
//! A new answer is made in two steps: [`read`] walks the outline ([`symbols::walk`]) into
//! a flat list of what the JSON is made of (each symbol's depth, kind, name, detail and
//! positions in the client's encoding), and [`write`] writes the JSON from that list. The
//! document keeps the answer with its list. The next request walks the outline comparing
//! each symbol with the kept list ([`Symbols::matches`]); if all match, the kept bytes are
//! the answer. The JSON is a function of the list alone, so a kept answer is never stale,
//! and the comparison costs about a third of writing the megabyte of JSON a 50,000-line
//! outline makes.

use std::ops::Range;
use std::sync::Arc;

use crate::analysis::Snapshot;
use crate::analysis::symbols::{self, Mark, Step, SymbolKind};
use crate::text::{Encoding, Pos, offset_to_line_col};

/// One symbol of the outline, as its JSON needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    /// How many symbols enclose it.
    depth: u32,
    /// The LSP `SymbolKind` number.
    kind: u32,
    /// Where its name and its detail are in [`Symbols::text`] (an empty detail: none).
    name: Range<u32>,
    detail: Range<u32>,
    /// The range's start and end, then the selection range's, each as line and character.
    at: [u32; 8],
}

/// The outline's symbols in document order (a parent before its children), with their
/// names and details side by side in one string.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Symbols {
    entries: Vec<Entry>,
    text: String,
}

/// An answer: the JSON of `DocumentSymbol[]` and what it was written from.
pub struct Answer {
    enc: Encoding,
    symbols: Symbols,
    json: Vec<u8>,
}

impl AsRef<[u8]> for Answer {
    fn as_ref(&self) -> &[u8] {
        &self.json
    }
}

/// The answer to documentSymbol for `snapshot`: the document's kept answer if the outline's
/// symbols are what it was written from, else a new one, kept in its place.
pub fn answer(snapshot: &Snapshot, enc: Encoding) -> Arc<Answer> {
    if let Some(kept) = snapshot.memo.get::<Answer>()
        && kept.enc == enc
        && kept.symbols.matches(snapshot, enc)
    {
        return kept;
    }
    // The kept answer's buffers are written again if nothing else holds it (the output
    // wrote it long ago): a buffer allocated afresh is pages the kernel clears and maps in
    // again, now that large freed blocks go back to it (src/main.rs). Building a list of
    // 5,000 symbols afresh on every request cost 0.3-0.6 ms of the median that way.
    let (mut symbols, mut json) = snapshot
        .memo
        .take::<Answer>()
        .and_then(|kept| Arc::try_unwrap(kept).ok())
        .map(|kept| (kept.symbols, kept.json))
        .unwrap_or_default();
    read(snapshot, enc, &mut symbols);
    write(&symbols, &mut json);
    let answer = Arc::new(Answer { enc, json, symbols });
    snapshot.memo.set(answer.clone());
    answer
}

/// The JSON of `DocumentSymbol[]` for `snapshot`, written afresh: what [`answer`] gives.
pub fn json(snapshot: &Snapshot, enc: Encoding) -> Vec<u8> {
    let (mut symbols, mut json) = Default::default();
    read(snapshot, enc, &mut symbols);
    write(&symbols, &mut json);
    json
}

/// One symbol as [`each`] gives it.
struct Seen<'a> {
    depth: u32,
    kind: u32,
    name: &'a str,
    detail: &'a str,
    at: [u32; 8],
}

/// Calls `f` with each of the outline's symbols, its positions in `enc`.
fn each(snapshot: &Snapshot, enc: Encoding, mut f: impl FnMut(Seen<'_>)) {
    let position = |m: Mark| match m.at {
        Some(at) => Pos::new(at.line, at.column(enc)),
        None => offset_to_line_col(&snapshot.rope, m.offset, enc),
    };
    let mut depth = 0;
    symbols::walk(snapshot, |step| match step {
        Step::Open(head) => {
            let [a, b, c, d] = [
                position(head.range.0),
                position(head.range.1),
                position(head.selection.0),
                position(head.selection.1),
            ];
            f(Seen {
                depth,
                kind: kind_number(head.kind),
                name: head.name.as_str(),
                detail: head.detail.unwrap_or(""),
                at: [
                    a.line,
                    a.character,
                    b.line,
                    b.character,
                    c.line,
                    c.character,
                    d.line,
                    d.character,
                ],
            });
            depth += 1;
        }
        Step::Close => depth -= 1,
    });
}

/// The outline's symbols with their positions in `enc`, into `out` (emptied first).
fn read(snapshot: &Snapshot, enc: Encoding, out: &mut Symbols) {
    out.entries.clear();
    out.text.clear();
    out.entries.reserve(snapshot.outline.headings.len() + 16);
    out.text.reserve(16 * snapshot.outline.headings.len());
    each(snapshot, enc, |seen| {
        let name = push(&mut out.text, seen.name);
        let detail = push(&mut out.text, seen.detail);
        out.entries.push(Entry {
            depth: seen.depth,
            kind: seen.kind,
            name,
            detail,
            at: seen.at,
        });
    });
}

impl Symbols {
    /// Whether these are the outline's symbols, compared as they are walked: a kept answer
    /// is checked without making anything (a list of 5,000 symbols made on every request
    /// was a third of the time of a kept answer, and its memory had to be fetched anew).
    fn matches(&self, snapshot: &Snapshot, enc: Encoding) -> bool {
        let mut entries = self.entries.iter();
        let mut same = true;
        let text = |r: &Range<u32>| &self.text[r.start as usize..r.end as usize];
        each(snapshot, enc, |seen| {
            same = same
                && entries.next().is_some_and(|e| {
                    e.depth == seen.depth
                        && e.kind == seen.kind
                        // Not `==` on the arrays, nor on the strings: each was a call
                        // to `memcmp`, and those calls were two thirds of the time.
                        && (0..8).all(|i| e.at[i] == seen.at[i])
                        && same_str(text(&e.name), seen.name)
                        && same_str(text(&e.detail), seen.detail)
                });
        });
        same && entries.next().is_none()
    }
}

/// `a == b`, inline: names are short, and a call to `memcmp` costs more than comparing
/// them a word at a time.
fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().expect("8 bytes"));
    x.by_ref().zip(y.by_ref()).all(|(p, q)| word(p) == word(q))
        && x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

/// Appends `s` to `text`; where it landed.
fn push(text: &mut String, s: &str) -> Range<u32> {
    let start = text.len() as u32;
    text.push_str(s);
    start..text.len() as u32
}

/// The JSON of `DocumentSymbol[]`: what serde writes for the LSP types (a test compares
/// them), a leaf without `children` and a symbol without detail without `detail`.
fn write(symbols: &Symbols, out: &mut Vec<u8>) {
    out.clear();
    // About 230 bytes of JSON per symbol.
    out.reserve(240 * symbols.entries.len() + 16);
    let text = |r: &Range<u32>| &symbols.text[r.start as usize..r.end as usize];
    out.push(b'[');
    let mut previous: Option<u32> = None;
    for entry in &symbols.entries {
        match previous {
            None => {}
            // The first child of the symbol before.
            Some(p) if entry.depth > p => out.extend_from_slice(b",\"children\":["),
            // A sibling of the symbol before or of one of its parents: close them.
            Some(p) => {
                out.push(b'}');
                for _ in entry.depth..p {
                    out.extend_from_slice(b"]}");
                }
                out.push(b',');
            }
        }
        previous = Some(entry.depth);
        out.extend_from_slice(b"{\"name\":");
        json_string(out, text(&entry.name));
        if !entry.detail.is_empty() {
            out.extend_from_slice(b",\"detail\":");
            json_string(out, text(&entry.detail));
        }
        out.extend_from_slice(b",\"kind\":");
        json_u32(out, entry.kind);
        let [a, b, c, d, e, f, g, h] = entry.at;
        out.extend_from_slice(b",\"range\":");
        json_range(out, [a, b, c, d]);
        out.extend_from_slice(b",\"selectionRange\":");
        json_range(out, [e, f, g, h]);
    }
    if let Some(p) = previous {
        out.push(b'}');
        for _ in 0..p {
            out.extend_from_slice(b"]}");
        }
    }
    out.push(b']');
}

/// The number LSP gives each kind (the one `convert::symbol_kind` gives).
fn kind_number(kind: SymbolKind) -> u32 {
    match kind {
        SymbolKind::Title => 1,
        SymbolKind::Section => 15,
        SymbolKind::Metadata => 23,
        SymbolKind::Field => 7,
    }
}

/// `{"start":{"line":..,"character":..},"end":{..}}` of start line and character, end
/// line and character.
fn json_range(out: &mut Vec<u8>, [a, b, c, d]: [u32; 4]) {
    out.extend_from_slice(b"{\"start\":{\"line\":");
    json_u32(out, a);
    out.extend_from_slice(b",\"character\":");
    json_u32(out, b);
    out.extend_from_slice(b"},\"end\":{\"line\":");
    json_u32(out, c);
    out.extend_from_slice(b",\"character\":");
    json_u32(out, d);
    out.extend_from_slice(b"}}");
}

/// `n` in decimal. Each digit count has its own fixed-length copy: a copy of a slice whose
/// length is only known at run time is a call to `memmove`, and with eight numbers per
/// symbol those calls were a third of writing a long outline.
fn json_u32(out: &mut Vec<u8>, n: u32) {
    let d = |k: u32| b'0' + (n / k % 10) as u8;
    match n {
        0..=9 => out.push(d(1)),
        10..=99 => out.extend_from_slice(&[d(10), d(1)]),
        100..=999 => out.extend_from_slice(&[d(100), d(10), d(1)]),
        1_000..=9_999 => out.extend_from_slice(&[d(1_000), d(100), d(10), d(1)]),
        10_000..=99_999 => out.extend_from_slice(&[d(10_000), d(1_000), d(100), d(10), d(1)]),
        _ => {
            // Long numbers are rare (a line beyond 99,999): the general way.
            let mut digits = [0u8; 10];
            let mut i = digits.len();
            let mut n = n;
            loop {
                i -= 1;
                digits[i] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            out.extend_from_slice(&digits[i..]);
        }
    }
}

/// A JSON string, escaped as serde_json does: `"`, `\\` and control characters.
fn json_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => {
                out.extend_from_slice(&bytes[from..i]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
                from = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[from..i]);
        out.extend_from_slice(escape);
        from = i + 1;
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Document;
    use crate::text::Change;

    const TEXT: &str = "---\nid: rfc-001\nstatus: Draft\n---\n\n# RFC-001: Title\n\n## Summary\n\nSome text here.\nA second line.\n\n## Alpha\n\n### Deep\n\nMore text.\n";

    /// An edit at `line`, `character` (UTF-16, as the tests' texts are ASCII).
    fn edit(doc: &mut Document, line: u32, from: u32, to: u32, text: &str) {
        let version = doc.version() + 1;
        doc.apply_changes(
            [Change {
                range: Some((Pos::new(line, from), Pos::new(line, to))),
                text: text.to_string(),
            }],
            version,
            Encoding::Utf16,
        );
    }

    #[test]
    fn typing_in_a_paragraph_keeps_the_answer() {
        let mut doc = Document::new(TEXT, 0);
        let first = answer(&doc.snapshot(), Encoding::Utf16);
        edit(&mut doc, 9, 4, 4, "x"); // "Somex text here.", not the last line of its section
        let second = answer(&doc.snapshot(), Encoding::Utf16);
        assert!(Arc::ptr_eq(&first, &second), "the same bytes answer again");
        assert_eq!(second.json, json(&doc.snapshot(), Encoding::Utf16));
    }

    #[test]
    fn what_changes_the_outline_is_answered_afresh() {
        let mut doc = Document::new(TEXT, 0);
        let mut last = answer(&doc.snapshot(), Encoding::Utf16);
        let mut next = |doc: &Document, enc: Encoding, what: &str| {
            let now = answer(&doc.snapshot(), enc);
            assert!(!Arc::ptr_eq(&last, &now), "{what}: answered afresh");
            assert_eq!(now.json, json(&doc.snapshot(), enc), "{what}");
            assert_ne!(now.json, last.json, "{what}: the JSON changed");
            last = now;
        };
        // (line, from, to, new text, what it changes), each edit after the ones before.
        let edits = [
            // Same length: every position stays, the name does not.
            (12, 3, 8, "Gamma", "a heading renamed"),
            (9, 0, 0, "\n", "a line added before the sections"),
            // The section's range ends later.
            (17, 10, 10, " And more.", "a section's last line grown"),
            (2, 8, 13, "Accepted", "a field's value"),
            // It moves in the tree.
            (15, 0, 3, "##", "a heading's level"),
            (5, 2, 2, "é", "a title with é"),
        ];
        for (line, from, to, text, what) in edits {
            edit(&mut doc, line, from, to, text);
            next(&doc, Encoding::Utf16, what);
        }
        // The same outline in other columns: a kept answer is for one encoding.
        next(&doc, Encoding::Utf8, "UTF-8 columns");
    }
}
