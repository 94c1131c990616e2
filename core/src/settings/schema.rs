//! `SettingsSchema`: a JSON Schema compiled once, with its defaults and annotations.

use std::collections::HashMap;

use serde_json::Value;

use super::annotations::FieldInfo;
use super::defaults::{MAX_DEFAULT_VISITS, materialise};
use super::formats::{is_hex_color, is_https_url};
use super::limits::Limits;
use super::merged::DefaultLeaves;
use super::plan::Plan;
use crate::{Error, ErrorCode, Issue, Result};

/// A settings schema compiled once: the validator (draft 2020-12, formats asserted, including
/// `https-url` and `hex-color`), the default document, and every property's annotations.
///
/// Immutable, `Send + Sync`: build it at startup and share it.
///
/// ```
/// use serde_json::json;
/// let schema = tenantry::settings::SettingsSchema::new(&json!({
///     "type": "object",
///     "properties": {"color": {"type": "string", "format": "hex-color", "default": "#000000"}}
/// }))?;
/// assert_eq!(schema.defaults(), &json!({"color": "#000000"}));
/// assert!(schema.validate(&json!({"color": "black"})).is_err());
/// # Ok::<(), tenantry::Error>(())
/// ```
pub struct SettingsSchema {
    pub(crate) source: Value,
    pub(crate) validator: jsonschema::Validator,
    pub(crate) defaults: Value,
    pub(crate) fields: Vec<FieldInfo>,
    pub(crate) index: HashMap<String, usize>,
    /// Each field's position in `fields` by its registry key (keys are unique).
    pub(crate) keys: HashMap<String, usize>,
    pub(crate) limits: Limits,
    /// How to validate a resolution by what its layers changed (`None`: validate it whole).
    pub(crate) plan: Option<Plan>,
    /// The default document's leaves, written once (for `resolve_leaves`).
    pub(crate) default_leaves: DefaultLeaves,
}

impl std::fmt::Debug for SettingsSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SettingsSchema")
            .field("fields", &self.fields.len())
            .field("limits", &self.limits)
            .finish()
    }
}

fn invalid(path: &str, message: String) -> Error {
    Error::with_issues(
        ErrorCode::SettingsInvalidSchema,
        format!("invalid settings schema at {}: {message}", if path.is_empty() { "(root)" } else { path }),
        vec![Issue::new(path, "schema", message)],
    )
}

impl SettingsSchema {
    /// Compiles a schema with the default [`Limits`].
    ///
    /// An invalid schema is `settings.invalid_schema`, with the JSON Pointer of the fault: so is
    /// a tenantry annotation that is misspelt anywhere in the schema, has a wrong value, or sits
    /// where it would be ignored (anywhere but on a property's schema, directly or through
    /// local `$ref`s).
    ///
    /// ```
    /// use serde_json::json;
    /// let err = tenantry::settings::SettingsSchema::new(&json!({"type": "object", "minProperties": "x"}))
    ///     .unwrap_err();
    /// assert_eq!(err.code(), "settings.invalid_schema");
    /// ```
    pub fn new(schema: &Value) -> Result<Self> {
        Self::with_limits(schema, Limits::default())
    }

    /// Compiles a schema with explicit [`Limits`].
    ///
    /// ```
    /// use serde_json::json;
    /// use tenantry::settings::{Limits, SettingsSchema};
    /// let schema = SettingsSchema::with_limits(
    ///     &json!({"type": "object"}),
    ///     Limits { max_bytes: 64, ..Limits::default() },
    /// )?;
    /// assert_eq!(schema.limits().max_bytes, 64);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn with_limits(schema: &Value, limits: Limits) -> Result<Self> {
        if !schema.is_object() {
            return Err(invalid("", "a settings schema must be a JSON object".to_owned()));
        }
        if limits.max_bytes == 0 || limits.max_depth == 0 || limits.max_string_length == 0 {
            return Err(Error::new(ErrorCode::InvalidInput, "settings limits must be positive"));
        }
        let options = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .should_ignore_unknown_formats(false)
            .with_format("https-url", is_https_url)
            .with_format("hex-color", is_hex_color);
        let validator =
            options.build(schema).map_err(|e| invalid(e.instance_path().as_str(), e.masked().to_string()))?;
        let mut budget = MAX_DEFAULT_VISITS;
        let defaults =
            materialise(schema, schema, 0, &mut budget)?.unwrap_or_else(|| Value::Object(Default::default()));
        if !defaults.is_object() {
            return Err(invalid("/default", "the schema's default must be a JSON object".to_owned()));
        }
        let fields = super::fields::fields(schema)?;
        let index = fields.iter().enumerate().map(|(i, f)| (f.pointer.clone(), i)).collect();
        let keys = fields.iter().enumerate().map(|(i, f)| (f.key.clone(), i)).collect();
        let plan = Plan::build(&options, &validator, schema, &defaults);
        let default_leaves = defaults
            .as_object()
            .map_or(Ok(DefaultLeaves::default()), DefaultLeaves::of_document)
            .map_err(|e| invalid("/default", format!("the defaults cannot be written as JSON: {e}")))?;
        Ok(SettingsSchema {
            source: schema.clone(),
            validator,
            defaults,
            fields,
            index,
            keys,
            limits,
            plan,
            default_leaves,
        })
    }

    /// The schema as given.
    ///
    /// ```
    /// let schema = tenantry::settings::SettingsSchema::new(&serde_json::json!({"type": "object"}))?;
    /// assert_eq!(schema.source()["type"], "object");
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn source(&self) -> &Value {
        &self.source
    }

    /// The limits stored documents are held to.
    ///
    /// ```
    /// let schema = tenantry::settings::SettingsSchema::new(&serde_json::json!({"type": "object"}))?;
    /// assert_eq!(schema.limits().max_bytes, 10240);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The full default document (computed once at compile time).
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {"security": {"type": "object", "properties": {
    ///         "mfa_required": {"type": "boolean", "default": false}
    ///     }}}
    /// }))?;
    /// assert_eq!(schema.defaults(), &json!({"security": {"mfa_required": false}}));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn defaults(&self) -> &Value {
        &self.defaults
    }

    /// The shape of the default document, for [`SettingsSchema::resolve_leaves`], as JSON text:
    /// the document and every non-empty object in it as an array of `[key, shape]` pairs in
    /// order, and every other position (a leaf) as `0`. A document has this shape when its objects at those
    /// positions have exactly those keys in that order; its leaves are then its values at the
    /// `0` positions, in order.
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {"a": {"type": "integer", "default": 1}, "b": {"type": "object", "default": {}}}
    /// }))?;
    /// assert_eq!(schema.shape_json(), r#"[["a",0],["b",0]]"#);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn shape_json(&self) -> String {
        fn members(map: &serde_json::Map<String, Value>) -> Value {
            Value::Array(
                map.iter().map(|(k, v)| Value::Array(vec![Value::String(k.clone()), shape(v)])).collect(),
            )
        }
        fn shape(value: &Value) -> Value {
            match value {
                Value::Object(map) if !map.is_empty() => members(map),
                _ => Value::from(0),
            }
        }
        match &self.defaults {
            Value::Object(map) => members(map).to_string(),
            _ => "[]".to_owned(),
        }
    }

    /// The annotations of the property at a JSON Pointer, if the schema declares it.
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object", "properties": {"name": {"type": "string", "x-visibility": "public"}}
    /// }))?;
    /// assert_eq!(schema.field("/name").unwrap().visibility.as_str(), "public");
    /// assert!(schema.field("/other").is_none());
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn field(&self, pointer: &str) -> Option<&FieldInfo> {
        self.index.get(pointer).and_then(|&i| self.fields.get(i))
    }

    /// Every declared property, parents before children, in schema order.
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"type": "integer"}}}}
    /// }))?;
    /// let keys: Vec<_> = schema.fields().iter().map(|f| f.key.as_str()).collect();
    /// assert_eq!(keys, ["a", "a.b"]);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn fields(&self) -> &[FieldInfo] {
        &self.fields
    }

    /// The annotations that apply at a pointer: the declared field, or its nearest declared
    /// ancestor's (keys inside a free-form object inherit from it). `None` at the root.
    /// `path` as the library shows it: cut to the outermost `x-sensitive` setting at or above it,
    /// so that no member name inside a secret (a map of tokens keyed by token, say) is shown.
    pub(crate) fn shown_path<'p>(&self, path: &'p str) -> &'p str {
        let ends = path.match_indices('/').map(|(i, _)| i).skip(1).chain(std::iter::once(path.len()));
        for end in ends {
            let prefix = path.get(..end).unwrap_or(path);
            if self.field(prefix).is_some_and(|f| f.sensitive) {
                return prefix;
            }
        }
        path
    }

    pub(crate) fn governing(&self, ptr: &str) -> Option<&FieldInfo> {
        let mut p = ptr;
        loop {
            if let Some(f) = self.field(p) {
                return Some(f);
            }
            match p.rfind('/') {
                Some(i) if i > 0 => p = p.get(..i).unwrap_or_default(),
                _ => return None,
            }
        }
    }
}
