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
        // A leaf comes from the last layer that holds its exact path (objects merge, so a layer
        // that replaced an ancestor with a non-object would have removed the leaf), else defaults.
        let sources: Vec<Option<&Value>> = layers.iter().map(|(_, layer)| Some(layer)).collect();
        let names: Vec<&str> = layers.iter().map(|(name, _)| name.as_ref()).collect();
        let mut provenance = BTreeMap::new();
        trace(&value, &sources, &names, &mut String::new(), &mut provenance);
        Ok(Resolution { value, provenance })
    }
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
