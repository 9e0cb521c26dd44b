//! Hover: a metadata key's rule and allowed values; a section heading's guidance and
//! presence; on the title, the template, why it was chosen and how complete the RFC is.

use std::ops::Range;

use super::diagnostics::sections::match_sections;
use super::{Context, Snapshot, choose};
use crate::metadata;
use crate::template::{FieldKind, Presence};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// Markdown.
    pub text: String,
    pub range: Range<usize>,
}

pub fn hover(snapshot: &Snapshot, ctx: &Context, offset: usize) -> Option<Hover> {
    let all = metadata::read(snapshot);
    if !choose::is_rfc(snapshot, &all, ctx) {
        return None;
    }
    let choice = choose::choose(snapshot, &all, ctx);
    let template = &choice.template;
    // A metadata key.
    for md in all.iter().filter(|m| m.style == template.style) {
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
                } => text.push_str(&format!("\n\nNot before `{o}`.")),
                _ => {}
            }
            text.push_str(&format!("\n\nTemplate `{}`", template.name));
            return Some(Hover {
                text,
                range: f.key_range.clone(),
            });
        }
    }
    let outline = &snapshot.outline;
    let i = outline
        .headings
        .iter()
        .position(|h| h.range.start <= offset && offset <= h.range.end)?;
    let heading = &outline.headings[i];
    let sections = outline.sections();
    let title = outline.headings.iter().position(|h| h.level == 1);
    let facts = super::facts::Facts::of(snapshot);
    let m = match_sections(template, &sections, &facts.candidates(template), title);
    if Some(i) == title {
        let written = m.of_template.iter().filter(|t| t.is_some()).count();
        let required = template
            .sections
            .iter()
            .filter(|s| s.presence == Presence::Required)
            .count();
        let required_written = template
            .sections
            .iter()
            .enumerate()
            .filter(|(j, s)| s.presence == Presence::Required && m.of_template[*j].is_some())
            .count();
        let text = format!(
            "**Template `{}`**: {}\n\nChosen because {}.\n\n{written} of {} sections written ({required_written} of {required} required).",
            template.name,
            template.description,
            choice.reason,
            template.sections.len()
        );
        return Some(Hover {
            text,
            range: heading.range.clone(),
        });
    }
    let j = m.of_doc[i]?;
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
