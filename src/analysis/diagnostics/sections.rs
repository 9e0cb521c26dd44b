//! Sections against the template's skeleton: each present section is matched to the
//! template's by its path (heading text under its parent), then checked for order, level,
//! duplicates, emptiness and placeholder text; each template section with no match is
//! missing, reported once, at the place it belongs.

use super::{Input, Related, Severity, Sink};
use crate::analysis::facts::Candidates;
use crate::syntax::Section;
use crate::template::{Presence, Template};

/// The match of each document section to a template section.
pub struct Matching {
    /// Per document section (index into `outline.sections()`): the template section.
    pub of_doc: Vec<Option<usize>>,
    /// Per template section: the first document section matched to it.
    pub of_template: Vec<Option<usize>>,
    /// Document sections that repeat a template section already matched: (doc, first).
    pub duplicates: Vec<(usize, usize)>,
}

/// Matches the document's sections to the template's.
///
/// Long: one pass over the document's sections; each pick reads and updates the same
/// state (sections taken, sections left under each parent).
pub fn match_sections(
    template: &Template,
    sections: &[Section],
    candidates: &Candidates,
    title: Option<usize>,
) -> Matching {
    let mut of_doc = vec![None; sections.len()];
    let mut of_template: Vec<Option<usize>> = vec![None; template.sections.len()];
    let mut duplicates = Vec::new();
    let candidates_all = candidates;
    // How many sections under each parent are not matched yet: a heading of the writer's
    // own is compared with them (as a rename) only while there are some.
    let mut unmatched: std::collections::HashMap<Option<usize>, usize> =
        std::collections::HashMap::new();
    for s in template.sections.iter().filter(|s| !s.slot) {
        *unmatched.entry(s.parent).or_default() += 1;
    }
    for (i, section) in sections.iter().enumerate() {
        if Some(i) == title {
            continue;
        }
        // The template parent this section's parent stands for (None: top level).
        let parent = section
            .parent
            .filter(|p| Some(*p) != title)
            .and_then(|p| of_doc[p]);
        // A slot stands only for headings in its own place (its parent).
        let all = candidates.of(i);
        let placed: Vec<usize>;
        let candidates = if all.iter().any(|&j| template.sections[j].slot) {
            placed = all
                .iter()
                .copied()
                .filter(|&j| !template.sections[j].slot || template.sections[j].parent == parent)
                .collect();
            &placed[..]
        } else {
            all
        };
        // A slot stands for any number of headings; another section for one.
        let free = |j: &&usize| of_template[**j].is_none() || template.sections[**j].slot;
        let pick = candidates
            .iter()
            .filter(free)
            .find(|&&j| template.sections[j].parent == parent)
            .or_else(|| {
                candidates
                    .iter()
                    .filter(free)
                    .find(|&&j| template.sections[j].level == section.level)
            })
            .or_else(|| candidates.iter().find(free))
            .copied()
            .or_else(|| {
                let text = candidates_all.normalized(i);
                if unmatched.get(&parent).is_none_or(|&n| n == 0) || !template.may_be_renamed(text)
                {
                    return None;
                }
                renamed(template, &of_template, parent, section.level, text)
            });
        match pick {
            Some(j) => {
                of_doc[i] = Some(j);
                if of_template[j].is_none() && !template.sections[j].slot {
                    let parent_of_j = template.sections[j].parent;
                    unmatched
                        .entry(parent_of_j)
                        .and_modify(|n| *n = n.saturating_sub(1));
                }
                of_template[j].get_or_insert(i);
            }
            None => {
                // Every candidate is taken: a repeat of the one under the same parent (at
                // the level of the first), or, elsewhere, of one the template puts no lower
                // than this heading. A `### Summary` inside another section is the writer's
                // own subsection, not a second Summary.
                let in_place = candidates
                    .iter()
                    .find(|&&j| template.sections[j].parent == parent);
                let repeat = match in_place {
                    Some(&j) => of_template[j].filter(|&f| sections[f].level == section.level),
                    None => candidates
                        .iter()
                        .find(|&&j| section.level <= template.sections[j].level)
                        .and_then(|&j| of_template[j]),
                };
                if let Some(first) = repeat {
                    duplicates.push((i, first));
                }
            }
        }
    }
    Matching {
        of_doc,
        of_template,
        duplicates,
    }
}

/// For a heading no section has: one of its parent's sections that none matched yet,
/// worded much like it, renamed (`Production Readiness Questionnaire`).
fn renamed(
    template: &Template,
    of_template: &[Option<usize>],
    parent: Option<usize>,
    level: u8,
    text: &str,
) -> Option<usize> {
    let open = |j: usize, s: &crate::template::SectionSpec| {
        of_template[j].is_none() && s.parent == parent && s.level.abs_diff(level) <= 1
    };
    let words: Vec<&str> = crate::template::heading_words(text).collect();
    (template.sections.iter().enumerate())
        .find_map(|(j, s)| (open(j, s) && s.renamed_as(&words)).then_some(j))
}

/// Whether the document writes the template's top sections as H1s (`# Summary`,
/// `# Motivation`, as older RFCs of some repositories do) rather than one H1 title above
/// `##` sections: two or more H1s that are sections of a template without H1 sections.
pub(super) fn sections_at_h1(input: &Input) -> bool {
    let template = input.template;
    if template.sections.iter().any(|s| s.level == 1) {
        return false;
    }
    let h1s = || {
        input
            .snapshot
            .outline
            .headings
            .iter()
            .filter(|h| h.level == 1)
    };
    let sections = h1s()
        .filter(|h| {
            (template.sections.iter()).any(|s| s.level == 2 && !s.slot && s.matches(&h.name))
        })
        .take(2)
        .count();
    h1s().nth(1).is_some() && sections >= 2
}

/// Long: one pass over the template's sections matched to the document's; every finding of
/// the rule reads the same matching.
pub(super) fn check(input: &Input, out: &mut Sink) {
    let template = input.template;
    let outline = &input.snapshot.outline;
    let sections = outline.sections();
    let names: Vec<&str> = outline.headings.iter().map(|h| h.name.as_ref()).collect();
    // Sections one level up: no title, and each heading a level deeper than written.
    let shift = u8::from(sections_at_h1(input));
    let title = (shift == 0)
        .then(|| outline.headings.iter().position(|h| h.level == 1))
        .flatten();
    let facts = input.facts;
    let m = match_sections(
        template,
        &sections,
        &facts.candidates(input.template_arc),
        title,
    );
    let heading = |i: usize| outline.headings[i].range.clone();

    // Duplicates.
    for &(i, first) in &m.duplicates {
        out.push(
            "section-duplicate",
            heading(i),
            format!("\"{}\" appears twice: merge it into the first", names[i]),
        )
        .related
        .push(Related {
            range: heading(first),
            message: "the first one".into(),
        });
    }

    // Level.
    for (i, matched) in m.of_doc.iter().enumerate() {
        if let Some(j) = *matched {
            let want = template.sections[j].level;
            if sections[i].level + shift != want {
                out.push(
                    "section-level",
                    heading(i),
                    format!(
                        "\"{}\" should be a level-{want} heading (`{}`) in template `{}`",
                        names[i],
                        "#".repeat(want as usize),
                        template.name
                    ),
                );
            }
        }
    }

    // Order: the longest run already in template order stays; the rest is out of order.
    let present: Vec<(usize, usize)> = m
        .of_doc
        .iter()
        .enumerate()
        .filter_map(|(i, j)| j.map(|j| (i, j)))
        .filter(|&(_, j)| !template.sections[j].slot)
        .collect();
    let keep = longest_increasing(&present.iter().map(|&(_, j)| j).collect::<Vec<_>>());
    for (k, &(i, j)) in present.iter().enumerate() {
        if keep[k] {
            continue;
        }
        // Name a neighbour that shows the fault: one before it that belongs after it,
        // or one after it that belongs before it.
        let before = present[..k]
            .iter()
            .find(|&&(_, jj)| jj > j)
            .map(|&(ii, _)| (ii, "before"));
        let after = present[k + 1..]
            .iter()
            .find(|&&(_, jj)| jj < j)
            .map(|&(ii, _)| (ii, "after"));
        let message = match before.or(after) {
            Some((b, word)) => format!(
                "\"{}\" is out of order: template `{}` puts it {word} \"{}\"",
                names[i], template.name, names[b]
            ),
            None => format!(
                "\"{}\" is out of order for template `{}`",
                names[i], template.name
            ),
        };
        let d = out.push("section-order", heading(i), message);
        if let Some((b, _)) = before.or(after) {
            d.related.push(Related {
                range: heading(b),
                message: format!("\"{}\"", names[b]),
            });
        }
    }

    // An unclosed fence swallows the rest of the document, or up to the next bare fence:
    // one finding on it, and no section missing for what it swallowed.
    let unclosed = unclosed_fence(input);
    let swallowing: Vec<_> = facts.swallowing_fences().collect();
    for fence in unclosed.iter().chain(&swallowing) {
        let lines = input.snapshot.slice(fence.clone()).lines().count();
        out.push(
            "fence-unclosed",
            input.line_range(fence.start),
            format!(
                "This code fence is never closed: the {} line(s) after it, headings included, are code. Close it with a matching fence",
                lines.saturating_sub(1)
            ),
        );
    }
    // The first heading after a swallowing fence: sections reported missing there are
    // inside the fence.
    let after_swallow: Vec<usize> = swallowing
        .iter()
        .filter_map(|f| outline.headings.iter().position(|h| h.range.start >= f.end))
        .collect();

    // Missing: once, at the top-most missing section, where it belongs.
    for (j, spec) in template.sections.iter().enumerate() {
        if m.of_template[j].is_some() || spec.presence == Presence::Optional {
            continue;
        }
        if spec.parent.is_some_and(|p| m.of_template[p].is_none()) {
            continue; // its parent is missing too: reported there
        }
        let severity = if spec.presence == Presence::Required {
            Severity::Error
        } else {
            Severity::Warning
        };
        let next = present.iter().find(|&&(_, jj)| jj > j).map(|&(i, _)| i);
        if next.is_none() && unclosed.is_some() || next.is_some_and(|n| after_swallow.contains(&n))
        {
            continue; // perhaps inside the unclosed fence: reported there
        }
        let (range, place) = match (next, spec.parent.and_then(|p| m.of_template[p]), title) {
            (Some(n), ..) => (heading(n), format!("before \"{}\"", names[n])),
            (None, Some(p), _) => (heading(p), format!("at the end of \"{}\"", names[p])),
            (None, None, Some(t)) => (heading(t), "at the end of the document".to_string()),
            (None, None, None) => (0..0, "at the end of the document".to_string()),
        };
        out.push_with(
            "section-missing",
            severity,
            range,
            format!(
                "Missing {} section `{}` ({}) of template `{}`: it belongs {place}",
                spec.presence.name(),
                template.heading_line(j),
                template.path(j),
                template.name
            ),
        )
        .subject = Some(super::Subject::Section(j));
    }

    // Empty and placeholder text.
    let guidance = facts.guidance(input.template_arc, input.snapshot);
    for (i, name) in names.iter().enumerate().take(sections.len()) {
        if Some(i) == title {
            continue;
        }
        let has_children = sections.get(i + 1).is_some_and(|s| s.parent == Some(i));
        let spec = m.of_doc[i].map(|j| &template.sections[j]);
        if let Some(spec) = spec
            && spec.heading_is_placeholder(name)
        {
            out.push(
                "section-placeholder",
                outline.headings[i].text.clone(),
                format!(
                    "The heading \"{}\" still holds the template's placeholder: name it",
                    name
                ),
            );
            continue;
        }
        if !has_children && spec.is_some() && facts.heading(i).empty {
            // Present but empty is worth a word whatever the section's presence: fill
            // it, or remove it.
            out.push(
                "section-empty",
                heading(i),
                format!(
                    "\"{}\" is empty: write it, or remove it if the template allows",
                    name
                ),
            );
            continue;
        }
        let mark = facts.placeholder(i);
        let guidance = spec.is_some().then(|| guidance.of(i)).flatten();
        match (mark, guidance) {
            (Some(found), g) if g.as_ref().is_none_or(|g| found.start <= g.start) => {
                // `TBD` is the writer's own word that a point is open, not the
                // template's text left in: a note, not a fault.
                if input.snapshot.slice(found.clone()) == "TBD" {
                    out.push(
                        "section-tbd",
                        found,
                        format!("\"{}\" is still to be decided (TBD)", name),
                    );
                    continue;
                }
                out.push(
                    "section-placeholder",
                    found,
                    format!("\"{}\" still holds placeholder text: replace it", name),
                );
            }
            (_, Some(g)) => {
                out.push(
                    "section-placeholder",
                    g,
                    format!(
                        "\"{}\" still holds a line of template `{}`'s guidance: replace it with the RFC's own words",
                        name, template.name
                    ),
                );
            }
            _ => {}
        }
    }
}

/// The range of a fenced code block that is never closed (it runs to the end of the
/// document without a closing fence of its own character and at least its length).
fn unclosed_fence(input: &Input) -> Option<std::ops::Range<usize>> {
    let outline = &input.snapshot.outline;
    let last = outline.code_blocks.iter().rev().find(|c| c.fenced)?;
    let text = input.snapshot.slice(last.range.clone());
    let first = text.lines().next()?.trim_start();
    let ch = first.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = first.chars().take_while(|&c| c == ch).count();
    let rest_blank = input
        .snapshot
        .slice(last.range.end..outline.len)
        .trim()
        .is_empty();
    if !rest_blank {
        return None;
    }
    let closed = text.lines().count() > 1
        && text.lines().last().is_some_and(|l| {
            let t = l.trim();
            t.chars().take_while(|&c| c == ch).count() >= n && t.chars().all(|c| c == ch)
        });
    (!closed).then(|| last.range.clone())
}

/// Marks the members of one longest strictly increasing subsequence.
fn longest_increasing(values: &[usize]) -> Vec<bool> {
    let n = values.len();
    let mut tails: Vec<usize> = Vec::new(); // index into values of the smallest tail per length
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        let pos = tails.partition_point(|&t| values[t] < values[i]);
        if pos > 0 {
            prev[i] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut keep = vec![false; n];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        keep[i] = true;
        at = (prev[i] != usize::MAX).then_some(prev[i]);
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::longest_increasing;

    #[test]
    fn the_longest_increasing_run_is_kept() {
        assert_eq!(longest_increasing(&[0, 1, 2]), [true, true, true]);
        assert_eq!(
            longest_increasing(&[1, 0, 2, 3])
                .iter()
                .filter(|k| **k)
                .count(),
            3
        );
        assert_eq!(
            longest_increasing(&[0, 5, 1, 2, 3]),
            [true, false, true, true, true]
        );
    }
}
