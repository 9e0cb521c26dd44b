//! `rfc-lsp templates [NAME]`: the built-in templates, or one of them as a skeleton.

use std::io::Write;
use std::process::ExitCode;

use crate::template::{Presence, builtins};

pub(super) fn run(name: Option<&str>) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match name {
        None => {
            for t in builtins() {
                let sections = t.sections.iter().filter(|s| !s.slot);
                let required = sections
                    .clone()
                    .filter(|s| s.presence == Presence::Required)
                    .count();
                let slots = t.sections.iter().filter(|s| s.slot).count();
                let _ = writeln!(
                    out,
                    "{:<14} {} ({} sections, {required} required{})",
                    t.name,
                    t.description,
                    sections.count(),
                    match slots {
                        0 => String::new(),
                        1 => ", 1 example heading".to_string(),
                        n => format!(", {n} example headings"),
                    }
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
                // The note goes to stderr: `templates NAME > my-rfc.md` keeps the skeleton.
                let slots: Vec<String> = t
                    .sections
                    .iter()
                    .filter(|s| s.slot)
                    .map(|s| format!("`{} {}`", "#".repeat(s.level.into()), s.title))
                    .collect();
                if !slots.is_empty() {
                    eprintln!(
                        "note: example headings stand for any number of headings of your own at their level (none is missing, repeats are fine): {}",
                        slots.join(", ")
                    );
                }
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
