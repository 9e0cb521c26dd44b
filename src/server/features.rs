//! Request handlers: each converts its params, runs one analysis function on a snapshot
//! off the async runtime, and converts the result.

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{FoldingRange, FoldingRangeParams, TextDocumentIdentifier};

use super::{Backend, convert};
use crate::analysis::{self, Snapshot};
use crate::text::Encoding;

/// Runs `f` on the blocking pool. A panic becomes a JSON-RPC internal error: the server
/// lives on.
pub(super) async fn run<T: Send + 'static>(
    snapshot: Snapshot,
    enc: Encoding,
    f: impl FnOnce(&Snapshot, Encoding) -> T + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(move || f(&snapshot, enc))
        .await
        .map_err(|e| {
            tracing::error!("request failed: {e}");
            Error::internal_error()
        })
}

impl Backend {
    pub(super) async fn folds(
        &self,
        params: FoldingRangeParams,
    ) -> Result<Option<Vec<FoldingRange>>> {
        let snapshot = self.snapshot(&params.text_document.uri)?;
        run(snapshot, self.encoding(), |s, _| {
            Some(
                analysis::folding::folding_ranges(s)
                    .into_iter()
                    .map(convert::folding_range)
                    .collect(),
            )
        })
        .await
    }

    /// `rfc-lsp/inspect`: the server's view of a document (its version, text and block
    /// tree), for debugging and for tests that prove the server's text is the client's.
    pub(super) async fn inspect(&self, params: InspectParams) -> Result<InspectResult> {
        let (version, text, tree) = {
            let doc = self
                .documents
                .get(&params.text_document.uri)
                .ok_or_else(|| Error::invalid_params("document not open"))?;
            (
                doc.version(),
                doc.rope().to_string(),
                doc.tree().block_lines(doc.rope()).join("\n"),
            )
        };
        Ok(InspectResult {
            version,
            text,
            syntax_tree: tree,
            index_ready: super::navigation::read(&self.index).ready,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct InspectParams {
    text_document: TextDocumentIdentifier,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct InspectResult {
    version: i32,
    text: String,
    syntax_tree: String,
    /// The workspace has been read: cross-document findings are in the diagnostics.
    index_ready: bool,
}
