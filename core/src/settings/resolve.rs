//! Layered resolution: defaults, then named layers in order, deep-merged and validated, with the
//! layer that set every leaf.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::merged::Sources;
use super::pointer;
use super::schema::SettingsSchema;
use crate::{Error, ErrorCode, Result};

/// The effective settings of a tenant and where each leaf came from.
///
/// ```
/// use serde_json::json;
/// let schema = tenantry::settings::SettingsSchema::new(&json!({
///     "type": "object",
///     "properties": {"seats": {"type": "integer", "default": 5}, "theme": {"type": "string", "default": "light"}}
/// }))?;
/// let r = schema.resolve(&[("plan", json!({"seats": 50}))])?;
/// assert_eq!(r.value, json!({"seats": 50, "theme": "light"}));
/// assert_eq!(r.provenance["/seats"], "plan");
/// assert_eq!(r.provenance["/theme"], "defaults");
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    /// The effective document.
    pub value: Value,
    /// For every leaf (JSON Pointer), the name of the layer that set it (`defaults` included).
    pub provenance: BTreeMap<String, String>,
}

impl SettingsSchema {
    /// Resolves a tenant's settings: the defaults, then each `(name, overrides)` layer in order
    /// (e.g. `plan`, `tenant`, `user`), deep-merged (objects merge, other values replace), then
    /// validated. Each layer must be an object within the schema's limits.
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {"limit": {"type": "integer", "maximum": 100, "default": 10}}
    /// }))?;
    /// let err = schema.resolve(&[("tenant", json!({"limit": 1000}))]).unwrap_err();
    /// assert_eq!(err.issues()[0].path, "/limit");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn resolve<N: AsRef<str>>(&self, layers: &[(N, Value)]) -> Result<Resolution> {
        let value = self.resolve_value(layers)?;
        let provenance = provenance_of(&value, layers);
        Ok(Resolution { value, provenance })
    }

    /// [`SettingsSchema::resolve`] without the provenance: the effective document only (for
    /// callers that need provenance rarely; [`SettingsSchema::provenance`] computes it later).
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object", "properties": {"seats": {"type": "integer", "default": 5}}
    /// }))?;
    /// assert_eq!(schema.resolve_value(&[("plan", json!({"seats": 9}))])?, json!({"seats": 9}));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn resolve_value<N: AsRef<str>>(&self, layers: &[(N, Value)]) -> Result<Value> {
        let mut sources = self.sources(layers)?;
        if self.plan_says_valid(&mut sources) {
            return Ok(sources.merged_value(0));
        }
        let value = sources.merged_value(0);
        let issues = self.schema_issues(&value);
        if !issues.is_empty() {
            return Err(self.failure(issues));
        }
        Ok(value)
    }

    /// [`SettingsSchema::resolve_value`] as compact JSON text (what `serde_json::to_string` gives
    /// for it), written straight from the defaults and the layers without building the document.
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object", "properties": {"seats": {"type": "integer", "default": 5}, "plan": {"type": "string"}}
    /// }))?;
    /// assert_eq!(schema.resolve_json(&[("tenant", json!({"plan": "pro"}))])?, r#"{"seats":5,"plan":"pro"}"#);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn resolve_json<N: AsRef<str>>(&self, layers: &[(N, Value)]) -> Result<String> {
        let mut sources = self.sources(layers)?;
        let mut out = Vec::with_capacity(512);
        if self.plan_says_valid(&mut sources) {
            sources.write_json(0, &mut out).map_err(unwritable)?;
        } else {
            let value = sources.merged_value(0);
            let issues = self.schema_issues(&value);
            if !issues.is_empty() {
                return Err(self.failure(issues));
            }
            serde_json::to_writer(&mut out, &value).map_err(unwritable)?;
        }
        String::from_utf8(out).map_err(unwritable)
    }

    /// [`SettingsSchema::resolve_json`] for a caller that can build the default document's
    /// shape itself: when the effective document has that shape (see
    /// [`SettingsSchema::shape_json`]), its leaves as a JSON array (text starting with `[`), else
    /// the whole document as [`SettingsSchema::resolve_json`] writes it (starting with `{`).
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {"ai": {"type": "object", "properties": {"t": {"type": "number", "default": 0.7}}},
    ///                    "tags": {"type": "object", "default": {}}}
    /// }))?;
    /// assert_eq!(schema.shape_json(), r#"[["ai",[["t",0]]],["tags",0]]"#);
    /// assert_eq!(schema.resolve_leaves(&[("tenant", json!({"ai": {"t": 0.2}}))])?, "[0.2,{}]");
    /// assert_eq!(schema.resolve_leaves(&[("tenant", json!({"tags": {"a": "b"}}))])?, r#"[0.7,{"a":"b"}]"#);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn resolve_leaves<N: AsRef<str>>(&self, layers: &[(N, Value)]) -> Result<String> {
        let mut sources = self.sources(layers)?;
        if !self.plan_says_valid(&mut sources) {
            return self.resolve_json(layers);
        }
        let mut out = Vec::with_capacity(256);
        out.push(b'[');
        let fits = match sources.at(0) {
            Some(defaults) => {
                sources.write_leaves(0, defaults, &self.default_leaves, &mut out).map_err(unwritable)?
            }
            None => false,
        };
        if fits {
            out.push(b']');
        } else {
            out.clear();
            sources.write_json(0, &mut out).map_err(unwritable)?;
        }
        String::from_utf8(out).map_err(unwritable)
    }

    /// The defaults and every layer, each checked to be an object within the limits.
    fn sources<'a, N: AsRef<str>>(&'a self, layers: &'a [(N, Value)]) -> Result<Sources<'a>> {
        let Value::Object(defaults) = &self.defaults else {
            return Err(Error::new(ErrorCode::SettingsInvalidSchema, "defaults are not an object"));
        };
        for (name, layer) in layers {
            let issues = self.limit_issues(layer, true);
            if !issues.is_empty() {
                return Err(self.failure(issues));
            }
            if !layer.is_object() {
                return Err(Error::new(
                    ErrorCode::SettingsInvalidPatch,
                    format!("layer \"{}\" must be a JSON object", name.as_ref()),
                ));
            }
        }
        Ok(Sources::new(defaults, layers.iter().filter_map(|(_, layer)| layer.as_object())))
    }

    /// Whether the plan finds the resolution valid without validating it whole (`false` also
    /// when there is no plan, or when it found a problem: then the whole document decides).
    fn plan_says_valid(&self, sources: &mut Sources<'_>) -> bool {
        match (&self.plan, sources.at(0)) {
            (Some(plan), Some(defaults)) => plan.merged_is_valid(sources, 0, defaults),
            _ => false,
        }
    }

    /// The provenance of an effective document produced by [`SettingsSchema::resolve_value`] from
    /// the same `layers`: for every leaf, the last layer holding its exact path, else `defaults`.
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object", "properties": {"seats": {"type": "integer", "default": 5}}
    /// }))?;
    /// let layers = [("plan", json!({"seats": 9}))];
    /// let value = schema.resolve_value(&layers)?;
    /// assert_eq!(schema.provenance(&value, &layers)["/seats"], "plan");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn provenance<N: AsRef<str>>(
        &self,
        value: &Value,
        layers: &[(N, Value)],
    ) -> BTreeMap<String, String> {
        provenance_of(value, layers)
    }
}

fn unwritable(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::InvalidInput, format!("settings could not be written as JSON: {e}"))
}

/// A leaf comes from the last layer that holds its exact path (objects merge, so a layer that
/// replaced an ancestor with a non-object would have removed the leaf), else from the defaults.
fn provenance_of<N: AsRef<str>>(value: &Value, layers: &[(N, Value)]) -> BTreeMap<String, String> {
    let sources: Vec<Option<&Value>> = layers.iter().map(|(_, layer)| Some(layer)).collect();
    let names: Vec<&str> = layers.iter().map(|(name, _)| name.as_ref()).collect();
    let mut provenance = BTreeMap::new();
    trace(value, &sources, &names, &mut String::new(), &mut provenance);
    provenance
}

/// Walks the merged document and every layer in step, naming the source of each leaf.
fn trace(
    value: &Value,
    sources: &[Option<&Value>],
    names: &[&str],
    path: &mut String,
    out: &mut BTreeMap<String, String>,
) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut children = Vec::with_capacity(sources.len());
            for (key, child) in map {
                children.clear();
                children.extend(sources.iter().map(|s| s.and_then(|s| s.get(key.as_str()))));
                let len = path.len();
                pointer::push(path, key);
                trace(child, &children, names, path, out);
                path.truncate(len);
            }
        }
        _ => {
            let name = sources.iter().rposition(Option::is_some).and_then(|i| names.get(i)).copied();
            out.insert(path.clone(), name.unwrap_or("defaults").to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    use crate::settings::SettingsSchema;

    /// What a caller of `resolve_leaves` does: the document from the shape and the leaves.
    fn build(shape: &Value, leaves: &mut impl Iterator<Item = Value>) -> Value {
        match shape {
            Value::Array(members) => {
                let mut map = Map::new();
                for member in members {
                    let (Some(Value::String(key)), Some(sub)) = (member.get(0), member.get(1)) else {
                        panic!("shape")
                    };
                    map.insert(key.clone(), build(sub, leaves));
                }
                Value::Object(map)
            }
            _ => leaves.next().expect("a leaf"),
        }
    }

    fn schema() -> SettingsSchema {
        SettingsSchema::new(&json!({
            "type": "object",
            "properties": {
                "a": {"type": "object", "properties": {"x": {"type": "integer", "default": 1}, "y": {"type": ["object", "integer"], "default": {"p": 1}}}},
                "b": {"type": "object", "default": {}},
                "c": {"type": ["string", "object"], "default": "s"},
                "d": {"type": "array", "default": [1, {"q": 2}]}
            }
        }))
        .unwrap()
    }

    fn key() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["a", "b", "c", "d", "x", "y", "p", "z"]).prop_map(str::to_owned)
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![Just(json!(null)), Just(json!(2)), Just(json!("t")), Just(json!([3]))];
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop::collection::vec((key(), inner), 0..3).prop_map(|m| Value::Object(m.into_iter().collect()))
        })
    }

    proptest! {
        #[test]
        fn leaves_build_the_resolved_document(layers in prop::collection::vec(prop::collection::vec((key(), value()), 0..3), 0..3)) {
            let schema = schema();
            let layers: Vec<(String, Value)> = layers
                .into_iter()
                .enumerate()
                .map(|(i, m)| (format!("l{i}"), Value::Object(m.into_iter().collect())))
                .collect();
            let expected = schema.resolve_value(&layers).map(|v| serde_json::to_string(&v).unwrap());
            let json = schema.resolve_json(&layers);
            let leaves = schema.resolve_leaves(&layers);
            match (expected, json, leaves) {
                (Ok(expected), Ok(json), Ok(leaves)) => {
                    prop_assert_eq!(&json, &expected);
                    let doc = if leaves.starts_with('[') {
                        let Value::Array(items) = serde_json::from_str(&leaves).unwrap() else { panic!("array") };
                        let shape: Value = serde_json::from_str(&schema.shape_json()).unwrap();
                        let mut items = items.into_iter();
                        let doc = build(&shape, &mut items);
                        prop_assert!(items.next().is_none());
                        doc
                    } else {
                        serde_json::from_str(&leaves).unwrap()
                    };
                    prop_assert_eq!(serde_json::to_string(&doc).unwrap(), expected);
                }
                (Err(a), Err(b), Err(c)) => {
                    prop_assert_eq!(a.code(), b.code());
                    prop_assert_eq!(a.code(), c.code());
                    prop_assert_eq!(a.issues(), b.issues());
                    prop_assert_eq!(a.issues(), c.issues());
                }
                other => prop_assert!(false, "disagree: {:?}", other),
            }
        }
    }

    #[test]
    fn leaves_of_the_defaults_shape() {
        let schema = schema();
        assert_eq!(schema.shape_json(), r#"[["a",[["x",0],["y",[["p",0]]]]],["b",0],["c",0],["d",0]]"#);
        let layers = [("t", json!({"a": {"y": {"p": 5}}, "b": {"k": [1]}}))];
        assert_eq!(schema.resolve_leaves(&layers).unwrap(), r#"[1,5,{"k":[1]},"s",[1,{"q":2}]]"#);
        // A new key, or a default object replaced: the whole document.
        let layers = [("t", json!({"a": {"w": 1}}))];
        assert!(schema.resolve_leaves(&layers).unwrap().starts_with('{'));
        // Empty defaults: the document is still an object of no leaves.
        let free = SettingsSchema::new(&json!({"type": "object"})).unwrap();
        assert_eq!(free.shape_json(), "[]");
        assert_eq!(free.resolve_leaves(&[("t", json!({}))]).unwrap(), "[]");
        assert_eq!(free.resolve_leaves(&[("t", json!({"k": 1}))]).unwrap(), r#"{"k":1}"#);
        let layers = [("t", json!({"a": {"y": 3}}))];
        assert_eq!(
            schema.resolve_leaves(&layers).unwrap(),
            r#"{"a":{"x":1,"y":3},"b":{},"c":"s","d":[1,{"q":2}]}"#
        );
    }
}
