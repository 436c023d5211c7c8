//! Roster's code generator.
//!
//! The endpoint spec (`spec/*.toml`) is the single source of truth for every method Roster can
//! call. This crate reads it, checks it, and turns it into code:
//!
//! - [`rust::generate`]: the core's typed requests, validation, wire encoding, typed responses
//!   and the method table, run from `core/build.rs`;
//! - [`client::generate`]: the grouped typed methods of the native Rust client;
//! - later generators emit the other bindings' declarations from the same [`Spec`].
//!
//! A spec mistake is a build error naming the file, method and parameter (see [`SpecError`]).

pub mod build;
pub mod check;
pub mod client;
pub mod kotlin;
pub mod model;
pub mod names;
pub mod python;
pub mod rust;
pub mod types;
pub mod typescript;
pub mod uniffi;

use std::path::{Path, PathBuf};

pub use check::SpecError;
pub use model::ApiFile;

/// The API files in the order they are generated.
pub const SPEC_FILES: &[&str] = &["voximplant.toml", "voiso.toml"];

/// Every API of the spec, checked.
#[derive(Debug, Clone)]
pub struct Spec {
    pub apis: Vec<ApiFile>,
    /// The files read, for `cargo:rerun-if-changed`.
    pub sources: Vec<PathBuf>,
}

/// Parses and checks one API file's text. `file` names it in error messages.
pub fn parse_api(file: &str, text: &str) -> Result<ApiFile, Vec<SpecError>> {
    let api: ApiFile = toml::from_str(text).map_err(|e| {
        vec![SpecError {
            file: file.to_owned(),
            place: String::new(),
            message: e.to_string().trim_end().to_owned(),
        }]
    })?;
    check::check(file, &api)?;
    Ok(api)
}

/// Reads and checks every file of [`SPEC_FILES`] under `dir`.
pub fn load(dir: &Path) -> Result<Spec, Vec<SpecError>> {
    let mut apis = Vec::new();
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for name in SPEC_FILES {
        let path = dir.join(name);
        let shown = format!("spec/{name}");
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse_api(&shown, &text) {
                Ok(api) => apis.push(api),
                Err(e) => errors.extend(e),
            },
            Err(e) => errors.push(SpecError {
                file: shown,
                place: String::new(),
                message: format!("cannot read {}: {e}", path.display()),
            }),
        }
        sources.push(path);
    }
    if errors.is_empty() {
        Ok(Spec { apis, sources })
    } else {
        Err(errors)
    }
}

/// The workspace's `spec/` directory, as seen from this crate's sources.
pub fn default_spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}
