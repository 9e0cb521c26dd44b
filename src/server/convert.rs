//! The one place where analysis results (byte offsets, plain structs) become LSP types and
//! LSP positions become byte offsets.

use std::ops::Range as Bytes;

use ropey::Rope;
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, FoldingRange,
    FoldingRangeKind, Location, NumberOrString, Position, PositionEncodingKind, Range, SymbolKind,
    TextDocumentContentChangeEvent, Uri,
};

use crate::analysis::Snapshot;
use crate::analysis::diagnostics::{self, Severity};
use crate::analysis::folding::{Fold, FoldKind};
use crate::analysis::symbols::{self, Symbol};
use crate::text::{Change, Encoding, Pos, PositionMap, offset_to_line_col};

/// UTF-8 when the client offers it (no conversion at all), else UTF-16, which every
/// client must support.
pub fn choose_encoding(offered: &[PositionEncodingKind]) -> Encoding {
    if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

pub fn encoding_kind(enc: Encoding) -> PositionEncodingKind {
    match enc {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

pub fn pos(p: Position) -> Pos {
    Pos::new(p.line, p.character)
}

pub fn change(c: TextDocumentContentChangeEvent) -> Change {
    Change {
        range: c.range.map(|r| (pos(r.start), pos(r.end))),
        text: c.text,
    }
}

pub fn position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let p = offset_to_line_col(rope, offset, enc);
    Position::new(p.line, p.character)
}

pub fn range(rope: &Rope, bytes: Bytes<usize>, enc: Encoding) -> Range {
    Range::new(
        position(rope, bytes.start, enc),
        position(rope, bytes.end, enc),
    )
}

/// The offsets a symbol tree's conversion needs, for a [`PositionMap`].
pub fn symbol_offsets(symbols: &[Symbol], out: &mut Vec<usize>) {
    for s in symbols {
        out.extend([
            s.range.start,
            s.range.end,
            s.selection.start,
            s.selection.end,
        ]);
        symbol_offsets(&s.children, out);
    }
}

pub fn document_symbol(
    rope: &Rope,
    map: &PositionMap,
    symbol: Symbol,
    enc: Encoding,
) -> DocumentSymbol {
    let range = |r: Bytes<usize>| {
        let (start, end) = (map.get(rope, r.start, enc), map.get(rope, r.end, enc));
        Range::new(
            Position::new(start.line, start.character),
            Position::new(end.line, end.character),
        )
    };
    #[allow(deprecated)] // `deprecated` is a required field of the struct
    DocumentSymbol {
        name: symbol.name.to_string(),
        detail: symbol.detail.filter(|d| !d.is_empty()),
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: range(symbol.range),
        selection_range: range(symbol.selection),
        // A leaf has no `children` at all: 6 % of a long outline's JSON was `"children":[]`.
        children: (!symbol.children.is_empty()).then(|| {
            symbol
                .children
                .into_iter()
                .map(|c| document_symbol(rope, map, c, enc))
                .collect()
        }),
    }
}

fn symbol_kind(kind: symbols::SymbolKind) -> SymbolKind {
    match kind {
        symbols::SymbolKind::Title => SymbolKind::FILE,
        symbols::SymbolKind::Section => SymbolKind::STRING,
        symbols::SymbolKind::Metadata => SymbolKind::STRUCT,
        symbols::SymbolKind::Field => SymbolKind::PROPERTY,
    }
}

/// The outline as the JSON of `DocumentSymbol[]`, written as the outline's symbols are
/// walked ([`symbols::walk`]): what [`document_symbol`] and serde produce (the tests
/// compare them) without building the symbol tree or the LSP values, going through serde,
/// or looking positions up in the text (the outline located the headings' and the
/// sections' ends when each chunk was parsed). That was most of the time of a long
/// document's answer.
pub fn document_symbols_json(snapshot: &Snapshot, enc: Encoding) -> Vec<u8> {
    // About 230 bytes of JSON per symbol.
    let mut out = Vec::with_capacity(256 * snapshot.outline.headings.len() + 1024);
    // How many children each open symbol has had so far, the top level first.
    let mut open: Vec<usize> = vec![0];
    let position = |m: symbols::Mark| match m.at {
        Some(at) => Pos::new(at.line, at.column(enc)),
        None => offset_to_line_col(&snapshot.rope, m.offset, enc),
    };
    out.push(b'[');
    symbols::walk(snapshot, |step| match step {
        symbols::Step::Open(head) => {
            let top = open.len() - 1;
            match (top, open[top]) {
                (0, 0) => {}
                (_, 0) => out.extend_from_slice(b",\"children\":["),
                _ => out.push(b','),
            }
            open[top] += 1;
            open.push(0);
            out.extend_from_slice(b"{\"name\":");
            json_string(&mut out, head.name.as_str());
            if let Some(detail) = head.detail.filter(|d| !d.is_empty()) {
                out.extend_from_slice(b",\"detail\":");
                json_string(&mut out, detail);
            }
            out.extend_from_slice(b",\"kind\":");
            json_u32(&mut out, kind_number(head.kind));
            out.extend_from_slice(b",\"range\":");
            json_range(&mut out, position(head.range.0), position(head.range.1));
            out.extend_from_slice(b",\"selectionRange\":");
            json_range(
                &mut out,
                position(head.selection.0),
                position(head.selection.1),
            );
        }
        symbols::Step::Close => {
            if open.pop().is_some_and(|children| children > 0) {
                out.push(b']');
            }
            out.push(b'}');
        }
    });
    out.push(b']');
    out
}

/// The number LSP gives each kind ([`symbol_kind`]'s).
fn kind_number(kind: symbols::SymbolKind) -> u32 {
    match kind {
        symbols::SymbolKind::Title => 1,
        symbols::SymbolKind::Section => 15,
        symbols::SymbolKind::Metadata => 23,
        symbols::SymbolKind::Field => 7,
    }
}

fn json_range(out: &mut Vec<u8>, start: Pos, end: Pos) {
    out.extend_from_slice(b"{\"start\":{\"line\":");
    json_u32(out, start.line);
    out.extend_from_slice(b",\"character\":");
    json_u32(out, start.character);
    out.extend_from_slice(b"},\"end\":{\"line\":");
    json_u32(out, end.line);
    out.extend_from_slice(b",\"character\":");
    json_u32(out, end.character);
    out.extend_from_slice(b"}}");
}

fn json_u32(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
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

pub fn folding_range(fold: Fold) -> FoldingRange {
    FoldingRange {
        start_line: fold.start_line as u32,
        start_character: None,
        end_line: fold.end_line as u32,
        end_character: None,
        kind: Some(match fold.kind {
            FoldKind::Region => FoldingRangeKind::Region,
            FoldKind::Comment => FoldingRangeKind::Comment,
        }),
        collapsed_text: None,
    }
}

pub fn diagnostic(rope: &Rope, uri: &Uri, d: diagnostics::Diagnostic, enc: Encoding) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .into_iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: range(rope, r.range, enc),
            },
            message: r.message,
        })
        .collect();
    Diagnostic {
        range: range(rope, d.range, enc),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Information => DiagnosticSeverity::INFORMATION,
            Severity::Hint => DiagnosticSeverity::HINT,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("rfc-lsp".to_string()),
        message: d.message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}
