//! The workspace layer: the configuration file and the settings it resolves to, the index
//! of every RFC in the workspace with the cross-document checks, and navigation across
//! RFCs (definition, references, hover, links, symbols, rename) as pure functions over
//! the index; the server only converts their answers.

pub mod config;
pub mod crossdoc;
pub mod detect;
pub mod index;
pub mod navigation;
pub mod new_rfc;
pub mod rfc_index;

pub use config::{CONFIG_FILE, ConfigProblem, Settings};

/// The bytes of a regular file of at most `max` bytes: what every read of a file named by
/// a user, a config or a walk goes through. A FIFO, a device (`/dev/zero`) or a folder is
/// refused with the reason, never opened: reading one blocks or fills the memory.
pub fn read_regular(path: &std::path::Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other(if meta.is_dir() {
            "a folder, not a file"
        } else {
            "not a regular file"
        }));
    }
    if meta.len() > max {
        let limit = if max >= 1 << 20 {
            format!("{} MB", max >> 20)
        } else {
            format!("{} KB", max >> 10)
        };
        return Err(std::io::Error::other(format!("larger than {limit}")));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take`: a file that grew since is still read no further than `max`.
    std::fs::File::open(path)?
        .take(max)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}
