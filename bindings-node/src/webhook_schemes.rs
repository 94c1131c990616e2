//! `stripe`, `github`, `slack`: namespaces of `sign` / `verify` for the schemes users receive or emit.

use napi::bindgen_prelude::*;
use tenantry::webhooks as core;

use crate::convert::{Payload, StringArg, Text, Time, payload_bytes, unix_seconds, whole};
use crate::errors::IntoJsResult;

fn seconds_or_now(env: &Env, time: Option<Time>) -> Result<i64> {
    time.map_or_else(|| Ok(core::unix_now()), |t| unix_seconds(env, &t))
}

/// A header as received: `null`/`undefined` (absent) reads as empty, which core reports as missing.
/// One holding a lone surrogate is `input.invalid`, as in Python (see [`Text`]), not a U+FFFD that
/// fails to verify for another reason.
fn header(value: &Option<Text>) -> &str {
    value.as_deref().unwrap_or("")
}

/// Options of `stripe.verify` and `slack.verify`. Fields are `Option<Option<_>>` so that both
/// `undefined` and `null` read as "not given" (napi reads a present `null` into the inner option).
#[napi(object)]
pub struct TimedVerifyOptions {
    /// Allowed clock difference in seconds, both directions (default 300).
    pub tolerance: Option<Option<f64>>,
    /// The time to check against (default: now).
    pub now: Option<Option<Time>>,
}

fn window(env: &Env, options: Option<TimedVerifyOptions>) -> Result<(i64, i64)> {
    let (tolerance, now) = options.map_or((None, None), |o| (o.tolerance.flatten(), o.now.flatten()));
    let tolerance =
        tolerance.map_or(Ok(core::DEFAULT_TOLERANCE_SECS), |t| whole(env, t, "options.tolerance"))?;
    Ok((tolerance, seconds_or_now(env, now)?))
}

/// Signs `payload` for Stripe; returns the `Stripe-Signature` header value.
#[napi(namespace = "stripe", js_name = "sign", catch_unwind)]
pub fn stripe_sign(env: Env, payload: Payload, secret: StringArg, timestamp: Option<Time>) -> Result<String> {
    let ts = seconds_or_now(&env, timestamp)?;
    core::stripe::sign(payload_bytes(&payload), &secret, ts).js(&env)
}

/// Verifies a `Stripe-Signature` header; throws `WebhookVerificationError` on failure.
#[napi(namespace = "stripe", js_name = "verify", catch_unwind)]
pub fn stripe_verify(
    env: Env,
    payload: Payload,
    header: Option<Text>,
    secret: StringArg,
    options: Option<TimedVerifyOptions>,
) -> Result<()> {
    let (tolerance, now) = window(&env, options)?;
    core::stripe::verify(payload_bytes(&payload), self::header(&header), &secret, tolerance, now).js(&env)
}

/// Signs `payload` for GitHub; returns the `X-Hub-Signature-256` header value.
#[napi(namespace = "github", js_name = "sign", catch_unwind)]
pub fn github_sign(env: Env, payload: Payload, secret: StringArg) -> Result<String> {
    core::github::sign(payload_bytes(&payload), &secret).js(&env)
}

/// Verifies an `X-Hub-Signature-256` header against a secret or a list of secrets (rotation).
#[napi(namespace = "github", js_name = "verify", catch_unwind)]
pub fn github_verify(
    env: Env,
    payload: Payload,
    signature_header: Option<Text>,
    secret_or_secrets: Either<StringArg, Vec<StringArg>>,
) -> Result<()> {
    let secrets = match secret_or_secrets {
        Either::A(secret) => vec![secret.into_string()],
        Either::B(secrets) => secrets.into_iter().map(StringArg::into_string).collect(),
    };
    core::github::verify(payload_bytes(&payload), header(&signature_header), &secrets).js(&env)
}

/// Signs `payload` for Slack; returns the `X-Slack-Signature` header value.
#[napi(namespace = "slack", js_name = "sign", catch_unwind)]
pub fn slack_sign(env: Env, payload: Payload, secret: StringArg, timestamp: Option<Time>) -> Result<String> {
    let ts = seconds_or_now(&env, timestamp)?;
    core::slack::sign(payload_bytes(&payload), &secret, ts).js(&env)
}

/// Verifies a Slack request from its two headers; throws `WebhookVerificationError` on failure.
#[napi(namespace = "slack", js_name = "verify", catch_unwind)]
pub fn slack_verify(
    env: Env,
    payload: Payload,
    timestamp_header: Option<Text>,
    signature_header: Option<Text>,
    secret: StringArg,
    options: Option<TimedVerifyOptions>,
) -> Result<()> {
    let (tolerance, now) = window(&env, options)?;
    core::slack::verify(
        payload_bytes(&payload),
        header(&timestamp_header),
        header(&signature_header),
        &secret,
        tolerance,
        now,
    )
    .js(&env)
}
