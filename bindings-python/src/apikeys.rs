//! `tenantry.apikeys`: issue, parse, hash, verify, roll and revoke API keys.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde_json::Value;
use tenantry::apikeys as core;
use tenantry::{Error, ErrorCode, SecretBytes};

use crate::convert::{
    OwnedText, Payload, Text, UnixTime, dict_items, duration, from_json, json_arg, live_or_none, str_list,
    str_ref, type_name,
};
use crate::de::Surrogates;
use crate::errors::{IntoPyResult, to_py};
use crate::pickles::{Pickled, from_state, to_state};

fn now_or(now: Option<UnixTime>) -> i64 {
    now.map_or_else(tenantry::webhooks::unix_now, |t| t.0)
}

/// The token text. A `str` that is not valid Unicode (lone surrogates) is passed on lossily, each
/// as one U+FFFD as Node reads it, so the core answers `MALFORMED` instead of Python raising
/// `UnicodeEncodeError`.
fn token_text<'a>(token: &'a Bound<'_, PyAny>) -> PyResult<std::borrow::Cow<'a, str>> {
    let s = token
        .cast::<PyString>()
        .map_err(|_| PyTypeError::new_err(format!("token must be str, not {}", type_name(token))))?;
    crate::convert::lossy_str(s)
}

fn strings(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<String>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(format!("{what} must be a list of str, not a single string")));
    }
    str_list(obj, &format!("{what} must be a list of str"))
}

fn random_bytes(random: &[u8]) -> PyResult<[u8; core::RANDOM_BYTES]> {
    random.try_into().map_err(|_| {
        to_py(Error::new(
            ErrorCode::InvalidInput,
            format!("random must be exactly {} bytes, got {}", core::RANDOM_BYTES, random.len()),
        ))
    })
}

/// A stored record from a dict (read field by field, no intermediate JSON) or JSON text.
/// `surrogates` says how a dict's `str` with a lone surrogate is read (JSON text holding one is
/// refused either way).
fn record_arg(obj: &Bound<'_, PyAny>, surrogates: Surrogates) -> PyResult<core::KeyRecord> {
    if let Ok(dict) = obj.cast_exact::<PyDict>()
        && let Some(record) = stored_record(dict)?
    {
        return Ok(record);
    }
    if obj.is_instance_of::<PyDict>() {
        return crate::de::read(obj, surrogates, core::KeyRecord::invalid);
    }
    // Any other Mapping, or JSON text: a number or a list is the wrong type, as in Node.
    if !(obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.cast::<PyMapping>().is_ok())
    {
        return Err(PyTypeError::new_err(format!(
            "record must be a dict (or another Mapping) or its JSON text (str or bytes), not {}",
            type_name(obj)
        )));
    }
    core::KeyRecord::from_json(json_arg(obj)?).py()
}

/// Reads a record as this package stores it (a plain `dict` with exactly the 13 snake_case keys,
/// `str` / `int` / `bool` / `None` values of the right types) with one lookup per field: the
/// `verify` hot path. `None` for any other shape, which goes through serde so the core decides.
fn stored_record(dict: &Bound<'_, PyDict>) -> PyResult<Option<core::KeyRecord>> {
    if dict.len() != 13 {
        return Ok(None);
    }
    let py = dict.py();
    macro_rules! read {
        ($key:literal, $convert:ident) => {
            match dict.get_item(pyo3::intern!(py, $key))?.as_ref().and_then($convert) {
                Some(value) => value,
                None => return Ok(None),
            }
        };
    }
    fn text(v: &Bound<'_, PyAny>) -> Option<String> {
        v.cast_exact::<PyString>().ok().and_then(|s| crate::convert::str_ref(s).ok().map(str::to_owned))
    }
    fn int(v: &Bound<'_, PyAny>) -> Option<i64> {
        v.cast_exact::<PyInt>().ok().and_then(|i| i.extract::<i64>().ok())
    }
    fn opt_text(v: &Bound<'_, PyAny>) -> Option<Option<String>> {
        if v.is_none() { Some(None) } else { text(v).map(Some) }
    }
    fn opt_int(v: &Bound<'_, PyAny>) -> Option<Option<i64>> {
        if v.is_none() { Some(None) } else { int(v).map(Some) }
    }
    fn boolean(v: &Bound<'_, PyAny>) -> Option<bool> {
        v.cast_exact::<pyo3::types::PyBool>().ok().map(|b| b.is_true())
    }
    fn texts(v: &Bound<'_, PyAny>) -> Option<Vec<String>> {
        v.cast_exact::<PyList>().ok()?.iter().map(|item| text(&item)).collect()
    }
    Ok(Some(core::KeyRecord {
        key_id: read!("key_id", text),
        hash: read!("hash", text),
        pepper_id: read!("pepper_id", text),
        environment: read!("environment", text),
        scopes: read!("scopes", texts),
        name: read!("name", opt_text),
        created_at: read!("created_at", int),
        expires_at: read!("expires_at", opt_int),
        not_before: read!("not_before", opt_int),
        revoked_at: read!("revoked_at", opt_int),
        disabled: read!("disabled", boolean),
        last_used_at: read!("last_used_at", opt_int),
        masked: read!("masked", text),
    }))
}

fn record_dict<'py>(py: Python<'py>, record: &core::KeyRecord) -> PyResult<Bound<'py, PyAny>> {
    from_json(py, &record.to_json())
}

/// `touch_interval` (see [`duration`]); `None` for the default.
fn touch_interval_arg(obj: &Bound<'_, PyAny>) -> PyResult<Option<i64>> {
    if obj.is_none() { Ok(None) } else { duration(obj, "touch_interval").map(Some) }
}

/// `grace` (see [`duration`]).
fn grace_arg(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    duration(obj, "grace")
}

/// The `TypeError` message for `required_scopes` of a wrong type.
const REQUIRED_SCOPES: &str =
    "required_scopes must be a list of scopes (str) and any-of groups (list of str)";

fn required(obj: Option<&Bound<'_, PyAny>>) -> PyResult<core::RequiredScopes> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(core::RequiredScopes::default());
    };
    let mut items = Vec::new();
    if let Ok(s) = obj.cast::<PyString>() {
        items.push(core::ScopeRequirement::Scope(str_ref(s)?.to_owned()));
    } else if let Ok(list) = obj.cast::<PyList>() {
        for item in list.iter() {
            items.push(requirement(&item)?);
        }
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        for item in tuple.iter() {
            items.push(requirement(&item)?);
        }
    } else {
        return Err(PyTypeError::new_err(REQUIRED_SCOPES));
    }
    core::RequiredScopes::new(items).py()
}

/// One required scope (str) or any-of group (list / tuple of str).
fn requirement(item: &Bound<'_, PyAny>) -> PyResult<core::ScopeRequirement> {
    if let Ok(s) = item.cast::<PyString>() {
        return str_ref(s).map(|s| core::ScopeRequirement::Scope(s.to_owned()));
    }
    if item.is_instance_of::<PyList>() || item.is_instance_of::<PyTuple>() {
        return str_list(item, REQUIRED_SCOPES).map(core::ScopeRequirement::AnyOf);
    }
    Err(PyTypeError::new_err(REQUIRED_SCOPES))
}

/// An API key format, built once: issues, parses, hashes, verifies, rolls and revokes keys.
#[pyclass(frozen, module = "tenantry.apikeys")]
pub struct ApiKeys {
    inner: core::ApiKeys,
}

#[pymethods]
impl ApiKeys {
    #[new]
    #[pyo3(signature = (prefix, peppers, *, current_pepper = None, environments = None, known_scopes = None, touch_interval = None))]
    fn new(
        prefix: Text<'_>,
        peppers: &Bound<'_, PyAny>,
        current_pepper: Option<OwnedText>,
        environments: Option<&Bound<'_, PyAny>>,
        known_scopes: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = touch_interval_arg)] touch_interval: Option<i64>,
    ) -> PyResult<Self> {
        let dict = peppers.cast::<PyDict>().map_err(|_| {
            PyTypeError::new_err(format!("peppers must be a dict of id -> bytes, not {}", type_name(peppers)))
        })?;
        let mut list = Vec::with_capacity(dict.len());
        for member in dict_items(dict) {
            let (id, secret) = member?;
            let id = id.cast::<PyString>().map_err(|_| PyTypeError::new_err("pepper ids must be str"))?;
            let id = str_ref(id)?.to_owned();
            let secret: Payload<'_> = secret.extract()?;
            list.push((id, SecretBytes::new(secret.as_bytes().to_vec())));
        }
        let mut config = core::ApiKeysConfig::new(&prefix, list);
        config.current_pepper = current_pepper.map(|t| t.0);
        config.environments = environments.map(|e| strings(e, "environments")).transpose()?;
        config.known_scopes = known_scopes.map(|s| strings(s, "known_scopes")).transpose()?;
        if let Some(t) = touch_interval {
            config.touch_interval = t;
        }
        Ok(ApiKeys { inner: core::ApiKeys::new(config).py()? })
    }

    /// The token prefix.
    #[getter]
    fn prefix(&self) -> &str {
        self.inner.prefix()
    }

    /// The id of the pepper that hashes new keys.
    #[getter]
    fn current_pepper(&self) -> &str {
        self.inner.current_pepper()
    }

    /// Issues a key with fresh CSPRNG randomness.
    #[pyo3(signature = (*, environment = "live", scopes = None, expires_at = None, not_before = None, name = None, now = None))]
    fn generate(
        &self,
        #[pyo3(from_py_with = live_or_none)] environment: &str,
        scopes: Option<&Bound<'_, PyAny>>,
        expires_at: Option<UnixTime>,
        not_before: Option<UnixTime>,
        name: Option<OwnedText>,
        now: Option<UnixTime>,
    ) -> PyResult<IssuedKey> {
        let options = key_options(environment, scopes, expires_at, not_before, name.map(|t| t.0))?;
        Ok(IssuedKey { inner: self.inner.generate(&options, now_or(now)).py()? })
    }

    /// Issues a key from 30 given random bytes (for conformance vectors; real keys use `generate`).
    #[pyo3(signature = (random, *, environment = "live", scopes = None, expires_at = None, not_before = None, name = None, now = None))]
    #[allow(clippy::too_many_arguments)]
    fn generate_with_random(
        &self,
        random: &[u8],
        #[pyo3(from_py_with = live_or_none)] environment: &str,
        scopes: Option<&Bound<'_, PyAny>>,
        expires_at: Option<UnixTime>,
        not_before: Option<UnixTime>,
        name: Option<OwnedText>,
        now: Option<UnixTime>,
    ) -> PyResult<IssuedKey> {
        let options = key_options(environment, scopes, expires_at, not_before, name.map(|t| t.0))?;
        let random = random_bytes(random)?;
        Ok(IssuedKey { inner: self.inner.generate_with_random(&random, &options, now_or(now)).py()? })
    }

    /// Parses a token offline; raises `ApiKeyError` (`apikey.malformed` / `apikey.bad_checksum`).
    fn parse(&self, token: &Bound<'_, PyAny>) -> PyResult<ParsedToken> {
        Ok(ParsedToken { inner: self.inner.parse(&token_text(token)?).py()? })
    }

    /// HMAC-SHA256 of the token keyed with the current pepper (64 hex digits).
    fn hash_token(&self, token: &Bound<'_, PyAny>) -> PyResult<String> {
        Ok(self.inner.hash_token(&token_text(token)?))
    }

    /// Verifies a token against its stored record (None when the lookup found nothing).
    #[pyo3(signature = (token, record, required_scopes = None, *, environment = None, now = None))]
    fn verify(
        &self,
        token: &Bound<'_, PyAny>,
        record: &Bound<'_, PyAny>,
        required_scopes: Option<&Bound<'_, PyAny>>,
        environment: Option<OwnedText>,
        now: Option<UnixTime>,
    ) -> PyResult<Verdict> {
        let options = core::VerifyOptions {
            required_scopes: required(required_scopes)?,
            environment: environment.map(|t| t.0),
        };
        // Only judged: a key id read as U+FFFD matches no key (NOT_FOUND), as in Node.
        let record = if record.is_none() { None } else { Some(record_arg(record, Surrogates::Replaced)?) };
        let verdict = self.inner.verify(&token_text(token)?, record.as_ref(), &options, now_or(now)).py()?;
        Ok(Verdict { inner: verdict })
    }

    /// Rolls a key: a new key with the same scopes, the old record expiring at now + grace (the
    /// record's members only, as `revoke` returns).
    #[pyo3(signature = (record, *, grace, now = None, expires_at = None))]
    fn roll(
        &self,
        record: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = grace_arg)] grace: i64,
        now: Option<UnixTime>,
        expires_at: Option<UnixTime>,
    ) -> PyResult<RolledKey> {
        let record = record_arg(record, Surrogates::Refused)?;
        let rolled = self.inner.roll(&record, grace, now_or(now), expires_at.map(|t| t.0)).py()?;
        Ok(RolledKey { inner: rolled })
    }

    /// `roll` with the new key's 30 random bytes given (for conformance vectors).
    #[pyo3(signature = (random, record, *, grace, now = None, expires_at = None))]
    fn roll_with_random(
        &self,
        random: &[u8],
        record: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = grace_arg)] grace: i64,
        now: Option<UnixTime>,
        expires_at: Option<UnixTime>,
    ) -> PyResult<RolledKey> {
        let random = random_bytes(random)?;
        let record = record_arg(record, Surrogates::Refused)?;
        let rolled = self
            .inner
            .roll_with_random(&random, &record, grace, now_or(now), expires_at.map(|t| t.0))
            .py()?;
        Ok(RolledKey { inner: rolled })
    }

    /// The record, revoked at `now` (an earlier revocation is kept). It holds the record's members
    /// only: a row's own columns given with it are not read, so update the row with it.
    #[pyo3(signature = (record, *, now = None))]
    fn revoke<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'_, PyAny>,
        now: Option<UnixTime>,
    ) -> PyResult<Bound<'py, PyAny>> {
        record_dict(py, &record_arg(record, Surrogates::Refused)?.revoked(now_or(now)))
    }

    /// The regular expression matching exactly the tokens this config issues (unanchored).
    fn secret_scanning_pattern(&self) -> String {
        self.inner.secret_scanning_pattern()
    }

    fn __repr__(&self) -> String {
        format!("ApiKeys(prefix='{}', current_pepper='{}')", self.inner.prefix(), self.inner.current_pepper())
    }
}

fn key_options(
    environment: &str,
    scopes: Option<&Bound<'_, PyAny>>,
    expires_at: Option<UnixTime>,
    not_before: Option<UnixTime>,
    name: Option<String>,
) -> PyResult<core::KeyOptions> {
    Ok(core::KeyOptions {
        environment: environment.to_owned(),
        scopes: scopes
            .filter(|s| !s.is_none())
            .map(|s| strings(s, "scopes"))
            .transpose()?
            .unwrap_or_default(),
        expires_at: expires_at.map(|t| t.0),
        not_before: not_before.map(|t| t.0),
        name,
    })
}

/// A freshly issued key: `.token` (show it once) and `.record` (a dict to store).
#[pyclass(frozen, module = "tenantry.apikeys")]
pub struct IssuedKey {
    inner: core::IssuedKey,
}

#[pymethods]
impl IssuedKey {
    /// The token: show it to its owner once; never log or store it.
    #[getter]
    fn token(&self) -> &str {
        self.inner.token()
    }

    /// The record to store (a new dict on every access).
    #[getter]
    fn record<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        record_dict(py, &self.inner.record)
    }

    fn __repr__(&self) -> String {
        format!("IssuedKey(key_id='{}', masked='{}')", self.inner.record.key_id, self.inner.record.masked)
    }
}

/// The result of `roll`: the new key (`.token`, `.record`) and `.previous`, the old record to store.
#[pyclass(frozen, module = "tenantry.apikeys")]
pub struct RolledKey {
    inner: core::RolledKey,
}

#[pymethods]
impl RolledKey {
    /// The new token: show it to its owner once.
    #[getter]
    fn token(&self) -> &str {
        self.inner.issued.token()
    }

    /// The new key's record to store.
    #[getter]
    fn record<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        record_dict(py, &self.inner.issued.record)
    }

    /// The old record with its new expiry, to store in place of the old one.
    #[getter]
    fn previous<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        record_dict(py, &self.inner.previous)
    }

    fn __repr__(&self) -> String {
        let (new, old) = (&self.inner.issued.record, &self.inner.previous);
        format!(
            "RolledKey(key_id='{}', masked='{}', previous_key_id='{}')",
            new.key_id, new.masked, old.key_id
        )
    }
}

/// The public parts of a token: `.environment` and `.key_id`.
#[pyclass(frozen, eq, module = "tenantry.apikeys")]
#[derive(PartialEq)]
pub struct ParsedToken {
    inner: core::ParsedToken,
}

#[pymethods]
impl ParsedToken {
    /// The environment tag.
    #[getter]
    fn environment(&self) -> &str {
        &self.inner.environment
    }

    /// The public key id (look the record up by it).
    #[getter]
    fn key_id(&self) -> &str {
        &self.inner.key_id
    }

    fn __repr__(&self) -> String {
        format!("ParsedToken(environment='{}', key_id='{}')", self.inner.environment, self.inner.key_id)
    }
}

impl Pickled for ParsedToken {
    fn state(&self) -> PyResult<Value> {
        to_state(&self.inner)
    }
    fn restore(state: Value) -> PyResult<Self> {
        Ok(ParsedToken { inner: from_state(state)? })
    }
}

impl Pickled for Verdict {
    fn state(&self) -> PyResult<Value> {
        to_state(&self.inner)
    }
    fn restore(state: Value) -> PyResult<Self> {
        Ok(Verdict { inner: from_state(state)? })
    }
}

/// The outcome of `verify`: `.valid`, `.code` and the details.
#[pyclass(frozen, eq, module = "tenantry.apikeys")]
#[derive(PartialEq)]
pub struct Verdict {
    inner: core::Verdict,
}

#[pymethods]
impl Verdict {
    /// True exactly when `code == "VALID"`.
    #[getter]
    fn valid(&self) -> bool {
        self.inner.valid
    }

    /// `VALID`, `MALFORMED`, `BAD_CHECKSUM`, `NOT_FOUND`, `REVOKED`, `DISABLED`, `EXPIRED`,
    /// `NOT_YET_VALID`, `ENVIRONMENT_MISMATCH` or `INSUFFICIENT_SCOPE`.
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.code.as_str()
    }

    /// The token's public key id (None for MALFORMED / BAD_CHECKSUM).
    #[getter]
    fn key_id(&self) -> Option<&str> {
        self.inner.key_id.as_deref()
    }

    /// The token's environment (None for MALFORMED / BAD_CHECKSUM).
    #[getter]
    fn environment(&self) -> Option<&str> {
        self.inner.environment.as_deref()
    }

    /// For INSUFFICIENT_SCOPE: the required scopes the key lacks.
    #[getter]
    fn missing_scopes(&self) -> Vec<String> {
        self.inner.missing_scopes.clone()
    }

    /// For a valid key hashed with an older pepper: `{"hash": ..., "pepper_id": ...}` to store.
    #[getter]
    fn rehash<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.inner
            .rehash
            .as_ref()
            .map(|r| {
                let dict = PyDict::new(py);
                dict.set_item("hash", &r.hash)?;
                dict.set_item("pepper_id", &r.pepper_id)?;
                Ok(dict)
            })
            .transpose()
    }

    /// For a valid key: True when the caller should record `last_used_at = now`.
    #[getter]
    fn touch(&self) -> bool {
        self.inner.touch
    }

    /// The verdict as a dict (the JSON form used by the conformance vectors).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        from_json(py, &serde_json::to_value(&self.inner).unwrap_or(Value::Null))
    }

    /// Whether the key verified (`valid`), as `Decision`, `RateDecision` and `ChainReport` read:
    /// `if keys.verify(...)` reads naturally, and an object that was always true let a revoked or
    /// malformed key through.
    fn __bool__(&self) -> bool {
        self.inner.valid
    }

    fn __repr__(&self) -> String {
        format!(
            "Verdict(valid={}, code='{}', key_id={})",
            if self.inner.valid { "True" } else { "False" },
            self.inner.code.as_str(),
            self.inner.key_id.as_deref().map_or_else(|| "None".to_owned(), |k| format!("'{k}'"))
        )
    }
}

/// Registers this module's classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ApiKeys>()?;
    m.add_class::<IssuedKey>()?;
    m.add_class::<RolledKey>()?;
    m.add_class::<ParsedToken>()?;
    m.add_class::<Verdict>()?;
    Ok(())
}
