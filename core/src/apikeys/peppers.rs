//! Peppered hashing: HMAC-SHA256 of the token keyed with a server-side pepper, so a leaked key
//! table is useless without the pepper. Several peppers live side by side during rotation.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::{Error, ErrorCode, Result, SecretBytes};

type HmacSha256 = Hmac<Sha256>;

/// Shortest accepted pepper (128 bits; 32 random bytes are recommended).
///
/// ```
/// assert_eq!(tenantry::apikeys::MIN_PEPPER_BYTES * 8, 128);
/// ```
pub const MIN_PEPPER_BYTES: usize = 16;
/// Longest accepted pepper id.
const MAX_PEPPER_ID_LEN: usize = 64;

/// One pepper: its id (stored in each record) and its HMAC state, keyed once.
#[derive(Clone)]
struct Pepper {
    id: String,
    mac: HmacSha256,
}

/// The configured peppers and which one hashes new keys.
///
/// ```
/// use tenantry::apikeys::Peppers;
/// use tenantry::SecretBytes;
/// let peppers = Peppers::new(vec![("p1".into(), SecretBytes::new(vec![7; 32]))], Some("p1")).unwrap();
/// assert_eq!(peppers.current_id(), "p1");
/// assert_eq!(peppers.hash("p1", "tk_live_x").unwrap().len(), 64);
/// assert!(format!("{peppers:?}").contains("p1") && !format!("{peppers:?}").contains("7, 7"));
/// ```
#[derive(Clone)]
pub struct Peppers {
    peppers: Vec<Pepper>,
    current: usize,
}

impl Peppers {
    /// Keys one HMAC per pepper. Ids are 1 to 64 characters of `A-Za-z0-9._-`, unique; each
    /// pepper has at least 16 bytes. `current` may be omitted when there is exactly one pepper.
    ///
    /// ```
    /// use tenantry::apikeys::Peppers;
    /// use tenantry::SecretBytes;
    /// let short = Peppers::new(vec![("p1".into(), SecretBytes::new(vec![1; 8]))], None);
    /// assert_eq!(short.unwrap_err().code(), "apikey.invalid_config");
    /// ```
    pub fn new(peppers: Vec<(String, SecretBytes)>, current: Option<&str>) -> Result<Self> {
        if peppers.is_empty() {
            return Err(config("at least one pepper is required"));
        }
        let mut keyed: Vec<Pepper> = Vec::with_capacity(peppers.len());
        for (id, secret) in peppers {
            let id_ok = !id.is_empty()
                && id.len() <= MAX_PEPPER_ID_LEN
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !id_ok {
                return Err(config(format!(
                    "pepper id {id:?} must be 1 to {MAX_PEPPER_ID_LEN} characters of A-Za-z0-9._-"
                )));
            }
            if keyed.iter().any(|p| p.id == id) {
                return Err(config(format!("pepper id {id:?} is given twice")));
            }
            if secret.len() < MIN_PEPPER_BYTES {
                return Err(config(format!(
                    "pepper {id:?} has {} bytes; at least {MIN_PEPPER_BYTES} are required (32 random bytes recommended)",
                    secret.len()
                )));
            }
            let mac = <HmacSha256 as KeyInit>::new_from_slice(secret.expose())
                .map_err(|_| config("HMAC rejected the pepper length"))?;
            keyed.push(Pepper { id, mac });
        }
        let current = match current {
            Some(want) => keyed
                .iter()
                .position(|p| p.id == want)
                // Never the value given: a pepper's secret put there by mistake would be logged.
                .ok_or_else(|| {
                    let ids: Vec<&str> = keyed.iter().map(|p| p.id.as_str()).collect();
                    config(format!(
                        "the current pepper must be the id of one of the peppers ({})",
                        ids.join(", ")
                    ))
                })?,
            None if keyed.len() == 1 => 0,
            None => return Err(config("several peppers are configured: name the current one")),
        };
        Ok(Peppers { peppers: keyed, current })
    }

    /// The id of the pepper that hashes new keys.
    ///
    /// ```
    /// use tenantry::apikeys::Peppers;
    /// let p = Peppers::new(vec![("a".into(), tenantry::SecretBytes::new(vec![1; 16]))], None).unwrap();
    /// assert_eq!(p.current_id(), "a");
    /// ```
    pub fn current_id(&self) -> &str {
        self.peppers.get(self.current).map(|p| p.id.as_str()).unwrap_or_default()
    }

    /// True when a pepper with this id is configured.
    ///
    /// ```
    /// use tenantry::apikeys::Peppers;
    /// let p = Peppers::new(vec![("a".into(), tenantry::SecretBytes::new(vec![1; 16]))], None).unwrap();
    /// assert!(p.contains("a") && !p.contains("b"));
    /// ```
    pub fn contains(&self, id: &str) -> bool {
        self.peppers.iter().any(|p| p.id == id)
    }

    /// HMAC-SHA256 of `token` keyed with pepper `id`, as 64 lowercase hex digits.
    ///
    /// ```
    /// use tenantry::apikeys::Peppers;
    /// let p = Peppers::new(vec![("a".into(), tenantry::SecretBytes::new(vec![1; 16]))], None).unwrap();
    /// assert_eq!(p.hash("b", "x").unwrap_err().code(), "apikey.unknown_pepper");
    /// ```
    pub fn hash(&self, id: &str, token: &str) -> Result<String> {
        Ok(crate::hex::encode(&self.digest_with(id, token)?))
    }

    /// HMAC-SHA256 of `token` keyed with the current pepper, as 64 lowercase hex digits.
    ///
    /// ```
    /// use tenantry::apikeys::Peppers;
    /// let p = Peppers::new(vec![("a".into(), tenantry::SecretBytes::new(vec![1; 16]))], None).unwrap();
    /// assert_eq!(p.hash_current("x"), p.hash("a", "x").unwrap());
    /// ```
    pub fn hash_current(&self, token: &str) -> String {
        match self.peppers.get(self.current) {
            Some(pepper) => crate::hex::encode(&Self::digest(pepper, token)),
            None => String::new(),
        }
    }

    /// The raw HMAC of `token` keyed with pepper `id` (see [`hash`](Self::hash)).
    pub(crate) fn digest_with(&self, id: &str, token: &str) -> Result<[u8; 32]> {
        let pepper = self.peppers.iter().find(|p| p.id == id).ok_or_else(|| unknown_pepper(id))?;
        Ok(Self::digest(pepper, token))
    }

    fn digest(pepper: &Pepper, token: &str) -> [u8; 32] {
        let mut mac = pepper.mac.clone();
        mac.update(token.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

impl std::fmt::Debug for Peppers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.peppers.iter().map(|p| p.id.as_str()).collect();
        write!(f, "Peppers(ids: {ids:?}, current: {:?}, secrets: ***)", self.current_id())
    }
}

fn unknown_pepper(id: &str) -> Error {
    Error::new(
        ErrorCode::ApiKeyUnknownPepper,
        format!("the record was hashed with pepper {id:?}, which is not configured"),
    )
}

/// The 32 bytes of a stored hash, if it has the stored form: 64 lowercase hex digits.
pub(crate) fn decode_hash(hash: &str) -> Option<[u8; 32]> {
    if hash.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    crate::hex::decode(hash)
}

fn config(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::ApiKeyInvalidConfig, message)
}
