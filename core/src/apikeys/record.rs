//! What the caller stores for a key ([`KeyRecord`]), what they ask for when issuing one
//! ([`KeyOptions`]), and what issuing returns ([`IssuedKey`], [`RolledKey`]).

use zeroize::Zeroizing;

/// The stored form of an API key: everything needed to verify it, never the token itself.
///
/// Serialized with snake_case field names; the camelCase names the Node package writes
/// (`keyId`, `pepperId`, `createdAt`, ...) are accepted too, so one table serves every language.
/// Unknown fields are ignored.
///
/// ```
/// use tenantry::apikeys::KeyRecord;
/// let record: KeyRecord = serde_json::from_str(r#"{
///     "key_id": "0000000000A", "hash": "00000000000000000000000000000000000000000000000000000000000000ab",
///     "pepper_id": "p1", "environment": "live", "scopes": ["settings:read"], "created_at": 1700000000
/// }"#).unwrap();
/// assert_eq!(record.expires_at, None);
/// let again: KeyRecord = serde_json::from_value(serde_json::to_value(&record).unwrap()).unwrap();
/// assert_eq!(again, record);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeyRecord {
    /// The public key id (the first 11 body characters of the token): safe in logs, the lookup key.
    #[serde(alias = "keyId")]
    pub key_id: String,
    /// HMAC-SHA256 of the token keyed with pepper `pepper_id`, 64 lowercase hex digits.
    pub hash: String,
    /// Which pepper produced `hash`.
    #[serde(alias = "pepperId")]
    pub pepper_id: String,
    /// The environment tag of the token.
    pub environment: String,
    /// Granted scopes (empty grants nothing).
    pub scopes: Vec<String>,
    /// A label for people (e.g. "CI deploy key").
    #[serde(default)]
    pub name: Option<String>,
    /// When the key was issued (Unix seconds).
    #[serde(alias = "createdAt")]
    pub created_at: i64,
    /// The key stops working at this time (Unix seconds), if set.
    #[serde(default, alias = "expiresAt")]
    pub expires_at: Option<i64>,
    /// The key works only from this time on (Unix seconds), if set.
    #[serde(default, alias = "notBefore")]
    pub not_before: Option<i64>,
    /// When the key was revoked (Unix seconds); a revoked key never verifies again.
    #[serde(default, alias = "revokedAt")]
    pub revoked_at: Option<i64>,
    /// A disabled key does not verify until re-enabled (null, as a nullable column holds it, is
    /// `false`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub disabled: bool,
    /// When the key last verified, as recorded by the caller on a verdict's `touch`.
    #[serde(default, alias = "lastUsedAt")]
    pub last_used_at: Option<i64>,
    /// The display form, e.g. `tk_live_0AbC…wxyz` (null is empty).
    #[serde(default, deserialize_with = "null_as_default")]
    pub masked: String,
}

/// A field that may be null, as an absent one is: its default. The other optional fields are
/// `Option`s, which read null so already.
fn null_as_default<'de, D, T>(de: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + serde::Deserialize<'de>,
{
    Ok(<Option<T> as serde::Deserialize>::deserialize(de)?.unwrap_or_default())
}

impl KeyRecord {
    /// Reads a stored record from JSON; missing fields or wrong types are `apikey.invalid_record`.
    ///
    /// ```
    /// use tenantry::apikeys::KeyRecord;
    /// let err = KeyRecord::from_json(serde_json::json!({"key_id": "x"})).unwrap_err();
    /// assert_eq!(err.code(), "apikey.invalid_record");
    /// // A row's null columns read as absent ones do.
    /// let row = serde_json::json!({
    ///     "key_id": "0000000000A", "hash": "ab", "pepper_id": "p1", "environment": "live",
    ///     "scopes": [], "created_at": 0, "disabled": null, "masked": null, "expires_at": null
    /// });
    /// let record = KeyRecord::from_json(row)?;
    /// assert_eq!((record.disabled, record.masked.as_str(), record.expires_at), (false, "", None));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn from_json(value: serde_json::Value) -> crate::Result<KeyRecord> {
        serde_json::from_value(value).map_err(KeyRecord::invalid)
    }

    /// Reads a stored record from any serde deserializer (the bindings read host objects directly);
    /// failures are `apikey.invalid_record`.
    ///
    /// ```
    /// use tenantry::apikeys::KeyRecord;
    /// let mut de = serde_json::Deserializer::from_str(r#"{"key_id": 5}"#);
    /// assert_eq!(KeyRecord::from_deserializer(&mut de).unwrap_err().code(), "apikey.invalid_record");
    /// ```
    pub fn from_deserializer<'de, D: serde::Deserializer<'de>>(deserializer: D) -> crate::Result<KeyRecord> {
        <KeyRecord as serde::Deserialize>::deserialize(deserializer).map_err(KeyRecord::invalid)
    }

    /// The `apikey.invalid_record` error for a stored record, saying `why` it is refused: what
    /// [`from_json`](KeyRecord::from_json) and [`from_deserializer`](KeyRecord::from_deserializer)
    /// give, for a binding whose deserializer's errors print more than their reason.
    ///
    /// ```
    /// use tenantry::apikeys::KeyRecord;
    /// let err = KeyRecord::invalid("invalid type: floating point `NaN`, expected i64");
    /// assert_eq!(err.code(), "apikey.invalid_record");
    /// assert_eq!(err.message(), "invalid key record: invalid type: floating point `NaN`, expected i64");
    /// ```
    pub fn invalid(why: impl std::fmt::Display) -> crate::Error {
        crate::Error::new(crate::ErrorCode::ApiKeyInvalidRecord, format!("invalid key record: {why}"))
    }

    /// The record as JSON (snake_case field names, every field present).
    ///
    /// ```
    /// # use tenantry::apikeys::{ApiKeys, ApiKeysConfig};
    /// # let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// let record = keys.generate(&Default::default(), 100).unwrap().record;
    /// assert_eq!(record.to_json()["created_at"], 100);
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// This record, revoked at `now` (an earlier revocation time is kept).
    ///
    /// ```
    /// # use tenantry::apikeys::{ApiKeys, ApiKeysConfig};
    /// # let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// let record = keys.generate(&Default::default(), 100).unwrap().record;
    /// assert_eq!(record.revoked(200).revoked_at, Some(200));
    /// assert_eq!(record.revoked(200).revoked(300).revoked_at, Some(200));
    /// ```
    pub fn revoked(&self, now: i64) -> KeyRecord {
        let mut out = self.clone();
        out.revoked_at = Some(self.revoked_at.map_or(now, |t| t.min(now)));
        out
    }
}

/// The environment tag of a key issued without one.
///
/// ```
/// assert_eq!(tenantry::apikeys::DEFAULT_ENVIRONMENT, "live");
/// ```
pub const DEFAULT_ENVIRONMENT: &str = "live";

/// What to issue: environment, scopes, validity window and a name.
///
/// ```
/// use tenantry::apikeys::KeyOptions;
/// let options = KeyOptions { scopes: vec!["settings:read".into()], ..KeyOptions::default() };
/// assert_eq!(options.environment, "live");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeyOptions {
    /// Environment tag, `[a-z][a-z0-9]{0,15}` (default `live`).
    pub environment: String,
    /// Scopes to grant, validated on issue.
    pub scopes: Vec<String>,
    /// Expiry (Unix seconds), after `now`.
    pub expires_at: Option<i64>,
    /// Start of validity (Unix seconds).
    pub not_before: Option<i64>,
    /// A label for people.
    pub name: Option<String>,
}

impl Default for KeyOptions {
    fn default() -> Self {
        KeyOptions {
            environment: DEFAULT_ENVIRONMENT.to_owned(),
            scopes: Vec::new(),
            expires_at: None,
            not_before: None,
            name: None,
        }
    }
}

/// A freshly issued key: the token (show it to its owner once) and the record to store.
///
/// `Debug` shows the masked form only; the token is wiped from memory when dropped.
///
/// ```
/// # use tenantry::apikeys::{ApiKeys, ApiKeysConfig};
/// # let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
/// let issued = keys.generate(&Default::default(), 1_700_000_000).unwrap();
/// assert!(issued.token().starts_with("tk_live_"));
/// assert!(!format!("{issued:?}").contains(issued.token()));
/// ```
pub struct IssuedKey {
    token: Zeroizing<String>,
    /// The record to store.
    pub record: KeyRecord,
}

impl IssuedKey {
    pub(crate) fn new(token: String, record: KeyRecord) -> Self {
        IssuedKey { token: Zeroizing::new(token), record }
    }

    /// The token. Show it to its owner once; never log or store it.
    ///
    /// ```
    /// # use tenantry::apikeys::{ApiKeys, ApiKeysConfig};
    /// # let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// let issued = keys.generate(&Default::default(), 0).unwrap();
    /// assert_eq!(keys.parse(issued.token()).unwrap().key_id, issued.record.key_id);
    /// ```
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl std::fmt::Debug for IssuedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IssuedKey(key_id: {:?}, masked: {:?})", self.record.key_id, self.record.masked)
    }
}

/// The result of rolling a key: the new key, and the old record with its new, earlier expiry.
///
/// ```
/// # use tenantry::apikeys::{ApiKeys, ApiKeysConfig};
/// # let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
/// let old = keys.generate(&Default::default(), 1_000).unwrap().record;
/// let rolled = keys.roll(&old, 3_600, 2_000, None).unwrap();
/// assert_eq!(rolled.previous.expires_at, Some(5_600));
/// assert_eq!(rolled.issued.record.scopes, old.scopes);
/// ```
#[derive(Debug)]
pub struct RolledKey {
    /// The new key (same environment, scopes and name).
    pub issued: IssuedKey,
    /// The old record, expiring at `now + grace` (or earlier if it already did).
    pub previous: KeyRecord,
}
