//! `SettingsSchema`, `mergePatch`: settings schemas, layered resolution, merge patches, views,
//! registry rows and migrations.

use napi::bindgen_prelude::*;
use serde_json::Value;
use tenantry::settings as core;

use crate::convert::{json_doc as json_arg, to_js_value};
use crate::errors::IntoJsResult;

/// A document as JS gives it: a plain object, or JSON text (see `convert::json_doc`).
type Doc = Value;

/// Options of `new SettingsSchema(...)`.
#[napi(object)]
pub struct SettingsOptions {
    /// Largest serialized size of a stored document in bytes (default 10240).
    pub max_bytes: Option<u32>,
    /// Deepest nesting of objects and arrays (default 32).
    pub max_depth: Option<u32>,
    /// Longest string in characters (default 4096).
    pub max_string_length: Option<u32>,
}

/// Options of `applyPatch` and `set`.
#[napi(object)]
pub struct PatchOptions {
    /// `public`, `member` (default), `admin` or `system`.
    pub role: Option<String>,
    /// The etag the caller read; a mismatch throws `ConcurrentUpdateError`.
    pub expected_etag: Option<String>,
}

fn role(env: &Env, name: Option<&str>, default: &str) -> Result<core::Role> {
    core::Role::parse(name.unwrap_or(default)).js(env)
}

fn bad_arg(message: &str) -> Error {
    Error::new(Status::InvalidArg, message.to_owned())
}

/// A JSON Schema (draft 2020-12) compiled once into defaults, annotations and a validator.
#[napi]
pub struct SettingsSchema {
    inner: core::SettingsSchema,
}

#[napi]
impl SettingsSchema {
    /// Compiles a schema given as an object or as JSON text.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, schema: Doc, options: Option<SettingsOptions>) -> Result<Self> {
        let source = json_arg(&env, schema)?;
        let d = core::Limits::default();
        let limits = match options {
            Some(o) => core::Limits {
                max_bytes: o.max_bytes.map_or(d.max_bytes, |n| n as usize),
                max_depth: o.max_depth.map_or(d.max_depth, |n| n as usize),
                max_string_length: o.max_string_length.map_or(d.max_string_length, |n| n as usize),
            },
            None => d,
        };
        Ok(SettingsSchema { inner: core::SettingsSchema::with_limits(&source, limits).js(&env)? })
    }

    /// The schema as given.
    #[napi(getter, catch_unwind)]
    pub fn schema(&self) -> Value {
        self.inner.source().clone()
    }

    /// `{ maxBytes, maxDepth, maxStringLength }`.
    #[napi(getter, catch_unwind)]
    pub fn limits(&self) -> SettingsOptions {
        let l = self.inner.limits();
        SettingsOptions {
            max_bytes: u32::try_from(l.max_bytes).ok(),
            max_depth: u32::try_from(l.max_depth).ok(),
            max_string_length: u32::try_from(l.max_string_length).ok(),
        }
    }

    /// The full default document.
    #[napi(catch_unwind)]
    pub fn defaults<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        to_js_value(env, self.inner.defaults())
    }

    /// Returns nothing, or throws `SettingsValidationError` with every problem in `errors`.
    #[napi(catch_unwind)]
    pub fn validate(&self, env: Env, doc: Doc) -> Result<()> {
        self.inner.validate(&json_arg(&env, doc)?).js(&env)
    }

    /// Defaults, then each `[name, overrides]` layer in order (an array of pairs, or an object
    /// whose keys are layer names in order); returns `{ value, provenance }`.
    #[napi(catch_unwind)]
    pub fn resolve<'env>(&self, env: &'env Env, layers: Value) -> Result<Unknown<'env>> {
        let mut list: Vec<(String, Value)> = Vec::new();
        let doc = json_arg;
        match layers {
            Value::Array(items) => {
                for item in items {
                    let Value::Array(pair) = item else {
                        return Err(bad_arg("each layer must be a [name, overrides] pair"));
                    };
                    let mut pair = pair.into_iter();
                    match (pair.next(), pair.next(), pair.next()) {
                        (Some(Value::String(name)), Some(v), None) => list.push((name, doc(env, v)?)),
                        _ => return Err(bad_arg("each layer must be a [name, overrides] pair")),
                    }
                }
            }
            Value::Object(map) => {
                for (name, v) in map {
                    list.push((name, doc(env, v)?));
                }
            }
            _ => return Err(bad_arg("layers must be an array of [name, overrides] pairs or an object")),
        }
        to_js_value(env, &self.inner.resolve(&list).js(env)?)
    }

    /// An RFC 7396 merge patch on one layer's overrides; returns `{ overrides, value, changes, etag }`.
    #[napi(catch_unwind)]
    pub fn apply_patch<'env>(
        &self,
        env: &'env Env,
        overrides: Doc,
        patch: Doc,
        options: Option<PatchOptions>,
    ) -> Result<Unknown<'env>> {
        let (role_name, etag) = options.map_or((None, None), |o| (o.role, o.expected_etag));
        let role = role(env, role_name.as_deref(), "member")?;
        let overrides = json_arg(env, overrides)?;
        let patch = json_arg(env, patch)?;
        to_js_value(env, &self.inner.apply_patch(&overrides, &patch, role, etag.as_deref()).js(env)?)
    }

    /// SHA-256 hex of the document's canonical JSON (key order does not matter).
    #[napi(catch_unwind)]
    pub fn etag(&self, env: Env, doc: Doc) -> Result<String> {
        Ok(core::etag(&json_arg(&env, doc)?))
    }

    /// The document as `audience` (`public`, `member` (default), `admin`) may see it.
    #[napi(catch_unwind)]
    pub fn view<'env>(&self, env: &'env Env, doc: Doc, audience: Option<String>) -> Result<Unknown<'env>> {
        let audience = role(env, audience.as_deref(), "member")?;
        to_js_value(env, &self.inner.view(&json_arg(env, doc)?, audience))
    }

    /// Registry rows `{ key, category, value, default, visibility, editable, description }`.
    #[napi(catch_unwind)]
    pub fn entries<'env>(&self, env: &'env Env, doc: Doc, audience: Option<String>) -> Result<Unknown<'env>> {
        let audience = role(env, audience.as_deref(), "admin")?;
        to_js_value(env, &self.inner.entries(&json_arg(env, doc)?, audience))
    }

    /// The value at a dotted key (the default when absent); `SettingsError` for an unknown key.
    #[napi(catch_unwind)]
    pub fn get(&self, env: Env, doc: Doc, key: String) -> Result<Value> {
        self.inner.get(&json_arg(&env, doc)?, &key).js(&env)
    }

    /// Sets one setting by dotted key (`null` removes the override), like `applyPatch`.
    #[napi(catch_unwind)]
    pub fn set<'env>(
        &self,
        env: &'env Env,
        overrides: Doc,
        key: String,
        value: Value,
        options: Option<PatchOptions>,
    ) -> Result<Unknown<'env>> {
        let (role_name, etag) = options.map_or((None, None), |o| (o.role, o.expected_etag));
        let role = role(env, role_name.as_deref(), "member")?;
        let overrides = json_arg(env, overrides)?;
        to_js_value(env, &self.inner.set(&overrides, &key, value, role, etag.as_deref()).js(env)?)
    }

    /// A stored document brought to the current schema: `{ overrides, value, dropped, reset }`.
    #[napi(catch_unwind)]
    pub fn migrate<'env>(&self, env: &'env Env, stored: Doc) -> Result<Unknown<'env>> {
        to_js_value(env, &self.inner.migrate(&json_arg(env, stored)?).js(env)?)
    }
}

/// RFC 7396: `patch` merged into `target` (a new value; the inputs are not modified).
#[napi(js_name = "mergePatch", catch_unwind)]
pub fn merge_patch(target: Value, patch: Value) -> Value {
    let mut target = target;
    core::merge_patch(&mut target, &patch);
    target
}
