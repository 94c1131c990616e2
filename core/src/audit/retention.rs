//! Retention: when a record may be deleted, and the cutoff for the cleanup query.

use crate::{Error, ErrorCode, Result};

use super::time::format_timestamp;

/// The default retention period (seed 004: `audit_log_retention_days = 90`).
///
/// ```
/// assert_eq!(tenantry::audit::DEFAULT_RETENTION_DAYS, 90);
/// ```
pub const DEFAULT_RETENTION_DAYS: u32 = 90;

/// What a binding says when `retention_cutoff`'s `days` is not a number (followed by `, not
/// <type>`): a missing value (`None`, `null`) is refused rather than read as the default, as it
/// is how `retention_days` keeps records forever, and forever has no cutoff.
///
/// ```
/// assert!(tenantry::audit::RETENTION_DAYS_TYPE.starts_with("days must be a number of days"));
/// ```
pub const RETENTION_DAYS_TYPE: &str =
    "days must be a number of days (leave it out for 90; records kept forever have no cutoff)";

/// The longest retention period accepted: 100 years.
const MAX_RETENTION_DAYS: i64 = 36_500;
const DAY_MS: i64 = 86_400_000;

fn period_ms(days: i64) -> Result<i64> {
    if !(1..=MAX_RETENTION_DAYS).contains(&days) {
        return Err(Error::new(
            ErrorCode::AuditInvalidRetention,
            format!("retention must be between 1 and {MAX_RETENTION_DAYS} days, got {days}"),
        ));
    }
    Ok(days * DAY_MS)
}

/// The `expires_at` timestamp of a record that occurred at `occurred_ms` and is kept for `days`.
///
/// ```
/// assert_eq!(tenantry::audit::expires_at(0, 90).unwrap(), "1970-04-01T00:00:00.000Z");
/// assert_eq!(tenantry::audit::expires_at(0, 0).unwrap_err().code(), "audit.invalid_retention");
/// ```
pub fn expires_at(occurred_ms: i64, days: i64) -> Result<String> {
    let end = occurred_ms
        .checked_add(period_ms(days)?)
        .ok_or_else(|| Error::new(ErrorCode::InvalidTime, "occurred_at plus retention is out of range"))?;
    format_timestamp(end)
}

/// The cutoff for a cleanup query: records with `occurred_at` before it are older than `days`.
///
/// The result is in the same fixed-width format as `occurred_at`, so `occurred_at < cutoff`
/// compares correctly as text. A cutoff before 1970 is clamped to 1970-01-01.
///
/// ```
/// let cutoff = tenantry::audit::retention_cutoff(1_700_000_000_000, 90).unwrap();
/// assert_eq!(cutoff, "2023-08-16T22:13:20.000Z");
/// ```
pub fn retention_cutoff(now_ms: i64, days: i64) -> Result<String> {
    let period = period_ms(days)?;
    format_timestamp(now_ms)?;
    format_timestamp(now_ms.saturating_sub(period).max(0))
}
