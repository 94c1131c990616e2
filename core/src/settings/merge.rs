//! RFC 7396 JSON Merge Patch, and the layered deep merge that records provenance.

use serde_json::{Map, Value};

/// Applies an RFC 7396 merge patch to `target` in place: objects merge key by key, `null`
/// removes a key, anything else (arrays included) replaces the value whole.
///
/// ```
/// use serde_json::json;
/// let mut doc = json!({"a": {"b": 1, "c": 2}, "list": [1, 2]});
/// tenantry::settings::merge_patch(&mut doc, &json!({"a": {"b": null, "d": 3}, "list": [9]}));
/// assert_eq!(doc, json!({"a": {"c": 2, "d": 3}, "list": [9]}));
/// ```
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(map) = target {
        for (key, value) in patch {
            if value.is_null() {
                map.shift_remove(key);
            } else {
                merge_patch(map.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// Deep-merges `layer` over `base`: objects merge, every other value (null included) replaces.
pub(crate) fn deep_merge(base: &mut Map<String, Value>, layer: &Map<String, Value>) {
    for (key, value) in layer {
        match (base.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(over)) => deep_merge(inner, over),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}
