//! Diagnostics: every structural and metadata fault of an RFC, each with a stable code,
//! a severity that follows the section's presence or the field's rule, a message that
//! says what to do, and the smallest range that shows the fault.
//!
//! Rules live in three files: `sections.rs` (missing, order, level, duplicate, empty,
//! placeholder), `title.rs`, and `fields.rs` (frontmatter and field values). The list of
//! codes with their default severities is [`RULES`]; the README documents each.

pub(crate) mod fields;
pub(crate) mod placeholder;
pub(crate) mod sections;
mod title;

use crate::analysis::facts::SectionFacts;
use std::ops::Range;
use std::sync::Arc;

use super::choose::{self, Choice};
use super::{Context, Snapshot};
use crate::metadata::{self, Metadata};
use crate::template::Template;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }

    /// `error`, `warning`, `information` (or `info`), `hint`, or `off` (`Some(None)`);
    /// anything else is `None`.
    pub fn parse(s: &str) -> Option<Option<Severity>> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Some(Severity::Error)),
            "warning" | "warn" => Some(Some(Severity::Warning)),
            "information" | "info" => Some(Some(Severity::Information)),
            "hint" => Some(Some(Severity::Hint)),
            "off" | "none" => Some(None),
            _ => None,
        }
    }
}

/// Another place that explains a diagnostic (the first of two duplicates, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub range: Range<usize>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: Range<usize>,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub related: Vec<Related>,
    /// What the finding is about, as its fix needs it: no fix reads a message.
    pub subject: Option<Subject>,
}

/// The thing a finding names, kept by the rule for the finding's fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A field key: the missing one, or the one a misspelt key stands for.
    Field(String),
    /// A section of the template, by its index there.
    Section(usize),
}

/// Every rule: its code, default severity and a one-line summary (for the README, `--help`
/// and the config validation of severity overrides).
pub const RULES: &[(&str, Severity, &str)] = &[
    (
        "document-empty",
        Severity::Error,
        "the RFC has no text yet (one finding instead of one per section)",
    ),
    (
        "metadata-missing",
        Severity::Error,
        "the template's metadata block is not there",
    ),
    (
        "frontmatter-unclosed",
        Severity::Error,
        "frontmatter opened with `---` is never closed",
    ),
    (
        "frontmatter-not-first",
        Severity::Error,
        "frontmatter does not start on the first line",
    ),
    (
        "yaml-syntax",
        Severity::Error,
        "the frontmatter is not valid YAML",
    ),
    (
        "field-missing",
        Severity::Error,
        "a required field is missing",
    ),
    (
        "field-unknown",
        Severity::Information,
        "a field the template does not know, most likely a misspelling of one it lacks",
    ),
    (
        "field-empty",
        Severity::Error,
        "a required field has no value",
    ),
    ("field-duplicate", Severity::Error, "a field is given twice"),
    (
        "field-type",
        Severity::Error,
        "a value of the wrong kind (a list where text belongs, ...)",
    ),
    (
        "field-placeholder",
        Severity::Warning,
        "a field still holds the template's placeholder",
    ),
    (
        "field-format",
        Severity::Error,
        "a value does not have the form the template asks for",
    ),
    (
        "status-invalid",
        Severity::Error,
        "the status is not one of the template's values",
    ),
    (
        "enum-invalid",
        Severity::Error,
        "a value is not one of the field's allowed values",
    ),
    (
        "date-invalid",
        Severity::Error,
        "not a real date in YYYY-MM-DD form",
    ),
    (
        "date-order",
        Severity::Error,
        "a date is before the date it must follow (updated before created)",
    ),
    ("uuid-invalid", Severity::Error, "not a valid UUID v4"),
    (
        "id-file-mismatch",
        Severity::Error,
        "the id's number is not the number in the file name",
    ),
    (
        "field-prefix",
        Severity::Warning,
        "a value does not start with the field it must start with (slug and id)",
    ),
    (
        "field-number-mismatch",
        Severity::Error,
        "a value's number differs from the id's number",
    ),
    (
        "tag-format",
        Severity::Warning,
        "a tag is not lowercase-with-dashes",
    ),
    ("tag-duplicate", Severity::Warning, "a tag is listed twice"),
    (
        "tag-unknown",
        Severity::Information,
        "a tag is not in the configured vocabulary",
    ),
    (
        "project-id-mismatch",
        Severity::Error,
        "project_id differs from docs-project.yaml",
    ),
    (
        "title-missing",
        Severity::Error,
        "the document has no H1 title",
    ),
    (
        "title-multiple",
        Severity::Warning,
        "more than one H1 title",
    ),
    (
        "title-placeholder",
        Severity::Warning,
        "the title is still the template's placeholder",
    ),
    (
        "title-format",
        Severity::Warning,
        "the title does not have the form the template asks for",
    ),
    (
        "title-mismatch",
        Severity::Warning,
        "the H1 differs from the metadata's title",
    ),
    (
        "section-missing",
        Severity::Error,
        "a required (error) or recommended (warning) section is missing",
    ),
    (
        "section-order",
        Severity::Warning,
        "a section is out of the template's order",
    ),
    (
        "section-level",
        Severity::Warning,
        "a section's heading level differs from the template's",
    ),
    (
        "section-duplicate",
        Severity::Warning,
        "a section appears twice",
    ),
    (
        "section-empty",
        Severity::Warning,
        "a section has no content",
    ),
    (
        "section-placeholder",
        Severity::Warning,
        "a section still holds placeholder text",
    ),
    (
        "section-tbd",
        Severity::Information,
        "a section says it is still to be decided (`TBD`): the writer's own open point",
    ),
    (
        "fence-unclosed",
        Severity::Warning,
        "a code fence is never closed, so the rest of the document is code",
    ),
    // Across documents (src/workspace/crossdoc.rs).
    (
        "rfc-duplicate",
        Severity::Error,
        "another RFC in the workspace has the same number or id",
    ),
    (
        "uuid-duplicate",
        Severity::Error,
        "another RFC in the workspace has the same doc_uuid",
    ),
    (
        "reference-unknown",
        Severity::Warning,
        "a reference to an RFC number that no RFC in the workspace has",
    ),
    (
        "link-broken",
        Severity::Warning,
        "a relative link to a Markdown file or heading that does not exist",
    ),
    (
        "successor-missing",
        Severity::Warning,
        "a superseded, replaced or deprecated RFC that names no successor",
    ),
    (
        "index-stale",
        Severity::Error,
        "the table between `<!-- rfc-index:start -->` and `<!-- rfc-index:end -->` is not what `rfc-lsp index` writes now",
    ),
];

/// The severity of the rule `code` under a configuration's overrides (`severity:` in the
/// config, the editor's settings): the override, else the rule's default; `None` when the
/// rule is turned off.
pub fn severity_of(
    code: &str,
    overrides: &std::collections::HashMap<String, Option<Severity>>,
) -> Option<Severity> {
    match overrides.get(code) {
        Some(s) => *s,
        None => Some(
            RULES
                .iter()
                .find(|r| r.0 == code)
                .map_or(Severity::Warning, |r| r.1),
        ),
    }
}

/// The outcome of checking one document.
#[derive(Debug, Clone)]
pub struct Report {
    /// `None` when the document is not an RFC (and so gets no diagnostics).
    pub choice: Option<Choice>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn template(&self) -> Option<&Arc<Template>> {
        self.choice.as_ref().map(|c| &c.template)
    }
}

/// Checks a document against its template: all rules, severities as configured, sorted by
/// position.
pub fn check(snapshot: &Snapshot, ctx: &Context) -> Report {
    let metadata = metadata::read(snapshot);
    if !choose::is_rfc(snapshot, &metadata, ctx) {
        return Report {
            choice: None,
            diagnostics: Vec::new(),
        };
    }
    let facts = SectionFacts::of(snapshot);
    let choice = choose::choose_with(snapshot, &facts, &metadata, ctx);
    let empty =
        snapshot.outline.len <= 4096 && snapshot.slice(0..snapshot.outline.len).trim().is_empty();
    // Only its folder says RFC, and no template is much like it (a `proposals/` folder of
    // notes): it is not reported against a template it does not follow.
    let unlike = choice.likeness.is_some_and(|l| l < 0.5)
        && !ctx.rfc_by_config
        && !empty
        && !choose::says_it_is_an_rfc(snapshot, &metadata);
    if unlike {
        return Report {
            choice: None,
            diagnostics: Vec::new(),
        };
    }
    let mut out = Sink {
        diagnostics: Vec::new(),
        template: &choice.template,
    };
    let input = Input {
        snapshot,
        ctx,
        template: &choice.template,
        template_arc: &choice.template,
        metadata: &metadata,
        facts: &facts,
    };
    if empty {
        // Nothing written yet: one finding, not one per section (the source action
        // "Insert all missing sections" scaffolds the template).
        let template = &choice.template;
        out.push(
            "document-empty",
            0..0,
            format!(
                "The RFC is empty: start from template `{}` (`rfc-lsp templates {}`, or the action \"Insert all missing sections\")",
                template.name, template.name
            ),
        );
    } else {
        title::check(&input, &mut out);
        if choice.template.sidecar.is_none() {
            fields::check(&input, &mut out);
        }
        sections::check(&input, &mut out);
    }
    Report {
        diagnostics: finish(out.diagnostics, ctx),
        choice: Some(choice),
    }
}

/// The field rules on the YAML file beside a document that holds its metadata
/// (`kep.yaml`, the template's `sidecar:`): findings on the sidecar's own text. `ctx` is
/// the document's (its path names the RFC's number).
pub fn check_sidecar(
    sidecar: &Snapshot,
    template: &Arc<Template>,
    ctx: &Context,
) -> Vec<Diagnostic> {
    let metadata = [metadata::read_yaml_file(sidecar)];
    let facts = SectionFacts::of(sidecar);
    let input = Input {
        snapshot: sidecar,
        ctx,
        template,
        template_arc: template,
        metadata: &metadata,
        facts: &facts,
    };
    let mut out = Sink {
        diagnostics: Vec::new(),
        template,
    };
    fields::check(&input, &mut out);
    finish(out.diagnostics, ctx)
}

/// Severities as configured (rules turned off dropped), in position order, capped per rule.
fn finish(mut diagnostics: Vec<Diagnostic>, ctx: &Context) -> Vec<Diagnostic> {
    diagnostics.retain_mut(|d| match ctx.severity.get(d.code) {
        Some(Some(s)) => {
            d.severity = *s;
            true
        }
        Some(None) => false,
        None => true,
    });
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    cap_per_rule(&mut diagnostics);
    diagnostics
}

/// The most findings of one rule shown for a document; the rest are counted in one more.
pub const MAX_PER_RULE: usize = 200;

/// Keeps the first [`MAX_PER_RULE`] findings of each rule (in document order) and puts
/// one finding in the place of the next that says how many more there are: 200,000
/// repeated sections made 1.9 GB of diagnostics that no one reads.
fn cap_per_rule(diagnostics: &mut Vec<Diagnostic>) {
    if diagnostics.len() <= MAX_PER_RULE {
        return;
    }
    let mut seen: Vec<(&'static str, usize)> = Vec::new();
    let mut summaries: Vec<(usize, usize)> = Vec::new(); // (index of the first dropped, count)
    let mut keep = Vec::with_capacity(diagnostics.len());
    for (i, d) in diagnostics.iter().enumerate() {
        let n = match seen.iter_mut().find(|(c, _)| *c == d.code) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                seen.push((d.code, 1));
                1
            }
        };
        if n <= MAX_PER_RULE {
            keep.push(true);
        } else if n == MAX_PER_RULE + 1 {
            keep.push(true); // becomes the summary
            summaries.push((i, 0));
        } else {
            keep.push(false);
        }
    }
    for (i, count) in &mut summaries {
        let code = diagnostics[*i].code;
        *count = seen
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(0, |(_, n)| n - MAX_PER_RULE);
    }
    for (i, count) in summaries {
        let d = &mut diagnostics[i];
        d.message = format!(
            "{count} more `{}` findings in this document from here on (the first {MAX_PER_RULE} are shown; fix those, or turn the rule off for this file)",
            d.code
        );
        d.related.clear();
        d.subject = None;
    }
    let mut k = keep.into_iter();
    diagnostics.retain(|_| k.next().unwrap_or(false));
}

/// What every rule reads.
struct Input<'a> {
    snapshot: &'a Snapshot,
    ctx: &'a Context<'a>,
    template: &'a Template,
    template_arc: &'a Arc<Template>,
    metadata: &'a [Metadata],
    facts: &'a SectionFacts,
}

impl Input<'_> {
    /// The metadata block in the template's style.
    fn metadata(&self) -> Option<&Metadata> {
        self.metadata
            .iter()
            .find(|m| m.style == self.template.style)
    }

    fn line_range(&self, offset: usize) -> Range<usize> {
        let rope = &self.snapshot.rope;
        let line = rope.byte_to_line(offset.min(rope.len_bytes()));
        crate::text::line_range(rope, line)
    }
}

/// Where rules put their findings.
struct Sink<'t> {
    diagnostics: Vec<Diagnostic>,
    template: &'t Template,
}

impl Sink<'_> {
    fn push(
        &mut self,
        code: &'static str,
        range: Range<usize>,
        message: String,
    ) -> &mut Diagnostic {
        let severity = RULES
            .iter()
            .find(|r| r.0 == code)
            .map_or(Severity::Warning, |r| r.1);
        self.push_with(code, severity, range, message)
    }

    fn push_with(
        &mut self,
        code: &'static str,
        severity: Severity,
        range: Range<usize>,
        message: String,
    ) -> &mut Diagnostic {
        debug_assert!(
            RULES.iter().any(|r| r.0 == code),
            "unknown rule code {code}"
        );
        self.diagnostics.push(Diagnostic {
            range,
            severity,
            code,
            message,
            related: Vec::new(),
            subject: None,
        });
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn template_name(&self) -> &str {
        &self.template.name
    }
}
