//! Role views: the document as `public`, `member` or `admin` may see it.

use serde_json::{Map, Value};

use super::annotations::Role;
use super::pointer;
use super::schema::SettingsSchema;
use crate::{Error, ErrorCode, Result};

impl SettingsSchema {
    /// The document with every field the audience may not see removed: fields above its
    /// visibility (`x-visibility`, default `member`) and sensitive fields below `admin`. Keys the
    /// schema does not declare inherit from their nearest declared parent (`member` at the root).
    ///
    /// ```
    /// use serde_json::json;
    /// use tenantry::settings::{Role, SettingsSchema};
    /// let schema = SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {
    ///         "app_name": {"type": "string", "x-visibility": "public"},
    ///         "smtp_password": {"type": "string", "x-sensitive": true},
    ///         "seats": {"type": "integer"}
    ///     }
    /// }))?;
    /// let doc = json!({"app_name": "S&OP", "smtp_password": "hunter2", "seats": 5});
    /// assert_eq!(schema.view(&doc, Role::Public)?, json!({"app_name": "S&OP"}));
    /// assert_eq!(schema.view(&doc, Role::Member)?, json!({"app_name": "S&OP", "seats": 5}));
    /// assert_eq!(schema.view(&doc, Role::Admin)?, doc);
    /// // A document is an object: anything else (JSON text encoded twice, say) is refused.
    /// assert_eq!(schema.view(&json!("{}"), Role::Admin).err().map(|e| e.code()), Some("settings.invalid_patch"));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn view(&self, doc: &Value, audience: Role) -> Result<Value> {
        let root_visible = audience >= Role::Member;
        Ok(Value::Object(self.view_object(document(doc)?, audience, &mut String::new(), root_visible)))
    }

    fn view_object(
        &self,
        map: &Map<String, Value>,
        audience: Role,
        path: &mut String,
        inherited: bool,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in map {
            let len = path.len();
            pointer::push(path, key);
            let visible = match self.field(path) {
                Some(field) => field.visible_to(audience),
                None => inherited,
            };
            if visible {
                let shown = match value {
                    Value::Object(inner) => Value::Object(self.view_object(inner, audience, path, visible)),
                    other => other.clone(),
                };
                out.insert(key.clone(), shown);
            }
            path.truncate(len);
        }
        out
    }
}

/// A settings document to read (`view`, `entries`, `get`): an object. Anything else was shown as
/// it came, or read as all defaults: a document stored as JSON text and encoded again (a JSON
/// string) showed every default without a word.
pub(crate) fn document(doc: &Value) -> Result<&Map<String, Value>> {
    doc.as_object().ok_or_else(|| {
        Error::new(
            ErrorCode::SettingsInvalidPatch,
            format!("a settings document must be a JSON object, not {}", kind(doc)),
        )
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
