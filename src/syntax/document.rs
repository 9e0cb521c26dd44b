//! An open document: its text (a rope), its chunked syntax tree and its outline, changed
//! together by [`Document::apply_changes`], and read through cheap immutable snapshots.

use std::sync::Arc;

use ropey::Rope;

use super::chunks::{ChunkedTree, EditStats, Limits};
use super::outline::Outline;
use crate::text::{self, Change, Encoding};

/// A document and everything derived from its text.
#[derive(Clone)]
pub struct Document {
    rope: Rope,
    version: i32,
    tree: ChunkedTree,
    outline: Arc<Outline>,
    limits: Limits,
}

/// An immutable view of a document at one version, for the analysis layer.
#[derive(Clone)]
pub struct Snapshot {
    pub version: i32,
    pub rope: Rope,
    pub outline: Arc<Outline>,
}

/// What applying a batch of changes did, for logs and benchmarks.
#[derive(Debug, Default, Clone, Copy)]
pub struct ChangeReport {
    /// Changes whose range lay outside the text and was clamped.
    pub clamped: usize,
    pub stats: EditStats,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Document {
        Document::with_limits(text, version, Limits::default())
    }

    /// A document with other chunk sizes: tests use tiny ones to exercise the chunking.
    pub fn with_limits(text: &str, version: i32, limits: Limits) -> Document {
        let rope = Rope::from_str(text);
        let tree = ChunkedTree::with_limits(&rope, limits);
        let outline = Arc::new(Outline::from_chunks(tree.chunks()));
        Document {
            rope,
            version,
            tree,
            outline,
            limits,
        }
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn tree(&self) -> &ChunkedTree {
        &self.tree
    }

    pub fn outline(&self) -> &Arc<Outline> {
        &self.outline
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            version: self.version,
            rope: self.rope.clone(),
            outline: self.outline.clone(),
        }
    }

    /// Applies the client's changes in order, then rebuilds the outline once.
    pub fn apply_changes(
        &mut self,
        changes: impl IntoIterator<Item = Change>,
        version: i32,
        enc: Encoding,
    ) -> ChangeReport {
        let mut report = ChangeReport::default();
        for change in changes {
            match change.range {
                None => {
                    self.rope = Rope::from_str(&change.text);
                    self.tree = ChunkedTree::with_limits(&self.rope, self.limits);
                }
                Some(range) => {
                    let edit = text::resolve(&self.rope, range, change.text, enc);
                    report.clamped += usize::from(edit.clamped);
                    let stats = self.tree.apply(&mut self.rope, &edit);
                    report.stats.reparsed_bytes += stats.reparsed_bytes;
                    report.stats.merges += stats.merges;
                    report.stats.splits += stats.splits;
                }
            }
        }
        self.version = version;
        self.outline = Arc::new(Outline::from_chunks(self.tree.chunks()));
        report
    }
}

impl Snapshot {
    /// The text of a byte range.
    pub fn slice(&self, range: std::ops::Range<usize>) -> std::borrow::Cow<'_, str> {
        let range = range.start.min(self.rope.len_bytes())..range.end.min(self.rope.len_bytes());
        self.rope.byte_slice(range).into()
    }

    pub fn heading_text<'h>(&self, heading: &'h super::Heading) -> &'h str {
        &heading.name
    }
}
