//! The command line: argument parsing and the subcommands that run the analysis without a
//! protocol in sight. `serve` (the default) is run by `main`, which hands it to the server.

mod cache;
pub mod check;
mod outline;
mod report;
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
    /// List the built-in templates, or print one as a starting skeleton.
    Templates {
        /// The template to print.
        name: Option<String>,
    },
    /// Print the block syntax tree of a file, as the server sees it (for debugging).
    Syntax { file: PathBuf },
}

/// Runs a subcommand other than `serve`.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Serve { .. } => unreachable!("serve is run by main"),
        Command::Outline { files } => outline::run(&files),
        Command::Syntax { file } => outline::syntax(&file),
        Command::Check(args) => check::run(args),
        Command::Templates { name } => templates::run(name.as_deref()),
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

/// Reads a file as text, or says on stderr why it cannot.
pub(crate) fn read_text(path: &std::path::Path) -> Option<String> {
    match std::fs::read(path) {
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
