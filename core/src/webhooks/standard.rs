//! Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` with `v1` (HMAC-SHA256)
//! and `v1a` (ed25519) signatures, and the `svix-*` header names.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer};
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
    /// The names of the headers, in the order [`pairs`](Self::pairs) gives them.
    ///
    /// ```
    /// use tenantry::webhooks::SignedHeaders;
    /// assert_eq!(SignedHeaders::NAMES, ["webhook-id", "webhook-timestamp", "webhook-signature"]);
    /// ```
    pub const NAMES: [&'static str; 3] = [ID_HEADERS[0], TIMESTAMP_HEADERS[0], SIGNATURE_HEADERS[0]];

    /// The headers as `(name, value)` pairs, ready for an HTTP client.
    ///
    /// ```
    /// let wh = tenantry::webhooks::Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    /// let headers = wh.sign("msg_1", 1614265330, b"{}").unwrap();
    /// assert_eq!(headers.pairs()[0], ("webhook-id", "msg_1"));
    /// ```
    pub fn pairs(&self) -> [(&'static str, &str); 3] {
        let [id, timestamp, signature] = Self::NAMES;
        [(id, self.id.as_str()), (timestamp, self.timestamp.as_str()), (signature, self.signature.as_str())]
    }
}

const ID_HEADERS: [&str; 2] = ["webhook-id", "svix-id"];
const TIMESTAMP_HEADERS: [&str; 2] = ["webhook-timestamp", "svix-timestamp"];
const SIGNATURE_HEADERS: [&str; 2] = ["webhook-signature", "svix-signature"];
/// The three headers, each with its `webhook-*` name first and its `svix-*` alias second.
const HEADER_NAMES: [[&str; 2]; 3] = [ID_HEADERS, TIMESTAMP_HEADERS, SIGNATURE_HEADERS];

/// The three Standard Webhooks headers (`id`, `timestamp`, `signature`) picked out of a request's
/// headers by one rule that does not depend on the order the headers come in.
///
/// For each of the three, the candidates rank: the exact lowercase `webhook-*` name, then the exact
/// lowercase `svix-*` name, then any other casing of `webhook-*`, then of `svix-*`. Only the best
/// rank present counts, and **every instance** at that rank counts (a header sent several times:
/// several `(name, value)` pairs, an array of values, or values joined with `", "` as Node's
/// `http` module and fetch's `Headers` deliver them):
///
/// - `webhook-signature`: the entries of all instances are tried; an entry may end with the `,` of
///   a comma-joined list (`"v1,AAAA, v1,BBBB"`);
/// - `webhook-timestamp`: every instance, and every comma-separated part of one, must be the same
///   number, else `webhook.invalid_header` (a timestamp never holds a comma);
/// - `webhook-id`: every instance must be the same, else `webhook.invalid_header`. An id is not
///   split at commas (an id may hold one): a comma-joined repeated id does not match a signature.
///
/// A value a binding cannot read as text (bytes that are not UTF-8) is offered with
/// [`offer_unreadable`](Self::offer_unreadable); if it is at the rank that counts, verification
/// fails with `webhook.invalid_header`.
///
/// Bindings use the ranks to avoid converting a whole header map: they look up
/// [`StandardHeaders::EXACT_NAMES`] directly (HTTP/2 and Node deliver lowercase names; a map holds
/// each name once) and scan the other names, with [`wants_other_spelling`](Self::wants_other_spelling),
/// only when [`StandardHeaders::is_settled`] says a scan could still change the result.
///
/// ```
/// use tenantry::webhooks::{StandardHeaders, Webhook};
/// let mut found = StandardHeaders::new();
/// let ids = [("svix-id", "msg_old"), ("Webhook-Id", "msg_cased"), ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")];
/// for (name, value) in ids {
///     if found.wants(name) {
///         found.offer(name, value);
///     }
/// }
/// assert!(!found.wants("svix-id"));
/// found.offer("webhook-timestamp", "1614265330");
/// assert!(!found.is_settled());
/// // The signature header sent twice: the entries of both instances are tried.
/// found.offer("webhook-signature", "v1,AAAA");
/// found.offer("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
/// assert!(found.is_settled());
/// let wh = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// wh.verify_headers(br#"{"test": 2432232314}"#, &found, 300, 1614265330)?;
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct StandardHeaders<V> {
    slots: [Option<Slot<V>>; 3],
}

/// The instances of one header at the best rank offered so far.
#[derive(Debug, Clone)]
struct Slot<V> {
    rank: u8,
    /// The first readable instance, inline: one instance (the usual case) needs no allocation.
    first: Option<V>,
    more: Vec<V>,
    /// Whether an instance could not be read as text.
    unreadable: bool,
}

impl<V> Slot<V> {
    fn new(rank: u8) -> Self {
        Slot { rank, first: None, more: Vec::new(), unreadable: false }
    }

    fn add(&mut self, value: Option<V>) {
        match value {
            None => self.unreadable = true,
            Some(value) if self.first.is_none() => self.first = Some(value),
            Some(value) => self.more.push(value),
        }
    }

    fn values(&self) -> impl Iterator<Item = &V> {
        self.first.iter().chain(&self.more)
    }
}

impl<V> Default for StandardHeaders<V> {
    fn default() -> Self {
        StandardHeaders { slots: [None, None, None] }
    }
}

impl<V> StandardHeaders<V> {
    /// The names to look up exactly, best first: the three `webhook-*` names, then the `svix-*` ones.
    ///
    /// ```
    /// assert_eq!(tenantry::webhooks::StandardHeaders::<&str>::EXACT_NAMES[0], "webhook-id");
    /// ```
    pub const EXACT_NAMES: [&'static str; 6] = [
        ID_HEADERS[0],
        TIMESTAMP_HEADERS[0],
        SIGNATURE_HEADERS[0],
        ID_HEADERS[1],
        TIMESTAMP_HEADERS[1],
        SIGNATURE_HEADERS[1],
    ];

    /// Nothing found yet.
    ///
    /// ```
    /// let found = tenantry::webhooks::StandardHeaders::<String>::new();
    /// assert_eq!(found.instances().err().map(|e| e.code()), Some("webhook.missing_header"));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Which header `name` is (0 id, 1 timestamp, 2 signature) and its rank (0 best), if any.
    fn classify(name: &str) -> Option<(usize, u8)> {
        HEADER_NAMES.iter().enumerate().find_map(|(slot, names)| {
            names.iter().zip(0u8..).find_map(|(candidate, alias)| {
                if name == *candidate {
                    Some((slot, alias))
                } else if name.eq_ignore_ascii_case(candidate) {
                    Some((slot, 2 + alias))
                } else {
                    None
                }
            })
        })
    }

    /// Whether a header called `name` would be kept by [`offer`](Self::offer): it is one of the three
    /// (in any casing) and ranks at least as high as what was found so far (another instance of the
    /// header that counts is kept too). Lets a binding skip converting values.
    ///
    /// ```
    /// let mut found = tenantry::webhooks::StandardHeaders::new();
    /// assert!(found.wants("Svix-Id") && !found.wants("content-type"));
    /// found.offer("webhook-id", "msg_1");
    /// assert!(!found.wants("svix-id") && found.wants("webhook-id"));
    /// ```
    pub fn wants(&self, name: &str) -> bool {
        match Self::classify(name) {
            Some((slot, rank)) => match self.slots.get(slot) {
                Some(Some(held)) => rank <= held.rank,
                Some(None) => true,
                None => false,
            },
            None => false,
        }
    }

    /// [`wants`](Self::wants) for a scan of a header map whose [`EXACT_NAMES`](Self::EXACT_NAMES)
    /// were looked up already: those names are not wanted again (a map holds each key once, and
    /// offering one twice would count it as two instances).
    ///
    /// ```
    /// let mut found = tenantry::webhooks::StandardHeaders::new();
    /// found.offer("svix-id", "msg_1");
    /// assert!(!found.wants_other_spelling("svix-id") && !found.wants_other_spelling("Webhook-Id"));
    /// assert!(found.wants_other_spelling("Webhook-Timestamp"));
    /// ```
    pub fn wants_other_spelling(&self, name: &str) -> bool {
        !Self::EXACT_NAMES.contains(&name) && self.wants(name)
    }

    /// Offers one header; it is kept if it is one of the three and ranks at least as high as what
    /// was found so far (a better rank drops what was found). Returns whether it was kept.
    ///
    /// ```
    /// let mut found = tenantry::webhooks::StandardHeaders::new();
    /// assert!(found.offer("SVIX-ID", "a"));
    /// assert!(found.offer("Svix-Id", "b")); // the same rank: a second instance
    /// assert!(found.offer("svix-id", "c")); // a better rank: replaces both
    /// assert!(!found.offer("Svix-Id", "d"));
    /// assert!(!found.offer("x-request-id", "e"));
    /// ```
    pub fn offer(&mut self, name: &str, value: V) -> bool {
        self.place(name, Some(value))
    }

    /// Offers a header whose value could not be read as text (bytes that are not UTF-8): kept like
    /// [`offer`](Self::offer), and if it is at the rank that counts, verification fails with
    /// `webhook.invalid_header`.
    ///
    /// ```
    /// let mut found = tenantry::webhooks::StandardHeaders::new();
    /// found.offer("webhook-id", "msg_1");
    /// found.offer("webhook-timestamp", "1614265330");
    /// found.offer("webhook-signature", "v1,AAAA");
    /// assert!(!found.offer_unreadable("svix-id"));
    /// assert!(found.instances().is_ok());
    /// assert!(found.offer_unreadable("webhook-id"));
    /// assert_eq!(found.instances().err().map(|e| e.code()), Some("webhook.invalid_header"));
    /// ```
    pub fn offer_unreadable(&mut self, name: &str) -> bool {
        self.place(name, None)
    }

    fn place(&mut self, name: &str, value: Option<V>) -> bool {
        let Some((slot, rank)) = Self::classify(name) else { return false };
        let Some(cell) = self.slots.get_mut(slot) else { return false };
        match cell {
            Some(held) if held.rank < rank => return false,
            Some(held) if held.rank == rank => held.add(value),
            _ => {
                let mut fresh = Slot::new(rank);
                fresh.add(value);
                *cell = Some(fresh);
            }
        }
        true
    }

    /// Whether every header was found under an exact lowercase name, so that scanning the remaining
    /// headers of a map (which can only hold other casings) cannot change the result.
    ///
    /// ```
    /// let mut found = tenantry::webhooks::StandardHeaders::new();
    /// found.offer("webhook-id", "msg_1");
    /// found.offer("svix-timestamp", "1");
    /// found.offer("Webhook-Signature", "v1,AAAA");
    /// assert!(!found.is_settled());
    /// found.offer("webhook-signature", "v1,AAAA");
    /// assert!(found.is_settled());
    /// ```
    pub fn is_settled(&self) -> bool {
        self.slots.iter().all(|slot| slot.as_ref().is_some_and(|held| held.rank < 2))
    }

    /// Every instance kept of `webhook-id`, `webhook-timestamp` and `webhook-signature`, in the
    /// order offered; `webhook.missing_header` naming the first one absent, or
    /// `webhook.invalid_header` for one that could not be read.
    ///
    /// ```
    /// let mut found = tenantry::webhooks::StandardHeaders::new();
    /// found.offer("webhook-id", "msg_1");
    /// let err = found.instances().err();
    /// assert_eq!(err.map(|e| e.message().to_owned()).as_deref(), Some("missing required header webhook-timestamp"));
    /// ```
    pub fn instances(&self) -> Result<[Vec<&V>; 3]> {
        let [id, ts, sig] = self.readable_slots()?;
        Ok([id.values().collect(), ts.values().collect(), sig.values().collect()])
    }

    fn readable_slots(&self) -> Result<[&Slot<V>; 3]> {
        let [id, ts, sig] = &self.slots;
        let [id, ts, sig] = [(id, ID_HEADERS[0]), (ts, TIMESTAMP_HEADERS[0]), (sig, SIGNATURE_HEADERS[0])]
            .map(|(slot, name)| slot.as_ref().ok_or_else(|| missing(name)));
        let [id, ts, sig] = [id?, ts?, sig?];
        for (slot, name) in [(id, ID_HEADERS[0]), (ts, TIMESTAMP_HEADERS[0]), (sig, SIGNATURE_HEADERS[0])] {
            if slot.unreadable {
                return Err(invalid_header(format!("header {name} is not UTF-8 text")));
            }
        }
        Ok([id, ts, sig])
    }
}

impl<V: AsRef<str>> StandardHeaders<V> {
    /// The message id, the timestamp text and the signature header instances, by the rule above.
    fn message(&self) -> Result<(&str, &str, &Slot<V>)> {
        let [id, ts, sig] = self.readable_slots()?;
        let id = agreed(ID_HEADERS[0], id.values().map(AsRef::as_ref))?;
        let ts =
            agreed(TIMESTAMP_HEADERS[0], ts.values().flat_map(|v| v.as_ref().split(',')).map(str::trim))?;
        Ok((id, ts, sig))
    }
}

/// The one value all `values` (at least one) agree on, or `webhook.invalid_header`.
fn agreed<'a>(name: &str, mut values: impl Iterator<Item = &'a str>) -> Result<&'a str> {
    let first = values.next().ok_or_else(|| missing(name))?;
    if values.any(|v| v != first) {
        return Err(invalid_header(format!(
            "header {name} was sent several times with different values; expected one value"
        )));
    }
    Ok(first)
}

fn invalid_header(message: String) -> Error {
    Error::new(ErrorCode::WebhookInvalidHeader, message)
}
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
    /// assert_eq!(wh.sign("msg_1", -1, b"").unwrap_err().code(), "input.invalid_time");
    /// assert_eq!(wh.sign("msg_1", i64::MAX, b"").unwrap_err().code(), "input.invalid_time");
    /// ```
    pub fn sign(&self, msg_id: &str, timestamp: i64, payload: &[u8]) -> Result<SignedHeaders> {
        validate_message_id(msg_id)?;
        crate::time_range::check_secs(timestamp)?;
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
    /// The three headers are picked by the rule of [`StandardHeaders`] (exact lowercase
    /// `webhook-*`, then `svix-*`, then other casings; every instance of the header that counts),
    /// so the order headers come in never matters. Then it checks, in order: the three headers are
    /// present and readable, the id and the timestamp each have one value, the timestamp parses and
    /// lies within `tolerance` seconds of `now` in either direction, and at least one signature of
    /// a known version, in any instance of the signature header, matches one of the keys
    /// (constant-time). Unknown versions are ignored.
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
        let mut found = StandardHeaders::new();
        for (name, value) in headers {
            found.offer(name.as_ref(), value);
        }
        self.verify_headers(payload, &found, tolerance, now)
    }

    /// Verifies from the three header values directly (each header sent once).
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
        let mut found = StandardHeaders::new();
        for (name, value) in SignedHeaders::NAMES.into_iter().zip([msg_id, timestamp, signature_header]) {
            found.offer(name, value);
        }
        self.verify_headers(payload, &found, tolerance, now)
    }

    /// Verifies from headers already picked by [`StandardHeaders`] (what the bindings use).
    ///
    /// ```
    /// use tenantry::webhooks::{StandardHeaders, Webhook};
    /// let wh = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
    /// let mut found = StandardHeaders::new();
    /// found.offer("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek");
    /// found.offer("webhook-timestamp", "1614265330");
    /// // As Node's http module joins a repeated header: the entry before ", " is read too.
    /// found.offer("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=, v1,AAAA");
    /// wh.verify_headers(br#"{"test": 2432232314}"#, &found, 300, 1614265330)?;
    /// found.offer("webhook-id", "msg_other");
    /// let err = wh.verify_headers(br#"{"test": 2432232314}"#, &found, 300, 1614265330).err();
    /// assert_eq!(err.map(|e| e.code()), Some("webhook.invalid_header"));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn verify_headers<V: AsRef<str>>(
        &self,
        payload: &[u8],
        headers: &StandardHeaders<V>,
        tolerance: i64,
        now: i64,
    ) -> Result<()> {
        let (msg_id, ts, signatures) = headers.message()?;
        if msg_id.is_empty() {
            return Err(missing("webhook-id"));
        }
        let timestamp = parse_timestamp(ts)?;
        check_tolerance(timestamp, now, tolerance)?;
        let length: usize = signatures.values().map(|v| v.as_ref().len()).sum();
        if length > MAX_SIGNATURE_HEADER {
            return Err(Error::new(
                ErrorCode::WebhookInvalidSignatureHeader,
                format!("signature header is {length} bytes; at most {MAX_SIGNATURE_HEADER} are read"),
            ));
        }
        let mut computed_v1: Option<Macs> = None;
        let mut content_v1a: Option<Vec<u8>> = None;
        let entries = signatures.values().flat_map(|v| v.as_ref().split_ascii_whitespace());
        for entry in entries {
            // An entry may end with the separator of a comma-joined repeated header ("v1,A, v1,B").
            let entry = entry.strip_suffix(',').unwrap_or(entry);
            let Some((version, encoded)) = entry.split_once(',') else { continue };
            match version {
                "v1" => {
                    let Some(expected) = decode_sig::<32>(encoded) else { continue };
                    let macs = computed_v1.get_or_insert_with(|| self.symmetric_macs(msg_id, ts, payload));
                    // Every key is compared (no early exit inside the loop) so timing does not
                    // reveal which key matched.
                    let mut matched = false;
                    for mac in macs.as_slice() {
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
                            // Strict: refuses weak keys and small-order or non-canonical R, so a
                            // signature cannot be made to verify for messages it was not made for.
                            WebhookKey::Signing(k) => {
                                k.verifying_key().verify_strict(content, &signature).is_ok()
                            }
                            WebhookKey::Verifying(k) => k.verify_strict(content, &signature).is_ok(),
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

    fn symmetric_macs(&self, msg_id: &str, ts: &str, payload: &[u8]) -> Macs {
        let mut macs = self.keys.iter().filter_map(|key| match key {
            WebhookKey::Symmetric(k) => {
                let mut mac = k.mac();
                feed(&mut mac, msg_id, ts, payload);
                Some(<[u8; 32]>::from(mac.finalize().into_bytes()))
            }
            _ => None,
        });
        let Some(first) = macs.next() else { return Macs::Many(Vec::new()) };
        match macs.next() {
            None => Macs::One(first),
            Some(second) => {
                let mut all = vec![first, second];
                all.extend(macs);
                Macs::Many(all)
            }
        }
    }
}

/// The `v1` MACs of one message under every symmetric key, computed once per `verify`: kept
/// inline for the usual single key, so the hot path does not allocate.
enum Macs {
    One([u8; 32]),
    Many(Vec<[u8; 32]>),
}

impl Macs {
    fn as_slice(&self) -> &[[u8; 32]] {
        match self {
            Macs::One(mac) => std::slice::from_ref(mac),
            Macs::Many(macs) => macs,
        }
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
