//! One page of a list answer.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::endpoint::{ApiKind, ResponseBody};
use crate::read::{IntSeed, Key, ListSeed, StructSeed};

/// An item of a paged list, with the key the pager orders and de-duplicates by (generated from
/// the spec's `page_key`; `None` for items of lists without one).
pub trait PageItem {
    /// The item's value of the `page_key` field; `None` when the list has no page key or the
    /// item lacks the field.
    fn page_key(&self) -> Option<i64>;
}

/// Items of one page, with the totals the server reported.
///
/// Voximplant frames a list as `{"result":[...],"total_count":N,"count":N}`; Voiso sends a bare
/// array (or, in its samples, one object). Both read into this type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Page<T> {
    /// The records of this page, in the server's order.
    pub items: Vec<T>,
    /// Every record matching the filter, across all pages (Voximplant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// The number of records in this page, as the server counted it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// Fields of the envelope the spec does not name.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    #[serde(skip)]
    has_result: bool,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            total_count: None,
            count: None,
            extra: Map::new(),
            has_result: false,
        }
    }
}

impl<T> Page<T> {
    /// A page of `items` with the total the server reported; `count` is the number of items.
    /// It counts as an answer that carried its `result` (how Voiso's bare lists are read).
    pub fn new(items: Vec<T>, total_count: Option<i64>) -> Self {
        let count = Some(items.len() as i64);
        Self {
            items,
            total_count,
            count,
            extra: Map::new(),
            has_result: true,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    /// The Voximplant envelope.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Page<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list answer with `result`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
                let mut page = Page::default();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.as_str() {
                        "result" => {
                            page.items = map
                                .next_value_seed(ListSeed(StructSeed::<T>::new()))?
                                .unwrap_or_default();
                            page.has_result = true;
                        }
                        "total_count" => page.total_count = map.next_value_seed(IntSeed)?,
                        "count" => page.count = map.next_value_seed(IntSeed)?,
                        _ => {
                            let value = map.next_value::<Value>()?;
                            page.extra.insert(key.into_string(), value);
                        }
                    }
                }
                Ok(page)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// Voiso's framing: an array of items, or a single item.
struct BareList<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for BareList<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = BareList<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<BareList<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Option<T>>()? {
                    items.extend(item);
                }
                Ok(BareList(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<BareList<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| BareList(vec![t]))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<T> ResponseBody for Page<T>
where
    T: Serialize + for<'de> Deserialize<'de> + Clone + fmt::Debug,
{
    fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }

    fn has_result(&self) -> bool {
        self.has_result
    }

    fn from_body(body: &[u8], api: ApiKind) -> serde_json::Result<Self> {
        match api {
            ApiKind::Voximplant => serde_json::from_slice(body),
            ApiKind::Voiso => {
                let BareList(items) = serde_json::from_slice(body)?;
                Ok(Page::new(items, None))
            }
        }
    }
}
