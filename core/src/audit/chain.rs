//! Tamper evidence: each record carries the hash of the one before it, and optionally an HMAC seal.
//!
//! `hash` is the lowercase hex SHA-256 of the record's RFC 8785 canonical JSON without its `hash`
//! and `seal` members (so `prev_hash` and `seal_key_id` are covered). With a key, `seal` is the hex
//! HMAC-SHA256 of that hash under the key, and `seal_key_id` names the key: without the key, nobody
//! (a database administrator included) can rewrite a record and recompute a valid seal.

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::validate::{self, MAX_NAME_CHARS};
use crate::canonical_json::{Node, Sink};
use crate::json_tree::Tree;
use crate::{Error, ErrorCode, Result, SecretBytes, canonical_json, secret};

type HmacSha256 = Hmac<Sha256>;

/// The error for records given as JSON text of something other than an array
/// (`audit.invalid_record`), in the one wording every binding gives.
///
/// ```
/// let err = tenantry::audit::records_not_an_array();
/// assert_eq!((err.code(), err.message()), ("audit.invalid_record", "records must be an array of records"));
/// ```
pub fn records_not_an_array() -> Error {
    Error::new(ErrorCode::AuditInvalidRecord, "records must be an array of records")
}

/// The `prev_hash` of the first record of a chain: 64 zeros.
///
/// ```
/// assert_eq!(tenantry::audit::GENESIS_HASH.len(), 64);
/// ```
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The shortest seal key accepted (bytes).
const MIN_KEY_BYTES: usize = 16;

/// An HMAC key for sealing records, with the id stored next to each seal (for rotation).
///
/// ```
/// use tenantry::{audit::SealKey, SecretBytes};
/// let key = SealKey::new("2025-01", SecretBytes::new(vec![7; 32]))?;
/// assert_eq!(key.id(), "2025-01");
/// assert_eq!(SealKey::new("k", SecretBytes::new(vec![7; 8])).unwrap_err().code(), "audit.invalid_key");
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Clone)]
pub struct SealKey {
    id: String,
    mac: HmacSha256,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealKey({:?}, ***)", self.id)
    }
}

impl SealKey {
    /// A key with an id (non-empty, no control characters) and at least 16 secret bytes.
    ///
    /// ```
    /// use tenantry::{audit::SealKey, SecretBytes};
    /// assert_eq!(SealKey::new("", SecretBytes::new(vec![1; 32])).unwrap_err().code(), "audit.invalid_key");
    /// ```
    pub fn new(id: impl Into<String>, secret: SecretBytes) -> Result<Self> {
        let id = id.into();
        validate::text("/key/id", &id, MAX_NAME_CHARS)
            .map_err(|e| Error::new(ErrorCode::AuditInvalidKey, format!("seal key id: {e}")))?;
        if secret.len() < MIN_KEY_BYTES {
            return Err(Error::new(
                ErrorCode::AuditInvalidKey,
                format!("a seal key needs at least {MIN_KEY_BYTES} bytes, got {}", secret.len()),
            ));
        }
        let mac = <HmacSha256 as KeyInit>::new_from_slice(secret.expose())
            .map_err(|_| Error::new(ErrorCode::AuditInvalidKey, "the seal key cannot key HMAC-SHA256"))?;
        Ok(SealKey { id, mac })
    }

    /// The key id stored as `seal_key_id`.
    ///
    /// ```
    /// # use tenantry::{audit::SealKey, SecretBytes};
    /// assert_eq!(SealKey::new("k1", SecretBytes::new(vec![1; 16]))?.id(), "k1");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    fn seal_of(&self, hash: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(hash.as_bytes());
        crate::hex::encode(&mac.finalize().into_bytes())
    }

    /// The seal of `hash` as 64 hex digits, on the stack (verification compares, never stores).
    fn seal_hex(&self, hash: &str) -> [u8; 64] {
        let mut mac = self.mac.clone();
        mac.update(hash.as_bytes());
        hex64(&mac.finalize().into_bytes())
    }
}

/// Why a chain does not verify (the first break found).
///
/// ```
/// assert_eq!(tenantry::audit::BreakReason::WrongKey.as_str(), "wrong_key");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakReason {
    /// The record's content no longer matches its hash, or its seal does not match (rewritten).
    Edited,
    /// One or more records are missing before this one (its `prev_hash` names a record not here).
    Deleted,
    /// This record does not belong here: the chain continues around it.
    Inserted,
    /// This record belongs to the chain but at another position.
    Reordered,
    /// The record is sealed under a key id that was not given, or under another key.
    WrongKey,
    /// A key was given but the record carries no seal.
    Unsealed,
    /// Not a sealed record: not an object, or `hash` / `prev_hash` missing or not 64 hex digits.
    Malformed,
}

impl BreakReason {
    /// The snake_case name reported in every language.
    ///
    /// ```
    /// assert_eq!(tenantry::audit::BreakReason::Edited.as_str(), "edited");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            BreakReason::Edited => "edited",
            BreakReason::Deleted => "deleted",
            BreakReason::Inserted => "inserted",
            BreakReason::Reordered => "reordered",
            BreakReason::WrongKey => "wrong_key",
            BreakReason::Unsealed => "unsealed",
            BreakReason::Malformed => "malformed",
        }
    }
}

/// The outcome of [`verify_chain`]: ok, or where the chain first breaks and why.
///
/// ```
/// let report = tenantry::audit::verify_chain(&[], &[], None)?;
/// assert!(report.ok && report.index.is_none() && report.head.is_none());
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChainReport {
    /// True when every record verified.
    pub ok: bool,
    /// Index of the first bad record.
    pub index: Option<usize>,
    /// Why it is bad.
    pub reason: Option<BreakReason>,
    /// The `hash` of the last record when ok: store it, and pass it as the anchor next time.
    pub head: Option<String>,
}

/// The hash a record should carry: hex SHA-256 of its canonical JSON without `hash` and `seal`.
///
/// ```
/// let h = tenantry::audit::record_hash(&serde_json::json!({"b": 1, "a": 2, "hash": "ignored"}))?;
/// // sha256 of {"a":2,"b":1}
/// assert_eq!(h, "d3626ac30a87e6f7a6428233b3c68299976865fa5508e4267c5415c76af7a772");
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn record_hash(record: &Value) -> Result<String> {
    let map = record
        .as_object()
        .ok_or_else(|| Error::new(ErrorCode::AuditInvalidRecord, "a record must be a JSON object"))?;
    Ok(hash_of(map))
}

fn hash_of(map: &Map<String, Value>) -> String {
    let text = canonical_json::object_without(map, &["hash", "seal"]);
    crate::hex::encode(&Sha256::digest(text.as_bytes()))
}

/// The members sealing adds to a record: `prev_hash`, `hash`, and with a key `seal_key_id`, `seal`.
///
/// ```
/// let fields = tenantry::audit::seal_fields(&serde_json::json!({"a": 1}), None, None)?;
/// assert_eq!(fields.prev_hash, tenantry::audit::GENESIS_HASH);
/// assert!(fields.seal.is_none());
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealFields {
    /// The previous record's hash ([`GENESIS_HASH`] for the first record).
    pub prev_hash: String,
    /// The id of the key that made `seal`.
    pub seal_key_id: Option<String>,
    /// Hex HMAC-SHA256 of `hash` under the key.
    pub seal: Option<String>,
    /// Hex SHA-256 of the record's canonical JSON with `prev_hash` and `seal_key_id`.
    pub hash: String,
}

impl SealFields {
    /// The members as `(name, value)` pairs, in the order [`seal`] adds them.
    ///
    /// ```
    /// let fields = tenantry::audit::seal_fields(&serde_json::json!({}), None, None)?;
    /// let names: Vec<&str> = fields.members().iter().map(|(k, _)| *k).collect();
    /// assert_eq!(names, ["prev_hash", "hash"]);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn members(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![("prev_hash", self.prev_hash.as_str())];
        if let (Some(id), Some(seal)) = (&self.seal_key_id, &self.seal) {
            out.push(("seal_key_id", id.as_str()));
            out.push(("seal", seal.as_str()));
        }
        out.push(("hash", self.hash.as_str()));
        out
    }
}

/// Computes the members [`seal`] would add to `record`, without copying the record (for callers
/// that hold the record in another form, such as the Python and Node bindings).
///
/// ```
/// let record = serde_json::json!({"action": "user.login"});
/// let fields = tenantry::audit::seal_fields(&record, None, None)?;
/// assert_eq!(tenantry::audit::seal(&record, None, None)?["hash"], fields.hash.as_str());
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn seal_fields(record: &Value, previous_hash: Option<&str>, key: Option<&SealKey>) -> Result<SealFields> {
    let map = record
        .as_object()
        .ok_or_else(|| Error::new(ErrorCode::AuditInvalidRecord, "a record must be a JSON object"))?;
    let prev = check_unsealed(|m| map.contains_key(m), previous_hash)?;
    let prev_value = Value::String(prev.to_owned());
    let key_value = key.map(|k| Value::String(k.id.clone()));
    let mut members: Vec<(&str, &Value)> = Vec::with_capacity(map.len() + 2);
    members.extend(map.iter().map(|(k, v)| (k.as_str(), v)));
    members.push(("prev_hash", &prev_value));
    if let Some(v) = &key_value {
        members.push(("seal_key_id", v));
    }
    let mut sink = HashSink::new();
    canonical_json::write_members_into(&mut sink, &mut members);
    Ok(fields_for(sink.finish(), prev, key))
}

/// [`seal_fields`] for a record held as a [`Tree`] (what the bindings convert a
/// record to when they only need its hash): the same checks and the same fields.
///
/// ```
/// use tenantry::json_tree::Tree;
/// let text = r#"{"action": "user.login"}"#;
/// let tree: Tree<'_> = serde_json::from_str(text).unwrap();
/// let value: serde_json::Value = serde_json::from_str(text).unwrap();
/// assert_eq!(
///     tenantry::audit::seal_fields_tree(&tree, None, None)?,
///     tenantry::audit::seal_fields(&value, None, None)?,
/// );
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn seal_fields_tree(
    record: &Tree<'_>,
    previous_hash: Option<&str>,
    key: Option<&SealKey>,
) -> Result<SealFields> {
    let Tree::Object(map) = record else {
        return Err(Error::new(ErrorCode::AuditInvalidRecord, "a record must be a JSON object"));
    };
    let prev = check_unsealed(|m| map.iter().any(|(k, _)| k == m), previous_hash)?;
    let prev_value = Tree::String(prev.into());
    let key_value = key.map(|k| Tree::String(k.id.as_str().into()));
    let mut members: Vec<(&str, &Tree<'_>)> = Vec::with_capacity(map.len() + 2);
    members.extend(map.iter().map(|(k, v)| (k.as_ref(), v)));
    members.push(("prev_hash", &prev_value));
    if let Some(v) = &key_value {
        members.push(("seal_key_id", v));
    }
    let mut sink = HashSink::new();
    canonical_json::write_members_into(&mut sink, &mut members);
    Ok(fields_for(sink.finish(), prev, key))
}

/// Refuses a record that already has sealing members; returns the `prev_hash` to link to.
fn check_unsealed(has: impl Fn(&str) -> bool, previous_hash: Option<&str>) -> Result<&str> {
    if let Some(member) = ["prev_hash", "hash", "seal", "seal_key_id"].into_iter().find(|m| has(m)) {
        return Err(Error::new(
            ErrorCode::AuditInvalidRecord,
            format!("the record is already sealed (it has a {member} member)"),
        ));
    }
    link_to(previous_hash)
}

/// The `prev_hash` to link to: `previous_hash` checked, or [`GENESIS_HASH`] for the first record.
pub(super) fn link_to(previous_hash: Option<&str>) -> Result<&str> {
    match previous_hash {
        None => Ok(GENESIS_HASH),
        Some(h) if is_hash(h) => Ok(h),
        Some(_) => Err(Error::new(
            ErrorCode::AuditInvalidRecord,
            "previous_hash must be the 64 lowercase hex digits of the previous record's hash",
        )),
    }
}

/// SHA-256 of canonical JSON as it is written, in chunks: no text to allocate and grow.
pub(super) struct HashSink {
    hasher: Sha256,
    buf: [u8; 512],
    len: usize,
}

impl HashSink {
    pub(super) fn new() -> Self {
        HashSink { hasher: Sha256::new(), buf: [0; 512], len: 0 }
    }

    /// The digest of everything written.
    pub(super) fn finish(mut self) -> [u8; 32] {
        self.hasher.update(self.buf.get(..self.len).unwrap_or_default());
        self.hasher.finalize().into()
    }
}

impl canonical_json::Sink for HashSink {
    #[inline]
    fn push_str(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let end = self.len + bytes.len();
        match self.buf.get_mut(self.len..end) {
            Some(room) => {
                room.copy_from_slice(bytes);
                self.len = end;
            }
            None => self.spill(bytes),
        }
    }

    #[inline]
    fn push_quoted(&mut self, s: &str) {
        let end = self.len + s.len() + 2;
        match self.buf.get_mut(self.len..end) {
            Some([open, body @ .., close]) => {
                *open = b'"';
                body.copy_from_slice(s.as_bytes());
                *close = b'"';
                self.len = end;
            }
            _ => {
                self.push('"');
                self.push_str(s);
                self.push('"');
            }
        }
    }
}

impl HashSink {
    /// Hashes what is buffered, then buffers `bytes` (or hashes them too, when they are longer
    /// than the buffer).
    fn spill(&mut self, bytes: &[u8]) {
        self.hasher.update(self.buf.get(..self.len).unwrap_or_default());
        self.len = 0;
        match self.buf.get_mut(..bytes.len()) {
            Some(room) => {
                room.copy_from_slice(bytes);
                self.len = bytes.len();
            }
            None => self.hasher.update(bytes),
        }
    }
}

pub(super) fn fields_for(digest: [u8; 32], prev: &str, key: Option<&SealKey>) -> SealFields {
    let hash = crate::hex::encode(&digest);
    SealFields {
        prev_hash: prev.to_owned(),
        seal_key_id: key.map(|k| k.id.clone()),
        seal: key.map(|k| k.seal_of(&hash)),
        hash,
    }
}

/// Seals `record` after the record whose hash is `previous_hash` (`None`: the chain's first
/// record, linked to [`GENESIS_HASH`]): returns the record with `prev_hash`, `hash` and, with a
/// key, `seal_key_id` and `seal`.
///
/// ```
/// use tenantry::audit::{seal, verify_chain, SealKey};
/// let key = SealKey::new("k1", tenantry::SecretBytes::new(vec![9; 32]))?;
/// let a = seal(&serde_json::json!({"action": "user.login"}), None, Some(&key))?;
/// let b = seal(&serde_json::json!({"action": "user.logout"}), a["hash"].as_str(), Some(&key))?;
/// assert!(verify_chain(&[a, b], &[key], None)?.ok);
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn seal(record: &Value, previous_hash: Option<&str>, key: Option<&SealKey>) -> Result<Value> {
    let fields = seal_fields(record, previous_hash, key)?;
    let map = record.as_object();
    let mut out = Map::with_capacity(map.map_or(0, Map::len) + 4);
    out.extend(map.into_iter().flatten().map(|(k, v)| (k.clone(), v.clone())));
    for (name, value) in fields.members() {
        out.insert(name.to_owned(), Value::String(value.to_owned()));
    }
    Ok(Value::Object(out))
}

struct Link<'a> {
    prev: &'a str,
    hash: &'a str,
}

fn link<R: Stored>(record: &R) -> Option<Link<'_>> {
    let hash_member = |name: &str| {
        record.members()?.find(|(k, _)| *k == name).and_then(|(_, v)| v.as_text()).filter(|h| is_hash(h))
    };
    Some(Link { prev: hash_member("prev_hash")?, hash: hash_member("hash")? })
}

/// A stored record as verification reads it: a `serde_json::Value`, or a [`Tree`] (what the
/// bindings convert their records to without copying them).
pub(crate) trait Stored {
    /// The record's member values.
    type Node: canonical_json::Node;
    /// The members, or `None` when the record is not an object.
    fn members(&self) -> Option<impl Iterator<Item = (&str, &Self::Node)>>;
}

impl Stored for Value {
    type Node = Value;
    fn members(&self) -> Option<impl Iterator<Item = (&str, &Value)>> {
        self.as_object().map(|m| m.iter().map(|(k, v)| (k.as_str(), v)))
    }
}

impl<'a> Stored for Tree<'a> {
    type Node = Tree<'a>;
    fn members(&self) -> Option<impl Iterator<Item = (&str, &Tree<'a>)>> {
        match self {
            Tree::Object(members) => Some(members.iter().map(|(k, v)| (k.as_ref(), v))),
            _ => None,
        }
    }
}

/// Verifies a chain of sealed records, oldest first; reports the first break.
///
/// `keys`: when not empty, every record must carry a seal by one of them (several keys during
/// rotation, matched by `seal_key_id`). `anchor`: the hash the first record must follow
/// ([`GENESIS_HASH`] for a complete chain, or the head stored from an earlier verification);
/// `None` trusts the first record's `prev_hash`, so a chain whose oldest records were removed by
/// retention still verifies.
///
/// Without a key, an edit whose hash was recomputed shows as a break at the next record
/// (`deleted`); with a key it is caught at the record itself (`edited`). Records removed from the
/// end of a chain are only caught by comparing the head with a stored one.
///
/// ```
/// use tenantry::audit::{seal, verify_chain, BreakReason};
/// let a = seal(&serde_json::json!({"n": 1}), None, None)?;
/// let b = seal(&serde_json::json!({"n": 2}), a["hash"].as_str(), None)?;
/// let c = seal(&serde_json::json!({"n": 3}), b["hash"].as_str(), None)?;
/// let report = verify_chain(&[a.clone(), c.clone()], &[], None)?;
/// assert_eq!((report.index, report.reason), (Some(1), Some(BreakReason::Deleted)));
/// let report = verify_chain(&[a, c, b], &[], None)?;
/// assert_eq!((report.index, report.reason), (Some(1), Some(BreakReason::Reordered)));
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn verify_chain(records: &[Value], keys: &[SealKey], anchor: Option<&str>) -> Result<ChainReport> {
    verify(records, keys, anchor)
}

/// [`verify_chain`] for records held as [`Tree`]s (how the bindings read the caller's records
/// without copying them): the same checks and the same report.
///
/// ```
/// use tenantry::audit::{seal, verify_chain_trees};
/// use tenantry::json_tree::Tree;
/// let a = seal(&serde_json::json!({"n": 1}), None, None)?;
/// let b = seal(&serde_json::json!({"n": 2}), a["hash"].as_str(), None)?;
/// let report = verify_chain_trees(&[Tree::from(&a), Tree::from(&b)], &[], None)?;
/// assert_eq!(report.head.as_deref(), b["hash"].as_str());
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn verify_chain_trees(
    records: &[Tree<'_>],
    keys: &[SealKey],
    anchor: Option<&str>,
) -> Result<ChainReport> {
    verify(records, keys, anchor)
}

fn verify<R: Stored>(records: &[R], keys: &[SealKey], anchor: Option<&str>) -> Result<ChainReport> {
    if let Some(a) = anchor
        && !is_hash(a)
    {
        return Err(Error::new(ErrorCode::AuditInvalidRecord, "the anchor must be 64 lowercase hex digits"));
    }
    let broken = |index: usize, reason: BreakReason| {
        Ok(ChainReport { ok: false, index: Some(index), reason: Some(reason), head: None })
    };
    // One pass, one walk over each record's members: long chains are bound by memory, not hashing.
    let mut expected = anchor;
    for (i, record) in records.iter().enumerate() {
        let Some(r) = read_sealed(record) else { return broken(i, BreakReason::Malformed) };
        if r.computed.as_slice() != r.hash.as_bytes() {
            return broken(i, BreakReason::Edited);
        }
        if !keys.is_empty()
            && let Some(reason) = seal_problem(&r, keys, records)
        {
            return broken(i, reason);
        }
        if let Some(want) = expected
            && r.prev != want
        {
            let (index, reason) = classify_link_break(records, i, want, anchor);
            return broken(index, reason);
        }
        expected = Some(r.hash);
    }
    Ok(ChainReport { ok: true, index: None, reason: None, head: expected.map(str::to_owned) })
}

/// A sealed record's chain members, and the hash its content actually has.
struct Sealed<'a> {
    prev: &'a str,
    hash: &'a str,
    seal: Option<&'a str>,
    key_id: Option<&'a str>,
    /// Hex SHA-256 of the record's canonical JSON (without `hash` and `seal`).
    computed: [u8; 64],
}

fn read_sealed<R: Stored>(record: &R) -> Option<Sealed<'_>> {
    let (mut prev, mut hash, mut seal, mut key_id) = (None, None, None, None);
    // Every member but `hash` and `seal` is hashed, sorted in a stack array for ordinary records.
    const STACK: usize = 24;
    let mut members = record.members()?.filter(|(k, v)| {
        match *k {
            "hash" => hash = v.as_text(),
            "seal" => seal = v.as_text(),
            "prev_hash" => prev = v.as_text(),
            "seal_key_id" => key_id = v.as_text(),
            _ => {}
        }
        !matches!(*k, "hash" | "seal")
    });
    let mut sink = HashSink::new();
    match members.next() {
        None => sink.push_str("{}"),
        Some(first) => {
            let mut stack = [first; STACK];
            let mut len = 1;
            let mut heap = Vec::new();
            for member in members.by_ref() {
                match stack.get_mut(len) {
                    Some(slot) => *slot = member,
                    None => {
                        heap.extend_from_slice(&stack);
                        heap.push(member);
                        heap.extend(members.by_ref());
                        break;
                    }
                }
                len += 1;
            }
            let all = if heap.is_empty() { stack.get_mut(..len)? } else { heap.as_mut_slice() };
            canonical_json::write_members_into(&mut sink, all);
        }
    }
    let prev = prev.filter(|h| is_hash(h))?;
    let hash = hash.filter(|h| is_hash(h))?;
    Some(Sealed { prev, hash, seal, key_id, computed: hex64(&sink.finish()) })
}

/// Record `i` does not follow `expected`: tell a reordering, an insertion and a deletion apart.
fn classify_link_break<R: Stored>(
    records: &[R],
    i: usize,
    expected: &str,
    anchor: Option<&str>,
) -> (usize, BreakReason) {
    let links: Vec<Option<Link<'_>>> = records.iter().map(|r| link(r)).collect();
    let Some(Some(l)) = links.get(i) else { return (i, BreakReason::Malformed) };
    let later: Vec<&Link<'_>> = links.get(i + 1..).unwrap_or_default().iter().flatten().collect();
    let earlier: Vec<&Link<'_>> = links.get(..i).unwrap_or_default().iter().flatten().collect();
    if later.iter().any(|o| o.hash == l.prev) || earlier.iter().any(|o| o.prev == l.hash) {
        return (i, BreakReason::Reordered);
    }
    // The previous record follows one that comes later: it is the one out of place.
    if earlier.last().is_some_and(|p| later.iter().any(|o| o.hash == p.prev)) {
        return (i.saturating_sub(1), BreakReason::Reordered);
    }
    if links.get(i + 1).and_then(Option::as_ref).is_some_and(|next| next.prev == expected) {
        return (i, BreakReason::Inserted);
    }
    let before_previous = match i.checked_sub(2) {
        Some(p) => links.get(p).and_then(Option::as_ref).map(|o| o.hash),
        None => anchor.filter(|_| i == 1),
    };
    if before_previous == Some(l.prev) {
        return (i.saturating_sub(1), BreakReason::Inserted);
    }
    (i, BreakReason::Deleted)
}

fn seal_problem<R: Stored>(r: &Sealed<'_>, keys: &[SealKey], records: &[R]) -> Option<BreakReason> {
    let (Some(key_id), Some(seal)) = (r.key_id, r.seal) else { return Some(BreakReason::Unsealed) };
    let Some(key) = keys.iter().find(|k| k.id == key_id) else { return Some(BreakReason::WrongKey) };
    if secret::ct_eq(&key.seal_hex(r.hash), seal.as_bytes()) {
        return None;
    }
    // A key with the right id that verifies no record at all is the wrong key; one that verifies
    // other records means this record was rewritten.
    let verifies_others = records.iter().filter_map(|o| read_sealed(o)).any(|o| {
        o.key_id == Some(key_id)
            && o.computed.as_slice() == o.hash.as_bytes()
            && o.seal.is_some_and(|s| secret::ct_eq(&key.seal_hex(o.hash), s.as_bytes()))
    });
    Some(if verifies_others { BreakReason::Edited } else { BreakReason::WrongKey })
}

fn is_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The 64 lowercase hex digits of a 32-byte digest, on the stack.
fn hex64(bytes: &[u8]) -> [u8; 64] {
    let mut out = [b'0'; 64];
    crate::hex::encode_into(bytes, &mut out);
    out
}
