//! The fast paths: what the server does outside tower-lsp-server's usual route because
//! that route cost too much on long documents, each measured in BENCHMARKS.md.
//!
//! - [`transport`]: the stdio transport, with an input filter that answers malformed
//!   frames, an output thread that writes whole frames, and [`transport::Front`], which
//!   answers the requests [`Direct`] claims with their results serialised straight to bytes.
//! - [`symbols`]: the documentSymbol answer as hand-written JSON, kept while the outline's
//!   symbols stay the same.
//!
//! Nothing else in the server depends on how these work; without them every request
//! would still be answered, only slower.

pub mod symbols;
pub mod transport;

use std::sync::Arc;
use std::sync::atomic::AtomicU8;

use dashmap::DashMap;
use tower_lsp_server::jsonrpc::{Error, Request};
use tower_lsp_server::ls_types::{DocumentSymbolParams, Uri};

use super::features::run;
use super::{Backend, encoding_of, not_open};
use crate::analysis::Snapshot;
use crate::syntax::Document;
use crate::text::Encoding;
use transport::{Handler, Part, Shared};

/// The outline as the JSON of the documentSymbol result (what serialising
/// `symbol_tree` gives), written afresh.
pub fn symbols_json(s: &Snapshot, enc: Encoding) -> Vec<u8> {
    symbols::json(s, enc)
}

/// [`symbols_json`], or the bytes of the document's last answer when the outline's symbols
/// are what it was written from.
pub fn symbols_answer(s: &Snapshot, enc: Encoding) -> Shared {
    symbols::answer(s, enc)
}

/// The requests answered with their results serialised directly
/// ([`transport::Front`]): those whose answers grow with the document.
pub(super) struct Direct {
    documents: Arc<DashMap<Uri, Document>>,
    encoding: Arc<AtomicU8>,
    configs: Arc<std::sync::RwLock<Vec<super::settings::FolderConfig>>>,
}

impl Direct {
    pub(super) fn new(backend: &Backend) -> Direct {
        Direct {
            documents: backend.documents.clone(),
            encoding: backend.encoding.clone(),
            configs: backend.configs.clone(),
        }
    }

    pub(super) fn route(&self, request: &Request) -> Option<Handler> {
        if request.method() != "textDocument/documentSymbol" {
            return None;
        }
        let documents = self.documents.clone();
        let encoding = self.encoding.clone();
        let configs = self.configs.clone();
        Some(Box::new(move |request: Request| {
            Box::pin(async move {
                let (_, _, params) = request.into_parts();
                let params: DocumentSymbolParams =
                    serde_json::from_value(params.unwrap_or_default())
                        .map_err(|e| Error::invalid_params(e.to_string()))?;
                let uri = params.text_document.uri;
                let snapshot = documents
                    .get(&uri)
                    .map(|d| d.snapshot())
                    .ok_or_else(|| not_open(&uri))?;
                let enc = encoding_of(&encoding);
                // Metadata kept beside the document (`kep.yaml`): its fields lead the
                // outline.
                let sidecar = sidecar_of(&configs, &documents, &uri);
                let answer = run(snapshot, enc, symbols_answer).await?;
                Ok(match sidecar {
                    None => Part::Shared(answer),
                    Some((name, file, open)) => {
                        // The file is read off the runtime, with the symbols.
                        let symbol = tokio::task::spawn_blocking(move || {
                            let text = open.or_else(|| {
                                let bytes = crate::workspace::read_regular(&file, 1 << 20).ok()?;
                                String::from_utf8(bytes).ok()
                            })?;
                            Some(sidecar_symbol(&name, &text))
                        })
                        .await
                        .ok()
                        .flatten();
                        match symbol {
                            Some(symbol) => Part::Owned(lead_with(symbol, (*answer).as_ref())),
                            None => Part::Shared(answer),
                        }
                    }
                })
            })
        }))
    }
}

/// The sidecar file of the RFC at `uri`, when its template keeps the metadata in one: its
/// name, its path and its buffer's text if it is open (else it is read from the file).
fn sidecar_of(
    configs: &std::sync::RwLock<Vec<super::settings::FolderConfig>>,
    documents: &DashMap<Uri, Document>,
    uri: &Uri,
) -> Option<(String, std::path::PathBuf, Option<String>)> {
    let path = uri.to_file_path()?;
    let name = {
        let configs = configs.read().unwrap_or_else(|p| p.into_inner());
        let settings = &super::settings::folder_of(&configs, Some(&path))?.settings;
        let ctx = settings.context(Some(&path), None);
        let template = settings.templates.get(ctx.template?)?;
        template.sidecar.clone()?
    };
    let file = path.with_file_name(&name);
    let open = Uri::from_file_path(&file)
        .and_then(|u| documents.get(&u).map(|d| d.snapshot().rope.to_string()));
    Some((name, file, open))
}

/// The sidecar as one symbol at the top of the outline, a child per field (their places
/// are the document's start: they are in another file).
fn sidecar_symbol(name: &str, yaml: &str) -> Vec<u8> {
    use tower_lsp_server::ls_types::{DocumentSymbol, Range, SymbolKind};
    let metadata = crate::metadata::read_yaml_text(yaml);
    let at = Range::default();
    #[allow(deprecated)] // `deprecated` is a required field of the type
    let symbol = |name: String, detail: Option<String>, kind, children| DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: at,
        selection_range: at,
        children,
    };
    let fields = (metadata.fields.iter())
        .map(|f| {
            let detail = Some(f.value.display()).filter(|d| !d.is_empty());
            symbol(f.key.clone(), detail, SymbolKind::FIELD, None)
        })
        .collect();
    let top = symbol(
        name.to_string(),
        Some("metadata".to_string()),
        SymbolKind::STRUCT,
        Some(fields),
    );
    serde_json::to_vec(&top).unwrap_or_default()
}

/// `[symbol, ...answer]`: the answer's JSON array with one symbol put first.
fn lead_with(symbol: Vec<u8>, answer: &[u8]) -> Vec<u8> {
    let rest = answer.strip_prefix(b"[").unwrap_or(b"]");
    let mut out = Vec::with_capacity(symbol.len() + answer.len() + 2);
    out.push(b'[');
    out.extend_from_slice(&symbol);
    if rest.trim_ascii_start() != b"]" {
        out.push(b',');
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::analysis;
    use crate::server::convert;
    use crate::text::PositionMap;
    use tower_lsp_server::ls_types::DocumentSymbol;

    /// The outline in LSP terms.
    fn symbol_tree(s: &Snapshot, enc: Encoding) -> Vec<DocumentSymbol> {
        let symbols = analysis::symbols::document_symbols(s);
        let mut offsets = Vec::new();
        convert::oracle::symbol_offsets(&symbols, &mut offsets);
        let map = PositionMap::new(&s.rope, offsets, enc);
        symbols
            .into_iter()
            .map(|sym| convert::oracle::document_symbol(&s.rope, &map, sym, enc))
            .collect()
    }

    fn documents() -> Vec<String> {
        let mut texts = vec![
            "# Title with \"quotes\", a \\ backslash and a\ttab\n\n## Ünïcödé 🎉 section\n\ntext\n".to_string(),
            "---\nid: rfc-001\ntitle: \"a \\\"quoted\\\" title\"\nnote: \"bell \\a and \\u0001\"\ntags: [a, b]\n---\n# RFC-001: X\r\n\r\n## Summary\r\n\r\n- **Status**: Draft\r\n".to_string(),
            "#\n\n## \n\n### deep\n\n# second H1\n".to_string(),
            String::new(),
        ];
        for dir in ["examples", "tests/fixtures/check/rfcs"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(dir).expect("a folder") {
                let path = entry.expect("an entry").path();
                if path.extension().is_some_and(|e| e == "md") {
                    texts.push(std::fs::read_to_string(path).expect("UTF-8"));
                }
            }
        }
        texts
    }

    #[test]
    fn the_hand_written_json_is_what_serde_writes() {
        for text in documents() {
            let snapshot = Document::new(&text, 0).snapshot();
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let ours = symbols_json(&snapshot, enc);
                let serde = serde_json::to_vec(
                    &tower_lsp_server::ls_types::DocumentSymbolResponse::Nested(symbol_tree(
                        &snapshot, enc,
                    )),
                )
                .expect("serialisable");
                assert_eq!(
                    String::from_utf8_lossy(&ours),
                    String::from_utf8_lossy(&serde),
                    "{enc:?} in {text:?}"
                );
            }
        }
    }
}
