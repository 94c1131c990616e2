//! Shared loader for the conformance vectors in `tests/vectors/`.

#![allow(dead_code)]

use std::path::PathBuf;

use base64::Engine;
use serde_json::Value;

/// One vector case.
pub struct Case {
    pub name: String,
    pub op: String,
    pub input: Value,
    pub expect: Option<Value>,
    pub error: Option<String>,
}

/// Loads `tests/vectors/<capability>.json`.
pub fn load(capability: &str) -> Vec<Case> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors").join(format!("{capability}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Case {
            name: c["name"].as_str().unwrap().to_owned(),
            op: c["op"].as_str().unwrap().to_owned(),
            input: c["input"].clone(),
            expect: c.get("expect").cloned(),
            error: c.get("error").and_then(|e| e.as_str()).map(str::to_owned),
        })
        .collect()
}

/// The payload bytes of an input (`payload` text or `payload_b64`).
pub fn payload(input: &Value) -> Vec<u8> {
    if let Some(b64) = input.get("payload_b64").and_then(Value::as_str) {
        return base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
    }
    input["payload"].as_str().unwrap_or_default().as_bytes().to_vec()
}

/// Runs every case through `run`, comparing results and error codes; reports all failures at once.
pub fn run_all(capability: &str, mut run: impl FnMut(&Case) -> Result<Value, tenantry::Error>) {
    let cases = load(capability);
    assert!(!cases.is_empty(), "no vectors in {capability}.json");
    let mut failures = Vec::new();
    for case in &cases {
        let got = run(case);
        match (&case.error, got) {
            (Some(code), Err(e)) if e.code() == code => {}
            (Some(code), Err(e)) => {
                failures.push(format!("{}: expected error {code}, got {} ({e})", case.name, e.code()))
            }
            (Some(code), Ok(v)) => failures.push(format!("{}: expected error {code}, got {v}", case.name)),
            (None, Err(e)) => failures.push(format!("{}: unexpected error {} ({e})", case.name, e.code())),
            (None, Ok(v)) => {
                let want = case.expect.clone().unwrap_or(Value::Null);
                if v != want {
                    failures.push(format!("{}: expected {want}, got {v}", case.name));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {capability} vectors failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
