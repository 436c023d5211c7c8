//! Generates the client's grouped typed methods (`vox.users().add_user(...)`) from the spec.

fn main() {
    roster_codegen::build::generate_into_out_dir(
        env!("CARGO_MANIFEST_DIR"),
        "../../spec",
        "client.rs",
        roster_codegen::client::generate,
    );
}
