//! Record ids: ULIDs (48-bit millisecond time + 80 random bits, Crockford base32), so ids sort by
//! time as text and need no coordination between writers.

use crate::{Result, random};

use crate::time_range::check_millis;

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The id for a record created at `now_ms` with the given 80 bits of entropy (pure; for vectors).
///
/// ```
/// // The ULID specification's example timestamp.
/// let id = tenantry::audit::record_id(1_469_918_176_385, [0; 10]).unwrap();
/// assert_eq!(id, "01ARYZ6S410000000000000000");
/// ```
pub fn record_id(now_ms: i64, entropy: [u8; 10]) -> Result<String> {
    check_millis(now_ms)?;
    let mut value = u128::from(now_ms.unsigned_abs()) << 80;
    for (i, b) in entropy.iter().enumerate() {
        value |= u128::from(*b) << (8 * (9 - i));
    }
    let mut out = String::with_capacity(26);
    for i in (0..26).rev() {
        let digit = ((value >> (5 * i)) & 31) as u8;
        out.push(char::from(CROCKFORD.get(usize::from(digit)).copied().unwrap_or(b'0')));
    }
    Ok(out)
}

/// A new record id for `now_ms`, with entropy from the OS CSPRNG.
///
/// ```
/// let a = tenantry::audit::new_record_id(1_700_000_000_000).unwrap();
/// let b = tenantry::audit::new_record_id(1_700_000_000_001).unwrap();
/// assert_eq!(a.len(), 26);
/// assert!(a < b);
/// ```
pub fn new_record_id(now_ms: i64) -> Result<String> {
    record_id(now_ms, random::id_bytes()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulid_layout() {
        assert_eq!(record_id(0, [0; 10]).unwrap(), "00000000000000000000000000");
        assert_eq!(record_id(0, [0xff; 10]).unwrap(), "0000000000ZZZZZZZZZZZZZZZZ");
        assert_eq!(record_id(1_469_918_176_385, [0; 10]).unwrap(), "01ARYZ6S410000000000000000");
        assert!(record_id(-1, [0; 10]).is_err());
    }
}
