//! Code actions: quick fixes for the diagnostics under the cursor, and source actions
//! (insert all missing sections, scaffold an empty document from a template).

use std::ops::Range;

use super::diagnostics::fields::{closest, normalize_tag};
use super::diagnostics::{Diagnostic, Subject, check};
use super::edit::{self, TextEdit};
use super::{Context, Snapshot};
use crate::metadata::{self, Field, Metadata, RfcNumber, Value};
use crate::template::{FieldKind, Style, Template};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    Source,
    Refactor,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<TextEdit>,
    /// The diagnostic this action fixes.
    pub fixes: Option<Diagnostic>,
    pub preferred: bool,
}

/// The actions for `range` (bytes). `today` is YYYY-MM-DD.
pub fn code_actions(
    snapshot: &Snapshot,
    ctx: &Context,
    range: Range<usize>,
    today: &str,
) -> Vec<Action> {
    // A selection over 2,000 bad tags asked for 465 MB of JSON: a menu shows a few dozen
    // quick fixes; the source actions (a handful) are always there.
    let (mut fixes, others): (Vec<Action>, Vec<Action>) = all_actions(snapshot, ctx, range, today)
        .into_iter()
        .partition(|a| a.kind == ActionKind::QuickFix);
    fixes.truncate(MAX_ACTIONS);
    fixes.extend(others);
    fixes
}

/// Every quick fix of the whole document (no cap), for `check --fix`.
pub fn quick_fixes(snapshot: &Snapshot, ctx: &Context, today: &str) -> Vec<Action> {
    all_actions(snapshot, ctx, 0..snapshot.rope.len_bytes(), today)
        .into_iter()
        .filter(|a| a.kind == ActionKind::QuickFix)
        .collect()
}

/// The most quick fixes answered for one request.
pub const MAX_ACTIONS: usize = 100;

fn all_actions(
    snapshot: &Snapshot,
    ctx: &Context,
    range: Range<usize>,
    today: &str,
) -> Vec<Action> {
    if snapshot.rope.len_bytes() == 0 || snapshot.rope.chars().all(char::is_whitespace) {
        return scaffolds(snapshot, ctx, today);
    }
    let report = check(snapshot, ctx);
    let Some(choice) = report.choice.clone() else {
        return Vec::new();
    };
    let template = &choice.template;
    let all_metadata = metadata::read(snapshot);
    let fixing = Fixing {
        snapshot,
        ctx,
        template,
        meta: all_metadata.iter().find(|m| m.style == template.style),
        matching: edit::matching(snapshot, template),
        today,
        sidecar: false,
    };
    let touches = |r: &Range<usize>| r.start <= range.end && range.start <= r.end;
    let mut actions = Vec::new();
    for d in report.diagnostics.iter().filter(|d| touches(&d.range)) {
        actions.extend(
            fixing
                .fixes(d)
                .into_iter()
                .map(|(title, edits, preferred)| Action {
                    title,
                    kind: ActionKind::QuickFix,
                    edits,
                    fixes: Some(d.clone()),
                    preferred,
                }),
        );
    }
    actions.extend(fixing.source_actions());
    actions
}

/// The quick fixes over `range` of an RFC's open sidecar (`kep.yaml`), a YAML file of
/// `template`'s fields; `ctx` is the RFC's. A missing field is added at the file's end.
pub fn sidecar_actions(
    sidecar: &Snapshot,
    template: &std::sync::Arc<Template>,
    ctx: &Context,
    range: Range<usize>,
    today: &str,
) -> Vec<Action> {
    let meta = metadata::read_yaml_file(sidecar);
    let fixing = Fixing {
        snapshot: sidecar,
        ctx,
        template,
        meta: Some(&meta),
        matching: edit::matching(sidecar, template),
        today,
        sidecar: true,
    };
    let touches = |r: &Range<usize>| r.start <= range.end && range.start <= r.end;
    let mut actions: Vec<Action> = super::diagnostics::check_sidecar(sidecar, template, ctx)
        .into_iter()
        .filter(|d| touches(&d.range))
        .flat_map(|d| {
            let fixes = match d.code {
                // Of the document, not of its sidecar.
                "section-missing" | "document-empty" | "metadata-missing" => Vec::new(),
                _ => fixing.fixes(&d),
            };
            fixes
                .into_iter()
                .map(move |(title, edits, preferred)| Action {
                    title,
                    kind: ActionKind::QuickFix,
                    edits,
                    fixes: Some(d.clone()),
                    preferred,
                })
        })
        .collect();
    actions.truncate(MAX_ACTIONS);
    actions
}

/// An empty document: one action per template to fill it with its skeleton.
fn scaffolds(snapshot: &Snapshot, ctx: &Context, today: &str) -> Vec<Action> {
    ctx.templates
        .all
        .iter()
        .map(|t| Action {
            title: format!("Scaffold an RFC from template `{}`", t.name),
            kind: ActionKind::Source,
            edits: vec![TextEdit::replace(
                0..snapshot.rope.len_bytes(),
                scaffold(t, ctx, today),
            )],
            fixes: None,
            preferred: false,
        })
        .collect()
}

/// A quick fix: its title, its edits, whether it is the preferred one.
type Fix = (String, Vec<TextEdit>, bool);

/// What the fixes of one document need: its template and metadata, read once.
struct Fixing<'a> {
    snapshot: &'a Snapshot,
    ctx: &'a Context<'a>,
    template: &'a std::sync::Arc<Template>,
    meta: Option<&'a Metadata>,
    matching: super::diagnostics::sections::Matching,
    today: &'a str,
    /// The metadata is a sidecar YAML file: a field is added at its end.
    sidecar: bool,
}

impl Fixing<'_> {
    /// The quick fixes of diagnostic `d`, by its code.
    fn fixes(&self, d: &Diagnostic) -> Vec<Fix> {
        let (snapshot, template) = (self.snapshot, self.template);
        let field_at = self.meta.and_then(|md| {
            md.fields.iter().find(|f| {
                f.value_range == d.range
                    || f.key_range == d.range
                    || contains(&f.value_range, &d.range)
            })
        });
        match d.code {
            "document-empty" => vec![(
                format!("Start from template `{}`", template.name),
                vec![TextEdit::replace(
                    0..snapshot.outline.len,
                    template.skeleton.clone(),
                )],
                true,
            )],
            "field-unknown" => match (field_at, &d.subject) {
                (Some(f), Some(Subject::Field(key))) => vec![(
                    format!("Rename `{}` to `{key}`", f.key),
                    vec![TextEdit::replace(f.key_range.clone(), key.to_string())],
                    true,
                )],
                _ => Vec::new(),
            },
            "section-missing" => missing_section(template, &self.matching, d)
                .map(|j| {
                    (
                        format!("Insert section `{}`", template.heading_line(j)),
                        vec![edit::insert_section(snapshot, template, &self.matching, j)],
                        true,
                    )
                })
                .into_iter()
                .collect(),
            "status-invalid" | "enum-invalid" => self.enum_fixes(d, field_at),
            "uuid-invalid" => vec![(
                "Generate a new UUID v4".into(),
                vec![TextEdit::replace(
                    d.range.clone(),
                    quote_like(snapshot, &d.range, &edit::new_uuid()),
                )],
                true,
            )],
            "field-placeholder" | "date-invalid" | "date-order" | "field-empty" => {
                field_at.map_or(Vec::new(), |f| self.value_fixes(f))
            }
            "id-file-mismatch" | "field-prefix" | "field-number-mismatch" | "field-format" => {
                field_at
                    .and_then(|f| self.derived_fix(f))
                    .into_iter()
                    .collect()
            }
            "tag-format" | "tag-duplicate" => self.tags_fix(d).into_iter().collect(),
            "field-missing" => self.missing_field_fixes(d),
            "metadata-missing" => vec![self.metadata_fix()],
            _ => Vec::new(),
        }
    }

    /// The closest allowed value first (preferred), then every other.
    fn enum_fixes(&self, d: &Diagnostic, field_at: Option<&Field>) -> Vec<Fix> {
        let Some(spec) = field_at.and_then(|f| self.template.field(&f.key)) else {
            return Vec::new();
        };
        let FieldKind::Enum { values, .. } = &spec.kind else {
            return Vec::new();
        };
        let current = self.snapshot.slice(d.range.clone()).to_string();
        let best = closest(&current, values).to_string();
        let replace = |v: &str, preferred: bool| {
            (
                format!("Replace with \"{v}\""),
                vec![TextEdit::replace(d.range.clone(), v.to_string())],
                preferred,
            )
        };
        let mut fixes = vec![replace(&best, true)];
        fixes.extend(
            values
                .iter()
                .filter(|v| **v != best)
                .map(|v| replace(v, false)),
        );
        fixes
    }

    /// A value to put in place of a placeholder, a bad date or nothing: a new UUID or
    /// today's date by the field's kind, and the value the document implies.
    fn value_fixes(&self, f: &Field) -> Vec<Fix> {
        let Some(spec) = self.template.field(&f.key) else {
            return Vec::new();
        };
        let mut fixes = Vec::new();
        match &spec.kind {
            FieldKind::Uuid => fixes.push((
                "Generate a new UUID v4".into(),
                vec![set_value(self.snapshot, f, &edit::new_uuid())],
                true,
            )),
            FieldKind::Date { .. } => fixes.push((
                format!("Set `{}` to today ({})", f.key, self.today),
                vec![set_value(self.snapshot, f, self.today)],
                true,
            )),
            _ => {}
        }
        fixes.extend(self.derived_fix(f));
        fixes
    }

    /// The value the document implies for field `f` (its id from the file name...).
    fn derived_fix(&self, f: &Field) -> Option<Fix> {
        let value = derived_value(self.snapshot, self.ctx, self.template, self.meta, &f.key)?;
        Some((
            format!("Set `{}` to \"{value}\"", f.key),
            vec![set_value(self.snapshot, f, &value)],
            true,
        ))
    }

    /// The tags of the list `d` points into, normalised and without repeats.
    fn tags_fix(&self, d: &Diagnostic) -> Option<Fix> {
        let f = self
            .meta?
            .fields
            .iter()
            .find(|f| contains(&f.value_range, &d.range))?;
        let Value::List(items) = &f.value else {
            return None;
        };
        let mut seen = Vec::new();
        let mut edits = Vec::new();
        for (k, item) in items.iter().enumerate() {
            let tag = normalize_tag(&item.value);
            if seen.contains(&tag) {
                // Remove the item and the separator before it.
                let start = items[k - 1].range.end;
                edits.push(TextEdit::replace(start..item.range.end, ""));
            } else {
                if tag != item.value {
                    edits.push(TextEdit::replace(
                        item.range.clone(),
                        quote_like(self.snapshot, &item.range, &tag),
                    ));
                }
                seen.push(tag);
            }
        }
        Some((format!("Normalise the tags of `{}`", f.key), edits, true))
    }

    /// The required field `d` is about, added with its initial value.
    fn missing_field_fixes(&self, d: &Diagnostic) -> Vec<Fix> {
        let Some(md) = self.meta else {
            return Vec::new();
        };
        self.template
            .fields
            .iter()
            .filter(|s| s.required && md.field(&s.key).is_none())
            .filter(|s| d.subject.as_ref() == Some(&Subject::Field(s.key.clone())))
            .map(|spec| {
                let value = initial_value(
                    self.snapshot,
                    self.ctx,
                    self.template,
                    self.meta,
                    spec,
                    self.today,
                );
                let line = edit::field_line(md.style, &spec.key, &value);
                let edit = if self.sidecar {
                    edit::append_line(self.snapshot, &line)
                } else {
                    edit::add_field(self.snapshot, md, &line)
                };
                (format!("Add field `{}`", spec.key), vec![edit], true)
            })
            .collect()
    }

    /// The template's whole metadata block, where its style puts it.
    fn metadata_fix(&self) -> Fix {
        let (snapshot, template) = (self.snapshot, self.template);
        let block = metadata_block(snapshot, self.ctx, template, self.today);
        let at = match template.style {
            Style::Frontmatter => 0,
            _ => snapshot
                .outline
                .headings
                .iter()
                .find(|h| h.level == 1)
                .map_or(0, |h| line_after(snapshot, h.range.end)),
        };
        (
            format!(
                "Add the {} of template `{}`",
                template.style.describe(),
                template.name
            ),
            vec![TextEdit::insert(at, block)],
            true,
        )
    }

    /// Source actions for the whole document: insert every missing section, set an
    /// "updated" date to today.
    fn source_actions(&self) -> Vec<Action> {
        let (snapshot, template, today) = (self.snapshot, self.template, self.today);
        let mut actions = Vec::new();
        let all = edit::insert_all_missing(snapshot, template, &self.matching);
        if !all.is_empty() {
            actions.push(Action {
                title: format!(
                    "Insert all missing sections of template `{}`",
                    template.name
                ),
                kind: ActionKind::Source,
                edits: all,
                fixes: None,
                preferred: false,
            });
        }
        if let Some(md) = self.meta
            && let Some(f) = md.fields.iter().find(|f| {
                template
                    .field(&f.key)
                    .is_some_and(|s| matches!(s.kind, FieldKind::Date { .. }))
                    && f.key.to_ascii_lowercase().contains("updated")
            })
            && f.value.display() != today
        {
            actions.push(Action {
                title: format!("Set `{}` to today ({today})", f.key),
                kind: ActionKind::Source,
                edits: vec![set_value(snapshot, f, today)],
                fixes: None,
                preferred: false,
            });
        }
        actions
    }
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The template section a `section-missing` diagnostic is about (named in its message).
fn missing_section(
    template: &Template,
    m: &super::diagnostics::sections::Matching,
    d: &Diagnostic,
) -> Option<usize> {
    match d.subject {
        Some(Subject::Section(j)) if j < template.sections.len() && m.of_template[j].is_none() => {
            Some(j)
        }
        _ => None,
    }
}

/// Replaces a field's value, keeping its quotes.
pub(crate) fn set_value(snapshot: &Snapshot, f: &Field, value: &str) -> TextEdit {
    if f.value_range.is_empty() || matches!(f.value, Value::Empty) {
        // `key:` with nothing after it: write after the colon.
        let at = f.key_range.end;
        let rest = snapshot
            .slice(at..snapshot.rope.len_bytes().min(at + 3))
            .to_string();
        // Past the colon: `key:` and `**Key**:` alike (`**Key:**` has its colon inside).
        let colon = rest.find(':').map_or(0, |i| i + 1);
        return TextEdit::insert(at + colon, format!(" {value}"));
    }
    TextEdit::replace(
        f.value_range.clone(),
        quote_like(snapshot, &f.value_range, value),
    )
}

/// `value`, quoted the way the text at `range` is quoted.
fn quote_like(snapshot: &Snapshot, range: &Range<usize>, value: &str) -> String {
    let old = snapshot.slice(range.clone());
    match old.chars().next() {
        Some(q @ ('"' | '\'')) => format!("{q}{value}{q}"),
        _ => value.to_string(),
    }
}

fn has_title(snapshot: &Snapshot) -> bool {
    snapshot.outline.headings.iter().any(|h| h.level == 1)
}

fn line_after(snapshot: &Snapshot, offset: usize) -> usize {
    let rope = &snapshot.rope;
    let line = rope.byte_to_line(offset.min(rope.len_bytes()));
    if line + 1 < rope.len_lines() {
        rope.line_to_byte(line + 1)
    } else {
        rope.len_bytes()
    }
}

/// A value that follows from the file name and the other fields: `id` from the file
/// number, `slug` from the id and the title, `title` with the id's number.
fn derived_value(
    snapshot: &Snapshot,
    ctx: &Context,
    template: &Template,
    meta: Option<&Metadata>,
    key: &str,
) -> Option<String> {
    let spec = template.field(key)?;
    let number = edit::file_number(ctx.path)?;
    let title = snapshot
        .outline
        .headings
        .iter()
        .find(|h| h.level == 1)
        .map(|h| h.name.to_string())
        .unwrap_or_default();
    let title_text = title
        .split_once(": ")
        .map_or(title.as_str(), |(_, t)| t)
        .to_string();
    match &spec.kind {
        FieldKind::Pattern {
            pattern,
            file_number: true,
            ..
        } => {
            // A year-numbered value keeps its year.
            let current = meta.and_then(|m| m.field(key)).map(|f| f.value.display());
            let year = current
                .as_deref()
                .and_then(RfcNumber::parse)
                .and_then(|n| n.year);
            let number = RfcNumber {
                year: number.year.or(year),
                ..number
            };
            edit::number_value(Some(pattern), number, None)
        }
        FieldKind::Pattern {
            starts_with: Some(other),
            ..
        } => {
            let prefix = match meta.and_then(|m| m.field(other)).map(|f| f.value.display()) {
                Some(p)
                    if !p.is_empty()
                        && !super::diagnostics::placeholder::is_placeholder_value(&p) =>
                {
                    p
                }
                _ => format!("rfc-{number:03}"),
            };
            Some(format!("{prefix}-{}", normalize_tag(&title_text)))
        }
        FieldKind::Pattern {
            number_of: Some(_), ..
        } => Some(format!("RFC-{number:03}: {title_text}")),
        _ => None,
    }
}

/// The value a new field starts with.
fn initial_value(
    snapshot: &Snapshot,
    ctx: &Context,
    template: &Template,
    meta: Option<&Metadata>,
    spec: &crate::template::FieldSpec,
    today: &str,
) -> String {
    match &spec.kind {
        FieldKind::Uuid => edit::new_uuid(),
        FieldKind::Date { .. } => today.to_string(),
        FieldKind::Enum { values, .. } => values.first().cloned().unwrap_or_default(),
        FieldKind::ProjectId => ctx
            .project_id
            .map_or_else(|| spec.example.clone(), str::to_string),
        _ => derived_value(snapshot, ctx, template, meta, &spec.key)
            .unwrap_or_else(|| spec.example.trim_matches('"').to_string()),
    }
}

/// The whole metadata block in the template's style, with real values where they can be
/// known and the skeleton's placeholders elsewhere.
fn metadata_block(snapshot: &Snapshot, ctx: &Context, template: &Template, today: &str) -> String {
    let lines: Vec<String> = template
        .fields
        .iter()
        .map(|spec| {
            edit::field_line(
                template.style,
                &spec.key,
                &initial_value(snapshot, ctx, template, None, spec, today),
            )
        })
        .collect();
    match template.style {
        Style::Frontmatter => format!("---\n{}\n---\n\n", lines.join("\n")),
        Style::BoldLines => format!("\n{}\n", lines.join("\n")),
        Style::StatusSection => format!("\n## Status\n{}\n", lines.join("\n")),
        Style::ListLines if !has_title(snapshot) => format!("{}\n\n", lines.join("\n")),
        Style::ListLines => format!("\n{}\n", lines.join("\n")),
        // The first field is the header row.
        Style::Table => {
            let mut rows = lines.clone();
            rows.insert(1.min(rows.len()), "| --- | --- |".to_string());
            format!("\n{}\n", rows.join("\n"))
        }
    }
}

/// A whole new RFC from a template: the skeleton with real metadata values.
pub fn scaffold(template: &Template, ctx: &Context, today: &str) -> String {
    let number = edit::file_number(ctx.path);
    let mut text = template.skeleton.clone();
    let doc = crate::syntax::Document::new(&text, 0);
    let snapshot = doc.snapshot();
    if let Some(meta) = metadata::read(&snapshot)
        .into_iter()
        .find(|m| m.style == template.style)
    {
        let mut edits = Vec::new();
        for f in &meta.fields {
            let Some(spec) = template.field(&f.key) else {
                continue;
            };
            let value = match &spec.kind {
                FieldKind::Uuid => Some(edit::new_uuid()),
                FieldKind::Date { .. } => Some(today.to_string()),
                FieldKind::Pattern {
                    pattern,
                    file_number: true,
                    ..
                } => number.and_then(|n| edit::number_value(Some(pattern), n, today.get(..4))),
                FieldKind::Pattern {
                    starts_with: Some(_),
                    ..
                } => number.map(|n| format!("rfc-{n:03}-title")),
                FieldKind::Pattern {
                    number_of: Some(_), ..
                } => number.map(|n| format!("RFC-{n:03}: Title")),
                FieldKind::ProjectId => ctx.project_id.map(str::to_string),
                _ => None,
            };
            if let Some(v) = value {
                edits.push(set_value(&snapshot, f, &v));
            }
        }
        text = edit::apply(&text, &edits);
    }
    if let Some(n) = number {
        text = text
            .replacen("RFC-NNN", &format!("RFC-{n:03}"), 1)
            .replacen("<NUM>", &format!("{n:03}"), 1);
    }
    text
}
