//! `SettingsSchema`, `mergePatch`: settings schemas, layered resolution, merge patches, views,
//! registry rows and migrations.

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::sys;
use serde_json::Value;
use tenantry::settings as core;

use crate::convert::{
    Js, RawCallback, json_doc as json_arg, new_handle, raw_call, raw_functions, to_js_value, type_error,
};
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
    inner: Arc<core::SettingsSchema>,
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
        let inner = core::SettingsSchema::with_limits(&source, limits).js(&env)?;
        Ok(SettingsSchema { inner: Arc::new(inner) })
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

    /// The handle `js/settings.js` passes to the `resolve` hot path (made once per object).
    #[napi(js_name = "_handle", catch_unwind)]
    pub fn handle<'a>(&self, env: Env) -> Result<Unknown<'a>> {
        new_handle(&env, Arc::clone(&self.inner), &SETTINGS_TAG)
    }

    /// Defaults, then each `[name, overrides]` layer in order (an array of pairs, or an object
    /// whose keys are layer names in order); returns `{ value, provenance }`. (`js/settings.js`
    /// replaces this method with the hot path below; it stays as the reference shape.)
    #[napi(catch_unwind)]
    pub fn resolve<'env>(&self, env: &'env Env, layers: Value) -> Result<Unknown<'env>> {
        let list = layer_list(env, layers)?;
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

/// The `[name, overrides]` layers of `resolve`, from an array of pairs or an object whose keys are
/// layer names in order; a string overrides value is JSON text.
fn layer_list(env: &Env, layers: Value) -> Result<Vec<(String, Value)>> {
    let mut list: Vec<(String, Value)> = Vec::new();
    match layers {
        Value::Array(items) => {
            list.reserve(items.len());
            for item in items {
                let Value::Array(pair) = item else {
                    return Err(bad_arg("each layer must be a [name, overrides] pair"));
                };
                let mut pair = pair.into_iter();
                match (pair.next(), pair.next(), pair.next()) {
                    (Some(Value::String(name)), Some(v), None) => list.push((name, json_arg(env, v)?)),
                    _ => return Err(bad_arg("each layer must be a [name, overrides] pair")),
                }
            }
        }
        Value::Object(map) => {
            for (name, v) in map {
                list.push((name, json_arg(env, v)?));
            }
        }
        _ => return Err(bad_arg("layers must be an array of [name, overrides] pairs or an object")),
    }
    Ok(list)
}

// ---- the resolve hot path ----------------------------------------------------------------------
//
// Through the `#[napi]` method above, resolve spent most of its time at the boundary: napi-rs's
// serde conversion of the layers node by node, and the result (value and provenance) built as JS
// objects. `js/settings.js` instead passes the layers as ONE `JSON.stringify` text to a raw N-API
// callback, gets the effective document back as JSON text (one `JSON.parse` in JS), and computes
// the provenance only when `.provenance` is read, from the same texts. The core decides all of it.

static SETTINGS_TAG: sys::napi_type_tag =
    sys::napi_type_tag { lower: 0x7465_6e61_6e74_7279, upper: 0x7365_7474_696e_0001 };

/// The schema behind a handle and the layers from their JSON text.
fn hot_args<'a>(
    env: &Env,
    handle: Js<'a>,
    layers: Js<'_>,
) -> Result<(&'a core::SettingsSchema, Vec<(String, Value)>)> {
    // SAFETY: only `SettingsSchema::handle` makes handles tagged SETTINGS_TAG.
    let schema = unsafe { handle.handle::<core::SettingsSchema>(&SETTINGS_TAG, "SettingsSchema") }?;
    let Some(text) = layers.try_string()? else {
        return Err(type_error(format!(
            "layers must be an array of [name, overrides] pairs or an object, not {}",
            layers.type_name()
        )));
    };
    let layers: Value =
        serde_json::from_str(&text).map_err(|e| bad_arg(&format!("layers are not JSON data: {e}")))?;
    Ok((schema, layer_list(env, layers)?))
}

/// A JSON value as JSON text in a JS string.
fn json_text<T: serde::Serialize + ?Sized>(env: &Env, value: &T) -> Result<sys::napi_value> {
    let text = serde_json::to_string(value).map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    unsafe { ToNapiValue::to_napi_value(env.raw(), text) }
}

/// `(handle, layersText)`: the effective document as JSON text.
fn resolve_hot(env: &Env, args: &[Js<'_>; 2]) -> Result<sys::napi_value> {
    let [handle, layers] = *args;
    let (schema, list) = hot_args(env, handle, layers)?;
    json_text(env, &schema.resolve_value(&list).js(env)?)
}

/// `(handle, layersText, valueText)`: the provenance of a document `resolve_hot` returned for the
/// same layers, as JSON text.
fn provenance_hot(env: &Env, args: &[Js<'_>; 3]) -> Result<sys::napi_value> {
    let [handle, layers, value] = *args;
    let (schema, list) = hot_args(env, handle, layers)?;
    let value: Value = serde_json::from_str(&value.string()?)
        .map_err(|e| Error::new(Status::GenericFailure, format!("resolved value is not JSON: {e}")))?;
    json_text(env, &schema.provenance(&value, &list))
}

unsafe extern "C" fn resolve_callback(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    raw_call(env, info, resolve_hot)
}

unsafe extern "C" fn provenance_callback(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    raw_call(env, info, provenance_hot)
}

/// The hot paths for `js/settings.js`: `{ resolve, provenance }`.
#[napi(js_name = "_settingsHotPaths", catch_unwind)]
pub fn settings_hot_paths<'a>(env: Env) -> Result<Object<'a>> {
    let fns: [(&str, RawCallback); 2] = [("resolve", resolve_callback), ("provenance", provenance_callback)];
    raw_functions(&env, &fns)
}
