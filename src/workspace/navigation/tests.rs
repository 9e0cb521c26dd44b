//! The navigation features on small in-memory workspaces, each with a `$0` cursor.

use std::path::{Path, PathBuf};

use super::fixture::{line_of, workspace};
use super::*;
use crate::analysis::edit::apply;

const CACHE: &str = "/ws/rfcs/rfc-042-cache.md";
const AUDIT: &str = "/ws/rfcs/rfc-007-a.md";
const PLAN: &str = "/ws/notes/plan.md";

const CACHE_TEXT: &str = "---
id: rfc-042
status: Accepted
tags: [cache, perf]
---

# RFC-042: Response cache

## Summary

Responses are cached at the edge. The rest follows.

## Design

Audit every miss as [x](rfc-007-a.md#design) says.
";

const AUDIT_TEXT: &str = "# RFC-007: Audit log

**RFC Number**: 007
**Status**: Draft

## Summary

The audit log is exported nightly.

## Design

Misses of RFC-042 are logged; see [the cache](rfc-042-cache.md).
";

const PLAN_TEXT: &str = "# Plan

We build on RFC-042 and [the design](../rfcs/rfc-007-a.md#design).
Not `RFC-042`, which is code.
";

/// The three files, `$0` put at the first `at` in `file` (at its `+ shift`th byte).
fn three(file: &str, at: &str, shift: usize) -> super::fixture::Fixture {
    let put = |path: &str, text: &str| -> String {
        if path != file {
            return text.to_string();
        }
        let i = text.find(at).unwrap_or_else(|| panic!("{at:?} in {path}")) + shift;
        format!("{}$0{}", &text[..i], &text[i..])
    };
    let (c, a, p) = (
        put(CACHE, CACHE_TEXT),
        put(AUDIT, AUDIT_TEXT),
        put(PLAN, PLAN_TEXT),
    );
    workspace(&[(CACHE, &c), (AUDIT, &a), (PLAN, &p)])
}

/// The text a span covers in the fixture's file.
fn spanned<'a>(f: &'a super::fixture::Fixture, path: &Path, span: &Span) -> &'a str {
    &f.text_of(path.to_str().unwrap())[span.range.clone()]
}

#[test]
fn definition_of_an_rfc_number_in_prose_goes_to_its_title_line() {
    let f = workspace(&[
        (CACHE, CACHE_TEXT),
        (PLAN, "# Plan\n\nWe build on RFC-0$042 now.\n"),
    ]);
    assert_eq!(
        definition(&f.index, &f.path, &f.facts, f.offset),
        Some((PathBuf::from(CACHE), line_of(CACHE_TEXT, "# RFC-042")))
    );
    // Off the reference: nowhere.
    let f = workspace(&[
        (CACHE, CACHE_TEXT),
        (PLAN, "# Plan\n\nWe $0build on RFC-042.\n"),
    ]);
    assert_eq!(definition(&f.index, &f.path, &f.facts, f.offset), None);
}

#[test]
fn definition_of_a_relative_link_goes_to_the_anchors_line() {
    let f = three(CACHE, "rfc-007-a.md#design", 3);
    assert_eq!(
        definition(&f.index, &f.path, &f.facts, f.offset),
        Some((PathBuf::from(AUDIT), line_of(AUDIT_TEXT, "## Design")))
    );
    // Without an anchor: the title line.
    let f = three(AUDIT, "rfc-042-cache.md)", 0);
    assert_eq!(
        definition(&f.index, &f.path, &f.facts, f.offset),
        Some((PathBuf::from(CACHE), line_of(CACHE_TEXT, "# RFC-042")))
    );
}

#[test]
fn references_to_an_rfc_come_from_the_other_documents() {
    // On the RFC's own title.
    let f = three(CACHE, "Response cache\n\n", 2);
    let found = references(&f.index, &f.path, &f.facts, f.offset, true).expect("an RFC");
    let title = line_of(CACHE_TEXT, "# RFC-042");
    assert_eq!(found[0], Place::Line(PathBuf::from(CACHE), title));
    let rest: Vec<(&str, &str, u32)> = found[1..]
        .iter()
        .map(|p| match p {
            Place::Span(path, span) => (path.to_str().unwrap(), spanned(&f, path, span), span.line),
            other => panic!("a reference, not {other:?}"),
        })
        .collect();
    // By path: the plan's number (not the one in code), the audit RFC's number and link.
    assert_eq!(
        rest,
        [
            (PLAN, "RFC-042", line_of(PLAN_TEXT, "We build")),
            (AUDIT, "RFC-042", line_of(AUDIT_TEXT, "Misses")),
            (AUDIT, "rfc-042-cache.md", line_of(AUDIT_TEXT, "Misses")),
        ]
    );
    // Without the declaration, and from a reference in another document.
    let f = three(PLAN, "RFC-042 and", 4);
    let again = references(&f.index, &f.path, &f.facts, f.offset, false).expect("an RFC");
    assert_eq!(again, found[1..]);
    // Nowhere in particular: no RFC.
    let f = three(PLAN, "We build", 0);
    assert_eq!(
        references(&f.index, &f.path, &f.facts, f.offset, true),
        None
    );
}

#[test]
fn hover_on_a_reference_names_the_target() {
    let f = three(PLAN, "RFC-042 and", 1);
    let h = reference_hover(&f.index, &f.path, &f.facts, f.offset).expect("a hover");
    assert_eq!(
        h.text,
        "**RFC-042: Response cache** · Accepted\n\n`../rfcs/rfc-042-cache.md`\n\n\
         Responses are cached at the edge."
    );
    assert_eq!(&f.text[h.range], "RFC-042");
    // A dangling one says so.
    let f = workspace(&[(CACHE, CACHE_TEXT), (PLAN, "# Plan\n\nSee RFC-0$099.\n")]);
    let h = reference_hover(&f.index, &f.path, &f.facts, f.offset).expect("a hover");
    assert_eq!(h.text, "No RFC numbered 99 in this workspace.");
    let f = workspace(&[(PLAN, "# Plan\n\nSee [it](gone$0.md).\n")]);
    let h = reference_hover(&f.index, &f.path, &f.facts, f.offset).expect("a hover");
    assert_eq!(h.text, "`gone.md` is not in this workspace.");
}

#[test]
fn document_links_lead_to_the_files_the_index_has() {
    let text = "# Plan\n\n[a](../rfcs/rfc-007-a.md#design), [b](../rfcs/rfc-042-cache.md), \
                [c](gone.md), [d](#plan), RFC-042$0.\n";
    let f = workspace(&[(CACHE, CACHE_TEXT), (AUDIT, AUDIT_TEXT), (PLAN, text)]);
    let got: Vec<(&str, PathBuf, u32, Option<String>)> = links(&f.index, &f.path, &f.facts)
        .into_iter()
        .map(|l| (&f.text[l.range], l.target, l.line, l.tooltip))
        .collect();
    assert_eq!(
        got,
        [
            (
                "../rfcs/rfc-007-a.md#design",
                PathBuf::from(AUDIT),
                line_of(AUDIT_TEXT, "## Design"),
                Some("RFC-007: Audit log".to_string())
            ),
            (
                "../rfcs/rfc-042-cache.md",
                PathBuf::from(CACHE),
                line_of(CACHE_TEXT, "# RFC-042"),
                Some("RFC-042: Response cache".to_string())
            ),
        ]
    );
}

#[test]
fn workspace_symbols_are_the_rfcs_the_query_finds() {
    let f = three(PLAN, "We", 0);
    let names = |query: &str| -> Vec<String> {
        workspace_symbols(&f.index, query)
            .into_iter()
            .map(|s| s.name)
            .collect()
    };
    // All RFCs by number (the plan is no RFC); by title, number, id or tag.
    assert_eq!(names(""), ["RFC-007: Audit log", "RFC-042: Response cache"]);
    assert_eq!(names("  CACHE "), ["RFC-042: Response cache"]);
    assert_eq!(names("audit"), ["RFC-007: Audit log"]);
    assert_eq!(names("7"), ["RFC-007: Audit log"]);
    assert_eq!(names("rfc-042"), ["RFC-042: Response cache"]);
    assert_eq!(names("perf"), ["RFC-042: Response cache"]);
    assert!(names("plan").is_empty());
    let cache = &workspace_symbols(&f.index, "perf")[0];
    assert_eq!(cache.path, PathBuf::from(CACHE));
    assert_eq!(cache.container.as_deref(), Some("Accepted · cache, perf"));
    let span = cache.span.as_ref().expect("the title");
    assert_eq!(span.line, line_of(CACHE_TEXT, "# RFC-042"));
}

#[test]
fn references_complete_after_rfc_and_after_a_link() {
    let labels = |text: &str| -> Option<Vec<(String, String)>> {
        let f = workspace(&[(CACHE, CACHE_TEXT), (AUDIT, AUDIT_TEXT), (PLAN, text)]);
        let s = f.snapshot();
        let items = reference_completion(&f.index, &s, &f.path, f.offset)?;
        Some(
            items
                .into_iter()
                .map(|i| (i.label, apply(&f.text, std::slice::from_ref(&i.edit))))
                .collect(),
        )
    };
    assert_eq!(
        labels("# Plan\n\nAs rfc_$0 says.\n").expect("items"),
        [
            (
                "rfc_007".to_string(),
                "# Plan\n\nAs rfc_007 says.\n".to_string()
            ),
            (
                "rfc_042".to_string(),
                "# Plan\n\nAs rfc_042 says.\n".to_string()
            ),
        ]
    );
    assert_eq!(
        labels("# Plan\n\n[it](../r$0\n").expect("items"),
        [
            (
                "../rfcs/rfc-007-a.md".to_string(),
                "# Plan\n\n[it](../rfcs/rfc-007-a.md\n".to_string()
            ),
            (
                "../rfcs/rfc-042-cache.md".to_string(),
                "# Plan\n\n[it](../rfcs/rfc-042-cache.md\n".to_string()
            ),
        ]
    );
    assert_eq!(labels("# Plan\n\nAs we $0\n"), None);
    // An RFC is not offered in its own text.
    let f = workspace(&[
        (CACHE, &CACHE_TEXT.replace("The rest", "RFC$0 rest")),
        (AUDIT, AUDIT_TEXT),
    ]);
    let items = reference_completion(&f.index, &f.snapshot(), &f.path, f.offset).expect("items");
    let got: Vec<(&str, RefKind, &str)> = items
        .iter()
        .map(|i| (i.label.as_str(), i.kind, i.detail.as_str()))
        .collect();
    assert_eq!(got, [("RFC-007", RefKind::Rfc, "RFC-007: Audit log")]);
    assert_eq!(items[0].sort.as_deref(), Some("0000000007"));
    assert_eq!(
        items[0].documentation.as_deref(),
        Some("The audit log is exported nightly.")
    );
}

/// The texts after a rename, by path.
fn renamed(f: &super::fixture::Fixture, r: &Renumbering) -> Vec<(String, String)> {
    r.files
        .iter()
        .map(|e| {
            assert_eq!(
                e.text,
                f.text_of(e.path.to_str().unwrap()),
                "edits of the text read"
            );
            (e.path.display().to_string(), apply(&e.text, &e.edits))
        })
        .collect()
}

#[test]
fn rename_renumbers_the_file_its_id_and_the_references_but_not_code() {
    let f = three(CACHE, "rfc-042\nstatus", 4);
    let to = subject(&f.index, &f.path, &f.facts, f.offset).expect("on the id");
    assert_eq!(to, PathBuf::from(CACHE));
    let read = |p: &Path| f.texts.get(p).cloned();
    let r = rename(&f.index, &to, RfcNumber::plain(50), true, &|_| None, &read).expect("renamed");
    assert_eq!((r.old, r.new), (RfcNumber::plain(42), RfcNumber::plain(50)));
    assert_eq!(
        r.rename,
        Some((
            PathBuf::from(CACHE),
            PathBuf::from("/ws/rfcs/rfc-050-cache.md")
        ))
    );
    let cache = CACHE_TEXT
        .replace("id: rfc-042", "id: rfc-050")
        .replace("# RFC-042", "# RFC-050");
    let audit = AUDIT_TEXT
        .replace("RFC-042", "RFC-050")
        .replace("rfc-042-cache.md", "rfc-050-cache.md");
    let plan = PLAN_TEXT.replacen("RFC-042", "RFC-050", 1);
    assert!(plan.contains("`RFC-042`"), "the code span stays");
    assert_eq!(
        renamed(&f, &r),
        [
            (PLAN.to_string(), plan),
            (AUDIT.to_string(), audit),
            (CACHE.to_string(), cache),
        ]
    );
}

#[test]
fn rename_without_renaming_files_keeps_the_links_and_refuses_a_taken_number() {
    let f = three(AUDIT, "RFC-042 are", 2);
    let to = subject(&f.index, &f.path, &f.facts, f.offset).expect("on a reference");
    // An open buffer is read, with its facts, instead of the disk and the index: here
    // it cites the cache twice.
    let buffer = AUDIT_TEXT.replace("Misses", "RFC-042 misses");
    let read = |p: &Path| match p == Path::new(AUDIT) {
        true => Some(buffer.clone()),
        false => f.texts.get(p).cloned(),
    };
    let open = |p: &Path| {
        (p == Path::new(AUDIT)).then(|| crate::workspace::index::scan_text(Some(p), &buffer))
    };
    let r = rename(&f.index, &to, RfcNumber::plain(43), false, &open, &read).expect("renamed");
    assert_eq!(r.rename, None);
    let audit = r
        .files
        .iter()
        .find(|e| e.path == Path::new(AUDIT))
        .expect("the audit RFC");
    assert_eq!(
        apply(&audit.text, &audit.edits),
        buffer.replace("RFC-042", "RFC-043"),
        "the link to the file keeps its name"
    );
    assert_eq!(
        rename(
            &f.index,
            &to,
            RfcNumber::parse("rfc-7").unwrap(),
            true,
            &|_| None,
            &read
        ),
        Err("RFC number 7 is taken".to_string())
    );
    assert_eq!(
        rename(&f.index, &to, RfcNumber::plain(42), true, &|_| None, &read),
        Err("that is already its number".to_string())
    );
    assert_eq!(
        rename(
            &f.index,
            &to,
            RfcNumber::plain(50),
            true,
            &|_| None,
            &|_| None
        ),
        Err("the RFC's file cannot be read".to_string())
    );
    assert!(file_keeps_number(&to) && !file_keeps_number(Path::new(PLAN)));
}

#[test]
fn a_citation_in_the_repositorys_own_form_leads_to_its_rfc_once_configured() {
    use crate::workspace::index::RefForm;
    const SE: &str = "/ws/proposals/0400-init-accessors.md";
    const SE_TEXT: &str = "# Init accessors\n\n* Proposal: [SE-0400](0400-init-accessors.md)\n";
    let plan = "# Plan\n\nAs SE-$00400 proposes, and UTF-8 too.\n";
    let mut f = workspace(&[(SE, SE_TEXT), (PLAN, plan)]);
    // Without `references:`, only `RFC-042` counts.
    assert_eq!(definition(&f.index, &f.path, &f.facts, f.offset), None);
    f.index.accept_forms([&Some(vec![RefForm {
        form: Some("SE-".into()),
        complete: true,
    }])]);
    assert_eq!(
        definition(&f.index, &f.path, &f.facts, f.offset),
        Some((PathBuf::from(SE), 0))
    );
    // And `RFC-042` no longer does, unless the list names it.
    let f2 = workspace(&[
        (CACHE, CACHE_TEXT),
        (PLAN, "# Plan\n\nWe build on RFC-0$042 now.\n"),
    ]);
    let mut index = f2.index;
    index.accept_forms([&Some(vec![RefForm {
        form: Some("SE-".into()),
        complete: true,
    }])]);
    assert_eq!(definition(&index, &f2.path, &f2.facts, f2.offset), None);
}

#[test]
fn prepare_rename_selects_what_a_rename_changes_or_says_why_not() {
    let mut f = workspace(&[
        (CACHE, CACHE_TEXT),
        (
            PLAN,
            "# Plan\n\nWe build on RFC-0$042 now, and on RFC-999.\n",
        ),
    ]);
    // Until the workspace is read, nothing can be renamed safely.
    let early = prepare_rename(&f.index, &f.path, &f.facts, f.offset);
    assert!(early.is_err_and(|e| e.contains("still being read")));
    f.index.ready = true;
    let (span, number) =
        prepare_rename(&f.index, &f.path, &f.facts, f.offset).expect("a reference");
    assert_eq!(&f.text[span.range.clone()], "RFC-042");
    assert_eq!(number, "42");
    // A number no RFC has, plain prose, a link: refused, each with its reason.
    let at = |needle: &str| f.text.find(needle).expect("in the text") + 2;
    let why =
        |offset: usize| prepare_rename(&f.index, &f.path, &f.facts, offset).expect_err("refused");
    assert!(why(at("RFC-999")).contains("no RFC"));
    assert!(why(at("build")).contains("not on an RFC"));
    // On the RFC's own title: the title.
    let mut g = three(CACHE, "Response cache\n\n", 2);
    g.index.ready = true;
    let (span, number) = prepare_rename(&g.index, &g.path, &g.facts, g.offset).expect("the title");
    assert_eq!(span.line, line_of(CACHE_TEXT, "# RFC-042"));
    assert_eq!(number, "42");
    let link = three(AUDIT, "rfc-042-cache.md)", 0);
    let mut link = link;
    link.index.ready = true;
    let refused = prepare_rename(&link.index, &link.path, &link.facts, link.offset);
    assert!(refused.is_err_and(|e| e.contains("link")));
}

#[test]
fn inlay_hints_name_the_rfc_cited_and_lenses_count_who_cites_it() {
    let plan =
        "# Plan\n\nWe build on RFC-042$0 now; RFC-042: Response cache is named; RFC-999 is none.\n";
    let f = workspace(&[(CACHE, CACHE_TEXT), (AUDIT, AUDIT_TEXT), (PLAN, plan)]);
    let char_at = |at: usize| f.text[at..].chars().next();
    let hints = inlay_hints(&f.index, &f.path, &f.facts, &char_at, 0..f.text.len());
    let got: Vec<(&str, &str)> = hints
        .iter()
        .map(|(span, label)| (&f.text[span.range.clone()], label.as_str()))
        .collect();
    // Once: the second citation is followed by its title already, the third leads nowhere.
    assert_eq!(got, [("RFC-042", ": Response cache (Accepted)")]);
    // Outside the range asked for: none.
    assert!(inlay_hints(&f.index, &f.path, &f.facts, &char_at, 0..5).is_empty());

    // The cache RFC is cited by the audit RFC (the plan is a note, not an RFC).
    let plain = plan.replace("$0", "");
    let cache = workspace(&[
        (CACHE, &format!("$0{CACHE_TEXT}")),
        (AUDIT, AUDIT_TEXT),
        (PLAN, &plain),
    ]);
    let found = lenses(&cache.index, &cache.path, &cache.facts);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line_of(CACHE_TEXT, "# RFC-042"));
    assert_eq!(found[0].1, "cited by 1 RFC");
    assert!(
        found[0]
            .2
            .iter()
            .all(|p| matches!(p, Place::Span(f, _) if f == Path::new(AUDIT)))
    );
    // A superseded RFC names its successor.
    let old = "---\nid: rfc-007\nstatus: Superseded\nsuperseded_by: rfc-042\n---\n\n$0# RFC-007: Old audit\n";
    let f = workspace(&[(CACHE, CACHE_TEXT), ("/ws/rfcs/rfc-007-old.md", old)]);
    let found = lenses(&f.index, &f.path, &f.facts);
    let titles: Vec<&str> = found.iter().map(|l| l.1.as_str()).collect();
    assert_eq!(titles, ["cited by no other RFC", "superseded by RFC-042"]);
    assert_eq!(
        found[1].2,
        [Place::Line(
            PathBuf::from(CACHE),
            line_of(CACHE_TEXT, "# RFC-042")
        )]
    );
}
