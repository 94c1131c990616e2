//! Default documents materialised from `default` keywords at any depth.

use serde_json::{Map, Value};

/// Follows local `$ref`s (`#/$defs/...`) so annotations and defaults behind them are found.
pub(crate) fn deref<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => match root.pointer(pointer) {
                Some(target) => node = target,
                None => return node,
            },
            None => return node,
        }
    }
    node
}

/// The declared properties of an object schema, if it declares any.
pub(crate) fn properties<'a>(root: &'a Value, node: &'a Value) -> Option<&'a Map<String, Value>> {
    deref(root, node).get("properties").and_then(Value::as_object)
}

/// The default of one schema node: its `default` keyword (with nested defaults filled in under an
/// object default), or, for an object schema without one, the object of its properties' defaults.
pub(crate) fn materialise(root: &Value, node: &Value, depth: usize) -> Option<Value> {
    if depth > 64 {
        return None;
    }
    let explicit = node.get("default").or_else(|| deref(root, node).get("default"));
    let nested = properties(root, node).map(|props| {
        let mut map = Map::new();
        for (key, sub) in props {
            if let Some(v) = materialise(root, sub, depth + 1) {
                map.insert(key.clone(), v);
            }
        }
        map
    });
    match (explicit, nested) {
        (Some(Value::Object(given)), Some(nested)) => {
            let mut out = given.clone();
            for (k, v) in nested {
                out.entry(k).or_insert(v);
            }
            Some(Value::Object(out))
        }
        (Some(given), _) => Some(given.clone()),
        (None, Some(nested)) if !nested.is_empty() || depth == 0 => Some(Value::Object(nested)),
        (None, _) => None,
    }
}
