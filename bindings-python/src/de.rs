//! Deserializes core serde types straight from Python objects (dict, list, str, int, float, bool,
//! None), without building a `serde_json::Value` first: the hot paths (a stored API key record on
//! every request) read each value once, and dict keys are matched as borrowed UTF-8.
//!
//! Only for types of bounded depth (a key record: text, numbers and lists of text), as it keeps
//! no count of levels: data of any depth goes through `convert::to_json`, which refuses what nests
//! deeper than `MAX_DEPTH`.

use std::fmt;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::convert::{DictItems, type_name};

/// A deserialization failure.
#[derive(Debug)]
pub enum DeError {
    /// A wrong type or a missing field: a message for the core's error (see [`read`]).
    Message(String),
    /// A Python error raised while reading (a `Mapping`'s own error, a dict changed during
    /// iteration, a `str` with a lone surrogate): raised as it is, as every other conversion
    /// raises it, not worded into the core's error.
    Python(PyErr),
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeError::Message(message) => f.write_str(message),
            DeError::Python(err) => fmt::Display::fmt(err, f),
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::Message(msg.to_string())
    }
}

impl From<PyErr> for DeError {
    fn from(err: PyErr) -> Self {
        DeError::Python(err)
    }
}

/// How a `str` with a lone surrogate (which has no UTF-8 form) is read.
#[derive(Clone, Copy)]
pub enum Surrogates {
    /// Refused with the binding's `input.invalid` (as every argument's text is): for data the
    /// caller gets back to store (a key record `revoke` or `roll` returns), which would otherwise
    /// be stored changed without a word.
    Refused,
    /// Read as U+FFFD: for data that is only judged (a stored key record given to `verify`, whose
    /// verdict says a key id so changed matches no key, as Node's does).
    Replaced,
}

/// Reads a `T` from `obj`: a Python error raised while reading is raised as it is; any other
/// failure is `invalid(message)` (the core's error for a bad `T`).
pub fn read<'de, T: serde::Deserialize<'de>>(
    obj: &Bound<'_, PyAny>,
    surrogates: Surrogates,
    invalid: impl FnOnce(String) -> tenantry::Error,
) -> PyResult<T> {
    T::deserialize(PyDeserializer { obj, surrogates }).map_err(|e| match e {
        DeError::Python(err) => err,
        DeError::Message(message) => crate::errors::to_py(invalid(message)),
    })
}

/// A serde `Deserializer` over a Python object (see [`read`]).
struct PyDeserializer<'a, 'py> {
    obj: &'a Bound<'py, PyAny>,
    surrogates: Surrogates,
}

impl<'de> de::Deserializer<'de> for PyDeserializer<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let obj = self.obj;
        if obj.is_none() {
            return visitor.visit_unit();
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return visitor.visit_bool(b.is_true());
        }
        if let Ok(i) = obj.cast::<PyInt>() {
            if let Ok(v) = i.extract::<i64>() {
                return visitor.visit_i64(v);
            }
            if let Ok(v) = i.extract::<u64>() {
                return visitor.visit_u64(v);
            }
            return Err(DeError::Message("integer does not fit in 64 bits".into()));
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            return visitor.visit_f64(f.value());
        }
        if let Ok(s) = obj.cast::<PyString>() {
            let text = match (crate::convert::str_ref(s), self.surrogates) {
                (Ok(text), _) => text.to_owned(),
                (Err(_), Surrogates::Replaced) => crate::convert::lossy_str(s)?.into_owned(),
                (Err(e), Surrogates::Refused) => return Err(e.into()),
            };
            return visitor.visit_string(text);
        }
        let surrogates = self.surrogates;
        if let Ok(list) = obj.cast::<PyList>() {
            return visitor.visit_seq(Seq { items: list.iter().collect(), next: 0, surrogates });
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return visitor.visit_seq(Seq { items: tuple.iter().collect(), next: 0, surrogates });
        }
        if let Some(dict) = crate::convert::as_dict(obj)? {
            return visitor.visit_map(Map {
                items: crate::convert::dict_items(&dict),
                value: None,
                surrogates,
            });
        }
        Err(DeError::Message(format!("{} is not a JSON value", type_name(obj))))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.obj.is_none() { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    /// A member the type does not have (a database row's own columns beside a key record's) is
    /// not read at all, whatever it holds: not nested data without end (a value that contains
    /// itself), which would otherwise be walked until the stack ran out. Node reads a record's
    /// members by name, and so ignores them too.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier
    }
}

struct Seq<'py> {
    items: Vec<Bound<'py, PyAny>>,
    next: usize,
    surrogates: Surrogates,
}

impl<'de> SeqAccess<'de> for Seq<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        let Some(item) = self.items.get(self.next) else { return Ok(None) };
        self.next += 1;
        seed.deserialize(PyDeserializer { obj: item, surrogates: self.surrogates }).map(Some)
    }
}

struct Map<'py> {
    items: DictItems<'py>,
    value: Option<Bound<'py, PyAny>>,
    surrogates: Surrogates,
}

impl<'de> MapAccess<'de> for Map<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let Some(member) = self.items.next() else { return Ok(None) };
        let (key, value) = member?;
        self.value = Some(value);
        let key =
            key.cast_into::<PyString>().map_err(|_| DeError::Message("dict keys must be str".into()))?;
        // A name with a lone surrogate is no member's name: read as U+FFFD, it is a member the
        // type does not have, skipped unread (in either mode: what is returned does not hold it),
        // as Node reads it.
        let text = crate::convert::lossy_str(&key)?;
        seed.deserialize(de::value::StrDeserializer::<DeError>::new(&text)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let value = self.value.take().ok_or_else(|| DeError::Message("value without a key".into()))?;
        seed.deserialize(PyDeserializer { obj: &value, surrogates: self.surrogates })
    }
}
