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
    /// The first placeholder mark in the body outside code and HTML blocks, relative to
    /// the chunk's start.
    placeholder: Option<Range<usize>>,
}

/// Template sections each heading of a chunk can stand for, for one template.
type CandidateLists = Arc<[Box<[usize]>]>;

struct ChunkFacts {
    headings: Vec<HeadingFacts>,
    /// Per template (held weakly: a reloaded configuration brings new ones).
    candidates: Mutex<Vec<(Weak<Template>, CandidateLists)>>,
}

/// The facts of every heading of a snapshot.
pub struct Facts {
    chunks: Vec<(usize, Arc<ChunkFacts>)>,
    /// Per heading of the outline: (chunk, index within the chunk).
    index: Vec<(u32, u32)>,
}

impl Facts {
    pub fn of(snapshot: &Snapshot) -> Facts {
        let outline = &snapshot.outline;
        let mut chunks = Vec::with_capacity(outline.chunks.len());
        let mut index = Vec::with_capacity(outline.headings.len());
        for (k, chunk) in outline.chunks.iter().enumerate() {
            let facts = chunk.blocks.memo.get_or_make(
                |_: &ChunkFacts| true,
                || ChunkFacts {
                    headings: derive(snapshot, chunk.start, chunk.len, &chunk.blocks),
                    candidates: Mutex::new(Vec::new()),
                },
            );
            index.extend((0..facts.headings.len()).map(|l| (k as u32, l as u32)));
            chunks.push((chunk.start, facts));
        }
        debug_assert_eq!(index.len(), outline.headings.len());
        Facts { chunks, index }
    }

    pub fn heading(&self, i: usize) -> &HeadingFacts {
        let (k, l) = self.index[i];
        &self.chunks[k as usize].1.headings[l as usize]
    }

    /// The first placeholder in heading `i`'s body, absolute.
    pub fn placeholder(&self, i: usize) -> Option<Range<usize>> {
        let (k, l) = self.index[i];
        let (start, facts) = &self.chunks[k as usize];
        let r = facts.headings[l as usize].placeholder.as_ref()?;
        Some(start + r.start..start + r.end)
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

/// [`Facts::candidates`] for one template.
pub struct Candidates<'f> {
    facts: &'f Facts,
    lists: Vec<CandidateLists>,
}

impl Candidates<'_> {
    /// The template sections heading `i` can stand for, in template order.
    pub fn of(&self, i: usize) -> &[usize] {
        let (k, l) = self.facts.index[i];
        &self.lists[k as usize][l as usize]
    }
}

fn derive(snapshot: &Snapshot, start: usize, len: usize, blocks: &Blocks) -> Vec<HeadingFacts> {
    let rope = &snapshot.rope;
    let headings = &blocks.headings;
    headings
        .iter()
        .enumerate()
        .map(|(l, h)| {
            let end = headings.get(l + 1).map_or(len, |n| n.range.start);
            let body = h.range.end.min(end)..end;
            let text: std::borrow::Cow<str> =
                rope.byte_slice(start + body.start..start + body.end).into();
            HeadingFacts {
                normalized: normalize(&h.name),
                empty: is_empty(&text),
                placeholder: placeholder::all(&text)
                    .map(|r| body.start + r.start..body.start + r.end)
                    .find(|r| !blocks.in_code_or_html(r.start)),
            }
        })
        .collect()
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
