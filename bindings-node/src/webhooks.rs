//! `Webhook`, `generateSecret`, `generateKeypair`: Standard Webhooks signing and verification.
//!
//! `verify` and `sign` run on every webhook request, so their arguments are read with the raw
//! helpers of `convert` (see there) instead of napi-rs's generic conversions.

use std::ffi::CString;
use std::sync::{Arc, LazyLock};

use napi::bindgen_prelude::*;
use tenantry::webhooks as core;

use crate::convert::{
    Js, Kind, RawCallback, header_value, new_handle, payload_arg, raw_callback, raw_functions, seconds_arg,
    string_arg, time_arg, type_error,
};
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
    read_headers_with(headers, |_, cname| headers.get(cname))
}

/// [`read_headers`] where `exact(i, name)` gives the value of the `i`-th exact name (the hot path
/// passes the values `js/webhooks.js` read, where property loads are inline-cached).
fn read_headers_with<'a>(
    headers: Js<'a>,
    exact: impl Fn(usize, &CString) -> Result<Js<'a>>,
) -> Result<core::StandardHeaders<String>> {
    if headers.kind()? != Kind::Object {
        return Err(headers_type_error(headers));
    }
    let mut found = core::StandardHeaders::new();
    for (i, (name, cname)) in EXACT_NAMES.iter().enumerate() {
        if found.wants(name)
            && let Some(value) = header_value(exact(i, cname)?, name)?
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
    inner: Arc<core::Webhook>,
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
        Ok(Webhook { inner: Arc::new(inner) })
    }

    /// The handle `js/webhooks.js` passes to the `verify` hot path (made once per object).
    #[napi(js_name = "_handle", catch_unwind)]
    pub fn handle<'a>(&self, env: Env) -> Result<Unknown<'a>> {
        new_handle(&env, Arc::clone(&self.inner), &WEBHOOK_TAG)
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
    /// (`js/webhooks.js` calls the hot path instead; this is its general form.)
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
        let options = options.map(|o| Js::new(&env, o));
        let (tolerance, now) = match options {
            Some(o) if o.kind()? == Kind::Object => (Some(o.get(c"tolerance")?), Some(o.get(c"now")?)),
            _ => (None, None),
        };
        verify_found(&env, &self.inner, found, Js::new(&env, payload), options, tolerance, now)
    }
}

/// Verifies `payload` against the headers found, with the options' `tolerance` and `now` values
/// (already read: reading them may run JavaScript, which must not happen once the payload's bytes
/// are borrowed).
fn verify_found(
    env: &Env,
    webhook: &core::Webhook,
    found: core::StandardHeaders<String>,
    payload: Js<'_>,
    options: Option<Js<'_>>,
    tolerance: Option<Js<'_>>,
    now: Option<Js<'_>>,
) -> Result<()> {
    let (mut tolerance_, mut now_) = (None, None);
    match options.map(Js::kind).transpose()? {
        None | Some(Kind::Nullish) => {}
        Some(Kind::Object) => {
            tolerance_ = tolerance.map(|t| seconds_arg(env, t, "options.tolerance")).transpose()?.flatten();
            now_ = now.map(|n| time_arg(env, n, "options.now")).transpose()?.flatten();
        }
        Some(_) => {
            return Err(type_error(format!(
                "options must be an object like {{ tolerance, now }}, not {}",
                options.map_or_else(|| "undefined".to_owned(), |o| o.type_name())
            )));
        }
    }
    let payload = payload_arg(payload)?;
    let [id, ts, sig] = found.into_values().js(env)?;
    webhook
        .verify_parts(
            payload.as_bytes(),
            &id,
            &ts,
            &sig,
            tolerance_.unwrap_or(core::DEFAULT_TOLERANCE_SECS),
            now_.unwrap_or_else(core::unix_now),
        )
        .js(env)
}

static WEBHOOK_TAG: sys::napi_type_tag =
    sys::napi_type_tag { lower: 0x7465_6e61_6e74_7279, upper: 0x7765_6268_6f6f_6b01 };

/// `verify` from `js/webhooks.js`: [handle, payload, headers, options, tolerance, now, then the
/// values of the six exact header names as JavaScript read them].
fn verify_hot(env: &Env, args: &[Js<'_>; 12]) -> Result<sys::napi_value> {
    let [handle, payload, headers, options, tolerance, now, exact @ ..] = *args;
    let webhook = unsafe { handle.handle::<core::Webhook>(&WEBHOOK_TAG, "Webhook") }?;
    let found = read_headers_with(headers, |i, _| {
        exact.get(i).copied().ok_or_else(|| type_error("missing header value".to_owned()))
    })?;
    verify_found(env, webhook, found, payload, Some(options), Some(tolerance), Some(now))?;
    Ok(std::ptr::null_mut())
}

raw_callback!(verify_callback => verify_hot);

/// The raw N-API functions of `js/webhooks.js` and the exact header names it reads.
#[napi(js_name = "_webhooksHotPaths", catch_unwind)]
pub fn webhooks_hot_paths<'a>(env: Env) -> Result<Object<'a>> {
    let fns: [(&str, RawCallback); 1] = [("verify", verify_callback)];
    let mut obj = raw_functions(&env, &fns)?;
    obj.set_named_property("exactNames", core::StandardHeaders::<String>::EXACT_NAMES.to_vec())?;
    Ok(obj)
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
