//! Exact decimal fractions for thresholds and grace percentages.
//!
//! `0.7 * 100` is `70.00000000000001` in binary floating point, so a threshold of `0.7` on a limit
//! of 100 would fire at 71. tenantry reads every fraction as the shortest decimal that round-trips
//! (what the user wrote: `0.7`) and multiplies exactly in integers.

use crate::{Error, ErrorCode, Result};

/// A non-negative decimal number held exactly as `num / den` with `den` a power of ten.
///
/// ```
/// use tenantry::limits::Fraction;
/// let f = Fraction::from_f64(0.7).unwrap();
/// assert_eq!(f.ceil_mul(100), 70);
/// assert_eq!(f.value(), 0.7);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fraction {
    num: u128,
    den: u128,
    value: f64,
}

/// At most this many decimal places (keeps products within `u128`).
const MAX_PLACES: usize = 12;

impl Fraction {
    /// Reads a finite, non-negative `f64` as the decimal it was written as.
    ///
    /// NaN, infinities, negatives and values with more than 12 decimal places or above 10^12
    /// are rejected with `input.invalid`.
    ///
    /// ```
    /// use tenantry::limits::Fraction;
    /// assert_eq!(Fraction::from_f64(0.125).unwrap().ceil_mul(8), 1);
    /// assert!(Fraction::from_f64(f64::NAN).is_err());
    /// assert!(Fraction::from_f64(-0.5).is_err());
    /// assert_eq!(Fraction::from_f64(-0.0).map(|f| f.ceil_mul(8)).ok(), Some(0)); // -0 is zero
    /// ```
    pub fn from_f64(value: f64) -> Result<Self> {
        if !value.is_finite() || value < 0.0 {
            return Err(Error::new(ErrorCode::InvalidInput, "expected a finite number of zero or more"));
        }
        if value > 1e12 {
            return Err(Error::new(ErrorCode::InvalidInput, "expected a number of at most 10^12"));
        }
        // -0.0 is zero (it passed the check above), but would print as "-0".
        let value = value + 0.0;
        // Rust's Display is the shortest round-trip decimal and never uses exponent notation.
        let text = format!("{value}");
        let (int_part, frac_part) = text.split_once('.').unwrap_or((text.as_str(), ""));
        let frac_part = frac_part.trim_end_matches('0');
        if frac_part.len() > MAX_PLACES {
            return Err(Error::new(ErrorCode::InvalidInput, "expected at most 12 decimal places"));
        }
        let digits = format!("{int_part}{frac_part}");
        let num: u128 = digits
            .parse()
            .map_err(|_| Error::new(ErrorCode::InvalidInput, "expected a plain decimal number"))?;
        if num > 1_000_000_000_000_000_000 {
            return Err(Error::new(ErrorCode::InvalidInput, "expected at most 18 significant digits"));
        }
        let den = 10u128.pow(frac_part.len() as u32);
        Ok(Fraction { num, den, value })
    }

    /// A fraction known at compile time: `num / den` (den a power of ten), displayed as `value`.
    pub(crate) const fn from_parts(num: u128, den: u128, value: f64) -> Self {
        Fraction { num, den, value }
    }

    /// The number as given.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::Fraction::from_f64(0.9).unwrap().value(), 0.9);
    /// ```
    pub fn value(&self) -> f64 {
        self.value
    }

    /// `ceil(self × n)`, exactly.
    ///
    /// ```
    /// let f = tenantry::limits::Fraction::from_f64(0.8).unwrap();
    /// assert_eq!(f.ceil_mul(7), 6); // 5.6 -> 6
    /// assert_eq!(f.ceil_mul(10), 8);
    /// ```
    pub fn ceil_mul(&self, n: u64) -> u128 {
        let product = self.num.saturating_mul(u128::from(n));
        product.div_ceil(self.den)
    }

    /// `floor(self × n)`, exactly.
    ///
    /// ```
    /// let f = tenantry::limits::Fraction::from_f64(0.1).unwrap();
    /// assert_eq!(f.floor_mul(15), 1);
    /// ```
    pub fn floor_mul(&self, n: u64) -> u128 {
        self.num.saturating_mul(u128::from(n)) / self.den
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_not_binary() {
        assert_eq!(Fraction::from_f64(0.7).unwrap().ceil_mul(100), 70);
        assert_eq!(Fraction::from_f64(0.57).unwrap().ceil_mul(100), 57);
        assert_eq!(Fraction::from_f64(1.0).unwrap().ceil_mul(u64::MAX), u128::from(u64::MAX));
        assert_eq!(Fraction::from_f64(0.000001).unwrap().ceil_mul(1_000_000), 1);
        assert!(Fraction::from_f64(1e-13).is_err());
        assert!(Fraction::from_f64(f64::INFINITY).is_err());
    }
}
