//! Content hashes of documents: SHA-256 of the RFC 8785 canonical form, so key order and number
//! spelling do not matter.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// A stable content hash of a document: 64 lowercase hex digits of SHA-256 over its canonical
/// JSON (RFC 8785), so `{"a":1,"b":2}` and `{"b":2,"a":1}` have the same etag.
///
/// ```
/// use serde_json::json;
/// use tenantry::settings::etag;
/// assert_eq!(etag(&json!({"a": 1, "b": 2})), etag(&json!({"b": 2, "a": 1})));
/// assert_ne!(etag(&json!({"a": 1})), etag(&json!({"a": 2})));
/// assert_eq!(etag(&json!({})).len(), 64);
/// ```
pub fn etag(doc: &Value) -> String {
    crate::hex::encode(&Sha256::digest(crate::canonical_json::to_string(doc).as_bytes()))
}
