//! The one place tenantry draws randomness: the operating system's CSPRNG.

use crate::{Error, ErrorCode, Result};

/// Fills `buf` with bytes from the OS CSPRNG.
///
/// ```
/// let mut key = [0u8; 32];
/// tenantry::random::fill(&mut key).unwrap();
/// ```
pub fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| {
        Error::new(ErrorCode::InvalidInput, format!("the OS random number generator failed: {e}"))
    })
}

/// Returns `N` bytes from the OS CSPRNG.
///
/// ```
/// let a: [u8; 16] = tenantry::random::bytes().unwrap();
/// let b: [u8; 16] = tenantry::random::bytes().unwrap();
/// assert_ne!(a, b);
/// ```
pub fn bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}
