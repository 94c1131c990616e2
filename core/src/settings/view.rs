//! Role views: the document as `public`, `member` or `admin` may see it.

use serde_json::{Map, Value};

use super::annotations::Role;
use super::pointer;
use super::schema::SettingsSchema;

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
    /// assert_eq!(schema.view(&doc, Role::Public), json!({"app_name": "S&OP"}));
    /// assert_eq!(schema.view(&doc, Role::Member), json!({"app_name": "S&OP", "seats": 5}));
    /// assert_eq!(schema.view(&doc, Role::Admin), doc);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn view(&self, doc: &Value, audience: Role) -> Value {
        let root_visible = audience >= Role::Member;
        match doc {
            Value::Object(map) => {
                Value::Object(self.view_object(map, audience, &mut String::new(), root_visible))
            }
            other => other.clone(),
        }
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
