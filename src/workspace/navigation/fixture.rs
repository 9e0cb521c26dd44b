//! A small workspace of in-memory documents for the navigation tests: each file's facts
//! in an [`Index`], and one of them holding a `$0` cursor.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::syntax::Document;
use crate::syntax::document::Snapshot;
use crate::workspace::index::{Facts, Index, scan_text};

pub struct Fixture {
    pub index: Index,
    /// The file with the cursor, its text (without `$0`), the cursor's byte and its facts.
    pub path: PathBuf,
    pub text: String,
    pub offset: usize,
    pub facts: Facts,
    /// Every file's text, as a rename reads it.
    pub texts: HashMap<PathBuf, String>,
}

impl Fixture {
    /// The text of a file of the workspace.
    pub fn text_of(&self, path: &str) -> &str {
        &self.texts[Path::new(path)]
    }

    pub fn snapshot(&self) -> Snapshot {
        Document::new(&self.text, 0).snapshot()
    }
}

/// The workspace of `files` (absolute path, text); exactly one text holds `$0`.
pub fn workspace(files: &[(&str, &str)]) -> Fixture {
    let mut index = Index::default();
    let mut texts = HashMap::new();
    let mut cursor = None;
    for (path, text) in files {
        let path = PathBuf::from(path);
        let text = match text.find("$0") {
            Some(at) => {
                assert!(cursor.is_none(), "one $0 cursor in the workspace");
                let text = text.replacen("$0", "", 1);
                cursor = Some((path.clone(), text.clone(), at));
                text
            }
            None => text.to_string(),
        };
        index.insert(path.clone(), Arc::new(scan_text(Some(&path), &text)));
        texts.insert(path, text);
    }
    let (path, text, offset) = cursor.expect("a $0 cursor");
    Fixture {
        facts: index.files[&path].as_ref().clone(),
        index,
        path,
        text,
        offset,
        texts,
    }
}

/// The 0-based line of the first line of `text` that starts with `prefix`.
pub fn line_of(text: &str, prefix: &str) -> u32 {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("a line starting {prefix:?}")) as u32
}
