//! Runs `tests/vectors/audit.json` against the core crate.

mod common;

use serde_json::{Value, json};
use tenantry::SecretBytes;
use tenantry::audit::{self, Actor, AuditRecord, Change, Masking, Outcome, SealKey, Severity, Target};

fn millis(seconds: &Value) -> i64 {
    (seconds.as_f64().unwrap() * 1000.0).floor() as i64
}

fn key(v: &Value) -> tenantry::Result<SealKey> {
    SealKey::new(
        v["id"].as_str().unwrap(),
        SecretBytes::new(v["secret"].as_str().unwrap().as_bytes().to_vec()),
    )
}

fn records(input: &Value) -> Vec<Value> {
    input["records"].as_array().unwrap().clone()
}

fn build(input: &Value) -> tenantry::Result<AuditRecord> {
    let opt = |k: &str| input.get(k).filter(|v| !v.is_null());
    let mut b = AuditRecord::builder(input["action"].as_str().unwrap(), Actor::from_json(&input["actor"])?);
    if let Some(v) = opt("tenant_id") {
        b = b.tenant_id(v.as_str().unwrap());
    }
    if let Some(v) = opt("severity") {
        b = b.severity(Severity::parse(v.as_str().unwrap())?);
    }
    if let Some(v) = opt("outcome") {
        b = b.outcome(Outcome::parse(v.as_str().unwrap())?);
    }
    if let Some(v) = opt("reason") {
        b = b.reason(v.as_str().unwrap());
    }
    if let Some(v) = opt("target") {
        b = b.target(Target::from_json(v)?);
    }
    if let Some(v) = opt("before") {
        b = b.before(v.clone());
    }
    if let Some(v) = opt("after") {
        b = b.after(v.clone());
    }
    if let Some(v) = opt("changes") {
        b = b.changes(Change::list_from_json(v)?);
    }
    let mut masking = Masking::new();
    if let Some(v) = opt("sensitive_paths") {
        masking = masking.with_paths(v.as_array().unwrap().iter().map(|p| p.as_str().unwrap()))?;
    }
    if let Some(v) = opt("schema") {
        masking = masking.with_schema(v)?;
    }
    b = b.masking(masking);
    if let Some(v) = opt("request_id") {
        b = b.request_id(v.as_str().unwrap());
    }
    if let Some(v) = opt("metadata") {
        b = b.metadata(v.clone());
    }
    if let Some(v) = input.get("retention_days") {
        b = b.retention_days(v.as_i64());
    }
    if let Some(v) = opt("id") {
        b = b.id(v.as_str().unwrap());
    }
    if let Some(v) = opt("max_metadata_bytes") {
        b = b.max_metadata_bytes(v.as_u64().unwrap() as usize);
    }
    b.build(millis(&input["occurred_at"]))
}

#[test]
fn audit_vectors() {
    common::run_all("audit", |case| {
        let input = &case.input;
        match case.op.as_str() {
            "build" => build(input).map(|r| r.to_json()),
            "build_sealed" => {
                let k = input.get("key").map(key).transpose()?;
                build(&input["fields"])?.to_sealed_json(input["previous_hash"].as_str(), k.as_ref())
            }
            "seal" => {
                let k = input.get("key").map(key).transpose()?;
                audit::seal(&input["record"], input["previous_hash"].as_str(), k.as_ref())
            }
            "verify_chain" => {
                let keys = match input.get("keys") {
                    Some(list) => {
                        list.as_array().unwrap().iter().map(key).collect::<tenantry::Result<Vec<_>>>()?
                    }
                    None => Vec::new(),
                };
                let report =
                    audit::verify_chain(&records(input), &keys, input.get("anchor").and_then(Value::as_str))?;
                Ok(serde_json::to_value(report).unwrap())
            }
            "canonical_json" => Ok(json!(tenantry::canonical_json::to_string(&input["value"]))),
            "to_csv" => audit::to_csv(&records(input)).map(Value::String),
            "to_jsonl" => audit::to_jsonl(&records(input)).map(Value::String),
            "to_ocsf" => audit::to_ocsf(&input["record"]),
            "summarize" => Ok(serde_json::to_value(audit::summarize(&records(input))?).unwrap()),
            "retention_cutoff" => {
                audit::retention_cutoff(millis(&input["now"]), input["days"].as_i64().unwrap())
                    .map(Value::String)
            }
            "actions" => Ok(Value::Object(
                audit::actions::CATALOGUE.iter().map(|(a, s)| ((*a).to_owned(), json!(s.as_str()))).collect(),
            )),
            other => panic!("{}: unknown op {other}", case.name),
        }
    });
}
