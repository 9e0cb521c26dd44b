//! The metadata layer: the three ways RFC templates store metadata, parsed into one model
//! with the exact byte ranges of every key and value.
//!
//! - YAML frontmatter (`---` block at the top),
//! - bold lines under the title: `**Status**: Draft` or `**Status:** Draft`,
//! - a `## Status` section of list items: `- **Status**: Accepted`,
//! - plain list items at the top: `- Start Date: 2024-05-01` (Rust, Swift),
//! - a key/value table at the top: `| Status | Accepted |` (TensorFlow).

mod bold;
mod list;
pub mod number;
pub mod recognize;
mod table;
mod yaml;

use std::ops::Range;

use crate::syntax::document::Snapshot;

pub use bold::parse_bold_line;
pub use number::RfcNumber;

pub use crate::template::Style;

/// One block of metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    pub style: Style,
    /// The whole block (the frontmatter with its delimiters, or the run of lines).
    pub range: Range<usize>,
    pub fields: Vec<Field>,
    /// Syntax problems (YAML errors); the fields before the problem are still here.
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: String,
    pub key_range: Range<usize>,
    pub value: Value,
    /// The value as written (quotes included); empty at the end of the key when absent.
    pub value_range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value written (`key:` alone).
    Empty,
    Scalar(String),
    List(Vec<Item>),
    /// A nested mapping or anything else not read further.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub value: String,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub range: Range<usize>,
    pub message: String,
}

impl Value {
    /// The value as one line of text, for outlines and messages.
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Scalar(s) => s.clone(),
            Value::List(items) => items
                .iter()
                .map(|i| i.value.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            Value::Other => "…".to_string(),
        }
    }
}

/// A value as its words, for comparing with a list of allowed values: without emphasis
/// around it (`**Accepted**`), a note in parentheses after it (`Implemented (Swift
/// 5.9)`, `Active Review (March 1...14)`), or the link it is written as
/// (`[Implemented](https://example.com/commit/1)`).
pub fn plain_value(value: &str) -> String {
    let v = value.trim().trim_matches(['*', '_']).trim();
    let v = match v.strip_prefix('[').and_then(|l| l.split_once("](")) {
        Some((text, rest)) if rest.ends_with(')') && !text.contains([']', '[']) => text,
        _ => v,
    };
    let v = match v.find(" (") {
        Some(i) if i > 0 && v.ends_with(')') => v[..i].trim_end(),
        _ => v,
    };
    v.trim_matches(['*', '_']).trim().to_string()
}

impl Metadata {
    pub fn field(&self, key: &str) -> Option<&Field> {
        let loose = self.style != Style::Frontmatter;
        (self.fields.iter()).find(|f| crate::text::fields::same_key(&f.key, key, loose))
    }
}

/// A whole YAML file as one metadata block (a document's sidecar `kep.yaml`).
pub fn read_yaml_file(snapshot: &Snapshot) -> Metadata {
    read_yaml_text(&snapshot.slice(0..snapshot.rope.len_bytes()))
}

/// [`read_yaml_file`] of a text.
pub fn read_yaml_text(text: &str) -> Metadata {
    let (fields, problems) = yaml::parse_mapping(text, 0);
    Metadata {
        style: Style::Frontmatter,
        range: 0..text.len(),
        fields,
        problems,
    }
}

/// Every metadata block the document has, in document order: usually one.
pub fn read(snapshot: &Snapshot) -> Vec<Metadata> {
    let mut found = Vec::new();
    if let Some(frontmatter) = &snapshot.outline.frontmatter {
        found.push(yaml::parse(snapshot, frontmatter));
    }
    found.extend(bold::under_title(snapshot));
    found.extend(bold::status_section(snapshot));
    found.extend(list::at_top(snapshot));
    found.extend(table::at_top(snapshot));
    found
}

/// [`read`] of a document's text, parsing only as much of it as the metadata readers look
/// at: up to the heading that ends the section under the title (and the `## Status`
/// section's end, where there is one). The same blocks as [`read`] of the whole text,
/// for a fraction of the parse (what `rfc-lsp index` needs of every RFC).
pub fn read_head(text: &str) -> Vec<Metadata> {
    let head = &text[..head_end(text)];
    let snapshot = crate::syntax::Document::new(head, 0).snapshot();
    read(&snapshot)
}

/// Where the text can be cut without changing what [`read`] finds: at the start of a
/// heading past the second heading, the one after the first H1 and the one after the first
/// `Status` section's heading (the regions the readers look at end there). Headings are
/// found by a line scan that knows frontmatter, fences, HTML comments and blocks; where a
/// line could be a heading it does not recognise (a setext underline, a heading in a list
/// or a quote, raw HTML that runs over blank lines), the text is not cut before it.
pub fn head_end(text: &str) -> usize {
    let mut lines = lines_of(text);
    if text.trim_start_matches('\u{feff}').starts_with("---") {
        lines.next();
        loop {
            let Some((_, l)) = lines.next() else {
                return text.len(); // an unclosed frontmatter
            };
            if matches!(l.trim_end(), "---" | "...") {
                break;
            }
        }
    }
    let mut scan = HeadScan::default();
    for (at, line) in lines {
        scan.line(at, line);
    }
    scan.cut(text.len())
}

/// The lines of a text with their offsets, as the rope counts them: ended by `\n`,
/// `\r\n` or a lone `\r`.
fn lines_of(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let start = at;
        let end =
            memchr::memchr2(b'\n', b'\r', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i);
        at = if text[end..].starts_with("\r\n") {
            end + 2
        } else {
            end + 1
        };
        Some((start, &text[start..end]))
    })
}

/// [`head_end`]'s reading of the lines after the frontmatter.
#[derive(Default)]
struct HeadScan<'t> {
    /// Each ATX heading's start, whether it is an H1, and whether it names `Status`.
    headings: Vec<(usize, bool, bool)>,
    /// Where a heading may stand that the scan does not recognise: the first such place,
    /// and the first where it may be an H1, or a heading named `Status`.
    unsure: Option<usize>,
    unsure_h1: Option<usize>,
    unsure_status: Option<usize>,
    /// The open fence's character and length; in an HTML comment; in an HTML block.
    fence: Option<(u8, usize)>,
    comment: bool,
    html: bool,
    /// Whether the line above holds paragraph text, and that text.
    text_above: bool,
    above_text: &'t str,
}

impl<'t> HeadScan<'t> {
    /// A place where a heading may stand unrecognised; `line` its text as far as known
    /// (`# name`, or empty when anything may be there).
    fn note(&mut self, at: usize, line: &str) {
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        let name = line[hashes..].trim().trim_end_matches('#').trim();
        self.unsure.get_or_insert(at);
        if hashes <= 1 {
            self.unsure_h1.get_or_insert(at);
        }
        if hashes != 1 && (hashes == 0 || name.eq_ignore_ascii_case("status")) {
            self.unsure_status.get_or_insert(at);
        }
    }

    /// Reads the line starting at `at`.
    ///
    /// Long: one branch per block a line may open, continue or close, in CommonMark's order.
    fn line(&mut self, at: usize, line: &'t str) {
        let t = line.trim_end();
        let trimmed = t.trim_start();
        // Columns of indentation, a tab reaching the next multiple of 4.
        let lead = t[..t.len() - trimmed.len()].bytes().fold(0, |col, b| {
            if b == b'\t' {
                col + 4 - col % 4
            } else {
                col + 1
            }
        });
        let above = std::mem::replace(&mut self.text_above, !trimmed.is_empty());
        if let Some((c, n)) = self.fence {
            let run = trimmed.bytes().take_while(|&b| b == c).count();
            if lead < 4 && run >= n && trimmed[run..].trim().is_empty() {
                self.fence = None;
            }
            self.text_above = false;
            return;
        }
        if self.comment {
            self.comment = !trimmed.contains("-->");
            return;
        }
        if self.html {
            self.html = !trimmed.is_empty();
            if trimmed.starts_with('#') {
                self.note(at, trimmed); // inline HTML above it, or a block's line
            }
            return;
        }
        if trimmed.is_empty() || lead >= 4 {
            return;
        }
        let first = trimmed.as_bytes()[0];
        let run = trimmed.bytes().take_while(|&b| b == first).count();
        if (first == b'`' || first == b'~') && run >= 3 {
            self.fence = Some((first, run));
            self.text_above = false;
            return;
        }
        if trimmed.starts_with("<!--") {
            self.comment = !trimmed.contains("-->");
            return;
        }
        if first == b'<' {
            let lower = trimmed.to_ascii_lowercase();
            if ["<pre", "<script", "<style", "<textarea", "<?", "<!"]
                .iter()
                .any(|p| lower.starts_with(p))
            {
                self.note(at, ""); // anything may be inside
            }
            self.html = true;
            return;
        }
        // `Title` over `===` or `---`; `- # x`, `> # x`.
        let underline = (first == b'=' || first == b'-')
            && trimmed
                .bytes()
                .all(|b| b == first || b == b' ' || b == b'\t');
        if underline && above {
            // A setext heading: an H1 under `===`, named by the line above.
            let level = if first == b'=' { "#" } else { "##" };
            self.note(at, &format!("{level} {}", self.above_text));
            return;
        }
        let inner = in_container(trimmed);
        self.above_text = trimmed;
        if inner.len() < trimmed.len() && inner.starts_with('#') {
            self.note(at, inner);
            return;
        }
        let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes)
            && matches!(trimmed.as_bytes().get(hashes), None | Some(b' ' | b'\t'))
        {
            let name = trimmed[hashes..].trim().trim_end_matches('#').trim();
            let status = hashes >= 2 && name.eq_ignore_ascii_case("status");
            self.headings.push((at, hashes == 1, status));
            self.text_above = false;
        }
    }

    /// The cut, for a text of `len` bytes.
    fn cut(&self, len: usize) -> usize {
        let h1 = self.headings.iter().position(|h| h.1);
        let status = self.headings.iter().position(|h| h.2);
        // A heading not recognised may be the first H1 or `Status`, which the readers look
        // under.
        let first_of = |kind: Option<usize>, maybe: Option<usize>| {
            maybe.is_some_and(|m| kind.is_none_or(|k| self.headings[k].0 > m))
        };
        if first_of(h1, self.unsure_h1) || first_of(status, self.unsure_status) {
            return len;
        }
        let need = [Some(1), h1.map(|i| i + 1), status.map(|i| i + 1)];
        let cut = need
            .into_iter()
            .flatten()
            .map(|i| self.headings.get(i).map_or(len, |h| h.0))
            .max()
            .unwrap_or(len);
        if self.unsure.is_some_and(|u| u < cut) {
            return len;
        }
        cut
    }
}

/// A line without the quote and list markers that open it (`> - # x` is `# x`).
fn in_container(line: &str) -> &str {
    let mut rest = line;
    loop {
        let t = rest.trim_start();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let marker = match t.as_bytes().first() {
            Some(b'>') => 1,
            Some(b'-' | b'*' | b'+') => 1,
            Some(b'0'..=b'9') if matches!(t.as_bytes().get(digits), Some(b'.' | b')')) => {
                digits + 1
            }
            _ => return t,
        };
        let after = &t[marker..];
        if marker > 0 && (after.is_empty() || after.starts_with([' ', '\t']) || t.starts_with('>'))
        {
            rest = after;
        } else {
            return t;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::head_end;

    #[test]
    fn the_head_ends_where_the_readers_stop_looking() {
        let doc = "# T\n\n**Status**: x\n\n## Summary\n\ns\n\n## Motivation\n\nm\n";
        assert_eq!(
            &doc[head_end(doc)..],
            "## Summary\n\ns\n\n## Motivation\n\nm\n"
        );
        // Past the section after `Status`, wherever it is.
        let doc = "# T\n\n## A\n\n## B\n\n## Status\n\n- x: y\n\n## C\n\nc\n";
        assert_eq!(&doc[head_end(doc)..], "## C\n\nc\n");
        // A setext heading before the cut: nothing is cut.
        let doc = "T\n=\n\n## A\n\n## B\n\n## Status\n\n## C\n";
        assert_eq!(head_end(doc), doc.len());
        // Headings in fences and comments are none.
        let doc = "# T\n\n```\n## x\n```\n<!--\n## y\n-->\n## A\n\n## B\n";
        assert_eq!(&doc[head_end(doc)..], "## A\n\n## B\n");
    }
}
