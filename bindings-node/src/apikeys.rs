//! `ApiKeys`, `IssuedKey`, `RolledKey`: issue, parse, hash, verify, roll and revoke API keys.

use std::collections::HashMap;

use napi::bindgen_prelude::*;
use serde_json::Value;
use tenantry::apikeys as core;
use tenantry::{Error as CoreError, ErrorCode, SecretBytes};

use crate::convert::{Time, json_arg, unix_seconds};
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

/// A stored record as Node code holds it: a camelCase object (read field by field, the fast path),
/// JSON text, or any other object (e.g. snake_case, as Python writes it), read through JSON.
pub type RecordArg<'a> = Either3<KeyRecordIn, String, Unknown<'a>>;

/// A stored record; `None` for `null` / `undefined`.
fn record_opt(env: &Env, record: Option<RecordArg<'_>>) -> Result<Option<core::KeyRecord>> {
    let value = match record {
        None => return Ok(None),
        Some(Either3::A(fast)) => return Ok(Some(fast.into())),
        Some(Either3::B(text)) => json_arg(env, Either::A(text))?,
        Some(Either3::C(other)) => match other.get_type()? {
            ValueType::Null | ValueType::Undefined => return Ok(None),
            ValueType::Object => env.from_js_value::<Value, _>(other)?,
            kind => {
                return Err(napi::Error::new(
                    Status::InvalidArg,
                    format!("record must be an object or JSON text, not {kind}"),
                ));
            }
        },
    };
    core::KeyRecord::from_json(value).js(env).map(Some)
}

/// A required stored record (see [`record_opt`]).
fn record_arg(env: &Env, record: RecordArg<'_>) -> Result<core::KeyRecord> {
    record_opt(env, Some(record))?.ok_or_else(|| {
        napi::Error::new(Status::InvalidArg, "record must be an object or JSON text, not null")
    })
}

/// A stored record read from a camelCase object with every field present, `null` when unset (what
/// this package writes). Objects of any other shape take the JSON path.
#[napi(object, object_to_js = false, use_nullable = true)]
pub struct KeyRecordIn {
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
    pub disabled: Option<bool>,
    pub last_used_at: Option<i64>,
    pub masked: Option<String>,
}

impl From<KeyRecordIn> for core::KeyRecord {
    fn from(r: KeyRecordIn) -> Self {
        core::KeyRecord {
            key_id: r.key_id,
            hash: r.hash,
            pepper_id: r.pepper_id,
            environment: r.environment,
            scopes: r.scopes,
            name: r.name,
            created_at: r.created_at,
            expires_at: r.expires_at,
            not_before: r.not_before,
            revoked_at: r.revoked_at,
            disabled: r.disabled.unwrap_or(false),
            last_used_at: r.last_used_at,
            masked: r.masked.unwrap_or_default(),
        }
    }
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

/// Options of `generate` / `generateWithRandom`.
#[napi(object, object_to_js = false)]
pub struct GenerateKeyOptions {
    /// Environment tag (default `live`).
    pub environment: Option<String>,
    /// Scopes to grant.
    pub scopes: Option<Vec<String>>,
    /// Expiry.
    pub expires_at: Option<Time>,
    /// Start of validity.
    pub not_before: Option<Time>,
    /// A label for people.
    pub name: Option<String>,
    /// Issue time (default: now).
    pub now: Option<Time>,
}

/// Options of `verify`.
#[napi(object, object_to_js = false)]
pub struct VerifyKeyOptions {
    /// Required scopes: strings (all-of) and arrays of strings (any-of groups).
    pub required_scopes: Option<Vec<Either<String, Vec<String>>>>,
    /// The environment this service accepts.
    pub environment: Option<String>,
    /// The time to check against (default: now).
    pub now: Option<Time>,
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

fn key_options(env: &Env, options: Option<GenerateKeyOptions>) -> Result<(core::KeyOptions, i64)> {
    let o = options.unwrap_or(GenerateKeyOptions {
        environment: None,
        scopes: None,
        expires_at: None,
        not_before: None,
        name: None,
        now: None,
    });
    let key = core::KeyOptions {
        environment: o.environment.unwrap_or_else(|| "live".to_owned()),
        scopes: o.scopes.unwrap_or_default(),
        expires_at: time_opt(env, o.expires_at)?,
        not_before: time_opt(env, o.not_before)?,
        name: o.name,
    };
    Ok((key, now_or(env, o.now)?))
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
    pub fn generate(&self, env: Env, options: Option<GenerateKeyOptions>) -> Result<IssuedKey> {
        let (options, now) = key_options(&env, options)?;
        Ok(IssuedKey { inner: self.inner.generate(&options, now).js(&env)? })
    }

    /// Issues a key from 30 given random bytes (for conformance vectors; real keys use `generate`).
    #[napi(js_name = "generateWithRandom", catch_unwind)]
    pub fn generate_with_random(
        &self,
        env: Env,
        random: &[u8],
        options: Option<GenerateKeyOptions>,
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
        record: Option<RecordArg<'_>>,
        options: Option<VerifyKeyOptions>,
    ) -> Result<Verdict> {
        let (required, environment, now) = match options {
            Some(o) => (o.required_scopes, o.environment, o.now),
            None => (None, None, None),
        };
        let items = required
            .unwrap_or_default()
            .into_iter()
            .map(|item| match item {
                Either::A(scope) => core::ScopeRequirement::Scope(scope),
                Either::B(group) => core::ScopeRequirement::AnyOf(group),
            })
            .collect();
        let options =
            core::VerifyOptions { required_scopes: core::RequiredScopes::new(items).js(&env)?, environment };
        let record = record_opt(&env, record)?;
        let now = now_or(&env, now)?;
        Ok(self.inner.verify(&token, record.as_ref(), &options, now).js(&env)?.into())
    }

    /// Rolls a key: a new key with the same scopes, the old record expiring at now + grace.
    #[napi(catch_unwind)]
    pub fn roll(&self, env: Env, record: RecordArg<'_>, options: RollKeyOptions) -> Result<RolledKey> {
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
        record: RecordArg<'_>,
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
    pub fn revoke(&self, env: Env, record: RecordArg<'_>, now: Option<Time>) -> Result<KeyRecordOut> {
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
