//! `rfc-lsp schema [TEMPLATE]`: a JSON Schema (draft 2020-12) of a template's metadata
//! fields, from the same field specs the checker uses, for yaml-language-server or any other
//! validator.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::template::{FieldKind, FieldSpec, Style, Template};
use crate::workspace::config;

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The template (a built-in or configured name). Default: the config's
    /// `default-template`, else the first built-in.
    pub template: Option<String>,
    /// The configuration file, for its own templates (default: .rfc-lsp.yaml in the current
    /// folder or above).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the JSON Schema of the configuration file, `.rfc-lsp.yaml`, instead (the
    /// repository's docs/rfc-lsp.schema.json).
    #[arg(long, conflicts_with_all = ["template", "config"])]
    pub config_file: bool,
}

/// The JSON Schema of `.rfc-lsp.yaml` (a test holds it to the keys and rules the
/// configuration reader knows).
pub const CONFIG_SCHEMA: &str = include_str!("../../docs/rfc-lsp.schema.json");

pub(super) fn run(args: SchemaArgs) -> ExitCode {
    if args.config_file {
        let mut out = std::io::stdout().lock();
        let _ = out
            .write_all(CONFIG_SCHEMA.as_bytes())
            .and_then(|()| out.flush());
        return ExitCode::SUCCESS;
    }
    let root = super::check::find_root(Path::new("."), args.config.as_deref());
    let (settings, problems) = config::load(&root, args.config.as_deref());
    for p in &problems {
        eprintln!("warning: {}: {}", p.path.display(), p.message);
    }
    let name = args
        .template
        .as_deref()
        .or(settings.default_template.as_deref());
    let template = match name {
        None => &settings.templates.all[0],
        Some(name) => match settings.templates.get(name) {
            Some(t) => t,
            None => return super::check::unknown_template(&settings, name),
        },
    };
    let mut text = String::new();
    schema(template).write(&mut text, 0);
    text.push('\n');
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    ExitCode::SUCCESS
}

/// A JSON value whose objects keep their keys in the order given.
enum Json {
    Str(String),
    Bool(bool),
    Num(u64),
    Arr(Vec<Json>),
    Obj(Vec<(&'static str, Json)>),
    /// An object with computed keys (the properties).
    Map(Vec<(String, Json)>),
}

fn s(text: impl Into<String>) -> Json {
    Json::Str(text.into())
}

impl Json {
    fn write(&self, out: &mut String, indent: usize) {
        let pad = |n: usize| "  ".repeat(n);
        let entries = |out: &mut String, items: Vec<(&str, &Json)>| {
            if items.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{\n");
            for (i, (k, v)) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&quote(k));
                out.push_str(": ");
                v.write(out, indent + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        };
        match self {
            Json::Str(v) => out.push_str(&quote(v)),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push_str(&n.to_string()),
            Json::Arr(items) => {
                // Short lists of strings on one line, like the templates' own YAML.
                if items.iter().all(|i| matches!(i, Json::Str(_))) {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        item.write(out, indent);
                    }
                    out.push(']');
                    return;
                }
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    item.write(out, indent + 1);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push(']');
            }
            Json::Obj(items) => entries(out, items.iter().map(|(k, v)| (*k, v)).collect()),
            Json::Map(items) => entries(out, items.iter().map(|(k, v)| (k.as_str(), v)).collect()),
        }
    }
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// The schema of a template's metadata.
fn schema(template: &Template) -> Json {
    let form = match template.style {
        Style::Frontmatter => "YAML frontmatter at the top of the file".to_string(),
        Style::BoldLines => {
            "not YAML but bold `**Key**: value` (or `**Key:** value`) lines under the \
            title; this \
            schema describes those fields as one object of strings, for a tool that reads \
            them into one (yaml-language-server cannot apply it to the Markdown)"
                .to_string()
        }
        Style::StatusSection => "not YAML but a `## Status` section of `- **Key**: value` \
            list items; this schema describes those fields as one object of strings, for a \
            tool that reads them into one (yaml-language-server cannot apply it to the \
            Markdown)"
            .to_string(),
        Style::ListLines => "not YAML but plain `- Key: value` list items at the top of \
            the document (or under its title); this schema describes those fields as one \
            object of strings"
            .to_string(),
        Style::Table => "not YAML but a key/value Markdown table (`| Key | value |`) at the \
            top of the document (or under its title); this schema describes those fields as \
            one object of strings"
            .to_string(),
    };
    let mut properties: Vec<(String, Json)> = template
        .fields
        .iter()
        .map(|f| (f.key.clone(), property(f)))
        .collect();
    if template.style == Style::Frontmatter && template.field("template").is_none() {
        properties.push((
            "template".into(),
            Json::Obj(vec![
                (
                    "description",
                    s("The template this RFC follows; rfc-lsp reads it before detecting one."),
                ),
                ("type", s("string")),
            ]),
        ));
    }
    let required: Vec<Json> = template
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| s(f.key.clone()))
        .collect();
    Json::Obj(vec![
        ("$schema", s("https://json-schema.org/draft/2020-12/schema")),
        (
            "title",
            s(format!("RFC metadata: template {}", template.name)),
        ),
        (
            "description",
            s(format!(
                "The metadata fields of rfc-lsp template `{}` ({}). Its metadata is {form}. \
                 Generated by `rfc-lsp schema {}`; `rfc-lsp check` applies the same rules and \
                 also those no schema can state (numbers matching the file name, dates in \
                 order).",
                template.name, template.description, template.name
            )),
        ),
        ("type", s("object")),
        ("properties", Json::Map(properties)),
        ("required", Json::Arr(required)),
        ("additionalProperties", Json::Bool(true)),
    ])
}

const DATE_PATTERN: &str = r"^\d{4}-\d{2}-\d{2}$";
const UUID_V4_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$";

/// Long: one arm per field kind.
fn property(f: &FieldSpec) -> Json {
    let mut notes: Vec<String> = Vec::new();
    if !f.description.is_empty() {
        notes.push(f.description.clone());
    }
    let mut p: Vec<(&'static str, Json)> = Vec::new();
    match &f.kind {
        FieldKind::Any => {}
        FieldKind::Url { multiple: false } => {
            p.push(("type", s("string")));
            let text = "A URL (https://...), or a Markdown link to one.".to_string();
            note(&mut notes, "url", text);
        }
        FieldKind::Url { multiple: true } => {
            p.push(("type", Json::Arr(vec![s("string"), s("array")])));
            let text = "URLs or Markdown links: a list, or separated by commas.".to_string();
            note(&mut notes, "urls", text);
        }
        FieldKind::Text => {
            p.push(("type", s("string")));
            if f.required {
                p.push(("minLength", Json::Num(1)));
            }
        }
        FieldKind::Enum { values, multiple } => {
            p.push(("type", s("string")));
            if *multiple {
                let one = values
                    .iter()
                    .map(|v| ecma_escape(v))
                    .collect::<Vec<_>>()
                    .join("|");
                p.push((
                    "pattern",
                    s(format!(r"^\s*(?:{one})(?:\s*,\s*(?:{one}))*\s*$")),
                ));
                let text = format!("Comma-separated, each one of: {}.", values.join(", "));
                note(&mut notes, "comma-separated", text);
            } else {
                p.push((
                    "enum",
                    Json::Arr(values.iter().map(|v| s(v.clone())).collect()),
                ));
            }
        }
        FieldKind::Date { not_before, time } => {
            p.push(("type", s("string")));
            if *time {
                p.push(("format", s("date-time")));
            } else {
                p.push(("format", s("date")));
                p.push(("pattern", s(DATE_PATTERN)));
            }
            if let Some(other) = not_before {
                note(&mut notes, "not before", format!("Not before `{other}`."));
            }
        }
        FieldKind::Uuid => {
            p.push(("type", s("string")));
            p.push(("format", s("uuid")));
            p.push(("pattern", s(UUID_V4_PATTERN)));
        }
        FieldKind::Pattern {
            pattern,
            file_number,
            starts_with,
            number_of,
        } => {
            p.push(("type", s("string")));
            p.push(("pattern", s(pattern.as_str())));
            if *file_number {
                let text = "Its number is the file name's (rfc-NNN-...).";
                note(&mut notes, "file name", text.into());
            }
            if let Some(other) = starts_with {
                let text = format!("Starts with the value of `{other}`.");
                note(&mut notes, "start", text);
            }
            if let Some(other) = number_of {
                let text = format!("Its number is the number of `{other}`.");
                note(&mut notes, "number", text);
            }
        }
        FieldKind::List { item } => {
            p.push(("type", s("array")));
            let mut items = vec![("type", s("string"))];
            if let Some(re) = item {
                items.push(("pattern", s(re.as_str())));
            }
            p.push(("items", Json::Obj(items)));
            p.push(("uniqueItems", Json::Bool(true)));
        }
        FieldKind::ProjectId => {
            p.push(("type", s("string")));
            let text = "Must equal `project.id` in docs-project.yaml.";
            note(&mut notes, "docs-project.yaml", text.into());
        }
    }
    p.insert(0, ("description", s(notes.join(" "))));
    Json::Obj(p)
}

/// Adds a rule to a field's description unless its own description already says it.
fn note(notes: &mut Vec<String>, said: &str, text: String) {
    if !notes.iter().any(|n| n.to_lowercase().contains(said)) {
        notes.push(text);
    }
}

/// `text` as a literal in an ECMA-262 regular expression (which JSON Schema patterns
/// are): only the syntax characters escaped, as `u`-mode regexes require.
fn ecma_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod config_schema_tests {
    use super::CONFIG_SCHEMA;
    use crate::syntax::yaml::{self, Node};
    use serde_json::Value;

    fn schema() -> Value {
        serde_json::from_str(CONFIG_SCHEMA).expect("docs/rfc-lsp.schema.json is JSON")
    }

    fn keys(v: &Value) -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_config_schema_names_every_setting_and_rule_the_reader_knows() {
        let schema = schema();
        let mut props = keys(&schema["properties"]);
        props.sort();
        let mut known: Vec<String> = crate::workspace::config::KEYS
            .iter()
            .map(|k| k.to_string())
            .collect();
        known.sort();
        assert_eq!(props, known);
        // Each is a setting the reader takes (no "unknown setting").
        for key in crate::workspace::config::KEYS {
            let mut s = crate::workspace::Settings::defaults(std::path::Path::new("/w"));
            let problems = crate::workspace::config::apply(
                &mut s,
                &format!("{key}: []\n"),
                std::path::Path::new("/w/.rfc-lsp.yaml"),
            );
            assert!(
                !problems
                    .iter()
                    .any(|p| p.message.contains("unknown setting")),
                "{key}: {problems:?}"
            );
        }
        let rules: Vec<&str> = schema["$defs"]["rule"]["enum"]
            .as_array()
            .expect("an enum")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let codes: Vec<&str> = crate::analysis::diagnostics::RULES
            .iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(rules, codes);
    }

    /// The keys of every mapping in `node` at the places the schema describes, checked
    /// against it: top level, `files` entries, templates, their sections and fields.
    fn check_keys(node: &Node, schema: &Value, at: &str, bad: &mut Vec<String>) {
        let defs = &schema["$defs"];
        let allowed = |v: &Value| keys(&v["properties"]);
        for (k, v) in node.entries() {
            let k = k.as_str().unwrap_or_default().to_string();
            let props = match at {
                "top" => allowed(schema),
                "files" => allowed(&schema["properties"]["files"]["items"]),
                "template" => allowed(&defs["template"]),
                "sections" => allowed(&defs["template"]["properties"]["sections"]),
                "field" => allowed(&defs["field"]),
                _ => continue,
            };
            if !props.contains(&k) {
                bad.push(format!("{at}: {k}"));
            }
            match (at, k.as_str()) {
                ("top", "files") => v
                    .items()
                    .iter()
                    .for_each(|i| check_keys(i, schema, "files", bad)),
                ("top", "templates") => v
                    .items()
                    .iter()
                    .for_each(|i| check_keys(i, schema, "template", bad)),
                ("template", "sections") => check_keys(v, schema, "sections", bad),
                ("template", "fields") => v
                    .entries()
                    .iter()
                    .for_each(|(_, f)| check_keys(f, schema, "field", bad)),
                _ => {}
            }
        }
    }

    #[test]
    fn the_readmes_configuration_example_keeps_to_the_schema() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("```yaml\ndefault-template:")
            .expect("the README's example")
            + 8;
        let end = start + readme[start..].find("```").expect("its end");
        // Commented lines are settings too (`# sidecar: kep.yaml`).
        let text: String = readme[start..end]
            .lines()
            .map(|l| {
                let t = l.trim_start();
                match t.strip_prefix("# ") {
                    Some(rest)
                        if rest.split_once(": ").is_some_and(|(k, _)| {
                            !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                        }) =>
                    {
                        format!("{}{rest}\n", &l[..l.len() - t.len()])
                    }
                    _ => format!("{l}\n"),
                }
            })
            .collect();
        let (root, error) = yaml::parse(&text, 0);
        assert!(error.is_none(), "{error:?}\n{text}");
        let mut bad = Vec::new();
        check_keys(&root.expect("a mapping"), &schema(), "top", &mut bad);
        assert_eq!(bad, Vec::<String>::new());
    }
}
