//! The template layer: what an RFC of a given kind must contain.
//!
//! A template is a Markdown skeleton (its headings define the sections, in order, with
//! their levels and parents; its metadata block shows the metadata style and the fields)
//! plus a schema (YAML): presence of each section, the rule of each field, the title rule.
//! The five built-in templates and a team's own templates are loaded by the same code:
//! [`Template::load`].

pub(crate) mod builtin;
mod schema;

use std::ops::Range;
use std::sync::Arc;

use regex::Regex;

use crate::syntax::Document;
use crate::syntax::yaml::Node;

pub use builtin::builtins;

/// Where a template keeps its metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Frontmatter,
    BoldLines,
    StatusSection,
    /// Plain `- Key: value` list items at the top or under the title.
    ListLines,
    /// A key/value Markdown table at the top or under the title.
    Table,
}

impl Style {
    pub fn describe(self) -> &'static str {
        match self {
            Style::Frontmatter => "YAML frontmatter",
            Style::BoldLines => "bold lines under the title",
            Style::StatusSection => "Status section",
            Style::ListLines => "list of `Key: value` lines at the top",
            Style::Table => "key/value table at the top",
        }
    }
}

/// How much a template insists on a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Presence {
    Optional,
    Recommended,
    Required,
}

impl Presence {
    pub fn name(self) -> &'static str {
        match self {
            Presence::Optional => "optional",
            Presence::Recommended => "recommended",
            Presence::Required => "required",
        }
    }

    fn parse(s: &str) -> Option<Presence> {
        match s.trim().to_ascii_lowercase().as_str() {
            "optional" => Some(Presence::Optional),
            "recommended" => Some(Presence::Recommended),
            "required" => Some(Presence::Required),
            _ => None,
        }
    }
}

/// One section of the skeleton.
#[derive(Debug, Clone)]
pub struct SectionSpec {
    /// The heading text as the skeleton writes it (`Alternative 1: [Approach Name]`).
    pub title: String,
    pub level: u8,
    pub parent: Option<usize>,
    pub presence: Presence,
    /// The skeleton's body of the section (up to its first subsection): the placeholder
    /// text inserted with the section, and the guidance shown on hover.
    pub body: String,
    /// An example heading that stands for "zero or more headings of this level here"
    /// (`#### Component A`, `### Alternative 1: [Approach Name]`, `### [YYYY-MM-DD] -
    /// Version 1.0`): never missing, never a duplicate, outside the order check.
    pub slot: bool,
    matcher: HeadingMatcher,
    /// Other headings that name this section (`aliases:`), normalised: a section the
    /// repository renamed (`Rejected ideas` for `Alternatives`).
    pub aliases: Vec<String>,
    /// The heading's words without a note in parentheses, for [`SectionSpec::renamed_as`]:
    /// made once, on first use.
    rename_words: std::sync::OnceLock<Vec<String>>,
}

/// The words of a normalised heading, as [`SectionSpec::renamed_as`] compares them.
pub fn heading_words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

impl SectionSpec {
    /// Whether a document heading's text is this section's heading.
    /// Whether a heading no section matched reads as this one renamed: most of the words of
    /// each in the other (`Production Readiness Questionnaire` for `Production Readiness
    /// Review Questionnaire`, a question shortened). `theirs`: the heading's
    /// [`heading_words`].
    pub fn renamed_as(&self, theirs: &[&str]) -> bool {
        if self.slot || self.matcher.wildcard {
            return false;
        }
        let ours = self.rename_words.get_or_init(|| {
            // Without a note in parentheses: `Can the feature be disabled once it has been
            // enabled (i.e. can we roll back the enablement)?`.
            let literal = &self.matcher.literal;
            let literal = match (literal.find(" ("), literal.rfind(')')) {
                (Some(a), Some(b)) if a < b => format!("{}{}", &literal[..a], &literal[b + 1..]),
                _ => literal.clone(),
            };
            heading_words(&literal).map(str::to_string).collect()
        });
        let shared = ours.iter().filter(|w| theirs.contains(&w.as_str())).count();
        shared >= 2 && shared * 4 >= ours.len() * 3 && shared * 5 >= theirs.len() * 3
    }

    pub fn matches(&self, text: &str) -> bool {
        if !self.aliases.is_empty() && self.aliases.contains(&normalize(text)) {
            return true;
        }
        self.matcher.matches(text)
    }

    /// Whether the heading text still holds the skeleton's placeholder part, e.g.
    /// `Alternative 1: [Approach Name]` left as it is.
    pub fn heading_is_placeholder(&self, text: &str) -> bool {
        self.matcher.wildcard && normalize(text) == normalize(&self.title)
    }
}

/// Whether a skeleton heading is an example of a kind of heading rather than a section of
/// its own: it holds a placeholder (`[Name]`, `<TITLE>`, `YYYY`), or it ends in an
/// enumeration (`Component A`, `Phase 2`, `Risk 1`).
pub fn is_slot_heading(title: &str) -> bool {
    let t = title.trim();
    let marked = |open: char, close: char| {
        t.find(open)
            .is_some_and(|a| t[a..].find(close).is_some_and(|b| b > 1))
    };
    if marked('[', ']') || marked('<', '>') || t.contains("YYYY") {
        return true;
    }
    let last = t
        .trim_end_matches([':', '.'])
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("");
    t.contains(' ')
        && (last.len() == 1 && last.chars().all(|c| c.is_ascii_uppercase())
            || (!last.is_empty() && last.len() <= 2 && last.chars().all(|c| c.is_ascii_digit())))
}

/// The keys under which a line of prose is compared with a template's guidance: the line
/// and each of its sentences of four words or more, with list markers, emphasis and case
/// folded (FNV-1a of the folded text). Headings, table rows, HTML, task items and lines of
/// fewer than three words have none: they are structure or too common to tell.
pub fn guidance_keys(line: &str) -> Vec<u64> {
    let mut t = line.trim();
    while let Some(r) = t.strip_prefix('>') {
        t = r.trim_start();
    }
    if t.is_empty() || t.starts_with(['#', '|', '<']) {
        return Vec::new();
    }
    if let Some(r) = t.strip_prefix(['-', '*', '+'])
        && r.starts_with(' ')
    {
        t = r.trim_start();
    } else {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && t[digits..].starts_with(['.', ')']) && t[digits + 1..].starts_with(' ') {
            t = t[digits + 1..].trim_start();
        }
    }
    if ["[ ]", "[x]", "[X]"].iter().any(|b| t.starts_with(b)) {
        return Vec::new();
    }
    let folded: String = t
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`'))
        .flat_map(char::to_lowercase)
        .collect();
    let joined = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    let trim = |s: &str| -> String {
        s.trim_end_matches(['.', ':', ';', ',', '!', '?', ' '])
            .trim()
            .to_string()
    };
    let whole = trim(&joined);
    let words = whole.split(' ').count();
    // A short lead-in (`**Response** (200 OK):`) is structure authors keep.
    if words < 3 || (joined.ends_with(':') && words <= 4) {
        return Vec::new();
    }
    let mut keys = vec![fnv1a(&whole)];
    let marked = joined.replace("? ", ". ").replace("! ", ". ");
    for sentence in marked.split(". ") {
        let sentence = trim(sentence);
        // A labelled sentence (`Phase 3: full rollout. Then ...`) is the template's
        // structure, elaborated: only a whole line left as it was counts.
        if sentence != whole && sentence.split(' ').count() >= 4 && !sentence.contains(':') {
            keys.push(fnv1a(&sentence));
        }
    }
    keys
}

/// FNV-1a, 64 bits: a stable hash (the built-ins' guidance keys are stored as its values).
pub fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Matches heading text, ignoring case, spacing and a trailing colon; a `[...]` part of a
/// skeleton heading matches any text (one character or more). Matched by hand, not by a
/// regex: a skeleton heading with thousands of `[x]` would make a pattern too big to build.
#[derive(Debug, Clone)]
struct HeadingMatcher {
    literal: String,
    /// The literal parts around the `[...]` parts (one more than those); empty when
    /// the heading has none.
    parts: Vec<String>,
    wildcard: bool,
}

impl HeadingMatcher {
    fn new(title: &str) -> HeadingMatcher {
        let norm = normalize(title);
        let mut parts = Vec::new();
        let mut rest = norm.as_str();
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find(']') else {
                break;
            };
            parts.push(rest[..open].to_string());
            rest = &rest[open + close + 1..];
        }
        if !parts.is_empty() {
            parts.push(rest.to_string());
        }
        HeadingMatcher {
            wildcard: !parts.is_empty(),
            literal: norm,
            parts,
        }
    }

    fn matches(&self, text: &str) -> bool {
        let norm = normalize(text);
        norm == self.literal || (self.wildcard && glob(&self.parts, &norm))
    }
}

/// Whether `text` is `parts` joined by runs of one character or more: the leftmost place
/// of each inner part is the one to take, so one pass decides.
fn glob(parts: &[String], text: &str) -> bool {
    let (Some((first, rest)), Some(last)) = (parts.split_first(), parts.last()) else {
        return false;
    };
    let Some(mut at) = text.strip_prefix(first.as_str()).map(|_| first.len()) else {
        return false;
    };
    let one_char = |at: usize| text[at..].chars().next().map(|c| at + c.len_utf8());
    for part in &rest[..rest.len() - 1] {
        let Some(from) = one_char(at) else {
            return false;
        };
        match text[from..].find(part.as_str()) {
            Some(i) => at = from + i + part.len(),
            None => return false,
        }
    }
    one_char(at)
        .is_some_and(|from| text.len() >= from + last.len() && text.ends_with(last.as_str()))
}

/// How headings are compared: lowercase, single spaces, without what decorates a
/// heading rather than names it: HTML (`<!-- omit in toc -->`, `<a name="x"></a>`), a
/// leading section number (`2.`, `2.1`, `IV.`), emphasis around it, an `(Optional)` mark
/// and trailing punctuation.
pub fn normalize(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let tag = &rest[open + 1..];
        const TAGS: &[&str] = &[
            "a", "b", "i", "u", "s", "em", "strong", "code", "span", "sup", "sub", "br", "small",
            "img", "kbd", "del", "ins", "mark", "abbr", "font",
        ];
        let name = tag.strip_prefix('/').unwrap_or(tag);
        let name_len = name.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let is_html = tag.starts_with("!--")
            || TAGS.contains(&name[..name_len].to_ascii_lowercase().as_str())
                && name[name_len..].starts_with([' ', '>', '/', '\t']);
        let end = if tag.starts_with("!--") {
            tag.find("-->").map(|e| e + 3)
        } else {
            tag.find('>').map(|e| e + 1)
        };
        match (is_html, end) {
            (true, Some(e)) => {
                plain.push_str(&rest[..open]);
                plain.push(' ');
                rest = &tag[e..];
            }
            _ => {
                plain.push_str(&rest[..open + 1]);
                rest = tag;
            }
        }
    }
    plain.push_str(rest);
    let joined = plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let mut t = joined.as_str();
    // `### **Dependencies**`: emphasis around the whole heading.
    for mark in ["**", "__", "*", "_"] {
        if t.len() > 2 * mark.len() && t.starts_with(mark) && t.ends_with(mark) {
            t = t[mark.len()..t.len() - mark.len()].trim();
            break;
        }
    }
    // `2.`, `2.1`, `2.1.`, `A.`, `IV.` followed by the name.
    if let Some((first, after)) = t.split_once(' ') {
        let numbered = first
            .trim_end_matches('.')
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            || first.len() <= 5
                && first.ends_with('.')
                && first[..first.len() - 1]
                    .chars()
                    .all(|c| matches!(c, 'i' | 'v' | 'x'))
                && first.len() > 1;
        if numbered && !after.is_empty() {
            t = after;
        }
    }
    let t = t.trim_end_matches([':', '.', '?', '!', ' ']);
    let t = t.strip_suffix("(optional)").unwrap_or(t);
    t.trim_end_matches([':', '.', '?', '!', ' ']).to_string()
}

/// Whether `value` is a web address, bare or in angle brackets, or a Markdown link (or
/// several, `[a](u), [b](v)`) to one.
pub fn is_url_value(value: &str) -> bool {
    let url = |u: &str| {
        let u = u.trim();
        let u = u
            .strip_prefix('<')
            .and_then(|u| u.strip_suffix('>'))
            .unwrap_or(u);
        (u.starts_with("https://") || u.starts_with("http://"))
            && u.len() > 8
            && !u.contains(char::is_whitespace)
    };
    let v = value.trim();
    if url(v) {
        return true;
    }
    // `[text](url)` once or more, separated by commas or spaces.
    let mut rest = v;
    let mut links = 0;
    while let Some(open) = rest.strip_prefix('[') {
        let Some((_, after)) = open.split_once("](") else {
            return false;
        };
        let Some((target, tail)) = after.split_once(')') else {
            return false;
        };
        if !url(target) {
            return false;
        }
        links += 1;
        rest = tail.trim_start_matches([',', ' ', ';']);
    }
    links > 0 && rest.is_empty()
}

/// The rule a field's value must follow.
#[derive(Debug, Clone)]
pub enum FieldKind {
    Text,
    /// Any value YAML can hold: text, a list, a mapping (`prs: { accepted: url }`).
    Any,
    /// One of `values`, or (`multiple`) a comma-separated list of them.
    Enum {
        values: Vec<String>,
        multiple: bool,
    },
    /// An ISO 8601 date (with `time`, optionally with a time of day too:
    /// `2024-02-22T00:00:00.000Z`), not before the date in field `not_before`.
    Date {
        not_before: Option<String>,
        time: bool,
    },
    Uuid,
    /// A value matching `pattern`; with `file_number`, its number must be the file name's;
    /// with `starts_with`, it must start with that field's value; with `number_of`, its
    /// number must equal that field's number.
    Pattern {
        pattern: Regex,
        file_number: bool,
        starts_with: Option<String>,
        number_of: Option<String>,
    },
    /// A list whose items match `item` (if given), each once.
    List {
        item: Option<Regex>,
    },
    /// Equal to `project.id` of the workspace's docs-project.yaml.
    ProjectId,
    /// A web address, bare (`https://x`, `<https://x>`) or as a Markdown link's target
    /// (`[rfcs#12](https://x)`); with `multiple`, a list of them (YAML, or separated by
    /// commas).
    Url {
        multiple: bool,
    },
}

impl FieldKind {
    pub fn name(&self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Any => "any value",
            FieldKind::Enum { .. } => "one of a list of values",
            FieldKind::Date { time: false, .. } => "a date (YYYY-MM-DD)",
            FieldKind::Date { time: true, .. } => "a date, or a date and time (ISO 8601)",
            FieldKind::Uuid => "a UUID v4",
            FieldKind::Pattern { .. } => "text of a set form",
            FieldKind::List { .. } => "a list",
            FieldKind::ProjectId => "the project id",
            FieldKind::Url { multiple: false } => "a URL or a link",
            FieldKind::Url { multiple: true } => "URLs or links",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub key: String,
    pub required: bool,
    pub kind: FieldKind,
    pub description: String,
    /// The skeleton's value for the field: a placeholder.
    pub example: String,
}

/// What the title (the first H1) must look like.
#[derive(Debug, Clone, Default)]
pub struct TitleSpec {
    /// The skeleton's title: a document still carrying it has not been titled.
    pub placeholder: String,
    pub pattern: Option<Regex>,
    /// The H1 must equal this metadata field's value.
    pub field: Option<String>,
}

/// A template, built in or the team's own.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub description: String,
    pub style: Style,
    pub title: TitleSpec,
    pub sections: Vec<SectionSpec>,
    pub fields: Vec<FieldSpec>,
    /// The key of the lifecycle status field (`status`, `state`, `Status`).
    pub status_field: Option<String>,
    /// The skeleton Markdown, for `rfc-lsp templates` and for scaffolding.
    pub skeleton: String,
    pub builtin: bool,
    /// Keys ([`guidance_keys`]) of the skeleton's guidance lines and sentences, and for a
    /// built-in those of the team template it models: such a line left in an RFC is
    /// placeholder text.
    pub guidance: std::collections::HashSet<u64>,
    /// The skeleton sets its guidance in blockquotes (`> Why are we doing this?`): a quoted
    /// question in an RFC is then the template's note left in, not the writer's prompt.
    pub guidance_quoted: bool,
    /// Every word of the sections' headings: a heading with fewer than two of them is no
    /// section renamed ([`Template::may_be_renamed`]). Made once, on first use.
    heading_vocabulary: std::sync::OnceLock<std::collections::HashSet<String>>,
    /// The YAML file beside each document that holds its metadata (`kep.yaml`), if the
    /// template keeps it there rather than in the document.
    pub sidecar: Option<String>,
    /// Sections by normalised heading text, and those whose heading has a `[...]` part:
    /// matching a heading is one lookup plus a few patterns, not a scan of all sections.
    by_heading: std::collections::HashMap<String, Vec<usize>>,
    wildcards: Vec<usize>,
}

/// A problem in a template's schema or skeleton, at a byte range of the schema's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    pub range: Range<usize>,
    pub message: String,
}

impl Template {
    /// Builds a template from its schema (a YAML mapping, see `builtin/*.yaml`) and its
    /// skeleton. Problems in the schema are reported and the rest still loads.
    ///
    /// `sidecar`: the text of the skeleton's metadata file when the template keeps its
    /// metadata in a YAML file beside each document (`sidecar: kep.yaml`).
    pub fn load(
        schema: &Node,
        skeleton: &str,
        sidecar: Option<&str>,
        builtin: bool,
    ) -> (Template, Vec<SchemaProblem>) {
        schema::load(schema, skeleton, sidecar, builtin)
    }

    /// The sections whose heading matches `normalized` (a heading passed through
    /// [`normalize`]), in template order.
    pub fn candidates<'a>(&'a self, normalized: &'a str) -> impl Iterator<Item = usize> + 'a {
        let mut found: Vec<usize> = self.by_heading.get(normalized).cloned().unwrap_or_default();
        found.extend(self.wildcards.iter().copied().filter(|&j| {
            let m = &self.sections[j].matcher;
            m.wildcard && glob(&m.parts, normalized)
        }));
        found.sort_unstable();
        found.dedup();
        found.into_iter()
    }

    fn index_headings(&mut self) {
        self.by_heading.clear();
        self.wildcards.clear();
        for (j, s) in self.sections.iter().enumerate() {
            for name in std::iter::once(&s.matcher.literal).chain(&s.aliases) {
                self.by_heading.entry(name.clone()).or_default().push(j);
            }
            if s.matcher.wildcard {
                self.wildcards.push(j);
            }
        }
    }

    /// Whether a heading (normalised) shares two words or more with the template's
    /// headings: only then may it be one of its sections renamed. No allocation.
    pub fn may_be_renamed(&self, normalized: &str) -> bool {
        let vocabulary = self.heading_vocabulary.get_or_init(|| {
            (self.sections.iter())
                .flat_map(|s| {
                    heading_words(&s.matcher.literal)
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .collect()
        });
        heading_words(normalized)
            .filter(|w| vocabulary.contains(*w))
            .nth(1)
            .is_some()
    }

    /// The field a document's `key` stands for (loosely in prose styles: `Authors` for
    /// `Author(s)`, see [`crate::text::fields::same_key`]).
    pub fn field(&self, key: &str) -> Option<&FieldSpec> {
        let loose = self.style != Style::Frontmatter;
        (self.fields.iter()).find(|f| crate::text::fields::same_key(&f.key, key, loose))
    }

    pub fn status_values(&self) -> &[String] {
        match self
            .status_field
            .as_deref()
            .and_then(|k| self.field(k))
            .map(|f| &f.kind)
        {
            Some(FieldKind::Enum { values, .. }) => values,
            _ => &[],
        }
    }

    /// A section's path: `Motivation > Goals`.
    pub fn path(&self, index: usize) -> String {
        let mut parts = vec![self.sections[index].title.as_str()];
        let mut at = self.sections[index].parent;
        while let Some(p) = at {
            parts.push(self.sections[p].title.as_str());
            at = self.sections[p].parent;
        }
        parts.reverse();
        parts.join(" > ")
    }

    /// The heading line of a section, as the skeleton writes it (`### Goals`).
    pub fn heading_line(&self, index: usize) -> String {
        let s = &self.sections[index];
        format!("{} {}", "#".repeat(s.level as usize), s.title)
    }
}

/// What a skeleton's outline says: its title, sections and metadata block.
pub(crate) struct SkeletonOutline {
    pub title: String,
    pub sections: Vec<(String, u8, Option<usize>, String)>,
    pub style: Option<Style>,
    pub fields: Vec<(String, String)>,
    /// The prose lines of the sections (from the first section after the title; not in
    /// code, HTML or comments; headings left out): the skeleton's guidance.
    pub prose: Vec<String>,
}

/// Reads a skeleton with the same syntax layer that reads documents.
pub(crate) fn read_skeleton(skeleton: &str) -> SkeletonOutline {
    let doc = Document::new(skeleton, 0);
    let snapshot = doc.snapshot();
    let outline = &snapshot.outline;
    let title_index = outline.headings.iter().position(|h| h.level == 1);
    let title = title_index
        .map(|i| outline.headings[i].name.to_string())
        .unwrap_or_default();
    let all = outline.sections();
    let mut sections = Vec::new();
    let mut index_of = vec![None; all.len()];
    for (i, s) in all.iter().enumerate() {
        if Some(i) == title_index {
            continue;
        }
        let heading = &outline.headings[s.heading];
        let body_end = outline
            .headings
            .get(i + 1)
            .map_or(outline.len, |h| h.range.start);
        let body = snapshot
            .slice(heading.range.end..body_end)
            .trim()
            .to_string();
        let parent = s.parent.and_then(|p| index_of[p]);
        index_of[i] = Some(sections.len());
        sections.push((heading.name.to_string(), heading.level, parent, body));
    }
    let (style, fields) = skeleton_metadata(skeleton, &snapshot);
    let first_section = outline
        .headings
        .iter()
        .enumerate()
        .find(|(i, _)| Some(*i) != title_index && title_index.is_none_or(|t| *i > t))
        .map_or(skeleton.len(), |(_, h)| h.range.start);
    let mut prose = Vec::new();
    let mut at = 0;
    let mut in_comment = false;
    for line in skeleton.split_inclusive('\n') {
        let here = at;
        at += line.len();
        let lead = line.len() - line.trim_start().len();
        // Guidance in an HTML comment (`<!-- This section is for ... -->`) is guidance
        // too, once a writer takes the comment marks away: its sentences of prose, not its
        // examples (`- Feature implemented behind a feature flag`) that writers copy.
        let t = line.trim();
        if in_comment || t.starts_with("<!--") {
            let inner = t.trim_start_matches("<!--");
            let closes = inner.contains("-->");
            let inner = inner.split("-->").next().unwrap_or("").trim();
            let sentence = !inner.starts_with(['-', '*', '+', '#', '|', '<', '['])
                && inner.split_whitespace().count() >= 6;
            let in_code = (outline.code_blocks.iter()).any(|c| c.range.contains(&(here + lead)));
            if here >= first_section && sentence && !in_code {
                prose.push(inner.to_string());
            }
            in_comment = !closes && (in_comment || !t.contains("-->"));
            continue;
        }
        if here >= first_section
            && !line.trim().is_empty()
            && !outline.in_code_or_html(here + lead)
            && !outline
                .headings
                .iter()
                .any(|h| h.range.contains(&(here + lead)))
        {
            prose.push(line.trim_end().to_string());
        }
    }
    SkeletonOutline {
        title,
        sections,
        style,
        fields,
        prose,
    }
}

/// The keys of a YAML mapping with each value as written (a skeleton's frontmatter, or
/// the YAML file a template keeps its metadata in).
pub(crate) fn yaml_fields(body: &str) -> Vec<(String, String)> {
    let (root, _) = crate::syntax::yaml::parse(body, 0);
    root.map(|r| {
        r.entries()
            .iter()
            .map(|(k, v)| {
                let value = body[v.range()].to_string();
                (k.as_str().unwrap_or_default().to_string(), value)
            })
            .collect()
    })
    .unwrap_or_default()
}

fn skeleton_metadata(
    text: &str,
    snapshot: &crate::syntax::document::Snapshot,
) -> (Option<Style>, Vec<(String, String)>) {
    let outline = &snapshot.outline;
    if let Some(fm) = &outline.frontmatter {
        return (
            Some(Style::Frontmatter),
            yaml_fields(&text[fm.body.clone()]),
        );
    }
    // Bold lines directly under the title, or list items of a Status section.
    let lines: Vec<&str> = text.lines().collect();
    let mut fields = Vec::new();
    let mut style = None;
    let mut in_status = false;
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            let heading = trimmed.trim_start_matches('#').trim();
            in_status = heading.eq_ignore_ascii_case("status");
            if trimmed.starts_with("## ") && !fields.is_empty() {
                break;
            }
            continue;
        }
        if let Some((k, v)) = parse_bold(line) {
            let is_item = trimmed.starts_with(['-', '*', '+']) && !trimmed.starts_with("**");
            if is_item && in_status {
                style = Some(Style::StatusSection);
            } else if !is_item && style.is_none() {
                style = Some(Style::BoldLines);
            } else if style == Some(Style::BoldLines) && is_item {
                continue;
            }
            fields.push((k, v));
        }
    }
    if fields.is_empty() {
        let (style, fields) = list_metadata(text);
        if style.is_some() {
            return (style, fields);
        }
        return table_metadata(text);
    }
    (style, fields)
}

/// A key/value table opening the skeleton, or right under its title (its second line is
/// the delimiter row; the header row is a field unless it names the columns).
fn table_metadata(text: &str) -> (Option<Style>, Vec<(String, String)>) {
    use crate::text::fields::{is_table_delimiter, table_cells, table_field};
    let mut fields = Vec::new();
    let mut rows = 0;
    for line in text.lines() {
        let t = line.trim();
        if rows == 0 && (t.is_empty() || t.starts_with("# ") || t.starts_with("<!--")) {
            continue;
        }
        let in_table = match rows {
            1 => is_table_delimiter(line),
            _ => table_cells(line).is_some(),
        };
        if !in_table {
            break;
        }
        rows += 1;
        if rows == 2 {
            continue;
        }
        match table_field(line) {
            Some((k, _)) if rows == 1 && crate::text::fields::generic_header(&line[k.clone()]) => {}
            Some((k, v)) => fields.push((line[k].to_string(), line[v].to_string())),
            None => {}
        }
    }
    if rows < 2 {
        fields.clear();
    }
    let style = (!fields.is_empty()).then_some(Style::Table);
    (style, fields)
}

/// Plain `- Key: value` items opening the skeleton, or right under its title.
fn list_metadata(text: &str) -> (Option<Style>, Vec<(String, String)>) {
    let mut fields = Vec::new();
    let mut in_comment = false;
    for line in text.lines() {
        let t = line.trim();
        if in_comment {
            in_comment = !t.contains("-->");
            continue;
        }
        if t.starts_with("<!--") {
            in_comment = !t.contains("-->");
            continue;
        }
        if t.is_empty() && fields.is_empty() || t.starts_with("# ") && fields.is_empty() {
            continue;
        }
        match crate::text::fields::list_field(line) {
            Some((k, v)) => fields.push((line[k].to_string(), line[v].to_string())),
            None if line.starts_with("  ") && !fields.is_empty() => {}
            None => break,
        }
    }
    let style = (!fields.is_empty()).then_some(Style::ListLines);
    (style, fields)
}

/// `**Key**: value` / `**Key:** value` / `- **Key**: value` → (key, value).
fn parse_bold(line: &str) -> Option<(String, String)> {
    let t = line.trim_start();
    let t = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .unwrap_or(t)
        .trim_start();
    let rest = t.strip_prefix("**")?;
    let close = rest.find("**")?;
    let inner = &rest[..close];
    let after = &rest[close + 2..];
    let (key, value) = if let Some(k) = inner.strip_suffix(':') {
        (k, after)
    } else {
        (inner, after.strip_prefix(':')?)
    };
    (!key.trim().is_empty()).then(|| (key.trim().to_string(), value.trim().to_string()))
}

/// The set of templates in force: the built-ins and the team's own (theirs first, so a
/// custom template may take a built-in's name and replace it).
#[derive(Debug, Clone)]
pub struct Templates {
    pub all: Vec<Arc<Template>>,
}

impl Templates {
    /// The templates' names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.all.iter().map(|t| t.name.as_str()).collect()
    }

    pub fn builtin() -> Templates {
        Templates {
            all: builtins().to_vec(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Arc<Template>> {
        self.all.iter().find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// Adds custom templates; one with a built-in's name replaces it.
    pub fn with(mut self, custom: Vec<Arc<Template>>) -> Templates {
        for t in custom.into_iter().rev() {
            self.all.retain(|b| !b.name.eq_ignore_ascii_case(&t.name));
            self.all.insert(0, t);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_values() {
        for yes in [
            "https://example.com/x",
            "<https://example.com/x>",
            "[rfcs#12](https://example.com/pull/12)",
            "[a](https://a.example), [b](http://b.example)",
        ] {
            assert!(is_url_value(yes), "{yes}");
        }
        for no in [
            "N/A",
            "https://",
            "see [the PR](#pr)",
            "[a](https://a.example) and more",
            "ftp://x",
        ] {
            assert!(!is_url_value(no), "{no}");
        }
    }

    #[test]
    fn headings_match_ignoring_case_spacing_colons_and_placeholders() {
        let m = HeadingMatcher::new("Alternative 1: [Approach Name]");
        assert!(m.matches("Alternative 1: Client-side caching"));
        assert!(m.matches("alternative  1: X"));
        assert!(HeadingMatcher::new("Dependencies").matches("**Dependencies**"));
        let title = "Production Readiness Review Questionnaire";
        let prr = SectionSpec {
            title: title.into(),
            level: 2,
            parent: None,
            presence: Presence::Required,
            body: String::new(),
            slot: false,
            matcher: HeadingMatcher::new(title),
            aliases: Vec::new(),
            rename_words: Default::default(),
        };
        let words =
            |t: &str| -> Vec<String> { heading_words(&normalize(t)).map(str::to_string).collect() };
        let renamed = |t: &str| {
            let w = words(t);
            prr.renamed_as(&w.iter().map(String::as_str).collect::<Vec<_>>())
        };
        assert!(renamed("Production Readiness Questionnaire"));
        assert!(!renamed("Production Readiness"));
        assert!(!renamed("Review Notes"));
        assert!(!m.matches("Alternative 2: X"));
        let m = HeadingMatcher::new("Why Now?");
        assert!(m.matches("why now?"));
        assert!(m.matches("Why Now?:"));
        assert!(m.matches("Why Now"), "trailing punctuation is decoration");
        let m = HeadingMatcher::new("User Stories (Optional)");
        assert!(m.matches("User Stories"));
        assert!(m.matches("2.1 User stories <!-- omit in toc -->"));
        assert!(m.matches("<a name=\"stories\"></a> User Stories"));
        assert!(m.matches("IV. User Stories:"));
        assert!(!m.matches("User Stories 2"));
        assert!(
            !m.matches("2024 User Stories"),
            "a year is not a section number"
        );
        assert_eq!(normalize("Use `Option<T>` here"), "use `option<t>` here");
        assert_eq!(normalize("1.5 <b>Bold</b> name"), "bold name");
        assert_eq!(normalize("a < b and c > d"), "a < b and c > d");
        for slot in [
            "Component A",
            "Component B",
            "Endpoint: [Method] /api/v1/[resource]",
            "Alternative 1: [Approach Name]",
            "[YYYY-MM-DD] - Version 1.0",
            "Phase 2: [Phase Name]",
            "Risk 1",
        ] {
            assert!(is_slot_heading(slot), "{slot}");
        }
        for section in [
            "Goals",
            "Why Now?",
            "Appendix A: Technical Details",
            "Do Nothing",
            "Non-Goals",
            "Step 1 of the rollout",
        ] {
            assert!(!is_slot_heading(section), "{section}");
        }
        // The keys are stable: the built-ins store them (python3's FNV-1a agrees).
        assert_eq!(
            guidance_keys("- **Owners**: The team that keeps the lights on."),
            [0xe3cd_ee79_9188_81b3]
        );
        assert_eq!(
            guidance_keys("1. Say what it is. Then say why it matters so much?").len(),
            3
        );
        assert!(guidance_keys("- [ ] Runbook for the operators").is_empty());
        assert!(guidance_keys("| a | b | c |").is_empty());
        assert!(guidance_keys("- Initial draft").is_empty());
        let m = HeadingMatcher::new("[Date] - [Decision Title]");
        assert!(m.matches("2026-03-01 - Use backoff"));
        assert!(
            !m.matches(" - Use backoff"),
            "a placeholder stands for some text"
        );
        assert!(!m.matches("2026-03-01 - "));
        let m = HeadingMatcher::new("Endpoint: [Method] /api/v1/[resource]");
        assert!(m.matches("Endpoint: GET /api/v1/users"));
        assert!(m.matches("Endpoint: GET /api/v1/a/api/v1/b"));
        assert!(!m.matches("Endpoint: GET /v1/users"));
        let m = HeadingMatcher::new("[a]x[b]");
        assert!(m.matches("1x2") && m.matches("1xx2") && !m.matches("x2") && !m.matches("1x"));
        let m = HeadingMatcher::new("[é]é");
        assert!(m.matches("éé") && !m.matches("é"));
    }

    #[test]
    fn a_heading_of_thousands_of_placeholders_is_matched_without_a_pattern() {
        // As a regex, this heading was too big to build: the server failed to start.
        let m = HeadingMatcher::new(&"[x]".repeat(12_000));
        assert!(m.matches(&"y".repeat(12_000)));
        assert!(!m.matches(&"y".repeat(11_999)));
    }
}
