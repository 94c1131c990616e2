//! `audit.*`: audit records (build, seal, verify, export). Translation only.
//!
//! Options objects are camelCase; records themselves are plain JSON with the same snake_case
//! members in every language (they are data, stored and hashed byte for byte).

use std::sync::Arc;

use napi::bindgen_prelude::*;
use serde_json::Value;
use tenantry::SecretBytes;
use tenantry::audit as core;

use crate::audit_build::SEAL_KEY_TAG;
use crate::convert::{
    Js, Payload, Text, TextOr, Time, invalid_json, json_from_js, json_text_arg, json_text_from_js, json_tree,
    new_handle, payload_bytes, to_js_value, type_error, unix_millis, whole,
};
use crate::errors::{IntoJsResult, to_js};

/// An HMAC key for sealing records: an id (stored with each seal) and at least 16 secret bytes.
#[napi(namespace = "audit")]
pub struct SealKey {
    inner: Arc<core::SealKey>,
}

#[napi(namespace = "audit")]
impl SealKey {
    /// Builds a key from its id and secret bytes (`Buffer`, `Uint8Array` or UTF-8 string).
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, id: Text, secret: Payload) -> Result<Self> {
        let secret = SecretBytes::new(payload_bytes(&secret).to_vec());
        Ok(SealKey { inner: Arc::new(core::SealKey::new(id.into_string(), secret).js(&env)?) })
    }

    /// The handle `js/audit.js` passes to the build and seal hot paths (made once per key).
    #[napi(js_name = "_handle", catch_unwind)]
    pub fn handle<'a>(&self, env: Env) -> Result<Unknown<'a>> {
        new_handle(&env, Arc::clone(&self.inner), &SEAL_KEY_TAG)
    }

    /// The key id stored as `seal_key_id`.
    #[napi(getter, catch_unwind)]
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }
}

/// JSON data from a JS value, or from JSON text when given a string.
fn json_data(env: &Env, value: TextOr<Unknown<'_>>) -> Result<Value> {
    match value {
        TextOr::Text(text) => json_text_arg(env, &text),
        TextOr::Value(data) => json_from_js(env, data),
    }
}

/// A record given as a plain object, or as JSON text.
fn record_arg(env: &Env, record: TextOr<Unknown<'_>>) -> Result<Value> {
    json_data(env, record)
}

/// Records that are neither an array nor JSON text: a TypeError, as any argument of the wrong type.
fn records_type_error() -> Error {
    type_error("records must be an array of records (or JSON text of one)".into())
}

/// Records given as an array of plain objects, or as JSON text of one.
fn records_arg(env: &Env, records: TextOr<Unknown<'_>>) -> Result<Vec<Value>> {
    if let TextOr::Value(data) = &records
        && !data.is_array()?
    {
        return Err(records_type_error());
    }
    match json_data(env, records)? {
        Value::Array(items) => Ok(items),
        _ => Err(to_js(env, core::records_not_an_array())),
    }
}

/// The record with `prev_hash`, `hash` (and `seal_key_id`, `seal` when a key is given).
///
/// `js/audit.js` seals record objects and JSON text through the hot path (`audit_build.rs`) and
/// calls this for anything else (arrays, numbers, `null`...), which it reports as napi-rs and the
/// core always have.
#[napi(namespace = "audit", catch_unwind)]
pub fn seal<'env>(
    env: &'env Env,
    record: TextOr<Unknown<'_>>,
    previous_hash: Option<Text>,
    key: Option<ClassInstance<'_, SealKey>>,
) -> Result<Unknown<'env>> {
    let env_ref = env;
    let env = *env;
    // The record's JSON text is read into a borrowed tree (no `Value` map to build) and hashed; a
    // record object comes back as a shallow copy with the new members (`Object.assign`), as Python
    // returns a copied dict, so the output needs no JSON round trip either.
    let (text, original) = match record {
        TextOr::Text(text) => (text.into_string(), None),
        TextOr::Value(data) => {
            let original = if data.get_type()? == ValueType::Object && !data.is_array()? {
                // SAFETY: the value was just checked to be a (non-array) object.
                Some(unsafe { data.cast::<Object>() }?)
            } else {
                None
            };
            (json_text_from_js(&env, data)?, original)
        }
    };
    let tree = json_tree(&text).map_err(|e| invalid_json(&env, &text, &e))?;
    let fields =
        core::seal_fields_tree(&tree, previous_hash.as_deref(), key.as_ref().map(|k| &*k.inner)).js(&env)?;
    if let Some(original) = original {
        let mut added = Object::new(&env)?;
        for (name, member) in fields.members() {
            added.set_named_property(name, member)?;
        }
        let object_ctor: Unknown = env.get_global()?.get_named_property("Object")?;
        // SAFETY: the global `Object` constructor is a function, and functions are objects.
        let object_ctor: Object = unsafe { object_ctor.cast() }?;
        let assign: Function<FnArgs<(Object, Object, Object)>, Unknown> =
            object_ctor.get_named_property("assign")?;
        return assign.call((Object::new(&env)?, original, added).into());
    }
    let mut value = json_text_arg(&env, &text)?;
    if let Some(map) = value.as_object_mut() {
        for (name, member) in fields.members() {
            map.insert(name.to_owned(), Value::String(member.to_owned()));
        }
    }
    to_js_value(env_ref, &value)
}

/// Options of `audit.verifyChain`.
#[napi(object, namespace = "audit")]
pub struct VerifyChainOptions {
    /// The hash the first record must follow (GENESIS for a complete chain, or a stored head).
    pub anchor: Option<Text>,
}

/// Verifies a chain of sealed records, oldest first: `{ok, index, reason, head}`.
#[napi(namespace = "audit", js_name = "verifyChain", catch_unwind)]
pub fn verify_chain(
    env: Env,
    records: TextOr<Unknown<'_>>,
    key: Option<Either<ClassInstance<'_, SealKey>, Vec<ClassInstance<'_, SealKey>>>>,
    options: Option<VerifyChainOptions>,
) -> Result<Value> {
    // The records' JSON text read into borrowed trees: no `Value` maps for a chain of records.
    let text = match records {
        TextOr::Text(text) => text.into_string(),
        TextOr::Value(data) if data.is_array()? => json_text_from_js(&env, data)?,
        TextOr::Value(_) => {
            return Err(records_type_error());
        }
    };
    let records = match json_tree(&text) {
        Ok(tenantry::json_tree::Tree::Array(items)) => items,
        Ok(_) => return Err(to_js(&env, core::records_not_an_array())),
        Err(e) => return Err(invalid_json(&env, &text, &e)),
    };
    let keys: Vec<core::SealKey> = match key {
        None => Vec::new(),
        Some(Either::A(one)) => vec![(*one.inner).clone()],
        Some(Either::B(many)) => many.iter().map(|k| (*k.inner).clone()).collect(),
    };
    let anchor = options.and_then(|o| o.anchor);
    let report = core::verify_chain_trees(&records, &keys, anchor.as_deref()).js(&env)?;
    Ok(serde_json::to_value(report).unwrap_or(Value::Null))
}

/// Records as CSV (RFC 4180, fixed header, formula-injection guarded).
#[napi(namespace = "audit", js_name = "toCsv", catch_unwind)]
pub fn to_csv(env: Env, records: TextOr<Unknown<'_>>) -> Result<String> {
    core::to_csv(&records_arg(&env, records)?).js(&env)
}

/// Records as JSON Lines (canonical JSON, one per line).
#[napi(namespace = "audit", js_name = "toJsonl", catch_unwind)]
pub fn to_jsonl(env: Env, records: TextOr<Unknown<'_>>) -> Result<String> {
    core::to_jsonl(&records_arg(&env, records)?).js(&env)
}

/// One record as an OCSF 1.x event.
#[napi(namespace = "audit", js_name = "toOcsf", catch_unwind)]
pub fn to_ocsf<'env>(env: &'env Env, record: TextOr<Unknown<'_>>) -> Result<Unknown<'env>> {
    let record = record_arg(env, record)?;
    let event = core::to_ocsf(&record).js(env)?;
    to_js_value(env, &event)
}

/// Counts by action, severity, outcome, actor and day. Made by `JSON.parse` ([`to_js_value`]), which
/// makes every name an own property: an actor id `"__proto__"` is counted, where an assignment
/// would set the object's prototype instead.
#[napi(namespace = "audit", catch_unwind)]
pub fn summarize<'env>(env: &'env Env, records: TextOr<Unknown<'_>>) -> Result<Unknown<'env>> {
    let summary = core::summarize(&records_arg(env, records)?).js(env)?;
    to_js_value(env, &summary)
}

/// The cutoff timestamp for deleting records older than `days` (default 90, when left out).
///
/// `null` is refused, not read as the default: it is what `retentionDays` takes to keep records
/// forever, so `retentionCutoff(now, tenant.retentionDays)` would otherwise delete a tenant's
/// kept-forever records after 90 days (Python refuses `None` the same way).
#[napi(namespace = "audit", js_name = "retentionCutoff", catch_unwind)]
pub fn retention_cutoff(env: Env, now: Time, days: Unknown<'_>) -> Result<String> {
    let days = Js::new(&env, days);
    let days = match days.try_number()? {
        Some(d) => whole(&env, d, "days")?,
        None if days.is_undefined()? => i64::from(core::DEFAULT_RETENTION_DAYS),
        None => {
            return Err(type_error(format!("{}, not {}", core::RETENTION_DAYS_TYPE, days.type_name())));
        }
    };
    core::retention_cutoff(unix_millis(&env, &now)?, days).js(&env)
}

/// The action catalogue: action → default severity.
#[napi(namespace = "audit", catch_unwind)]
pub fn actions() -> serde_json::Map<String, Value> {
    core::actions::CATALOGUE
        .iter()
        .map(|(action, severity)| ((*action).to_owned(), Value::String(severity.as_str().to_owned())))
        .collect()
}
