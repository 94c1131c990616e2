//! The audit record, its parts, and the builder that validates them.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;

use super::diff::{Changes, Masking};
use super::validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS, issue};
use super::{actions, id, retention, time};
use crate::json_tree::Tree;
use crate::{Error, ErrorCode, Result};

/// The default bound on a record's metadata: 8 KB of canonical JSON.
///
/// ```
/// assert_eq!(tenantry::audit::DEFAULT_MAX_METADATA_BYTES, 8 * 1024);
/// ```
pub const DEFAULT_MAX_METADATA_BYTES: usize = 8 * 1024;
/// The bound on a record's list of changes: 256 KB of canonical JSON.
const MAX_CHANGES_BYTES: usize = 256 * 1024;

/// How serious an event is (seed 004's four levels).
///
/// ```
/// use tenantry::audit::Severity;
/// assert_eq!(Severity::parse("WARNING").unwrap(), Severity::Warning);
/// assert_eq!(Severity::parse("fatal").unwrap_err().code(), "audit.invalid_severity");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Routine activity.
    Info,
    /// Worth a second look (deletions, role and password changes).
    Warning,
    /// A failed operation.
    Error,
    /// A security-relevant failure or incident.
    Critical,
}

impl Severity {
    /// All severities, least serious first.
    ///
    /// ```
    /// assert_eq!(tenantry::audit::Severity::ALL.len(), 4);
    /// ```
    pub const ALL: [Severity; 4] = [Severity::Info, Severity::Warning, Severity::Error, Severity::Critical];

    /// The lowercase name stored in records.
    ///
    /// ```
    /// assert_eq!(tenantry::audit::Severity::Critical.as_str(), "critical");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Critical => "critical",
        }
    }

    /// Parses a severity name, case-insensitively (`INFO` as seed 004 writes it is accepted).
    ///
    /// ```
    /// assert_eq!(tenantry::audit::Severity::parse("info").unwrap().as_str(), "info");
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        Severity::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(text)).ok_or_else(|| {
            issue(
                ErrorCode::AuditInvalidSeverity,
                "/severity",
                "enum",
                "must be one of info, warning, error, critical",
            )
        })
    }
}

/// Who acted: a person, an API key, a service, or the system itself.
///
/// ```
/// use tenantry::audit::ActorType;
/// assert_eq!(ActorType::parse("api_key").unwrap(), ActorType::ApiKey);
/// assert_eq!(ActorType::parse("robot").unwrap_err().code(), "audit.invalid_record");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorType {
    /// A signed-in person.
    User,
    /// A request authenticated with an API key.
    ApiKey,
    /// Another service (machine identity).
    Service,
    /// tenantry's caller itself: schedulers, startup, migrations.
    System,
}

impl ActorType {
    const ALL: [ActorType; 4] = [ActorType::User, ActorType::ApiKey, ActorType::Service, ActorType::System];

    /// The name stored in records.
    ///
    /// ```
    /// assert_eq!(tenantry::audit::ActorType::ApiKey.as_str(), "api_key");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ActorType::User => "user",
            ActorType::ApiKey => "api_key",
            ActorType::Service => "service",
            ActorType::System => "system",
        }
    }

    /// Parses an actor type (exact, lowercase).
    ///
    /// ```
    /// assert_eq!(tenantry::audit::ActorType::parse("system").unwrap().as_str(), "system");
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        ActorType::ALL.into_iter().find(|t| t.as_str() == text).ok_or_else(|| {
            issue(
                ErrorCode::AuditInvalidRecord,
                "/actor/type",
                "enum",
                "must be one of user, api_key, service, system",
            )
        })
    }
}

/// Whether the audited operation succeeded.
///
/// ```
/// use tenantry::audit::Outcome;
/// assert_eq!(Outcome::parse("failure").unwrap(), Outcome::Failure);
/// assert!(Outcome::parse("maybe").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The operation happened.
    Success,
    /// The operation was attempted and refused or failed (see the record's `reason`).
    Failure,
}

impl Outcome {
    /// The name stored in records.
    ///
    /// ```
    /// assert_eq!(tenantry::audit::Outcome::Success.as_str(), "success");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
    }

    /// Parses `success` or `failure`.
    ///
    /// ```
    /// assert_eq!(tenantry::audit::Outcome::parse("success").unwrap().as_str(), "success");
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "success" => Ok(Outcome::Success),
            "failure" => Ok(Outcome::Failure),
            _ => Err(issue(ErrorCode::AuditInvalidRecord, "/outcome", "enum", "must be success or failure")),
        }
    }
}

/// Who performed the action, and from where.
///
/// ```
/// use tenantry::audit::{Actor, ActorType};
/// let actor = Actor::new(ActorType::User, "u_1").email("ada@example.com").ip("203.0.113.9");
/// assert_eq!(actor.ip.as_deref(), Some("203.0.113.9"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    /// What kind of actor.
    #[serde(rename = "type")]
    pub actor_type: ActorType,
    /// The actor's id (user id, key id, service name).
    pub id: String,
    /// E-mail address, for people.
    #[serde(default)]
    pub email: Option<String>,
    /// Role at the time of the action.
    #[serde(default)]
    pub role: Option<String>,
    /// Client IP address (v4 or v6), normalized.
    #[serde(default)]
    pub ip: Option<String>,
    /// Client user agent.
    #[serde(default)]
    pub user_agent: Option<String>,
}

impl Actor {
    /// An actor with a type and id.
    ///
    /// ```
    /// let a = tenantry::audit::Actor::new(tenantry::audit::ActorType::System, "scheduler");
    /// assert_eq!(a.id, "scheduler");
    /// ```
    pub fn new(actor_type: ActorType, id: impl Into<String>) -> Self {
        Actor { actor_type, id: id.into(), email: None, role: None, ip: None, user_agent: None }
    }

    /// Sets the e-mail address.
    ///
    /// ```
    /// let a = tenantry::audit::Actor::new(tenantry::audit::ActorType::User, "u_1").email("a@b.c");
    /// assert_eq!(a.email.as_deref(), Some("a@b.c"));
    /// ```
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Sets the role.
    ///
    /// ```
    /// let a = tenantry::audit::Actor::new(tenantry::audit::ActorType::User, "u_1").role("admin");
    /// assert_eq!(a.role.as_deref(), Some("admin"));
    /// ```
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Sets the client IP address (validated when the record is built).
    ///
    /// ```
    /// let a = tenantry::audit::Actor::new(tenantry::audit::ActorType::User, "u_1").ip("::1");
    /// assert_eq!(a.ip.as_deref(), Some("::1"));
    /// ```
    pub fn ip(mut self, ip: impl Into<String>) -> Self {
        self.ip = Some(ip.into());
        self
    }

    /// Sets the client user agent.
    ///
    /// ```
    /// let a = tenantry::audit::Actor::new(tenantry::audit::ActorType::User, "u_1").user_agent("curl/8");
    /// assert_eq!(a.user_agent.as_deref(), Some("curl/8"));
    /// ```
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Reads an actor from JSON `{type, id, email?, role?, ip?, user_agent?}` (shape only; values
    /// are checked when the record is built).
    ///
    /// ```
    /// let a = tenantry::audit::Actor::from_json(&serde_json::json!({"type": "api_key", "id": "key_1"})).unwrap();
    /// assert_eq!(a.actor_type.as_str(), "api_key");
    /// ```
    pub fn from_json(value: &Value) -> Result<Self> {
        Actor::from_tree(&Tree::from(value))
    }

    /// [`from_json`](Self::from_json) for an actor held as a [`Tree`] (how the bindings read it).
    ///
    /// ```
    /// let tree: tenantry::json_tree::Tree<'_> = serde_json::from_str(r#"{"type": "user", "id": "u_1"}"#).unwrap();
    /// assert_eq!(tenantry::audit::Actor::from_tree(&tree)?.id, "u_1");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn from_tree(value: &Tree<'_>) -> Result<Self> {
        let obj = object(value, "/actor")?;
        let actor_type = ActorType::parse(required_str(obj, "/actor", "type")?)?;
        let mut actor = Actor::new(actor_type, required_str(obj, "/actor", "id")?);
        actor.email = optional_str(obj, "/actor", "email")?;
        actor.role = optional_str(obj, "/actor", "role")?;
        actor.ip = optional_str(obj, "/actor", "ip")?;
        actor.user_agent = optional_str(obj, "/actor", "user_agent")?;
        unknown_members(obj, "/actor", &["type", "id", "email", "role", "ip", "user_agent"])?;
        Ok(actor)
    }
}

/// What the action was performed on.
///
/// ```
/// let t = tenantry::audit::Target::new("setting", "smtp_host").name("SMTP host");
/// assert_eq!(t.name.as_deref(), Some("SMTP host"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The kind of entity (`setting`, `user`, `forecast`, ...).
    #[serde(rename = "type")]
    pub target_type: String,
    /// The entity's id.
    pub id: String,
    /// A display name.
    #[serde(default)]
    pub name: Option<String>,
}

impl Target {
    /// A target with a type and id.
    ///
    /// ```
    /// assert_eq!(tenantry::audit::Target::new("user", "u_2").id, "u_2");
    /// ```
    pub fn new(target_type: impl Into<String>, id: impl Into<String>) -> Self {
        Target { target_type: target_type.into(), id: id.into(), name: None }
    }

    /// Sets the display name.
    ///
    /// ```
    /// assert_eq!(tenantry::audit::Target::new("user", "u_2").name("Ada").name.as_deref(), Some("Ada"));
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Reads a target from JSON `{type, id, name?}`.
    ///
    /// ```
    /// let t = tenantry::audit::Target::from_json(&serde_json::json!({"type": "user", "id": "u_2"})).unwrap();
    /// assert_eq!(t.target_type, "user");
    /// ```
    pub fn from_json(value: &Value) -> Result<Self> {
        Target::from_tree(&Tree::from(value))
    }

    /// [`from_json`](Self::from_json) for a target held as a [`Tree`].
    ///
    /// ```
    /// let tree: tenantry::json_tree::Tree<'_> = serde_json::from_str(r#"{"type": "user", "id": "u_2"}"#).unwrap();
    /// assert_eq!(tenantry::audit::Target::from_tree(&tree)?.id, "u_2");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn from_tree(value: &Tree<'_>) -> Result<Self> {
        let obj = object(value, "/target")?;
        let mut target =
            Target::new(required_str(obj, "/target", "type")?, required_str(obj, "/target", "id")?);
        target.name = optional_str(obj, "/target", "name")?;
        unknown_members(obj, "/target", &["type", "id", "name"])?;
        Ok(target)
    }
}

/// One changed value: JSON Pointer path, value before, value after (absent = did not exist).
///
/// ```
/// let c = tenantry::audit::Change::new("/theme", Some("light".into()), Some("dark".into()));
/// assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"path":"/theme","before":"light","after":"dark"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// RFC 6901 JSON Pointer to the value inside the document.
    pub path: String,
    /// The old value; `None` when the member was added.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub before: Option<Value>,
    /// The new value; `None` when the member was removed.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub after: Option<Value>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl Change {
    /// A change at `path`.
    ///
    /// ```
    /// let c = tenantry::audit::Change::new("/a", None, Some(serde_json::json!(1)));
    /// assert!(c.before.is_none());
    /// ```
    pub fn new(path: impl Into<String>, before: Option<Value>, after: Option<Value>) -> Self {
        Change { path: path.into(), before, after }
    }

    /// Reads a list of changes `[{path, before?, after?}]` given by the caller.
    ///
    /// ```
    /// let list = tenantry::audit::Change::list_from_json(&serde_json::json!([{"path": "/a", "after": null}])).unwrap();
    /// assert_eq!(list[0].after, Some(serde_json::Value::Null));
    /// ```
    pub fn list_from_json(value: &Value) -> Result<Vec<Change>> {
        let changes: Vec<Change> = serde_json::from_value(value.clone()).map_err(|e| {
            issue(
                ErrorCode::AuditInvalidRecord,
                "/changes",
                "type",
                &format!("expected [{{path, before, after}}]: {e}"),
            )
        })?;
        for (i, change) in changes.iter().enumerate() {
            if !crate::settings::pointer::is_valid(&change.path) {
                return Err(issue(
                    ErrorCode::AuditInvalidRecord,
                    &format!("/changes/{i}/path"),
                    "json_pointer",
                    "must be a JSON Pointer (empty or starting with /, with ~ only in ~0 and ~1)",
                ));
            }
        }
        Ok(changes)
    }
}

/// One audit record, as stored by the caller (plain JSON with a fixed set of members).
///
/// `C` is how the record holds its changes: owned, as `Vec<Change>` (the default: what you store,
/// read back and compare), or borrowed from the documents they came from, as [`Changes`] (what
/// [`AuditRecordBuilder::build_then`] hands over).
///
/// ```
/// use tenantry::audit::{Actor, ActorType, AuditRecord};
/// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u_1"))
///     .build_with_entropy(1_700_000_000_000, [0; 10])?;
/// assert_eq!(r.occurred_at, "2023-11-14T22:13:20.000Z");
/// assert_eq!(r.expires_at.as_deref(), Some("2024-02-12T22:13:20.000Z"));
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord<C = Vec<Change>> {
    /// Time-sortable unique id (ULID).
    pub id: String,
    /// When it happened: RFC 3339 UTC with milliseconds.
    pub occurred_at: String,
    /// The tenant, or `None` for system-wide events.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Who acted.
    pub actor: Actor,
    /// What happened: dotted lowercase, e.g. `settings.updated`.
    pub action: String,
    /// How serious it is.
    pub severity: Severity,
    /// Whether it succeeded.
    pub outcome: Outcome,
    /// Why it failed (or any note on the outcome).
    #[serde(default)]
    pub reason: Option<String>,
    /// What it was done to.
    #[serde(default)]
    pub target: Option<Target>,
    /// What changed, sensitive values masked.
    #[serde(default)]
    pub changes: C,
    /// The request that caused it, for correlation with logs.
    #[serde(default)]
    pub request_id: Option<String>,
    /// Free-form context (sensitive names masked), at most 8 KB by default.
    #[serde(default)]
    pub metadata: Map<String, Value>,
    /// When the record may be deleted, or `None` to keep it.
    #[serde(default)]
    pub expires_at: Option<String>,
}

impl AuditRecord {
    /// Starts a record for `action` performed by `actor`.
    ///
    /// ```
    /// use tenantry::audit::{Actor, ActorType, AuditRecord};
    /// let err = AuditRecord::builder("Settings Updated", Actor::new(ActorType::User, "u_1")).build(0).unwrap_err();
    /// assert_eq!(err.code(), "audit.invalid_action");
    /// ```
    pub fn builder<'a>(action: impl Into<String>, actor: Actor) -> AuditRecordBuilder<'a> {
        AuditRecordBuilder {
            parts: Box::new(Parts {
                action: action.into(),
                actor,
                tenant_id: None,
                severity: None,
                outcome: Outcome::Success,
                reason: None,
                target: None,
                before: None,
                after: None,
                changes: None,
                masking: Masking::new(),
                request_id: None,
                metadata: None,
                retention_days: Some(i64::from(retention::DEFAULT_RETENTION_DAYS)),
                id: None,
                max_metadata_bytes: DEFAULT_MAX_METADATA_BYTES,
            }),
        }
    }

    /// The record as plain JSON (every member present; absent values are `null`).
    ///
    /// ```
    /// use tenantry::audit::{Actor, ActorType, AuditRecord};
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u_1")).build(0)?;
    /// assert_eq!(r.to_json()["actor"]["type"], "user");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn to_json(&self) -> Value {
        // Built by hand with exact capacities (the same members, order and values as the derived
        // `Serialize`): this runs once per record on every language's hot path.
        fn text(s: &str) -> Value {
            Value::String(s.to_owned())
        }
        fn opt(s: Option<&str>) -> Value {
            s.map_or(Value::Null, text)
        }
        let a = &self.actor;
        let mut actor = Map::with_capacity(6);
        actor.insert("type".to_owned(), text(a.actor_type.as_str()));
        actor.insert("id".to_owned(), text(&a.id));
        actor.insert("email".to_owned(), opt(a.email.as_deref()));
        actor.insert("role".to_owned(), opt(a.role.as_deref()));
        actor.insert("ip".to_owned(), opt(a.ip.as_deref()));
        actor.insert("user_agent".to_owned(), opt(a.user_agent.as_deref()));
        let target = match &self.target {
            Some(t) => {
                let mut m = Map::with_capacity(3);
                m.insert("type".to_owned(), text(&t.target_type));
                m.insert("id".to_owned(), text(&t.id));
                m.insert("name".to_owned(), opt(t.name.as_deref()));
                Value::Object(m)
            }
            None => Value::Null,
        };
        let changes = self
            .changes
            .iter()
            .map(|c| {
                let mut m = Map::with_capacity(3);
                m.insert("path".to_owned(), text(&c.path));
                if let Some(v) = &c.before {
                    m.insert("before".to_owned(), v.clone());
                }
                if let Some(v) = &c.after {
                    m.insert("after".to_owned(), v.clone());
                }
                Value::Object(m)
            })
            .collect();
        let mut r = Map::with_capacity(17);
        r.insert("id".to_owned(), text(&self.id));
        r.insert("occurred_at".to_owned(), text(&self.occurred_at));
        r.insert("tenant_id".to_owned(), opt(self.tenant_id.as_deref()));
        r.insert("actor".to_owned(), Value::Object(actor));
        r.insert("action".to_owned(), text(&self.action));
        r.insert("severity".to_owned(), text(self.severity.as_str()));
        r.insert("outcome".to_owned(), text(self.outcome.as_str()));
        r.insert("reason".to_owned(), opt(self.reason.as_deref()));
        r.insert("target".to_owned(), target);
        r.insert("changes".to_owned(), Value::Array(changes));
        r.insert("request_id".to_owned(), opt(self.request_id.as_deref()));
        r.insert("metadata".to_owned(), Value::Object(self.metadata.clone()));
        r.insert("expires_at".to_owned(), opt(self.expires_at.as_deref()));
        Value::Object(r)
    }

    /// Reads a stored record back (members added by [`seal`](super::seal) are ignored).
    ///
    /// ```
    /// use tenantry::audit::{Actor, ActorType, AuditRecord};
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u_1")).build(0)?;
    /// assert_eq!(AuditRecord::from_json(&r.to_json())?, r);
    /// assert_eq!(AuditRecord::from_json(&serde_json::json!({})).unwrap_err().code(), "audit.invalid_record");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn from_json(value: &Value) -> Result<Self> {
        if !value.is_object() {
            // serde reads a struct from an array of its fields in order too: a 13-element array
            // was taken as a record.
            return Err(Error::new(
                ErrorCode::AuditInvalidRecord,
                "not an audit record: a record is a JSON object",
            ));
        }
        AuditRecord::deserialize(value)
            .map_err(|e| Error::new(ErrorCode::AuditInvalidRecord, format!("not an audit record: {e}")))
    }
}

impl AuditRecord<Changes<'_>> {
    /// The record with its changes owned (every changed value copied out of its document).
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("setting.updated", Actor::new(ActorType::User, "u"))
    ///     .after(serde_json::json!({"theme": "dark"}))
    ///     .build_then(0, |r| r.into_owned())?;
    /// assert_eq!(r.changes, vec![Change::new("/theme", None, Some("dark".into()))]);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn into_owned(self) -> AuditRecord {
        AuditRecord {
            id: self.id,
            occurred_at: self.occurred_at,
            tenant_id: self.tenant_id,
            actor: self.actor,
            action: self.action,
            severity: self.severity,
            outcome: self.outcome,
            reason: self.reason,
            target: self.target,
            changes: self.changes.to_vec(),
            request_id: self.request_id,
            metadata: self.metadata,
            expires_at: self.expires_at,
        }
    }
}

/// Collects and validates the parts of an [`AuditRecord`]; `build` checks everything at once.
///
/// ```
/// use tenantry::audit::{Actor, ActorType, AuditRecord, Outcome, Severity, Target};
/// let r = AuditRecord::builder("user.role_changed", Actor::new(ActorType::User, "admin_1").ip("2001:db8::1"))
///     .tenant_id("t_1")
///     .target(Target::new("user", "u_2"))
///     .outcome(Outcome::Failure)
///     .reason("insufficient privileges")
///     .severity(Severity::Error)
///     .request_id("req_9")
///     .metadata(serde_json::json!({"via": "admin console"}))
///     .build(1_700_000_000_000)?;
/// assert_eq!(r.severity, Severity::Error);
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct AuditRecordBuilder<'a> {
    // Boxed: every setter moves the builder, and the parts are some 600 bytes.
    parts: Box<Parts<'a>>,
}

/// What an [`AuditRecordBuilder`] has collected.
#[derive(Debug, Clone)]
struct Parts<'a> {
    action: String,
    actor: Actor,
    tenant_id: Option<String>,
    severity: Option<Severity>,
    outcome: Outcome,
    reason: Option<String>,
    target: Option<Target>,
    before: Option<Tree<'a>>,
    after: Option<Tree<'a>>,
    changes: Option<Vec<Change>>,
    masking: Masking,
    request_id: Option<String>,
    metadata: Option<Value>,
    retention_days: Option<i64>,
    id: Option<String>,
    max_metadata_bytes: usize,
}

impl<'a> AuditRecordBuilder<'a> {
    /// The tenant the event belongs to.
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u")).tenant_id("t_1").build(0)?;
    /// assert_eq!(r.tenant_id.as_deref(), Some("t_1"));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.parts.tenant_id = Some(tenant_id.into());
        self
    }

    /// The severity (default: the catalogue's default for the action, else `info`).
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("user.deleted", Actor::new(ActorType::User, "u")).build(0)?;
    /// assert_eq!(r.severity, Severity::Warning);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn severity(mut self, severity: Severity) -> Self {
        self.parts.severity = Some(severity);
        self
    }

    /// The outcome (default: success).
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u")).outcome(Outcome::Failure).build(0)?;
    /// assert_eq!(r.outcome, Outcome::Failure);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.parts.outcome = outcome;
        self
    }

    /// Why the operation failed (or a note on its outcome).
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u")).reason("bad password").build(0)?;
    /// assert_eq!(r.reason.as_deref(), Some("bad password"));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.parts.reason = Some(reason.into());
        self
    }

    /// The entity acted on.
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("user.deleted", Actor::new(ActorType::User, "u")).target(Target::new("user", "u_2")).build(0)?;
    /// assert_eq!(r.target.unwrap().id, "u_2");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn target(mut self, target: Target) -> Self {
        self.parts.target = Some(target);
        self
    }

    /// The document before the change; with [`after`](Self::after), the changes are computed.
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("setting.deleted", Actor::new(ActorType::User, "u"))
    ///     .before(serde_json::json!({"a": 1}))
    ///     .build(0)?;
    /// assert_eq!(r.changes, vec![Change::new("/a", Some(1.into()), None)]);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn before(mut self, before: Value) -> Self {
        self.parts.before = Some(Tree::from(before));
        self
    }

    /// [`before`](Self::before) given as a [`Tree`] that borrows the caller's strings (how the
    /// bindings hand over a document without copying it).
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let doc = serde_json::json!({"a": 1});
    /// let r = AuditRecord::builder("setting.deleted", Actor::new(ActorType::User, "u"))
    ///     .before_tree(tenantry::json_tree::Tree::from(&doc))
    ///     .build(0)?;
    /// assert_eq!(r.changes, vec![Change::new("/a", Some(1.into()), None)]);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn before_tree(mut self, before: Tree<'a>) -> Self {
        self.parts.before = Some(before);
        self
    }

    /// The document after the change.
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("setting.created", Actor::new(ActorType::User, "u"))
    ///     .after(serde_json::json!({"a": 1}))
    ///     .build(0)?;
    /// assert_eq!(r.changes, vec![Change::new("/a", None, Some(1.into()))]);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn after(mut self, after: Value) -> Self {
        self.parts.after = Some(Tree::from(after));
        self
    }

    /// [`after`](Self::after) given as a [`Tree`] that borrows the caller's strings.
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let doc = serde_json::json!({"a": 1});
    /// let r = AuditRecord::builder("setting.created", Actor::new(ActorType::User, "u"))
    ///     .after_tree(tenantry::json_tree::Tree::from(&doc))
    ///     .build(0)?;
    /// assert_eq!(r.changes, vec![Change::new("/a", None, Some(1.into()))]);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn after_tree(mut self, after: Tree<'a>) -> Self {
        self.parts.after = Some(after);
        self
    }

    /// Changes computed elsewhere (e.g. by the settings diff); masked like computed ones.
    /// Cannot be combined with `before`/`after`.
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("setting.updated", Actor::new(ActorType::User, "u"))
    ///     .changes(vec![Change::new("/api_key", Some("old".into()), Some("new".into()))])
    ///     .build(0)?;
    /// assert_eq!(r.changes[0].after, Some(MASK.into()));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn changes(mut self, changes: Vec<Change>) -> Self {
        self.parts.changes = Some(changes);
        self
    }

    /// Which values to mask (default: the sensitive names only).
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("setting.updated", Actor::new(ActorType::User, "u"))
    ///     .masking(Masking::new().with_paths(["/smtp/host"])?)
    ///     .before(serde_json::json!({"smtp": {"host": "a"}}))
    ///     .after(serde_json::json!({"smtp": {"host": "b"}}))
    ///     .build(0)?;
    /// assert_eq!(r.changes[0].before, Some(MASK.into()));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn masking(mut self, masking: Masking) -> Self {
        self.parts.masking = masking;
        self
    }

    /// The id of the request that caused the event.
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u")).request_id("req_1").build(0)?;
    /// assert_eq!(r.request_id.as_deref(), Some("req_1"));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn request_id(mut self, request_id: impl Into<String>) -> Self {
        self.parts.request_id = Some(request_id.into());
        self
    }

    /// Free-form context: a JSON object (sensitive names are masked; size bounded).
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let err = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u"))
    ///     .metadata(serde_json::json!([1]))
    ///     .build(0)
    ///     .unwrap_err();
    /// assert_eq!(err.code(), "audit.invalid_record");
    /// ```
    pub fn metadata(mut self, metadata: Value) -> Self {
        self.parts.metadata = Some(metadata);
        self
    }

    /// Retention in days (default 90); `None` keeps the record forever (`expires_at` null).
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u")).retention_days(None).build(0)?;
    /// assert!(r.expires_at.is_none());
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn retention_days(mut self, days: Option<i64>) -> Self {
        self.parts.retention_days = days;
        self
    }

    /// Uses a caller-chosen id instead of a new ULID.
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u")).id("evt_1").build(0)?;
    /// assert_eq!(r.id, "evt_1");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.parts.id = Some(id.into());
        self
    }

    /// The metadata size bound in bytes of canonical JSON (default 8 KB).
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let err = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u"))
    ///     .max_metadata_bytes(10)
    ///     .metadata(serde_json::json!({"note": "more than ten bytes"}))
    ///     .build(0)
    ///     .unwrap_err();
    /// assert_eq!(err.code(), "audit.too_large");
    /// ```
    pub fn max_metadata_bytes(mut self, bytes: usize) -> Self {
        self.parts.max_metadata_bytes = bytes;
        self
    }

    /// Validates everything and builds the record that occurred at `now_ms` (Unix milliseconds),
    /// with a new random id unless one was given.
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u")).build(1_700_000_000_000)?;
    /// assert!(r.id.starts_with("01HF"));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn build(self, now_ms: i64) -> Result<AuditRecord> {
        self.build_then(now_ms, |r| r.into_owned())
    }

    /// Like [`build`](Self::build) with the id's 80 random bits given (pure; for tests and vectors).
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u")).build_with_entropy(0, [0; 10])?;
    /// assert_eq!(r.id, "00000000000000000000000000");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn build_with_entropy(self, now_ms: i64, entropy: [u8; 10]) -> Result<AuditRecord> {
        self.assemble(now_ms, entropy, |r| r.into_owned())
    }

    /// Like [`build`](Self::build), but hands the record to `then` with its changes still
    /// borrowed from the `before` and `after` documents ([`Changes`]), and returns what `then`
    /// returns: seal it, or turn it into another form, without an owned copy of every changed
    /// value first (what the bindings do).
    ///
    /// ```
    /// # use tenantry::audit::*;
    /// let fields = AuditRecord::builder("setting.updated", Actor::new(ActorType::User, "u"))
    ///     .before(serde_json::json!({"theme": "light"}))
    ///     .after(serde_json::json!({"theme": "dark"}))
    ///     .build_then(1_700_000_000_000, |record| record.seal_fields(None, None))??;
    /// assert_eq!(fields.hash.len(), 64);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn build_then<R>(self, now_ms: i64, then: impl FnOnce(AuditRecord<Changes<'_>>) -> R) -> Result<R> {
        let entropy = if self.parts.id.is_some() { [0; 10] } else { crate::random::id_bytes()? };
        self.assemble(now_ms, entropy, then)
    }

    fn assemble<R>(
        self,
        now_ms: i64,
        entropy: [u8; 10],
        then: impl FnOnce(AuditRecord<Changes<'_>>) -> R,
    ) -> Result<R> {
        let parts = *self.parts;
        let occurred_at = time::format_timestamp(now_ms)?;
        validate::action(&parts.action)?;
        let actor = check_actor(parts.actor)?;
        check_opt("/tenant_id", parts.tenant_id.as_deref(), MAX_NAME_CHARS)?;
        check_opt("/reason", parts.reason.as_deref(), MAX_TEXT_CHARS)?;
        check_opt("/request_id", parts.request_id.as_deref(), MAX_NAME_CHARS)?;
        if let Some(target) = &parts.target {
            validate::text("/target/type", &target.target_type, MAX_NAME_CHARS)?;
            validate::text("/target/id", &target.id, MAX_NAME_CHARS)?;
            check_opt("/target/name", target.name.as_deref(), MAX_NAME_CHARS)?;
        }
        let id = match parts.id {
            Some(id) => {
                validate::text("/id", &id, MAX_NAME_CHARS)?;
                id
            }
            None => id::record_id(now_ms, entropy)?,
        };
        let (given, before, after) = (parts.changes, parts.before, parts.after);
        let changes = match (&given, &before, &after) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(issue(
                    ErrorCode::AuditInvalidRecord,
                    "/changes",
                    "exclusive",
                    "give either changes or before/after documents, not both",
                ));
            }
            (Some(given), None, None) => Changes::given(given, &parts.masking),
            (None, before, after) => Changes::diff(before.as_ref(), after.as_ref(), &parts.masking),
        };
        check_changes_size(&changes)?;
        let metadata = match parts.metadata {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(map)) => {
                let size = crate::canonical_json::object_without(&map, &[]).len();
                if size > parts.max_metadata_bytes {
                    return Err(issue(
                        ErrorCode::AuditTooLarge,
                        "/metadata",
                        "too_large",
                        &format!(
                            "must be at most {} bytes of canonical JSON, got {size}",
                            parts.max_metadata_bytes
                        ),
                    ));
                }
                parts.masking.mask_names_in_object(map)
            }
            Some(_) => {
                return Err(issue(
                    ErrorCode::AuditInvalidRecord,
                    "/metadata",
                    "type",
                    "must be a JSON object",
                ));
            }
        };
        let expires_at = match parts.retention_days {
            Some(days) => Some(retention::expires_at(now_ms, days)?),
            None => None,
        };
        let severity =
            parts.severity.or_else(|| actions::default_severity(&parts.action)).unwrap_or(Severity::Info);
        Ok(then(AuditRecord {
            id,
            occurred_at,
            tenant_id: parts.tenant_id,
            actor,
            action: parts.action,
            severity,
            outcome: parts.outcome,
            reason: parts.reason,
            target: parts.target,
            changes,
            request_id: parts.request_id,
            metadata,
            expires_at,
        }))
    }
}

/// Refuses changes of more than [`MAX_CHANGES_BYTES`] of JSON (counted only when a cheap upper
/// bound is over the limit).
fn check_changes_size(changes: &Changes<'_>) -> Result<()> {
    if json_len_bound(changes) <= MAX_CHANGES_BYTES {
        return Ok(());
    }
    let mut counter = ByteCounter(0);
    // The canonical JSON of the changes, counted.
    super::canonical::ChangeList::write_to(changes, &mut counter);
    if counter.0 > MAX_CHANGES_BYTES {
        return Err(issue(
            ErrorCode::AuditTooLarge,
            "/changes",
            "too_large",
            &format!("changes must be at most {MAX_CHANGES_BYTES} bytes of JSON, got {}", counter.0),
        ));
    }
    Ok(())
}

fn json_len_bound(changes: &Changes<'_>) -> usize {
    fn value(v: &Tree<'_>) -> usize {
        match v {
            Tree::Null | Tree::Bool(_) => 5,
            // Numbers print in at most 24 characters (e.g. -1.7976931348623157e+308).
            Tree::Number(_) => 24,
            // Every byte may escape to six (\u001f), plus the quotes.
            Tree::String(s) => 6 * s.len() + 2,
            Tree::Array(items) => 2 + items.iter().map(|i| value(i) + 1).sum::<usize>(),
            Tree::Object(members) => {
                2 + members.iter().map(|(k, v)| 6 * k.len() + 4 + value(v)).sum::<usize>()
            }
        }
    }
    let member = |v: Option<&Tree<'_>>| v.map_or(0, |v| 10 + value(v));
    2 + changes.iter().map(|c| 12 + 6 * c.path.len() + member(c.before) + member(c.after)).sum::<usize>()
}

/// A canonical JSON sink that only counts bytes.
struct ByteCounter(usize);

impl crate::canonical_json::Sink for ByteCounter {
    fn push_str(&mut self, s: &str) {
        self.0 += s.len();
    }
}

fn check_actor(mut actor: Actor) -> Result<Actor> {
    validate::text("/actor/id", &actor.id, MAX_NAME_CHARS)?;
    if let Some(email) = &actor.email {
        validate::email("/actor/email", email)?;
    }
    check_opt("/actor/role", actor.role.as_deref(), MAX_NAME_CHARS)?;
    check_opt("/actor/user_agent", actor.user_agent.as_deref(), MAX_TEXT_CHARS)?;
    if let Some(ip) = &actor.ip {
        actor.ip = Some(validate::ip("/actor/ip", ip)?);
    }
    Ok(actor)
}

fn check_opt(path: &str, value: Option<&str>, max: usize) -> Result<()> {
    value.map_or(Ok(()), |v| validate::text(path, v, max))
}

type Members<'t, 'a> = &'t [(Cow<'a, str>, Tree<'a>)];

fn object<'t, 'a>(value: &'t Tree<'a>, path: &str) -> Result<Members<'t, 'a>> {
    match value {
        Tree::Object(members) => Ok(members),
        _ => Err(issue(ErrorCode::AuditInvalidRecord, path, "type", "must be an object")),
    }
}

fn member<'t, 'a>(obj: Members<'t, 'a>, key: &str) -> Option<&'t Tree<'a>> {
    obj.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn required_str<'t>(obj: Members<'t, '_>, path: &str, key: &str) -> Result<&'t str> {
    match member(obj, key) {
        Some(Tree::String(s)) => Ok(s),
        Some(_) => {
            Err(issue(ErrorCode::AuditInvalidRecord, &format!("{path}/{key}"), "type", "must be a string"))
        }
        None => {
            Err(issue(ErrorCode::AuditInvalidRecord, &format!("{path}/{key}"), "required", "is required"))
        }
    }
}

fn optional_str(obj: Members<'_, '_>, path: &str, key: &str) -> Result<Option<String>> {
    match member(obj, key) {
        None | Some(Tree::Null) => Ok(None),
        Some(Tree::String(s)) => Ok(Some(s.as_ref().to_owned())),
        Some(_) => Err(issue(
            ErrorCode::AuditInvalidRecord,
            &format!("{path}/{key}"),
            "type",
            "must be a string or null",
        )),
    }
}

fn unknown_members(obj: Members<'_, '_>, path: &str, known: &[&str]) -> Result<()> {
    match obj.iter().map(|(k, _)| k).find(|k| !known.contains(&k.as_ref())) {
        Some(k) => Err(issue(
            ErrorCode::AuditInvalidRecord,
            &format!("{path}/{}", crate::audit::diff::escape_segment(k)),
            "unknown",
            &format!("unknown member (expected {})", known.join(", ")),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_json_matches_the_derived_serialization() {
        let full = AuditRecord::builder(
            "setting.updated",
            Actor::new(ActorType::User, "u_1").email("a@b.c").role("admin").ip("::1").user_agent("ua"),
        )
        .tenant_id("t_1")
        .target(Target::new("setting", "s").name("S"))
        .reason("why")
        .request_id("r")
        .metadata(serde_json::json!({"z": 1, "a": {"token": "x"}}))
        .before(serde_json::json!({"a": 1, "b": 2, "gone": true}))
        .after(serde_json::json!({"a": 2, "b": 2, "new": [1]}))
        .build_with_entropy(1_700_000_000_000, [3; 10])
        .unwrap();
        let bare = AuditRecord::builder("user.login", Actor::new(ActorType::System, "s"))
            .retention_days(None)
            .build_with_entropy(0, [0; 10])
            .unwrap();
        for r in [full, bare] {
            let derived = serde_json::to_value(&r).unwrap();
            assert_eq!(r.to_json(), derived);
            assert_eq!(
                serde_json::to_string(&r.to_json()).unwrap(),
                serde_json::to_string(&derived).unwrap()
            );
        }
    }
}
