//! `rfc-lsp index`: the list of a workspace's RFCs, with their number, title, status,
//! authors, dates, tags and successor, as JSON for other tools or as a Markdown table
//! (to stdout, or between `<!-- rfc-index:start -->` and `<!-- rfc-index:end -->` in a
//! file, the rest of it untouched).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use serde::Serialize;

use crate::metadata::{self, Metadata};
use crate::syntax::Document;
use crate::workspace::config::{self, Settings};
use crate::workspace::index::{Index, normalize};

/// The JSON's version: raised when a field changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;
const START: &str = "<!-- rfc-index:start -->";
const END: &str = "<!-- rfc-index:end -->";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// a table of the RFCs
    Markdown,
    /// `{"schema_version": 1, "rfcs": [...]}`
    Json,
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// The folders (or files) whose RFCs are listed. Default: `.`
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Write here instead of stdout. Markdown goes between the file's
    /// `<!-- rfc-index:start -->` and `<!-- rfc-index:end -->` lines (a new file gets them).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The configuration file (default: .rfc-lsp.yaml in the current folder or above).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// One RFC of the index.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    /// `42`, or `2026-042` with a year; `null` for an RFC without one.
    pub number: Option<String>,
    pub title: Option<String>,
    pub status: Option<String>,
    pub authors: Vec<String>,
    pub created: Option<String>,
    pub updated: Option<String>,
    pub tags: Vec<String>,
    /// The RFC named as its successor (`superseded_by`), as written.
    pub successor: Option<String>,
    /// The file, relative to the workspace root, with `/`.
    pub file: String,
}

#[derive(Serialize)]
struct Feed<'a> {
    schema_version: u32,
    rfcs: &'a [Entry],
}

pub(super) fn run(args: IndexArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let root = super::check::find_root(&paths[0], args.config.as_deref());
    let (settings, problems) = config::load(&root, args.config.as_deref());
    if args.config.is_some()
        && let Some(fatal) = problems.iter().find(|p| p.fatal)
    {
        eprintln!("error: {}: {}", fatal.path.display(), fatal.message);
        return ExitCode::from(2);
    }
    let roots: Vec<PathBuf> = paths
        .iter()
        .map(|p| normalize(&std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())))
        .collect();
    let mut index = Index::scan(&roots, &mut |n| eprint!("\rindexing: {n} files"));
    index.follow(|_| Some(&settings));
    let entries = entries(&index, &settings);
    let text = match args.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&Feed {
                schema_version: SCHEMA_VERSION,
                rfcs: &entries,
            })
            .unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Markdown => {
            let base = args
                .output
                .as_deref()
                .and_then(Path::parent)
                .map(|d| normalize(&std::fs::canonicalize(d).unwrap_or_else(|_| d.to_path_buf())))
                .unwrap_or_else(|| settings.root.clone());
            table(&entries, &settings.root, &base)
        }
    };
    match (&args.output, args.format) {
        (None, _) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
        }
        (Some(file), Format::Json) => {
            if let Err(e) = std::fs::write(file, text) {
                eprintln!("error: {}: {e}", file.display());
                return ExitCode::from(2);
            }
        }
        (Some(file), Format::Markdown) => {
            let old = std::fs::read_to_string(file).ok();
            let Some(new) = splice(old.as_deref(), &text) else {
                eprintln!(
                    "error: {}: no `{START}` line followed by an `{END}` line to write between",
                    file.display()
                );
                return ExitCode::from(2);
            };
            if old.as_deref() != Some(new.as_str())
                && let Err(e) = std::fs::write(file, new)
            {
                eprintln!("error: {}: {e}", file.display());
                return ExitCode::from(2);
            }
        }
    }
    eprintln!("indexed {} RFC(s)", entries.len());
    ExitCode::SUCCESS
}

/// Every RFC of the index, sorted by number (those without one last, by file).
pub fn entries(index: &Index, settings: &Settings) -> Vec<Entry> {
    // Where the configuration names the RFCs (`rfcs:`, `files:`), those; else every file
    // that reads as one.
    let configured = !settings.rfc_globs.is_empty() || !settings.file_templates.is_empty();
    let mut rfcs: Vec<(&PathBuf, &std::sync::Arc<crate::workspace::index::Facts>)> = index
        .files
        .iter()
        .filter(|(p, f)| f.is_rfc && (!configured || settings.context(Some(p), None).rfc_by_config))
        .collect();
    // By sequence (`2026-007` is 7), then year, then file.
    let key = |f: &crate::workspace::index::Facts| {
        (f.number.is_none(), f.number.map(|n| (n.seq, n.year)))
    };
    rfcs.sort_by(|a, b| (key(a.1), a.0).cmp(&(key(b.1), b.0)));
    rfcs.into_iter()
        .map(|(path, facts)| {
            let meta = read_metadata(path, settings);
            let get = |keys: &[&str]| {
                keys.iter()
                    .find_map(|k| meta.as_ref()?.field(k))
                    .map(|f| f.value.clone())
            };
            let authors = match get(&["authors", "author", "Author(s)", "owners", "owner"]) {
                Some(metadata::Value::List(items)) => {
                    items.iter().map(|i| plain(&i.value)).collect()
                }
                Some(metadata::Value::Scalar(s)) => s
                    .split([',', ';'])
                    .map(plain)
                    .filter(|a| !a.is_empty())
                    .collect(),
                _ => Vec::new(),
            };
            let text = |v: Option<metadata::Value>| {
                v.map(|v| plain(&v.display())).filter(|s| !s.is_empty())
            };
            let rel = path.strip_prefix(&settings.root).unwrap_or(path);
            let number = facts
                .number
                .or_else(|| crate::analysis::edit::file_number(Some(path)));
            Entry {
                number: number.map(|n| n.to_string()),
                title: facts.title.as_ref().map(|t| t.value.clone()),
                status: (facts.status.as_ref())
                    .map(|s| plain(&s.value))
                    .or_else(|| text(get(&["status", "state", "stage"]))),
                authors,
                created: text(get(&[
                    "created",
                    "creation-date",
                    "Start Date",
                    "date",
                    "Date",
                ])),
                updated: text(get(&["updated", "last-updated", "Last Updated"])),
                tags: facts.tags.clone(),
                successor: facts.successor.as_ref().map(|s| s.value.clone()),
                file: rel.to_string_lossy().replace('\\', "/"),
            }
        })
        .collect()
}

/// The metadata of the RFC at `path`: the YAML file beside it that a template keeps it in
/// (`kep.yaml`), else its first block (frontmatter, bold lines, a list or a table).
fn read_metadata(path: &Path, settings: &Settings) -> Option<Metadata> {
    for name in settings
        .templates
        .all
        .iter()
        .filter_map(|t| t.sidecar.as_deref())
    {
        let beside = path.with_file_name(name);
        if let Ok(bytes) = crate::workspace::read_regular(&beside, 1 << 20)
            && let Ok(yaml) = String::from_utf8(bytes)
        {
            return Some(metadata::read_yaml_text(&yaml));
        }
    }
    let text = crate::workspace::index::read_markdown(path)?;
    let snapshot = Document::new(&text, 0).snapshot();
    metadata::read(&snapshot).into_iter().next()
}

/// A value as text: without emphasis around it, a link as its text
/// (`[Ana](https://example.com/ana)` is `Ana`).
fn plain(value: &str) -> String {
    let v = value.trim().trim_matches(['*', '_', '"', '\'']).trim();
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(open) = rest.find('[') {
        let Some((text, after)) = rest[open + 1..].split_once("](") else {
            break;
        };
        let Some(close) = after.find(')') else { break };
        out.push_str(&rest[..open]);
        out.push_str(text);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// The Markdown table of `entries`, each title a link to its file relative to `base` (the
/// folder of the file it goes into).
fn table(entries: &[Entry], root: &Path, base: &Path) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out =
        String::from("| RFC | Title | Status | Authors | Updated |\n|---|---|---|---|---|\n");
    for e in entries {
        let target = root.join(&e.file);
        let link = relative_link(base, &target);
        let title = e.title.as_deref().unwrap_or(&e.file);
        out.push_str(&format!(
            "| {} | [{}]({}) | {} | {} | {} |\n",
            e.number.as_deref().unwrap_or(""),
            cell(title),
            link.replace(' ', "%20"),
            cell(e.status.as_deref().unwrap_or("")),
            cell(&e.authors.join(", ")),
            e.updated.as_deref().or(e.created.as_deref()).unwrap_or("")
        ));
    }
    out
}

/// `to` as a relative link from the folder `from` (as links between RFCs are written).
fn relative_link(from: &Path, to: &Path) -> String {
    crate::workspace::crossdoc::relative(&from.join("index.md"), to)
}

/// `old` with the lines between its start and end markers replaced by `table` (a new file:
/// the markers and the table); `None` when `old` lacks the markers.
fn splice(old: Option<&str>, table: &str) -> Option<String> {
    let Some(old) = old else {
        return Some(format!("{START}\n{table}{END}\n"));
    };
    let start = old.find(START)?;
    let body = start + old[start..].find('\n')? + 1;
    let end = body + old[body..].find(END)?;
    let line_start = old[..end].rfind('\n').map_or(0, |i| i + 1);
    if old[line_start..end].trim().is_empty() {
        return Some(format!("{}{table}{}", &old[..body], &old[line_start..]));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{END, START, plain, relative_link, splice};
    use std::path::Path;

    #[test]
    fn the_table_goes_between_the_markers_and_nothing_else_moves() {
        let old = format!("# RFCs\n\nIntro.\n\n{START}\nold table\n{END}\n\nOutro.\n");
        let new = splice(Some(&old), "| t |\n").expect("markers");
        assert_eq!(
            new,
            format!("# RFCs\n\nIntro.\n\n{START}\n| t |\n{END}\n\nOutro.\n")
        );
        assert_eq!(splice(Some(&new), "| t |\n").as_deref(), Some(new.as_str()));
        assert_eq!(splice(Some("# No markers\n"), "| t |\n"), None);
        assert_eq!(
            splice(None, "| t |\n"),
            Some(format!("{START}\n| t |\n{END}\n"))
        );
    }

    #[test]
    fn values_lose_their_emphasis_and_links_keep_their_text() {
        assert_eq!(
            plain("**Implemented (Swift 5.9)**"),
            "Implemented (Swift 5.9)"
        );
        assert_eq!(plain("[Ana Souza](https://example.com/ana)"), "Ana Souza");
        assert_eq!(plain("by [A](x) and [B](y)."), "by A and B.");
        assert_eq!(plain("\"@hana\""), "@hana");
    }

    #[test]
    fn links_are_relative_to_the_file_they_are_written_in() {
        assert_eq!(
            relative_link(Path::new("/r"), Path::new("/r/rfcs/a.md")),
            "rfcs/a.md"
        );
        assert_eq!(
            relative_link(Path::new("/r/docs"), Path::new("/r/rfcs/a.md")),
            "../rfcs/a.md"
        );
    }
}
