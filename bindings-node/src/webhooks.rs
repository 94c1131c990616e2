//! `Webhook`, `generateSecret`, `generateKeypair`: Standard Webhooks signing and verification.
//!
//! `verify` and `sign` run on every webhook request, so both are raw N-API functions that
//! `js/webhooks.js` installs as the methods (see `verify_hot` and `sign_hot`), their arguments
//! read with the raw helpers of `convert` instead of napi-rs's generic conversions.

use std::sync::Arc;

use napi::bindgen_prelude::*;
use tenantry::webhooks as core;

use crate::convert::{
    Js, Kind, RawCallback, header_values, js_text_ascii, new_handle, payload_arg, raw_callback,
    raw_functions, seconds_arg, string_arg, time_arg, type_error,
};
use crate::errors::IntoJsResult;

/// The three Standard Webhooks headers from `req.headers` (a plain object whose values are strings
/// or arrays of strings), or from anything with a `get(name)` method such as fetch's `Headers`.
///
/// Core's rule picks them ([`core::StandardHeaders`]), every instance of a repeated header (the
/// items of an array value) offered: `exact` holds the values under its exact lowercase names, as
/// `js/webhooks.js` read them (where property loads are inline-cached); the other keys are read
/// only when that could still change the answer.
fn read_headers(headers: Js<'_>, exact: &[Js<'_>]) -> Result<core::StandardHeaders<String>> {
    if headers.kind()? != Kind::Object {
        return Err(headers_type_error(headers));
    }
    let mut found = core::StandardHeaders::new();
    let mut any_exact = false;
    for (name, value) in core::StandardHeaders::<String>::EXACT_NAMES.iter().zip(exact) {
        if found.wants(name) {
            any_exact |= offer(&mut found, name, *value)?;
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
    if get.kind()? == Kind::Other("function") && !any_exact {
        // fetch's `Headers` (and `Map`): `get` is the lookup (case-insensitive for `Headers`,
        // which joins a repeated header's values with ", ").
        for name in core::StandardHeaders::<String>::EXACT_NAMES {
            if found.wants(name) {
                offer(&mut found, name, headers.call_method(get, name)?)?;
            }
        }
        return Ok(found);
    }
    for key in headers.keys()? {
        let name = key.string()?;
        if found.wants_other_spelling(&name) {
            offer(&mut found, &name, headers.get_by(key)?)?;
        }
    }
    Ok(found)
}

/// Offers every instance of one header's value; whether there was any.
fn offer(found: &mut core::StandardHeaders<String>, name: &str, value: Js<'_>) -> Result<bool> {
    let mut any = false;
    header_values(value, name, |text| {
        any = true;
        match text {
            Some(text) => found.offer(name, text),
            None => found.offer_unreadable(name),
        };
    })?;
    Ok(any)
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
                    let item = item?;
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

    /// The handle `js/webhooks.js` passes to the `verify` and `sign` hot paths (made once per object).
    #[napi(js_name = "_handle", catch_unwind)]
    pub fn handle<'a>(&self, env: Env) -> Result<Unknown<'a>> {
        new_handle(&env, Arc::clone(&self.inner), &WEBHOOK_TAG)
    }
}

static WEBHOOK_TAG: sys::napi_type_tag =
    sys::napi_type_tag { lower: 0x7465_6e61_6e74_7279, upper: 0x7765_6268_6f6f_6b01 };

/// `Webhook.verify`, from `js/webhooks.js`: `(handle, payload, headers, options, tolerance, now,
/// then the values under the six exact header names)`, `tolerance` and `now` being the options'
/// members as JavaScript read them. Throws `WebhookVerificationError` on failure.
fn verify_hot(env: &Env, args: &[Js<'_>; 12]) -> Result<sys::napi_value> {
    let [handle, payload, headers, options, tolerance, now, exact @ ..] = *args;
    let webhook = unsafe { handle.handle::<core::Webhook>(&WEBHOOK_TAG, "Webhook") }?;
    // Headers and options first: reading them may run JavaScript (getters), which must not
    // happen while the payload's bytes are borrowed.
    let found = read_headers(headers, &exact)?;
    let (mut tolerance_, mut now_) = (None, None);
    match options.kind()? {
        Kind::Nullish => {}
        Kind::Object => {
            tolerance_ = seconds_arg(env, tolerance, "options.tolerance")?;
            now_ = time_arg(env, now, "options.now")?;
        }
        _ => {
            return Err(type_error(format!(
                "options must be an object like {{ tolerance, now }}, not {}",
                options.type_name()
            )));
        }
    }
    let payload = payload_arg(payload)?;
    webhook
        .verify_headers(
            payload.as_bytes(),
            &found,
            tolerance_.unwrap_or(core::DEFAULT_TOLERANCE_SECS),
            now_.unwrap_or_else(core::unix_now),
        )
        .js(env)?;
    Ok(std::ptr::null_mut())
}

raw_callback!(verify_callback => verify_hot);

/// `Webhook.sign`, from `js/webhooks.js`: `(handle, msgId, payload, timestamp, out)`. Returns the
/// values of `webhook-timestamp` and `webhook-signature` as one string, and writes the end of the
/// first into `out[0]` (a `Float64Array`). `webhook-id`'s value is the `msgId` string itself (the
/// core signs the message id as given and sends it unchanged), which JavaScript already holds.
fn sign_hot(env: &Env, args: &[Js<'_>; 5]) -> Result<sys::napi_value> {
    let [handle, msg_id, payload, timestamp, out] = *args;
    let webhook = unsafe { handle.handle::<core::Webhook>(&WEBHOOK_TAG, "Webhook") }?;
    // Well-formed: `webhook-id`'s value is the caller's string itself, so it must be what is signed.
    let msg_id = string_arg(msg_id, "msgId")?;
    let ts = time_arg(env, timestamp, "timestamp")?.unwrap_or_else(core::unix_now);
    let payload = payload_arg(payload)?;
    let signed = webhook.sign(&msg_id, ts, payload.as_bytes()).js(env)?;
    let text = [signed.timestamp.as_str(), signed.signature.as_str()].concat();
    let Some(end) = Js::float64_out(out, "out")?.first_mut() else {
        return Err(type_error("out must hold a number".to_owned()));
    };
    // Exact: a timestamp has at most 18 digits (ASCII, so its UTF-16 length is its byte length).
    *end = signed.timestamp.len() as f64;
    // Digits and base64 entries: ASCII, made as one-byte text (checked, not assumed).
    js_text_ascii(env, &text, text.is_ascii())
}

raw_callback!(sign_callback => sign_hot);

/// The raw N-API functions of `js/webhooks.js` and the exact header names it reads.
#[napi(js_name = "_webhooksHotPaths", catch_unwind)]
pub fn webhooks_hot_paths<'a>(env: Env) -> Result<Object<'a>> {
    let fns: [(&str, RawCallback); 2] = [("verify", verify_callback), ("sign", sign_callback)];
    let mut obj = raw_functions(&env, &fns)?;
    obj.set_named_property("exactNames", core::StandardHeaders::<String>::EXACT_NAMES.to_vec())?;
    // The names of the signed headers, in the order `sign` returns them.
    obj.set_named_property("signedNames", core::SignedHeaders::NAMES.to_vec())?;
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
