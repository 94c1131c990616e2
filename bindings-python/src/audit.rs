//! `tenantry.audit`: audit records (build, seal, verify, export). Translation only.

use std::sync::{Mutex, PoisonError};

use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde_json::Value;
use tenantry::SecretBytes;
use tenantry::audit as core;
use tenantry::json_tree::Tree;

use crate::convert::{
    Held, Note, Origins, OwnedText, Payload, Text, UnixMillis, Whole, exact_int, from_json,
    from_json_reusing, json_arg, other_sequence_items, sequence_items, str_ref, to_json, to_tree, tree_arg,
    tree_arg_noting, type_name,
};
use crate::errors::{IntoPyResult, to_py};
use crate::pickles::{Pickled, from_state, to_state};

/// An HMAC key for sealing records: an id (stored with each seal) and at least 16 secret bytes.
#[pyclass(frozen, module = "tenantry.audit")]
pub struct SealKey {
    inner: core::SealKey,
    /// The id as a plain `str` (the caller's own object when it is one, immutable): what sealed
    /// records hold.
    id: Py<PyString>,
}

#[pymethods]
impl SealKey {
    #[new]
    fn new(py: Python<'_>, id: &Bound<'_, PyString>, secret: Payload<'_>) -> PyResult<Self> {
        let secret = SecretBytes::new(secret.as_bytes().to_vec());
        let inner = core::SealKey::new(str_ref(id)?, secret).py()?;
        let id = given_or_new(py, Some(id), inner.id()).cast_into::<PyString>()?.unbind();
        Ok(SealKey { inner, id })
    }

    /// The key id stored as `seal_key_id`.
    #[getter]
    fn id<'py>(&self, py: Python<'py>) -> &Bound<'py, PyString> {
        self.id.bind(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("SealKey({}, ***)", PyString::new(py, self.inner.id()).repr()?))
    }
}

/// The result of `verify_chain`: `ok`, or the `index` and `reason` of the first break.
#[pyclass(frozen, eq, module = "tenantry.audit")]
#[derive(PartialEq)]
pub struct ChainReport {
    report: core::ChainReport,
}

#[pymethods]
impl ChainReport {
    /// True when every record verified.
    #[getter]
    fn ok(&self) -> bool {
        self.report.ok
    }

    /// Index of the first bad record, or None.
    #[getter]
    fn index(&self) -> Option<usize> {
        self.report.index
    }

    /// Why it is bad (`edited`, `deleted`, `inserted`, `reordered`, `wrong_key`, `unsealed`,
    /// `malformed`), or None.
    #[getter]
    fn reason(&self) -> Option<&'static str> {
        self.report.reason.map(core::BreakReason::as_str)
    }

    /// The hash of the last record when ok (store it; pass it as `anchor` next time).
    #[getter]
    fn head(&self) -> Option<&str> {
        self.report.head.as_deref()
    }

    fn __bool__(&self) -> bool {
        self.report.ok
    }

    fn __repr__(&self) -> String {
        match (self.report.index, self.report.reason) {
            (Some(i), Some(r)) => format!("ChainReport(ok=False, index={i}, reason='{}')", r.as_str()),
            _ => "ChainReport(ok=True)".to_owned(),
        }
    }
}

impl Pickled for ChainReport {
    fn state(&self) -> PyResult<Value> {
        to_state(&self.report)
    }
    fn restore(state: Value) -> PyResult<Self> {
        Ok(ChainReport { report: from_state(state)? })
    }
}

/// A structured argument (actor, target): a mapping, or JSON text; anything else is a TypeError.
fn object_arg<'a>(obj: &'a Bound<'_, PyAny>, name: &str) -> PyResult<Tree<'a>> {
    if obj.is_instance_of::<PyDict>()
        || obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<pyo3::types::PyMapping>()
    {
        return tree_arg(obj);
    }
    Err(PyTypeError::new_err(format!("{name} must be a dict or JSON text, not {}", obj.get_type().name()?)))
}

/// `retention_days`: absent is the default period, `None` is no expiry.
enum Retention {
    Default,
    Days(Option<i64>),
}

impl<'py> FromPyObject<'_, 'py> for Retention {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_none() {
            Ok(Retention::Days(None))
        } else {
            Ok(Retention::Days(Some(obj.extract::<Whole>()?.0)))
        }
    }
}

/// Defines a function taking the keyword-only fields of a record (after its own leading
/// parameters), collected into a `BuildArgs` named by `$args`: `build` and `build_sealed` share
/// this one list, and pyo3 reads it from the vectorcall arguments (no keyword dict is made).
macro_rules! record_fields_function {
    (
        $(#[$attr:meta])*
        fn $name:ident<$py_lt:lifetime>($py:ident $(, $lead:ident: $lead_ty:ty)*) [$($lead_sig:tt)*]
            -> $ret:ty { |$args:ident| $body:expr }
    ) => {
        #[pyfunction]
        $(#[$attr])*
        #[pyo3(signature = (
            $($lead_sig)* *, actor, action, tenant_id = None, severity = None, outcome = None,
            reason = None, target = None, before = None, after = None, changes = None,
            sensitive_paths = None, schema = None, request_id = None, metadata = None,
            occurred_at = None, retention_days = Retention::Default, id = None,
            max_metadata_bytes = None
        ))]
        #[allow(clippy::too_many_arguments)]
        fn $name<$py_lt>(
            $py: Python<$py_lt>,
            $($lead: $lead_ty,)*
            actor: &Bound<$py_lt, PyAny>,
            action: &Bound<$py_lt, PyString>,
            tenant_id: Option<&Bound<$py_lt, PyString>>,
            severity: Option<Text<'_>>,
            outcome: Option<Text<'_>>,
            reason: Option<Text<'_>>,
            target: Option<&Bound<$py_lt, PyAny>>,
            before: Option<&Bound<$py_lt, PyAny>>,
            after: Option<&Bound<$py_lt, PyAny>>,
            changes: Option<&Bound<$py_lt, PyAny>>,
            sensitive_paths: Option<Vec<OwnedText>>,
            schema: Option<&Bound<$py_lt, PyAny>>,
            request_id: Option<&Bound<$py_lt, PyString>>,
            metadata: Option<&Bound<$py_lt, PyAny>>,
            occurred_at: Option<UnixMillis>,
            retention_days: Retention,
            id: Option<Text<'_>>,
            max_metadata_bytes: Option<Whole>,
        ) -> $ret {
            let $args = BuildArgs {
                actor, action, tenant_id, severity, outcome, reason, target, before, after, changes,
                sensitive_paths, schema, request_id, metadata, occurred_at, retention_days, id,
                max_metadata_bytes,
            };
            $body
        }
    };
}

/// The keyword arguments of `build` and `build_sealed`, as pyo3 extracted them.
struct BuildArgs<'a, 'py> {
    actor: &'a Bound<'py, PyAny>,
    action: &'a Bound<'py, PyString>,
    tenant_id: Option<&'a Bound<'py, PyString>>,
    severity: Option<Text<'a>>,
    outcome: Option<Text<'a>>,
    reason: Option<Text<'a>>,
    target: Option<&'a Bound<'py, PyAny>>,
    before: Option<&'a Bound<'py, PyAny>>,
    after: Option<&'a Bound<'py, PyAny>>,
    changes: Option<&'a Bound<'py, PyAny>>,
    sensitive_paths: Option<Vec<OwnedText>>,
    schema: Option<&'a Bound<'py, PyAny>>,
    request_id: Option<&'a Bound<'py, PyString>>,
    metadata: Option<&'a Bound<'py, PyAny>>,
    occurred_at: Option<UnixMillis>,
    retention_days: Retention,
    id: Option<Text<'a>>,
    max_metadata_bytes: Option<Whole>,
}

impl<'py> BuildArgs<'_, 'py> {
    /// Builds the record these arguments describe (documents borrowed from the arguments, not
    /// copied) and makes its dict, sealed after `seal.0` when `seal` is given.
    fn into_py(
        self,
        py: Python<'py>,
        seal: Option<(Option<&Bound<'py, PyString>>, Option<&SealKey>)>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let given = Given {
            action: self.action,
            tenant_id: self.tenant_id,
            request_id: self.request_id,
            previous_hash: seal.and_then(|(previous_hash, _)| previous_hash),
            key_id: seal.and_then(|(_, key)| key).map(|k| k.id.bind(py)),
        };
        let mut origins = Origins::new();
        self.build_then(&mut origins, |record, origins| {
            let sealed = match seal {
                Some((previous_hash, key)) => {
                    let previous_hash = previous_hash.map(str_ref).transpose()?;
                    Some(record.seal_fields(previous_hash, key.map(|k| &k.inner)).py()?)
                }
                None => None,
            };
            record_to_py(py, &record, sealed.as_ref(), given, origins)
        })
    }

    /// Builds the record and hands it, its changes still borrowed, to `then`, with `origins`
    /// holding the `str` objects the documents' string values came from (which keeps them valid
    /// while `changes`, `schema` and `metadata`, read after `before` and `after`, run Python code).
    fn build_then<R>(
        self,
        origins: &mut Origins<'py>,
        then: impl FnOnce(core::AuditRecord<core::Changes<'_>>, &mut Origins<'py>) -> PyResult<R>,
    ) -> PyResult<R> {
        let actor = core::Actor::from_tree(&object_arg(self.actor, "actor")?).py()?;
        let retention_days = match self.retention_days {
            Retention::Default => Some(i64::from(core::DEFAULT_RETENTION_DAYS)),
            Retention::Days(days) => days,
        };
        let mut b = core::AuditRecord::builder(str_ref(self.action)?, actor)
            .outcome(core::Outcome::parse(self.outcome.as_deref().unwrap_or("success")).py()?)
            .retention_days(retention_days);
        if let Some(max) = &self.max_metadata_bytes {
            b = b.max_metadata_bytes(tenantry::limits::size_from_i64(max.0, "max_metadata_bytes").py()?);
        }
        if let Some(t) = self.tenant_id {
            b = b.tenant_id(str_ref(t)?);
        }
        if let Some(s) = self.severity {
            b = b.severity(core::Severity::parse(&s).py()?);
        }
        if let Some(r) = self.reason {
            b = b.reason(r.0);
        }
        if let Some(t) = given(self.target) {
            b = b.target(core::Target::from_tree(&object_arg(t, "target")?).py()?);
        }
        if let Some(v) = given(self.before) {
            b = b.before_tree(tree_arg_noting(v, origins)?);
        }
        if let Some(v) = given(self.after) {
            b = b.after_tree(tree_arg_noting(v, origins)?);
        }
        if let Some(v) = given(self.changes) {
            b = b.changes(core::Change::list_from_json(&changes_arg(v)?).py()?);
        }
        let mut masking = core::Masking::new();
        if let Some(paths) = self.sensitive_paths {
            masking = masking.with_paths(paths).py()?;
        }
        if let Some(s) = given(self.schema) {
            // A compiled settings schema masks what its own document marks x-sensitive.
            masking = match s.cast::<crate::settings::SettingsSchema>() {
                Ok(compiled) => masking.with_settings(compiled.get().core()),
                Err(_) => masking.with_schema(&json_arg(s)?),
            }
            .py()?;
        }
        b = b.masking(masking);
        if let Some(r) = self.request_id {
            b = b.request_id(str_ref(r)?);
        }
        if let Some(m) = given(self.metadata) {
            b = b.metadata(json_arg(m)?);
        }
        if let Some(i) = self.id {
            b = b.id(i.0);
        }
        let now = self.occurred_at.map_or_else(core::unix_now_millis, |t| t.0);
        b.build_then(now, |record| then(record, origins)).py()?
    }
}

/// `changes`: a sequence of changes (any `collections.abc.Sequence`, as the stubs say), or JSON
/// text of an array; anything else is refused by the core.
fn changes_arg(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    match other_sequence_items(obj)? {
        // Depth counts from the sequence, as a list's items' does.
        Some(items) => items.iter().map(|item| to_json(item, 1)).collect::<PyResult<_>>().map(Value::Array),
        None => json_arg(obj),
    }
}

/// A given, non-`None` argument (pyo3 passes a `None` for an `Option<&Bound>` as `Some(None)`).
fn given<'a, 'py>(value: Option<&'a Bound<'py, PyAny>>) -> Option<&'a Bound<'py, PyAny>> {
    value.filter(|v| !v.is_none())
}

record_fields_function! {
    /// Builds a validated audit record (a dict).
    #[pyo3(name = "build")]
    fn build<'py>(py) [] -> PyResult<Bound<'py, PyDict>> {
        |args| args.into_py(py, None)
    }
}

record_fields_function! {
    /// Builds a record and seals it after `previous_hash` in one step: `seal(build(**fields),
    /// previous_hash, key)` without reading the record back from its dict.
    #[pyo3(name = "build_sealed")]
    fn build_sealed<'py>(py, previous_hash: Option<&Bound<'py, PyString>>, key: Option<PyRef<'py, SealKey>>)
        [previous_hash, key = None,] -> PyResult<Bound<'py, PyDict>> {
        |args| args.into_py(py, Some((previous_hash, key.as_deref())))
    }
}

fn opt_str<'py>(py: Python<'py>, value: Option<&str>) -> Bound<'py, PyAny> {
    match value {
        Some(s) => PyString::new(py, s).into_any(),
        None => py.None().into_bound(py),
    }
}

/// The caller's own `str` object when the record holds its text unchanged (no new object), else
/// a new one. Only an exact `str` is reused: a subclass (a `str`-valued `enum.Enum`, whose `str()`
/// is `'Plan.PRO'`) is the caller's own type, which a record (plain JSON data, as `metadata` and
/// every record read back hold) should not carry.
fn given_or_new<'py>(
    py: Python<'py>,
    given: Option<&Bound<'py, PyString>>,
    value: &str,
) -> Bound<'py, PyAny> {
    match given {
        Some(s) if s.is_exact_instance_of::<PyString>() && str_ref(s).is_ok_and(|text| text == value) => {
            s.clone().into_any()
        }
        _ => PyString::new(py, value).into_any(),
    }
}

/// An empty dict with these keys (all `None`), copied for every record: a copy of a dict with
/// the right keys is cheaper than inserting them one by one into a new dict that grows twice.
struct Shape(PyOnceLock<Py<PyDict>>, &'static [&'static str]);

impl Shape {
    const fn new(keys: &'static [&'static str]) -> Self {
        Shape(PyOnceLock::new(), keys)
    }

    fn instance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let template = self.0.get_or_try_init(py, || {
            let d = PyDict::new(py);
            for key in self.1 {
                d.set_item(PyString::intern(py, key), py.None())?;
            }
            Ok::<_, PyErr>(d.unbind())
        })?;
        template.bind(py).copy()
    }
}

/// The members of a record (as `AuditRecord::to_json` orders them), then those `seal` adds.
macro_rules! record_keys {
    ($($seal:literal),*) => {
        &[
            "id", "occurred_at", "tenant_id", "actor", "action", "severity", "outcome", "reason",
            "target", "changes", "request_id", "metadata", "expires_at", $($seal),*
        ]
    };
}
static RECORD: Shape = Shape::new(record_keys!());
static SEALED: Shape = Shape::new(record_keys!("prev_hash", "hash"));
static SEALED_WITH_KEY: Shape = Shape::new(record_keys!("prev_hash", "seal_key_id", "seal", "hash"));
static ACTOR: Shape = Shape::new(&["type", "id", "email", "role", "ip", "user_agent"]);

/// Change paths as `str` objects, kept between calls: the same documents change the same members
/// again and again, and a `str` is immutable, so handing out one object for a path again is
/// invisible (but to `is`) and saves making and freeing one per change. Bounded: paths of at most
/// [`PathStrings::MAX_BYTES`] bytes, at most [`PathStrings::MAX_PATHS`] of them; a full cache is
/// emptied rather than kept in any order.
///
/// The lock is only ever taken with the GIL held, and released before anything that could run
/// Python code or release the GIL, so it is never contended.
struct PathStrings(Mutex<FxHashMap<Box<str>, Py<PyString>>>);

impl PathStrings {
    const MAX_BYTES: usize = 64;
    const MAX_PATHS: usize = 1024;

    const fn new() -> Self {
        PathStrings(Mutex::new(FxHashMap::with_hasher(FxBuildHasher)))
    }

    /// The `str` of each path, in order: the cached one, or a new one (cached when short enough).
    fn of<'a, 'py>(
        &self,
        py: Python<'py>,
        paths: impl ExactSizeIterator<Item = &'a str>,
    ) -> Vec<Bound<'py, PyString>> {
        let mut out = Vec::with_capacity(paths.len());
        let mut cache = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        for path in paths {
            if let Some(s) = cache.get(path) {
                out.push(s.bind(py).clone());
                continue;
            }
            let s = PyString::new(py, path);
            if path.len() <= Self::MAX_BYTES {
                if cache.len() >= Self::MAX_PATHS {
                    cache.clear();
                }
                cache.insert(path.into(), s.clone().unbind());
            }
            out.push(s);
        }
        out
    }
}

static PATHS: PathStrings = PathStrings::new();

/// The caller's `str` objects for members a record may hold unchanged (reused, not copied).
struct Given<'a, 'py> {
    action: &'a Bound<'py, PyString>,
    tenant_id: Option<&'a Bound<'py, PyString>>,
    request_id: Option<&'a Bound<'py, PyString>>,
    previous_hash: Option<&'a Bound<'py, PyString>>,
    key_id: Option<&'a Bound<'py, PyString>>,
}

/// The record as a dict, member for member (same members and order as `AuditRecord::to_json`),
/// with the seal members after them when it was sealed. `given` holds the caller's own objects
/// for members whose text the record may hold unchanged.
fn record_to_py<'py>(
    py: Python<'py>,
    r: &core::AuditRecord<core::Changes<'_>>,
    sealed: Option<&core::SealFields>,
    given: Given<'_, 'py>,
    origins: &mut Origins<'py>,
) -> PyResult<Bound<'py, PyDict>> {
    // A changed value is the caller's own `str` object when it came from one (masked ones are
    // one shared "***").
    let mut reuse = |text: &str| match text {
        core::MASK => Some(intern!(py, core::MASK).clone()),
        _ => origins.find(text),
    };
    let actor = ACTOR.instance(py)?;
    let actor_type = match r.actor.actor_type {
        core::ActorType::User => intern!(py, "user"),
        core::ActorType::ApiKey => intern!(py, "api_key"),
        core::ActorType::Service => intern!(py, "service"),
        core::ActorType::System => intern!(py, "system"),
    };
    actor.set_item(intern!(py, "type"), actor_type)?;
    actor.set_item(intern!(py, "id"), &r.actor.id)?;
    for (name, value) in [
        (intern!(py, "email"), &r.actor.email),
        (intern!(py, "role"), &r.actor.role),
        (intern!(py, "ip"), &r.actor.ip),
        (intern!(py, "user_agent"), &r.actor.user_agent),
    ] {
        if let Some(v) = value {
            actor.set_item(name, v)?;
        }
    }
    // Sized up front: collecting `PyResult`s would grow the vector three times.
    let paths = PATHS.of(py, r.changes.iter().map(|c| c.path));
    let mut changes = Vec::with_capacity(r.changes.len());
    for (c, path) in r.changes.iter().zip(paths) {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "path"), path)?;
        if let Some(v) = c.before {
            d.set_item(intern!(py, "before"), from_json_reusing(py, v, &mut reuse)?)?;
        }
        if let Some(v) = c.after {
            d.set_item(intern!(py, "after"), from_json_reusing(py, v, &mut reuse)?)?;
        }
        changes.push(d);
    }
    let d = match sealed {
        None => RECORD.instance(py)?,
        Some(s) if s.seal.is_some() => SEALED_WITH_KEY.instance(py)?,
        Some(_) => SEALED.instance(py)?,
    };
    d.set_item(intern!(py, "id"), &r.id)?;
    d.set_item(intern!(py, "occurred_at"), &r.occurred_at)?;
    if let Some(t) = &r.tenant_id {
        d.set_item(intern!(py, "tenant_id"), given_or_new(py, given.tenant_id, t))?;
    }
    d.set_item(intern!(py, "actor"), actor)?;
    d.set_item(intern!(py, "action"), given_or_new(py, Some(given.action), &r.action))?;
    let severity = match r.severity {
        core::Severity::Info => intern!(py, "info"),
        core::Severity::Warning => intern!(py, "warning"),
        core::Severity::Error => intern!(py, "error"),
        core::Severity::Critical => intern!(py, "critical"),
    };
    d.set_item(intern!(py, "severity"), severity)?;
    let outcome = match r.outcome {
        core::Outcome::Success => intern!(py, "success"),
        core::Outcome::Failure => intern!(py, "failure"),
    };
    d.set_item(intern!(py, "outcome"), outcome)?;
    if let Some(reason) = &r.reason {
        d.set_item(intern!(py, "reason"), reason)?;
    }
    if let Some(t) = &r.target {
        let target = PyDict::new(py);
        target.set_item(intern!(py, "type"), &t.target_type)?;
        target.set_item(intern!(py, "id"), &t.id)?;
        target.set_item(intern!(py, "name"), opt_str(py, t.name.as_deref()))?;
        d.set_item(intern!(py, "target"), target)?;
    }
    d.set_item(intern!(py, "changes"), PyList::new(py, changes)?)?;
    if let Some(rid) = &r.request_id {
        d.set_item(intern!(py, "request_id"), given_or_new(py, given.request_id, rid))?;
    }
    let metadata = PyDict::new(py);
    for (k, v) in &r.metadata {
        metadata.set_item(k, from_json(py, v)?)?;
    }
    d.set_item(intern!(py, "metadata"), metadata)?;
    if let Some(e) = &r.expires_at {
        d.set_item(intern!(py, "expires_at"), e)?;
    }
    if let Some(s) = sealed {
        d.set_item(intern!(py, "prev_hash"), given_or_new(py, given.previous_hash, &s.prev_hash))?;
        if let (Some(id), Some(seal)) = (&s.seal_key_id, &s.seal) {
            d.set_item(intern!(py, "seal_key_id"), given_or_new(py, given.key_id, id))?;
            d.set_item(intern!(py, "seal"), seal)?;
        }
        d.set_item(intern!(py, "hash"), &s.hash)?;
    }
    Ok(d)
}

/// The record with `prev_hash`, `hash` (and `seal_key_id`, `seal` when a key is given).
#[pyfunction]
#[pyo3(name = "seal", signature = (record, previous_hash, key = None))]
fn seal<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    previous_hash: Option<Text<'_>>,
    key: Option<PyRef<'py, SealKey>>,
) -> PyResult<Bound<'py, PyAny>> {
    let key = key.as_deref().map(|k| &k.inner);
    if let Ok(dict) = record.cast::<PyDict>() {
        // Hash the dict's JSON form (as a tree: no `Value` maps to build); return a shallow copy
        // with the new members (no reconversion).
        let fields =
            core::seal_fields_tree(&to_tree(record.as_borrowed(), 0)?, previous_hash.as_deref(), key).py()?;
        let out = dict.copy()?;
        for (name, value) in fields.members() {
            out.set_item(name, value)?;
        }
        return Ok(out.into_any());
    }
    let sealed = core::seal(&json_arg(record)?, previous_hash.as_deref(), key).py()?;
    from_json(py, &sealed)
}

/// Records from a sequence of dicts (a list, a tuple, any `collections.abc.Sequence`) or JSON
/// text of an array. Their depth counts from the sequence, as [`record_trees`]' does (see
/// `tenantry::json_tree::MAX_DEPTH`).
fn records_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Value>> {
    if let Ok(list) = obj.cast::<PyList>() {
        return list.iter().map(|item| to_json(&item, 1)).collect();
    }
    if let Some(items) = sequence_items(obj)? {
        return items.iter().map(|item| to_json(item, 1)).collect();
    }
    match json_arg(text_of_records(obj)?)? {
        Value::Array(items) => Ok(items),
        _ => Err(to_py(core::records_not_an_array())),
    }
}

/// Records that are not a sequence: JSON text (`str` or `bytes`), or a TypeError (a dict, a
/// number, `None`), as for any argument of the wrong type (and as Node refuses them).
fn text_of_records<'a, 'py>(obj: &'a Bound<'py, PyAny>) -> PyResult<&'a Bound<'py, PyAny>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Ok(obj);
    }
    Err(PyTypeError::new_err(format!(
        "records must be a list of records (or JSON text of one), not {}",
        obj.get_type().name()?
    )))
}

/// Records as borrowed trees, for verification: a list or tuple of dicts, or JSON text of an array
/// (or records read as [`records_arg`] reads them from any other sequence, whose items are made
/// by its own code: copied, as `tree_arg` copies what Python code reads).
fn record_trees<'a, 'py>(
    obj: &'a Bound<'py, PyAny>,
    held: &mut impl Note<'a, 'py>,
) -> PyResult<Vec<Tree<'a>>> {
    if let Some(items) = other_sequence_items(obj)? {
        return items.iter().map(|item| to_json(item, 1).map(Tree::from)).collect();
    }
    let records = if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        obj
    } else {
        text_of_records(obj)?
    };
    match tree_arg_noting(records, held)? {
        Tree::Array(items) => Ok(items),
        _ => Err(to_py(core::records_not_an_array())),
    }
}

/// How many records make a chain long enough to verify with the GIL released. Holding its strings
/// adds some 15% to the work; below this (about a millisecond of it) other threads wait less than
/// that costs, so the GIL is kept and nothing held.
const LONG_CHAIN: usize = 256;

/// Verifies a chain of sealed records, oldest first.
#[pyfunction]
#[pyo3(name = "verify_chain", signature = (records, key = None, *, anchor = None))]
fn verify_chain(
    records: &Bound<'_, PyAny>,
    key: Option<&Bound<'_, PyAny>>,
    anchor: Option<Text<'_>>,
) -> PyResult<ChainReport> {
    // The keys first: reading them may run Python code (a list subclass's `__iter__`), which
    // could free the strings the record trees borrow (see `tree_arg`).
    let keys: Vec<core::SealKey> = match key.filter(|k| !k.is_none()) {
        None => Vec::new(),
        Some(k) => {
            if let Ok(one) = k.cast::<SealKey>() {
                vec![one.get().inner.clone()]
            } else if let Some(items) = sequence_items(k)? {
                let mut keys = Vec::with_capacity(items.len());
                for item in items {
                    let one = item
                        .cast::<SealKey>()
                        .map_err(|_| PyTypeError::new_err("key must be a SealKey or a list of SealKey"))?;
                    keys.push(one.get().inner.clone());
                }
                keys
            } else {
                return Err(PyTypeError::new_err(format!(
                    "key must be a SealKey or a list of SealKey, not {}",
                    k.get_type().name()?
                )));
            }
        }
    };
    // A long chain is verified with the GIL released (10,000 records take some 50 ms, which
    // every other thread of a threaded server waited out): its strings are held first, so that
    // no other thread can free them meanwhile. A short one is read as it is, holding nothing.
    let long = records.len().is_ok_and(|n| n >= LONG_CHAIN) || records.is_instance_of::<PyString>();
    let report = if long {
        let mut held = Held::new();
        let trees = record_trees(records, &mut held)?;
        let anchor = anchor.as_deref();
        records.py().detach(|| core::verify_chain_trees(&trees, &keys, anchor))
    } else {
        core::verify_chain_trees(&record_trees(records, &mut ())?, &keys, anchor.as_deref())
    };
    Ok(ChainReport { report: report.py()? })
}

/// RFC 8785 canonical JSON of a value (a `str` is a JSON string; `bytes` are JSON text).
#[pyfunction]
#[pyo3(name = "canonical_json")]
fn canonical_json(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if value.is_instance_of::<PyBytes>() {
        return Ok(tenantry::canonical_json::to_string(&json_arg(value)?));
    }
    Ok(tenantry::canonical_json::tree_to_string(&to_tree(value.as_borrowed(), 0)?))
}

/// Records as CSV (RFC 4180, fixed header, formula-injection guarded).
#[pyfunction]
#[pyo3(name = "to_csv")]
fn to_csv(records: &Bound<'_, PyAny>) -> PyResult<String> {
    // Read into owned values first, then written with the GIL released (other threads run on).
    let values = records_arg(records)?;
    records.py().detach(|| core::to_csv(&values)).py()
}

/// Records as JSON Lines (canonical JSON, one per line).
#[pyfunction]
#[pyo3(name = "to_jsonl")]
fn to_jsonl(records: &Bound<'_, PyAny>) -> PyResult<String> {
    let values = records_arg(records)?;
    records.py().detach(|| core::to_jsonl(&values)).py()
}

/// One record as an OCSF 1.x event (a dict).
#[pyfunction]
#[pyo3(name = "to_ocsf")]
fn to_ocsf<'py>(py: Python<'py>, record: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    from_json(py, &core::to_ocsf(&json_arg(record)?).py()?)
}

/// Counts by action, severity, outcome, actor and day.
#[pyfunction]
#[pyo3(name = "summarize")]
fn summarize<'py>(py: Python<'py>, records: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let values = records_arg(records)?;
    let summary = py.detach(|| core::summarize(&values)).py()?;
    from_json(py, &serde_json::to_value(summary).unwrap_or(Value::Null))
}

/// The cutoff timestamp for deleting records older than `days` (default 90).
#[pyfunction]
#[pyo3(name = "retention_cutoff", signature = (now, days = 90))]
fn retention_cutoff(now: UnixMillis, #[pyo3(from_py_with = retention_days)] days: i64) -> PyResult<String> {
    core::retention_cutoff(now.0, days).py()
}

// The signature shows the default as a literal (see `convert::text_or_default`).
const _: () = assert!(core::DEFAULT_RETENTION_DAYS == 90);

/// The `days` of `retention_cutoff`: `None` is refused, not read as the default (the one
/// exception to that rule): it is what `retention_days` takes to keep records forever, so
/// `retention_cutoff(now, tenant.retention_days)` would otherwise delete a tenant's kept-forever
/// records after 90 days (Node refuses `null` the same way).
fn retention_days(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    exact_int(&obj.as_borrowed(), "integer does not fit in 64 bits").unwrap_or_else(|| {
        Err(PyTypeError::new_err(format!("{}, not {}", core::RETENTION_DAYS_TYPE, type_name(obj))))
    })
}

/// The action catalogue: action → default severity.
#[pyfunction]
#[pyo3(name = "actions")]
fn actions(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    for (action, severity) in core::actions::CATALOGUE {
        dict.set_item(*action, severity.as_str())?;
    }
    Ok(dict)
}

/// Registers this module's classes, and its functions as `audit_<name>` (the `tenantry.audit`
/// package re-exports them under their own names, which error messages and `__name__` use).
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<SealKey>()?;
    m.add_class::<ChainReport>()?;
    for function in [
        wrap_pyfunction!(build, m)?,
        wrap_pyfunction!(build_sealed, m)?,
        wrap_pyfunction!(seal, m)?,
        wrap_pyfunction!(verify_chain, m)?,
        wrap_pyfunction!(canonical_json, m)?,
        wrap_pyfunction!(to_csv, m)?,
        wrap_pyfunction!(to_jsonl, m)?,
        wrap_pyfunction!(to_ocsf, m)?,
        wrap_pyfunction!(summarize, m)?,
        wrap_pyfunction!(retention_cutoff, m)?,
        wrap_pyfunction!(actions, m)?,
    ] {
        let name: String = function.getattr(pyo3::intern!(m.py(), "__name__"))?.extract()?;
        m.add(format!("audit_{name}"), function)?;
    }
    Ok(())
}
