//! The range of times tenantry takes: from 1970 to the end of 9999, UTC. Every such time has an
//! RFC 3339 timestamp with a four-digit year (so stored timestamps sort as text), and every
//! language's date type holds it.
//!
//! The bindings read every time they are given (Unix seconds as a number, a `datetime`, a `Date`)
//! through the functions here, so a time outside the range is the same `input.invalid_time` in
//! every language, and a time inside it is the same whole number of milliseconds.

use crate::{Error, ErrorCode, Result};

/// The latest supported instant, 9999-12-31T23:59:59.999Z, in Unix milliseconds.
pub(crate) const MAX_MILLIS: i64 = 253_402_300_799_999;

/// `millis` if it lies in the range, else `input.invalid_time`.
pub(crate) fn check_millis(millis: i64) -> Result<i64> {
    if (0..=MAX_MILLIS).contains(&millis) { Ok(millis) } else { Err(out_of_range()) }
}

/// `secs` (Unix seconds) if it lies in the range, else `input.invalid_time`.
pub(crate) fn check_secs(secs: i64) -> Result<i64> {
    millis_from_secs(i128::from(secs)).map(|_| secs)
}

fn out_of_range() -> Error {
    Error::new(ErrorCode::InvalidTime, "time must lie between 1970-01-01 and 9999-12-31 (UTC)")
}

/// A time given as Unix seconds in a floating-point number (a JavaScript number, a Python
/// `float`, a `datetime`'s timestamp), as whole milliseconds (a fraction floored), or
/// `input.invalid_time` when it lies outside 1970 to 9999 (or is NaN).
///
/// ```
/// use tenantry::time_range::millis_from_secs_f64;
/// assert_eq!(millis_from_secs_f64(1_700_000_000.1259)?, 1_700_000_000_125);
/// assert_eq!(millis_from_secs_f64(1e14).err().map(|e| e.code()), Some("input.invalid_time"));
/// assert_eq!(millis_from_secs_f64(-0.5).err().map(|e| e.code()), Some("input.invalid_time"));
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn millis_from_secs_f64(secs: f64) -> Result<i64> {
    millis_from_f64((secs * 1000.0).floor())
}

/// A time given as whole Unix seconds of any width (a Python `int`), in milliseconds, or
/// `input.invalid_time` when it lies outside 1970 to 9999.
///
/// ```
/// use tenantry::time_range::millis_from_secs;
/// assert_eq!(millis_from_secs(1_700_000_000)?, 1_700_000_000_000);
/// assert_eq!(millis_from_secs(100_000_000_000_001).err().map(|e| e.code()), Some("input.invalid_time"));
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn millis_from_secs(secs: i128) -> Result<i64> {
    let millis = secs.checked_mul(1000).and_then(|ms| i64::try_from(ms).ok()).ok_or_else(out_of_range)?;
    check_millis(millis)
}

/// A time value in milliseconds held in a floating-point number (a JavaScript `Date`'s), a
/// fraction floored, or `input.invalid_time` when it lies outside 1970 to 9999 (or is NaN).
///
/// ```
/// use tenantry::time_range::millis_from_f64;
/// assert_eq!(millis_from_f64(1_700_000_000_000.0)?, 1_700_000_000_000);
/// assert_eq!(millis_from_f64(f64::NAN).err().map(|e| e.code()), Some("input.invalid_time"));
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn millis_from_f64(millis: f64) -> Result<i64> {
    let millis = millis.floor();
    if (0.0..=MAX_MILLIS as f64).contains(&millis) { Ok(millis as i64) } else { Err(out_of_range()) }
}
