//! Completion, hover, code actions and the server's commands: each converts its params,
//! runs one analysis function on a snapshot off the runtime, and converts the result.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::{Backend, convert, features::run, navigation};
use crate::analysis::actions::{ActionKind, code_actions, sidecar_actions};
use crate::analysis::completion::{Extra, ItemKind, complete, complete_sidecar};
use crate::analysis::edit::{self, TextEdit as Edit};
use crate::analysis::hover::{hover, hover_sidecar};
use crate::analysis::new_rfc::NewRfcError;
use crate::text::{Encoding, line_col_to_offset};
use crate::workspace::new_rfc;

/// The commands the server runs (workspace/executeCommand).
pub const COMMANDS: &[&str] = &[
    "rfc-lsp.insertMissingSections",
    "rfc-lsp.listTemplates",
    "rfc-lsp.newRfc",
    "rfc-lsp.showCitations",
];

fn lsp_edits(rope: &ropey::Rope, edits: Vec<Edit>, enc: Encoding) -> Vec<TextEdit> {
    edits
        .into_iter()
        .map(|e| TextEdit {
            range: convert::range(rope, e.range, enc),
            new_text: e.text,
        })
        .collect()
}

impl Backend {
    pub(super) async fn completion_items(
        &self,
        params: CompletionParams,
    ) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        let settings = self.settings_of(&uri);
        let snippets = self.caps().snippets;
        let pos = convert::pos(params.text_document_position.position);
        let index = self.index.clone();
        run(snapshot, self.encoding(), move |s, enc| {
            let offset = line_col_to_offset(&s.rope, pos, enc).0;
            // After `RFC-` or `](`: the workspace's RFCs.
            if let Some(path) = navigation::path_of(&uri)
                && let Some(items) = Backend::reference_completion(&index, s, &path, offset, enc)
                && !items.is_empty()
            {
                return Some(CompletionResponse::List(CompletionList {
                    is_incomplete: false,
                    items,
                }));
            }
            let path = uri.to_file_path();
            let own = navigation::path_of(&uri);
            let today = edit::today();
            let extra = Extra {
                // Not the document's own tags: they are excluded anyway.
                workspace_tags: &|| navigation::read(&index).tag_counts(own.as_deref()),
                snippets,
                today: &today,
            };
            // An RFC's sidecar (`kep.yaml`): its template's fields, with the RFC's context.
            let sidecar = path.as_deref().and_then(|p| settings.sidecar_of(p));
            let items = match &sidecar {
                Some((template, rfc)) => {
                    let ctx = settings.context(Some(rfc), None);
                    complete_sidecar(s, template, &ctx, offset, &extra)
                }
                None => complete(s, &settings.context(path.as_deref(), None), offset, &extra),
            };
            let items: Vec<CompletionItem> = items
                .into_iter()
                .map(|i| CompletionItem {
                    label: i.label,
                    kind: Some(match i.kind {
                        ItemKind::Value => CompletionItemKind::ENUM_MEMBER,
                        ItemKind::Tag => CompletionItemKind::VALUE,
                        ItemKind::Field => CompletionItemKind::FIELD,
                        ItemKind::Section => CompletionItemKind::MODULE,
                    }),
                    detail: i.detail,
                    documentation: i.documentation.filter(|d| !d.is_empty()).map(|d| {
                        Documentation::MarkupContent(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value: d,
                        })
                    }),
                    sort_text: Some(i.sort),
                    filter_text: i.filter,
                    insert_text_format: Some(if i.snippet {
                        InsertTextFormat::SNIPPET
                    } else {
                        InsertTextFormat::PLAIN_TEXT
                    }),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range: convert::range(&s.rope, i.edit.range, enc),
                        new_text: i.edit.text,
                    })),
                    ..Default::default()
                })
                .collect();
            Some(CompletionResponse::List(CompletionList {
                is_incomplete: false,
                items,
            }))
        })
        .await
    }

    pub(super) async fn hover_info(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        let settings = self.settings_of(&uri);
        let pos = convert::pos(params.text_document_position_params.position);
        let index = self.index.clone();
        run(snapshot, self.encoding(), move |s, enc| {
            let offset = line_col_to_offset(&s.rope, pos, enc).0;
            if let Some(path) = navigation::path_of(&uri)
                && let Some(h) = Backend::reference_hover(&index, s, &path, offset, enc)
            {
                return Some(h);
            }
            let path = uri.to_file_path();
            let h = match path.as_deref().and_then(|p| settings.sidecar_of(p)) {
                Some((template, _)) => hover_sidecar(s, &template, offset)?,
                None => hover(s, &settings.context(path.as_deref(), None), offset)?,
            };
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: h.text,
                }),
                range: Some(convert::range(&s.rope, h.range, enc)),
            })
        })
        .await
    }

    pub(super) async fn actions(
        &self,
        params: CodeActionParams,
    ) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        let settings = self.settings_of(&uri);
        let range = params.range;
        let versioned = self.caps().document_changes;
        let marked = self
            .index_docs(&uri, &snapshot)
            .map(|d| (d, self.index.clone()));
        run(snapshot, self.encoding(), move |s, enc| {
            let start = line_col_to_offset(&s.rope, convert::pos(range.start), enc).0;
            let end = line_col_to_offset(&s.rope, convert::pos(range.end), enc).0;
            let path = uri.to_file_path();
            let rewrite = marked.as_ref().and_then(|(docs, index)| {
                let path = path.as_deref()?;
                let stale = super::index_block::stale(s, path, &settings, index, docs)?;
                (start <= stale.body.end && end >= stale.marker.start).then_some(stale)
            });
            // An RFC's sidecar (`kep.yaml`): fixes of its fields, with the RFC's context.
            let actions = match path.as_deref().and_then(|p| settings.sidecar_of(p)) {
                Some((template, rfc)) => {
                    let ctx = settings.context(Some(&rfc), None);
                    sidecar_actions(s, &template, &ctx, start..end, &edit::today())
                }
                None => {
                    let ctx = settings.context(path.as_deref(), None);
                    code_actions(s, &ctx, start..end, &edit::today())
                }
            };
            let mut out: Vec<CodeActionOrCommand> = Vec::new();
            if let Some(stale) = rewrite {
                out.push(rewrite_index(s, &uri, stale, enc, versioned));
            }
            out.extend(actions.into_iter().map(|a| {
                let edits = lsp_edits(&s.rope, a.edits, enc);
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: a.title,
                    kind: Some(match a.kind {
                        ActionKind::QuickFix => CodeActionKind::QUICKFIX,
                        ActionKind::Source => CodeActionKind::SOURCE,
                        ActionKind::Refactor => CodeActionKind::REFACTOR,
                    }),
                    diagnostics: a
                        .fixes
                        .map(|d| vec![convert::diagnostic(&s.rope, &uri, d, enc)]),
                    edit: Some(edit_of(&uri, s.version, edits, versioned)),
                    is_preferred: a.preferred.then_some(true),
                    ..Default::default()
                })
            }));
            Some(out)
        })
        .await
    }

    pub(super) async fn command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        match params.command.as_str() {
            "rfc-lsp.listTemplates" => {
                // Those of the workspace folder holding the file or folder given, if one is
                // (else the first folder's).
                let settings = match params.arguments.first().and_then(Value::as_str) {
                    Some(uri) => self.settings_of(&uri.parse::<Uri>().map_err(|_| {
                        Error::invalid_params("rfc-lsp.listTemplates takes a file or folder URI")
                    })?),
                    None => self.settings(),
                };
                let list: Vec<Value> = settings
                    .templates
                    .all
                    .iter()
                    .map(|t| json!({ "name": t.name, "description": t.description }))
                    .collect();
                Ok(Some(Value::Array(list)))
            }
            // A code lens's command: the places it stands for, as given (an editor with a
            // references view shows them; the server has nothing to change).
            "rfc-lsp.showCitations" => Ok(params.arguments.get(2).cloned()),
            "rfc-lsp.insertMissingSections" => {
                let uri = params
                    .arguments
                    .first()
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse::<Uri>().ok())
                    .ok_or_else(|| {
                        Error::invalid_params(
                            "rfc-lsp.insertMissingSections takes the document's URI",
                        )
                    })?;
                let snapshot = self.snapshot(&uri)?;
                let version = snapshot.version;
                let settings = self.settings_of(&uri);
                let key = uri.clone();
                let edits = run(snapshot, self.encoding(), move |s, enc| {
                    let path = key.to_file_path();
                    let ctx = settings.context(path.as_deref(), None);
                    let report = crate::analysis::diagnostics::check(s, &ctx);
                    let template = report.choice?.template;
                    let m = edit::matching(s, &template);
                    Some(lsp_edits(
                        &s.rope,
                        edit::insert_all_missing(s, &template, &m),
                        enc,
                    ))
                })
                .await?
                .ok_or_else(|| Error::invalid_params("this document is not an RFC"))?;
                let count = edits.len();
                if count > 0 {
                    let versioned = self.caps().document_changes;
                    self.client
                        .apply_edit(edit_of(&uri, version, edits, versioned))
                        .await
                        .map_err(|e| {
                            Error::invalid_params(format!("the client did not apply the edit: {e}"))
                        })?;
                }
                Ok(Some(json!({ "inserted": count })))
            }
            "rfc-lsp.newRfc" => self.new_rfc(params.arguments).await,
            other => Err(Error::invalid_params(format!("unknown command `{other}`"))),
        }
    }

    /// Creates a new RFC through the client (a CreateFile plus its text), never by writing
    /// the file ourselves.
    async fn new_rfc(&self, arguments: Vec<Value>) -> Result<Option<Value>> {
        #[derive(Deserialize)]
        struct NewRfc {
            title: String,
            template: Option<String>,
            dir: Option<String>,
        }
        let args: NewRfc = arguments
            .into_iter()
            .next()
            .and_then(|a| serde_json::from_value(a).ok())
            .ok_or_else(|| {
                Error::invalid_params("rfc-lsp.newRfc takes { title, template?, dir? }")
            })?;
        let settings = self.settings_for(args.dir.as_deref().map(std::path::Path::new));
        // The folder scan and the `git` call block: off the runtime.
        let composed = tokio::task::spawn_blocking(move || {
            let dir = args.dir.map_or_else(
                || {
                    let configured = settings.file_templates.iter().map(|f| &f.glob);
                    let globs = settings.rfc_globs.iter().chain(configured);
                    let globs = globs.map(|g| g.glob().glob());
                    new_rfc::default_dir(&settings.root, globs, &settings.root)
                },
                PathBuf::from,
            );
            // Inside the workspace only (a `dir` of `/` had the folder scan walk the disk).
            let dir = crate::workspace::index::folder_inside(&dir, &settings.root)
                .map_err(NewRfcError::Outside)?;
            let request = new_rfc::Request {
                title: &args.title,
                template: args.template.as_deref(),
                dir: &dir,
                today: &edit::today(),
            };
            new_rfc::new_rfc(&settings.context(None, None), &request)
        })
        .await
        .map_err(|e| Error::invalid_params(format!("composing the RFC failed: {e}")))?
        .map_err(|e| Error::invalid_params(e.to_string()))?;
        let (path, text) = (composed.path, composed.text);
        let uri =
            Uri::from_file_path(&path).ok_or_else(|| Error::invalid_params("not a file path"))?;
        let edit = WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(vec![
                DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                    uri: uri.clone(),
                    options: Some(CreateFileOptions {
                        overwrite: Some(false),
                        ignore_if_exists: Some(false),
                    }),
                    annotation_id: None,
                })),
                DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version: None,
                    },
                    edits: vec![OneOf::Left(TextEdit {
                        range: Range::default(),
                        new_text: text,
                    })],
                }),
            ])),
            ..Default::default()
        };
        let applied = self.client.apply_edit(edit).await.map_err(|e| {
            Error::invalid_params(format!("the client did not create the file: {e}"))
        })?;
        if !applied.applied {
            return Err(Error::invalid_params(
                applied
                    .failure_reason
                    .unwrap_or_else(|| "the client refused the edit".into()),
            ));
        }
        Ok(Some(json!({ "uri": uri.as_str() })))
    }
}

/// The edit of one document: as versioned `documentChanges` when the client takes them,
/// so that an edit computed for version N is refused by a client already at N+1 rather
/// than applied to text it no longer fits; else as plain `changes`.
fn edit_of(uri: &Uri, version: i32, edits: Vec<TextEdit>, versioned: bool) -> WorkspaceEdit {
    if versioned {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..Default::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }
    }
}

/// The quick fix of `index-stale`: the marked table replaced by the one `rfc-lsp index`
/// writes.
fn rewrite_index(
    s: &crate::analysis::Snapshot,
    uri: &Uri,
    stale: crate::workspace::rfc_index::Stale,
    enc: crate::text::Encoding,
    versioned: bool,
) -> CodeActionOrCommand {
    let rows = stale.table.lines().count().saturating_sub(2);
    let finding = stale.diagnostic(crate::analysis::diagnostics::Severity::Error);
    let edit = crate::analysis::edit::TextEdit {
        range: stale.body.clone(),
        text: stale.table,
    };
    CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("Rewrite the RFC index ({rows} RFCs)"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![convert::diagnostic(&s.rope, uri, finding, enc)]),
        edit: Some(edit_of(
            uri,
            s.version,
            lsp_edits(&s.rope, vec![edit], enc),
            versioned,
        )),
        is_preferred: Some(true),
        ..Default::default()
    })
}
