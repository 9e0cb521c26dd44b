//! The command line: argument parsing and the subcommands that run the analysis without a
//! protocol in sight. `serve` (the default) is run by `main`, which hands it to the server.

mod cache;
pub mod check;
pub mod index;
mod index_html;
pub mod init;
pub mod new;
mod outline;
mod report;
pub mod schema;
mod templates;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A language server and checker for engineering RFCs written in Markdown.
///
/// Run with no command (or `serve`) to speak the Language Server Protocol on stdin/stdout.
#[derive(Debug, Parser)]
#[command(name = "rfc-lsp", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Speak LSP on stdin/stdout (the default).
    Serve {
        /// Accepted for clients that pass it (VS Code does); stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Print the outline of RFCs: title, metadata fields and sections with their lines.
    Outline {
        /// Markdown files, or folders to search for them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Check RFCs against their templates, as the editor does; exit 1 on errors.
    Check(check::CheckArgs),
    /// Look at a repository and write the .rfc-lsp.yaml that describes it.
    ///
    /// Finds the folder of numbered RFCs (`0042-slug.md` or `0042-slug/README.md`), the
    /// template file(s) beside or above it (`0000-template.md`, `*template*.md`), their
    /// metadata style, and, from the newest RFCs, which sections and fields all of them
    /// have (required; the rest optional), the dates' form and the status values in use.
    /// Says what it decided on stderr. Never overwrites without --force. Without any
    /// .rfc-lsp.yaml, `check` and the server apply what init would write.
    Init(init::InitArgs),
    /// List the built-in templates, or print one as a starting skeleton.
    Templates {
        /// The template to print.
        name: Option<String>,
    },
    /// Print the block syntax tree of a file, as the server sees it (for debugging).
    Syntax { file: PathBuf },
    /// Write a new RFC from a template and print its path.
    ///
    /// The file is `rfc-NNN-<slug>.md`: NNN one more than the highest RFC number among the
    /// Markdown files under the folder (in their names, or their `id` / `RFC Number`
    /// metadata), the slug from the title. The text is what the editor's `rfc-lsp.newRfc`
    /// command creates: the template's skeleton with the title, the number, a fresh UUID v4,
    /// today's dates and the author from `git config user.name` (run in the folder; without
    /// one the template's placeholder stays, and a note on stderr says so). Only the path is
    /// printed on stdout. An existing file is never overwritten: exit code 2.
    New(new::NewArgs),
    /// Print a JSON Schema of a template's metadata fields.
    ///
    /// A JSON Schema (draft 2020-12) of the template's metadata: its fields, which are
    /// required, their types (text, list of text), allowed values (status and other
    /// enumerations), dates (`format: date`, YYYY-MM-DD), UUIDs and patterns (ids like
    /// rfc-NNN), with the template's descriptions. For a team that also validates the
    /// metadata outside rfc-lsp: yaml-language-server on YAML files (a `# yaml-language-server:
    /// $schema=...` modeline or its `yaml.schemas` setting; it does not read the frontmatter
    /// of Markdown files), or any JSON Schema validator on extracted frontmatter, e.g. in CI.
    /// Templates whose metadata is bold lines or a Status section get the schema of the same
    /// fields, read as one object of strings.
    Schema(schema::SchemaArgs),
    /// Print (or write) the list of the workspace's RFCs: a Markdown table, JSON or a page.
    ///
    /// Every RFC with its number, title, status, authors, created and updated dates, tags,
    /// successor, predecessors and file, sorted by number. Markdown is a table, written
    /// with `-o FILE` between the file's `<!-- rfc-index:start -->` and
    /// `<!-- rfc-index:end -->` lines; without PATHs it lists the RFCs in FILE's folder (or
    /// the folders its start marker names), as `check` expects it (`index-stale`). JSON
    /// (`{"schema_version": 1, "rfcs": [...]}`, docs/rfc-index.schema.json) is for
    /// dashboards and bots; HTML is one page with filters, a search and a timeline.
    Index(index::IndexArgs),
}

/// Runs a subcommand other than `serve`.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Serve { .. } => unreachable!("serve is run by main"),
        Command::Outline { files } => outline::run(&files),
        Command::Syntax { file } => outline::syntax(&file),
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
        Command::Templates { name } => templates::run(name.as_deref()),
        Command::New(args) => new::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Index(args) => index::run(args),
    }
}

/// The Markdown files named, with folders walked (sorted, hidden entries skipped).
pub(crate) fn markdown_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            eprintln!("error: {}: cannot read folder", dir.display());
            return;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden || path.is_symlink() {
                continue;
            }
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "md" || e == "markdown")
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out);
        } else {
            out.push(path.clone());
        }
    }
    out
}

/// The largest Markdown file the commands read (the workspace index, which reads every
/// file around, stops at 1 MB; a file named or checked may be larger).
pub(crate) const MAX_MARKDOWN: u64 = 16 << 20;

/// Reads a Markdown file as text, or says on stderr why it cannot.
pub(crate) fn read_text(path: &std::path::Path) -> Option<String> {
    match crate::workspace::read_regular(path, MAX_MARKDOWN) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text),
            Err(_) => {
                eprintln!("error: {}: not valid UTF-8", path.display());
                None
            }
        },
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            None
        }
    }
}
