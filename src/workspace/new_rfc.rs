//! The workspace's side of a new RFC: where it goes when no folder is named, the next
//! free number in that folder, the writer's name from git, and that nothing is at the
//! path yet. The text itself is composed by [`crate::analysis::new_rfc`], which is pure.
//!
//! Nothing is written here: the CLI creates the file itself (never over an existing one),
//! the server asks the client to. What is read is small and read-only: the folder's
//! Markdown file names and their first few KiB (for ids), and one `git` call.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::analysis::Context;
use crate::analysis::edit;
use crate::analysis::new_rfc::{self as compose, NewRfc, NewRfcError};
use crate::metadata::{self, RfcNumber};

pub use crate::analysis::new_rfc::Request;

/// Composes a new RFC in `request.dir` with the folder's next number and the git user as
/// its author; an error if something is already at its path.
pub fn new_rfc(base: &Context, request: &Request) -> Result<NewRfc, NewRfcError> {
    let git = git_user_name(request.dir);
    let rfc = compose::new_rfc(
        base,
        request,
        compose::Found {
            number: next_number(request.dir),
            author: git.as_deref().map_err(String::as_str),
        },
    )?;
    if rfc.path.symlink_metadata().is_ok() {
        return Err(NewRfcError::Exists(rfc.path));
    }
    Ok(rfc)
}

/// Where a new RFC goes when no folder is named: the folder the configuration's globs
/// name (the literal start of the first that has one: `docs/rfcs` for
/// `docs/rfcs/**/*.md`, relative to `config_root`); else the folder under `search` holding
/// the most `rfc-NNN` Markdown files; else the shallowest folder under it named like an RFC
/// folder (`rfcs`, `docs/rfcs`, `proposals`, ...); else `search` itself.
pub fn default_dir<'g>(
    config_root: &Path,
    globs: impl IntoIterator<Item = &'g str>,
    search: &Path,
) -> PathBuf {
    if let Some(prefix) = globs.into_iter().find_map(glob_folder) {
        return config_root.join(prefix);
    }
    let search = if search.as_os_str().is_empty() {
        Path::new(".")
    } else {
        search
    };
    let mut counts: Vec<(PathBuf, usize)> = Vec::new();
    let mut named: Option<PathBuf> = None;
    let walker = ignore::WalkBuilder::new(search)
        .max_depth(Some(4))
        .follow_links(false)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker.flatten() {
        let path = entry.path();
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if is_dir && entry.depth() > 0 {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase());
            let shallower = named
                .as_ref()
                .is_none_or(|n| n.components().count() > path.components().count());
            if name.is_some_and(|n| crate::metadata::recognize::RFC_FOLDERS.contains(&n.as_str()))
                && shallower
            {
                named = Some(path.to_path_buf());
            }
        } else if !is_dir
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"))
            && edit::file_number(Some(path)).is_some()
            && let Some(parent) = path.parent()
        {
            match counts.iter_mut().find(|(p, _)| p == parent) {
                Some((_, n)) => *n += 1,
                None => counts.push((parent.to_path_buf(), 1)),
            }
        }
    }
    // The most RFCs; on a tie, the shallowest folder, then the first by name.
    counts.sort_by_key(|(p, n)| (std::cmp::Reverse(*n), p.components().count(), p.clone()));
    counts
        .into_iter()
        .next()
        .map(|(p, _)| p)
        .or(named)
        .unwrap_or_else(|| search.to_path_buf())
}

/// The folder a glob's literal start names: `docs/rfcs` for `docs/rfcs/**/*.md` or
/// `docs/rfcs/rfc-*.md`; `None` for `**/*.md`.
fn glob_folder(glob: &str) -> Option<PathBuf> {
    let parts: Vec<&str> = glob.split('/').collect();
    let literal = parts
        .iter()
        .take_while(|p| !p.contains(['*', '?', '[', '{', '\\']))
        .count();
    // All literal: the glob names one file; its folder.
    let take = if literal == parts.len() {
        literal - 1
    } else {
        literal
    };
    let folder: PathBuf = parts[..take]
        .iter()
        .filter(|p| !p.is_empty() && **p != ".")
        .collect();
    (!folder.as_os_str().is_empty()).then_some(folder)
}

/// How much of each Markdown file is read for an id: metadata sits at the top.
const HEAD: u64 = 4096;

/// One more than the highest RFC number among the Markdown files under `dir` (sub-folders
/// included, .gitignore respected): in a file name (`rfc-042-cache.md`) or in the
/// metadata near the top (`id: rfc-042`, `**RFC Number**: 2026-042`, `**RFC Number:** 042`).
pub fn next_number(dir: &Path) -> u32 {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut highest = 0;
    let walker = ignore::WalkBuilder::new(dir)
        .follow_links(false)
        .require_git(false)
        .build();
    for entry in walker.flatten() {
        let path = entry.path();
        let markdown = entry.file_type().is_some_and(|t| t.is_file())
            && path.extension().is_some_and(|e| {
                e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")
            });
        if !markdown {
            continue;
        }
        if let Some(n) = edit::file_number(Some(path)) {
            highest = highest.max(n.seq);
        }
        let mut head = Vec::new();
        if std::fs::File::open(path)
            .and_then(|f| f.take(HEAD).read_to_end(&mut head))
            .is_ok()
            && let Some(n) = metadata_number(&String::from_utf8_lossy(&head))
        {
            highest = highest.max(n);
        }
    }
    highest + 1
}

/// The RFC number an RFC's metadata states, from the first lines of its text.
fn metadata_number(head: &str) -> Option<u32> {
    let mut found = None;
    for line in head.lines() {
        let (key, value) = if let Some((k, v)) = metadata::parse_bold_line(line) {
            (&line[k], &line[v])
        } else if let Some((k, v)) = line.split_once(':') {
            // A frontmatter line: `id: "rfc-042"  # comment`.
            let v = v.split(" #").next().unwrap_or_default();
            (k, v.trim().trim_matches(['"', '\'']))
        } else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        if key != "id" && key != "rfc number" && key != "rfc" {
            continue;
        }
        if let Some(n) = RfcNumber::parse(value) {
            found = found.max(Some(n.seq));
        }
    }
    found
}

/// `git config user.name`, run in `dir` (or the nearest folder above it that exists); or
/// why there is none (git is missing, or no name is set).
pub fn git_user_name(dir: &Path) -> Result<String, String> {
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.is_dir() {
            break;
        }
        at = d.parent();
    }
    let run_in = at
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let out = std::process::Command::new("git")
        .arg("config")
        .arg("--get")
        .arg("user.name")
        .current_dir(run_in)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("git could not be run ({e})"))?;
    let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if out.status.success() && !name.is_empty() {
        Ok(name)
    } else {
        Err("`git config user.name` is not set".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_named_by_globs() {
        let f = |g: &str| glob_folder(g).map(|p| p.to_string_lossy().replace('\\', "/"));
        assert_eq!(f("docs/rfcs/**/*.md").as_deref(), Some("docs/rfcs"));
        assert_eq!(f("./rfcs/rfc-*.md").as_deref(), Some("rfcs"));
        assert_eq!(f("docs/rfcs/index.md").as_deref(), Some("docs/rfcs"));
        assert_eq!(f("**/*.md"), None);
        assert_eq!(f("*.md"), None);
    }

    #[test]
    fn numbers_in_metadata() {
        assert_eq!(
            metadata_number("---\nid: \"rfc-042\"  # x\n---\n"),
            Some(42)
        );
        assert_eq!(
            metadata_number("# T\n\n**RFC Number**: 2026-007  \n"),
            Some(7)
        );
        assert_eq!(metadata_number("**RFC Number:** 031  \n"), Some(31));
        assert_eq!(
            metadata_number("id: rfc-NNN\n**RFC Number**: [YYYY-NNN]\n"),
            None
        );
        assert_eq!(
            metadata_number("title: RFC-099: x\nslug: rfc-098-x\n"),
            None
        );
    }
}
