//! A new RFC from a template, for `rfc-lsp new` and the editor's `rfc-lsp.newRfc` alike:
//! the template chosen, the file name and slug from the title, and the skeleton with its
//! metadata filled in (a fresh UUID v4, today's dates, the id and number, the title, the
//! author). Pure: the number and the author come in the request, found by
//! `workspace::new_rfc` (which reads the folder and asks git).

use std::fmt;
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

/// What the workspace finds for a new RFC (`workspace::new_rfc`): its number, one more
/// than the highest in the folder, and the writer's name (`git config user.name`) or why
/// there is none.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    pub number: u32,
    pub author: Result<&'a str, &'a str>,
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
pub fn new_rfc(base: &Context, request: &Request, found: Found) -> Result<NewRfc, NewRfcError> {
    let template = choose_template(base, request.template)?;
    let slug = normalize_tag(request.title);
    if slug.is_empty() {
        return Err(NewRfcError::NoSlug);
    }
    let number = found.number;
    let path = request.dir.join(format!("rfc-{number:03}-{slug}.md"));
    let git = found.author;
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
    let (text, written) = fill(&template, &text, number, request.today, git.ok());
    let author = match (written, git) {
        (Some(name), _) => Ok(name),
        (None, Err(why)) => Err(why.to_string()),
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
