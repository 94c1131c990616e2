//! [`ApiKeys`]: one key format (prefix, peppers, environments, scope vocabulary), built once;
//! issues, parses, hashes, verifies, rolls and revokes keys.

use super::peppers::{Peppers, decode_hash};
use super::record::{IssuedKey, KeyOptions, KeyRecord, RolledKey};
use super::scopes::{RequiredScopes, grants, invalid_scope, is_concrete_scope, is_valid_scope, shown};
use super::token::{self, ParsedToken, RANDOM_BYTES};
use super::verdict::{Rehash, Verdict, VerdictCode};
use crate::{Error, ErrorCode, Result, SecretBytes, random, secret};

/// The default interval after which a verdict asks the caller to record `last_used_at` again.
///
/// ```
/// assert_eq!(tenantry::apikeys::DEFAULT_TOUCH_INTERVAL_SECS, 60);
/// ```
pub const DEFAULT_TOUCH_INTERVAL_SECS: i64 = 60;
/// Longest key name.
const MAX_NAME_LEN: usize = 256;

/// The settings an [`ApiKeys`] is built from.
///
/// ```
/// use tenantry::apikeys::ApiKeysConfig;
/// let mut config = ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))]);
/// config.environments = Some(vec!["live".into(), "test".into()]);
/// assert_eq!(config.touch_interval, 60);
/// ```
#[derive(Debug, Clone)]
pub struct ApiKeysConfig {
    /// Token prefix, `[a-z][a-z0-9]{0,15}` (e.g. `tk`).
    pub prefix: String,
    /// Peppers by id (at least 16 bytes each).
    pub peppers: Vec<(String, SecretBytes)>,
    /// The pepper that hashes new keys (may be omitted with a single pepper).
    pub current_pepper: Option<String>,
    /// The environment tags keys may carry; `None` accepts any valid tag.
    pub environments: Option<Vec<String>>,
    /// The scope vocabulary (`resource:action`); when set, granted and required scopes must come
    /// from it (wildcards must cover at least one of them).
    pub known_scopes: Option<Vec<String>>,
    /// Seconds after which a verdict asks the caller to record `last_used_at` again (default 60).
    pub touch_interval: i64,
}

impl ApiKeysConfig {
    /// A config with a prefix and peppers, and defaults for everything else.
    ///
    /// ```
    /// let config = tenantry::apikeys::ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))]);
    /// assert_eq!(config.prefix, "tk");
    /// ```
    pub fn new<I, S>(prefix: &str, peppers: I) -> Self
    where
        I: IntoIterator<Item = (S, SecretBytes)>,
        S: Into<String>,
    {
        ApiKeysConfig {
            prefix: prefix.to_owned(),
            peppers: peppers.into_iter().map(|(id, s)| (id.into(), s)).collect(),
            current_pepper: None,
            environments: None,
            known_scopes: None,
            touch_interval: DEFAULT_TOUCH_INTERVAL_SECS,
        }
    }
}

/// What a request needs from a key besides a matching hash.
///
/// ```
/// use tenantry::apikeys::{RequiredScopes, VerifyOptions};
/// let options = VerifyOptions {
///     required_scopes: RequiredScopes::all_of(["settings:read"]).unwrap(),
///     environment: Some("live".into()),
/// };
/// assert!(options.environment.is_some());
/// ```
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Scopes the request requires (all-of, with any-of groups).
    pub required_scopes: RequiredScopes,
    /// The environment this service accepts; `None` accepts the record's.
    pub environment: Option<String>,
}

/// An API key format, built once (`Send + Sync`): issues, parses, hashes, verifies and rolls keys.
///
/// ```
/// use tenantry::apikeys::{ApiKeys, ApiKeysConfig, KeyOptions, VerdictCode, VerifyOptions};
/// use tenantry::SecretBytes;
/// let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", SecretBytes::new(vec![7; 32]))]))?;
/// let options = KeyOptions { scopes: vec!["webhooks:*".into()], ..KeyOptions::default() };
/// let issued = keys.generate(&options, 1_700_000_000)?;
/// let verdict = keys.verify(issued.token(), Some(&issued.record), &VerifyOptions::default(), 1_700_000_100)?;
/// assert_eq!(verdict.code, VerdictCode::Valid);
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ApiKeys {
    prefix: String,
    peppers: Peppers,
    environments: Option<Vec<String>>,
    known_scopes: Option<Vec<String>>,
    touch_interval: i64,
}

impl ApiKeys {
    /// Validates the config and keys the peppers.
    ///
    /// ```
    /// use tenantry::apikeys::{ApiKeys, ApiKeysConfig};
    /// let bad = ApiKeysConfig::new("TK", [("p1", tenantry::SecretBytes::new(vec![7; 32]))]);
    /// assert_eq!(ApiKeys::new(bad).unwrap_err().code(), "apikey.invalid_config");
    /// ```
    pub fn new(config: ApiKeysConfig) -> Result<Self> {
        let ApiKeysConfig { prefix, peppers, current_pepper, environments, known_scopes, touch_interval } =
            config;
        if !token::is_valid_tag(&prefix) {
            return Err(invalid_config(format!("prefix {prefix:?} must match [a-z][a-z0-9]{{0,15}}")));
        }
        let peppers = Peppers::new(peppers, current_pepper.as_deref())?;
        if let Some(envs) = &environments {
            if envs.is_empty() {
                return Err(invalid_config("environments, when given, must list at least one tag"));
            }
            for env in envs {
                if !token::is_valid_tag(env) {
                    return Err(invalid_config(format!(
                        "environment {env:?} must match [a-z][a-z0-9]{{0,15}}"
                    )));
                }
            }
        }
        if let Some(known) = &known_scopes {
            for scope in known {
                if !is_concrete_scope(scope) {
                    return Err(invalid_config(format!(
                        "known scope {scope:?} must be a concrete resource:action (no wildcards)"
                    )));
                }
            }
        }
        if touch_interval < 0 {
            return Err(invalid_config("touch_interval must be zero or more seconds"));
        }
        Ok(ApiKeys { prefix, peppers, environments, known_scopes, touch_interval })
    }

    /// The token prefix.
    ///
    /// ```
    /// # let keys = tenantry::apikeys::ApiKeys::new(tenantry::apikeys::ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// assert_eq!(keys.prefix(), "tk");
    /// ```
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The id of the pepper that hashes new keys.
    ///
    /// ```
    /// # let keys = tenantry::apikeys::ApiKeys::new(tenantry::apikeys::ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// assert_eq!(keys.current_pepper(), "p1");
    /// ```
    pub fn current_pepper(&self) -> &str {
        self.peppers.current_id()
    }

    /// Issues a key with fresh randomness from the OS CSPRNG.
    ///
    /// ```
    /// # let keys = tenantry::apikeys::ApiKeys::new(tenantry::apikeys::ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// let a = keys.generate(&Default::default(), 0).unwrap();
    /// let b = keys.generate(&Default::default(), 0).unwrap();
    /// assert_ne!(a.token(), b.token());
    /// ```
    pub fn generate(&self, options: &KeyOptions, now: i64) -> Result<IssuedKey> {
        let mut random = [0u8; RANDOM_BYTES];
        random::fill(&mut random)?;
        let issued = self.generate_with_random(&random, options, now);
        zeroize::Zeroize::zeroize(&mut random);
        issued
    }

    /// Issues a key from the given random bytes (8 for the key id, 22 for the secret): the pure
    /// form of [`generate`](Self::generate), for conformance vectors. Real keys need CSPRNG bytes.
    ///
    /// Fails with `apikey.invalid_config` for an environment the config does not allow,
    /// `apikey.invalid_scope` for a bad or unknown scope, `input.invalid` for a bad window or name.
    ///
    /// ```
    /// use tenantry::apikeys::{ApiKeys, ApiKeysConfig, KeyOptions};
    /// let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// let issued = keys.generate_with_random(&[0; 30], &KeyOptions::default(), 0).unwrap();
    /// assert_eq!(issued.token().len(), "tk_live_".len() + 47);
    /// let bad = KeyOptions { scopes: vec!["everything".into()], ..KeyOptions::default() };
    /// assert_eq!(keys.generate_with_random(&[0; 30], &bad, 0).unwrap_err().code(), "apikey.invalid_scope");
    /// ```
    pub fn generate_with_random(
        &self,
        random: &[u8; RANDOM_BYTES],
        options: &KeyOptions,
        now: i64,
    ) -> Result<IssuedKey> {
        self.check_environment(&options.environment)?;
        for scope in &options.scopes {
            self.check_granted_scope(scope)?;
        }
        if let Some(expires_at) = options.expires_at {
            if expires_at <= now {
                return Err(Error::new(ErrorCode::InvalidInput, "expires_at must be later than now"));
            }
            if options.not_before.is_some_and(|nb| nb >= expires_at) {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    "not_before must be earlier than expires_at",
                ));
            }
        }
        if let Some(name) = &options.name
            && (name.chars().count() > MAX_NAME_LEN || name.chars().any(char::is_control))
        {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("key name must be at most {MAX_NAME_LEN} characters without control characters"),
            ));
        }
        let body = token::body_from_random(random);
        let token = format!("{}_{}_{}", self.prefix, options.environment, body);
        let parts =
            token::TokenParts { prefix: &self.prefix, environment: &options.environment, body: &body };
        let record = KeyRecord {
            key_id: body.get(..token::KEY_ID_LEN).unwrap_or_default().to_owned(),
            hash: self.peppers.hash_current(&token),
            pepper_id: self.peppers.current_id().to_owned(),
            environment: options.environment.clone(),
            scopes: options.scopes.clone(),
            name: options.name.clone(),
            created_at: now,
            expires_at: options.expires_at,
            not_before: options.not_before,
            revoked_at: None,
            disabled: false,
            last_used_at: None,
            masked: token::mask(&parts),
        };
        drop(zeroize::Zeroizing::new(body));
        Ok(IssuedKey::new(token, record))
    }

    /// Parses a token offline: its environment and public key id, or `apikey.malformed` /
    /// `apikey.bad_checksum` without any lookup.
    ///
    /// ```
    /// # let keys = tenantry::apikeys::ApiKeys::new(tenantry::apikeys::ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// assert_eq!(keys.parse("tk_live_nope").unwrap_err().code(), "apikey.malformed");
    /// let token = keys.generate(&Default::default(), 0).unwrap().token().to_owned();
    /// let (head, last) = token.split_at(token.len() - 1);
    /// let typo = format!("{head}{}", if last == "a" { "b" } else { "a" });
    /// assert_eq!(keys.parse(&typo).unwrap_err().code(), "apikey.bad_checksum");
    /// ```
    pub fn parse(&self, token: &str) -> Result<ParsedToken> {
        let (environment, key_id) = self.parse_parts(token)?;
        Ok(ParsedToken { environment: environment.to_owned(), key_id: key_id.to_owned() })
    }

    fn parse_parts<'a>(&self, token: &'a str) -> Result<(&'a str, &'a str)> {
        let parts = token::split(token)?;
        if parts.prefix != self.prefix || self.check_environment(parts.environment).is_err() {
            return Err(token::malformed());
        }
        let key_id = token::check_body(parts.body)?;
        Ok((parts.environment, key_id))
    }

    /// HMAC-SHA256 of `token` keyed with the current pepper (64 lowercase hex digits), for callers
    /// who look keys up by hash. Parse the token first to reject look-alikes without a lookup.
    ///
    /// ```
    /// # let keys = tenantry::apikeys::ApiKeys::new(tenantry::apikeys::ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// let issued = keys.generate(&Default::default(), 0).unwrap();
    /// assert_eq!(keys.hash_token(issued.token()), issued.record.hash);
    /// ```
    pub fn hash_token(&self, token: &str) -> String {
        self.peppers.hash_current(token)
    }

    /// Verifies a token against its stored record (`None` when the lookup found nothing).
    ///
    /// Checks in order: shape (`MALFORMED`), checksum (`BAD_CHECKSUM`), record and hash, compared
    /// in constant time (`NOT_FOUND`), `REVOKED`, `DISABLED`, `EXPIRED`, `NOT_YET_VALID`,
    /// `ENVIRONMENT_MISMATCH`, `INSUFFICIENT_SCOPE`. An ordinary bad key is a verdict; errors are
    /// reserved for caller bugs: a required scope that is not valid or not known
    /// (`apikey.invalid_scope`), a corrupt record (`apikey.invalid_record`), or a record hashed
    /// with a pepper that is no longer configured (`apikey.unknown_pepper`).
    ///
    /// ```
    /// use tenantry::apikeys::{ApiKeys, ApiKeysConfig, KeyOptions, RequiredScopes, VerdictCode, VerifyOptions};
    /// let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// let options = KeyOptions { scopes: vec!["settings:read".into()], ..KeyOptions::default() };
    /// let issued = keys.generate(&options, 0).unwrap();
    /// let need = VerifyOptions { required_scopes: RequiredScopes::all_of(["settings:write"]).unwrap(), environment: None };
    /// let verdict = keys.verify(issued.token(), Some(&issued.record), &need, 10).unwrap();
    /// assert_eq!(verdict.code, VerdictCode::InsufficientScope);
    /// assert_eq!(verdict.missing_scopes, vec!["settings:write"]);
    /// assert_eq!(keys.verify("tk_live_x", None, &need, 10).unwrap().code, VerdictCode::Malformed);
    /// ```
    pub fn verify(
        &self,
        token: &str,
        record: Option<&KeyRecord>,
        options: &VerifyOptions,
        now: i64,
    ) -> Result<Verdict> {
        if let Some(known) = &self.known_scopes
            && let Some(unknown) = options.required_scopes.scopes().find(|s| !known.iter().any(|k| k == s))
        {
            return Err(Error::new(
                ErrorCode::ApiKeyInvalidScope,
                format!("required scope {} is not one of the known scopes", shown(unknown)),
            ));
        }
        let (environment, key_id) = match self.parse_parts(token) {
            Ok(parts) => parts,
            Err(e) if e.kind() == ErrorCode::ApiKeyBadChecksum => {
                return Ok(Verdict::rejected(VerdictCode::BadChecksum, None, None));
            }
            Err(_) => return Ok(Verdict::rejected(VerdictCode::Malformed, None, None)),
        };
        let reject = |code| Verdict::rejected(code, Some(key_id.to_owned()), Some(environment.to_owned()));
        let Some(record) = record else {
            // Hash anyway so a missing record takes as long as a wrong one.
            std::hint::black_box(self.peppers.digest_with(self.peppers.current_id(), token).ok());
            return Ok(reject(VerdictCode::NotFound));
        };
        let Some(stored) = decode_hash(&record.hash) else {
            return Err(KeyRecord::invalid("hash must be 64 lowercase hex digits"));
        };
        if let Some(bad) = record.scopes.iter().find(|s| !is_valid_scope(s)) {
            return Err(KeyRecord::invalid(format_args!("scope {} is not a valid scope", shown(bad))));
        }
        let computed = self.peppers.digest_with(&record.pepper_id, token)?;
        let hash_matches = secret::ct_eq(&computed, &stored);
        if !(hash_matches && record.key_id == key_id) {
            return Ok(reject(VerdictCode::NotFound));
        }
        if record.revoked_at.is_some() {
            return Ok(reject(VerdictCode::Revoked));
        }
        if record.disabled {
            return Ok(reject(VerdictCode::Disabled));
        }
        if record.expires_at.is_some_and(|t| now >= t) {
            return Ok(reject(VerdictCode::Expired));
        }
        if record.not_before.is_some_and(|t| now < t) {
            return Ok(reject(VerdictCode::NotYetValid));
        }
        if record.environment != environment
            || options.environment.as_deref().is_some_and(|e| e != environment)
        {
            return Ok(reject(VerdictCode::EnvironmentMismatch));
        }
        let missing = options.required_scopes.missing(&record.scopes);
        if !missing.is_empty() {
            let mut verdict = reject(VerdictCode::InsufficientScope);
            verdict.missing_scopes = missing;
            return Ok(verdict);
        }
        let rehash = (record.pepper_id != self.peppers.current_id()).then(|| Rehash {
            hash: self.peppers.hash_current(token),
            pepper_id: self.peppers.current_id().to_owned(),
        });
        let touch =
            record.last_used_at.is_none_or(|t| t > now || now.saturating_sub(t) >= self.touch_interval);
        let mut verdict = reject(VerdictCode::Valid);
        verdict.rehash = rehash;
        verdict.touch = touch;
        Ok(verdict)
    }

    /// Rolls a key: a new key with the old one's environment, scopes, name and (while it lies
    /// ahead) start time, and the old record expiring at `now + grace` (or earlier, if it expires
    /// sooner), so both work during the handover. `expires_at` sets the new key's expiry.
    ///
    /// Only a key that still verifies can be rolled: a revoked, disabled or expired one is
    /// `apikey.inactive`, since its new key would bring its access back (issue a new key instead).
    ///
    /// ```
    /// # let keys = tenantry::apikeys::ApiKeys::new(tenantry::apikeys::ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// let old = keys.generate(&Default::default(), 0).unwrap().record;
    /// assert_eq!(keys.roll(&old, -1, 10, None).unwrap_err().code(), "input.invalid");
    /// assert_eq!(keys.roll(&old.revoked(5), 60, 10, None).err().map(|e| e.code()), Some("apikey.inactive"));
    /// ```
    pub fn roll(
        &self,
        record: &KeyRecord,
        grace: i64,
        now: i64,
        expires_at: Option<i64>,
    ) -> Result<RolledKey> {
        let mut random = [0u8; RANDOM_BYTES];
        random::fill(&mut random)?;
        let rolled = self.roll_with_random(&random, record, grace, now, expires_at);
        zeroize::Zeroize::zeroize(&mut random);
        rolled
    }

    /// [`roll`](Self::roll) with the new key's random bytes given (for conformance vectors).
    ///
    /// ```
    /// # let keys = tenantry::apikeys::ApiKeys::new(tenantry::apikeys::ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))])).unwrap();
    /// let old = keys.generate(&Default::default(), 0).unwrap().record;
    /// let rolled = keys.roll_with_random(&[1; 30], &old, 60, 100, None).unwrap();
    /// assert_eq!(rolled.previous.expires_at, Some(160));
    /// // A grace period ending after 9999 is refused, as such a time is everywhere.
    /// let err = keys.roll_with_random(&[1; 30], &old, 1_000_000_000_000, 100, None).unwrap_err();
    /// assert_eq!(err.code(), "input.invalid_time");
    /// ```
    pub fn roll_with_random(
        &self,
        random: &[u8; RANDOM_BYTES],
        record: &KeyRecord,
        grace: i64,
        now: i64,
        expires_at: Option<i64>,
    ) -> Result<RolledKey> {
        if grace < 0 {
            return Err(Error::new(ErrorCode::InvalidInput, "grace must be zero or more seconds"));
        }
        let inactive = if record.revoked_at.is_some() {
            Some("revoked")
        } else if record.disabled {
            Some("disabled")
        } else if record.expires_at.is_some_and(|t| now >= t) {
            Some("expired")
        } else {
            None
        };
        if let Some(state) = inactive {
            return Err(Error::new(
                ErrorCode::ApiKeyInactive,
                format!(
                    "key {} is {state}: only a key that still verifies can be rolled (issue a new key)",
                    record.key_id
                ),
            ));
        }
        let options = KeyOptions {
            environment: record.environment.clone(),
            scopes: record.scopes.clone(),
            expires_at,
            // A key not valid yet hands over no earlier access than it has.
            not_before: record.not_before.filter(|&t| t > now),
            name: record.name.clone(),
        };
        let issued = self.generate_with_random(random, &options, now)?;
        // The old key's new expiry is a stored time like any other: within 1970 to 9999.
        let handover = crate::time_range::check_secs(now.saturating_add(grace))?;
        let mut previous = record.clone();
        previous.expires_at = Some(record.expires_at.map_or(handover, |t| t.min(handover)));
        Ok(RolledKey { issued, previous })
    }

    /// The regular expression matching exactly the tokens this config issues (for GitHub secret
    /// scanning custom patterns and log scrubbers). Unanchored: add `^…$` to check a whole string.
    ///
    /// ```
    /// use tenantry::apikeys::{ApiKeys, ApiKeysConfig};
    /// let mut config = ApiKeysConfig::new("tk", [("p1", tenantry::SecretBytes::new(vec![7; 32]))]);
    /// config.environments = Some(vec!["live".into(), "test".into()]);
    /// let keys = ApiKeys::new(config).unwrap();
    /// assert_eq!(keys.secret_scanning_pattern(), "tk_(?:live|test)_[0-9A-Za-z]{47}");
    /// ```
    pub fn secret_scanning_pattern(&self) -> String {
        token::scanning_pattern(&self.prefix, self.environments.as_deref())
    }

    fn check_environment(&self, environment: &str) -> Result<()> {
        let allowed = match &self.environments {
            Some(envs) => envs.iter().any(|e| e == environment),
            None => token::is_valid_tag(environment),
        };
        if allowed {
            Ok(())
        } else {
            Err(invalid_config(format!(
                "environment {environment:?} is not allowed (expected a tag matching [a-z][a-z0-9]{{0,15}}{})",
                match &self.environments {
                    Some(envs) => format!(" from {envs:?}"),
                    None => String::new(),
                }
            )))
        }
    }

    fn check_granted_scope(&self, scope: &str) -> Result<()> {
        if !is_valid_scope(scope) {
            return Err(invalid_scope(scope));
        }
        if let Some(known) = &self.known_scopes
            && !known.iter().any(|k| grants(scope, k))
        {
            return Err(Error::new(
                ErrorCode::ApiKeyInvalidScope,
                format!("scope {} does not name or cover any known scope", shown(scope)),
            ));
        }
        Ok(())
    }
}

fn invalid_config(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::ApiKeyInvalidConfig, message)
}
