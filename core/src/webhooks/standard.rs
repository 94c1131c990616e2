//! Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` with `v1` (HMAC-SHA256)
//! and `v1a` (ed25519) signatures, and the `svix-*` header names.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, Verifier};
use hmac::Mac;

use super::keys::WebhookKey;
use super::timestamp::{check_tolerance, parse_timestamp};
use crate::{Error, ErrorCode, Result, secret};

/// The three headers of a signed Standard Webhooks message.
///
/// ```
/// let wh = tenantry::webhooks::Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
/// let headers = wh.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, br#"{"test": 2432232314}"#).unwrap();
/// assert_eq!(headers.signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignedHeaders {
    /// `webhook-id`.
    #[serde(rename = "webhook-id")]
    pub id: String,
    /// `webhook-timestamp` (Unix seconds, as sent).
    #[serde(rename = "webhook-timestamp")]
    pub timestamp: String,
    /// `webhook-signature` (space-separated `version,base64` entries).
    #[serde(rename = "webhook-signature")]
    pub signature: String,
}

impl SignedHeaders {
    /// The headers as `(name, value)` pairs, ready for an HTTP client.
    ///
    /// ```
    /// let wh = tenantry::webhooks::Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    /// let headers = wh.sign("msg_1", 1614265330, b"{}").unwrap();
    /// assert_eq!(headers.pairs()[0], ("webhook-id", "msg_1"));
    /// ```
    pub fn pairs(&self) -> [(&'static str, &str); 3] {
        [
            (ID_HEADERS[0], self.id.as_str()),
            (TIMESTAMP_HEADERS[0], self.timestamp.as_str()),
            (SIGNATURE_HEADERS[0], self.signature.as_str()),
        ]
    }
}

const ID_HEADERS: [&str; 2] = ["webhook-id", "svix-id"];
const TIMESTAMP_HEADERS: [&str; 2] = ["webhook-timestamp", "svix-timestamp"];
const SIGNATURE_HEADERS: [&str; 2] = ["webhook-signature", "svix-signature"];
/// A signature header longer than this is rejected before any work (64 KiB).
const MAX_SIGNATURE_HEADER: usize = 64 * 1024;

/// A Standard Webhooks signer and verifier over one or more keys (several during rotation).
///
/// Built once from `whsec_` secrets and/or `whsk_` / `whpk_` ed25519 keys; `Send + Sync`.
///
/// ```
/// use tenantry::webhooks::Webhook;
/// let wh = Webhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
/// let payload = br#"{"email":"test@example.com","username":"test_user"}"#;
/// let headers = wh.sign("msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1649367553, payload).unwrap();
/// assert_eq!(headers.signature, "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=");
/// wh.verify(payload, headers.pairs(), 300, 1649367553).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Webhook {
    keys: Vec<WebhookKey>,
}

impl Webhook {
    /// A webhook over one key (see [`WebhookKey::parse`] for the accepted forms).
    ///
    /// ```
    /// assert!(tenantry::webhooks::Webhook::new("not base64!").is_err());
    /// ```
    pub fn new(key: &str) -> Result<Self> {
        Self::with_keys([key])
    }

    /// A webhook over several keys: every signing key signs, any key may verify (rotation).
    ///
    /// ```
    /// use tenantry::webhooks::{generate_secret, Webhook};
    /// let (old, new) = (generate_secret().unwrap(), generate_secret().unwrap());
    /// let wh = Webhook::with_keys([old.as_str(), new.as_str()]).unwrap();
    /// assert_eq!(wh.sign("msg_1", 1, b"x").unwrap().signature.split(' ').count(), 2);
    /// ```
    pub fn with_keys<I, S>(keys: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let keys = keys.into_iter().map(|k| WebhookKey::parse(k.as_ref())).collect::<Result<Vec<_>>>()?;
        Self::from_keys(keys)
    }

    /// A webhook over already parsed keys.
    ///
    /// ```
    /// use tenantry::webhooks::{Webhook, WebhookKey};
    /// let key = WebhookKey::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    /// assert!(Webhook::from_keys(vec![key]).is_ok());
    /// assert!(Webhook::from_keys(vec![]).is_err());
    /// ```
    pub fn from_keys(keys: Vec<WebhookKey>) -> Result<Self> {
        if keys.is_empty() {
            return Err(Error::new(
                ErrorCode::WebhookInvalidSecret,
                "a webhook needs at least one secret or key",
            ));
        }
        Ok(Webhook { keys })
    }

    /// The parsed keys.
    ///
    /// ```
    /// let wh = tenantry::webhooks::Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    /// assert_eq!(wh.keys().len(), 1);
    /// ```
    pub fn keys(&self) -> &[WebhookKey] {
        &self.keys
    }

    /// Signs `payload` as message `msg_id` sent at `timestamp` (Unix seconds).
    ///
    /// Every key that can sign contributes one signature (`v1,…` for secrets, `v1a,…` for ed25519
    /// secret keys). A message id that is empty or contains `.` or whitespace is rejected.
    ///
    /// ```
    /// let wh = tenantry::webhooks::Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    /// assert_eq!(wh.sign("bad.id", 1, b"").unwrap_err().code(), "webhook.invalid_message_id");
    /// ```
    pub fn sign(&self, msg_id: &str, timestamp: i64, payload: &[u8]) -> Result<SignedHeaders> {
        validate_message_id(msg_id)?;
        if timestamp < 0 {
            return Err(Error::new(ErrorCode::InvalidTime, "timestamp must be zero or more Unix seconds"));
        }
        let ts = timestamp.to_string();
        let mut signature = String::new();
        for key in &self.keys {
            let entry = match key {
                WebhookKey::Symmetric(k) => {
                    let mut mac = k.mac();
                    feed(&mut mac, msg_id, &ts, payload);
                    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
                }
                WebhookKey::Signing(k) => {
                    let content = signed_content(msg_id, &ts, payload);
                    format!("v1a,{}", STANDARD.encode(k.sign(&content).to_bytes()))
                }
                WebhookKey::Verifying(_) => continue,
            };
            if !signature.is_empty() {
                signature.push(' ');
            }
            signature.push_str(&entry);
        }
        if signature.is_empty() {
            return Err(Error::new(
                ErrorCode::WebhookCannotSign,
                "this webhook holds only public keys (whpk_); signing needs a whsec_ or whsk_ key",
            ));
        }
        Ok(SignedHeaders { id: msg_id.to_owned(), timestamp: ts, signature })
    }

    /// Verifies a received message from its headers (names case-insensitive; `webhook-*` or `svix-*`).
    ///
    /// Checks, in order: the three headers are present, the timestamp parses and lies within
    /// `tolerance` seconds of `now` in either direction, and at least one signature of a known
    /// version matches one of the keys (constant-time). Unknown versions are ignored.
    ///
    /// ```
    /// use tenantry::webhooks::Webhook;
    /// let wh = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    /// let headers = [("Webhook-Id", "msg_1"), ("Webhook-Timestamp", "1000"), ("Webhook-Signature", "v1,AAAA")];
    /// assert_eq!(wh.verify(b"{}", headers, 300, 1000).unwrap_err().code(), "webhook.no_matching_signature");
    /// ```
    pub fn verify<I, K, V>(&self, payload: &[u8], headers: I, tolerance: i64, now: i64) -> Result<()>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut found: [Option<V>; 3] = [None, None, None];
        for (name, value) in headers {
            let name = name.as_ref();
            let slot = if is_one_of(name, &ID_HEADERS) {
                0
            } else if is_one_of(name, &TIMESTAMP_HEADERS) {
                1
            } else if is_one_of(name, &SIGNATURE_HEADERS) {
                2
            } else {
                continue;
            };
            if let Some(cell) = found.get_mut(slot).filter(|c| c.is_none()) {
                *cell = Some(value);
            }
        }
        let [id, ts, sig] = found;
        let id = id.ok_or_else(|| missing("webhook-id"))?;
        let ts = ts.ok_or_else(|| missing("webhook-timestamp"))?;
        let sig = sig.ok_or_else(|| missing("webhook-signature"))?;
        self.verify_parts(payload, id.as_ref(), ts.as_ref(), sig.as_ref(), tolerance, now)
    }

    /// Verifies from the three header values directly.
    ///
    /// ```
    /// use tenantry::webhooks::Webhook;
    /// let wh = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    /// let sig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    /// let payload = br#"{"test": 2432232314}"#;
    /// wh.verify_parts(payload, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", sig, 300, 1614265330).unwrap();
    /// ```
    pub fn verify_parts(
        &self,
        payload: &[u8],
        msg_id: &str,
        timestamp: &str,
        signature_header: &str,
        tolerance: i64,
        now: i64,
    ) -> Result<()> {
        if msg_id.is_empty() {
            return Err(missing("webhook-id"));
        }
        let ts = parse_timestamp(timestamp.trim())?;
        check_tolerance(ts, now, tolerance)?;
        if signature_header.len() > MAX_SIGNATURE_HEADER {
            return Err(Error::new(
                ErrorCode::WebhookInvalidSignatureHeader,
                format!(
                    "signature header is {} bytes; at most {MAX_SIGNATURE_HEADER} are read",
                    signature_header.len()
                ),
            ));
        }
        let mut computed_v1: Option<Vec<[u8; 32]>> = None;
        let mut content_v1a: Option<Vec<u8>> = None;
        let ts = timestamp.trim();
        for entry in signature_header.split_ascii_whitespace() {
            let Some((version, encoded)) = entry.split_once(',') else { continue };
            match version {
                "v1" => {
                    let Some(expected) = decode_sig::<32>(encoded) else { continue };
                    let macs = computed_v1.get_or_insert_with(|| self.symmetric_macs(msg_id, ts, payload));
                    // Every key is compared (no early exit inside the loop) so timing does not
                    // reveal which key matched.
                    let mut matched = false;
                    for mac in macs.iter() {
                        matched |= secret::ct_eq(mac, &expected);
                    }
                    if matched {
                        return Ok(());
                    }
                }
                "v1a" => {
                    let Some(bytes) = decode_sig::<64>(encoded) else { continue };
                    let signature = Signature::from_bytes(&bytes);
                    let content = content_v1a.get_or_insert_with(|| signed_content(msg_id, ts, payload));
                    for key in &self.keys {
                        let verified = match key {
                            WebhookKey::Signing(k) => k.verifying_key().verify(content, &signature).is_ok(),
                            WebhookKey::Verifying(k) => k.verify(content, &signature).is_ok(),
                            WebhookKey::Symmetric(_) => false,
                        };
                        if verified {
                            return Ok(());
                        }
                    }
                }
                _ => {}
            }
        }
        Err(Error::new(
            ErrorCode::WebhookNoMatchingSignature,
            "no signature in the webhook-signature header matches any configured key",
        ))
    }

    fn symmetric_macs(&self, msg_id: &str, ts: &str, payload: &[u8]) -> Vec<[u8; 32]> {
        self.keys
            .iter()
            .filter_map(|key| match key {
                WebhookKey::Symmetric(k) => {
                    let mut mac = k.mac();
                    feed(&mut mac, msg_id, ts, payload);
                    Some(mac.finalize().into_bytes().into())
                }
                _ => None,
            })
            .collect()
    }
}

fn feed(mac: &mut super::keys::HmacSha256, msg_id: &str, ts: &str, payload: &[u8]) {
    mac.update(msg_id.as_bytes());
    mac.update(b".");
    mac.update(ts.as_bytes());
    mac.update(b".");
    mac.update(payload);
}

fn signed_content(msg_id: &str, ts: &str, payload: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(msg_id.len() + ts.len() + payload.len() + 2);
    content.extend_from_slice(msg_id.as_bytes());
    content.push(b'.');
    content.extend_from_slice(ts.as_bytes());
    content.push(b'.');
    content.extend_from_slice(payload);
    content
}

fn decode_sig<const N: usize>(encoded: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    // A valid signature is exactly N bytes; decode_slice rejects longer input without allocating.
    match STANDARD.decode_slice(encoded, &mut out) {
        Ok(n) if n == N => Some(out),
        _ => None,
    }
}

fn is_one_of(name: &str, names: &[&str; 2]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

fn missing(header: &str) -> Error {
    Error::new(ErrorCode::WebhookMissingHeader, format!("missing required header {header}"))
}

/// Rejects message ids that are empty or contain `.` or whitespace (they would make the signed
/// content ambiguous).
///
/// ```
/// assert!(tenantry::webhooks::validate_message_id("msg_1").is_ok());
/// assert!(tenantry::webhooks::validate_message_id("a b").is_err());
/// ```
pub fn validate_message_id(msg_id: &str) -> Result<()> {
    if msg_id.is_empty() || msg_id.chars().any(|c| c == '.' || c.is_whitespace() || c.is_control()) {
        return Err(Error::new(
            ErrorCode::WebhookInvalidMessageId,
            "message id must be non-empty and contain no '.', whitespace or control characters",
        ));
    }
    Ok(())
}
