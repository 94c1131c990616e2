//! The range of times tenantry takes: from 1970 to the end of 9999, UTC. Every such time has an
//! RFC 3339 timestamp with a four-digit year (so stored timestamps sort as text), and every
//! language's date type holds it.

use crate::{Error, ErrorCode, Result};

/// The latest supported instant, 9999-12-31T23:59:59.999Z, in Unix milliseconds.
pub(crate) const MAX_MILLIS: i64 = 253_402_300_799_999;

/// `millis` if it lies in the range, else `input.invalid_time`.
pub(crate) fn check_millis(millis: i64) -> Result<i64> {
    if (0..=MAX_MILLIS).contains(&millis) {
        Ok(millis)
    } else {
        Err(Error::new(ErrorCode::InvalidTime, "time must lie between 1970-01-01 and 9999-12-31 (UTC)"))
    }
}
