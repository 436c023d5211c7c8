//! Generates the core's endpoint code from `spec/*.toml` into `OUT_DIR/api.rs`. A spec problem
//! stops the build with every problem listed, each naming its file, method and parameter.

fn main() {
    roster_codegen::build::generate_into_out_dir(
        env!("CARGO_MANIFEST_DIR"),
        "../spec",
        "api.rs",
        roster_codegen::rust::generate,
    );
}
