//! Typed answers, handed to Python without an intermediate JSON tree.
//!
//! A call by name in the core ends in a `serde_json::Value`, which Python would then copy into
//! its own objects: two trees for one answer. Here each method's call instead carries its
//! typed parser (the generated table in `methods.rs`), and the typed answer is serialised
//! straight into Python objects (`to_python.rs`), in the same JSON form (money as decimal
//! strings, datetimes as RFC 3339), so the Python result classes read it unchanged.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use roster_core::call::CallParts;
use roster_core::endpoint::Endpoint;
use roster_core::{Error, HttpResponse, MethodInfo, Page, PageItem, Pager};
use serde::Serialize;

include!(concat!(env!("OUT_DIR"), "/methods.rs"));

/// A parsed answer of any method.
pub trait Answer: Send {
    /// The whole answer as Python data.
    fn to_python<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;

    /// For a page of a pager: hands the page to the pager and returns the new items to
    /// yield as a Python list, or `None` when the page brought nothing new.
    fn page_items<'py>(
        self: Box<Self>,
        pager: &mut Pager,
        py: Python<'py>,
    ) -> PyResult<Bound<'py, PyAny>>;
}

pub type Boxed = Box<dyn Answer>;

struct Command<R>(R);

impl<R: Serialize + Send> Answer for Command<R> {
    fn to_python<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::to_python::to_python(py, &self.0)
    }

    fn page_items<'py>(
        self: Box<Self>,
        _: &mut Pager,
        _: Python<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        Err(PyRuntimeError::new_err("not a list method"))
    }
}

struct Listing<T>(Page<T>);

impl<T: PageItem + Serialize + Send> Answer for Listing<T> {
    fn to_python<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::to_python::to_python(py, &self.0)
    }

    fn page_items<'py>(
        self: Box<Self>,
        pager: &mut Pager,
        py: Python<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        // `None` when the page brought nothing new: the Python loop asks for the next page
        // within the same `next_page` (the core's paging rules: never an empty batch).
        match pager.accept_page(self.0) {
            Some(items) => crate::to_python::to_python(py, &items),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

/// One method: its spec entry and its typed parser.
pub struct Entry {
    pub info: &'static MethodInfo,
    parse: fn(&HttpResponse) -> Result<Boxed, Error>,
}

impl Entry {
    pub const fn command<E: Endpoint>() -> Self
    where
        E::Response: Send,
    {
        Self {
            info: E::INFO,
            parse: parse_command::<E>,
        }
    }

    pub const fn list<E, T>() -> Self
    where
        E: Endpoint<Response = Page<T>>,
        T: PageItem + Serialize + Send + 'static,
    {
        Self {
            info: E::INFO,
            parse: parse_list::<E, T>,
        }
    }

    /// What a call of this method needs besides its parameters.
    pub fn parts(&self) -> CallParts<Boxed> {
        CallParts {
            info: self.info,
            parse: self.parse,
        }
    }

    /// Reads one answer (no retries): the vectors' entry point.
    pub fn parse(&self, response: &HttpResponse) -> Result<Boxed, Error> {
        (self.parse)(response)
    }

    /// The entry of a method the core resolved by name.
    pub fn of(info: &'static MethodInfo) -> Result<&'static Entry, Error> {
        METHODS
            .iter()
            .find(|e| e.info.api == info.api && e.info.name == info.name)
            .ok_or_else(|| Error::UnknownMethod {
                name: info.name.to_owned(),
                suggestion: None,
            })
    }
}

fn parse_command<E: Endpoint>(response: &HttpResponse) -> Result<Boxed, Error>
where
    E::Response: Send,
{
    roster_core::parse::<E>(response).map(|r| Box::new(Command(r)) as Boxed)
}

fn parse_list<E, T>(response: &HttpResponse) -> Result<Boxed, Error>
where
    E: Endpoint<Response = Page<T>>,
    T: PageItem + Serialize + Send + 'static,
{
    roster_core::parse::<E>(response).map(|r| Box::new(Listing(r)) as Boxed)
}
