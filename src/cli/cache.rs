//! The results cache of `rfc-lsp check`: per file, the findings keyed by a hash of
//! everything they depend on (the file's path and bytes, the configuration's files, the
//! `--template`), so an unchanged tree re-checks without parsing anything.
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

use serde_json::{Value, json};

use crate::analysis::diagnostics::{RULES, Severity};

/// A file's cached outcome: the template it follows (None: not an RFC) and its findings
/// as byte ranges.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub template: Option<String>,
    pub findings: Vec<(Range<usize>, Severity, &'static str, String)>,
}

pub struct Cache {
    path: PathBuf,
    /// Identifies the binary and the configuration: entries under another are dropped.
    stamp: String,
    old: HashMap<u64, Entry>,
    new: std::sync::Mutex<HashMap<u64, Entry>>,
}

impl Cache {
    /// The cache of workspace `root` in `dir` (default: the user's cache folder), for the
    /// configuration read from `inputs` and the given `--template`.
    pub fn open(
        dir: Option<&Path>,
        root: &Path,
        inputs: &[PathBuf],
        template: Option<&str>,
    ) -> Option<Cache> {
        let dir = match dir {
            Some(d) => d.to_path_buf(),
            None => default_dir()?,
        };
        let mut h = DefaultHasher::new();
        root.hash(&mut h);
        let path = dir.join(format!("check-{:016x}.json", h.finish()));
        let stamp = stamp(inputs, template);
        let old = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
            .filter(|v| v["stamp"] == stamp.as_str())
            .map(|v| entries(&v["files"]))
            .unwrap_or_default();
        Some(Cache {
            path,
            stamp,
            old,
            new: std::sync::Mutex::new(HashMap::new()),
        })
    }

    /// The key of one file: its path and bytes.
    pub fn key(path: &Path, bytes: &[u8]) -> u64 {
        let mut h = DefaultHasher::new();
        path.hash(&mut h);
        bytes.hash(&mut h);
        h.finish()
    }

    /// The cached entry for `key`, kept for the next run.
    pub fn get(&self, key: u64) -> Option<Entry> {
        let entry = self.old.get(&key)?.clone();
        self.put(key, entry.clone());
        Some(entry)
    }

    pub fn put(&self, key: u64, entry: Entry) {
        if let Ok(mut new) = self.new.lock() {
            new.insert(key, entry);
        }
    }

    /// Writes the entries of this run (only the files it saw), replacing the file whole.
    pub fn save(self) {
        let new = self.new.into_inner().unwrap_or_default();
        if new.len() == self.old.len() && new.iter().all(|(k, e)| self.old.get(k) == Some(e)) {
            return; // nothing changed
        }
        let files: serde_json::Map<String, Value> = new
            .into_iter()
            .map(|(k, e)| {
                let findings: Vec<Value> = e
                    .findings
                    .into_iter()
                    .map(|(r, s, c, m)| json!([r.start, r.end, s.name(), c, m]))
                    .collect();
                (
                    format!("{k:016x}"),
                    json!({ "template": e.template, "findings": findings }),
                )
            })
            .collect();
        let value = json!({ "stamp": self.stamp, "files": files });
        let written = self
            .path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                let tmp = self
                    .path
                    .with_extension(format!("tmp{}", std::process::id()));
                std::fs::write(&tmp, value.to_string())?;
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

fn entries(files: &Value) -> HashMap<u64, Entry> {
    let Some(files) = files.as_object() else {
        return HashMap::new();
    };
    files
        .iter()
        .filter_map(|(k, v)| {
            let key = u64::from_str_radix(k, 16).ok()?;
            let template = v["template"].as_str().map(str::to_string);
            let findings = v["findings"]
                .as_array()?
                .iter()
                .map(|f| {
                    let name = f[3].as_str()?;
                    let code = RULES.iter().find(|r| r.0 == name)?.0;
                    Some((
                        f[0].as_u64()? as usize..f[1].as_u64()? as usize,
                        Severity::parse(f[2].as_str()?)??,
                        code,
                        f[4].as_str()?.to_string(),
                    ))
                })
                .collect::<Option<Vec<_>>>()?;
            Some((key, Entry { template, findings }))
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
        };
        let cache = Cache::open(Some(&dir), root, &[], None).expect("a cache");
        assert_eq!(cache.get(7), None);
        cache.put(7, entry.clone());
        cache.save();
        let cache = Cache::open(Some(&dir), root, &[], None).expect("a cache");
        assert_eq!(cache.get(7), Some(entry));
        // Another --template: another stamp, nothing reused.
        let other = Cache::open(Some(&dir), root, &[], Some("guided")).expect("a cache");
        assert_eq!(other.get(7), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
