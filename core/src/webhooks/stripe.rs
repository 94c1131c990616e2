//! Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{payload}">`.
//!
//! The HMAC key is the endpoint secret's UTF-8 bytes exactly as Stripe shows it (`whsec_…`,
//! not base64-decoded). A header may carry several `v1=` entries (Stripe sends one per active
//! secret while a secret is rolled); `v0=` and unknown schemes are ignored. A header sent several
//! times and joined with `", "` (as Node's `http` module and fetch's `Headers` deliver it) reads
//! the same way: every `v1=` entry counts, and its `t=` elements must all be the same timestamp. Unlike
//! stripe-python, which only rejects old timestamps, the tolerance is checked in both directions.
//!
//! ```
//! use tenantry::webhooks::stripe;
//! let header = stripe::sign(br#"{"id":"evt_1"}"#, "whsec_test", 1_700_000_000)?;
//! stripe::verify(br#"{"id":"evt_1"}"#, &header, "whsec_test", 300, 1_700_000_100)?;
//! # Ok::<(), tenantry::Error>(())
//! ```

use super::text_secret::{any_matches, mac, mac_hex, malformed, no_match, require_header};
use super::timestamp::{check_tolerance, parse_timestamp};
use crate::Result;

/// The header Stripe sends the signature in.
///
/// ```
/// assert_eq!(tenantry::webhooks::stripe::HEADER, "Stripe-Signature");
/// ```
pub const HEADER: &str = "Stripe-Signature";

/// Signs `payload` as sent at `timestamp` (Unix seconds); returns the `Stripe-Signature` value.
///
/// ```
/// let header = tenantry::webhooks::stripe::sign(b"{}", "whsec_test", 1_700_000_000)?;
/// assert_eq!(header, "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91");
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn sign(payload: &[u8], secret: &str, timestamp: i64) -> Result<String> {
    crate::time_range::check_secs(timestamp)?;
    let t = timestamp.to_string();
    let signature = mac_hex(secret, &[t.as_bytes(), b".", payload])?;
    Ok(format!("t={t},v1={signature}"))
}

/// Verifies a `Stripe-Signature` header for `payload`.
///
/// Checks, in order: the header is present (`webhook.missing_header`) and at most 8 KiB
/// (`webhook.invalid_signature_header`), it has exactly one `t=` element
/// (`webhook.invalid_signature_header`) holding Unix seconds (`webhook.invalid_timestamp`) within
/// `tolerance` seconds of `now` either way (`webhook.timestamp_too_old` / `_too_new`), and one of
/// its `v1=` signatures matches (`webhook.no_matching_signature`, compared in constant time).
///
/// ```
/// use tenantry::webhooks::stripe;
/// let header = "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91";
/// stripe::verify(b"{}", header, "whsec_test", 300, 1_700_000_000)?;
/// let err = stripe::verify(b"{}", header, "whsec_test", 300, 1_700_000_301).unwrap_err();
/// assert_eq!(err.code(), "webhook.timestamp_too_old");
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn verify(payload: &[u8], header: &str, secret: &str, tolerance: i64, now: i64) -> Result<()> {
    let header = require_header(header, HEADER)?;
    let mut timestamp: Option<&str> = None;
    for item in header.split(',') {
        let Some((key, value)) = item.split_once('=') else { continue };
        if key.trim() == "t" {
            // Several t elements come from a repeated header joined with ", ": they must agree.
            if timestamp.is_some_and(|t| t != value.trim()) {
                return Err(malformed(HEADER, "one t=<timestamp> value"));
            }
            timestamp = Some(value.trim());
        }
    }
    let t = timestamp.ok_or_else(|| malformed(HEADER, "t=<timestamp>,v1=<signature>"))?;
    let ts = parse_timestamp(t)?;
    check_tolerance(ts, now, tolerance)?;
    // Stripe signs the timestamp as an integer, so "t=007" is signed as "7".
    let t = ts.to_string();
    let expected_mac = [mac(secret, &[t.as_bytes(), b".", payload])?];
    let mut matched = false;
    for item in header.split(',') {
        let Some((key, value)) = item.split_once('=') else { continue };
        if key.trim() != "v1" {
            continue;
        }
        if let Some(signature) = crate::hex::decode::<32>(value.trim()) {
            matched |= any_matches(&expected_mac, &signature);
        }
    }
    if matched { Ok(()) } else { Err(no_match(HEADER)) }
}
