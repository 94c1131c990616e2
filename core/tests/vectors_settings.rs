//! Runs `tests/vectors/settings.json` against the core crate.

mod common;

use std::path::PathBuf;

use serde_json::{Value, json};
use tenantry::settings::{Limits, Role, SettingsSchema, etag, merge_patch};

/// An inline schema, or the name of a file in `examples/schemas/`.
pub fn schema_source(input: &Value) -> Value {
    match &input["schema"] {
        Value::String(name) => {
            let path =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/schemas/{name}.json"));
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        }
        other => other.clone(),
    }
}

fn compile(input: &Value) -> tenantry::Result<SettingsSchema> {
    let mut limits = Limits::default();
    if let Some(l) = input.get("limits") {
        if let Some(n) = l.get("max_bytes").and_then(Value::as_u64) {
            limits.max_bytes = n as usize;
        }
        if let Some(n) = l.get("max_depth").and_then(Value::as_u64) {
            limits.max_depth = n as usize;
        }
        if let Some(n) = l.get("max_string_length").and_then(Value::as_u64) {
            limits.max_string_length = n as usize;
        }
    }
    SettingsSchema::with_limits(&schema_source(input), limits)
}

fn role(input: &Value, key: &str, default: &str) -> tenantry::Result<Role> {
    Role::parse(input.get(key).and_then(Value::as_str).unwrap_or(default))
}

fn issues(err: &tenantry::Error) -> Value {
    err.issues().iter().map(|i| json!({"path": i.path, "code": i.code})).collect()
}

fn run(input: &Value, op: &str) -> tenantry::Result<Value> {
    Ok(match op {
        "compile" => {
            compile(input)?;
            Value::Null
        }
        "defaults" => compile(input)?.defaults().clone(),
        "validate" => {
            compile(input)?.validate(&input["doc"])?;
            Value::Null
        }
        "validate.issues" => match compile(input)?.validate(&input["doc"]) {
            Ok(()) => json!([]),
            Err(e) => issues(&e),
        },
        "resolve" => {
            let layers: Vec<(String, Value)> = input["layers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| (l[0].as_str().unwrap().to_owned(), l[1].clone()))
                .collect();
            serde_json::to_value(compile(input)?.resolve(&layers)?).unwrap()
        }
        "apply_patch" => {
            let schema = compile(input)?;
            let r = schema.apply_patch(
                &input["overrides"],
                &input["patch"],
                role(input, "role", "member")?,
                input.get("expected_etag").and_then(Value::as_str),
            )?;
            serde_json::to_value(r).unwrap()
        }
        "etag" => json!(etag(&input["doc"])),
        "view" => {
            let schema = compile(input)?;
            schema.view(&input["doc"], role(input, "audience", "member")?)?
        }
        "entries" => {
            let schema = compile(input)?;
            serde_json::to_value(schema.entries(&input["doc"], role(input, "audience", "admin")?)?).unwrap()
        }
        "get" => compile(input)?.get(&input["doc"], input["key"].as_str().unwrap())?,
        "set" => {
            let schema = compile(input)?;
            let r = schema.set(
                &input["overrides"],
                input["key"].as_str().unwrap(),
                input["value"].clone(),
                role(input, "role", "member")?,
                input.get("expected_etag").and_then(Value::as_str),
            )?;
            serde_json::to_value(r).unwrap()
        }
        "migrate" => {
            let m = compile(input)?.migrate(&input["stored"])?;
            json!({
                "overrides": m.overrides,
                "value": m.value,
                "dropped": m.dropped,
                "reset": m.reset.iter().map(|i| json!({"path": i.path, "code": i.code})).collect::<Vec<_>>(),
            })
        }
        "merge_patch" => {
            let mut target = input["target"].clone();
            merge_patch(&mut target, &input["patch"]);
            target
        }
        other => panic!("unknown op {other}"),
    })
}

#[test]
fn settings_vectors() {
    let mut issue_failures = Vec::new();
    common::run_all("settings", |case| {
        let result = run(&case.input, &case.op);
        if let (Err(e), Some(want)) = (&result, case.input.get("expect_issues"))
            && &issues(e) != want
        {
            issue_failures.push(format!("{}: expected issues {want}, got {}", case.name, issues(e)));
        }
        result
    });
    assert!(issue_failures.is_empty(), "{}", issue_failures.join("\n"));
}

#[test]
fn schema_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<SettingsSchema>();
}

#[test]
fn hostile_documents_are_typed_errors() {
    let schema = SettingsSchema::new(&json!({"type": "object"})).unwrap();
    let mut deep = json!({});
    for _ in 0..100 {
        deep = json!({ "a": deep });
    }
    let err = schema.validate(&deep).unwrap_err();
    assert_eq!(err.issues()[0].code, "too_deep");
    let err = schema.apply_patch(&json!({}), &deep, Role::System, None).unwrap_err();
    assert_eq!(err.issues()[0].code, "too_deep");
    let err = schema.resolve(&[("tenant", deep)]).unwrap_err();
    assert_eq!(err.code(), "settings.validation_failed");

    let big: serde_json::Map<String, Value> = (0..100_000).map(|i| (format!("k{i}"), json!(i))).collect();
    let err = schema.validate(&Value::Object(big)).unwrap_err();
    assert_eq!(err.issues()[0].code, "too_large");

    let huge_string = json!({"blob": "x".repeat(1 << 20)});
    assert_eq!(schema.validate(&huge_string).unwrap_err().issues()[0].code, "too_long");
}

#[test]
fn deep_schemas_and_ref_cycles_do_not_overflow() {
    let cyclic = json!({
        "type": "object",
        "$defs": {"node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/node"}}}},
        "properties": {"root": {"$ref": "#/$defs/node"}}
    });
    let err = SettingsSchema::new(&cyclic).unwrap_err();
    assert_eq!(err.code(), "settings.invalid_schema");
}
