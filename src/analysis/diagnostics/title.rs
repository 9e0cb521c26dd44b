//! The title: one H1, not a placeholder, of the template's form, agreeing with the metadata.

use super::placeholder;
use super::{Input, Related, Sink};
use crate::template::{FieldKind, normalize};

/// Long: one block per finding about the title, all over the same H1 and metadata.
pub(super) fn check(input: &Input, out: &mut Sink) {
    let outline = &input.snapshot.outline;
    if super::sections::sections_at_h1(input) {
        return; // `# Summary`, `# Motivation`: sections, and the title is the file's name
    }
    let mut h1s = outline.headings.iter().filter(|h| h.level == 1);
    let Some(title) = h1s.next() else {
        if input.template.title.placeholder.is_empty() && input.template.title.pattern.is_none() {
            return; // the template's skeleton has no title either (Rust's RFCs)
        }
        // Point at the first line that is not metadata: where the title belongs.
        let at = input.metadata().map_or(0, |m| m.range.end.min(outline.len));
        let range = input.line_range(at);
        out.push(
            "title-missing",
            range.start..range.start,
            format!(
                "No title: add an H1 heading (`# ...`) as template `{}` has",
                out.template_name()
            ),
        );
        return;
    };
    // A second H1 that names one of the template's sections is that section a level too
    // high. Any other (`# Appendix A: Benchmarks`, `# Design review notes`, or a document
    // written all in H1s before the template) is the writer's own structure.
    let template = input.template;
    let names_section =
        |name: &str| (template.sections.iter()).any(|s| s.level >= 2 && !s.slot && s.matches(name));
    for extra in h1s.filter(|h| names_section(&h.name)) {
        out.push(
            "title-multiple",
            extra.range.clone(),
            format!(
                "A second H1 title \"{}\": an RFC has one title; make this a `##` section",
                extra.name
            ),
        )
        .related
        .push(Related {
            range: title.range.clone(),
            message: "the first title".into(),
        });
    }
    let text = title.name.as_ref();
    let spec = &template.title;
    if normalize(text) == normalize(&spec.placeholder)
        || placeholder::in_line(text).is_some()
        || text.contains("XXX")
        || text.contains("NNN")
    {
        out.push(
            "title-placeholder",
            title.text.clone(),
            format!("The title \"{text}\" is still the template's placeholder: name the RFC"),
        );
        return;
    }
    if let Some(pattern) = &spec.pattern
        && !pattern.is_match(text)
    {
        out.push(
            "title-format",
            title.text.clone(),
            format!(
                "The title should match `{}` in template `{}` (like \"{}\")",
                pattern.as_str(),
                template.name,
                spec.placeholder
            ),
        );
    }
    // The number in the title against the file name's, where no metadata field carries
    // the number for the file name rule (it would report the same fault).
    let field_checks_file = template.fields.iter().any(|f| {
        matches!(
            f.kind,
            FieldKind::Pattern {
                file_number: true,
                ..
            }
        ) && input.metadata().is_some_and(|m| m.field(&f.key).is_some())
    });
    if !field_checks_file
        && let Some(file_no) = crate::analysis::edit::file_number(input.ctx.path)
        && let Some((digits, n)) = crate::metadata::RfcNumber::in_title(text)
        && !n.agrees(file_no)
    {
        let at = title.text.start + digits.start..title.text.start + digits.end;
        out.push(
            "id-file-mismatch",
            at,
            format!("The title says RFC {n} but the file name says {file_no}: make them agree"),
        );
    }
    if let Some(key) = &spec.field
        && let Some(field) = input.metadata().and_then(|m| m.field(key))
    {
        let value = field.value.display();
        if !value.is_empty()
            && !placeholder::is_placeholder_value(&value)
            && value.trim() != text.trim()
        {
            out.push(
                "title-mismatch",
                title.text.clone(),
                format!("The title differs from the metadata's `{key}`: \"{value}\""),
            )
            .related
            .push(Related {
                range: field.value_range.clone(),
                message: format!("the `{key}` field"),
            });
        }
    }
}
