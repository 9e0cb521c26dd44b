//! What the rules read about each section, derived once per chunk parse.
//!
//! A keystroke reparses one chunk; every other chunk keeps its [`Blocks`] and with them
//! the facts kept in their [`Memo`](crate::syntax::outline::Memo): each heading's
//! normalised name, whether its body is empty, its first placeholder, and (per template)
//! the template sections it can stand for. The diagnostics of a 50,000-line document then
//! cost one chunk's scan plus a walk over the section list, not a scan of the whole text.
//!
//! A section's body runs from its heading to the next heading, and a chunk always starts
//! at a heading (see [`crate::syntax::chunks`]), so every body lies within one chunk.

use std::ops::Range;
use std::sync::{Arc, Mutex, Weak};

use super::Snapshot;
use super::diagnostics::placeholder;
use crate::syntax::outline::Blocks;
use crate::template::{Template, normalize};

/// The facts of one heading and its body.
#[derive(Debug)]
pub struct HeadingFacts {
    /// The heading's name passed through [`normalize`].
    pub normalized: String,
    /// The body holds nothing but whitespace and HTML comments.
    pub empty: bool,
    /// The first placeholder marks in the body outside code and HTML blocks (a few: a
    /// bare `[label]` with a definition elsewhere is a link), relative to the chunk's
    /// start, each with its label when it is a bare `[label]`.
    placeholders: Vec<(Range<usize>, Option<String>)>,
}

/// At most this many placeholder marks are kept per heading: the first one that is not a
/// link is reported, and a section rarely has more than a few shortcut links before it.
const MARKS_KEPT: usize = 8;

/// Template sections each heading of a chunk can stand for, for one template.
type CandidateLists = Arc<[Box<[usize]>]>;

struct ChunkFacts {
    headings: Vec<HeadingFacts>,
    /// The labels of the chunk's link reference definitions.
    definitions: Vec<String>,
    /// Fenced code blocks whose own closing fence was lost (see [`swallows`]), relative
    /// to the chunk's start.
    swallowing: Vec<Range<usize>>,
    /// Per template (held weakly: a reloaded configuration brings new ones).
    candidates: Mutex<Vec<(Weak<Template>, CandidateLists)>>,
    /// Per template: each heading's first line of the template's guidance, if any.
    guidance: Mutex<Vec<(Weak<Template>, GuidanceHits)>>,
}

/// Per heading of a chunk: the first line in its body that is the template's guidance.
type GuidanceHits = Arc<[Option<Range<usize>>]>;

/// The facts of every heading of a snapshot.
pub struct SectionFacts {
    chunks: Vec<(usize, Arc<ChunkFacts>)>,
    /// Per heading of the outline: (chunk, index within the chunk).
    index: Vec<(u32, u32)>,
}

impl SectionFacts {
    pub fn of(snapshot: &Snapshot) -> SectionFacts {
        let outline = &snapshot.outline;
        let mut chunks = Vec::with_capacity(outline.chunks.len());
        let mut index = Vec::with_capacity(outline.headings.len());
        for (k, chunk) in outline.chunks.iter().enumerate() {
            let facts: Arc<ChunkFacts> = chunk
                .blocks
                .memo
                .get_or_make(|| derive(snapshot, chunk.start, chunk.len, &chunk.blocks));
            index.extend((0..facts.headings.len()).map(|l| (k as u32, l as u32)));
            chunks.push((chunk.start, facts));
        }
        debug_assert_eq!(index.len(), outline.headings.len());
        SectionFacts { chunks, index }
    }

    /// Whether the document defines the link label `label` (folded, see
    /// [`placeholder::label_key`]). Asked only of a bare `[label]`, so rarely.
    fn defines(&self, label: &str) -> bool {
        self.chunks
            .iter()
            .any(|(_, f)| f.definitions.iter().any(|d| d == label))
    }

    /// The fenced code blocks that end at a later block's closing fence, absolute.
    pub fn swallowing_fences(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.chunks.iter().flat_map(|(start, f)| {
            f.swallowing
                .iter()
                .map(move |r| start + r.start..start + r.end)
        })
    }

    pub fn heading(&self, i: usize) -> &HeadingFacts {
        let (k, l) = self.index[i];
        &self.chunks[k as usize].1.headings[l as usize]
    }

    /// The first placeholder in heading `i`'s body, absolute.
    pub fn placeholder(&self, i: usize) -> Option<Range<usize>> {
        let (k, l) = self.index[i];
        let (start, facts) = &self.chunks[k as usize];
        let (r, _) = facts.headings[l as usize]
            .placeholders
            .iter()
            .find(|(_, label)| label.as_ref().is_none_or(|l| !self.defines(l)))?;
        Some(start + r.start..start + r.end)
    }

    /// Per heading, the first line of its body (outside code and HTML) that is a line or
    /// sentence of `template`'s guidance: computed once per chunk and template.
    pub fn guidance(&self, template: &Arc<Template>, snapshot: &Snapshot) -> Guidance<'_> {
        let lists = self
            .chunks
            .iter()
            .enumerate()
            .map(|(k, (start, facts))| {
                if template.guidance.is_empty() {
                    return None;
                }
                let mut kept = facts.guidance.lock().unwrap_or_else(|p| p.into_inner());
                kept.retain(|(t, _)| t.strong_count() > 0);
                if let Some((_, hits)) = kept
                    .iter()
                    .find(|(t, _)| std::ptr::eq(t.as_ptr(), Arc::as_ptr(template)))
                {
                    return Some(hits.clone());
                }
                let chunk = snapshot
                    .outline
                    .chunks
                    .get(k)
                    .filter(|c| c.start == *start)?;
                let hits: GuidanceHits =
                    guidance_hits(snapshot, chunk.start, chunk.len, &chunk.blocks, template).into();
                kept.push((Arc::downgrade(template), hits.clone()));
                Some(hits)
            })
            .collect();
        Guidance { facts: self, lists }
    }

    /// The template sections each heading can stand for.
    pub fn candidates(&self, template: &Arc<Template>) -> Candidates<'_> {
        let lists = self
            .chunks
            .iter()
            .map(|(_, facts)| {
                let mut kept = facts.candidates.lock().unwrap_or_else(|p| p.into_inner());
                kept.retain(|(t, _)| t.strong_count() > 0);
                if let Some((_, lists)) = kept
                    .iter()
                    .find(|(t, _)| std::ptr::eq(t.as_ptr(), Arc::as_ptr(template)))
                {
                    return lists.clone();
                }
                let lists: CandidateLists = facts
                    .headings
                    .iter()
                    .map(|h| template.candidates(&h.normalized).collect())
                    .collect();
                kept.push((Arc::downgrade(template), lists.clone()));
                lists
            })
            .collect();
        Candidates { facts: self, lists }
    }
}

/// [`SectionFacts::guidance`] for one template.
pub struct Guidance<'f> {
    facts: &'f SectionFacts,
    lists: Vec<Option<GuidanceHits>>,
}

impl Guidance<'_> {
    /// The first guidance line in heading `i`'s body, absolute.
    pub fn of(&self, i: usize) -> Option<Range<usize>> {
        let (k, l) = self.facts.index[i];
        let start = self.facts.chunks[k as usize].0;
        let r = self.lists[k as usize].as_ref()?.get(l as usize)?.as_ref()?;
        Some(start + r.start..start + r.end)
    }
}

/// [`SectionFacts::candidates`] for one template.
pub struct Candidates<'f> {
    facts: &'f SectionFacts,
    lists: Vec<CandidateLists>,
}

impl Candidates<'_> {
    /// The template sections heading `i` can stand for, in template order.
    pub fn of(&self, i: usize) -> &[usize] {
        let (k, l) = self.facts.index[i];
        &self.lists[k as usize][l as usize]
    }

    /// Heading `i`'s text as headings are compared ([`crate::template::normalize`]).
    pub fn normalized(&self, i: usize) -> &str {
        &self.facts.heading(i).normalized
    }
}

fn derive(snapshot: &Snapshot, start: usize, len: usize, blocks: &Blocks) -> ChunkFacts {
    let rope = &snapshot.rope;
    let headings = &blocks.headings;
    let mut definitions = Vec::new();
    let facts = headings
        .iter()
        .enumerate()
        .map(|(l, h)| {
            let end = headings.get(l + 1).map_or(len, |n| n.range.start);
            let body = h.range.end.min(end)..end;
            let text: std::borrow::Cow<str> =
                rope.byte_slice(start + body.start..start + body.end).into();
            if text.contains("]:") {
                definitions.extend(placeholder::definitions(&text));
            }
            HeadingFacts {
                normalized: normalize(&h.name),
                empty: is_empty(&text),
                placeholders: placeholder::marks(&text)
                    .map(|m| (body.start + m.range.start..body.start + m.range.end, m))
                    .filter(|(r, _)| !blocks.in_code_or_html(r.start))
                    .map(|(r, m)| {
                        let label = m.shortcut.then(|| placeholder::label_key(&text[m.range]));
                        (r, label)
                    })
                    .take(MARKS_KEPT)
                    .collect(),
            }
        })
        .collect();
    let swallowing = blocks
        .code_blocks
        .iter()
        .filter(|c| c.fenced)
        .filter(|c| {
            let text: std::borrow::Cow<str> = rope
                .byte_slice(start + c.range.start..start + c.range.end)
                .into();
            swallows(&text)
        })
        .map(|c| c.range.clone())
        .collect();
    ChunkFacts {
        headings: facts,
        definitions,
        swallowing,
        candidates: Mutex::new(Vec::new()),
        guidance: Mutex::new(Vec::new()),
    }
}

/// Whether a fenced code block holds what only prose has: an ATX heading and an opening
/// fence with an info string (```` ```json ````). Its own closing fence was lost, and the
/// next block's closing fence closed it.
fn swallows(block: &str) -> bool {
    let mut lines = block.lines();
    let Some(first) = lines.next().map(str::trim_start) else {
        return false;
    };
    let Some(ch) = first.chars().next().filter(|c| matches!(c, '`' | '~')) else {
        return false;
    };
    let n = first.chars().take_while(|&c| c == ch).count();
    let (mut heading, mut opener) = (false, false);
    for l in lines {
        let hashes = l.bytes().take_while(|&b| b == b'#').count();
        heading |= (1..=6).contains(&hashes) && l[hashes..].starts_with(' ');
        let t = l.trim_start();
        let run = t.chars().take_while(|&c| c == ch).count();
        opener |= l.len() - t.len() <= 3
            && run >= n
            && t[run * ch.len_utf8()..]
                .trim()
                .starts_with(|c: char| c.is_ascii_alphabetic());
    }
    heading && opener
}

/// Per heading of a chunk, the first body line (relative to the chunk) that the template's
/// guidance holds.
fn guidance_hits(
    snapshot: &Snapshot,
    start: usize,
    len: usize,
    blocks: &Blocks,
    template: &Template,
) -> Vec<Option<Range<usize>>> {
    let headings = &blocks.headings;
    headings
        .iter()
        .enumerate()
        .map(|(l, h)| {
            let end = headings.get(l + 1).map_or(len, |n| n.range.start);
            let body = h.range.end.min(end)..end;
            let text: std::borrow::Cow<str> = snapshot
                .rope
                .byte_slice(start + body.start..start + body.end)
                .into();
            let mut at = body.start;
            let mut unticked: Option<usize> = None;
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let is_guidance = |line: &str| {
                crate::template::guidance_keys(line)
                    .iter()
                    .any(|k| template.guidance.contains(k))
            };
            for (n, line) in lines.iter().enumerate() {
                let here = at;
                at += line.len();
                let content = line.trim_end();
                let lead = content.len() - content.trim_start().len();
                if content.trim().is_empty() || blocks.in_code_or_html(here + lead) {
                    continue;
                }
                // The options under an unticked box (`- [ ] Other`) are the template's,
                // left as offered: the writer ticked another.
                let t = content.trim_start();
                if ["- [ ]", "* [ ]", "+ [ ]"].iter().any(|b| t.starts_with(b)) {
                    unticked = Some(lead);
                    continue;
                }
                match unticked {
                    Some(box_lead) if lead > box_lead => continue,
                    _ => unticked = None,
                }
                if is_guidance(content) && !answered(&lines, n, template, &is_guidance) {
                    return Some(here + lead..here + content.len());
                }
            }
            None
        })
        .collect()
}

/// Whether the guidance line `n` of a section's `lines` is a prompt the writer kept and
/// answered: the answers nested under it (`* Who will maintain it?` then `  * The X
/// team.`), or a question of the template followed by the writer's own text (the Q&A
/// form). A question quoted as the template quotes its notes (`> Why are we doing this?`)
/// is the note left in, unless set in italics (`> *Why are we doing this?*`).
fn answered(
    lines: &[&str],
    n: usize,
    template: &Template,
    is_guidance: &dyn Fn(&str) -> bool,
) -> bool {
    let item_start = |l: &str| {
        let t = l.trim_start();
        t.starts_with(['-', '*', '+']) && t[1..].starts_with([' ', '\t'])
    };
    let blank = |l: &str| l.trim().is_empty();
    // The paragraph (or list item) the line is in.
    let mut first = n;
    while first > 0 && !blank(lines[first - 1]) && !item_start(lines[first]) {
        first -= 1;
    }
    let mut last = n;
    while last + 1 < lines.len() && !blank(lines[last + 1]) && !item_start(lines[last + 1]) {
        last += 1;
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let lead = indent(lines[first]);
    let mut rest = lines[last + 1..].iter().filter(|l| !blank(l));
    if rest.next().is_some_and(|next| indent(next) > lead) {
        return true; // answers nested under the prompt
    }
    let question = lines[first..=last].iter().any(|l| l.contains('?'));
    // A question quoted as the template quotes its notes is that note left in (`> Why
    // are we doing this?`), unless the writer set it in italics to keep it as a prompt.
    let opening = lines[first].trim_start();
    let quoted = template.guidance_quoted
        && opening.starts_with('>')
        && !opening
            .trim_start_matches(['>', ' '])
            .starts_with(['*', '_']);
    // The writer's own text after it, unless that is the next item of the same list: a
    // prompt left at the top of the answers (`- Why is this needed?` then `- Lost
    // labels ...`) is the template's line left in.
    // The answer is set apart from the prompt, as Q&A is written: a list under a question,
    // a paragraph under a question item or quote; a paragraph under a paragraph is the
    // template's prompt left above the writer's text.
    let kind = |l: &str| {
        let t = l.trim_start();
        if t.starts_with('>') {
            0
        } else if item_start(l) {
            1
        } else {
            2
        }
    };
    let answer = (lines[n + 1..].iter()).find(|l| !blank(l) && !is_guidance(l.trim_end()));
    let apart = |a: &&str| kind(lines[first]) != kind(a) || kind(a) == 1 && indent(a) != lead;
    question && !quoted && answer.is_some_and(apart)
}

/// Nothing but whitespace and HTML comments.
fn is_empty(text: &str) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = &after[end + 3..],
                None => return true,
            }
        } else {
            return rest.is_empty();
        }
    }
}
