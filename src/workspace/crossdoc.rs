//! The rules that need the whole workspace: numbers, ids and uuids unique across RFCs,
//! references and relative links that lead somewhere, and a retired RFC that names its
//! successor. Pure functions of one document's facts and the index.

use crate::analysis::edit::rfc_set_folder;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::index::{Facts, Index, Span, Target};
use crate::analysis::diagnostics::{Severity, severity_of};

/// A finding in one document, with the places in other files it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Bytes of the checked document.
    pub range: Range<usize>,
    /// The same place by line and column: what stays true when an edit within an earlier
    /// line shifted the bytes and left the facts as they were (`edit_keeps_facts`).
    pub span: Option<Span>,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub related: Vec<(PathBuf, Span, String)>,
}

/// Status values that retire an RFC, by their start ("Superseded by RFC-050" counts).
const RETIRED: &[&str] = &[
    "superseded",
    "replaced",
    "deprecated",
    "obsolete",
    "withdrawn",
];

/// `to` relative to the folder of `from`, for messages.
pub fn relative(from: &Path, to: &Path) -> String {
    let base = from.parent().unwrap_or(Path::new("/"));
    let a: Vec<_> = base.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c);
    }
    out.display().to_string()
}

/// The cross-document findings of the RFC at `path` (its facts read from the text being
/// checked, which may differ from the index's copy of the file), with severity overrides
/// applied. The caller has decided that it is an RFC (the analysis chose it a template):
/// its facts' own `is_rfc` knows only its path and text, not the configuration.
///
/// Long: one block per cross-document rule, all over the same index lookups.
pub fn check(
    path: &Path,
    facts: &Facts,
    index: &Index,
    severity: &HashMap<String, Option<Severity>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |at: Option<&Span>,
                    code: &'static str,
                    message: String,
                    related: Vec<(PathBuf, Span, String)>| {
        let Some(severity) = severity_of(code, severity) else {
            return;
        };
        out.push(Finding {
            range: at.map_or(0..0, |s| s.range.clone()),
            span: at.cloned(),
            code,
            severity,
            message,
            related,
        });
    };

    // The number (or id) and the uuid are unique among the RFCs of their folder (for a
    // folder's README, the folder above): a
    // repository's RFC set lives in one folder, and two folders (two teams, the examples
    // beside copies of them kept as test data) number their RFCs apart.
    if let Some(n) = facts.number {
        let same = others(
            path,
            index
                .with_number(n)
                .filter(|(p, _)| rfc_set_folder(p) == rfc_set_folder(path)),
        );
        if !same.is_empty() {
            let at = facts.id.as_ref().or(facts.title.as_ref()).map(|v| &v.span);
            push(
                at,
                "rfc-duplicate",
                format!("RFC number {n} is also used by {}", names(path, &same)),
                same.iter()
                    .take(MAX_RELATED)
                    .map(|(p, o)| {
                        let span =
                            o.id.as_ref()
                                .or(o.title.as_ref())
                                .map(|v| v.span.clone())
                                .unwrap_or_else(top);
                        (p.clone(), span, format!("RFC number {n} here too"))
                    })
                    .collect(),
            );
        }
    }
    // The uuid is unique.
    if let Some(uuid) = facts
        .uuid
        .as_ref()
        .filter(|u| u.value.chars().any(|c| c.is_ascii_hexdigit() && c != '0'))
    {
        let same = others(
            path,
            index
                .with_uuid(&uuid.value)
                .filter(|(p, _)| rfc_set_folder(p) == rfc_set_folder(path)),
        );
        if !same.is_empty() {
            push(
                Some(&uuid.span),
                "uuid-duplicate",
                format!("this doc_uuid is also used by {}", names(path, &same)),
                same.iter()
                    .take(MAX_RELATED)
                    .map(|(p, o)| {
                        let span = o.uuid.as_ref().map(|u| u.span.clone()).unwrap_or_else(top);
                        (p.clone(), span, "the same doc_uuid".to_string())
                    })
                    .collect(),
            );
        }
    }
    // References lead somewhere.
    for r in index.references_of(facts) {
        match &r.target {
            Target::Rfc(n) => {
                if !r.in_link_text
                    && index.complete(r)
                    && facts.number.is_none_or(|own| !own.agrees(*n))
                    && index.named_by(*n).is_empty()
                {
                    push(
                        Some(&r.span),
                        "reference-unknown",
                        format!("no RFC numbered {n} in this workspace"),
                        Vec::new(),
                    );
                }
            }
            Target::Link { path: to, anchor } => {
                // A link to a heading of this document is checked against its own text.
                if to.is_empty() {
                    if let Some(a) = anchor
                        && facts.anchor_line(a).is_none()
                    {
                        push(
                            Some(&r.span),
                            "link-broken",
                            format!("no heading here has the anchor #{a}"),
                            Vec::new(),
                        );
                    }
                    continue;
                }
                match index.resolve_link(path, to) {
                    None => push(
                        Some(&r.span),
                        "link-broken",
                        format!("{to} does not exist"),
                        Vec::new(),
                    ),
                    Some((target, f)) => {
                        if let Some(a) = anchor
                            && f.anchor_line(a).is_none()
                        {
                            push(
                                Some(&r.span),
                                "link-broken",
                                format!(
                                    "{} has no heading with the anchor #{a}",
                                    relative(path, target)
                                ),
                                vec![(target.clone(), top(), "the linked file".to_string())],
                            );
                        }
                    }
                }
            }
        }
    }
    // A retired RFC names its successor.
    if let Some(status) = &facts.status {
        let lower = status.value.trim().to_ascii_lowercase();
        if let Some(word) = RETIRED.iter().find(|w| lower.starts_with(*w)) {
            let named_on_status_line = index.references_of(facts).any(|r| {
                r.span.line == status.span.line && r.span.range.start >= status.span.range.start
            });
            if facts.successor.is_none() && !named_on_status_line {
                push(
                    Some(&status.span),
                    "successor-missing",
                    format!(
                        "a {word} RFC should name its successor (`superseded_by: rfc-NNN`, or \"{} by RFC-NNN\")",
                        capitalise(word)
                    ),
                    Vec::new(),
                );
            }
        }
    }
    out
}

/// How many other files a duplicate names in its message, and links to in its related
/// information: a number shared by hundreds of files (a template copied without editing)
/// must not make every one of their findings list all the others.
const MAX_NAMED: usize = 3;
const MAX_RELATED: usize = 10;

/// "a.md, b.md, c.md and 7 more": the first few of `same`, relative to `path`.
fn names(path: &Path, same: &[(PathBuf, &Facts)]) -> String {
    let out: Vec<String> = same
        .iter()
        .take(MAX_NAMED)
        .map(|(p, _)| relative(path, p))
        .collect();
    if same.len() > MAX_NAMED {
        return format!("{} and {} more", out.join(", "), same.len() - MAX_NAMED);
    }
    match out.len() {
        0 | 1 => out.concat(),
        n => format!("{} and {}", out[..n - 1].join(", "), out[n - 1]),
    }
}

/// The files found other than `path`, in path order.
fn others<'a>(
    path: &Path,
    found: impl Iterator<Item = (&'a PathBuf, &'a std::sync::Arc<Facts>)>,
) -> Vec<(PathBuf, &'a Facts)> {
    let mut v: Vec<(PathBuf, &Facts)> = found
        .filter(|(p, _)| p.as_path() != path)
        .map(|(p, o)| (p.clone(), o.as_ref()))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn top() -> Span {
    Span {
        range: 0..0,
        line: 0,
        start: [0; 3],
        end: [0; 3],
    }
}

fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::metadata::RfcNumber;
    use crate::workspace::index::scan_text;

    fn index(files: &[(&str, &str)]) -> Index {
        let mut index = Index::default();
        for (p, t) in files {
            index.insert(PathBuf::from(p), Arc::new(scan_text(Some(Path::new(p)), t)));
        }
        index
    }

    fn codes(path: &str, text: &str, index: &Index) -> Vec<(&'static str, String)> {
        let facts = scan_text(Some(Path::new(path)), text);
        check(Path::new(path), &facts, index, &HashMap::new())
            .into_iter()
            .map(|f| (f.code, text[f.range].to_string()))
            .collect()
    }

    const A: &str = "---\nid: rfc-001\ndoc_uuid: 3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35\n---\n# RFC-001: A\n\nSee RFC-002.\n";

    #[test]
    fn duplicates_are_found_on_both_sides() {
        let b =
            "---\nid: rfc-001\ndoc_uuid: 3F7C2A91-5D4E-4B8A-9C61-0E2F7D8A4B35\n---\n# RFC-001: B\n";
        let idx = index(&[("/w/rfcs/rfc-001-a.md", A), ("/w/rfcs/rfc-001-b.md", b)]);
        let on_b = codes("/w/rfcs/rfc-001-b.md", b, &idx);
        assert_eq!(
            on_b,
            [
                ("rfc-duplicate", "rfc-001".to_string()),
                (
                    "uuid-duplicate",
                    "3F7C2A91-5D4E-4B8A-9C61-0E2F7D8A4B35".to_string()
                )
            ]
        );
        let facts = scan_text(Some(Path::new("/w/rfcs/rfc-001-a.md")), A);
        let on_a = check(
            Path::new("/w/rfcs/rfc-001-a.md"),
            &facts,
            &idx,
            &HashMap::new(),
        );
        assert_eq!(on_a[0].code, "rfc-duplicate");
        assert_eq!(on_a[0].message, "RFC number 1 is also used by rfc-001-b.md");
        assert_eq!(on_a[0].related[0].0, PathBuf::from("/w/rfcs/rfc-001-b.md"));
        assert_eq!(on_a[0].related[0].1.line, 1);
    }

    #[test]
    fn a_number_shared_by_many_files_names_a_few_and_counts_the_rest() {
        let paths: Vec<String> = (0..200)
            .map(|i| format!("/w/rfcs/copy-{i:03}.md"))
            .collect();
        let files: Vec<(&str, &str)> = paths.iter().map(|p| (p.as_str(), A)).collect();
        let idx = index(&files);
        let facts = scan_text(Some(Path::new(&paths[0])), A);
        let found = check(Path::new(&paths[0]), &facts, &idx, &HashMap::new());
        assert_eq!(found[0].code, "rfc-duplicate");
        assert_eq!(
            found[0].message,
            "RFC number 1 is also used by copy-001.md, copy-002.md, copy-003.md and 196 more"
        );
        assert_eq!(found[0].related.len(), MAX_RELATED);
        assert_eq!(found[1].code, "uuid-duplicate");
        assert_eq!(found[1].related.len(), MAX_RELATED);
        // Two others: both named, no count.
        let idx = index(&files[..3]);
        let found = check(Path::new(&paths[0]), &facts, &idx, &HashMap::new());
        assert_eq!(
            found[0].message,
            "RFC number 1 is also used by copy-001.md and copy-002.md"
        );
    }

    #[test]
    fn distinct_rfcs_that_cite_each_other_are_clean() {
        let b = "---\nid: rfc-002\n---\n# RFC-002: B\n\nBuilds on [A](rfc-001-a.md#rfc-001-a) and RFC-001.\n";
        let idx = index(&[("/w/rfcs/rfc-001-a.md", A), ("/w/rfcs/rfc-002-b.md", b)]);
        assert!(codes("/w/rfcs/rfc-002-b.md", b, &idx).is_empty());
        assert!(codes("/w/rfcs/rfc-001-a.md", A, &idx).is_empty());
    }

    #[test]
    fn dangling_references_and_links() {
        let b = "# RFC-002: B\n\n## Design\n\nRFC-045, [x](rfc-009-gone.md), [y](rfc-001-a.md#nope), [z](#design), [w](#nowhere), [web](https://x.io/rfc-1.md)\n";
        let idx = index(&[("/w/rfcs/rfc-001-a.md", A), ("/w/rfcs/rfc-002-b.md", b)]);
        assert_eq!(
            codes("/w/rfcs/rfc-002-b.md", b, &idx),
            [
                ("reference-unknown", "RFC-045".to_string()),
                ("link-broken", "rfc-009-gone.md".to_string()),
                ("link-broken", "rfc-001-a.md#nope".to_string()),
                ("link-broken", "#nowhere".to_string()),
            ]
        );
    }

    #[test]
    fn numbers_are_identities_as_written() {
        // design-review numbers its RFCs by year: 2025-014, 2026-014 and a plain 14 are
        // three RFCs; two files numbered 2025-014 are one number used twice.
        let doc = |n: &str, refs: &str| {
            format!(
                "# RFC: T\n\n**RFC Number**: {n}  \n**Status**: Draft  \n\n## Summary\n\n{refs}\n"
            )
        };
        let a = doc("2025-014", "Follows RFC-2026-014 and RFC-014.");
        let b = doc("2026-014", "See RFC-2025-014.");
        let c = doc("14", "");
        let d = doc("2025-014", "");
        let files = [
            ("/w/rfcs/a.md", a.as_str()),
            ("/w/rfcs/b.md", b.as_str()),
            ("/w/rfcs/c.md", c.as_str()),
        ];
        let idx = index(&files);
        for (p, t) in files {
            assert!(codes(p, t, &idx).is_empty(), "{p}: {:?}", codes(p, t, &idx));
        }
        let mut with_d = files.to_vec();
        with_d.push(("/w/rfcs/d.md", d.as_str()));
        let idx = index(&with_d);
        assert_eq!(
            codes("/w/rfcs/d.md", &d, &idx),
            [("rfc-duplicate", "2025-014".to_string())]
        );
        let facts = scan_text(Some(Path::new("/w/rfcs/d.md")), &d);
        let found = check(Path::new("/w/rfcs/d.md"), &facts, &idx, &HashMap::new());
        assert_eq!(found[0].message, "RFC number 2025-014 is also used by a.md");
        // A year-numbered reference to a year nobody used is dangling; a plain one names
        // the RFC of that sequence when no RFC is plainly that number.
        let e = doc("2026-020", "RFC-2024-014, RFC-020 and RFC-021.");
        let idx = index(&[("/w/rfcs/a.md", a.as_str()), ("/w/rfcs/e.md", e.as_str())]);
        assert_eq!(
            codes("/w/rfcs/e.md", &e, &idx),
            [
                ("reference-unknown", "RFC-2024-014".to_string()),
                ("reference-unknown", "RFC-021".to_string())
            ]
        );
        let target = idx.target(
            Path::new("/w/rfcs/e.md"),
            &Target::Rfc(RfcNumber::plain(14)),
        );
        assert_eq!(target.map(|t| t.0), Some(PathBuf::from("/w/rfcs/a.md")));
    }

    #[test]
    fn a_dead_link_named_by_its_number_is_one_finding() {
        let b = "# RFC-002: B\n\n- [RFC-046: Gone](rfc-046-gone.md), [RFC-001: A](rfc-001-a.md)\n";
        let idx = index(&[("/w/rfcs/rfc-001-a.md", A), ("/w/rfcs/rfc-002-b.md", b)]);
        assert_eq!(
            codes("/w/rfcs/rfc-002-b.md", b, &idx),
            [("link-broken", "rfc-046-gone.md".to_string())]
        );
    }

    #[test]
    fn anchors_are_found_as_github_finds_them() {
        // Case, percent-encoding, `user-content-`, HTML `id`/`name` and `{#id}` all lead
        // somewhere; a fragment that names nothing is still broken, here and in a neighbour.
        let b = "# RFC-002: B\n\n## Odd Heading\n\n## Café\n\n## The [`cache`](https://x.io) <em>layer</em>\n\n<a name=\"anchor-here\"></a>\n<div id='named'></div>\n\n## Heading {#custom-id}\n\n\
            ### Users write `Fut: Future<Output = T>` here\n\n\
            [a](#Odd-Heading) [b](#caf%C3%A9) [c](#user-content-odd-heading) [d](#anchor-here) [e](#named) \
            [f](#custom-id) [g](#heading-custom-id) [h](#the-cache-layer) [i](rfc-001-a.md#RFC-001-A) \
            [m](#users-write-fut-futureoutput--t-here) \
            [j](#odd-headings) [k](rfc-001-a.md#summary-x)\n\n```html\n<a name=\"in-code\"></a>\n```\n[l](#in-code)\n";
        let idx = index(&[("/w/rfcs/rfc-001-a.md", A), ("/w/rfcs/rfc-002-b.md", b)]);
        assert_eq!(
            codes("/w/rfcs/rfc-002-b.md", b, &idx),
            [
                ("link-broken", "#odd-headings".to_string()),
                ("link-broken", "rfc-001-a.md#summary-x".to_string()),
                ("link-broken", "#in-code".to_string()),
            ]
        );
    }

    #[test]
    fn a_retired_rfc_names_its_successor() {
        let idx = index(&[("/w/rfcs/rfc-001-a.md", A)]);
        let bare = "---\nid: rfc-003\nstatus: Superseded\n---\n# RFC-003: C\n";
        assert_eq!(
            codes("/w/rfcs/rfc-003-c.md", bare, &idx),
            [("successor-missing", "Superseded".to_string())]
        );
        let named =
            "---\nid: rfc-003\nstatus: Superseded\nsuperseded_by: rfc-001\n---\n# RFC-003: C\n";
        assert!(codes("/w/rfcs/rfc-003-c.md", named, &idx).is_empty());
        let inline = "# RFC-003: C\n\n**Status**: Replaced by RFC-001\n";
        assert!(codes("/w/rfcs/rfc-003-c.md", inline, &idx).is_empty());
        let unknown =
            "---\nid: rfc-003\nstatus: Deprecated\nsuperseded_by: rfc-077\n---\n# RFC-003: C\n";
        assert_eq!(
            codes("/w/rfcs/rfc-003-c.md", unknown, &idx),
            [("reference-unknown", "rfc-077".to_string())]
        );
    }

    #[test]
    fn severity_overrides_apply() {
        let b = "# RFC-002: B\n\nRFC-045\n";
        let idx = index(&[("/w/rfcs/rfc-002-b.md", b)]);
        let facts = scan_text(Some(Path::new("/w/rfcs/rfc-002-b.md")), b);
        let off = HashMap::from([("reference-unknown".to_string(), None)]);
        assert!(check(Path::new("/w/rfcs/rfc-002-b.md"), &facts, &idx, &off).is_empty());
        let error = HashMap::from([("reference-unknown".to_string(), Some(Severity::Error))]);
        assert_eq!(
            check(Path::new("/w/rfcs/rfc-002-b.md"), &facts, &idx, &error)[0].severity,
            Severity::Error
        );
    }
}
