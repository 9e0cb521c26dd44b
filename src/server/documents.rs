//! Text synchronisation: didOpen, didChange, didClose. Each mutates the store
//! synchronously, before any `.await`, so edits apply in the order they arrived.

use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
};

use super::{Backend, convert};
use crate::syntax::Document;
use crate::syntax::document::Applied;
use crate::workspace::index::edit_keeps_facts;

impl Backend {
    pub(super) fn open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let started = std::time::Instant::now();
        let Some(document) = Document::new_safely(&doc.text, doc.version) else {
            return; // logged; requests for it answer "not open"
        };
        tracing::debug!(
            uri = doc.uri.as_str(),
            version = doc.version,
            chunks = document.tree().chunks().len(),
            us = started.elapsed().as_micros() as u64,
            "open"
        );
        self.facts.remove(&doc.uri);
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
        let changes: Vec<crate::text::Change> = params
            .content_changes
            .into_iter()
            .map(convert::change)
            .collect();
        // An edit inside one plain line (no line break in or out) leaves the document's
        // index facts as they were: they are kept instead of read again from the text.
        let previous = document.version();
        let within_line = match changes.as_slice() {
            [c] => c
                .range
                .filter(|(a, b)| a.line == b.line && !c.text.contains(['\n', '\r'])),
            _ => None,
        };
        let line_text = |d: &Document, line: u32| -> Option<String> {
            let line = line as usize;
            (line < d.rope().len_lines()).then(|| d.rope().line(line).to_string())
        };
        let before = within_line.and_then(|(a, _)| line_text(&document, a.line));
        let lines_before = document.rope().len_lines();
        let applied = document.apply_changes_safely(changes, version, self.encoding());
        let kept = match (&applied, within_line, before) {
            // (Deleting what stood between a lone CR and a line feed joins two lines.)
            (Applied::Incremental(_), Some((a, _)), Some(before))
                if document.rope().len_lines() == lines_before =>
            {
                let after = line_text(&document, a.line).unwrap_or_default();
                self.facts.get_mut(&uri).is_some_and(|mut e| {
                    let keep = e.0 == previous && edit_keeps_facts(&e.1, a.line, &before, &after);
                    if keep {
                        e.0 = version;
                    }
                    keep
                })
            }
            _ => false,
        };
        if !kept {
            self.facts.remove(&uri);
        }
        let report = match applied {
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
        self.facts.remove(&params.text_document.uri);
        self.documents.remove(&params.text_document.uri);
    }
}
