//! `rfc-lsp index`: the list of a workspace's RFCs, with their number, title, status,
//! authors, dates, tags and successor, as JSON for other tools, as a Markdown table (to
//! stdout, or between `<!-- rfc-index:start -->` and `<!-- rfc-index:end -->` in a file,
//! the rest of it untouched) or as one self-contained HTML page
//! ([`super::index_html`]). What it lists is [`crate::workspace::rfc_index`]'s.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use serde::Serialize;

use crate::workspace::config;
use crate::workspace::index::{Index, absolute};
use crate::workspace::rfc_index::{self, END, Entry, Row, SCHEMA_VERSION, START};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// a table of the RFCs
    Markdown,
    /// `{"schema_version": 1, "rfcs": [...]}` (docs/rfc-index.schema.json)
    Json,
    /// one page with filters, search and a timeline, no network needed
    Html,
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// The folders (or files) whose RFCs are listed. Default: for a Markdown `-o FILE`,
    /// the folders its start marker names, else FILE's folder; otherwise the workspace root
    /// (the folder of `.rfc-lsp.yaml` or `.git` at or above the current one).
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

#[derive(Serialize)]
struct Feed<'a> {
    schema_version: u32,
    rfcs: &'a [Entry],
}

/// Long: the steps in order (root and config, scan, entries, the format, the output).
pub(super) fn run(args: IndexArgs) -> ExitCode {
    let first = args.paths.first().map_or(Path::new("."), PathBuf::as_path);
    let root = super::check::find_root(first, args.config.as_deref());
    let (settings, problems) = config::load(&root, args.config.as_deref());
    if args.config.is_some()
        && let Some(fatal) = problems.iter().find(|p| p.fatal)
    {
        eprintln!("error: {}: {}", fatal.path.display(), fatal.message);
        return ExitCode::from(2);
    }
    // The folder of the file written, where its links start from.
    let out_dir = args.output.as_deref().map(|o| {
        let d = o.parent().filter(|d| !d.as_os_str().is_empty());
        absolute(d.unwrap_or(Path::new(".")))
    });
    let old = match (&args.output, args.format) {
        (Some(file), Format::Markdown) => std::fs::read_to_string(file).ok(),
        _ => None,
    };
    // What is indexed: the paths given; else, for a Markdown file, the folders its start
    // marker names or its own folder (what `check` compares it with); else the workspace.
    let roots: Vec<PathBuf> = match (&out_dir, args.format) {
        _ if !args.paths.is_empty() => args.paths.iter().map(|p| absolute(p)).collect(),
        (Some(dir), Format::Markdown) => match old.as_deref().and_then(rfc_index::block) {
            Some(b) => rfc_index::folders(&b, &dir.join("index.md")),
            None => vec![dir.clone()],
        },
        _ => vec![settings.root.clone()],
    };
    // The folders the start marker names: none for the file's own.
    let marker_paths: Vec<String> = match &out_dir {
        Some(dir) if roots != [dir.clone()] => roots
            .iter()
            .map(|r| rfc_index::relative_link(dir, r))
            .map(|r| if r.is_empty() { ".".to_string() } else { r })
            .collect(),
        _ => Vec::new(),
    };
    // A progress line on a terminal; nothing in a log.
    let terminal = std::io::stderr().is_terminal();
    let (mut index, rows) = Index::scan_with(
        &roots,
        &mut |n| {
            if terminal {
                eprint!("\rindexing: {n} files");
            }
        },
        &|_| false,
        &|path, text| Row::read(path, text, &settings),
    );
    if terminal {
        eprint!("\r\x1b[K");
    }
    index.follow(|_| Some(&settings));
    let rows: HashMap<PathBuf, Row> = rows.into_iter().collect();
    let entries = rfc_index::entries(&index, &settings, &roots, &|p| {
        rows.get(p).cloned().unwrap_or_default()
    });
    let base = out_dir.clone().unwrap_or_else(|| settings.root.clone());
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
        Format::Markdown => rfc_index::table(&entries, &settings.root, &base),
        Format::Html => super::index_html::page(&entries, &settings.root, &base),
    };
    match (&args.output, args.format) {
        (None, _) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
        }
        (Some(file), Format::Json | Format::Html) => {
            if let Err(e) = std::fs::write(file, text) {
                eprintln!("error: {}: {e}", file.display());
                return ExitCode::from(2);
            }
        }
        (Some(file), Format::Markdown) => {
            let Some(new) = rfc_index::splice(old.as_deref(), &text, &marker_paths) else {
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
