//! Golden snapshots of the Python generator (`roster_codegen::python`), and a check that the
//! files checked in under `bindings/python/python/roster/` are what the spec generates today.
//! Accept intended changes with `cargo insta review`, then regenerate the package's files with
//! `cargo run -p roster-codegen -- python`.

fn spec() -> roster_codegen::Spec {
    roster_codegen::load(&roster_codegen::default_spec_dir()).expect("the spec is valid")
}

#[test]
fn generated_python_runtime_and_stubs() {
    let files = roster_codegen::python::generate(&spec());
    insta::assert_snapshot!("python_api_py", files.runtime);
    insta::assert_snapshot!("python_api_pyi", files.stubs);
}

#[test]
fn generated_native_method_table() {
    insta::assert_snapshot!(
        "python_native_table",
        roster_codegen::python::native_table(&spec())
    );
}

#[test]
fn the_package_holds_the_current_files() {
    let files = roster_codegen::python::generate(&spec());
    let dir = roster_codegen::python::default_out_dir();
    for (name, text) in files.files() {
        let on_disk = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            on_disk == text,
            "bindings/python/python/roster/{name} is stale: run `cargo run -p roster-codegen -- python`"
        );
    }
}
