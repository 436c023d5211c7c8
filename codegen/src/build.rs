//! What a `build.rs` that generates from the spec needs: find the spec, fail the build with
//! every problem listed, and write the generated file only when it changed (so cargo does not
//! rebuild for nothing).

use std::path::PathBuf;

use crate::Spec;

/// Generates `OUT_DIR/{file}` with `generate`, from `spec/` beside the calling crate's
/// workspace (`spec_dir` relative to its manifest) or from `ROSTER_SPEC_DIR` when set.
pub fn generate_into_out_dir(
    manifest_dir: &str,
    spec_dir: &str,
    file: &str,
    generate: fn(&Spec) -> String,
) {
    // ROSTER_SPEC_DIR lets codegen be tried on another spec without touching spec/.
    println!("cargo:rerun-if-env-changed=ROSTER_SPEC_DIR");
    let dir = std::env::var_os("ROSTER_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(manifest_dir).join(spec_dir));
    println!("cargo:rerun-if-changed={}", dir.display());
    let spec = match crate::load(&dir) {
        Ok(spec) => spec,
        Err(errors) => {
            eprintln!("the endpoint spec has {} problem(s):", errors.len());
            for e in &errors {
                println!("cargo:warning={e}");
                eprintln!("  {e}");
            }
            std::process::exit(1);
        }
    };
    for source in &spec.sources {
        println!("cargo:rerun-if-changed={}", source.display());
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join(file);
    let code = generate(&spec);
    if std::fs::read_to_string(&out).ok().as_deref() != Some(code.as_str()) {
        std::fs::write(&out, code).expect("OUT_DIR is writable");
    }
}
