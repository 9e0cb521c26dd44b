//! Completion, code actions and hover on fixtures: the items offered, and the exact text
//! after applying each action. A property test checks that an action's edits leave every
//! byte outside them intact.

mod common;

use std::collections::HashMap;
use std::path::Path;

use rfc_lsp::analysis::actions::{ActionKind, code_actions};
use rfc_lsp::analysis::completion::{Extra, complete};
use rfc_lsp::analysis::edit::apply;
use rfc_lsp::analysis::hover::hover;
use rfc_lsp::syntax::Document;
use rfc_lsp::workspace::Settings;

const DOCUCHANGO: &str = include_str!("../examples/rfc-042-response-cache.md");
const PATH: &str = "/repo/docs/rfcs/rfc-042-response-cache.md";
const TODAY: &str = "2026-11-22";

fn settings() -> Settings {
    Settings::defaults(Path::new("/repo"))
}

/// Labels offered at the `$0` in `text`.
fn labels(text: &str, path: &str, tags: &HashMap<String, usize>) -> Vec<String> {
    let offset = text.find("$0").expect("a $0 cursor");
    let text = text.replacen("$0", "", 1);
    let snapshot = Document::new(&text, 0).snapshot();
    let settings = settings();
    let ctx = settings.context(Some(Path::new(path)), None);
    let mut items = complete(
        &snapshot,
        &ctx,
        offset,
        &Extra {
            workspace_tags: &|| tags.clone(),
            snippets: false,
            today: TODAY,
        },
    );
    items.sort_by(|a, b| a.sort.cmp(&b.sort));
    items.into_iter().map(|i| i.label).collect()
}

fn action_result(text: &str, path: &str, at: &str, title_prefix: &str) -> String {
    let snapshot = Document::new(text, 0).snapshot();
    let settings = settings();
    let ctx = settings.context(Some(Path::new(path)), None);
    let start = text
        .find(at)
        .unwrap_or_else(|| panic!("{at:?} in the fixture"));
    let actions = code_actions(&snapshot, &ctx, start..start + at.len(), TODAY);
    let action = actions
        .iter()
        .find(|a| a.title.starts_with(title_prefix))
        .unwrap_or_else(|| {
            panic!(
                "no action {title_prefix:?}; have {:?}",
                actions.iter().map(|a| &a.title).collect::<Vec<_>>()
            )
        });
    apply(text, &action.edits)
}

#[test]
fn status_values_complete_with_the_closest_first() {
    let text = DOCUCHANGO.replacen("status: In Review", "status: Acc$0", 1);
    let got = labels(&text, PATH, &HashMap::new());
    assert_eq!(got[0], "Accepted");
    assert_eq!(got.len(), 5);
    let text = DOCUCHANGO.replacen("status: In Review", "status: $0", 1);
    assert_eq!(
        labels(&text, PATH, &HashMap::new()),
        ["Draft", "In Review", "Accepted", "Rejected", "Implemented"]
    );
    // Bold lines, colon outside and inside the bold, and the Status list.
    let bold = include_str!("../examples/rfc-007-audit-log-export.md").replacen(
        "**Status**: Under Review",
        "**Status**: $0",
        1,
    );
    assert_eq!(
        labels(&bold, "/r/rfcs/rfc-007-a.md", &HashMap::new()),
        ["Draft", "Under Review", "Approved", "Implemented"]
    );
    let inside = include_str!("../examples/rfc-031-job-retry-policy.md").replacen(
        "**Status:** Proposed",
        "**Status:** $0",
        1,
    );
    assert_eq!(
        labels(&inside, "/r/rfcs/rfc-031-a.md", &HashMap::new()),
        ["Draft", "Proposed", "Final", "Deprecated"]
    );
    let list = include_str!("../examples/rfc-015-feature-flag-service.md").replacen(
        "- **Status**: Accepted",
        "- **Status**: $0",
        1,
    );
    assert_eq!(
        labels(&list, "/r/rfcs/rfc-015-a.md", &HashMap::new()).len(),
        5
    );
    let apps = include_str!("../examples/rfc-031-job-retry-policy.md").replacen(
        "api, orchestrator, jobmaster, shared",
        "$0",
        1,
    );
    assert!(
        labels(&apps, "/r/rfcs/rfc-031-a.md", &HashMap::new())
            .contains(&"jobmaster-gui".to_string())
    );
}

#[test]
fn tags_complete_from_the_workspace_most_used_first_without_present_ones() {
    let tags: HashMap<String, usize> = [("security", 3), ("caching", 9), ("api", 5)]
        .map(|(t, n)| (t.to_string(), n))
        .into_iter()
        .collect();
    let text = DOCUCHANGO.replacen("\"redis\"]", "\"redis\", $0]", 1);
    assert_eq!(labels(&text, PATH, &tags), ["api", "security"]);
    let text = DOCUCHANGO.replacen("\"redis\"]", "\"redis\", Machine Learn$0]", 1);
    assert_eq!(labels(&text, PATH, &tags)[0], "machine-learn");
}

#[test]
fn missing_fields_and_sections_complete_where_they_belong() {
    let text = DOCUCHANGO.replacen(
        "doc_uuid: \"3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35\"\n",
        "$0\n",
        1,
    );
    assert_eq!(labels(&text, PATH, &HashMap::new()), ["doc_uuid"]);
    let start = DOCUCHANGO.find("### Goals").unwrap();
    let end = DOCUCHANGO.find("### Non-Goals").unwrap();
    let text = format!("{}### $0\n\n{}", &DOCUCHANGO[..start], &DOCUCHANGO[end..]);
    assert_eq!(labels(&text, PATH, &HashMap::new())[0], "### Goals");
}

#[test]
fn insert_a_missing_section_where_the_template_puts_it() {
    let start = DOCUCHANGO.find("### Goals").unwrap();
    let end = DOCUCHANGO.find("### Non-Goals").unwrap();
    let text = format!("{}{}", &DOCUCHANGO[..start], &DOCUCHANGO[end..]);
    let fixed = action_result(&text, PATH, "### Non-Goals", "Insert section `### Goals`");
    let inserted = fixed.find("### Goals").expect("inserted");
    assert!(
        inserted < fixed.find("### Non-Goals").unwrap()
            && inserted > fixed.find("### Problem Statement").unwrap()
    );
    assert!(fixed[inserted..].starts_with("### Goals\n\n"));
    // Everything else is untouched.
    assert_eq!(
        fixed.replacen(
            &fixed[inserted..fixed.find("### Non-Goals").unwrap()],
            "",
            1
        ),
        text
    );
}

#[test]
fn quick_fixes_rewrite_exactly_the_value() {
    let bad = DOCUCHANGO.replacen("status: In Review", "status: Inreview", 1);
    assert_eq!(
        action_result(&bad, PATH, "Inreview", "Replace with \"In Review\""),
        DOCUCHANGO
    );
    let uuid = DOCUCHANGO.replacen("3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35", "nope", 1);
    let fixed = action_result(&uuid, PATH, "\"nope\"", "Generate a new UUID v4");
    let line = fixed.lines().find(|l| l.starts_with("doc_uuid:")).unwrap();
    let value = line.trim_start_matches("doc_uuid: ").trim_matches('"');
    assert_eq!(value.len(), 36);
    assert_eq!(value.as_bytes()[14], b'4');
    assert_eq!(fixed.replacen(value, "nope", 1), uuid);
    let id = action_result(
        DOCUCHANGO,
        "/repo/docs/rfcs/rfc-043-cache.md",
        "\"rfc-042\"",
        "Set `id` to \"rfc-043\"",
    );
    assert_eq!(
        id,
        DOCUCHANGO.replacen("id: \"rfc-042\"", "id: \"rfc-043\"", 1)
    );
    let date = DOCUCHANGO.replacen("updated: 2026-03-02", "updated: YYYY-MM-DD", 1);
    assert_eq!(
        action_result(&date, PATH, "YYYY-MM-DD", "Set `updated` to today"),
        DOCUCHANGO.replacen("updated: 2026-03-02", &format!("updated: {TODAY}"), 1)
    );
    let tags = DOCUCHANGO.replacen("\"redis\"]", "\"Redis Cache\", \"caching\"]", 1);
    let fixed = action_result(&tags, PATH, "\"Redis Cache\"", "Normalise the tags");
    assert!(
        fixed.contains("tags: [\"performance\", \"caching\", \"catalog-api\", \"redis-cache\"]"),
        "{}",
        &fixed[..400]
    );
}

#[test]
fn a_missing_field_is_added_in_the_metadata_style() {
    let text = DOCUCHANGO.replacen(
        "doc_uuid: \"3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35\"\n",
        "",
        1,
    );
    let fixed = action_result(&text, PATH, "---", "Add field `doc_uuid`");
    let added = fixed
        .lines()
        .find(|l| l.starts_with("doc_uuid: "))
        .expect("added");
    assert!(
        fixed.find(added).unwrap() < fixed.find("\n---\n").unwrap() + 1,
        "inside the frontmatter"
    );
    let bold = include_str!("../examples/rfc-007-audit-log-export.md");
    let without = bold.replacen("**Reviewer(s)**: Tomasz Wilk (Security), Aisha Bello (Platform), Kenji Mori (Compliance)\n", "", 1);
    let fixed = action_result(
        &without,
        "/r/rfcs/rfc-007-a.md",
        "**RFC Number**",
        "Add field `Reviewer(s)`",
    );
    assert!(
        fixed.contains("**Author(s)**: Daniel Whitcombe, Renée Lachance  \n**Reviewer(s)**: "),
        "{}",
        &fixed[..400]
    );
}

#[test]
fn an_empty_document_can_be_scaffolded_from_each_template() {
    let snapshot = Document::new("", 0).snapshot();
    let settings = settings();
    let ctx = settings.context(Some(Path::new("/repo/rfcs/rfc-007-new.md")), None);
    let actions = code_actions(&snapshot, &ctx, 0..0, TODAY);
    assert_eq!(actions.len(), 5);
    let docu = actions
        .iter()
        .find(|a| a.title.contains("docuchango"))
        .expect("docuchango");
    assert_eq!(docu.kind, ActionKind::Source);
    let text = apply("", &docu.edits);
    assert!(text.contains("id: \"rfc-007\""), "{}", &text[..300]);
    assert!(text.contains(&format!("created: {TODAY}")));
    assert!(text.contains("# RFC-007: Title"));
}

#[test]
fn hover_explains_fields_sections_and_the_title() {
    let settings = settings();
    let ctx = settings.context(Some(Path::new(PATH)), None);
    let snapshot = Document::new(DOCUCHANGO, 0).snapshot();
    let at = |s: &str| DOCUCHANGO.find(s).unwrap() + 1;
    let h = hover(&snapshot, &ctx, at("status:")).expect("a hover on the key");
    assert!(
        h.text.contains("`In Review`") && h.text.contains("required"),
        "{}",
        h.text
    );
    let h = hover(&snapshot, &ctx, at("### Goals")).expect("a hover on a heading");
    assert!(
        h.text.contains("Motivation > Goals") && h.text.contains("required"),
        "{}",
        h.text
    );
    let h = hover(&snapshot, &ctx, at("# RFC-042")).expect("a hover on the title");
    assert!(
        h.text.contains("docuchango") && h.text.contains("of 36 sections written"),
        "{}",
        h.text
    );
}

#[test]
fn hover_on_an_example_heading_says_it_stands_for_the_writers_own() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/exactness-blind/design-review/rfc-041-webhook-retries.md"
    );
    let text = std::fs::read_to_string(path).expect("the fixture");
    let settings = settings();
    let ctx = settings.context(Some(Path::new(path)), None);
    let snapshot = Document::new(&text, 0).snapshot();
    let at = |s: &str| text.find(s).expect("in the fixture") + 5;
    // `#### Dispatcher` stands in the place of the template's `#### Component A`.
    let h = hover(&snapshot, &ctx, at("#### Dispatcher")).expect("a hover on the heading");
    assert!(
        h.text.contains("example heading `Component A`")
            && h.text.contains("any number of headings"),
        "{}",
        h.text
    );
    // `#### Endpoint: GET /v1/...` in the place of `Endpoint: [Method] /api/v1/[resource]`.
    let h = hover(&snapshot, &ctx, at("#### Endpoint: GET")).expect("a hover on the endpoint");
    assert!(
        h.text
            .contains("example heading `Endpoint: [Method] /api/v1/[resource]`"),
        "{}",
        h.text
    );
    let h = hover(&snapshot, &ctx, at("## Summary")).expect("a hover on a section");
    assert!(h.text.contains("required section"), "{}", h.text);
}

#[test]
fn no_action_loses_text_outside_its_edits() {
    // Random faults written into the examples; every action's edits keep all else.
    let examples = [
        (DOCUCHANGO, PATH),
        (
            include_str!("../examples/rfc-007-audit-log-export.md"),
            "/r/rfcs/rfc-007-a.md",
        ),
        (
            include_str!("../examples/rfc-031-job-retry-policy.md"),
            "/r/rfcs/rfc-031-a.md",
        ),
    ];
    let settings = settings();
    for seed in 0..60u64 {
        let mut rng = common::Rng::new(seed);
        let (base, path) = examples[seed as usize % examples.len()];
        // Delete a random run of lines: sections and fields go missing.
        let lines: Vec<&str> = base.split_inclusive('\n').collect();
        let from = rng.below(lines.len());
        let to = (from + rng.below(40)).min(lines.len());
        let text: String = lines[..from].iter().chain(&lines[to..]).copied().collect();
        let snapshot = Document::new(&text, 0).snapshot();
        let ctx = settings.context(Some(Path::new(path)), None);
        for action in code_actions(&snapshot, &ctx, 0..text.len(), TODAY) {
            let out = apply(&text, &action.edits);
            // Remove each edit's new text from the output: what is left is the input minus
            // the replaced ranges.
            let mut edits = action.edits.clone();
            edits.sort_by_key(|e| e.range.start);
            let mut expected = String::new();
            let mut rebuilt = String::new();
            let mut at = 0;
            let mut out_at = 0;
            for e in &edits {
                expected.push_str(&text[at..e.range.start]);
                rebuilt.push_str(&out[out_at..out_at + (e.range.start - at)]);
                out_at += e.range.start - at + e.text.len();
                at = e.range.end;
            }
            expected.push_str(&text[at..]);
            rebuilt.push_str(&out[out_at..]);
            assert_eq!(rebuilt, expected, "seed {seed}: {}", action.title);
            for e in &edits {
                assert!(text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
                assert!(
                    e.range.end - e.range.start <= 2000,
                    "{}: an edit replaces only what it must",
                    action.title
                );
            }
        }
    }
}
