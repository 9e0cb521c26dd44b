//! Where the settings come from: the workspace folder's `.rfc-lsp.yaml` (or the file the
//! editor names), then the editor's own settings (initializationOptions).

use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticSeverity, InitializeParams, NumberOrString, Uri,
};

use super::{Backend, convert};
use crate::analysis::diagnostics::Severity;
use crate::workspace::{ConfigProblem, config};

/// The editor settings, shared by the three editors (section `rfcLsp`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EditorSettings {
    pub config_file: Option<String>,
    pub severity: std::collections::HashMap<String, String>,
    pub rfc_globs: Vec<String>,
    pub default_template: Option<String>,
}

impl Backend {
    /// Loads the configuration for the workspace the client opened.
    pub(super) fn configure(&self, params: &InitializeParams) {
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or_else(|| {
                #[allow(deprecated)] // older clients send only rootUri
                params.root_uri.clone()
            })
            .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
            .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
        let editor: EditorSettings = params
            .initialization_options
            .as_ref()
            .map(|o| o.get("rfcLsp").unwrap_or(o).clone())
            .and_then(|v| {
                serde_json::from_value(v)
                    .map_err(|e| tracing::warn!("ignoring initializationOptions: {e}"))
                    .ok()
            })
            .unwrap_or_default();
        let explicit = editor
            .config_file
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(PathBuf::from);
        let (mut settings, problems) = config::load(&root, explicit.as_deref());
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
        let Some(path) = problems.first().map(|p| p.path.clone()) else {
            return;
        };
        let Some(uri) = Uri::from_file_path(&path) else {
            return;
        };
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
