//! `rfc-lsp new "Title"`: writes a new RFC from a template and prints its path. The text is
//! the editor's `rfc-lsp.newRfc` text (both come from `analysis::new_rfc`); the file is
//! created only if nothing is at its path.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::analysis::edit;
use crate::analysis::new_rfc::NewRfcError;
use crate::workspace::config;
use crate::workspace::new_rfc::{self, Request};

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The RFC's title: it goes into the H1 (and the metadata's title), and its slug into
    /// the file name.
    pub title: String,
    /// The template (a built-in or configured name). Default: the config's
    /// `default-template`, else the first built-in.
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    /// The folder to write it in. Default: the folder the config's `rfcs` / `files` globs
    /// name, else the folder holding the RFCs under the current one (`docs/rfcs`, `rfcs`,
    /// ...), else the current folder.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The configuration file (default: .rfc-lsp.yaml in the folder or above).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Long: the steps of `new` in order (config, template, number, file, write), each a few
/// lines.
pub(super) fn run(args: NewArgs) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let start = args
        .dir
        .as_deref()
        .and_then(|d| d.ancestors().find(|a| a.is_dir()))
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let root = super::check::find_root(start, args.config.as_deref());
    let (settings, problems) = config::load(&root, args.config.as_deref());
    let unusable = args.config.is_some() && problems.iter().any(|p| p.fatal);
    for p in &problems {
        let level = if unusable { "error" } else { "warning" };
        eprintln!("{level}: {}: {}", p.path.display(), p.message);
    }
    if unusable {
        return ExitCode::from(2);
    }
    let dir = args.dir.clone().unwrap_or_else(|| {
        let configured = settings.file_templates.iter().map(|f| &f.glob);
        let globs = settings.rfc_globs.iter().chain(configured);
        let found = new_rfc::default_dir(
            &settings.root,
            globs.map(|g| g.glob().glob()),
            Path::new("."),
        );
        relative_to(&found, &cwd)
    });
    // The folder must lie inside the current one (the workspace the writer is in).
    let dir = match crate::workspace::index::folder_inside(&dir, &cwd) {
        Ok(_) => dir,
        Err(why) => {
            eprintln!("error: {why}");
            return ExitCode::from(2);
        }
    };
    let today = edit::today();
    let request = Request {
        title: &args.title,
        template: args.template.as_deref(),
        dir: &dir,
        today: &today,
    };
    let rfc = match new_rfc::new_rfc(&settings.context(None, None), &request) {
        Ok(rfc) => rfc,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: {}: cannot create the folder: {e}", dir.display());
        return ExitCode::from(2);
    }
    // `create_new`: never over a file (or through a link) that appeared meanwhile.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&rfc.path)
        .and_then(|mut f| f.write_all(rfc.text.as_bytes()));
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("error: {}", NewRfcError::Exists(rfc.path.clone()));
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: {}: {e}", rfc.path.display());
            return ExitCode::from(2);
        }
    }
    if let Err(why) = &rfc.author {
        eprintln!(
            "note: {why}: the author is left as template `{}`'s placeholder",
            rfc.template.name
        );
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", rfc.path.display());
    ExitCode::SUCCESS
}

/// `path` without a leading `./`, or relative to `cwd` when it lies under it.
fn relative_to(path: &Path, cwd: &Path) -> PathBuf {
    if let Ok(rest) = path.strip_prefix(".") {
        return rest.to_path_buf();
    }
    let cwd = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
    path.strip_prefix(&cwd)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}
