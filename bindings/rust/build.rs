//! Generates the client's grouped typed methods (`vox.users().add_user(...)`) from the spec.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=ROSTER_SPEC_DIR");
    let spec_dir = std::env::var_os("ROSTER_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec"));
    println!("cargo:rerun-if-changed={}", spec_dir.display());
    let spec = match roster_codegen::load(&spec_dir) {
        Ok(spec) => spec,
        Err(errors) => {
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
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("client.rs");
    let code = roster_codegen::client::generate(&spec);
    if std::fs::read_to_string(&out).ok().as_deref() != Some(code.as_str()) {
        std::fs::write(&out, code).expect("OUT_DIR is writable");
    }
}
