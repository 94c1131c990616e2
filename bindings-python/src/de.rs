//! Deserializes core serde types straight from Python objects (dict, list, str, int, float, bool,
//! None), without building a `serde_json::Value` first: the hot paths (a stored API key record on
//! every request) read each field once. Structs read their fields from a dict by name, so unknown
//! keys cost nothing; field-name strings can be cached per type with [`KeyCache`].

use std::fmt;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

/// A deserialization failure (wrong type, missing field), as a message for the core's error.
#[derive(Debug)]
pub struct DeError(pub String);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError(msg.to_string())
    }
}

/// Interned Python strings for a struct's field names, built on first use.
pub type KeyCache = PyOnceLock<Vec<Py<PyString>>>;

/// A serde `Deserializer` over a Python object.
pub struct PyDeserializer<'a, 'py> {
    obj: &'a Bound<'py, PyAny>,
    keys: Option<&'a KeyCache>,
}

impl<'a, 'py> PyDeserializer<'a, 'py> {
    /// Deserializes `obj`; a top-level struct looks its fields up with the strings in `keys`.
    pub fn new(obj: &'a Bound<'py, PyAny>, keys: Option<&'a KeyCache>) -> Self {
        PyDeserializer { obj, keys }
    }
}

fn text(obj: &Bound<'_, PyAny>) -> Option<String> {
    // `to_cow` is the fast path; lone surrogates fall back to a lossy copy.
    obj.cast::<PyString>()
        .ok()
        .map(|s| s.to_cow().map(|t| t.into_owned()).unwrap_or_else(|_| s.to_string_lossy().into_owned()))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_owned())
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
            return Err(DeError("integer does not fit in 64 bits".into()));
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            return visitor.visit_f64(f.value());
        }
        if let Some(s) = text(obj) {
            return visitor.visit_string(s);
        }
        if let Ok(list) = obj.cast::<PyList>() {
            return visitor.visit_seq(Seq { items: list.iter().collect(), next: 0 });
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return visitor.visit_seq(Seq { items: tuple.iter().collect(), next: 0 });
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            return visitor.visit_map(Map { items: dict.items().iter().collect(), next: 0, value: None });
        }
        Err(DeError(format!("{} is not a JSON value", type_name(obj))))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.obj.is_none() { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let Ok(dict) = self.obj.cast::<PyDict>() else {
            return Err(DeError(format!("expected a dict, not {}", type_name(self.obj))));
        };
        let py = self.obj.py();
        let uncached;
        let keys: &[Py<PyString>] = match self.keys {
            Some(cache) => {
                cache.get_or_init(py, || fields.iter().map(|f| PyString::intern(py, f).unbind()).collect())
            }
            None => {
                uncached = fields.iter().map(|f| PyString::intern(py, f).unbind()).collect::<Vec<_>>();
                &uncached
            }
        };
        let mut found = Vec::with_capacity(fields.len());
        for (name, key) in fields.iter().zip(keys) {
            if let Some(value) = dict.get_item(key.bind(py)).map_err(|e| DeError(e.to_string()))? {
                found.push((*name, value));
            }
        }
        visitor.visit_map(Fields { found, next: 0 })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

struct Seq<'py> {
    items: Vec<Bound<'py, PyAny>>,
    next: usize,
}

impl<'de> SeqAccess<'de> for Seq<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        let Some(item) = self.items.get(self.next) else { return Ok(None) };
        self.next += 1;
        seed.deserialize(PyDeserializer::new(item, None)).map(Some)
    }
}

struct Map<'py> {
    items: Vec<Bound<'py, PyAny>>,
    next: usize,
    value: Option<Bound<'py, PyAny>>,
}

impl<'de> MapAccess<'de> for Map<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let Some(item) = self.items.get(self.next) else { return Ok(None) };
        self.next += 1;
        let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
            item.extract().map_err(|e: PyErr| DeError(e.to_string()))?;
        let key = text(&key).ok_or_else(|| DeError("dict keys must be str".into()))?;
        self.value = Some(value);
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let value = self.value.take().ok_or_else(|| DeError("value without a key".into()))?;
        seed.deserialize(PyDeserializer::new(&value, None))
    }
}

struct Fields<'py> {
    found: Vec<(&'static str, Bound<'py, PyAny>)>,
    next: usize,
}

impl<'de> MapAccess<'de> for Fields<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let Some((name, _)) = self.found.get(self.next) else { return Ok(None) };
        seed.deserialize(de::value::BorrowedStrDeserializer::new(name)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (_, value) = self.found.get(self.next).ok_or_else(|| DeError("value without a key".into()))?;
        self.next += 1;
        seed.deserialize(PyDeserializer::new(value, None))
    }
}
