//! Generates the core's endpoint code from `spec/*.toml` into `OUT_DIR/api.rs`.
//!
//! A spec problem stops the build with every problem listed, each naming its file, method and
//! parameter.

use std::path::PathBuf;

fn main() {
    // ROSTER_SPEC_DIR lets codegen be tried on another spec without touching spec/.
    println!("cargo:rerun-if-env-changed=ROSTER_SPEC_DIR");
    let spec_dir = std::env::var_os("ROSTER_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec"));
    println!("cargo:rerun-if-changed={}", spec_dir.display());
    let spec = match roster_codegen::load(&spec_dir) {
        Ok(spec) => spec,
        Err(errors) => {
            for e in &errors {
                println!("cargo:warning={e}");
            }
            eprintln!("the endpoint spec has {} problem(s):", errors.len());
            for e in &errors {
                eprintln!("  {e}");
            }
            std::process::exit(1);
        }
    };
    for source in &spec.sources {
        println!("cargo:rerun-if-changed={}", source.display());
    }
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("api.rs");
    let code = roster_codegen::rust::generate(&spec);
    if std::fs::read_to_string(&out).ok().as_deref() != Some(code.as_str()) {
        std::fs::write(&out, code).expect("OUT_DIR is writable");
    }
}
