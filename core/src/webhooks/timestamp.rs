//! Timestamp headers and the replay window shared by every timestamped scheme.

use crate::{Error, ErrorCode, Result};

/// The default replay window: five minutes either side of `now`.
///
/// ```
/// assert_eq!(tenantry::webhooks::DEFAULT_TOLERANCE_SECS, 5 * 60);
/// ```
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

/// Parses a timestamp header: ASCII digits only (no sign, spaces or fraction), at most 18 digits.
///
/// ```
/// use tenantry::webhooks::parse_timestamp;
/// assert_eq!(parse_timestamp("1614265330").unwrap(), 1614265330);
/// assert_eq!(parse_timestamp("+5").unwrap_err().code(), "webhook.invalid_timestamp");
/// ```
pub fn parse_timestamp(text: &str) -> Result<i64> {
    let digits_only = !text.is_empty() && text.len() <= 18 && text.bytes().all(|b| b.is_ascii_digit());
    if !digits_only {
        return Err(Error::new(
            ErrorCode::WebhookInvalidTimestamp,
            "timestamp header is not a whole number of Unix seconds (expected 1 to 18 ASCII digits)",
        ));
    }
    text.parse::<i64>()
        .map_err(|_| Error::new(ErrorCode::WebhookInvalidTimestamp, "timestamp header is out of range"))
}

/// Checks `timestamp` against `now` in both directions.
///
/// ```
/// use tenantry::webhooks::check_tolerance;
/// assert!(check_tolerance(1000, 1300, 300).is_ok());
/// assert_eq!(check_tolerance(1000, 1301, 300).unwrap_err().code(), "webhook.timestamp_too_old");
/// assert_eq!(check_tolerance(1301, 1000, 300).unwrap_err().code(), "webhook.timestamp_too_new");
/// ```
pub fn check_tolerance(timestamp: i64, now: i64, tolerance: i64) -> Result<()> {
    if tolerance < 0 {
        return Err(Error::new(ErrorCode::InvalidInput, "tolerance must be zero or more seconds"));
    }
    let age = i128::from(now) - i128::from(timestamp);
    if age > i128::from(tolerance) {
        return Err(Error::new(
            ErrorCode::WebhookTimestampTooOld,
            format!("message timestamp is {age} s old; the tolerance is {tolerance} s"),
        ));
    }
    if -age > i128::from(tolerance) {
        return Err(Error::new(
            ErrorCode::WebhookTimestampTooNew,
            format!("message timestamp is {} s in the future; the tolerance is {tolerance} s", -age),
        ));
    }
    Ok(())
}

/// The current Unix time in seconds, for the convenience wrappers that default `now`.
///
/// ```
/// assert!(tenantry::webhooks::unix_now() > 1_600_000_000);
/// ```
pub fn unix_now() -> i64 {
    // Straight from the system clock (no calendar conversion): this sits on every hot `verify`
    // that defaults `now`. Floors like `chrono::Utc::now().timestamp()`, before 1970 too.
    let whole = |d: std::time::Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(since) => whole(since),
        Err(before) => {
            let d = before.duration();
            -whole(d) - i64::from(d.subsec_nanos() > 0)
        }
    }
}
