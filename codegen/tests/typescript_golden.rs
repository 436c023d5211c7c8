//! Golden snapshots of the JavaScript package's generated surface (`index.d.ts`, `methods.js`).
//! Accept intended changes with `cargo insta review` (or `INSTA_UPDATE=always`).

#[test]
fn generated_typescript_declarations() {
    let spec =
        roster_codegen::load(&roster_codegen::default_spec_dir()).expect("the spec is valid");
    insta::assert_snapshot!(
        "typescript_dts",
        roster_codegen::typescript::declarations(&spec)
    );
    insta::assert_snapshot!(
        "typescript_methods",
        roster_codegen::typescript::method_table(&spec)
    );
}
