//! Runs `tests/vectors/settings.json` against the core crate.

mod common;

use std::path::PathBuf;

use common::{Case, member, opt_text, opt_uint, optional, text};
use serde_json::{Value, json};
use tenantry::settings::{Limits, Role, SettingsSchema, etag, merge_patch};

/// An inline schema, or the name of a file in `examples/schemas/`.
pub fn schema_source(case: &Case) -> Value {
    match member(case, &case.input, "schema") {
        Value::String(name) => {
            let path =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/schemas/{name}.json"));
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        }
        other => other.clone(),
    }
}

fn compile(case: &Case) -> tenantry::Result<SettingsSchema> {
    let mut limits = Limits::default();
    if let Some(l) = optional(&case.input, "limits") {
        // Only the three bounds the bindings take as keyword arguments / options: another member
        // would be a TypeError there, so it is a broken vector here.
        let known = ["max_bytes", "max_depth", "max_string_length"];
        if let Some(key) = l.as_object().unwrap().keys().find(|k| !known.contains(&k.as_str())) {
            panic!("{}: unknown limit {key}", case.name);
        }
        let size = |key: &str| opt_uint(case, l, key).map(|n| usize::try_from(n).unwrap());
        limits.max_bytes = size("max_bytes").unwrap_or(limits.max_bytes);
        limits.max_depth = size("max_depth").unwrap_or(limits.max_depth);
        limits.max_string_length = size("max_string_length").unwrap_or(limits.max_string_length);
    }
    SettingsSchema::with_limits(&schema_source(case), limits)
}

fn role(case: &Case, key: &str, default: &str) -> tenantry::Result<Role> {
    Role::parse(opt_text(case, &case.input, key).unwrap_or(default))
}

/// `layers` as `[name, document]` pairs, or an object of documents by name (Python takes a dict,
/// Node an object; the Rust API takes pairs, so the object's members are read in order).
fn layers(case: &Case) -> Vec<(String, Value)> {
    match member(case, &case.input, "layers") {
        Value::Array(pairs) => pairs
            .iter()
            .map(|l| match l.as_array().map(Vec::as_slice) {
                Some([Value::String(name), doc]) => (name.clone(), doc.clone()),
                _ => panic!("{}: a layer must be a [name, document] pair, not {l}", case.name),
            })
            .collect(),
        Value::Object(map) => map.iter().map(|(name, doc)| (name.clone(), doc.clone())).collect(),
        other => panic!("{}: layers must be pairs or an object, not {other}", case.name),
    }
}

fn run(case: &Case) -> tenantry::Result<Value> {
    let input = &case.input;
    Ok(match case.op.as_str() {
        "compile" => {
            compile(case)?;
            Value::Null
        }
        "schema" => {
            // The getters: the schema as given, and the limits documents are held to.
            let schema = compile(case)?;
            let l = schema.limits();
            json!({"schema": schema.source(), "limits": {"max_bytes": l.max_bytes, "max_depth": l.max_depth,
                                                         "max_string_length": l.max_string_length}})
        }
        "defaults" => compile(case)?.defaults().clone(),
        "validate" => {
            compile(case)?.validate(member(case, input, "doc"))?;
            Value::Null
        }
        "validate.issues" => match compile(case)?.validate(member(case, input, "doc")) {
            Ok(()) => json!([]),
            Err(e) => common::issues_json(e.issues(), case.expect.as_ref()),
        },
        "resolve" => serde_json::to_value(compile(case)?.resolve(&layers(case))?).unwrap(),
        "apply_patch" => {
            let schema = compile(case)?;
            let r = schema.apply_patch(
                member(case, input, "overrides"),
                member(case, input, "patch"),
                role(case, "role", "member")?,
                opt_text(case, input, "expected_etag"),
            )?;
            serde_json::to_value(r).unwrap()
        }
        "etag" => json!(etag(member(case, input, "doc"))),
        "view" => {
            let schema = compile(case)?;
            schema.view(member(case, input, "doc"), role(case, "audience", "member")?)?
        }
        "entries" => {
            let schema = compile(case)?;
            serde_json::to_value(
                schema.entries(member(case, input, "doc"), role(case, "audience", "admin")?)?,
            )
            .unwrap()
        }
        "get" => compile(case)?.get(member(case, input, "doc"), text(case, input, "key"))?,
        "set" => {
            let schema = compile(case)?;
            let r = schema.set(
                member(case, input, "overrides"),
                text(case, input, "key"),
                member(case, input, "value").clone(),
                role(case, "role", "member")?,
                opt_text(case, input, "expected_etag"),
            )?;
            serde_json::to_value(r).unwrap()
        }
        "migrate" => {
            let m = compile(case)?.migrate(member(case, input, "stored"))?;
            json!({
                "overrides": m.overrides,
                "value": m.value,
                "dropped": m.dropped,
                "reset": common::issues_json(&m.reset, case.expect.as_ref().and_then(|e| e.get("reset"))),
            })
        }
        "merge_patch" => {
            let mut target = member(case, input, "target").clone();
            merge_patch(&mut target, member(case, input, "patch"));
            target
        }
        other => panic!("{}: unknown op {other}", case.name),
    })
}

#[test]
fn settings_vectors() {
    let mut issue_failures = Vec::new();
    common::run_all("settings", |case| {
        let result = run(case);
        if let (Err(e), Some(want)) = (&result, case.input.get("expect_issues")) {
            let got = common::issues_json(e.issues(), Some(want));
            if &got != want {
                issue_failures.push(format!("{}: expected issues {want}, got {got}", case.name));
            }
        }
        result
    });
    assert!(issue_failures.is_empty(), "{}", issue_failures.join("\n"));
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
