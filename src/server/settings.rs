//! Where the settings come from: the workspace folder's `.rfc-lsp.yaml` (or the file the
//! editor names), then the editor's own settings (initializationOptions).

use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;
use tower_lsp_server::ls_types::{
    ConfigurationItem, Diagnostic, DiagnosticSeverity, InitializeParams, NumberOrString, Uri,
};

use super::{Backend, convert};
use crate::analysis::diagnostics::Severity;
use crate::workspace::{ConfigProblem, config};

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
        let root = self.settings().root.clone();
        self.reconfigure(&root, editor.unwrap_or_default());
        self.publish_config_problems().await;
        self.push_all_diagnostics(None).await;
    }

    /// Reloads the configuration when one of its files changed on disk (checked by size and
    /// modification time, so it works whether or not the client watches files for us).
    pub(super) async fn reload_if_config_changed(&self) {
        let settings = self.settings();
        let stamp = settings.stamp();
        let changed = self
            .config_stamp
            .lock()
            .map(|s| *s != stamp)
            .unwrap_or(false);
        if !changed {
            return;
        }
        tracing::info!("a configuration file changed on disk: reloading");
        let editor = self
            .editor_settings
            .lock()
            .map(|e| e.clone())
            .unwrap_or_default();
        self.reconfigure(&settings.root, editor);
        self.publish_config_problems().await;
        self.push_all_diagnostics(None).await;
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
        self.reconfigure(&root, editor);
    }

    /// Loads the config file and applies the editor's settings over it.
    pub(super) fn reconfigure(&self, root: &std::path::Path, editor: EditorSettings) {
        let root = root.to_path_buf();
        let explicit = editor
            .config_file
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(PathBuf::from);
        let (loaded, problems) = config::load(&root, explicit.as_deref());
        // A config file that does not parse at all (often half-way through an edit) keeps
        // the last configuration that did in force, rather than falling back to defaults.
        let mut settings = {
            let mut last = self.config_base.lock().unwrap_or_else(|p| p.into_inner());
            match last.as_ref() {
                Some(prev)
                    if problems.iter().any(|p| p.fatal)
                        && prev.config_path == loaded.config_path =>
                {
                    tracing::warn!("the configuration does not parse: keeping the previous one");
                    let mut prev = prev.clone();
                    prev.inputs = loaded.inputs.clone();
                    prev
                }
                _ => {
                    *last = Some(loaded.clone());
                    loaded
                }
            }
        };
        if let Ok(mut e) = self.editor_settings.lock() {
            *e = editor.clone();
        }
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
            match globset::Glob::new(g) {
                Ok(g) => settings.rfc_globs.push(g.compile_matcher()),
                Err(e) => tracing::warn!("ignoring the glob {g:?}: {e}"),
            }
        }
        if let Some(t) = editor.default_template.filter(|t| !t.is_empty()) {
            settings.default_template = Some(t);
        }
        tracing::info!(root = %root.display(), config = ?settings.config_path, problems = problems.len(), "settings");
        if let Ok(mut s) = self.config_stamp.lock() {
            *s = settings.stamp();
        }
        if let Ok(mut s) = self.settings.write() {
            *s = Arc::new(settings);
        }
        if let Ok(mut p) = self.config_problems.lock() {
            *p = problems;
        }
    }

    /// Publishes problems of the config file as diagnostics on that file.
    pub(super) async fn publish_config_problems(&self) {
        let problems: Vec<ConfigProblem> = self
            .config_problems
            .lock()
            .map(|p| p.clone())
            .unwrap_or_default();
        let previous = self.config_published.lock().ok().and_then(|mut p| p.take());
        let Some(path) = problems.first().map(|p| p.path.clone()) else {
            if let Some(uri) = previous {
                self.client.publish_diagnostics(uri, Vec::new(), None).await;
            }
            return;
        };
        let Some(uri) = Uri::from_file_path(&path) else {
            return;
        };
        if let Some(old) = previous.filter(|old| *old != uri) {
            self.client.publish_diagnostics(old, Vec::new(), None).await;
        }
        if let Ok(mut p) = self.config_published.lock() {
            *p = Some(uri.clone());
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let rope = ropey::Rope::from_str(&text);
        let diagnostics = problems
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
