//! Validating a resolution by what the layers changed: the default document is valid (checked
//! once, when the schema is compiled), so where the schema decomposes member by member, members
//! no layer touched keep their verdict and only the touched ones are validated, each against its
//! own subschema (compiled once, in the context of the whole schema).
//!
//! An object schema decomposes when every keyword it holds is either judged per member
//! (`properties`, `additionalProperties`) or judged on the set of keys alone (`type`, `required`,
//! `minProperties`, `maxProperties`, `propertyNames`), or is an annotation. If a layer adds a key
//! the defaults do not have, the key-set verdict may change, so that object is validated whole
//! against its subschema; so is every object whose schema holds anything else (`$ref`, `allOf`,
//! `if`, `dependentRequired`, `patternProperties`, `unevaluatedProperties`, ...), and every value
//! a layer replaced rather than merged into. Schemas using `$id` below the root, `$dynamicRef` or
//! `$recursiveRef` (whose meaning depends on the path taken from the root) get no plan at all.
//!
//! The plan only ever says "valid": an object it finds invalid is validated again as a whole
//! document, which decides, and reports every issue.

use jsonschema::{ValidationOptions, Validator, ValidatorMap};
use serde_json::{Map, Value};

use super::merged::{Child, Sources, member};
use super::pointer;

/// Keywords an object schema may hold and still be validated member by member.
const DECOMPOSABLE: &[&str] = &[
    // Judged per member.
    "properties",
    "additionalProperties",
    // Judged on the set of keys alone (which the plan requires to be the defaults').
    "type",
    "required",
    "minProperties",
    "maxProperties",
    "propertyNames",
    // Annotations.
    "$schema",
    "$comment",
    "$defs",
    "definitions",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Keywords (anywhere in the schema) whose meaning depends on where validation started.
const CONTEXTUAL: &[&str] = &["$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor"];

/// The validation plan of one schema location.
pub(crate) struct Plan {
    /// The location's validator; `None` when nothing constrains it (an absent subschema).
    validator: Option<Validator>,
    /// Present when the schema decomposes member by member.
    members: Option<Members>,
}

struct Members {
    /// Sorted by name.
    properties: Vec<(String, Plan)>,
    /// The plan of members outside `properties` (`None`: unconstrained).
    additional: Option<Box<Plan>>,
}

const UNCONSTRAINED: Plan = Plan { validator: None, members: None };

impl Plan {
    /// The plan of `schema`, if it can have one and its `defaults` are valid.
    pub(crate) fn build(
        options: &ValidationOptions<'_>,
        root: &Validator,
        schema: &Value,
        defaults: &Value,
    ) -> Option<Plan> {
        if has_contextual(schema, 0) || !root.is_valid(defaults) {
            return None;
        }
        let validators = options.build_map(schema).ok()?;
        let mut plan = Plan::at(&validators, schema, "#", 0)?;
        // The whole schema's validator is `root`, which the schema keeps anyway: the map's own
        // copy of it (not shared with `root`) was a quarter of a compiled schema's memory.
        plan.validator = Some(root.clone());
        Some(plan)
    }

    fn at(validators: &ValidatorMap, schema: &Value, ptr: &str, depth: usize) -> Option<Plan> {
        if depth > 64 {
            return None;
        }
        let validator = Some(validators.get(ptr)?.clone());
        let Some(keywords) = schema.as_object().filter(|k| decomposes(k)) else {
            return Some(Plan { validator, members: None });
        };
        let mut properties = Vec::new();
        if let Some(props) = keywords.get("properties").and_then(Value::as_object) {
            let base = format!("{ptr}/properties");
            for (name, sub) in props {
                properties
                    .push((name.clone(), Plan::at(validators, sub, &pointer::join(&base, name), depth + 1)?));
            }
        }
        properties.sort_by(|a, b| a.0.cmp(&b.0));
        let additional = match keywords.get("additionalProperties") {
            Some(sub) => {
                Some(Box::new(Plan::at(validators, sub, &format!("{ptr}/additionalProperties"), depth + 1)?))
            }
            None => None,
        };
        Some(Plan { validator, members: Some(Members { properties, additional }) })
    }

    fn member_plan(&self, key: &str) -> &Plan {
        let Some(m) = &self.members else { return &UNCONSTRAINED };
        // Few properties: comparing lengths first skips most names without reading them.
        let found = if m.properties.len() <= 16 {
            m.properties.iter().find(|(name, _)| name == key)
        } else {
            m.properties
                .binary_search_by(|(name, _)| name.as_str().cmp(key))
                .ok()
                .and_then(|i| m.properties.get(i))
        };
        found.map(|(_, plan)| plan).or(m.additional.as_deref()).unwrap_or(&UNCONSTRAINED)
    }

    fn value_is_valid(&self, value: &Value) -> bool {
        self.validator.as_ref().is_none_or(|v| v.is_valid(value))
    }

    /// Whether the merged object whose sources start at `start` (`defaults`, this location's
    /// default object, then what the layers give, up to the top of `sources`) is valid: `true`
    /// only when it certainly is.
    pub(crate) fn merged_is_valid<'a>(
        &self,
        sources: &mut Sources<'a>,
        start: usize,
        defaults: &'a Map<String, Value>,
    ) -> bool {
        let end = sources.top();
        if self.members.is_none() {
            return self.value_is_valid(&sources.merged_value(start));
        }
        // Members no layer touched keep their (valid) defaults; each touched one is judged once.
        // A key the defaults do not have changes the key set: the key-set keywords judge again.
        for i in start + 1..end {
            let Some(layer) = sources.at(i) else { return false };
            for key in layer.keys() {
                let Some(default) = member(defaults, key) else {
                    sources.pop_to(end);
                    return self.value_is_valid(&sources.merged_value(start));
                };
                if i > start + 1 && !sources.first_holder(start + 1, i, key) {
                    continue;
                }
                let plan = self.member_plan(key);
                if plan.validator.is_none() && plan.members.is_none() {
                    continue;
                }
                let valid = match sources.child_from(start, end, key, default) {
                    Child::Absent => true,
                    Child::Leaf(v) => plan.value_is_valid(v),
                    Child::Object(at) => match (default, sources.at(at)) {
                        (Value::Object(d), Some(first)) if std::ptr::eq(d, first) => {
                            plan.merged_is_valid(sources, at, d)
                        }
                        _ => plan.value_is_valid(&sources.merged_value(at)),
                    },
                };
                sources.pop_to(end);
                if !valid {
                    return false;
                }
            }
        }
        true
    }
}

/// Whether an object schema holds only keywords judged per member or on the key set.
fn decomposes(keywords: &Map<String, Value>) -> bool {
    keywords.keys().all(|k| k.starts_with("x-") || DECOMPOSABLE.contains(&k.as_str()))
        && keywords.get("properties").is_none_or(Value::is_object)
}

/// Whether any object in the schema has a key whose meaning depends on where validation started
/// (`$id` counts below the root). Conservative: keys in data positions count too.
/// Answers `true` past 128 levels, where it stops looking.
fn has_contextual(node: &Value, depth: usize) -> bool {
    match node {
        _ if depth > 128 => true,
        Value::Object(map) => map.iter().any(|(k, v)| {
            CONTEXTUAL.contains(&k.as_str()) || (k == "$id" && depth > 0) || has_contextual(v, depth + 1)
        }),
        Value::Array(items) => items.iter().any(|v| has_contextual(v, depth + 1)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use crate::settings::SettingsSchema;
    use crate::settings::merge::deep_merge;
    use crate::settings::merged::Sources;

    fn venue() -> Value {
        serde_json::from_str(include_str!("../../../examples/schemas/venue_settings.json")).unwrap()
    }

    /// A schema mixing decomposable objects with every kind of keyword the plan must not split.
    fn mixed() -> Value {
        json!({
            "type": "object",
            "required": ["a"],
            "minProperties": 1,
            "maxProperties": 6,
            "$defs": {"ref": {"type": "object", "properties": {"n": {"type": "integer", "maximum": 5, "default": 1}}, "additionalProperties": false}},
            "properties": {
                "a": {
                    "type": "object",
                    "required": ["n"],
                    "properties": {"n": {"type": "integer", "minimum": 0, "default": 1}, "s": {"type": "string", "maxLength": 2, "default": "x"}},
                    "additionalProperties": {"type": "boolean"}
                },
                "b": {"$ref": "#/$defs/ref", "default": {"n": 2}},
                "c": {
                    "type": "object",
                    "properties": {"n": {"type": "integer", "default": 3}, "s": {"type": "string", "default": "y"}},
                    "dependentRequired": {"e": ["s"]},
                    "if": {"properties": {"n": {"const": 4}}},
                    "then": {"required": ["e"]},
                    "unevaluatedProperties": false
                },
                "d": {
                    "type": "object",
                    "properties": {"e": {"type": "object", "properties": {"n": {"enum": [1, 2], "default": 1}}, "propertyNames": {"maxLength": 1}}},
                    "patternProperties": {"^s": {"type": "string"}}
                },
                "e": {"type": ["object", "null"], "properties": {"n": {"type": "integer", "default": 0}}, "additionalProperties": false},
                "f": {"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"type": "object", "properties": {"n": {"type": "integer", "maximum": 2, "default": 2}}}}}}}
            }
        })
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            prop_oneof![
                Just(json!(0.5)),
                Just(json!(-1)),
                Just(json!(1)),
                Just(json!(4)),
                Just(json!(500)),
                Just(json!(3000))
            ],
            prop_oneof![
                Just(json!("x")),
                Just(json!("xyz")),
                Just(json!("a@b.example")),
                Just(json!("not an email")),
                Just(json!("https://h.example"))
            ],
            Just(json!([1])),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec!["a", "b", "c", "d", "e", "f", "n", "s", "sx", "zz"]),
            prop::sample::select(vec![
                "ai_settings",
                "email_settings",
                "notification_settings",
                "custom_fields",
                "enabled",
                "temperature",
                "max_tokens",
                "from_email",
                "slack_webhook",
                "system_prompt",
            ]),
        ]
        .prop_map(str::to_owned)
    }

    fn value() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(3, 16, 3, |inner| {
            prop::collection::vec((key(), inner), 0..4).prop_map(|m| Value::Object(m.into_iter().collect()))
        })
    }

    fn layer() -> impl Strategy<Value = Value> {
        prop::collection::vec((key(), value()), 0..4).prop_map(|m| Value::Object(m.into_iter().collect()))
    }

    /// The plan's verdict, and the whole-document verdict, on the merge of `layers`.
    fn verdicts(schema: &SettingsSchema, layers: &[Value]) -> (bool, bool) {
        let plan = schema.plan.as_ref().expect("the schema has a plan");
        let defaults = schema.defaults.as_object().unwrap();
        let mut sources = Sources::new(defaults, layers.iter().filter_map(Value::as_object));
        let fast = plan.merged_is_valid(&mut sources, 0, defaults);
        let mut merged = defaults.clone();
        for layer in layers {
            deep_merge(&mut merged, layer.as_object().unwrap());
        }
        (fast, schema.validator.is_valid(&Value::Object(merged)))
    }

    #[test]
    fn decides_known_cases() {
        let venue = SettingsSchema::new(&venue()).unwrap();
        let cases = [
            (json!({"ai_settings": {"enabled": true, "temperature": 0.3}}), true),
            (json!({"ai_settings": {"temperature": 3}}), false),
            (json!({"email_settings": {"from_email": "nope"}}), false),
            (json!({"ai_settings": {"extra": 1}}), false),
            (json!({"extra": {}}), false),
            (json!({"custom_fields": {"x": "y", "n": 1}}), true),
            (json!({"custom_fields": {"x": {}}}), false),
            (json!({"ai_settings": null}), false),
        ];
        for (layer, valid) in cases {
            assert_eq!(verdicts(&venue, std::slice::from_ref(&layer)), (valid, valid), "{layer}");
        }
        let mixed = SettingsSchema::new(&mixed()).unwrap();
        assert_eq!(verdicts(&mixed, &[json!({"a": {"n": 2}, "f": {"a": {"b": {"n": 1}}}})]), (true, true));
        // A new key in `a` changes its key set: `a` is validated whole (and is valid).
        assert_eq!(verdicts(&mixed, &[json!({"a": {"flag": true}})]), (true, true));
        // A new top-level key breaks `maxProperties`: found by validating the root whole.
        assert_eq!(verdicts(&mixed, &[json!({"x": 1})]), (false, false));
        // `c` does not decompose (if/then): validated whole.
        assert_eq!(verdicts(&mixed, &[json!({"c": {"n": 4}})]), (false, false));
    }

    #[test]
    fn no_plan_for_context_dependent_schemas() {
        let dynamic = json!({"type": "object", "$defs": {"x": {"$dynamicAnchor": "x"}}, "properties": {"a": {"$dynamicRef": "#x"}}});
        assert!(SettingsSchema::new(&dynamic).unwrap().plan.is_none());
        let nested_id = json!({"type": "object", "properties": {"a": {"$id": "https://example.com/a", "type": "object"}}});
        assert!(SettingsSchema::new(&nested_id).unwrap().plan.is_none());
        // Invalid defaults: every resolution is validated whole.
        let invalid_defaults =
            json!({"type": "object", "properties": {"a": {"type": "integer", "default": "x"}}});
        assert!(SettingsSchema::new(&invalid_defaults).unwrap().plan.is_none());
        assert!(SettingsSchema::new(&venue()).unwrap().plan.is_some());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The plan never calls an invalid resolution valid, and (as it is only skipped work)
        /// agrees with the whole-document verdict whenever it says valid.
        #[test]
        fn never_accepts_what_the_schema_rejects(layers in prop::collection::vec(layer(), 0..3)) {
            for schema in [venue(), mixed()] {
                let schema = SettingsSchema::new(&schema).unwrap();
                let (fast, full) = verdicts(&schema, &layers);
                prop_assert!(!fast || full, "plan accepted an invalid resolution: {:?}", layers);
            }
        }
    }
}
