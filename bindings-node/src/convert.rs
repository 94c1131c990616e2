//! Argument conversion shared by every Node-facing function: payloads, times, headers, JSON.
//!
//! Only translation lives here; every decision is made in the core crate.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use napi::bindgen_prelude::*;
use serde_json::Value;
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

/// A time: Unix seconds (`number`) or a `Date`.
pub type Time = Either<f64, DateTime<Utc>>;

/// A time in whole Unix seconds (fractions floored).
pub fn unix_seconds(env: &Env, time: &Time) -> Result<i64> {
    unix_millis(env, time).map(|ms| ms.div_euclid(1000))
}

/// A time in Unix milliseconds.
pub fn unix_millis(env: &Env, time: &Time) -> Result<i64> {
    match time {
        Either::A(secs) => {
            let ms = (secs * 1000.0).floor();
            if !ms.is_finite() || ms.abs() > 8.64e18 {
                return Err(to_js(
                    env,
                    CoreError::new(ErrorCode::InvalidTime, "time in seconds is out of range"),
                ));
            }
            Ok(ms as i64)
        }
        Either::B(date) => Ok(date.timestamp_millis()),
    }
}

/// A header value as Node gives it: a string, or an array of strings for repeated headers.
pub type HeaderValue = Either<String, Vec<String>>;

/// Header pairs from a plain object such as `req.headers` (array values are joined with spaces,
/// which is how repeated signature headers combine).
pub fn header_pairs(headers: HashMap<String, HeaderValue>) -> Vec<(String, String)> {
    headers
        .into_iter()
        .map(|(k, v)| match v {
            Either::A(s) => (k, s),
            Either::B(list) => (k, list.join(" ")),
        })
        .collect()
}

/// A JSON value from a plain JS value, or from JSON text when given a string.
pub fn json_arg(env: &Env, value: Either<String, Value>) -> Result<Value> {
    match value {
        Either::A(text) => serde_json::from_str(&text).map_err(|e| {
            to_js(env, CoreError::new(ErrorCode::InvalidJson, format!("invalid JSON text: {e}")))
        }),
        Either::B(value) => Ok(value),
    }
}

/// A document as JS gives it: a plain object (or any JSON value) taken as is, or a string taken as
/// JSON text. (`Value` cannot sit inside a napi `Either`, so the string case is told apart here.)
pub fn json_doc(env: &Env, value: Value) -> Result<Value> {
    match value {
        Value::String(text) => json_arg(env, Either::A(text)),
        other => json_arg(env, Either::B(other)),
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
