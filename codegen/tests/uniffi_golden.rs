//! Golden snapshot of the uniffi binding's code generated from the real spec: a change to the
//! Kotlin and Swift surface shows up in review as a diff of `tests/snapshots/`. Accept intended
//! changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test -p roster-codegen`).

#[test]
fn generated_uniffi_code() {
    let spec =
        roster_codegen::load(&roster_codegen::default_spec_dir()).expect("the spec is valid");
    insta::assert_snapshot!("uniffi_api", roster_codegen::uniffi::generate(&spec));
}

#[test]
fn generated_kotlin_sugar() {
    let spec =
        roster_codegen::load(&roster_codegen::default_spec_dir()).expect("the spec is valid");
    insta::assert_snapshot!("kotlin_groups", roster_codegen::kotlin::generate(&spec));
}
