//! Whether a document is an RFC, from what it says of itself: its path (an RFC folder, an
//! `rfc-NNN` name), its title (`RFC-042: ...`, `RFC: ...`) or a metadata field (`id:
//! rfc-042`, `RFC Number`, `template`). One set of rules for the analysis (which runs the
//! RFC rules only on RFCs) and the workspace index (which lists RFCs), so both agree.

use std::path::Path;

/// Folder names that hold RFCs and design docs.
pub const RFC_FOLDERS: &[&str] = &[
    "rfcs",
    "rfc",
    "rfds",
    "rfd",
    "design-docs",
    "designs",
    "proposals",
    "adrs",
];

/// The path says RFC: a folder of its is an RFC folder, or its name is `rfc-NNN...`.
pub fn path_says_rfc(path: &Path) -> bool {
    let in_folder = path.parent().is_some_and(|dir| {
        dir.components().any(|c| {
            RFC_FOLDERS.contains(
                &c.as_os_str()
                    .to_string_lossy()
                    .to_ascii_lowercase()
                    .as_str(),
            )
        })
    });
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let named = name.strip_prefix("rfc").is_some_and(|rest| {
        let rest = rest.trim_start_matches(['-', '_']);
        rest.starts_with(|c: char| c.is_ascii_digit())
    });
    in_folder || named
}

/// The title (the first H1's text) says RFC: it starts with `RFC` and no other letter
/// (`RFC-042: Cache`, `RFC: Cache`, `RFC 7 - Cache`; not `RFCs we keep`).
pub fn title_says_rfc(title: &str) -> bool {
    let t = title.trim_start();
    t.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("rfc"))
        && t[3..].chars().next().is_none_or(|c| !c.is_alphabetic())
}

/// A metadata field says RFC: `template`, `RFC Number` (`rfc_number`, `rfc`), or an `id`
/// whose value starts with `rfc`.
pub fn field_says_rfc(key: &str, value: &str) -> bool {
    let key = key.trim().to_ascii_lowercase();
    match key.as_str() {
        "template" | "rfc number" | "rfc_number" | "rfc" => true,
        "id" => value
            .trim()
            .get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case("rfc")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_says_rfc() {
        assert!(path_says_rfc(Path::new("/w/docs/rfcs/cache.md")));
        assert!(path_says_rfc(Path::new("/w/rfc-042-cache.md")));
        assert!(!path_says_rfc(Path::new("/w/docs/rfc-guide.md")));
        assert!(title_says_rfc("RFC-042: Cache") && title_says_rfc("RFC: Cache"));
        assert!(title_says_rfc("rfc") && !title_says_rfc("RFCs we keep"));
        assert!(field_says_rfc("RFC Number", "2026-042") && field_says_rfc("template", "x"));
        assert!(field_says_rfc("id", "rfc-042") && !field_says_rfc("id", "adr-7"));
        assert!(!field_says_rfc("number", "5"));
    }
}
