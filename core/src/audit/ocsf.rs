//! OCSF 1.x events for SIEM ingestion: API Activity (6003), Account Change (3001), Authentication
//! (3002, for sign-in and sign-out) and Entity Management (3004).

use serde_json::{Map, Value, json};

use super::record::{ActorType, AuditRecord, Outcome, Severity};
use super::time::parse_timestamp;
use crate::Result;

/// The OCSF schema version the events follow.
///
/// ```
/// assert_eq!(tenantry::audit::OCSF_VERSION, "1.3.0");
/// ```
pub const OCSF_VERSION: &str = "1.3.0";

const IAM: (u32, &str) = (3, "Identity & Access Management");
const APPLICATION: (u32, &str) = (6, "Application Activity");

struct Class {
    uid: u32,
    name: &'static str,
    category: (u32, &'static str),
    activity_id: u32,
    activity_name: &'static str,
}

fn classify(action: &str) -> Class {
    let (resource, verb) = action.rsplit_once('.').unwrap_or(("", action));
    let class = |uid, name, category, activity_id, activity_name| Class {
        uid,
        name,
        category,
        activity_id,
        activity_name,
    };
    if resource == "user" {
        let account = |id, name| class(3001, "Account Change", IAM, id, name);
        match verb {
            "login" => return class(3002, "Authentication", IAM, 1, "Logon"),
            "logout" => return class(3002, "Authentication", IAM, 2, "Logoff"),
            "created" => return account(1, "Create"),
            "activated" | "enabled" => return account(2, "Enable"),
            "password_changed" => return account(3, "Password Change"),
            "password_reset" => return account(4, "Password Reset"),
            "deactivated" | "disabled" => return account(5, "Disable"),
            "deleted" => return account(6, "Delete"),
            "locked" => return account(9, "Lock"),
            _ => return account(99, "Other"),
        }
    }
    let entity = |id, name| class(3004, "Entity Management", IAM, id, name);
    match verb {
        "created" => entity(1, "Create"),
        "read" => entity(2, "Read"),
        "updated" => entity(3, "Update"),
        "deleted" => entity(4, "Delete"),
        "downloaded" | "viewed" | "exported" => class(6003, "API Activity", APPLICATION, 2, "Read"),
        _ => class(6003, "API Activity", APPLICATION, 99, "Other"),
    }
}

fn severity(s: Severity) -> (u32, &'static str) {
    match s {
        Severity::Info => (1, "Informational"),
        Severity::Warning => (3, "Medium"),
        Severity::Error => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

/// One record as an OCSF event.
///
/// The class follows the action: `user.login`/`user.logout` → Authentication (3002), other
/// `user.*` → Account Change (3001), `*.created|read|updated|deleted` → Entity Management (3004),
/// everything else → API Activity (6003). `severity_id`: info 1 (Informational), warning 3
/// (Medium), error 4 (High), critical 5 (Critical). `status_id`: success 1, failure 2. The record id
/// is `metadata.uid`, the tenant `metadata.tenant_uid`, the request `metadata.correlation_uid`;
/// changes, metadata and the chain members go to `unmapped`.
///
/// ```
/// use tenantry::audit::{to_ocsf, Actor, ActorType, AuditRecord};
/// let r = AuditRecord::builder("setting.updated", Actor::new(ActorType::User, "u_1")).build(0)?;
/// let event = to_ocsf(&r.to_json())?;
/// assert_eq!((event["class_uid"].as_u64(), event["type_uid"].as_u64()), (Some(3004), Some(300403)));
/// assert_eq!(event["severity_id"], 3);
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn to_ocsf(record: &Value) -> Result<Value> {
    let r = AuditRecord::from_json(record)?;
    let class = classify(&r.action);
    let (severity_id, severity_name) = severity(r.severity);
    let mut e = Map::new();
    let mut put = |k: &str, v: Value| {
        e.insert(k.to_owned(), v);
    };
    put("class_uid", json!(class.uid));
    put("class_name", json!(class.name));
    put("category_uid", json!(class.category.0));
    put("category_name", json!(class.category.1));
    put("activity_id", json!(class.activity_id));
    put("activity_name", json!(class.activity_name));
    put("type_uid", json!(class.uid * 100 + class.activity_id));
    put("type_name", json!(format!("{}: {}", class.name, class.activity_name)));
    put("time", json!(parse_timestamp(&r.occurred_at)?));
    put("severity_id", json!(severity_id));
    put("severity", json!(severity_name));
    let (status_id, status) = match r.outcome {
        Outcome::Success => (1, "Success"),
        Outcome::Failure => (2, "Failure"),
    };
    put("status_id", json!(status_id));
    put("status", json!(status));
    if let Some(reason) = &r.reason {
        put("status_detail", json!(reason));
    }
    put("message", json!(r.action));

    let mut metadata = Map::new();
    metadata.insert("version".into(), json!(OCSF_VERSION));
    metadata.insert("product".into(), json!({"name": "tenantry", "vendor_name": "tenantry"}));
    metadata.insert("uid".into(), json!(r.id));
    metadata.insert("log_name".into(), json!("audit"));
    if let Some(t) = &r.tenant_id {
        metadata.insert("tenant_uid".into(), json!(t));
    }
    if let Some(req) = &r.request_id {
        metadata.insert("correlation_uid".into(), json!(req));
    }
    put("metadata", Value::Object(metadata));

    let (type_id, type_name) = match r.actor.actor_type {
        ActorType::User => (1, "User"),
        ActorType::System => (3, "System"),
        ActorType::ApiKey => (99, "API Key"),
        ActorType::Service => (99, "Service"),
    };
    let mut user = Map::new();
    user.insert("uid".into(), json!(r.actor.id));
    user.insert("type_id".into(), json!(type_id));
    user.insert("type".into(), json!(type_name));
    if let Some(email) = &r.actor.email {
        user.insert("email_addr".into(), json!(email));
    }
    let actor_user = Value::Object(user);
    put("actor", json!({"user": actor_user}));
    let mut src = Map::new();
    if let Some(ip) = &r.actor.ip {
        src.insert("ip".into(), json!(ip));
    }
    if class.uid == 6003 || !src.is_empty() {
        put("src_endpoint", Value::Object(src));
    }
    if let Some(ua) = &r.actor.user_agent {
        put("http_request", json!({"user_agent": ua}));
    }

    let target = r.target.as_ref().map(|t| {
        let mut m = Map::new();
        m.insert("uid".into(), json!(t.id));
        m.insert("type".into(), json!(t.target_type));
        if let Some(name) = &t.name {
            m.insert("name".into(), json!(name));
        }
        Value::Object(m)
    });
    match class.uid {
        3001 => {
            let user = match &r.target {
                Some(t) => {
                    let mut m = Map::new();
                    m.insert("uid".into(), json!(t.id));
                    if let Some(name) = &t.name {
                        m.insert("name".into(), json!(name));
                    }
                    Value::Object(m)
                }
                None => actor_user,
            };
            put("user", user);
        }
        3002 => put("user", actor_user),
        3004 => put("entity", target.unwrap_or_else(|| json!({}))),
        _ => {
            let mut api = Map::new();
            api.insert("operation".into(), json!(r.action));
            if let Some(req) = &r.request_id {
                api.insert("request".into(), json!({"uid": req}));
            }
            put("api", Value::Object(api));
            if let Some(t) = target {
                put("resources", json!([t]));
            }
        }
    }

    let mut unmapped = Map::new();
    if let Some(role) = &r.actor.role {
        unmapped.insert("actor_role".into(), json!(role));
    }
    if !r.changes.is_empty() {
        unmapped.insert("changes".into(), serde_json::to_value(&r.changes).unwrap_or(Value::Null));
    }
    if !r.metadata.is_empty() {
        unmapped.insert("metadata".into(), Value::Object(r.metadata.clone()));
    }
    if let Some(expires) = &r.expires_at {
        unmapped.insert("expires_at".into(), json!(expires));
    }
    for member in ["prev_hash", "hash", "seal_key_id", "seal"] {
        if let Some(v) = record.get(member).filter(|v| !v.is_null()) {
            unmapped.insert(member.into(), v.clone());
        }
    }
    if !unmapped.is_empty() {
        put("unmapped", Value::Object(unmapped));
    }
    Ok(Value::Object(e))
}
