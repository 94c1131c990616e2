//! Webhook key material: `whsec_` shared secrets and `whsk_` / `whpk_` ed25519 keys.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};
use ed25519_dalek::{SigningKey, VerifyingKey};
use hmac::{Hmac, KeyInit};
use sha2::Sha256;

use crate::{Error, ErrorCode, Result, SecretBytes, random};

/// HMAC-SHA256, the MAC of every symmetric webhook scheme.
pub(crate) type HmacSha256 = Hmac<Sha256>;

const SECRET_PREFIX: &str = "whsec_";
const SIGNING_KEY_PREFIX: &str = "whsk_";
const PUBLIC_KEY_PREFIX: &str = "whpk_";
const MIN_SECRET_BYTES: usize = 16;
const MAX_SECRET_BYTES: usize = 1024;

/// One key a [`Webhook`](super::Webhook) signs or verifies with.
///
/// Parsed from its string form with [`WebhookKey::parse`]; its `Debug` form never shows key bytes.
///
/// ```
/// use tenantry::webhooks::WebhookKey;
/// let key = WebhookKey::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
/// assert!(matches!(key, WebhookKey::Symmetric(_)));
/// assert!(format!("{key:?}").contains("***"));
/// ```
#[derive(Clone)]
pub enum WebhookKey {
    /// A `whsec_` shared secret (scheme `v1`, HMAC-SHA256).
    Symmetric(SymmetricKey),
    /// A `whsk_` ed25519 secret key (scheme `v1a`): signs, and verifies its own signatures.
    Signing(Box<SigningKey>),
    /// A `whpk_` ed25519 public key (scheme `v1a`): verifies only.
    Verifying(VerifyingKey),
}

/// A decoded `whsec_` secret with its HMAC state keyed once.
///
/// ```
/// use tenantry::webhooks::{SymmetricKey, WebhookKey};
/// let key = SymmetricKey::new(tenantry::SecretBytes::new(vec![7; 32]))?;
/// let key = WebhookKey::Symmetric(key);
/// assert!(matches!(key, WebhookKey::Symmetric(_)));
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Clone)]
pub struct SymmetricKey {
    secret: SecretBytes,
    mac: HmacSha256,
}

impl SymmetricKey {
    /// Keys HMAC-SHA256 with `secret` (at least 16 bytes).
    ///
    /// ```
    /// let key = tenantry::webhooks::SymmetricKey::new(tenantry::SecretBytes::new(vec![7; 32])).unwrap();
    /// assert_eq!(key.secret().len(), 32);
    /// ```
    pub fn new(secret: SecretBytes) -> Result<Self> {
        if secret.len() < MIN_SECRET_BYTES || secret.len() > MAX_SECRET_BYTES {
            return Err(Error::new(
                ErrorCode::WebhookInvalidSecret,
                format!(
                    "webhook secret decodes to {} bytes; expected {MIN_SECRET_BYTES} to {MAX_SECRET_BYTES}",
                    secret.len()
                ),
            ));
        }
        let mac = hmac_for(secret.expose())?;
        Ok(SymmetricKey { secret, mac })
    }

    /// The secret bytes.
    ///
    /// ```
    /// let key = tenantry::webhooks::SymmetricKey::new(tenantry::SecretBytes::new(vec![7; 16])).unwrap();
    /// assert_eq!(key.secret().expose(), &[7; 16]);
    /// ```
    pub fn secret(&self) -> &SecretBytes {
        &self.secret
    }

    /// A fresh HMAC state keyed with this secret (cloned, not re-derived).
    pub(crate) fn mac(&self) -> HmacSha256 {
        self.mac.clone()
    }
}

/// Keys HMAC-SHA256 with `key` (HMAC accepts every key length, so this fails only in theory).
pub(crate) fn hmac_for(key: &[u8]) -> Result<HmacSha256> {
    <HmacSha256 as KeyInit>::new_from_slice(key)
        .map_err(|_| Error::new(ErrorCode::InvalidInput, "HMAC key length rejected"))
}

impl std::fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SymmetricKey(***, {} bytes)", self.secret.len())
    }
}

impl std::fmt::Debug for WebhookKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookKey::Symmetric(k) => write!(f, "WebhookKey::Symmetric({k:?})"),
            WebhookKey::Signing(_) => f.write_str("WebhookKey::Signing(***)"),
            WebhookKey::Verifying(k) => {
                write!(f, "WebhookKey::Verifying({PUBLIC_KEY_PREFIX}{})", STANDARD.encode(k.as_bytes()))
            }
        }
    }
}

impl WebhookKey {
    /// Parses a key from its string form.
    ///
    /// - `whsec_<base64>` or bare base64: a shared secret of at least 16 bytes (padding optional);
    /// - `whsk_<base64>`: an ed25519 secret key, as the 32-byte seed or the 64-byte seed‖public key;
    /// - `whpk_<base64>`: an ed25519 public key (32 bytes) that is not a weak (small-order) point.
    ///
    /// Anything else is `webhook.invalid_secret`; the message never repeats the key.
    ///
    /// ```
    /// use tenantry::webhooks::WebhookKey;
    /// assert!(WebhookKey::parse("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").is_ok());
    /// assert_eq!(WebhookKey::parse("whsec_c2hvcnQ=").unwrap_err().code(), "webhook.invalid_secret");
    /// // The identity point would accept one forged signature for any message.
    /// let identity = "whpk_AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    /// assert_eq!(WebhookKey::parse(identity).err().map(|e| e.code()), Some("webhook.invalid_secret"));
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        if let Some(rest) = text.strip_prefix(SIGNING_KEY_PREFIX) {
            let bytes = decode(rest, "whsk_ key")?;
            let signing = match bytes.expose().len() {
                32 => {
                    let mut seed = [0u8; 32];
                    seed.copy_from_slice(bytes.expose());
                    let key = SigningKey::from_bytes(&seed);
                    zeroize::Zeroize::zeroize(&mut seed);
                    key
                }
                64 => {
                    let mut pair = [0u8; 64];
                    pair.copy_from_slice(bytes.expose());
                    let key = SigningKey::from_keypair_bytes(&pair);
                    zeroize::Zeroize::zeroize(&mut pair);
                    key.map_err(|_| {
                        invalid("whsk_ key: the public half does not match the seed (expected seed || public key)")
                    })?
                }
                n => {
                    return Err(invalid(format!(
                        "whsk_ key decodes to {n} bytes; expected a 32-byte seed or 64-byte seed || public key"
                    )));
                }
            };
            return Ok(WebhookKey::Signing(Box::new(signing)));
        }
        if let Some(rest) = text.strip_prefix(PUBLIC_KEY_PREFIX) {
            let bytes = decode(rest, "whpk_ key")?;
            let array: [u8; 32] = bytes
                .expose()
                .try_into()
                .map_err(|_| invalid(format!("whpk_ key decodes to {} bytes; expected 32", bytes.len())))?;
            let key = VerifyingKey::from_bytes(&array)
                .map_err(|_| invalid("whpk_ key is not a valid ed25519 public key"))?;
            // A small-order point (the identity, all zeros, ...) is not a real public key: with it
            // one signature verifies for almost any message, so anyone could forge webhooks.
            if key.is_weak() {
                return Err(invalid(
                    "whpk_ key is a weak (small-order) ed25519 point, not a real public key",
                ));
            }
            return Ok(WebhookKey::Verifying(key));
        }
        let rest = text.strip_prefix(SECRET_PREFIX).unwrap_or(text);
        let bytes = decode(rest, "webhook secret")?;
        Ok(WebhookKey::Symmetric(SymmetricKey::new(bytes)?))
    }

    /// The public `whpk_` form of an ed25519 key, or `None` for a shared secret.
    ///
    /// ```
    /// use tenantry::webhooks::{generate_keypair, WebhookKey};
    /// let (secret, public) = generate_keypair().unwrap();
    /// let key = WebhookKey::parse(&secret).unwrap();
    /// assert_eq!(key.public_key().as_deref(), Some(public.as_str()));
    /// ```
    pub fn public_key(&self) -> Option<String> {
        let key = match self {
            WebhookKey::Symmetric(_) => return None,
            WebhookKey::Signing(k) => k.verifying_key(),
            WebhookKey::Verifying(k) => *k,
        };
        Some(format!("{PUBLIC_KEY_PREFIX}{}", STANDARD.encode(key.as_bytes())))
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::WebhookInvalidSecret, message)
}

fn decode(text: &str, what: &str) -> Result<SecretBytes> {
    STANDARD_PAD_INDIFFERENT
        .decode(text.trim_end())
        .map(SecretBytes::new)
        .map_err(|_| invalid(format!("{what} is not valid base64")))
}

/// Generates a new `whsec_` secret: 32 bytes from the OS CSPRNG, base64-encoded.
///
/// ```
/// let secret = tenantry::webhooks::generate_secret().unwrap();
/// assert!(secret.starts_with("whsec_"));
/// assert!(tenantry::webhooks::Webhook::new(&secret).is_ok());
/// ```
pub fn generate_secret() -> Result<String> {
    let mut bytes = random::bytes::<32>()?;
    let out = format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes));
    zeroize::Zeroize::zeroize(&mut bytes);
    Ok(out)
}

/// Generates an ed25519 key pair for `v1a` signatures: (`whsk_` seed, `whpk_` public key).
///
/// ```
/// let (secret, public) = tenantry::webhooks::generate_keypair().unwrap();
/// assert!(secret.starts_with("whsk_") && public.starts_with("whpk_"));
/// ```
pub fn generate_keypair() -> Result<(String, String)> {
    let mut seed = random::bytes::<32>()?;
    let key = SigningKey::from_bytes(&seed);
    let secret = format!("{SIGNING_KEY_PREFIX}{}", STANDARD.encode(seed));
    zeroize::Zeroize::zeroize(&mut seed);
    let public = format!("{PUBLIC_KEY_PREFIX}{}", STANDARD.encode(key.verifying_key().as_bytes()));
    Ok((secret, public))
}
