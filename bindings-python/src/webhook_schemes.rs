//! `tenantry.webhooks.stripe`, `.github`, `.slack`: the signature schemes users receive or emit.
//!
//! Exposed from `_native` as `stripe_sign`, `stripe_verify`, … and re-exported under their short
//! names by the Python modules `tenantry/webhooks/{stripe,github,slack}.py`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use tenantry::webhooks as core;

use crate::convert::{Payload, Text, UnixTime, str_list, str_ref, tolerance_or_none};
use crate::errors::IntoPyResult;

fn now_or(time: Option<UnixTime>) -> i64 {
    time.map_or_else(core::unix_now, |t| t.0)
}

/// A header as received: `None` (absent) reads as empty, which the core reports as missing.
fn header<'a>(value: &'a Option<Text<'_>>) -> &'a str {
    value.as_deref().unwrap_or("")
}

/// Signs `payload` for Stripe; returns the `Stripe-Signature` header value.
#[pyfunction]
#[pyo3(signature = (payload, secret, timestamp = None))]
pub fn stripe_sign(payload: Payload<'_>, secret: Text<'_>, timestamp: Option<UnixTime>) -> PyResult<String> {
    core::stripe::sign(payload.as_bytes(), &secret, now_or(timestamp)).py()
}

/// Verifies a `Stripe-Signature` header; raises `WebhookVerificationError` on failure.
#[pyfunction]
#[pyo3(signature = (payload, header, secret, *, tolerance = 300, now = None))]
pub fn stripe_verify(
    payload: Payload<'_>,
    header: Option<Text<'_>>,
    secret: Text<'_>,
    #[pyo3(from_py_with = tolerance_or_none)] tolerance: i64,
    now: Option<UnixTime>,
) -> PyResult<()> {
    core::stripe::verify(payload.as_bytes(), self::header(&header), &secret, tolerance, now_or(now)).py()
}

/// Signs `payload` for GitHub; returns the `X-Hub-Signature-256` header value.
#[pyfunction]
pub fn github_sign(payload: Payload<'_>, secret: Text<'_>) -> PyResult<String> {
    core::github::sign(payload.as_bytes(), &secret).py()
}

/// Verifies an `X-Hub-Signature-256` header against a secret or a list of secrets (rotation).
#[pyfunction]
pub fn github_verify(
    payload: Payload<'_>,
    signature_header: Option<Text<'_>>,
    secret_or_secrets: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let secrets: Vec<String> = if let Ok(s) = secret_or_secrets.cast::<PyString>() {
        vec![str_ref(s)?.to_owned()]
    } else if crate::convert::is_sequence(secret_or_secrets)? {
        str_list(secret_or_secrets, "secrets must be a list of str")?
    } else {
        return Err(PyTypeError::new_err(format!(
            "secret_or_secrets must be a str or a list of str, not {}",
            secret_or_secrets.get_type().name()?
        )));
    };
    core::github::verify(payload.as_bytes(), header(&signature_header), &secrets).py()
}

/// Signs `payload` for Slack; returns the `X-Slack-Signature` header value.
#[pyfunction]
#[pyo3(signature = (payload, secret, timestamp = None))]
pub fn slack_sign(payload: Payload<'_>, secret: Text<'_>, timestamp: Option<UnixTime>) -> PyResult<String> {
    core::slack::sign(payload.as_bytes(), &secret, now_or(timestamp)).py()
}

/// Verifies a Slack request from its two headers; raises `WebhookVerificationError` on failure.
#[pyfunction]
#[pyo3(signature = (
    payload, timestamp_header, signature_header, secret, *,
    tolerance = 300, now = None
))]
pub fn slack_verify(
    payload: Payload<'_>,
    timestamp_header: Option<Text<'_>>,
    signature_header: Option<Text<'_>>,
    secret: Text<'_>,
    #[pyo3(from_py_with = tolerance_or_none)] tolerance: i64,
    now: Option<UnixTime>,
) -> PyResult<()> {
    core::slack::verify(
        payload.as_bytes(),
        header(&timestamp_header),
        header(&signature_header),
        &secret,
        tolerance,
        now_or(now),
    )
    .py()
}

/// Registers this module's functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(stripe_sign, m)?)?;
    m.add_function(wrap_pyfunction!(stripe_verify, m)?)?;
    m.add_function(wrap_pyfunction!(github_sign, m)?)?;
    m.add_function(wrap_pyfunction!(github_verify, m)?)?;
    m.add_function(wrap_pyfunction!(slack_sign, m)?)?;
    m.add_function(wrap_pyfunction!(slack_verify, m)?)?;
    Ok(())
}
