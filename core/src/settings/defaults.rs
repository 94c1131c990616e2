//! Default documents materialised from `default` keywords at any depth.

use serde_json::{Map, Value};

use crate::{Error, ErrorCode, Issue, Result};

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

/// How many property schemas materialising defaults may visit while one schema compiles (every
/// field's default included): a `$ref` that fans out (two properties pointing at a definition
/// that does the same) makes the tree of properties exponential in the size of the schema.
pub(crate) const MAX_DEFAULT_VISITS: usize = 200_000;

/// The default of one schema node: its `default` keyword (with nested defaults filled in under an
/// object default), or, for an object schema without one, the object of its properties' defaults.
/// Each node visited takes one from `budget`; none left is [`too_many_settings`].
pub(crate) fn materialise(
    root: &Value,
    node: &Value,
    depth: usize,
    budget: &mut usize,
) -> Result<Option<Value>> {
    if depth > 64 {
        return Ok(None);
    }
    *budget = budget.checked_sub(1).ok_or_else(|| too_many_settings(""))?;
    let explicit = node.get("default").or_else(|| deref(root, node).get("default"));
    let nested = match properties(root, node) {
        Some(props) => {
            let mut map = Map::new();
            for (key, sub) in props {
                if let Some(v) = materialise(root, sub, depth + 1, budget)? {
                    map.insert(key.clone(), v);
                }
            }
            Some(map)
        }
        None => None,
    };
    Ok(match (explicit, nested) {
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
    })
}

/// The most settings (declared properties, at any depth) a schema may have.
pub(crate) const MAX_SETTINGS: usize = 10_000;

/// The error for a schema whose properties branch into more settings than tenantry reads
/// (`path`: where the walk was), which only a `$ref` that fans out or cycles makes.
pub(crate) fn too_many_settings(path: &str) -> Error {
    let what = format!(
        "the properties branch into more than {MAX_SETTINGS} settings (through a $ref that fans out or cycles)"
    );
    Error::with_issues(
        ErrorCode::SettingsInvalidSchema,
        format!("invalid settings schema at {}: {what}", if path.is_empty() { "(root)" } else { path }),
        vec![Issue::new(path, "schema", what)],
    )
}
