//! Secret bytes: masked when printed, compared in constant time, wiped when dropped.

use std::fmt;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Key material (webhook secrets, peppers, seal keys).
///
/// `Debug` and `Display` never show the bytes; equality is constant-time; the bytes are zeroed on drop.
///
/// ```
/// use tenantry::SecretBytes;
/// let s = SecretBytes::new(b"hunter2".to_vec());
/// assert_eq!(format!("{s:?}"), "SecretBytes(***, 7 bytes)");
/// assert_eq!(s, SecretBytes::new(b"hunter2".to_vec()));
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Wraps bytes as a secret.
    ///
    /// ```
    /// let s = tenantry::SecretBytes::new(vec![1, 2, 3]);
    /// assert_eq!(s.len(), 3);
    /// ```
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretBytes(bytes)
    }

    /// The raw bytes, for keying a MAC. Do not log them.
    ///
    /// ```
    /// let s = tenantry::SecretBytes::new(vec![1, 2, 3]);
    /// assert_eq!(s.expose(), &[1, 2, 3]);
    /// ```
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Number of bytes.
    ///
    /// ```
    /// assert_eq!(tenantry::SecretBytes::new(vec![]).len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no bytes.
    ///
    /// ```
    /// assert!(tenantry::SecretBytes::new(vec![]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes(***, {} bytes)", self.0.len())
    }
}

impl fmt::Display for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl PartialEq for SecretBytes {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for SecretBytes {}

/// Constant-time equality of two byte strings (length is not secret).
///
/// ```
/// assert!(tenantry::secret::ct_eq(b"abc", b"abc"));
/// assert!(!tenantry::secret::ct_eq(b"abc", b"abd"));
/// ```
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}
