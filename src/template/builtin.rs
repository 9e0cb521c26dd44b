//! The five built-in templates, embedded: a skeleton and a schema each, loaded by the same
//! code as a team's own templates.

use std::sync::{Arc, OnceLock};

use super::Template;
use crate::syntax::yaml;

/// (schema, skeleton) of each built-in, in the order they are listed.
const SOURCES: &[(&str, &str)] = &[
    (
        include_str!("builtin/docuchango.yaml"),
        include_str!("builtin/docuchango.md"),
    ),
    (
        include_str!("builtin/design-review.yaml"),
        include_str!("builtin/design-review.md"),
    ),
    (
        include_str!("builtin/approval.yaml"),
        include_str!("builtin/approval.md"),
    ),
    (
        include_str!("builtin/guided.yaml"),
        include_str!("builtin/guided.md"),
    ),
    (
        include_str!("builtin/multi-app.yaml"),
        include_str!("builtin/multi-app.md"),
    ),
];

static BUILTINS: OnceLock<Vec<Arc<Template>>> = OnceLock::new();

/// The built-in templates, loaded once (on this thread, unless `preload` ran first).
pub fn builtins() -> &'static [Arc<Template>] {
    BUILTINS.get_or_init(|| load_spread(1))
}

/// Loads the built-ins now, spread over `threads` threads: loading parses each skeleton
/// and compiles its patterns, and `check` waits for it before its files. The server keeps
/// to one thread: a thread's allocations open a malloc arena of their own, and the
/// server's memory peak is a target (half a megabyte more, measured).
pub fn preload(threads: usize) {
    BUILTINS.get_or_init(|| load_spread(threads));
}

fn load_spread(threads: usize) -> Vec<Arc<Template>> {
    let threads = threads.clamp(1, SOURCES.len());
    if threads == 1 {
        return SOURCES.iter().map(|&s| load(s)).collect();
    }
    let mut loaded: Vec<(usize, Arc<Template>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t..SOURCES.len())
                        .step_by(threads)
                        .map(|i| (i, load(SOURCES[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .expect("a built-in loads without panicking (tested)")
            })
            .collect()
    });
    loaded.sort_by_key(|(i, _)| *i);
    loaded.into_iter().map(|(_, t)| t).collect()
}

fn load((schema, skeleton): (&str, &str)) -> Arc<Template> {
    let (root, error) = yaml::parse(schema, 0);
    assert!(
        error.is_none(),
        "a built-in schema is valid YAML (tested): {error:?}"
    );
    let root = root.expect("a built-in schema is a mapping (tested)");
    let (template, problems) = Template::load(&root, skeleton, None, true);
    assert!(
        problems.is_empty(),
        "built-in {} loads cleanly (tested): {problems:?}",
        template.name
    );
    Arc::new(template)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{FieldKind, Presence, Style};

    /// The `guidance:` keys of each built-in are those of the team template it models
    /// (`shared/templates/00N_*.txt` beside the repository, where there is one), read the
    /// way a custom skeleton's prose is. `RFC_LSP_WRITE_GUIDANCE=1` rewrites them.
    #[test]
    fn guidance_keys_are_those_of_the_team_templates() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/templates"));
        let Ok(entries) = std::fs::read_dir(dir) else {
            eprintln!(
                "skipped: no {} to read the team templates from",
                dir.display()
            );
            return;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
        files.sort();
        assert_eq!(files.len(), SOURCES.len(), "one team template per built-in");
        for ((schema, _), (file, template)) in SOURCES.iter().zip(files.iter().zip(builtins())) {
            let team = std::fs::read_to_string(file).expect("readable");
            let prose = crate::template::read_skeleton(&team).prose;
            let keys = super::super::schema::skeleton_guidance(
                &prose,
                &template.fields,
                template.status_field.as_deref(),
            );
            let mut want: Vec<String> = keys.iter().map(|k| format!("{k:016x}")).collect();
            want.sort();
            let (root, _) = yaml::parse(schema, 0);
            let stored: Vec<String> = root
                .as_ref()
                .and_then(|r| r.get("guidance"))
                .map_or(&[][..], yaml::Node::items)
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect();
            if std::env::var_os("RFC_LSP_WRITE_GUIDANCE").is_some() {
                let path = format!(
                    "{}/src/template/builtin/{}.yaml",
                    env!("CARGO_MANIFEST_DIR"),
                    template.name
                );
                let head = schema.split("\nguidance:").next().unwrap_or(schema);
                let list: String = want.iter().map(|k| format!("  - \"{k}\"\n")).collect();
                std::fs::write(&path, format!("{}\nguidance:\n{list}", head.trim_end()))
                    .expect("writable");
                continue;
            }
            assert_eq!(
                stored, want,
                "{}: RFC_LSP_WRITE_GUIDANCE=1 to rewrite",
                template.name
            );
        }
    }

    #[test]
    fn the_five_builtins_load_with_their_structure() {
        let all = builtins();
        let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "docuchango",
                "design-review",
                "approval",
                "guided",
                "multi-app"
            ]
        );
        let styles: Vec<Style> = all.iter().map(|t| t.style).collect();
        assert_eq!(
            styles,
            [
                Style::Frontmatter,
                Style::BoldLines,
                Style::StatusSection,
                Style::Frontmatter,
                Style::BoldLines
            ]
        );
        for t in all {
            assert!(t.sections.len() >= 10, "{} has its sections", t.name);
            assert!(!t.title.placeholder.is_empty(), "{} has a title", t.name);
            assert!(
                !t.status_values().is_empty(),
                "{} has status values",
                t.name
            );
            for f in &t.fields {
                assert!(
                    !f.description.is_empty(),
                    "{}: field {} is described",
                    t.name,
                    f.key
                );
            }
        }
        let doc = &all[0];
        let keys: Vec<&str> = doc.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "id",
                "slug",
                "title",
                "status",
                "created",
                "updated",
                "author",
                "tags",
                "project_id",
                "doc_uuid"
            ]
        );
        let history = doc
            .sections
            .iter()
            .find(|s| s.title == "Revision History")
            .expect("Revision History");
        assert_eq!(history.presence, Presence::Optional);
        let goals = doc
            .sections
            .iter()
            .position(|s| s.title == "Goals")
            .expect("Goals");
        assert_eq!(doc.path(goals), "Motivation > Goals");
        assert!(
            matches!(doc.field("updated").map(|f| &f.kind), Some(FieldKind::Date { not_before: Some(k), .. }) if k == "created")
        );
        assert_eq!(
            all[2].status_values(),
            [
                "Proposed",
                "Accepted",
                "Rejected",
                "Implemented",
                "Deprecated"
            ]
        );
        assert_eq!(all[3].status_values(), ["draft", "in-progress", "complete"]);
    }
}
