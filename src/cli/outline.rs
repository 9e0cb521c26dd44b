//! `rfc-lsp outline FILE...` and `rfc-lsp syntax FILE`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::analysis::symbols::{Symbol, SymbolKind, document_symbols};
use crate::syntax::Document;

pub(super) fn run(files: &[PathBuf]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for path in super::markdown_files(files) {
        let path = &path;
        let Some(text) = super::read_text(path) else {
            failed = true;
            continue;
        };
        let snapshot = Document::new(&text, 0).snapshot();
        let _ = writeln!(out, "{}", path.display());
        for symbol in document_symbols(&snapshot) {
            let _ = write_symbol(&mut out, &snapshot.rope, &symbol, 1);
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// One line per symbol: indentation for nesting, the name, and its lines (1-based).
pub fn write_symbol(
    out: &mut impl Write,
    rope: &ropey::Rope,
    symbol: &Symbol,
    depth: usize,
) -> std::io::Result<()> {
    let line = |offset: usize| rope.byte_to_line(offset.min(rope.len_bytes())) + 1;
    let (start, end) = (line(symbol.range.start), line(symbol.range.end));
    let lines = if start == end {
        format!("{start}")
    } else {
        format!("{start}-{end}")
    };
    let label = match symbol.kind {
        SymbolKind::Title => format!("title: {}", symbol.name),
        SymbolKind::Section => symbol.name.to_string(),
        SymbolKind::Metadata => format!("metadata ({})", symbol.detail.as_deref().unwrap_or("")),
        SymbolKind::Field => format!(
            "{}: {}",
            symbol.name,
            symbol.detail.as_deref().unwrap_or("")
        ),
    };
    writeln!(out, "{:indent$}{label}  [{lines}]", "", indent = depth * 2)?;
    for child in &symbol.children {
        write_symbol(out, rope, child, depth + 1)?;
    }
    Ok(())
}

pub(super) fn syntax(path: &Path) -> ExitCode {
    let Some(text) = super::read_text(path) else {
        return ExitCode::from(2);
    };
    let doc = Document::new(&text, 0);
    let mut out = std::io::stdout().lock();
    for line in doc.tree().block_lines(doc.rope()) {
        let _ = writeln!(out, "{line}");
    }
    ExitCode::SUCCESS
}
