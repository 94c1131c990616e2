//! `Webhook`, `generateSecret`, `generateKeypair`: Standard Webhooks signing and verification.

use std::collections::HashMap;

use napi::bindgen_prelude::*;
use tenantry::webhooks as core;

use crate::convert::{HeaderValue, Payload, Time, header_pairs, payload_bytes, unix_seconds};
use crate::errors::IntoJsResult;

fn now_or(env: &Env, now: Option<Time>) -> Result<i64> {
    now.map_or_else(|| Ok(core::unix_now()), |t| unix_seconds(env, &t))
}

/// Options of `Webhook.verify`.
#[napi(object)]
pub struct VerifyOptions {
    /// Allowed clock difference in seconds, both directions (default 300).
    pub tolerance: Option<i64>,
    /// The time to check against (default: now).
    pub now: Option<Time>,
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
    pub fn new(env: Env, secret: Either<String, Vec<String>>) -> Result<Self> {
        let inner = match secret {
            Either::A(key) => core::Webhook::new(&key),
            Either::B(keys) => core::Webhook::with_keys(keys),
        }
        .js(&env)?;
        Ok(Webhook { inner })
    }

    /// Signs a payload; returns the three `webhook-*` headers.
    #[napi(catch_unwind)]
    pub fn sign(
        &self,
        env: Env,
        msg_id: String,
        payload: Payload,
        timestamp: Option<Time>,
    ) -> Result<HashMap<&'static str, String>> {
        let ts = now_or(&env, timestamp)?;
        let signed = self.inner.sign(&msg_id, ts, payload_bytes(&payload)).js(&env)?;
        Ok(HashMap::from([
            ("webhook-id", signed.id),
            ("webhook-timestamp", signed.timestamp),
            ("webhook-signature", signed.signature),
        ]))
    }

    /// Verifies a payload against its headers; throws `WebhookVerificationError` on failure.
    #[napi(catch_unwind)]
    pub fn verify(
        &self,
        env: Env,
        payload: Payload,
        headers: HashMap<String, HeaderValue>,
        options: Option<VerifyOptions>,
    ) -> Result<()> {
        let (tolerance, now) = match options {
            Some(o) => (o.tolerance, o.now),
            None => (None, None),
        };
        let now = now_or(&env, now)?;
        let tolerance = tolerance.unwrap_or(core::DEFAULT_TOLERANCE_SECS);
        self.inner.verify(payload_bytes(&payload), header_pairs(headers), tolerance, now).js(&env)
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
