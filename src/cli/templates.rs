//! `rfc-lsp templates [NAME]`: the built-in templates, or one of them as a skeleton.

use std::io::Write;
use std::process::ExitCode;

use crate::template::{Presence, builtins};

pub(super) fn run(name: Option<&str>) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match name {
        None => {
            for t in builtins() {
                let required = t
                    .sections
                    .iter()
                    .filter(|s| s.presence == Presence::Required)
                    .count();
                let _ = writeln!(
                    out,
                    "{:<14} {} ({} sections, {required} required)",
                    t.name,
                    t.description,
                    t.sections.len()
                );
            }
            let _ = writeln!(
                out,
                "\nPrint one as a starting skeleton: rfc-lsp templates NAME > my-rfc.md"
            );
            ExitCode::SUCCESS
        }
        Some(name) => match builtins()
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
        {
            Some(t) => {
                let _ = out.write_all(t.skeleton.as_bytes());
                ExitCode::SUCCESS
            }
            None => {
                let names: Vec<&str> = builtins().iter().map(|t| t.name.as_str()).collect();
                eprintln!(
                    "error: no built-in template `{name}` (available: {})",
                    names.join(", ")
                );
                ExitCode::from(2)
            }
        },
    }
}
