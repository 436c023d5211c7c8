//! Auto-paging that stays correct while records come and go.
//!
//! Offset paging alone breaks under concurrent changes: a record deleted before the current
//! offset shifts every later record one place back, so the next page silently skips one; a
//! record added before it shifts them forward, so one is yielded twice. The pager avoids both.
//! It orders the list by the spec's `page_key` (a unique, ascending id), starts each page one
//! item before the end of the last one, and remembers the keys it yielded:
//! - a key already yielded is never yielded again;
//! - if a page starts past the largest key yielded so far, records before it were deleted and
//!   the page may have jumped over some: the pager steps back (doubling the step) until the
//!   page overlaps what it has seen, so every record that existed for the whole listing is
//!   yielded.
//!
//! Records added while paging are yielded if they land after the current position. Without a
//! `page_key`, or when the caller orders the list by something else, only the first guarantee
//! holds. Like the call machine this does no I/O: the binding asks [`Pager::next_params`] for
//! the next page's parameters, runs the call, and hands the page to [`Pager::accept_page`].

use std::collections::HashSet;

use serde_json::Value;

use crate::endpoint::{Endpoint, MethodInfo, Paging};
use crate::error::Error;
use crate::page::{Page, PageItem};
use crate::wire::FormWriter;

/// The page size when the caller sets none.
pub const DEFAULT_PAGE_SIZE: i64 = 100;

/// Pages through one list method. See the module docs.
#[derive(Clone)]
pub struct Pager {
    info: &'static MethodInfo,
    params: FormWriter,
    size_param: &'static str,
    offset_param: &'static str,
    page_size: i64,
    /// The first position the caller asked for; the pager never steps back before it.
    floor: i64,
    /// The position just after the last record consumed.
    offset: i64,
    /// How far before `offset` the next page starts.
    back: i64,
    /// The offset the outstanding page was asked at.
    requested: i64,
    /// Whether the list is ordered by the page key, so shifts can be detected.
    ordered: bool,
    max_key: Option<i64>,
    seen: HashSet<i64>,
    done: bool,
    pages: u32,
}

impl std::fmt::Debug for Pager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("method", &self.info.name)
            .field("page_size", &self.page_size)
            .field("offset", &self.offset)
            .field("ordered", &self.ordered)
            .field("yielded", &self.seen.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl Pager {
    /// A pager over `info` with the caller's parameters in wire form. The caller's `count`
    /// (or `limit`) is the page size, and its `offset` the first position.
    pub fn new(info: &'static MethodInfo, mut params: FormWriter) -> Result<Self, Error> {
        let (size_param, offset_param) = match info.paging {
            Paging::CountOffset { size, offset } | Paging::LimitOffset { size, offset } => {
                (size, offset)
            }
            Paging::None => {
                return Err(Error::Config(format!(
                    "{} returns a single page; call it directly",
                    info.name
                )))
            }
        };
        let read = |name: &str| params.get(name).and_then(|v| v.parse::<i64>().ok());
        let mut page_size = read(size_param).unwrap_or(DEFAULT_PAGE_SIZE).max(1);
        let floor = read(offset_param).unwrap_or(0).max(0);
        let mut ordered = false;
        if let Some(key) = info.page_key {
            ordered = match key.order_param {
                None => true,
                Some(order) => match params.get(order) {
                    None => {
                        params.set(order, key.field.to_owned());
                        true
                    }
                    Some(chosen) => chosen == key.field,
                },
            };
        }
        if ordered {
            // Pages overlap by one item, so one-item pages would never advance.
            page_size = page_size.max(2);
        }
        Ok(Self {
            info,
            params,
            size_param,
            offset_param,
            page_size,
            floor,
            offset: floor,
            back: 0,
            requested: floor,
            ordered,
            max_key: None,
            seen: HashSet::new(),
            done: false,
            pages: 0,
        })
    }

    /// A pager over a typed list request, validated first.
    pub fn typed<E: Endpoint>(request: &E) -> Result<Self, Error> {
        let w = request.to_wire()?;
        Self::new(E::INFO, w)
    }

    /// A pager over a method by name with JSON parameters.
    pub fn dynamic(info: &'static MethodInfo, params: Value) -> Result<Self, Error> {
        let w = crate::dynamic::encode_params(info, params)?;
        Self::new(info, w)
    }

    /// What the spec says of the list method being paged.
    pub fn method(&self) -> &'static MethodInfo {
        self.info
    }

    /// Whether the listing is complete: the last page was short, or reached the total the
    /// server reported.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Pages requested so far.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// The parameters of the next page, or `None` when the listing is complete.
    pub fn next_params(&mut self) -> Option<FormWriter> {
        if self.done {
            return None;
        }
        self.requested = self.offset.saturating_sub(self.back).max(self.floor);
        self.pages += 1;
        let mut p = self.params.clone();
        p.set(self.size_param, self.page_size.to_string());
        p.set(self.offset_param, self.requested.to_string());
        Some(p)
    }

    /// Takes the answer to the last [`Pager::next_params`] and returns the records to yield:
    /// never an empty batch. `None` says this page brought nothing new (a step back over
    /// deleted records, a page of duplicates, the empty end): ask [`Pager::next_params`]
    /// again, which ends the listing when it is complete. So every binding's `next` is the
    /// same loop, and the same rule: it returns records, an error (after which the pager keeps
    /// its place and the next `next` asks for the same page), or the end.
    pub fn accept_page<T: PageItem>(&mut self, page: Page<T>) -> Option<Vec<T>> {
        let keys: Vec<Option<i64>> = page.items.iter().map(PageItem::page_key).collect();
        let keep = self.accept(&keys, page.total_count);
        let items: Vec<T> = page
            .items
            .into_iter()
            .zip(keep)
            .filter_map(|(item, keep)| keep.then_some(item))
            .collect();
        (!items.is_empty()).then_some(items)
    }

    /// The same for a page as the dynamic JSON of a call by name (`{"items": [...], ...}`).
    pub fn accept_json(&mut self, page: Value) -> Option<Vec<Value>> {
        let total = page.get("total_count").and_then(Value::as_i64);
        let items = match page {
            Value::Object(mut map) => match map.remove("items") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let field = self.info.page_key.map(|k| k.field);
        let keys: Vec<Option<i64>> = items
            .iter()
            .map(|item| field.and_then(|f| item.get(f)).and_then(Value::as_i64))
            .collect();
        let keep = self.accept(&keys, total);
        let items: Vec<Value> = items
            .into_iter()
            .zip(keep)
            .filter_map(|(item, keep)| keep.then_some(item))
            .collect();
        (!items.is_empty()).then_some(items)
    }

    /// The core of paging: given the keys of a page's items and the reported total, decides
    /// which items to yield and where the next page starts.
    pub fn accept(&mut self, keys: &[Option<i64>], total: Option<i64>) -> Vec<bool> {
        let n = keys.len() as i64;
        if self.ordered
            && !keys
                .windows(2)
                .all(|w| matches!(w, [Some(a), Some(b)] if a < b))
        {
            // Not the order the spec promised: fall back to de-duplication only.
            self.ordered = false;
        }
        if self.ordered && self.requested > self.floor {
            if let Some(max) = self.max_key {
                let jumped = match keys.first() {
                    Some(Some(first)) => *first > max,
                    // An empty page past the start: the list shrank under us.
                    _ => n == 0,
                };
                if jumped {
                    self.back = self.back.saturating_mul(2).max(1);
                    return vec![false; keys.len()];
                }
            }
        }
        let keep: Vec<bool> = keys
            .iter()
            .map(|k| match k {
                Some(k) => self.seen.insert(*k),
                None => true,
            })
            .collect();
        if let Some(top) = keys.iter().flatten().max() {
            self.max_key = Some(self.max_key.map_or(*top, |m| m.max(*top)));
        }
        let end = self.requested.saturating_add(n);
        self.offset = end;
        self.back = i64::from(self.ordered);
        self.done = n < self.page_size || total.is_some_and(|t| end >= t);
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::voiso::users::ListUsers;
    use crate::endpoint::PageKey;

    /// Voiso's newer list (`limit`/`offset`, `id` key) is not in the spec yet; the pager must
    /// speak its parameter names all the same.
    #[test]
    fn limit_offset_lists_use_their_own_names() {
        static INFO: MethodInfo = MethodInfo {
            paging: Paging::LimitOffset {
                size: "limit",
                offset: "offset",
            },
            page_key: Some(PageKey {
                field: "id",
                order_param: None,
            }),
            ..*<ListUsers as Endpoint>::INFO
        };
        let mut w = FormWriter::new();
        w.str("limit", "2");
        let mut pager = Pager::new(&INFO, w).unwrap();
        let first = pager.next_params().unwrap();
        assert_eq!(
            (first.get("limit"), first.get("offset")),
            (Some("2"), Some("0"))
        );
        let keep = pager.accept(&[Some(1), Some(2)], Some(3));
        assert_eq!(keep, [true, true]);
        let second = pager.next_params().unwrap();
        assert_eq!(second.get("offset"), Some("1"));
        assert_eq!(pager.accept(&[Some(2), Some(3)], Some(3)), [false, true]);
        assert!(pager.next_params().is_none());
    }
}
