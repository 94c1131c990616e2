//! `ApiKeys`, `IssuedKey`, `RolledKey`: issue, parse, hash, verify, roll and revoke API keys.

use std::collections::HashMap;

use napi::bindgen_prelude::*;
use serde_json::Value;
use tenantry::apikeys as core;
use tenantry::{Error as CoreError, ErrorCode, SecretBytes};

use std::ffi::CStr;

use crate::convert::{Js, Kind, Time, json_arg, string_arg, time_arg, type_error, unix_seconds};
use crate::errors::{IntoJsResult, to_js};

fn now_or(env: &Env, now: Option<Time>) -> Result<i64> {
    now.map_or_else(|| Ok(tenantry::webhooks::unix_now()), |t| unix_seconds(env, &t))
}

fn time_opt(env: &Env, time: Option<Time>) -> Result<Option<i64>> {
    time.map(|t| unix_seconds(env, &t)).transpose()
}

fn seconds(env: &Env, secs: f64, what: &str) -> Result<i64> {
    let secs = secs.floor();
    if !secs.is_finite() || secs.abs() > 9.0e15 {
        return Err(to_js(env, CoreError::new(ErrorCode::InvalidInput, format!("{what} is out of range"))));
    }
    Ok(secs as i64)
}

fn random_bytes(env: &Env, random: &[u8]) -> Result<[u8; core::RANDOM_BYTES]> {
    random.try_into().map_err(|_| {
        to_js(
            env,
            CoreError::new(
                ErrorCode::InvalidInput,
                format!("random must be exactly {} bytes, got {}", core::RANDOM_BYTES, random.len()),
            ),
        )
    })
}

/// A stored record; `None` for `null` / `undefined`. A camelCase object with every field present
/// (what this package writes) is read field by field; JSON text, or an object of any other shape
/// (e.g. snake_case, as Python writes it), goes through JSON so the core decides what it accepts.
fn record_opt(env: &Env, record: Option<Unknown<'_>>) -> Result<Option<core::KeyRecord>> {
    let Some(unknown) = record else { return Ok(None) };
    let js = Js::new(env, unknown);
    let value = match js.kind()? {
        Kind::Nullish => return Ok(None),
        Kind::String => json_arg(env, Either::A(js.string()?))?,
        Kind::Object => {
            if let Some(fast) = camel_record(js)? {
                return Ok(Some(fast));
            }
            env.from_js_value::<Value, _>(unknown)?
        }
        _ => {
            return Err(type_error(format!("record must be an object or JSON text, not {}", js.type_name())));
        }
    };
    core::KeyRecord::from_json(value).js(env).map(Some)
}

/// A required stored record (see [`record_opt`]).
fn record_arg(env: &Env, record: Unknown<'_>) -> Result<core::KeyRecord> {
    record_opt(env, Some(record))?
        .ok_or_else(|| type_error("record must be an object or JSON text, not null".to_owned()))
}

/// Reads a record written by this package (camelCase, every field present, `null` when unset) with
/// two N-API calls per field; `None` when the object has any other shape.
fn camel_record(obj: Js<'_>) -> Result<Option<core::KeyRecord>> {
    macro_rules! field {
        ($read:expr) => {
            match $read? {
                Some(v) => v,
                None => return Ok(None),
            }
        };
    }
    let string = |name: &CStr| obj.get(name)?.try_string();
    let nullable_string = |name: &CStr| -> Result<Option<Option<String>>> {
        let v = obj.get(name)?;
        Ok(match v.try_string()? {
            Some(s) => Some(Some(s)),
            None if v.kind()? == Kind::Nullish => Some(None),
            None => None,
        })
    };
    let nullable_int = |name: &CStr| -> Result<Option<Option<i64>>> {
        let v = obj.get(name)?;
        Ok(match v.kind()? {
            Kind::Nullish => Some(None),
            Kind::Number => whole(v.number()?).map(Some),
            _ => None,
        })
    };
    let key_id = field!(string(c"keyId"));
    let hash = field!(string(c"hash"));
    let pepper_id = field!(string(c"pepperId"));
    let environment = field!(string(c"environment"));
    let scopes_js = obj.get(c"scopes")?;
    if !scopes_js.is_array()? {
        return Ok(None);
    }
    let mut scopes = Vec::new();
    for item in scopes_js.elements()? {
        scopes.push(field!(item.try_string()));
    }
    let name = field!(nullable_string(c"name"));
    let created_at = field!(nullable_int(c"createdAt").map(Option::flatten));
    let expires_at = field!(nullable_int(c"expiresAt"));
    let not_before = field!(nullable_int(c"notBefore"));
    let revoked_at = field!(nullable_int(c"revokedAt"));
    let disabled_js = obj.get(c"disabled")?;
    if disabled_js.kind()? != Kind::Boolean {
        return Ok(None);
    }
    let disabled = disabled_js.boolean()?;
    let last_used_at = field!(nullable_int(c"lastUsedAt"));
    let masked = field!(string(c"masked"));
    Ok(Some(core::KeyRecord {
        key_id,
        hash,
        pepper_id,
        environment,
        scopes,
        name,
        created_at,
        expires_at,
        not_before,
        revoked_at,
        disabled,
        last_used_at,
        masked,
    }))
}

/// A JS number as a whole `i64`, if it is one (within the exactly representable range).
fn whole(n: f64) -> Option<i64> {
    (n.is_finite() && n.fract() == 0.0 && n.abs() <= 9.007_199_254_740_991e15).then_some(n as i64)
}

/// A record as a plain camelCase object, every field present (`null` when unset).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct KeyRecordOut {
    pub key_id: String,
    pub hash: String,
    pub pepper_id: String,
    pub environment: String,
    pub scopes: Vec<String>,
    pub name: Option<String>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub not_before: Option<i64>,
    pub revoked_at: Option<i64>,
    pub disabled: bool,
    pub last_used_at: Option<i64>,
    pub masked: String,
}

fn record_js(record: &core::KeyRecord) -> KeyRecordOut {
    // Destructured so a new core field fails to compile here until it is mapped.
    let core::KeyRecord {
        key_id,
        hash,
        pepper_id,
        environment,
        scopes,
        name,
        created_at,
        expires_at,
        not_before,
        revoked_at,
        disabled,
        last_used_at,
        masked,
    } = record.clone();
    KeyRecordOut {
        key_id,
        hash,
        pepper_id,
        environment,
        scopes,
        name,
        created_at,
        expires_at,
        not_before,
        revoked_at,
        disabled,
        last_used_at,
        masked,
    }
}

/// Options of `new ApiKeys(...)`.
#[napi(object, object_to_js = false)]
pub struct ApiKeysOptions {
    /// Token prefix, `[a-z][a-z0-9]{0,15}`.
    pub prefix: String,
    /// Peppers by id: bytes (or text, UTF-8), at least 16 bytes each.
    pub peppers: HashMap<String, Either<Uint8Array, String>>,
    /// The pepper that hashes new keys (may be omitted with a single pepper).
    pub current_pepper: Option<String>,
    /// The environment tags keys may carry (default: any valid tag).
    pub environments: Option<Vec<String>>,
    /// The scope vocabulary; when set, granted and required scopes must come from it.
    pub known_scopes: Option<Vec<String>>,
    /// Seconds after which a verdict asks to record `lastUsedAt` again (default 60).
    pub touch_interval: Option<f64>,
}

/// Options of `roll` / `rollWithRandom`.
#[napi(object, object_to_js = false)]
pub struct RollKeyOptions {
    /// Seconds the old key keeps working.
    pub grace: f64,
    /// The time of the roll (default: now).
    pub now: Option<Time>,
    /// The new key's expiry.
    pub expires_at: Option<Time>,
}

/// The public parts of a token.
#[napi(object)]
pub struct ParsedToken {
    /// The environment tag.
    pub environment: String,
    /// The public key id.
    pub key_id: String,
}

/// New hash and pepper id for a record hashed with an older pepper.
#[napi(object, use_nullable = true)]
pub struct Rehash {
    /// The new `hash` to store.
    pub hash: String,
    /// The new `pepperId` to store.
    pub pepper_id: String,
}

/// The outcome of `verify`.
#[napi(object, use_nullable = true)]
pub struct Verdict {
    /// True exactly when `code` is `VALID`.
    pub valid: bool,
    /// `VALID`, `MALFORMED`, `BAD_CHECKSUM`, `NOT_FOUND`, `REVOKED`, `DISABLED`, `EXPIRED`,
    /// `NOT_YET_VALID`, `ENVIRONMENT_MISMATCH` or `INSUFFICIENT_SCOPE`.
    pub code: String,
    /// The token's public key id (null for MALFORMED / BAD_CHECKSUM).
    pub key_id: Option<String>,
    /// The token's environment (null for MALFORMED / BAD_CHECKSUM).
    pub environment: Option<String>,
    /// For INSUFFICIENT_SCOPE: the required scopes the key lacks.
    pub missing_scopes: Vec<String>,
    /// For a valid key hashed with an older pepper: the new hash and pepper id.
    pub rehash: Option<Rehash>,
    /// For a valid key: true when the caller should record `lastUsedAt = now`.
    pub touch: bool,
}

impl From<core::Verdict> for Verdict {
    fn from(v: core::Verdict) -> Self {
        let core::Verdict { valid, code, key_id, environment, missing_scopes, rehash, touch } = v;
        Verdict {
            valid,
            code: code.as_str().to_owned(),
            key_id,
            environment,
            missing_scopes,
            rehash: rehash.map(|r| Rehash { hash: r.hash, pepper_id: r.pepper_id }),
            touch,
        }
    }
}

/// Reads `options` as an object (or `undefined` / `null`); anything else is a `TypeError`.
fn options_object<'a>(options: Option<Unknown<'a>>, env: &'a Env, shape: &str) -> Result<Option<Js<'a>>> {
    let Some(options) = options.map(|o| Js::new(env, o)) else { return Ok(None) };
    match options.kind()? {
        Kind::Nullish => Ok(None),
        Kind::Object => Ok(Some(options)),
        _ => Err(type_error(format!("options must be an object like {shape}, not {}", options.type_name()))),
    }
}

/// An optional string property (`undefined` / `null` → `None`).
fn opt_string(value: Js<'_>, what: &str) -> Result<Option<String>> {
    if value.kind()? == Kind::Nullish { Ok(None) } else { string_arg(value, what).map(Some) }
}

/// An optional array of strings (`undefined` / `null` → `None`).
fn opt_strings(value: Js<'_>, what: &str) -> Result<Option<Vec<String>>> {
    match value.kind()? {
        Kind::Nullish => Ok(None),
        Kind::Object if value.is_array()? => {
            value.elements()?.into_iter().map(|item| string_arg(item, what)).collect::<Result<_>>().map(Some)
        }
        _ => Err(type_error(format!("{what} must be an array of strings, not {}", value.type_name()))),
    }
}

/// Options of `generate`: `{ environment, scopes, expiresAt, notBefore, name, now }`.
fn key_options(env: &Env, options: Option<Unknown<'_>>) -> Result<(core::KeyOptions, i64)> {
    let shape = "{ environment, scopes, expiresAt, notBefore, name, now }";
    let Some(o) = options_object(options, env, shape)? else {
        return Ok((core::KeyOptions::default(), tenantry::webhooks::unix_now()));
    };
    let key = core::KeyOptions {
        environment: opt_string(o.get(c"environment")?, "options.environment")?
            .unwrap_or_else(|| core::KeyOptions::default().environment),
        scopes: opt_strings(o.get(c"scopes")?, "options.scopes")?.unwrap_or_default(),
        expires_at: time_arg(env, o.get(c"expiresAt")?, "options.expiresAt")?,
        not_before: time_arg(env, o.get(c"notBefore")?, "options.notBefore")?,
        name: opt_string(o.get(c"name")?, "options.name")?,
    };
    let now = time_arg(env, o.get(c"now")?, "options.now")?.unwrap_or_else(tenantry::webhooks::unix_now);
    Ok((key, now))
}

/// `requiredScopes`: strings (all-of) and arrays of strings (any-of groups).
fn required_scopes(env: &Env, value: Js<'_>) -> Result<core::RequiredScopes> {
    let what = "options.requiredScopes";
    let Some(items) = (match value.kind()? {
        Kind::Nullish => None,
        Kind::Object if value.is_array()? => Some(value.elements()?),
        _ => return Err(type_error(format!("{what} must be an array, not {}", value.type_name()))),
    }) else {
        return Ok(core::RequiredScopes::default());
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(match item.try_string()? {
            Some(scope) => core::ScopeRequirement::Scope(scope),
            None if item.kind()? == Kind::Object && item.is_array()? => core::ScopeRequirement::AnyOf(
                item.elements()?.into_iter().map(|s| string_arg(s, what)).collect::<Result<_>>()?,
            ),
            None => {
                return Err(type_error(format!(
                    "{what} items must be scopes (strings) or any-of groups (arrays of strings), not {}",
                    item.type_name()
                )));
            }
        });
    }
    core::RequiredScopes::new(out).js(env)
}

/// An API key format, built once: issues, parses, hashes, verifies, rolls and revokes keys.
#[napi]
pub struct ApiKeys {
    inner: core::ApiKeys,
}

#[napi]
impl ApiKeys {
    /// Builds the format from a prefix and peppers.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, options: ApiKeysOptions) -> Result<Self> {
        let peppers = options
            .peppers
            .into_iter()
            .map(|(id, secret)| {
                let bytes = match secret {
                    Either::A(bytes) => bytes.to_vec(),
                    Either::B(text) => text.into_bytes(),
                };
                (id, SecretBytes::new(bytes))
            })
            .collect::<Vec<_>>();
        let mut config = core::ApiKeysConfig::new(&options.prefix, peppers);
        config.current_pepper = options.current_pepper;
        config.environments = options.environments;
        config.known_scopes = options.known_scopes;
        if let Some(t) = options.touch_interval {
            config.touch_interval = seconds(&env, t, "touchInterval")?;
        }
        Ok(ApiKeys { inner: core::ApiKeys::new(config).js(&env)? })
    }

    /// The token prefix.
    #[napi(getter, catch_unwind)]
    pub fn prefix(&self) -> String {
        self.inner.prefix().to_owned()
    }

    /// The id of the pepper that hashes new keys.
    #[napi(getter, js_name = "currentPepper", catch_unwind)]
    pub fn current_pepper(&self) -> String {
        self.inner.current_pepper().to_owned()
    }

    /// Issues a key with fresh CSPRNG randomness.
    #[napi(catch_unwind)]
    pub fn generate(&self, env: Env, options: Option<Unknown<'_>>) -> Result<IssuedKey> {
        let (options, now) = key_options(&env, options)?;
        Ok(IssuedKey { inner: self.inner.generate(&options, now).js(&env)? })
    }

    /// Issues a key from 30 given random bytes (for conformance vectors; real keys use `generate`).
    #[napi(js_name = "generateWithRandom", catch_unwind)]
    pub fn generate_with_random(
        &self,
        env: Env,
        random: &[u8],
        options: Option<Unknown<'_>>,
    ) -> Result<IssuedKey> {
        let random = random_bytes(&env, random)?;
        let (options, now) = key_options(&env, options)?;
        Ok(IssuedKey { inner: self.inner.generate_with_random(&random, &options, now).js(&env)? })
    }

    /// Parses a token offline; throws `ApiKeyError` (`apikey.malformed` / `apikey.bad_checksum`).
    #[napi(catch_unwind)]
    pub fn parse(&self, env: Env, token: String) -> Result<ParsedToken> {
        let parsed = self.inner.parse(&token).js(&env)?;
        Ok(ParsedToken { environment: parsed.environment, key_id: parsed.key_id })
    }

    /// HMAC-SHA256 of the token keyed with the current pepper (64 hex digits).
    #[napi(js_name = "hashToken", catch_unwind)]
    pub fn hash_token(&self, token: String) -> String {
        self.inner.hash_token(&token)
    }

    /// Verifies a token against its stored record (`null` when the lookup found nothing).
    #[napi(catch_unwind)]
    pub fn verify(
        &self,
        env: Env,
        token: String,
        record: Option<Unknown<'_>>,
        options: Option<Unknown<'_>>,
    ) -> Result<Verdict> {
        let (mut required, mut environment, mut now) = (core::RequiredScopes::default(), None, None);
        if let Some(o) = options_object(options, &env, "{ requiredScopes, environment, now }")? {
            required = required_scopes(&env, o.get(c"requiredScopes")?)?;
            environment = opt_string(o.get(c"environment")?, "options.environment")?;
            now = time_arg(&env, o.get(c"now")?, "options.now")?;
        }
        let options = core::VerifyOptions { required_scopes: required, environment };
        let record = record_opt(&env, record)?;
        let now = now.unwrap_or_else(tenantry::webhooks::unix_now);
        Ok(self.inner.verify(&token, record.as_ref(), &options, now).js(&env)?.into())
    }

    /// Rolls a key: a new key with the same scopes, the old record expiring at now + grace.
    #[napi(catch_unwind)]
    pub fn roll(&self, env: Env, record: Unknown<'_>, options: RollKeyOptions) -> Result<RolledKey> {
        let record = record_arg(&env, record)?;
        let grace = seconds(&env, options.grace, "grace")?;
        let now = now_or(&env, options.now)?;
        let expires_at = time_opt(&env, options.expires_at)?;
        Ok(RolledKey { inner: self.inner.roll(&record, grace, now, expires_at).js(&env)? })
    }

    /// `roll` with the new key's 30 random bytes given (for conformance vectors).
    #[napi(js_name = "rollWithRandom", catch_unwind)]
    pub fn roll_with_random(
        &self,
        env: Env,
        random: &[u8],
        record: Unknown<'_>,
        options: RollKeyOptions,
    ) -> Result<RolledKey> {
        let random = random_bytes(&env, random)?;
        let record = record_arg(&env, record)?;
        let grace = seconds(&env, options.grace, "grace")?;
        let now = now_or(&env, options.now)?;
        let expires_at = time_opt(&env, options.expires_at)?;
        Ok(RolledKey {
            inner: self.inner.roll_with_random(&random, &record, grace, now, expires_at).js(&env)?,
        })
    }

    /// The record, revoked at `now` (an earlier revocation is kept).
    #[napi(catch_unwind)]
    pub fn revoke(&self, env: Env, record: Unknown<'_>, now: Option<Time>) -> Result<KeyRecordOut> {
        let record = record_arg(&env, record)?;
        Ok(record_js(&record.revoked(now_or(&env, now)?)))
    }

    /// The regular expression matching exactly the tokens this config issues (unanchored).
    #[napi(js_name = "secretScanningPattern", catch_unwind)]
    pub fn secret_scanning_pattern(&self) -> String {
        self.inner.secret_scanning_pattern()
    }
}

/// The JSON form of an issued key: the record only.
#[napi(object, object_from_js = false)]
pub struct IssuedKeyJson {
    /// The record to store.
    pub record: KeyRecordOut,
}

/// The JSON form of a rolled key: the records only.
#[napi(object, object_from_js = false)]
pub struct RolledKeyJson {
    /// The new key's record.
    pub record: KeyRecordOut,
    /// The old record with its new expiry.
    pub previous: KeyRecordOut,
}

/// A freshly issued key: `token` (show it once) and `record` (a plain object to store).
#[napi]
pub struct IssuedKey {
    inner: core::IssuedKey,
}

#[napi]
impl IssuedKey {
    /// The token: show it to its owner once; never log or store it.
    #[napi(getter, catch_unwind)]
    pub fn token(&self) -> String {
        self.inner.token().to_owned()
    }

    /// The record to store (a new object on every access).
    #[napi(getter, catch_unwind)]
    pub fn record(&self) -> KeyRecordOut {
        record_js(&self.inner.record)
    }

    /// A masked description (never the token).
    #[napi(js_name = "toString", catch_unwind)]
    pub fn to_string_js(&self) -> String {
        format!("IssuedKey({})", self.inner.record.masked)
    }

    /// The JSON form: the record only (never the token).
    #[napi(js_name = "toJSON", catch_unwind)]
    pub fn to_json(&self) -> IssuedKeyJson {
        IssuedKeyJson { record: record_js(&self.inner.record) }
    }
}

/// The result of `roll`: the new key (`token`, `record`) and `previous`, the old record to store.
#[napi]
pub struct RolledKey {
    inner: core::RolledKey,
}

#[napi]
impl RolledKey {
    /// The new token: show it to its owner once.
    #[napi(getter, catch_unwind)]
    pub fn token(&self) -> String {
        self.inner.issued.token().to_owned()
    }

    /// The new key's record to store.
    #[napi(getter, catch_unwind)]
    pub fn record(&self) -> KeyRecordOut {
        record_js(&self.inner.issued.record)
    }

    /// The old record with its new expiry, to store in place of the old one.
    #[napi(getter, catch_unwind)]
    pub fn previous(&self) -> KeyRecordOut {
        record_js(&self.inner.previous)
    }

    /// A masked description (never the token).
    #[napi(js_name = "toString", catch_unwind)]
    pub fn to_string_js(&self) -> String {
        format!("RolledKey({})", self.inner.issued.record.masked)
    }

    /// The JSON form: the records only (never the token).
    #[napi(js_name = "toJSON", catch_unwind)]
    pub fn to_json(&self) -> RolledKeyJson {
        RolledKeyJson {
            record: record_js(&self.inner.issued.record),
            previous: record_js(&self.inner.previous),
        }
    }
}
