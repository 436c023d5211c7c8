//! Recovery of a lost `once` write through its natural key.
//!
//! When the answer to AddUser is lost, the user may or may not exist. Its name is unique, so
//! listing users by that name tells: found, the write happened and the found id is the result;
//! not found, it did not (yet) happen and resending is safe, because the server refuses a second
//! record with the same name (and a refusal sends us back here).

use serde_json::{Map, Value};

use crate::endpoint::{GroupRule, KeyMatch, MethodInfo, NaturalKey, Paging};
use crate::error::Error;
use crate::wire::FormWriter;

/// Items asked for per lookup page; name filters match parts of names, so there may be several.
const LOOKUP_PAGE: i64 = 100;

/// An ongoing lookup of one write's natural key.
#[derive(Debug)]
pub(crate) struct Lookup {
    pub info: &'static MethodInfo,
    key: NaturalKey,
    value: String,
    scope: Vec<(&'static str, String)>,
    offset: i64,
}

/// What one page of the lookup showed.
pub(crate) enum Found {
    /// The record exists: the write's answer, rebuilt from it.
    Record(Vec<u8>),
    /// Not on this page; there are more.
    NextPage,
    /// No such record.
    Absent,
}

impl Lookup {
    /// The lookup of `write`'s natural key, when the spec names one and the call's parameters
    /// pin the record down (a scope the lookup cannot express would let a same-named record
    /// elsewhere pass for ours).
    pub fn new(write: &'static MethodInfo, params: &FormWriter) -> Option<Self> {
        let key = write.natural_key?;
        let value = params.get(key.param)?.to_owned();
        let unscoped = write
            .groups
            .iter()
            .filter(|g| g.rule != GroupRule::Requires)
            .flat_map(|g| g.params.iter())
            .any(|p| *p != key.param && params.get(p).is_some() && !key.scope.contains(p));
        if unscoped {
            return None;
        }
        let info = crate::dynamic::find_method(write.api, key.lookup).ok()?;
        let scope = key
            .scope
            .iter()
            .filter_map(|p| params.get(p).map(|v| (*p, v.to_owned())))
            .collect();
        Some(Self {
            info,
            key,
            value,
            scope,
            offset: 0,
        })
    }

    /// The wire parameters of the next lookup page.
    pub fn params(&self) -> Result<FormWriter, Error> {
        let mut map = Map::new();
        map.insert(self.key.filter.to_owned(), Value::from(self.value.clone()));
        for (name, value) in &self.scope {
            map.insert((*name).to_owned(), Value::from(value.clone()));
        }
        if let Paging::CountOffset { size, offset } | Paging::LimitOffset { size, offset } =
            self.info.paging
        {
            map.insert(size.to_owned(), Value::from(LOOKUP_PAGE));
            map.insert(offset.to_owned(), Value::from(self.offset));
        }
        crate::dynamic::encode_params(self.info, Value::Object(map))
    }

    /// Reads one page of the lookup's answer (the dynamic JSON of a `Page`).
    pub fn read(&mut self, page: &Value) -> Found {
        let items = page
            .get("items")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        if let Some(item) = items.iter().find(|item| self.matches(item)) {
            let mut body = Map::new();
            body.insert("result".to_owned(), Value::from(1));
            for field in self.key.returns {
                if let Some(v) = item.get(*field) {
                    body.insert((*field).to_owned(), v.clone());
                }
            }
            return Found::Record(Value::Object(body).to_string().into_bytes());
        }
        let total = page.get("total_count").and_then(Value::as_i64);
        let seen = self.offset.saturating_add(items.len() as i64);
        let more = !items.is_empty() && total.is_some_and(|t| seen < t);
        if more && self.info.paging != Paging::None {
            self.offset = seen;
            Found::NextPage
        } else {
            Found::Absent
        }
    }

    fn matches(&self, item: &Value) -> bool {
        let Some(found) = item.get(self.key.field).and_then(Value::as_str) else {
            return false;
        };
        match self.key.matching {
            KeyMatch::Exact => found == self.value,
            KeyMatch::FirstLabel => found.split('.').next() == Some(self.value.as_str()),
        }
    }
}
