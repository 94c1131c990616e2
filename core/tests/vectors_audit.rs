//! Runs `tests/vectors/audit.json` against the core crate.

mod common;

use common::{Case, array, int, member, num, opt_int, opt_text, opt_uint, optional, strings, text};
use serde_json::{Value, json};
use tenantry::SecretBytes;
use tenantry::audit::{self, Actor, AuditRecord, Change, Masking, Outcome, SealKey, Severity, Target};

fn millis(case: &Case, v: &Value, key: &str) -> i64 {
    (num(case, v, key) * 1000.0).floor() as i64
}

fn key(case: &Case, v: &Value) -> tenantry::Result<SealKey> {
    SealKey::new(text(case, v, "id"), SecretBytes::new(text(case, v, "secret").as_bytes().to_vec()))
}

fn records(case: &Case) -> Vec<Value> {
    array(case, &case.input, "records").to_vec()
}

/// The options `build` takes: the keyword arguments of Python's `audit.build` (the Node options
/// in snake_case). Python refuses any other keyword, so an unknown key here is a broken vector, not
/// an option to skip.
const BUILD_KEYS: [&str; 18] = [
    "action",
    "actor",
    "tenant_id",
    "severity",
    "outcome",
    "reason",
    "target",
    "before",
    "after",
    "changes",
    "sensitive_paths",
    "schema",
    "request_id",
    "metadata",
    "occurred_at",
    "retention_days",
    "id",
    "max_metadata_bytes",
];

fn build(case: &Case, input: &Value) -> tenantry::Result<AuditRecord> {
    let fields = input.as_object().unwrap_or_else(|| panic!("{}: build input must be an object", case.name));
    if let Some(k) = fields.keys().find(|k| !BUILD_KEYS.contains(&k.as_str())) {
        panic!("{}: build has no option {k:?}", case.name);
    }
    let mut b =
        AuditRecord::builder(text(case, input, "action"), Actor::from_json(member(case, input, "actor"))?);
    if let Some(v) = opt_text(case, input, "tenant_id") {
        b = b.tenant_id(v);
    }
    if let Some(v) = opt_text(case, input, "severity") {
        b = b.severity(Severity::parse(v)?);
    }
    if let Some(v) = opt_text(case, input, "outcome") {
        b = b.outcome(Outcome::parse(v)?);
    }
    if let Some(v) = opt_text(case, input, "reason") {
        b = b.reason(v);
    }
    if let Some(v) = optional(input, "target") {
        b = b.target(Target::from_json(v)?);
    }
    if let Some(v) = optional(input, "before") {
        b = b.before(v.clone());
    }
    if let Some(v) = optional(input, "after") {
        b = b.after(v.clone());
    }
    if let Some(v) = optional(input, "changes") {
        b = b.changes(Change::list_from_json(v)?);
    }
    let mut masking = Masking::new();
    if optional(input, "sensitive_paths").is_some() {
        masking = masking.with_paths(strings(case, input, "sensitive_paths").iter().map(String::as_str))?;
    }
    if let Some(v) = optional(input, "schema") {
        masking = masking.with_schema(v)?;
    }
    b = b.masking(masking);
    if let Some(v) = opt_text(case, input, "request_id") {
        b = b.request_id(v);
    }
    if let Some(v) = optional(input, "metadata") {
        b = b.metadata(v.clone());
    }
    // Absent keeps the default (90 days); null, as in Python and Node, keeps the record forever.
    if input.get("retention_days").is_some() {
        b = b.retention_days(opt_int(case, input, "retention_days"));
    }
    if let Some(v) = opt_text(case, input, "id") {
        b = b.id(v);
    }
    if let Some(v) = opt_uint(case, input, "max_metadata_bytes") {
        b = b.max_metadata_bytes(usize::try_from(v).unwrap());
    }
    b.build(millis(case, input, "occurred_at"))
}

#[test]
fn audit_vectors() {
    common::run_all("audit", |case| {
        let input = &case.input;
        match case.op.as_str() {
            "build" => build(case, input).map(|r| r.to_json()),
            "build_sealed" => {
                let k = optional(input, "key").map(|k| key(case, k)).transpose()?;
                build(case, member(case, input, "fields"))?
                    .to_sealed_json(opt_text(case, input, "previous_hash"), k.as_ref())
            }
            "seal" => {
                let k = optional(input, "key").map(|k| key(case, k)).transpose()?;
                audit::seal(member(case, input, "record"), opt_text(case, input, "previous_hash"), k.as_ref())
            }
            "verify_chain" => {
                // `keys` is a list of keys; `key` one key, as Python and Node take one `SealKey`
                // where they take a list (the Rust API takes a slice either way).
                assert!(
                    !(input.get("keys").is_some() && input.get("key").is_some()),
                    "{}: give keys or key, not both",
                    case.name
                );
                let keys = match (optional(input, "keys"), optional(input, "key")) {
                    (Some(_), _) => array(case, input, "keys")
                        .iter()
                        .map(|k| key(case, k))
                        .collect::<tenantry::Result<Vec<_>>>()?,
                    (None, Some(k)) => vec![key(case, k)?],
                    (None, None) => Vec::new(),
                };
                let report = audit::verify_chain(&records(case), &keys, opt_text(case, input, "anchor"))?;
                Ok(serde_json::to_value(report).unwrap())
            }
            "canonical_json" => Ok(json!(tenantry::canonical_json::to_string(member(case, input, "value")))),
            "to_csv" => audit::to_csv(&records(case)).map(Value::String),
            "to_jsonl" => audit::to_jsonl(&records(case)).map(Value::String),
            "to_ocsf" => audit::to_ocsf(member(case, input, "record")),
            "summarize" => Ok(serde_json::to_value(audit::summarize(&records(case))?).unwrap()),
            "retention_cutoff" => {
                audit::retention_cutoff(millis(case, input, "now"), int(case, input, "days"))
                    .map(Value::String)
            }
            "actions" => Ok(Value::Object(
                audit::actions::CATALOGUE.iter().map(|(a, s)| ((*a).to_owned(), json!(s.as_str()))).collect(),
            )),
            other => panic!("{}: unknown op {other}", case.name),
        }
    });
}
