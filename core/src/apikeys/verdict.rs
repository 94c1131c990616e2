//! The answer to "may this token make this request?": a code, the public key id, the missing
//! scopes, and two hints for the caller's storage (re-hash with the new pepper, record last use).

/// Why a token verified or not. Checked in declaration order; the first failing check wins.
///
/// ```
/// use tenantry::apikeys::VerdictCode;
/// assert_eq!(VerdictCode::NotFound.as_str(), "NOT_FOUND");
/// assert_eq!(serde_json::to_string(&VerdictCode::InsufficientScope).unwrap(), "\"INSUFFICIENT_SCOPE\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerdictCode {
    /// Every check passed.
    Valid,
    /// Not of this config's shape (prefix, environment tag, body length or alphabet).
    Malformed,
    /// Shaped right, but the checksum does not match: mistyped, truncated or forged.
    BadChecksum,
    /// No record, or the hash does not match (never says whether the key id exists).
    NotFound,
    /// The record is revoked.
    Revoked,
    /// The record is disabled.
    Disabled,
    /// The record's `expires_at` has passed.
    Expired,
    /// The record's `not_before` is still in the future.
    NotYetValid,
    /// The token's environment is not the one the record or the caller expects.
    EnvironmentMismatch,
    /// The key lacks required scopes; see `missing_scopes`.
    InsufficientScope,
}

impl VerdictCode {
    /// The code's string form, e.g. `"BAD_CHECKSUM"`.
    ///
    /// ```
    /// assert_eq!(tenantry::apikeys::VerdictCode::Valid.as_str(), "VALID");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictCode::Valid => "VALID",
            VerdictCode::Malformed => "MALFORMED",
            VerdictCode::BadChecksum => "BAD_CHECKSUM",
            VerdictCode::NotFound => "NOT_FOUND",
            VerdictCode::Revoked => "REVOKED",
            VerdictCode::Disabled => "DISABLED",
            VerdictCode::Expired => "EXPIRED",
            VerdictCode::NotYetValid => "NOT_YET_VALID",
            VerdictCode::EnvironmentMismatch => "ENVIRONMENT_MISMATCH",
            VerdictCode::InsufficientScope => "INSUFFICIENT_SCOPE",
        }
    }
}

/// The record's hash recomputed with the current pepper, for upgrading the stored record in place.
///
/// ```
/// let rehash = tenantry::apikeys::Rehash { hash: "ab".repeat(32), pepper_id: "p2".into() };
/// assert_eq!(rehash.pepper_id, "p2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rehash {
    /// The new `hash` to store.
    pub hash: String,
    /// The new `pepper_id` to store.
    pub pepper_id: String,
}

/// The outcome of [`ApiKeys::verify`](super::ApiKeys::verify).
///
/// ```
/// use tenantry::apikeys::{Verdict, VerdictCode};
/// let verdict = Verdict::rejected(VerdictCode::Malformed, None, None);
/// assert!(!verdict.valid && verdict.code == VerdictCode::Malformed && !verdict.touch);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Verdict {
    /// True exactly when `code` is `VALID`.
    pub valid: bool,
    /// Why.
    pub code: VerdictCode,
    /// The token's public key id, once the token parsed with a valid checksum.
    pub key_id: Option<String>,
    /// The token's environment, once the token parsed with a valid checksum.
    pub environment: Option<String>,
    /// For `INSUFFICIENT_SCOPE`: the required scopes the key lacks (every member of an unmet any-of group).
    pub missing_scopes: Vec<String>,
    /// For a valid key hashed with an older pepper: the new hash and pepper id to store.
    pub rehash: Option<Rehash>,
    /// For a valid key: true when `last_used_at` is unset, older than the touch interval, or
    /// later than `now` (written by a clock ahead of this one, which would hold the next write
    /// back until then), so the caller should record `last_used_at = now` (busy keys do not
    /// write on every request).
    pub touch: bool,
}

impl Verdict {
    /// A failed verdict with no hints.
    ///
    /// ```
    /// use tenantry::apikeys::{Verdict, VerdictCode};
    /// let v = Verdict::rejected(VerdictCode::Revoked, Some("0000000000A".into()), Some("live".into()));
    /// assert_eq!(v.key_id.as_deref(), Some("0000000000A"));
    /// ```
    pub fn rejected(code: VerdictCode, key_id: Option<String>, environment: Option<String>) -> Self {
        Verdict {
            valid: code == VerdictCode::Valid,
            code,
            key_id,
            environment,
            missing_scopes: Vec::new(),
            rehash: None,
            touch: false,
        }
    }
}
