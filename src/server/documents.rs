//! Text synchronisation: didOpen, didChange, didClose. Each mutates the store
//! synchronously, before any `.await`, so edits apply in the order they arrived.

use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
};

use super::{Backend, convert};
use crate::syntax::Document;
use crate::syntax::document::Applied;

impl Backend {
    pub(super) fn open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let Some(document) = Document::new_safely(&doc.text, doc.version) else {
            return; // logged; requests for it answer "not open"
        };
        tracing::debug!(
            uri = doc.uri.as_str(),
            version = doc.version,
            chunks = document.tree().chunks().len(),
            "open"
        );
        self.documents.insert(doc.uri, document);
    }

    pub(super) fn change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let Some(mut document) = self.documents.get_mut(&uri) else {
            tracing::warn!(
                uri = uri.as_str(),
                "didChange for a document that is not open: ignored"
            );
            return;
        };
        if version <= document.version() {
            tracing::warn!(
                uri = uri.as_str(),
                version,
                previous = document.version(),
                "didChange version did not increase"
            );
        }
        let changes = params
            .content_changes
            .into_iter()
            .map(convert::change)
            .collect();
        let report = match document.apply_changes_safely(changes, version, self.encoding()) {
            Applied::Incremental(report) => report,
            Applied::Rebuilt => return,
            Applied::Lost => {
                drop(document);
                self.documents.remove(&uri);
                return;
            }
        };
        if report.clamped > 0 {
            tracing::warn!(
                uri = uri.as_str(),
                version,
                clamped = report.clamped,
                "change range outside the text: clamped"
            );
        }
        tracing::trace!(version, ?report, "change");
    }

    pub(super) fn close(&self, params: DidCloseTextDocumentParams) {
        self.documents.remove(&params.text_document.uri);
    }
}
