//! An open document: its text (a rope), its chunked syntax tree and its outline, changed
//! together by [`Document::apply_changes`], and read through cheap immutable snapshots.

use std::sync::Arc;

use ropey::Rope;

use super::chunks::{ChunkedTree, EditStats, Limits};
use super::outline::{Memo, Outline};
use crate::text::{self, Change, Encoding};

/// A document and everything derived from its text.
#[derive(Clone)]
pub struct Document {
    rope: Rope,
    version: i32,
    tree: ChunkedTree,
    outline: Arc<Outline>,
    limits: Limits,
    /// What a higher layer derived from the document and keeps across versions, checking
    /// each time that it still holds (the server keeps its last outline answer here).
    memo: Arc<Memo>,
}

/// An immutable view of a document at one version, for the analysis layer.
#[derive(Clone)]
pub struct Snapshot {
    pub version: i32,
    pub rope: Rope,
    pub outline: Arc<Outline>,
    /// The document's [`Memo`], shared by all its versions.
    pub memo: Arc<Memo>,
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
        let tree = ChunkedTree::from_text(&rope, Some(text), limits);
        let outline = Arc::new(Outline::from_chunks(tree.chunks()));
        Document {
            rope,
            version,
            tree,
            outline,
            limits,
            memo: Arc::default(),
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
            memo: self.memo.clone(),
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
                    // A whole new text (a client syncing in full) is read as an open is.
                    self.rope = Rope::from_str(&change.text);
                    self.tree = ChunkedTree::from_text(&self.rope, Some(&change.text), self.limits);
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
        // Shared with a snapshot still in use: a copy is patched (as costly as a rebuild).
        Arc::make_mut(&mut self.outline).rejoin(self.tree.chunks());
        report
    }
}

/// What [`Document::apply_changes_safely`] did.
#[derive(Debug)]
pub enum Applied {
    /// The changes were applied incrementally.
    Incremental(ChangeReport),
    /// The incremental path panicked: the changes were applied to the text alone and the
    /// document parsed afresh. Nothing the client sent was lost.
    Rebuilt,
    /// Even a fresh parse panicked: the document is unusable and should be dropped.
    Lost,
}

impl Document {
    /// [`Document::apply_changes`], but a panic inside it (a bug in the incremental path)
    /// never loses the client's text or takes the server down.
    pub fn apply_changes_safely(
        &mut self,
        changes: Vec<Change>,
        version: i32,
        enc: Encoding,
    ) -> Applied {
        self.apply_with(changes, version, enc, |doc, changes, version, enc| {
            doc.apply_changes(changes, version, enc)
        })
    }

    fn apply_with(
        &mut self,
        changes: Vec<Change>,
        version: i32,
        enc: Encoding,
        incremental: impl FnOnce(&mut Document, Vec<Change>, i32, Encoding) -> ChangeReport,
    ) -> Applied {
        use std::panic::{AssertUnwindSafe, catch_unwind};
        let before = self.rope.clone(); // O(1): ropes share their nodes
        let limits = self.limits;
        let cloned = changes.clone();
        match catch_unwind(AssertUnwindSafe(|| incremental(self, cloned, version, enc))) {
            Ok(report) => Applied::Incremental(report),
            Err(_) => {
                tracing::error!(
                    version,
                    "applying a change panicked: parsing the document afresh"
                );
                let mut rope = before;
                for change in changes {
                    match change.range {
                        None => rope = Rope::from_str(&change.text),
                        Some(range) => {
                            let edit = text::resolve(&rope, range, change.text, enc);
                            text::apply(&mut rope, &edit);
                        }
                    }
                }
                let text = rope.to_string();
                match catch_unwind(|| Document::with_limits(&text, version, limits)) {
                    Ok(doc) => {
                        *self = doc;
                        Applied::Rebuilt
                    }
                    Err(_) => {
                        tracing::error!(version, "parsing the document panicked too");
                        Applied::Lost
                    }
                }
            }
        }
    }

    /// [`Document::new`], or `None` (logged) if parsing panics.
    pub fn new_safely(text: &str, version: i32) -> Option<Document> {
        std::panic::catch_unwind(|| Document::new(text, version))
            .map_err(|_| tracing::error!(version, "parsing a new document panicked"))
            .ok()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Pos;

    #[test]
    fn a_panic_while_applying_changes_loses_no_text() {
        let mut doc = Document::new("# Title\n\nbody\n", 1);
        let changes = vec![
            Change {
                range: Some((Pos::new(2, 4), Pos::new(2, 4))),
                text: " text".into(),
            },
            Change {
                range: Some((Pos::new(0, 2), Pos::new(0, 7))),
                text: "Name".into(),
            },
        ];
        let applied = doc.apply_with(changes, 2, Encoding::Utf16, |doc, changes, v, enc| {
            // Half the batch goes in, then a bug strikes.
            doc.apply_changes(changes.into_iter().take(1), v, enc);
            panic!("a bug in the incremental path");
        });
        assert!(matches!(applied, Applied::Rebuilt), "{applied:?}");
        assert_eq!(doc.rope().to_string(), "# Name\n\nbody text\n");
        assert_eq!(doc.version(), 2);
        assert_eq!(doc.outline().headings.len(), 1);
        assert_eq!(&*doc.outline().headings[0].name, "Name");
    }
}
