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

/// Slots in which higher layers cache what they derive from one chunk (the analysis
/// keeps each section's facts there, the workspace the index's reading of the chunk), so
/// that a keystroke recomputes them only for the chunk it reparsed, or from a whole
/// document (the server's last outline answer). One slot per type. A new parse starts
/// with empty slots; a clone starts empty too, and slots never take part in comparisons.
/// The slots are `dyn Any` because this layer may not name the types kept in them.
#[derive(Default)]
pub struct Memo(std::sync::Mutex<Vec<Arc<dyn std::any::Any + Send + Sync>>>);

impl Memo {
    fn slots(&self) -> std::sync::MutexGuard<'_, Vec<Arc<dyn std::any::Any + Send + Sync>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The `T` kept here, else `make()`'s, kept.
    pub fn get_or_make<T: std::any::Any + Send + Sync>(&self, make: impl FnOnce() -> T) -> Arc<T> {
        if let Some(kept) = self.get::<T>() {
            return kept;
        }
        // Made unlocked: two threads may both make it, and one is kept.
        let made = Arc::new(make());
        self.set(made.clone());
        made
    }

    /// The value kept here, if it is a `T`.
    pub fn get<T: std::any::Any + Send + Sync>(&self) -> Option<Arc<T>> {
        let slots = self.slots();
        slots.iter().find_map(|v| v.clone().downcast::<T>().ok())
    }

    /// The value kept here, if it is a `T`, no longer kept.
    pub fn take<T: std::any::Any + Send + Sync>(&self) -> Option<Arc<T>> {
        let mut slots = self.slots();
        let i = slots.iter().position(|v| v.is::<T>())?;
        slots.swap_remove(i).downcast::<T>().ok()
    }

    /// Keeps `value` here instead of the `T` that was.
    pub fn set<T: std::any::Any + Send + Sync>(&self, value: Arc<T>) {
        let mut slots = self.slots();
        slots.retain(|v| !v.is::<T>());
        slots.push(value);
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
    let kinds = kinds();
    let mut blocks = Blocks::default();
    let mut containers: Vec<usize> = Vec::new(); // end offsets of open containers
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let kind = kinds
            .get(usize::from(node.kind_id()))
            .copied()
            .unwrap_or_default();
        if let Some(capture) = kind.capture {
            record(&mut blocks, &mut containers, capture, node, rope, base);
        }
        if !kind.leaf && cursor.goto_first_child() {
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

/// What [`extract`] does at a node of some kind: record it (as which capture of
/// `queries/markdown/outline.scm`), and whether to stay out of its children.
#[derive(Debug, Clone, Copy, Default)]
struct Kind {
    capture: Option<&'static str>,
    leaf: bool,
}

/// [`Kind`] by node kind id, read once from the grammar's names: comparing a node's kind
/// name costs a call into the C library, a `strlen` and a UTF-8 check per node.
fn kinds() -> &'static [Kind] {
    static KINDS: std::sync::OnceLock<Vec<Kind>> = std::sync::OnceLock::new();
    KINDS.get_or_init(|| {
        let language = super::language();
        (0..language.node_kind_count())
            .map(|id| {
                let name = u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                    .unwrap_or("");
                kind_of(name)
            })
            .collect()
    })
}

fn kind_of(name: &str) -> Kind {
    let capture = match name {
        "minus_metadata" => Some("frontmatter"),
        "atx_heading" => Some("heading.atx"),
        "setext_heading" => Some("heading.setext"),
        "fenced_code_block" => Some("code.fenced"),
        "indented_code_block" => Some("code.indented"),
        "html_block" => Some("html"),
        "block_quote" | "list_item" => Some("container"),
        _ => None,
    };
    let leaf = matches!(
        name,
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
    Kind { capture, leaf }
}

/// Fills in where the headings of `blocks` (read off the chunk at `range`) and the
/// chunk's content end are, in lines and columns: one pass over the chunk's text, so that
/// an outline's positions never need a pass over the document's.
pub fn locate(blocks: &mut Blocks, rope: &Rope, range: Range<usize>) {
    let text: std::borrow::Cow<str> = rope.byte_slice(range).into();
    locate_in(blocks, &text);
}

/// [`locate`], given the chunk's text.
pub fn locate_in(blocks: &mut Blocks, text: &str) {
    let bytes = text.as_bytes();
    let content_end = |upto: usize| {
        bytes[..upto]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map(|i| i + 1)
    };
    let mut cursor = LineCursor::default();
    for h in &mut blocks.headings {
        h.content_before = content_end(h.range.start).map(|o| (o, cursor.at(text, o)));
        h.start_at = cursor.at(text, h.range.start);
        h.end_at = cursor.at(text, h.range.end);
    }
    blocks.content_end = content_end(bytes.len()).map(|o| (o, cursor.at(text, o)));
    blocks.lines = cursor.at(text, bytes.len()).line;
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
    /// Indexes in [`Outline::code_blocks`] and [`Outline::html_blocks`] of its first ones.
    pub first_code: usize,
    pub first_html: usize,
    /// The document's line at the chunk's start.
    pub line: u32,
    /// The last content before the chunk (what a heading without content before it in
    /// its own chunk ends the section before it at).
    pub content_before: Option<(usize, At)>,
    pub blocks: Arc<Blocks>,
}

/// Where joining the chunks has got to: the next chunk's first line, the last content
/// before it, and the lengths of the outline's lists so far.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    line: u32,
    content: Option<(usize, At)>,
    headings: usize,
    code: usize,
    html: usize,
}

/// A chunk-relative range in the document, the chunk starting at `start`.
fn moved(start: usize, r: &Range<usize>) -> Range<usize> {
    r.start + start..r.end + start
}

/// Replaces `range` of `list` with `new`; takes `new` whole when it replaces everything
/// (an outline read from scratch), rather than copying it into the old allocation.
fn replace<T>(list: &mut Vec<T>, range: Range<usize>, new: Vec<T>) {
    if range.start == 0 && range.end == list.len() {
        *list = new;
    } else {
        list.splice(range, new);
    }
}

/// The outline's parts made from chunks read afresh.
#[derive(Default)]
struct Joined {
    chunks: Vec<OutlineChunk>,
    headings: Vec<Heading>,
    code_blocks: Vec<CodeBlock>,
    html_blocks: Vec<Range<usize>>,
}

impl Cursor {
    /// A heading of the blocks of the chunk at `start` (chunk-relative) in the document:
    /// all but its level and name, which do not move.
    fn place(&self, start: usize, h: &Heading, into: &mut Heading) {
        into.range = moved(start, &h.range);
        into.text = moved(start, &h.text);
        into.start_at = self.at(h.start_at);
        into.end_at = self.at(h.end_at);
        into.content_before = h
            .content_before
            .map(|c| self.located(start, c))
            .or(self.content);
    }

    fn at(&self, a: At) -> At {
        At {
            line: a.line + self.line,
            col: a.col,
        }
    }

    fn located(&self, start: usize, (o, a): (usize, At)) -> (usize, At) {
        (o + start, self.at(a))
    }

    /// Appends `chunk`'s blocks to `out` and moves past it.
    fn join(&mut self, chunk: &Chunk, out: &mut Joined) {
        let (b, start) = (&chunk.blocks, chunk.start);
        out.chunks.push(OutlineChunk {
            start,
            len: chunk.len,
            first_heading: self.headings,
            first_code: self.code,
            first_html: self.html,
            line: self.line,
            content_before: self.content,
            blocks: b.clone(),
        });
        for h in &b.headings {
            let mut heading = h.clone();
            self.place(start, h, &mut heading);
            out.headings.push(heading);
        }
        out.code_blocks
            .extend(b.code_blocks.iter().map(|c| CodeBlock {
                range: moved(start, &c.range),
                fenced: c.fenced,
            }));
        out.html_blocks
            .extend(b.html_blocks.iter().map(|h| moved(start, h)));
        self.advance(chunk);
    }

    /// Rewrites in place the entry of an unchanged `chunk` (the outline's `k`th, with its
    /// headings and blocks) for where it now is, and moves past it. The names stay.
    fn shift(&mut self, chunk: &Chunk, k: usize, outline: &mut Outline) {
        let (b, start) = (&chunk.blocks, chunk.start);
        let slot = &mut outline.chunks[k];
        slot.start = start;
        slot.first_heading = self.headings;
        slot.first_code = self.code;
        slot.first_html = self.html;
        slot.line = self.line;
        slot.content_before = self.content;
        let headings = &mut outline.headings[self.headings..self.headings + b.headings.len()];
        for (d, h) in headings.iter_mut().zip(&b.headings) {
            self.place(start, h, d);
        }
        let code = &mut outline.code_blocks[self.code..self.code + b.code_blocks.len()];
        for (d, c) in code.iter_mut().zip(&b.code_blocks) {
            d.range = moved(start, &c.range);
        }
        let html = &mut outline.html_blocks[self.html..self.html + b.html_blocks.len()];
        for (d, h) in html.iter_mut().zip(&b.html_blocks) {
            *d = moved(start, h);
        }
        self.advance(chunk);
    }

    fn advance(&mut self, chunk: &Chunk) {
        let b = &chunk.blocks;
        self.content = b
            .content_end
            .map(|c| self.located(chunk.start, c))
            .or(self.content);
        self.line += b.lines;
        self.headings += b.headings.len();
        self.code += b.code_blocks.len();
        self.html += b.html_blocks.len();
    }
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
    /// That next heading's index in [`Outline::headings`] (their count if none).
    pub next: usize,
    pub parent: Option<usize>,
}

impl Outline {
    /// Joins the chunks' blocks. Costs O(blocks): no tree is walked.
    pub fn from_chunks(chunks: &[Chunk]) -> Outline {
        let mut outline = Outline::default();
        outline.rejoin(chunks);
        outline
    }

    /// Joins the chunks' blocks again after some chunks changed, reusing what did not:
    /// the chunks before the first changed one are kept as they are, those after the last
    /// changed one (the same blocks, moved by the edit) are shifted in place, and only the
    /// changed ones are read. Equal to [`Outline::from_chunks`] of the same chunks.
    ///
    /// Rebuilding the whole outline on each keystroke cost about half of applying an edit
    /// to a 50,000-line document (5,000 headings made, their names shared and the old
    /// ones dropped); this costs a few additions per heading after the edit.
    ///
    /// Long: one pass over the chunks moving the heading, code and HTML lists in step.
    pub fn rejoin(&mut self, chunks: &[Chunk]) {
        let same = |o: &OutlineChunk, c: &Chunk| Arc::ptr_eq(&o.blocks, &c.blocks);
        let old = &self.chunks;
        let prefix = old
            .iter()
            .zip(chunks)
            .take_while(|(o, c)| same(o, c) && o.start == c.start)
            .count();
        let room = old.len().min(chunks.len()) - prefix;
        let suffix = old
            .iter()
            .rev()
            .zip(chunks.iter().rev())
            .take(room)
            .take_while(|(o, c)| same(o, c))
            .count();
        let (old_mid, new_mid) = (prefix..old.len() - suffix, prefix..chunks.len() - suffix);

        // Where the changed chunks start: in lines, in the lists, and the content before.
        let mid = match old.get(prefix) {
            Some(c) => Cursor {
                line: c.line,
                content: c.content_before,
                headings: c.first_heading,
                code: c.first_code,
                html: c.first_html,
            },
            None => Cursor {
                line: old.last().map_or(0, |c| c.line + c.blocks.lines),
                content: self.content_end,
                headings: self.headings.len(),
                code: self.code_blocks.len(),
                html: self.html_blocks.len(),
            },
        };
        // Where the old outline's unchanged tail starts in its lists.
        let (old_headings, old_code, old_html) = match old.get(old_mid.end) {
            Some(c) => (c.first_heading, c.first_code, c.first_html),
            None => (
                self.headings.len(),
                self.code_blocks.len(),
                self.html_blocks.len(),
            ),
        };

        // The changed chunks, read afresh.
        let mut at = mid;
        let changed = &chunks[new_mid.clone()];
        let mut fresh = Joined {
            chunks: Vec::with_capacity(changed.len()),
            headings: Vec::with_capacity(changed.iter().map(|c| c.blocks.headings.len()).sum()),
            code_blocks: Vec::with_capacity(
                changed.iter().map(|c| c.blocks.code_blocks.len()).sum(),
            ),
            html_blocks: Vec::with_capacity(
                changed.iter().map(|c| c.blocks.html_blocks.len()).sum(),
            ),
        };
        for chunk in changed {
            at.join(chunk, &mut fresh);
        }
        replace(&mut self.chunks, old_mid, fresh.chunks);
        replace(
            &mut self.headings,
            mid.headings..old_headings,
            fresh.headings,
        );
        replace(&mut self.code_blocks, mid.code..old_code, fresh.code_blocks);
        replace(&mut self.html_blocks, mid.html..old_html, fresh.html_blocks);

        // The unchanged tail, moved.
        for (k, chunk) in chunks.iter().enumerate().skip(new_mid.end) {
            at.shift(chunk, k, self);
        }
        self.content_end = at.content;
        self.len = chunks.last().map_or(0, |c| c.start + c.len);
        self.frontmatter = chunks.iter().rev().find_map(|c| {
            let f = c.blocks.frontmatter.as_ref()?;
            Some(Frontmatter {
                range: moved(c.start, &f.range),
                body: moved(c.start, &f.body),
            })
        });
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
        self.trimmed_end_at(section).0
    }

    /// [`Outline::trimmed_end`], with where it is when that is the content's located end.
    pub fn trimmed_end_at(&self, section: &Section) -> (usize, Option<At>) {
        let (start, end) = (section.range.start, section.range.end);
        let before = match self.headings.get(section.next) {
            Some(next) => next.content_before,
            None => self.content_end,
        };
        match before {
            Some((o, at)) if (start..=end).contains(&o) => (o, Some(at)),
            Some((o, _)) => (o.min(end).max(start), None),
            None => (start, None),
        }
    }

    /// The section tree, flat: each heading's section with its extent and parent.
    pub fn sections(&self) -> Vec<Section> {
        let mut sections: Vec<Section> = Vec::with_capacity(self.headings.len());
        let mut open: Vec<usize> = Vec::new();
        for (i, heading) in self.headings.iter().enumerate() {
            while let Some(&top) = open.last() {
                if sections[top].level >= heading.level {
                    sections[top].range.end = heading.range.start;
                    sections[top].next = i;
                    open.pop();
                } else {
                    break;
                }
            }
            sections.push(Section {
                heading: i,
                level: heading.level,
                range: heading.range.start..self.len,
                next: self.headings.len(),
                parent: open.last().copied(),
            });
            open.push(i);
        }
        sections
    }
}
