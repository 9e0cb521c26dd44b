//! Completion: status and other enumerated values, tags, field names with value snippets,
//! and the template's missing section headings, each where it applies.

use std::collections::HashMap;
use std::ops::Range;

use super::diagnostics::fields::{closest, normalize_tag};
use super::edit::{self, TextEdit};
use super::{Context, Snapshot};
use crate::metadata::{self, Metadata, Style, Value};
use crate::template::{FieldKind, Presence, Template};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Value,
    Tag,
    Field,
    Section,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    /// The edit accepting the item makes; with `snippet`, its text has `${1:...}` stops.
    pub edit: TextEdit,
    pub snippet: bool,
    /// Sorts ascending: the best first.
    pub sort: String,
    pub filter: Option<String>,
}

/// What completion knows beyond the document: the tags used across the workspace (with
/// counts, asked for only when tags are completed: counting reads the whole index), the
/// client's snippet support, today's date.
pub struct Extra<'a> {
    pub workspace_tags: &'a dyn Fn() -> HashMap<String, usize>,
    pub snippets: bool,
    pub today: &'a str,
}

/// Completion items at byte `offset`.
pub fn complete(snapshot: &Snapshot, ctx: &Context, offset: usize, extra: &Extra) -> Vec<Item> {
    let all = metadata::read(snapshot);
    if !super::choose::is_rfc(snapshot, &all, ctx) {
        return Vec::new();
    }
    let template = super::choose::choose(snapshot, &all, ctx).template;
    let rope = &snapshot.rope;
    let line_no = rope.byte_to_line(offset.min(rope.len_bytes()));
    let line_range = crate::text::line_range(rope, line_no);
    let line = snapshot.slice(line_range.clone()).to_string();
    let col = offset.saturating_sub(line_range.start).min(line.len());
    let before = &line[..col];

    let meta = all.iter().find(|m| m.style == template.style);
    if let Some(md) = meta
        && let Some(items) = in_metadata(
            snapshot,
            ctx,
            &template,
            md,
            offset,
            line_range.clone(),
            &line,
            col,
            extra,
        )
    {
        return items;
    }
    if before.trim_start().starts_with('#')
        && before
            .trim_start()
            .trim_start_matches('#')
            .chars()
            .all(|c| c == ' ')
        && !snapshot.outline.in_code_or_html(offset)
    {
        return sections(snapshot, &template, offset, line_range);
    }
    Vec::new()
}

/// Completion items at byte `offset` of an RFC's sidecar (`kep.yaml`), a YAML file of
/// `template`'s fields; `ctx` is the RFC's.
pub fn complete_sidecar(
    snapshot: &Snapshot,
    template: &Template,
    ctx: &Context,
    offset: usize,
    extra: &Extra,
) -> Vec<Item> {
    let md = metadata::read_yaml_file(snapshot);
    let rope = &snapshot.rope;
    let line_no = rope.byte_to_line(offset.min(rope.len_bytes()));
    let line_range = crate::text::line_range(rope, line_no);
    let line = snapshot.slice(line_range.clone()).to_string();
    let col = offset.saturating_sub(line_range.start).min(line.len());
    in_metadata(
        snapshot, ctx, template, &md, offset, line_range, &line, col, extra,
    )
    .unwrap_or_default()
}

/// Long: one branch per place in a metadata line (key, value, list item) and per field
/// kind.
#[allow(clippy::too_many_arguments)]
fn in_metadata(
    snapshot: &Snapshot,
    ctx: &Context,
    template: &Template,
    md: &Metadata,
    offset: usize,
    line_range: Range<usize>,
    line: &str,
    col: usize,
    extra: &Extra,
) -> Option<Vec<Item>> {
    // The field on this line, if the cursor is past its key.
    let field = md.fields.iter().find(|f| {
        line_range.contains(&f.key_range.start)
            || (line_range.start..=line_range.end).contains(&f.key_range.start)
    });
    let inside = md.range.start <= offset && offset <= md.range.end.max(line_range.end);
    if let Some(f) = field
        && offset >= f.key_range.end
    {
        let spec = template.field(&f.key)?;
        return Some(match &spec.kind {
            FieldKind::Enum { values, .. } => {
                let range = if f.value_range.is_empty() || matches!(f.value, Value::Empty) {
                    offset..offset
                } else {
                    f.value_range.clone()
                };
                let typed = snapshot
                    .slice(range.clone())
                    .trim_matches(['"', '\''])
                    .to_string();
                let lower = typed.to_lowercase();
                let best = values
                    .iter()
                    .find(|v| v.to_lowercase().starts_with(&lower))
                    .cloned()
                    .unwrap_or_else(|| closest(&typed, values).to_string());
                values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Item {
                        label: v.clone(),
                        kind: ItemKind::Value,
                        detail: Some(format!("`{}` of template {}", f.key, template.name)),
                        documentation: Some(spec.description.clone()),
                        edit: TextEdit::replace(range.clone(), v.clone()),
                        snippet: false,
                        sort: format!(
                            "{}{i:02}",
                            if *v == best && !typed.is_empty() {
                                0
                            } else {
                                1
                            }
                        ),
                        filter: None,
                    })
                    .collect()
            }
            FieldKind::List { .. } => tags(snapshot, ctx, f, offset, extra),
            FieldKind::Date { .. } => vec![value_item(offset, extra.today, "today", &f.key)],
            FieldKind::Uuid => vec![value_item(
                offset,
                &edit::new_uuid(),
                "a new UUID v4",
                &f.key,
            )],
            _ => Vec::new(),
        });
    }
    if !inside
        || !line[..col]
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ' | '*'))
    {
        return None;
    }
    if md.style == Style::Frontmatter
        && (offset <= md.range.start + 3 || offset >= md.range.end.saturating_sub(3))
    {
        return None;
    }
    // A field name at the start of a line in the metadata block.
    let range = line_range.start..line_range.start + col;
    let items = template
        .fields
        .iter()
        .filter(|s| md.field(&s.key).is_none())
        .enumerate()
        .map(|(i, s)| {
            let value = match &s.kind {
                FieldKind::Date { .. } => extra.today.to_string(),
                FieldKind::Uuid => edit::new_uuid(),
                FieldKind::Enum { values, .. } => values.first().cloned().unwrap_or_default(),
                FieldKind::Pattern {
                    pattern,
                    file_number: true,
                    ..
                } => edit::file_number(ctx.path)
                    .and_then(|n| edit::number_value(Some(pattern), n, extra.today.get(..4)))
                    .unwrap_or_else(|| s.example.clone()),
                _ => s.example.trim_matches('"').to_string(),
            };
            let text = if extra.snippets {
                edit::field_line(
                    md.style,
                    &s.key,
                    &format!("${{1:{}}}", value.replace('}', "\\}")),
                )
            } else {
                edit::field_line(md.style, &s.key, &value)
            };
            Item {
                label: s.key.clone(),
                kind: ItemKind::Field,
                detail: Some(if s.required {
                    "required field".into()
                } else {
                    "optional field".into()
                }),
                documentation: Some(s.description.clone()),
                edit: TextEdit::replace(range.clone(), text.trim_end().to_string()),
                snippet: extra.snippets,
                sort: format!("{}{i:02}", if s.required { 0 } else { 1 }),
                filter: Some(s.key.clone()),
            }
        })
        .collect();
    Some(items)
}

fn value_item(offset: usize, value: &str, what: &str, key: &str) -> Item {
    Item {
        label: value.to_string(),
        kind: ItemKind::Value,
        detail: Some(format!("{what} for `{key}`")),
        documentation: None,
        edit: TextEdit::insert(offset, value),
        snippet: false,
        sort: "0".into(),
        filter: None,
    }
}

/// Tags: the vocabulary and the workspace's, most used first, without those present; the
/// typed text completes to its normalised form.
fn tags(
    snapshot: &Snapshot,
    ctx: &Context,
    f: &metadata::Field,
    offset: usize,
    extra: &Extra,
) -> Vec<Item> {
    let present: Vec<String> = match &f.value {
        Value::List(items) => items
            .iter()
            .filter(|i| !i.range.contains(&offset) && i.range.end != offset)
            .map(|i| i.value.clone())
            .collect(),
        Value::Scalar(s) => s.split(',').map(|t| t.trim().to_string()).collect(),
        _ => Vec::new(),
    };
    // The word being typed: back from the cursor to `[`, `,` or a space.
    let line_start = snapshot
        .rope
        .line_to_byte(snapshot.rope.byte_to_line(offset));
    let before = snapshot.slice(line_start..offset).to_string();
    let mut word_start = before.rfind(['[', ',', ':']).map_or(0, |i| i + 1);
    word_start += before[word_start..].len() - before[word_start..].trim_start().len();
    let typed = before[word_start..].trim_matches(['"', '\'']).to_string();
    let range = line_start + word_start..offset;
    let mut counts: HashMap<String, usize> = (extra.workspace_tags)();
    for t in ctx.tags {
        counts.entry(t.clone()).or_insert(0);
    }
    let mut tags: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(t, _)| !present.contains(t))
        .collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut items: Vec<Item> = tags
        .iter()
        .enumerate()
        .map(|(i, (t, n))| Item {
            label: t.clone(),
            kind: ItemKind::Tag,
            detail: Some(if *n > 0 {
                format!("used in {n} RFC(s)")
            } else {
                "from the tag vocabulary".into()
            }),
            documentation: None,
            edit: TextEdit::replace(range.clone(), t.clone()),
            snippet: false,
            sort: format!("{i:05}"),
            filter: None,
        })
        .collect();
    let normalized = normalize_tag(&typed);
    if !typed.is_empty()
        && normalized != typed
        && !normalized.is_empty()
        && !present.contains(&normalized)
        && !items.iter().any(|i| i.label == normalized)
    {
        items.insert(
            0,
            Item {
                label: normalized.clone(),
                kind: ItemKind::Tag,
                detail: Some(format!("\"{typed}\" as a lowercase-with-dashes tag")),
                documentation: None,
                edit: TextEdit::replace(range, normalized),
                snippet: false,
                sort: "0".into(),
                filter: Some(typed),
            },
        );
    }
    items
}

/// The template's sections missing at this point, in template order, at their level.
fn sections(
    snapshot: &Snapshot,
    template: &std::sync::Arc<Template>,
    offset: usize,
    line_range: Range<usize>,
) -> Vec<Item> {
    let m = edit::matching(snapshot, template);
    // Sections that belong here: missing ones whose insertion point is the next present
    // section after the cursor (or the end), plus every other missing one after them.
    let next_present = m
        .of_doc
        .iter()
        .enumerate()
        .filter(|(i, _)| snapshot.outline.headings[*i].range.start > offset)
        .find_map(|(_, t)| *t);
    template
        .sections
        .iter()
        .enumerate()
        .filter(|(j, s)| {
            m.of_template[*j].is_none()
                && s.parent
                    .is_none_or(|p| m.of_template[p].is_some() || s.level <= 2)
        })
        .enumerate()
        .map(|(rank, (j, s))| {
            let fits = next_present.is_none_or(|n| j < n);
            let text = edit::section_text(template, j, |k| m.of_template[k].is_none());
            Item {
                label: template.heading_line(j),
                kind: ItemKind::Section,
                detail: Some(format!(
                    "{} section of {}",
                    s.presence.name(),
                    template.name
                )),
                documentation: (!s.body.is_empty()).then(|| s.body.clone()),
                edit: TextEdit::replace(line_range.clone(), text.trim_end().to_string()),
                snippet: false,
                sort: format!(
                    "{}{}{rank:03}",
                    u8::from(!fits),
                    u8::from(s.presence == Presence::Optional)
                ),
                filter: Some(template.heading_line(j)),
            }
        })
        .collect()
}
