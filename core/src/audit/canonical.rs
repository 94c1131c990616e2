//! A built record's RFC 8785 canonical JSON, written straight from its fields: what sealing a
//! fresh record hashes, without building its JSON first (the hot path of build + seal).

use serde_json::{Map, Value};

use super::chain::{HashSink, SealFields, SealKey, fields_for, link_to};
use super::diff::Changes;
use super::record::{AuditRecord, Change};
use crate::Result;
use crate::canonical_json::{Node, Sink, write_string, write_value};

impl AuditRecord {
    /// The members [`seal`](super::seal) would add to this record's JSON, computed from the record
    /// itself: the same fields as `seal_fields(&record.to_json(), previous_hash, key)`, without
    /// building the JSON.
    ///
    /// ```
    /// use tenantry::audit::{seal_fields, Actor, ActorType, AuditRecord, SealKey};
    /// let key = SealKey::new("k1", tenantry::SecretBytes::new(vec![7; 32]))?;
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u_1")).build(0)?;
    /// assert_eq!(r.seal_fields(None, Some(&key))?, seal_fields(&r.to_json(), None, Some(&key))?);
    /// assert_eq!(r.seal_fields(Some("nope"), None).unwrap_err().code(), "audit.invalid_record");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn seal_fields(&self, previous_hash: Option<&str>, key: Option<&SealKey>) -> Result<SealFields> {
        seal_record(self, previous_hash, key)
    }

    /// The sealed record as JSON: the same value as `seal(&record.to_json(), previous_hash, key)`.
    ///
    /// ```
    /// use tenantry::audit::{seal, verify_chain, Actor, ActorType, AuditRecord};
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u_1")).build(0)?;
    /// let sealed = r.to_sealed_json(None, None)?;
    /// assert_eq!(sealed, seal(&r.to_json(), None, None)?);
    /// assert!(verify_chain(&[sealed], &[], None)?.ok);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn to_sealed_json(&self, previous_hash: Option<&str>, key: Option<&SealKey>) -> Result<Value> {
        let fields = self.seal_fields(previous_hash, key)?;
        let mut json = self.to_json();
        if let Value::Object(map) = &mut json {
            for (name, value) in fields.members() {
                map.insert(name.to_owned(), Value::String(value.to_owned()));
            }
        }
        Ok(json)
    }
}

/// Writes the canonical JSON of `record.to_json()` plus `prev_hash` (and `seal_key_id`): the
/// members of every object in RFC 8785 order, which for these fixed ASCII names is byte order.
impl AuditRecord<Changes<'_>> {
    /// [`AuditRecord::seal_fields`] of a record whose changes are still borrowed (as
    /// [`build_then`](super::AuditRecordBuilder::build_then) hands it over): the same fields as
    /// sealing its owned form.
    ///
    /// ```
    /// use tenantry::audit::{Actor, ActorType, AuditRecord};
    /// let build = || AuditRecord::builder("setting.updated", Actor::new(ActorType::User, "u_1")).id("r_1")
    ///     .after(serde_json::json!({"theme": "dark"}));
    /// let borrowed = build().build_then(0, |r| r.seal_fields(None, None))??;
    /// assert_eq!(borrowed, build().build(0)?.seal_fields(None, None)?);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn seal_fields(&self, previous_hash: Option<&str>, key: Option<&SealKey>) -> Result<SealFields> {
        seal_record(self, previous_hash, key)
    }
}

/// A record's list of changes, as either form of [`AuditRecord`] holds it.
pub(super) trait ChangeList {
    /// Writes the list as canonical JSON.
    fn write_to(&self, out: &mut impl Sink);
}

impl ChangeList for Vec<Change> {
    fn write_to(&self, out: &mut impl Sink) {
        write_list(out, self.iter().map(|c| (c.path.as_str(), c.before.as_ref(), c.after.as_ref())));
    }
}

impl ChangeList for Changes<'_> {
    fn write_to(&self, out: &mut impl Sink) {
        write_list(out, self.iter().map(|c| (c.path, c.before, c.after)));
    }
}

fn seal_record<C: ChangeList>(
    r: &AuditRecord<C>,
    previous_hash: Option<&str>,
    key: Option<&SealKey>,
) -> Result<SealFields> {
    let prev = link_to(previous_hash)?;
    let mut sink = HashSink::new();
    write_record(&mut sink, r, prev, key.map(SealKey::id));
    Ok(fields_for(sink.finish(), prev, key))
}

fn write_record<C: ChangeList>(
    out: &mut impl Sink,
    r: &AuditRecord<C>,
    prev_hash: &str,
    seal_key_id: Option<&str>,
) {
    let a = &r.actor;
    out.push_str("{\"action\":");
    write_string(out, &r.action);
    out.push_str(",\"actor\":{\"email\":");
    write_opt(out, a.email.as_deref());
    out.push_str(",\"id\":");
    write_string(out, &a.id);
    out.push_str(",\"ip\":");
    write_opt(out, a.ip.as_deref());
    out.push_str(",\"role\":");
    write_opt(out, a.role.as_deref());
    out.push_str(",\"type\":");
    write_string(out, a.actor_type.as_str());
    out.push_str(",\"user_agent\":");
    write_opt(out, a.user_agent.as_deref());
    out.push_str("},\"changes\":");
    r.changes.write_to(out);
    out.push_str(",\"expires_at\":");
    write_opt(out, r.expires_at.as_deref());
    out.push_str(",\"id\":");
    write_string(out, &r.id);
    out.push_str(",\"metadata\":");
    write_metadata(out, &r.metadata);
    out.push_str(",\"occurred_at\":");
    write_string(out, &r.occurred_at);
    out.push_str(",\"outcome\":");
    write_string(out, r.outcome.as_str());
    out.push_str(",\"prev_hash\":");
    write_string(out, prev_hash);
    out.push_str(",\"reason\":");
    write_opt(out, r.reason.as_deref());
    out.push_str(",\"request_id\":");
    write_opt(out, r.request_id.as_deref());
    if let Some(id) = seal_key_id {
        out.push_str(",\"seal_key_id\":");
        write_string(out, id);
    }
    out.push_str(",\"severity\":");
    write_string(out, r.severity.as_str());
    out.push_str(",\"target\":");
    match &r.target {
        Some(t) => {
            out.push_str("{\"id\":");
            write_string(out, &t.id);
            out.push_str(",\"name\":");
            write_opt(out, t.name.as_deref());
            out.push_str(",\"type\":");
            write_string(out, &t.target_type);
            out.push('}');
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"tenant_id\":");
    write_opt(out, r.tenant_id.as_deref());
    out.push('}');
}

fn write_opt(out: &mut impl Sink, value: Option<&str>) {
    match value {
        Some(s) => write_string(out, s),
        None => out.push_str("null"),
    }
}

/// `{"after":…,"before":…,"path":…}`, absent values left out (as `to_json` does).
/// `[{"after":…,"before":…,"path":…}, …]`, members in canonical order, absent values left out.
fn write_list<'n, N: Node + 'n>(
    out: &mut impl Sink,
    changes: impl Iterator<Item = (&'n str, Option<&'n N>, Option<&'n N>)>,
) {
    out.push('[');
    for (i, (path, before, after)) in changes.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        if let Some(v) = after {
            out.push_str("\"after\":");
            v.write_to(out);
            out.push(',');
        }
        if let Some(v) = before {
            out.push_str("\"before\":");
            v.write_to(out);
            out.push(',');
        }
        out.push_str("\"path\":");
        write_string(out, path);
        out.push('}');
    }
    out.push(']');
}

fn write_metadata(out: &mut impl Sink, metadata: &Map<String, Value>) {
    if metadata.is_empty() {
        out.push_str("{}");
    } else {
        // Caller-chosen member names: the general writer sorts them.
        write_value(out, &Value::Object(metadata.clone()));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::SecretBytes;
    use crate::audit::{
        Actor, ActorType, AuditRecord, Change, Outcome, SealKey, Severity, Target, seal_fields,
    };

    #[test]
    fn equals_the_canonical_json_of_the_record() {
        let key = SealKey::new("k\u{e9}y/1", SecretBytes::new(vec![7; 32])).unwrap();
        let full = AuditRecord::builder(
            "user.role_changed",
            Actor::new(ActorType::ApiKey, "ak_\"1\"")
                .email("a@example.com")
                .role("admin")
                .ip("2001:db8::1")
                .user_agent("curl/8 \"q\\"),
        )
        .tenant_id("t_\u{1F600}")
        .target(Target::new("user", "u_2").name("Zoë"))
        .outcome(Outcome::Failure)
        .reason("quote \" and \\ backslash")
        .severity(Severity::Critical)
        .request_id("req_9")
        .metadata(json!({"z": 1, "\u{e000}": 2, "\u{1F600}": [1.5, null], "a": {"y": true, "b": "x"}}))
        .before(json!({"a": 1, "n": {"deep": [1, 2]}, "password": "x", "note": "line\nbreak"}))
        .after(json!({"a": 2.5, "n": {"deep": [1, 3]}, "new": "v"}))
        .build(1_700_000_000_123)
        .unwrap();
        let bare = AuditRecord::builder("user.login", Actor::new(ActorType::System, "cron"))
            .retention_days(None)
            .changes(vec![
                Change::new("/x", None, Some(json!(1))),
                Change::new("", Some(json!(0)), None),
                Change::new("/neither", None, None),
            ])
            .build(0)
            .unwrap();
        for record in [full, bare] {
            for prev in [None, Some("ab".repeat(32))] {
                for key in [None, Some(&key)] {
                    assert_eq!(
                        record.seal_fields(prev.as_deref(), key).unwrap(),
                        seal_fields(&record.to_json(), prev.as_deref(), key).unwrap()
                    );
                }
            }
        }
    }
}
