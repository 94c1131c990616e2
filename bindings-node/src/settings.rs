//! `SettingsSchema`, `mergePatch`: settings schemas, layered resolution, merge patches, views,
//! registry rows and migrations.

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::sys;
use serde_json::Value;
use tenantry::settings as core;

use crate::convert::{
    Js, RawCallback, Text, TextOr, js_text, json_doc, json_text_arg, json_text_from_js, new_handle,
    raw_callback, raw_functions, to_js_value, type_error, whole,
};
use crate::errors::IntoJsResult;

/// A document as JS gives it: JSON text, or JSON data (see [`doc`]).
type Doc<'a> = TextOr<Unknown<'a>>;

/// A document argument: JSON text when a string; any other value as `JSON.stringify` sends it,
/// as the layers of `resolve` are read (`undefined` members dropped, `toJSON` honoured, so a
/// `Date` is its ISO string; BigInt and cycles a `TypeError`). A `String` object, which stringifies
/// to a string, is JSON text too, as a layer is. Documents to write have been checked by
/// `js/settings.js` first: what `JSON.stringify` would change or drop there is a `TypeError`.
fn doc(env: &Env, doc: Doc<'_>) -> Result<Value> {
    match doc {
        TextOr::Text(text) => doc_text(env, &text, false),
        TextOr::Value(data) => doc_text(env, &json_text_from_js(env, data)?, true),
    }
}

/// A document as JSON text: `data` when the text is `JSON.stringify` of the caller's value (read
/// as [`doc`] describes), else the caller's own JSON text. The methods `js/settings.js` calls
/// get the text from JS (it stringifies a value there, which spares a call back into JS from
/// here); [`doc`] stringifies here.
fn doc_text(env: &Env, text: &str, data: bool) -> Result<Value> {
    if data { json_doc(env, parse_data(text)?) } else { json_text_arg(env, text) }
}

/// JSON text that `JSON.stringify` wrote: text that does not parse back (a lone surrogate,
/// nesting beyond the parser's limit) was not JSON data, a `TypeError`. (`js/json-data.js`
/// refuses both first, with the core's errors; this holds for a value that reaches here unchecked.)
fn parse_data(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        bad_arg(&format!("not JSON data: {}", tenantry::json_text::describe(text.as_bytes(), &e)))
    })
}

/// A result as JSON text, which `js/settings.js` parses.
fn text_of<T: serde::Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::new(Status::GenericFailure, e.to_string()))
}

/// A JSON value as `JSON.stringify` sends it (a string is a string): what does not parse back (a
/// lone surrogate, nesting beyond the parser's limit) is not JSON data, a `TypeError` as in
/// `resolve`.
fn json_data(env: &Env, value: Unknown<'_>) -> Result<Value> {
    parse_data(&json_text_from_js(env, value)?)
}

/// Options of `new SettingsSchema(...)`.
#[napi(object)]
pub struct SettingsOptions {
    /// Largest serialized size of a stored document in bytes (default 10240).
    pub max_bytes: Option<f64>,
    /// Deepest nesting of objects and arrays (default 32).
    pub max_depth: Option<f64>,
    /// Longest string in characters (default 4096).
    pub max_string_length: Option<f64>,
}

/// A limit of [`SettingsOptions`]: a whole number (see [`whole`]); the core refuses 0, and so
/// a negative one here (napi-rs's `u32` had read -1 as 4294967295: no limit at all).
fn limit(env: &Env, value: Option<f64>, default: usize, name: &str) -> Result<usize> {
    value.map_or(Ok(default), |v| Ok(usize::try_from(whole(env, v, name)?).unwrap_or(0)))
}

/// Options of `applyPatch` and `set`.
#[napi(object)]
pub struct PatchOptions {
    /// `public`, `member` (default), `admin` or `system`.
    pub role: Option<Text>,
    /// The etag the caller read; a mismatch throws `ConcurrentUpdateError`.
    pub expected_etag: Option<Text>,
}

/// The role named, or `default` when none is.
fn role(env: &Env, name: Option<&str>, default: core::Role) -> Result<core::Role> {
    name.map_or(Ok(default), |name| core::Role::parse(name).js(env))
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
        let source = doc(&env, schema)?;
        let d = core::Limits::default();
        let limits = match options {
            Some(o) => core::Limits {
                max_bytes: limit(&env, o.max_bytes, d.max_bytes, "maxBytes")?,
                max_depth: limit(&env, o.max_depth, d.max_depth, "maxDepth")?,
                max_string_length: limit(&env, o.max_string_length, d.max_string_length, "maxStringLength")?,
            },
            None => d,
        };
        let inner = core::SettingsSchema::with_limits(&source, limits).js(&env)?;
        Ok(SettingsSchema { inner: Arc::new(inner) })
    }

    /// The schema as given. (Numbers come back as JS numbers, as from every other call: through
    /// napi-rs's value conversion an integer past 2^53 was a BigInt.)
    #[napi(getter, catch_unwind)]
    pub fn schema<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        to_js_value(env, self.inner.source())
    }

    /// `{ maxBytes, maxDepth, maxStringLength }`.
    #[napi(getter, catch_unwind)]
    pub fn limits(&self) -> SettingsOptions {
        let l = self.inner.limits();
        SettingsOptions {
            max_bytes: Some(l.max_bytes as f64),
            max_depth: Some(l.max_depth as f64),
            max_string_length: Some(l.max_string_length as f64),
        }
    }

    /// The full default document.
    #[napi(catch_unwind)]
    pub fn defaults<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        to_js_value(env, self.inner.defaults())
    }

    /// Returns nothing, or throws `SettingsValidationError` with every problem in `errors`.
    /// (`doc` is JSON text, `data` as in [`doc_text`]: `js/settings.js` calls this.)
    #[napi(catch_unwind)]
    pub fn validate(&self, env: Env, doc: Text, data: bool) -> Result<()> {
        self.inner.validate(&doc_text(&env, &doc, data)?).js(&env)
    }

    /// The handle `js/settings.js` passes to the `resolve` hot path (made once per object).
    #[napi(js_name = "_handle", catch_unwind)]
    pub fn handle<'a>(&self, env: Env) -> Result<Unknown<'a>> {
        new_handle(&env, Arc::clone(&self.inner), &SETTINGS_TAG)
    }

    /// The default document's shape for `js/settings.js` (see `SettingsSchema::shape_json`).
    #[napi(js_name = "_shape", catch_unwind)]
    pub fn shape(&self) -> String {
        self.inner.shape_json()
    }

    /// Defaults, then each `[name, overrides]` layer in order (an array of pairs, or an object
    /// whose keys are layer names in order); returns `{ value, provenance }`. (`js/settings.js`
    /// replaces this method with the hot path below; it stays as the reference shape.)
    #[napi(catch_unwind)]
    pub fn resolve<'env>(&self, env: &'env Env, layers: Value) -> Result<Unknown<'env>> {
        let list = layer_list(env, layers)?;
        to_js_value(env, &self.inner.resolve(&list).js(env)?)
    }

    /// An RFC 7396 merge patch on one layer's overrides; returns `{ overrides, value, changes,
    /// etag }` as JSON text. (`overrides` and `patch` as in [`doc_text`], `data` bit 0 for
    /// `overrides` and bit 1 for `patch`: `js/settings.js` calls this and parses the answer.)
    #[napi(catch_unwind)]
    pub fn apply_patch(
        &self,
        env: Env,
        overrides: Text,
        patch: Text,
        data: u32,
        options: Option<PatchOptions>,
    ) -> Result<String> {
        let (role_name, etag) = options.map_or((None, None), |o| (o.role, o.expected_etag));
        let role = role(&env, role_name.as_deref(), core::Role::DEFAULT)?;
        let overrides = doc_text(&env, &overrides, data & 1 != 0)?;
        let patch = doc_text(&env, &patch, data & 2 != 0)?;
        text_of(&self.inner.apply_patch(&overrides, &patch, role, etag.as_deref()).js(&env)?)
    }

    /// SHA-256 hex of the document's canonical JSON (key order does not matter).
    /// (`doc` as in [`doc_text`]: `js/settings.js` calls this.)
    #[napi(catch_unwind)]
    pub fn etag(&self, env: Env, doc: Text, data: bool) -> Result<String> {
        Ok(core::etag(&doc_text(&env, &doc, data)?))
    }

    /// The document as `audience` (`public`, `member` (default), `admin`) may see it, as JSON
    /// text. (`doc` as in [`doc_text`]: `js/settings.js` calls this and parses the answer.)
    #[napi(catch_unwind)]
    pub fn view(&self, env: Env, doc: Text, data: bool, audience: Option<Text>) -> Result<String> {
        let audience = role(&env, audience.as_deref(), core::Role::DEFAULT)?;
        text_of(&self.inner.view(&doc_text(&env, &doc, data)?, audience).js(&env)?)
    }

    /// Registry rows `{ key, category, value, default, visibility, editable, description }`, as
    /// JSON text. (`doc` as in [`doc_text`]: `js/settings.js` calls this and parses the answer.)
    #[napi(catch_unwind)]
    pub fn entries(&self, env: Env, doc: Text, data: bool, audience: Option<Text>) -> Result<String> {
        let audience = role(&env, audience.as_deref(), core::Role::DEFAULT_ENTRIES_AUDIENCE)?;
        text_of(&self.inner.entries(&doc_text(&env, &doc, data)?, audience).js(&env)?)
    }

    /// The value at a dotted key (the default when absent); `SettingsError` for an unknown key.
    /// (`doc` as in [`doc_text`]: `js/settings.js` calls this.)
    #[napi(catch_unwind)]
    pub fn get<'env>(&self, env: &'env Env, doc: Text, data: bool, key: Text) -> Result<Unknown<'env>> {
        to_js_value(env, &self.inner.get(&doc_text(env, &doc, data)?, &key).js(env)?)
    }

    /// Sets one setting by dotted key (`null` removes the override), like `applyPatch`; the
    /// answer as JSON text. (`overrides` as in [`doc_text`]; `value` is `JSON.stringify` of the
    /// caller's value: `js/settings.js` calls this and parses the answer.)
    #[napi(catch_unwind)]
    pub fn set(
        &self,
        env: Env,
        overrides: Text,
        data: bool,
        key: Text,
        value: String,
        options: Option<PatchOptions>,
    ) -> Result<String> {
        let (role_name, etag) = options.map_or((None, None), |o| (o.role, o.expected_etag));
        let role = role(&env, role_name.as_deref(), core::Role::DEFAULT)?;
        let overrides = doc_text(&env, &overrides, data)?;
        let value = parse_data(&value)?;
        text_of(&self.inner.set(&overrides, &key, value, role, etag.as_deref()).js(&env)?)
    }

    /// A stored document brought to the current schema: `{ overrides, value, dropped, reset }`,
    /// as JSON text. (`stored` as in [`doc_text`]: `js/settings.js` calls this and parses the
    /// answer.)
    #[napi(catch_unwind)]
    pub fn migrate(&self, env: Env, stored: Text, data: bool) -> Result<String> {
        text_of(&self.inner.migrate(&doc_text(&env, &stored, data)?).js(&env)?)
    }
}

/// RFC 7396: `patch` merged into `target` (a new value; the inputs are not modified).
#[napi(js_name = "mergePatch", catch_unwind)]
pub fn merge_patch<'env>(env: &'env Env, target: Unknown<'_>, patch: Unknown<'_>) -> Result<Unknown<'env>> {
    // JSON values, not documents: a string is a string.
    let mut target = json_data(env, target)?;
    core::merge_patch(&mut target, &json_data(env, patch)?);
    to_js_value(env, &target)
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
                    (Some(Value::String(name)), Some(v), None) => list.push((name, json_doc(env, v)?)),
                    _ => return Err(bad_arg("each layer must be a [name, overrides] pair")),
                }
            }
        }
        Value::Object(map) => {
            for (name, v) in map {
                list.push((name, json_doc(env, v)?));
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
// objects. `js/settings.js` instead passes each layer as JSON text (the caller's own text, or one
// `JSON.stringify` of an object layer) with its name as separate arguments of a raw N-API
// callback. The core writes the effective document straight from the defaults and the layers,
// as the leaves of the default document's shape when it has that shape (`resolve_leaves`: a
// short JSON array that `js/settings.js` turns into the document with one object literal made
// per schema, several times faster than `JSON.parse` of the whole text) or else as the whole
// JSON text. The provenance is computed only when `.provenance` is read, from the same texts.
// The core decides all of it.
//
// The pair arguments mean exactly what `JSON.stringify(layers)` handed to `layer_list` would:
// names and text layers are held to `Text` here, as `js/settings.js` holds them before either
// path (a lone surrogate is `input.invalid`), and an object layer's own `JSON.stringify` text is
// the text it has inside the whole array's. Only the whole text's nesting budget differs (two levels more): an object layer that
// does not parse within it makes `resolve` answer `undefined`, and `js/settings.js` takes the
// whole-text path, whose error (a `TypeError`) is then the same as ever.

static SETTINGS_TAG: sys::napi_type_tag =
    sys::napi_type_tag { lower: 0x7465_6e61_6e74_7279, upper: 0x7365_7474_696e_0001 };

/// Layers passed as `[name, text]` argument pairs (more go through the whole-text path).
const PAIRS: usize = 8;

/// `handle, count, objectMask` and `PAIRS` pairs of `name, text`.
const PAIR_ARGS: usize = 3 + 2 * PAIRS;

/// Container nesting serde_json parses (its recursion limit), less the two levels of the whole
/// text's `[[name, layer]]`.
const WHOLE_TEXT_DEPTH: usize = 127 - 2;

/// The schema behind a handle.
pub(crate) fn schema_of<'a>(handle: Js<'a>) -> Result<&'a core::SettingsSchema> {
    // SAFETY: only `SettingsSchema::handle` makes handles tagged SETTINGS_TAG.
    unsafe { handle.handle::<core::SettingsSchema>(&SETTINGS_TAG, "SettingsSchema") }
}

/// The schema behind a handle and the layers from the whole `JSON.stringify(layers)` text.
fn whole_text_args<'a>(
    env: &Env,
    handle: Js<'a>,
    layers: Js<'_>,
) -> Result<(&'a core::SettingsSchema, Vec<(String, Value)>)> {
    let schema = schema_of(handle)?;
    let Some(text) = layers.try_string()? else {
        return Err(type_error(format!(
            "layers must be an array of [name, overrides] pairs or an object, not {}",
            layers.type_name()
        )));
    };
    let layers: Value = serde_json::from_str(&text).map_err(|e| {
        bad_arg(&format!("layers are not JSON data: {}", tenantry::json_text::describe(text.as_bytes(), &e)))
    })?;
    Ok((schema, layer_list(env, layers)?))
}

/// Whether a value nests containers deeper than `depth` levels.
fn deeper_than(value: &Value, depth: usize) -> bool {
    match value {
        Value::Array(_) | Value::Object(_) if depth == 0 => true,
        Value::Array(items) => items.iter().any(|v| deeper_than(v, depth - 1)),
        Value::Object(map) => map.values().any(|v| deeper_than(v, depth - 1)),
        _ => false,
    }
}

/// The layers from `count, objectMask, name, text, ...` arguments, or `None` when an object
/// layer's text needs the whole-text path (see above). Object layers are read first, as the
/// whole text is parsed before any text layer.
fn pair_layers(env: &Env, args: &[Js<'_>]) -> Result<Option<Vec<(String, Value)>>> {
    let [count, mask, pairs @ ..] = args else { return Err(bad_arg("missing layer arguments")) };
    let count = count.number()? as usize;
    let mask = mask.number()? as u32;
    if count > PAIRS || pairs.len() < 2 * count {
        return Err(bad_arg("too many layer arguments"));
    }
    let mut objects: [Option<Value>; PAIRS] = Default::default();
    for (i, (slot, pair)) in objects.iter_mut().zip(pairs.chunks_exact(2)).take(count).enumerate() {
        if mask >> i & 1 == 0 {
            continue;
        }
        let [_, text] = pair else { return Ok(None) };
        match text.with_str(|t| serde_json::from_str::<Value>(t))? {
            Ok(v) if !deeper_than(&v, WHOLE_TEXT_DEPTH) => *slot = Some(v),
            _ => return Ok(None),
        }
    }
    let mut list = Vec::with_capacity(count);
    for (object, pair) in objects.into_iter().zip(pairs.chunks_exact(2)).take(count) {
        let [name, text] = pair else { return Ok(None) };
        let value = match object {
            // As in `layer_list`: a string value (an object layer that was a `String` object) is text.
            Some(Value::String(inner)) => json_text_arg(env, &inner)?,
            Some(other) => other,
            // The caller's own text, held to `Text` as the name is.
            None => text.with_str(|t| text.ensure_well_formed(t).and_then(|()| json_text_arg(env, t)))??,
        };
        list.push((name.text()?, value));
    }
    Ok(Some(list))
}

/// A JSON value as JSON text in a JS string.
fn json_text<T: serde::Serialize + ?Sized>(env: &Env, value: &T) -> Result<sys::napi_value> {
    js_string(env, text_of(value)?)
}

fn js_string(env: &Env, text: String) -> Result<sys::napi_value> {
    js_text(env, &text)
}

fn undefined(env: &Env) -> Result<sys::napi_value> {
    unsafe { ToNapiValue::to_napi_value(env.raw(), ()) }
}

/// `(handle, count, objectMask, name, text, ...)`: the effective document as JSON text, or
/// `undefined` to ask for the whole-text path.
fn resolve_pairs(env: &Env, args: &[Js<'_>; PAIR_ARGS]) -> Result<sys::napi_value> {
    let [handle, rest @ ..] = args;
    let schema = schema_of(*handle)?;
    match pair_layers(env, rest)? {
        Some(list) => js_string(env, schema.resolve_leaves(&list).js(env)?),
        None => undefined(env),
    }
}

/// `(handle, count, objectMask, name, text, ...)`: the provenance of the document `resolve_pairs`
/// returned for the same arguments, as JSON text.
fn provenance_pairs(env: &Env, args: &[Js<'_>; PAIR_ARGS]) -> Result<sys::napi_value> {
    let [handle, rest @ ..] = args;
    let schema = schema_of(*handle)?;
    let list = pair_layers(env, rest)?.ok_or_else(|| {
        Error::new(Status::GenericFailure, "layers changed since they were resolved".to_owned())
    })?;
    let value = schema.resolve_value(&list).js(env)?;
    json_text(env, &schema.provenance(&value, &list))
}

/// `(handle, layersText)`: the effective document as JSON text.
fn resolve_whole(env: &Env, args: &[Js<'_>; 2]) -> Result<sys::napi_value> {
    let [handle, layers] = *args;
    let (schema, list) = whole_text_args(env, handle, layers)?;
    js_string(env, schema.resolve_leaves(&list).js(env)?)
}

/// `(handle, layersText)`: the provenance of the document `resolve_whole` returned for the same
/// text, as JSON text.
fn provenance_whole(env: &Env, args: &[Js<'_>; 2]) -> Result<sys::napi_value> {
    let [handle, layers] = *args;
    let (schema, list) = whole_text_args(env, handle, layers)?;
    let value = schema.resolve_value(&list).js(env)?;
    json_text(env, &schema.provenance(&value, &list))
}

raw_callback!(resolve_pairs_callback => resolve_pairs);
raw_callback!(provenance_pairs_callback => provenance_pairs);
raw_callback!(resolve_whole_callback => resolve_whole);
raw_callback!(provenance_whole_callback => provenance_whole);

/// The hot paths for `js/settings.js`: `{ pairs, resolve, provenance, resolveText, provenanceText }`.
#[napi(js_name = "_settingsHotPaths", catch_unwind)]
pub fn settings_hot_paths<'a>(env: Env) -> Result<Object<'a>> {
    let fns: [(&str, RawCallback); 4] = [
        ("resolve", resolve_pairs_callback),
        ("provenance", provenance_pairs_callback),
        ("resolveText", resolve_whole_callback),
        ("provenanceText", provenance_whole_callback),
    ];
    let mut obj = raw_functions(&env, &fns)?;
    obj.set_named_property("pairs", PAIRS as u32)?;
    Ok(obj)
}
