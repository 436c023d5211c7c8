//! Auto-paging: the core's pager, one batch per `next()` of a pager object.
//!
//! The paging rules are the core's, the same in every binding (`tests/scenarios/README.md`):
//! `next()` returns the next records not yielded before, never an empty batch (a page that
//! brings nothing new makes it ask for the following page within the same `next()`); `null`
//! at the end, and again on every later `next()`, sending nothing; after an error the pager
//! keeps its place, so the next `next()` asks for the same page again.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use roster_core::call::{dynamic_parts, CallParts};
use roster_core::endpoint::Endpoint;
use roster_core::{Page, PageItem, Pager};
use serde_json::{Map, Value};

use crate::engine::{parts, Engine};
use crate::error::RosterError;
use crate::values::{parse_params, HostText};

/// The one `next` loop of every pager: ask the core for the next page's parameters (none: the
/// end), run the call (an error is returned and the pager keeps its place), and hand the
/// answer back to the core's pager (`None`: nothing new, ask again).
async fn next_batch<R, T>(
    engine: &Engine,
    pager: &Mutex<Pager>,
    parts: &CallParts<R>,
    accept: fn(&mut Pager, R) -> Option<Vec<T>>,
) -> Result<Option<Vec<T>>, RosterError> {
    loop {
        let Some(params) = lock(pager).next_params() else {
            return Ok(None);
        };
        let parts = CallParts {
            info: parts.info,
            parse: parts.parse,
        };
        let call = engine.session().call_parts(parts, params, None);
        let page = engine.run(call).await?;
        if let Some(items) = accept(&mut lock(pager), page) {
            return Ok(Some(items));
        }
    }
}

fn lock(pager: &Mutex<Pager>) -> MutexGuard<'_, Pager> {
    pager.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The pages of one listing of typed items `T` (behind each generated `{Item}Pager`).
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
        let parts = parts::<E>();
        Ok(Self {
            engine,
            pager: Mutex::new(Pager::dynamic(parts.info, Value::Object(params))?),
            parts,
        })
    }

    /// The next records not yielded before (never an empty batch), or `None` when the listing
    /// is complete.
    pub(crate) async fn next(&self) -> Result<Option<Vec<T>>, RosterError> {
        next_batch(&self.engine, &self.pager, &self.parts, Pager::accept_page).await
    }
}

/// Every record of a list method called by name, as JSON texts, fetched a batch per `next()`.
/// Safe while records are added and deleted: no record is yielded twice, and none that
/// existed for the whole listing is skipped.
#[derive(uniffi::Object)]
pub struct JsonPager {
    engine: Arc<Engine>,
    pager: Mutex<Pager>,
}

impl JsonPager {
    pub(crate) fn new(
        engine: &Arc<Engine>,
        method: &HostText,
        params_json: &HostText,
    ) -> Result<Arc<Self>, RosterError> {
        let params = parse_params(&params_json.0)?;
        let pager = engine.session().pager(&method.lossy(), params)?;
        Ok(Arc::new(Self {
            engine: Arc::clone(engine),
            pager: Mutex::new(pager),
        }))
    }
}

#[uniffi::export]
impl JsonPager {
    /// The next records not yielded before, each as its JSON text (never an empty batch), or
    /// null when the listing is complete. After an error, calling again asks for the same page.
    pub async fn next(&self) -> Result<Option<Vec<String>>, RosterError> {
        let parts = dynamic_parts(lock(&self.pager).method());
        let batch = next_batch(&self.engine, &self.pager, &parts, Pager::accept_json).await?;
        Ok(batch.map(|items| items.iter().map(Value::to_string).collect()))
    }
}
