//! Golden snapshot of the code generated from the real spec: any change to generated code shows
//! up in review as a diff of `tests/snapshots/`. Accept intended changes with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test -p roster-codegen`).

#[test]
fn generated_core_code() {
    let spec =
        roster_codegen::load(&roster_codegen::default_spec_dir()).expect("the spec is valid");
    insta::assert_snapshot!("core_api", roster_codegen::rust::generate(&spec));
}
