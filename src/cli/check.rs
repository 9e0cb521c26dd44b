//! `rfc-lsp check [PATH...]`: the server's diagnostics for a tree of RFCs, in parallel, as a
//! readable report, JSON, GitHub annotations or SARIF, with an exit code for CI.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use clap::ValueEnum;

use super::cache::{Cache, Entry};
use super::report::{self, Finding, LineIndex};
use crate::analysis::diagnostics::{self, Severity};
use crate::syntax::Document;
use crate::workspace::config::{self, Settings};
use crate::workspace::crossdoc;
use crate::workspace::index::{Facts, Index, absolute, normalize, scan_text};
use crate::workspace::rfc_index::{self, Row};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// file:line:col with the source line and the range marked, like rustc
    Human,
    /// one JSON array of findings
    Json,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// SARIF 2.1.0
    Sarif,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and folders to check (folders are walked, respecting .gitignore). Default: `.`
    pub paths: Vec<PathBuf>,
    /// Check every file against this template (a built-in or configured name).
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    /// The configuration file (default: .rfc-lsp.yaml in the current folder or above).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Warnings fail the check too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Check every file afresh, without reading or writing the results cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Where the results cache lives (default: $XDG_CACHE_HOME/rfc-lsp or ~/.cache/rfc-lsp).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Apply the quick fixes that cannot lose what the writer typed (placeholders filled,
    /// ids and slugs from the file name, tags normalised, missing fields and sections
    /// added), say each on stderr, then check again and report what is left.
    #[arg(long)]
    pub fix: bool,
    /// Print what --fix would change as a unified diff and write nothing; exit 1 if
    /// anything would change.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
}

/// One checked file: its path, text and findings (or why it could not be read).
pub(super) struct Checked {
    pub path: PathBuf,
    pub text: String,
    pub template: Option<String>,
    pub findings: Vec<Finding>,
    /// Its index facts and absolute path, read by the worker that checked it.
    pub facts: Option<(PathBuf, Arc<Facts>)>,
    /// The YAML file beside it that holds its metadata (`kep.yaml`), checked with it.
    pub sidecar: Option<Box<Checked>>,
}

/// Long: the steps of a check in order (config, files, index, workers, cache, report), each
/// a few lines.
pub fn run(args: CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for p in &paths {
        match std::fs::metadata(p) {
            Err(_) => {
                eprintln!("error: {}: no such file or folder", p.display());
                return ExitCode::from(2);
            }
            Ok(m) if !m.is_file() && !m.is_dir() => {
                eprintln!("error: {}: not a regular file or folder", p.display());
                return ExitCode::from(2);
            }
            Ok(_) => {}
        }
    }
    // Each path follows the configuration of its own root (as each workspace folder does
    // in the editor); `--config` names one for all.
    let mut roots: Vec<PathBuf> = Vec::new();
    for p in &paths {
        let root = find_root(p, args.config.as_deref());
        if !roots.contains(&root) {
            roots.push(root);
        }
    }
    let unreadable = AtomicUsize::new(0);
    // The cache file is read and the tree walked while the configuration loads.
    let (configs, files, cache) = std::thread::scope(|scope| {
        let cache = scope.spawn(|| {
            (!args.no_cache)
                .then(|| Cache::read(args.cache_dir.as_deref(), &roots[0]))
                .flatten()
        });
        let files = scope.spawn(|| collect(&paths, &unreadable));
        crate::template::builtin::preload(crate::syntax::chunks::cores());
        let configs: (Vec<Settings>, Vec<_>) = roots
            .iter()
            .map(|root| config::load(root, args.config.as_deref()))
            .unzip();
        let files = files.join().expect("walking the tree does not panic");
        let cache = cache.join().ok().flatten();
        (configs, files, cache)
    });
    let (mut settings, mut problems) = configs;
    // A configuration named on the command line must be there and readable: a CI that
    // points at a missing or broken file must not pass by checking nothing.
    if let Some(named) = &args.config
        && let Some(fatal) = problems.iter().flatten().find(|p| p.fatal)
    {
        let at = match std::fs::read_to_string(&fatal.path) {
            Ok(text) => {
                let (line, col) = LineIndex::new(&text).line_col(fatal.range.start);
                format!("{}:{}:{}: ", fatal.path.display(), line + 1, col + 1)
            }
            Err(_) => String::new(),
        };
        eprintln!("error: --config {}: {at}{}", named.display(), fatal.message);
        return ExitCode::from(2);
    }
    // A file below a folder with its own `.rfc-lsp.yaml` follows that one, whether the
    // file was named or found by walking a folder above it.
    if args.config.is_none() {
        let mut dirs: Vec<&Path> = files.iter().filter_map(|f| f.parent()).collect();
        dirs.dedup();
        for dir in dirs {
            let root = find_root(dir, None);
            if !roots.contains(&root) && root.join(config::CONFIG_FILE).is_file() {
                let (s, p) = config::load(&root, None);
                settings.push(s);
                problems.push(p);
                roots.push(root);
            }
        }
    }
    if let Some(name) = &args.template
        && let Some(lacking) = settings.iter().find(|s| s.templates.get(name).is_none())
    {
        return unknown_template(lacking, name);
    }
    // Files an `exclude:` glob names are neither checked nor indexed.
    let files: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| {
            let abs = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
            let s = settings_for(&settings, &abs);
            !s.excluded(abs.strip_prefix(&s.root).unwrap_or(&abs))
        })
        .collect();
    if args.fix || args.diff {
        let changed = fix_files(&files, &settings, args.template.as_deref(), args.diff);
        if args.diff {
            return ExitCode::from(u8::from(changed > 0));
        }
    }
    let inputs: Vec<PathBuf> = settings.iter().flat_map(|s| s.inputs.clone()).collect();
    let cache = cache.map(|c| c.stamped(&inputs, args.template.as_deref()));
    let mut results = check_files(
        &files,
        &settings,
        args.template.as_deref(),
        cache.as_ref(),
        &unreadable,
    );
    cross_document(&paths, &mut results, &settings, args.template.as_deref());
    if let Some(cache) = cache {
        cache.save();
    }

    let mut checked: Vec<Checked> = Vec::new();
    // Problems in a config file come first, as findings on that file.
    for (config, problems) in settings.iter().zip(&problems) {
        let Some(path) = config.config_path.as_ref().filter(|_| !problems.is_empty()) else {
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines = LineIndex::new(&text);
        let findings = problems
            .iter()
            .map(|p| {
                Finding::new(
                    &lines,
                    p.range.clone(),
                    Severity::Error,
                    "config-invalid",
                    p.message.clone(),
                )
            })
            .collect();
        checked.push(Checked {
            path: path.clone(),
            text,
            template: None,
            findings,
            facts: None,
            sidecar: None,
        });
    }
    for mut result in results {
        let sidecar = result.sidecar.take();
        checked.push(result);
        checked.extend(sidecar.map(|s| *s));
    }

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match args.format {
        Format::Human => report::human(&mut out, &checked),
        Format::Json => report::json(&mut out, &checked),
        Format::Github => report::github(&mut out, &checked),
        Format::Sarif => report::sarif(&mut out, &checked),
    };
    let _ = written.and_then(|()| out.flush());
    let count = |s: Severity| {
        checked
            .iter()
            .flat_map(|c| &c.findings)
            .filter(|f| f.severity == s)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    if args.format == Format::Human {
        let rfcs = checked.iter().filter(|c| c.template.is_some()).count();
        for s in &settings {
            if let Some(plan) = &s.detected {
                eprintln!(
                    "no {} in {}: checked as `rfc-lsp init` would configure it ({})",
                    config::CONFIG_FILE,
                    s.root.display(),
                    plan.notes.first().map_or("", String::as_str)
                );
            }
        }
        eprintln!(
            "checked {rfcs} RFC(s) of {} Markdown file(s): {errors} error(s), {warnings} warning(s)",
            files.len()
        );
        if rfcs == 0 && !files.is_empty() && settings.iter().all(|s| s.config_path.is_none()) {
            eprintln!(
                "none of them was recognised as an RFC: run `rfc-lsp init` in the repository to configure where its RFCs and template are"
            );
        }
    }
    // The process ends here: what it read need not be freed piece by piece (the texts,
    // findings and facts of 999 files took about 4 ms to free, a sixteenth of a warm run).
    std::mem::forget(checked);
    if unreadable.load(Ordering::Relaxed) > 0 {
        ExitCode::from(2)
    } else if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--fix` (or, with `diff`, `--diff`): each file's safe fixes
/// ([`crate::analysis::fix`]), written back with a line per fix on stderr, or printed as a
/// unified diff. Files that cannot be read are left to the check. How many files changed
/// (or would).
fn fix_files(
    files: &[PathBuf],
    settings: &[Settings],
    template: Option<&str>,
    diff: bool,
) -> usize {
    let today = crate::analysis::edit::today();
    let next = AtomicUsize::new(0);
    let fixed: Mutex<Vec<Fixed>> = Mutex::default();
    std::thread::scope(|scope| {
        for _ in 0..crate::syntax::chunks::cores() {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let Ok(text) = crate::workspace::read_regular(path, super::MAX_MARKDOWN)
                        .map_err(|_| ())
                        .and_then(|b| String::from_utf8(b).map_err(|_| ()))
                    else {
                        continue;
                    };
                    let abs = absolute(path);
                    let ctx = settings_for(settings, &abs).context(Some(&abs), template);
                    let (out, applied) = crate::analysis::fix::fix(&text, &ctx, &today);
                    if out != text {
                        fixed
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push((i, text, out, applied));
                    }
                }
            });
        }
    });
    let mut fixed = fixed.into_inner().unwrap_or_else(|p| p.into_inner());
    fix_indexes(files, settings, &mut fixed);
    fixed.sort_by_key(|f| f.0);
    let mut stdout = std::io::stdout().lock();
    let mut changed = 0;
    for (i, old, new, applied) in fixed {
        let path = &files[i];
        let name = path.display().to_string();
        if diff {
            let _ = stdout.write_all(
                crate::text::diff::unified(&old, &new, name.trim_start_matches("./")).as_bytes(),
            );
            changed += 1;
            continue;
        }
        if let Err(e) = std::fs::write(path, &new) {
            eprintln!("error: {name}: cannot write the fixes: {e}");
            continue;
        }
        changed += 1;
        for a in applied {
            eprintln!("fixed {name}:{}: {} ({})", a.line + 1, a.title, a.code);
        }
    }
    let _ = stdout.flush();
    changed
}

/// Exit 2 with the names there are, for a template name that is none of them.
pub(super) fn unknown_template(settings: &Settings, name: &str) -> ExitCode {
    eprintln!(
        "error: no template named `{name}` (available: {})",
        settings.templates.names().join(", ")
    );
    ExitCode::from(2)
}

/// A file changed by `--fix`: its index in the files, its text before and after, the fixes.
type Fixed = (usize, String, String, Vec<crate::analysis::fix::Applied>);

/// `--fix` of `index-stale`: each marked RFC index among `files` rewritten from the RFCs
/// as the other fixes left them (`fixed`, to which it adds).
fn fix_indexes(files: &[PathBuf], settings: &[Settings], fixed: &mut Vec<Fixed>) {
    let mut texts: std::collections::HashMap<PathBuf, String> = fixed
        .iter()
        .map(|(i, _, new, _)| (absolute(&files[*i]), new.clone()))
        .collect();
    let mut indexes: std::collections::HashMap<PathBuf, Index> = Default::default();
    for (i, path) in files.iter().enumerate() {
        let abs = absolute(path);
        let Some(text) = texts.get(&abs).cloned().or_else(|| {
            crate::workspace::index::read_markdown(path)
                .filter(|t| t.contains(rfc_index::START_OPEN))
        }) else {
            continue;
        };
        let Some(block) = rfc_index::block(&text) else {
            continue;
        };
        let s = settings_for(settings, &abs);
        if diagnostics::severity_of("index-stale", &s.severity).is_none() {
            continue;
        }
        let index = indexes.entry(s.root.clone()).or_insert_with(|| {
            let mut index = Index::scan(std::slice::from_ref(&s.root), &mut |_| {});
            for (p, t) in &texts {
                index.insert(p.clone(), Arc::new(scan_text(Some(p), t)));
            }
            index.follow(|p| Some(settings_for(settings, p)));
            index
        });
        let row = |p: &Path| Row::read_at(p, texts.get(p).map(String::as_str), s);
        let table = rfc_index::table_for(index, s, &abs, &block, &row);
        if rfc_index::stale(&text, &table, "").is_none() {
            continue;
        }
        let Some(new) = rfc_index::splice(Some(&text), &table, &block.paths) else {
            continue;
        };
        let applied = crate::analysis::fix::Applied {
            code: "index-stale",
            title: "Rewrite the RFC index".to_string(),
            line: text[..block.marker.start].matches('\n').count(),
        };
        match fixed.iter_mut().find(|f| f.0 == i) {
            Some(f) => {
                f.2.clone_from(&new);
                f.3.push(applied);
            }
            None => fixed.push((i, text, new.clone(), vec![applied])),
        }
        texts.insert(abs, new);
    }
}

/// The rules across files (src/workspace/crossdoc.rs), never cached: they depend on
/// the other files. The index holds every checked file, and the neighbours of a file
/// named on its own (what it cites is usually beside it).
fn cross_document(
    paths: &[PathBuf],
    checked: &mut [Checked],
    settings: &[Settings],
    template: Option<&str>,
) {
    // What the checked files meet: each workspace (a folder marked by `.git` or a config)
    // whole, as the editor sees it, so that a file checked alone or with others gets the
    // same findings; a named file outside any workspace meets its own folder.
    let mut neighbours: Vec<PathBuf> = settings
        .iter()
        .map(|s| s.root.clone())
        .filter(|r| r.join(".git").exists() || r.join(config::CONFIG_FILE).is_file())
        .collect();
    let outside: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.is_file())
        .map(|p| absolute(p))
        .filter(|p| !neighbours.iter().any(|r| p.starts_with(r)))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    neighbours.extend(outside);
    let known: std::collections::HashSet<&Path> = checked
        .iter()
        .filter_map(|c| c.facts.as_ref().map(|(a, _)| a.as_path()))
        .collect();
    let mut index = Index::scan_except(&neighbours, &mut |_| {}, &|p| known.contains(p));
    drop(known);
    for (a, f) in checked.iter().filter_map(|c| c.facts.clone()) {
        index.insert(a, f);
    }
    index.follow(|p| Some(settings_for(settings, p)));
    index.accept_forms(settings.iter().map(|s| &s.reference_forms));
    for c in checked.iter_mut() {
        let Some((a, facts)) = c.facts.clone() else {
            continue; // unreadable
        };
        if c.template.is_none() {
            continue; // not checked as an RFC
        }
        let ctx = settings_for(settings, &a).context(Some(&a), template);
        let found = crossdoc::check(&a, &facts, &index, ctx.severity);
        if found.is_empty() {
            continue;
        }
        let lines = LineIndex::new(&c.text);
        c.findings.extend(
            found
                .into_iter()
                .map(|f| Finding::new(&lines, f.range, f.severity, f.code, f.message)),
        );
        c.findings
            .sort_by_key(|f| (f.line, f.column, f.end_line, f.end_column));
    }
    index_stale(checked, settings, &index);
}

/// `index-stale` on each checked file whose marked RFC index is not what `rfc-lsp index`
/// would write there (any Markdown file: a README is no RFC). The rows of the checked files
/// come from the text just read; the others' from disk.
fn index_stale(checked: &mut [Checked], settings: &[Settings], index: &Index) {
    if !checked
        .iter()
        .any(|c| c.text.contains(rfc_index::START_OPEN))
    {
        return;
    }
    let texts: std::collections::HashMap<&Path, &str> = checked
        .iter()
        .filter_map(|c| Some((c.facts.as_ref()?.0.as_path(), c.text.as_str())))
        .collect();
    let found: Vec<(usize, rfc_index::Stale, Severity)> = checked
        .iter()
        .enumerate()
        .filter(|(_, c)| c.text.contains(rfc_index::START_OPEN))
        .filter_map(|(i, c)| {
            let (abs, _) = c.facts.as_ref()?;
            let s = settings_for(settings, abs);
            let severity = diagnostics::severity_of("index-stale", &s.severity)?;
            let row = |p: &Path| Row::read_at(p, texts.get(p).copied(), s);
            let block = rfc_index::block(&c.text)?;
            let table = rfc_index::table_for(index, s, abs, &block, &row);
            let name = c.path.display().to_string();
            let name = name.trim_start_matches("./");
            Some((i, rfc_index::stale(&c.text, &table, name)?, severity))
        })
        .collect();
    for (i, stale, severity) in found {
        let c = &mut checked[i];
        let lines = LineIndex::new(&c.text);
        c.findings.push(Finding::new(
            &lines,
            stale.marker,
            severity,
            "index-stale",
            stale.message,
        ));
        c.findings
            .sort_by_key(|f| (f.line, f.column, f.end_line, f.end_column));
    }
}

/// The workspace root: the folder of `--config`, else the nearest folder at or above the
/// first path that holds `.rfc-lsp.yaml` or `.git`, else the current folder (or, for a path outside it, the path's own folder).
pub(super) fn find_root(first: &Path, explicit: Option<&Path>) -> PathBuf {
    if let Some(c) = explicit {
        return c
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    }
    let start = if first.is_dir() {
        first.to_path_buf()
    } else {
        first
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let start = std::fs::canonicalize(&start).unwrap_or(start);
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        if d.join(config::CONFIG_FILE).is_file() || d.join(".git").exists() {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    // Nothing marks a root: the current folder, if it holds the path, else the path's own.
    match std::env::current_dir() {
        Ok(cwd) if start.starts_with(&cwd) => cwd,
        _ => start,
    }
}

/// The settings a file at `abs` (canonical) follows: those of the innermost root holding
/// it, else the first root's.
fn settings_for<'a>(settings: &'a [Settings], abs: &Path) -> &'a Settings {
    config::innermost(settings, |s| s, abs).unwrap_or(&settings[0])
}

/// Markdown files under the paths: named files always, folders walked with .gitignore
/// respected; sorted, each once. A folder that cannot be read, and a special file (a
/// FIFO) named like Markdown, are said on stderr and counted in `unreadable`.
pub(super) fn collect(paths: &[PathBuf], unreadable: &AtomicUsize) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(path).follow_links(false).build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("error: {e}");
                    unreadable.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
            };
            let p = entry.path();
            let markdown = p.extension().is_some_and(|e| e == "md" || e == "markdown");
            match entry.file_type() {
                Some(t) if t.is_file() && markdown => files.push(p.to_path_buf()),
                Some(t) if markdown && !t.is_dir() && !t.is_symlink() => {
                    eprintln!("error: {}: not a regular file", p.display());
                    unreadable.fetch_add(1, Ordering::Relaxed);
                }
                _ => {}
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

/// Checks files on all cores; results in the files' order.
fn check_files(
    files: &[PathBuf],
    settings: &[Settings],
    template: Option<&str>,
    cache: Option<&Cache>,
    unreadable: &AtomicUsize,
) -> Vec<Checked> {
    let next = AtomicUsize::new(0);
    let folders = Folders::default();
    let results: Mutex<Vec<(usize, Checked)>> = Mutex::new(Vec::with_capacity(files.len()));
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(files.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let checked = check_file(path, &folders, settings, template, cache, unreadable);
                    results
                        .lock()
                        .expect("no worker panics while holding the lock")
                        .push((i, checked));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("workers are done");
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, c)| c).collect()
}

/// The canonical paths of the folders files were found in, each resolved once.
type Folders = Mutex<std::collections::HashMap<PathBuf, PathBuf>>;

/// The canonical path of a file: its folder's, resolved once for all the files in it, and
/// its name; a file that is a symbolic link (named on the command line) resolved itself.
fn canonical(path: &Path, folders: &Folders) -> PathBuf {
    let whole = || std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return whole();
    };
    if path.is_symlink() {
        return whole();
    }
    let known = folders.lock().ok().and_then(|f| f.get(folder).cloned());
    let resolved = match known {
        Some(r) => r,
        None => {
            let Ok(r) = std::fs::canonicalize(if folder.as_os_str().is_empty() {
                Path::new(".")
            } else {
                folder
            }) else {
                return whole();
            };
            if let Ok(mut f) = folders.lock() {
                f.insert(folder.to_path_buf(), r.clone());
            }
            r
        }
    };
    resolved.join(name)
}

fn check_file(
    path: &Path,
    folders: &Folders,
    settings: &[Settings],
    template: Option<&str>,
    cache: Option<&Cache>,
    unreadable: &AtomicUsize,
) -> Checked {
    let abs = canonical(path, folders);
    let mut key = None;
    let text = match crate::workspace::read_regular(path, super::MAX_MARKDOWN).map(|bytes| {
        key = cache.map(|_| Cache::key(&abs, &bytes));
        String::from_utf8(bytes)
    }) {
        Ok(Ok(text)) => text,
        failed => {
            let why = match failed {
                Err(e) => e.to_string(),
                _ => "not valid UTF-8".to_string(),
            };
            eprintln!("error: {}: {why}", path.display());
            unreadable.fetch_add(1, Ordering::Relaxed);
            return Checked {
                path: path.to_path_buf(),
                text: String::new(),
                template: None,
                findings: Vec::new(),
                facts: None,
                sidecar: None,
            };
        }
    };
    let entry = match (cache, key) {
        (Some(cache), Some(key)) => cache.get(key, &text),
        _ => None,
    };
    let abs = normalize(&abs);
    let entry = entry.unwrap_or_else(|| {
        // Chunks, as an open reads them: the plain ones by line scan, the rest parsed.
        let snapshot = Document::new(&text, 0).snapshot();
        let ctx = settings_for(settings, &abs).context(Some(&abs), template);
        let report = diagnostics::check(&snapshot, &ctx);
        let entry = Arc::new(Entry {
            template: report.template().map(|t| t.name.clone()),
            findings: report
                .diagnostics
                .into_iter()
                .map(|d| (d.range, d.severity, d.code, d.message))
                .collect(),
            facts: Some(Arc::new(scan_text(Some(&abs), &text))),
        });
        if let (Some(cache), Some(key)) = (cache, key) {
            cache.put(key, entry.clone());
        }
        entry
    });
    let lines = LineIndex::new(&text);
    let findings = entry
        .findings
        .iter()
        .map(|(range, severity, code, message)| {
            Finding::new(&lines, range.clone(), *severity, code, message.clone())
        })
        .collect();
    let facts = entry
        .facts
        .clone()
        .unwrap_or_else(|| Arc::new(scan_text(Some(&abs), &text)));
    let mut findings: Vec<Finding> = findings;
    let sidecar = (entry.template.as_deref())
        .and_then(|name| sidecar_of(path, &abs, name, settings, template, &lines, &mut findings));
    Checked {
        path: path.to_path_buf(),
        text,
        template: entry.template.clone(),
        findings,
        facts: Some((abs, facts)),
        sidecar,
    }
}

/// [`check_sidecar`] for the RFC at `path` that follows template `name`: the sidecar
/// checked, or (when it cannot be read) a finding put first among the RFC's own.
fn sidecar_of(
    path: &Path,
    abs: &Path,
    name: &str,
    settings: &[Settings],
    template: Option<&str>,
    lines: &LineIndex,
    findings: &mut Vec<Finding>,
) -> Option<Box<Checked>> {
    match check_sidecar(path, abs, name, settings, template)? {
        Ok(checked) => Some(checked),
        Err(message) => {
            let missing = Finding::new(lines, 0..0, Severity::Error, "metadata-missing", message);
            findings.insert(0, missing);
            None
        }
    }
}

/// The YAML file beside an RFC whose template keeps its metadata there (`kep.yaml`),
/// checked with its own findings; `Err`: the finding for the RFC when it cannot be read.
/// Not cached (it is small, and the RFC's cache entry is keyed by the RFC's text alone).
fn check_sidecar(
    path: &Path,
    abs: &Path,
    name: &str,
    settings: &[Settings],
    template: Option<&str>,
) -> Option<Result<Box<Checked>, String>> {
    let settings = settings_for(settings, abs);
    let chosen = settings.templates.get(name)?;
    let file = chosen.sidecar.as_deref()?;
    let sidecar_path = path.with_file_name(file);
    let ctx = settings.context(Some(abs), template);
    let text = match crate::workspace::read_regular(&sidecar_path, super::MAX_MARKDOWN)
        .map(String::from_utf8)
    {
        Ok(Ok(text)) => text,
        failed => {
            let why = match failed {
                Err(e) => e.to_string(),
                _ => "not valid UTF-8".to_string(),
            };
            return Some(Err(format!(
                "No metadata: template `{name}` keeps it in `{file}` beside the RFC ({why})"
            )));
        }
    };
    let snapshot = Document::new(&text, 0).snapshot();
    let lines = LineIndex::new(&text);
    let findings = diagnostics::check_sidecar(&snapshot, chosen, &ctx)
        .into_iter()
        .map(|d| Finding::new(&lines, d.range, d.severity, d.code, d.message))
        .collect();
    Some(Ok(Box::new(Checked {
        path: sidecar_path,
        text,
        template: None,
        findings,
        facts: None,
        sidecar: None,
    })))
}

#[cfg(test)]
mod tests {
    use super::{Folders, canonical};

    #[test]
    fn canonical_paths_resolve_linked_folders_and_linked_files() {
        let base = std::env::temp_dir().join(format!("rfc-lsp-canonical-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(base.join("real")).expect("a temp dir");
        std::fs::write(base.join("real/a.md"), "# A\n").expect("writable");
        std::os::unix::fs::symlink(base.join("real"), base.join("linked")).expect("a link");
        std::os::unix::fs::symlink(base.join("real/a.md"), base.join("b.md")).expect("a link");
        let real = std::fs::canonicalize(base.join("real/a.md")).expect("exists");
        let folders = Folders::default();
        for path in [
            base.join("linked/a.md"),
            base.join("real/a.md"),
            base.join("b.md"),
        ] {
            assert_eq!(canonical(&path, &folders), real, "{}", path.display());
        }
        // A file that is not there is placed in its folder, resolved.
        let gone = base.join("real/gone.md");
        assert_eq!(canonical(&gone, &folders), real.with_file_name("gone.md"));
        let _ = std::fs::remove_dir_all(&base);
    }
}
