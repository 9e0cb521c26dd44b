//! The one place where analysis results (byte offsets, plain structs) become LSP types and
//! LSP positions become byte offsets.

use std::ops::Range as Bytes;

use ropey::Rope;
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, FoldingRange, FoldingRangeKind,
    Location, NumberOrString, Position, PositionEncodingKind, Range,
    TextDocumentContentChangeEvent, Uri,
};

use crate::analysis::diagnostics::{self, Severity};
use crate::analysis::folding::{Fold, FoldKind};
use crate::text::{Change, Encoding, Pos, offset_to_line_col};

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

/// The outline as `ls_types` values, written the slow, obvious way: the oracle that the
/// hand-written outline JSON (`fastpath::symbols_json`) is held to in the tests.
#[cfg(test)]
pub mod oracle {
    use std::ops::Range as Bytes;

    use ropey::Rope;
    use tower_lsp_server::ls_types::{DocumentSymbol, Position, Range, SymbolKind};

    use crate::analysis::symbols::{self, Symbol};
    use crate::text::{Encoding, PositionMap};

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
}
