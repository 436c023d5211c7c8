//! Auto-paging: the core's pager, one page per `next()` of a generated pager object.

use std::sync::{Arc, Mutex, PoisonError};

use roster_core::call::CallParts;
use roster_core::endpoint::Endpoint;
use roster_core::{Page, PageItem, Pager};
use serde_json::{Map, Value};

use crate::engine::{parts, Engine};
use crate::error::RosterError;

/// The pages of one listing of items `T`.
pub(crate) struct Pages<T> {
    engine: Arc<Engine>,
    pager: Mutex<Pager>,
    parts: CallParts<Page<T>>,
}

impl<T: PageItem> Pages<T> {
    pub(crate) fn new<E: Endpoint<Response = Page<T>>>(
        engine: Arc<Engine>,
        params: Map<String, Value>,
    ) -> Result<Self, RosterError> {
        Ok(Self {
            engine,
            pager: Mutex::new(Pager::dynamic(E::INFO, Value::Object(params))?),
            parts: parts::<E>(),
        })
    }

    /// The next records not yielded before (never an empty batch), or `None` when the listing
    /// is complete. After an error, calling again asks for the same page: the core's rules.
    pub(crate) async fn next(&self) -> Result<Option<Vec<T>>, RosterError> {
        loop {
            let Some(params) = self.pager().next_params() else {
                return Ok(None);
            };
            let parts = CallParts {
                info: self.parts.info,
                parse: self.parts.parse,
            };
            let call = self.engine.session().call_parts(parts, params, None);
            let page = self.engine.run(call).await?;
            if let Some(items) = self.pager().accept_page(page) {
                return Ok(Some(items));
            }
        }
    }

    fn pager(&self) -> std::sync::MutexGuard<'_, Pager> {
        self.pager.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
