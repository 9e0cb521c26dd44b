//! Diagnostics to the client: pushed after every change (with the document's version) to
//! clients that do not pull, answered on textDocument/diagnostic for those that do;
//! never both to one client.

use std::sync::atomic::Ordering;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Diagnostic, DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport, Uri,
};

use super::{Backend, convert, features::run};
use crate::analysis::{self, Snapshot};
use crate::text::Encoding;
use crate::workspace::Settings;

fn compute(snapshot: &Snapshot, settings: &Settings, uri: &Uri, enc: Encoding) -> Vec<Diagnostic> {
    let path = uri.to_file_path();
    let ctx = settings.context(path.as_deref(), None);
    let report = analysis::diagnostics::check(snapshot, &ctx);
    report
        .diagnostics
        .into_iter()
        .map(|d| convert::diagnostic(&snapshot.rope, uri, d, enc))
        .collect()
}

impl Backend {
    /// Publishes the diagnostics of the document's current version, unless the client
    /// pulls them or a newer version arrived meanwhile (its own push follows).
    pub(super) async fn push_diagnostics(&self, uri: Uri) {
        if self.pull_diagnostics.load(Ordering::Relaxed) {
            return;
        }
        let Ok(snapshot) = self.snapshot(&uri) else {
            return;
        };
        let version = snapshot.version;
        let settings = self.settings();
        let key = uri.clone();
        let Ok(items) = run(snapshot, self.encoding(), move |s, enc| {
            compute(s, &settings, &key, enc)
        })
        .await
        else {
            return;
        };
        if self.documents.get(&uri).map(|d| d.version()) != Some(version) {
            return;
        }
        self.client
            .publish_diagnostics(uri, items, Some(version))
            .await;
    }

    pub(super) async fn pull(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        let settings = self.settings();
        let items = run(snapshot, self.encoding(), move |s, enc| {
            compute(s, &settings, &uri, enc)
        })
        .await?;
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
