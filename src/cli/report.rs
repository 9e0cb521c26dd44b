//! The output formats of `rfc-lsp check`.

use std::io::{self, Write};
use std::ops::Range;

use serde_json::json;

use super::check::Checked;
use crate::analysis::diagnostics::{RULES, Severity};

/// A diagnostic placed in its file: 1-based lines and columns, columns in characters.
#[derive(Debug, Clone)]
pub struct Finding {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

impl Finding {
    pub fn new(
        text: &LineIndex,
        range: Range<usize>,
        severity: Severity,
        code: &'static str,
        message: String,
    ) -> Finding {
        let (line, column) = text.line_col(range.start);
        let (end_line, end_column) = text.line_col(range.end);
        Finding {
            line,
            column,
            end_line,
            end_column,
            severity,
            code,
            message,
        }
    }
}

/// A text with the starts of its lines (lines break at \n, \r\n and a lone \r), for
/// placing many findings without rescanning the text for each.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let starts = crate::text::line_starts(text);
        LineIndex { text, starts }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line(&self, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

pub fn human(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    per_file(out, checked, |out, c| {
        let lines = LineIndex::new(&c.text);
        for f in &c.findings {
            writeln!(out, "{}[{}]: {}", f.severity.name(), f.code, f.message)?;
            writeln!(out, "  --> {}:{}:{}", c.path.display(), f.line, f.column)?;
            let (src, pad, width) = snippet(lines.line(f.line), f);
            let gutter = " ".repeat(f.line.to_string().len());
            writeln!(out, "{gutter} |")?;
            writeln!(out, "{} | {}", f.line, src)?;
            writeln!(out, "{gutter} | {}{}", " ".repeat(pad), "^".repeat(width))?;
            if let Some(t) = &c.template {
                writeln!(out, "{gutter} = template: {t}")?;
            }
            writeln!(out)?;
        }
        Ok(())
    })
}

/// The most characters of a line shown under a finding; a longer line is cut around it.
const SNIPPET: usize = 120;

/// The part of line `src` shown under finding `f` (cut around the finding, with `…` where
/// text is left out), and the caret's indent and width in characters.
fn snippet(src: &str, f: &Finding) -> (String, usize, usize) {
    let len = src.chars().count();
    let col = f.column.saturating_sub(1).min(len);
    let width = if f.end_line == f.line {
        f.end_column.saturating_sub(f.column)
    } else {
        len.saturating_sub(col)
    }
    .max(1);
    if len <= SNIPPET {
        return (src.to_string(), col, width);
    }
    let start = col.saturating_sub(SNIPPET / 3).min(len - SNIPPET);
    let end = start + SNIPPET;
    let mut shown: String = src.chars().skip(start).take(SNIPPET).collect();
    let lead = usize::from(start > 0);
    if start > 0 {
        shown.insert(0, '…');
    }
    if end < len {
        shown.push('…');
    }
    (shown, col - start + lead, width.min(end - col).max(1))
}

/// Files per part in [`per_file`]: enough to repay handing a part to a thread, few enough
/// that the parts held at once stay small.
const FILES_PER_PART: usize = 64;

/// Writes a report whose lines come file by file: the parts for the next few dozen files
/// are written into buffers on the machine's cores at once, then copied out in order.
/// The report reads the same as one written file by file.
fn per_file(
    out: &mut impl Write,
    checked: &[Checked],
    part: impl Fn(&mut Vec<u8>, &Checked) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let threads = crate::syntax::chunks::cores().max(1);
    let write_part = |files: &[Checked]| -> io::Result<Vec<u8>> {
        let mut buf = Vec::new();
        for c in files {
            part(&mut buf, c)?;
        }
        Ok(buf)
    };
    for round in checked.chunks(FILES_PER_PART * threads) {
        let parts: Vec<io::Result<Vec<u8>>> = if threads == 1 || round.len() <= FILES_PER_PART {
            vec![write_part(round)]
        } else {
            std::thread::scope(|scope| {
                let workers: Vec<_> = round
                    .chunks(FILES_PER_PART)
                    .map(|files| scope.spawn(|| write_part(files)))
                    .collect();
                workers
                    .into_iter()
                    .map(|w| w.join().expect("writing a report part does not panic"))
                    .collect()
            })
        };
        for p in parts {
            out.write_all(&p?)?;
        }
    }
    Ok(())
}

pub fn json(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let items: Vec<serde_json::Value> = checked
        .iter()
        .flat_map(|c| {
            c.findings.iter().map(move |f| {
                json!({
                    "path": c.path.display().to_string(),
                    "line": f.line,
                    "column": f.column,
                    "end_line": f.end_line,
                    "end_column": f.end_column,
                    "severity": f.severity.name(),
                    "code": f.code,
                    "message": f.message,
                    "template": c.template,
                })
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

/// GitHub Actions workflow commands; `%`, CR, LF and (in properties) `:` and `,` escaped.
pub fn github(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    per_file(out, checked, |out, c| {
        for f in &c.findings {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "notice",
            };
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                prop(&c.path.display().to_string()),
                f.line,
                f.column,
                f.end_line,
                f.end_column,
                prop(&format!("rfc-lsp {}", f.code)),
                data(&f.message)
            )?;
        }
        Ok(())
    })
}

pub fn sarif(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|(code, severity, summary)| {
            json!({ "id": code, "shortDescription": { "text": summary }, "defaultConfiguration": { "level": level(*severity) } })
        })
        .chain([json!({ "id": "config-invalid", "shortDescription": { "text": "a problem in .rfc-lsp.yaml" } })])
        .collect();
    let results: Vec<serde_json::Value> = checked
        .iter()
        .flat_map(|c| {
            c.findings.iter().map(move |f| {
                json!({
                    "ruleId": f.code,
                    "level": level(f.severity),
                    "message": { "text": f.message },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": c.path.display().to_string().replace('\\', "/") },
                            "region": { "startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column }
                        }
                    }],
                    "properties": { "template": c.template },
                })
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "rfc-lsp", "version": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        _ => "note",
    }
}
