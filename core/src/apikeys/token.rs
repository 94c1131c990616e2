//! The token format: `{prefix}_{environment}_{body}`, where the body is a public key id, the
//! secret randomness, and a CRC32 checksum, all in base62 (the scheme GitHub uses).

use super::base62;
use crate::{Error, ErrorCode, Result};

/// Base62 digits of the public key id (a random `u64`).
///
/// ```
/// // 62^11 > 2^64 > 62^10: eleven digits hold any u64.
/// assert_eq!(tenantry::apikeys::KEY_ID_LEN, 11);
/// ```
pub const KEY_ID_LEN: usize = 11;
/// Base62 digits of the secret part (176 random bits).
///
/// ```
/// // 62^30 > 2^176: thirty digits hold the secret's bits.
/// assert_eq!(tenantry::apikeys::SECRET_LEN, 30);
/// ```
pub const SECRET_LEN: usize = 30;
/// Base62 digits of the checksum (a CRC32).
///
/// ```
/// // 62^6 > 2^32: six digits hold any CRC32.
/// assert_eq!(tenantry::apikeys::CHECKSUM_LEN, 6);
/// ```
pub const CHECKSUM_LEN: usize = 6;
/// Length of the body: key id, secret, checksum.
///
/// ```
/// use tenantry::apikeys::{BODY_LEN, CHECKSUM_LEN, KEY_ID_LEN, SECRET_LEN};
/// assert_eq!(BODY_LEN, KEY_ID_LEN + SECRET_LEN + CHECKSUM_LEN);
/// ```
pub const BODY_LEN: usize = KEY_ID_LEN + SECRET_LEN + CHECKSUM_LEN;
/// Random bytes one token consumes: 8 for the key id, then 22 for the secret part.
///
/// ```
/// assert_eq!(tenantry::apikeys::RANDOM_BYTES, 30);
/// ```
pub const RANDOM_BYTES: usize = 8 + SECRET_BYTES;
/// Random bytes of the secret part (176 bits, at least the 160 the format promises).
const SECRET_BYTES: usize = 22;
/// Longest prefix or environment tag.
const MAX_TAG_LEN: usize = 16;
/// Longest string that can be a token; anything longer is malformed before any other work.
///
/// ```
/// // Two tags of at most 16 characters, two separators and the body.
/// assert_eq!(tenantry::apikeys::MAX_TOKEN_LEN, 2 * 16 + 2 + tenantry::apikeys::BODY_LEN);
/// ```
pub const MAX_TOKEN_LEN: usize = 2 * MAX_TAG_LEN + 2 + BODY_LEN;

/// The public parts of a well-formed token with a valid checksum.
///
/// ```
/// use tenantry::apikeys::{ApiKeys, ApiKeysConfig};
/// use tenantry::SecretBytes;
/// let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", SecretBytes::new(vec![7; 32]))])).unwrap();
/// let issued = keys.generate_with_random(&[0; 30], &Default::default(), 1_700_000_000).unwrap();
/// let parsed = keys.parse(issued.token()).unwrap();
/// assert_eq!(parsed.environment, "live");
/// assert_eq!(parsed.key_id, issued.record.key_id);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ParsedToken {
    /// The environment tag (`live`, `test`, ...).
    pub environment: String,
    /// The public key id: the first 11 base62 digits of the body.
    pub key_id: String,
}

/// A token split into its parts (borrowed), before any checks beyond shape.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenParts<'a> {
    pub prefix: &'a str,
    pub environment: &'a str,
    pub body: &'a str,
}

/// True when `tag` is a valid prefix or environment tag: `[a-z][a-z0-9]{0,15}`.
///
/// ```
/// use tenantry::apikeys::is_valid_tag;
/// assert!(is_valid_tag("tk") && is_valid_tag("live") && is_valid_tag("eu2"));
/// assert!(!is_valid_tag("") && !is_valid_tag("2x") && !is_valid_tag("Live") && !is_valid_tag("a_b"));
/// ```
pub fn is_valid_tag(tag: &str) -> bool {
    let mut bytes = tag.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && tag.len() <= MAX_TAG_LEN
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// The checksum of a body: CRC32 (IEEE) of `text`, as 6 base62 digits left-padded with `0`.
///
/// ```
/// // zlib.crc32(b"hello") == 907060870
/// assert_eq!(tenantry::apikeys::checksum("hello"), tenantry::apikeys::base62::encode_u64(907060870, 6));
/// ```
pub fn checksum(text: &str) -> String {
    base62::encode_u64(u64::from(crc32fast::hash(text.as_bytes())), CHECKSUM_LEN)
}

/// Builds the token body from [`RANDOM_BYTES`] random bytes: key id, secret, checksum.
pub(crate) fn body_from_random(random: &[u8; RANDOM_BYTES]) -> String {
    let (id_bytes, secret_bytes) = random.split_at(8);
    let id = id_bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let mut body = String::with_capacity(BODY_LEN);
    body.push_str(&base62::encode_u64(id, KEY_ID_LEN));
    body.push_str(&base62::encode_bytes(secret_bytes, SECRET_LEN));
    let sum = checksum(&body);
    body.push_str(&sum);
    body
}

/// Splits a token from the right into prefix, environment and body, checking only the shape.
pub(crate) fn split(token: &str) -> Result<TokenParts<'_>> {
    if token.len() > MAX_TOKEN_LEN || !token.is_ascii() {
        return Err(malformed());
    }
    let (head, body) = token.rsplit_once('_').ok_or_else(malformed)?;
    let (prefix, environment) = head.split_once('_').ok_or_else(malformed)?;
    if body.len() != BODY_LEN
        || !base62::is_base62(body)
        || !is_valid_tag(prefix)
        || !is_valid_tag(environment)
    {
        return Err(malformed());
    }
    Ok(TokenParts { prefix, environment, body })
}

/// Checks the checksum at the end of a well-shaped body and returns the key id.
pub(crate) fn check_body(body: &str) -> Result<&str> {
    let (content, sum) = body.split_at_checked(BODY_LEN - CHECKSUM_LEN).ok_or_else(malformed)?;
    let mut expected = [0u8; CHECKSUM_LEN];
    base62::encode_u64_into(u64::from(crc32fast::hash(content.as_bytes())), &mut expected);
    if expected != sum.as_bytes() {
        return Err(Error::new(
            ErrorCode::ApiKeyBadChecksum,
            "API key checksum does not match: the token was mistyped, truncated or is not one of ours",
        ));
    }
    content.get(..KEY_ID_LEN).ok_or_else(malformed)
}

/// The display form of a token: `{prefix}_{environment}_` + first 4 + `…` + last 4 body characters.
pub(crate) fn mask(parts: &TokenParts<'_>) -> String {
    let start = parts.body.get(..4).unwrap_or_default();
    let end = parts.body.get(BODY_LEN - 4..).unwrap_or_default();
    format!("{}_{}_{start}\u{2026}{end}", parts.prefix, parts.environment)
}

/// The regular expression that matches exactly the tokens of `prefix` in `environments`
/// (any valid tag when `None`).
pub(crate) fn scanning_pattern(prefix: &str, environments: Option<&[String]>) -> String {
    let env = match environments {
        Some([only]) => only.clone(),
        Some(list) => format!("(?:{})", list.join("|")),
        None => format!("[a-z][a-z0-9]{{0,{}}}", MAX_TAG_LEN - 1),
    };
    format!("{prefix}_{env}_[0-9A-Za-z]{{{BODY_LEN}}}")
}

pub(crate) fn malformed() -> Error {
    Error::new(
        ErrorCode::ApiKeyMalformed,
        format!(
            "not an API key of this format (expected prefix_environment_body with a {BODY_LEN}-character base62 body)"
        ),
    )
}
