//! API keys the way GitHub and Unkey issue them: `{prefix}_{environment}_{body}` tokens with an
//! offline CRC32 checksum, stored only as a peppered HMAC-SHA256, verified on the request path
//! into a verdict (never an exception for an ordinary bad key), with scopes and rotation.
//!
//! ```
//! use tenantry::apikeys::{ApiKeys, ApiKeysConfig, KeyOptions, RequiredScopes, VerdictCode, VerifyOptions};
//! use tenantry::SecretBytes;
//!
//! let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", SecretBytes::new(vec![7; 32]))]))?;
//! let options = KeyOptions { scopes: vec!["webhooks:write".into()], ..KeyOptions::default() };
//! let issued = keys.generate(&options, 1_700_000_000)?;
//! // Store issued.record (look it up by key_id); show issued.token() to its owner once.
//! let key_id = keys.parse(issued.token())?.key_id;
//! assert_eq!(key_id, issued.record.key_id);
//! let need = VerifyOptions { required_scopes: RequiredScopes::all_of(["webhooks:write"])?, environment: None };
//! let verdict = keys.verify(issued.token(), Some(&issued.record), &need, 1_700_000_060)?;
//! assert_eq!(verdict.code, VerdictCode::Valid);
//! # Ok::<(), tenantry::Error>(())
//! ```

mod api_keys;
pub mod base62;
mod peppers;
mod record;
mod scopes;
mod token;
mod verdict;

pub use api_keys::{ApiKeys, ApiKeysConfig, DEFAULT_TOUCH_INTERVAL_SECS, VerifyOptions};
pub use peppers::{MIN_PEPPER_BYTES, Peppers};
pub use record::{DEFAULT_ENVIRONMENT, IssuedKey, KeyOptions, KeyRecord, RolledKey};
pub use scopes::{
    RequiredScopes, ScopeRequirement, granted_by, grants, is_concrete_scope, is_valid_scope, validate_scopes,
};
pub use token::{
    BODY_LEN, CHECKSUM_LEN, KEY_ID_LEN, MAX_TOKEN_LEN, ParsedToken, RANDOM_BYTES, SECRET_LEN, checksum,
    is_valid_tag,
};
pub use verdict::{Rehash, Verdict, VerdictCode};
