//! One error type for the whole library, with a stable code per failure.
//!
//! Every failure tenantry reports is an [`Error`]: a stable [`ErrorCode`] (its string form, such as
//! `webhook.timestamp_too_old`, is the same in Rust, Python and Node), a human message that says what
//! was wrong and what was expected (never a secret's value), and, for validation failures, the list
//! of individual [`Issue`]s with JSON Pointer paths.
//!
//! The bindings map [`ErrorCode::class`] to one exception class per [`ErrorClass`], so
//! `tenantry.WebhookVerificationError` in Python and `WebhookVerificationError` in Node are the same
//! class of failure as here.

use std::fmt;

/// The result type of every fallible tenantry operation.
///
/// ```
/// fn parse(n: &str) -> tenantry::Result<u32> {
///     n.parse().map_err(|_| tenantry::Error::new(tenantry::ErrorCode::InvalidInput, "not a number"))
/// }
/// assert!(parse("x").is_err());
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The family a failure belongs to: one exception class per family in Python and Node.
///
/// ```
/// use tenantry::{ErrorClass, ErrorCode};
/// assert_eq!(ErrorCode::WebhookTimestampTooOld.class(), ErrorClass::WebhookVerification);
/// assert_eq!(ErrorClass::WebhookVerification.name(), "WebhookVerificationError");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// An argument had the right type but a value tenantry cannot accept.
    InvalidInput,
    /// A webhook configuration problem (bad secret, bad message id, ...).
    Webhook,
    /// A webhook that did not verify.
    WebhookVerification,
    /// An API key configuration or scope problem.
    ApiKey,
    /// A settings schema or registry problem.
    Settings,
    /// A settings document that does not satisfy its schema.
    SettingsValidation,
    /// A settings update raced with another one (etag mismatch).
    ConcurrentUpdate,
    /// A plan catalog or rate limit problem.
    Limits,
    /// A limit that a caller asked to enforce by raising.
    LimitExceeded,
    /// An audit record, chain or export problem.
    Audit,
}

impl ErrorClass {
    /// The exception class name used by the Python and Node bindings.
    ///
    /// ```
    /// assert_eq!(tenantry::ErrorClass::ConcurrentUpdate.name(), "ConcurrentUpdateError");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ErrorClass::InvalidInput => "InvalidInputError",
            ErrorClass::Webhook => "WebhookError",
            ErrorClass::WebhookVerification => "WebhookVerificationError",
            ErrorClass::ApiKey => "ApiKeyError",
            ErrorClass::Settings => "SettingsError",
            ErrorClass::SettingsValidation => "SettingsValidationError",
            ErrorClass::ConcurrentUpdate => "ConcurrentUpdateError",
            ErrorClass::Limits => "LimitsError",
            ErrorClass::LimitExceeded => "LimitExceededError",
            ErrorClass::Audit => "AuditError",
        }
    }
}

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, $class:ident; )*) => {
        /// Every stable failure code tenantry reports.
        ///
        /// ```
        /// assert_eq!(tenantry::ErrorCode::WebhookMissingHeader.as_str(), "webhook.missing_header");
        /// assert_eq!(
        ///     tenantry::ErrorCode::from_code("webhook.missing_header"),
        ///     Some(tenantry::ErrorCode::WebhookMissingHeader)
        /// );
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            ///
            /// ```
            /// use tenantry::ErrorCode;
            /// assert!(ErrorCode::ALL.contains(&ErrorCode::WebhookTimestampTooOld));
            /// ```
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The stable code string, e.g. `webhook.timestamp_too_old`.
            ///
            /// ```
            /// use tenantry::ErrorCode;
            /// assert_eq!(ErrorCode::WebhookTimestampTooOld.as_str(), "webhook.timestamp_too_old");
            /// ```
            pub fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $code, )* }
            }

            /// The family of this code, which selects the exception class in the bindings.
            ///
            /// ```
            /// use tenantry::{ErrorClass, ErrorCode};
            /// assert_eq!(ErrorCode::WebhookTimestampTooOld.class(), ErrorClass::WebhookVerification);
            /// ```
            pub fn class(self) -> ErrorClass {
                match self { $( ErrorCode::$variant => ErrorClass::$class, )* }
            }

            /// Looks a code up by its string form.
            ///
            /// ```
            /// use tenantry::ErrorCode;
            /// assert_eq!(ErrorCode::from_code("webhook.timestamp_too_old"), Some(ErrorCode::WebhookTimestampTooOld));
            /// assert_eq!(ErrorCode::from_code("no.such_code"), None);
            /// ```
            pub fn from_code(code: &str) -> Option<ErrorCode> {
                match code { $( $code => Some(ErrorCode::$variant), )* _ => None }
            }
        }
    };
}

error_codes! {
    // ---- general input -------------------------------------------------------------------
    /// A value that cannot be accepted for an argument (generic).
    InvalidInput => "input.invalid", InvalidInput;
    /// Text that was expected to be JSON does not parse.
    InvalidJson => "input.invalid_json", InvalidInput;
    /// A `datetime` without a timezone, or a time outside the supported range.
    InvalidTime => "input.invalid_time", InvalidInput;

    // ---- webhooks ------------------------------------------------------------------------
    /// A webhook secret or key that does not decode or is too short.
    WebhookInvalidSecret => "webhook.invalid_secret", Webhook;
    /// A message id that is empty or contains `.` or whitespace.
    WebhookInvalidMessageId => "webhook.invalid_message_id", Webhook;
    /// A `Webhook` built with only a public key was asked to sign.
    WebhookCannotSign => "webhook.cannot_sign", Webhook;
    /// An invalid retry policy or event filter.
    WebhookInvalidConfig => "webhook.invalid_config", Webhook;
    /// An event type that is not dot-separated segments of letters, digits, `_` and `-`.
    WebhookInvalidEventType => "webhook.invalid_event_type", Webhook;
    /// A required header is absent.
    WebhookMissingHeader => "webhook.missing_header", WebhookVerification;
    /// A timestamp header that is not a whole number of seconds.
    WebhookInvalidTimestamp => "webhook.invalid_timestamp", WebhookVerification;
    /// A timestamp older than the tolerance.
    WebhookTimestampTooOld => "webhook.timestamp_too_old", WebhookVerification;
    /// A timestamp further in the future than the tolerance.
    WebhookTimestampTooNew => "webhook.timestamp_too_new", WebhookVerification;
    /// No signature in the header matches any secret.
    WebhookNoMatchingSignature => "webhook.no_matching_signature", WebhookVerification;
    /// A signature header that cannot be parsed at all.
    WebhookInvalidSignatureHeader => "webhook.invalid_signature_header", WebhookVerification;
    /// A webhook header that cannot be read as one value: sent several times with values that
    /// disagree (a message id or a timestamp), or not UTF-8 text.
    WebhookInvalidHeader => "webhook.invalid_header", WebhookVerification;

    // ---- api keys ------------------------------------------------------------------------
    /// An invalid `ApiKeys` configuration (prefix, peppers, environment).
    ApiKeyInvalidConfig => "apikey.invalid_config", ApiKey;
    /// A token that does not have the configured shape.
    ApiKeyMalformed => "apikey.malformed", ApiKey;
    /// A token whose checksum does not match its body.
    ApiKeyBadChecksum => "apikey.bad_checksum", ApiKey;
    /// A scope string that is not `resource:action` or a known wildcard.
    ApiKeyInvalidScope => "apikey.invalid_scope", ApiKey;
    /// A stored key record that is missing fields or has wrong types.
    ApiKeyInvalidRecord => "apikey.invalid_record", ApiKey;
    /// A stored key record hashed with a pepper id that is not configured (retired too early).
    ApiKeyUnknownPepper => "apikey.unknown_pepper", ApiKey;
    /// A key that no longer verifies (revoked, disabled or expired) given to `roll`: rolling it
    /// would hand its access to a new key.
    ApiKeyInactive => "apikey.inactive", ApiKey;

    // ---- settings ------------------------------------------------------------------------
    /// A schema that is not valid JSON Schema 2020-12 or uses tenantry annotations wrongly.
    SettingsInvalidSchema => "settings.invalid_schema", Settings;
    /// A document that does not satisfy the schema; see the issues.
    SettingsValidationFailed => "settings.validation_failed", SettingsValidation;
    /// The stored overrides changed since the caller read them.
    SettingsConcurrentUpdate => "settings.concurrent_update", ConcurrentUpdate;
    /// A registry key that the schema does not define.
    SettingsUnknownKey => "settings.unknown_key", Settings;
    /// An invalid merge patch or layer list.
    SettingsInvalidPatch => "settings.invalid_patch", Settings;

    // ---- limits --------------------------------------------------------------------------
    /// A plan catalog that does not parse or is inconsistent.
    LimitsInvalidCatalog => "limits.invalid_catalog", Limits;
    /// A plan name the catalog does not define.
    LimitsUnknownPlan => "limits.unknown_plan", Limits;
    /// A metric the entitlement does not define.
    LimitsUnknownMetric => "limits.unknown_metric", Limits;
    /// A rate limit or period with impossible parameters.
    LimitsInvalidConfig => "limits.invalid_config", Limits;
    /// A limit was exceeded and the caller asked to raise.
    LimitsExceeded => "limits.exceeded", LimitExceeded;
    /// A rate limit was exceeded and the caller asked to raise.
    LimitsRateLimited => "limits.rate_limited", LimitExceeded;
    /// A usage count or request size that is negative, zero where one is needed, or not an integer.
    LimitsInvalidUsage => "limits.invalid_usage", Limits;
    /// Per-tenant overrides that do not parse or do not fit the catalog.
    LimitsInvalidOverrides => "limits.invalid_overrides", Limits;

    // ---- audit ---------------------------------------------------------------------------
    /// A record field that is missing or invalid.
    AuditInvalidRecord => "audit.invalid_record", Audit;
    /// An action that is not dotted lowercase.
    AuditInvalidAction => "audit.invalid_action", Audit;
    /// A severity other than info, warning, error, critical.
    AuditInvalidSeverity => "audit.invalid_severity", Audit;
    /// An actor IP address that does not parse.
    AuditInvalidIp => "audit.invalid_ip", Audit;
    /// A string containing control characters.
    AuditControlCharacters => "audit.control_characters", Audit;
    /// A string or metadata object over its size bound.
    AuditTooLarge => "audit.too_large", Audit;
    /// An invalid seal key.
    AuditInvalidKey => "audit.invalid_key", Audit;
    /// A retention period outside 1 to 36,500 days.
    AuditInvalidRetention => "audit.invalid_retention", Audit;
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found while validating a document: where, which rule, and what was expected.
///
/// ```
/// let issue = tenantry::Issue::new("/limits/seats", "minimum", "must be at least 1");
/// assert_eq!(issue.path, "/limits/seats");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Issue {
    /// JSON Pointer (RFC 6901) to the offending value; `""` is the whole document.
    pub path: String,
    /// A stable rule code such as `minimum`, `format`, `required`, `not_editable`.
    pub code: String,
    /// What was wrong and what was expected.
    pub message: String,
}

impl Issue {
    /// Builds an issue.
    ///
    /// ```
    /// let issue = tenantry::Issue::new("", "type", "expected an object");
    /// assert_eq!(issue.code, "type");
    /// ```
    pub fn new(path: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Issue { path: path.into(), code: code.into(), message: message.into() }
    }
}

/// A tenantry failure: a stable code, a message, and for validation failures, the issues.
///
/// ```
/// use tenantry::{Error, ErrorCode};
/// let err = Error::new(ErrorCode::WebhookMissingHeader, "missing header webhook-id");
/// assert_eq!(err.code(), "webhook.missing_header");
/// assert_eq!(err.to_string(), "missing header webhook-id");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorCode,
    message: String,
    issues: Vec<Issue>,
}

impl Error {
    /// Builds an error with a code and a message.
    ///
    /// ```
    /// let err = tenantry::Error::new(tenantry::ErrorCode::InvalidInput, "bad");
    /// assert_eq!(err.kind(), tenantry::ErrorCode::InvalidInput);
    /// ```
    pub fn new(kind: ErrorCode, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), issues: Vec::new() }
    }

    /// Builds an error carrying validation issues.
    ///
    /// ```
    /// use tenantry::{Error, ErrorCode, Issue};
    /// let err = Error::with_issues(
    ///     ErrorCode::SettingsValidationFailed,
    ///     "1 problem",
    ///     vec![Issue::new("/a", "type", "expected a string")],
    /// );
    /// assert_eq!(err.issues().len(), 1);
    /// ```
    pub fn with_issues(kind: ErrorCode, message: impl Into<String>, issues: Vec<Issue>) -> Self {
        Error { kind, message: message.into(), issues }
    }

    /// The stable code string, e.g. `webhook.timestamp_too_old`.
    ///
    /// ```
    /// let err = tenantry::Error::new(tenantry::ErrorCode::InvalidJson, "x");
    /// assert_eq!(err.code(), "input.invalid_json");
    /// ```
    pub fn code(&self) -> &'static str {
        self.kind.as_str()
    }

    /// The code as an enum, for matching.
    ///
    /// ```
    /// let err = tenantry::Error::new(tenantry::ErrorCode::InvalidJson, "x");
    /// assert!(matches!(err.kind(), tenantry::ErrorCode::InvalidJson));
    /// ```
    pub fn kind(&self) -> ErrorCode {
        self.kind
    }

    /// The family of the failure (selects the exception class in Python and Node).
    ///
    /// ```
    /// let err = tenantry::Error::new(tenantry::ErrorCode::InvalidJson, "x");
    /// assert_eq!(err.class(), tenantry::ErrorClass::InvalidInput);
    /// ```
    pub fn class(&self) -> ErrorClass {
        self.kind.class()
    }

    /// The human message.
    ///
    /// ```
    /// let err = tenantry::Error::new(tenantry::ErrorCode::InvalidJson, "x");
    /// assert_eq!(err.message(), "x");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Validation issues (empty for other failures).
    ///
    /// ```
    /// let err = tenantry::Error::new(tenantry::ErrorCode::InvalidJson, "x");
    /// assert!(err.issues().is_empty());
    /// ```
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {}", code.as_str());
            assert_eq!(ErrorCode::from_code(code.as_str()), Some(*code));
            let (family, rest) = code.as_str().split_once('.').expect("dotted code");
            assert!(!family.is_empty() && !rest.is_empty());
        }
    }
}
