//! Diagnostics to the client: pushed after every change (with the document's version) to
//! clients that do not pull, answered on textDocument/diagnostic for those that do;
//! never both to one client.

use std::time::Duration;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Diagnostic, DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport, Uri,
};

use super::navigation::{self, SharedIndex};
use super::{Backend, convert, features::run};
use crate::analysis::{self, Snapshot};
use crate::text::Encoding;
use crate::workspace::Settings;

/// The document's diagnostics: its own, then those across documents. Its facts go into
/// the index on the way; the second value says whether what other documents' findings
/// depend on (its number, uuid, title, anchors) changed.
fn compute(
    snapshot: &Snapshot,
    settings: &Settings,
    uri: &Uri,
    enc: Encoding,
    index: &SharedIndex,
    cache: &navigation::FactsCache,
) -> (Vec<Diagnostic>, bool) {
    let path = uri.to_file_path();
    let ctx = settings.context(path.as_deref(), None);
    let report = analysis::diagnostics::check(snapshot, &ctx);
    let is_rfc = report.template().is_some();
    let mut items: Vec<Diagnostic> = report
        .diagnostics
        .into_iter()
        .map(|d| convert::diagnostic(&snapshot.rope, uri, d, enc))
        .collect();
    let mut changed = false;
    if let Some(path) = navigation::path_of(uri) {
        let (facts, identity_changed) =
            navigation::current_facts(snapshot, uri, &path, cache, index);
        changed = identity_changed;
        if is_rfc {
            items.extend(navigation::diagnostics(
                snapshot,
                &path,
                &facts,
                index,
                ctx.severity,
                uri,
                enc,
            ));
        }
    }
    (items, changed)
}

/// How long pushed diagnostics wait at most for the requests read before them to be
/// answered ([`super::transport::Pending`]).
const REQUESTS_FIRST: Duration = Duration::from_millis(20);

impl Backend {
    /// Publishes the diagnostics of the document's current version, unless the client
    /// pulls them or a newer version arrived meanwhile (its own push follows).
    pub(super) async fn push_diagnostics(&self, uri: Uri) {
        if self.caps().pull_diagnostics {
            return;
        }
        let Ok(snapshot) = self.snapshot(&uri) else {
            return;
        };
        let version = snapshot.version;
        // The requests the client sent behind the change (the outline, a completion) are
        // answered first; the diagnostics follow at once.
        let waited = std::time::Instant::now();
        self.pending.settled(REQUESTS_FIRST).await;
        let waited = waited.elapsed().as_micros() as u64;
        let settings = self.settings_of(&uri);
        let key = uri.clone();
        let index = self.index.clone();
        let cache = self.facts.clone();
        let started = std::time::Instant::now();
        let Ok((items, changed)) = run(snapshot, self.encoding(), move |s, enc| {
            compute(s, &settings, &key, enc, &index, &cache)
        })
        .await
        else {
            return;
        };
        tracing::debug!(
            uri = uri.as_str(),
            version,
            findings = items.len(),
            us = started.elapsed().as_micros() as u64,
            waited,
            "diagnostics"
        );
        if self.documents.get(&uri).map(|d| d.version()) == Some(version) {
            self.client
                .publish_diagnostics(uri.clone(), items, Some(version))
                .await;
        }
        if changed {
            // Others may now duplicate it, or cite it, or no longer.
            Box::pin(self.push_all_diagnostics(Some(uri))).await;
        }
    }

    /// Pushes (or has the client pull again) every open document's diagnostics but
    /// `except`'s.
    pub(super) async fn push_all_diagnostics(&self, except: Option<Uri>) {
        if self.caps().pull_diagnostics {
            if let Err(e) = self.client.workspace_diagnostic_refresh().await {
                tracing::debug!("diagnostic refresh not supported: {e}");
            }
            return;
        }
        let uris: Vec<Uri> = self
            .documents
            .iter()
            .map(|d| d.key().clone())
            .filter(|u| Some(u) != except.as_ref())
            .collect();
        for uri in uris {
            self.push_diagnostics(uri).await;
        }
    }

    pub(super) async fn pull(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        let settings = self.settings_of(&uri);
        let index = self.index.clone();
        let cache = self.facts.clone();
        let started = std::time::Instant::now();
        let version = snapshot.version;
        let (items, changed) = run(snapshot, self.encoding(), move |s, enc| {
            compute(s, &settings, &uri, enc, &index, &cache)
        })
        .await?;
        tracing::debug!(
            version,
            findings = items.len(),
            us = started.elapsed().as_micros() as u64,
            "diagnostics pulled"
        );
        if changed {
            // Others may now duplicate it, or cite it, or no longer: the client pulls
            // theirs again. Asked once this answer is on its way, not before.
            let client = self.client.clone();
            tokio::spawn(async move {
                if let Err(e) = client.workspace_diagnostic_refresh().await {
                    tracing::debug!("diagnostic refresh not supported: {e}");
                }
            });
        }
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }
}
