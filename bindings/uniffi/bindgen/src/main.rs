//! `uniffi-bindgen`, at exactly the uniffi version `roster-uniffi` is built with (a generator of
//! another version writes bindings whose checksums the library rejects at load time).
//!
//! ```text
//! cargo run -p roster-uniffi-bindgen -- generate --library target/debug/libroster_uniffi.so \
//!     --language kotlin --out-dir bindings/uniffi/kotlin/target/generated
//! ```

fn main() {
    uniffi::uniffi_bindgen_main()
}
