//! The results cache of `rfc-lsp check`: per file, the findings and the index facts
//! (what the cross-document rules read), keyed by a hash of everything they depend on (the
//! file's path and bytes, the configuration's files, the `--template`), so an unchanged
//! tree re-checks without parsing or scanning anything.
//!
//! One file per workspace root in the user's cache folder (`$XDG_CACHE_HOME/rfc-lsp`,
//! else `~/.cache/rfc-lsp`), in JSON lines: the stamp, the findings' messages (each
//! once: files of one template share most of theirs), then one line per file. A
//! different binary (another build, even of the same version) starts a fresh cache: its
//! rules may differ. A cache that cannot be read or written is skipped with a note on
//! stderr, a line that cannot be read is a file checked afresh; neither changes what
//! `check` reports.
//!
//! One line per file lets the cache be read on every core, each taking a share of the
//! lines. Each message is stored once: for 999 RFCs, 16,983 messages hold 17 different
//! texts, and the cache is 2.0 MB.

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

/// A file's line as read.
#[derive(Deserialize)]
struct StoredEntry<'a> {
    template: Option<String>,
    /// `[start, end, severity, code, message]`, the message by its place in the list.
    #[serde(borrow)]
    findings: Vec<(usize, usize, &'a str, &'a str, usize)>,
    #[serde(default)]
    facts: Option<Facts>,
}

/// A file's line as written: [`StoredEntry`], borrowed from the entry.
#[derive(Serialize)]
struct StoringEntry<'a> {
    template: Option<&'a str>,
    findings: Vec<(usize, usize, &'a str, &'a str, usize)>,
    facts: Option<&'a Facts>,
}

/// The largest cache file read (999 RFCs take 2 MB).
const MAX_BYTES: u64 = 256 << 20;

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
        let path = dir.join(format!("check-{:016x}.jsonl", h.finish()));
        // A regular file of a sane size only: a cache path that is a FIFO or /dev/zero
        // (or a link to one) would hang the run or fill the memory.
        let (stamp, old) = crate::workspace::read_regular(&path, MAX_BYTES)
            .ok()
            .and_then(|bytes| parse(&bytes))
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

    /// The cached entry for `key` of a file of `text`, kept for the next run; none if
    /// its findings do not fit the text (a damaged or edited cache file).
    pub fn get(&self, key: u64, text: &str) -> Option<Arc<Entry>> {
        let entry = self.old.lock().ok()?.remove(&key)?;
        let fits = |r: &Range<usize>| {
            r.start <= r.end && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
        };
        if !entry.findings.iter().all(|(r, ..)| fits(r)) {
            return None;
        }
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
        // Each message once, in order of first use.
        let mut messages: Vec<&str> = Vec::new();
        let mut numbers: HashMap<&str, usize> = HashMap::new();
        for e in new.values() {
            for (_, _, _, m) in &e.findings {
                numbers.entry(m).or_insert_with(|| {
                    messages.push(m);
                    messages.len() - 1
                });
            }
        }
        let mut bytes = Vec::with_capacity(2048 * new.len() + 64);
        let lines = serde_json::to_writer(&mut bytes, &self.stamp).and_then(|()| {
            bytes.push(b'\n');
            serde_json::to_writer(&mut bytes, &messages)?;
            for (k, e) in &new {
                let findings = e
                    .findings
                    .iter()
                    .map(|(r, s, c, m)| (r.start, r.end, s.name(), *c, numbers[m.as_str()]))
                    .collect();
                let entry = StoringEntry {
                    template: e.template.as_deref(),
                    findings,
                    facts: e.facts.as_deref(),
                };
                // JSON never has a raw line break inside a value: a line is an entry.
                bytes.push(b'\n');
                serde_json::to_writer(&mut bytes, &(format!("{k:016x}"), entry))?;
            }
            bytes.push(b'\n');
            Ok(())
        });
        let written = lines.map_err(std::io::Error::other).and_then(|()| {
            self.path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| {
                    let tmp = self
                        .path
                        .with_extension(format!("tmp{}", std::process::id()));
                    std::fs::write(&tmp, bytes)?;
                    std::fs::rename(&tmp, &self.path)
                })
        });
        if let Err(e) = written {
            eprintln!(
                "note: the check cache {} was not written: {e}",
                self.path.display()
            );
        }
        // The cache of builds before it was in lines: one JSON object, another name.
        let _ = std::fs::remove_file(self.path.with_extension("json"));
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

/// The stamp and the entries of a cache file; None if its first lines are not a stamp and
/// a list of messages (no cache, or one in another format). The lines are shared out
/// among the cores.
fn parse(bytes: &[u8]) -> Option<(String, HashMap<u64, Arc<Entry>>)> {
    let first = memchr::memchr(b'\n', bytes)?;
    let stamp: String = serde_json::from_slice(&bytes[..first]).ok()?;
    let rest = &bytes[first + 1..];
    let second = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    let messages: Vec<String> = serde_json::from_slice(&rest[..second]).ok()?;
    let messages = &messages;
    let lines: Vec<&[u8]> = rest
        .get(second + 1..)
        .unwrap_or_default()
        .split(|&b| b == b'\n')
        .filter(|line| !line.is_empty())
        .collect();
    let read = |share: &[&[u8]]| -> Vec<(u64, Arc<Entry>)> {
        share
            .iter()
            .filter_map(|line| entry(serde_json::from_slice(line).ok()?, messages))
            .collect()
    };
    // A share of the lines for each core, the first read on this thread.
    let share = lines
        .len()
        .div_ceil(crate::syntax::chunks::cores().clamp(1, 8))
        .max(1);
    let mut shares = lines.chunks(share);
    let mut old = HashMap::new();
    std::thread::scope(|scope| {
        let first = shares.next().unwrap_or_default();
        let others: Vec<_> = shares.map(|s| scope.spawn(move || read(s))).collect();
        old.extend(read(first));
        for other in others {
            old.extend(other.join().unwrap_or_default());
        }
    });
    Some((stamp, old))
}

/// One line's entry; None if it names a rule, a severity or a message this binary or the
/// file does not have.
fn entry((k, v): (&str, StoredEntry), messages: &[String]) -> Option<(u64, Arc<Entry>)> {
    let key = u64::from_str_radix(k, 16).ok()?;
    let findings = v
        .findings
        .into_iter()
        .map(|(start, end, severity, name, message)| {
            if start > end {
                return None; // a damaged line: the file is checked afresh
            }
            let code = RULES.iter().find(|r| r.0 == name)?.0;
            let message = messages.get(message)?.clone();
            Some((start..end, Severity::parse(severity)??, code, message))
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_a_round_trip_and_a_new_stamp_drops_them() {
        const TEXT: &str = "the file's text";
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
        assert_eq!(cache.get(7, TEXT), None);
        cache.put(7, Arc::new(entry.clone()));
        cache.save();
        let cache = Cache::read(Some(&dir), root)
            .map(|c| c.stamped(&[], None))
            .expect("a cache");
        assert_eq!(cache.get(7, TEXT).as_deref(), Some(&entry));
        // Used once per run.
        assert_eq!(cache.get(7, TEXT), None);
        // Another --template: another stamp, nothing reused.
        let other = Cache::read(Some(&dir), root)
            .map(|c| c.stamped(&[], Some("guided")))
            .expect("a cache");
        assert_eq!(other.get(7, TEXT), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_entry_that_does_not_fit_its_file_is_no_answer() {
        let dir = std::env::temp_dir().join(format!("rfc-lsp-cache-fit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cache = Cache::read(Some(&dir), Path::new("/w"))
            .map(|c| c.stamped(&[], None))
            .expect("a cache");
        let entry = Entry {
            template: None,
            findings: vec![(2..40, Severity::Error, "section-missing", "m".into())],
            facts: None,
        };
        cache.put(1, Arc::new(entry.clone()));
        cache.put(2, Arc::new(entry));
        cache.save();
        let cache = Cache::read(Some(&dir), Path::new("/w"))
            .map(|c| c.stamped(&[], None))
            .expect("a cache");
        assert!(cache.get(1, &"x".repeat(40)).is_some());
        assert!(cache.get(2, "too short").is_none());
        // A cache path that is no regular file is not read (a FIFO would hang).
        let fifo_dir = dir.join("special");
        std::fs::create_dir_all(&fifo_dir).expect("a folder");
        let mut h = DefaultHasher::new();
        Path::new("/w").hash(&mut h);
        let name = fifo_dir.join(format!("check-{:016x}.jsonl", h.finish()));
        let made = std::process::Command::new("mkfifo").arg(&name).status();
        if made.is_ok_and(|s| s.success()) {
            let cache = Cache::read(Some(&fifo_dir), Path::new("/w")).expect("a cache");
            assert!(cache.old.lock().expect("a lock").is_empty());
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_line_that_cannot_be_read_loses_its_entry_alone() {
        let dir = std::env::temp_dir().join(format!("rfc-lsp-cache-lines-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = Path::new("/w");
        let cache = Cache::read(Some(&dir), root)
            .map(|c| c.stamped(&[], None))
            .expect("a cache");
        let entry = |n: usize| Entry {
            template: None,
            findings: vec![(
                n..n + 1,
                Severity::Error,
                "section-missing",
                format!("m{n}"),
            )],
            facts: None,
        };
        // Enough entries that every core reads a share.
        for k in 0..40 {
            cache.put(k, Arc::new(entry(k as usize)));
        }
        cache.save();
        let path = std::fs::read_dir(&dir)
            .expect("the cache folder")
            .next()
            .expect("a cache file")
            .expect("an entry")
            .path();
        let text = std::fs::read_to_string(&path).expect("the cache file");
        assert_eq!(
            text.lines().count(),
            42,
            "the stamp, the messages and a line per entry"
        );
        // Line 5 cut short, line 9 naming a rule this binary does not have, line 12's
        // range reversed (it made the report panic on every later run).
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let half = lines[5].len() / 2;
        lines[5].truncate(half);
        lines[9] = lines[9].replace("section-missing", "no-such-rule");
        let at = lines[12].find("\"findings\":[[").expect("a finding") + 13;
        let (start, rest) = lines[12][at..].split_once(',').expect("start, end");
        let (end, rest) = rest.split_once(',').expect("end, severity");
        lines[12] = format!("{}{end},{start},{rest}", &lines[12][..at]);
        let lost: Vec<u64> = [5, 9, 12]
            .iter()
            .map(|&i| u64::from_str_radix(&text.lines().nth(i).unwrap()[2..18], 16).unwrap())
            .collect();
        std::fs::write(&path, lines.join("\n") + "\n").expect("written");
        let cache = Cache::read(Some(&dir), root)
            .map(|c| c.stamped(&[], None))
            .expect("a cache");
        let text = "x".repeat(50);
        for k in 0..40 {
            let got = cache.get(k, &text);
            if lost.contains(&k) {
                assert_eq!(got, None, "entry {k} was on a bad line");
            } else {
                assert_eq!(got.as_deref(), Some(&entry(k as usize)), "entry {k}");
            }
        }
        // A file in another format (the whole cache one JSON object) is no cache.
        std::fs::write(&path, r#"{"stamp":"x","files":{}}"#).expect("written");
        let cache = Cache::read(Some(&dir), root).expect("a cache");
        assert_eq!(cache.stamp, "");
        // The cache file of the builds before lines is removed when a new one is written.
        let old = path.with_extension("json");
        std::fs::write(&old, r#"{"stamp":"x","files":{}}"#).expect("written");
        let cache = cache.stamped(&[], None);
        cache.put(1, Arc::new(entry(1)));
        cache.save();
        assert!(!old.exists(), "{} is left", old.display());
        assert!(path.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
