//! Hover: a metadata key's rule and allowed values; a section heading's guidance and
//! presence; on the title, the template, why it was chosen and how complete the RFC is.

use std::ops::Range;

use super::diagnostics::sections::match_sections;
use super::{Context, Snapshot, choose};
use crate::metadata;
use crate::template::{FieldKind, Presence, Template};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// Markdown.
    pub text: String,
    pub range: Range<usize>,
}

/// Long: one branch per thing the cursor can be on, tried in order.
pub fn hover(snapshot: &Snapshot, ctx: &Context, offset: usize) -> Option<Hover> {
    let all = metadata::read(snapshot);
    if !choose::is_rfc(snapshot, &all, ctx) {
        return None;
    }
    let choice = choose::choose(snapshot, &all, ctx);
    let template = &choice.template;
    // A metadata key.
    for md in all.iter().filter(|m| m.style == template.style) {
        if let Some(h) = field_hover(template, md, offset) {
            return Some(h);
        }
    }
    heading_hover(snapshot, &choice, offset)
}

/// Hover on a key of an RFC's sidecar (`kep.yaml`), a YAML file of `template`'s fields.
pub fn hover_sidecar(snapshot: &Snapshot, template: &Template, offset: usize) -> Option<Hover> {
    field_hover(template, &metadata::read_yaml_file(snapshot), offset)
}

/// A metadata key's rule and allowed values, when `offset` is on one.
fn field_hover(template: &Template, md: &metadata::Metadata, offset: usize) -> Option<Hover> {
    if let Some(f) = md
        .fields
        .iter()
        .find(|f| f.key_range.start <= offset && offset <= f.key_range.end)
    {
        let spec = template.field(&f.key)?;
        let mut text = format!(
            "**{}** ({}, {})\n\n{}",
            spec.key,
            if spec.required {
                "required"
            } else {
                "optional"
            },
            spec.kind.name(),
            spec.description
        );
        match &spec.kind {
            FieldKind::Enum { values, multiple } => {
                text.push_str(&format!(
                    "\n\nAllowed{}: {}",
                    if *multiple { " (comma-separated)" } else { "" },
                    values
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            FieldKind::Pattern { pattern, .. } => {
                text.push_str(&format!("\n\nForm: `{}`", pattern.as_str()))
            }
            FieldKind::Date {
                not_before: Some(o),
                ..
            } => text.push_str(&format!("\n\nNot before `{o}`.")),
            _ => {}
        }
        text.push_str(&format!("\n\nTemplate `{}`", template.name));
        return Some(Hover {
            text,
            range: f.key_range.clone(),
        });
    }
    None
}

/// Long: the title's summary, then a section's guidance and presence.
fn heading_hover(snapshot: &Snapshot, choice: &choose::Choice, offset: usize) -> Option<Hover> {
    let template = &choice.template;
    let outline = &snapshot.outline;
    let i = outline
        .headings
        .iter()
        .position(|h| h.range.start <= offset && offset <= h.range.end)?;
    let heading = &outline.headings[i];
    let sections = outline.sections();
    let title = outline.headings.iter().position(|h| h.level == 1);
    let facts = super::facts::SectionFacts::of(snapshot);
    let m = match_sections(template, &sections, &facts.candidates(template), title);
    if Some(i) == title {
        // Example headings (slots) are no sections to write: counted apart.
        let sections = || {
            template
                .sections
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.slot)
        };
        let written = sections()
            .filter(|(j, _)| m.of_template[*j].is_some())
            .count();
        let required = sections()
            .filter(|(_, s)| s.presence == Presence::Required)
            .count();
        let required_written = sections()
            .filter(|(j, s)| s.presence == Presence::Required && m.of_template[*j].is_some())
            .count();
        let text = format!(
            "**Template `{}`**: {}\n\nChosen because {}.\n\n{written} of {} sections written ({required_written} of {required} required).",
            template.name,
            template.description,
            choice.reason,
            sections().count()
        );
        return Some(Hover {
            text,
            range: heading.range.clone(),
        });
    }
    let Some(j) = m.of_doc[i] else {
        // A heading of the writer's own: in the place of an example heading (a slot) of
        // its parent's section, or an extra section.
        let parent = sections[i].parent.filter(|p| Some(*p) != title);
        let parent_spec = parent.and_then(|p| m.of_doc[p]);
        let slots: Vec<String> = template
            .sections
            .iter()
            .filter(|s| s.slot && s.parent == parent_spec && s.level == heading.level)
            .map(|s| format!("`{}`", s.title))
            .collect();
        let text = if slots.is_empty() {
            format!(
                "Not a section of template `{}`: an extra section of this RFC's own.",
                template.name
            )
        } else {
            format!(
                "A heading of this RFC's own in the place of template `{}`'s example heading {}: the template's example stands for any number of headings at this level, named as you like.",
                template.name,
                slots.join(", ")
            )
        };
        return Some(Hover {
            text,
            range: heading.range.clone(),
        });
    };
    let spec = &template.sections[j];
    let guidance = spec
        .body
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches("<!--")
                .trim_end_matches("-->")
                .trim()
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    if spec.slot {
        let text = format!(
            "**{}** (example heading of template `{}`)\n\nThe template's `{}` stands for any number of headings at this level, named as you like: none is missing, repeated names are fine.{}",
            template.path(j),
            template.name,
            spec.title,
            if guidance.is_empty() {
                String::new()
            } else {
                format!("\n\n{guidance}")
            }
        );
        return Some(Hover {
            text,
            range: heading.range.clone(),
        });
    }
    let text = format!(
        "**{}** ({} section of template `{}`)\n\n{}",
        template.path(j),
        spec.presence.name(),
        template.name,
        if guidance.is_empty() {
            "The template gives no guidance for this section.".to_string()
        } else {
            guidance
        }
    );
    Some(Hover {
        text,
        range: heading.range.clone(),
    })
}
