//! RFC 3339 UTC timestamps with milliseconds, the one time format of audit records.
//!
//! Always `YYYY-MM-DDTHH:MM:SS.sssZ` (24 characters), so timestamps sort as text in any database.

use chrono::{DateTime, Utc};

use crate::time_range::check_millis;
use crate::{Error, ErrorCode, Result};

/// Formats Unix milliseconds as an RFC 3339 UTC timestamp with milliseconds.
///
/// Times before 1970 or after year 9999 are rejected (`input.invalid_time`).
///
/// ```
/// assert_eq!(tenantry::audit::format_timestamp(1_700_000_000_123).unwrap(), "2023-11-14T22:13:20.123Z");
/// assert_eq!(tenantry::audit::format_timestamp(-1).unwrap_err().code(), "input.invalid_time");
/// ```
pub fn format_timestamp(millis: i64) -> Result<String> {
    check_millis(millis)?;
    // The fixed layout written digit by digit from the civil date (chrono's formatter goes
    // through `fmt` machinery, a measurable share of building a record); the range check above
    // keeps the year at 4 digits.
    let (days, in_day) = (millis / DAY_MS, millis % DAY_MS);
    let (year, month, day) = civil_from_days(days);
    let mut out = *b"0000-00-00T00:00:00.000Z";
    let fields: [(usize, usize, i64); 7] = [
        (0, 4, year),
        (5, 2, month),
        (8, 2, day),
        (11, 2, in_day / 3_600_000),
        (14, 2, in_day / 60_000 % 60),
        (17, 2, in_day / 1000 % 60),
        (20, 3, in_day % 1000),
    ];
    for (start, width, mut value) in fields {
        for slot in out.iter_mut().skip(start).take(width).rev() {
            *slot = b'0' + u8::try_from(value % 10).unwrap_or(0);
            value /= 10;
        }
    }
    Ok(String::from_utf8(out.to_vec()).unwrap_or_default())
}

const DAY_MS: i64 = 86_400_000;

/// The proleptic Gregorian (year, month, day) of a day count from 1970-01-01 (non-negative),
/// by Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
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

    use super::format_timestamp;
    use crate::time_range::MAX_MILLIS;

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
        // Every day of a whole 400-year cycle of leap rules, and the last years of the range.
        let last_days = MAX_MILLIS / 86_400_000;
        for day in (0..146_097).chain(last_days - 3_000..=last_days) {
            let ms = day * 86_400_000 + (day * 7_777_777) % 86_400_000;
            let want = DateTime::<Utc>::from_timestamp_millis(ms)
                .unwrap()
                .to_rfc3339_opts(SecondsFormat::Millis, true);
            assert_eq!(format_timestamp(ms).unwrap(), want);
        }
        assert_eq!(format_timestamp(MAX_MILLIS).unwrap(), "9999-12-31T23:59:59.999Z");
        assert!(format_timestamp(MAX_MILLIS + 1).is_err());
    }
}
