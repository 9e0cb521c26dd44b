//! The workspace layer: the configuration file and the settings it resolves to. (The
//! index of every RFC in the workspace comes with the cross-document checks.)

pub mod config;
pub mod crossdoc;
pub mod index;
pub mod new_rfc;
pub mod tags;

pub use config::{CONFIG_FILE, ConfigProblem, Settings};
