//! `roster-codegen`: check the spec, or print what it generates.
//!
//! ```text
//! roster-codegen check [SPEC_DIR]   # validate spec/*.toml, exit 1 with every problem listed
//! roster-codegen rust [SPEC_DIR]    # print the core's generated Rust
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(roster_codegen::default_spec_dir);
    let spec = match roster_codegen::load(&dir) {
        Ok(spec) => spec,
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!("{} problem(s) in the spec", errors.len());
            return ExitCode::FAILURE;
        }
    };
    match command.as_str() {
        "check" => {
            let methods: usize = spec.apis.iter().map(|a| a.methods.len()).sum();
            let params: usize = spec
                .apis
                .iter()
                .flat_map(|a| &a.methods)
                .map(|m| m.params.len())
                .sum();
            println!(
                "spec ok: {} APIs, {methods} methods, {params} parameters",
                spec.apis.len()
            );
        }
        "rust" => print!("{}", roster_codegen::rust::generate(&spec)),
        _ => {
            eprintln!("usage: roster-codegen <check|rust> [SPEC_DIR]");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
