//! `tenantry.settings`: settings schemas, layered resolution, merge patches, views, registry.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde_json::Value;
use tenantry::settings as core;

use crate::convert::{Text, Whole, admin_or_none, from_json, json_arg, member_or_none, str_ref};
use crate::errors::IntoPyResult;
use crate::pickles::{Pickled, from_state};

fn role(name: &str) -> PyResult<core::Role> {
    core::Role::parse(name).py()
}

/// A JSON value a result holds, given to Python as a new dict (or list) on every read: one dict
/// cached and handed out, changed by a caller, changed the result for every later read (and
/// `p.overrides` no longer matched `p.etag`). Equal when the values are.
#[derive(PartialEq)]
struct Lazy {
    value: Value,
}

impl Lazy {
    fn new(value: Value) -> Self {
        Lazy { value }
    }

    fn get<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        from_json(py, &self.value)
    }
}

/// "1 key", "3 keys": what a result's `repr` shows of a document or list. Never its contents:
/// a `repr` ends up in logs and in error trackers' captured locals, and settings hold secrets
/// (`x-sensitive` values, and member names inside them) that only `changes` and views mask.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The effective settings of a tenant (`value`) and the layer that set every leaf (`provenance`,
/// computed by the core on first access: most callers only read `value`).
#[pyclass(frozen, module = "tenantry.settings")]
pub struct Resolution {
    value: Lazy,
    /// What the provenance is computed from: the schema and the layers resolved (`None` in a
    /// resolution unpickled, whose provenance came with it).
    resolved: Option<(Py<SettingsSchema>, Layers)>,
    /// Computed by the core on first read; a new dict on every read (see [`Lazy`]).
    provenance: std::sync::OnceLock<Provenance>,
}

type Provenance = std::collections::BTreeMap<String, String>;
/// `(name, overrides)` layers, as resolved.
type Layers = Vec<(String, Value)>;

impl Resolution {
    fn provenance_map(&self) -> &Provenance {
        self.provenance.get_or_init(|| match &self.resolved {
            Some((schema, layers)) => schema.get().inner.provenance(&self.value.value, layers),
            None => Provenance::new(),
        })
    }
}

impl Pickled for Resolution {
    fn state(&self) -> PyResult<Value> {
        Ok(serde_json::json!({"value": self.value.value, "provenance": self.provenance_map()}))
    }
    fn restore(state: Value) -> PyResult<Self> {
        #[derive(serde::Deserialize)]
        struct State {
            value: Value,
            provenance: Provenance,
        }
        let State { value, provenance } = from_state(state)?;
        Ok(Resolution { value: Lazy::new(value), resolved: None, provenance: provenance.into() })
    }
}

#[pymethods]
impl Resolution {
    /// The effective document.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value.get(py)
    }

    /// `{json_pointer: layer_name}` for every leaf (`"defaults"` included).
    #[getter]
    fn provenance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (path, layer) in self.provenance_map() {
            dict.set_item(path, layer)?;
        }
        Ok(dict)
    }

    /// Equal when the values are and every leaf came from the same layer.
    fn __eq__(&self, other: &Bound<'_, Resolution>) -> bool {
        let other = other.get();
        self.value == other.value && self.provenance_map() == other.provenance_map()
    }

    fn __repr__(&self) -> String {
        format!("Resolution(value=<{}>)", count(self.value.value.as_object().map_or(0, |m| m.len()), "key"))
    }
}

/// The outcome of `apply_patch` / `set`: store `overrides` with `etag`.
#[pyclass(frozen, eq, module = "tenantry.settings")]
#[derive(PartialEq)]
pub struct PatchResult {
    overrides: Lazy,
    value: Lazy,
    changes: Lazy,
    etag: String,
}

#[pymethods]
impl PatchResult {
    /// The layer's new overrides.
    #[getter]
    fn overrides<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.overrides.get(py)
    }

    /// The new effective document.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value.get(py)
    }

    /// `[{path, before, after}]`, sensitive values masked.
    #[getter]
    fn changes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.changes.get(py)
    }

    /// The etag of the new overrides.
    #[getter]
    fn etag(&self) -> &str {
        &self.etag
    }

    fn __repr__(&self) -> String {
        let keys = self.overrides.value.as_object().map_or(0, |m| m.len());
        let changes = self.changes.value.as_array().map_or(0, Vec::len);
        format!(
            "PatchResult(overrides=<{}>, changes=<{}>, etag={:?})",
            count(keys, "key"),
            count(changes, "change"),
            self.etag
        )
    }
}

impl Pickled for PatchResult {
    fn state(&self) -> PyResult<Value> {
        Ok(serde_json::json!({
            "overrides": self.overrides.value,
            "value": self.value.value,
            "changes": self.changes.value,
            "etag": self.etag,
        }))
    }
    fn restore(state: Value) -> PyResult<Self> {
        #[derive(serde::Deserialize)]
        struct State {
            overrides: Value,
            value: Value,
            changes: Value,
            etag: String,
        }
        let State { overrides, value, changes, etag } = from_state(state)?;
        Ok(PatchResult {
            overrides: Lazy::new(overrides),
            value: Lazy::new(value),
            changes: Lazy::new(changes),
            etag,
        })
    }
}

impl PatchResult {
    fn from_core(r: core::PatchResult) -> PyResult<Self> {
        let changes = serde_json::to_value(&r.changes)
            .map_err(|e| PyTypeError::new_err(format!("cannot convert changes: {e}")))?;
        Ok(PatchResult {
            overrides: Lazy::new(r.overrides),
            value: Lazy::new(r.value),
            changes: Lazy::new(changes),
            etag: r.etag,
        })
    }
}

/// A stored document brought to the current schema: `overrides`, `value`, `dropped`, `reset`.
#[pyclass(frozen, eq, module = "tenantry.settings")]
#[derive(PartialEq)]
pub struct Migration {
    overrides: Lazy,
    value: Lazy,
    dropped: Vec<String>,
    reset: Lazy,
}

#[pymethods]
impl Migration {
    /// The cleaned overrides to store.
    #[getter]
    fn overrides<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.overrides.get(py)
    }

    /// The effective document.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value.get(py)
    }

    /// JSON Pointers of keys the schema does not define, dropped.
    #[getter]
    fn dropped(&self) -> Vec<String> {
        self.dropped.clone()
    }

    /// `[{path, code, message}]` of invalid overrides removed (the default applies again).
    #[getter]
    fn reset<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.reset.get(py)
    }

    fn __repr__(&self) -> String {
        let reset = self.reset.value.as_array().map_or(0, Vec::len);
        format!(
            "Migration(dropped=<{}>, reset=<{}>)",
            count(self.dropped.len(), "path"),
            count(reset, "issue")
        )
    }
}

impl Pickled for Migration {
    fn state(&self) -> PyResult<Value> {
        Ok(serde_json::json!({
            "overrides": self.overrides.value,
            "value": self.value.value,
            "dropped": self.dropped,
            "reset": self.reset.value,
        }))
    }
    fn restore(state: Value) -> PyResult<Self> {
        #[derive(serde::Deserialize)]
        struct State {
            overrides: Value,
            value: Value,
            dropped: Vec<String>,
            reset: Value,
        }
        let State { overrides, value, dropped, reset } = from_state(state)?;
        Ok(Migration {
            overrides: Lazy::new(overrides),
            value: Lazy::new(value),
            dropped,
            reset: Lazy::new(reset),
        })
    }
}

/// A JSON Schema (draft 2020-12) compiled once into defaults, annotations and a validator.
#[pyclass(frozen, module = "tenantry.settings")]
pub struct SettingsSchema {
    inner: core::SettingsSchema,
}

impl SettingsSchema {
    /// The compiled core schema (for audit records masked by it).
    pub(crate) fn core(&self) -> &core::SettingsSchema {
        &self.inner
    }
}

#[pymethods]
impl SettingsSchema {
    #[new]
    #[pyo3(signature = (schema, *, max_bytes = None, max_depth = None, max_string_length = None))]
    fn new(
        schema: &Bound<'_, PyAny>,
        max_bytes: Option<Whole>,
        max_depth: Option<Whole>,
        max_string_length: Option<Whole>,
    ) -> PyResult<Self> {
        let source = json_arg(schema)?;
        let d = core::Limits::default();
        let limits = core::Limits {
            max_bytes: max_bytes.map_or(d.max_bytes, |n| n.size()),
            max_depth: max_depth.map_or(d.max_depth, |n| n.size()),
            max_string_length: max_string_length.map_or(d.max_string_length, |n| n.size()),
        };
        // Compiled with the GIL released (0.4 ms for 60 settings): a service that compiles
        // schemas as it runs (one per tenant) does not stall its other threads meanwhile.
        let inner = schema.py().detach(|| core::SettingsSchema::with_limits(&source, limits)).py()?;
        Ok(SettingsSchema { inner })
    }

    /// The schema as given (a new dict each call).
    #[getter]
    fn schema<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        from_json(py, self.inner.source())
    }

    /// `{"max_bytes": ..., "max_depth": ..., "max_string_length": ...}`.
    #[getter]
    fn limits<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let l = self.inner.limits();
        let d = PyDict::new(py);
        d.set_item("max_bytes", l.max_bytes)?;
        d.set_item("max_depth", l.max_depth)?;
        d.set_item("max_string_length", l.max_string_length)?;
        Ok(d)
    }

    /// The full default document (a new dict each call).
    fn defaults<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        from_json(py, self.inner.defaults())
    }

    /// Returns None, or raises `SettingsValidationError` with every problem in `.errors`.
    fn validate(&self, doc: &Bound<'_, PyAny>) -> PyResult<()> {
        self.inner.validate(&json_arg(doc)?).py()
    }

    /// Defaults, then each `(name, overrides)` layer in order (a list of pairs or a dict).
    fn resolve(slf: &Bound<'_, Self>, layers: &Bound<'_, PyAny>) -> PyResult<Resolution> {
        let mut list: Vec<(String, Value)> = Vec::new();
        if let Some(dict) = crate::convert::as_dict(layers)? {
            for member in crate::convert::dict_items(&dict) {
                let (name, doc) = member?;
                list.push((layer_name(&name)?, json_arg(&doc)?));
            }
        } else if let Some(items) = crate::convert::sequence_items(layers)? {
            for item in items {
                let pair = item
                    .cast::<PyTuple>()
                    .ok()
                    .filter(|t| t.len() == 2)
                    .map(|t| t.as_any().clone())
                    .or_else(|| {
                        item.cast::<PyList>().ok().filter(|l| l.len() == 2).map(|l| l.as_any().clone())
                    })
                    .ok_or_else(|| PyTypeError::new_err("each layer must be a (name, overrides) pair"))?;
                list.push((layer_name(&pair.get_item(0)?)?, json_arg(&pair.get_item(1)?)?));
            }
        } else {
            return Err(PyTypeError::new_err(format!(
                "layers must be a list of (name, overrides) pairs or a dict, not {}",
                layers.get_type().name()?
            )));
        }
        let value = slf.get().inner.resolve_value(&list).py()?;
        Ok(Resolution {
            value: Lazy::new(value),
            resolved: Some((slf.clone().unbind(), list)),
            provenance: std::sync::OnceLock::new(),
        })
    }

    /// An RFC 7396 merge patch on one layer's overrides, checked for `role`, limits and validity.
    #[pyo3(signature = (overrides, patch, *, role = "member", expected_etag = None))]
    fn apply_patch(
        &self,
        overrides: &Bound<'_, PyAny>,
        patch: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = member_or_none)] role: &str,
        expected_etag: Option<Text<'_>>,
    ) -> PyResult<PatchResult> {
        let role = self::role(role)?;
        let r = self
            .inner
            .apply_patch(&json_arg(overrides)?, &json_arg(patch)?, role, expected_etag.as_deref())
            .py()?;
        PatchResult::from_core(r)
    }

    /// SHA-256 hex of the document's canonical JSON (key order does not matter).
    fn etag(&self, doc: &Bound<'_, PyAny>) -> PyResult<String> {
        Ok(core::etag(&json_arg(doc)?))
    }

    /// The document as `audience` (`public`, `member`, `admin`) may see it.
    #[pyo3(signature = (doc, audience = "member"))]
    fn view<'py>(
        &self,
        py: Python<'py>,
        doc: &Bound<'py, PyAny>,
        #[pyo3(from_py_with = member_or_none)] audience: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let audience = role(audience)?;
        from_json(py, &self.inner.view(&json_arg(doc)?, audience).py()?)
    }

    /// Registry rows `{key, category, value, default, visibility, editable, description}`.
    #[pyo3(signature = (doc, audience = "admin"))]
    fn entries<'py>(
        &self,
        py: Python<'py>,
        doc: &Bound<'py, PyAny>,
        #[pyo3(from_py_with = admin_or_none)] audience: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let audience = role(audience)?;
        let rows = serde_json::to_value(self.inner.entries(&json_arg(doc)?, audience).py()?)
            .map_err(|e| PyTypeError::new_err(format!("cannot convert entries: {e}")))?;
        from_json(py, &rows)
    }

    /// The value at a dotted key (default when absent); `SettingsError` for an unknown key.
    fn get<'py>(
        &self,
        py: Python<'py>,
        doc: &Bound<'py, PyAny>,
        key: Text<'_>,
    ) -> PyResult<Bound<'py, PyAny>> {
        from_json(py, &self.inner.get(&json_arg(doc)?, &key).py()?)
    }

    /// Sets one setting by dotted key (`None` removes the override), like `apply_patch`.
    #[pyo3(signature = (overrides, key, value, *, role = "member", expected_etag = None))]
    fn set(
        &self,
        overrides: &Bound<'_, PyAny>,
        key: Text<'_>,
        value: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = member_or_none)] role: &str,
        expected_etag: Option<Text<'_>>,
    ) -> PyResult<PatchResult> {
        let role = self::role(role)?;
        let value = crate::convert::to_json(value, 0)?;
        PatchResult::from_core(
            self.inner.set(&json_arg(overrides)?, &key, value, role, expected_etag.as_deref()).py()?,
        )
    }

    /// A stored document brought to the current schema (unknown keys dropped, invalid values reset).
    fn migrate(&self, stored: &Bound<'_, PyAny>) -> PyResult<Migration> {
        let m = self.inner.migrate(&json_arg(stored)?).py()?;
        let reset = serde_json::to_value(&m.reset)
            .map_err(|e| PyTypeError::new_err(format!("cannot convert migration: {e}")))?;
        Ok(Migration {
            overrides: Lazy::new(m.overrides),
            value: Lazy::new(m.value),
            dropped: m.dropped,
            reset: Lazy::new(reset),
        })
    }

    fn __repr__(&self) -> String {
        format!("SettingsSchema(<{} fields>)", self.inner.fields().len())
    }
}

fn layer_name(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let name = obj.cast::<PyString>().map_err(|_| PyTypeError::new_err("a layer name must be a str"))?;
    str_ref(name).map(str::to_owned)
}

/// RFC 7396: `patch` merged into `target` (a new value; the inputs are not modified).
#[pyfunction]
pub fn merge_patch<'py>(
    py: Python<'py>,
    target: &Bound<'py, PyAny>,
    patch: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    // Any JSON value is a valid target or patch, so a `str` here is a JSON string, not JSON text.
    let mut target = crate::convert::to_json(target, 0)?;
    core::merge_patch(&mut target, &crate::convert::to_json(patch, 0)?);
    from_json(py, &target)
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<SettingsSchema>()?;
    m.add_class::<Resolution>()?;
    m.add_class::<PatchResult>()?;
    m.add_class::<Migration>()?;
    m.add_function(wrap_pyfunction!(merge_patch, m)?)?;
    Ok(())
}
