//! The analysis layer: pure functions from a [`Snapshot`] to plain results with byte
//! offsets (or line numbers). The server and the CLI translate them; nothing here knows
//! LSP. One module per feature.

pub mod actions;
pub mod choose;
pub mod completion;
pub mod diagnostics;
pub mod edit;
pub mod facts;
pub mod fix;
pub mod folding;
pub mod hover;
pub mod new_rfc;
pub mod symbols;

pub use crate::syntax::document::Snapshot;

use std::collections::HashMap;
use std::path::Path;

use crate::template::Templates;
use diagnostics::Severity;

/// What the analysis of one document needs to know beyond its text: where it lives and
/// the workspace's settings. Built by the server or the CLI; read-only here.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub path: Option<&'a Path>,
    pub templates: &'a Templates,
    /// The template the configuration (or `--template`) assigns to this file.
    pub template: Option<&'a str>,
    /// Templates the configuration offers this file, the likeliest to be chosen (empty:
    /// any).
    pub candidates: &'a [String],
    /// A configured glob says this file is an RFC.
    pub rfc_by_config: bool,
    /// The file is a configured template's skeleton, or an `exclude:` glob names it:
    /// never checked as an RFC.
    pub not_rfc: bool,
    pub default_template: Option<&'a str>,
    /// Severity overrides by rule code; `None` turns a rule off.
    pub severity: &'a HashMap<String, Option<Severity>>,
    /// The tag vocabulary; empty: any well-formed tag.
    pub tags: &'a [String],
    /// `project.id` of docs-project.yaml, when there is one.
    pub project_id: Option<&'a str>,
}
