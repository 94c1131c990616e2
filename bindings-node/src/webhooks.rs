//! `Webhook`, `generateSecret`, `generateKeypair`: Standard Webhooks signing and verification.
//!
//! `verify` and `sign` run on every webhook request, so their arguments are read with the raw
//! helpers of `convert` (see there) instead of napi-rs's generic conversions.

use std::ffi::CString;
use std::sync::LazyLock;

use napi::bindgen_prelude::*;
use tenantry::webhooks as core;

use crate::convert::{Js, Kind, header_value, payload_arg, seconds_arg, string_arg, time_arg, type_error};
use crate::errors::{IntoJsResult, to_js};

/// The header names looked up directly, as C strings for `napi_get_named_property`.
static EXACT_NAMES: LazyLock<Vec<(&'static str, CString)>> = LazyLock::new(|| {
    core::StandardHeaders::<String>::EXACT_NAMES
        .iter()
        .filter_map(|name| CString::new(*name).ok().map(|c| (*name, c)))
        .collect()
});

/// The three Standard Webhooks headers from `req.headers` (a plain object whose values are strings
/// or arrays of strings), or from anything with a `get(name)` method such as fetch's `Headers`.
///
/// Core's rule picks them ([`core::StandardHeaders`]); the exact lowercase names are looked up
/// first, and the other keys are scanned only when that could still change the answer.
fn read_headers(headers: Js<'_>) -> Result<core::StandardHeaders<String>> {
    if headers.kind()? != Kind::Object {
        return Err(headers_type_error(headers));
    }
    let mut found = core::StandardHeaders::new();
    for (name, cname) in EXACT_NAMES.iter() {
        if found.wants(name)
            && let Some(value) = header_value(headers.get(cname)?, name)?
        {
            found.offer(name, value);
        }
    }
    if found.is_settled() {
        return Ok(found);
    }
    // Off the fast path: an array or binary buffer is not a header map.
    if headers.is_list_like()? {
        return Err(headers_type_error(headers));
    }
    let get = headers.get(c"get")?;
    if get.kind()? == Kind::Other("function") {
        // fetch's `Headers` (and `Map`): `get` is the lookup (case-insensitive for `Headers`).
        for (name, _) in EXACT_NAMES.iter() {
            if found.wants(name)
                && let Some(value) = header_value(headers.call_method(get, name)?, name)?
            {
                found.offer(name, value);
            }
        }
        return Ok(found);
    }
    for key in headers.keys()? {
        let name = key.string()?;
        if found.wants(&name)
            && let Some(value) = header_value(headers.get_by(key)?, &name)?
        {
            found.offer(&name, value);
        }
    }
    Ok(found)
}

fn headers_type_error(headers: Js<'_>) -> napi::Error {
    type_error(format!(
        "headers must be an object of header names to values (like req.headers) or a Headers, not {}",
        headers.type_name()
    ))
}

/// A Standard Webhooks signer/verifier over one key or a list of keys (rotation).
#[napi]
pub struct Webhook {
    inner: core::Webhook,
}

#[napi]
impl Webhook {
    /// Builds from a `whsec_`/`whsk_`/`whpk_` key or a list of them.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, secret: Unknown<'_>) -> Result<Self> {
        let secret = Js::new(&env, secret);
        let inner = match secret.kind()? {
            Kind::String => core::Webhook::new(&secret.string()?),
            Kind::Object if secret.is_array()? => {
                let mut keys = Vec::new();
                for item in secret.elements()? {
                    if item.kind()? != Kind::String {
                        return Err(type_error(format!("secrets must be strings, not {}", item.type_name())));
                    }
                    keys.push(item.string()?);
                }
                core::Webhook::with_keys(keys)
            }
            _ => {
                return Err(type_error(format!(
                    "secret must be a string or an array of strings, not {}",
                    secret.type_name()
                )));
            }
        }
        .js(&env)?;
        Ok(Webhook { inner })
    }

    /// Signs a payload; returns the three `webhook-*` headers.
    #[napi(catch_unwind, ts_return_type = "SignedHeaders")]
    pub fn sign<'env>(
        &self,
        env: &'env Env,
        msg_id: Unknown<'env>,
        payload: Unknown<'env>,
        timestamp: Option<Unknown<'env>>,
    ) -> Result<Object<'env>> {
        let msg_id = string_arg(Js::new(env, msg_id), "msgId")?;
        let timestamp = match timestamp {
            Some(t) => time_arg(env, Js::new(env, t), "timestamp")?,
            None => None,
        };
        let ts = timestamp.unwrap_or_else(core::unix_now);
        let payload = payload_arg(Js::new(env, payload))?;
        let signed = self.inner.sign(&msg_id, ts, payload.as_bytes()).map_err(|e| to_js(env, e))?;
        let mut out = Object::new(env)?;
        for (name, value) in signed.pairs() {
            out.set_named_property(name, value)?;
        }
        Ok(out)
    }

    /// Verifies a payload against its headers; throws `WebhookVerificationError` on failure.
    #[napi(catch_unwind)]
    pub fn verify(
        &self,
        env: Env,
        payload: Unknown<'_>,
        headers: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> Result<()> {
        // Headers and options first: reading them may run JavaScript (getters), which must not
        // happen while the payload's bytes are borrowed.
        let found = read_headers(Js::new(&env, headers))?;
        let (mut tolerance, mut now) = (None, None);
        if let Some(options) = options.map(|o| Js::new(&env, o)) {
            match options.kind()? {
                Kind::Nullish => {}
                Kind::Object => {
                    tolerance = seconds_arg(&env, options.get(c"tolerance")?, "options.tolerance")?;
                    now = time_arg(&env, options.get(c"now")?, "options.now")?;
                }
                _ => {
                    return Err(type_error(format!(
                        "options must be an object like {{ tolerance, now }}, not {}",
                        options.type_name()
                    )));
                }
            }
        }
        let payload = payload_arg(Js::new(&env, payload))?;
        let [id, ts, sig] = found.into_values().js(&env)?;
        self.inner
            .verify_parts(
                payload.as_bytes(),
                &id,
                &ts,
                &sig,
                tolerance.unwrap_or(core::DEFAULT_TOLERANCE_SECS),
                now.unwrap_or_else(core::unix_now),
            )
            .js(&env)
    }
}

/// A new `whsec_` secret (32 random bytes).
#[napi(js_name = "generateSecret", catch_unwind)]
pub fn generate_secret(env: Env) -> Result<String> {
    core::generate_secret().js(&env)
}

/// A new ed25519 key pair `[whsk_…, whpk_…]` for `v1a` signatures.
#[napi(js_name = "generateKeypair", catch_unwind)]
pub fn generate_keypair(env: Env) -> Result<Vec<String>> {
    let (secret, public) = core::generate_keypair().js(&env)?;
    Ok(vec![secret, public])
}
