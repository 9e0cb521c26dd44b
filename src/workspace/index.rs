//! The index of every RFC in the workspace: for each Markdown file, its number, id, uuid,
//! title, status, successor, tags, the first sentence of its summary, its heading anchors
//! and the references it makes to other RFCs (`RFC-042`, `rfc-042`, relative links).
//!
//! The facts are read by a line scan, not a parse: fenced code, HTML comments and inline
//! code are skipped, ATX headings and the three metadata styles are recognised. A file of
//! 330 lines scans in about 30 µs, so the index of 10,000 RFCs is a matter of reading
//! them. An open document is read chunk by chunk by the same scan ([`scan_snapshot`]):
//! each chunk's reading is kept with the chunk, so an edit reads one chunk again and the
//! readings are put together. Every span carries its line and its columns in all three
//! position encodings, so a file that is not open can be pointed at without reading it
//! again.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::metadata::{RfcNumber, recognize};
use crate::syntax::yaml::{self, Node};
use crate::text::Encoding;

/// At most this many files are read, each at most this many bytes.
pub const MAX_FILES: usize = 20_000;
pub const MAX_BYTES: u64 = 1 << 20;

/// A stretch of one line: its bytes in the text, its line, and its columns in UTF-8,
/// UTF-16 and UTF-32.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SpanRepr", into = "SpanRepr")]
pub struct Span {
    pub range: Range<usize>,
    pub line: u32,
    pub start: [u32; 3],
    pub end: [u32; 3],
}

/// A span as stored in `check`'s cache: `[start, end, line, [columns], [columns]]`.
type SpanRepr = (usize, usize, u32, [u32; 3], [u32; 3]);

impl From<SpanRepr> for Span {
    fn from((a, b, line, start, end): SpanRepr) -> Span {
        Span {
            range: a..b,
            line,
            start,
            end,
        }
    }
}

impl From<Span> for SpanRepr {
    fn from(s: Span) -> SpanRepr {
        (s.range.start, s.range.end, s.line, s.start, s.end)
    }
}

impl Span {
    pub fn start_col(&self, enc: Encoding) -> u32 {
        self.start[crate::text::column_index(enc)]
    }
    pub fn end_col(&self, enc: Encoding) -> u32 {
        self.end[crate::text::column_index(enc)]
    }
}

/// What a reference points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// `RFC-042`, `rfc-042`: an RFC by number.
    Rfc(RfcNumber),
    /// A relative link to a Markdown file (`path` as written, may be empty for `#anchor`).
    Link {
        path: String,
        anchor: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub span: Span,
    pub target: Target,
    /// An `RFC-042` in the text of a link (`[RFC-042: Cache](rfc-042-cache.md)`): it
    /// names what the link points at, so the link, not it, is checked for leading
    /// somewhere (one finding for a dead link, not two). Navigation and rename use it.
    pub in_link_text: bool,
    /// A reference in the repository's own form (`SE-`, `RFC `, `rust-lang/rfcs#`: the text
    /// before the number), counted only where the configuration names that form
    /// ([`Index::accepts`]); `None` for `RFC-042` and links, which always count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Box<str>>,
}

/// A metadata value and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Valued {
    pub value: String,
    pub span: Span,
}

/// What the index knows of one file (kept by `check`'s cache beside its findings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// From the metadata's id or RFC number, else the file name, else the title.
    pub number: Option<RfcNumber>,
    /// The metadata field that gives the number (`id`, `RFC Number`).
    pub id: Option<Valued>,
    pub uuid: Option<Valued>,
    /// The first H1's text.
    pub title: Option<Valued>,
    pub status: Option<Valued>,
    /// `superseded_by`, `replaced_by`, `Superseded By`...: the successor named in metadata.
    pub successor: Option<Valued>,
    pub tags: Vec<String>,
    /// The first sentence of the Summary (or Abstract) section.
    pub summary: Option<String>,
    /// The anchors a link can point at, with their lines: each heading's GitHub slug,
    /// a heading's `{#id}`, and the `id`/`name` of an HTML element (`<a name="x">`).
    pub anchors: Vec<(String, u32)>,
    pub references: Vec<Reference>,
    /// The file looks like an RFC (path, title or metadata say so).
    pub is_rfc: bool,
    /// Lines whose prose the facts depend on even where it holds no reference: the
    /// frontmatter (its values), the summary section (its first sentence), a setext
    /// heading's lines and the line above them, the line above anything shaped like a
    /// setext underline (text typed there can make a heading), and the blank line that
    /// ends an HTML block.
    pub prose_lines: Vec<Range<u32>>,
    /// A line opens a marked RFC index (`<!-- rfc-index:start`): the workspace pull
    /// checks the file's table while it is closed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub index_block: bool,
}

impl Facts {
    /// The line to show when pointing at the RFC: its title, else its id, else the top.
    pub fn title_line(&self) -> u32 {
        self.title
            .as_ref()
            .or(self.id.as_ref())
            .map_or(0, |v| v.span.line)
    }

    /// The line of the anchor a link's `#fragment` points at, as GitHub finds it: the
    /// fragment percent-decoded, with or without its `user-content-` prefix, exactly or
    /// else ignoring case.
    pub fn anchor_line(&self, fragment: &str) -> Option<u32> {
        let decoded = percent_decode(fragment);
        let want = decoded.strip_prefix("user-content-").unwrap_or(&decoded);
        let exact = self.anchors.iter().find(|(a, _)| a == want);
        exact
            .or_else(|| {
                let lower = want.to_lowercase();
                self.anchors.iter().find(|(a, _)| a.to_lowercase() == lower)
            })
            .map(|(_, line)| *line)
    }

    /// `RFC-042: Title` or the file's title alone.
    pub fn label(&self) -> String {
        match (&self.title, self.number) {
            (Some(t), _) => t.value.clone(),
            (None, Some(n)) => format!("RFC-{:03}", n.seq),
            (None, None) => "(untitled)".to_string(),
        }
    }
}

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)"#)
        .expect("a valid pattern")
});
/// The `id` or `name` of an HTML element: `<a name="x">`, `<span id='y'>`, `<a id=z>`.
static HTML_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)<[a-z][a-z0-9]*\b[^<>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+))"#,
    )
    .expect("a valid pattern")
});

/// A word character as the `regex` crate's Unicode `\b` sees it (closely enough for
/// the ASCII words matched here).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The references `RFC-042`, `rfc_42`, `RFC42`, `RFC-2026-042` in `line` (the pattern
/// `(?i)\brfc[-_]?(?:(\d{4})-(\d{1,5})|(\d{1,5}))\b`, by hand: a regex spent most of the
/// scan backtracking): each match's range and its number.
fn rfc_refs(line: &str) -> Vec<(Range<usize>, RfcNumber)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 <= b.len() {
        let at = i;
        i += 1;
        if !(b[at] | 0x20 == b'r' && b[at + 1] | 0x20 == b'f' && b[at + 2] | 0x20 == b'c') {
            continue;
        }
        if line[..at].chars().next_back().is_some_and(is_word) {
            continue;
        }
        let mut j = at + 3;
        if matches!(b.get(j), Some(b'-' | b'_')) {
            j += 1;
        }
        let digits = b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > 5 || line[j + digits..].chars().next().is_some_and(is_word) {
            continue;
        }
        let Ok(seq) = line[j..j + digits].parse() else {
            continue;
        };
        let mut n = RfcNumber::plain(seq);
        let mut end = j + digits;
        if digits == 4 && b.get(end) == Some(&b'-') {
            let more = b[end + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if (1..=5).contains(&more)
                && !line[end + 1 + more..].chars().next().is_some_and(is_word)
                && let Ok(s) = line[end + 1..end + 1 + more].parse()
            {
                n = RfcNumber {
                    year: line[j..j + digits].parse().ok(),
                    seq: s,
                };
                end += 1 + more;
            }
        }
        out.push((at..end, n));
        i = end;
    }
    out
}

/// The references a repository may write in its own way, whatever the configuration
/// says (it decides which count, see [`Index::accepts`]): `SE-0400`, `KEP-1287`,
/// `RFC 1234` (two to eight capitals, then `-`, `_` or one space, then one to five
/// digits), and `rust-lang/rfcs#1234`. `RFC-42` and `RFC42` are [`rfc_refs`]'s. A number
/// followed by `.digit` is a version (`HTTP 1.1`), not a reference. Each match's range, its
/// number and its form: the text before the number (`SE-`, `RFC `, `rust-lang/rfcs#`).
fn named_refs(line: &str) -> Vec<(Range<usize>, RfcNumber, Box<str>)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let at = i;
        i += 1;
        // The number after the form ending at `j` (exclusive), if one stands there.
        let number = |j: usize| -> Option<(usize, u32)> {
            let digits = b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
            let end = j + digits;
            let version =
                b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit);
            if digits == 0
                || digits > 5
                || version
                || line[end..].chars().next().is_some_and(is_word)
            {
                return None;
            }
            Some((end, line[j..end].parse().ok()?))
        };
        // `at` is on an ASCII byte, so on a character's start.
        if b[at].is_ascii_uppercase() && !line[..at].chars().next_back().is_some_and(is_word) {
            let caps = b[at..]
                .iter()
                .take_while(|c| c.is_ascii_uppercase())
                .count();
            let sep = at + caps;
            if (2..=8).contains(&caps)
                && matches!(b.get(sep), Some(b'-' | b'_' | b' '))
                && !(b[at..sep].eq_ignore_ascii_case(b"rfc") && b[sep] != b' ')
                && let Some((end, seq)) = number(sep + 1)
            {
                out.push((at..end, RfcNumber::plain(seq), line[at..=sep].into()));
                i = end;
                continue;
            }
            i = sep.max(at + 1);
        } else if b[at] == b'#' && at > 0 {
            // `owner/repo#N`: back to the start of the owner.
            let name = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.');
            let repo = b[..at].iter().rev().take_while(|c| name(c)).count();
            let slash = at - repo;
            if repo == 0 || slash == 0 || b[slash - 1] != b'/' {
                continue;
            }
            let owner = b[..slash - 1].iter().rev().take_while(|c| name(c)).count();
            let start = slash - 1 - owner;
            if owner == 0 || (start > 0 && (b[start - 1] == b'/' || is_word(b[start - 1] as char)))
            {
                continue;
            }
            if let Some((end, seq)) = number(at + 1) {
                out.push((start..end, RfcNumber::plain(seq), line[start..=at].into()));
                i = end;
            }
        }
    }
    out
}

/// Whether `r` stands between a `[` and a `]` of its line with no other bracket between.
fn in_brackets(line: &str, r: &Range<usize>) -> bool {
    let b = line.as_bytes();
    let open = b[..r.start].iter().rev().find(|c| matches!(c, b'[' | b']'));
    let close = b[r.end..].iter().find(|c| matches!(c, b'[' | b']'));
    open == Some(&b'[') && close == Some(&b']')
}

/// Where the text of the inline link whose `]` is at `close` starts (its `[`, at or after
/// `from`), brackets inside it balanced.
fn link_text_start(line: &str, from: usize, close: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in line.as_bytes()[from..close].iter().enumerate().rev() {
        let i = from + i;
        match b {
            b']' => depth += 1,
            b'[' if depth == 0 => return Some(i),
            b'[' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether a line can hold a reference: `rfc` in any case, a link (`](`, `[x]:`), a
/// capital, `-`, `_` or space and a digit (`SE-0400`), or `#` and a digit
/// (`owner/repo#12`). Most prose lines cannot, and are not given to the patterns.
fn may_hold_reference(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b']', b).any(|i| b.get(i + 1) == Some(&b'('))
        || b.windows(3).any(|w| {
            w[2].is_ascii_digit()
                && (w[1] == b'#' || w[0].is_ascii_uppercase() && matches!(w[1], b'-' | b'_' | b' '))
        })
        || line.trim_start().starts_with('[')
        || memchr::memchr2_iter(b'r', b'R', b).any(|i| {
            b.get(i + 1).is_some_and(|c| c | 0x20 == b'f')
                && b.get(i + 2).is_some_and(|c| c | 0x20 == b'c')
        })
}

/// Whether `facts`, read before an edit inside line `line` (no line break added or
/// removed) that turned its text from `before` into `after`, still hold after it.
pub fn edit_keeps_facts(facts: &Facts, line: u32, before: &str, after: &str) -> bool {
    // Whether a line is blank decides what an indented line or a list's lazy continuation
    // below it is: a blank line above such a line is in `prose_lines`, and a line made
    // blank is read again.
    let blank = |l: &str| l.trim().is_empty();
    (blank(before) || !blank(after))
        && block_shape(before) == block_shape(after)
        && is_plain_line(before)
        && is_plain_line(after)
        && !facts.prose_lines.iter().any(|r| r.contains(&line))
}

/// Whether editing within this line (no line break added or removed) can leave the facts
/// of its file as they were: it is no heading, setext underline, fence, HTML comment or
/// bold field, and holds no reference; `prose_lines` are checked apart.
pub fn is_plain_line(line: &str) -> bool {
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let t = line.trim_start();
    // `=` or `-` alone may be a setext underline: it makes the line above a heading.
    setext_level(t, indent_width(line)).is_none()
        && !t.starts_with(['#', '`', '~', '<'])
        && !line.contains("-->")
        && !line.contains("**")
        && !line.contains('`')
        && !may_hold_reference(line)
        && !may_hold_anchor(line)
}

/// Whether a line may give an anchor other than a heading's: an HTML element's `id` or
/// `name` (`<a name="x">`).
fn may_hold_anchor(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b'=', b).any(|i| {
        let before = line[..i].trim_end().as_bytes();
        let ends = |w: &[u8]| {
            before.len() >= w.len() && before[before.len() - w.len()..].eq_ignore_ascii_case(w)
        };
        ends(b"id") || ends(b"name")
    })
}

struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last column counted: (offset, its columns). Spans on one line come in order,
    /// so each is counted on from the one before, not from the line's start (40,000
    /// references on a line took 10 s).
    last: std::cell::Cell<(usize, [u32; 3])>,
    /// The text opens the file: a byte order mark on its first line is none of it.
    at_start: bool,
}

impl Lines<'_> {
    fn len(&self) -> usize {
        self.starts.len()
    }

    /// Line `i` without its line break.
    fn line(&self, i: usize) -> (usize, &str) {
        let start = self.starts[i];
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        let line = self.text[start..end].trim_end_matches(['\n', '\r']);
        // A byte order mark is no part of the first line (the parser skips it too).
        match line.strip_prefix('\u{feff}') {
            Some(rest) if i == 0 && self.at_start => (start + 3, rest),
            _ => (start, line),
        }
    }

    fn span(&self, range: Range<usize>) -> Span {
        let line = self.starts.partition_point(|&s| s <= range.start) - 1;
        let start = self.starts[line];
        // Columns count from the line's real start (a byte order mark included).
        let end_of_line = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let text = self.text[start..end_of_line].trim_end_matches(['\n', '\r']);
        let cols = |offset: usize| {
            let offset = start + (offset - start).min(text.len());
            let (at, counted) = self.last.get();
            let found = if at >= start && at <= offset {
                let more = crate::text::columns(&self.text[at..offset]);
                [0, 1, 2].map(|k| counted[k] + more[k])
            } else {
                crate::text::columns(&self.text[start..offset])
            };
            self.last.set((offset, found));
            found
        };
        // A span never runs past its line.
        let end = range.end.min(start + text.len()).max(range.start);
        Span {
            range: range.start..end,
            line: line as u32,
            start: cols(range.start),
            end: cols(end),
        }
    }
}

/// `%C3%A9` as `é`; a `%` not followed by two hex digits, or bytes that are no UTF-8,
/// are kept as written.
fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('%') {
        return s.into();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_or(s.into(), Into::into)
}

/// A heading's explicit `{#id}` (Pandoc, kramdown, MkDocs), and the heading without it.
fn heading_id(name: &str) -> Option<(&str, &str)> {
    let rest = name.trim_end().strip_suffix('}')?;
    let open = rest.rfind('{')?;
    let attrs = &rest[open + 1..];
    let id = attrs
        .split_whitespace()
        .find_map(|a| a.strip_prefix('#'))
        .filter(|id| !id.is_empty())?;
    Some((id, rest[..open].trim_end()))
}

/// The text a heading shows: a link's target and HTML tags are not part of it.
fn shown_text(heading: &str) -> std::borrow::Cow<'_, str> {
    if !heading.contains("](") && !heading.contains('<') {
        return heading.into();
    }
    let mut out = String::with_capacity(heading.len());
    let mut rest = heading;
    while let Some(c) = rest.chars().next() {
        // A code span is shown as written: `Future<Output = T>` holds no HTML.
        if c == '`' {
            let run = rest.bytes().take_while(|&b| b == b'`').count();
            let fence = &rest[..run];
            let closing = rest[run..].match_indices(fence).find(|(i, _)| {
                let at = run + i;
                rest.as_bytes().get(at + run) != Some(&b'`') && rest.as_bytes()[at - 1] != b'`'
            });
            if let Some((i, _)) = closing {
                let end = run + i + run;
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
        }
        if c == ']'
            && let Some(after) = rest[1..].strip_prefix('(')
            && let Some(close) = after.find(')')
        {
            rest = &after[close + 1..];
            continue;
        }
        if c == '<'
            && let Some(close) = rest.find('>')
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
        {
            rest = &rest[close + 1..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.into()
}

/// GitHub's anchor of a heading: the text it shows, lower case, punctuation dropped,
/// spaces to dashes.
pub fn anchor_of(heading: &str) -> String {
    shown_text(heading)
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn is_successor_key(key: &str) -> bool {
    let k: String = key
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    matches!(
        k.as_str(),
        "supersededby" | "replacedby" | "successor" | "obsoletedby" | "deprecatedby"
    )
}

/// Keys whose values name the document itself: never references.
fn is_identity_key(key: &str) -> bool {
    matches!(
        key.to_ascii_lowercase().as_str(),
        "id" | "slug" | "title" | "doc_uuid" | "uuid" | "rfc number" | "rfc" | "number"
    )
}

/// Which lines are prose: not code (fenced, its fence lines included, or indented) and not
/// inside an HTML comment block. Fed every line of the body in order.
#[derive(Default)]
struct Prose {
    /// The open fence's character and length.
    fence: Option<(u8, usize)>,
    in_comment: bool,
    /// Lines since the last blank one, or since the top (indented code follows a blank).
    text_above: bool,
    /// In a list: an indented line after a blank one continues an item, not code.
    in_list: bool,
    /// In an indented code block.
    indented: bool,
    /// Whether what the last line fed is (code or not, in a list or not) hangs on whether
    /// the line above it is blank.
    above_matters: bool,
}

/// Whether a line (trimmed) starts a list item: `- `, `* `, `+ `, `1. `, `1) `.
fn is_list_marker(trimmed: &str) -> bool {
    let b = trimmed.as_bytes();
    let after = |i: usize| matches!(b.get(i), None | Some(b' ' | b'\t'));
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (matches!(b.first(), Some(b'-' | b'*' | b'+')) && after(1))
        || ((1..=9).contains(&digits)
            && matches!(b.get(digits), Some(b'.' | b')'))
            && after(digits + 1))
}

/// What of a line decides whether it, and the lines after it, are indented code: indented
/// by none, some or four columns and more (a blank line by none), a list item or not.
/// (Whether it is blank matters too, where the line below is indented or ends a list:
/// those lines are in `prose_lines`.)
/// The columns a line's leading whitespace takes, a tab running to the next multiple of
/// four (as CommonMark counts indentation).
fn indent_width(line: &str) -> usize {
    let mut width = 0;
    for b in line.bytes() {
        match b {
            b' ' => width += 1,
            b'\t' => width += 4 - width % 4,
            _ => break,
        }
    }
    width
}

fn block_shape(line: &str) -> (u8, bool) {
    let trimmed = line.trim_start();
    let indent = indent_width(line);
    let class = match indent {
        _ if trimmed.trim_end().is_empty() => 0,
        0 => 0,
        1..=3 => 1,
        _ => 2,
    };
    (class, is_list_marker(trimmed))
}

impl Prose {
    /// A line of an HTML block (which [`Prose::skips`] was not asked about).
    fn html_line(&mut self) {
        self.above_matters = false;
        self.indented = false;
        self.text_above = true;
    }

    /// Whether `line` is to be skipped: in code (fenced or indented) or a comment.
    fn skips(&mut self, line: &str) -> bool {
        let trimmed = line.trim_start();
        let indent = indent_width(line);
        let blank = trimmed.trim_end().is_empty();
        self.above_matters = false;
        if self.fence.is_none() && !self.in_comment {
            // (A heading at column 0 is never a list's lazy continuation.)
            self.above_matters = !blank
                && (indent >= 4
                    || (indent == 0
                        && self.in_list
                        && !is_list_marker(trimmed)
                        && atx_level(trimmed).is_none()));
            // Indented code: four columns in after a blank line, not in a list; it runs
            // over blank lines to the first line indented less.
            if self.indented && (blank || indent >= 4) {
                return true;
            }
            self.indented = false;
            if !blank && indent >= 4 && !self.text_above && !self.in_list {
                self.indented = true;
                return true;
            }
            if !blank && indent < 4 {
                if is_list_marker(trimmed) {
                    self.in_list = true;
                } else if indent == 0 && (!self.text_above || atx_level(trimmed).is_some()) {
                    // A heading at column 0 closes the list even right under an item.
                    self.in_list = false;
                }
            }
            self.text_above = !blank;
        }
        if self.in_comment {
            self.in_comment = !line.contains("-->");
            return true;
        }
        if indent <= 3 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            let c = trimmed.as_bytes()[0];
            let run = trimmed.bytes().take_while(|&b| b == c).count();
            match self.fence {
                // A backtick fence's info string holds no backtick.
                None if c == b'`' && trimmed[run..].contains('`') => return false,
                None => self.fence = Some((c, run)),
                Some((fc, n)) if fc == c && run >= n && trimmed[run..].trim().is_empty() => {
                    self.fence = None
                }
                _ => {}
            }
            return true;
        }
        if self.fence.is_some() {
            return true;
        }
        if trimmed.starts_with("<!--") && !trimmed.contains("-->") {
            self.in_comment = true;
            return true;
        }
        false
    }
}

/// Whether the lines read so far end in a paragraph at the top level (whose lines a
/// setext underline makes a heading), and from which line.
#[derive(Debug, Clone, Copy)]
enum Para {
    None,
    Top {
        first: usize,
    },
    /// A paragraph in a list item or block quote: the lines after it continue it, and no
    /// underline makes a top-level heading of them.
    Other,
    /// An HTML block that runs to the next blank line: no line in it is a heading.
    Html,
}

impl Para {
    /// The state after `line` (not in code or a comment), `trimmed` of its `indent`.
    fn next(self, trimmed: &str, indent: usize, line: usize) -> Para {
        if trimmed.is_empty() {
            return Para::None;
        }
        if indent >= 4 {
            // A paragraph's continuation, or indented code.
            return match self {
                Para::None => Para::Other,
                p => p,
            };
        }
        if matches!(self, Para::Html) {
            return Para::Html;
        }
        let b = trimmed.as_bytes();
        let atx = atx_level(trimmed).is_some();
        let thematic = matches!(b[0], b'-' | b'*' | b'_') && {
            let mut marks = b.iter().filter(|c| !matches!(c, b' ' | b'\t'));
            marks.clone().count() >= 3 && marks.all(|&c| c == b[0])
        };
        if atx || thematic {
            return Para::None;
        }
        let bullet =
            matches!(b[0], b'-' | b'*' | b'+') && matches!(b.get(1), None | Some(b' ' | b'\t'));
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let ordered = (1..=9).contains(&digits)
            && matches!(b.get(digits), Some(b'.' | b')'))
            && matches!(b.get(digits + 1), None | Some(b' ' | b'\t'));
        if trimmed.starts_with("<!--") {
            return Para::None; // a comment that ends on its line (others are skipped)
        }
        if starts_html_block(trimmed) || (matches!(self, Para::None) && is_lone_tag(trimmed)) {
            return Para::Html;
        }
        if bullet || ordered || b[0] == b'>' {
            return Para::Other;
        }
        match self {
            Para::None => Para::Top { first: line },
            p => p,
        }
    }
}

/// Block tags whose HTML block runs to the next blank line (CommonMark's kinds 1 and 6;
/// kind 1 really ends at its closing tag).
const HTML_BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "pre",
    "script",
    "search",
    "section",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// The tag a line (without its indent) begins with: whether it is a closing tag, its name
/// (a letter, then letters, digits and `-`), and what follows the name.
fn tag_at(trimmed: &str) -> Option<(bool, &str, &str)> {
    let rest = trimmed.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    Some((closing, &rest[..len], &rest[len..]))
}

/// Whether a line (without its indent) opens an HTML block of a block tag.
fn starts_html_block(trimmed: &str) -> bool {
    tag_at(trimmed).is_some_and(|(_, name, after)| {
        matches!(
            after.as_bytes().first(),
            None | Some(b' ' | b'\t' | b'>' | b'/')
        ) && HTML_BLOCK_TAGS.contains(&name.to_ascii_lowercase().as_str())
    })
}

/// Whether a line (without its indent) is one complete open or closing tag of any name
/// and nothing else: it opens an HTML block of CommonMark's kind 7, which runs to the next
/// blank line but cannot interrupt a paragraph.
fn is_lone_tag(trimmed: &str) -> bool {
    let Some((closing, _, after)) = tag_at(trimmed.trim_end()) else {
        return false;
    };
    let rest = after.as_bytes();
    let spaces = |from: usize| {
        rest[from.min(rest.len())..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count()
    };
    if closing {
        return &rest[spaces(0)..] == b">";
    }
    let mut i = 0;
    loop {
        let gap = spaces(i);
        i += gap;
        match rest.get(i) {
            Some(b'>') => return i + 1 == rest.len(),
            Some(b'/') => return &rest[i + 1..] == b">",
            Some(c) if gap > 0 && (c.is_ascii_alphabetic() || matches!(c, b'_' | b':')) => {
                i += rest[i..]
                    .iter()
                    .take_while(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'-')
                    })
                    .count();
                let mut j = i + spaces(i);
                if rest.get(j) != Some(&b'=') {
                    continue; // an attribute without a value
                }
                j += 1;
                j += spaces(j);
                let value = match rest.get(j) {
                    Some(&q @ (b'"' | b'\'')) => match rest[j + 1..].iter().position(|&c| c == q) {
                        Some(len) => len + 2,
                        None => return false,
                    },
                    _ => rest[j..]
                        .iter()
                        .take_while(|c| {
                            !matches!(c, b' ' | b'\t' | b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')
                        })
                        .count(),
                };
                if value == 0 {
                    return false;
                }
                i = j + value;
            }
            _ => return false,
        }
    }
}

/// The level of an ATX heading opening `trimmed` (a line without its indent): 1 to 6 `#`
/// followed by a space, a tab or the end of the line.
fn atx_level(trimmed: &str) -> Option<usize> {
    let level = trimmed.bytes().take_while(|&b| b == b'#').count();
    ((1..=6).contains(&level) && matches!(trimmed.as_bytes().get(level), None | Some(b' ' | b'\t')))
        .then_some(level)
}

/// The level of a setext heading whose underline `trimmed` (of `indent`) would be: 1 for
/// `===`, 2 for `---`.
fn setext_level(trimmed: &str, indent: usize) -> Option<usize> {
    let t = trimmed.trim_end();
    let c = *t.as_bytes().first()?;
    (indent <= 3 && matches!(c, b'=' | b'-') && t.bytes().all(|b| b == c)).then_some(if c == b'=' {
        1
    } else {
        2
    })
}

/// Reads the facts of one Markdown file.
pub fn scan_text(path: Option<&Path>, text: &str) -> Facts {
    assemble(path, &[(0, 0, scan_part(text, true))])
}

/// The facts of an open document, read chunk by chunk: each chunk's [`Part`] is kept in
/// its memo, so after an edit only the chunk reparsed is read again, and the parts are
/// put together ([`assemble`]). Equal to [`scan_text`] of the whole text (a property test
/// holds it): a chunk starts where the line scan has nothing open.
pub fn scan_snapshot(path: Option<&Path>, snapshot: &crate::syntax::document::Snapshot) -> Facts {
    let parts: Vec<(usize, u32, Arc<Part>)> = snapshot
        .outline
        .chunks
        .iter()
        .map(|c| {
            let part: Arc<Part> = c.blocks.memo.get_or_make(|| {
                let text = snapshot.rope.byte_slice(c.start..c.start + c.len);
                scan_part(&std::borrow::Cow::from(text), c.start == 0)
            });
            (c.start, c.line, part)
        })
        .collect();
    assemble(path, &parts)
}

/// What the line scan reads off a stretch of text that begins where nothing is open:
/// the whole file, or one chunk of an open document (a chunk starts at a heading at
/// column 0 with no code, HTML block or frontmatter open before it, see
/// [`crate::syntax::chunks`]). Lines and offsets are the stretch's own; [`assemble`]
/// shifts them and decides what hangs on the whole document: the title, the `-1`
/// suffixes of repeated anchors, which summary counts, and the number.
#[derive(Debug, Default)]
pub struct Part {
    id: Option<Valued>,
    uuid: Option<Valued>,
    status: Option<Valued>,
    successor: Option<Valued>,
    tags: Vec<String>,
    number_field: Option<RfcNumber>,
    metadata_says: bool,
    index_block: bool,
    /// Headings and HTML anchors, in order.
    marks: Vec<Mark>,
    /// The first sentence of each summary-like section's body, in order.
    summaries: Vec<String>,
    prose_lines: Vec<Range<u32>>,
    /// Sorted, none on an identity line (but the title's, which [`assemble`] drops).
    references: Vec<Reference>,
}

#[derive(Debug)]
enum Mark {
    /// The `id` or `name` of an HTML element, and its line.
    Html(String, u32),
    Heading {
        level: usize,
        name: String,
        /// The name's span.
        span: Span,
        /// The heading's first and last lines (a setext heading spans several).
        lines: (u32, u32),
        /// Its GitHub slug before a repeat's `-1`, and its `{#id}`.
        slug: String,
        id: Option<String>,
    },
}

/// The facts of a file read in parts, each `(offset, first line, part)`, in order.
///
/// Long: one pass over the parts; each kind of fact is a few lines of it.
pub fn assemble<P: std::borrow::Borrow<Part>>(
    path: Option<&Path>,
    parts: &[(usize, u32, P)],
) -> Facts {
    let mut facts = Facts::default();
    let mut number_field = None;
    let mut metadata_says = false;
    let mut anchors_seen: HashMap<&str, usize> = HashMap::new();
    let mut title_lines = None;
    for (k, (offset, line, part)) in parts.iter().enumerate() {
        let (offset, line, part) = (*offset, *line, part.borrow());
        // A part's text ends with a line break, after which its last (empty) line is the
        // next part's first.
        let next = parts.get(k + 1).map_or(u32::MAX, |p| p.1);
        let shift = |s: &Span| Span {
            range: s.range.start + offset..s.range.end + offset,
            line: s.line + line,
            start: s.start,
            end: s.end,
        };
        let valued = |v: &Option<Valued>| {
            v.as_ref().map(|v| Valued {
                value: v.value.clone(),
                span: shift(&v.span),
            })
        };
        facts.id = facts.id.take().or_else(|| valued(&part.id));
        facts.uuid = facts.uuid.take().or_else(|| valued(&part.uuid));
        facts.status = facts.status.take().or_else(|| valued(&part.status));
        facts.successor = facts.successor.take().or_else(|| valued(&part.successor));
        if facts.tags.is_empty() {
            facts.tags.clone_from(&part.tags);
        }
        number_field = number_field.or(part.number_field);
        metadata_says |= part.metadata_says;
        facts.index_block |= part.index_block;
        for mark in &part.marks {
            match mark {
                Mark::Html(name, l) => facts.anchors.push((name.clone(), l + line)),
                Mark::Heading {
                    level,
                    name,
                    span,
                    lines: (first, last),
                    slug,
                    id,
                } => {
                    if *level == 1 && facts.title.is_none() {
                        facts.title = Some(Valued {
                            value: name.clone(),
                            span: shift(span),
                        });
                        title_lines = Some(first + line..=last + line);
                    }
                    let n = anchors_seen.entry(slug).or_insert(0);
                    let anchor = if *n == 0 {
                        slug.clone()
                    } else {
                        format!("{slug}-{n}")
                    };
                    *n += 1;
                    facts.anchors.push((anchor, first + line));
                    if let Some(id) = id {
                        facts.anchors.push((id.clone(), first + line));
                    }
                }
            }
        }
        if facts.summary.is_none() {
            facts.summary = part.summaries.first().cloned();
        }
        facts.prose_lines.extend(
            part.prose_lines
                .iter()
                .map(|r| r.start + line..(r.end + line).min(next))
                .filter(|r| !r.is_empty()),
        );
        facts.references.extend(
            part.references
                .iter()
                .filter(|r| {
                    !title_lines
                        .as_ref()
                        .is_some_and(|t| t.contains(&(r.span.line + line)))
                })
                .map(|r| Reference {
                    span: shift(&r.span),
                    target: r.target.clone(),
                    in_link_text: r.in_link_text,
                    form: r.form.clone(),
                }),
        );
    }
    let file_number = path.and_then(|p| crate::analysis::edit::file_number(Some(p)));
    let title_number = facts
        .title
        .as_ref()
        .and_then(|t| RfcNumber::in_title(&t.value))
        .map(|(_, n)| n);
    facts.number = number_field.or(file_number).or(title_number);
    let title_says = facts
        .title
        .as_ref()
        .is_some_and(|t| recognize::title_says_rfc(&t.value));
    facts.is_rfc = metadata_says || title_says || path.is_some_and(recognize::path_says_rfc);
    facts
}

/// The frontmatter's facts, if the text opens with one; the first line after it.
fn frontmatter(lines: &Lines, part: &mut Part, skip_lines: &mut Vec<usize>) -> usize {
    let (_, l0) = lines.line(0);
    let Some(close) = (l0.trim_start_matches('\u{feff}') == "---")
        .then(|| (1..lines.len()).find(|&i| lines.line(i).1 == "---"))
        .flatten()
    else {
        return 0;
    };
    let body_start = lines.starts[1];
    let body_end = lines.starts[close];
    let (root, _) = yaml::parse(&lines.text[body_start..body_end], body_start);
    for (key, value) in root.as_ref().map(Node::entries).unwrap_or_default() {
        let Some(k) = key.as_str() else { continue };
        let kl = k.to_ascii_lowercase();
        let valued = |v: &Node| {
            v.as_str().map(|s| Valued {
                value: s.to_string(),
                span: lines.span(v.range()),
            })
        };
        if is_identity_key(&kl) {
            skip_lines.push(lines.span(key.range()).line as usize);
        }
        match kl.as_str() {
            "id" => {
                part.id = valued(value);
                if let Some(v) = &part.id {
                    part.metadata_says |= recognize::field_says_rfc(k, &v.value);
                    part.number_field = part.number_field.or(RfcNumber::parse(&v.value));
                }
            }
            "rfc" | "number" | "rfc number" | "rfc_number" => {
                if part.id.is_none() {
                    part.id = valued(value);
                }
                part.number_field = part
                    .number_field
                    .or(value.as_str().and_then(RfcNumber::parse));
                part.metadata_says |= recognize::field_says_rfc(k, "");
            }
            "doc_uuid" | "uuid" => part.uuid = valued(value),
            "status" | "state" => part.status = valued(value),
            "template" => part.metadata_says = true, // recognize::field_says_rfc
            "tags" => {
                if let Node::Seq { items, .. } = value {
                    part.tags = items
                        .iter()
                        .filter_map(Node::as_str)
                        .map(str::to_string)
                        .collect();
                    part.tags.sort();
                    part.tags.dedup();
                }
            }
            _ if is_successor_key(k) => {
                part.successor = match value {
                    Node::Seq { items, .. } => items.first().and_then(valued),
                    v => valued(v),
                }
            }
            _ => {}
        }
    }
    let first = close + 1;
    part.prose_lines.push(0..first as u32);
    first
}

/// The first sentence of a summary-like section's body, gathered line by line.
#[derive(Default)]
struct Summary {
    /// Whether the lines read now are such a section's, before its first sentence ended.
    open: bool,
    text: String,
    /// The line the text began on, and whether that text was kept as finished.
    line: Option<usize>,
    kept: bool,
}

impl Summary {
    /// Reads the prose line `i`, `trimmed`.
    fn read(&mut self, i: usize, trimmed: &str, summaries: &mut Vec<String>) {
        let t = trimmed.trim();
        if t.is_empty() {
            if !self.text.is_empty() {
                self.open = false;
            }
        } else if !t.starts_with("<!--") {
            if self.text.is_empty() {
                self.line = Some(i);
                self.kept = false;
            } else {
                self.text.push(' ');
            }
            // Only the new text is searched (with the character before it, for a
            // sentence ended at the line's end): an 80,000-line summary took 6.6 s.
            let mut from = self.text.len().saturating_sub(2);
            while !self.text.is_char_boundary(from) {
                from -= 1;
            }
            self.text.push_str(t);
            if let Some(end) = self.text[from..].find(". ") {
                self.text.truncate(from + end + 1);
                self.open = false;
            } else if self.text.len() > 4096 {
                self.open = false; // no sentence end in sight: the first 300 characters
            }
        }
        if !self.open {
            self.keep(summaries);
        }
    }

    /// Keeps the text gathered so far as a finished summary.
    fn keep(&mut self, summaries: &mut Vec<String>) {
        if !self.text.is_empty() {
            summaries.push(std::mem::take(&mut self.text).chars().take(300).collect());
            self.kept = true;
        }
    }

    /// The lines from `first` on turned out to name a setext heading: a summary read
    /// from them is none.
    fn unread_from(&mut self, first: usize, summaries: &mut Vec<String>) {
        if self.line.is_some_and(|l| l >= first) {
            self.text.clear();
            if std::mem::take(&mut self.kept) {
                summaries.pop();
            }
            self.line = None;
        }
    }
}

/// Reads one stretch of text: see [`Part`]. `at_start`: the stretch opens the file (a
/// byte order mark and a frontmatter may stand there).
///
/// Long: one pass over the lines; every branch reads and moves the same block state.
pub fn scan_part(text: &str, at_start: bool) -> Part {
    let lines = Lines {
        text,
        starts: crate::text::line_starts(text),
        last: std::cell::Cell::new((usize::MAX, [0; 3])),
        at_start,
    };
    let mut part = Part::default();
    let mut skip_lines: Vec<usize> = Vec::new(); // identity lines: no references on them
    // The first line after the frontmatter.
    let first = if at_start {
        frontmatter(&lines, &mut part, &mut skip_lines)
    } else {
        0
    };

    // The body.
    let mut prose = Prose::default();
    let mut summary = Summary::default();
    let mut summary_from: Option<u32> = None;
    let mut para = Para::None;
    let mut run = first; // where the lines without a blank one between them began
    // The lines in code or a comment.
    let mut skipped_lines = vec![false; first];
    for i in first..lines.len() {
        let (start, line) = lines.line(i);
        let trimmed = line.trim_start();
        part.index_block |= line.starts_with(super::rfc_index::START_OPEN);
        let indent = indent_width(line); // in columns
        // A line inside an HTML block that runs to a blank line opens no code and no
        // comment: `<!--` or a fence there is the block's text.
        let skipped = if matches!(para, Para::Html) && !trimmed.is_empty() {
            prose.html_line();
            false
        } else {
            prose.skips(line)
        };
        skipped_lines.push(skipped);
        if prose.above_matters && i > first && lines.line(i - 1).1.trim().is_empty() {
            // Typing on the blank line above makes this line a paragraph's (or code).
            match part.prose_lines.last_mut() {
                Some(r) if r.end + 1 >= i as u32 => r.end = r.end.max(i as u32),
                _ => part.prose_lines.push(i as u32 - 1..i as u32),
            }
        }
        if skipped {
            para = Para::None;
            run = i + 1;
            continue;
        }
        if line.contains('<') {
            for c in HTML_ANCHOR.captures_iter(line) {
                if let Some(m) = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3))
                    && !m.as_str().is_empty()
                {
                    part.marks
                        .push(Mark::Html(m.as_str().to_string(), i as u32));
                }
            }
        }
        let before = para;
        para = para.next(trimmed, indent, i);
        if matches!(before, Para::Html) || matches!(para, Para::Html) {
            // A line of an HTML block, or the blank line that ends one: made blank, or
            // typed on, it moves the block's end over the headings after it.
            part.prose_lines.push(i as u32..i as u32 + 1);
        }
        if indent < 4 && i > first && is_lone_tag(trimmed) {
            // A lone tag opens an HTML block unless it continues a paragraph: what the
            // line above is decides.
            part.prose_lines.push(i as u32 - 1..i as u32);
        }
        let underline = setext_level(trimmed, indent);
        if underline.is_some() {
            // Whether the lines above an underline-shaped line make a heading, and its
            // name, hang on every one of them and on the blank line above them.
            part.prose_lines
                .push(run.saturating_sub(1) as u32..i as u32 + 1);
        }
        if trimmed.is_empty() {
            run = i + 1;
        }
        // Headings: ATX (`## Name`), or setext (a paragraph's lines over `===` or `---`).
        let mut heading: Option<(usize, String, Range<usize>, usize)> = None;
        if let Some(level) = atx_level(trimmed).filter(|_| indent <= 3) {
            if !matches!(before, Para::Html) {
                let rest = &trimmed[level..];
                let name = rest.trim().trim_end_matches('#').trim_end();
                let name_start = start
                    + (line.len() - trimmed.len())
                    + level
                    + (rest.len() - rest.trim_start().len());
                heading = Some((
                    level,
                    name.to_string(),
                    name_start..name_start + name.len(),
                    i,
                ));
            }
        } else if let (Para::Top { first }, Some(level)) = (before, underline) {
            para = Para::None;
            // The summary was read from lines that turn out to name a heading.
            summary.unread_from(first, &mut part.summaries);
            // The paragraph's lines, trimmed, and where each starts.
            let name_lines: Vec<(usize, &str)> = (first..i)
                .map(|k| {
                    let (s, l) = lines.line(k);
                    (s + l.len() - l.trim_start().len(), l.trim())
                })
                .collect();
            let name = name_lines
                .iter()
                .map(|(_, t)| *t)
                .collect::<Vec<_>>()
                .join(" ");
            let (from, _) = name_lines[0];
            let (last, t) = name_lines[name_lines.len() - 1];
            heading = Some((level, name, from..last + t.len(), first));
        }
        if let Some((level, name, name_range, at)) = heading {
            // No paragraph runs over a heading: an underline below it looks no higher.
            run = i + 1;
            let lower = name.to_ascii_lowercase();
            if let Some(open) = summary_from.take() {
                part.prose_lines.push(open..at as u32);
            }
            // A section's summary ends with it.
            summary.keep(&mut part.summaries);
            summary.open = matches!(
                lower.trim_end_matches(':'),
                "summary" | "abstract" | "tl;dr" | "tldr" | "overview"
            );
            if summary.open {
                summary_from = Some(i as u32);
            }
            part.marks.push(Mark::Heading {
                level,
                slug: anchor_of(&name),
                id: heading_id(&name).map(|(id, _)| id.to_string()),
                span: lines.span(name_range),
                lines: (at as u32, i as u32),
                name,
            });
            continue;
        }
        // Bold metadata lines.
        // Read as the metadata layer reads them, so the index and the rules agree.
        if let Some((key, value)) = crate::metadata::parse_bold_line(line) {
            let key = line[key].trim();
            let valued = Valued {
                value: line[value.clone()].to_string(),
                span: lines.span(start + value.start..start + value.end),
            };
            let kl = key.to_ascii_lowercase();
            if is_identity_key(&kl) {
                skip_lines.push(i);
            }
            match kl.as_str() {
                "status" if part.status.is_none() => part.status = Some(valued),
                "rfc number" | "rfc" | "number" => {
                    part.metadata_says |= recognize::field_says_rfc(key, &valued.value);
                    part.number_field = part.number_field.or(RfcNumber::parse(&valued.value));
                    if part.id.is_none() {
                        part.id = Some(valued);
                    }
                }
                _ if is_successor_key(key) && part.successor.is_none() => {
                    part.successor = Some(valued)
                }
                _ => {}
            }
        }
        if summary.open {
            summary.read(i, trimmed, &mut part.summaries);
        }
    }
    if let Some(open) = summary_from {
        part.prose_lines.push(open..lines.len() as u32);
    }
    summary.keep(&mut part.summaries);

    // References, on every line outside code, comments and the document's own identity.
    references(&lines, &skipped_lines, &skip_lines, &mut part.references);
    part.references.sort_by_key(|r| r.span.range.start);
    part
}

/// Finds the references on every line that is prose (frontmatter values included).
///
/// Long: a line's links and RFC numbers decide each other (a number in a link's target or
/// label is none), so one pass reads both.
fn references(lines: &Lines, code: &[bool], skip_lines: &[usize], found: &mut Vec<Reference>) {
    for i in 0..lines.len() {
        let (start, line) = lines.line(i);
        if code[i] || skip_lines.contains(&i) || !may_hold_reference(line) {
            continue;
        }
        let code = crate::syntax::inline::code_spans(line);
        let in_code = |r: &Range<usize>| code.iter().any(|c| c.start <= r.start && r.end <= c.end);
        let mut link_targets: Vec<Range<usize>> = Vec::new();
        let mut link_texts: Vec<Range<usize>> = Vec::new();
        // Where the last link ended: a link's text starts after it, so the search for
        // the `[` stops there (a line of 50,000 `](x)` stays linear).
        let mut after_link = 0;
        let may_link = line.contains("](") || line.trim_start().starts_with('[');
        for c in may_link
            .then(|| LINK.captures_iter(line))
            .into_iter()
            .flatten()
        {
            let Some(m) = c.get(1).or_else(|| c.get(2)) else {
                continue;
            };
            let r = m.range();
            if in_code(&r) {
                continue;
            }
            link_targets.push(r.clone());
            // The text of an inline link: an `RFC-042` there names what the link points
            // at, and the link is the reference (one finding if it is broken, not two).
            let whole = c.get(0).expect("the match");
            let close = whole.start();
            if c.get(1).is_some()
                && let Some(open) = link_text_start(line, after_link, close)
            {
                link_texts.push(open..close);
            }
            after_link = whole.end();
            let target = m.as_str();
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            // `[alternatives]: #alternatives` under a heading (Rust's template): a label the
            // heading carries, which no text uses; a renamed heading breaks nothing a
            // reader can follow.
            if c.get(2).is_some()
                && let Some(label) = line
                    .trim_start()
                    .strip_prefix('[')
                    .and_then(|l| l.split(']').next())
                && target
                    .strip_prefix('#')
                    .is_some_and(|a| a.eq_ignore_ascii_case(label.trim()))
            {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a.to_string())),
                None => (target, None),
            };
            let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
            let markdown = file.ends_with(".md")
                || file.ends_with(".markdown")
                || (path.is_empty() && anchor.is_some())
                // `rfc-042` without an extension; not `0545-trace.png`.
                || !file.contains('.')
                    && crate::analysis::edit::file_number(Some(Path::new(&file))).is_some();
            if !markdown {
                continue;
            }
            found.push(Reference {
                span: lines.span(start + r.start..start + r.end),
                target: Target::Link {
                    path: path.to_string(),
                    anchor,
                },
                in_link_text: false,
                form: None,
            });
        }
        let builtin = rfc_refs(line).into_iter().map(|(r, n)| (r, n, None));
        let named = named_refs(line)
            .into_iter()
            .map(|(r, n, f)| (r, n, Some(f)));
        let mut cited: Vec<_> = builtin.chain(named).collect();
        cited.sort_by_key(|c| c.0.start);
        for (r, n, form) in cited {
            // The label of a reference link (`[text][rfc6585]`, `[rfc6585]: https://...`)
            // names a link definition, not an RFC.
            let label = line[..r.start].ends_with('[')
                && line[r.end..].starts_with(']')
                && (line[..r.start - 1].ends_with(']') || line[r.end + 1..].starts_with(':'));
            if label
                || in_code(&r)
                || link_targets
                    .iter()
                    .any(|t| t.start <= r.start && r.end <= t.end)
            {
                continue;
            }
            found.push(Reference {
                span: lines.span(start + r.start..start + r.end),
                target: Target::Rfc(n),
                // In an inline link's text, or in brackets: a reference link's text
                // (`[RFC 352][]`, `[RFC 352]` with `[RFC 352]: url` below).
                in_link_text: link_texts
                    .iter()
                    .any(|t| t.start <= r.start && r.end <= t.end)
                    || in_brackets(line, &r),
                form,
            });
        }
    }
}

/// A path as the index keys it: canonical where the file exists, else as given, and
/// [`normalize`]d.
pub fn absolute(path: &Path) -> PathBuf {
    normalize(&std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// `path` with `.` and `..` resolved without asking the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// `dir` (relative to `base`, or absolute) as an absolute folder inside `base`, or the
/// reason it is not: a new RFC goes into the workspace, not to `../x`, `/etc` or, through
/// a link, anywhere else.
pub fn folder_inside(dir: &Path, base: &Path) -> Result<PathBuf, String> {
    let base = std::fs::canonicalize(base).unwrap_or_else(|_| normalize(base));
    let wanted = normalize(&base.join(dir));
    // Links are followed as far as the folder exists.
    let real = wanted
        .ancestors()
        .find_map(|a| {
            let real = std::fs::canonicalize(a).ok()?;
            Some(real.join(wanted.strip_prefix(a).ok()?))
        })
        .unwrap_or_else(|| wanted.clone());
    if real.starts_with(&base) {
        Ok(wanted)
    } else {
        Err(format!(
            "{} is outside {}: new RFCs go inside it",
            dir.display(),
            base.display()
        ))
    }
}

/// Every file's facts, by path.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Read it freely; change it through [`Index::insert`] and [`Index::remove`], which
    /// keep the lookups by number and uuid.
    pub files: HashMap<PathBuf, Arc<Facts>>,
    /// The workspace has been read (until then, what is missing may just not be read yet).
    pub ready: bool,
    /// By sequence number: `2026-042` and `42` share a list.
    by_number: HashMap<u32, Vec<PathBuf>>,
    by_uuid: HashMap<String, Vec<PathBuf>>,
    /// The ways of citing an RFC that count (`references:`); `None`: `RFC-042` only.
    forms: Option<Vec<RefForm>>,
    /// How many files hold a marked RFC index ([`Facts::index_block`]).
    index_blocks: usize,
}

/// A way of citing an RFC that counts (see [`Index::accepts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefForm {
    /// The text before the number as the index records it ([`Reference::form`]: `SE-`,
    /// `RFC `, `rust-lang/rfcs#`); `None` for `RFC-042`, `RFC42`.
    pub form: Option<String>,
    /// Every number cited so is an RFC here: one that is not is `reference-unknown`.
    /// Not so for KEP numbers (issues first) or `owner/repo#N` (pull requests).
    pub complete: bool,
}

impl RefForm {
    /// `RFC-042`, `RFC42`: what counts without a `references:` list.
    pub const BUILTIN: RefForm = RefForm {
        form: None,
        complete: true,
    };
}

/// Takes `path` out of the list under `key`, and the list once empty.
fn unlist<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<PathBuf>>, key: &K, path: &Path) {
    if let Some(v) = map.get_mut(key) {
        v.retain(|p| p != path);
        if v.is_empty() {
            map.remove(key);
        }
    }
}

fn uuid_key(f: &Facts) -> Option<String> {
    f.uuid.as_ref().map(|u| u.value.trim().to_ascii_lowercase())
}

impl Index {
    /// Reads every Markdown file under `roots` (respecting .gitignore, never following
    /// symlinks, at most [`MAX_FILES`] files of at most [`MAX_BYTES`] each), calling
    /// `progress` with the count so far every 500 files.
    pub fn scan(roots: &[PathBuf], progress: &mut dyn FnMut(usize)) -> Index {
        Index::scan_except(roots, progress, &|_| false)
    }

    /// [`Index::scan`] without the files `known` names (their facts are at hand: `check`
    /// has just read them), which are neither read nor counted.
    pub fn scan_except(
        roots: &[PathBuf],
        progress: &mut dyn FnMut(usize),
        known: &dyn Fn(&Path) -> bool,
    ) -> Index {
        Index::scan_with(roots, progress, known, &|_, _| ()).0
    }

    /// [`Index::scan_except`] that also hands each file's text to `visit` as it is read
    /// (`rfc-lsp index` reads the metadata of each RFC from it), returning what `visit`
    /// made of each file. The files are read on every core.
    pub fn scan_with<T: Send>(
        roots: &[PathBuf],
        progress: &mut dyn FnMut(usize),
        known: &dyn Fn(&Path) -> bool,
        visit: &(dyn Fn(&Path, &str) -> T + Sync),
    ) -> (Index, Vec<(PathBuf, T)>) {
        let mut index = Index {
            ready: true,
            ..Index::default()
        };
        let Some((first, rest)) = roots.split_first() else {
            return (index, Vec::new());
        };
        let mut builder = ignore::WalkBuilder::new(first);
        for r in rest {
            builder.add(r);
        }
        let walker = builder.follow_links(false).build();
        let mut paths: Vec<PathBuf> = walker
            .flatten()
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .filter(|e| {
                e.path()
                    .extension()
                    .is_some_and(|e| e == "md" || e == "markdown")
            })
            .map(|e| normalize(e.path()))
            .filter(|p| !known(p))
            .collect();
        if paths.len() > MAX_FILES {
            tracing::warn!("workspace index: stopped at {MAX_FILES} Markdown files");
            paths.truncate(MAX_FILES);
        }
        // Each thread takes the next file to read until none is left; this one says how
        // far they got.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let done = std::sync::atomic::AtomicUsize::new(0);
        // The next file read (`None` when none is left; `Some(None)` for one unreadable).
        let take = || {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let path = paths.get(i)?;
            let read = read_markdown(path)
                .map(|text| (i, scan_text(Some(path), &text), visit(path, &text)));
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Some(read)
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let mut read: Vec<(usize, Facts, T)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (1..threads)
                .map(|_| scope.spawn(|| std::iter::from_fn(take).flatten().collect::<Vec<_>>()))
                .collect();
            let mut mine = Vec::new();
            let mut said = 0;
            while let Some(r) = take() {
                mine.extend(r);
                let n = done.load(std::sync::atomic::Ordering::Relaxed);
                if n / 500 > said / 500 {
                    progress(n);
                }
                said = n;
            }
            for w in workers {
                mine.extend(w.join().unwrap_or_default());
            }
            mine
        });
        read.sort_by_key(|r| r.0);
        let mut visited = Vec::with_capacity(read.len());
        for (i, facts, made) in read {
            index.insert(paths[i].clone(), Arc::new(facts));
            visited.push((paths[i].clone(), made));
        }
        (index, visited)
    }

    /// Whether a file of the workspace holds a marked RFC index.
    pub fn has_index_block(&self) -> bool {
        self.index_blocks > 0
    }

    /// Puts a file's facts in (replacing what it had); returns the old ones.
    pub fn insert(&mut self, path: PathBuf, facts: Arc<Facts>) -> Option<Arc<Facts>> {
        let old = self.remove(&path);
        if facts.is_rfc {
            if let Some(n) = facts.number {
                self.by_number.entry(n.seq).or_default().push(path.clone());
            }
            if let Some(u) = uuid_key(&facts) {
                self.by_uuid.entry(u).or_default().push(path.clone());
            }
        }
        self.index_blocks += usize::from(facts.index_block);
        self.files.insert(path, facts);
        old
    }

    /// Makes the index what each file's settings (`settings_of`) say: without the files an
    /// `exclude:` glob names, and with those an `rfcs:` or `files:` glob names counted as
    /// RFCs, whatever their own text and path say.
    pub fn follow<'s>(&mut self, settings_of: impl Fn(&Path) -> Option<&'s super::Settings>) {
        let mut gone = Vec::new();
        let mut marked = Vec::new();
        for (p, f) in &self.files {
            let Some(s) = settings_of(p) else { continue };
            if s.excluded(p.strip_prefix(&s.root).unwrap_or(p)) {
                gone.push(p.clone());
            } else if !f.is_rfc && s.context(Some(p), None).rfc_by_config {
                let mut f = Facts::clone(f);
                f.is_rfc = true;
                marked.push((p.clone(), Arc::new(f)));
            }
        }
        for p in gone {
            self.remove(&p);
        }
        for (p, f) in marked {
            self.insert(p, f);
        }
    }

    /// Counts references written in these forms (the configurations' `references:`, `None`
    /// where none has one) from now on, and no others.
    pub fn accept_forms<'f>(&mut self, forms: impl IntoIterator<Item = &'f Option<Vec<RefForm>>>) {
        let mut all: Option<Vec<RefForm>> = None;
        for f in forms {
            let list = f.clone().unwrap_or_else(|| vec![RefForm::BUILTIN]);
            let all = all.get_or_insert_with(Vec::new);
            for f in list {
                if !all.contains(&f) {
                    all.push(f);
                }
            }
        }
        self.forms = all;
    }

    /// The form a reference to an RFC is written in, if it counts: `RFC-042` without a
    /// `references:` list, else one the list names. `None` for links.
    fn form_of(&self, r: &Reference) -> Option<&RefForm> {
        if !matches!(r.target, Target::Rfc(_)) {
            return None;
        }
        let same = |f: &RefForm| match (&f.form, &r.form) {
            (None, None) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        };
        match &self.forms {
            None => same(&RefForm::BUILTIN).then_some(&RefForm::BUILTIN),
            Some(list) => list.iter().find(|f| same(f)),
        }
    }

    /// Whether a reference counts: a link, or a citation in a form that counts (see
    /// [`Index::accept_forms`]).
    pub fn accepts(&self, r: &Reference) -> bool {
        !matches!(r.target, Target::Rfc(_)) || self.form_of(r).is_some()
    }

    /// Whether a citation's number must be an RFC here (see [`RefForm::complete`]).
    pub fn complete(&self, r: &Reference) -> bool {
        self.form_of(r).is_some_and(|f| f.complete)
    }

    /// The references of `facts` that count (see [`Index::accepts`]).
    pub fn references_of<'a>(
        &'a self,
        facts: &'a Facts,
    ) -> impl Iterator<Item = &'a Reference> + 'a {
        facts.references.iter().filter(|r| self.accepts(r))
    }

    /// Takes a file out; returns its facts.
    pub fn remove(&mut self, path: &Path) -> Option<Arc<Facts>> {
        let old = self.files.remove(path)?;
        self.index_blocks -= usize::from(old.index_block);
        if let Some(n) = old.number {
            unlist(&mut self.by_number, &n.seq, path);
        }
        if let Some(u) = uuid_key(&old) {
            unlist(&mut self.by_uuid, &u, path);
        }
        Some(old)
    }

    /// The RFCs whose doc_uuid is `uuid` (any case).
    pub fn with_uuid(&self, uuid: &str) -> impl Iterator<Item = (&PathBuf, &Arc<Facts>)> {
        self.by_uuid
            .get(&uuid.trim().to_ascii_lowercase())
            .into_iter()
            .flatten()
            .filter_map(|p| self.files.get_key_value(p))
    }

    /// Reads one file again (changed, created or deleted on disk).
    pub fn refresh(&mut self, path: &Path) {
        let path = normalize(path);
        match read_markdown(&path) {
            Some(text) => {
                let facts = scan_text(Some(&path), &text);
                self.insert(path, Arc::new(facts));
            }
            None => {
                self.remove(&path);
            }
        }
    }

    /// The RFCs numbered `n`, exactly as written (`2026-042` is not `42`).
    pub fn with_number(&self, n: RfcNumber) -> impl Iterator<Item = (&PathBuf, &Arc<Facts>)> {
        self.with_seq(n.seq)
            .filter(move |(_, f)| f.number == Some(n))
    }

    /// The RFCs a reference to `n` names: those numbered `n` exactly, else those whose
    /// number agrees with it (`RFC-042` names `2026-042` when no RFC is plainly `42`).
    pub fn named_by(&self, n: RfcNumber) -> Vec<(&PathBuf, &Arc<Facts>)> {
        self.named_by_in(n, Path::new("/"))
    }

    /// [`Index::named_by`] among the files under `folder`.
    pub fn named_by_in(&self, n: RfcNumber, folder: &Path) -> Vec<(&PathBuf, &Arc<Facts>)> {
        let near = || self.with_seq(n.seq).filter(|(p, _)| p.starts_with(folder));
        let exact: Vec<_> = near().filter(|(_, f)| f.number == Some(n)).collect();
        if !exact.is_empty() {
            return exact;
        }
        near()
            .filter(|(_, f)| f.number.is_some_and(|m| m.agrees(n)))
            .collect()
    }

    fn with_seq(&self, seq: u32) -> impl Iterator<Item = (&PathBuf, &Arc<Facts>)> {
        self.by_number
            .get(&seq)
            .into_iter()
            .flatten()
            .filter_map(|p| self.files.get_key_value(p))
    }

    /// The file a link in `from` points at, if the index has it: the path as written, or
    /// with `.md` added.
    pub fn resolve_link(&self, from: &Path, path: &str) -> Option<(&PathBuf, &Arc<Facts>)> {
        let base = if path.is_empty() {
            from.to_path_buf()
        } else {
            normalize(&from.parent().unwrap_or(Path::new("/")).join(path))
        };
        let with_md = PathBuf::from(format!("{}.md", base.display()));
        self.files
            .get_key_value(&base)
            .or_else(|| self.files.get_key_value(&with_md))
    }

    /// Where a reference in `from` leads: the file, and the line (its title or the
    /// anchor's heading). `None` for a dangling reference.
    pub fn target(&self, from: &Path, target: &Target) -> Option<(PathBuf, u32)> {
        match target {
            Target::Rfc(n) => {
                // The citing RFC's own set first, then anywhere.
                let near = self.named_by_in(*n, from.parent().unwrap_or(Path::new("/")));
                let mut found = if near.is_empty() {
                    self.named_by(*n)
                } else {
                    near
                };
                found.sort_by(|a, b| a.0.cmp(b.0));
                found.first().map(|(p, f)| ((*p).clone(), f.title_line()))
            }
            Target::Link { path, anchor } => {
                let (p, f) = self.resolve_link(from, path)?;
                let line = match anchor {
                    Some(a) => f.anchor_line(a)?,
                    None => f.title_line(),
                };
                Some((p.clone(), line))
            }
        }
    }

    /// How many files use each tag, but `except` (the document being completed), for
    /// tag completion.
    pub fn tag_counts(&self, except: Option<&Path>) -> HashMap<String, usize> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for (path, facts) in &self.files {
            if Some(path.as_path()) != except {
                for tag in &facts.tags {
                    *counts.entry(tag.clone()).or_insert(0) += 1;
                }
            }
        }
        counts
    }
}

/// A Markdown file's text, or `None` (with the reason logged) for a file too large, not
/// UTF-8, or unreadable.
pub fn read_markdown(path: &Path) -> Option<String> {
    match super::read_regular(path, MAX_BYTES).map(String::from_utf8) {
        Ok(Ok(text)) => Some(text),
        Ok(Err(_)) => {
            tracing::debug!(path = %path.display(), "skipped: not UTF-8");
            None
        }
        Err(e) => {
            tracing::debug!(path = %path.display(), "skipped: {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The patterns the hand-written matchers replace, as oracles.
    fn oracle_refs(line: &str) -> Vec<(Range<usize>, RfcNumber)> {
        let re = Regex::new(r"(?i)\brfc[-_]?(?:(\d{4})-(\d{1,5})|(\d{1,5}))\b").unwrap();
        re.captures_iter(line)
            .filter_map(|c| {
                let n = match (c.get(1), c.get(2), c.get(3)) {
                    (Some(y), Some(s), _) => RfcNumber {
                        year: y.as_str().parse().ok(),
                        seq: s.as_str().parse().ok()?,
                    },
                    (_, _, Some(s)) => RfcNumber::plain(s.as_str().parse().ok()?),
                    _ => return None,
                };
                Some((c.get(0)?.range(), n))
            })
            .collect()
    }

    #[test]
    fn citations_in_a_repositorys_own_form_are_read_with_their_form() {
        let forms = |line: &str| -> Vec<(String, u32, String)> {
            named_refs(line)
                .into_iter()
                .map(|(r, n, f)| (line[r].to_string(), n.seq, f.to_string()))
                .collect()
        };
        assert_eq!(
            forms("As SE-0400 and KEP-1287 said, RFC 2119, rust-lang/rfcs#1234."),
            [
                ("SE-0400".into(), 400, "SE-".into()),
                ("KEP-1287".into(), 1287, "KEP-".into()),
                ("RFC 2119".into(), 2119, "RFC ".into()),
                ("rust-lang/rfcs#1234".into(), 1234, "rust-lang/rfcs#".into()),
            ]
        );
        // Not a citation: versions, `RFC-42` (the built-in form's), one capital, a word's
        // middle, a path, six digits, and a non-ASCII line cut nowhere.
        for line in [
            "HTTP 1.1 and Swift 5.9",
            "RFC-42, rfc_7, RFC42",
            "A 12 and xSE-0400",
            "https://github.com/a/b/pull/12 and /x/a/b#3",
            "SE-123456",
            "Été SE-é 😀 #é",
        ] {
            assert_eq!(forms(line), [], "{line}");
        }
        // Every citation the scan reads is on a line the quick test lets through.
        for line in ["SE-0400", "a rust-lang/rfcs#1", "KEP 12"] {
            assert!(may_hold_reference(line), "{line}");
        }
        // Read in a document, each with its form; in brackets, as a link's text.
        let f = scan_text(None, "# T\n\nSee SE-0400, [SE-0401][], RFC-7.\n");
        let got: Vec<(Option<&str>, bool)> = f
            .references
            .iter()
            .map(|r| (r.form.as_deref(), r.in_link_text))
            .collect();
        assert_eq!(
            got,
            [(Some("SE-"), false), (Some("SE-"), true), (None, false)]
        );
    }

    #[test]
    fn hand_matchers_agree_with_the_patterns() {
        let mut lines: Vec<String> = [
            "see RFC-042, rfc_7 and RFC42.",
            "xrfc-1 rfc-123456 rfc- rfc-12a rfc-12_ (rfc-9) RfC-00012",
            "RFC-0123456 rfc1 rfc12345 ärfc-3 rfc-3ä rfc-3٣ _rfc-4",
            "rfcrfc-5 rfc--6 rfc-_7 rfc",
            "RFC-2026-042, rfc_2026-7x RFC-2026- rfc2026-123456 RFC-0042-3",
            "**Status:** Draft",
            "- **RFC Number**: 042  ",
            "   **Status** Accepted",
            "    **Status:** too deep",
            "* **Authors:**",
            "** not a field",
            "**a*b** c",
            "**** x",
            "+\t**Key** :  v ",
            "-**Key:** v",
            "\u{3000}**Key:** v\u{3000}",
            "**Key:**\u{a0}value\u{a0}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every line of the examples.
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            lines.extend(text.lines().map(str::to_string));
        }
        // And scrambles of the pieces they are made of.
        let pieces = [
            "rfc", "RFC", "-", "_", "1", "42", "2026", "123456", " ", "*", "**", ":", "a", "ä",
            "\t", "+",
        ];
        let mut seed = 7u64;
        for _ in 0..5000 {
            let mut l = String::new();
            for _ in 0..(seed % 9) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                l.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            lines.push(l);
        }
        for line in &lines {
            assert_eq!(rfc_refs(line), oracle_refs(line), "references in {line:?}");
        }
    }

    #[test]
    fn typing_on_a_list_item_keeps_the_facts_of_the_lines_below() {
        // A pasted list right above a paragraph line (a lazy continuation): typing at the
        // end of the last item made every keystroke read the whole file again (7 ms at
        // 50,000 lines). What the line below is hangs only on the item's shape.
        let text = "# RFC-042: X\n\nThe cache keys and\n\n- a pasted item\n- the last one\nthe invalidation path.\n\n    indented\n";
        let facts = scan_text(Some(Path::new("/w/rfcs/rfc-042-x.md")), text);
        let item = "- the last one\n";
        assert!(edit_keeps_facts(&facts, 5, item, "- the last one é\n"));
        // Emptied, or made an item no longer, it changes what follows: read again.
        assert!(!edit_keeps_facts(&facts, 5, item, "\n"));
        assert!(!edit_keeps_facts(&facts, 5, item, "the last one\n"));
        // The blank line above indented text: typing there makes the code a paragraph's.
        assert!(!edit_keeps_facts(&facts, 7, "\n", "x\n"));
    }

    #[test]
    fn plain_lines_are_those_whose_edits_cannot_change_the_facts() {
        for plain in [
            "Some prose.",
            "- a list item",
            "> quoted",
            "| a | table |",
            "",
        ] {
            assert!(is_plain_line(plain), "{plain:?}");
        }
        for special in [
            "## Heading",
            "```sh",
            "<!-- note",
            "a --> b",
            "- **Status**: Draft",
            "see RFC-042",
            "[a](b.md)",
            "[x]: b.md",
            "a `code` span",
            "=",
            "-",
            "===  ",
            "text <a name=\"x\"></a> more",
            "<span id = 'y'>",
        ] {
            assert!(!is_plain_line(special), "{special:?}");
        }
    }

    const RFC: &str = "---\nid: \"rfc-042\"\nslug: rfc-042-cache\ntitle: \"RFC-042: Cache\"\nstatus: Superseded\nsuperseded_by: rfc-050\ndoc_uuid: 3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35\ntags: [b, a]\n---\n\n# RFC-042: Cache\n\n## Summary\n\nWe cache responses. Then more.\n\n## Motivation\n\nSee RFC-028 and [the outbox](../rfcs/rfc-028-outbox.md#design), not `RFC-999`.\n\n```\nRFC-998 in code\n```\n\n<!--\nRFC-997 in a comment\n-->\n- **Related RFCs**: rfc-012, [x](#motivation)\n";

    #[test]
    fn setext_headings_have_anchors_and_only_at_the_top_level() {
        let anchors = |text: &str| -> Vec<(String, u32)> { scan_text(None, text).anchors };
        let text = "Cache Layer\n===========\n\nIntro.\n\nTwo line\nheading\n---\n\n## Next\ntext under\n----\n";
        let f = scan_text(None, text);
        let names: Vec<(&str, u32)> = f.anchors.iter().map(|(a, l)| (a.as_str(), *l)).collect();
        assert_eq!(
            names,
            [
                ("cache-layer", 0),
                ("two-line-heading", 5),
                ("next", 9),
                ("text-under", 10)
            ]
        );
        let title = f.title.expect("the setext title");
        assert_eq!(title.value, "Cache Layer");
        assert_eq!((title.span.line, title.span.range), (0, 0..11));
        assert!(
            f.prose_lines
                .iter()
                .any(|r| r.contains(&5) && r.contains(&7))
        );
        // Not headings: a thematic break after a blank line, lists, quotes, code, HTML.
        for text in [
            "text\n\n---\n",
            "- item\n---\n",
            "- item\nlazy\n---\n",
            "> quote\n===\n",
            "```\ncode\n---\n```\n",
            "    indented code\n---\n",
            "<div>\nhtml\n---\n",
            "===\n",
        ] {
            assert_eq!(anchors(text), [], "{text:?}");
        }
        // The line above an underline-shaped line is prose: typing there makes a heading.
        let f = scan_text(None, "a\n\n---\n");
        assert!(
            f.prose_lines.iter().any(|r| r.contains(&1)),
            "{:?}",
            f.prose_lines
        );
        // So are the line above a setext heading (text there joins its name) and the
        // blank line that ends an HTML block (text there swallows the heading after it).
        let f = scan_text(None, "a\n\nb\n---\n");
        assert!(
            f.prose_lines.iter().any(|r| r.contains(&1)),
            "{:?}",
            f.prose_lines
        );
        let f = scan_text(None, "<div>\nx\n\n## H\n");
        assert_eq!(f.anchors, [("h".to_string(), 3)]);
        assert!(
            f.prose_lines.iter().any(|r| r.contains(&2)),
            "{:?}",
            f.prose_lines
        );
    }

    #[test]
    fn reads_identity_status_summary_and_anchors() {
        let f = scan_text(Some(Path::new("/w/rfcs/rfc-042-cache.md")), RFC);
        assert_eq!(f.number, Some(RfcNumber::plain(42)));
        assert!(f.is_rfc);
        assert_eq!(f.id.as_ref().unwrap().value, "rfc-042");
        assert_eq!(f.id.as_ref().unwrap().span.line, 1);
        assert_eq!(f.title.as_ref().unwrap().value, "RFC-042: Cache");
        assert_eq!(f.title.as_ref().unwrap().span.line, 10);
        assert_eq!(f.status.as_ref().unwrap().value, "Superseded");
        assert_eq!(f.successor.as_ref().unwrap().value, "rfc-050");
        assert_eq!(f.tags, ["a", "b"]);
        assert_eq!(f.summary.as_deref(), Some("We cache responses."));
        let anchors: Vec<&str> = f.anchors.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(anchors, ["rfc-042-cache", "summary", "motivation"]);
    }

    #[test]
    fn a_summary_is_never_read_from_a_setext_headings_name() {
        let summary = |text: &str| scan_text(None, text).summary;
        // The paragraph over `---` names a heading: the Summary section has no prose.
        assert_eq!(
            summary("# T\n\n## Summary\n\nNot prose. At all\n---\n"),
            None
        );
        assert_eq!(
            summary("# T\n\n## Summary\n\nNot prose\n===\n\nLater.\n"),
            None
        );
        // A paragraph under the Summary heading, then a heading of its own.
        assert_eq!(
            summary("# T\n\n## Summary\n\nIt is this. More\n\nNext\n---\n").as_deref(),
            Some("It is this.")
        );
        // `---` after a blank line is a thematic break, not an underline.
        assert_eq!(
            summary("# T\n\n## Summary\n\nIt is this\n\n---\n").as_deref(),
            Some("It is this")
        );
    }

    #[test]
    fn finds_references_outside_code_and_identity_lines() {
        let f = scan_text(Some(Path::new("/w/rfcs/rfc-042-cache.md")), RFC);
        let targets: Vec<&Target> = f.references.iter().map(|r| &r.target).collect();
        assert_eq!(
            targets,
            [
                &Target::Rfc(RfcNumber::plain(50)),
                &Target::Rfc(RfcNumber::plain(28)),
                &Target::Link {
                    path: "../rfcs/rfc-028-outbox.md".into(),
                    anchor: Some("design".into())
                },
                &Target::Rfc(RfcNumber::plain(12)),
                &Target::Link {
                    path: "".into(),
                    anchor: Some("motivation".into())
                },
            ]
        );
        let r = &f.references[1];
        assert_eq!(&RFC[r.span.range.clone()], "RFC-028");
        assert_eq!(r.span.line, 18);
        assert_eq!(r.span.start, [4, 4, 4]);
    }

    #[test]
    fn a_reference_links_label_is_no_rfc_reference() {
        let text = "# RFC-042: X\n\nPer [the IETF spec][rfc6585] and RFC-012.\n\n[rfc6585]: https://www.rfc-editor.org/rfc/rfc6585\n";
        let f = scan_text(Some(Path::new("/w/rfcs/rfc-042-x.md")), text);
        let targets: Vec<&Target> = f.references.iter().map(|r| &r.target).collect();
        assert_eq!(targets, [&Target::Rfc(RfcNumber::plain(12))]);
    }

    #[test]
    fn a_number_in_a_links_text_is_marked() {
        // The link is checked for leading somewhere: if rfc-031 is gone, that is one
        // finding, not two. The number stays a reference for navigation and rename.
        let text = "# RFC-042: X\n\n- [RFC-031: Retries](rfc-031-retries.md) and [RFC-2119 [x]](https://e.org) but RFC-007 [here](#top).\n";
        let f = scan_text(Some(Path::new("/w/rfcs/rfc-042-x.md")), text);
        let refs: Vec<(&str, bool)> = f
            .references
            .iter()
            .map(|r| (&text[r.span.range.clone()], r.in_link_text))
            .collect();
        assert_eq!(
            refs,
            [
                ("RFC-031", true),
                ("rfc-031-retries.md", false),
                ("RFC-2119", true),
                ("RFC-007", false),
                ("#top", false),
            ]
        );
    }

    #[test]
    fn columns_in_every_encoding() {
        let f = scan_text(None, "# T\n\nÉté 😀 voir RFC-7.\n");
        let r = &f.references[0];
        assert_eq!(r.target, Target::Rfc(RfcNumber::plain(7)));
        assert_eq!(r.span.line, 2);
        // "Été 😀 voir ": 5 + 1 + 4 + 1 + 5 bytes, 3 + 1 + 2 + 1 + 5 UTF-16 units.
        assert_eq!(r.span.start, [16, 12, 11]);
        assert_eq!(r.span.end, [21, 17, 16]);
    }

    #[test]
    fn bold_metadata_and_file_numbers() {
        let f = scan_text(
            Some(Path::new("/w/docs/rfc-0007-x.md")),
            "# RFC: Thing\n\n**RFC Number**: 12\n**Status**: Draft\n**Superseded By**: RFC-20\n",
        );
        assert_eq!(f.number, Some(RfcNumber::plain(12)));
        assert_eq!(f.status.as_ref().unwrap().value, "Draft");
        assert_eq!(f.successor.as_ref().unwrap().value, "RFC-20");
        assert_eq!(f.references.len(), 1, "the successor line is a reference");
        let plain = scan_text(Some(Path::new("/w/notes/readme.md")), "# Notes\n");
        assert!(!plain.is_rfc);
        assert_eq!(plain.number, None);
    }

    #[test]
    fn links_resolve_against_the_index() {
        let mut index = Index::default();
        let a = PathBuf::from("/w/rfcs/rfc-028-outbox.md");
        index.insert(
            a.clone(),
            Arc::new(scan_text(Some(&a), "# RFC-028: Outbox\n\n## Design\n")),
        );
        let from = Path::new("/w/docs/rfc-042-cache.md");
        assert_eq!(
            index.target(
                from,
                &Target::Link {
                    path: "../rfcs/rfc-028-outbox".into(),
                    anchor: Some("design".into())
                }
            ),
            Some((a.clone(), 2))
        );
        assert_eq!(
            index.target(from, &Target::Rfc(RfcNumber::plain(28))),
            Some((a, 0))
        );
        assert_eq!(index.target(from, &Target::Rfc(RfcNumber::plain(29))), None);
        assert!(
            index
                .target(
                    from,
                    &Target::Link {
                        path: "../rfcs/rfc-028-outbox.md".into(),
                        anchor: Some("nope".into())
                    }
                )
                .is_none()
        );
    }
}
