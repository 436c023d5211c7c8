//! Any status and body, for every method: parsing returns a result or an error, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roster_core::{api::METHODS, dynamic::parse_response, HttpResponse};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let method = METHODS[selector as usize % METHODS.len()];
    let status = [200u16, 400, 401, 429, 500, 502, 503][selector as usize % 7];
    let _ = parse_response(method, &HttpResponse::new(status, body.to_vec()));
});
