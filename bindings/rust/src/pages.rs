//! Lazy auto-paging over a list method, on the core's [`Pager`].
//!
//! The paging rules are the core's and the same in every binding (see `tests/scenarios/`):
//! `next_page` returns the next batch of records not yielded before (never an empty one), an
//! error, or the end; after an error the pager keeps its place, so the next `next_page` asks
//! for the same page again; after the end it sends nothing.

use std::collections::VecDeque;
use std::sync::Arc;

use roster_core::call::CallParts;
use roster_core::endpoint::Endpoint;
use roster_core::{Error, Page, PageItem, Pager};
use serde_json::Value;

use crate::driver::Shared;

/// A list answer whose items can be paged.
pub trait ListResponse {
    /// One record of the list.
    type Item: PageItem;
    #[doc(hidden)]
    fn into_page(self) -> Page<Self::Item>;
}

impl<T: PageItem> ListResponse for Page<T> {
    type Item = T;
    fn into_page(self) -> Page<T> {
        self
    }
}

/// Every record of a list method, fetched a page at a time as they are consumed.
///
/// It never yields a record twice and, for lists with a `page_key` in the spec, never skips
/// one that existed for the whole listing, even while other clients add and delete records
/// (see [`roster_core::pager`]). Each page is one call with the client's retries.
///
/// ```no_run
/// # async fn run(vox: roster::Voximplant) -> Result<(), roster::Error> {
/// use roster::voximplant::users::GetUsers;
/// let mut users = vox.users().iter_users(GetUsers::new().application_id(1));
/// while let Some(user) = users.next().await {
///     println!("{:?}", user?.user_name);
/// }
/// # Ok(()) }
/// ```
pub struct Pages<E: Endpoint>
where
    E::Response: ListResponse,
{
    shared: Arc<Shared>,
    pager: Result<Pager, Option<Error>>,
    buffer: VecDeque<<E::Response as ListResponse>::Item>,
}

impl<E: Endpoint> Pages<E>
where
    E::Response: ListResponse,
{
    pub(crate) fn new(shared: Arc<Shared>, request: &E) -> Self {
        Self {
            shared,
            pager: Pager::typed(request).map_err(Some),
            buffer: VecDeque::new(),
        }
    }

    /// The next batch of records not yielded before, an error, or `None` at the end. After an
    /// error the next call asks for the same page again.
    pub async fn next_page(
        &mut self,
    ) -> Option<Result<Vec<<E::Response as ListResponse>::Item>, Error>> {
        let pager = match &mut self.pager {
            Ok(pager) => pager,
            // Parameters that cannot page: reported once, then the end.
            Err(e) => return e.take().map(Err),
        };
        loop {
            let params = pager.next_params()?;
            let call = self.shared.session().call_parts(
                CallParts {
                    info: E::INFO,
                    parse: roster_core::parse::<E>,
                },
                params,
                None,
            );
            match self.shared.run(call).await {
                Ok(page) => {
                    if let Some(items) = pager.accept_page(page.into_page()) {
                        return Some(Ok(items));
                    }
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// The next record.
    pub async fn next(&mut self) -> Option<Result<<E::Response as ListResponse>::Item, Error>> {
        while self.buffer.is_empty() {
            match self.next_page().await? {
                Ok(items) => self.buffer.extend(items),
                Err(e) => return Some(Err(e)),
            }
        }
        self.buffer.pop_front().map(Ok)
    }

    /// Every remaining record, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<<E::Response as ListResponse>::Item>, Error> {
        let mut all: Vec<_> = self.buffer.drain(..).collect();
        while let Some(page) = self.next_page().await {
            all.extend(page?);
        }
        Ok(all)
    }
}

/// The same for a method called by name: records as JSON.
pub struct JsonPages {
    shared: Arc<Shared>,
    pager: Pager,
}

impl JsonPages {
    pub(crate) fn new(shared: Arc<Shared>, method: &str, params: Value) -> Result<Self, Error> {
        let pager = shared.session().pager(method, params)?;
        Ok(Self { shared, pager })
    }

    /// The next batch of records not yielded before, an error, or `None` at the end; the rules
    /// of [`Pages::next_page`].
    pub async fn next_page(&mut self) -> Option<Result<Vec<Value>, Error>> {
        loop {
            let call = self.shared.session().next_page(&mut self.pager, None)?;
            match self.shared.run(call).await {
                Ok(page) => {
                    if let Some(items) = self.pager.accept_json(page) {
                        return Some(Ok(items));
                    }
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Every remaining record, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<Value>, Error> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.extend(page?);
        }
        Ok(all)
    }
}
