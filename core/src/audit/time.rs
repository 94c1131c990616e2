//! RFC 3339 UTC timestamps with milliseconds, the one time format of audit records.
//!
//! Always `YYYY-MM-DDTHH:MM:SS.sssZ` (24 characters), so timestamps sort as text in any database.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::{Error, ErrorCode, Result};

/// The latest supported instant, 9999-12-31T23:59:59.999Z, in Unix milliseconds.
pub(crate) const MAX_MILLIS: i64 = 253_402_300_799_999;

/// Formats Unix milliseconds as an RFC 3339 UTC timestamp with milliseconds.
///
/// Times before 1970 or after year 9999 are rejected (`input.invalid_time`).
///
/// ```
/// assert_eq!(tenantry::audit::format_timestamp(1_700_000_000_123).unwrap(), "2023-11-14T22:13:20.123Z");
/// assert_eq!(tenantry::audit::format_timestamp(-1).unwrap_err().code(), "input.invalid_time");
/// ```
pub fn format_timestamp(millis: i64) -> Result<String> {
    if !(0..=MAX_MILLIS).contains(&millis) {
        return Err(out_of_range());
    }
    let dt = DateTime::<Utc>::from_timestamp_millis(millis).ok_or_else(out_of_range)?;
    Ok(dt.to_rfc3339_opts(SecondsFormat::Millis, true))
}

/// Parses an RFC 3339 timestamp (any offset) into Unix milliseconds.
///
/// ```
/// assert_eq!(tenantry::audit::parse_timestamp("2023-11-14T23:13:20.123+01:00").unwrap(), 1_700_000_000_123);
/// assert_eq!(tenantry::audit::parse_timestamp("yesterday").unwrap_err().code(), "input.invalid_time");
/// ```
pub fn parse_timestamp(text: &str) -> Result<i64> {
    DateTime::parse_from_rfc3339(text).map(|dt| dt.timestamp_millis()).map_err(|_| {
        Error::new(ErrorCode::InvalidTime, "expected an RFC 3339 timestamp such as 2025-01-31T09:00:00.000Z")
    })
}

fn out_of_range() -> Error {
    Error::new(ErrorCode::InvalidTime, "time must lie between 1970-01-01 and 9999-12-31 (UTC)")
}

/// The system clock in Unix milliseconds: the convenience default for callers that do not pass `now`.
///
/// ```
/// assert!(tenantry::audit::unix_now_millis() > 1_700_000_000_000);
/// ```
pub fn unix_now_millis() -> i64 {
    Utc::now().timestamp_millis()
}
