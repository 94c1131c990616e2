//! `audit.*`: audit records (build, seal, verify, export). Translation only.
//!
//! Options objects are camelCase; records themselves are plain JSON with the same snake_case
//! members in every language (they are data, stored and hashed byte for byte).

use napi::bindgen_prelude::*;
use serde_json::Value;
use tenantry::audit as core;
use tenantry::{Error as CoreError, ErrorCode, SecretBytes};

use crate::convert::{Payload, Time, json_arg, payload_bytes, unix_millis};
use crate::errors::{IntoJsResult, to_js};

/// An HMAC key for sealing records: an id (stored with each seal) and at least 16 secret bytes.
#[napi(namespace = "audit")]
pub struct SealKey {
    inner: core::SealKey,
}

#[napi(namespace = "audit")]
impl SealKey {
    /// Builds a key from its id and secret bytes (`Buffer`, `Uint8Array` or UTF-8 string).
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, id: String, secret: Payload) -> Result<Self> {
        let secret = SecretBytes::new(payload_bytes(&secret).to_vec());
        Ok(SealKey { inner: core::SealKey::new(id, secret).js(&env)? })
    }

    /// The key id stored as `seal_key_id`.
    #[napi(getter, catch_unwind)]
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }
}

fn type_error(message: String) -> napi::Error {
    napi::Error::new(Status::InvalidArg, message)
}

/// Reads an optional option; a wrong type is a `TypeError` naming the option.
fn opt<T: FromNapiValue + ValidateNapiValue + TypeName>(obj: &Object, name: &str) -> Result<Option<T>> {
    obj.get::<T>(name).map_err(|_| type_error(format!("options.{name} must be a {}", T::type_name())))
}

fn opt_string(obj: &Object, name: &str) -> Result<Option<String>> {
    opt::<String>(obj, name)
}

fn opt_json(env: &Env, obj: &Object, name: &str) -> Result<Option<Value>> {
    match obj.get::<Value>(name).map_err(|_| type_error(format!("options.{name} must be JSON data")))? {
        Some(Value::String(text)) => json_arg(env, Either::A(text)).map(Some),
        Some(Value::Null) | None => Ok(None),
        Some(v) => Ok(Some(v)),
    }
}

/// Builds a validated audit record (a plain object with snake_case members).
#[napi(namespace = "audit", catch_unwind)]
pub fn build(env: Env, options: Object) -> Result<Value> {
    let action =
        opt_string(&options, "action")?.ok_or_else(|| type_error("options.action is required".into()))?;
    let mut actor =
        opt_json(&env, &options, "actor")?.ok_or_else(|| type_error("options.actor is required".into()))?;
    if let Some(obj) = actor.as_object_mut()
        && let Some(ua) = obj.remove("userAgent")
    {
        obj.insert("user_agent".into(), ua);
    }
    let mut b = core::AuditRecord::builder(action, core::Actor::from_json(&actor).js(&env)?);
    if let Some(outcome) = opt_string(&options, "outcome")? {
        b = b.outcome(core::Outcome::parse(&outcome).js(&env)?);
    }
    match options.get::<Either<f64, Null>>("retentionDays").map_err(|_| {
        type_error("options.retentionDays must be a number of days, or null to keep forever".into())
    })? {
        None => {}
        Some(Either::A(days)) => b = b.retention_days(Some(whole(&env, days, "retentionDays")?)),
        Some(Either::B(Null)) => b = b.retention_days(None),
    }
    if let Some(max) = opt::<f64>(&options, "maxMetadataBytes")? {
        b = b.max_metadata_bytes(usize::try_from(whole(&env, max, "maxMetadataBytes")?).unwrap_or(0));
    }
    if let Some(t) = opt_string(&options, "tenantId")? {
        b = b.tenant_id(t);
    }
    if let Some(s) = opt_string(&options, "severity")? {
        b = b.severity(core::Severity::parse(&s).js(&env)?);
    }
    if let Some(r) = opt_string(&options, "reason")? {
        b = b.reason(r);
    }
    if let Some(t) = opt_json(&env, &options, "target")? {
        b = b.target(core::Target::from_json(&t).js(&env)?);
    }
    if let Some(v) = opt_json(&env, &options, "before")? {
        b = b.before(v);
    }
    if let Some(v) = opt_json(&env, &options, "after")? {
        b = b.after(v);
    }
    if let Some(v) = opt_json(&env, &options, "changes")? {
        b = b.changes(core::Change::list_from_json(&v).js(&env)?);
    }
    let mut masking = core::Masking::new();
    if let Some(paths) = opt::<Vec<String>>(&options, "sensitivePaths")? {
        masking = masking.with_paths(paths).js(&env)?;
    }
    if let Some(schema) = opt_json(&env, &options, "schema")? {
        masking = masking.with_schema(&schema).js(&env)?;
    }
    b = b.masking(masking);
    if let Some(r) = opt_string(&options, "requestId")? {
        b = b.request_id(r);
    }
    if let Some(m) = opt_json(&env, &options, "metadata")? {
        b = b.metadata(m);
    }
    if let Some(id) = opt_string(&options, "id")? {
        b = b.id(id);
    }
    let now = match options
        .get::<Time>("occurredAt")
        .map_err(|_| type_error("options.occurredAt must be Unix seconds or a Date".into()))?
    {
        Some(t) => unix_millis(&env, &t)?,
        None => core::unix_now_millis(),
    };
    Ok(b.build(now).js(&env)?.to_json())
}

/// A whole number from a JS number (fractions and non-finite values are typed errors).
fn whole(env: &Env, n: f64, name: &str) -> Result<i64> {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15 {
        Ok(n as i64)
    } else {
        Err(to_js(env, CoreError::new(ErrorCode::InvalidInput, format!("{name} must be a whole number"))))
    }
}

/// A record given as a plain object, or as JSON text.
fn record_arg(env: &Env, record: Value) -> Result<Value> {
    match record {
        Value::String(text) => json_arg(env, Either::A(text)),
        other => Ok(other),
    }
}

fn records_arg(env: &Env, records: Either<String, Vec<Value>>) -> Result<Vec<Value>> {
    match records {
        Either::B(list) => Ok(list),
        Either::A(text) => match json_arg(env, Either::A(text))? {
            Value::Array(items) => Ok(items),
            _ => Err(to_js(
                env,
                CoreError::new(ErrorCode::AuditInvalidRecord, "records must be an array of records"),
            )),
        },
    }
}

/// The record with `prev_hash`, `hash` (and `seal_key_id`, `seal` when a key is given).
#[napi(namespace = "audit", catch_unwind)]
pub fn seal(
    env: Env,
    record: Value,
    previous_hash: Option<String>,
    key: Option<ClassInstance<'_, SealKey>>,
) -> Result<Value> {
    let record = record_arg(&env, record)?;
    core::seal(&record, previous_hash.as_deref(), key.as_ref().map(|k| &k.inner)).js(&env)
}

/// Options of `audit.verifyChain`.
#[napi(object, namespace = "audit")]
pub struct VerifyChainOptions {
    /// The hash the first record must follow (GENESIS for a complete chain, or a stored head).
    pub anchor: Option<String>,
}

/// Verifies a chain of sealed records, oldest first: `{ok, index, reason, head}`.
#[napi(namespace = "audit", js_name = "verifyChain", catch_unwind)]
pub fn verify_chain(
    env: Env,
    records: Either<String, Vec<Value>>,
    key: Option<Either<ClassInstance<'_, SealKey>, Vec<ClassInstance<'_, SealKey>>>>,
    options: Option<VerifyChainOptions>,
) -> Result<Value> {
    let records = records_arg(&env, records)?;
    let keys: Vec<core::SealKey> = match key {
        None => Vec::new(),
        Some(Either::A(one)) => vec![one.inner.clone()],
        Some(Either::B(many)) => many.iter().map(|k| k.inner.clone()).collect(),
    };
    let anchor = options.and_then(|o| o.anchor);
    let report = core::verify_chain(&records, &keys, anchor.as_deref()).js(&env)?;
    Ok(serde_json::to_value(report).unwrap_or(Value::Null))
}

/// RFC 8785 canonical JSON of a value (a string is a JSON string, not JSON text).
#[napi(namespace = "audit", js_name = "canonicalJson", catch_unwind)]
pub fn canonical_json(value: Value) -> String {
    tenantry::canonical_json::to_string(&value)
}

/// Records as CSV (RFC 4180, fixed header, formula-injection guarded).
#[napi(namespace = "audit", js_name = "toCsv", catch_unwind)]
pub fn to_csv(env: Env, records: Either<String, Vec<Value>>) -> Result<String> {
    core::to_csv(&records_arg(&env, records)?).js(&env)
}

/// Records as JSON Lines (canonical JSON, one per line).
#[napi(namespace = "audit", js_name = "toJsonl", catch_unwind)]
pub fn to_jsonl(env: Env, records: Either<String, Vec<Value>>) -> Result<String> {
    core::to_jsonl(&records_arg(&env, records)?).js(&env)
}

/// One record as an OCSF 1.x event.
#[napi(namespace = "audit", js_name = "toOcsf", catch_unwind)]
pub fn to_ocsf(env: Env, record: Value) -> Result<Value> {
    let record = record_arg(&env, record)?;
    core::to_ocsf(&record).js(&env)
}

/// Counts by action, severity, outcome, actor and day.
#[napi(namespace = "audit", catch_unwind)]
pub fn summarize(env: Env, records: Either<String, Vec<Value>>) -> Result<Value> {
    let summary = core::summarize(&records_arg(&env, records)?).js(&env)?;
    Ok(serde_json::to_value(summary).unwrap_or(Value::Null))
}

/// The cutoff timestamp for deleting records older than `days` (default 90).
#[napi(namespace = "audit", js_name = "retentionCutoff", catch_unwind)]
pub fn retention_cutoff(env: Env, now: Time, days: Option<f64>) -> Result<String> {
    let days = match days {
        Some(d) => whole(&env, d, "days")?,
        None => i64::from(core::DEFAULT_RETENTION_DAYS),
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
