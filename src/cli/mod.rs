//! The command line: argument parsing and the subcommands that run the analysis without a
//! protocol in sight. `serve` (the default) hands over to [`crate::server`].

mod outline;

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
        /// Markdown files to read.
        #[arg(required = true)]
        files: Vec<PathBuf>,
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
    }
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
