//! The outline blocks of a *plain* chunk, read by a line scan instead of tree-sitter.
//!
//! Opening a document parses every chunk, and tree-sitter-md's block parse costs about
//! 0.35 ms per KiB on one core: a 5,000-line RFC took 35-42 ms of CPU, 17-22 ms on two
//! cores, most of its open. Most chunks of an RFC are plain: a heading, paragraphs, lists of
//! one-paragraph items, tables and fenced code at the margin. For those the blocks are
//! evident from the lines: the headings are the ATX lines at column 0 and the code blocks
//! the fences at column 0, nothing else. [`plain_blocks`] reads them so in about a
//! hundredth of the parse's time, and gives up (`None`) on any line whose reading would
//! take more than that: block quotes, HTML other than comments at the margin (`<!-- ... -->`,
//! read to the line that closes them), setext underlines and thematic breaks,
//! indented code, anything indented that could open a block inside a list item, tabs and
//! control characters outside code, an unclosed fence. Those chunks are parsed.
//!
//! **Invariant** (held by the property tests and the fuzzer, which compare every chunk
//! read here with tree-sitter's parse of its text): when this returns blocks, they are
//! exactly the blocks [`super::outline::extract`] reads off the chunk's tree, and the
//! chunk starts with an ATX heading, holds no syntax error and leaves nothing open. Edits
//! always reparse with tree-sitter; only a document's first reading uses this.

use std::ops::Range;
use std::sync::Arc;

use super::outline::{Blocks, CodeBlock, Heading};

/// What one line is, read from its first non-space byte on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Blank,
    /// An ATX heading of this level.
    Heading(u8),
    /// An opening code fence: its character and length.
    Fence(u8, usize),
    /// A list item whose first line is plain text.
    Item,
    /// Paragraph or table text.
    Text,
    /// Anything this scan does not read.
    Other,
}

/// The blocks of `text`, one chunk of a document, or `None` if the chunk is not plain. A
/// plain chunk starts with an ATX heading, so no frontmatter opens in it. Offsets are
/// relative to `text`; the caller locates the headings in lines and columns.
///
/// Long: one pass over the lines; every branch reads and moves the same block state.
pub fn plain_blocks(text: &str) -> Option<Blocks> {
    let bytes = text.as_bytes();
    // tree-sitter-md reads a last line without a line break with an error node at times.
    if bytes.contains(&b'\r') || !text.ends_with('\n') {
        return None;
    }
    let mut blocks = Blocks::default();
    // An open fence: its character, its length and where it starts.
    let mut fence: Option<(u8, usize, usize)> = None;
    // The line before continues a paragraph (so an indented line is text, not code).
    let mut paragraph = false;
    // Since the last blank line, a block began with `[`: perhaps a link reference
    // definition, whose title may run over lines.
    let mut definition = false;
    let mut offset = 0;
    // An open HTML comment block (`<!--` at the margin up to the line with `-->`): where
    // it starts.
    let mut comment: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.strip_suffix('\n').unwrap_or(line);
        let indent = body.bytes().take_while(|&b| b == b' ').count();
        let rest = &body[indent..];
        if let Some(from) = comment {
            if body.bytes().any(|b| b < 0x20 && b != b'\t' || b == 0x7f) {
                return None;
            }
            if body.contains("-->") {
                blocks.html_blocks.push(from..start + body.len());
                comment = None;
            }
            continue;
        }
        let (body, rest_bytes) = (body.as_bytes(), rest.as_bytes());
        if let Some((ch, count, from)) = fence {
            if body.iter().any(|&b| b < 0x20 && b != b'\t' || b == 0x7f) {
                return None;
            }
            if indent <= 3 && rest_bytes.starts_with(&[ch; 3]) {
                let run = rest_bytes.iter().take_while(|&&b| b == ch).count();
                if indent == 0 && run >= count && run == rest.len() {
                    blocks.code_blocks.push(CodeBlock {
                        range: from..start + body.len(),
                        fenced: true,
                    });
                    fence = None;
                    paragraph = false;
                    continue;
                }
                if run >= count {
                    return None; // a closing fence this scan does not read
                }
            }
            continue;
        }
        if body.iter().any(|&b| b < 0x20 || b == 0x7f) || starts_with_unicode_space(rest) {
            return None;
        }
        if indent == 0 && start > 0 && rest.starts_with("<!--") {
            if definition {
                return None; // perhaps a definition's `<destination>` on its next line
            }
            // An HTML block of the comment kind ends on the line that holds `-->`, and
            // may interrupt a paragraph.
            if rest.starts_with("<!-->") || rest.starts_with("<!--->") {
                return None; // a comment closed by its own opening: left to the parser
            }
            if rest[4..].contains("-->") {
                blocks.html_blocks.push(start..start + body.len());
            } else {
                comment = Some(start);
            }
            paragraph = false;
            definition = false;
            continue;
        }
        let line = classify(rest);
        if start == 0 && (indent > 0 || !matches!(line, Line::Heading(_))) {
            return None; // a chunk starts with an ATX heading at its first byte
        }
        if definition && matches!(line, Line::Heading(_) | Line::Fence(..)) {
            return None;
        }
        // A link reference definition may start so, and cannot interrupt a paragraph.
        definition |= line == Line::Text && rest.starts_with('[') && !paragraph;
        match line {
            Line::Blank => {
                paragraph = false;
                definition = false;
            }
            // Indented four or more: code, unless it continues a paragraph.
            _ if indent >= 4 && !paragraph => return None,
            Line::Heading(level) if indent == 0 => {
                blocks
                    .headings
                    .push(heading(text, level, start..start + body.len())?);
                paragraph = false;
            }
            Line::Fence(ch, count) if indent == 0 => {
                fence = Some((ch, count, start));
                paragraph = false;
            }
            // A table row, or text a table may have made one: what may follow it unread.
            Line::Text if body.contains(&b'|') => paragraph = false,
            // Perhaps a definition, which is no paragraph.
            Line::Text if rest.starts_with('[') => {}
            Line::Text | Line::Item => paragraph = true,
            _ => return None,
        }
    }
    // The first line was read as a heading, so the chunk starts with one.
    (fence.is_none() && comment.is_none()).then_some(blocks)
}

/// Reads a line from its first non-space byte.
fn classify(rest: &str) -> Line {
    let bytes = rest.as_bytes();
    let Some(&first) = bytes.first() else {
        return Line::Blank;
    };
    if bytes.iter().all(|&b| b == b' ') {
        return Line::Blank;
    }
    let run = bytes.iter().take_while(|&&b| b == first).count();
    match first {
        b'#' => match bytes.get(run) {
            _ if run > 6 => Line::Other,
            None | Some(b' ') => Line::Heading(run as u8),
            _ => Line::Other, // `#tag`: text, but not worth telling apart
        },
        b'`' | b'~' if run >= 3 => {
            if first == b'`' && rest[run..].contains('`') {
                Line::Other // not a fence: inline code
            } else {
                Line::Fence(first, run)
            }
        }
        // A thematic break or a setext underline (`***`, `- - -`, `--`, `=`, `___`), or
        // near enough to one to be left to the parser.
        b'-' | b'*' | b'_' | b'=' | b'+' if bytes.iter().all(|&b| b == first || b == b' ') => {
            Line::Other
        }
        b'-' | b'*' | b'+' if run == 1 => match bytes.get(1) {
            Some(b' ') => item(&rest[1..]),
            _ if rest.len() == 1 => Line::Other, // an empty item
            _ => Line::Text,
        },
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match bytes.get(digits) {
                Some(b'.' | b')') if digits > 9 => Line::Other,
                Some(b'.' | b')') => match bytes.get(digits + 1) {
                    Some(b' ') => item(&rest[digits + 1..]),
                    None => Line::Other,
                    _ => Line::Text,
                },
                _ => Line::Text,
            }
        }
        b'>' | b'<' => Line::Other,
        _ => Line::Text,
    }
}

/// A list item, given what follows its marker (starting with the space after it): plain
/// if its first line is text, one to four spaces after the marker.
fn item(after_marker: &str) -> Line {
    let spaces = after_marker.bytes().take_while(|&b| b == b' ').count();
    if spaces > 4 || spaces == after_marker.len() {
        return Line::Other; // indented code in the item, or an empty item
    }
    let content = &after_marker[spaces..];
    match classify(content) {
        Line::Text if !starts_with_unicode_space(content) => Line::Item,
        _ => Line::Other,
    }
}

/// Whether `rest` starts with a non-ASCII space or control character, which no reading
/// here weighs.
fn starts_with_unicode_space(rest: &str) -> bool {
    rest.chars()
        .next()
        .is_some_and(|c| !c.is_ascii() && (c.is_whitespace() || c == '\u{feff}' || c.is_control()))
}

/// An ATX heading on the line at `range` (its marker at the line's start), or `None` if
/// its text is empty or ends in `#`: cases whose reading is left to the parser.
fn heading(text: &str, level: u8, range: Range<usize>) -> Option<Heading> {
    let line = &text.as_bytes()[range.clone()];
    let content = &line[usize::from(level)..];
    let lead = content.iter().take_while(|&&b| b == b' ').count();
    let trail = content.iter().rev().take_while(|&&b| b == b' ').count();
    if lead == content.len() || content[content.len() - trail - 1] == b'#' {
        return None;
    }
    let from = range.start + usize::from(level) + lead;
    let to = range.end - trail;
    Some(Heading {
        level,
        setext: false,
        text: from..to,
        name: Arc::from(&text[from..to]),
        range,
        start_at: Default::default(),
        end_at: Default::default(),
        content_before: None,
    })
}
