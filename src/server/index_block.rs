//! `index-stale` in the editor: an open document with a marked RFC index
//! (`<!-- rfc-index:start -->`) gets the finding `check` gives it, and the quick fix that
//! rewrites the table. The RFCs open in the editor count as their buffers say; the others
//! as their files do (their rows kept in a [`RowCache`] until the file changes).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dashmap::DashMap;
use tower_lsp_server::ls_types::Uri;

use super::navigation::{self, SharedIndex};
use crate::analysis::Snapshot;
use crate::syntax::Document;
use crate::workspace::Settings;
use crate::workspace::rfc_index::{self, Row, RowCache, START_OPEN, Stale};

/// What a document with a marked index needs beyond itself: the rows of closed RFCs and
/// the text of the open ones.
pub(super) struct IndexDocs {
    pub rows: Arc<RowCache>,
    pub open: Vec<(PathBuf, String)>,
}

/// Where the rows of a marked index come from (the open documents, the rows of closed
/// files), and which open documents hold one.
#[derive(Clone)]
pub(super) struct IndexSources {
    pub documents: Arc<DashMap<Uri, Document>>,
    pub rows: Arc<RowCache>,
    pub marked: Arc<DashMap<Uri, ()>>,
}

impl IndexSources {
    /// Notes whether the open document `uri` holds a marked index (its facts say so).
    pub fn note(&self, uri: &Uri, marked: bool) {
        if marked {
            self.marked.insert(uri.clone(), ());
        } else {
            self.marked.remove(uri);
        }
    }

    /// What a marked index reads: the text of every open document but `except`.
    pub fn docs(&self, except: Option<&Uri>) -> IndexDocs {
        let open = (self.documents.iter())
            .filter(|d| Some(d.key()) != except)
            .filter_map(|d| Some((navigation::path_of(d.key())?, d.snapshot())))
            .map(|(p, s)| (p, s.slice(0..s.rope.len_bytes()).into_owned()))
            .collect();
        IndexDocs {
            rows: self.rows.clone(),
            open,
        }
    }
}

/// Whether the document holds a start marker, searched chunk by chunk without a copy (a
/// code action's question; diagnostics read the facts' `index_block`).
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
