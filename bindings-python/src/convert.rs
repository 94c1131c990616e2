//! Argument conversion shared by every Python-facing function: payloads, times, headers, JSON.
//!
//! Only translation lives here; every decision is made in the core crate.

use std::borrow::Cow;

use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyType,
};
use serde_json::Value;
use tenantry::json_tree::{MAX_DEPTH, Tree, too_deep};
use tenantry::{Error, ErrorCode};

use crate::errors::to_py;

/// Borrows the UTF-8 text of a Python `str` without copying. A `str` with a lone surrogate has
/// no UTF-8 form: that is an `InvalidInputError` (`input.invalid`), see [`Text`].
pub fn str_ref<'a>(s: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
    utf8(s.as_borrowed())
}

/// The text of a `str` with each lone surrogate read as one U+FFFD, as JavaScript's `Buffer.from`
/// and `TextEncoder` read one (pyo3's `to_string_lossy` gives three: one per byte of its
/// `surrogatepass` encoding). For data that is judged rather than refused (a token, a stored
/// record's fields), so Python and Node judge the same text.
pub fn lossy_str<'a>(s: &'a Bound<'_, PyString>) -> PyResult<std::borrow::Cow<'a, str>> {
    if let Ok(text) = str_ref(s) {
        return Ok(std::borrow::Cow::Borrowed(text));
    }
    let encoded = s.call_method1(pyo3::intern!(s.py(), "encode"), ("utf-8", "surrogatepass"))?;
    let bytes = encoded.cast::<PyBytes>()?.as_bytes();
    // `surrogatepass` writes each surrogate as three bytes that are not UTF-8, and nothing else
    // that is not: each run of them is a run of surrogates.
    let mut out = String::with_capacity(bytes.len());
    let mut pending = 0;
    for chunk in bytes.utf8_chunks() {
        if !chunk.valid().is_empty() {
            out.extend(std::iter::repeat_n(char::REPLACEMENT_CHARACTER, pending / 3));
            pending = 0;
            out.push_str(chunk.valid());
        }
        pending += chunk.invalid().len();
    }
    out.extend(std::iter::repeat_n(char::REPLACEMENT_CHARACTER, pending / 3));
    Ok(std::borrow::Cow::Owned(out))
}

/// A `str` argument, borrowed as UTF-8 as pyo3's `&str` is, but with tenantry's error for a `str`
/// that holds a lone surrogate (as `os.fsdecode` or `surrogateescape` make from undecodable bytes):
/// an `InvalidInputError` with code `input.invalid`, as for any other bad input, instead of a
/// bare `UnicodeEncodeError` (both are `ValueError`s). Any other type is a `TypeError` naming the
/// argument, as before.
pub struct Text<'a>(pub &'a str);

impl<'a> FromPyObject<'a, '_> for Text<'a> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, '_, PyAny>) -> PyResult<Self> {
        utf8(obj.cast::<PyString>()?).map(Text)
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        self.0
    }
}

// The readers of parameters with a default (`#[pyo3(from_py_with = ...)]`). `None` given for one
// means its default, as `null` does in Node: a caller passing on an optional value of its own
// (`role=request.role`) gets the default, not a TypeError. The default is also written as a
// literal in each `signature`, so Python shows it (`role="member"`; any other expression shows as
// `...`); each literal is checked against the core's constant when this crate compiles.
macro_rules! text_or_default {
    ($($(#[$doc:meta])* $name:ident => $default:literal = $core:expr;)*) => {$(
        const _: () = assert!(same_text($default, $core), concat!(stringify!($name), ": the core's default changed"));
        $(#[$doc])*
        pub fn $name<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<&'a str> {
            if obj.is_none() {
                return Ok($default);
            }
            Text::extract(obj.as_borrowed()).map(|t| t.0)
        }
    )*};
}

text_or_default! {
    /// [`Text`], or `"member"` for `None`: a settings role or audience.
    member_or_none => "member" = tenantry::settings::Role::DEFAULT.as_str();
    /// [`Text`], or `"admin"` for `None`: the audience of `SettingsSchema.entries`.
    admin_or_none => "admin" = tenantry::settings::Role::DEFAULT_ENTRIES_AUDIENCE.as_str();
    /// [`Text`], or `"live"` for `None`: the environment of an issued API key.
    live_or_none => "live" = tenantry::apikeys::DEFAULT_ENVIRONMENT;
    /// [`Text`], or `"default"` for `None`: a rate limit's policy name.
    default_or_none => "default" = tenantry::limits::DEFAULT_POLICY;
}

/// Whether two texts are equal, at compile time (`str`'s `==` is not `const`).
const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Strings from a list of `str` (as `Vec<OwnedText>` extracts them), with the `TypeError` `message`
/// for a wrong type; a lone surrogate keeps its `InvalidInputError`.
pub fn str_list(obj: &Bound<'_, PyAny>, message: &str) -> PyResult<Vec<String>> {
    match obj.extract::<Vec<OwnedText>>() {
        Ok(texts) => Ok(texts.into_iter().map(|t| t.0).collect()),
        Err(e) if e.is_instance_of::<PyTypeError>(obj.py()) => Err(PyTypeError::new_err(message.to_owned())),
        Err(e) => Err(e),
    }
}

/// [`Text`], copied: the items of a list of `str` (which pyo3 extracts one by one), and the
/// strings a call keeps.
pub struct OwnedText(pub String);

impl AsRef<str> for OwnedText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromPyObject<'_, '_> for OwnedText {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        utf8(obj.cast::<PyString>()?).map(|text| OwnedText(text.to_owned()))
    }
}

/// A payload as the caller holds it: `bytes`, `bytearray` or `str` (as UTF-8).
pub enum Payload<'py> {
    /// Borrowed straight from a `bytes` object.
    Bytes(Bound<'py, PyBytes>),
    /// Borrowed from a `str`'s cached UTF-8 form (checked when extracted).
    Text(Bound<'py, PyString>),
    /// Copied from a `bytearray`.
    Owned(Vec<u8>),
}

impl Payload<'_> {
    /// The payload bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Payload::Bytes(b) => b.as_bytes(),
            // Extraction already borrowed this text once, so it cannot fail here.
            Payload::Text(s) => str_ref(s).map(str::as_bytes).unwrap_or_default(),
            Payload::Owned(v) => v,
        }
    }
}

impl<'py> FromPyObject<'_, 'py> for Payload<'py> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(b) = obj.cast::<PyBytes>() {
            return Ok(Payload::Bytes(b.to_owned()));
        }
        if let Ok(s) = obj.cast::<PyString>() {
            str_ref(&s)?;
            return Ok(Payload::Text(s.to_owned()));
        }
        if let Ok(b) = obj.cast::<PyByteArray>() {
            return Ok(Payload::Owned(b.to_vec()));
        }
        Err(PyTypeError::new_err(format!(
            "payload must be bytes, bytearray or str, not {}",
            obj.get_type().name()?
        )))
    }
}

/// A point in time: Unix seconds (`int`/`float`) or a timezone-aware `datetime`.
pub struct UnixTime(pub i64);

static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();

impl<'py> FromPyObject<'_, 'py> for UnixTime {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        unix_millis(&obj).map(|ms| UnixTime(ms.div_euclid(1000)))
    }
}

/// A whole number given as an `int` (not a `bool`, which Python counts as one: a retention of
/// `True` days, or a retry schedule of `[5, True]`, is a mistake, not 1), e.g. a count, a limit or
/// a number of days. pyo3 names the argument in the `TypeError`; an `int` beyond 64 bits is
/// `input.invalid`.
pub struct Whole(pub i64);

impl<'py> FromPyObject<'_, 'py> for Whole {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        match exact_int(&obj, "integer does not fit in 64 bits") {
            Some(n) => n.map(Whole),
            None => Err(PyTypeError::new_err(format!("must be an int, not {}", obj.get_type().name()?))),
        }
    }
}

/// An `int` that is not a `bool`, as an `i64` (`input.invalid` saying `out_of_range` when it does
/// not fit); `None` for any other type, which each caller words as its `TypeError`.
pub fn exact_int(obj: &Borrowed<'_, '_, PyAny>, out_of_range: &str) -> Option<PyResult<i64>> {
    (obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>())
        .then(|| obj.extract::<i64>().map_err(|_| to_py(Error::new(ErrorCode::InvalidInput, out_of_range))))
}

impl Whole {
    /// The number as a size or count: a negative one is 0 (which the core refuses as no limit).
    pub fn size(&self) -> usize {
        usize::try_from(self.0).unwrap_or(0)
    }
}

/// A real number given as a `float` or an `int` (anything `float()` reads), but not a `bool`:
/// a jitter or a backoff factor of `True` is a mistake, not 1.0 (as for [`Whole`]). pyo3 names the
/// argument in the `TypeError`.
pub struct Real(pub f64);

impl<'py> FromPyObject<'_, 'py> for Real {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyBool>() {
            return Err(PyTypeError::new_err("must be a float, not bool"));
        }
        obj.extract::<f64>().map(Real)
    }
}

// The signatures show these defaults as literals (see `text_or_default`).
const _: () = assert!(tenantry::webhooks::DEFAULT_BACKOFF_FACTOR == 2.0);
const _: () = assert!(tenantry::webhooks::DEFAULT_TOLERANCE_SECS == 300);

/// [`Real`], or the default backoff factor (2.0) for `None`.
pub fn factor_or_none(obj: &Bound<'_, PyAny>) -> PyResult<f64> {
    if obj.is_none() {
        return Ok(tenantry::webhooks::DEFAULT_BACKOFF_FACTOR);
    }
    Real::extract(obj.as_borrowed()).map(|r| r.0)
}

/// A webhook timestamp tolerance in whole seconds (an `int`, not a `bool`), or the default (300)
/// for `None`.
pub fn tolerance_or_none(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    if obj.is_none() {
        return Ok(tenantry::webhooks::DEFAULT_TOLERANCE_SECS);
    }
    match exact_int(&obj.as_borrowed(), "a number of seconds is out of range") {
        Some(n) => n,
        None => Err(PyTypeError::new_err(format!(
            "a number of seconds (tolerance) must be an int or None, not {}",
            obj.get_type().name()?
        ))),
    }
}

/// A duration named `name` in its errors (as Node names the option): whole seconds (an `int`, or
/// a `float` or `datetime.timedelta` without a fraction of a second). A fraction is refused, never
/// cut: a `touch_interval` of 0.5 s was 0 (a write on every request), a `grace` of 1.5 s was 1.
pub fn duration(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<i64> {
    if obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(PyTypeError::new_err(format!("{name} must be seconds or a timedelta, not bool")));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        return i.extract::<i64>().map_err(|_| to_py(tenantry::limits::not_a_safe_integer(name, i)));
    }
    let secs = if let Ok(f) = obj.cast::<PyFloat>() {
        f.value()
    } else if obj.is_instance(TIMEDELTA.import(obj.py(), "datetime", "timedelta")?)? {
        obj.call_method0("total_seconds")?.extract::<f64>()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "{name} must be seconds (int or float) or a datetime.timedelta, not {}",
            obj.get_type().name()?
        )));
    };
    tenantry::limits::whole_from_f64(secs, name).map_err(to_py)
}

static TIMEDELTA: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A point in time in milliseconds, for the APIs that keep sub-second precision.
pub struct UnixMillis(pub i64);

impl<'py> FromPyObject<'_, 'py> for UnixMillis {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        unix_millis(&obj).map(UnixMillis)
    }
}

fn bad_time(message: &str) -> PyErr {
    to_py(Error::new(ErrorCode::InvalidTime, message))
}

fn unix_millis(obj: &Borrowed<'_, '_, PyAny>) -> PyResult<i64> {
    if obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(PyTypeError::new_err("a time must be Unix seconds or a datetime, not bool"));
    }
    // Held to the core's range (1970 to 9999) as every binding reads a time.
    if let Ok(i) = obj.cast::<PyInt>() {
        // (An int past 128 bits is past the range just as well. An i64 first: extracting an
        // i128 under the stable ABI goes through Python's own int operations, 60 ns a call.)
        let secs = i.extract::<i64>().map_or_else(|_| i.extract::<i128>().unwrap_or(i128::MAX), i128::from);
        return tenantry::time_range::millis_from_secs(secs).map_err(to_py);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return tenantry::time_range::millis_from_secs_f64(f.value()).map_err(to_py);
    }
    let py = obj.py();
    let datetime = DATETIME.import(py, "datetime", "datetime")?;
    if obj.is_instance(datetime)? {
        if obj.call_method0("utcoffset")?.is_none() {
            return Err(bad_time(
                "naive datetime: give a timezone-aware datetime (e.g. datetime.now(timezone.utc))",
            ));
        }
        let secs: f64 = obj.call_method0("timestamp")?.extract()?;
        return tenantry::time_range::millis_from_secs_f64(secs).map_err(to_py);
    }
    Err(PyTypeError::new_err(format!(
        "a time must be Unix seconds (int or float) or a timezone-aware datetime, not {}",
        obj.get_type().name()?
    )))
}

/// Calls `visit(name, value)` for every header of a `dict`, of any mapping with `.items()`
/// (Starlette, Werkzeug), or of an iterable of `(name, value)` pairs (a repeated header is several
/// pairs). Names are `str` or `bytes`; a name with no UTF-8 form cannot be one tenantry reads, so
/// it is skipped. `visit` gets the name, whether it was a `str` (not `bytes`), and the value
/// unconverted, so callers convert only the values they keep (with [`header_text`]).
pub fn for_each_header<'py>(
    obj: &Bound<'py, PyAny>,
    mut visit: impl FnMut(&str, bool, &Bound<'py, PyAny>) -> PyResult<()>,
) -> PyResult<()> {
    let mut pair = |k: &Bound<'py, PyAny>, v: &Bound<'py, PyAny>| match header_text(k, "names")? {
        Some(name) => visit(&name, k.is_instance_of::<PyString>(), v),
        None => Ok(()),
    };
    if let Ok(dict) = obj.cast::<PyDict>() {
        for member in dict_items(dict) {
            let (k, v) = member?;
            pair(&k, &v)?;
        }
        return Ok(());
    }
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() || obj.is_none() {
        return Err(headers_type_error(obj));
    }
    let items = if obj.hasattr("items")? { obj.call_method0("items")? } else { obj.clone() };
    let iter = items.try_iter().map_err(|_| headers_type_error(obj))?;
    for item in iter {
        let item = item?;
        let (k, v): (Bound<'py, PyAny>, Bound<'py, PyAny>) = item.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "each header must be a (name, value) pair, not {}",
                type_name(&item)
            ))
        })?;
        pair(&k, &v)?;
    }
    Ok(())
}

fn headers_type_error(obj: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!(
        "headers must be a mapping of header names to values (dict, Starlette or Werkzeug headers) \
         or an iterable of (name, value) pairs, not {}",
        type_name(obj)
    ))
}

/// A header name or value as text: a `str`, or `bytes` (as ASGI gives headers) holding UTF-8.
/// `None` for one that has no UTF-8 form (`bytes` that are not UTF-8, a `str` with a lone
/// surrogate): the core decides what that means (see `StandardHeaders::offer_unreadable`). Any
/// other type is a `TypeError`; `what` names it (`names`, or the header's name for a value).
pub fn header_text(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Option<String>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(str_ref(s).ok().map(str::to_owned));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(std::str::from_utf8(b.as_bytes()).ok().map(str::to_owned));
    }
    Err(PyTypeError::new_err(format!("header {what} must be str or bytes, not {}", type_name(obj))))
}

/// A JSON value from Python data (`dict`, `list`, scalars) or JSON text (`str` / `bytes`).
pub fn json_arg(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(s) = obj.cast::<PyString>() {
        return parse_json(str_ref(s)?.as_bytes());
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return parse_json(b.as_bytes());
    }
    to_json(obj, 0)
}

/// An int of JSON data: refused unless a double holds it exactly (see
/// [`tenantry::json_tree::exact_integer`]), as the same integer written in JSON text is.
fn double_exact(n: i128) -> PyResult<()> {
    if tenantry::json_tree::exact_integer(n) {
        Ok(())
    } else {
        Err(to_py(tenantry::json_tree::inexact_integer(n)))
    }
}

fn parse_json(text: &[u8]) -> PyResult<Value> {
    tenantry::json_text::parse(text).map_err(to_py)
}

/// `None`, a `bool`, an `int` or a `float` (subclasses included) as JSON, or the error for one
/// JSON cannot hold; `None` for any other type. Only reads values: an `int` or `float` subclass is
/// read by its value, not through its methods, so no Python code runs (but to raise an error).
fn scalar(obj: &Bound<'_, PyAny>) -> Option<PyResult<Value>> {
    if obj.is_none() {
        return Some(Ok(Value::Null));
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Some(Ok(Value::Bool(b.is_true())));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Some(double_exact(v.into()).map(|()| Value::from(v)));
        }
        if let Ok(v) = i.extract::<u64>() {
            return Some(double_exact(v.into()).map(|()| Value::from(v)));
        }
        // Past 64 bits, only a double as JavaScript writes it is exact (10**20; from 10**21 on
        // JavaScript writes an exponent), as in JSON text: a double it is.
        return Some(match i.extract::<i128>() {
            Ok(v) => double_exact(v).map(|()| Value::from(v as f64)),
            Err(_) => {
                let digits = i.str().map_or_else(|_| "of over 4300 digits".to_owned(), |s| s.to_string());
                Err(to_py(tenantry::json_tree::inexact_integer(digits)))
            }
        });
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Some(serde_json::Number::from_f64(f.value()).map(Value::Number).ok_or_else(|| {
            to_py(Error::new(ErrorCode::InvalidInput, "NaN and infinity are not JSON numbers"))
        }));
    }
    None
}

/// The members of a dict as `for k, v in d.items()` reads them, for every dict the binding
/// iterates: each key and value as a strong reference (taken before anything else runs), and
/// Python's own `RuntimeError` ("dictionary changed size during iteration") when the dict changes
/// while it is read.
///
/// pyo3's dict iterator panics there instead, and a conversion runs Python code between members
/// (a `Mapping` member is read through its methods, which may change the dict, or let another
/// thread change it): the panic reached Python as `pyo3_runtime.PanicException`, a
/// `BaseException` that `except Exception` (every web framework) lets through. The error is a
/// `RuntimeError`, as iterating the dict in Python (or the stdlib's pure-Python JSON encoder)
/// raises, and not tenantry's `InvalidInputError`: nothing is wrong with the value, which reads
/// fine once it stops changing (tenantry's input errors say what to fix in the input; like any
/// other error Python code raises during a conversion, this one passes through as it is).
pub fn dict_items<'py>(dict: &Bound<'py, PyDict>) -> DictItems<'py> {
    let size = dict.len();
    DictItems { dict: dict.clone(), pos: 0, size, remaining: size, done: false }
}

/// See [`dict_items`].
pub struct DictItems<'py> {
    dict: Bound<'py, PyDict>,
    /// `PyDict_Next`'s position.
    pos: pyo3::ffi::Py_ssize_t,
    /// The size when iteration began: any other size now is a change.
    size: usize,
    /// Members not yet read: one more is a change that kept the size (CPython's own check).
    remaining: usize,
    done: bool,
}

impl<'py> DictItems<'py> {
    fn changed(&mut self, how: &str) -> Option<PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
        self.done = true;
        Some(Err(PyRuntimeError::new_err(format!("dictionary {how} during iteration"))))
    }
}

impl<'py> Iterator for DictItems<'py> {
    type Item = PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if self.dict.len() != self.size {
            return self.changed("changed size");
        }
        let (mut key, mut value) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: `dict` is a live dict (held); `pos` only ever comes from `PyDict_Next` on it, and
        // CPython checks it against the dict's current table, so reading a changed dict is safe
        // (and refused, above or below).
        let found =
            unsafe { pyo3::ffi::PyDict_Next(self.dict.as_ptr(), &mut self.pos, &mut key, &mut value) };
        if found == 0 {
            self.done = true;
            return None;
        }
        if self.remaining == 0 {
            return self.changed("keys changed");
        }
        self.remaining -= 1;
        let py = self.dict.py();
        // SAFETY: `PyDict_Next` found a member: non-null borrowed references the dict holds, made
        // strong here before any Python code can run.
        Some(Ok(unsafe {
            (Borrowed::from_ptr(py, key).to_owned(), Borrowed::from_ptr(py, value).to_owned())
        }))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining))
    }
}

/// Python data to a JSON value: dict (str keys), list/tuple, str, int, float, bool, None, and any
/// other `collections.abc.Mapping` as an object.
///
/// Every value is held as a strong reference while it is read, so the Python code this may run
/// (a `Mapping`'s methods; whatever they let other threads do) cannot free anything read here.
pub fn to_json(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(to_py(too_deep()));
    }
    if let Some(value) = scalar(obj) {
        return value;
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(str_ref(s)?.to_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = serde_json::Map::with_capacity(d.len());
        for member in dict_items(d) {
            let (k, v) = member?;
            let key = k.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!("JSON object keys must be str, not {}", type_name(&k)))
            })?;
            map.insert(str_ref(key)?.to_owned(), to_json(&v, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<pyo3::types::PyTuple>() {
        let mut items = Vec::new();
        for item in obj.try_iter()? {
            items.push(to_json(&item?, depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    if let Some(dict) = mapping_copy(obj)? {
        return to_json(dict.as_any(), depth);
    }
    Err(PyTypeError::new_err(format!("{} is not JSON-serializable", type_name(obj))))
}

static SEQUENCE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Whether `obj` is a list or a tuple, or any other `collections.abc.Sequence` but text (`str`,
/// `bytes`, `bytearray`: sequences to the ABC, but taken as text, or refused, where the stubs say
/// `Sequence[...]`), as those stubs promise. Lists and tuples, the common case, are told by
/// their type flags; only other types pay for the `isinstance` check (which may run Python code:
/// `__instancecheck__`, `__subclasshook__`).
pub fn is_sequence(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<pyo3::types::PyTuple>() {
        return Ok(true);
    }
    if obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.is_instance_of::<PyDict>()
    {
        return Ok(false);
    }
    obj.is_instance(SEQUENCE.import(obj.py(), "collections.abc", "Sequence")?)
}

/// The items of a sequence (see [`is_sequence`]), each a strong reference, read (through its own
/// `__iter__`, as a `for` loop reads it) before any is used; `None` for anything else.
pub fn sequence_items<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Vec<Bound<'py, PyAny>>>> {
    if !is_sequence(obj)? {
        return Ok(None);
    }
    obj.try_iter()?.collect::<PyResult<Vec<_>>>().map(Some)
}

/// [`sequence_items`] of a sequence that is not a list or a tuple (which callers read directly).
pub fn other_sequence_items<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Vec<Bound<'py, PyAny>>>> {
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<pyo3::types::PyTuple>() {
        return Ok(None);
    }
    sequence_items(obj)
}

/// A dict, or a copy of any other `collections.abc.Mapping` as one (a SQLAlchemy `RowMapping`,
/// a `MappingProxyType`, a `UserDict`), as the stubs' `Mapping` promises; `None` for anything
/// else.
pub fn as_dict<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyDict>>> {
    match obj.cast::<PyDict>() {
        Ok(dict) => Ok(Some(dict.clone())),
        Err(_) => mapping_copy(obj),
    }
}

/// A dict copy of a `Mapping` that is not a dict (see [`as_dict`]).
fn mapping_copy<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Ok(mapping) = obj.cast::<PyMapping>() else { return Ok(None) };
    let dict = PyDict::new(obj.py());
    dict.update(mapping)?;
    Ok(Some(dict))
}

/// JSON text (`str` / `bytes`) or Python data as a [`Tree`] that borrows its strings from `obj`
/// (the [`json_arg`] of values that are only read: diffed, hashed, printed canonically).
///
/// The borrowed strings are valid only until Python code runs (or a Python object is made, which
/// may run the garbage collector and so finalizers): code that changes a container in `obj` may
/// free them. Use the tree first (it is read in Rust only), or note the strings with an
/// [`Origins`], which holds them.
pub fn tree_arg<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<Tree<'a>> {
    tree_arg_noting(obj, &mut ())
}

/// [`tree_arg`] that also notes which `str` object each string value came from, in `origins`.
pub fn tree_arg_noting<'a, 'py>(
    obj: &'a Bound<'py, PyAny>,
    origins: &mut impl Note<'a, 'py>,
) -> PyResult<Tree<'a>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return parse_tree(str_ref(s)?.as_bytes());
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return parse_tree(b.as_bytes());
    }
    tree_of(obj.as_borrowed(), 0, origins)
}

/// Where [`tree_arg_noting`] notes the `str` object behind each string it borrows.
pub trait Note<'a, 'py> {
    /// `text` (as put in the tree, a string value) is the UTF-8 text of `obj`.
    fn note(&mut self, text: &'a str, obj: Borrowed<'a, 'py, PyString>);
    /// The tree borrows the text of `obj` as a member name.
    fn note_name(&mut self, obj: Borrowed<'a, 'py, PyString>);
    /// A mark of the notes taken so far, for [`forget_since`](Note::forget_since).
    fn mark(&self) -> Mark;
    /// Forgets the notes taken since `mark`: their strings are not in the tree after all.
    fn forget_since(&mut self, mark: Mark);
}

/// See [`Note::mark`].
#[derive(Clone, Copy, Default)]
pub struct Mark {
    found: usize,
    held: usize,
}

/// Noting nothing.
impl<'a, 'py> Note<'a, 'py> for () {
    #[inline]
    fn note(&mut self, _: &'a str, _: Borrowed<'a, 'py, PyString>) {}

    #[inline]
    fn note_name(&mut self, _: Borrowed<'a, 'py, PyString>) {}

    #[inline]
    fn mark(&self) -> Mark {
        Mark::default()
    }

    #[inline]
    fn forget_since(&mut self, _: Mark) {}
}

/// Every `str` a tree borrows, held (a strong reference each), so that its strings stay valid
/// whatever runs meanwhile: Python code, or other threads while the GIL is released for a long
/// read of the tree (the text of a `str` lives as long as the object, and never changes).
pub struct Held<'py>(Vec<Bound<'py, PyString>>);

impl Held<'_> {
    /// Nothing held yet.
    pub fn new() -> Self {
        Held(Vec::new())
    }
}

impl<'a, 'py> Note<'a, 'py> for Held<'py> {
    fn note(&mut self, text: &'a str, obj: Borrowed<'a, 'py, PyString>) {
        // (The empty string's zero bytes are never read.)
        if !text.is_empty() {
            self.0.push(obj.to_owned());
        }
    }

    fn note_name(&mut self, obj: Borrowed<'a, 'py, PyString>) {
        self.0.push(obj.to_owned());
    }

    fn mark(&self) -> Mark {
        Mark { found: 0, held: self.0.len() }
    }

    fn forget_since(&mut self, mark: Mark) {
        self.0.truncate(mark.held);
    }
}

/// The `str` objects a tree's string values were borrowed from, found by the address of their
/// text: a result can then hold the caller's own objects (immutable, so sharing them is
/// invisible) instead of new copies of the same text.
///
/// Every `str` the tree borrows (values and member names) is held here (a strong reference),
/// so the tree's strings stay valid while Python code runs: a `Mapping` argument read after the
/// tree, or a finalizer the garbage collector runs as the result's objects are made, may change
/// the caller's containers (or let another thread do so) and would otherwise free the text the
/// tree points at.
///
/// Only exact `str` objects are found: a subclass (a `str`-valued `enum.Enum`, whose `str()` is
/// `'Plan.PRO'`) is the caller's own type, which a result should not carry, so its text becomes a
/// new plain `str` (as the same value in `metadata`, copied, always did).
pub struct Origins<'py> {
    by_address: Vec<(usize, Bound<'py, PyString>)>,
    /// The strings held but never found (member names, `str` subclasses).
    held: Vec<Bound<'py, PyString>>,
    sorted: bool,
}

impl<'py> Origins<'py> {
    /// No strings noted yet.
    pub fn new() -> Self {
        Origins { by_address: Vec::with_capacity(32), held: Vec::with_capacity(32), sorted: true }
    }

    /// The object whose text `text` is (the very same bytes, not an equal copy), if noted.
    pub fn find(&mut self, text: &str) -> Option<Bound<'py, PyString>> {
        if !self.sorted {
            self.by_address.sort_unstable_by_key(|(address, _)| *address);
            self.sorted = true;
        }
        let address = text.as_ptr() as usize;
        let i = self.by_address.binary_search_by_key(&address, |(a, _)| *a).ok()?;
        self.by_address.get(i).map(|(_, obj)| obj.clone())
    }
}

impl<'a, 'py> Note<'a, 'py> for Origins<'py> {
    fn note(&mut self, text: &'a str, obj: Borrowed<'a, 'py, PyString>) {
        // The empty string's text may be shared static storage: never worth finding.
        // (Its zero bytes are never read, so it need not be held either.)
        if text.is_empty() {
            return;
        }
        if obj.is_exact_instance_of::<PyString>() {
            self.by_address.push((text.as_ptr() as usize, obj.to_owned()));
            self.sorted = false;
        } else {
            self.held.push(obj.to_owned());
        }
    }

    fn note_name(&mut self, obj: Borrowed<'a, 'py, PyString>) {
        self.held.push(obj.to_owned());
    }

    fn mark(&self) -> Mark {
        Mark { found: self.by_address.len(), held: self.held.len() }
    }

    fn forget_since(&mut self, mark: Mark) {
        // What is left of a sorted list is sorted.
        self.by_address.truncate(mark.found);
        self.held.truncate(mark.held);
    }
}

fn parse_tree(text: &[u8]) -> PyResult<Tree<'_>> {
    tenantry::json_tree::parse_text(text).map_err(|e| to_py(tenantry::json_text::invalid(text, &e)))
}

/// Python data to a [`Tree`]: the same values and errors as [`to_json`], but strings (keys
/// included) are borrowed from the Python objects and objects are member lists, so nothing is
/// copied or hashed (see [`tree_arg`] for how long the strings are valid).
pub fn to_tree<'a>(obj: Borrowed<'a, '_, PyAny>, depth: usize) -> PyResult<Tree<'a>> {
    tree_of(obj, depth, &mut ())
}

/// Why [`tree_into`] stopped.
enum Stop {
    /// The value is refused: this error.
    Failed(PyErr),
    /// The value holds one that only Python code reads (see [`tree_of`]).
    NeedsPython,
}

impl From<PyErr> for Stop {
    fn from(err: PyErr) -> Self {
        Stop::Failed(err)
    }
}

/// [`to_tree`], noting strings in `origins`.
///
/// Plain data (dicts, lists, tuples, `str`, `int`, `float`, `bool`, `None`, and their subclasses)
/// is read with borrowed references (`PyDict_Next`, `PyList_GetItem`) and borrowed text: valid
/// because `obj` is borrowed for `'a` and reading them runs no Python code (type checks and reads
/// of the objects' own storage, under the GIL, which nothing here releases; the abi3 wheel never
/// runs on a free-threaded interpreter), so nothing can change or free a container or a string
/// while the tree is read. Any other value (a `Mapping` that is not a dict, or one to refuse) is
/// read by Python code, which could change a container being read (even one of the caller's
/// other threads, once the code lets it run) and free what the tree borrows: so at the first
/// such value the partial tree is dropped unread, and the whole value is read by [`to_json`]
/// instead, holding everything it reads, into a tree of owned strings. The hot path (plain data)
/// pays nothing for this.
fn tree_of<'a, 'py>(
    obj: Borrowed<'a, 'py, PyAny>,
    depth: usize,
    origins: &mut impl Note<'a, 'py>,
) -> PyResult<Tree<'a>> {
    let mark = origins.mark();
    let mut tree = Tree::Null;
    match tree_into(obj, depth, origins, &mut tree) {
        Ok(()) => Ok(tree),
        Err(Stop::Failed(err)) => Err(err),
        Err(Stop::NeedsPython) => {
            // Nothing borrowed may outlive the Python code `to_json` runs.
            drop(tree);
            origins.forget_since(mark);
            to_json(&obj, depth).map(Tree::from)
        }
    }
}

/// [`tree_of`], written into `out` in place: each member and item is read straight into its slot
/// of its container. Returning trees by value and pushing them made the CPU load each one back
/// with wider loads than the stores that had just written it (a store-forwarding stall every
/// value: most of the time spent reading a document). Stops with [`Stop::NeedsPython`], before
/// running any Python code, at a value only Python code reads.
fn tree_into<'a, 'py>(
    obj: Borrowed<'a, 'py, PyAny>,
    depth: usize,
    origins: &mut impl Note<'a, 'py>,
    out: &mut Tree<'a>,
) -> Result<(), Stop> {
    if depth > MAX_DEPTH {
        return Err(to_py(too_deep()).into());
    }
    let py = obj.py();
    match PyKind::of(obj) {
        PyKind::Str => {
            // SAFETY: `PyKind::of` checked that `obj` is a str.
            let s = unsafe { obj.cast_unchecked::<PyString>() };
            let text = utf8(s)?;
            origins.note(text, s);
            *out = Tree::String(Cow::Borrowed(text));
            return Ok(());
        }
        PyKind::Dict => {
            // SAFETY: `PyKind::of` checked that `obj` is a dict.
            let d = unsafe { obj.cast_unchecked::<PyDict>() };
            *out = Tree::Object(Vec::with_capacity(d.len()));
            let Tree::Object(members) = out else { return Ok(()) };
            let (mut pos, mut key, mut value) = (0, std::ptr::null_mut(), std::ptr::null_mut());
            // SAFETY: `d` is a live dict; PyDict_Next hands out borrowed references, which stay
            // valid because no Python code runs until the tree is done (see `tree_of`).
            while unsafe { pyo3::ffi::PyDict_Next(d.as_ptr(), &mut pos, &mut key, &mut value) } != 0 {
                // SAFETY: non-null borrowed references owned by `d`, which outlives 'a.
                let (k, v) = unsafe { (Borrowed::from_ptr(py, key), Borrowed::from_ptr(py, value)) };
                let k = k.cast::<PyString>().map_err(|_| {
                    PyTypeError::new_err(format!("JSON object keys must be str, not {}", type_name(&k)))
                })?;
                let name = utf8(k)?;
                origins.note_name(k);
                // The member is written straight into its place (`push` built the pair on the
                // stack first, then copied it with wider loads than its stores: the same stall).
                members.reserve(1);
                let len = members.len();
                let Some(spare) = members.spare_capacity_mut().first_mut() else { return Ok(()) };
                spare.write((Cow::Borrowed(name), Tree::Null));
                // SAFETY: the slot after the last member was initialized just above.
                unsafe { members.set_len(len + 1) };
                if let Some((_, slot)) = members.last_mut() {
                    tree_into(v, depth + 1, origins, slot)?;
                }
            }
            return Ok(());
        }
        kind @ (PyKind::List | PyKind::Tuple) => {
            let list = matches!(kind, PyKind::List);
            // SAFETY: `obj` is a live list or tuple.
            let len = unsafe {
                if list {
                    pyo3::ffi::PyList_Size(obj.as_ptr())
                } else {
                    pyo3::ffi::PyTuple_Size(obj.as_ptr())
                }
            };
            *out = Tree::Array(Vec::with_capacity(usize::try_from(len).unwrap_or(0)));
            let Tree::Array(items) = out else { return Ok(()) };
            for i in 0..len {
                // SAFETY: `i` is in bounds (no Python code runs to shrink `obj`, see `tree_of`);
                // the item is a borrowed reference owned by `obj`.
                let item = unsafe {
                    let ptr = if list {
                        pyo3::ffi::PyList_GetItem(obj.as_ptr(), i)
                    } else {
                        pyo3::ffi::PyTuple_GetItem(obj.as_ptr(), i)
                    };
                    Borrowed::from_ptr_or_err(py, ptr)?
                };
                items.push(Tree::Null);
                if let Some(slot) = items.last_mut() {
                    tree_into(item, depth + 1, origins, slot)?;
                }
            }
            return Ok(());
        }
        PyKind::Int => {
            if let Ok(v) = obj.extract::<i64>() {
                double_exact(v.into())?;
                *out = Tree::Number(v.into());
                return Ok(());
            }
        }
        PyKind::Other => {}
    }
    // `None`, a bool, a float or an int beyond i64: read as `to_json` reads them (no Python code
    // runs). Anything else is read, or refused, by Python code (a `Mapping` through its methods;
    // even the `isinstance` check for one may run Python code): not here.
    match scalar(&obj) {
        Some(value) => {
            *out = Tree::from(value?);
            Ok(())
        }
        None => Err(Stop::NeedsPython),
    }
}

/// What [`tree_of`] does with a value: exact types are told apart by comparing type pointers
/// (the common case: plain dicts, strs and ints), subclasses by the interpreter's checks.
#[derive(Clone, Copy)]
enum PyKind {
    Str,
    Dict,
    List,
    Tuple,
    /// An exact `int` (read here; one too big for `i64` is read as [`scalar`] reads it).
    Int,
    /// Anything else: a [`scalar`], or a value only Python code reads (see [`tree_of`]).
    Other,
}

impl PyKind {
    fn of(obj: Borrowed<'_, '_, PyAny>) -> PyKind {
        if obj.is_exact_instance_of::<PyString>() {
            PyKind::Str
        } else if obj.is_exact_instance_of::<PyDict>() {
            PyKind::Dict
        } else if obj.is_exact_instance_of::<PyInt>() {
            PyKind::Int
        } else if obj.is_exact_instance_of::<PyList>() {
            PyKind::List
        } else if obj.is_none()
            || obj.is_exact_instance_of::<PyBool>()
            || obj.is_exact_instance_of::<PyFloat>()
        {
            PyKind::Other
        } else if obj.is_instance_of::<PyString>() {
            PyKind::Str
        } else if obj.is_instance_of::<PyDict>() {
            PyKind::Dict
        } else if obj.is_instance_of::<PyList>() {
            PyKind::List
        } else if obj.is_instance_of::<pyo3::types::PyTuple>() {
            PyKind::Tuple
        } else {
            PyKind::Other
        }
    }
}

/// [`str_ref`] for a borrowed `str`: the text lives as long as the borrow.
fn utf8<'a>(s: Borrowed<'a, '_, PyString>) -> PyResult<&'a str> {
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a live str for 'a; CPython caches the UTF-8 form inside the object, so the
    // buffer stays valid (and unchanged, str being immutable) for as long as `s` is borrowed.
    let data = unsafe { pyo3::ffi::PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
    if data.is_null() {
        return Err(not_utf8(s, PyErr::fetch(s.py())));
    }
    let len = usize::try_from(size).map_err(|_| PyTypeError::new_err("negative str size"))?;
    // SAFETY: CPython returns `len` bytes of valid UTF-8 at `data` (a str it cannot encode, one
    // with lone surrogates, fails above), alive as long as `s`; checking them again would cost a
    // pass over every string converted.
    Ok(unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(data.cast::<u8>(), len)) })
}

/// The error for a `str` CPython could not encode as UTF-8: a lone surrogate (the only such `str`)
/// is an `InvalidInputError` naming it and its index, with the `UnicodeEncodeError` as its cause.
fn not_utf8(s: Borrowed<'_, '_, PyString>, err: PyErr) -> PyErr {
    let py = s.py();
    if !err.is_instance_of::<pyo3::exceptions::PyUnicodeEncodeError>(py) {
        return err;
    }
    let start = err.value(py).getattr(pyo3::intern!(py, "start")).and_then(|v| v.extract::<usize>());
    // The surrogate's code unit: the one character at `start`, as UTF-16 (surrogates passed).
    let unit = |at: usize| -> Option<u16> {
        let one = s.get_item(at).ok()?.call_method1("encode", ("utf-16-le", "surrogatepass")).ok()?;
        let bytes: [u8; 2] = one.cast::<PyBytes>().ok()?.as_bytes().try_into().ok()?;
        Some(u16::from_le_bytes(bytes))
    };
    let core_error = match start.ok().and_then(|at| Some((unit(at)?, at))) {
        Some((unit, at)) => tenantry::json_text::lone_surrogate(unit, at),
        None => Error::new(
            ErrorCode::InvalidInput,
            "str holds a lone surrogate: it is not valid Unicode, so it has no UTF-8 form",
        ),
    };
    let typed = to_py(core_error);
    typed.set_cause(py, Some(err));
    typed
}

/// The name of a value's type, for `TypeError` messages.
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_owned())
}

/// JSON data as the converters read it: a `serde_json::Value`, or a [`Tree`] that borrows its
/// strings (one converter for both).
pub trait JsonData: Sized {
    /// What this value is (an object's members come from [`members`](Self::members)).
    fn kind(&self) -> Kind<'_, Self>;
    /// An object's members, in order (none for anything else).
    fn members(&self) -> impl Iterator<Item = (&str, &Self)>;
}

/// The kinds of JSON value.
pub enum Kind<'v, N> {
    Null,
    Bool(bool),
    Number(&'v serde_json::Number),
    String(&'v str),
    Array(&'v [N]),
    Object,
}

impl JsonData for Value {
    fn kind(&self) -> Kind<'_, Self> {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(b) => Kind::Bool(*b),
            Value::Number(n) => Kind::Number(n),
            Value::String(s) => Kind::String(s),
            Value::Array(items) => Kind::Array(items),
            Value::Object(_) => Kind::Object,
        }
    }

    fn members(&self) -> impl Iterator<Item = (&str, &Self)> {
        self.as_object().into_iter().flatten().map(|(k, v)| (k.as_str(), v))
    }
}

impl JsonData for Tree<'_> {
    fn kind(&self) -> Kind<'_, Self> {
        match self {
            Tree::Null => Kind::Null,
            Tree::Bool(b) => Kind::Bool(*b),
            Tree::Number(n) => Kind::Number(n),
            Tree::String(s) => Kind::String(s),
            Tree::Array(items) => Kind::Array(items),
            Tree::Object(_) => Kind::Object,
        }
    }

    fn members(&self) -> impl Iterator<Item = (&str, &Self)> {
        let members = match self {
            Tree::Object(members) => members.as_slice(),
            _ => &[],
        };
        members.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

/// A JSON value as Python data (`null` → `None`).
pub fn from_json<'py, N: JsonData>(py: Python<'py>, value: &N) -> PyResult<Bound<'py, PyAny>> {
    from_json_reusing(py, value, &mut |_| None)
}

/// [`from_json`] that uses the `str` object `reuse` finds for a string's text, when it finds
/// one, instead of a new object.
pub fn from_json_reusing<'py, N: JsonData>(
    py: Python<'py>,
    value: &N,
    reuse: &mut impl FnMut(&str) -> Option<Bound<'py, PyString>>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value.kind() {
        Kind::Null => py.None().into_bound(py),
        Kind::Bool(b) => pyo3::types::PyBool::new(py, b).to_owned().into_any(),
        Kind::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Kind::String(s) => reuse(s).unwrap_or_else(|| PyString::new(py, s)).into_any(),
        Kind::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(from_json_reusing(py, item, reuse)?)?;
            }
            list.into_any()
        }
        Kind::Object => {
            let dict = PyDict::new(py);
            for (k, v) in value.members() {
                dict.set_item(k, from_json_reusing(py, v, reuse)?)?;
            }
            dict.into_any()
        }
    })
}
