//! Generates the table of every method's typed parser (`OUT_DIR/methods.rs`) from the spec.

fn main() {
    roster_codegen::build::generate_into_out_dir(
        env!("CARGO_MANIFEST_DIR"),
        "../../spec",
        "methods.rs",
        roster_codegen::python::native_table,
    );
}
