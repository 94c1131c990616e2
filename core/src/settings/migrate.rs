//! Migrations: a stored document brought to the current schema, never silently.

use serde::Serialize;
use serde_json::{Map, Value};

use super::defaults::deref;
use super::pointer;
use super::schema::SettingsSchema;
use crate::{Error, ErrorCode, Issue, Result};

/// A stored document brought to the current schema, with what was done to it.
///
/// ```
/// use serde_json::json;
/// let schema = tenantry::settings::SettingsSchema::new(&json!({
///     "type": "object",
///     "properties": {"seats": {"type": "integer", "minimum": 1, "default": 5}}
/// }))?;
/// let m = schema.migrate(&json!({"seats": 0, "legacy_flag": true}))?;
/// assert_eq!(m.overrides, json!({}));
/// assert_eq!(m.dropped, ["/legacy_flag"]);
/// assert_eq!(m.reset[0].path, "/seats");
/// assert_eq!(m.value, json!({"seats": 5}));
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Migration {
    /// The cleaned overrides, to store in place of the old ones.
    pub overrides: Value,
    /// The effective document (defaults + cleaned overrides).
    pub value: Value,
    /// JSON Pointers of keys the schema does not define, dropped.
    pub dropped: Vec<String>,
    /// Overrides removed because they were invalid (so the default applies), with the reason.
    pub reset: Vec<Issue>,
}

impl SettingsSchema {
    /// Brings stored overrides to the current schema: keys the schema does not define are dropped
    /// (objects with `additionalProperties: false`, with or without `properties`, and objects
    /// declaring `properties` without `additionalProperties`/`patternProperties`, are closed
    /// here), invalid values are removed so their defaults apply; both are reported.
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {"color": {"type": "string", "format": "hex-color", "default": "#000000"}}
    /// }))?;
    /// let m = schema.migrate(&json!({"color": "red"}))?;
    /// assert_eq!(m.reset[0].code, "format");
    /// assert_eq!(m.value, json!({"color": "#000000"}));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn migrate(&self, stored: &Value) -> Result<Migration> {
        let Value::Object(map) = stored else {
            return Err(Error::new(
                ErrorCode::SettingsInvalidPatch,
                "a stored settings document must be a JSON object",
            ));
        };
        let mut dropped = Vec::new();
        let mut reset = Vec::new();
        let cleaned = self.drop_unknown(&self.source, map, &mut String::new(), &mut dropped);
        let mut overrides = Value::Object(cleaned);
        for _ in 0..64 {
            let mut issues = self.limit_issues(&overrides, false);
            if issues.is_empty() {
                issues = self.schema_issues(&self.effective(&overrides));
            }
            if issues.is_empty() {
                break;
            }
            let mut progressed = false;
            for issue in issues {
                // The deepest stored override at or above the problem is what gets reset.
                let segs = pointer::segments(&issue.path);
                let target = (1..=segs.len())
                    .rev()
                    .map(|n| segs.iter().take(n).fold(String::new(), |acc, s| pointer::join(&acc, s)))
                    .find(|p| overrides.pointer(p).is_some());
                if let Some(target) = target
                    && pointer::remove(&mut overrides, &target)
                {
                    pointer::prune_empty(&mut overrides, &target);
                    reset.push(Issue::new(target, issue.code, issue.message));
                    progressed = true;
                }
            }
            if !progressed {
                break;
            }
        }
        let value = self.effective(&overrides);
        // Paths as the library shows them: none inside an `x-sensitive` setting.
        let reset = self.shown_issues(reset);
        let mut shown: Vec<String> = Vec::with_capacity(dropped.len());
        for path in dropped {
            let path = self.shown_path(&path).to_owned();
            if !shown.contains(&path) {
                shown.push(path);
            }
        }
        Ok(Migration { overrides, value, dropped: shown, reset })
    }

    fn drop_unknown(
        &self,
        node: &Value,
        map: &Map<String, Value>,
        path: &mut String,
        dropped: &mut Vec<String>,
    ) -> Map<String, Value> {
        let node = deref(&self.source, node);
        let props = node.get("properties").and_then(Value::as_object);
        // `additionalProperties: false` closes an object even without `properties` (every key
        // of it is then unknown); without the keyword, only one that declares properties.
        let additional = node.get("additionalProperties");
        let open = node.get("patternProperties").is_some()
            || match additional {
                Some(a) => a != &Value::Bool(false),
                None => props.is_none(),
            };
        let mut out = Map::new();
        for (key, value) in map {
            let len = path.len();
            *path = pointer::join(path, key);
            match props.and_then(|p| p.get(key)) {
                Some(sub) => {
                    let kept = match value {
                        Value::Object(inner) => Value::Object(self.drop_unknown(sub, inner, path, dropped)),
                        other => other.clone(),
                    };
                    out.insert(key.clone(), kept);
                }
                None if open => {
                    out.insert(key.clone(), value.clone());
                }
                None => dropped.push(path.clone()),
            }
            path.truncate(len);
        }
        out
    }
}
