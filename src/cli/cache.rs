//! The results cache of `rfc-lsp check`: per file, the findings and the index facts
//! (what the cross-document rules read), keyed by a hash of everything they depend on (the
//! file's path and bytes, the configuration's files, the `--template`), so an unchanged
//! tree re-checks without parsing or scanning anything.
//!
//! One JSON file per workspace root in the user's cache folder
//! (`$XDG_CACHE_HOME/rfc-lsp`, else `~/.cache/rfc-lsp`). A different binary (another
//! build, even of the same version) starts a fresh cache: its rules may differ. A cache
//! that cannot be read or written is skipped with a note on stderr; it never changes
//! what `check` reports.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::analysis::diagnostics::{RULES, Severity};
use crate::workspace::index::Facts;

/// A file's cached outcome: the template it follows (None: not an RFC), its findings as
/// byte ranges, and its index facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub template: Option<String>,
    pub findings: Vec<(Range<usize>, Severity, &'static str, String)>,
    pub facts: Option<Arc<Facts>>,
}

/// The cache file.
#[derive(Serialize, Deserialize)]
struct Stored {
    stamp: String,
    files: HashMap<String, StoredEntry>,
}

#[derive(Serialize, Deserialize)]
struct StoredEntry {
    template: Option<String>,
    /// `[start, end, severity, code, message]`
    findings: Vec<(usize, usize, String, String, String)>,
    #[serde(default)]
    facts: Option<Facts>,
}

pub struct Cache {
    path: PathBuf,
    /// Identifies the binary and the configuration: entries under another are dropped.
    stamp: String,
    /// Read from the file; an entry moves to `new` when its file is seen.
    old: Mutex<HashMap<u64, Arc<Entry>>>,
    new: Mutex<HashMap<u64, Arc<Entry>>>,
    /// Some file was checked afresh: the cache file is to be written.
    fresh: AtomicBool,
}

impl Cache {
    /// The cache of workspace `root` in `dir` (default: the user's cache folder), read, its entries not yet checked against the binary and
    /// the configuration: `stamped` does that (so the file can be read while the
    /// configuration loads).
    pub fn read(dir: Option<&Path>, root: &Path) -> Option<Cache> {
        let dir = match dir {
            Some(d) => d.to_path_buf(),
            None => default_dir()?,
        };
        let mut h = DefaultHasher::new();
        root.hash(&mut h);
        let path = dir.join(format!("check-{:016x}.json", h.finish()));
        let (stamp, old) = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .map(|v| (v.stamp, entries(v.files)))
            .unwrap_or_default();
        Some(Cache {
            path,
            stamp,
            old: Mutex::new(old),
            new: Mutex::new(HashMap::new()),
            fresh: AtomicBool::new(false),
        })
    }

    /// Keeps the entries read only if they were written by this binary for this
    /// configuration (`inputs`, the `--template`).
    pub fn stamped(mut self, inputs: &[PathBuf], template: Option<&str>) -> Cache {
        let stamp = stamp(inputs, template);
        if stamp != self.stamp {
            self.old = Mutex::new(HashMap::new());
            self.stamp = stamp;
        }
        self
    }

    /// The key of one file: its path and bytes.
    pub fn key(path: &Path, bytes: &[u8]) -> u64 {
        let mut h = DefaultHasher::new();
        path.hash(&mut h);
        bytes.hash(&mut h);
        h.finish()
    }

    /// The cached entry for `key`, kept for the next run.
    pub fn get(&self, key: u64) -> Option<Arc<Entry>> {
        let entry = self.old.lock().ok()?.remove(&key)?;
        if let Ok(mut new) = self.new.lock() {
            new.insert(key, entry.clone());
        }
        Some(entry)
    }

    /// Keeps a fresh entry for `key`.
    pub fn put(&self, key: u64, entry: Arc<Entry>) {
        self.fresh.store(true, Ordering::Relaxed);
        if let Ok(mut new) = self.new.lock() {
            new.insert(key, entry);
        }
    }

    /// Writes the entries of this run (only the files it saw), replacing the file whole.
    pub fn save(self) {
        let gone = self.old.into_inner().map_or(0, |old| old.len());
        if !self.fresh.load(Ordering::Relaxed) && gone == 0 {
            return; // every entry was used, none added: the file stays as it is
        }
        let new = self.new.into_inner().unwrap_or_default();
        let files = new
            .into_iter()
            .map(|(k, e)| {
                let e = Arc::unwrap_or_clone(e);
                let findings = e
                    .findings
                    .into_iter()
                    .map(|(r, s, c, m)| (r.start, r.end, s.name().to_string(), c.to_string(), m))
                    .collect();
                let facts = e.facts.map(Arc::unwrap_or_clone);
                (
                    format!("{k:016x}"),
                    StoredEntry {
                        template: e.template,
                        findings,
                        facts,
                    },
                )
            })
            .collect();
        let stored = Stored {
            stamp: self.stamp,
            files,
        };
        let written = self
            .path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                let tmp = self
                    .path
                    .with_extension(format!("tmp{}", std::process::id()));
                let bytes = serde_json::to_vec(&stored).map_err(std::io::Error::other)?;
                std::fs::write(&tmp, bytes)?;
                std::fs::rename(&tmp, &self.path)
            });
        if let Err(e) = written {
            eprintln!(
                "note: the check cache {} was not written: {e}",
                self.path.display()
            );
        }
    }
}

fn default_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("rfc-lsp"))
}

/// The binary (its path, size and time: a rebuild invalidates) and the configuration's
/// files (their bytes), with the forced template.
fn stamp(inputs: &[PathBuf], template: Option<&str>) -> String {
    let mut h = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    if let Ok(exe) = std::env::current_exe() {
        exe.hash(&mut h);
        if let Ok(m) = std::fs::metadata(&exe) {
            m.len().hash(&mut h);
            m.modified().ok().hash(&mut h);
        }
    }
    for p in inputs {
        p.hash(&mut h);
        std::fs::read(p).ok().hash(&mut h);
    }
    template.hash(&mut h);
    format!("{:016x}", h.finish())
}

fn entries(files: HashMap<String, StoredEntry>) -> HashMap<u64, Arc<Entry>> {
    files
        .into_iter()
        .filter_map(|(k, v)| {
            let key = u64::from_str_radix(&k, 16).ok()?;
            let findings = v
                .findings
                .into_iter()
                .map(|(start, end, severity, name, message)| {
                    let code = RULES.iter().find(|r| r.0 == name)?.0;
                    Some((start..end, Severity::parse(&severity)??, code, message))
                })
                .collect::<Option<Vec<_>>>()?;
            Some((
                key,
                Arc::new(Entry {
                    template: v.template,
                    findings,
                    facts: v.facts.map(Arc::new),
                }),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_a_round_trip_and_a_new_stamp_drops_them() {
        let dir = std::env::temp_dir().join(format!("rfc-lsp-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = Path::new("/w");
        let entry = Entry {
            template: Some("docuchango".into()),
            findings: vec![(
                3..9,
                Severity::Warning,
                "status-invalid",
                "bad \"x\"".into(),
            )],
            facts: Some(Arc::new(crate::workspace::index::scan_text(
                None,
                "---\nid: rfc-042\n---\n# RFC-042: Cache\n\nSee RFC-007 and [x](rfc-009.md#a).\n",
            ))),
        };
        let cache = Cache::read(Some(&dir), root)
            .map(|c| c.stamped(&[], None))
            .expect("a cache");
        assert_eq!(cache.get(7), None);
        cache.put(7, Arc::new(entry.clone()));
        cache.save();
        let cache = Cache::read(Some(&dir), root)
            .map(|c| c.stamped(&[], None))
            .expect("a cache");
        assert_eq!(cache.get(7).as_deref(), Some(&entry));
        // Used once per run.
        assert_eq!(cache.get(7), None);
        // Another --template: another stamp, nothing reused.
        let other = Cache::read(Some(&dir), root)
            .map(|c| c.stamped(&[], Some("guided")))
            .expect("a cache");
        assert_eq!(other.get(7), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
