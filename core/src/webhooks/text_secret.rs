//! Plain-text HMAC secrets and header limits shared by the Stripe, GitHub and Slack schemes.
//!
//! These schemes key HMAC-SHA256 with the secret string's UTF-8 bytes as given (no base64
//! decoding), and carry signatures as lower-case hex.

use hmac::Mac;

use super::keys::{HmacSha256, hmac_for};
use crate::{Error, ErrorCode, Result, secret};

/// A signature or timestamp header longer than this is rejected before any work (8 KiB; real
/// headers of these schemes are under 200 bytes).
pub(crate) const MAX_HEADER: usize = 8 * 1024;

/// HMAC-SHA256 keyed with a text secret; an empty secret is `webhook.invalid_secret`.
pub(crate) fn keyed(secret: &str) -> Result<HmacSha256> {
    if secret.is_empty() {
        return Err(Error::new(ErrorCode::WebhookInvalidSecret, "webhook secret must not be empty"));
    }
    hmac_for(secret.as_bytes())
}

/// The HMAC-SHA256 of the concatenated `parts` under `secret`.
pub(crate) fn mac(secret: &str, parts: &[&[u8]]) -> Result<[u8; 32]> {
    let mut mac = keyed(secret)?;
    for part in parts {
        mac.update(part);
    }
    Ok(mac.finalize().into_bytes().into())
}

/// The lower-case hex HMAC-SHA256 of the concatenated `parts` under `secret`.
pub(crate) fn mac_hex(secret: &str, parts: &[&[u8]]) -> Result<String> {
    mac(secret, parts).map(|m| crate::hex::encode(&m))
}

/// True when `expected` equals any of `macs`, comparing every one (constant time, no early exit).
pub(crate) fn any_matches(macs: &[[u8; 32]], expected: &[u8; 32]) -> bool {
    let mut matched = false;
    for mac in macs {
        matched |= secret::ct_eq(mac, expected);
    }
    matched
}

/// `webhook.missing_header` for an absent or empty header.
pub(crate) fn require_header<'a>(value: &'a str, name: &str) -> Result<&'a str> {
    if value.len() > MAX_HEADER {
        return Err(Error::new(
            ErrorCode::WebhookInvalidSignatureHeader,
            format!("{name} header is {} bytes; at most {MAX_HEADER} are read", value.len()),
        ));
    }
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::new(ErrorCode::WebhookMissingHeader, format!("missing required header {name}")));
    }
    Ok(value)
}

/// `webhook.no_matching_signature`, naming the header.
pub(crate) fn no_match(name: &str) -> Error {
    Error::new(
        ErrorCode::WebhookNoMatchingSignature,
        format!("no signature in the {name} header matches the secret"),
    )
}

/// `webhook.invalid_signature_header`, with what was expected.
pub(crate) fn malformed(name: &str, expected: &str) -> Error {
    Error::new(
        ErrorCode::WebhookInvalidSignatureHeader,
        format!("the {name} header is malformed; expected {expected}"),
    )
}

/// Parses a timestamp header: `webhook.missing_header` when absent or empty,
/// `webhook.invalid_timestamp` when it is not 1 to 18 ASCII digits (checked before trimming huge input).
pub(crate) fn require_timestamp(value: &str, name: &str) -> Result<i64> {
    if value.len() > 64 {
        return Err(Error::new(
            ErrorCode::WebhookInvalidTimestamp,
            format!("{name} header is {} bytes; expected at most 18 digits", value.len()),
        ));
    }
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::new(ErrorCode::WebhookMissingHeader, format!("missing required header {name}")));
    }
    super::timestamp::parse_timestamp(value)
}
