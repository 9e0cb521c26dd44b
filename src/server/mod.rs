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
mod diagnostics;
mod documents;
mod editing;
mod fastpath;
mod features;
mod index_block;
mod navigation;
mod settings;

/// The documentSymbol answer's JSON (public for the benches).
pub use fastpath::{symbols_answer, symbols_json, transport};

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use dashmap::DashMap;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::syntax::Document;
use crate::text::Encoding;
use crate::workspace::Settings;

/// What the client can do, from its `initialize` capabilities.
#[derive(Debug, Clone, Copy, Default)]
struct ClientCaps {
    /// It pulls diagnostics (textDocument/diagnostic): then we never push them.
    pull_diagnostics: bool,
    /// It shows `$/progress` (window.workDoneProgress).
    progress: bool,
    /// It accepts snippets in completion items.
    snippets: bool,
    /// It can watch files for us (dynamic registration).
    watch_files: bool,
    /// It applies file renames in workspace edits.
    rename_files: bool,
    /// It takes `documentChanges` in workspace edits (else `changes`).
    document_changes: bool,
}

impl ClientCaps {
    fn of(c: &ClientCapabilities) -> ClientCaps {
        let text = c.text_document.as_ref();
        let edits = c.workspace.as_ref().and_then(|w| w.workspace_edit.as_ref());
        // Resource operations come only with documentChanges (Neovim declares the former
        // alone).
        let rename_files = edits.is_some_and(|e| {
            e.resource_operations
                .as_ref()
                .is_some_and(|ops| ops.contains(&ResourceOperationKind::Rename))
        });
        ClientCaps {
            pull_diagnostics: text.is_some_and(|t| t.diagnostic.is_some()),
            progress: c
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            snippets: text
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                .unwrap_or(false),
            watch_files: c
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            rename_files,
            document_changes: rename_files
                || edits.is_some_and(|e| e.document_changes == Some(true)),
        }
    }
}

/// Shared state of one server instance.
pub struct Backend {
    client: Client,
    documents: Arc<DashMap<Uri, Document>>,
    encoding: Arc<AtomicU8>,
    /// Each workspace folder's configuration, the first folder's first; replaced whole
    /// when the configuration changes.
    configs: Arc<RwLock<Vec<settings::FolderConfig>>>,
    /// What the client can do, read once from `initialize`.
    caps: std::sync::OnceLock<ClientCaps>,
    /// Every RFC in the workspace; open documents' entries are their buffers'.
    index: navigation::SharedIndex,
    /// Each open document's index facts and the version they are of (kept across edits
    /// that cannot change them: see `change`).
    facts: navigation::FactsCache,
    /// The editor's own settings, kept to re-apply over a reloaded config file.
    editor_settings: Mutex<settings::EditorSettings>,
    /// The client's requests not answered yet, which pushed diagnostics wait for.
    pending: Arc<transport::Pending>,
    /// The config files that last received diagnostics (cleared once they are fixed).
    config_published: Mutex<Vec<Uri>>,
    /// The workspace folders the client opened, all indexed, each with its configuration.
    folders: Mutex<Vec<std::path::PathBuf>>,
    /// What was last pushed for each open document: its version and a hash of the
    /// diagnostics. The same again is not sent (a client would redraw for nothing).
    pushed: Arc<DashMap<Uri, (Option<i32>, u64)>>,
    /// Bumped whenever one document's findings may change another's (a number, title or
    /// anchor changed, the index was read, the settings reloaded): the workspace pull's
    /// cache of closed files is good for one generation.
    generation: Arc<std::sync::atomic::AtomicU64>,
    /// The workspace pull's findings of closed RFCs (see `diagnostics::WorkspaceCache`).
    workspace_cache: diagnostics::WorkspaceCache,
    /// The RFC index's rows of closed files, for documents with a marked index.
    rows: Arc<crate::workspace::rfc_index::RowCache>,
    /// The RFC index's row of each open document as last read, while a document with a
    /// marked index is open: one that changes has that document's finding read again.
    open_rows: Arc<DashMap<Uri, crate::workspace::rfc_index::Row>>,
    /// The open documents that hold a marked RFC index, as their last diagnostics found.
    marked: Arc<DashMap<Uri, ()>>,
}

impl Backend {
    fn new(client: Client) -> Backend {
        let cwd = std::env::current_dir().unwrap_or_default();
        Backend {
            client,
            documents: Arc::default(),
            encoding: Arc::new(AtomicU8::new(encoding_code(Encoding::Utf16))),
            configs: Arc::new(RwLock::new(vec![settings::FolderConfig::defaults(&cwd)])),
            caps: std::sync::OnceLock::new(),
            index: Arc::default(),
            facts: Arc::default(),
            pending: Arc::default(),
            editor_settings: Mutex::default(),
            config_published: Mutex::new(Vec::new()),
            folders: Mutex::new(Vec::new()),
            pushed: Arc::default(),
            generation: Arc::default(),
            workspace_cache: Arc::default(),
            rows: Arc::default(),
            open_rows: Arc::default(),
            marked: Arc::default(),
        }
    }

    /// What the client can do (all off before `initialize`).
    fn caps(&self) -> &ClientCaps {
        static NONE: ClientCaps = ClientCaps {
            pull_diagnostics: false,
            progress: false,
            snippets: false,
            watch_files: false,
            rename_files: false,
            document_changes: false,
        };
        self.caps.get().unwrap_or(&NONE)
    }

    /// The first workspace folder's settings.
    fn settings(&self) -> Arc<Settings> {
        self.settings_for(None)
    }

    fn encoding(&self) -> Encoding {
        encoding_of(&self.encoding)
    }

    /// Indexes the workspace folders afresh (at start, and when the client adds or removes
    /// folders), then refreshes the open documents, which may cite, or duplicate, RFCs
    /// the index has just found.
    async fn index_folders(&self) {
        let mut roots = self.folders.lock().map(|f| f.clone()).unwrap_or_default();
        if roots.is_empty() {
            roots.push(self.settings().root.clone());
        }
        let job = IndexJob {
            client: self.client.clone(),
            roots: outermost(roots),
            index: self.index.clone(),
            documents: self.documents.clone(),
            settings: self
                .configs
                .read()
                .map(|c| c.iter().map(|c| c.settings.clone()).collect())
                .unwrap_or_default(),
        };
        index_workspace(job, self.caps().progress).await;
        self.push_all_diagnostics(None).await;
    }

    /// A snapshot of an open document, taken without holding the map guard any longer.
    fn snapshot(&self, uri: &Uri) -> Result<crate::analysis::Snapshot> {
        match self.documents.get(uri) {
            Some(doc) => Ok(doc.snapshot()),
            None => Err(not_open(uri)),
        }
    }
}

impl Backend {
    async fn test_panic(&self, params: serde_json::Value) -> Result<()> {
        panic!("rfc-lsp/testPanic was asked to panic: {params}");
    }
}

fn not_open(uri: &Uri) -> Error {
    Error::invalid_params(format!("document not open: {}", uri.as_str()))
}

/// The index of the Markdown files under `roots`, as each folder's settings see them:
/// without the files `exclude:` names, with those an `rfcs:` glob names counted as RFCs.
fn scan_folders(
    roots: &[std::path::PathBuf],
    settings: &[Arc<Settings>],
    progress: &tokio::sync::mpsc::UnboundedSender<usize>,
) -> crate::workspace::index::Index {
    let mut scanned = crate::workspace::index::Index::scan(roots, &mut |n| {
        let _ = progress.send(n);
    });
    scanned
        .follow(|p| crate::workspace::config::innermost(settings, |s| s.as_ref(), p).map(|s| &**s));
    scanned.accept_forms(settings.iter().map(|s| &s.reference_forms));
    scanned
}

/// Indexes the workspace's RFCs off the runtime, reporting `$/progress` to a client that
/// shows it; then refreshes the open documents' diagnostics, which may now see others.
async fn index_workspace(backend: IndexJob, show: bool) {
    let IndexJob {
        client,
        roots,
        index,
        documents,
        settings,
    } = backend;
    let started = std::time::Instant::now();
    let token = NumberOrString::String("rfc-lsp/index".to_string());
    let ongoing = if show
        && client
            .create_work_done_progress(token.clone())
            .await
            .is_ok()
    {
        Some(
            client
                .progress(token, "rfc-lsp: indexing RFCs")
                .with_message(
                    roots
                        .iter()
                        .map(|r| r.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
                .begin()
                .await,
        )
    } else {
        None
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let scan = tokio::task::spawn_blocking(move || scan_folders(&roots, &settings, &tx));
    while let Some(n) = rx.recv().await {
        if let Some(p) = &ongoing {
            p.report(format!("{n} files read")).await;
        }
    }
    let Ok(mut scanned) = scan.await else {
        tracing::error!("the workspace index failed");
        if let Some(p) = ongoing {
            p.finish_with_message("failed: see the server log").await;
        }
        return;
    };
    let rfcs = scanned.files.values().filter(|f| f.is_rfc).count();
    let files = scanned.files.len();
    {
        // Open documents keep the entries of their buffers.
        let mut current = index.write().unwrap_or_else(|p| p.into_inner());
        for d in documents.iter() {
            if let Some(path) = navigation::path_of(d.key())
                && let Some(f) = current.files.get(&path)
            {
                scanned.insert(path, f.clone());
            }
        }
        *current = scanned;
    }
    let message = format!(
        "{rfcs} RFCs in {files} Markdown files, in {} ms",
        started.elapsed().as_millis()
    );
    tracing::info!("workspace index: {message}");
    if let Some(p) = ongoing {
        p.finish_with_message(message).await;
    }
}

/// What the background index needs of the backend.
struct IndexJob {
    client: Client,
    /// The folders to scan, none inside another.
    roots: Vec<std::path::PathBuf>,
    index: navigation::SharedIndex,
    documents: Arc<DashMap<Uri, Document>>,
    /// Each folder's settings, whose `exclude:` globs keep files out of the index.
    settings: Vec<Arc<Settings>>,
}

/// The folders of `roots` that lie in no other one, each once, in their order: a folder
/// opened inside another is read with it.
fn outermost(roots: Vec<std::path::PathBuf>) -> Vec<std::path::PathBuf> {
    let mut kept: Vec<std::path::PathBuf> = Vec::new();
    for (i, r) in roots.iter().enumerate() {
        let inside = roots
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && r.starts_with(o) && (r != o || j < i));
        if !inside {
            kept.push(r.clone());
        }
    }
    kept
}

fn encoding_of(code: &AtomicU8) -> Encoding {
    match code.load(Ordering::Relaxed) {
        0 => Encoding::Utf8,
        2 => Encoding::Utf32,
        _ => Encoding::Utf16,
    }
}

fn encoding_code(enc: Encoding) -> u8 {
    match enc {
        Encoding::Utf8 => 0,
        Encoding::Utf16 => 1,
        Encoding::Utf32 => 2,
    }
}

/// Runs the server on stdin/stdout until the client sends `exit` or closes the stream;
/// whether `shutdown` came first (the process then exits 0, else 1).
pub async fn run_stdio() -> bool {
    let mut direct = None;
    let mut pending = None;
    let service = LspService::build(|client| {
        let backend = Backend::new(client);
        direct = Some(fastpath::Direct::new(&backend));
        pending = Some(backend.pending.clone());
        backend
    })
    .custom_method("rfc-lsp/inspect", Backend::inspect);
    // With RFC_LSP_TEST_PANIC set only: a request that panics, for the tests that prove a
    // panic is answered as an error and the server goes on (in debug and release builds).
    let service = if std::env::var_os("RFC_LSP_TEST_PANIC").is_some() {
        service.custom_method("rfc-lsp/testPanic", Backend::test_panic)
    } else {
        service
    };
    let (service, socket) = service.finish();
    let direct = direct.expect("the backend was built");
    let pending = pending.expect("the backend was built");
    let (output, writer) = transport::Output::new(std::io::stdout());
    let service = transport::Front::new(
        service,
        move |r: &_| direct.route(r),
        output.sender(),
        pending.clone(),
    );
    // The client's messages reach the server through a filter that answers malformed ones
    // itself (tower-lsp-server would stop reading at the first).
    let (input, filtered) = tokio::io::duplex(1 << 16);
    let reading = tokio::spawn(transport::filter_input(
        tokio::io::stdin(),
        filtered,
        output.sender(),
        pending,
    ));
    let end = output.sender();
    Server::new(input, output, socket).serve(service).await;
    // Everything answered is written before the process ends.
    let _ = end.send(transport::END);
    let _ = tokio::task::spawn_blocking(move || writer.join()).await;
    // Served to the end (stdin closed or `exit`): cleanly only after `shutdown`.
    reading.await.unwrap_or(false)
}

/// Ends the process once the client that started it (`processId` of `initialize`) is
/// gone, as the LSP asks: a server orphaned by a crashed editor whose pipes someone else
/// still holds would otherwise live on. Checked every few seconds where `/proc` shows
/// processes (Linux); elsewhere the closed stdin ends the server.
fn watch_client(pid: u32) {
    let proc = std::path::PathBuf::from(format!("/proc/{pid}"));
    if !std::path::Path::new("/proc/self").exists() || !proc.exists() {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("client-watch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(3));
                if !proc.exists() {
                    tracing::warn!(pid, "the client process is gone: exiting");
                    std::process::exit(1);
                }
            }
        });
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
        let caps = ClientCaps::of(&params.capabilities);
        let _ = self.caps.set(caps);
        let pull = caps.pull_diagnostics;
        tracing::info!(?enc, pull, client = ?params.client_info.as_ref().map(|c| &c.name), "initialize");
        if let Some(pid) = params.process_id {
            watch_client(pid);
        }
        self.configure(&params);
        Ok(InitializeResult {
            capabilities: capabilities(enc, pull),
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
        self.publish_config_problems().await;
        // Watch Markdown files so tag completion stays fresh (clients that support it).
        let watch = Registration {
            id: "rfc-lsp-watch-markdown".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers: ["**/*.md", "**/*.{yaml,yml}"]
                    .map(|g| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(g.to_string()),
                        kind: None,
                    })
                    .to_vec(),
            })
            .ok(),
        };
        if self.caps().watch_files
            && let Err(e) = self.client.register_capability(vec![watch]).await
        {
            tracing::warn!("the client did not register the file watcher: {e}");
        }
        // The index of every RFC (and the tags for completion): one bounded scan of the
        // workspace. tower-lsp-server answers other requests while this handler awaits.
        self.index_folders().await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri.clone();
        self.open(params);
        self.reload_if_config_changed().await;
        self.push_diagnostics(uri.clone()).await;
        self.follow_index_rows(&uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri.clone();
        self.change(params);
        self.push_diagnostics(uri.clone()).await;
        self.follow_index_rows(&uri).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri.clone();
        self.close(params);
        self.marked.remove(&uri);
        self.open_rows.remove(&uri);
        // The index goes back to the file on disk.
        if let Some(path) = navigation::path_of(&uri) {
            let index = self.index.clone();
            let _ = tokio::task::spawn_blocking(move || {
                index
                    .write()
                    .unwrap_or_else(|p| p.into_inner())
                    .refresh(&path)
            })
            .await;
            self.push_all_diagnostics(None).await;
        }
        if !self.caps().pull_diagnostics {
            self.pushed.remove(&uri);
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    // textDocument/documentSymbol never reaches tower-lsp-server: `transport::Front`
    // answers it with `fastpath::symbols_answer` (see `fastpath::Direct`).

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.folds(params).await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        self.pull(params).await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        self.workspace_pull(params).await
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.settings_changed(params.settings).await;
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {
        // A skeleton of a configured template is Markdown and may be edited here.
        self.reload_if_config_changed().await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let path = |f: &WorkspaceFolder| f.uri.to_file_path().map(|p| p.into_owned());
        let removed: Vec<_> = params.event.removed.iter().filter_map(path).collect();
        let added: Vec<_> = params.event.added.iter().filter_map(path).collect();
        if let Ok(mut folders) = self.folders.lock() {
            folders.retain(|f| !removed.contains(f));
            for a in added {
                if !folders.contains(&a) {
                    folders.push(a);
                }
            }
        }
        // Each folder brings its own configuration.
        self.reload().await;
        self.index_folders().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        // A docs-project.yaml below the root is read on demand, not stamped: any change
        // to one reloads the settings.
        let project_file = params.changes.iter().any(|c| {
            navigation::path_of(&c.uri)
                .is_some_and(|p| p.file_name().is_some_and(|n| n == "docs-project.yaml"))
        });
        if project_file {
            self.reload().await;
            self.push_all_diagnostics(None).await;
        } else {
            self.reload_if_config_changed().await;
        }
        // A YAML file beside an open RFC may be its sidecar (`kep.yaml`): the RFC's
        // diagnostics, which carry the sidecar's, again.
        let folders: Vec<std::path::PathBuf> = (params.changes.iter())
            .filter(|c| !self.documents.contains_key(&c.uri))
            .filter_map(|c| navigation::path_of(&c.uri))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .filter_map(|p| p.parent().map(std::path::Path::to_path_buf))
            .collect();
        if !folders.is_empty() {
            let beside: Vec<Uri> = (self.documents.iter())
                .map(|d| d.key().clone())
                .filter(|u| {
                    navigation::path_of(u)
                        .is_some_and(|p| p.parent().is_some_and(|f| folders.iter().any(|d| d == f)))
                })
                .collect();
            for uri in beside {
                self.push_diagnostics(uri).await;
            }
        }
        // Markdown files changed on disk: read again, unless open (the buffer is newer).
        let paths: Vec<std::path::PathBuf> = params
            .changes
            .iter()
            .filter(|c| !self.documents.contains_key(&c.uri))
            .filter_map(|c| navigation::path_of(&c.uri))
            .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "markdown"))
            .collect();
        if paths.is_empty() {
            return;
        }
        let index = self.index.clone();
        let _ = tokio::task::spawn_blocking(move || {
            let mut index = index.write().unwrap_or_else(|p| p.into_inner());
            for p in &paths {
                index.refresh(p);
            }
        })
        .await;
        self.push_all_diagnostics(None).await;
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        self.definition(params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.references(params).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.workspace_symbols(params).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.links(params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.hints(params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.lenses(params).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.prepare_rename_rfc(params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.rename_rfc(params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.completion_items(params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.hover_info(params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.actions(params).await
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        self.command(params).await
    }
}

/// Everything the server offers, declared statically (Neovim and Helix ignore dynamic
/// registration of most features).
fn capabilities(enc: Encoding, pull: bool) -> ServerCapabilities {
    ServerCapabilities {
        diagnostic_provider: pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("rfc-lsp".to_string()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        position_encoding: Some(convert::encoding_kind(enc)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        document_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                [":", " ", "#", ",", "[", "-", "("]
                    .map(String::from)
                    .to_vec(),
            ),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::SOURCE]),
            ..Default::default()
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: editing::COMMANDS.iter().map(|c| c.to_string()).collect(),
            ..Default::default()
        }),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn folders_inside_others_and_repeats_are_read_once() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            super::outermost(vec![
                p("/w/a"),
                p("/w/b"),
                p("/w/a/docs"),
                p("/w/b"),
                p("/w/ab")
            ]),
            [p("/w/a"), p("/w/b"), p("/w/ab")]
        );
        assert_eq!(super::outermost(vec![p("/w/a/x"), p("/w/a")]), [p("/w/a")]);
    }
}
