//! Generates the typed records, enums, grouped methods and pagers from `spec/*.toml`.

fn main() {
    roster_codegen::build::generate_into_out_dir(
        env!("CARGO_MANIFEST_DIR"),
        "../../spec",
        "uniffi_api.rs",
        roster_codegen::uniffi::generate,
    );
}
