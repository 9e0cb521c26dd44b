//! `rfc-lsp check --fix`: the preferred quick fixes that cannot lose what the writer typed,
//! applied to a document's text until none is left (a few passes: a field added may make
//! another fix possible).
//!
//! A fix is applied when its finding's code is one of [`FIXABLE`] and each of its edits
//! either replaces the template's own placeholder text (a `field-placeholder` value such as
//! `YYYY-MM-DD`, an empty value) or keeps every letter and digit it replaces, in order
//! ([`keeps_text`]: `Caching Layer` to `caching-layer`, an insertion). So an invalid
//! uuid or date the writer typed, a wrong id, a misspelt status stay for the writer to
//! decide (a new uuid could hold the letters of a short one by chance: `uuid-invalid` and
//! `date-invalid` are not fixed at all; the template's zero uuid is a placeholder).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::actions::{Action, quick_fixes};
use super::diagnostics::check;
use super::edit::{TextEdit, apply};
use super::{Context, Snapshot};
use crate::syntax::Document;

/// The findings `--fix` may fix (by their preferred quick fix).
pub const FIXABLE: &[&str] = &[
    "field-placeholder",
    "field-empty",
    "field-missing",
    "metadata-missing",
    "section-missing",
    "tag-format",
    "id-file-mismatch",
    "field-prefix",
    "field-format",
];

/// Findings whose text is the template's, not the writer's: their fix may replace it.
const TEMPLATE_TEXT: &[&str] = &["field-placeholder", "field-empty"];

/// How many fixes one document gets at most (each is a pass: the document is checked
/// again after it).
const PASSES: usize = 200;

/// One fix applied: the finding's code, the fix's title and the line (0-based) of the
/// text it was applied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub code: &'static str,
    pub title: String,
    pub line: usize,
}

/// The text with every fix [`FIXABLE`] and safe applied, and what was applied. One fix at
/// a time, each kept only if it leaves fewer findings of its code: a fix that would leave
/// its finding standing (a value the template's pattern still refuses) is not applied, so
/// a second run has nothing left to do.
pub fn fix(text: &str, ctx: &Context, today: &str) -> (String, Vec<Applied>) {
    let mut text = text.to_string();
    let mut applied = Vec::new();
    // Fixes tried and refused: the finding's code, the text replaced, the new text.
    let mut refused: HashSet<(&'static str, String, String)> = HashSet::new();
    'pass: for _ in 0..PASSES {
        let snapshot: Snapshot = Document::new(&text, 0).snapshot();
        let count = |snapshot: &Snapshot, code: &str| {
            check(snapshot, ctx)
                .diagnostics
                .iter()
                .filter(|d| d.code == code)
                .count()
        };
        // The findings of this pass's text, counted once per code (not once per fix tried).
        let mut before: HashMap<&'static str, usize> = HashMap::new();
        for action in quick_fixes(&snapshot, ctx, today) {
            let Some(code) = safe(&action, &text) else {
                continue;
            };
            let key = |e: &TextEdit| {
                (
                    code,
                    text.get(e.range.clone()).unwrap_or_default().to_string(),
                    e.text.clone(),
                )
            };
            if action.edits.iter().any(|e| refused.contains(&key(e))) {
                continue;
            }
            let after = apply(&text, &action.edits);
            let now = *before.entry(code).or_insert_with(|| count(&snapshot, code));
            let better = after != text && count(&Document::new(&after, 0).snapshot(), code) < now;
            if !better {
                refused.extend(action.edits.iter().map(key));
                continue;
            }
            let first = action
                .edits
                .iter()
                .map(|e| e.range.start)
                .min()
                .unwrap_or(0);
            applied.push(Applied {
                code,
                title: action.title.clone(),
                line: text[..first].matches('\n').count(),
            });
            text = after;
            continue 'pass;
        }
        break;
    }
    (text, applied)
}

/// The code of the finding `action` fixes, if `--fix` may apply it to `text`.
fn safe(action: &Action, text: &str) -> Option<&'static str> {
    let d = action.fixes.as_ref()?;
    let code = FIXABLE.iter().find(|c| **c == d.code)?;
    let template_text = TEMPLATE_TEXT.contains(code);
    let keeps = action.edits.iter().all(|e| {
        let old = text.get(e.range.clone()).unwrap_or_default();
        keeps_text(old, &e.text) || (template_text && contains(&d.range, &e.range))
    });
    (action.preferred && keeps).then_some(*code)
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Whether the letters and digits of `old` (any case) all appear, in order, in `new`.
pub fn keeps_text(old: &str, new: &str) -> bool {
    let mut rest = new
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase);
    old.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .all(|c| rest.any(|n| n == c))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn keeps_text_asks_for_every_letter_and_digit_in_order() {
        assert!(keeps_text("Caching Layer", "caching-layer"));
        assert!(keeps_text("", "anything"));
        assert!(keeps_text("a b", "xaxbx"));
        assert!(!keeps_text("3f7c2a91", "0b5e…"));
        assert!(!keeps_text("ab", "ba"));
    }
}
