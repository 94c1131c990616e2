//! GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`.
//!
//! The HMAC key is the webhook secret's UTF-8 bytes. GitHub signs no timestamp, so there is no
//! replay window; verify accepts several secrets so a secret can be rotated without downtime.
//!
//! ```
//! use tenantry::webhooks::github;
//! let header = github::sign(b"Hello, World!", "It's a Secret to Everybody")?;
//! assert_eq!(header, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
//! github::verify(b"Hello, World!", &header, &["new secret", "It's a Secret to Everybody"])?;
//! # Ok::<(), tenantry::Error>(())
//! ```

use super::text_secret::{any_matches, mac, mac_hex, malformed, no_match, require_header};
use crate::{Error, ErrorCode, Result};

/// The header GitHub sends the signature in.
///
/// ```
/// assert_eq!(tenantry::webhooks::github::HEADER, "X-Hub-Signature-256");
/// ```
pub const HEADER: &str = "X-Hub-Signature-256";
const PREFIX: &str = "sha256=";

/// Signs `payload`; returns the `X-Hub-Signature-256` value.
///
/// ```
/// let header = tenantry::webhooks::github::sign(b"Hello, World!", "It's a Secret to Everybody")?;
/// assert!(header.starts_with("sha256="));
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn sign(payload: &[u8], secret: &str) -> Result<String> {
    Ok(format!("{PREFIX}{}", mac_hex(secret, &[payload])?))
}

/// Verifies an `X-Hub-Signature-256` value against one or more secrets (rotation: any may match).
///
/// Errors: `webhook.missing_header` (empty header), `webhook.invalid_signature_header` (not
/// `sha256=` followed by 64 hex digits, or over 8 KiB), `webhook.invalid_secret` (no secrets, or an
/// empty one), `webhook.no_matching_signature`. Every secret is compared, in constant time.
///
/// ```
/// use tenantry::webhooks::github;
/// let err = github::verify(b"x", "sha256=zz", &["s"]).unwrap_err();
/// assert_eq!(err.code(), "webhook.invalid_signature_header");
/// ```
pub fn verify<S: AsRef<str>>(payload: &[u8], signature_header: &str, secrets: &[S]) -> Result<()> {
    if secrets.is_empty() {
        return Err(Error::new(ErrorCode::WebhookInvalidSecret, "give at least one webhook secret"));
    }
    let header = require_header(signature_header, HEADER)?;
    let expected = header
        .strip_prefix(PREFIX)
        .and_then(crate::hex::decode::<32>)
        .ok_or_else(|| malformed(HEADER, "sha256= followed by 64 hex digits"))?;
    let macs = secrets.iter().map(|s| mac(s.as_ref(), &[payload])).collect::<Result<Vec<_>>>()?;
    if any_matches(&macs, &expected) { Ok(()) } else { Err(no_match(HEADER)) }
}
