//! The workspace configuration file, `.rfc-lsp.yaml`, and what it resolves to.
//!
//! ```yaml
//! default-template: docuchango        # used when detection should not guess
//! rfcs: ["docs/rfcs/**/*.md"]         # files that are RFCs, whatever they look like
//! exclude: ["docs/rfcs/0000-*.md"]     # files that never are (`*` stays in one folder)
//! files:                               # which template a file follows
//!   - glob: "docs/rfcs/**/*.md"
//!     numbers: ">=100"                 # optional: only RFCs numbered so (an era)
//!     before: 2019-01-01               # optional: only RFCs whose name's date is earlier (since: too)
//!     template: team                  # or a list: the likeliest of them, by its headings
//! templates:                           # the team's own (same schema as the built-ins)
//!   - name: team
//!     skeleton: docs/rfc-template.md   # relative to this file
//!     metadata: frontmatter
//!     fields: { status: { kind: enum, values: [Draft, Final] } }
//! severity: { section-placeholder: off, section-order: error }
//! tags: [performance, security]        # the tag vocabulary
//! references: ["SE-NNNN", "RFC NNNN", "rust-lang/rfcs#NNNN"]  # besides RFC-NNN
//! docs-project: docs-project.yaml      # project.id checks project_id
//! ```
//!
//! A broken file never stops anything: every problem is reported at its place in the file
//! and the rest of the configuration (or the defaults) stays in force.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobMatcher;

use crate::analysis::Context;
use crate::analysis::diagnostics::{RULES, Severity};
use crate::syntax::yaml::{self, Node};
use crate::template::{Template, Templates};
use crate::workspace::index::RefForm;

/// One entry of `files:`: the files a glob names (and, with `numbers:`, whose file name's
/// RFC number is in a range) follow these templates.
#[derive(Debug, Clone)]
pub struct FileRule {
    pub glob: GlobMatcher,
    pub templates: Vec<String>,
    /// `numbers: "<3000"`: the RFC numbers (of the file or folder name) it applies to.
    pub numbers: Option<std::ops::RangeInclusive<u64>>,
    /// `before: 2019-01-01`, `since: 2019-01-01`: the dates (`YYYYMMDD`, of the file or
    /// folder name) it applies to.
    pub dates: Option<std::ops::RangeInclusive<u32>>,
}

impl FileRule {
    fn applies(&self, rel: &Path, path: Option<&Path>) -> bool {
        self.glob.is_match(rel)
            && self.numbers.as_ref().is_none_or(|range| {
                crate::analysis::edit::file_number(path)
                    .is_some_and(|n| range.contains(&u64::from(n.seq)))
            })
            && self
                .dates
                .as_ref()
                .is_none_or(|range| path.and_then(name_date).is_some_and(|d| range.contains(&d)))
    }
}

/// A date as `YYYYMMDD`, from `2019-01-01` or `20190101`.
fn date_number(text: &str) -> Option<u32> {
    let digits: String = text.trim().chars().filter(|c| *c != '-').collect();
    let ok = digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit());
    let n: u32 = digits.parse().ok().filter(|_| ok)?;
    (1..=12)
        .contains(&(n / 100 % 100))
        .then_some(n)
        .filter(|n| (1..=31).contains(&(n % 100)))
}

/// The date a file or its numbered folder's name starts with (`20180920-slug.md`,
/// `2018-09-20-slug.md`, `20180920-slug/README.md`), as `YYYYMMDD`.
pub fn name_date(path: &Path) -> Option<u32> {
    let name = if crate::analysis::edit::is_folder_readme(path) {
        path.parent()?.file_name()?
    } else {
        path.file_name()?
    };
    let name = name.to_str()?;
    let head = name
        .get(..10)
        .filter(|h| h.as_bytes()[4] == b'-' && h.as_bytes()[7] == b'-');
    let head = head.or_else(|| name.get(..8))?;
    let rest = &name[head.len()..];
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    date_number(head)
}

/// A range of RFC numbers as `files:` writes it: `<3000`, `<=2999`, `>=3000`, `>3000`,
/// `1000-2999`, or one number.
pub fn number_range(text: &str) -> Option<std::ops::RangeInclusive<u64>> {
    let t = text.trim();
    let num = |s: &str| s.trim().parse::<u64>().ok();
    if let Some(n) = t.strip_prefix("<=") {
        return Some(0..=num(n)?);
    }
    if let Some(n) = t.strip_prefix('<') {
        return Some(0..=num(n)?.checked_sub(1)?);
    }
    if let Some(n) = t.strip_prefix(">=") {
        return Some(num(n)?..=u64::MAX);
    }
    if let Some(n) = t.strip_prefix('>') {
        return Some(num(n)?.checked_add(1)?..=u64::MAX);
    }
    if let Some((a, b)) = t.split_once('-') {
        let (a, b) = (num(a)?, num(b)?);
        return (a <= b).then_some(a..=b);
    }
    num(t).map(|n| n..=n)
}

/// The form a `references:` pattern names: `SE-NNNN` is `SE-`, `RFC NNNN` is `RFC `,
/// `rust-lang/rfcs#NNNN` is `rust-lang/rfcs#`; `None` for `RFC-NNNN` and `RFCNNNN`,
/// which count without being named. The forms are those the index reads (see
/// `named_refs` there): two to eight capitals and `-`, `_` or a space, or `owner/repo#`.
pub fn reference_form(pattern: &str) -> Result<Option<String>, String> {
    let why = || {
        format!(
            "`{pattern}` is not a reference pattern: write the prefix and NNNN, as \
             \"SE-NNNN\", \"KEP-NNNN\", \"RFC NNNN\" or \"owner/repo#NNNN\""
        )
    };
    let form = pattern.trim().trim_end_matches('N');
    if form.len() == pattern.trim().len() {
        return Err(why());
    }
    let b = form.as_bytes();
    let caps = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if form.eq_ignore_ascii_case("rfc-")
        || form.eq_ignore_ascii_case("rfc_")
        || form.eq_ignore_ascii_case("rfc")
    {
        return Ok(None);
    }
    let prefixed =
        (2..=8).contains(&caps) && b.len() == caps + 1 && matches!(b[caps], b'-' | b'_' | b' ');
    let name = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    };
    let repo = form
        .strip_suffix('#')
        .and_then(|r| r.split_once('/'))
        .is_some_and(|(o, r)| name(o) && name(r));
    if prefixed || repo {
        Ok(Some(form.to_string()))
    } else {
        Err(why())
    }
}

/// The settings a configuration file may hold (docs/rfc-lsp.schema.json has each).
pub const KEYS: &[&str] = &[
    "default-template",
    "rfcs",
    "exclude",
    "files",
    "templates",
    "severity",
    "tags",
    "references",
    "docs-project",
];

/// The config file's name, looked for in the workspace root.
pub const CONFIG_FILE: &str = ".rfc-lsp.yaml";

/// The largest file a configuration names (itself, a skeleton, a docs-project.yaml).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The text of a file the configuration names: a regular file of at most
/// [`MAX_CONFIG_BYTES`]. A FIFO would block the server's start and `/dev/zero` fill its
/// memory: they are refused with the reason, never opened.
pub fn read_config_file(path: &Path) -> std::io::Result<String> {
    String::from_utf8(super::read_regular(path, MAX_CONFIG_BYTES)?)
        .map_err(|_| std::io::Error::other("not valid UTF-8"))
}

/// A problem in a configuration file, at a byte range of that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub path: PathBuf,
    pub range: Range<usize>,
    pub message: String,
    /// The file could not be read or parsed at all: nothing of it applies.
    pub fatal: bool,
}

/// The settings in force: built-in defaults, overridden by the config file and by the
/// editor's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    pub templates: Templates,
    pub default_template: Option<String>,
    pub rfc_globs: Vec<GlobMatcher>,
    /// Files that are never RFCs, whatever they look like (`exclude:`).
    pub exclude: Vec<GlobMatcher>,
    /// Which template the files a glob names follow: one, or the likeliest of several.
    pub file_templates: Vec<FileRule>,
    pub severity: HashMap<String, Option<Severity>>,
    pub tags: Vec<String>,
    /// The repository's own ways of citing an RFC (`references:`); `None`: `RFC-042`.
    pub reference_forms: Option<Vec<RefForm>>,
    /// `project.id` of the docs-project.yaml the config names, else of the root's.
    pub project_id: Option<String>,
    /// `project.id` of the nearest docs-project.yaml to each folder asked about (see
    /// [`Settings::project_id_for`]); emptied with the settings on a reload.
    nearest_projects: Arc<std::sync::Mutex<HashMap<PathBuf, Option<&'static str>>>>,
    /// The config file that was read, if any.
    pub config_path: Option<PathBuf>,
    /// Without a config file: what was detected and applied in its place.
    pub detected: Option<super::detect::Plan>,
    /// The skeleton files of configured templates (not RFCs themselves).
    pub skeletons: Vec<PathBuf>,
    /// Every file these settings were read from, or would be if it appeared: a change to
    /// any of them calls for a reload.
    pub inputs: Vec<PathBuf>,
}

impl Settings {
    pub fn defaults(root: &Path) -> Settings {
        Settings {
            root: root.to_path_buf(),
            templates: Templates::builtin(),
            default_template: None,
            rfc_globs: Vec::new(),
            exclude: Vec::new(),
            file_templates: Vec::new(),
            severity: HashMap::new(),
            tags: Vec::new(),
            reference_forms: None,
            project_id: None,
            nearest_projects: Arc::default(),
            config_path: None,
            detected: None,
            skeletons: Vec::new(),
            inputs: vec![root.join(CONFIG_FILE), root.join("docs-project.yaml")],
        }
    }

    /// The size and modification time of every input, to notice edits on disk without a
    /// watcher (a few `stat` calls).
    pub fn stamp(&self) -> Vec<Option<(std::time::SystemTime, u64)>> {
        self.inputs
            .iter()
            .map(|p| {
                let m = std::fs::metadata(p).ok()?;
                Some((m.modified().ok()?, m.len()))
            })
            .collect()
    }

    /// The analysis context for a file; `forced` (a `--template`) wins over the config.
    pub fn context<'a>(&'a self, path: Option<&'a Path>, forced: Option<&'a str>) -> Context<'a> {
        let rel = path.map(|p| p.strip_prefix(&self.root).unwrap_or(p));
        let by_glob: Option<&[String]> = rel.and_then(|r| {
            self.file_templates
                .iter()
                .find(|f| f.applies(r, path))
                .map(|f| f.templates.as_slice())
        });
        let rfc_by_config =
            rel.is_some_and(|r| self.rfc_globs.iter().any(|g| g.is_match(r))) || by_glob.is_some();
        Context {
            path,
            templates: &self.templates,
            template: forced.or(by_glob.filter(|t| t.len() == 1).map(|t| t[0].as_str())),
            candidates: by_glob.filter(|t| t.len() > 1).unwrap_or_default(),
            rfc_by_config,
            not_rfc: path.is_some_and(|p| self.skeletons.iter().any(|s| s == p))
                || rel.is_some_and(|r| self.excluded(r)),
            default_template: self.default_template.as_deref(),
            severity: &self.severity,
            tags: &self.tags,
            project_id: self.project_id_for(path),
        }
    }

    /// For a YAML file that is the sidecar of an RFC beside it (`kep.yaml` next to a
    /// configured RFC's `README.md`): the template whose metadata it holds and the RFC.
    pub fn sidecar_of(&self, path: &Path) -> Option<(Arc<crate::template::Template>, PathBuf)> {
        let name = path.file_name()?.to_str()?;
        let with_sidecar = |t: &&Arc<crate::template::Template>| t.sidecar.as_deref() == Some(name);
        if !self.templates.all.iter().any(|t| with_sidecar(&t)) {
            return None;
        }
        let folder = path.parent()?;
        let rfc = ["README.md", "readme.md", "index.md"]
            .iter()
            .map(|f| folder.join(f))
            .find(|p| self.context(Some(p), None).rfc_by_config)?;
        let ctx = self.context(Some(&rfc), None);
        let template = match ctx.template {
            Some(t) => self.templates.get(t).filter(with_sidecar),
            None => self.templates.all.iter().find(with_sidecar),
        }?;
        Some((template.clone(), rfc))
    }

    /// Whether an `exclude:` glob names `rel` (a path relative to the root).
    pub fn excluded(&self, rel: &Path) -> bool {
        self.exclude.iter().any(|g| g.is_match(rel))
    }

    /// `project.id` for a file: of the nearest docs-project.yaml in its folder or an
    /// ancestor inside the root (a monorepo's projects each keep their own), else the
    /// configured or root one. Each folder is looked up once per settings.
    pub fn project_id_for(&self, path: Option<&Path>) -> Option<&str> {
        let root_id = self.project_id.as_deref();
        let Some(dir) = path
            .and_then(Path::parent)
            .filter(|d| d.starts_with(&self.root) && *d != self.root)
        else {
            return root_id;
        };
        let mut known = self
            .nearest_projects
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(id) = known.get(dir) {
            return id.or(root_id);
        }
        let mut found = None;
        for d in dir.ancestors().take_while(|d| *d != self.root) {
            let file = d.join("docs-project.yaml");
            if file.is_file() {
                found = read_project_id(&file, &mut Vec::new()).map(|id| intern(&id));
                break;
            }
        }
        known.insert(dir.to_path_buf(), found);
        found.or(root_id)
    }
}

/// A project id that lives as long as the process, so that a [`Context`] can borrow it
/// from a lookup made after the settings were built. Each distinct id is kept once: a
/// workspace holds a handful.
fn intern(id: &str) -> &'static str {
    static IDS: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut ids = IDS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(known) = ids.iter().find(|k| **k == id) {
        return known;
    }
    let kept: &'static str = Box::leak(id.to_string().into_boxed_str());
    ids.push(kept);
    kept
}

/// Of several configurations (one per workspace folder, or per root `check` was given),
/// the one whose root holds `path` most closely: the innermost. `None` if no root holds it.
pub fn innermost<'a, T>(
    configs: impl IntoIterator<Item = &'a T>,
    settings: impl Fn(&T) -> &Settings,
    path: &Path,
) -> Option<&'a T> {
    configs
        .into_iter()
        .filter(|c| path.starts_with(&settings(c).root))
        .max_by_key(|c| settings(c).root.components().count())
}

/// Finds and loads the configuration for a workspace rooted at `root`: `explicit` if given,
/// else `root/.rfc-lsp.yaml` if it exists, else the defaults.
pub fn load(root: &Path, explicit: Option<&Path>) -> (Settings, Vec<ConfigProblem>) {
    let path = match explicit {
        Some(p) => Some(if p.is_absolute() {
            p.to_path_buf()
        } else {
            root.join(p)
        }),
        None => Some(root.join(CONFIG_FILE)).filter(|p| p.is_file()),
    };
    let mut settings = Settings::defaults(root);
    let Some(path) = path else {
        // No file: what `rfc-lsp init` would write, if it finds an RFC set.
        let plan = super::detect::plan(root);
        if plan.found {
            let problems = apply(&mut settings, &plan.config, &root.join(CONFIG_FILE));
            settings.config_path = None;
            settings.detected = Some(plan);
            return (settings, problems);
        }
        settings.project_id = read_project_id(&root.join("docs-project.yaml"), &mut Vec::new());
        return (settings, Vec::new());
    };
    match read_config_file(&path) {
        Ok(text) => {
            let problems = apply(&mut settings, &text, &path);
            (settings, problems)
        }
        Err(e) => {
            let problem = ConfigProblem {
                path: path.clone(),
                range: 0..0,
                message: format!("cannot read the configuration: {e}"),
                fatal: true,
            };
            (settings, vec![problem])
        }
    }
}

/// Applies a config file's text to `settings` (which keep their values where the file is
/// broken). Reads the skeletons and docs-project.yaml it names.
///
/// Long: one block per key of the config file, in the order the README documents them.
pub fn apply(settings: &mut Settings, text: &str, path: &Path) -> Vec<ConfigProblem> {
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut problems = Vec::new();
    settings.config_path = Some(path.to_path_buf());
    settings.inputs.push(path.to_path_buf());
    let (root, error) = yaml::parse(text, 0);
    if let Some(e) = error {
        problems.push(ConfigProblem {
            path: path.to_path_buf(),
            range: e.offset..e.offset,
            message: format!("YAML error: {}", e.message),
            fatal: true,
        });
    }
    let mut problem = |range: Range<usize>, message: String| {
        problems.push(ConfigProblem {
            path: path.to_path_buf(),
            range,
            message,
            fatal: false,
        });
    };
    let Some(root) = root else {
        return problems;
    };
    if !matches!(root, Node::Map { .. }) {
        problem(
            root.range(),
            "the configuration should be a mapping of settings".into(),
        );
        return problems;
    }
    let mut custom: Vec<Arc<Template>> = Vec::new();
    for (key, value) in root.entries() {
        match key.as_str().unwrap_or_default() {
            "default-template" => settings.default_template = value.as_str().map(str::to_string),
            "rfcs" => {
                for item in strings(value, &mut problem) {
                    if let Some(g) = glob(&item, &mut problem) {
                        settings.rfc_globs.push(g);
                    }
                }
            }
            "exclude" => {
                for item in strings(value, &mut problem) {
                    if let Some(g) = glob(&item, &mut problem) {
                        settings.exclude.push(g);
                    }
                }
            }
            "files" => match value {
                Node::Seq { items, .. } => {
                    for item in items {
                        let names: Vec<String> = match item.get("template") {
                            Some(Node::Seq { .. }) => item
                                .get("template")
                                .map(|t| {
                                    t.items()
                                        .iter()
                                        .filter_map(Node::as_str)
                                        .map(str::to_string)
                                        .collect()
                                })
                                .unwrap_or_default(),
                            Some(t) => t.as_str().map(str::to_string).into_iter().collect(),
                            None => Vec::new(),
                        };
                        let numbers = item.get("numbers").and_then(|n| {
                            let range = n.as_str().and_then(number_range);
                            if range.is_none() {
                                problem(
                                    n.range(),
                                    "`numbers` is a range of RFC numbers: \"<3000\", \">=3000\", \"1000-2999\"".into(),
                                );
                            }
                            range
                        });
                        let mut dates: Option<std::ops::RangeInclusive<u32>> = None;
                        for key in ["before", "since"] {
                            let Some(n) = item.get(key) else { continue };
                            let Some(d) = n.as_str().and_then(date_number) else {
                                problem(n.range(), format!("`{key}` is a date: {key}: 2019-01-01"));
                                continue;
                            };
                            let (lo, hi) = dates.map_or((0, u32::MAX), |r| r.into_inner());
                            dates = Some(if key == "before" {
                                lo..=hi.min(d - 1)
                            } else {
                                lo.max(d)..=hi
                            });
                        }
                        match (item.get("glob").and_then(Node::as_str), names.is_empty()) {
                            (Some(g), false) => {
                                let at = item.get("glob").map(Node::range).unwrap_or_default();
                                if let Some(m) = glob(&(g.to_string(), at), &mut problem) {
                                    settings.file_templates.push(FileRule {
                                        glob: m,
                                        templates: names,
                                        numbers,
                                        dates,
                                    });
                                }
                            }
                            _ => problem(
                                item.range(),
                                "each entry of `files` needs a `glob` and a `template`".into(),
                            ),
                        }
                    }
                }
                other => problem(
                    other.range(),
                    "`files` should be a list of { glob, template }".into(),
                ),
            },
            "templates" => match value {
                Node::Seq { items, .. } => {
                    for item in items {
                        let skeleton = item.get("skeleton").and_then(Node::as_str).map(|rel| {
                            let p = dir.join(rel);
                            std::fs::canonicalize(&p).unwrap_or(p)
                        });
                        settings.inputs.extend(skeleton.clone());
                        if let Some(t) = custom_template(item, &dir, &mut problem) {
                            custom.push(Arc::new(t));
                            settings.skeletons.extend(skeleton);
                        }
                    }
                }
                other => problem(
                    other.range(),
                    "`templates` should be a list of templates".into(),
                ),
            },
            "severity" => {
                for (code, level) in value.entries() {
                    let name = code.as_str().unwrap_or_default();
                    if !RULES.iter().any(|r| r.0 == name) {
                        problem(
                            code.range(),
                            format!("unknown rule `{name}` (see the README for the list)"),
                        );
                        continue;
                    }
                    match level.as_str().and_then(Severity::parse) {
                        Some(s) => {
                            settings.severity.insert(name.to_string(), s);
                        }
                        _ => problem(
                            level.range(),
                            "a severity is one of: error, warning, information, hint, off".into(),
                        ),
                    }
                }
            }
            "references" => {
                if !matches!(value, Node::Seq { .. }) {
                    problem(
                        value.range(),
                        "`references` is a list of patterns: [\"SE-NNNN\"]".into(),
                    );
                    continue;
                }
                let list = settings.reference_forms.insert(Vec::new());
                for item in value.items() {
                    let (pattern, complete) = match item {
                        Node::Map { .. } => (item.get("pattern"), item.get("complete")),
                        _ => (Some(item), None),
                    };
                    let Some(text) = pattern.and_then(Node::as_str) else {
                        problem(
                            item.range(),
                            "each reference is a pattern (\"SE-NNNN\") or { pattern, complete }"
                                .into(),
                        );
                        continue;
                    };
                    match reference_form(text) {
                        Ok(form) => {
                            // A pull request or an issue need not have become an RFC.
                            let default = form.as_ref().is_none_or(|f| !f.ends_with('#'));
                            let complete = match complete {
                                None => default,
                                Some(c) => match c.as_str() {
                                    Some("true") => true,
                                    Some("false") => false,
                                    _ => {
                                        problem(c.range(), "`complete` is true or false".into());
                                        default
                                    }
                                },
                            };
                            list.push(RefForm { form, complete });
                        }
                        Err(why) => problem(
                            pattern.map(Node::range).unwrap_or_else(|| item.range()),
                            why,
                        ),
                    }
                }
            }
            "tags" => {
                settings.tags = strings(value, &mut problem)
                    .into_iter()
                    .map(|(s, _)| s)
                    .collect()
            }
            "docs-project" => {
                if let Some(p) = value.as_str() {
                    settings.inputs.push(dir.join(p));
                    let mut errs = Vec::new();
                    settings.project_id = read_project_id(&dir.join(p), &mut errs);
                    for e in errs {
                        problem(value.range(), e);
                    }
                }
            }
            other => problem(
                key.range(),
                format!("unknown setting `{other}` (known: {})", KEYS.join(", ")),
            ),
        }
    }
    if root.get("docs-project").is_none() {
        settings.inputs.push(dir.join("docs-project.yaml"));
        settings.project_id = read_project_id(&dir.join("docs-project.yaml"), &mut Vec::new());
    }
    settings.templates = Templates::builtin().with(custom);
    for name in settings
        .default_template
        .iter()
        .chain(settings.file_templates.iter().flat_map(|f| &f.templates))
    {
        if settings.templates.get(name).is_none() {
            let at = find_value(&root, name).unwrap_or(0..0);
            problem(at, format!("no template named `{name}`"));
        }
    }
    problems.sort_by_key(|p| (p.range.start, p.range.end));
    problems
}

fn find_value(root: &Node, value: &str) -> Option<Range<usize>> {
    match root {
        Node::Scalar {
            value: v, range, ..
        } if v == value => Some(range.clone()),
        Node::Seq { items, .. } => items.iter().find_map(|i| find_value(i, value)),
        Node::Map { entries, .. } => entries.iter().find_map(|(_, v)| find_value(v, value)),
        _ => None,
    }
}

fn strings(
    node: &Node,
    problem: &mut impl FnMut(Range<usize>, String),
) -> Vec<(String, Range<usize>)> {
    match node {
        Node::Seq { items, .. } => items
            .iter()
            .filter_map(|i| match i.as_str() {
                Some(s) => Some((s.to_string(), i.range())),
                None => {
                    problem(i.range(), "expected a text value".into());
                    None
                }
            })
            .collect(),
        Node::Scalar { value, range, .. } => vec![(value.clone(), range.clone())],
        other => {
            problem(other.range(), "expected a list of text values".into());
            Vec::new()
        }
    }
}

/// A glob as the configuration means it: `*` and `?` stay within one folder of the
/// path, `**` crosses folders.
pub fn compile_glob(glob: &str) -> Result<GlobMatcher, globset::Error> {
    Ok(globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()?
        .compile_matcher())
}

fn glob(
    item: &(String, Range<usize>),
    problem: &mut impl FnMut(Range<usize>, String),
) -> Option<GlobMatcher> {
    match compile_glob(&item.0) {
        Ok(g) => Some(g),
        Err(e) => {
            problem(item.1.clone(), format!("not a valid glob: {e}"));
            None
        }
    }
}

fn custom_template(
    node: &Node,
    dir: &Path,
    problem: &mut impl FnMut(Range<usize>, String),
) -> Option<Template> {
    let skeleton_node = node.get("skeleton");
    let Some(rel) = skeleton_node.and_then(Node::as_str) else {
        problem(
            node.range(),
            "a template needs a `skeleton`: the path of its Markdown skeleton".into(),
        );
        return None;
    };
    let skeleton = match read_config_file(&dir.join(rel)) {
        Ok(s) => s,
        Err(e) => {
            problem(
                skeleton_node.map(Node::range).unwrap_or_default(),
                format!("cannot read the skeleton `{rel}`: {e}"),
            );
            return None;
        }
    };
    // Metadata in a YAML file beside each document: the skeleton's own is its fields.
    let sidecar_node = node.get("sidecar");
    let sidecar = match sidecar_node.and_then(Node::as_str) {
        Some(name) => {
            let path = dir.join(rel).with_file_name(name);
            match read_config_file(&path) {
                Ok(text) => Some(text),
                Err(e) => {
                    problem(
                        sidecar_node.map(Node::range).unwrap_or_default(),
                        format!("cannot read the skeleton's `{name}` beside `{rel}`: {e}"),
                    );
                    None
                }
            }
        }
        None => None,
    };
    let (template, schema_problems) = Template::load(node, &skeleton, sidecar.as_deref(), false);
    for p in schema_problems {
        problem(p.range, p.message);
    }
    if template.sections.is_empty() {
        problem(
            skeleton_node.map(Node::range).unwrap_or_default(),
            format!("the skeleton `{rel}` has no sections (headings)"),
        );
    }
    Some(template)
}

/// `project.id` of a docs-project.yaml; problems only when the file exists and is wrong.
fn read_project_id(path: &Path, problems: &mut Vec<String>) -> Option<String> {
    let text = match read_config_file(path) {
        Ok(text) => text,
        Err(e) if path.exists() => {
            problems.push(format!("cannot read {}: {e}", path.display()));
            return None;
        }
        Err(_) => return None,
    };
    let (root, error) = yaml::parse(&text, 0);
    if let Some(e) = error {
        problems.push(format!("{}: YAML error: {}", path.display(), e.message));
    }
    let id = root
        .as_ref()
        .and_then(|r| r.get("project"))
        .and_then(|p| p.get("id"))
        .and_then(Node::as_str)
        .map(str::to_string);
    if id.is_none() {
        problems.push(format!("{} has no `project.id`", path.display()));
    }
    id
}

#[cfg(test)]
mod tests {
    #[test]
    fn number_ranges() {
        use super::number_range;
        assert_eq!(number_range("<3000"), Some(0..=2999));
        assert_eq!(number_range("<= 2999"), Some(0..=2999));
        assert_eq!(number_range(">=3000"), Some(3000..=u64::MAX));
        assert_eq!(number_range(">2999"), Some(3000..=u64::MAX));
        assert_eq!(number_range("1000-2999"), Some(1000..=2999));
        assert_eq!(number_range("42"), Some(42..=42));
        assert_eq!(number_range("<0"), None);
        assert_eq!(number_range("9-1"), None);
        assert_eq!(number_range("soon"), None);
    }

    #[test]
    fn reference_patterns_name_the_forms_the_index_reads() {
        use super::{Settings, apply, reference_form};
        use crate::workspace::index::RefForm;
        assert_eq!(reference_form("SE-NNNN"), Ok(Some("SE-".into())));
        assert_eq!(reference_form("RFC NNNN"), Ok(Some("RFC ".into())));
        assert_eq!(
            reference_form("rust-lang/rfcs#NNNN"),
            Ok(Some("rust-lang/rfcs#".into()))
        );
        assert_eq!(reference_form("RFC-NNNN"), Ok(None));
        for bad in [
            "SE-0400", "se-NNNN", "S-NNNN", "SE--NNNN", "#NNNN", "a/#NNNN",
        ] {
            assert!(reference_form(bad).is_err(), "{bad}");
        }
        let read = |text: &str| {
            let mut s = Settings::defaults(std::path::Path::new("/w"));
            let problems = apply(&mut s, text, std::path::Path::new("/w/.rfc-lsp.yaml"));
            (s.reference_forms, problems.len())
        };
        let form = |f: Option<&str>, complete| RefForm {
            form: f.map(str::to_string),
            complete,
        };
        assert_eq!(
            read(
                "references: [\"SE-NNNN\", \"a/b#NNNN\", RFC-NNNN, {pattern: \"KEP-NNNN\", complete: false}]\n"
            ),
            (
                Some(vec![
                    form(Some("SE-"), true),
                    form(Some("a/b#"), false),
                    form(None, true),
                    form(Some("KEP-"), false),
                ]),
                0
            )
        );
        // A bad entry is a problem at its place; the good ones stay; not a list keeps
        // the default.
        assert_eq!(
            read("references: [SE-0400, \"SE-NNNN\"]\n"),
            (Some(vec![form(Some("SE-"), true)]), 1)
        );
        assert_eq!(read("references: SE-NNNN\n"), (None, 1));
    }

    #[test]
    fn an_era_by_date_takes_the_files_whose_name_starts_with_an_earlier_date() {
        use super::{Settings, apply, name_date};
        use std::path::Path;
        assert_eq!(name_date(Path::new("/r/20180920-eager.md")), Some(20180920));
        assert_eq!(
            name_date(Path::new("/r/2018-09-20-eager.md")),
            Some(20180920)
        );
        assert_eq!(
            name_date(Path::new("/r/20180920-eager/README.md")),
            Some(20180920)
        );
        for no in [
            "/r/0042-x.md",
            "/r/201809201-x.md",
            "/r/20181320-x.md",
            "/r/x.md",
        ] {
            assert_eq!(name_date(Path::new(no)), None, "{no}");
        }
        let mut s = Settings::defaults(Path::new("/r"));
        let config = "files:\n  - glob: \"*.md\"\n    before: 2019-01-01\n    template: guided\n  - glob: \"*.md\"\n    since: 2019-01-01\n    before: 20200101\n    template: approval\n  - glob: \"*.md\"\n    before: soon\n    template: docuchango\n";
        let problems = apply(&mut s, config, Path::new("/r/.rfc-lsp.yaml"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("`before` is a date"));
        let template = |name: &str| {
            let path = Path::new("/r").join(name);
            let c = s.context(Some(&path), None);
            c.template
                .map(str::to_string)
                .into_iter()
                .collect::<Vec<_>>()
        };
        assert_eq!(template("20181231-a.md"), ["guided"]);
        assert_eq!(template("20190101-a.md"), ["approval"]);
        assert_eq!(template("20191231-a.md"), ["approval"]);
        // No date in the name: neither era; a bad `before` was dropped, so `docuchango` takes all.
        assert_eq!(template("20200101-a.md"), ["docuchango"]);
        assert_eq!(template("notes.md"), ["docuchango"]);
    }
}
