//! What `rfc-lsp init` decides about a repository, and what `check` and the server assume
//! when there is no configuration: where the RFCs are, which template file(s) they follow,
//! how their metadata is written, which sections and fields every recent RFC has, the
//! dates' form and the status values in use. The decision is written as a commented
//! `.rfc-lsp.yaml`, so that what runs without a file is exactly what `init` would write.
//!
//! Evidence, in order:
//! 1. The RFCs: the folder holding the most numbered documents (`0042-slug.md`, or
//!    `0042-slug/README.md` folders below one root), at least [`MIN_RFCS`] of them.
//! 2. The templates: Markdown files named like a template (`0000-template.md`,
//!    `deprecation-template.md`, `NNNN-kep-template/README.md`) in that folder or above it.
//! 3. From the newest [`SAMPLE`] RFCs, each read as the editor reads it: the sections and
//!    fields nearly all of them have (required; the rest optional), the dates' form; from
//!    all of them, the status values in use.

use crate::text::fields::same_key;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::analysis::diagnostics::fields::{is_date, is_datetime};
use crate::metadata::{self, RfcNumber, Style, Value};
use crate::syntax::Document;
use crate::template::{is_slot_heading, normalize, read_skeleton};

/// Fewer numbered documents than this is not an RFC repository to guess about.
pub const MIN_RFCS: usize = 5;
/// The fewest RFCs of a template that can make a section or field required.
const MIN_SAMPLE: usize = 3;
/// How many of the newest RFCs decide what is required.
pub const SAMPLE: usize = 25;
/// The share of the sample that must have a section or field for it to be required.
const REQUIRED_SHARE: f64 = 0.9;
/// At most this many RFCs are read for the status values in use.
const MAX_READ: usize = 3000;
/// How much of an older RFC is read for its metadata.
const TOP: usize = 4096;
/// Folders never searched: dependencies, build output and test data.
const SKIP: &[&str] = &[
    "node_modules",
    "target",
    "vendor",
    "testdata",
    "fixtures",
    "test",
    "tests",
    ".github",
];

/// What was decided: the configuration's text and, line by line, why.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The `.rfc-lsp.yaml` to write (empty when nothing was found).
    pub config: String,
    /// What was found and decided, for the user.
    pub notes: Vec<String>,
    /// How many Markdown files were seen.
    pub markdown_files: usize,
    pub found: bool,
}

/// A numbered RFC: its path (relative to the root) and number.
#[derive(Debug, Clone)]
struct Rfc {
    rel: PathBuf,
    number: u64,
}

/// One RFC as read: the template it follows (`usize::MAX`: only its top was read), its
/// headings (normalised) and its metadata fields.
struct Read(
    usize,
    Vec<String>,
    Vec<(String, Value)>,
    Option<Sample>,
    u64,
);

/// What more is kept of an RFC read whole: its path, its text as read and the keys of its
/// prose lines (to tell which of the skeleton's lines authors keep).
struct Sample {
    rel: PathBuf,
    snapshot: crate::syntax::document::Snapshot,
    lines: std::collections::HashSet<u64>,
}

/// One template file found, with what its documents show.
struct Found {
    name: String,
    rel: PathBuf,
    outline: crate::template::SkeletonOutline,
    /// The YAML file beside the skeleton, and beside most RFCs, that holds the metadata
    /// (`kep.yaml`).
    sidecar: Option<String>,
}

/// The YAML file beside a skeleton that is a folder's README (`NNNN-kep-template/kep.yaml`)
/// when most of the newest RFCs have one of that name beside them too: its name and text.
fn sidecar_of(root: &Path, skeleton: &Path, rfcs: &[Rfc]) -> Option<(String, String)> {
    if !file_name(skeleton).eq_ignore_ascii_case("README.md") {
        return None;
    }
    let folder = root.join(skeleton.parent()?);
    let mut yamls: Vec<String> = std::fs::read_dir(&folder)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .collect();
    yamls.sort();
    let mut newest: Vec<&Rfc> = rfcs.iter().collect();
    newest.sort_by_key(|r| std::cmp::Reverse(r.number));
    newest.truncate(SAMPLE);
    let name = yamls.into_iter().find(|name| {
        let beside = (newest.iter())
            .filter(|r| root.join(&r.rel).with_file_name(name).is_file())
            .count();
        beside * 2 > newest.len()
    })?;
    let text = super::read_regular(&folder.join(&name), (TOP * 16) as u64).ok()?;
    Some((name, String::from_utf8(text).ok()?))
}

/// The headings of a Markdown text by a line scan (ATX headings outside fences and HTML
/// comments), normalised: enough to tell which sections an older RFC has.
fn quick_headings(text: &str) -> Vec<String> {
    let mut headings = Vec::new();
    let (mut fence, mut comment) = (None::<char>, false);
    for line in text.lines() {
        let t = line.trim_start();
        if comment {
            comment = !t.contains("-->");
            continue;
        }
        if let Some(c) = fence {
            if t.starts_with(&format!("{c}{c}{c}")) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = t.chars().next();
        } else if t.starts_with("<!--") {
            comment = !t.contains("-->");
        } else if line.starts_with('#') {
            let name = line.trim_start_matches('#');
            if name.starts_with(' ') || name.is_empty() {
                headings.push(normalize(name.trim().trim_end_matches('#').trim()));
            }
        }
    }
    headings
}

/// The number the template's era starts at: the split of the RFCs (newest first) that
/// best separates those that `follow` it (most of its required sections, every required
/// field) from the others, when at least 10 older RFCs fall below it, most of them not
/// following it, and most newer ones following it.
fn era_start(read: &[Read], follows: impl Fn(&Read) -> bool) -> Option<u64> {
    let mut rfcs: Vec<(u64, bool)> = read.iter().map(|r| (r.4, follows(r))).collect();
    rfcs.sort_by_key(|&(n, _)| std::cmp::Reverse(n));
    let total_without = rfcs.iter().filter(|r| !r.1).count();
    // Agreement of each cut: followers above it, others below it.
    let (mut best, mut best_score) = (0, 0);
    let (mut with_above, mut without_above) = (0, 0);
    for (cut, rfc) in rfcs.iter().enumerate() {
        let score = with_above + (total_without - without_above);
        if score > best_score {
            (best, best_score) = (cut, score);
        }
        if rfc.1 {
            with_above += 1;
        } else {
            without_above += 1;
        }
    }
    let (newer, older) = rfcs.split_at(best);
    let share = |part: &[(u64, bool)]| {
        part.iter().filter(|r| r.1).count() as f64 / part.len().max(1) as f64
    };
    let start = newer.last()?.0;
    (older.len() >= 10 && share(older) < 0.5 && share(newer) >= 0.8 && older.first()?.0 < start)
        .then_some(start)
}

/// One RFC read for [`plan`]: the `i`th newest (read whole when `i < whole`, else its
/// headings by a line scan and the metadata of its top).
fn read_rfc(root: &Path, rfc: &Rfc, i: usize, whole: usize, templates: &[Found]) -> Option<Read> {
    let mut text = super::index::read_markdown(&root.join(&rfc.rel))?;
    let older_headings = (i >= whole).then(|| quick_headings(&text));
    if i >= whole && text.len() > TOP {
        let cut = text.as_bytes()[..TOP]
            .iter()
            .rposition(|&b| b == b'\n')
            .unwrap_or(0);
        text.truncate(cut);
    }
    // An older RFC's top is parsed only for metadata kept in the document.
    let parse = i < whole || templates.iter().any(|t| t.sidecar.is_none());
    let snapshot = parse.then(|| Document::new(&text, 0).snapshot());
    let headings: Vec<String> = older_headings.unwrap_or_else(|| {
        (snapshot.iter().flat_map(|s| &s.outline.headings))
            .map(|h| normalize(&h.name))
            .collect()
    });
    let best = (0..templates.len())
        .max_by_key(|&t| {
            let names = &templates[t].outline.sections;
            let hits = names
                .iter()
                .filter(|s| headings.contains(&normalize(&s.0)))
                .count();
            // Per mille of the template's sections present, then fewer sections.
            (hits * 1000 / names.len().max(1), usize::MAX - names.len())
        })
        .unwrap_or(0);
    let style = templates[best].outline.style;
    let fields = match &templates[best].sidecar {
        Some(name) => {
            let path = root.join(&rfc.rel).with_file_name(name);
            let yaml = super::read_regular(&path, (TOP * 16) as u64)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default();
            (metadata::read_yaml_text(&yaml).fields.into_iter())
                .map(|f| (f.key, f.value))
                .collect()
        }
        None => (snapshot.iter().flat_map(metadata::read))
            .filter(|m| Some(m.style) == style)
            .flat_map(|m| m.fields)
            .map(|f| (f.key, f.value))
            .collect(),
    };
    let sample = snapshot.filter(|_| i < whole).map(|snapshot| Sample {
        rel: rfc.rel.clone(),
        lines: text
            .lines()
            .filter_map(|l| crate::template::guidance_keys(l).first().copied())
            .collect(),
        snapshot,
    });
    Some(Read(
        if i < whole { best } else { usize::MAX },
        headings,
        fields,
        sample,
        rfc.number,
    ))
}

/// Looks at the repository at `root` and decides its configuration.
///
/// Long: the steps of the decision in order (walk, RFCs, templates, sample, fields,
/// statuses, the file's text), each a few lines over the same lists.
pub fn plan(root: &Path) -> Plan {
    let mut plan = Plan::default();
    let markdown = walk(root);
    plan.markdown_files = markdown.len();

    // 1. The RFCs: numbered files in one folder, or numbered folders' README.md below one.
    let mut by_folder: BTreeMap<(PathBuf, bool), Vec<Rfc>> = BTreeMap::new();
    for rel in &markdown {
        let name = file_name(rel);
        if let Some(n) = numbered(&name) {
            let folder = rel.parent().unwrap_or(Path::new("")).to_path_buf();
            by_folder.entry((folder, false)).or_default().push(Rfc {
                rel: rel.clone(),
                number: n,
            });
        } else if name.eq_ignore_ascii_case("README.md")
            && let Some(dir) = rel.parent()
            && let Some(n) = numbered(&file_name(dir))
        {
            // `keps/sig-x/1234-slug/README.md`: grouped under the top folder.
            let top = rel
                .components()
                .next()
                .map(|c| PathBuf::from(c.as_os_str()))
                .unwrap_or_default();
            by_folder.entry((top, true)).or_default().push(Rfc {
                rel: rel.clone(),
                number: n,
            });
        }
    }
    let Some(((folder, nested), mut rfcs)) = by_folder
        .into_iter()
        .filter(|(_, v)| v.len() >= MIN_RFCS)
        .max_by_key(|(_, v)| v.len())
    else {
        plan.notes.push(format!(
            "no folder holds {MIN_RFCS} or more numbered documents (`0042-slug.md` or `0042-slug/README.md`)"
        ));
        return plan;
    };
    let shown = if folder.as_os_str().is_empty() {
        ".".to_string()
    } else {
        folder.display().to_string()
    };
    let glob = match (nested, folder.as_os_str().is_empty()) {
        (true, _) => format!("{shown}/**/[0-9]*-*/README.md"),
        (false, true) => "[0-9]*.md".to_string(),
        (false, false) => format!("{shown}/[0-9]*.md"),
    };
    plan.notes.push(format!(
        "RFCs: {} numbered documents in {shown} (`{glob}`)",
        rfcs.len()
    ));

    // 2. The templates: named so, in the RFC folder or above it; else in a folder of
    //    templates elsewhere (`proposal-templates/` beside `proposals/`).
    let home = |rel: &Path| -> PathBuf {
        let dir = rel.parent().unwrap_or(Path::new(""));
        if file_name(rel).eq_ignore_ascii_case("README.md") {
            dir.parent().unwrap_or(Path::new("")).to_path_buf()
        } else {
            dir.to_path_buf()
        }
    };
    let candidates: Vec<&PathBuf> = markdown.iter().filter(|r| is_template_file(r)).collect();
    let near: Vec<&PathBuf> = (candidates.iter().copied())
        .filter(|r| folder.starts_with(home(r)))
        .collect();
    let chosen = if near.is_empty() {
        // A folder of templates beside the RFC folder (`proposal-templates/`).
        (candidates.iter().copied())
            .filter(|r| {
                let home = home(r);
                file_name(&home).to_ascii_lowercase().contains("template")
                    && home.parent() == folder.parent()
            })
            .collect()
    } else {
        near
    };
    let mut templates: Vec<Found> = Vec::new();
    for rel in chosen {
        let Some(text) = super::index::read_markdown(&root.join(rel)) else {
            continue;
        };
        let mut outline = read_skeleton(&text);
        if outline.sections.is_empty() {
            continue;
        }
        let sidecar = sidecar_of(root, rel, &rfcs);
        if let Some((_, yaml)) = &sidecar {
            outline.style = Some(Style::Frontmatter);
            outline.fields = crate::template::yaml_fields(yaml);
        }
        templates.push(Found {
            name: template_name(rel, &templates),
            rel: rel.clone(),
            outline,
            sidecar: sidecar.map(|(name, _)| name),
        });
    }
    rfcs.retain(|r| !templates.iter().any(|t| t.rel == r.rel));
    if templates.is_empty() {
        plan.notes.push(
            "no template file (`0000-template.md`, `*template*.md`) in or above that folder, nor in a folder of templates"
                .into(),
        );
        return plan;
    }
    rfcs.sort_by(|a, b| b.number.cmp(&a.number).then_with(|| a.rel.cmp(&b.rel)));

    // 3. Read the RFCs (the newest first): which template each follows, what it has.
    // The newest are read whole; of the older ones, their headings (by a line scan, for
    // the era the template took its form in) and their top (for their metadata: the
    // status values in use).
    // With several templates, more than a sample each: some newest RFCs follow none.
    let whole = SAMPLE * templates.len() + if templates.len() > 1 { SAMPLE } else { 0 };
    // On every core: the files are read and their tops parsed independently.
    let take = rfcs.len().min(MAX_READ);
    let workers = crate::syntax::chunks::cores().clamp(1, 8);
    let per = take.div_ceil(workers).max(1);
    let read: Vec<Read> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..take)
            .step_by(per)
            .map(|from| {
                let (rfcs, templates) = (&rfcs, &templates);
                scope.spawn(move || {
                    (from..(from + per).min(take))
                        .filter_map(|i| read_rfc(root, &rfcs[i], i, whole, templates))
                        .collect::<Vec<Read>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `rfc-lsp init` from what it found in this repository; edit freely."
    );
    let _ = writeln!(
        out,
        "# Each choice below says why it was made. The README's Configuration section"
    );
    let _ = writeln!(out, "# documents every setting.");
    let _ = writeln!(out, "rfcs: [\"{glob}\"]");
    let _ = writeln!(out, "files:");
    let files_at = out.len();
    if templates.len() > 1 {
        let _ = writeln!(out, "  - glob: \"{glob}\"");
        let names: Vec<&str> = templates.iter().map(|t| t.name.as_str()).collect();
        let _ = writeln!(
            out,
            "    template: [{}]   # each RFC follows the one whose headings it has",
            names.join(", ")
        );
    }
    let _ = writeln!(out, "templates:");
    // With one template: the number its era starts at, when the older RFCs do not follow
    // it (written before the template took its form).
    let mut era: Option<(u64, String)> = None;
    for (t, found) in templates.iter().enumerate() {
        let sample: Vec<&Read> = read.iter().filter(|r| r.0 == t).take(SAMPLE).collect();
        let all: Vec<&Read> = read.iter().collect();
        let n = sample.len();
        let _ = writeln!(out, "  - name: {}", found.name);
        let _ = writeln!(out, "    skeleton: {}", found.rel.display());
        // Keys people read compare loosely (`Authors` is `Author(s)`).
        let loose = found.outline.style != Some(Style::Frontmatter);
        // The skeleton's fields that the RFCs really set (a `**Note:**` line in its prose
        // is no field); none at all: the RFCs keep no metadata in the document.
        // Every field is written (one the schema leaves out would be required); the rare
        // ones as optional.
        let set_by_some = (found.outline.fields.iter()).any(|(key, _)| {
            let set = sample
                .iter()
                .filter(|r| r.2.iter().any(|(k, _)| same_key(k, key, loose)))
                .count();
            set as f64 >= 0.2 * n as f64
        });
        let fields: Vec<&(String, String)> = if set_by_some {
            found.outline.fields.iter().collect()
        } else {
            Vec::new()
        };
        plan.notes.push(format!(
            "template `{}`: {} ({} sections, {}), followed by {n} of the newest RFCs",
            found.name,
            found.rel.display(),
            found.outline.sections.len(),
            found.outline.style.map_or("no metadata", Style::describe),
        ));
        let style = found.outline.style.filter(|_| !fields.is_empty());
        if let (Some(name), Some(_)) = (&found.sidecar, style) {
            let _ = writeln!(
                out,
                "    sidecar: {name}   # the metadata is in this YAML file beside each RFC"
            );
            plan.notes.push(format!(
                "  its metadata is in `{name}` beside the skeleton and each RFC"
            ));
        }
        match style {
            Some(style) => {
                let _ = writeln!(out, "    metadata: {}", style_name(style));
            }
            None if found.outline.style.is_some() => {
                let _ = writeln!(
                    out,
                    "    metadata: none   # the RFCs set none of the skeleton's fields"
                );
            }
            None => {}
        }
        // The skeleton's lines most RFCs keep as they are (a checklist's legend): not
        // guidance to replace.
        let kept: Vec<&String> = (found.outline.prose.iter())
            .filter(|line| {
                let Some(key) = crate::template::guidance_keys(line).first().copied() else {
                    return false;
                };
                let keep = (sample.iter())
                    .filter(|r| r.3.as_ref().is_some_and(|s| s.lines.contains(&key)))
                    .count();
                n >= MIN_SAMPLE && keep * 2 >= n
            })
            .collect();
        if !kept.is_empty() {
            let _ = writeln!(
                out,
                "    keep:   # lines of the skeleton most RFCs keep as they are"
            );
            for line in &kept {
                let _ = writeln!(out, "      - {}", yaml_scalar(line.trim()));
            }
            plan.notes.push(format!(
                "  {} line(s) of its text most RFCs keep: not guidance to replace",
                kept.len()
            ));
        }
        // Sections: required when nearly every recent RFC has them.
        let _ = writeln!(out, "    sections:");
        let _ = writeln!(out, "      default: optional");
        let mut required = Vec::new();
        for (title, _, _, body) in &found.outline.sections {
            // A section the template itself calls optional (`(Optional)`, "Optional, but
            // suggested") stays so, however many RFCs have it.
            let says_optional = |t: &str| {
                t.to_ascii_lowercase()
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .any(|w| w == "optional")
            };
            if is_slot_heading(title) || says_optional(title) || says_optional(body) {
                continue;
            }
            let key = normalize(title);
            let has = sample.iter().filter(|r| r.1.contains(&key)).count();
            if n >= MIN_SAMPLE && has as f64 >= REQUIRED_SHARE * n as f64 {
                required.push((title.clone(), has));
            }
        }
        if !required.is_empty() {
            let _ = writeln!(
                out,
                "      presence:   # in this many of the {n} newest RFCs that follow it"
            );
            for (title, has) in &required {
                let _ = writeln!(out, "        {}: required   # {has}", yaml_scalar(title));
            }
        }
        plan.notes.push(format!(
            "  {} of its sections are in at least {:.0} % of the {n} newest: required; the rest optional",
            required.len(),
            REQUIRED_SHARE * 100.0
        ));
        // The older RFCs that do not follow the template (written before it took its
        // form) follow a copy that requires nothing: their form is history, not a fault.
        let mut legacy: Option<String> = None;
        let keys: Vec<String> = required.iter().map(|(t, _)| normalize(t)).collect();
        let set_in = |key: &str, r: &Read| {
            (r.2.iter()).any(|(k, v)| same_key(k, key, loose) && !matches!(v, Value::Empty))
        };
        let required_fields: Vec<&str> = (fields.iter())
            .map(|(key, _)| key.as_str())
            .filter(|key| {
                let has = sample.iter().filter(|r| set_in(key, r)).count();
                n >= MIN_SAMPLE && has as f64 >= REQUIRED_SHARE * n as f64
            })
            .collect();
        let follows = |r: &Read| {
            let has = keys.iter().filter(|k| r.1.contains(k)).count();
            has * 4 >= keys.len() * 3 && required_fields.iter().all(|key| set_in(key, r))
        };
        if let (1, Some(start)) = (templates.len(), era_start(&read, follows)) {
            let name = format!("{}-before-{start}", found.name);
            let older = read.iter().filter(|r| r.4 < start).count();
            let mut text = format!(
                "  - name: {name}   # the {older} RFCs numbered below {start}: most lack the sections or fields the newer ones have\n    skeleton: {}\n",
                found.rel.display()
            );
            if let (Some(sidecar), Some(_)) = (&found.sidecar, style) {
                let _ = writeln!(text, "    sidecar: {sidecar}");
            }
            if let Some(style) = style {
                let _ = writeln!(text, "    metadata: {}", style_name(style));
            }
            let _ = writeln!(
                text,
                "    guidance: none   # the template text they kept is history\n    sections:\n      default: optional"
            );
            if !fields.is_empty() {
                let _ = writeln!(text, "    fields:");
            }
            plan.notes.push(format!(
                "  the {older} RFCs numbered below {start} mostly lack the sections or fields it requires: template `{name}` requires nothing of them"
            ));
            era = Some((start, name));
            legacy = Some(text);
        }
        if fields.is_empty() {
            out.push_str(legacy.as_deref().unwrap_or_default());
            continue;
        }
        let _ = writeln!(out, "    fields:");
        for (key, example) in fields {
            let values: Vec<&Value> = sample
                .iter()
                .filter_map(|r| {
                    r.2.iter()
                        .find(|(k, _)| same_key(k, key, loose))
                        .map(|(_, v)| v)
                })
                .collect();
            let filled: Vec<String> = values
                .iter()
                .filter_map(|v| match v {
                    Value::Scalar(s) => Some(s.trim().to_string()),
                    _ => None,
                })
                .filter(|s| !s.is_empty())
                .collect();
            let has = values.iter().filter(|v| !matches!(v, Value::Empty)).count();
            let required = n >= MIN_SAMPLE && has as f64 >= REQUIRED_SHARE * n as f64;
            let mut spec: Vec<String> = Vec::new();
            let mut why = format!("set in {has} of {n}");
            let dates = filled.iter().filter(|s| is_date(s)).count();
            let times = filled.iter().filter(|s| is_datetime(s)).count();
            let status = is_status_key(key);
            let structured = values
                .iter()
                .any(|v| matches!(v, Value::List(_) | Value::Other));
            if structured {
                spec.push("kind: any".into());
                why.push_str("; a list or mapping");
            } else if !filled.is_empty() && (dates + times) as f64 >= 0.8 * filled.len() as f64 {
                spec.push(format!(
                    "kind: {}",
                    if times > 0 { "datetime" } else { "date" }
                ));
                why.push_str(&format!("; {} of those are dates", dates + times));
            } else if status {
                let values = status_values(&all, key, example, loose);
                if values.len() >= 2 {
                    spec.push(format!(
                        "kind: enum, values: [{}]",
                        values
                            .iter()
                            .map(|v| yaml_scalar(v))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                    why.push_str(&format!("; the values in use across {} RFCs", all.len()));
                    plan.notes
                        .push(format!("  `{key}` values in use: {}", values.join(", ")));
                }
            }
            if let Some(text) = legacy.as_mut() {
                let mut older = spec.clone();
                older.push("required: false".into());
                let _ = writeln!(
                    text,
                    "      {}: {{ {} }}",
                    yaml_scalar(key),
                    older.join(", ")
                );
            }
            if !required {
                spec.push("required: false".into());
            }
            let spec = if spec.is_empty() {
                "{}".to_string()
            } else {
                format!("{{ {} }}", spec.join(", "))
            };
            let _ = writeln!(out, "      {}: {spec}   # {why}", yaml_scalar(key));
        }
        out.push_str(legacy.as_deref().unwrap_or_default());
    }
    if templates.len() == 1 {
        let name = &templates[0].name;
        // RFCs named by date (`20180920-slug.md`): the era starts on a date.
        let date = era.as_ref().and_then(|(start, _)| {
            let d = start.to_string();
            let dated = rfcs
                .iter()
                .all(|r| super::config::name_date(&r.rel).is_some());
            (dated && d.len() == 8).then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
        });
        let files = match (&era, date) {
            (Some((_, older)), Some(day)) => format!(
                "  - glob: \"{glob}\"\n    since: {day}\n    template: {name}\n  - glob: \"{glob}\"\n    before: {day}\n    template: {older}\n"
            ),
            (Some((start, older)), None) => format!(
                "  - glob: \"{glob}\"\n    numbers: \">={start}\"\n    template: {name}\n  - glob: \"{glob}\"\n    numbers: \"<{start}\"\n    template: {older}\n"
            ),
            (None, _) => format!("  - glob: \"{glob}\"\n    template: {name}\n"),
        };
        out.insert_str(files_at, &files);
    }
    let numbers: std::collections::HashSet<u64> = rfcs.iter().map(|r| r.number).collect();
    out.push_str(&citations(&read, &numbers, &mut plan.notes));
    calibrate(root, &templates, &read, &mut out, &mut plan.notes);
    plan.config = out;
    plan.found = true;
    plan
}

/// The fewest RFCs of the sample that must cite in a form, and the fewest numbers they
/// must cite so, for the form to be the repository's way of citing RFCs.
const MIN_CITING: usize = 3;
const MIN_CITED: usize = 5;
/// The share of a form's citations that must name an RFC here for the form to count
/// (`UTF-8` names none, `RFC 3986` an IETF one), and the share above which every number
/// must (else a number with none is a pull request, an issue, an RFC never merged).
const CITED_HERE: f64 = 0.9;
const ALL_CITED_HERE: f64 = 0.98;

/// How the newest RFCs cite each other (`SE-0400`, `KEP-1287`, `rust-lang/rfcs#1234`,
/// `RFC-42`): the `references:` block, listing the forms whose citations name this
/// repository's RFCs, or none.
fn citations(
    read: &[Read],
    numbers: &std::collections::HashSet<u64>,
    notes: &mut Vec<String>,
) -> String {
    // Per form (`None`: `RFC-42`): the RFCs citing so, the numbers cited, how many of
    // the citations name an RFC here.
    type Tally = (usize, std::collections::HashSet<u32>, usize, usize);
    let mut forms: BTreeMap<Option<String>, Tally> = BTreeMap::new();
    for sample in read.iter().filter_map(|r| r.3.as_ref()) {
        let facts = super::index::scan_snapshot(None, &sample.snapshot);
        let mut seen: Vec<Option<String>> = Vec::new();
        for r in &facts.references {
            let super::index::Target::Rfc(n) = r.target else {
                continue;
            };
            let form = r.form.as_deref().map(str::to_string);
            let t = forms.entry(form.clone()).or_default();
            if !seen.contains(&form) {
                seen.push(form);
                t.0 += 1;
            }
            t.1.insert(n.seq);
            t.2 += 1;
            t.3 += usize::from(numbers.contains(&u64::from(n.seq)));
        }
    }
    let mut out = String::new();
    for (form, (citing, cited, all, here)) in &forms {
        let share = *here as f64 / (*all).max(1) as f64;
        if *citing < MIN_CITING || cited.len() < MIN_CITED || share < CITED_HERE {
            continue;
        }
        let pattern = format!("{}NNNN", form.as_deref().unwrap_or("RFC-"));
        let repo = form.as_deref().is_some_and(|f| f.ends_with('#'));
        let complete = share >= ALL_CITED_HERE && !repo;
        let entry = if complete || repo {
            format!("\"{pattern}\"")
        } else {
            format!("{{ pattern: \"{pattern}\", complete: false }}")
        };
        let why = format!(
            "{here} of {all} citations in {citing} of the newest RFCs name an RFC here{}",
            if complete {
                ""
            } else if repo {
                ": pull requests and issues need not be RFCs"
            } else {
                ": a number with no RFC here is not reported"
            }
        );
        notes.push(format!("RFCs cite each other as `{pattern}` ({why})"));
        let _ = writeln!(out, "  - {entry}   # {why}");
    }
    if out.is_empty() {
        if forms.is_empty() {
            return out; // `RFC-42` stays, for RFCs yet to come
        }
        notes.push("no one way of citing RFCs by number names this repository's RFCs".into());
        return "references: []   # no one way of citing RFCs by number names RFCs here\n".into();
    }
    format!("references:   # how RFCs cite each other: hover, go to definition, rename\n{out}")
}

/// Rules about form that may be a repository's convention rather than a fault.
const CALIBRATED: &[&str] = &[
    "section-empty",
    "section-level",
    "section-order",
    "section-duplicate",
    "title-multiple",
    "title-format",
    "title-mismatch",
    "field-unknown",
    "field-empty",
    "field-format",
    "tag-format",
    "tag-unknown",
];

/// Checks the newest RFCs of each template against the configuration decided so far, and
/// turns off each rule of form that a tenth of them or more (two at least) break: what the
/// repository's own recent RFCs do is its convention, not a fault to report in each.
fn calibrate(
    root: &Path,
    templates: &[Found],
    read: &[Read],
    out: &mut String,
    notes: &mut Vec<String>,
) {
    let mut settings = super::Settings::defaults(root);
    let _ = super::config::apply(&mut settings, out, &root.join(super::CONFIG_FILE));
    let mut fired: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut checked = 0;
    for t in 0..templates.len() {
        for r in read.iter().filter(|r| r.0 == t).take(SAMPLE) {
            let Some(sample) = &r.3 else { continue };
            let path = root.join(&sample.rel);
            let ctx = settings.context(Some(&path), None);
            let report = crate::analysis::diagnostics::check(&sample.snapshot, &ctx);
            let mut codes: Vec<&'static str> = (report.diagnostics.iter())
                .filter(|d| {
                    matches!(
                        d.severity,
                        crate::analysis::diagnostics::Severity::Error
                            | crate::analysis::diagnostics::Severity::Warning
                    )
                })
                .map(|d| d.code)
                .filter(|c| CALIBRATED.contains(c))
                .collect();
            codes.sort_unstable();
            codes.dedup();
            for c in codes {
                *fired.entry(c).or_default() += 1;
            }
            checked += 1;
        }
    }
    let off: Vec<(&str, usize)> = fired
        .into_iter()
        .filter(|&(_, docs)| checked >= MIN_RFCS && docs >= 2 && docs * 10 >= checked)
        .collect();
    if off.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "severity:   # broken by a tenth or more of the {checked} newest RFCs: the repository's way"
    );
    for (code, docs) in &off {
        let _ = writeln!(out, "  {code}: off   # {docs}");
        notes.push(format!(
            "rule {code} off: {docs} of the {checked} newest RFCs break it"
        ));
    }
}

/// The status values the RFCs use: the skeleton's own alternatives
/// (`provisional|implementable|...`, `(Proposed / Accepted / Obsolete)`) and every value two RFCs or more share, or one of the
/// newest uses, unless it looks like a slip of a more common one (`imlpemented`,
/// `implemented (alpha)`). An older value only one RFC has is more likely a slip.
fn status_values(read: &[&Read], key: &str, example: &str, loose: bool) -> Vec<String> {
    // Each value: how many RFCs use it, and whether one of the newest does.
    let mut counts: HashMap<String, (usize, bool)> = HashMap::new();
    for r in read {
        if let Some((_, Value::Scalar(v))) = r.2.iter().find(|(k, _)| same_key(k, key, loose)) {
            let v = metadata::plain_value(v.trim().trim_matches(['"', '\'']));
            if !v.is_empty() {
                let e = counts.entry(v).or_default();
                e.0 += 1;
                e.1 |= r.3.is_some();
            }
        }
    }
    let mut ranked: Vec<(String, (usize, bool))> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut values: Vec<String> = Vec::new();
    let example = example.split('#').next().unwrap_or("").trim();
    // `**Awaiting implementation** or **Awaiting review**`: each bold part.
    let bold: Vec<String> = example
        .split("**")
        .skip(1)
        .step_by(2)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    if bold.len() >= 2 {
        values.extend(bold);
    } else if let Some((inner, sep)) = alternatives(example) {
        values.extend(
            inner
                .split(sep)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()),
        );
    }
    for (v, (count, recent)) in ranked {
        let known = values.contains(&v);
        // A slip: marks of a note, or a near miss of a more common value. Another case
        // of one that two RFCs or more share is a variant the repository uses.
        let near = |k: &String| close(k, &v) && (count < 2 || !k.eq_ignore_ascii_case(&v));
        let slip = v.contains(['|', '(', '#']) || values.iter().any(near);
        // One RFC alone: a stage the process has just begun to use if it is recent and
        // like no other value (`ready-for-release`), else a slip.
        let words = v
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '));
        if (count >= 2 || recent && words) && !slip && !known {
            values.push(v);
        }
    }
    values
}

/// A skeleton value that lists the choices: `provisional|implementable`, or in parentheses
/// with slashes `(Proposed / Accepted / Obsolete)`; the text to split and the separator.
fn alternatives(example: &str) -> Option<(&str, char)> {
    if example.contains('|') {
        return Some((example, '|'));
    }
    let inner = example.strip_prefix('(')?.strip_suffix(')')?;
    inner.contains('/').then_some((inner, '/'))
}

/// A key that holds an RFC's lifecycle status.
fn is_status_key(key: &str) -> bool {
    ["status", "stage", "state"].contains(&key.trim().to_ascii_lowercase().as_str())
}

/// Two words at most two edits apart (a typo of one another).
fn close(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (
        a.to_lowercase().chars().collect(),
        b.to_lowercase().chars().collect(),
    );
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()] <= 2
}

/// Markdown files under `root` (relative), .gitignore respected, dependency, build and
/// test-data folders skipped, sorted.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(false)
        .filter_entry(|e| {
            !e.file_type().is_some_and(|t| t.is_dir())
                || !SKIP.contains(
                    &e.file_name()
                        .to_string_lossy()
                        .to_ascii_lowercase()
                        .as_str(),
                )
        })
        .build();
    for entry in walker.flatten() {
        let path = entry.path();
        if entry.file_type().is_some_and(|t| t.is_file())
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"))
            && let Ok(rel) = path.strip_prefix(root)
        {
            out.push(rel.to_path_buf());
        }
        if out.len() >= 50_000 {
            break;
        }
    }
    out.sort();
    out
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The number of an RFC file or folder name (`0042-slug.md`, `42-slug`), not a
/// template's (`0000-template.md`, `NNNN-kep-template`).
fn numbered(name: &str) -> Option<u64> {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0
        || !name[digits..].starts_with('-')
        || name.to_ascii_lowercase().contains("template")
            && name[..digits].bytes().all(|b| b == b'0')
    {
        return None;
    }
    RfcNumber::in_file_name(name)
        .map(|n| u64::from(n.seq))
        .or_else(|| name[..digits].parse().ok())
}

/// A template's file: its name (or its folder's, for a README.md) says `template`, and
/// any number it starts with is a placeholder (`0000-`, `NNNN-`), not an RFC's.
fn is_template_file(rel: &Path) -> bool {
    let name = file_name(rel);
    let subject = if name.eq_ignore_ascii_case("README.md") {
        rel.parent().map(file_name).unwrap_or_default()
    } else {
        name
    };
    let lower = subject.to_ascii_lowercase();
    let digits = lower.bytes().take_while(u8::is_ascii_digit).count();
    lower.contains("template")
        && !lower.starts_with("pull_request")
        && !lower.starts_with("issue")
        && (digits == 0 || lower[..digits].bytes().all(|b| b == b'0'))
}

/// A name for a template: its file name without numbers and `template` (`0000-template.md`:
/// `rfc`; `deprecation-template.md`: `deprecation`; `NNNN-kep-template/`: `kep`).
fn template_name(rel: &Path, taken: &[Found]) -> String {
    let name = file_name(rel);
    let subject = if name.eq_ignore_ascii_case("README.md") {
        rel.parent().map(file_name).unwrap_or_default()
    } else {
        name.trim_end_matches(".md").to_string()
    };
    let words: Vec<String> = subject
        .to_ascii_lowercase()
        .split(['-', '_', ' ', '.'])
        .filter(|w| {
            !w.is_empty()
                && *w != "template"
                && *w != "nnnn"
                && !w.bytes().all(|b| b.is_ascii_digit())
        })
        .map(str::to_string)
        .collect();
    let base = if words.is_empty() {
        "rfc".to_string()
    } else {
        words.join("-")
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.name == name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

fn style_name(style: Style) -> &'static str {
    match style {
        Style::Frontmatter => "frontmatter",
        Style::BoldLines => "bold-lines",
        Style::StatusSection => "status-section",
        Style::ListLines => "list",
        Style::Table => "table",
    }
}

/// A key or value as YAML writes it in a flow collection: quoted unless plain words (the
/// looser `analysis::new_rfc::yaml_scalar` leaves `,` and `yes` bare).
fn yaml_scalar(v: &str) -> String {
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
        && !v.starts_with([' ', '-'])
        && !v.ends_with(' ')
        && !matches!(
            v.to_ascii_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off"
        );
    if plain {
        v.to_string()
    } else {
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_era_starts_where_the_rfcs_begin_to_follow_the_template() {
        let doc = |n: u64, follows: bool| Read(0, vec![follows.to_string()], Vec::new(), None, n);
        // 30 newer that follow it (one slip), 12 older that do not (one that does).
        let mut read: Vec<Read> = (13..43).map(|n| doc(n, n != 20)).collect();
        read.extend((1..13).map(|n| doc(n, n == 3)));
        assert_eq!(era_start(&read, |r| r.1[0] == "true"), Some(13));
        // Too few older ones to call an era.
        let few: Vec<Read> = (1..40).map(|n| doc(n, n > 5)).collect();
        assert_eq!(era_start(&few, |r| r.1[0] == "true"), None);
        assert_eq!(
            quick_headings("# A\n```\n# not\n```\n<!--\n## hidden\n-->\n## B ##\n#tag\n"),
            ["a", "b"]
        );
    }

    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(numbered("0042-cache.md"), Some(42));
        assert_eq!(numbered("3984-libs.md"), Some(3984));
        assert_eq!(numbered("0000-template.md"), None);
        assert_eq!(numbered("README.md"), None);
        assert!(is_template_file(Path::new("0000-template.md")));
        assert!(is_template_file(Path::new("deprecation-template.md")));
        assert!(is_template_file(Path::new(
            "keps/NNNN-kep-template/README.md"
        )));
        assert!(!is_template_file(Path::new(
            "keps/sig-node/5978-claim-template/README.md"
        )));
        assert!(!is_template_file(Path::new(
            "text/0114-template-compiler.md"
        )));
        assert!(!is_template_file(Path::new(
            ".github/PULL_REQUEST_TEMPLATE.md"
        )));
        assert_eq!(template_name(Path::new("0000-template.md"), &[]), "rfc");
        assert_eq!(
            template_name(Path::new("deprecation-template.md"), &[]),
            "deprecation"
        );
        assert_eq!(
            template_name(Path::new("keps/NNNN-kep-template/README.md"), &[]),
            "kep"
        );
    }

    #[test]
    fn slips_of_a_status_are_not_values() {
        assert!(close("implemented", "imlpemented"));
        assert!(!close("implemented", "provisional"));
        let doc = |v: &str| {
            Read(
                0,
                Vec::new(),
                vec![("status".to_string(), Value::Scalar(v.to_string()))],
                None,
                1,
            )
        };
        let docs: Vec<_> = [
            "implemented",
            "implemented",
            "imlpemented",
            "provisional",
            "provisional",
            "implemented (alpha)",
            "withdrawn",
            "withdrawn",
        ]
        .iter()
        .map(|v| doc(v))
        .collect();
        let refs: Vec<_> = docs.iter().collect();
        assert_eq!(
            status_values(&refs, "status", "", false),
            ["implemented", "provisional", "withdrawn"]
        );
        assert_eq!(
            status_values(
                &refs,
                "status",
                "provisional|implementable|implemented # pick one",
                false
            ),
            ["provisional", "implementable", "implemented", "withdrawn"]
        );
    }
}
