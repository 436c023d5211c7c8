//! Lazy auto-paging over a list method, on the core's [`Pager`].

use std::collections::VecDeque;
use std::sync::Arc;

use roster_core::call::{Call, CallParts, Prepare, RetryPolicy};
use roster_core::endpoint::{Api, Endpoint, VoisoApi, VoximplantApi};
use roster_core::{Error, Page, PageItem, Pager, VoisoClient, VoximplantClient};

use crate::driver::Shared;

/// The protocol client behind each API, so a pager can reach it from the request's type.
pub trait ApiClient: Api {
    #[doc(hidden)]
    type Core: Prepare + Send + 'static;
}

impl ApiClient for VoximplantApi {
    type Core = VoximplantClient;
}

impl ApiClient for VoisoApi {
    type Core = VoisoClient;
}

/// A list answer whose items can be paged.
pub trait ListResponse {
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
    E::Api: ApiClient,
    E::Response: ListResponse,
{
    shared: Arc<Shared<<E::Api as ApiClient>::Core>>,
    pager: Result<Pager, Option<Error>>,
    buffer: VecDeque<<E::Response as ListResponse>::Item>,
    policy: RetryPolicy,
}

impl<E: Endpoint> Pages<E>
where
    E::Api: ApiClient,
    E::Response: ListResponse,
{
    pub(crate) fn new(shared: Arc<Shared<<E::Api as ApiClient>::Core>>, request: &E) -> Self {
        let policy = shared.exchange.policy;
        Self {
            shared,
            pager: Pager::typed(request).map_err(Some),
            buffer: VecDeque::new(),
            policy,
        }
    }

    /// The next page's new records, or `None` after the last page (or after an error).
    pub async fn next_page(
        &mut self,
    ) -> Option<Result<Vec<<E::Response as ListResponse>::Item>, Error>> {
        loop {
            let pager = match &mut self.pager {
                Ok(pager) => pager,
                Err(e) => return e.take().map(Err),
            };
            let params = pager.next_params()?;
            let parts = CallParts {
                info: E::INFO,
                parse: roster_core::parse::<E>,
            };
            let call = Call::new(parts, params, self.policy, self.shared.exchange.seed());
            match self.shared.run(call).await {
                Ok(page) => {
                    let items = pager.accept_page(page.into_page());
                    // An empty answer may be a step back over deleted records: ask again.
                    if !items.is_empty() || pager.is_done() {
                        return Some(Ok(items));
                    }
                }
                Err(e) => {
                    self.pager = Err(None);
                    return Some(Err(e));
                }
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

    /// Every remaining record.
    pub async fn collect_all(mut self) -> Result<Vec<<E::Response as ListResponse>::Item>, Error> {
        let mut all: Vec<_> = self.buffer.drain(..).collect();
        while let Some(page) = self.next_page().await {
            all.extend(page?);
        }
        Ok(all)
    }

    /// Pages with this policy instead of the client's.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }
}
