//! rfc-lsp: a language server and checker for engineering RFCs written in Markdown.
//!
//! Layers, each using only those above it: [`text`] -> [`syntax`] -> [`template`] -> [`metadata`] ->
//! [`analysis`] -> [`workspace`] -> [`server`] and [`cli`]. Only `server` knows LSP, the async runtime and the concurrent map.

pub mod analysis;
pub mod cli;
pub mod metadata;
pub mod server;
pub mod syntax;
pub mod template;
pub mod text;
pub mod workspace;
