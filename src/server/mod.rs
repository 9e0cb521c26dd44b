//! The LSP server: tower-lsp-server handlers that translate between the protocol and the
//! analysis layer, and own the document store. The only module that knows LSP or tokio.
//!
//! Invariants:
//! - Notifications that change a document apply every change before their first `.await`
//!   (tower-lsp runs handlers concurrently; an await before the edit lets a later request
//!   overtake it). No map guard is held across an `.await`.
//! - Requests take a [`Snapshot`](crate::analysis::Snapshot), drop the guard, and run the
//!   analysis on the blocking pool, so a slow or panicking request cannot stall the edits.

mod convert;
mod documents;
mod features;

use std::sync::atomic::{AtomicU8, Ordering};

use dashmap::DashMap;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::syntax::Document;
use crate::text::Encoding;

/// Shared state of one server instance.
pub struct Backend {
    client: Client,
    documents: DashMap<Uri, Document>,
    encoding: AtomicU8,
}

impl Backend {
    fn new(client: Client) -> Backend {
        Backend {
            client,
            documents: DashMap::new(),
            encoding: AtomicU8::new(encoding_code(Encoding::Utf16)),
        }
    }

    fn encoding(&self) -> Encoding {
        match self.encoding.load(Ordering::Relaxed) {
            0 => Encoding::Utf8,
            2 => Encoding::Utf32,
            _ => Encoding::Utf16,
        }
    }

    /// A snapshot of an open document, taken without holding the map guard any longer.
    fn snapshot(&self, uri: &Uri) -> Result<crate::analysis::Snapshot> {
        match self.documents.get(uri) {
            Some(doc) => Ok(doc.snapshot()),
            None => Err(Error::invalid_params(format!(
                "document not open: {}",
                uri.as_str()
            ))),
        }
    }
}

fn encoding_code(enc: Encoding) -> u8 {
    match enc {
        Encoding::Utf8 => 0,
        Encoding::Utf16 => 1,
        Encoding::Utf32 => 2,
    }
}

/// Runs the server on stdin/stdout until the client sends `exit` or closes the stream.
pub async fn run_stdio() {
    let (service, socket) = LspService::build(Backend::new)
        .custom_method("rfc-lsp/inspect", Backend::inspect)
        .finish();
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        let enc = convert::choose_encoding(&offered);
        self.encoding.store(encoding_code(enc), Ordering::Relaxed);
        tracing::info!(?enc, client = ?params.client_info.map(|c| c.name), "initialize");
        Ok(InitializeResult {
            capabilities: capabilities(enc),
            server_info: Some(ServerInfo {
                name: "rfc-lsp".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.client
            .log_message(
                MessageType::INFO,
                format!("rfc-lsp {} ready", env!("CARGO_PKG_VERSION")),
            )
            .await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.open(params);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.change(params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.close(params);
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.symbols(params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.folds(params).await
    }
}

/// Everything the server offers, declared statically (Neovim and Helix ignore dynamic
/// registration of most features).
fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(enc)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            },
        )),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        ..Default::default()
    }
}
