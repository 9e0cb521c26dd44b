//! The metadata block and its fields: present where the template keeps it, parseable,
//! every required field there once, every value of the right kind and form.

use std::collections::HashMap;
use std::ops::Range;

use super::placeholder::is_placeholder_value;
use super::{Input, Related, Sink};
use crate::metadata::{Field, Metadata, RfcNumber, Style, Value};
use crate::template::{FieldKind, FieldSpec};

/// Long: one pass over the template's fields and the document's, whose findings share the
/// lookups.
pub(super) fn check(input: &Input, out: &mut Sink) {
    let template = input.template;
    if template.fields.is_empty() {
        return; // a skeleton without metadata asks for none
    }
    if template.style == Style::Frontmatter
        && input.snapshot.outline.frontmatter.is_none()
        && input.metadata().is_none()
        && frontmatter_faults(input, out)
    {
        return;
    }
    let Some(metadata) = input.metadata() else {
        let at = match template.style {
            Style::Frontmatter => 0..0,
            _ => input
                .snapshot
                .outline
                .headings
                .iter()
                .find(|h| h.level == 1)
                .map_or(0..0, |h| h.range.clone()),
        };
        let keys: Vec<&str> = template
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.key.as_str())
            .collect();
        out.push(
            "metadata-missing",
            at,
            format!(
                "No metadata: template `{}` keeps it as {} with {}",
                template.name,
                template.style.describe(),
                keys.join(", ")
            ),
        );
        return;
    };
    for problem in &metadata.problems {
        let line = input.line_range(problem.range.start);
        // One character wide (not one byte: the error may sit on a BOM or an `é`).
        let rope = &input.snapshot.rope;
        let start_char = rope.byte_to_char(problem.range.start.min(rope.len_bytes()));
        let next = rope.char_to_byte((start_char + 1).min(rope.len_chars()));
        let end = next.min(line.end).max(problem.range.start);
        out.push(
            "yaml-syntax",
            problem.range.start..end,
            format!("YAML error: {}", problem.message),
        );
    }
    let mut seen: HashMap<String, &Field> = HashMap::new();
    for field in &metadata.fields {
        let key = field.key.to_ascii_lowercase();
        if let Some(first) = seen.get(&key) {
            out.push(
                "field-duplicate",
                field.key_range.clone(),
                format!("`{}` is given twice: keep one", field.key),
            )
            .related
            .push(Related {
                range: first.key_range.clone(),
                message: "the first one".into(),
            });
            continue;
        }
        seen.insert(key, field);
        if let Some(spec) = template.field(&field.key) {
            check_value(input, metadata, spec, field, out);
        }
    }
    // A key the template does not know that is a near miss of a field the metadata lacks:
    // a misspelling. One finding, on the misspelt key (and none for the missing field).
    let mut misspelt: Vec<&str> = Vec::new();
    for field in &metadata.fields {
        if template.field(&field.key).is_some() {
            continue;
        }
        let Some(spec) = near_miss(&field.key, template, metadata) else {
            continue;
        };
        misspelt.push(&spec.key);
        let severity = if spec.required {
            super::Severity::Error
        } else {
            super::Severity::Information
        };
        out.push_with(
            "field-unknown",
            severity,
            field.key_range.clone(),
            format!(
                "Unknown field `{}`: did you mean `{}`?{}",
                field.key,
                spec.key,
                if spec.required {
                    format!(" (`{}` is required and missing)", spec.key)
                } else {
                    String::new()
                }
            ),
        )
        .subject = Some(super::Subject::Field(spec.key.clone()));
    }
    if metadata.problems.is_empty() {
        let first_line = input.line_range(metadata.range.start);
        for spec in template.fields.iter().filter(|f| f.required) {
            if metadata.field(&spec.key).is_none() && !misspelt.contains(&spec.key.as_str()) {
                let what = if spec.description.is_empty() {
                    spec.kind.name().to_string()
                } else {
                    spec.description.clone()
                };
                out.push(
                    "field-missing",
                    first_line.clone(),
                    format!("Missing required field `{}`: {what}", spec.key),
                )
                .subject = Some(super::Subject::Field(spec.key.clone()));
            }
        }
    }
}

/// Frontmatter the template wants but the parser did not see: unclosed, or not on line 1.
/// Returns true when one was reported (the field rules then have nothing to read).
fn frontmatter_faults(input: &Input, out: &mut Sink) -> bool {
    let rope = &input.snapshot.rope;
    let first = input.snapshot.slice(crate::text::line_range(rope, 0));
    let first = first.trim_start_matches('\u{feff}');
    if first.trim_end() == "---" {
        out.push(
            "frontmatter-unclosed",
            input.line_range(0),
            "The frontmatter is never closed: end it with a `---` line".into(),
        );
        return true;
    }
    for line in 1..rope.len_lines().min(50) {
        let range = crate::text::line_range(rope, line);
        let text = input.snapshot.slice(range.clone());
        if text.trim().is_empty() {
            continue;
        }
        let before_blank = (0..line).all(|l| {
            input
                .snapshot
                .slice(crate::text::line_range(rope, l))
                .trim()
                .trim_start_matches('\u{feff}')
                .is_empty()
        });
        if text.trim_end() == "---" && before_blank {
            out.push(
                "frontmatter-not-first",
                range,
                "Frontmatter must start on the first line: remove the blank lines above `---`"
                    .into(),
            );
            return true;
        }
        break;
    }
    false
}

/// A YAML comment on a field's line that marks it unfinished (`# FIXME`, `# TODO`,
/// `# TBD`, `# XXX`): its range.
fn note_left(input: &Input, field: &Field) -> Option<Range<usize>> {
    let line = input.line_range(field.key_range.start);
    let after = field.value_range.end.max(field.key_range.end);
    if after >= line.end {
        return None;
    }
    let rest = input.snapshot.slice(after..line.end);
    let hash = rest
        .find(" #")
        .map(|i| i + 1)
        .or_else(|| rest.starts_with('#').then_some(0))?;
    let comment = rest[hash + 1..].trim_start();
    let marked = ["FIXME", "TODO", "TBD", "XXX"].iter().any(|m| {
        comment.starts_with(m) && !comment[m.len()..].starts_with(|c: char| c.is_alphanumeric())
    });
    marked.then(|| after + hash..after + rest.trim_end().len())
}

/// Long: one arm per field kind, each a few lines.
fn check_value(
    input: &Input,
    metadata: &Metadata,
    spec: &FieldSpec,
    field: &Field,
    out: &mut Sink,
) {
    let range = field.value_range.clone();
    let key = &field.key;
    if metadata.style == crate::metadata::Style::Frontmatter
        && let Some(note) = note_left(input, field)
    {
        // `release-date: # FIXME`: a note where the value should be, or beside it.
        out.push(
            "field-placeholder",
            note.clone(),
            format!(
                "`{key}` is marked \"{}\": settle it, then remove the note",
                input.snapshot.slice(note)
            ),
        );
        return;
    }
    let text = match &field.value {
        Value::Empty => {
            if spec.required {
                out.push(
                    "field-empty",
                    field.key_range.clone(),
                    format!("`{key}` has no value: {}", describe(spec)),
                );
            }
            return;
        }
        Value::Scalar(s) => Some(s.as_str()),
        _ => None,
    };
    if let Some(t) = text
        && is_placeholder_value(t)
    {
        out.push(
            "field-placeholder",
            range,
            format!(
                "`{key}` still holds the placeholder \"{t}\": {}",
                describe(spec)
            ),
        );
        return;
    }
    match &spec.kind {
        FieldKind::List { item } => {
            let items: Vec<(String, Range<usize>)> = match &field.value {
                Value::List(items) => items
                    .iter()
                    .map(|i| (i.value.clone(), i.range.clone()))
                    .collect(),
                Value::Scalar(s) if metadata.style != Style::Frontmatter => {
                    split_list(s, range.start)
                }
                _ => {
                    out.push(
                        "field-type",
                        range,
                        format!("`{key}` should be a list, like [one, two]"),
                    );
                    return;
                }
            };
            check_tags(input, key, item.as_ref(), &items, out);
            return;
        }
        FieldKind::Any => return,
        FieldKind::Url { multiple: true } if matches!(field.value, Value::List(_)) => {
            if let Value::List(items) = &field.value {
                for item in items
                    .iter()
                    .filter(|i| !crate::template::is_url_value(&i.value))
                {
                    out.push(
                        "field-format",
                        item.range.clone(),
                        format!("`{key}` should hold URLs or links, not \"{}\"", item.value),
                    );
                }
            }
            return;
        }
        _ if text.is_none() => {
            out.push(
                "field-type",
                range,
                format!(
                    "`{key}` should be {}, not a list or a mapping",
                    spec.kind.name()
                ),
            );
            return;
        }
        _ => {}
    }
    let value = text.unwrap_or_default().trim();
    match &spec.kind {
        FieldKind::Text | FieldKind::Any | FieldKind::List { .. } => {}
        FieldKind::Url { multiple } => {
            let parts: Vec<(String, Range<usize>)> = if *multiple {
                split_list(value, range.start)
            } else {
                vec![(value.to_string(), range.clone())]
            };
            let bad = (parts.iter()).filter(|(p, _)| !crate::template::is_url_value(p));
            for (part, r) in bad {
                out.push(
                    "field-format",
                    r.clone(),
                    format!("`{key}` should be a URL (https://...) or a Markdown link to one, not \"{part}\""),
                );
            }
        }
        FieldKind::Enum { values, multiple } => {
            let is_status = input
                .template
                .status_field
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(key));
            let code = if is_status {
                "status-invalid"
            } else {
                "enum-invalid"
            };
            let parts: Vec<(String, Range<usize>)> = if *multiple {
                split_list(value, range.start)
            } else {
                vec![(value.to_string(), range.clone())]
            };
            for (part, r) in parts {
                let plain = crate::metadata::plain_value(&part);
                if !values
                    .iter()
                    .any(|v| v == &part || crate::metadata::plain_value(v) == plain)
                {
                    let closest = closest(&part, values);
                    out.push(
                        code,
                        r,
                        format!("\"{part}\" is not a valid `{key}`: did you mean \"{closest}\"? Allowed: {}", values.join(", ")),
                    );
                }
            }
        }
        FieldKind::Date { not_before, time } => {
            let valid = |v: &str| is_date(v) || *time && is_datetime(v);
            if !valid(value) {
                let form = if *time {
                    "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"
                } else {
                    "YYYY-MM-DD"
                };
                out.push(
                    "date-invalid",
                    range,
                    format!("`{key}` should be a real date as {form}, not \"{value}\""),
                );
            } else if let Some(other) = not_before
                && let Some(o) = metadata.field(other)
                && let Value::Scalar(ov) = &o.value
                && valid(ov.trim())
                && value.get(..10) < ov.trim().get(..10)
            {
                out.push(
                    "date-order",
                    range,
                    format!("`{key}` ({value}) is before `{other}` ({})", ov.trim()),
                )
                .related
                .push(Related {
                    range: o.value_range.clone(),
                    message: format!("`{other}`"),
                });
            }
        }
        FieldKind::Uuid => {
            if !is_uuid_v4(value) {
                out.push("uuid-invalid", range, format!("`{key}` should be a UUID v4 (xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx), not \"{value}\""));
            }
        }
        FieldKind::Pattern {
            pattern,
            file_number,
            starts_with,
            number_of,
        } => {
            if !pattern.is_match(value) {
                out.push(
                    "field-format",
                    range,
                    format!(
                        "`{key}` should match `{}`: {}",
                        pattern.as_str(),
                        describe(spec)
                    ),
                );
                return;
            }
            if *file_number
                && let Some(path) = input.ctx.path
                && let Some(file_no) = crate::analysis::edit::file_number(Some(path))
                && let Some(own) = RfcNumber::parse(value)
                && !own.agrees(file_no)
            {
                out.push(
                    "id-file-mismatch",
                    range.clone(),
                    format!(
                        "`{key}` is number {own} but the file name says {file_no}: make them agree"
                    ),
                );
            }
            if let Some(other) = starts_with
                && let Some(Value::Scalar(prefix)) = metadata.field(other).map(|f| &f.value)
                && !prefix.trim().is_empty()
                && !is_placeholder_value(prefix)
                && !value.starts_with(prefix.trim())
            {
                out.push(
                    "field-prefix",
                    range.clone(),
                    format!(
                        "`{key}` should start with the `{other}` \"{}\"",
                        prefix.trim()
                    ),
                );
            }
            if let Some(other) = number_of
                && let Some(Value::Scalar(o)) = metadata.field(other).map(|f| &f.value)
                && let (Some(a), Some(b)) = (RfcNumber::parse(value), RfcNumber::parse(o))
                && !a.agrees(b)
            {
                out.push(
                    "field-number-mismatch",
                    range,
                    format!("`{key}` says number {a} but `{other}` says {b}"),
                );
            }
        }
        FieldKind::ProjectId => {
            if let Some(expected) = input.ctx.project_id
                && value != expected
            {
                out.push(
                    "project-id-mismatch",
                    range,
                    format!("`{key}` is \"{value}\" but docs-project.yaml says \"{expected}\""),
                );
            }
        }
    }
}

fn describe(spec: &FieldSpec) -> String {
    if spec.description.is_empty() {
        format!("it should be {}", spec.kind.name())
    } else {
        spec.description.clone()
    }
}

fn check_tags(
    input: &Input,
    key: &str,
    item: Option<&regex::Regex>,
    items: &[(String, Range<usize>)],
    out: &mut Sink,
) {
    let mut seen: HashMap<&str, &Range<usize>> = HashMap::new();
    for (tag, range) in items {
        if let Some(first) = seen.get(tag.as_str()) {
            out.push(
                "tag-duplicate",
                range.clone(),
                format!("The tag \"{tag}\" is listed twice in `{key}`"),
            )
            .related
            .push(Related {
                range: (*first).clone(),
                message: "the first one".into(),
            });
            continue;
        }
        seen.insert(tag, range);
        if let Some(re) = item
            && !re.is_match(tag)
        {
            out.push(
                "tag-format",
                range.clone(),
                format!(
                    "The tag \"{tag}\" should be lowercase-with-dashes: \"{}\"",
                    normalize_tag(tag)
                ),
            );
        } else if !input.ctx.tags.is_empty() && !input.ctx.tags.iter().any(|t| t == tag) {
            out.push(
                "tag-unknown",
                range.clone(),
                format!("The tag \"{tag}\" is not in the configured vocabulary"),
            );
        }
    }
}

/// `Foo Bar_baz` -> `foo-bar-baz`.
pub fn normalize_tag(tag: &str) -> String {
    let mut out = String::new();
    for c in tag.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Comma-separated parts of a value, with their ranges.
fn split_list(value: &str, base: usize) -> Vec<(String, Range<usize>)> {
    let mut parts = Vec::new();
    let mut at = 0;
    for part in value.split(',') {
        let lead = part.len() - part.trim_start().len();
        let t = part.trim();
        if !t.is_empty() {
            parts.push((t.to_string(), base + at + lead..base + at + lead + t.len()));
        }
        at += part.len() + 1;
    }
    parts
}

/// A real date followed by a time of day, ISO 8601: `2024-02-22T00:00:00.000Z`,
/// `2024-02-22T10:30+02:00`, `2024-02-22 10:30:00`.
pub fn is_datetime(s: &str) -> bool {
    let (Some(date), Some(rest)) = (s.get(..10), s.get(10..)) else {
        return false;
    };
    let Some(time) = rest.strip_prefix(['T', 't', ' ']) else {
        return false;
    };
    let b = time.as_bytes();
    let two = |i: usize, max: u8| {
        b.get(i..i + 2).is_some_and(|d| {
            d.iter().all(u8::is_ascii_digit) && (d[0] - b'0') * 10 + (d[1] - b'0') <= max
        })
    };
    if !is_date(date) || !two(0, 23) || b.get(2) != Some(&b':') || !two(3, 59) {
        return false;
    }
    let mut i = 5;
    if b.get(i) == Some(&b':') {
        if !two(i + 1, 60) {
            return false;
        }
        i += 3;
        if b.get(i) == Some(&b'.') {
            let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return false;
            }
            i += 1 + digits;
        }
    }
    match &time[i..] {
        "" | "Z" | "z" => true,
        zone => {
            let Some(offset) = zone.strip_prefix(['+', '-']) else {
                return false;
            };
            let hours = offset.get(..2).and_then(|h| h.parse::<u8>().ok());
            offset
                .get(..2)
                .is_some_and(|h| h.bytes().all(|c| c.is_ascii_digit()))
                && hours.is_some_and(|h| h <= 23)
                && matches!(
                    &offset[2..],
                    "" | ":00" | ":30" | ":45" | "00" | "30" | "45"
                )
        }
    }
}

#[cfg(test)]
#[test]
fn datetimes_are_a_real_date_and_time() {
    for ok in [
        "2024-02-22T00:00:00.000Z",
        "2024-03-04T00:00:00.00Z",
        "2024-02-22T10:30+02:00",
        "2024-02-22 10:30:00",
        "2024-02-29T23:59:60Z",
    ] {
        assert!(is_datetime(ok), "{ok}");
    }
    for bad in [
        "2024-02-22",
        "2023-02-29T00:00Z",
        "2024-02-22T24:00Z",
        "2024-02-22T10:3",
        "2024-02-22T10:30:00.Z",
        "2024-02-22T10:30+2",
        "2024-02-22Tx",
        "2024-02-22T10:30+é",
    ] {
        assert!(!is_datetime(bad), "{bad}");
    }
}

/// A real calendar date written YYYY-MM-DD.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: Range<usize>| {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// A UUID of version 4 and the RFC 4122 variant.
pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
        && b[14] == b'4'
        && matches!(b[19].to_ascii_lowercase(), b'8' | b'9' | b'a' | b'b')
}

/// The template field that an unknown key most likely misspells: one the metadata lacks,
/// within an edit distance of about a third of its length (case, spaces, `_` and `-`
/// ignored).
fn near_miss<'t>(
    key: &str,
    template: &'t crate::template::Template,
    metadata: &Metadata,
) -> Option<&'t FieldSpec> {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let k = fold(key);
    if k.len() < 3 {
        return None;
    }
    template
        .fields
        .iter()
        .filter(|f| metadata.field(&f.key).is_none())
        .map(|f| {
            let want = fold(&f.key);
            let d = if want == k {
                0
            } else {
                edit_distance(&k, &want)
            };
            (d, want.len(), f)
        })
        .filter(|&(d, len, _)| d <= (len / 3).clamp(1, 2))
        .min_by_key(|&(d, _, _)| d)
        .map(|(_, _, f)| f)
}

/// The allowed value closest to `value`: same letters ignoring case first, then the
/// smallest edit distance.
pub fn closest<'v>(value: &str, values: &'v [String]) -> &'v str {
    let lower = value.to_lowercase();
    values
        .iter()
        .min_by_key(|v| {
            if v.to_lowercase() == lower {
                0
            } else {
                1 + edit_distance(&lower, &v.to_lowercase())
            }
        })
        .map_or("", String::as_str)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_uuids_and_closest_values() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("2026-1-01"));
        assert!(is_uuid_v4("3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35"));
        assert!(!is_uuid_v4("3f7c2a91-5d4e-1b8a-9c61-0e2f7d8a4b35"));
        assert!(!is_uuid_v4("3f7c2a91-5d4e-4b8a-7c61-0e2f7d8a4b35"));
        let values: Vec<String> = ["Draft", "In Review", "Accepted"]
            .map(String::from)
            .to_vec();
        assert_eq!(closest("draft", &values), "Draft");
        assert_eq!(closest("Inreview", &values), "In Review");
        assert_eq!(closest("Acepted", &values), "Accepted");
        assert_eq!(
            normalize_tag("Machine Learning_Ops"),
            "machine-learning-ops"
        );
    }

    #[test]
    fn a_yaml_error_on_a_multibyte_character_covers_the_whole_character() {
        // Found by the fuzzer (fuzz/seeds/analysis/crash-yaml-error-on-bom.md): a BOM
        // pasted into a value; the one-byte range cut it.
        use crate::analysis::Context;
        use crate::analysis::diagnostics::check;
        use crate::syntax::Document;
        use crate::template::Templates;
        let text = "---\nid: rfc-001\nstatus:\u{feff} Draft\n---\n\n# RFC-001: T\n";
        let templates = Templates::builtin();
        let severity = HashMap::new();
        let ctx = Context {
            path: Some(std::path::Path::new("/w/rfcs/rfc-001-t.md")),
            templates: &templates,
            template: None,
            candidates: &[],
            rfc_by_config: false,
            not_rfc: false,
            default_template: None,
            severity: &severity,
            tags: &[],
            project_id: None,
        };
        let report = check(&Document::new(text, 0).snapshot(), &ctx);
        let yaml: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "yaml-syntax")
            .collect();
        assert_eq!(yaml.len(), 1, "{:?}", report.diagnostics);
        assert_eq!(&text[yaml[0].range.clone()], "\u{feff}");
    }
}
