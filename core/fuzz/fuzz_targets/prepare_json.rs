//! Any JSON parameters, for every method: preparing validates or builds, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roster_core::{api::METHODS, ApiKind, VoisoClient, VoximplantAuth, VoximplantClient};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(params) = serde_json::from_slice::<serde_json::Value>(rest) else { return };
    let method = METHODS[selector as usize % METHODS.len()];
    match method.api {
        ApiKind::Voximplant => {
            if let Ok(mut c) = VoximplantClient::new(VoximplantAuth::Token("t".into()), None) {
                let _ = c.prepare_json(method.name, params, 0);
            }
        }
        ApiKind::Voiso => {
            if let Ok(c) = VoisoClient::new("k", None) {
                let _ = c.prepare_json(method.name, params);
            }
        }
    }
});
