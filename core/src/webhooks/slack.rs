//! Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{timestamp}:{body}">` with the
//! timestamp in `X-Slack-Request-Timestamp`.
//!
//! The HMAC key is the app's signing secret as text. Slack asks receivers to reject requests
//! more than five minutes old; tenantry also rejects those more than five minutes in the future.
//!
//! ```
//! use tenantry::webhooks::slack;
//! let signature = slack::sign(b"token=abc", "8f742231b10e8888abcd99yyyzzz85a5", 1_531_420_618)?;
//! slack::verify(b"token=abc", "1531420618", &signature, "8f742231b10e8888abcd99yyyzzz85a5", 300, 1_531_420_700)?;
//! # Ok::<(), tenantry::Error>(())
//! ```

use super::text_secret::{any_matches, mac, mac_hex, malformed, no_match, require_header, require_timestamp};
use super::timestamp::check_tolerance;
use crate::Result;

/// The header Slack sends the signature in.
///
/// ```
/// assert_eq!(tenantry::webhooks::slack::SIGNATURE_HEADER, "X-Slack-Signature");
/// ```
pub const SIGNATURE_HEADER: &str = "X-Slack-Signature";
/// The header Slack sends the request timestamp in.
///
/// ```
/// assert_eq!(tenantry::webhooks::slack::TIMESTAMP_HEADER, "X-Slack-Request-Timestamp");
/// ```
pub const TIMESTAMP_HEADER: &str = "X-Slack-Request-Timestamp";
const PREFIX: &str = "v0=";

/// Signs `payload` as sent at `timestamp`; returns the `X-Slack-Signature` value (send the
/// timestamp as `X-Slack-Request-Timestamp`).
///
/// ```
/// let signature = tenantry::webhooks::slack::sign(b"{}", "secret", 1_700_000_000)?;
/// assert!(signature.starts_with("v0="));
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn sign(payload: &[u8], secret: &str, timestamp: i64) -> Result<String> {
    crate::time_range::check_secs(timestamp)?;
    let ts = timestamp.to_string();
    Ok(format!("{PREFIX}{}", mac_hex(secret, &[b"v0:", ts.as_bytes(), b":", payload])?))
}

/// Verifies a Slack request from its two headers.
///
/// Checks, in order: the timestamp header is present (`webhook.missing_header`) and is Unix
/// seconds (`webhook.invalid_timestamp`) within `tolerance` seconds of `now` either way
/// (`webhook.timestamp_too_old` / `_too_new`); the signature header is present
/// (`webhook.missing_header`) and is `v0=` followed by 64 hex digits
/// (`webhook.invalid_signature_header`); the signature matches (`webhook.no_matching_signature`).
///
/// ```
/// use tenantry::webhooks::slack;
/// let err = slack::verify(b"{}", "", "v0=00", "secret", 300, 0).unwrap_err();
/// assert_eq!(err.code(), "webhook.missing_header");
/// ```
pub fn verify(
    payload: &[u8],
    timestamp_header: &str,
    signature_header: &str,
    secret: &str,
    tolerance: i64,
    now: i64,
) -> Result<()> {
    let ts = require_timestamp(timestamp_header, TIMESTAMP_HEADER)?;
    check_tolerance(ts, now, tolerance)?;
    let header = require_header(signature_header, SIGNATURE_HEADER)?;
    let expected = header
        .strip_prefix(PREFIX)
        .and_then(crate::hex::decode::<32>)
        .ok_or_else(|| malformed(SIGNATURE_HEADER, "v0= followed by 64 hex digits"))?;
    // Slack signs the timestamp header text as sent; it is all digits here, so sign it as given.
    let ts_text = timestamp_header.trim();
    let computed = [mac(secret, &[b"v0:", ts_text.as_bytes(), b":", payload])?];
    if any_matches(&computed, &expected) { Ok(()) } else { Err(no_match(SIGNATURE_HEADER)) }
}
