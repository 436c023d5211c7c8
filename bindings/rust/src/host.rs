//! The process's own environment and files, lent to the core's settings resolver.

use roster_core::settings::Host;

/// Reads `std::env` and the file system: the default [`Host`] of native Rust clients. Tests
/// pass their own (`builder.host(...)`) to resolve settings from maps.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessHost;

impl Host for ProcessHost {
    fn env(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn read_file(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "No such file or directory".to_owned(),
            std::io::ErrorKind::PermissionDenied => "Permission denied".to_owned(),
            // The OS text names the error, never the file's contents.
            _ => e.to_string(),
        })
    }
}
