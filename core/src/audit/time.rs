//! RFC 3339 UTC timestamps with milliseconds, the one time format of audit records.
//!
//! Always `YYYY-MM-DDTHH:MM:SS.sssZ` (24 characters), so timestamps sort as text in any database.

use chrono::{DateTime, Datelike, Timelike, Utc};

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
    // The fixed layout written digit by digit (chrono's formatter goes through `fmt` machinery,
    // a measurable share of building a record); the range check above keeps the year at 4 digits.
    let mut out = *b"0000-00-00T00:00:00.000Z";
    let fields: [(usize, usize, u32); 7] = [
        (0, 4, u32::try_from(dt.year()).unwrap_or(0)),
        (5, 2, dt.month()),
        (8, 2, dt.day()),
        (11, 2, dt.hour()),
        (14, 2, dt.minute()),
        (17, 2, dt.second()),
        (20, 3, dt.timestamp_subsec_millis()),
    ];
    for (start, width, mut value) in fields {
        for slot in out.iter_mut().skip(start).take(width).rev() {
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
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

#[cfg(test)]
mod tests {
    use chrono::{DateTime, SecondsFormat, Utc};

    use super::{MAX_MILLIS, format_timestamp};

    #[test]
    fn matches_chrono_across_the_range() {
        let mut ms: i64 = 0;
        let mut step: i64 = 1;
        while ms <= MAX_MILLIS {
            let want = DateTime::<Utc>::from_timestamp_millis(ms)
                .unwrap()
                .to_rfc3339_opts(SecondsFormat::Millis, true);
            assert_eq!(format_timestamp(ms).unwrap(), want);
            ms += step;
            step = step * 21 / 20 + 7_919;
        }
        assert_eq!(format_timestamp(MAX_MILLIS).unwrap(), "9999-12-31T23:59:59.999Z");
        assert!(format_timestamp(MAX_MILLIS + 1).is_err());
    }
}
