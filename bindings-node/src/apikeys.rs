//! `ApiKeys`, `IssuedKey`, `RolledKey`: issue, parse, hash, verify, roll and revoke API keys.

use std::ptr;
use std::sync::Arc;

use napi::De;
use napi::bindgen_prelude::*;
use napi::sys;
use tenantry::apikeys as core;
use tenantry::{Error as CoreError, ErrorCode, SecretBytes};

use std::ffi::CStr;

use crate::convert::{
    Js, Kind, RawCallback, StringArg, Text, TextMap, Time, json_text_arg, lossy_string_arg, new_handle,
    raw_callback, raw_functions, string_arg, time_arg, type_error, unix_seconds,
};
use crate::errors::{IntoJsResult, to_js};

fn now_or(env: &Env, now: Option<Time>) -> Result<i64> {
    now.map_or_else(|| Ok(tenantry::webhooks::unix_now()), |t| unix_seconds(env, &t))
}

fn time_opt(env: &Env, time: Option<Time>) -> Result<Option<i64>> {
    time.map(|t| unix_seconds(env, &t)).transpose()
}

/// A duration in whole seconds: a fraction is refused, never cut (a `touchInterval` of 0.5 was 0,
/// a write on every request).
fn seconds(env: &Env, secs: f64, what: &str) -> Result<i64> {
    crate::convert::whole(env, secs, what)
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

/// The record fields, in the order [`camel_record`] takes them.
const RECORD_FIELDS: [&CStr; 13] = [
    c"keyId",
    c"hash",
    c"pepperId",
    c"environment",
    c"scopes",
    c"name",
    c"createdAt",
    c"expiresAt",
    c"notBefore",
    c"revokedAt",
    c"disabled",
    c"lastUsedAt",
    c"masked",
];

/// A stored record; `None` for `null` / `undefined`; with `true` when it was read field by field.
/// A camelCase object with every field present (what this package writes) is read from `fields`
/// (its values, in [`RECORD_FIELDS`] order, or `undefined` values when the object also has a
/// snake_case name: see [`SNAKE_ALIASES`]); JSON text, or an object of any other shape (e.g.
/// snake_case, as Python writes it), is read by the core's own deserializer, so the core decides
/// what it accepts.
fn read_record<'a>(
    env: &Env,
    js: Js<'a>,
    fields: impl FnOnce() -> Result<[Js<'a>; 13]>,
) -> Result<Option<(core::KeyRecord, bool)>> {
    let record = match js.kind()? {
        Kind::Nullish => return Ok(None),
        Kind::String => core::KeyRecord::from_json(json_text_arg(env, &js.text()?)?),
        // (An array is an object to N-API, which the deserializer read as a tuple: "invalid length
        // 0, expected struct KeyRecord with 13 elements".)
        Kind::Object if !js.is_array()? => {
            if let Some(fast) = camel_record(fields()?)? {
                return Ok(Some((fast, true)));
            }
            // Straight from the object, as Python reads a dict: through a serde_json `Value`
            // first, NaN and infinities became `null`, so a NaN `revokedAt` read as "not revoked".
            // (napi-rs's errors print their status first: the core words the error from the
            // reason alone.)
            unreadable_field(env, js)?;
            let object = Object::from_unknown(js.unknown())?;
            <core::KeyRecord as serde::Deserialize>::deserialize(&mut De::new(&object))
                .map_err(|e| core::KeyRecord::invalid(e.reason))
        }
        _ => {
            return Err(type_error(format!("record must be an object or JSON text, not {}", js.type_name())));
        }
    };
    record.js(env).map(|record| Some((record, false)))
}

/// Refuses a record object with a field (by any name the deserializer reads it by) holding a
/// whole number past 2^53 - 1 (or an infinity's neighbours, like 1e300), as the core refuses an
/// integer it cannot hold: napi-rs's deserializer casts such a number to `i64`, saturating, so an
/// `expiresAt` of 1e300 was a key that never expires and a `revokedAt` of 1e300 was rewritten to
/// `now`. A `Date` there is refused as Python refuses a `datetime` (the deserializer read it as
/// an empty map: "invalid type: map, expected i64"). (A fraction, NaN or an infinity reaches the
/// core as a float, which it refuses with its own message.) Other members of a row are not read,
/// as in Python: a database's 64-bit row id beside the record is no error.
fn unreadable_field(env: &Env, object: Js<'_>) -> Result<()> {
    for name in field_names() {
        let value = object.get(name)?;
        if value.is_date()? {
            return Err(to_js(env, core::KeyRecord::invalid("Date is not a JSON value")));
        }
        let Some(n) = value.try_number()? else { continue };
        if n.is_finite() && n.fract() == 0.0 && n.abs() > MAX_SAFE_INTEGER {
            // (In the core's words for a number that is not a safe integer, as JavaScript writes it.)
            if let Err(why) = tenantry::limits::whole_from_f64(n, &name.to_string_lossy()) {
                return Err(to_js(env, core::KeyRecord::invalid(why.message())));
            }
        }
    }
    Ok(())
}

/// 2^53 - 1, the largest whole number a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The snake_case names the core also reads a record's fields by (Python writes them). An object
/// that has one of them is not this package's shape, whatever its camelCase fields say: a
/// `revoked_at` beside `revokedAt: null` is the core's "duplicate field", and a `revoked_at` alone
/// is the revocation. Read field by field, either would be a revoked key that verifies.
const SNAKE_ALIASES: [&CStr; 7] =
    [c"key_id", c"pepper_id", c"created_at", c"expires_at", c"not_before", c"revoked_at", c"last_used_at"];

/// Every name a record's fields are read by: camelCase, and the snake_case aliases.
fn field_names() -> impl Iterator<Item = &'static CStr> {
    RECORD_FIELDS.into_iter().chain(SNAKE_ALIASES)
}

/// A stored record argument (see [`read_record`]); `None` for `null` / `undefined`.
fn record_opt(env: &Env, record: Option<Unknown<'_>>) -> Result<Option<core::KeyRecord>> {
    let Some(unknown) = record else { return Ok(None) };
    let obj = Js::new(env, unknown);
    let fields = || {
        let mut out = [obj; 13];
        if obj.kind()? != Kind::Object {
            return Ok(out);
        }
        for name in SNAKE_ALIASES {
            if !obj.get(name)?.is_undefined()? {
                // `obj` itself is not a string, so `camel_record` takes nothing from these.
                return Ok(out);
            }
        }
        for (slot, name) in out.iter_mut().zip(RECORD_FIELDS) {
            *slot = obj.get(name)?;
        }
        Ok(out)
    };
    Ok(read_record(env, obj, fields)?.map(|(record, _)| record))
}

/// A required stored record (see [`record_opt`]) that `revoke` and `roll` write back: a lone
/// surrogate in a string it is read from is refused (`input.invalid`, naming it, as Python refuses
/// such a `str`), where [`record_opt`] reads it as U+FFFD, which would have changed the stored row.
fn record_arg(env: &Env, record: Unknown<'_>) -> Result<core::KeyRecord> {
    let js = Js::new(env, record);
    let record = record_opt(env, Some(record))?
        .ok_or_else(|| type_error("record must be an object or JSON text, not null".to_owned()))?;
    // Only an object can hold one: a lone surrogate in JSON text is refused as the text is read.
    // (Checked once the record was read: its scopes are then all strings, however long.)
    if js.kind()? == Kind::Object {
        for name in field_names() {
            let value = js.get(name)?;
            let strings =
                if value.is_array()? { value.elements()?.collect::<Result<Vec<_>>>()? } else { vec![value] };
            for s in strings {
                if let Some(text) = s.try_string()? {
                    s.ensure_well_formed(&text)?;
                }
            }
        }
    }
    Ok(record)
}

/// Reads a record written by this package (camelCase, every field present, `null` when unset) from
/// its field values; `None` when they have any other shape. An absent (`undefined`) field is
/// another shape: the core decides what it means (a default, or its snake_case name's value).
///
/// A stored record is data the caller looked up, judged rather than refused: its strings are read
/// as N-API reads them (a lone surrogate as U+FFFD), as Python reads a record's `str`s, so a
/// mangled `keyId` is `NOT_FOUND`, not an exception. (Its JSON text is text: see [`read_record`].)
fn camel_record(fields: [Js<'_>; 13]) -> Result<Option<core::KeyRecord>> {
    macro_rules! field {
        ($read:expr) => {
            match $read? {
                Some(v) => v,
                None => return Ok(None),
            }
        };
    }
    let [
        key_id,
        hash,
        pepper_id,
        environment,
        scopes_js,
        name,
        created_at,
        expires_at,
        not_before,
        revoked_at,
        disabled_js,
        last_used_at,
        masked,
    ] = fields;
    let nullable_string = |v: Js<'_>| -> Result<Option<Option<String>>> {
        Ok(match v.try_string()? {
            Some(s) => Some(Some(s)),
            None if v.is_null()? => Some(None),
            None => None,
        })
    };
    let nullable_int = |v: Js<'_>| -> Result<Option<Option<i64>>> {
        if let Some(n) = v.try_number()? {
            return Ok(whole(n).map(Some));
        }
        Ok(v.is_null()?.then_some(None))
    };
    let key_id = field!(key_id.try_string());
    let hash = field!(hash.try_string());
    let pepper_id = field!(pepper_id.try_string());
    let environment = field!(environment.try_string());
    if !scopes_js.is_array()? {
        return Ok(None);
    }
    let mut scopes = Vec::new();
    for item in scopes_js.elements()? {
        scopes.push(field!(item?.try_string()));
    }
    let name = field!(nullable_string(name));
    let created_at = field!(nullable_int(created_at).map(Option::flatten));
    let expires_at = field!(nullable_int(expires_at));
    let not_before = field!(nullable_int(not_before));
    let revoked_at = field!(nullable_int(revoked_at));
    if disabled_js.kind()? != Kind::Boolean {
        return Ok(None);
    }
    let disabled = disabled_js.boolean()?;
    let last_used_at = field!(nullable_int(last_used_at));
    let masked = field!(masked.try_string());
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
    (n.is_finite() && n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER).then_some(n as i64)
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
    pub prefix: Text,
    /// Peppers by id: bytes (or text, UTF-8, read as `Buffer.from` reads it), at least 16 bytes each.
    pub peppers: TextMap<Either<Uint8Array, String>>,
    /// The pepper that hashes new keys (may be omitted with a single pepper).
    pub current_pepper: Option<Text>,
    /// The environment tags keys may carry (default: any valid tag).
    pub environments: Option<Vec<Text>>,
    /// The scope vocabulary; when set, granted and required scopes must come from it.
    pub known_scopes: Option<Vec<Text>>,
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
            value.elements()?.map(|item| string_arg(item?, what)).collect::<Result<_>>().map(Some)
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
            .unwrap_or_else(|| core::DEFAULT_ENVIRONMENT.to_owned()),
        scopes: opt_strings(o.get(c"scopes")?, "options.scopes")?.unwrap_or_default(),
        expires_at: time_arg(env, o.get(c"expiresAt")?, "options.expiresAt")?,
        not_before: time_arg(env, o.get(c"notBefore")?, "options.notBefore")?,
        name: opt_string(o.get(c"name")?, "options.name")?,
    };
    let now = time_arg(env, o.get(c"now")?, "options.now")?.unwrap_or_else(tenantry::webhooks::unix_now);
    Ok((key, now))
}

/// `requiredScopes`: strings (all-of) and arrays of strings (any-of groups), or one scope alone
/// (a string, as Python takes a `str`).
fn required_scopes(env: &Env, value: Js<'_>) -> Result<core::RequiredScopes> {
    let what = "options.requiredScopes";
    let Some(items) = (match value.kind()? {
        Kind::Nullish => None,
        Kind::String => {
            return core::RequiredScopes::new(vec![core::ScopeRequirement::Scope(value.text()?)]).js(env);
        }
        Kind::Object if value.is_array()? => Some(value.elements()?),
        _ => {
            return Err(type_error(format!(
                "{what} must be an array or a string, not {}",
                value.type_name()
            )));
        }
    }) else {
        return Ok(core::RequiredScopes::default());
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let item = item?;
        out.push(match item.try_text()? {
            Some(scope) => core::ScopeRequirement::Scope(scope),
            None if item.kind()? == Kind::Object && item.is_array()? => core::ScopeRequirement::AnyOf(
                item.elements()?.map(|s| string_arg(s?, what)).collect::<Result<_>>()?,
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
    inner: Arc<core::ApiKeys>,
}

#[napi]
impl ApiKeys {
    /// Builds the format from a prefix and peppers.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, options: ApiKeysOptions) -> Result<Self> {
        let peppers = options
            .peppers
            .0
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
        let strings = |texts: Vec<Text>| texts.into_iter().map(Text::into_string).collect();
        config.current_pepper = options.current_pepper.map(Text::into_string);
        config.environments = options.environments.map(strings);
        config.known_scopes = options.known_scopes.map(strings);
        if let Some(t) = options.touch_interval {
            config.touch_interval = seconds(&env, t, "touchInterval")?;
        }
        Ok(ApiKeys { inner: Arc::new(core::ApiKeys::new(config).js(&env)?) })
    }

    /// The handle `js/apikeys.js` passes to the `verify` hot path (made once per object).
    #[napi(js_name = "_handle", catch_unwind)]
    pub fn handle<'a>(&self, env: Env) -> Result<Unknown<'a>> {
        new_handle(&env, Arc::clone(&self.inner), &API_KEYS_TAG)
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
    pub fn parse(&self, env: Env, token: StringArg) -> Result<ParsedToken> {
        let parsed = self.inner.parse(&token).js(&env)?;
        Ok(ParsedToken { environment: parsed.environment, key_id: parsed.key_id })
    }

    /// HMAC-SHA256 of the token keyed with the current pepper (64 hex digits).
    #[napi(js_name = "hashToken", catch_unwind)]
    pub fn hash_token(&self, token: StringArg) -> String {
        self.inner.hash_token(&token)
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

// ---- the verify hot path -----------------------------------------------------------------------
//
// Through a `#[napi]` method `verify` cost twice the HMAC it wraps: napi-rs's per-call machinery,
// 13 `napi_get_named_property` calls (each makes a property-name string) to read the record, and
// a verdict object built property by property. Here it is a raw N-API callback: `js/apikeys.js`
// reads the record's fields and the options in JS (inline-cached property loads), passes them with
// the object's handle and a scratch `Float64Array`, and builds the verdict as an object literal.
// The common verdicts (no missing scopes, no rehash, key id and environment equal to the record's
// own strings or null) come back as numbers in the scratch array; any other verdict comes back
// whole, as the same plain object `Verdict` describes. The core decides every field.

static API_KEYS_TAG: sys::napi_type_tag =
    sys::napi_type_tag { lower: 0x7465_6e61_6e74_7279, upper: 0x6170_696b_6579_0001 };

/// Verdict codes by the index written into the scratch array.
const VERDICT_CODES: [core::VerdictCode; 10] = [
    core::VerdictCode::Valid,
    core::VerdictCode::Malformed,
    core::VerdictCode::BadChecksum,
    core::VerdictCode::NotFound,
    core::VerdictCode::Revoked,
    core::VerdictCode::Disabled,
    core::VerdictCode::Expired,
    core::VerdictCode::NotYetValid,
    core::VerdictCode::EnvironmentMismatch,
    core::VerdictCode::InsufficientScope,
];

/// Scratch slots: valid, code index, touch, key id (0 null, 1 the record's `keyId`), environment
/// (0 null, 1 the record's `environment`).
const VERIFY_SLOTS: usize = 5;

/// Where a verdict string comes from: `0` null, `1` the record's own value, `None` neither.
fn string_source(value: Option<&String>, stored: Option<&String>) -> Option<f64> {
    match value {
        None => Some(0.0),
        Some(v) if Some(v) == stored => Some(1.0),
        Some(_) => None,
    }
}

/// `(handle, out, token, record, ...13 record field values, options, requiredScopes, environment,
/// now)`: writes a common verdict into `out` and returns `undefined`, or returns any other verdict
/// as a plain object.
fn verify_hot(env: &Env, args: &[Js<'_>; 21]) -> Result<sys::napi_value> {
    let [handle, out, token, record, fields @ .., options, required, environment, now] = *args;
    // SAFETY: only `ApiKeys::handle` makes handles tagged API_KEYS_TAG.
    let keys = unsafe { handle.handle::<core::ApiKeys>(&API_KEYS_TAG, "ApiKeys") }?;
    // A token with a lone surrogate is judged, not refused: MALFORMED, as in Python.
    let token = lossy_string_arg(token, "token")?;
    let (mut required_scopes_, mut environment_, mut now_) = (core::RequiredScopes::default(), None, None);
    match options.kind()? {
        Kind::Nullish => {}
        Kind::Object => {
            required_scopes_ = required_scopes(env, required)?;
            environment_ = opt_string(environment, "options.environment")?;
            now_ = time_arg(env, now, "options.now")?;
        }
        _ => {
            return Err(type_error(format!(
                "options must be an object like {{ requiredScopes, environment, now }}, not {}",
                options.type_name()
            )));
        }
    }
    let options = core::VerifyOptions { required_scopes: required_scopes_, environment: environment_ };
    let record = read_record(env, record, || Ok(fields))?;
    let now = now_.unwrap_or_else(tenantry::webhooks::unix_now);
    let verdict = keys.verify(&token, record.as_ref().map(|(r, _)| r), &options, now).js(env)?;
    let fast = record.as_ref().filter(|(_, fast)| *fast).map(|(r, _)| r);
    let key_id = string_source(verdict.key_id.as_ref(), fast.map(|r| &r.key_id));
    let environment = string_source(verdict.environment.as_ref(), fast.map(|r| &r.environment));
    let code = VERDICT_CODES.iter().position(|c| *c == verdict.code);
    if let (Some(key_id), Some(environment), Some(code), true, None) =
        (key_id, environment, code, verdict.missing_scopes.is_empty(), &verdict.rehash)
    {
        let out = out
            .float64_out("out")?
            .get_mut(..VERIFY_SLOTS)
            .ok_or_else(|| type_error("the result array is too short".to_owned()))?;
        out.copy_from_slice(&[
            f64::from(u8::from(verdict.valid)),
            code as f64,
            f64::from(u8::from(verdict.touch)),
            key_id,
            environment,
        ]);
        return Ok(ptr::null_mut());
    }
    unsafe { ToNapiValue::to_napi_value(env.raw(), Verdict::from(verdict)) }
}

raw_callback!(verify_callback => verify_hot);

/// The hot path for `js/apikeys.js`: `{ verify, verifySlots, codes }`.
#[napi(js_name = "_apikeysHotPaths", catch_unwind)]
pub fn apikeys_hot_paths<'a>(env: Env) -> Result<Object<'a>> {
    let fns: [(&str, RawCallback); 1] = [("verify", verify_callback)];
    let mut obj = raw_functions(&env, &fns)?;
    obj.set_named_property("verifySlots", VERIFY_SLOTS as u32)?;
    obj.set_named_property("codes", VERDICT_CODES.map(|c| c.as_str()).to_vec())?;
    Ok(obj)
}
