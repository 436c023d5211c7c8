//! A serde serializer that builds Python objects: the typed answers of the core become `dict`,
//! `list`, `str`, `int`, `float`, `bool` and `None` in one pass.
//!
//! Like `json.loads`, it makes each distinct key string once per answer (a 100-user page
//! repeats some 30 keys 100 times): field names are `&'static str` and are cached by address,
//! map keys (fields the spec does not name) by content. Answers are JSON-shaped, so the
//! serde data model's enum and tuple forms never occur; they are refused rather than guessed.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde::ser::{self, Serialize};

/// `value` as Python objects.
pub fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let keys = Keys {
        py,
        fields: RefCell::new(Vec::new()),
        names: RefCell::new(HashMap::new()),
    };
    value.serialize(Ser { keys: &keys }).map_err(|e| e.0)
}

struct Keys<'py> {
    py: Python<'py>,
    /// Struct field names, by address: the same `&'static str` for every item of a page. A
    /// few dozen at most, so a scan beats hashing.
    fields: RefCell<Vec<(*const u8, Bound<'py, PyString>)>>,
    /// Map keys, by content.
    names: RefCell<HashMap<String, Bound<'py, PyString>>>,
}

impl<'py> Keys<'py> {
    fn field(&self, name: &'static str) -> Bound<'py, PyString> {
        let mut fields = self.fields.borrow_mut();
        if let Some((_, s)) = fields.iter().find(|(p, _)| *p == name.as_ptr()) {
            return s.clone();
        }
        let s = PyString::new(self.py, name);
        fields.push((name.as_ptr(), s.clone()));
        s
    }

    fn name(&self, name: &str) -> Bound<'py, PyString> {
        if let Some(s) = self.names.borrow().get(name) {
            return s.clone();
        }
        let s = PyString::new(self.py, name);
        self.names.borrow_mut().insert(name.to_owned(), s.clone());
        s
    }
}

pub struct Error(PyErr);

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(pyo3::exceptions::PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error(e)
    }
}

type Out<'py> = Result<Bound<'py, PyAny>, Error>;

fn unsupported<T>(what: &str) -> Result<T, Error> {
    Err(ser::Error::custom(format!(
        "{what} is not part of an answer"
    )))
}

#[derive(Clone, Copy)]
struct Ser<'k, 'py> {
    keys: &'k Keys<'py>,
}

impl<'k, 'py> Ser<'k, 'py> {
    fn py(self) -> Python<'py> {
        self.keys.py
    }
}

impl<'k, 'py> ser::Serializer for Ser<'k, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'k, 'py>;
    type SerializeTuple = Seq<'k, 'py>;
    type SerializeTupleStruct = ser::Impossible<Bound<'py, PyAny>, Error>;
    type SerializeTupleVariant = ser::Impossible<Bound<'py, PyAny>, Error>;
    type SerializeMap = Map<'k, 'py>;
    type SerializeStruct = Map<'k, 'py>;
    type SerializeStructVariant = ser::Impossible<Bound<'py, PyAny>, Error>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        Ok(PyBool::new(self.py(), v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        Ok(PyInt::new(self.py(), v).into_any())
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        Ok(PyInt::new(self.py(), v).into_any())
    }
    fn serialize_f32(self, v: f32) -> Out<'py> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        Ok(PyFloat::new(self.py(), v).into_any())
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        Ok(PyString::new(self.py(), v).into_any())
    }
    fn serialize_bytes(self, _: &[u8]) -> Out<'py> {
        unsupported("bytes")
    }
    fn serialize_none(self) -> Out<'py> {
        Ok(self.py().None().into_bound(self.py()))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Out<'py> {
        Ok(self.keys.field(variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Out<'py> {
        unsupported("an enum with data")
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'k, 'py>, Error> {
        Ok(Seq {
            ser: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'k, 'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        unsupported("a tuple struct")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        unsupported("an enum with data")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'k, 'py>, Error> {
        Ok(Map {
            ser: self,
            dict: PyDict::new(self.py()),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Map<'k, 'py>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        unsupported("an enum with data")
    }
}

struct Seq<'k, 'py> {
    ser: Ser<'k, 'py>,
    items: Vec<Bound<'py, PyAny>>,
}

impl<'k, 'py> ser::SerializeSeq for Seq<'k, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(self.ser)?);
        Ok(())
    }

    fn end(self) -> Out<'py> {
        Ok(PyList::new(self.ser.py(), self.items)?.into_any())
    }
}

impl<'k, 'py> ser::SerializeTuple for Seq<'k, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Out<'py> {
        ser::SerializeSeq::end(self)
    }
}

struct Map<'k, 'py> {
    ser: Ser<'k, 'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyString>>,
}

impl<'k, 'py> ser::SerializeMap for Map<'k, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeySer {
            keys: self.ser.keys,
        })?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match self.key.take() {
            Some(key) => Ok(self.dict.set_item(key, value.serialize(self.ser)?)?),
            None => unsupported("a map value without a key"),
        }
    }

    fn end(self) -> Out<'py> {
        Ok(self.dict.into_any())
    }
}

impl<'k, 'py> ser::SerializeStruct for Map<'k, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let key = self.ser.keys.field(name);
        Ok(self.dict.set_item(key, value.serialize(self.ser)?)?)
    }

    fn end(self) -> Out<'py> {
        Ok(self.dict.into_any())
    }
}

/// Map keys: strings only, as in JSON.
struct KeySer<'k, 'py> {
    keys: &'k Keys<'py>,
}

type KeyOut<'py> = Result<Bound<'py, PyString>, Error>;

impl<'k, 'py> ser::Serializer for KeySer<'k, 'py> {
    type Ok = Bound<'py, PyString>;
    type Error = Error;
    type SerializeSeq = ser::Impossible<Bound<'py, PyString>, Error>;
    type SerializeTuple = ser::Impossible<Bound<'py, PyString>, Error>;
    type SerializeTupleStruct = ser::Impossible<Bound<'py, PyString>, Error>;
    type SerializeTupleVariant = ser::Impossible<Bound<'py, PyString>, Error>;
    type SerializeMap = ser::Impossible<Bound<'py, PyString>, Error>;
    type SerializeStruct = ser::Impossible<Bound<'py, PyString>, Error>;
    type SerializeStructVariant = ser::Impossible<Bound<'py, PyString>, Error>;

    fn serialize_str(self, v: &str) -> KeyOut<'py> {
        Ok(self.keys.name(v))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> KeyOut<'py> {
        Ok(self.keys.field(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> KeyOut<'py> {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_i8(self, _: i8) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_i16(self, _: i16) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_i32(self, _: i32) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_i64(self, _: i64) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_u8(self, _: u8) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_u16(self, _: u16) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_u32(self, _: u32) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_u64(self, _: u64) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_f32(self, _: f32) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_f64(self, _: f64) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_char(self, _: char) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_bytes(self, _: &[u8]) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_none(self) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_unit(self) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_unit_struct(self, _: &'static str) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> KeyOut<'py> {
        unsupported("a non-string key")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        unsupported("a non-string key")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        unsupported("a non-string key")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        unsupported("a non-string key")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        unsupported("a non-string key")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        unsupported("a non-string key")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        unsupported("a non-string key")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        unsupported("a non-string key")
    }
}
