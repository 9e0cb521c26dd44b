//! Where the settings come from: each workspace folder's `.rfc-lsp.yaml` (or the file the
//! editor names), then the editor's own settings (initializationOptions). A document
//! follows the configuration of the innermost folder it lies in that has a config file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use tower_lsp_server::ls_types::{
    ConfigurationItem, Diagnostic, DiagnosticSeverity, InitializeParams, NumberOrString, Uri,
};

use super::{Backend, convert};
use crate::analysis::diagnostics::Severity;
use crate::workspace::{ConfigProblem, Settings, config};

/// One workspace folder's configuration.
pub(super) struct FolderConfig {
    /// In force for the folder's documents (`settings.root` is the folder).
    pub settings: Arc<Settings>,
    /// Problems of its config file, published on that file.
    pub problems: Vec<ConfigProblem>,
    /// The last configuration read from files that parsed (kept when an edit breaks it).
    pub base: Option<Settings>,
    /// Size and time of each configuration input when it was last read.
    pub stamp: Vec<Option<(std::time::SystemTime, u64)>>,
}

impl FolderConfig {
    /// The built-in defaults for `root`, until the client says which folders it opened.
    pub fn defaults(root: &Path) -> FolderConfig {
        let settings = Settings::defaults(root);
        FolderConfig {
            stamp: settings.stamp(),
            settings: Arc::new(settings),
            problems: Vec::new(),
            base: None,
        }
    }
}

/// Which folder's configuration a file at `path` follows: the innermost folder holding it
/// that has a config file, else the innermost holding it, else the first.
pub(super) fn folder_of<'a>(
    configs: &'a [FolderConfig],
    path: Option<&Path>,
) -> Option<&'a FolderConfig> {
    fn settings(c: &FolderConfig) -> &Settings {
        &c.settings
    }
    path.and_then(|p| {
        let with_file = configs.iter().filter(|c| c.settings.config_path.is_some());
        config::innermost(with_file, settings, p)
            .or_else(|| config::innermost(configs, settings, p))
    })
    .or(configs.first())
}

/// The editor settings from a JSON value: the object itself or under `rfcLsp`. `None`
/// (and a log line) when they do not have the documented shape.
pub(super) fn editor_settings(value: &serde_json::Value) -> Option<EditorSettings> {
    let v = value.get("rfcLsp").unwrap_or(value).clone();
    if v.is_null() {
        return None;
    }
    serde_json::from_value(v)
        .map_err(|e| tracing::warn!("ignoring editor settings: {e}"))
        .ok()
}

/// The editor settings, shared by the three editors (section `rfcLsp`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EditorSettings {
    pub config_file: Option<String>,
    pub severity: std::collections::HashMap<String, String>,
    pub rfc_globs: Vec<String>,
    pub default_template: Option<String>,
    /// Inlay hints after citations (`: Response cache (Accepted)`); default on.
    pub inlay_hints: Option<bool>,
}

impl Backend {
    /// The editor's settings changed: reload (config file included) and refresh the
    /// diagnostics of open documents.
    pub(super) async fn settings_changed(&self, settings: serde_json::Value) {
        let editor = match editor_settings(&settings) {
            Some(e) => Some(e),
            None => {
                // The client sent no settings: ask for them.
                let item = ConfigurationItem {
                    scope_uri: None,
                    section: Some("rfcLsp".to_string()),
                };
                match self.client.configuration(vec![item]).await {
                    Ok(values) => values.first().and_then(editor_settings),
                    Err(e) => {
                        tracing::warn!("workspace/configuration failed: {e}");
                        None
                    }
                }
            }
        };
        self.reconfigure(editor.unwrap_or_default());
        self.publish_config_problems().await;
        self.push_all_diagnostics(None).await;
    }

    /// Reloads the configuration when one of its files changed on disk (checked by size and
    /// modification time, so it works whether or not the client watches files for us).
    pub(super) async fn reload_if_config_changed(&self) {
        let changed = {
            let configs = self.configs.read().unwrap_or_else(|p| p.into_inner());
            configs.iter().any(|c| c.settings.stamp() != c.stamp)
        };
        if !changed {
            return;
        }
        tracing::info!("a configuration file changed on disk: reloading");
        self.reload().await;
        self.push_all_diagnostics(None).await;
    }

    /// Reads every folder's configuration again, with the editor's settings last sent,
    /// and publishes the problems of their files.
    pub(super) async fn reload(&self) {
        let editor = self
            .editor_settings
            .lock()
            .map(|e| e.clone())
            .unwrap_or_default();
        self.reconfigure(editor);
        self.publish_config_problems().await;
    }

    /// The settings a document at `path` follows (see [`folder_of`]); the first folder's
    /// for `None`.
    pub(super) fn settings_for(&self, path: Option<&Path>) -> Arc<Settings> {
        let configs = self.configs.read().unwrap_or_else(|p| p.into_inner());
        folder_of(&configs, path).map_or_else(
            || {
                Arc::new(Settings::defaults(
                    &std::env::current_dir().unwrap_or_default(),
                ))
            },
            |c| c.settings.clone(),
        )
    }

    /// The settings the document at `uri` follows.
    pub(super) fn settings_of(&self, uri: &Uri) -> Arc<Settings> {
        self.settings_for(uri.to_file_path().as_deref())
    }

    /// Loads the configuration for the workspace the client opened.
    pub(super) fn configure(&self, params: &InitializeParams) {
        let folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        let root = folders
            .first()
            .cloned()
            .or_else(|| {
                #[allow(deprecated)] // older clients send only rootUri
                params
                    .root_uri
                    .as_ref()
                    .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
            })
            .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
        if let Ok(mut f) = self.folders.lock() {
            *f = if folders.is_empty() {
                vec![root.clone()]
            } else {
                folders
            };
        }
        let editor = params
            .initialization_options
            .as_ref()
            .and_then(editor_settings)
            .unwrap_or_default();
        self.reconfigure(editor);
    }

    /// Loads every folder's config file and applies the editor's settings over each.
    pub(super) fn reconfigure(&self, editor: EditorSettings) {
        let mut roots = self.folders.lock().map(|f| f.clone()).unwrap_or_default();
        if roots.is_empty() {
            roots.push(self.settings().root.clone());
        }
        let explicit = editor
            .config_file
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(PathBuf::from);
        // Each folder's last configuration that parsed, kept while its file does not.
        let mut bases: Vec<(PathBuf, Settings)> = {
            let old = self.configs.read().unwrap_or_else(|p| p.into_inner());
            old.iter()
                .filter_map(|c| Some((c.settings.root.clone(), c.base.clone()?)))
                .collect()
        };
        let mut configs: Vec<FolderConfig> = Vec::with_capacity(roots.len());
        for root in roots {
            if configs.iter().any(|c| c.settings.root == root) {
                continue;
            }
            let previous = bases
                .iter()
                .position(|(r, _)| *r == root)
                .map(|i| bases.swap_remove(i).1);
            // Reads files and, without a config file, looks at the repository (a few
            // hundred milliseconds): the runtime's other tasks move to another thread.
            let load = || load_folder(&root, explicit.as_deref(), previous, &editor);
            configs.push(match tokio::runtime::Handle::try_current() {
                Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                    tokio::task::block_in_place(load)
                }
                _ => load(),
            });
        }
        if let Ok(mut e) = self.editor_settings.lock() {
            *e = editor;
        }
        self.index
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .accept_forms(configs.iter().map(|c| &c.settings.reference_forms));
        // Every RFC's findings may differ under the new settings.
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut c) = self.configs.write() {
            *c = configs;
        }
    }

    /// Publishes the problems of every config file as diagnostics on that file, and clears
    /// those of files fixed since.
    pub(super) async fn publish_config_problems(&self) {
        let mut problems: Vec<ConfigProblem> = {
            let configs = self.configs.read().unwrap_or_else(|p| p.into_inner());
            configs.iter().flat_map(|c| c.problems.clone()).collect()
        };
        // A file the editor names for every folder is read once per folder.
        let mut seen = std::collections::HashSet::new();
        problems.retain(|p| seen.insert((p.path.clone(), p.range.clone(), p.message.clone())));
        let mut files: Vec<(PathBuf, Vec<ConfigProblem>)> = Vec::new();
        for p in problems {
            match files.iter_mut().find(|(path, _)| *path == p.path) {
                Some((_, list)) => list.push(p),
                None => files.push((p.path.clone(), vec![p])),
            }
        }
        let now: Vec<(Uri, PathBuf, Vec<ConfigProblem>)> = files
            .into_iter()
            .filter_map(|(path, list)| Some((Uri::from_file_path(&path)?, path, list)))
            .collect();
        let previous = self
            .config_published
            .lock()
            .map(|mut p| std::mem::replace(&mut *p, now.iter().map(|(u, ..)| u.clone()).collect()))
            .unwrap_or_default();
        for old in previous {
            if !now.iter().any(|(u, ..)| *u == old) {
                self.client.publish_diagnostics(old, Vec::new(), None).await;
            }
        }
        for (uri, path, list) in now {
            let text = crate::workspace::config::read_config_file(&path).unwrap_or_default();
            let rope = ropey::Rope::from_str(&text);
            let diagnostics = list
                .into_iter()
                .map(|p| Diagnostic {
                    range: convert::range(&rope, p.range, self.encoding()),
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String("config-invalid".into())),
                    source: Some("rfc-lsp".into()),
                    message: p.message,
                    ..Default::default()
                })
                .collect::<Vec<_>>();
            self.client
                .publish_diagnostics(uri, diagnostics, None)
                .await;
        }
    }
}

/// Reads one folder's configuration: its config file (or the one the editor names), with
/// the editor's settings over it. A config file that does not parse at all (often half-way
/// through an edit) keeps `previous`, the last one that did, in force rather than the
/// defaults.
fn load_folder(
    root: &Path,
    explicit: Option<&Path>,
    previous: Option<Settings>,
    editor: &EditorSettings,
) -> FolderConfig {
    let (loaded, problems) = config::load(root, explicit);
    let (mut settings, base) = match previous {
        Some(prev)
            if problems.iter().any(|p| p.fatal) && prev.config_path == loaded.config_path =>
        {
            tracing::warn!(
                root = %root.display(),
                "the configuration does not parse: keeping the previous one"
            );
            let mut kept = prev.clone();
            kept.inputs = loaded.inputs.clone();
            (kept, prev)
        }
        _ => (loaded.clone(), loaded),
    };
    for (code, level) in &editor.severity {
        match Severity::parse(level) {
            Some(s) => {
                settings.severity.insert(code.clone(), s);
            }
            None => tracing::warn!(
                code,
                level,
                "ignoring an unknown severity in the editor settings"
            ),
        }
    }
    for g in &editor.rfc_globs {
        match config::compile_glob(g) {
            Ok(g) => settings.rfc_globs.push(g),
            Err(e) => tracing::warn!("ignoring the glob {g:?}: {e}"),
        }
    }
    if let Some(t) = editor.default_template.clone().filter(|t| !t.is_empty()) {
        settings.default_template = Some(t);
    }
    tracing::info!(root = %root.display(), config = ?settings.config_path, problems = problems.len(), "settings");
    FolderConfig {
        stamp: settings.stamp(),
        settings: Arc::new(settings),
        problems,
        base: Some(base),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(root: &str, with_config: bool) -> FolderConfig {
        let mut settings = Settings::defaults(Path::new(root));
        if with_config {
            settings.config_path = Some(Path::new(root).join(config::CONFIG_FILE));
        }
        FolderConfig {
            stamp: Vec::new(),
            settings: Arc::new(settings),
            problems: Vec::new(),
            base: None,
        }
    }

    #[test]
    fn a_file_follows_the_innermost_folder_with_a_config_file() {
        let configs = [
            folder("/w/other", false),
            folder("/w/repo", true),
            folder("/w/repo/docs", false),
            folder("/w/repo/docs/team", true),
        ];
        let root = |p: &str| {
            folder_of(&configs, Some(Path::new(p))).map(|c| c.settings.root.display().to_string())
        };
        // A nested folder without a config file reads its parent's.
        assert_eq!(root("/w/repo/docs/rfc-1.md").as_deref(), Some("/w/repo"));
        assert_eq!(
            root("/w/repo/docs/team/rfc-2.md").as_deref(),
            Some("/w/repo/docs/team")
        );
        // A folder of its own without one gets its defaults, not the first folder's file.
        assert_eq!(root("/w/other/rfc-3.md").as_deref(), Some("/w/other"));
        // Outside every folder (and for no path): the first folder.
        assert_eq!(root("/elsewhere/rfc-4.md").as_deref(), Some("/w/other"));
        assert_eq!(
            folder_of(&configs, None).map(|c| c.settings.root.clone()),
            Some(PathBuf::from("/w/other"))
        );
        // "/w/repository" is not inside "/w/repo".
        assert_eq!(root("/w/repository/rfc-5.md").as_deref(), Some("/w/other"));
        assert!(folder_of(&[], None).is_none());
    }
}
