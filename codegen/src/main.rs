//! `roster-codegen`: check the spec, or print what it generates.
//!
//! ```text
//! roster-codegen check [SPEC_DIR]   # validate spec/*.toml, exit 1 with every problem listed
//! roster-codegen rust [SPEC_DIR]    # print the core's generated Rust
//! roster-codegen typescript SPEC_DIR OUT_DIR   # write the npm package's index.d.ts, methods.js
//! roster-codegen uniffi [SPEC_DIR]  # print the uniffi binding's generated Rust
//! roster-codegen kotlin [SPEC_DIR]  # print the Kotlin group properties and paging flows
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
        "typescript" => {
            // roster-codegen typescript SPEC_DIR OUT_DIR: index.d.ts and methods.js
            let out = args.next().map(PathBuf::from).unwrap_or_default();
            let files = [
                (
                    "index.d.ts",
                    roster_codegen::typescript::declarations(&spec),
                ),
                (
                    "methods.js",
                    roster_codegen::typescript::method_table(&spec),
                ),
            ];
            for (name, text) in files {
                if let Err(e) = std::fs::write(out.join(name), text) {
                    eprintln!("error: cannot write {}: {e}", out.join(name).display());
                    return ExitCode::FAILURE;
                }
            }
        }
        // Writes bindings/python/python/roster/_api.py and _api.pyi.
        "python" => {
            let dir = roster_codegen::python::default_out_dir();
            match roster_codegen::python::write(&spec, &dir) {
                Ok(written) => println!("python: {} file(s) updated {written:?}", written.len()),
                Err(e) => {
                    eprintln!("cannot write the Python files: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        "uniffi" => print!("{}", roster_codegen::uniffi::generate(&spec)),
        "kotlin" => print!("{}", roster_codegen::kotlin::generate(&spec)),
        _ => {
            eprintln!("usage: roster-codegen <check|rust|typescript|uniffi|kotlin> [SPEC_DIR]");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
