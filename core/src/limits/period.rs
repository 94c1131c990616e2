//! Usage periods: the `[start, end)` window a caller sums usage over, and when it resets.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::{Error, ErrorCode, Result};

/// The period a metric's usage is counted over.
///
/// ```
/// use tenantry::limits::PeriodKind;
/// assert_eq!(PeriodKind::parse("month"), Some(PeriodKind::Month));
/// assert_eq!(PeriodKind::Year.as_str(), "year");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeriodKind {
    /// Usage never resets (seats, projects).
    #[default]
    None,
    /// Resets every day.
    Day,
    /// Resets every month (calendar month, or on the billing anchor day).
    Month,
    /// Resets every year.
    Year,
}

impl PeriodKind {
    /// Parses `none`, `day`, `month` or `year`.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::PeriodKind::parse("week"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "none" => Some(PeriodKind::None),
            "day" => Some(PeriodKind::Day),
            "month" => Some(PeriodKind::Month),
            "year" => Some(PeriodKind::Year),
            _ => None,
        }
    }

    /// Parses a period name, or fails with `limits.invalid_config`.
    ///
    /// ```
    /// use tenantry::limits::PeriodKind;
    /// assert_eq!(PeriodKind::from_name("day").unwrap(), PeriodKind::Day);
    /// assert_eq!(PeriodKind::from_name("week").unwrap_err().code(), "limits.invalid_config");
    /// ```
    pub fn from_name(text: &str) -> Result<Self> {
        Self::parse(text).ok_or_else(|| {
            Error::new(
                ErrorCode::LimitsInvalidConfig,
                format!("unknown period {text:?}; expected \"none\", \"day\", \"month\" or \"year\""),
            )
        })
    }

    /// The name of the period.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::PeriodKind::None.as_str(), "none");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::None => "none",
            PeriodKind::Day => "day",
            PeriodKind::Month => "month",
            PeriodKind::Year => "year",
        }
    }
}

/// The current usage period, `[start, end)` in Unix seconds; `end` is also the next reset.
///
/// ```
/// use tenantry::limits::{period_window, PeriodKind};
/// // 2024-02-15 12:00 UTC, calendar month
/// let w = period_window(PeriodKind::Month, None, 1_707_998_400, 0).unwrap();
/// assert_eq!((w.start, w.end), (1_706_745_600, 1_709_251_200)); // Feb 1 .. Mar 1
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PeriodWindow {
    /// First second of the period (inclusive).
    pub start: i64,
    /// First second of the next period (exclusive); when usage resets.
    pub end: i64,
}

/// The largest accepted timezone offset: 18 hours either way (as ISO 8601 and `zoneinfo` allow).
///
/// ```
/// assert_eq!(tenantry::limits::MAX_TZ_OFFSET_SECS, 64_800);
/// ```
pub const MAX_TZ_OFFSET_SECS: i32 = 18 * 3600;

/// The period containing `now`.
///
/// * `anchor` `None`: calendar periods (days from midnight, months from the 1st, years from
///   1 January) in the local time given by `tz_offset` (seconds east of UTC).
/// * `anchor` a time (e.g. the subscription start): periods start at the anchor's local time of
///   day, on the anchor's day of the month (monthly: clamped to the month's last day, so an anchor
///   on the 31st resets on 28/29 February and 30 April and returns to the 31st after) or on its
///   day and month (yearly: 29 February becomes 28 February in common years).
///
/// `PeriodKind::None` has no window (`limits.invalid_config`).
///
/// ```
/// use tenantry::limits::{period_window, PeriodKind};
/// // Anchored on 2024-01-31 00:00 UTC: on 2024-02-29 12:00 the period began that day (the 31st
/// // clamped to February's last day) and ends on 31 March.
/// let w = period_window(PeriodKind::Month, Some(1_706_659_200), 1_709_208_000, 0).unwrap();
/// assert_eq!(w.start, 1_709_164_800); // 2024-02-29 00:00 UTC
/// assert_eq!(w.end, 1_711_843_200);   // 2024-03-31 00:00 UTC
/// ```
pub fn period_window(
    kind: PeriodKind,
    anchor: Option<i64>,
    now: i64,
    tz_offset: i32,
) -> Result<PeriodWindow> {
    if !(-MAX_TZ_OFFSET_SECS..=MAX_TZ_OFFSET_SECS).contains(&tz_offset) {
        return Err(Error::new(
            ErrorCode::LimitsInvalidConfig,
            "tz_offset must be within ±18 hours (in seconds)",
        ));
    }
    // The times every call takes (1970 to 9999); a window near either end may still fall outside.
    for time in std::iter::once(now).chain(anchor) {
        crate::time_range::millis_from_secs(i128::from(time))?;
    }
    let offset = i64::from(tz_offset);
    let local_now = to_local(now, offset)?;
    let anchor_local = match anchor {
        Some(a) => Some(to_local(a, offset)?),
        None => None,
    };
    let (start, end) = match kind {
        PeriodKind::None => {
            return Err(Error::new(
                ErrorCode::LimitsInvalidConfig,
                "a metric with period \"none\" never resets, so it has no window",
            ));
        }
        PeriodKind::Day => {
            let tod = anchor_local.map_or(NaiveTime::MIN, |a| a.time());
            let mut start = local_now.date().and_time(tod);
            if start > local_now {
                start = start.checked_sub_signed(Duration::days(1)).ok_or_else(out_of_range)?;
            }
            let end = start.checked_add_signed(Duration::days(1)).ok_or_else(out_of_range)?;
            (start, end)
        }
        PeriodKind::Month => {
            let (day, tod) = anchor_local.map_or((1, NaiveTime::MIN), |a| (a.day(), a.time()));
            let (mut y, mut m) = (local_now.year(), local_now.month());
            let mut start = month_start(y, m, day, tod)?;
            if start > local_now {
                (y, m) = previous_month(y, m);
                start = month_start(y, m, day, tod)?;
            }
            let (ny, nm) = next_month(y, m);
            (start, month_start(ny, nm, day, tod)?)
        }
        PeriodKind::Year => {
            let (month, day, tod) =
                anchor_local.map_or((1, 1, NaiveTime::MIN), |a| (a.month(), a.day(), a.time()));
            let mut y = local_now.year();
            let mut start = year_start(y, month, day, tod)?;
            if start > local_now {
                y -= 1;
                start = year_start(y, month, day, tod)?;
            }
            (start, year_start(y + 1, month, day, tod)?)
        }
    };
    Ok(PeriodWindow { start: start.and_utc().timestamp() - offset, end: end.and_utc().timestamp() - offset })
}

fn out_of_range() -> Error {
    Error::new(ErrorCode::InvalidTime, "time is outside the supported range (years 1 to 9999)")
}

fn to_local(unix: i64, offset: i64) -> Result<NaiveDateTime> {
    let local = unix.checked_add(offset).ok_or_else(out_of_range)?;
    let dt = DateTime::from_timestamp(local, 0).ok_or_else(out_of_range)?.naive_utc();
    if !(1..=9998).contains(&dt.year()) {
        return Err(out_of_range());
    }
    Ok(dt)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let (ny, nm) = next_month(y, m);
    NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt()).map_or(28, |d| d.day())
}

fn next_month(y: i32, m: u32) -> (i32, u32) {
    if m >= 12 { (y + 1, 1) } else { (y, m + 1) }
}

fn previous_month(y: i32, m: u32) -> (i32, u32) {
    if m <= 1 { (y - 1, 12) } else { (y, m - 1) }
}

fn month_start(y: i32, m: u32, day: u32, tod: NaiveTime) -> Result<NaiveDateTime> {
    let d = day.min(days_in_month(y, m));
    NaiveDate::from_ymd_opt(y, m, d).map(|date| date.and_time(tod)).ok_or_else(out_of_range)
}

fn year_start(y: i32, month: u32, day: u32, tod: NaiveTime) -> Result<NaiveDateTime> {
    month_start(y, month, day, tod)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> i64 {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap().and_utc().timestamp()
    }

    fn window(kind: PeriodKind, anchor: Option<&str>, now: &str, tz: i32) -> (String, String) {
        let w = period_window(kind, anchor.map(ts), ts(now), tz).unwrap();
        let f = |t: i64| {
            DateTime::from_timestamp(t, 0).unwrap().naive_utc().format("%Y-%m-%d %H:%M:%S").to_string()
        };
        (f(w.start), f(w.end))
    }

    #[test]
    fn anchor_31_clamps_and_returns() {
        let a = Some("2023-01-31 09:30:00");
        assert_eq!(
            window(PeriodKind::Month, a, "2023-02-15 00:00:00", 0),
            ("2023-01-31 09:30:00".into(), "2023-02-28 09:30:00".into())
        );
        assert_eq!(
            window(PeriodKind::Month, a, "2023-03-01 00:00:00", 0),
            ("2023-02-28 09:30:00".into(), "2023-03-31 09:30:00".into())
        );
        assert_eq!(
            window(PeriodKind::Month, a, "2024-02-29 10:00:00", 0),
            ("2024-02-29 09:30:00".into(), "2024-03-31 09:30:00".into())
        );
        assert_eq!(
            window(PeriodKind::Month, a, "2023-04-30 09:29:59", 0),
            ("2023-03-31 09:30:00".into(), "2023-04-30 09:30:00".into())
        );
        assert_eq!(
            window(PeriodKind::Month, a, "2023-12-31 23:00:00", 0),
            ("2023-12-31 09:30:00".into(), "2024-01-31 09:30:00".into())
        );
    }

    #[test]
    fn leap_day_yearly_anchor() {
        let a = Some("2024-02-29 00:00:00");
        assert_eq!(
            window(PeriodKind::Year, a, "2025-03-01 00:00:00", 0),
            ("2025-02-28 00:00:00".into(), "2026-02-28 00:00:00".into())
        );
        assert_eq!(
            window(PeriodKind::Year, a, "2028-02-29 00:00:00", 0),
            ("2028-02-29 00:00:00".into(), "2029-02-28 00:00:00".into())
        );
    }

    #[test]
    fn calendar_with_offset() {
        // 2024-12-31 23:30 UTC is already 2025-01-01 01:30 in UTC+2: the local year began.
        assert_eq!(
            window(PeriodKind::Year, None, "2024-12-31 23:30:00", 7200),
            ("2024-12-31 22:00:00".into(), "2025-12-31 22:00:00".into())
        );
        assert_eq!(
            window(PeriodKind::Day, None, "2024-03-01 03:00:00", -5 * 3600),
            ("2024-02-29 05:00:00".into(), "2024-03-01 05:00:00".into())
        );
    }
}
