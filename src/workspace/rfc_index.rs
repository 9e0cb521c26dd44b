//! The RFC index: every RFC of a workspace with its number, title, status, authors, dates,
//! tags and successor, as `rfc-lsp index` writes it (JSON, a Markdown table, a page), and
//! the `index-stale` finding on a marked table that differs from what it would write now.
//!
//! The numbers, titles, tags and successors come from the workspace [`Index`]; the rest
//! from each RFC's metadata ([`Row`]), read from the sidecar beside it (`kep.yaml`) or the
//! head of its text ([`crate::metadata::read_head`]).

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use std::collections::HashMap;

use super::config::Settings;
use super::index::{Facts, Index};
use crate::analysis::diagnostics::{Diagnostic, Severity};
use crate::metadata::{self, Metadata, RfcNumber};

/// The JSON's version: raised when a field changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;
pub const START: &str = "<!-- rfc-index:start -->";
pub const END: &str = "<!-- rfc-index:end -->";

/// One RFC of the index.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    /// `42`, or `2026-042` with a year; `null` for an RFC without one.
    pub number: Option<String>,
    pub title: Option<String>,
    pub status: Option<String>,
    pub authors: Vec<String>,
    pub created: Option<String>,
    pub updated: Option<String>,
    pub tags: Vec<String>,
    /// The RFC named as its successor (`superseded_by`), as written.
    pub successor: Option<String>,
    /// The RFCs here that name this one as their successor, by number.
    pub predecessors: Vec<String>,
    /// The file, relative to the workspace root, with `/`.
    pub file: String,
}

/// A date as a reader is shown it: `2014-08-18T00:00:00.000Z` is `2014-08-18`.
pub fn shown_date(date: &str) -> &str {
    let b = date.as_bytes();
    let iso = b.len() > 10
        && b[10] == b'T'
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if iso { &date[..10] } else { date }
}

impl Entry {
    /// The title a reader is shown: the RFC's, else its file's name in words
    /// (`text/0001-private-fields.md` is `private fields`; Rust's RFCs have no H1).
    pub fn shown_title(&self) -> String {
        if let Some(t) = &self.title {
            return t.clone();
        }
        let name = self.file.rsplit('/').next().unwrap_or(&self.file);
        let stem = name
            .strip_suffix(".md")
            .or_else(|| name.strip_suffix(".markdown"))
            .unwrap_or(name);
        let words = stem
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches(['-', '_'])
            .replace(['-', '_'], " ");
        if words.trim().is_empty() || stem.eq_ignore_ascii_case("readme") {
            self.file.clone()
        } else {
            words
        }
    }
}

/// What an RFC's metadata gives the index beyond its facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub status: Option<String>,
    pub authors: Vec<String>,
    pub created: Option<String>,
    pub updated: Option<String>,
    /// `superseded-by` (a KEP's), where the index's facts have none.
    pub successor: Option<String>,
    /// `replaces`, `supersedes`: the RFCs this one follows.
    pub replaces: Vec<String>,
}

impl Row {
    /// The index's values of a metadata block, in any style and under any of the names
    /// real templates give them.
    pub fn of(meta: Option<&Metadata>) -> Row {
        let get = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| meta?.field(k))
                .map(|f| f.value.clone())
        };
        let text =
            |v: Option<metadata::Value>| v.map(|v| plain(&v.display())).filter(|s| !s.is_empty());
        let authors = match get(&["authors", "author", "Author(s)", "owners", "owner"]) {
            Some(metadata::Value::List(items)) => items.iter().map(|i| plain(&i.value)).collect(),
            Some(metadata::Value::Scalar(s)) => authors(&s),
            _ => Vec::new(),
        };
        Row {
            status: text(get(&["status", "state", "stage"])),
            authors,
            created: text(get(&[
                "created",
                "creation-date",
                "Start Date",
                "start-date",
                "start_date",
                "date",
                "Date",
            ])),
            updated: text(get(&["updated", "last-updated", "Last Updated"])),
            successor: references(get(&["superseded-by", "superseded_by", "Superseded By"]))
                .into_iter()
                .next(),
            replaces: references(get(&["replaces", "supersedes"])),
        }
    }

    /// The row of the RFC at `path` whose text is `text`: from the YAML file beside it that
    /// a template keeps its metadata in (`kep.yaml`), else its first metadata block.
    pub fn read(path: &Path, text: &str, settings: &Settings) -> Row {
        for name in settings
            .templates
            .all
            .iter()
            .filter_map(|t| t.sidecar.as_deref())
        {
            if let Ok(bytes) = super::read_regular(&path.with_file_name(name), 1 << 20)
                && let Ok(yaml) = String::from_utf8(bytes)
            {
                return Row::of(Some(&metadata::read_yaml_text(&yaml)));
            }
        }
        Row::of(metadata::read_head(text).first())
    }

    /// [`Row::read`] of `text` where it is at hand (a buffer, a text just read), else of
    /// the file on disk (the default row when it cannot be read).
    pub fn read_at(path: &Path, text: Option<&str>, settings: &Settings) -> Row {
        match text {
            Some(text) => Row::read(path, text, settings),
            None => {
                let text = super::index::read_markdown(path).unwrap_or_default();
                Row::read(path, &text, settings)
            }
        }
    }
}

/// The rows of files on disk, read again only when a file (or the sidecar beside it)
/// changed: what the editor's `index-stale` reads for each RFC not open.
#[derive(Debug, Default)]
pub struct RowCache(std::sync::Mutex<std::collections::HashMap<PathBuf, (Vec<Stamp>, Row)>>);

/// A file's modification time and size (`None`: not there).
type Stamp = Option<(Option<std::time::SystemTime>, u64)>;

impl RowCache {
    /// The row of the RFC at `path` as its file (and sidecar) are now.
    pub fn row(&self, path: &Path, settings: &Settings) -> Row {
        let stamp = |p: &Path| {
            std::fs::metadata(p)
                .ok()
                .map(|m| (m.modified().ok(), m.len()))
        };
        let mut stamps = vec![stamp(path)];
        stamps.extend(
            (settings.templates.all.iter())
                .filter_map(|t| t.sidecar.as_deref())
                .map(|name| stamp(&path.with_file_name(name))),
        );
        let mut rows = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((kept, row)) = rows.get(path)
            && *kept == stamps
        {
            return row.clone();
        }
        let row = Row::read_at(path, None, settings);
        rows.insert(path.to_path_buf(), (stamps, row.clone()));
        row
    }
}

/// The RFCs of the index: where the configuration names them (`rfcs:`, `files:`) those,
/// else every file that reads as one; sorted by number (`2026-007` is 7, then its year),
/// those without one last, by file.
pub fn rfcs<'i>(
    index: &'i Index,
    settings: &Settings,
    under: &[PathBuf],
) -> Vec<(&'i PathBuf, &'i Arc<Facts>)> {
    let configured = !settings.rfc_globs.is_empty() || !settings.file_templates.is_empty();
    let mut rfcs: Vec<(&PathBuf, &Arc<Facts>)> = (index.files.iter())
        .filter(|(p, f)| {
            f.is_rfc
                && under.iter().any(|u| p.starts_with(u))
                && (!configured || settings.context(Some(p), None).rfc_by_config)
        })
        .collect();
    let key = |f: &Facts| (f.number.is_none(), f.number.map(|n| (n.seq, n.year)));
    rfcs.sort_by(|a, b| (key(a.1), a.0).cmp(&(key(b.1), b.0)));
    rfcs
}

/// The number a reference to another RFC names: `rfc-006`, `RFC 12`, `[RFC-7](x.md)`, a
/// path `/keps/sig-x/583-coscheduling` or `0042-x.md`.
fn number_named(value: &str) -> Option<RfcNumber> {
    let v = plain(value);
    // A repository's own form: `SE-0258`, `KEP-100`.
    let letters = v.bytes().take_while(u8::is_ascii_uppercase).count();
    let own_form = (2..=8)
        .contains(&letters)
        .then(|| v[letters..].strip_prefix(['-', ' ', '_']))
        .flatten()
        .and_then(RfcNumber::parse);
    RfcNumber::parse(&v)
        .or(own_form)
        .or_else(|| RfcNumber::in_title(&v).map(|(_, n)| n))
        .or_else(|| {
            let last = v.trim_end_matches('/').rsplit('/').next()?;
            RfcNumber::in_file_name(last).or_else(|| {
                let digits = last.bytes().take_while(u8::is_ascii_digit).count();
                (digits > 0 && last[digits..].starts_with('-'))
                    .then(|| RfcNumber::parse(&last[..digits]))
                    .flatten()
            })
        })
}

/// Every RFC of the index in the folders (or files) `under` as an [`Entry`], each RFC's
/// [`Row`] from `row`. Successors and predecessors are read both ways: B's `superseded_by:
/// A`... makes B one of A's predecessors, and A's `replaces: B` (KEPs) makes A B's
/// successor where B names none.
pub fn entries(
    index: &Index,
    settings: &Settings,
    under: &[PathBuf],
    row: &dyn Fn(&Path) -> Row,
) -> Vec<Entry> {
    let rfcs: Vec<(&PathBuf, &Arc<Facts>, Option<RfcNumber>, Row)> = rfcs(index, settings, under)
        .into_iter()
        .map(|(path, facts)| {
            let number = (facts.number).or_else(|| crate::analysis::edit::file_number(Some(path)));
            (path, facts, number, row(path))
        })
        .collect();
    let successor_of = |facts: &Facts, row: &Row| {
        (facts.successor.as_ref().map(|s| s.value.clone())).or_else(|| row.successor.clone())
    };
    // Who follows whom, by number.
    let mut predecessors: HashMap<RfcNumber, Vec<RfcNumber>> = HashMap::new();
    let mut successors: HashMap<RfcNumber, RfcNumber> = HashMap::new();
    for (_, facts, number, row) in &rfcs {
        let Some(number) = *number else { continue };
        if let Some(next) = successor_of(facts, row).as_deref().and_then(number_named) {
            predecessors.entry(next).or_default().push(number);
        }
        for before in row.replaces.iter().filter_map(|r| number_named(r)) {
            predecessors.entry(number).or_default().push(before);
            successors.entry(before).or_insert(number);
        }
    }
    let here: std::collections::HashSet<RfcNumber> = rfcs.iter().filter_map(|r| r.2).collect();
    // A first H1 named like a template's section (`# Summary`: early Ember RFCs open with
    // their first section) is no title.
    let section_names: std::collections::HashSet<String> = (settings.templates.all.iter())
        .flat_map(|t| t.sections.iter().map(|s| s.title.trim().to_lowercase()))
        .chain(
            [
                "summary",
                "motivation",
                "abstract",
                "introduction",
                "overview",
            ]
            .map(String::from),
        )
        .collect();
    rfcs.into_iter()
        .map(|(path, facts, number, row)| {
            let rel = path.strip_prefix(&settings.root).unwrap_or(path);
            let mut before: Vec<RfcNumber> = number
                .and_then(|n| predecessors.get(&n).cloned())
                .unwrap_or_default();
            before.retain(|b| here.contains(b));
            before.sort_by_key(|n| (n.seq, n.year));
            before.dedup();
            let successor = successor_of(facts, &row).or_else(|| {
                let next = successors.get(&number?)?;
                here.contains(next).then(|| next.to_string())
            });
            Entry {
                number: number.map(|n| n.to_string()),
                title: (facts.title.as_ref())
                    .map(|t| t.value.clone())
                    .filter(|t| !section_names.contains(&t.trim().to_lowercase())),
                // The metadata's own reading first: an open RFC's row is its buffer's
                // now, while the index may hold its facts from a keystroke before.
                status: row
                    .status
                    .or_else(|| facts.status.as_ref().map(|s| plain(&s.value))),
                authors: row.authors,
                created: row.created,
                updated: row.updated,
                tags: facts.tags.clone(),
                successor,
                predecessors: before.iter().map(ToString::to_string).collect(),
                file: rel.to_string_lossy().replace('\\', "/"),
            }
        })
        .collect()
}

/// The values of a field naming other RFCs: its items, or its one value; without the
/// empty ones and `n/a`.
fn references(value: Option<metadata::Value>) -> Vec<String> {
    let values = match value {
        Some(metadata::Value::List(items)) => items.into_iter().map(|i| i.value).collect(),
        Some(metadata::Value::Scalar(s)) => vec![s],
        _ => Vec::new(),
    };
    values
        .into_iter()
        .map(|v| plain(&v))
        .filter(|v| {
            !v.is_empty() && !v.eq_ignore_ascii_case("n/a") && !v.eq_ignore_ascii_case("none")
        })
        .collect()
}

/// The authors a one-line value names: its parts between commas, semicolons and `and`,
/// and in a part that holds several links, each link's text (`[Ana](a) [Bo](b)`).
fn authors(value: &str) -> Vec<String> {
    let links = |part: &str| -> Vec<String> {
        part.match_indices('[')
            .filter_map(|(i, _)| {
                let (text, rest) = part[i + 1..].split_once("](")?;
                (!text.contains(['[', ']']) && rest.contains(')')).then(|| plain(text))
            })
            .filter(|t| !t.is_empty())
            .collect()
    };
    value
        .split([',', ';'])
        .flat_map(|part| part.split(" and "))
        .map(|a| a.trim().trim_start_matches("and "))
        .flat_map(|part| match links(part) {
            several if several.len() >= 2 => several,
            _ => vec![plain(part)],
        })
        .filter(|a| !a.is_empty())
        .collect()
}

/// A value as text: without emphasis around it, a link as its text
/// (`[Ana](https://example.com/ana)` is `Ana`).
pub fn plain(value: &str) -> String {
    let v = value.trim().trim_matches(['*', '_', '"', '\'']).trim();
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(open) = rest.find('[') {
        let Some((text, after)) = rest[open + 1..].split_once("](") else {
            break;
        };
        let Some(close) = after.find(')') else { break };
        out.push_str(&rest[..open]);
        out.push_str(text);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// The Markdown table of `entries`, each title a link to its file relative to `base` (the
/// folder of the file it goes into).
pub fn table(entries: &[Entry], root: &Path, base: &Path) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out =
        String::from("| RFC | Title | Status | Authors | Updated |\n|---|---|---|---|---|\n");
    for e in entries {
        let link = relative_link(base, &root.join(&e.file));
        let title = e.shown_title();
        out.push_str(&format!(
            "| {} | [{}]({}) | {} | {} | {} |\n",
            e.number.as_deref().unwrap_or(""),
            cell(&title),
            link.replace(' ', "%20"),
            cell(e.status.as_deref().unwrap_or("")),
            cell(&e.authors.join(", ")),
            shown_date(e.updated.as_deref().or(e.created.as_deref()).unwrap_or(""))
        ));
    }
    out
}

/// `to` as a relative link from the folder `from` (as links between RFCs are written).
pub fn relative_link(from: &Path, to: &Path) -> String {
    super::crossdoc::relative(&from.join("index.md"), to)
}

/// The table `rfc-lsp index -o FILE` writes into `file` (absolute) for `block`: the RFCs in
/// the folders it names, linked from `file`'s folder.
pub fn table_for(
    index: &Index,
    settings: &Settings,
    file: &Path,
    block: &Block,
    row: &dyn Fn(&Path) -> Row,
) -> String {
    let base = file.parent().unwrap_or(&settings.root);
    let under = folders(block, file);
    let entries = entries(index, settings, &under, row);
    table(&entries, &settings.root, base)
}

/// The start marker without its end: `<!-- rfc-index:start` and the folders it names, if
/// any, then ` -->`.
pub const START_OPEN: &str = "<!-- rfc-index:start";

/// A marked block of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The start marker's line (without its line break).
    pub marker: Range<usize>,
    /// The bytes between the markers' lines: the table.
    pub body: Range<usize>,
    /// The folders the marker names (`<!-- rfc-index:start ../rfcs -->`), relative to the
    /// file's folder; none: the file's own folder.
    pub paths: Vec<String>,
}

/// The marked block of `text`: a line `<!-- rfc-index:start [FOLDER...] -->`, then a line
/// `<!-- rfc-index:end -->`. `None` without both, each on its own line, in order.
pub fn block(text: &str) -> Option<Block> {
    let mut from = 0;
    let start = loop {
        let at = from + text[from..].find(START_OPEN)?;
        if at == 0 || text[..at].ends_with('\n') {
            break at;
        }
        from = at + START_OPEN.len();
    };
    let line_end = start + text[start..].find('\n')?;
    let marker = text[start..line_end].trim_end();
    let inner = marker.strip_prefix(START_OPEN)?.strip_suffix("-->")?;
    if !(inner.is_empty() || inner.starts_with(' ')) {
        return None;
    }
    let body = line_end + 1;
    let end = body + text[body..].find(END)?;
    let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..end].trim().is_empty() {
        return None;
    }
    Some(Block {
        marker: start..start + marker.len(),
        body: body..line_start,
        paths: inner.split_whitespace().map(str::to_string).collect(),
    })
}

/// The start marker naming `paths` (relative to the file's folder; none: the folder).
pub fn start_marker(paths: &[String]) -> String {
    if paths.is_empty() {
        START.to_string()
    } else {
        format!("{START_OPEN} {} -->", paths.join(" "))
    }
}

/// The folders a block indexes: those its marker names, else the file's own.
pub fn folders(block: &Block, file: &Path) -> Vec<PathBuf> {
    let dir = file.parent().unwrap_or(Path::new("/"));
    if block.paths.is_empty() {
        return vec![dir.to_path_buf()];
    }
    (block.paths.iter())
        .map(|p| super::index::normalize(&dir.join(p)))
        .collect()
}

/// `old` with the table between its markers replaced by `table` and its start marker
/// naming `paths` (a new file: the markers and the table); `None` when `old` lacks the
/// markers.
pub fn splice(old: Option<&str>, table: &str, paths: &[String]) -> Option<String> {
    let marker = start_marker(paths);
    let Some(old) = old else {
        return Some(format!("{marker}\n{table}{END}\n"));
    };
    let b = block(old)?;
    Some(format!(
        "{}{marker}{}{table}{}",
        &old[..b.marker.start],
        &old[b.marker.end..b.body.start],
        &old[b.body.end..]
    ))
}

/// A marked table that is not what `rfc-lsp index` would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The start marker (where the finding is shown).
    pub marker: Range<usize>,
    /// The table's bytes, to be replaced by `table`.
    pub body: Range<usize>,
    pub table: String,
    pub message: String,
}

impl Stale {
    /// The finding, on the start marker.
    pub fn diagnostic(&self, severity: Severity) -> Diagnostic {
        Diagnostic {
            range: self.marker.clone(),
            severity,
            code: "index-stale",
            message: self.message.clone(),
            related: Vec::new(),
            subject: None,
        }
    }
}

/// The `index-stale` finding of `text`, whose marked table should be `table`; `name`: the
/// file as the message names it.
pub fn stale(text: &str, table: &str, name: &str) -> Option<Stale> {
    let Block { marker, body, .. } = block(text)?;
    let old = text[body.clone()].replace("\r\n", "\n");
    if old == table {
        return None;
    }
    Some(Stale {
        marker,
        body,
        table: table.to_string(),
        message: format!(
            "the RFC index is out of date ({}): `rfc-lsp index -o {}` or the quick fix rewrites it",
            differences(&old, table),
            if name.is_empty() { "FILE" } else { name }
        ),
    })
}

/// A table's rows, each known by its link: `(link, cells)`.
fn table_rows(table: &str) -> Vec<(&str, Vec<&str>)> {
    table
        .lines()
        .skip(2)
        .filter_map(|l| {
            let cells: Vec<&str> = (l.trim().trim_matches('|').split(" | "))
                .map(str::trim)
                .collect();
            let link = cells.get(1)?.rsplit_once("](")?.1.trim_end_matches(')');
            Some((link, cells))
        })
        .collect()
}

/// How a message names a row: `RFC 12`, or its title.
fn row_name(cells: &[&str]) -> String {
    match cells.first() {
        Some(n) if !n.is_empty() => format!("RFC {n}"),
        _ => cells
            .get(1)
            .and_then(|c| c.strip_prefix('['))
            .and_then(|c| c.split_once("]("))
            .map_or_else(String::new, |(t, _)| t.to_string()),
    }
}

/// At most three names, and how many more.
fn some_of(names: Vec<String>) -> String {
    let more = names.len().saturating_sub(3);
    let mut s = names.into_iter().take(3).collect::<Vec<_>>().join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// What differs between two tables, by row (a row is known by its link): `2 RFC(s)
/// missing: RFC 12, RFC 13; 1 changed: RFC 7: Status `Draft` → `Accepted``.
fn differences(old: &str, new: &str) -> String {
    let (old, new) = (table_rows(old), table_rows(new));
    let missing: Vec<String> = (new.iter())
        .filter(|(l, _)| !old.iter().any(|(o, _)| o == l))
        .map(|(_, c)| row_name(c))
        .collect();
    let gone: Vec<String> = (old.iter())
        .filter(|(l, _)| !new.iter().any(|(n, _)| n == l))
        .map(|(_, c)| row_name(c))
        .collect();
    const COLUMNS: [&str; 6] = ["RFC", "Title", "Status", "Authors", "Updated", ""];
    let changed: Vec<String> = (new.iter())
        .filter_map(|(l, cells)| {
            let (_, was) = old.iter().find(|(o, _)| o == l)?;
            let col = (0..cells.len().max(was.len())).find(|&i| cells.get(i) != was.get(i))?;
            Some(format!(
                "{}: {} `{}` → `{}`",
                row_name(cells),
                COLUMNS[col.min(5)],
                was.get(col).unwrap_or(&""),
                cells.get(col).unwrap_or(&"")
            ))
        })
        .collect();
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!(
            "{} RFC(s) missing: {}",
            missing.len(),
            some_of(missing)
        ));
    }
    if !gone.is_empty() {
        parts.push(format!(
            "{} listed that are no RFCs here: {}",
            gone.len(),
            some_of(gone)
        ));
    }
    if !changed.is_empty() {
        parts.push(format!("{} changed: {}", changed.len(), some_of(changed)));
    }
    if parts.is_empty() {
        parts.push("its rows or their order differ".to_string());
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::{END, START, plain, relative_link, splice, stale};
    use std::path::Path;

    #[test]
    fn the_table_goes_between_the_markers_and_nothing_else_moves() {
        let old = format!("# RFCs\n\nIntro.\n\n{START}\nold table\n{END}\n\nOutro.\n");
        let new = splice(Some(&old), "| t |\n", &[]).expect("markers");
        assert_eq!(
            new,
            format!("# RFCs\n\nIntro.\n\n{START}\n| t |\n{END}\n\nOutro.\n")
        );
        assert_eq!(
            splice(Some(&new), "| t |\n", &[]).as_deref(),
            Some(new.as_str())
        );
        assert_eq!(splice(Some("# No markers\n"), "| t |\n", &[]), None);
        assert_eq!(
            splice(None, "| t |\n", &[]),
            Some(format!("{START}\n| t |\n{END}\n"))
        );
        // Markers quoted in the text are none.
        assert_eq!(
            splice(Some(&format!("Write `{START}` and `{END}`.\n")), "x\n", &[]),
            None
        );
        // The folders indexed are said in the start marker, and read from it.
        let named = splice(Some(&new), "| t |\n", &["../rfcs".into()]).expect("markers");
        assert!(
            named.contains("\n<!-- rfc-index:start ../rfcs -->\n| t |\n"),
            "{named}"
        );
        let b = super::block(&named).expect("a block");
        assert_eq!(b.paths, ["../rfcs"]);
        assert_eq!(
            super::folders(&b, Path::new("/r/docs/index.md")),
            [Path::new("/r/rfcs")]
        );
    }

    #[test]
    fn a_stale_table_says_which_rfcs_differ() {
        let head = "| RFC | Title | Status | Authors | Updated |\n|---|---|---|---|---|\n";
        let a = "| 1 | [A](rfcs/a.md) | Draft | Ana | |\n";
        let a2 = "| 1 | [A](rfcs/a.md) | Accepted | Ana | |\n";
        let b = "| 2 | [B](rfcs/b.md) | Draft | Bo | |\n";
        let doc = format!("# RFCs\n\n{START}\n{head}{a}{END}\n");
        let now = format!("{head}{a2}{b}");
        let s = stale(&doc, &now, "").expect("stale");
        assert_eq!(&doc[s.marker.clone()], START);
        assert_eq!(&doc[s.body.clone()], format!("{head}{a}"));
        assert!(
            s.message.contains("1 RFC(s) missing: RFC 2")
                && s.message.contains("RFC 1: Status `Draft` → `Accepted`"),
            "{}",
            s.message
        );
        assert_eq!(stale(&doc, &format!("{head}{a}"), ""), None);
        // A table written with CRLF line ends is the same table.
        let crlf = format!("{START}\r\n{head}{a}{END}\r\n")
            .replace('\n', "\r\n")
            .replace("\r\r", "\r");
        assert_eq!(stale(&crlf, &format!("{head}{a}"), ""), None);
    }

    #[test]
    fn an_rfc_without_a_title_is_shown_by_its_files_name() {
        let entry = |title: Option<&str>, file: &str| super::Entry {
            number: None,
            title: title.map(str::to_string),
            status: None,
            authors: Vec::new(),
            created: None,
            updated: None,
            tags: Vec::new(),
            successor: None,
            predecessors: Vec::new(),
            file: file.to_string(),
        };
        assert_eq!(
            entry(None, "text/0001-private-fields.md").shown_title(),
            "private fields"
        );
        assert_eq!(entry(Some("T"), "text/0001-x.md").shown_title(), "T");
        assert_eq!(
            entry(None, "keps/1234-x/README.md").shown_title(),
            "keps/1234-x/README.md"
        );
        assert_eq!(entry(None, "rfcs/0042.md").shown_title(), "rfcs/0042.md");
    }

    #[test]
    fn a_successor_or_a_replaced_rfc_is_known_by_its_number() {
        let n = |v: &str| super::number_named(v).map(|n| n.to_string());
        assert_eq!(n("rfc-006").as_deref(), Some("6"));
        assert_eq!(
            n("[SE-0258](0258-property-wrappers.md)").as_deref(),
            Some("258")
        );
        assert_eq!(
            n("/keps/sig-scheduling/583-coscheduling").as_deref(),
            Some("583")
        );
        assert_eq!(n("https://example.com/design/scheduler.md"), None);
    }

    #[test]
    fn dates_are_shown_without_their_time() {
        assert_eq!(super::shown_date("2014-08-18T00:00:00.000Z"), "2014-08-18");
        assert_eq!(super::shown_date("2014-08-18"), "2014-08-18");
        assert_eq!(super::shown_date("9 Feb 2026"), "9 Feb 2026");
    }

    #[test]
    fn authors_are_split_by_links_commas_and_and() {
        use super::authors;
        assert_eq!(
            authors("[Jo Ha](https://x/jo) [Mi Il](https://x/mi)"),
            ["Jo Ha", "Mi Il"]
        );
        assert_eq!(authors("[A](a), B C, [D](d)"), ["A", "B C", "D"]);
        assert_eq!(
            authors("Ana Souza, Bo Li and Cy"),
            ["Ana Souza", "Bo Li", "Cy"]
        );
        assert_eq!(authors("[Ana](https://x/ana)"), ["Ana"]);
        assert_eq!(
            authors("Priya Raman (priya@example.com)"),
            ["Priya Raman (priya@example.com)"]
        );
    }

    #[test]
    fn values_lose_their_emphasis_and_links_keep_their_text() {
        assert_eq!(
            plain("**Implemented (Swift 5.9)**"),
            "Implemented (Swift 5.9)"
        );
        assert_eq!(plain("[Ana Souza](https://example.com/ana)"), "Ana Souza");
        assert_eq!(plain("by [A](x) and [B](y)."), "by A and B.");
        assert_eq!(plain("\"@hana\""), "@hana");
    }

    #[test]
    fn links_are_relative_to_the_file_they_are_written_in() {
        assert_eq!(
            relative_link(Path::new("/r"), Path::new("/r/rfcs/a.md")),
            "rfcs/a.md"
        );
        assert_eq!(
            relative_link(Path::new("/r/docs"), Path::new("/r/rfcs/a.md")),
            "../rfcs/a.md"
        );
    }
}
