//! Layered resolution: defaults, then named layers in order, deep-merged and validated, with the
//! layer that set every leaf.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::merge::deep_merge;
use super::pointer;
use super::schema::SettingsSchema;
use super::validate::failure;
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
        let Value::Object(mut value) = self.defaults.clone() else {
            return Err(Error::new(ErrorCode::SettingsInvalidSchema, "defaults are not an object"));
        };
        for (name, layer) in layers {
            let issues = self.limit_issues(layer, true);
            if !issues.is_empty() {
                return Err(failure(issues));
            }
            let Value::Object(layer) = layer else {
                return Err(Error::new(
                    ErrorCode::SettingsInvalidPatch,
                    format!("layer \"{}\" must be a JSON object", name.as_ref()),
                ));
            };
            deep_merge(&mut value, layer);
        }
        let value = Value::Object(value);
        let issues = self.schema_issues(&value);
        if !issues.is_empty() {
            return Err(failure(issues));
        }
        Ok(value)
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
