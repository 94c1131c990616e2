//! The event envelope a sender signs and posts: message ids and the exact body bytes.
//!
//! ```
//! use tenantry::webhooks::{build_event, message_id};
//! let id = message_id()?;
//! assert!(id.starts_with("msg_") && id.len() == 30);
//! let body = build_event("invoice.paid", &serde_json::json!({"id": "in_1"}), 1_700_000_000_000)?;
//! assert_eq!(body, br#"{"type":"invoice.paid","timestamp":"2023-11-14T22:13:20.000Z","data":{"id":"in_1"}}"#);
//! # Ok::<(), tenantry::Error>(())
//! ```

use serde_json::Value;

use crate::{Error, ErrorCode, Result, canonical_json, random};

/// The prefix of every message id.
///
/// ```
/// assert!(tenantry::webhooks::message_id()?.starts_with(tenantry::webhooks::envelope::MESSAGE_ID_PREFIX));
/// # Ok::<(), tenantry::Error>(())
/// ```
pub const MESSAGE_ID_PREFIX: &str = "msg_";
/// The longest event type accepted.
///
/// ```
/// assert!(tenantry::webhooks::validate_event_type(&"a".repeat(257)).is_err());
/// ```
pub const MAX_EVENT_TYPE_LEN: usize = 256;
/// Crockford's base32 alphabet (as ULID uses): sorts in the same order as the values it encodes.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new message id: `msg_` followed by a 26-character ULID (48-bit millisecond time from the
/// system clock, then 80 bits from the OS CSPRNG, in Crockford base32).
///
/// Ids made in different milliseconds sort by time as plain strings; ids made within the same
/// millisecond are in random order. A valid Standard Webhooks message id.
///
/// ```
/// let (a, b) = (tenantry::webhooks::message_id()?, tenantry::webhooks::message_id()?);
/// assert_ne!(a, b);
/// tenantry::webhooks::validate_message_id(&a)?;
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn message_id() -> Result<String> {
    let entropy = random::id_bytes::<10>()?;
    message_id_from(unix_now_millis(), &entropy)
}

/// The current Unix time in milliseconds, for the convenience wrappers that default a timestamp.
///
/// ```
/// assert!(tenantry::webhooks::unix_now_millis() > 1_600_000_000_000);
/// ```
pub fn unix_now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The message id for a given time (Unix milliseconds, 0 to 2⁴⁸−1) and 10 random bytes: the pure
/// form of [`message_id`], for tests and vectors.
///
/// ```
/// use tenantry::webhooks::message_id_from;
/// assert_eq!(message_id_from(0, &[0; 10])?, "msg_00000000000000000000000000");
/// assert_eq!(message_id_from(1_700_000_000_000, &[255; 10])?, "msg_01HF7YAT00ZZZZZZZZZZZZZZZZ");
/// assert_eq!(message_id_from(0, &[0; 9]).unwrap_err().code(), "input.invalid");
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn message_id_from(unix_millis: i64, entropy: &[u8]) -> Result<String> {
    crate::time_range::check_millis(unix_millis)?;
    let random: [u8; 10] = entropy.try_into().map_err(|_| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("a message id takes 10 random bytes, not {}", entropy.len()),
        )
    })?;
    let mut value = (unix_millis as u128) << 80;
    for (i, byte) in random.iter().enumerate() {
        value |= u128::from(*byte) << (8 * (9 - i));
    }
    let mut id = String::with_capacity(MESSAGE_ID_PREFIX.len() + 26);
    id.push_str(MESSAGE_ID_PREFIX);
    for i in (0..26).rev() {
        let digit = ((value >> (5 * i)) & 31) as usize;
        id.push(char::from(CROCKFORD.get(digit).copied().unwrap_or(b'0')));
    }
    Ok(id)
}

/// Checks an event type: 1 to 256 characters, dot-separated non-empty segments of ASCII letters,
/// digits, `_` and `-` (e.g. `invoice.paid`, `user.created`). Otherwise `webhook.invalid_event_type`.
///
/// ```
/// use tenantry::webhooks::validate_event_type;
/// assert!(validate_event_type("invoice.payment_failed").is_ok());
/// assert_eq!(validate_event_type("invoice..paid").unwrap_err().code(), "webhook.invalid_event_type");
/// ```
pub fn validate_event_type(event_type: &str) -> Result<()> {
    if is_event_type(event_type) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::WebhookInvalidEventType,
            format!(
                "an event type is 1 to {MAX_EVENT_TYPE_LEN} characters: dot-separated segments of \
                 ASCII letters, digits, '_' and '-' (e.g. invoice.paid)"
            ),
        ))
    }
}

pub(crate) fn is_event_type(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_EVENT_TYPE_LEN
        && text.split('.').all(|segment| {
            !segment.is_empty()
                && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
}

/// The exact body to sign and send for an event:
/// `{"type":<event_type>,"timestamp":<RFC 3339 UTC, milliseconds>,"data":<data>}`.
///
/// Keys are always in that order, with no whitespace; `data` is written in RFC 8785 canonical form
/// (keys sorted, ECMAScript number formatting), so the same event gives the same bytes, and the
/// same signature, in Rust, Python and Node. `timestamp_millis` is Unix milliseconds (0 to the end
/// of year 9999, else `input.invalid_time`); the event type is checked by [`validate_event_type`].
///
/// ```
/// use serde_json::json;
/// let body = tenantry::webhooks::build_event("user.created", &json!({"name": "Ada", "id": 7}), 1_500)?;
/// assert_eq!(
///     String::from_utf8(body).unwrap(),
///     r#"{"type":"user.created","timestamp":"1970-01-01T00:00:01.500Z","data":{"id":7,"name":"Ada"}}"#
/// );
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn build_event(event_type: &str, data: &Value, timestamp_millis: i64) -> Result<Vec<u8>> {
    validate_event_type(event_type)?;
    let time = chrono::DateTime::from_timestamp_millis(crate::time_range::check_millis(timestamp_millis)?)
        .ok_or_else(|| Error::new(ErrorCode::InvalidTime, "the event timestamp has no date"))?;
    let data = canonical_json::to_string(data);
    let timestamp = time.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    let mut body = Vec::with_capacity(event_type.len() + timestamp.len() + data.len() + 40);
    body.extend_from_slice(br#"{"type":""#);
    body.extend_from_slice(event_type.as_bytes());
    body.extend_from_slice(br#"","timestamp":""#);
    body.extend_from_slice(timestamp.as_bytes());
    body.extend_from_slice(br#"","data":"#);
    body.extend_from_slice(data.as_bytes());
    body.push(b'}');
    Ok(body)
}
