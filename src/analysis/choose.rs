//! Is this Markdown file an RFC, and which template does it follow?
//!
//! Order of evidence for the template: the caller's choice (config globs, `--template`),
//! then a `template:` key in the frontmatter, then the configured default, then the
//! template whose headings and metadata look most like the document.

use crate::analysis::facts::SectionFacts;
use std::sync::Arc;

use super::{Context, Snapshot};
use crate::metadata::{Metadata, Style};
use crate::template::Template;

/// The template chosen for a document, and why.
#[derive(Debug, Clone)]
pub struct Choice {
    pub template: Arc<Template>,
    pub reason: String,
    /// Chosen by likeness alone: the larger of the shares of its sections and of its
    /// fields that the document has (none when configured or declared).
    pub likeness: Option<f64>,
}

use crate::metadata::recognize;
pub(crate) use crate::metadata::recognize::path_says_rfc;

/// Whether the document should get RFC diagnostics.
pub fn is_rfc(snapshot: &Snapshot, metadata: &[Metadata], ctx: &Context) -> bool {
    if ctx.not_rfc {
        return false;
    }
    if ctx.rfc_by_config || ctx.template.is_some() || !ctx.candidates.is_empty() {
        return true;
    }
    if let Some(path) = ctx.path
        && path_says_rfc(path)
    {
        return true;
    }
    says_it_is_an_rfc(snapshot, metadata)
}

/// Whether the document says it is an RFC itself (its title or a metadata field), rather
/// than only lying in an RFC folder.
pub fn says_it_is_an_rfc(snapshot: &Snapshot, metadata: &[Metadata]) -> bool {
    let title_says = snapshot
        .outline
        .headings
        .iter()
        .find(|h| h.level == 1)
        .is_some_and(|h| recognize::title_says_rfc(&h.name));
    title_says
        || metadata.iter().any(|m| {
            m.fields
                .iter()
                .any(|f| recognize::field_says_rfc(&f.key, &f.value.display()))
        })
}

/// Chooses the template for a document.
pub fn choose(snapshot: &Snapshot, metadata: &[Metadata], ctx: &Context) -> Choice {
    choose_with(snapshot, &SectionFacts::of(snapshot), metadata, ctx)
}

/// [`choose`] with the snapshot's facts already at hand.
pub fn choose_with(
    snapshot: &Snapshot,
    facts: &SectionFacts,
    metadata: &[Metadata],
    ctx: &Context,
) -> Choice {
    let templates = ctx.templates;
    if let Some(name) = ctx.template
        && let Some(t) = templates.get(name)
    {
        return Choice {
            template: t.clone(),
            reason: format!("`{name}` is configured for this file"),
            likeness: None,
        };
    }
    let declared = metadata
        .iter()
        .filter(|m| m.style == Style::Frontmatter)
        .flat_map(|m| m.fields.iter())
        .find(|f| f.key.eq_ignore_ascii_case("template"))
        .map(|f| f.value.display());
    if let Some(name) = declared
        && let Some(t) = templates.get(&name)
    {
        return Choice {
            template: t.clone(),
            reason: format!("the frontmatter says `template: {name}`"),
            likeness: None,
        };
    }
    if let Some(name) = ctx.default_template
        && let Some(t) = templates.get(name)
    {
        return Choice {
            template: t.clone(),
            reason: format!("`{name}` is the configured default"),
            likeness: None,
        };
    }
    most_like(snapshot, facts, metadata, ctx)
}

/// The template the document is most like: matching headings count most; the metadata
/// style and keys break ties. Only the configuration's candidates, when it offers some.
fn most_like(
    snapshot: &Snapshot,
    facts: &SectionFacts,
    metadata: &[Metadata],
    ctx: &Context,
) -> Choice {
    let templates = ctx.templates;
    // Detection: matching headings count most; the metadata style and keys break ties.
    let levels: Vec<usize> = (snapshot.outline.headings.iter().enumerate())
        .filter(|(_, h)| h.level > 1)
        .map(|(i, _)| i)
        .collect();
    let mut best: Option<(f64, usize, usize, &Arc<Template>)> = None;
    let mut offered: Vec<&Arc<Template>> = (templates.all.iter())
        .filter(|t| ctx.candidates.contains(&t.name))
        .collect();
    let configured = offered.len() >= 2;
    if offered.is_empty() {
        offered = templates.all.iter().collect();
    }
    // Which of the offered templates each heading is a section of.
    let hits: Vec<Vec<bool>> = (offered.iter())
        .map(|t| {
            let candidates = facts.candidates(t);
            levels
                .iter()
                .map(|&i| !candidates.of(i).is_empty())
                .collect()
        })
        .collect();
    for (n, t) in offered.iter().enumerate() {
        let matched = hits[n].iter().filter(|&&h| h).count();
        // Among the templates a configuration offers, a heading only one of them has
        // (`Transition Path`, `Summary of changes`) says most which one the RFC follows.
        let own = (0..levels.len())
            .filter(|&k| hits[n][k] && (0..offered.len()).all(|m| m == n || !hits[m][k]))
            .count();
        let style = metadata.iter().any(|m| m.style == t.style);
        let keys = metadata
            .iter()
            .filter(|m| m.style == t.style)
            .flat_map(|m| m.fields.iter())
            .filter(|f| t.field(&f.key).is_some())
            .count();
        let score = matched as f64 / t.sections.len().max(1) as f64 * 10.0
            + if style { 2.0 } else { 0.0 }
            + keys as f64 / t.fields.len().max(1) as f64 * 4.0
            + if configured { own as f64 * 10.0 } else { 0.0 };
        if best.is_none_or(|(s, ..)| score > s) {
            best = Some((score, matched, keys, t));
        }
    }
    let (_, matched, keys, t) = best.expect("there are always built-in templates");
    let likeness = (matched as f64 / t.sections.len().max(1) as f64)
        .max(keys as f64 / t.fields.len().max(1) as f64);
    Choice {
        likeness: Some(likeness),
        template: t.clone(),
        reason: format!(
            "detected: {matched} of its {} sections and {keys} of its {} fields ({}) are here",
            t.sections.len(),
            t.fields.len(),
            t.style.describe()
        ),
    }
}
