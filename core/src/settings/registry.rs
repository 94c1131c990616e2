//! The registry view for key/value settings APIs: one row per setting, addressed by dotted key.

use serde::Serialize;
use serde_json::{Map, Value};

use super::annotations::{FieldInfo, Role};
use super::patch::PatchResult;
use super::pointer;
use super::schema::SettingsSchema;
use crate::{Error, ErrorCode, Result};

/// One setting as a registry row (seed 004's settings table).
///
/// ```
/// use serde_json::json;
/// use tenantry::settings::{Role, SettingsSchema};
/// let schema = SettingsSchema::new(&json!({
///     "type": "object",
///     "properties": {"smtp_port": {"type": "integer", "default": 587, "x-category": "email"}}
/// }))?;
/// let rows = schema.entries(schema.defaults(), Role::Admin)?;
/// assert_eq!(rows[0].key, "smtp_port");
/// assert_eq!(rows[0].category.as_deref(), Some("email"));
/// assert_eq!(rows[0].value, json!(587));
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegistryEntry {
    /// Dotted key, e.g. `ai_settings.temperature`.
    pub key: String,
    /// `x-category` (inherited from the parent when absent), or `null`.
    pub category: Option<String>,
    /// The value in the document (the default when the document has none).
    pub value: Value,
    /// The schema default (`null` when none).
    pub default: Value,
    /// `public`, `member` or `admin`.
    pub visibility: &'static str,
    /// Whether anyone but the system may change it.
    pub editable: bool,
    /// The schema's description (or title), or `null`.
    pub description: Option<String>,
}

impl SettingsSchema {
    /// One row per declared setting (leaf field) that `audience` may see, in schema order.
    ///
    /// ```
    /// use serde_json::json;
    /// use tenantry::settings::{Role, SettingsSchema};
    /// let schema = SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {
    ///         "app_name": {"type": "string", "default": "S&OP Portal", "x-visibility": "public"},
    ///         "session_timeout_minutes": {"type": "integer", "default": 480, "x-visibility": "admin"}
    ///     }
    /// }))?;
    /// assert_eq!(schema.entries(schema.defaults(), Role::Public)?.len(), 1);
    /// assert_eq!(schema.entries(schema.defaults(), Role::Admin)?.len(), 2);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn entries(&self, doc: &Value, audience: Role) -> Result<Vec<RegistryEntry>> {
        super::view::document(doc)?;
        Ok(self
            .fields
            .iter()
            .filter(|f| f.leaf && f.visible_to(audience))
            .map(|f| {
                let default = f.default.clone().unwrap_or(Value::Null);
                RegistryEntry {
                    key: f.key.clone(),
                    category: f.category.clone(),
                    value: doc.pointer(&f.pointer).cloned().unwrap_or_else(|| default.clone()),
                    default,
                    visibility: f.visibility.as_str(),
                    editable: f.editable,
                    description: f.description.clone(),
                }
            })
            .collect())
    }

    /// The value at a dotted key (the default when the document has none);
    /// `settings.unknown_key` for a key the schema does not declare. A key is the property
    /// names on the way down joined with dots, so a property literally named `"a.b"` has the key
    /// `a.b` too (a schema where that would also be `a` → `b` does not compile).
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {"ai": {"type": "object", "properties": {"temperature": {"type": "number", "default": 0.7}}}}
    /// }))?;
    /// assert_eq!(schema.get(&json!({}), "ai.temperature")?, json!(0.7));
    /// assert_eq!(schema.get(&json!({}), "ai.nope").unwrap_err().code(), "settings.unknown_key");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn get(&self, doc: &Value, key: &str) -> Result<Value> {
        super::view::document(doc)?;
        let field = self.by_key(key)?;
        Ok(doc.pointer(&field.pointer).cloned().or_else(|| field.default.clone()).unwrap_or(Value::Null))
    }

    /// The field with this registry key. Keys are unique: a schema where two properties would
    /// share one (`"a.b"` beside `a` → `b`) does not compile.
    fn by_key(&self, key: &str) -> Result<&FieldInfo> {
        self.keys.get(key).and_then(|&i| self.fields.get(i)).ok_or_else(|| unknown(key))
    }

    /// Sets one setting by dotted key: [`SettingsSchema::apply_patch`] with the patch
    /// `{"a": {"b": value}}` for key `a.b` (so `null` removes the override).
    ///
    /// ```
    /// use serde_json::json;
    /// use tenantry::settings::{Role, SettingsSchema};
    /// let schema = SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {"smtp_port": {"type": "integer", "default": 587}}
    /// }))?;
    /// let r = schema.set(&json!({}), "smtp_port", json!(2525), Role::Admin, None)?;
    /// assert_eq!(r.overrides, json!({"smtp_port": 2525}));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn set(
        &self,
        overrides: &Value,
        key: &str,
        value: Value,
        role: Role,
        expected_etag: Option<&str>,
    ) -> Result<PatchResult> {
        let field = self.by_key(key)?;
        let patch = pointer::segments(&field.pointer).into_iter().rev().fold(value, |inner, seg| {
            let mut map = Map::new();
            map.insert(seg, inner);
            Value::Object(map)
        });
        self.apply_patch(overrides, &patch, role, expected_etag)
    }
}

fn unknown(key: &str) -> Error {
    Error::new(ErrorCode::SettingsUnknownKey, format!("\"{key}\" is not a setting this schema defines"))
}
