//! Argument conversion shared by every Node-facing function: payloads, times, headers, JSON.
//!
//! Only translation lives here; every decision is made in the core crate.

use std::borrow::Cow;
use std::ffi::CStr;
use std::marker::PhantomData;
use std::ptr;

use napi::bindgen_prelude::*;
use napi::{JsValue, sys};
use serde_json::Value;
use tenantry::json_tree::{Members, Tree};
use tenantry::{Error as CoreError, ErrorCode};

use crate::errors::to_js;

/// A payload: `Buffer` / `Uint8Array` (borrowed) or `string` (UTF-8).
pub type Payload<'a> = Either<&'a [u8], String>;

/// The payload bytes.
pub fn payload_bytes<'a>(payload: &'a Payload<'_>) -> &'a [u8] {
    match payload {
        Either::A(bytes) => bytes,
        Either::B(text) => text.as_bytes(),
    }
}

/// A string argument that must be text (a name, key, id, option value or JSON text): read as
/// napi-rs reads a `String` (a value of another type refused by its type alone: see
/// [`string_from_napi`]), but a string holding a lone surrogate, which N-API would read with
/// U+FFFD in its place, is `input.invalid` in the core's words
/// ([`tenantry::json_text::lone_surrogate`]), as Python refuses such a `str`. Only text holding a
/// U+FFFD is read again (see [`Js::ensure_well_formed`]), so well-formed text costs one scan for it.
///
/// In an `Either`, a refused string would fall through to the next type: take [`TextOr`] instead.
pub struct Text(String);

impl Text {
    /// The text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TypeName for Text {
    fn type_name() -> &'static str {
        String::type_name()
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ToNapiValue for Text {
    unsafe fn to_napi_value(env: sys::napi_env, text: Text) -> Result<sys::napi_value> {
        // SAFETY: the caller's guarantee, passed on.
        unsafe { String::to_napi_value(env, text.0) }
    }
}

/// Throws the core's error for a string holding a lone surrogate (see [`Text`]), for the JS shims
/// that find one in a string bound for an addon path that cannot tell (see `js/settings.js`), or
/// in data (see `js/json-data.js`).
#[napi(js_name = "_checkText", catch_unwind)]
pub fn check_text(text: Text) {
    drop(text);
}

impl ValidateNapiValue for Text {
    unsafe fn validate(env: sys::napi_env, value: sys::napi_value) -> Result<sys::napi_value> {
        // SAFETY: the caller's guarantee, passed on.
        unsafe { String::validate(env, value) }
    }
}

impl FromNapiValue for Text {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> Result<Self> {
        // SAFETY: napi-rs hands over a live value of this call's environment.
        let text = unsafe { string_from_napi(env, value) }?;
        // SAFETY: as above.
        unsafe { Js::from_raw(env, value) }.ensure_well_formed(&text)?;
        Ok(Text(text))
    }
}

/// napi-rs's reading of a `String`, but a value of another type is refused from its type alone.
/// napi-rs's own message for an object `JSON.stringify`s it into the error ("Failed to convert
/// JavaScript value `Object {"authorization":"Bearer …"}` …"): a headers object or a config passed
/// where a token or secret belongs had its secrets written into an error that gets logged, its
/// getters and `toJSON` run, and a circular or very deep one threw `JSON.stringify`'s own error.
///
/// # Safety
///
/// As for [`Js::from_raw`]: a live value of the running callback.
unsafe fn string_from_napi(env: sys::napi_env, value: sys::napi_value) -> Result<String> {
    // SAFETY: the caller's guarantee.
    let js = unsafe { Js::from_raw(env, value) };
    if js.kind()? != Kind::String {
        // In the words napi-rs uses for a number of the wrong type, which `js/type-messages.js`
        // says in JS terms ("… must be a string, not object").
        return Err(napi::Error::new(
            Status::StringExpected,
            format!("Failed to convert napi value {} into rust type `String`", js.napi_type_name()?),
        ));
    }
    // SAFETY: the caller's guarantee.
    unsafe { String::from_napi_value(env, value) }
}

/// A string argument read exactly as napi-rs reads a `String` (a lone surrogate becomes U+FFFD),
/// where [`Text`]'s refusal of lone surrogates is not wanted (tokens and secrets, matched as
/// given); a value of another type is refused from its type alone (see [`string_from_napi`]).
pub struct StringArg(String);

impl std::ops::Deref for StringArg {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl StringArg {
    /// The text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl TypeName for StringArg {
    fn type_name() -> &'static str {
        String::type_name()
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ValidateNapiValue for StringArg {
    unsafe fn validate(env: sys::napi_env, value: sys::napi_value) -> Result<sys::napi_value> {
        // SAFETY: the caller's guarantee, passed on.
        unsafe { String::validate(env, value) }
    }
}

impl FromNapiValue for StringArg {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> Result<Self> {
        // SAFETY: the caller's guarantee, passed on.
        unsafe { string_from_napi(env, value) }.map(StringArg)
    }
}

/// A string as [`Text`] (JSON text, where a document may be given either way), or any other value
/// as `T`. (napi-rs's `Either` would try `T` on a string [`Text`] refused, and take it as data.)
pub enum TextOr<T> {
    /// A string, held to [`Text`].
    Text(Text),
    /// Any other value.
    Value(T),
}

impl<T: TypeName> TypeName for TextOr<T> {
    fn type_name() -> &'static str {
        "string or JSON data"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl<T: ValidateNapiValue> ValidateNapiValue for TextOr<T> {
    unsafe fn validate(env: sys::napi_env, value: sys::napi_value) -> Result<sys::napi_value> {
        // SAFETY: the caller's guarantee, passed on.
        match unsafe { Js::from_raw(env, value) }.kind()? {
            Kind::String => Ok(ptr::null_mut()),
            // SAFETY: as above.
            _ => unsafe { T::validate(env, value) },
        }
    }
}

impl<T: FromNapiValue> FromNapiValue for TextOr<T> {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> Result<Self> {
        // SAFETY: napi-rs hands over a live value of this call's environment.
        match unsafe { Js::from_raw(env, value) }.kind()? {
            // SAFETY: as above.
            Kind::String => unsafe { Text::from_napi_value(env, value) }.map(TextOr::Text),
            // SAFETY: as above.
            _ => unsafe { T::from_napi_value(env, value) }.map(TextOr::Value),
        }
    }
}

/// An object read as napi-rs reads a `HashMap` (its own enumerable string keys, `undefined`
/// values skipped), each key held to [`Text`] (napi-rs reads keys with U+FFFD for a lone
/// surrogate); in the object's key order.
pub struct TextMap<V>(pub Vec<(String, V)>);

impl<V> TypeName for TextMap<V> {
    fn type_name() -> &'static str {
        "HashMap"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl<V: FromNapiValue> ValidateNapiValue for TextMap<V> {}

impl<V: FromNapiValue> FromNapiValue for TextMap<V> {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> Result<Self> {
        // SAFETY: napi-rs hands over a live value of this call's environment.
        let object = unsafe { Js::from_raw(env, value) };
        // A map of names to values: a string was read as an object of its characters, an array
        // as one of its indices (Python takes a dict only).
        if object.kind()? != Kind::Object || object.is_array()? {
            return Err(type_error(format!(
                "expected an object of names to values, not {}",
                object.type_name()
            )));
        }
        let keys = object.keys()?;
        let mut members = Vec::with_capacity(keys.len());
        for key in keys {
            let name = key.text()?;
            let member = object.get_by(key)?;
            if !member.is_undefined()? {
                // SAFETY: a live value of this call.
                members.push((name, unsafe { V::from_napi_value(env, member.value) }?));
            }
        }
        Ok(TextMap(members))
    }
}

/// A time: Unix seconds (`number`) or a `Date`.
pub type Time = Either<f64, JsDate>;

/// A JS `Date` as JS holds it: its time value in milliseconds, NaN for an Invalid Date. (napi-rs's
/// chrono conversion casts that NaN to 0: `new Date('garbage')` was 1970-01-01 without a word.)
pub struct JsDate(f64);

impl TypeName for JsDate {
    fn type_name() -> &'static str {
        "Date"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl JsDate {
    /// The Date's time value, read as [`Js::date_millis`] reads it; `None` for any other value.
    ///
    /// # Safety
    ///
    /// As for [`Js::from_raw`]: a live value of the running callback.
    unsafe fn read(env: sys::napi_env, value: sys::napi_value) -> Result<Option<JsDate>> {
        // SAFETY: the caller's guarantee.
        Ok(unsafe { Js::from_raw(env, value) }.date_millis()?.map(JsDate))
    }
}

fn not_a_date() -> napi::Error {
    napi::Error::new(Status::InvalidArg, "Expected a Date".to_owned())
}

impl ValidateNapiValue for JsDate {
    unsafe fn validate(env: sys::napi_env, value: sys::napi_value) -> Result<sys::napi_value> {
        // SAFETY: napi-rs hands over a live value of this call's environment.
        match unsafe { JsDate::read(env, value) }? {
            Some(_) => Ok(ptr::null_mut()),
            None => Err(not_a_date()),
        }
    }
}

impl FromNapiValue for JsDate {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> Result<Self> {
        // SAFETY: as above.
        unsafe { JsDate::read(env, value) }?.ok_or_else(not_a_date)
    }
}

/// (Option objects holding a time are plain napi objects, which napi-rs can also write back.)
impl ToNapiValue for JsDate {
    unsafe fn to_napi_value(env: sys::napi_env, date: JsDate) -> Result<sys::napi_value> {
        let mut out = ptr::null_mut();
        // SAFETY: a live environment from napi-rs; `out` receives the new Date.
        status(unsafe { sys::napi_create_date(env, date.0, &mut out) }, "a date")?;
        Ok(out)
    }
}

/// A time in whole Unix seconds (fractions floored).
pub fn unix_seconds(env: &Env, time: &Time) -> Result<i64> {
    unix_millis(env, time).map(|ms| ms.div_euclid(1000))
}

/// A time in Unix milliseconds.
pub fn unix_millis(env: &Env, time: &Time) -> Result<i64> {
    match time {
        Either::A(secs) => tenantry::time_range::millis_from_secs_f64(*secs).map_err(|e| to_js(env, e)),
        Either::B(JsDate(ms)) => date_millis(env, *ms),
    }
}

/// A `Date`'s time value held to the core's range (1970 to 9999); NaN is an Invalid Date.
fn date_millis(env: &Env, ms: f64) -> Result<i64> {
    if ms.is_nan() {
        return Err(to_js(
            env,
            CoreError::new(ErrorCode::InvalidTime, "the Date is invalid (its time is NaN)"),
        ));
    }
    tenantry::time_range::millis_from_f64(ms).map_err(|e| to_js(env, e))
}

/// A whole number given as a JS number: NaN, infinities and fractions are `input.invalid` naming
/// `what`, in the core's words. (Read through napi-rs's integer types, NaN and infinities were 0
/// and fractions were cut, without a word: a `tolerance` of NaN was 0 s, a retry delay of NaN an
/// immediate retry.)
pub fn whole(env: &Env, value: f64, what: &str) -> Result<i64> {
    tenantry::limits::whole_from_f64(value, what).map_err(|e| crate::errors::to_js(env, e))
}

/// A JSON value from a plain JS value, or from JSON text when given a string.
pub fn json_arg(env: &Env, value: TextOr<Value>) -> Result<Value> {
    match value {
        TextOr::Text(text) => json_text_arg(env, &text),
        TextOr::Value(value) => Ok(value),
    }
}

/// A JSON value from JSON text given by the caller (`input.invalid_json` if it does not parse,
/// or holds an integer no double holds: see [`tenantry::json_text::parse`]).
pub fn json_text_arg(env: &Env, text: &str) -> Result<Value> {
    json_bytes_arg(env, text.as_bytes())
}

/// A JSON value from JSON text given as bytes (`input.invalid_json` if it does not parse, UTF-8
/// included), read by the core as the Python binding reads `bytes` (see [`json_text_arg`]).
pub fn json_bytes_arg(env: &Env, text: &[u8]) -> Result<Value> {
    tenantry::json_text::parse(text).map_err(|e| to_js(env, e))
}

/// The `input.invalid_json` error for `text`, which serde_json refused with `err` (worded by
/// [`tenantry::json_text`], which names a lone surrogate).
pub fn invalid_json(env: &Env, text: &str, err: &serde_json::Error) -> napi::Error {
    to_js(env, tenantry::json_text::invalid(text.as_bytes(), err))
}

/// Renames the object keys of an API result from the core's snake_case to JavaScript's camelCase
/// (`retry_at` -> `retryAt`), recursively. Values are left alone. Used for results that are API
/// answers; stored records keep the core's field names so every language reads the same JSON.
pub fn camel_case_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (camel_case(&k), camel_case_keys(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(camel_case_keys).collect()),
        other => other,
    }
}

fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

// ---- raw N-API reads for the hot paths ---------------------------------------------------------
//
// `Webhook.verify` and `Webhook.sign` sit on every webhook request. napi-rs's generic conversions
// (a `HashMap` of every header, `Either` probing, `Option<struct>`) cost more than the HMAC of a
// 1 KB body, so these read exactly what is needed with a handful of N-API calls.
//
// Safety of the borrowed payload bytes: reading a property can run JavaScript (getters, proxies),
// and JavaScript could detach an ArrayBuffer. Callers therefore read headers and options first and
// take the payload bytes last; nothing runs JavaScript while those bytes are in use.

/// A JS value inside one native call.
#[derive(Clone, Copy)]
pub struct Js<'a> {
    env: sys::napi_env,
    value: sys::napi_value,
    _call: PhantomData<&'a Env>,
}

/// What a JS value is, as far as argument conversion cares.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `undefined` or `null`.
    Nullish,
    /// A `boolean`.
    Boolean,
    /// A `number`.
    Number,
    /// A `string`.
    String,
    /// An object (including arrays, dates, typed arrays).
    Object,
    /// Anything else (`bigint`, `symbol`, `function`, external).
    Other(&'static str),
}

fn status(code: sys::napi_status, what: &str) -> Result<()> {
    if code == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(Status::from(code), format!("N-API call failed while reading {what}")))
    }
}

/// An argument of the wrong type: `index.js` turns `InvalidArg` into a `TypeError`.
pub fn type_error(message: String) -> napi::Error {
    napi::Error::new(Status::InvalidArg, message)
}

/// Short UTF-8 strings (header values) are read in one N-API call through this stack buffer.
const SHORT_STRING: usize = 256;

/// Texts up to this size (JSON documents) are read through a stack buffer by `Js::with_str`.
const TEXT_BUFFER: usize = 1024;

impl<'a> Js<'a> {
    /// Wraps an argument of the current call.
    pub fn new(env: &'a Env, value: Unknown<'a>) -> Self {
        Js { env: env.raw(), value: value.raw(), _call: PhantomData }
    }

    /// Wraps an argument of a callback registered with raw N-API (see `limits.rs`).
    ///
    /// # Safety
    ///
    /// `env` and `value` must belong to the callback that is running; the result must not outlive it.
    pub unsafe fn from_raw(env: sys::napi_env, value: sys::napi_value) -> Self {
        Js { env, value, _call: PhantomData }
    }

    /// The value as a napi-rs `Unknown`, for napi-rs's generic conversions.
    pub fn unknown(self) -> Unknown<'a> {
        // SAFETY: the value belongs to the running call, which `'a` does not outlive.
        unsafe { Unknown::from_raw_unchecked(self.env, self.value) }
    }

    /// The value's kind (`typeof`, with `null` folded into `undefined`).
    pub fn kind(self) -> Result<Kind> {
        Ok(match self.value_type()? {
            sys::ValueType::napi_undefined | sys::ValueType::napi_null => Kind::Nullish,
            sys::ValueType::napi_boolean => Kind::Boolean,
            sys::ValueType::napi_number => Kind::Number,
            sys::ValueType::napi_string => Kind::String,
            sys::ValueType::napi_object => Kind::Object,
            sys::ValueType::napi_bigint => Kind::Other("bigint"),
            sys::ValueType::napi_symbol => Kind::Other("symbol"),
            sys::ValueType::napi_function => Kind::Other("function"),
            _ => Kind::Other("external"),
        })
    }

    /// The value's type as napi-rs names it in its conversion messages (`Object`, `Null`,
    /// `BigInt`...), which `js/type-messages.js` reads.
    fn napi_type_name(self) -> Result<&'static str> {
        Ok(match self.value_type()? {
            sys::ValueType::napi_undefined => "Undefined",
            sys::ValueType::napi_null => "Null",
            sys::ValueType::napi_boolean => "Boolean",
            sys::ValueType::napi_number => "Number",
            sys::ValueType::napi_string => "String",
            sys::ValueType::napi_symbol => "Symbol",
            sys::ValueType::napi_object => "Object",
            sys::ValueType::napi_function => "Function",
            sys::ValueType::napi_bigint => "BigInt",
            _ => "External",
        })
    }

    /// A readable type name for error messages: `null`, `number`, `Array`, `Date`, `Object`...
    pub fn type_name(self) -> String {
        let mut t = 0;
        if unsafe { sys::napi_typeof(self.env, self.value, &mut t) } != sys::Status::napi_ok {
            return "an unknown value".to_owned();
        }
        match t {
            sys::ValueType::napi_undefined => "undefined".to_owned(),
            sys::ValueType::napi_null => "null".to_owned(),
            sys::ValueType::napi_boolean => "boolean".to_owned(),
            sys::ValueType::napi_number => "number".to_owned(),
            sys::ValueType::napi_string => "string".to_owned(),
            sys::ValueType::napi_bigint => "bigint".to_owned(),
            sys::ValueType::napi_symbol => "symbol".to_owned(),
            sys::ValueType::napi_function => "function".to_owned(),
            sys::ValueType::napi_object => {
                if self.is_array().unwrap_or(false) {
                    "Array".to_owned()
                } else if self.is_date().unwrap_or(false) {
                    "Date".to_owned()
                } else if let Some(name) = self.typed_array_name() {
                    name.to_owned()
                } else {
                    "Object".to_owned()
                }
            }
            _ => "external".to_owned(),
        }
    }

    /// Whether this is `null` (not `undefined`).
    pub fn is_null(self) -> Result<bool> {
        self.is_type(sys::ValueType::napi_null)
    }

    /// Whether this is `undefined` (an absent member reads as one).
    pub fn is_undefined(self) -> Result<bool> {
        self.is_type(sys::ValueType::napi_undefined)
    }

    fn is_type(self, want: sys::napi_valuetype) -> Result<bool> {
        Ok(self.value_type()? == want)
    }

    /// `typeof`, as N-API tells it (`null` apart).
    fn value_type(self) -> Result<sys::napi_valuetype> {
        let mut t = 0;
        status(unsafe { sys::napi_typeof(self.env, self.value, &mut t) }, "a value's type")?;
        Ok(t)
    }

    /// Whether the value is an array.
    pub fn is_array(self) -> Result<bool> {
        let mut yes = false;
        status(unsafe { sys::napi_is_array(self.env, self.value, &mut yes) }, "an array")?;
        Ok(yes)
    }

    /// Whether the value is a `Date`.
    pub fn is_date(self) -> Result<bool> {
        let mut yes = false;
        status(unsafe { sys::napi_is_date(self.env, self.value, &mut yes) }, "a date")?;
        Ok(yes)
    }

    /// `Uint8Array`, `DataView`, `ArrayBuffer`... for binary containers, else `None`.
    fn typed_array_name(self) -> Option<&'static str> {
        const NAMES: [&str; 11] = [
            "Int8Array",
            "Uint8Array",
            "Uint8ClampedArray",
            "Int16Array",
            "Uint16Array",
            "Int32Array",
            "Uint32Array",
            "Float32Array",
            "Float64Array",
            "BigInt64Array",
            "BigUint64Array",
        ];
        match self.typed_array_info() {
            Ok(Some((kind, _, _))) => {
                return Some(
                    usize::try_from(kind).ok().and_then(|k| NAMES.get(k).copied()).unwrap_or("TypedArray"),
                );
            }
            Ok(None) => {}
            Err(_) => return Some("TypedArray"),
        }
        let mut yes = false;
        if unsafe { sys::napi_is_dataview(self.env, self.value, &mut yes) } == sys::Status::napi_ok && yes {
            return Some("DataView");
        }
        if unsafe { sys::napi_is_arraybuffer(self.env, self.value, &mut yes) } == sys::Status::napi_ok && yes
        {
            return Some("ArrayBuffer");
        }
        None
    }

    /// Whether the value is an array, a typed array, a `DataView` or an `ArrayBuffer`.
    pub fn is_list_like(self) -> Result<bool> {
        Ok(self.is_array()? || self.typed_array_name().is_some())
    }

    /// `obj[name]` (may run a getter). `name` must not contain NUL.
    pub fn get(self, name: &CStr) -> Result<Js<'a>> {
        let mut out = ptr::null_mut();
        status(
            unsafe { sys::napi_get_named_property(self.env, self.value, name.as_ptr(), &mut out) },
            "a property",
        )?;
        Ok(Js { value: out, ..self })
    }

    /// The own enumerable string keys (what `Object.keys` gives), as JS values.
    pub fn keys(self) -> Result<Vec<Js<'a>>> {
        let mut names = ptr::null_mut();
        status(
            unsafe {
                sys::napi_get_all_property_names(
                    self.env,
                    self.value,
                    sys::KeyCollectionMode::own_only,
                    sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
                    sys::KeyConversion::numbers_to_strings,
                    &mut names,
                )
            },
            "property names",
        )?;
        Js { value: names, ..self }.elements()?.collect()
    }

    /// The elements of an array.
    ///
    /// Read one by one as the iterator is: a caller that stops at the first bad item does not
    /// read the rest (a sparse array's `length` may be 2^32 - 1 with nothing in it).
    pub fn elements(self) -> Result<impl ExactSizeIterator<Item = Result<Js<'a>>>> {
        let mut len = 0u32;
        status(unsafe { sys::napi_get_array_length(self.env, self.value, &mut len) }, "an array length")?;
        Ok((0..len).map(move |i| {
            let mut out = ptr::null_mut();
            status(unsafe { sys::napi_get_element(self.env, self.value, i, &mut out) }, "an array element")?;
            Ok(Js { value: out, ..self })
        }))
    }

    /// `func.call(obj, arg)`: calls a method of this object with one string argument.
    pub fn call_method(self, func: Js<'a>, arg: &str) -> Result<Js<'a>> {
        let mut text = ptr::null_mut();
        let len = isize::try_from(arg.len()).map_err(|_| type_error("argument too long".to_owned()))?;
        status(
            unsafe { sys::napi_create_string_utf8(self.env, arg.as_ptr().cast(), len, &mut text) },
            "a string",
        )?;
        let mut out = ptr::null_mut();
        status(
            unsafe { sys::napi_call_function(self.env, self.value, func.value, 1, &text, &mut out) },
            "a method call",
        )?;
        Ok(Js { value: out, ..self })
    }

    /// `obj[key]` for a key obtained from [`keys`](Self::keys).
    pub fn get_by(self, key: Js<'a>) -> Result<Js<'a>> {
        let mut out = ptr::null_mut();
        status(unsafe { sys::napi_get_property(self.env, self.value, key.value, &mut out) }, "a property")?;
        Ok(Js { value: out, ..self })
    }

    /// The UTF-8 text of a string, or `None` if the value is not a string (one N-API call for
    /// short strings: the common case needs no `typeof` first).
    pub fn try_string(self) -> Result<Option<String>> {
        let mut buf = [0u8; SHORT_STRING];
        Ok(self.text_in(&mut buf)?.map(std::borrow::Cow::into_owned))
    }

    /// `f` of the UTF-8 text of a string, read without allocating when it is under 1 KB.
    pub fn with_str<R>(self, f: impl FnOnce(&str) -> R) -> Result<R> {
        let mut buf = [0u8; TEXT_BUFFER];
        match self.text_in(&mut buf)? {
            Some(text) => Ok(f(&text)),
            None => Err(type_error(format!("expected a string, not {}", self.type_name()))),
        }
    }

    /// The UTF-8 text of a string, read into `buf` when it fits (one N-API call), else copied
    /// into a new `String`; `None` if the value is not a string. For texts of a few KB (JSON).
    pub fn text_in<'b>(self, buf: &'b mut [u8]) -> Result<Option<std::borrow::Cow<'b, str>>> {
        // SAFETY: initialized bytes are valid `MaybeUninit`s, and only bytes are written back.
        let buf = unsafe { &mut *(ptr::from_mut(buf) as *mut [std::mem::MaybeUninit<u8>]) };
        self.text_in_uninit(buf)
    }

    /// [`text_in`](Self::text_in) through a buffer nobody had to clear first (the hot paths keep
    /// a 4 KB one on the stack).
    pub fn text_in_uninit<'b>(
        self,
        buf: &'b mut [std::mem::MaybeUninit<u8>],
    ) -> Result<Option<std::borrow::Cow<'b, str>>> {
        let mut written = 0usize;
        let code = unsafe {
            sys::napi_get_value_string_utf8(
                self.env,
                self.value,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut written,
            )
        };
        if code == sys::Status::napi_string_expected {
            return Ok(None);
        }
        status(code, "a string")?;
        // N-API writes whole characters only (at most 4 bytes each): with 4 bytes to spare the
        // string was not cut short.
        if written + 4 < buf.len() {
            // SAFETY: N-API wrote the first `written` bytes (fewer than `buf.len()`).
            let bytes = unsafe { std::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), written) };
            if let Ok(text) = std::str::from_utf8(bytes) {
                return Ok(Some(std::borrow::Cow::Borrowed(text)));
            }
        }
        unsafe { String::from_napi_value(self.env, self.value) }.map(|s| Some(std::borrow::Cow::Owned(s)))
    }

    /// The UTF-8 text of a value already known to be a string.
    pub fn string(self) -> Result<String> {
        self.try_string()?.ok_or_else(|| type_error(format!("expected a string, not {}", self.type_name())))
    }

    /// [`try_string`](Self::try_string) held to [`Text`]: a string holding a lone surrogate is
    /// `input.invalid` (see [`ensure_well_formed`](Self::ensure_well_formed)).
    pub fn try_text(self) -> Result<Option<String>> {
        let text = self.try_string()?;
        if let Some(text) = &text {
            self.ensure_well_formed(text)?;
        }
        Ok(text)
    }

    /// [`string`](Self::string) held to [`Text`].
    pub fn text(self) -> Result<String> {
        self.try_text()?.ok_or_else(|| type_error(format!("expected a string, not {}", self.type_name())))
    }

    /// Nothing when `text`, what N-API read of this string, is the string itself; else the
    /// `input.invalid` error naming its first lone surrogate, which N-API read as U+FFFD, in the
    /// core's words ([`tenantry::json_text::lone_surrogate`]), as Python refuses such a `str`. The
    /// common case is one scan of `text` for U+FFFD: only text holding one is read again.
    #[inline]
    pub fn ensure_well_formed(self, text: &str) -> Result<()> {
        match lone_surrogate_in(self, text)? {
            None => Ok(()),
            Some((unit, index)) => {
                Err(to_js(&Env::from_raw(self.env), tenantry::json_text::lone_surrogate(unit, index)))
            }
        }
    }

    /// A number's value.
    pub fn number(self) -> Result<f64> {
        let mut out = 0.0;
        status(unsafe { sys::napi_get_value_double(self.env, self.value, &mut out) }, "a number")?;
        Ok(out)
    }

    /// A number's value, or `None` if the value is not a number (one N-API call).
    pub fn try_number(self) -> Result<Option<f64>> {
        let mut out = 0.0;
        let code = unsafe { sys::napi_get_value_double(self.env, self.value, &mut out) };
        if code == sys::Status::napi_number_expected {
            return Ok(None);
        }
        status(code, "a number")?;
        Ok(Some(out))
    }

    /// True for `true`; false for `false` and any value that is not a boolean (one N-API call).
    pub fn is_true(self) -> bool {
        let mut out = false;
        let code = unsafe { sys::napi_get_value_bool(self.env, self.value, &mut out) };
        code == sys::Status::napi_ok && out
    }

    /// A boolean's value.
    pub fn boolean(self) -> Result<bool> {
        let mut out = false;
        status(unsafe { sys::napi_get_value_bool(self.env, self.value, &mut out) }, "a boolean")?;
        Ok(out)
    }

    /// A `Date`'s milliseconds since the epoch (NaN for an invalid date), or `None` if not a Date.
    pub fn date_millis(self) -> Result<Option<f64>> {
        if !self.is_date()? {
            return Ok(None);
        }
        let mut out = 0.0;
        status(unsafe { sys::napi_get_date_value(self.env, self.value, &mut out) }, "a date")?;
        Ok(Some(out))
    }

    /// A typed array's element type, data pointer and element count, or `None` for any other value
    /// (one N-API call: a value that is no typed array answers `napi_invalid_arg`).
    fn typed_array_info(self) -> Result<Option<(sys::napi_typedarray_type, *mut std::ffi::c_void, usize)>> {
        let mut kind = 0;
        let mut len = 0usize;
        let mut data = ptr::null_mut();
        let mut buffer = ptr::null_mut();
        let mut offset = 0usize;
        let code = unsafe {
            sys::napi_get_typedarray_info(
                self.env,
                self.value,
                &mut kind,
                &mut len,
                &mut data,
                &mut buffer,
                &mut offset,
            )
        };
        if code == sys::Status::napi_invalid_arg {
            return Ok(None);
        }
        status(code, "a typed array")?;
        Ok(Some((kind, data, len)))
    }

    /// The bytes of a `Uint8Array` (a `Buffer` is one), or `None` for any other object.
    ///
    /// The slice borrows the array's memory: call this after every read that may run JavaScript.
    pub fn uint8_bytes(self) -> Result<Option<&'a [u8]>> {
        let Some((kind, data, len)) = self.typed_array_info()? else { return Ok(None) };
        if kind != sys::TypedarrayType::uint8_array {
            return Ok(None);
        }
        if len == 0 || data.is_null() {
            return Ok(Some(&[]));
        }
        // `data` already points at the view's first byte; the array outlives this call.
        Ok(Some(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) }))
    }
}

/// A payload read for one call: borrowed `Uint8Array` bytes, or a string's UTF-8.
pub enum PayloadBytes<'a> {
    /// Borrowed from a `Buffer` / `Uint8Array`.
    Borrowed(&'a [u8]),
    /// UTF-8 of a string.
    Owned(Vec<u8>),
}

impl PayloadBytes<'_> {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            PayloadBytes::Borrowed(b) => b,
            PayloadBytes::Owned(v) => v,
        }
    }
}

/// A payload argument: `Buffer` / `Uint8Array` (borrowed) or `string` (UTF-8). Read it last.
pub fn payload_arg<'a>(value: Js<'a>) -> Result<PayloadBytes<'a>> {
    if let Some(bytes) = value.uint8_bytes()? {
        return Ok(PayloadBytes::Borrowed(bytes));
    }
    if let Some(text) = value.try_string()? {
        return Ok(PayloadBytes::Owned(text.into_bytes()));
    }
    Err(type_error(format!("payload must be a Buffer, Uint8Array or string, not {}", value.type_name())))
}

/// A string argument that is text (a name, key, id or option value): a lone surrogate is
/// `input.invalid` (see [`Text`]).
pub fn string_arg(value: Js<'_>, what: &str) -> Result<String> {
    value.try_text()?.ok_or_else(|| not_a_string(value, what))
}

/// A string argument read as N-API reads it, a lone surrogate as U+FFFD: only for what is not
/// refused but judged (an API key token with one is `MALFORMED`, as in Python).
pub fn lossy_string_arg(value: Js<'_>, what: &str) -> Result<String> {
    value.try_string()?.ok_or_else(|| not_a_string(value, what))
}

fn not_a_string(value: Js<'_>, what: &str) -> napi::Error {
    type_error(format!("{what} must be a string, not {}", value.type_name()))
}

/// An optional time argument (`undefined`/`null` → `None`): Unix seconds (`number`) or a `Date`,
/// in whole seconds (fractions floored).
pub fn time_arg(env: &Env, value: Js<'_>, what: &str) -> Result<Option<i64>> {
    Ok(time_millis_arg(env, value, what)?.map(|ms| ms.div_euclid(1000)))
}

/// An optional time argument (`undefined`/`null` → `None`): Unix seconds (`number`) or a `Date`,
/// in whole milliseconds (fractions floored). A number needs one N-API call.
pub fn time_millis_arg(env: &Env, value: Js<'_>, what: &str) -> Result<Option<i64>> {
    // Held to the core's range (1970 to 9999) as every binding reads a time.
    let millis = match value.try_number()? {
        Some(secs) => tenantry::time_range::millis_from_secs_f64(secs).map_err(|e| to_js(env, e))?,
        None => match value.kind()? {
            Kind::Nullish => return Ok(None),
            Kind::Object => match value.date_millis()? {
                Some(ms) => date_millis(env, ms)?,
                None => return Err(time_type_error(value, what)),
            },
            _ => return Err(time_type_error(value, what)),
        },
    };
    Ok(Some(millis))
}

/// A number argument.
pub fn number_arg(value: Js<'_>, what: &str) -> Result<f64> {
    value
        .try_number()?
        .ok_or_else(|| type_error(format!("{what} must be a number, not {}", value.type_name())))
}

/// An optional number argument (`undefined`/`null` → `None`).
pub fn opt_number_arg(value: Js<'_>, what: &str) -> Result<Option<f64>> {
    if let Some(n) = value.try_number()? {
        return Ok(Some(n));
    }
    match value.kind()? {
        Kind::Nullish => Ok(None),
        _ => Err(type_error(format!("{what} must be a number, not {}", value.type_name()))),
    }
}

fn time_type_error(value: Js<'_>, what: &str) -> napi::Error {
    type_error(format!("{what} must be a number of Unix seconds or a Date, not {}", value.type_name()))
}

/// An optional whole number of seconds (`undefined`/`null` → `None`).
pub fn seconds_arg(env: &Env, value: Js<'_>, what: &str) -> Result<Option<i64>> {
    match value.kind()? {
        Kind::Nullish => Ok(None),
        Kind::Number => whole(env, value.number()?, what).map(Some),
        _ => Err(type_error(format!("{what} must be a number of seconds, not {}", value.type_name()))),
    }
}

/// A header value as Node gives it: a string, or an array of strings for a repeated header
/// (`req.headersDistinct`, `set-cookie`); `visit` gets each instance, as its text or `None` when
/// the string is not well-formed UTF-16 (a lone surrogate has no UTF-8 form). Nothing for
/// `undefined`/`null`.
pub fn header_values(value: Js<'_>, name: &str, mut visit: impl FnMut(Option<String>)) -> Result<()> {
    if let Some(text) = value.try_string()? {
        visit(well_formed(value, text)?);
        return Ok(());
    }
    match value.kind()? {
        Kind::Nullish => Ok(()),
        Kind::Object if value.is_array()? => {
            for item in value.elements()? {
                let item = item?;
                let Some(text) = item.try_string()? else { return Err(header_type_error(name, item)) };
                visit(well_formed(item, text)?);
            }
            Ok(())
        }
        _ => Err(header_type_error(name, value)),
    }
}

/// `text`, the UTF-8 N-API made of `value`, unless `value` holds a lone surrogate.
fn well_formed(value: Js<'_>, text: String) -> Result<Option<String>> {
    Ok(lone_surrogate_in(value, &text)?.is_none().then_some(text))
}

/// The first lone surrogate of the string `value` (its code unit and code-point index), which N-API
/// read as `text` with U+FFFD in its place: only text holding a U+FFFD is read again, as UTF-16,
/// to tell the two apart.
#[inline]
fn lone_surrogate_in(value: Js<'_>, text: &str) -> Result<Option<(u16, usize)>> {
    if !text.contains('\u{FFFD}') {
        return Ok(None);
    }
    lone_surrogate_in_utf16(value)
}

#[cold]
fn lone_surrogate_in_utf16(value: Js<'_>) -> Result<Option<(u16, usize)>> {
    let mut len = 0usize;
    status(
        unsafe { sys::napi_get_value_string_utf16(value.env, value.value, ptr::null_mut(), 0, &mut len) },
        "a string",
    )?;
    let mut units = vec![0u16; len + 1];
    let mut written = 0usize;
    status(
        unsafe {
            sys::napi_get_value_string_utf16(
                value.env,
                value.value,
                units.as_mut_ptr(),
                units.len(),
                &mut written,
            )
        },
        "a string",
    )?;
    Ok(tenantry::json_text::first_lone_surrogate(units.get(..written).unwrap_or_default()))
}

fn header_type_error(name: &str, value: Js<'_>) -> napi::Error {
    type_error(format!("header {name} must be a string or an array of strings, not {}", value.type_name()))
}

// ---- native handles for raw N-API hot paths ----------------------------------------------------
//
// A `#[napi]` class method pays for napi-rs's per-call borrow tracking (a reference to `this`, a
// mutex-guarded borrow registry, a type-tag check): hundreds of nanoseconds. Hot paths instead
// take a handle: a type-tagged N-API external owning an `Arc` of the core object, made once per
// object and kept by the JS wrapper.

/// Creates a handle owning `value`, tagged with `tag` so only handles of its type are accepted.
pub fn new_handle<'a, T: Send + Sync + 'static>(
    env: &Env,
    value: std::sync::Arc<T>,
    tag: &'static sys::napi_type_tag,
) -> Result<Unknown<'a>> {
    unsafe extern "C" fn release<T>(
        _env: sys::napi_env,
        data: *mut std::ffi::c_void,
        _hint: *mut std::ffi::c_void,
    ) {
        // SAFETY: `data` is the `Arc::into_raw` of `new_handle`, released exactly once here.
        drop(unsafe { std::sync::Arc::from_raw(data.cast_const().cast::<T>()) });
    }
    let raw = std::sync::Arc::into_raw(value);
    let mut out = ptr::null_mut();
    let code = unsafe {
        sys::napi_create_external(
            env.raw(),
            raw.cast_mut().cast(),
            Some(release::<T>),
            ptr::null_mut(),
            &mut out,
        )
    };
    if code != sys::Status::napi_ok {
        // SAFETY: the external was not created, so nothing else owns `raw`.
        drop(unsafe { std::sync::Arc::from_raw(raw) });
        return Err(napi::Error::new(
            Status::from(code),
            "N-API call failed while creating a handle".to_owned(),
        ));
    }
    status(unsafe { sys::napi_type_tag_object(env.raw(), out, tag) }, "a handle")?;
    Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), out) })
}

impl<'a> Js<'a> {
    /// The object behind a handle made by [`new_handle`] with the same `tag`.
    ///
    /// # Safety
    ///
    /// Every handle tagged `tag` must have been made by `new_handle::<T>`.
    pub unsafe fn handle<T>(self, tag: &'static sys::napi_type_tag, what: &str) -> Result<&'a T> {
        let mut ok = false;
        let code = unsafe { sys::napi_check_object_type_tag(self.env, self.value, tag, &mut ok) };
        if code != sys::Status::napi_ok || !ok {
            return Err(type_error(format!("expected a native {what} handle")));
        }
        let mut data = ptr::null_mut();
        status(unsafe { sys::napi_get_value_external(self.env, self.value, &mut data) }, "a handle")?;
        // SAFETY: tagged handles hold an `Arc<T>` that lives as long as the external, which the
        // running call keeps alive.
        unsafe { data.cast_const().cast::<T>().as_ref() }
            .ok_or_else(|| type_error(format!("{what} handle is empty")))
    }
}

impl<'a> Js<'a> {
    /// The elements of a `Float64Array` a hot path writes its result into.
    ///
    /// The slice borrows the array's memory: write it after every read that may run JavaScript.
    pub fn float64_out(self, what: &str) -> Result<&'a mut [f64]> {
        let info = self.typed_array_info().ok().flatten();
        let Some((sys::TypedarrayType::float64_array, data, len)) = info else {
            return Err(type_error(format!("{what} must be a Float64Array")));
        };
        if len == 0 || data.is_null() {
            return Ok(&mut []);
        }
        // SAFETY: `data` points at the view's `len` doubles (aligned: Float64Array offsets are
        // multiples of 8); the array outlives this call and nothing else touches it meanwhile.
        Ok(unsafe { std::slice::from_raw_parts_mut(data.cast::<f64>(), len) })
    }
}

/// JSON data from any JS value through the engine's own `JSON.stringify` and one parse in Rust:
/// far cheaper than converting node by node across N-API for records of any size. JSON semantics
/// apply: `undefined` members are dropped, `toJSON` is honoured (a `Date` becomes its ISO string),
/// NaN and Infinity become `null`, cycles and BigInt throw a `TypeError`.
pub fn json_from_js(env: &Env, value: Unknown<'_>) -> Result<Value> {
    let text = json_text_from_js(env, value)?;
    serde_json::from_str(&text).map_err(|e| invalid_json(env, &text, &e))
}

/// The JSON text of a JS value, through one `JSON.stringify`.
pub fn json_text_from_js(env: &Env, value: Unknown<'_>) -> Result<String> {
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let stringify: Function<Unknown, Option<String>> = json.get_named_property("stringify")?;
    stringify.call(value)?.ok_or_else(|| {
        napi::Error::new(Status::InvalidArg, "expected JSON data, got undefined or a function".to_owned())
    })
}

/// A document inside parsed JSON (a layer of `resolve`): a string is JSON text, any other value
/// taken as is. Not for arguments: napi-rs reads a JS string into a `Value` with U+FFFD for a
/// lone surrogate, so an argument takes [`TextOr`] (and [`json_arg`]).
pub fn json_doc(env: &Env, value: Value) -> Result<Value> {
    match value {
        Value::String(text) => json_text_arg(env, &text),
        other => Ok(other),
    }
}

/// A JSON value as a JS value, built by V8's `JSON.parse` on its serialized text: one boundary
/// crossing instead of one per node, which is several times faster for settings documents.
pub fn to_js_value<'env, T: serde::Serialize + ?Sized>(env: &'env Env, value: &T) -> Result<Unknown<'env>> {
    let text = serde_json::to_string(value).map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let parse: Function<String, Unknown> = json.get_named_property("parse")?;
    parse.call(text)
}

/// A JS string of `text`: ASCII (all JSON that tenantry writes for ASCII data) is copied as is,
/// anything else decoded from UTF-8.
pub fn js_text(env: &Env, text: &str) -> Result<sys::napi_value> {
    js_text_ascii(env, text, text.is_ascii())
}

/// [`js_text`] of a text already known to be ASCII or not (`ascii`: `text.is_ascii()`).
pub fn js_text_ascii(env: &Env, text: &str, ascii: bool) -> Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    let len = isize::try_from(text.len()).map_err(|_| type_error("text too long".to_owned()))?;
    let code = if ascii {
        unsafe { sys::napi_create_string_latin1(env.raw(), text.as_ptr().cast(), len, &mut out) }
    } else {
        unsafe { sys::napi_create_string_utf8(env.raw(), text.as_ptr().cast(), len, &mut out) }
    };
    status(code, "a result string")?;
    Ok(out)
}

// ---- raw N-API callbacks -----------------------------------------------------------------------
//
// A plain N-API callback skips napi-rs's per-call machinery (about 0.3 us a call); the limits and
// API key hot paths share this one copy.

/// A raw N-API callback.
pub type RawCallback = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

/// Declares `$name`, the raw N-API callback (a [`RawCallback`]) that runs `$body` (a function
/// or closure of `(&Env, &[Js; N])`) through [`raw_call`].
macro_rules! raw_callback {
    ($name:ident => $body:expr) => {
        unsafe extern "C" fn $name(
            env: napi::sys::napi_env,
            info: napi::sys::napi_callback_info,
        ) -> napi::sys::napi_value {
            $crate::convert::raw_call(env, info, $body)
        }
    };
}
pub(crate) use raw_callback;

/// Runs a raw callback body: reads `N` arguments (missing ones are `undefined`), turns errors
/// and panics into thrown JS errors.
pub fn raw_call<const N: usize>(
    raw_env: sys::napi_env,
    info: sys::napi_callback_info,
    body: impl FnOnce(&Env, &[Js<'_>; N]) -> Result<sys::napi_value>,
) -> sys::napi_value {
    let env = Env::from_raw(raw_env);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut argv = [ptr::null_mut(); N];
        let mut argc = N;
        let code = unsafe {
            sys::napi_get_cb_info(
                raw_env,
                info,
                &mut argc,
                argv.as_mut_ptr(),
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        status(code, "arguments")?;
        // SAFETY: the arguments belong to this running callback.
        let args = argv.map(|v| unsafe { Js::from_raw(raw_env, v) });
        body(&env, &args)
    }));
    let err = match result {
        Ok(Ok(value)) => return value,
        Ok(Err(err)) => err,
        Err(_) => napi::Error::new(Status::GenericFailure, "tenantry: internal error (panic)".to_owned()),
    };
    unsafe { napi::JsError::from(err).throw_into(raw_env) };
    ptr::null_mut()
}

/// An object of plain JS functions backed by raw callbacks, e.g. `{ verify }` for a hot path.
pub fn raw_functions<'a>(env: &Env, fns: &[(&str, RawCallback)]) -> Result<Object<'a>> {
    let mut obj = Object::new(env)?;
    for &(name, cb) in fns {
        let mut func = ptr::null_mut();
        let len = isize::try_from(name.len()).map_err(|_| type_error("function name too long".to_owned()))?;
        status(
            unsafe {
                sys::napi_create_function(
                    env.raw(),
                    name.as_ptr().cast(),
                    len,
                    Some(cb),
                    ptr::null_mut(),
                    &mut func,
                )
            },
            "a function",
        )?;
        obj.set_named_property(name, unsafe { Unknown::from_raw_unchecked(env.raw(), func) })?;
    }
    Ok(obj)
}

// ---- how deep JS data may nest --------------------------------------------------------------

/// The depth limit of JSON data ([`tenantry::json_tree::MAX_DEPTH`]), for `js/json-data.js`,
/// which holds JS values to it as it checks them, before they are stringified.
#[napi(js_name = "_jsonMaxDepth", catch_unwind)]
pub fn json_max_depth() -> u32 {
    u32::try_from(tenantry::json_tree::MAX_DEPTH).unwrap_or(u32::MAX)
}

/// Throws the core's error for data nested past that limit, or containing itself
/// ([`tenantry::json_tree::too_deep`]), for `js/json-data.js` to throw in its turn.
#[napi(js_name = "_jsonTooDeep", catch_unwind)]
pub fn json_too_deep(env: Env) -> Result<()> {
    Err(crate::errors::to_js(&env, tenantry::json_tree::too_deep()))
}

/// JSON text given as bytes (a `Buffer` or `Uint8Array`), as the string `JSON.parse` takes; bytes
/// that are not UTF-8 throw the `input.invalid_json` error Python gives for them
/// ([`tenantry::json_text::utf8`]), where `TextDecoder` threw its own `TypeError`.
#[napi(js_name = "_jsonTextOf", catch_unwind)]
pub fn json_text_of(env: Env, bytes: &[u8]) -> Result<String> {
    tenantry::json_text::utf8(bytes).map(str::to_owned).map_err(|e| crate::errors::to_js(&env, e))
}

// ---- JSON text from `JSON.stringify` -----------------------------------------------------------

/// The [`Tree`] of JSON text, borrowing its unescaped strings: what `serde_json::from_str` makes,
/// read faster when the text is as `JSON.stringify` writes it (no whitespace), with serde_json
/// reading everything else (and reporting every error).
///
/// The compact reader only takes what it can read exactly as serde_json does: strings with
/// escapes, and numbers other than plain unsigned integers, are decoded by serde_json itself;
/// anything unexpected (whitespace, invalid text, nesting deeper than [`COMPACT_DEPTH`]) hands
/// the whole text to serde_json. A name repeated in an object: the last value wins, in the first
/// one's place (as serde_json reads it, through the same [`Members`]).
pub fn json_tree(text: &str) -> serde_json::Result<Tree<'_>> {
    read_tree(text, false)
}

/// [`json_tree`] of text that our own `JSON.stringify` of a JS value just wrote (never caller
/// text): such text cannot repeat a name in an object (`JSON.stringify` writes each own key once,
/// and a Proxy's `ownKeys` trap may not return a key twice), so members are read without looking
/// for repeated names.
pub fn json_tree_stringified(text: &str) -> serde_json::Result<Tree<'_>> {
    read_tree(text, true)
}

fn read_tree(text: &str, unique_names: bool) -> serde_json::Result<Tree<'_>> {
    let mut reader = Compact { text, at: 0, unique_names };
    let mut tree = Tree::Null;
    if reader.value_into(0, &mut tree) && reader.at == text.len() {
        return Ok(tree);
    }
    tenantry::json_tree::parse_text(text.as_bytes())
}

/// The bytes of `chunk` (eight, little-endian) that end a run of plain string content: `"`, `\\`
/// and controls (below 0x20) get their high bit set. Exact up to the lowest such byte (a borrow
/// can only mark bytes above it), which is all the reader uses.
#[inline]
fn string_stops(chunk: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v;
    let quote = chunk ^ (ONES * u64::from(b'"'));
    let backslash = chunk ^ (ONES * u64::from(b'\\'));
    (zero(quote) | zero(backslash) | (chunk.wrapping_sub(ONES * 0x20) & !chunk)) & HIGH
}

/// Containers nested deeper than this are left to serde_json (which refuses more than 128).
const COMPACT_DEPTH: usize = 100;

/// The compact reader of [`json_tree`]: each read says whether it read the text itself.
struct Compact<'a> {
    text: &'a str,
    at: usize,
    /// The text cannot repeat a name in an object (see [`json_tree_stringified`]).
    unique_names: bool,
}

impl<'a> Compact<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        self.at += usize::from(next);
        next
    }

    /// Reads a value into `out` (in place: a tree is never moved up the nesting); false when not read.
    fn value_into(&mut self, depth: usize, out: &mut Tree<'a>) -> bool {
        let Some(next) = self.peek() else { return false };
        match next {
            b'{' => self.object(depth + 1, out),
            b'[' => self.array(depth + 1, out),
            b'"' => match self.string_text() {
                // A plain string goes straight into `out` (a `Cow` made first would be built on
                // the stack and copied with wider loads than its stores: a stall every string).
                Some((text, false)) => {
                    *out = Tree::String(Cow::Borrowed(text));
                    true
                }
                Some((quoted, true)) => Self::unescape(quoted).map(|s| *out = Tree::String(s)).is_some(),
                None => false,
            },
            b't' => self.word("true", Tree::Bool(true), out),
            b'f' => self.word("false", Tree::Bool(false), out),
            b'n' => self.word("null", Tree::Null, out),
            b'-' | b'0'..=b'9' => self.number(out),
            _ => false,
        }
    }

    #[inline]
    fn word(&mut self, word: &str, tree: Tree<'a>, out: &mut Tree<'a>) -> bool {
        let found = self.text.as_bytes().get(self.at..).is_some_and(|rest| rest.starts_with(word.as_bytes()));
        if found {
            self.at += word.len();
            *out = tree;
        }
        found
    }

    fn object(&mut self, depth: usize, out: &mut Tree<'a>) -> bool {
        if depth > COMPACT_DEPTH {
            return false;
        }
        self.at += 1;
        if self.eat(b'}') {
            *out = Tree::Object(Vec::new());
            return true;
        }
        // Shallow objects (options, their documents, records) usually have several members: room
        // for them at once (deeper ones grow as they come).
        let capacity = if depth <= 2 { 16 } else { 4 };
        if self.unique_names {
            // Each value is read in place, into its member (moving it there afterwards costs
            // more than reading it: the tree was just written in parts).
            *out = Tree::Object(Vec::with_capacity(capacity));
            let Tree::Object(members) = out else { return false };
            return self.members(|reader, key| {
                // The member is written straight into its place, the value then read into it
                // (`push` built the pair on the stack first, and copied it with wider loads
                // than its stores: a stall every member).
                members.reserve(1);
                let len = members.len();
                let Some(spare) = members.spare_capacity_mut().first_mut() else { return false };
                spare.write((key, Tree::Null));
                // SAFETY: the slot after the last member was just initialized.
                unsafe { members.set_len(len + 1) };
                members.last_mut().is_some_and(|(_, slot)| reader.value_into(depth, slot))
            });
        }
        // A repeated name: the last value wins, in the first one's place (as serde_json reads it,
        // through the same `Members`).
        let mut members = Members::with_capacity(capacity);
        let read = self.members(|reader, key| {
            let mut value = Tree::Null;
            let read = reader.value_into(depth, &mut value);
            members.insert(key, value);
            read
        });
        *out = Tree::Object(members.into_vec());
        read
    }

    /// The members of an object (the reader is past its `{` and at least one member follows):
    /// `value` reads each one's value, given its name; true when the object was read up to its `}`.
    #[inline]
    fn members(&mut self, mut value: impl FnMut(&mut Self, Cow<'a, str>) -> bool) -> bool {
        loop {
            if self.peek() != Some(b'"') {
                return false;
            }
            let Some(key) = self.string() else { return false };
            if !self.eat(b':') || !value(self, key) {
                return false;
            }
            if self.eat(b'}') {
                return true;
            }
            if !self.eat(b',') {
                return false;
            }
        }
    }

    fn array(&mut self, depth: usize, out: &mut Tree<'a>) -> bool {
        if depth > COMPACT_DEPTH {
            return false;
        }
        self.at += 1;
        *out = Tree::Array(Vec::new());
        let Tree::Array(items) = out else { return false };
        if self.eat(b']') {
            return true;
        }
        loop {
            items.push(Tree::Null);
            let Some(slot) = items.last_mut() else { return false };
            if !self.value_into(depth, slot) {
                return false;
            }
            if self.eat(b']') {
                return true;
            }
            if !self.eat(b',') {
                return false;
            }
        }
    }

    /// A string (the reader is at its opening quote): borrowed when it has no escapes, else
    /// decoded by serde_json.
    #[inline(always)]
    fn string(&mut self) -> Option<Cow<'a, str>> {
        match self.string_text()? {
            (text, false) => Some(Cow::Borrowed(text)),
            (quoted, true) => Self::unescape(quoted),
        }
    }

    /// The text of a string (the reader is at its opening quote) and whether it has escapes:
    /// without its quotes when it has none, else with them (for [`Self::unescape`]).
    #[inline(always)]
    fn string_text(&mut self) -> Option<(&'a str, bool)> {
        let start = self.at + 1;
        let bytes = self.text.as_bytes();
        let mut end = start;
        let mut escaped = false;
        loop {
            // Eight bytes at a time up to the first quote, backslash or control character (a
            // document of long strings reads 2.5 times faster; short names cost the same).
            while let Some(chunk) = bytes.get(end..end + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
                let stops = string_stops(u64::from_le_bytes(chunk));
                if stops != 0 {
                    end += (stops.trailing_zeros() / 8) as usize;
                    break;
                }
                end += 8;
            }
            match *bytes.get(end)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    end += 2;
                }
                // Raw control characters are invalid JSON: serde_json reports them.
                0..=0x1f => return None,
                _ => end += 1,
            }
        }
        self.at = end + 1;
        if escaped {
            return Some((self.text.get(start - 1..=end)?, true));
        }
        Some((self.text.get(start..end)?, false))
    }

    #[cold]
    fn unescape(quoted: &str) -> Option<Cow<'a, str>> {
        serde_json::from_str::<String>(quoted).ok().map(Cow::Owned)
    }

    /// A number: plain unsigned integers read here, any other number by serde_json.
    fn number(&mut self, out: &mut Tree<'a>) -> bool {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let mut end = start;
        let mut plain = true;
        while let Some(&b) = bytes.get(end) {
            match b {
                b'0'..=b'9' => {}
                b'-' | b'+' | b'.' | b'e' | b'E' => plain = false,
                _ => break,
            }
            end += 1;
        }
        self.at = end;
        let Some(digits) = self.text.get(start..end) else { return false };
        // Up to 19 digits always fit a u64; a leading zero is only valid alone.
        if plain && digits.len() <= 19 && (digits.len() == 1 || !digits.starts_with('0')) {
            let n = digits.bytes().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            *out = Tree::Number(n.into());
            // One no double holds: serde_json's reading of the whole text reports it.
            return tenantry::json_tree::exact_integer(n.into());
        }
        match serde_json::from_str::<serde_json::Number>(digits) {
            Ok(n) => {
                let int = n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
                // An integer past 64 bits is a double to serde_json: its digits decide.
                let whole = n.is_f64() && !digits.contains(['.', 'e', 'E']);
                *out = Tree::Number(n);
                if whole {
                    tenantry::json_tree::exact_integer_text(digits)
                } else {
                    int.is_none_or(tenantry::json_tree::exact_integer)
                }
            }
            Err(_) => false,
        }
    }
}
