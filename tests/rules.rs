//! Every diagnostic rule: a fixture that triggers it (with the exact text it points at) and
//! fixtures that must not. Fixtures are the example RFCs with one fault written in, so the
//! rest of each document is known to be clean.

use std::path::Path;

use rfc_lsp::analysis::diagnostics::{Diagnostic, RULES, Severity, check};
use rfc_lsp::syntax::Document;
use rfc_lsp::workspace::Settings;

const DOCUCHANGO: &str = include_str!("../examples/rfc-042-response-cache.md");
const DESIGN_REVIEW: &str = include_str!("../examples/rfc-007-audit-log-export.md");
const APPROVAL: &str = include_str!("../examples/rfc-015-feature-flag-service.md");
const GUIDED: &str = include_str!("../examples/rfc-023-team-invitations.md");
const MULTI_APP: &str = include_str!("../examples/rfc-031-job-retry-policy.md");

const DOCUCHANGO_PATH: &str = "/repo/docs/rfcs/rfc-042-response-cache.md";

fn diagnose_with(text: &str, path: &str, settings: &Settings) -> (Option<String>, Vec<Diagnostic>) {
    let snapshot = Document::new(text, 0).snapshot();
    let ctx = settings.context(Some(Path::new(path)), None);
    let report = check(&snapshot, &ctx);
    (
        report.template().map(|t| t.name.clone()),
        report.diagnostics,
    )
}

fn diagnose(text: &str, path: &str) -> Vec<Diagnostic> {
    diagnose_with(text, path, &Settings::defaults(Path::new("/repo"))).1
}

fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the fixture contains {from:?}");
    text.replacen(from, to, 1)
}

/// Asserts that `code` fires, pointing at `at` (the text of its range), and returns it.
#[track_caller]
fn fires(text: &str, path: &str, code: &str, at: &str) -> Diagnostic {
    let found = diagnose(text, path);
    let d = found
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| {
            panic!(
                "{code} did not fire; got {:?}",
                found.iter().map(|d| d.code).collect::<Vec<_>>()
            )
        })
        .clone();
    assert_eq!(
        &text[d.range.clone()],
        at,
        "{code} points at the fault: {}",
        d.message
    );
    d
}

#[track_caller]
fn silent(text: &str, path: &str, code: &str) {
    let found = diagnose(text, path);
    assert!(
        !found.iter().any(|d| d.code == code),
        "{code} fired: {:?}",
        found.iter().find(|d| d.code == code)
    );
}

#[test]
fn the_five_example_rfcs_are_clean_and_each_gets_its_template() {
    for (text, path, template) in [
        (DOCUCHANGO, DOCUCHANGO_PATH, "docuchango"),
        (
            DESIGN_REVIEW,
            "/repo/rfcs/rfc-007-audit-log-export.md",
            "design-review",
        ),
        (
            APPROVAL,
            "/repo/rfcs/rfc-015-feature-flag-service.md",
            "approval",
        ),
        (GUIDED, "/repo/rfcs/rfc-023-team-invitations.md", "guided"),
        (
            MULTI_APP,
            "/repo/rfcs/rfc-031-job-retry-policy.md",
            "multi-app",
        ),
    ] {
        let (chosen, found) = diagnose_with(text, path, &Settings::defaults(Path::new("/repo")));
        assert_eq!(chosen.as_deref(), Some(template), "{path}");
        let bad: Vec<_> = found
            .iter()
            .filter(|d| d.severity <= Severity::Warning)
            .collect();
        assert!(bad.is_empty(), "{path}: {bad:#?}");
    }
}

#[test]
fn markdown_that_is_not_an_rfc_gets_nothing() {
    let readme = "# Project\n\nSome notes.\n\n## Install\n\nRun it.\n";
    let (template, found) = diagnose_with(
        readme,
        "/repo/README.md",
        &Settings::defaults(Path::new("/repo")),
    );
    assert_eq!(template, None);
    assert!(found.is_empty());
    // In an rfcs/ folder, notes like no template are still not held to one: only the
    // folder says RFC.
    let (template, found) = diagnose_with(
        readme,
        "/repo/rfcs/notes.md",
        &Settings::defaults(Path::new("/repo")),
    );
    assert_eq!(template, None, "{found:#?}");
    assert!(found.is_empty());
    // A title that says RFC, or a document much like a template, is one.
    let titled = readme.replace("# Project", "# RFC-009: Project");
    let (template, found) = diagnose_with(
        &titled,
        "/repo/rfcs/notes.md",
        &Settings::defaults(Path::new("/repo")),
    );
    assert!(template.is_some());
    assert!(!found.is_empty());
    let sparse = replace(DESIGN_REVIEW, "**RFC Number**: 2026-007  \n", "");
    let (template, _) = diagnose_with(
        &replace(&sparse, "# RFC: ", "# "),
        "/repo/rfcs/audit.md",
        &Settings::defaults(Path::new("/repo")),
    );
    assert_eq!(template.as_deref(), Some("design-review"));
}

#[test]
fn no_findings_for_trailing_hard_breaks_crlf_and_a_bom() {
    let crlf = DESIGN_REVIEW.replace('\n', "\r\n");
    assert!(
        diagnose(&crlf, "/repo/rfcs/rfc-007-x.md")
            .iter()
            .all(|d| d.severity > Severity::Warning)
    );
    let bom = format!("\u{feff}{DOCUCHANGO}");
    let found = diagnose(&bom, DOCUCHANGO_PATH);
    assert!(
        found.iter().all(|d| d.severity > Severity::Warning),
        "{found:#?}"
    );
}

// --- metadata -------------------------------------------------------------------------

#[test]
fn metadata_missing() {
    let body = &DOCUCHANGO[DOCUCHANGO.find("\n---\n").unwrap() + 5..];
    fires(body, DOCUCHANGO_PATH, "metadata-missing", "");
    let no_bold = replace(
        DESIGN_REVIEW,
        "**RFC Number**: 2026-007  \n**Status**: Under Review  \n**Last Updated**: 2026-03-11  \n",
        "",
    );
    let no_bold = no_bold.replacen("**Author(s)**", "Author(s)", 1).replacen(
        "**Reviewer(s)**",
        "Reviewer(s)",
        1,
    );
    fires(
        &no_bold,
        "/repo/rfcs/rfc-007-x.md",
        "metadata-missing",
        "# RFC: Audit Log Export",
    );
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "metadata-missing");
}

#[test]
fn frontmatter_unclosed_and_not_first() {
    let unclosed = replace(
        DOCUCHANGO,
        "doc_uuid: \"3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35\"\n---\n",
        "doc_uuid: \"3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35\"\n",
    );
    fires(&unclosed, DOCUCHANGO_PATH, "frontmatter-unclosed", "---");
    let late = format!("\n{DOCUCHANGO}");
    fires(&late, DOCUCHANGO_PATH, "frontmatter-not-first", "---");
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "frontmatter-unclosed");
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "frontmatter-not-first");
}

#[test]
fn yaml_syntax_is_one_error_at_its_place_and_the_rest_still_works() {
    let broken = replace(DOCUCHANGO, "author: Maren Okafor", "author: \"Maren Okafor");
    let found = diagnose(&broken, DOCUCHANGO_PATH);
    let yaml: Vec<_> = found.iter().filter(|d| d.code == "yaml-syntax").collect();
    assert_eq!(yaml.len(), 1, "{found:#?}");
    let line = broken[..yaml[0].range.start].matches('\n').count();
    assert!(
        (7..=11).contains(&line),
        "the error is in the frontmatter, near the quote (line {line})"
    );
    // The fields before the error are still checked: the title rule still sees them.
    assert!(!found.iter().any(|d| d.code == "metadata-missing"));
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "yaml-syntax");
}

#[test]
fn field_missing_empty_and_duplicate() {
    let missing = replace(
        DOCUCHANGO,
        "doc_uuid: \"3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35\"\n",
        "",
    );
    let d = fires(&missing, DOCUCHANGO_PATH, "field-missing", "---");
    assert!(d.message.contains("doc_uuid"));
    let empty = replace(DOCUCHANGO, "author: Maren Okafor", "author:");
    fires(&empty, DOCUCHANGO_PATH, "field-empty", "author");
    let dup = replace(
        DOCUCHANGO,
        "author: Maren Okafor\n",
        "author: Maren Okafor\nstatus: Draft\n",
    );
    let d = fires(&dup, DOCUCHANGO_PATH, "field-duplicate", "status");
    assert_eq!(d.related.len(), 1);
    for code in ["field-missing", "field-empty", "field-duplicate"] {
        silent(DOCUCHANGO, DOCUCHANGO_PATH, code);
    }
    // Template 004 does not require an RFC Number: leaving it out is fine.
    let optional = replace(MULTI_APP, "**RFC Number:** 031  \n", "");
    silent(&optional, "/repo/rfcs/rfc-031-x.md", "field-missing");
}

#[test]
fn field_type_placeholder_and_format() {
    let scalar_tags = replace(
        DOCUCHANGO,
        "tags: [\"performance\", \"caching\", \"catalog-api\", \"redis\"]",
        "tags: performance",
    );
    fires(&scalar_tags, DOCUCHANGO_PATH, "field-type", "performance");
    let list_status = replace(DOCUCHANGO, "status: In Review", "status: [In Review]");
    fires(&list_status, DOCUCHANGO_PATH, "field-type", "[In Review]");
    let placeholder = replace(DOCUCHANGO, "author: Maren Okafor", "author: Your Name");
    fires(
        &placeholder,
        DOCUCHANGO_PATH,
        "field-placeholder",
        "Your Name",
    );
    let zero = replace(
        DOCUCHANGO,
        "3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35",
        "00000000-0000-4000-8000-000000000000",
    );
    fires(
        &zero,
        DOCUCHANGO_PATH,
        "field-placeholder",
        "\"00000000-0000-4000-8000-000000000000\"",
    );
    let upper = replace(DOCUCHANGO, "id: \"rfc-042\"", "id: \"RFC-042\"");
    fires(&upper, DOCUCHANGO_PATH, "field-format", "\"RFC-042\"");
    let slug = replace(
        DOCUCHANGO,
        "slug: rfc-042-response-cache",
        "slug: rfc-042-Response_Cache",
    );
    fires(
        &slug,
        DOCUCHANGO_PATH,
        "field-format",
        "rfc-042-Response_Cache",
    );
    for code in ["field-type", "field-placeholder", "field-format"] {
        silent(DOCUCHANGO, DOCUCHANGO_PATH, code);
    }
}

#[test]
fn status_and_enum_values_with_the_closest_suggestion() {
    let bad = replace(DOCUCHANGO, "status: In Review", "status: Inreview");
    let d = fires(&bad, DOCUCHANGO_PATH, "status-invalid", "Inreview");
    assert!(
        d.message.contains("did you mean \"In Review\""),
        "{}",
        d.message
    );
    let state = replace(GUIDED, "state: in-progress", "state: done");
    fires(&state, "/repo/rfcs/rfc-023-x.md", "status-invalid", "done");
    let bold = replace(
        DESIGN_REVIEW,
        "**Status**: Under Review",
        "**Status**: Reviewed",
    );
    fires(
        &bold,
        "/repo/rfcs/rfc-007-x.md",
        "status-invalid",
        "Reviewed",
    );
    let list = replace(APPROVAL, "- **Status**: Accepted", "- **Status**: accepted");
    let d = fires(
        &list,
        "/repo/rfcs/rfc-015-x.md",
        "status-invalid",
        "accepted",
    );
    assert!(d.message.contains("\"Accepted\""));
    let apps = replace(
        MULTI_APP,
        "api, orchestrator, jobmaster, shared",
        "api, scheduler, shared",
    );
    fires(
        &apps,
        "/repo/rfcs/rfc-031-x.md",
        "enum-invalid",
        "scheduler",
    );
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "status-invalid");
    silent(MULTI_APP, "/repo/rfcs/rfc-031-x.md", "enum-invalid");
}

#[test]
fn dates_real_and_in_order() {
    let not_real = replace(DOCUCHANGO, "created: 2026-02-09", "created: 2026-02-30");
    fires(&not_real, DOCUCHANGO_PATH, "date-invalid", "2026-02-30");
    let form = replace(DOCUCHANGO, "created: 2026-02-09", "created: 9 Feb 2026");
    fires(&form, DOCUCHANGO_PATH, "date-invalid", "9 Feb 2026");
    let order = replace(DOCUCHANGO, "updated: 2026-03-02", "updated: 2026-01-02");
    let d = fires(&order, DOCUCHANGO_PATH, "date-order", "2026-01-02");
    assert_eq!(&order[d.related[0].range.clone()], "2026-02-09");
    let same_day = replace(DOCUCHANGO, "updated: 2026-03-02", "updated: 2026-02-09");
    silent(&same_day, DOCUCHANGO_PATH, "date-order");
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "date-invalid");
}

#[test]
fn uuid_v4() {
    let v1 = replace(
        DOCUCHANGO,
        "3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35",
        "3f7c2a91-5d4e-1b8a-9c61-0e2f7d8a4b35",
    );
    fires(
        &v1,
        DOCUCHANGO_PATH,
        "uuid-invalid",
        "\"3f7c2a91-5d4e-1b8a-9c61-0e2f7d8a4b35\"",
    );
    let short = replace(
        DOCUCHANGO,
        "3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35",
        "3f7c2a91",
    );
    fires(&short, DOCUCHANGO_PATH, "uuid-invalid", "\"3f7c2a91\"");
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "uuid-invalid");
}

#[test]
fn id_and_file_name_slug_prefix_and_title_number() {
    fires(
        DOCUCHANGO,
        "/repo/docs/rfcs/rfc-043-response-cache.md",
        "id-file-mismatch",
        "\"rfc-042\"",
    );
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "id-file-mismatch");
    let slug = replace(
        DOCUCHANGO,
        "slug: rfc-042-response-cache",
        "slug: response-cache",
    );
    fires(&slug, DOCUCHANGO_PATH, "field-prefix", "response-cache");
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "field-prefix");
    let title = replace(
        DOCUCHANGO,
        "title: \"RFC-042: Response",
        "title: \"RFC-041: Response",
    );
    fires(
        &title,
        DOCUCHANGO_PATH,
        "field-number-mismatch",
        "\"RFC-041: Response Cache for the Catalog API\"",
    );
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "field-number-mismatch");
}

#[test]
fn tags_format_duplicates_and_vocabulary() {
    let upper = replace(DOCUCHANGO, "\"caching\"", "\"Caching Layer\"");
    let d = fires(&upper, DOCUCHANGO_PATH, "tag-format", "\"Caching Layer\"");
    assert!(d.message.contains("caching-layer"));
    let dup = replace(DOCUCHANGO, "\"redis\"", "\"caching\"");
    fires(&dup, DOCUCHANGO_PATH, "tag-duplicate", "\"caching\"");
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "tag-format");
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "tag-duplicate");

    let mut settings = Settings::defaults(Path::new("/repo"));
    settings.tags = ["performance", "caching", "catalog-api"]
        .map(String::from)
        .to_vec();
    let (_, found) = diagnose_with(DOCUCHANGO, DOCUCHANGO_PATH, &settings);
    let unknown: Vec<_> = found.iter().filter(|d| d.code == "tag-unknown").collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(&DOCUCHANGO[unknown[0].range.clone()], "\"redis\"");
    settings.tags.push("redis".into());
    assert!(
        !diagnose_with(DOCUCHANGO, DOCUCHANGO_PATH, &settings)
            .1
            .iter()
            .any(|d| d.code == "tag-unknown")
    );
}

#[test]
fn project_id_against_docs_project() {
    let mut settings = Settings::defaults(Path::new("/repo"));
    settings.project_id = Some("storefront".into());
    let (_, found) = diagnose_with(DOCUCHANGO, DOCUCHANGO_PATH, &settings);
    let d = found
        .iter()
        .find(|d| d.code == "project-id-mismatch")
        .expect("fires");
    assert_eq!(&DOCUCHANGO[d.range.clone()], "\"catalog-platform\"");
    settings.project_id = Some("catalog-platform".into());
    assert!(
        !diagnose_with(DOCUCHANGO, DOCUCHANGO_PATH, &settings)
            .1
            .iter()
            .any(|d| d.code == "project-id-mismatch")
    );
}

// --- title ----------------------------------------------------------------------------

#[test]
fn title_rules() {
    let no_title = replace(
        DOCUCHANGO,
        "# RFC-042: Response Cache for the Catalog API\n",
        "",
    );
    fires(&no_title, DOCUCHANGO_PATH, "title-missing", "");
    let two = replace(DOCUCHANGO, "## Appendix\n", "# Appendix\n");
    let d = fires(&two, DOCUCHANGO_PATH, "title-multiple", "# Appendix");
    assert_eq!(d.related.len(), 1);
    let placeholder = replace(
        DESIGN_REVIEW,
        "# RFC: Audit Log Export",
        "# RFC: [Feature Name]",
    );
    fires(
        &placeholder,
        "/repo/rfcs/rfc-007-x.md",
        "title-placeholder",
        "RFC: [Feature Name]",
    );
    let format = replace(
        DOCUCHANGO,
        "# RFC-042: Response Cache",
        "# RFC 42: Response Cache",
    );
    fires(
        &format,
        DOCUCHANGO_PATH,
        "title-format",
        "RFC 42: Response Cache for the Catalog API",
    );
    let mismatch = replace(
        DOCUCHANGO,
        "# RFC-042: Response Cache for the Catalog API",
        "# RFC-042: Response Cache",
    );
    let d = fires(
        &mismatch,
        DOCUCHANGO_PATH,
        "title-mismatch",
        "RFC-042: Response Cache",
    );
    assert_eq!(
        &mismatch[d.related[0].range.clone()],
        "\"RFC-042: Response Cache for the Catalog API\""
    );
    for code in [
        "title-missing",
        "title-multiple",
        "title-placeholder",
        "title-format",
        "title-mismatch",
    ] {
        silent(DOCUCHANGO, DOCUCHANGO_PATH, code);
    }
}

// --- sections -------------------------------------------------------------------------

#[test]
fn a_missing_section_is_reported_once_where_it_belongs() {
    let start = DOCUCHANGO.find("### Goals").unwrap();
    let end = DOCUCHANGO.find("### Non-Goals").unwrap();
    let text = format!("{}{}", &DOCUCHANGO[..start], &DOCUCHANGO[end..]);
    let d = fires(&text, DOCUCHANGO_PATH, "section-missing", "### Non-Goals");
    assert_eq!(d.severity, Severity::Error);
    assert!(
        d.message.contains("`### Goals`")
            && d.message.contains("Motivation > Goals")
            && d.message.contains("docuchango"),
        "{}",
        d.message
    );
    // A whole missing parent is one finding, not one per child.
    let start = DOCUCHANGO.find("## Testing Strategy").unwrap();
    let end = DOCUCHANGO.find("## Migration and Rollout Plan").unwrap();
    let text = format!("{}{}", &DOCUCHANGO[..start], &DOCUCHANGO[end..]);
    let missing: Vec<_> = diagnose(&text, DOCUCHANGO_PATH)
        .into_iter()
        .filter(|d| d.code == "section-missing")
        .collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    // A section renamed, most of its words kept, is that section, not a missing one;
    // a heading with other words is no stand-in.
    let renamed = replace(DOCUCHANGO, "## Testing Strategy", "## Strategy for Testing");
    silent(&renamed, DOCUCHANGO_PATH, "section-missing");
    let other = replace(DOCUCHANGO, "## Testing Strategy", "## Quality");
    fires(&other, DOCUCHANGO_PATH, "section-missing", "### Unit Tests");
    // An optional section may be left out: Revision History.
    let start = DOCUCHANGO.find("## Revision History").unwrap();
    silent(&DOCUCHANGO[..start], DOCUCHANGO_PATH, "section-missing");
    // A recommended one is a warning: design-review's Appendix.
    let start = DESIGN_REVIEW.find("## Appendix").unwrap();
    let d = diagnose(&DESIGN_REVIEW[..start], DESIGN_REVIEW_PATH)
        .into_iter()
        .find(|d| d.code == "section-missing")
        .expect("fires");
    assert_eq!(d.severity, Severity::Warning);
    // Template 003 lets sections go: only its Summary is required.
    let start = GUIDED.find("## Risks").unwrap();
    silent(
        &GUIDED[..start],
        "/repo/rfcs/rfc-023-x.md",
        "section-missing",
    );
}

#[test]
fn order_level_and_duplicates() {
    // Swap Summary and Motivation's positions by moving Summary after Motivation.
    let s = DOCUCHANGO.find("## Summary").unwrap();
    let m = DOCUCHANGO.find("## Motivation").unwrap();
    let p = DOCUCHANGO.find("## Proposal").unwrap();
    let text = format!(
        "{}{}{}{}",
        &DOCUCHANGO[..s],
        &DOCUCHANGO[m..p],
        &DOCUCHANGO[s..m],
        &DOCUCHANGO[p..]
    );
    let d = fires(&text, DOCUCHANGO_PATH, "section-order", "## Summary");
    assert!(d.message.contains("before \"Motivation\""), "{}", d.message);
    let level = replace(DOCUCHANGO, "### Goals", "## Goals");
    fires(&level, DOCUCHANGO_PATH, "section-level", "## Goals");
    let dup = replace(
        DOCUCHANGO,
        "## Open Questions\n",
        "## Open Questions\n\nOne.\n\n## Open Questions\n",
    );
    let d = fires(
        &dup,
        DOCUCHANGO_PATH,
        "section-duplicate",
        "## Open Questions",
    );
    assert_eq!(d.related.len(), 1);
    for code in ["section-order", "section-level", "section-duplicate"] {
        silent(DOCUCHANGO, DOCUCHANGO_PATH, code);
    }
    // A subsection of another section named like a template section (`### Summary` of
    // the performance figures, as Rust and KEP documents have) is the writer's own, no repeat.
    let nested = replace(
        DOCUCHANGO,
        "## Testing Strategy\n",
        "### Summary\n\nThe numbers in short.\n\n## Testing Strategy\n",
    );
    silent(&nested, DOCUCHANGO_PATH, "section-duplicate");
}

#[test]
fn empty_and_placeholder_sections() {
    let s = DOCUCHANGO.find("## Summary\n").unwrap() + "## Summary\n".len();
    let m = DOCUCHANGO.find("## Motivation").unwrap();
    let empty = format!(
        "{}\n<!-- to do -->\n\n{}",
        &DOCUCHANGO[..s],
        &DOCUCHANGO[m..]
    );
    fires(&empty, DOCUCHANGO_PATH, "section-empty", "## Summary");
    let placeholder = format!(
        "{}\n[One paragraph on what changes and why.]\n\n{}",
        &DOCUCHANGO[..s],
        &DOCUCHANGO[m..]
    );
    fires(
        &placeholder,
        DOCUCHANGO_PATH,
        "section-placeholder",
        "[One paragraph on what changes and why.]",
    );
    let heading = replace(
        DOCUCHANGO,
        "### Alternative 1: Client-side caching in the storefront",
        "### Alternative 1: [Approach Name]",
    );
    fires(
        &heading,
        DOCUCHANGO_PATH,
        "section-placeholder",
        "Alternative 1: [Approach Name]",
    );
    // Links, task boxes and code are not placeholders.
    let fine = format!(
        "{}\nSee [the ADR](../adr/1.md) and [x] done.\n\n```\n[placeholder in code]\n```\n\n{}",
        &DOCUCHANGO[..s],
        &DOCUCHANGO[m..]
    );
    silent(&fine, DOCUCHANGO_PATH, "section-placeholder");
    silent(&fine, DOCUCHANGO_PATH, "section-empty");
    // A TBD standing alone is the writer's open point: a note, not placeholder text; in
    // a sentence it is neither.
    let tbd = format!(
        "{}
- TBD

{}",
        &DOCUCHANGO[..s],
        &DOCUCHANGO[m..]
    );
    let d = fires(&tbd, DOCUCHANGO_PATH, "section-tbd", "TBD");
    assert_eq!(d.severity, Severity::Information);
    silent(&tbd, DOCUCHANGO_PATH, "section-placeholder");
    let sentence = format!(
        "{}
The wire format is still TBD, most likely JSON lines.

{}",
        &DOCUCHANGO[..s],
        &DOCUCHANGO[m..]
    );
    silent(&sentence, DOCUCHANGO_PATH, "section-tbd");
    silent(&sentence, DOCUCHANGO_PATH, "section-placeholder");
}

#[test]
fn severity_overrides_and_turning_rules_off() {
    let bad = replace(DOCUCHANGO, "status: In Review", "status: Inreview");
    let mut settings = Settings::defaults(Path::new("/repo"));
    settings
        .severity
        .insert("status-invalid".into(), Some(Severity::Hint));
    let (_, found) = diagnose_with(&bad, DOCUCHANGO_PATH, &settings);
    assert_eq!(
        found
            .iter()
            .find(|d| d.code == "status-invalid")
            .map(|d| d.severity),
        Some(Severity::Hint)
    );
    settings.severity.insert("status-invalid".into(), None);
    let (_, found) = diagnose_with(&bad, DOCUCHANGO_PATH, &settings);
    assert!(!found.iter().any(|d| d.code == "status-invalid"));
}

#[test]
fn every_rule_has_a_fixture_here() {
    let source = include_str!("rules.rs");
    for (code, ..) in RULES {
        assert!(
            source.contains(&format!("\"{code}\"")),
            "rule {code} has no fixture in tests/rules.rs"
        );
    }
}

/// The rules across documents, on a workspace of a few RFCs (src/workspace/crossdoc.rs):
/// each fires on one fixture and stays quiet on its fixed twin.
mod across_documents {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use rfc_lsp::workspace::crossdoc::check;
    use rfc_lsp::workspace::index::{Index, scan_text};

    const CACHE: &str = "---\nid: rfc-042\ndoc_uuid: 3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35\n---\n# RFC-042: Cache\n\n## Design\n";

    fn codes(files: &[(&str, &str)], checked: &str) -> Vec<&'static str> {
        let mut index = Index::default();
        for (p, t) in files {
            index.insert(PathBuf::from(p), Arc::new(scan_text(Some(Path::new(p)), t)));
        }
        let text = files
            .iter()
            .find(|(p, _)| *p == checked)
            .expect("checked")
            .1;
        let facts = scan_text(Some(Path::new(checked)), text);
        check(Path::new(checked), &facts, &index, &HashMap::new())
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn rfc_duplicate_and_uuid_duplicate() {
        let copy = "---\nid: rfc-042\ndoc_uuid: 3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35\n---\n# RFC-042: Copy\n";
        let files = [
            ("/w/rfcs/rfc-042-cache.md", CACHE),
            ("/w/rfcs/rfc-042-copy.md", copy),
        ];
        assert_eq!(
            codes(&files, "/w/rfcs/rfc-042-copy.md"),
            ["rfc-duplicate", "uuid-duplicate"]
        );
        let other = "---\nid: rfc-043\ndoc_uuid: 9b2e4c1a-7d3f-4e8a-b5c6-1a2b3c4d5e6f\n---\n# RFC-043: Other\n";
        let files = [
            ("/w/rfcs/rfc-042-cache.md", CACHE),
            ("/w/rfcs/rfc-043-other.md", other),
        ];
        assert!(codes(&files, "/w/rfcs/rfc-043-other.md").is_empty());
    }

    #[test]
    fn reference_unknown_and_link_broken() {
        let citing =
            "# RFC-050: Citing\n\nSee RFC-041 and [the design](rfc-042-cache.md#designs).\n";
        let files = [
            ("/w/rfcs/rfc-042-cache.md", CACHE),
            ("/w/rfcs/rfc-050-citing.md", citing),
        ];
        assert_eq!(
            codes(&files, "/w/rfcs/rfc-050-citing.md"),
            ["reference-unknown", "link-broken"]
        );
        let fixed = "# RFC-050: Citing\n\nSee RFC-042 and [the design](rfc-042-cache.md#design).\n";
        let files = [
            ("/w/rfcs/rfc-042-cache.md", CACHE),
            ("/w/rfcs/rfc-050-citing.md", fixed),
        ];
        assert!(codes(&files, "/w/rfcs/rfc-050-citing.md").is_empty());
    }

    #[test]
    fn links_to_setext_headings_resolve_and_headings_in_html_do_not() {
        let target =
            "Notes\n=====\n\nOpen Questions\n--------------\n\n<details>\n## Hidden\n</details>\n";
        let citing = "# RFC-050: Citing\n\nSee [the questions](notes.md#open-questions).\n";
        let files = [
            ("/w/rfcs/notes.md", target),
            ("/w/rfcs/rfc-050-citing.md", citing),
        ];
        assert!(codes(&files, "/w/rfcs/rfc-050-citing.md").is_empty());
        let hidden = "# RFC-050: Citing\n\nSee [the hidden part](notes.md#hidden).\n";
        let files = [
            ("/w/rfcs/notes.md", target),
            ("/w/rfcs/rfc-050-citing.md", hidden),
        ];
        assert_eq!(codes(&files, "/w/rfcs/rfc-050-citing.md"), ["link-broken"]);
    }

    #[test]
    fn successor_missing() {
        let retired = "---\nid: rfc-010\nstatus: Superseded\n---\n# RFC-010: Old\n";
        let files = [
            ("/w/rfcs/rfc-042-cache.md", CACHE),
            ("/w/rfcs/rfc-010-old.md", retired),
        ];
        assert_eq!(
            codes(&files, "/w/rfcs/rfc-010-old.md"),
            ["successor-missing"]
        );
        let named =
            "---\nid: rfc-010\nstatus: Superseded\nsuperseded_by: rfc-042\n---\n# RFC-010: Old\n";
        let files = [
            ("/w/rfcs/rfc-042-cache.md", CACHE),
            ("/w/rfcs/rfc-010-old.md", named),
        ];
        assert!(codes(&files, "/w/rfcs/rfc-010-old.md").is_empty());
    }
}

const DESIGN_REVIEW_PATH: &str = "/repo/docs/rfcs/rfc-007-audit-log-export.md";
const APPROVAL_PATH: &str = "/repo/docs/rfcs/rfc-015-feature-flag-service.md";
const GUIDED_PATH: &str = "/repo/docs/rfcs/rfc-023-team-invitations.md";

#[test]
fn example_headings_are_slots_for_any_number_of_headings() {
    // Components named, an endpoint outside /api/v1/, and a second endpoint: all normal.
    let named = replace(DESIGN_REVIEW, "#### Component A", "#### Export Scheduler");
    let named = replace(&named, "#### Component B", "#### Archive Writer");
    let named = replace(
        &named,
        "#### Endpoint: POST /api/v1/audit-exports",
        "#### Endpoint: PATCH /scim/v2/Users/{id}",
    );
    let two = replace(
        &named,
        "### Data Model",
        "#### Endpoint: GET /scim/v2/Users/{id}\n\nReturns the user.\n\n### Data Model",
    );
    for code in [
        "section-missing",
        "section-duplicate",
        "section-order",
        "section-level",
    ] {
        silent(&two, DESIGN_REVIEW_PATH, code);
    }
    assert!(diagnose(&two, DESIGN_REVIEW_PATH).is_empty());
    // No component at all: a slot is zero or more.
    let none = replace(
        &replace(DESIGN_REVIEW, "#### Component A", "Component A:"),
        "#### Component B",
        "Component B:",
    );
    silent(&none, DESIGN_REVIEW_PATH, "section-missing");
    // Left with its placeholder words, the heading is still the template's.
    let left = replace(
        DESIGN_REVIEW,
        "#### Endpoint: POST /api/v1/audit-exports",
        "#### Endpoint: [Method] /api/v1/[resource]",
    );
    fires(
        &left,
        DESIGN_REVIEW_PATH,
        "section-placeholder",
        "Endpoint: [Method] /api/v1/[resource]",
    );
}

#[test]
fn code_spans_link_syntax_and_alerts_are_no_placeholders() {
    let prose = "Ids match `[a-z0-9-]+`, see [the protocol][rls] and [GDPR Art 20].\n\n> [!NOTE]\n> Exports are zipped.\n\n[rls]: https://example.com/rls\n[GDPR Art 20]: https://example.com/gdpr\n\n";
    let text = replace(
        DOCUCHANGO,
        "This RFC proposes",
        &format!("{prose}This RFC proposes"),
    );
    silent(&text, DOCUCHANGO_PATH, "section-placeholder");
    // A bare [label] with no definition is a placeholder.
    let text = replace(
        DOCUCHANGO,
        "This RFC proposes",
        "Owner: [Names]. This RFC proposes",
    );
    fires(&text, DOCUCHANGO_PATH, "section-placeholder", "[Names]");
}

#[test]
fn an_unclosed_fence_is_one_warning_and_no_cascade() {
    let text = replace(
        DESIGN_REVIEW,
        "  }\n}\n```\n\n### Rollback Plan",
        "  }\n}\n\n### Rollback Plan",
    );
    let found = diagnose(&text, DESIGN_REVIEW_PATH);
    assert_eq!(
        found.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["fence-unclosed"],
        "{found:?}"
    );
    fires(&text, DESIGN_REVIEW_PATH, "fence-unclosed", "```json");
    silent(DESIGN_REVIEW, DESIGN_REVIEW_PATH, "fence-unclosed");
}

#[test]
fn a_misspelt_field_is_one_finding_on_its_key() {
    let text = replace(DOCUCHANGO, "author: Maren Okafor", "auther: Maren Okafor");
    let d = fires(&text, DOCUCHANGO_PATH, "field-unknown", "auther");
    assert!(d.message.contains("did you mean `author`"), "{}", d.message);
    assert_eq!(
        d.severity,
        Severity::Error,
        "it stands for a required field"
    );
    silent(&text, DOCUCHANGO_PATH, "field-missing");
    // A key far from every field is the team's own business.
    let text = replace(
        DOCUCHANGO,
        "author: Maren Okafor",
        "author: Maren Okafor\nreviewers: [Ann]",
    );
    silent(&text, DOCUCHANGO_PATH, "field-unknown");
}

#[test]
fn guidance_of_the_template_left_in_is_placeholder_text() {
    // A line of the team template that `approval` models (stored as a hash).
    let text = replace(
        APPROVAL,
        "## Motivation\n",
        "## Motivation\n- Why is this change needed?\n",
    );
    fires(
        &text,
        APPROVAL_PATH,
        "section-placeholder",
        "- Why is this change needed?",
    );
    // A short lead-in the template has (`**Response** (200 OK):`) is structure: the
    // design-review example keeps it and is clean (the_five_example_rfcs_are_clean...).
    silent(DESIGN_REVIEW, DESIGN_REVIEW_PATH, "section-placeholder");
}

#[test]
fn an_empty_section_is_a_warning_whatever_its_presence() {
    let start = GUIDED.find("## Assumptions\n").expect("Assumptions");
    let end = GUIDED[start..].find("\n## ").expect("a next section") + start;
    let text = format!(
        "{}## Assumptions\n\n<!-- later -->\n{}",
        &GUIDED[..start],
        &GUIDED[end..]
    );
    let d = fires(&text, GUIDED_PATH, "section-empty", "## Assumptions");
    assert_eq!(d.severity, Severity::Warning);
    // Removed instead: guided allows it.
    let text = format!("{}{}", &GUIDED[..start], &GUIDED[end + 1..]);
    silent(&text, GUIDED_PATH, "section-missing");
}

#[test]
fn an_empty_rfc_is_one_finding() {
    for text in ["", "  \n\n\t\n"] {
        let found = diagnose(text, DOCUCHANGO_PATH);
        assert_eq!(
            found.iter().map(|d| d.code).collect::<Vec<_>>(),
            ["document-empty"],
            "{text:?}"
        );
    }
    silent(DOCUCHANGO, DOCUCHANGO_PATH, "document-empty");
}

#[test]
fn the_number_in_rfc_number_or_title_agrees_with_the_file_name() {
    // design-review's year-numbered RFC Number: the sequence is the number.
    silent(DESIGN_REVIEW, DESIGN_REVIEW_PATH, "id-file-mismatch");
    let text = replace(
        DESIGN_REVIEW,
        "**RFC Number**: 2026-007",
        "**RFC Number**: 2026-008",
    );
    fires(&text, DESIGN_REVIEW_PATH, "id-file-mismatch", "2026-008");
    // A number in the title, where no field carries it (guided).
    silent(GUIDED, GUIDED_PATH, "id-file-mismatch");
    fires(
        GUIDED,
        "/repo/docs/rfcs/rfc-024-team-invitations.md",
        "id-file-mismatch",
        "023",
    );
}

#[test]
fn design_review_titles_are_rfc_colon_title() {
    silent(DESIGN_REVIEW, DESIGN_REVIEW_PATH, "title-format");
    let text = replace(
        DESIGN_REVIEW,
        "# RFC: Audit Log Export",
        "# Audit Log Export",
    );
    fires(
        &text,
        DESIGN_REVIEW_PATH,
        "title-format",
        "Audit Log Export",
    );
}

#[test]
fn a_fence_closed_only_by_a_later_block_is_unclosed_too() {
    // The closing fence of the schema block lost: the next block's closing fence ends it.
    let sql = DESIGN_REVIEW.find("```sql").expect("a sql block");
    let close = DESIGN_REVIEW[sql + 6..]
        .find("\n```\n")
        .expect("its closing fence")
        + sql
        + 6;
    let text = format!("{}{}", &DESIGN_REVIEW[..close], &DESIGN_REVIEW[close + 4..]);
    let found = diagnose(&text, DESIGN_REVIEW_PATH);
    assert_eq!(
        found.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["fence-unclosed"],
        "{found:#?}"
    );
    fires(&text, DESIGN_REVIEW_PATH, "fence-unclosed", "```sql");
}

#[test]
fn a_rule_shows_at_most_two_hundred_findings_and_counts_the_rest() {
    // 200,000 repeated sections made 1.9 GB of diagnostics.
    let repeated = "## Summary\n\nAgain.\n\n".repeat(5_000);
    let text = format!("{DOCUCHANGO}\n{repeated}");
    let found = diagnose(&text, DOCUCHANGO_PATH);
    let dup: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.code == "section-duplicate")
        .collect();
    assert_eq!(dup.len(), 201);
    let last = dup.last().expect("a summary");
    assert!(
        last.message
            .starts_with("4800 more `section-duplicate` findings"),
        "{}",
        last.message
    );
    assert!(dup[..200].iter().all(|d| d.message.contains("Summary")));

    // A selection over all of it offers at most 100 quick fixes.
    let snapshot = Document::new(&text, 0).snapshot();
    let settings = Settings::defaults(Path::new("/repo"));
    let ctx = settings.context(Some(Path::new(DOCUCHANGO_PATH)), None);
    let actions =
        rfc_lsp::analysis::actions::code_actions(&snapshot, &ctx, 0..text.len(), "2026-12-06");
    let fixes = actions
        .iter()
        .filter(|a| a.kind == rfc_lsp::analysis::actions::ActionKind::QuickFix)
        .count();
    assert!(fixes <= 100, "{fixes} quick fixes");
}

/// A YAML comment that marks a field unfinished (`# FIXME`, `# TODO`) is a placeholder,
/// on an empty field or beside a value; a comment that explains the field is not.
#[test]
fn an_unfinished_note_in_the_frontmatter_is_a_placeholder() {
    let d = fires(
        &replace(DOCUCHANGO, "updated: 2026-03-02", "updated: # FIXME"),
        DOCUCHANGO_PATH,
        "field-placeholder",
        "# FIXME",
    );
    assert!(d.message.contains("`updated`"), "{}", d.message);
    fires(
        &replace(
            DOCUCHANGO,
            "status: In Review",
            "status: In Review # TODO: may be Accepted",
        ),
        DOCUCHANGO_PATH,
        "field-placeholder",
        "# TODO: may be Accepted",
    );
    silent(
        &replace(
            DOCUCHANGO,
            "status: In Review",
            "status: In Review # see the review thread",
        ),
        DOCUCHANGO_PATH,
        "field-placeholder",
    );
    silent(
        &replace(
            DOCUCHANGO,
            "author: Maren Okafor",
            "author: Maren Okafor # TODOS live elsewhere",
        ),
        DOCUCHANGO_PATH,
        "field-placeholder",
    );
}

/// `index-stale` (src/workspace/rfc_index.rs): a README's marked table against the
/// workspace's RFCs. Fires on a table that says another status, and stays quiet on the
/// table `rfc-lsp index` writes, with CRLF line ends or text around it.
mod index_block {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use rfc_lsp::workspace::Settings;
    use rfc_lsp::workspace::index::{Index, scan_text};
    use rfc_lsp::workspace::rfc_index::{Row, block, stale, table_for};

    const A: &str =
        "---\nid: rfc-001\nstatus: Accepted\nauthor: Ana\n---\n# RFC-001: Cache\n\n## Design\n";
    const B: &str = "# RFC-002: Queue\n\n**Status**: Draft\n**Author**: Bo\n\n## Summary\n\nx\n";

    fn table(readme: &str) -> String {
        let settings = Settings::defaults(Path::new("/w"));
        let mut index = Index::default();
        for (p, t) in [
            ("/w/rfcs/rfc-001-cache.md", A),
            ("/w/rfcs/rfc-002-queue.md", B),
        ] {
            index.insert(PathBuf::from(p), Arc::new(scan_text(Some(Path::new(p)), t)));
        }
        let row = |p: &Path| {
            let text = if p.ends_with("rfc-001-cache.md") {
                A
            } else {
                B
            };
            Row::read(p, text, &settings)
        };
        let b = block(readme).expect("a block");
        table_for(&index, &settings, Path::new("/w/README.md"), &b, &row)
    }

    #[test]
    fn index_stale_fires_on_an_old_table_and_not_on_the_one_index_writes() {
        let empty = "# RFCs\n\n<!-- rfc-index:start -->\n<!-- rfc-index:end -->\n";
        let now = table(empty);
        assert_eq!(
            now,
            "| RFC | Title | Status | Authors | Updated |\n|---|---|---|---|---|\n\
             | 1 | [RFC-001: Cache](rfcs/rfc-001-cache.md) | Accepted | Ana |  |\n\
             | 2 | [RFC-002: Queue](rfcs/rfc-002-queue.md) | Draft | Bo |  |\n"
        );
        let s = stale(empty, &now, "README.md").expect("an empty table is stale");
        assert_eq!(&empty[s.marker.clone()], "<!-- rfc-index:start -->");
        assert!(
            s.message.contains("2 RFC(s) missing: RFC 1, RFC 2"),
            "{}",
            s.message
        );
        let fresh = format!(
            "# RFCs\n\nIntro.\n\n<!-- rfc-index:start -->\n{now}<!-- rfc-index:end -->\n\nMore.\n"
        );
        assert_eq!(stale(&fresh, &table(&fresh), "README.md"), None);
        assert_eq!(stale(&fresh.replace('\n', "\r\n"), &now, "README.md"), None);
        let old = fresh.replace("| Draft |", "| Proposed |");
        let s = stale(&old, &table(&old), "README.md").expect("stale");
        assert!(
            s.message.contains("RFC 2: Status `Proposed` → `Draft`"),
            "{}",
            s.message
        );
        let rule = rfc_lsp::analysis::diagnostics::RULES
            .iter()
            .find(|r| r.0 == "index-stale");
        assert_eq!(
            rule.map(|r| r.1),
            Some(rfc_lsp::analysis::diagnostics::Severity::Error)
        );
        // Without both markers, no block and no finding.
        assert_eq!(block("# RFCs\n\n<!-- rfc-index:start -->\n| x |\n"), None);
    }
}
