//! The tags used across the workspace's RFCs, for tag completion: derived from the index
//! (`Index::tags`), with each open buffer standing in for its file.

use std::collections::HashMap;

/// The tags of the workspace's files.
#[derive(Debug, Clone, Default)]
pub struct TagIndex {
    /// Tag -> number of files using it.
    pub counts: HashMap<String, usize>,
    /// File -> its tags, so an open buffer can stand in for its file.
    pub by_file: HashMap<std::path::PathBuf, Vec<String>>,
}
