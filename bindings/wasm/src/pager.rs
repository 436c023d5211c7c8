//! `RawPager`: the core's pager driven page by page from a JS async iterator.

use std::cell::RefCell;
use std::rc::Rc;

use roster_core::{Pager, RetryPolicy};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use crate::convert::value_to_js;
use crate::driver::{self, Shared};

#[wasm_bindgen]
pub struct RawPager {
    shared: Rc<Shared>,
    pager: Rc<RefCell<Pager>>,
    policy: RetryPolicy,
}

impl RawPager {
    pub(crate) fn new(shared: Rc<Shared>, pager: Pager, policy: RetryPolicy) -> Self {
        Self {
            shared,
            pager: Rc::new(RefCell::new(pager)),
            policy,
        }
    }
}

#[wasm_bindgen]
impl RawPager {
    /// The items of the next page still to yield (the core drops repeats), or `undefined`
    /// once the listing is complete.
    pub fn next(&self, signal: Option<AbortSignal>) -> js_sys::Promise {
        let shared = self.shared.clone();
        let pager = self.pager.clone();
        let policy = self.policy;
        future_to_promise(async move {
            // The core's paging rules: a page with nothing new is not a batch; after an error
            // the pager keeps its place.
            loop {
                let call = {
                    let mut pager = pager.borrow_mut();
                    shared
                        .session
                        .borrow_mut()
                        .next_page(&mut pager, Some(policy))
                };
                let Some(call) = call else {
                    return Ok(JsValue::UNDEFINED);
                };
                let page = driver::run(&shared, call, signal.clone()).await?;
                if let Some(items) = pager.borrow_mut().accept_json(page) {
                    return value_to_js(&Value::Array(items));
                }
            }
        })
    }
}
