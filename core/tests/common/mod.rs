//! Shared loader for the conformance vectors in `tests/vectors/`.

#![allow(dead_code)]

use std::path::PathBuf;

use base64::Engine;
use serde_json::{Value, json};
use tenantry::{ErrorCode, Issue};

/// One vector case.
pub struct Case {
    pub name: String,
    pub op: String,
    pub input: Value,
    pub expect: Option<Value>,
    pub error: Option<String>,
    /// The error's exact message, when the vector pins it (only next to `error`).
    pub message: Option<String>,
}

/// The members a case may have: anything else is a typo that would silently test nothing.
const CASE_KEYS: [&str; 6] = ["name", "op", "input", "expect", "error", "message"];

/// Loads `tests/vectors/<capability>.json`.
///
/// A case that is not shaped as the README says (both or neither of `expect` and `error`, a
/// `message` without an `error`, a member of the wrong type or unknown) panics with its name: a
/// malformed vector must not pass by checking less than it seems to.
pub fn load(capability: &str) -> Vec<Case> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors").join(format!("{capability}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let name = c["name"].as_str().unwrap_or_else(|| panic!("a case without a name: {c}")).to_owned();
            let members = c.as_object().unwrap_or_else(|| panic!("{name}: a case must be an object"));
            if let Some(key) = members.keys().find(|k| !CASE_KEYS.contains(&k.as_str())) {
                panic!("{name}: unknown case member {key:?}");
            }
            let string = |key: &str| {
                c.get(key).map(|v| {
                    v.as_str().unwrap_or_else(|| panic!("{name}: {key} must be a string, not {v}")).to_owned()
                })
            };
            let (error, message) = (string("error"), string("message"));
            assert!(
                error.is_some() != c.get("expect").is_some(),
                "{name}: a case has exactly one of expect and error"
            );
            assert!(message.is_none() || error.is_some(), "{name}: message is only given with error");
            Case {
                op: string("op").unwrap_or_else(|| panic!("{name}: no op")),
                input: c.get("input").cloned().unwrap_or_else(|| panic!("{name}: no input")),
                expect: c.get("expect").cloned(),
                error,
                message,
                name,
            }
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

/// Whether an expected issue list pins messages: then every issue is compared with its message,
/// otherwise as `{path, code}` (vectors written before messages were pinned).
pub fn pins_messages(want: Option<&Value>) -> bool {
    want.and_then(Value::as_array).is_some_and(|list| list.iter().any(|i| i.get("message").is_some()))
}

/// Issues as a vector writes them: `{path, code, message}`, or `{path, code}` when `want` (the
/// expected list) pins no message.
pub fn issues_json(issues: &[Issue], want: Option<&Value>) -> Value {
    let with_message = pins_messages(want);
    issues
        .iter()
        .map(|i| {
            if with_message {
                json!({"path": i.path, "code": i.code, "message": i.message})
            } else {
                json!({"path": i.path, "code": i.code})
            }
        })
        .collect()
}

/// Runs every case through `run`, comparing results, error codes and (when the vector gives one)
/// error messages; reports all failures at once.
pub fn run_all(capability: &str, mut run: impl FnMut(&Case) -> Result<Value, tenantry::Error>) {
    let cases = load(capability);
    assert!(!cases.is_empty(), "no vectors in {capability}.json");
    let mut failures = Vec::new();
    for case in &cases {
        let got = run(case);
        match (&case.error, got) {
            (Some(code), Err(e)) => {
                // The Python and Node suites check the exception class a code maps to; here the
                // class follows from the code, so the code must be one the core defines.
                assert!(ErrorCode::from_code(code).is_some(), "{}: unknown error code {code}", case.name);
                if e.code() != code {
                    failures.push(format!("{}: expected error {code}, got {} ({e})", case.name, e.code()));
                } else if let Some(message) = case.message.as_deref().filter(|m| *m != e.message()) {
                    failures.push(format!(
                        "{}: expected message {message:?}, got {:?}",
                        case.name,
                        e.message()
                    ));
                }
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

// ---- typed inputs ---------------------------------------------------------------------------
// A vector input of the wrong type is a broken vector, never a default: each of these panics
// naming the case and the member instead of reading a wrong-typed value as absent, 0 or 1.

fn wrong(case: &Case, key: &str, what: &str, v: &Value) -> ! {
    panic!("{}: input {key} must be {what}, not {v}", case.name)
}

/// A required member of `v`.
pub fn member<'a>(case: &Case, v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or_else(|| panic!("{}: input has no {key}", case.name))
}

/// A member that may be absent or `null`.
pub fn optional<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|m| !m.is_null())
}

/// A required integer member (within i64).
pub fn int(case: &Case, v: &Value, key: &str) -> i64 {
    let m = member(case, v, key);
    m.as_i64().unwrap_or_else(|| wrong(case, key, "an integer", m))
}

/// An integer member that may be absent or `null`.
pub fn opt_int(case: &Case, v: &Value, key: &str) -> Option<i64> {
    optional(v, key).map(|m| m.as_i64().unwrap_or_else(|| wrong(case, key, "an integer", m)))
}

/// A required non-negative integer member (within u64).
pub fn uint(case: &Case, v: &Value, key: &str) -> u64 {
    let m = member(case, v, key);
    m.as_u64().unwrap_or_else(|| wrong(case, key, "a non-negative integer", m))
}

/// A non-negative integer member that may be absent or `null`.
pub fn opt_uint(case: &Case, v: &Value, key: &str) -> Option<u64> {
    optional(v, key).map(|m| m.as_u64().unwrap_or_else(|| wrong(case, key, "a non-negative integer", m)))
}

/// A required number member.
pub fn num(case: &Case, v: &Value, key: &str) -> f64 {
    let m = member(case, v, key);
    m.as_f64().unwrap_or_else(|| wrong(case, key, "a number", m))
}

/// A number member that may be absent or `null`.
pub fn opt_num(case: &Case, v: &Value, key: &str) -> Option<f64> {
    optional(v, key).map(|m| m.as_f64().unwrap_or_else(|| wrong(case, key, "a number", m)))
}

/// A required string member.
pub fn text<'a>(case: &Case, v: &'a Value, key: &str) -> &'a str {
    let m = member(case, v, key);
    m.as_str().unwrap_or_else(|| wrong(case, key, "a string", m))
}

/// A string member that may be absent or `null`.
pub fn opt_text<'a>(case: &Case, v: &'a Value, key: &str) -> Option<&'a str> {
    optional(v, key).map(|m| m.as_str().unwrap_or_else(|| wrong(case, key, "a string", m)))
}

/// A required array member.
pub fn array<'a>(case: &Case, v: &'a Value, key: &str) -> &'a [Value] {
    let m = member(case, v, key);
    m.as_array().unwrap_or_else(|| wrong(case, key, "an array", m))
}

/// A required array of strings.
pub fn strings(case: &Case, v: &Value, key: &str) -> Vec<String> {
    array(case, v, key)
        .iter()
        .map(|s| s.as_str().unwrap_or_else(|| wrong(case, key, "an array of strings", s)).to_owned())
        .collect()
}

/// An integer converted to a narrower type; panics naming the case when it does not fit (an
/// `as` cast would cut it to another value silently).
pub fn narrow<T: TryFrom<i64>>(case: &Case, key: &str, n: i64) -> T {
    T::try_from(n).unwrap_or_else(|_| panic!("{}: input {key} = {n} is out of range", case.name))
}
