//! The tags used across the workspace's RFCs, for tag completion: read once at start from
//! each Markdown file's frontmatter (a cheap line scan, no full parse), bounded in files
//! and bytes.

use std::collections::HashMap;
use std::path::Path;

use crate::syntax::yaml::{self, Node};

/// At most this many files are read, each at most this many bytes.
const MAX_FILES: usize = 20_000;
const MAX_BYTES: u64 = 1 << 20;

/// The tags of the workspace's files.
#[derive(Debug, Clone, Default)]
pub struct TagIndex {
    /// Tag -> number of files using it.
    pub counts: HashMap<String, usize>,
    /// File -> its tags, so an open buffer can stand in for its file.
    pub by_file: HashMap<std::path::PathBuf, Vec<String>>,
}

/// Reads the tags of every Markdown file under `root`.
pub fn scan(root: &Path) -> TagIndex {
    scan_with_progress(root, &mut |_| {})
}

/// [`scan`], calling `progress` with the number of files read so far every 500 files.
pub fn scan_with_progress(root: &Path, progress: &mut dyn FnMut(usize)) -> TagIndex {
    let mut index = TagIndex::default();
    let mut read = 0;
    let walker = ignore::WalkBuilder::new(root).follow_links(false).build();
    for entry in walker
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .take(MAX_FILES)
    {
        let path = entry.path();
        if !path
            .extension()
            .is_some_and(|e| e == "md" || e == "markdown")
        {
            continue;
        }
        let Some(text) = read_markdown(path) else {
            continue;
        };
        read += 1;
        if read % 500 == 0 {
            progress(read);
        }
        let tags = frontmatter_tags(&text);
        for tag in &tags {
            *index.counts.entry(tag.clone()).or_insert(0) += 1;
        }
        if !tags.is_empty() {
            index.by_file.insert(
                std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
                tags,
            );
        }
    }
    index
}

impl TagIndex {
    /// Re-reads one file (changed, created or deleted on disk).
    pub fn refresh(&mut self, path: &Path) {
        if let Some(old) = self.by_file.remove(path) {
            for t in old {
                if let Some(n) = self.counts.get_mut(&t) {
                    *n = n.saturating_sub(1);
                }
            }
            self.counts.retain(|_, n| *n > 0);
        }
        let Some(text) = read_markdown(path) else {
            return;
        };
        let tags = frontmatter_tags(&text);
        for tag in &tags {
            *self.counts.entry(tag.clone()).or_insert(0) += 1;
        }
        if !tags.is_empty() {
            self.by_file.insert(path.to_path_buf(), tags);
        }
    }
}

/// A Markdown file's text, or `None` (with the reason logged) for a file too large, not
/// UTF-8, or unreadable.
fn read_markdown(path: &Path) -> Option<String> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_BYTES {
        tracing::info!(path = %path.display(), size, "skipped: larger than {MAX_BYTES} bytes");
        return None;
    }
    match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => Some(text),
        Ok(Err(_)) => {
            tracing::info!(path = %path.display(), "skipped: not UTF-8");
            None
        }
        Err(e) => {
            tracing::info!(path = %path.display(), "skipped: {e}");
            None
        }
    }
}

/// The `tags` list of a text's frontmatter, if any.
pub fn frontmatter_tags(text: &str) -> Vec<String> {
    let text = text.trim_start_matches('\u{feff}');
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Vec::new();
    };
    let end = rest.find("\n---").unwrap_or(0);
    let (root, _) = yaml::parse(&rest[..end], 0);
    match root.as_ref().and_then(|r| r.get("tags")) {
        Some(Node::Seq { items, .. }) => {
            let mut tags: Vec<String> = items
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_string)
                .collect();
            tags.sort();
            tags.dedup();
            tags
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tags_of_a_frontmatter() {
        assert_eq!(
            frontmatter_tags("---\nid: x\ntags: [b, a, b]\n---\n# T\n"),
            ["a", "b"]
        );
        assert!(frontmatter_tags("# no frontmatter\ntags: [a]\n").is_empty());
    }

    #[test]
    fn a_changed_file_is_read_again() {
        let dir = std::env::temp_dir().join(format!("rfc-lsp-tags-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("rfc-001-a.md");
        std::fs::write(&file, "---\ntags: [old, shared]\n---\n").expect("written");
        std::fs::write(dir.join("rfc-002-b.md"), "---\ntags: [shared]\n---\n").expect("written");
        let mut index = scan(&dir);
        assert_eq!(index.counts.get("shared"), Some(&2));
        std::fs::write(&file, "---\ntags: [new]\n---\n").expect("written");
        index.refresh(&std::fs::canonicalize(&file).expect("exists"));
        assert_eq!(index.counts.get("old"), None);
        assert_eq!(index.counts.get("new"), Some(&1));
        assert_eq!(index.counts.get("shared"), Some(&1));
        std::fs::remove_file(&file).expect("removed");
        index.refresh(&dir.join("rfc-001-a.md"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
