//! `roster._native`: the Python face of Roster's pure Rust core.
//!
//! Python holds a [`session::NativeSession`] (one API client, its retry policy, jitter seeds
//! and token cache, made by the core's settings resolver) and drives each call's state machine
//! through a [`call::CallHandle`]: the Rust side validates, builds and signs requests and
//! parses answers with the GIL released; the Python side only sends requests, sleeps and asks
//! the token provider, with a blocking or an asyncio transport. The typed, pythonic surface is
//! generated from the spec into `roster/_api.py`; nothing here knows a method.

mod answer;
mod call;
mod convert;
mod errors;
mod request;
mod session;
mod to_python;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<session::NativeSession>()?;
    m.add_class::<call::CallHandle>()?;
    m.add_class::<call::PagerHandle>()?;
    m.add_class::<call::AttemptRecord>()?;
    m.add_class::<request::Request>()?;
    m.add("SEND", call::SEND)?;
    m.add("SLEEP", call::SLEEP)?;
    m.add("DONE", call::DONE)?;
    m.add("TOKEN", call::TOKEN)?;
    Ok(())
}
