//! `rfc-lsp init`: looks at a repository and writes the `.rfc-lsp.yaml` that describes
//! it ([`crate::workspace::detect`]), saying what it decided and why.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::workspace::{CONFIG_FILE, detect};

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The repository's root folder.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Overwrite an existing .rfc-lsp.yaml.
    #[arg(long)]
    pub force: bool,
    /// Print the configuration instead of writing it.
    #[arg(long)]
    pub print: bool,
}

pub fn run(args: InitArgs) -> ExitCode {
    if !args.root.is_dir() {
        eprintln!("error: {}: not a folder", args.root.display());
        return ExitCode::from(2);
    }
    let target = args.root.join(CONFIG_FILE);
    if target.exists() && !args.force && !args.print {
        eprintln!(
            "error: {} exists; pass --force to replace it (or --print to see what init would write)",
            target.display()
        );
        return ExitCode::from(2);
    }
    let plan = detect::plan(&args.root);
    for note in &plan.notes {
        eprintln!("{note}");
    }
    if !plan.found {
        eprintln!(
            "nothing written: {} Markdown file(s) seen, no RFC set recognised. Write {CONFIG_FILE} by hand (see the README's Configuration section).",
            plan.markdown_files
        );
        return ExitCode::from(1);
    }
    if args.print {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        return match out.write_all(plan.config.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(2),
        };
    }
    match std::fs::write(&target, &plan.config) {
        Ok(()) => {
            eprintln!("wrote {}", target.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", target.display());
            ExitCode::from(2)
        }
    }
}
