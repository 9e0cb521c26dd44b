//! `index-stale` in the editor: an open document with a marked RFC index
//! (`<!-- rfc-index:start -->`) gets the finding `check` gives it, and the quick fix that
//! rewrites the table. The RFCs open in the editor count as their buffers say; the others
//! as their files do (their rows kept in a [`RowCache`] until the file changes).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::navigation::{self, SharedIndex};
use crate::analysis::Snapshot;
use crate::workspace::Settings;
use crate::workspace::rfc_index::{self, Row, RowCache, START_OPEN, Stale};

/// What a document with a marked index needs beyond itself: the rows of closed RFCs and
/// the text of the open ones.
pub(super) struct IndexDocs {
    pub rows: Arc<RowCache>,
    pub open: Vec<(PathBuf, String)>,
}

/// Whether the document holds a start marker, searched chunk by chunk (a keystroke in a
/// document without one costs no copy of it).
pub(super) fn has_marker(snapshot: &Snapshot) -> bool {
    let needle = START_OPEN.as_bytes();
    let mut tail: Vec<u8> = Vec::new();
    for chunk in snapshot.rope.chunks() {
        let bytes = chunk.as_bytes();
        // Across the chunk boundary: the end of the last one and the start of this one.
        tail.extend_from_slice(&bytes[..bytes.len().min(needle.len())]);
        if memchr::memmem::find(&tail, needle).is_some()
            || memchr::memmem::find(bytes, needle).is_some()
        {
            return true;
        }
        tail.clear();
        tail.extend_from_slice(&bytes[bytes.len().saturating_sub(needle.len())..]);
    }
    false
}

/// The `index-stale` finding of the document at `path`, if its marked table is not what
/// `rfc-lsp index` would write there now. `None` until the workspace is read.
pub(super) fn stale(
    snapshot: &Snapshot,
    path: &Path,
    settings: &Settings,
    index: &SharedIndex,
    docs: &IndexDocs,
) -> Option<Stale> {
    let text = snapshot.slice(0..snapshot.rope.len_bytes());
    let block = rfc_index::block(&text)?;
    let index = navigation::read(index);
    if !index.ready {
        return None;
    }
    let row = |p: &Path| match docs.open.iter().find(|(o, _)| o == p) {
        Some((_, t)) => Row::read(p, t, settings),
        None => docs.rows.row(p, settings),
    };
    let table = rfc_index::table_for(&index, settings, path, &block, &row);
    let name = path.strip_prefix(&settings.root).unwrap_or(path);
    rfc_index::stale(&text, &table, &name.to_string_lossy())
}
