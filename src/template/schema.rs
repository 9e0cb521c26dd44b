//! Reading a template's schema (a YAML mapping) together with its skeleton.

use regex::Regex;

use super::{
    FieldKind, FieldSpec, HeadingMatcher, Presence, SchemaProblem, SectionSpec, Style, Template,
    TitleSpec, is_slot_heading, normalize, read_skeleton,
};
use crate::syntax::yaml::Node;

/// Long: one block per key of a template file, in the order the file documents them.
pub(super) fn load(
    schema: &Node,
    skeleton: &str,
    sidecar: Option<&str>,
    builtin: bool,
) -> (Template, Vec<SchemaProblem>) {
    let mut problems = Vec::new();
    let mut problem = |node: &Node, message: String| {
        problems.push(SchemaProblem {
            range: node.range(),
            message,
        })
    };
    let text = |node: Option<&Node>| node.and_then(Node::as_str).map(str::to_string);

    let mut outline = read_skeleton(skeleton);
    // Metadata kept in a YAML file beside the document: its fields are the skeleton's.
    let sidecar_name = text(schema.get("sidecar")).filter(|s| !s.trim().is_empty());
    if let (Some(_), Some(yaml)) = (&sidecar_name, sidecar) {
        outline.style = Some(Style::Frontmatter);
        outline.fields = super::yaml_fields(yaml);
    }
    let name = match schema.get("name") {
        Some(n) if n.as_str().is_some_and(|s| !s.trim().is_empty()) => {
            n.as_str().unwrap_or_default().trim().to_string()
        }
        Some(n) => {
            problem(n, "`name` must be a non-empty text".into());
            "unnamed".into()
        }
        None => {
            problem(schema, "a template needs a `name`".into());
            "unnamed".into()
        }
    };
    let no_metadata = schema
        .get("metadata")
        .and_then(Node::as_str)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("none"));
    let style = match schema.get("metadata").filter(|_| !no_metadata) {
        Some(n) => match n.as_str().map(|s| s.trim().to_ascii_lowercase()) {
            Some(s) if s == "frontmatter" || s == "yaml" => Some(Style::Frontmatter),
            Some(s) if s == "bold" || s == "bold-lines" => Some(Style::BoldLines),
            Some(s) if s == "status-section" || s == "status" => Some(Style::StatusSection),
            Some(s) if s == "list" || s == "list-lines" => Some(Style::ListLines),
            Some(s) if s == "table" => Some(Style::Table),
            _ => {
                problem(
                    n,
                    "`metadata` must be one of: frontmatter, bold-lines, status-section, list, table, none"
                        .into(),
                );
                None
            }
        },
        None => None,
    }
    .or(outline.style)
    .unwrap_or(Style::Frontmatter);

    // Sections: the skeleton's headings, with presence from the schema.
    let sections_node = schema.get("sections");
    let default = match sections_node.and_then(|s| s.get("default")) {
        Some(n) => n.as_str().and_then(Presence::parse).unwrap_or_else(|| {
            problem(
                n,
                "`sections.default` must be required, recommended or optional".into(),
            );
            Presence::Required
        }),
        None => Presence::Required,
    };
    let mut sections: Vec<SectionSpec> = outline
        .sections
        .iter()
        .map(|(title, level, parent, body)| SectionSpec {
            title: title.clone(),
            level: *level,
            parent: *parent,
            presence: if is_slot_heading(title) {
                Presence::Optional
            } else {
                default
            },
            body: body.clone(),
            slot: is_slot_heading(title),
            matcher: HeadingMatcher::new(title),
            aliases: Vec::new(),
            rename_words: Default::default(),
        })
        .collect();
    // `aliases: { Alternatives: [Rejected ideas] }`: other headings for a section.
    for (key, value) in sections_node
        .and_then(|s| s.get("aliases"))
        .map_or(&[][..], Node::entries)
    {
        let Some(path) = key.as_str() else { continue };
        let names: Vec<String> = match value {
            Node::Seq { .. } => value
                .items()
                .iter()
                .filter_map(Node::as_str)
                .map(normalize)
                .collect(),
            _ => value.as_str().map(normalize).into_iter().collect(),
        };
        if names.is_empty() {
            problem(value, format!("aliases of `{path}` are a list of headings"));
            continue;
        }
        let wanted: Vec<String> = path.split('>').map(normalize).collect();
        let mut found = false;
        for i in 0..sections.len() {
            if path_matches(&sections, i, &wanted) {
                sections[i].aliases.extend(names.iter().cloned());
                found = true;
            }
        }
        if !found {
            problem(key, format!("the skeleton has no section `{path}`"));
        }
    }
    for (key, value) in sections_node
        .and_then(|s| s.get("presence"))
        .map_or(&[][..], Node::entries)
    {
        let Some(path) = key.as_str() else { continue };
        let Some(presence) = value.as_str().and_then(Presence::parse) else {
            problem(
                value,
                format!("presence of `{path}` must be required, recommended or optional"),
            );
            continue;
        };
        let wanted: Vec<String> = path.split('>').map(normalize).collect();
        let mut found = false;
        for i in 0..sections.len() {
            if path_matches(&sections, i, &wanted) {
                sections[i].presence = presence;
                found = true;
            }
        }
        if !found {
            problem(key, format!("the skeleton has no section `{path}`"));
        }
    }

    // Fields: the schema's, in its order, then any the skeleton shows that it does not name.
    let mut fields = Vec::new();
    for (key, spec) in schema.get("fields").map_or(&[][..], Node::entries) {
        let Some(k) = key.as_str() else { continue };
        let example = outline
            .fields
            .iter()
            .find(|(f, _)| f.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.clone());
        fields.push(field(k, spec, example.unwrap_or_default(), &mut problem));
    }
    for (k, v) in &outline.fields {
        if !fields
            .iter()
            .any(|f: &FieldSpec| f.key.eq_ignore_ascii_case(k))
        {
            fields.push(FieldSpec {
                key: k.clone(),
                required: true,
                kind: FieldKind::Text,
                description: String::new(),
                example: v.clone(),
            });
        }
    }

    let title_node = schema.get("title");
    let title = TitleSpec {
        placeholder: outline.title.clone(),
        pattern: title_node
            .and_then(|t| t.get("pattern"))
            .and_then(|p| compile(p, &mut problem)),
        field: text(title_node.and_then(|t| t.get("field"))),
    };
    let status_field = text(schema.get("status-field")).or_else(|| {
        fields
            .iter()
            .find(|f| ["status", "state", "stage"].contains(&f.key.to_ascii_lowercase().as_str()))
            .map(|f| f.key.clone())
    });
    let mut guidance = skeleton_guidance(&outline.prose, &fields, status_field.as_deref());
    // `guidance: none`: the skeleton's text left in an RFC is not reported (older RFCs,
    // whose kept template text is history).
    if schema
        .get("guidance")
        .and_then(Node::as_str)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("none"))
    {
        guidance.clear();
    }
    for item in schema.get("guidance").map_or(&[][..], Node::items) {
        match item.as_str().and_then(|h| u64::from_str_radix(h, 16).ok()) {
            Some(key) => {
                guidance.insert(key);
            }
            None => problem(item, "`guidance` holds hexadecimal keys".into()),
        }
    }
    // Lines of the skeleton that authors keep (a checklist's legend): not guidance.
    for item in schema.get("keep").map_or(&[][..], Node::items) {
        match item.as_str() {
            Some(line) => {
                for key in crate::template::guidance_keys(line) {
                    guidance.remove(&key);
                }
            }
            None => problem(item, "`keep` holds lines of the skeleton, as text".into()),
        }
    }
    if no_metadata {
        fields.clear();
    }
    let quoted = (outline.prose.iter())
        .filter(|l| l.trim_start().starts_with('>'))
        .count();
    let mut template = Template {
        heading_vocabulary: Default::default(),
        sidecar: sidecar_name,
        guidance,
        guidance_quoted: quoted * 2 > outline.prose.len(),
        by_heading: Default::default(),
        wildcards: Vec::new(),
        name,
        description: text(schema.get("description")).unwrap_or_default(),
        style,
        title,
        sections,
        fields,
        status_field,
        skeleton: skeleton.to_string(),
        builtin,
    };
    template.index_headings();
    (template, problems)
}

fn path_matches(sections: &[SectionSpec], index: usize, wanted: &[String]) -> bool {
    // Compare from the section upwards; a one-part path matches the title anywhere.
    let mut at = Some(index);
    for part in wanted.iter().rev() {
        match at {
            Some(i) if normalize(&sections[i].title) == *part => at = sections[i].parent,
            _ => return false,
        }
    }
    true
}

fn compile(node: &Node, problem: &mut impl FnMut(&Node, String)) -> Option<Regex> {
    let source = node.as_str()?;
    match Regex::new(source) {
        Ok(re) => Some(re),
        Err(e) => {
            problem(node, format!("not a valid regular expression: {e}"));
            None
        }
    }
}

/// One field's rule from its schema entry.
///
/// Long: one arm per field kind, each reading that kind's own keys.
fn field(
    key: &str,
    spec: &Node,
    example: String,
    problem: &mut impl FnMut(&Node, String),
) -> FieldSpec {
    let flag = |name: &str| {
        spec.get(name)
            .and_then(Node::as_str)
            .map(|s| s == "true" || s == "yes")
    };
    let text = |name: &str| spec.get(name).and_then(Node::as_str).map(str::to_string);
    let kind_name = text("kind").unwrap_or_else(|| "text".into());
    let kind = match kind_name.as_str() {
        "text" => FieldKind::Text,
        "any" => FieldKind::Any,
        "enum" => {
            let values: Vec<String> = match spec.get("values") {
                Some(Node::Seq { items, .. }) => items
                    .iter()
                    .filter_map(Node::as_str)
                    .map(str::to_string)
                    .collect(),
                _ => Vec::new(),
            };
            if values.is_empty() {
                problem(
                    spec,
                    format!("field `{key}`: an enum needs a list of `values`"),
                );
            }
            FieldKind::Enum {
                values,
                multiple: flag("multiple").unwrap_or(false),
            }
        }
        "date" | "datetime" => FieldKind::Date {
            not_before: text("not-before"),
            time: kind_name == "datetime",
        },
        "uuid" => FieldKind::Uuid,
        "url" | "urls" => FieldKind::Url {
            multiple: kind_name == "urls",
        },
        "pattern" => match spec.get("pattern").and_then(|p| compile(p, problem)) {
            Some(pattern) => FieldKind::Pattern {
                pattern,
                file_number: flag("file-number").unwrap_or(false),
                starts_with: text("starts-with"),
                number_of: text("number-of"),
            },
            None => {
                problem(
                    spec,
                    format!("field `{key}`: kind pattern needs a valid `pattern`"),
                );
                FieldKind::Text
            }
        },
        "list" => FieldKind::List {
            item: spec.get("item-pattern").and_then(|p| compile(p, problem)),
        },
        "project-id" => FieldKind::ProjectId,
        other => {
            let at = spec.get("kind").unwrap_or(spec);
            problem(
                at,
                format!(
                    "field `{key}`: unknown kind `{other}` (text, any, enum, date, datetime, uuid, pattern, list, project-id)"
                ),
            );
            FieldKind::Text
        }
    };
    FieldSpec {
        key: key.to_string(),
        required: flag("required").unwrap_or(true),
        kind,
        description: text("description").unwrap_or_default(),
        example,
    }
}

/// The guidance keys of a skeleton's prose lines (`SkeletonOutline::prose`), except a
/// legend of the status values (`- **Draft:** ...`), which authors keep.
pub(crate) fn skeleton_guidance(
    prose: &[String],
    fields: &[FieldSpec],
    status_field: Option<&str>,
) -> std::collections::HashSet<u64> {
    let statuses: Vec<String> = fields
        .iter()
        .filter(|f| status_field.is_some_and(|k| f.key.eq_ignore_ascii_case(k)))
        .flat_map(|f| match &f.kind {
            FieldKind::Enum { values, .. } => values.clone(),
            _ => Vec::new(),
        })
        .map(|v| v.to_lowercase())
        .collect();
    let mut in_quote = None;
    prose
        .iter()
        .filter(|line| {
            let label: String = line
                .trim_start_matches(['-', '*', '+', ' '])
                .split(':')
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !matches!(c, '*' | '_'))
                .collect();
            !statuses.contains(&label.trim().to_lowercase())
        })
        .map(|line| unquoted(line, &mut in_quote))
        .flat_map(|line| crate::template::guidance_keys(&line))
        .collect()
}

/// A line of guidance without what it quotes, which is text to write, not guidance (`leave
/// it in with text like "This feature can be freely adopted..."`). `in_quote` carries an
/// open quote over to the next lines: how many it has run over (a stray `"` closes after
/// four).
fn unquoted(line: &str, in_quote: &mut Option<usize>) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match (c, *in_quote) {
            ('"' | '“' | '”', Some(_)) => *in_quote = None,
            ('"' | '“' | '”', None) => *in_quote = Some(0),
            (_, Some(_)) => {}
            (_, None) => out.push(c),
        }
    }
    *in_quote = in_quote.map(|n| n + 1).filter(|&n| n < 4);
    out
}

#[cfg(test)]
mod tests {
    use crate::syntax::yaml;
    use crate::template::{Template, normalize};

    fn load(schema: &str, skeleton: &str) -> (Template, Vec<String>) {
        let (root, _) = yaml::parse(schema, 0);
        let (t, problems) = Template::load(&root.expect("a mapping"), skeleton, None, false);
        (t, problems.into_iter().map(|p| p.message).collect())
    }

    #[test]
    fn aliases_name_a_section_by_other_headings() {
        let skeleton = "# T\n\n## Summary\n\n## Alternatives\n";
        let (t, problems) = load(
            "name: t\nsections:\n  aliases:\n    Alternatives: [Rejected ideas, Other designs]\n    Nowhere: [X]\n",
            skeleton,
        );
        assert_eq!(problems, ["the skeleton has no section `Nowhere`"]);
        let alternatives = t.sections.iter().position(|s| s.title == "Alternatives");
        let found: Vec<usize> = t.candidates(&normalize("Rejected ideas:")).collect();
        assert_eq!(found, alternatives.into_iter().collect::<Vec<_>>());
        assert!(t.sections[alternatives.unwrap_or(0)].matches("Other designs"));
        assert_eq!(t.candidates(&normalize("Rejected")).count(), 0);
    }

    #[test]
    fn a_sidecar_gives_the_fields_and_guidance_none_clears_the_text() {
        let skeleton = "# T\n\n## Summary\n\nSay in one paragraph what this changes for whom.\n";
        let (t, _) = load("name: t\nsidecar: meta.yaml\nguidance: none\n", skeleton);
        assert_eq!(t.sidecar.as_deref(), Some("meta.yaml"));
        assert!(t.fields.is_empty(), "no sidecar text given: no fields");
        assert!(t.guidance.is_empty());
        let (root, _) = yaml::parse("name: t\nsidecar: meta.yaml\n", 0);
        let (t, _) = Template::load(
            &root.expect("a mapping"),
            skeleton,
            Some("title: X\nstatus: draft|final\n"),
            false,
        );
        let keys: Vec<&str> = t.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["title", "status"]);
        assert!(!t.guidance.is_empty());
    }
}
