//! The typed outline of a document: its headings (sections), frontmatter, code and HTML
//! blocks, read off each chunk's tree with `queries/markdown/outline.scm` and joined.
//!
//! Headings inside block quotes and list items are not sections, and code blocks, HTML
//! blocks and frontmatter never contain heading nodes, so every heading here is a real
//! section heading. ATX and setext headings both count.

use std::ops::Range;
use std::sync::Arc;

use ropey::Rope;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor, Tree};

use super::chunks::Chunk;
use super::queries;
use crate::text::{self, Encoding};

/// A section heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    pub setext: bool,
    /// The heading's lines, without the final line break.
    pub range: Range<usize>,
    /// The heading text: trimmed, without an ATX closing sequence. Empty for `#` alone.
    pub text: Range<usize>,
    /// The text of `text`, read once when the chunk was parsed (lines joined by spaces).
    pub name: Arc<str>,
    /// Where `range` starts and ends, in lines and columns.
    pub start_at: At,
    pub end_at: At,
    /// The end of the last byte before the heading that is not ASCII whitespace, and where
    /// it is: where a section that ends at this heading ends once trimmed. In a chunk's
    /// blocks, None when the chunk holds only whitespace before the heading; in an
    /// outline, when the document does.
    pub content_before: Option<(usize, At)>,
}

/// A line and its columns in UTF-8, UTF-16 and UTF-32: the position of an offset in
/// every encoding, read when the chunk is parsed. In a chunk's blocks the line counts
/// from the chunk's start (a line start); in an outline, from the document's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct At {
    pub line: u32,
    pub col: [u32; 3],
}

impl At {
    /// The column in `enc`.
    pub fn column(&self, enc: Encoding) -> u32 {
        self.col[text::column_index(enc)]
    }
}

/// The YAML frontmatter block at the top of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frontmatter {
    /// Both `---` lines included, without the final line break.
    pub range: Range<usize>,
    /// The YAML between the delimiter lines.
    pub body: Range<usize>,
}

/// A fenced or indented code block, without its final line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    pub range: Range<usize>,
    pub fenced: bool,
}

/// The outline blocks of one chunk, offsets relative to the chunk's start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blocks {
    pub headings: Vec<Heading>,
    pub code_blocks: Vec<CodeBlock>,
    pub html_blocks: Vec<Range<usize>>,
    pub frontmatter: Option<Frontmatter>,
    /// Line breaks in the chunk.
    pub lines: u32,
    /// The end of the chunk's last byte that is not ASCII whitespace, and where it is.
    pub content_end: Option<(usize, At)>,
    /// What a higher layer derived from this chunk, kept until the chunk is reparsed.
    pub memo: Memo,
}

impl Blocks {
    /// Whether the chunk-relative `offset` lies in a code block or an HTML block.
    pub fn in_code_or_html(&self, offset: usize) -> bool {
        in_code_or_html(&self.code_blocks, &self.html_blocks, offset)
    }
}

/// A slot in which a higher layer caches what it derives from one chunk (the analysis
/// keeps each section's facts there), so that a keystroke recomputes them only for the
/// chunk it reparsed. A new parse starts with an empty slot; a clone starts empty too, and
/// slots never take part in comparisons.
#[derive(Default)]
pub struct Memo(std::sync::Mutex<Option<Arc<dyn std::any::Any + Send + Sync>>>);

impl Memo {
    /// The value kept here if it is a `T` and `fresh` accepts it; else `make()`'s, kept.
    pub fn get_or_make<T: std::any::Any + Send + Sync>(
        &self,
        fresh: impl Fn(&T) -> bool,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(kept) = slot.clone().and_then(|v| v.downcast::<T>().ok())
            && fresh(&kept)
        {
            return kept;
        }
        let made = Arc::new(make());
        *slot = Some(made.clone());
        made
    }
}

impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

impl PartialEq for Memo {
    fn eq(&self, _: &Memo) -> bool {
        true
    }
}

impl Eq for Memo {}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

/// Reads the outline blocks off one chunk's tree. `base` is the chunk's offset in `rope`.
///
/// Finds exactly what `queries/markdown/outline.scm` captures (a test holds the two equal)
/// with a walk that never enters paragraphs, tables, headings or code: a query cursor
/// visits every node, which cost as much as a fifth of the parse.
pub fn extract(tree: &Tree, rope: &Rope, base: usize) -> Blocks {
    let mut blocks = Blocks::default();
    let mut containers: Vec<usize> = Vec::new(); // end offsets of open containers
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let capture = match node.kind() {
            "minus_metadata" => Some("frontmatter"),
            "atx_heading" => Some("heading.atx"),
            "setext_heading" => Some("heading.setext"),
            "fenced_code_block" => Some("code.fenced"),
            "indented_code_block" => Some("code.indented"),
            "html_block" => Some("html"),
            "block_quote" | "list_item" => Some("container"),
            _ => None,
        };
        if let Some(capture) = capture {
            record(&mut blocks, &mut containers, capture, node, rope, base);
        }
        let leaf = matches!(
            node.kind(),
            "paragraph"
                | "inline"
                | "pipe_table"
                | "atx_heading"
                | "setext_heading"
                | "fenced_code_block"
                | "indented_code_block"
                | "html_block"
                | "minus_metadata"
                | "plus_metadata"
                | "link_reference_definition"
                | "thematic_break"
        );
        if !leaf && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    blocks
}

/// Fills in where the headings of `blocks` (read off the chunk at `range`) and the
/// chunk's content end are, in lines and columns: one pass over the chunk's text, so that
/// an outline's positions never need a pass over the document's.
pub fn locate(blocks: &mut Blocks, rope: &Rope, range: Range<usize>) {
    let text: std::borrow::Cow<str> = rope.byte_slice(range).into();
    let bytes = text.as_bytes();
    let content_end = |upto: usize| {
        bytes[..upto]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map(|i| i + 1)
    };
    let mut cursor = LineCursor::default();
    for h in &mut blocks.headings {
        h.content_before = content_end(h.range.start).map(|o| (o, cursor.at(&text, o)));
        h.start_at = cursor.at(&text, h.range.start);
        h.end_at = cursor.at(&text, h.range.end);
    }
    blocks.content_end = content_end(bytes.len()).map(|o| (o, cursor.at(&text, o)));
    blocks.lines = cursor.at(&text, bytes.len()).line;
}

/// Lines counted up to an offset, moving forward (back to the start if asked for an
/// earlier offset). Line breaks are LF, CRLF and a lone CR.
#[derive(Default)]
struct LineCursor {
    offset: usize,
    line: u32,
    line_start: usize,
}

impl LineCursor {
    fn at(&mut self, text: &str, offset: usize) -> At {
        let bytes = text.as_bytes();
        let offset = offset.min(bytes.len());
        if offset < self.offset {
            *self = LineCursor::default();
        }
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[self.offset..offset]) {
            let i = self.offset + i;
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                self.line += 1;
                self.line_start = i + 1;
            }
        }
        self.offset = offset;
        At {
            line: self.line,
            col: text::columns(&text[self.line_start..offset]),
        }
    }
}

/// [`extract`] by running the outline query: the definition the walk is tested against.
pub fn extract_by_query(tree: &Tree, rope: &Rope, base: usize) -> Blocks {
    let query = queries::outline();
    let names = query.capture_names();
    let mut blocks = Blocks::default();
    let mut containers: Vec<usize> = Vec::new();
    let mut cursor = QueryCursor::new();
    let mut captures = cursor.captures(query, tree.root_node(), &[] as &[u8]);
    while let Some((m, index)) = captures.next() {
        let capture = m.captures()[*index];
        let name = names[capture.index as usize];
        record(&mut blocks, &mut containers, name, capture.node, rope, base);
    }
    blocks
}

fn record(
    blocks: &mut Blocks,
    containers: &mut Vec<usize>,
    capture: &str,
    node: Node,
    rope: &Rope,
    base: usize,
) {
    {
        let start = node.start_byte();
        while containers.last().is_some_and(|&end| end <= start) {
            containers.pop();
        }
        let range = start..trim_line_break(rope, base, start, node.end_byte());
        match capture {
            "container" => containers.push(node.end_byte()),
            "heading.atx" | "heading.setext" if !containers.is_empty() => {}
            "heading.atx" => blocks.headings.push(atx_heading(rope, base, node, range)),
            "heading.setext" => blocks
                .headings
                .push(setext_heading(rope, base, node, range)),
            "code.fenced" => blocks.code_blocks.push(CodeBlock {
                range,
                fenced: true,
            }),
            "code.indented" => blocks.code_blocks.push(CodeBlock {
                range,
                fenced: false,
            }),
            "html" => blocks.html_blocks.push(range),
            "frontmatter" => {
                let body_start = line_end(rope, base, start);
                let last_line = line_start(rope, base, range.end);
                blocks.frontmatter = Some(Frontmatter {
                    range,
                    body: body_start..last_line.max(body_start),
                });
            }
            other => unreachable!("capture @{other} is not in OUTLINE_CAPTURES"),
        }
    }
}

fn atx_heading(rope: &Rope, base: usize, node: Node, range: Range<usize>) -> Heading {
    let marker = node
        .child(0)
        .expect("an ATX heading starts with its marker");
    let level = marker
        .kind()
        .as_bytes()
        .get(5)
        .map_or(1, |b| b.saturating_sub(b'0'))
        .clamp(1, 6);
    let text = match node
        .child_by_field_name("heading_content")
        .or_else(|| find_child(node, "inline"))
    {
        Some(inline) => {
            let mut text = trim(rope, base, inline.start_byte()..inline.end_byte());
            text.end = strip_closing_sequence(rope, base, text.clone());
            text
        }
        None => range.end..range.end,
    };
    let name = name_of(rope, base, &text);
    Heading {
        level,
        setext: false,
        range,
        text,
        name,
        start_at: At::default(),
        end_at: At::default(),
        content_before: None,
    }
}

fn name_of(rope: &Rope, base: usize, text: &Range<usize>) -> Arc<str> {
    let raw: String = rope.byte_slice(base + text.start..base + text.end).into();
    if raw.contains(['\n', '\r']) {
        let lines: Vec<&str> = raw
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        lines.join(" ").into()
    } else {
        raw.into()
    }
}

fn setext_heading(rope: &Rope, base: usize, node: Node, range: Range<usize>) -> Heading {
    let mut level = 1;
    let mut text = range.start..range.start;
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        match child.kind() {
            "setext_h2_underline" => level = 2,
            "paragraph" => text = trim(rope, base, child.start_byte()..child.end_byte()),
            _ => {}
        }
    }
    let name = name_of(rope, base, &text);
    Heading {
        level,
        setext: true,
        range,
        text,
        name,
        start_at: At::default(),
        end_at: At::default(),
        content_before: None,
    }
}

fn find_child<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).find(|c| c.kind() == kind)
}

/// `range` without leading and trailing whitespace.
fn trim(rope: &Rope, base: usize, range: Range<usize>) -> Range<usize> {
    let mut start = range.start;
    let mut end = range.end;
    while start < end && rope.byte(base + start).is_ascii_whitespace() {
        start += 1;
    }
    while end > start && rope.byte(base + end - 1).is_ascii_whitespace() {
        end -= 1;
    }
    start..end
}

/// The end of an ATX heading's text without its closing `#` sequence (`## Title ##`).
fn strip_closing_sequence(rope: &Rope, base: usize, text: Range<usize>) -> usize {
    let mut end = text.end;
    while end > text.start && rope.byte(base + end - 1) == b'#' {
        end -= 1;
    }
    if end == text.end {
        return end;
    }
    if end == text.start {
        return text.start; // only hashes: an empty heading
    }
    if !matches!(rope.byte(base + end - 1), b' ' | b'\t') {
        return text.end; // `C#` keeps its hash
    }
    while end > text.start && matches!(rope.byte(base + end - 1), b' ' | b'\t') {
        end -= 1;
    }
    end
}

fn trim_line_break(rope: &Rope, base: usize, start: usize, mut end: usize) -> usize {
    while end > start && matches!(rope.byte(base + end - 1), b'\n' | b'\r') {
        end -= 1;
    }
    end
}

fn in_code_or_html(code: &[CodeBlock], html: &[Range<usize>], offset: usize) -> bool {
    let c = code.partition_point(|c| c.range.start <= offset);
    let h = html.partition_point(|h| h.start <= offset);
    (c > 0 && code[c - 1].range.contains(&offset)) || (h > 0 && html[h - 1].contains(&offset))
}

/// The offset just past the line break of the line holding `offset`.
fn line_end(rope: &Rope, base: usize, offset: usize) -> usize {
    let line = rope.byte_to_line(base + offset);
    let next = if line + 1 < rope.len_lines() {
        rope.line_to_byte(line + 1)
    } else {
        rope.len_bytes()
    };
    next - base
}

fn line_start(rope: &Rope, base: usize, offset: usize) -> usize {
    rope.line_to_byte(rope.byte_to_line(base + offset)) - base
}

/// The outline of a whole document, offsets absolute.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub len: usize,
    pub headings: Vec<Heading>,
    pub code_blocks: Vec<CodeBlock>,
    pub html_blocks: Vec<Range<usize>>,
    pub frontmatter: Option<Frontmatter>,
    /// The end of the document's last byte that is not ASCII whitespace, and where it is.
    pub content_end: Option<(usize, At)>,
    /// The chunks it was joined from (not compared: two chunkings of one text are equal).
    pub chunks: Vec<OutlineChunk>,
}

/// One chunk's part of the outline.
#[derive(Debug, Clone)]
pub struct OutlineChunk {
    pub start: usize,
    pub len: usize,
    /// Index in [`Outline::headings`] of the chunk's first heading.
    pub first_heading: usize,
    pub blocks: Arc<Blocks>,
}

impl PartialEq for Outline {
    fn eq(&self, other: &Outline) -> bool {
        self.len == other.len
            && self.headings == other.headings
            && self.code_blocks == other.code_blocks
            && self.html_blocks == other.html_blocks
            && self.frontmatter == other.frontmatter
            && self.content_end == other.content_end
    }
}

impl Eq for Outline {}

/// A section: a heading and everything up to the next heading of the same or a higher
/// level. Sections are stored flat, in document order, with their parent's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Index into [`Outline::headings`] (equal to the section's own index).
    pub heading: usize,
    pub level: u8,
    /// From the heading's start to the next heading of the same or a higher level.
    pub range: Range<usize>,
    pub parent: Option<usize>,
}

impl Outline {
    /// Joins the chunks' blocks. Costs O(blocks): no tree is walked.
    pub fn from_chunks(chunks: &[Chunk]) -> Outline {
        let mut outline = Outline::default();
        let mut line = 0; // the chunk's first line
        let mut content: Option<(usize, At)> = None; // the last content before the chunk
        for chunk in chunks {
            let shift = |r: &Range<usize>| r.start + chunk.start..r.end + chunk.start;
            let at = |a: At| At {
                line: a.line + line,
                col: a.col,
            };
            let located = |(o, a): (usize, At)| (o + chunk.start, at(a));
            let b = &chunk.blocks;
            outline.chunks.push(OutlineChunk {
                start: chunk.start,
                len: chunk.len,
                first_heading: outline.headings.len(),
                blocks: b.clone(),
            });
            outline.headings.extend(b.headings.iter().map(|h| Heading {
                level: h.level,
                setext: h.setext,
                range: shift(&h.range),
                text: shift(&h.text),
                name: h.name.clone(),
                start_at: at(h.start_at),
                end_at: at(h.end_at),
                content_before: h.content_before.map(located).or(content),
            }));
            content = b.content_end.map(located).or(content);
            line += b.lines;
            outline
                .code_blocks
                .extend(b.code_blocks.iter().map(|c| CodeBlock {
                    range: shift(&c.range),
                    fenced: c.fenced,
                }));
            outline.html_blocks.extend(b.html_blocks.iter().map(shift));
            if let Some(f) = &b.frontmatter {
                outline.frontmatter = Some(Frontmatter {
                    range: shift(&f.range),
                    body: shift(&f.body),
                });
            }
            outline.len = chunk.start + chunk.len;
        }
        outline.content_end = content;
        outline
    }

    /// Whether `offset` lies inside a code block or an HTML block (binary search: both
    /// lists are in document order and their blocks do not overlap).
    pub fn in_code_or_html(&self, offset: usize) -> bool {
        in_code_or_html(&self.code_blocks, &self.html_blocks, offset)
    }

    /// Where `section` ends without its trailing whitespace: after its last byte that is
    /// not ASCII whitespace (never before its start). Read from what the chunks located,
    /// not from the text.
    pub fn trimmed_end(&self, section: &Section) -> usize {
        let end = section.range.end;
        let before = if end >= self.len {
            self.content_end
        } else {
            self.headings
                .binary_search_by_key(&end, |h| h.range.start)
                .ok()
                .and_then(|j| self.headings[j].content_before)
        };
        before
            .map_or(section.range.start, |(o, _)| o.min(end))
            .max(section.range.start)
    }

    /// The section tree, flat: each heading's section with its extent and parent.
    pub fn sections(&self) -> Vec<Section> {
        let mut sections: Vec<Section> = Vec::with_capacity(self.headings.len());
        let mut open: Vec<usize> = Vec::new();
        for (i, heading) in self.headings.iter().enumerate() {
            while let Some(&top) = open.last() {
                if sections[top].level >= heading.level {
                    sections[top].range.end = heading.range.start;
                    open.pop();
                } else {
                    break;
                }
            }
            sections.push(Section {
                heading: i,
                level: heading.level,
                range: heading.range.start..self.len,
                parent: open.last().copied(),
            });
            open.push(i);
        }
        sections
    }
}
