//! A new RFC from a template, for `rfc-lsp new` and the editor's `rfc-lsp.newRfc` alike:
//! the template chosen, the next free number in the folder, the file name and slug from the
//! title, and the skeleton with its metadata filled in (a fresh UUID v4, today's dates, the
//! id and number, the title, the author from `git config user.name`).
//!
//! Neither caller writes through this module: the CLI creates the file itself (never over
//! an existing one), the server asks the client to. What it reads is small and read-only:
//! the folder's Markdown file names and their first few KiB (for ids), and one `git`
//! call for the author.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Context;
use super::actions::{scaffold, set_value};
use super::diagnostics::fields::normalize_tag;
use super::diagnostics::placeholder::is_placeholder_value;
use super::edit;
use crate::metadata::{self, RfcNumber, Style};
use crate::template::{FieldKind, Template};

/// What the writer asked for.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub title: &'a str,
    /// A template name; `None` (or empty): the configured default, else the first template.
    pub template: Option<&'a str>,
    /// The folder the RFC goes in.
    pub dir: &'a Path,
    /// YYYY-MM-DD.
    pub today: &'a str,
}

/// A composed RFC, not yet on disk.
#[derive(Debug, Clone)]
pub struct NewRfc {
    /// `dir/rfc-NNN-<slug>.md`.
    pub path: PathBuf,
    pub text: String,
    pub number: u32,
    pub slug: String,
    pub template: Arc<Template>,
    /// The author written into the metadata, or why the skeleton's placeholder stays (git
    /// is missing or names nobody; the template has no author field).
    pub author: Result<String, String>,
}

/// Why no RFC could be composed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewRfcError {
    UnknownTemplate {
        name: String,
        available: Vec<String>,
    },
    /// The title has no letter or digit to make a slug from.
    NoSlug,
    /// Something is already at the path (a file, a folder, a dangling link).
    Exists(PathBuf),
    /// The folder lies outside the workspace: the reason.
    Outside(String),
}

impl fmt::Display for NewRfcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewRfcError::UnknownTemplate { name, available } => write!(
                f,
                "no template named `{name}` (available: {})",
                available.join(", ")
            ),
            NewRfcError::NoSlug => write!(
                f,
                "the title needs at least one letter or digit for the file name"
            ),
            NewRfcError::Exists(path) => {
                write!(f, "{} already exists; not overwriting it", path.display())
            }
            NewRfcError::Outside(why) => write!(f, "{why}"),
        }
    }
}

/// Composes a new RFC in `request.dir`. `base` is the settings' context for the folder (its
/// templates, default template and project id); the file's own context is derived from it.
pub fn new_rfc(base: &Context, request: &Request) -> Result<NewRfc, NewRfcError> {
    let template = choose_template(base, request.template)?;
    let slug = normalize_tag(request.title);
    if slug.is_empty() {
        return Err(NewRfcError::NoSlug);
    }
    let number = next_number(request.dir);
    let path = request.dir.join(format!("rfc-{number:03}-{slug}.md"));
    if path.symlink_metadata().is_ok() {
        return Err(NewRfcError::Exists(path));
    }
    let git = git_user_name(request.dir);
    let ctx = Context {
        path: Some(&path),
        template: Some(&template.name),
        ..*base
    };
    let text = with_title(
        &scaffold(&template, &ctx, request.today),
        request.title.trim(),
        &slug,
    );
    let (text, written) = fill(&template, &text, number, request.today, git.as_deref().ok());
    let author = match (written, git) {
        (Some(name), _) => Ok(name),
        (None, Err(why)) => Err(why),
        (None, Ok(_)) => Err(format!("template `{}` has no author field", template.name)),
    };
    Ok(NewRfc {
        path,
        text,
        number,
        slug,
        template,
        author,
    })
}

/// The named template, else the configured default, else the first one.
fn choose_template(base: &Context, name: Option<&str>) -> Result<Arc<Template>, NewRfcError> {
    match name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .or(base.default_template)
    {
        Some(name) => {
            base.templates
                .get(name)
                .cloned()
                .ok_or_else(|| NewRfcError::UnknownTemplate {
                    name: name.to_string(),
                    available: base
                        .templates
                        .names()
                        .into_iter()
                        .map(String::from)
                        .collect(),
                })
        }
        None => Ok(base.templates.all[0].clone()),
    }
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
            if name.is_some_and(|n| super::choose::RFC_FOLDERS.contains(&n.as_str())) && shallower {
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

/// Puts the writer's title into a scaffold: the H1's placeholder part and the slug.
pub fn with_title(text: &str, title: &str, slug: &str) -> String {
    let mut out = String::with_capacity(text.len() + title.len());
    let mut done = false;
    for line in text.split_inclusive('\n') {
        if !done && line.starts_with("# ") {
            let head = line.trim_end();
            let replaced = if let Some(i) = head.find('[') {
                format!("{}{title}", &head[..i])
            } else if let Some(i) = head.find("<TITLE>") {
                format!("{}{title}{}", &head[..i], &head[i + 7..])
            } else if let Some((prefix, _)) = head.split_once(": ") {
                format!("{prefix}: {title}")
            } else {
                format!("# {title}")
            };
            out.push_str(&replaced);
            out.push('\n');
            done = true;
        } else {
            out.push_str(line);
        }
    }
    // The frontmatter's `title: "RFC-NNN: Title"` is double-quoted YAML.
    let quoted = title.replace('\\', "\\\\").replace('"', "\\\"");
    out.replace("-title\n", &format!("-{slug}\n"))
        .replace(": Title\"", &format!(": {quoted}\""))
}

/// Fills what `scaffold` leaves to the writer but a new RFC knows: the author, an RFC
/// number field that is not tied to the file name (`2026-042`, `042`), and no tags instead
/// of the skeleton's sample ones. Returns the text and the author actually written.
fn fill(
    template: &Template,
    text: &str,
    number: u32,
    today: &str,
    author: Option<&str>,
) -> (String, Option<String>) {
    let doc = crate::syntax::Document::new(text, 0);
    let snapshot = doc.snapshot();
    let Some(meta) = metadata::read(&snapshot)
        .into_iter()
        .find(|m| m.style == template.style)
    else {
        return (text.to_string(), None);
    };
    let mut edits = Vec::new();
    let mut written = None;
    for f in &meta.fields {
        let Some(spec) = template.field(&f.key) else {
            continue;
        };
        let written_as = snapshot.slice(f.value_range.clone()).to_string();
        if matches!(spec.kind, FieldKind::List { .. })
            && meta.style == Style::Frontmatter
            && !spec.example.is_empty()
            && written_as.trim() == spec.example.trim()
        {
            // The skeleton's sample items (`[tag-one, tag-two]`): none yet.
            edits.push(edit::TextEdit::replace(f.value_range.clone(), "[]"));
            continue;
        }
        if !is_placeholder_value(&f.value.display()) {
            continue;
        }
        let key = f.key.to_ascii_lowercase();
        let value = if key.starts_with("author") && matches!(spec.kind, FieldKind::Text) {
            let Some(name) = author else { continue };
            written = Some(name.to_string());
            name.to_string()
        } else if key.contains("number") {
            let Some(v) = number_value(&spec.kind, number, today) else {
                continue;
            };
            v
        } else {
            continue;
        };
        let value = match meta.style {
            Style::Frontmatter if !is_quoted(&written_as) => yaml_scalar(&value),
            _ => value,
        };
        edits.push(set_value(&snapshot, f, &value));
    }
    (edit::apply(text, &edits), written)
}

/// The value of an RFC number field: the first of the usual forms its rule accepts.
fn number_value(kind: &FieldKind, number: u32, today: &str) -> Option<String> {
    match kind {
        FieldKind::Text => Some(format!("{number:03}")),
        FieldKind::Pattern {
            pattern,
            starts_with: None,
            number_of: None,
            ..
        } => edit::number_value(Some(pattern), RfcNumber::plain(number), today.get(..4)),
        _ => None,
    }
}

fn is_quoted(text: &str) -> bool {
    text.starts_with(['"', '\''])
}

/// A YAML plain scalar if `value` can be one, else a double-quoted one.
fn yaml_scalar(value: &str) -> String {
    let plain = !value.is_empty()
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !value.starts_with([
            '[', ']', '{', '}', '"', '\'', '*', '&', '!', '%', '@', '`', '#', '|', '>', ',', '?',
            '-', ':',
        ])
        && value.trim() == value;
    if plain {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
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

    #[test]
    fn yaml_scalars_are_quoted_only_when_needed() {
        assert_eq!(yaml_scalar("Maren Holt"), "Maren Holt");
        assert_eq!(yaml_scalar("O'Brien"), "O'Brien");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("@me \"x\""), "\"@me \\\"x\\\"\"");
    }

    #[test]
    fn titles_with_quotes_stay_valid_yaml() {
        let text = "---\ntitle: \"RFC-001: Title\"\nslug: rfc-001-title\n---\n# RFC-001: Title\n";
        let out = with_title(text, "Say \"hi\"", "say-hi");
        assert!(out.contains("title: \"RFC-001: Say \\\"hi\\\"\""), "{out}");
        assert!(out.contains("slug: rfc-001-say-hi\n"), "{out}");
        assert!(out.contains("# RFC-001: Say \"hi\"\n"), "{out}");
    }
}
