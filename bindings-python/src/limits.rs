//! `tenantry.limits`: plan catalogs, entitlement checks, usage periods, threshold crossing and
//! GCRA rate limits. Arguments are converted here; every decision is made in the core crate.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde_json::Value;
use tenantry::limits as core;
use tenantry::{Error, ErrorCode};

use crate::convert::{
    Real, Text, UnixMillis, UnixTime, default_or_none, duration, from_json, json_arg, str_ref,
};
use crate::errors::{IntoPyResult, to_py};
use crate::pickles::{Pickled, from_state, to_state};

fn now_secs(now: Option<UnixTime>) -> i64 {
    now.map_or_else(tenantry::webhooks::unix_now, |t| t.0)
}

fn now_ms(now: Option<UnixMillis>) -> i64 {
    now.map_or_else(core::unix_now_ms, |t| t.0)
}

/// The arguments `check` and `enforce` share: usage counts (requested defaults to 1), the decision
/// time (default now) and the stored start of an overage.
fn usage_args(
    used: &Bound<'_, PyAny>,
    requested: Option<&Bound<'_, PyAny>>,
    now: Option<UnixTime>,
    over_limit_since: Option<UnixTime>,
) -> PyResult<(i64, i64, i64, Option<i64>)> {
    let used = count(used, "used")?;
    let requested = opt_count(requested, "requested")?.unwrap_or(1);
    Ok((used, requested, now_secs(now), over_limit_since.map(|t| t.0)))
}

/// A usage count or cost: a Python `int` (not `bool`, not `float`); beyond 64 bits is a typed
/// `limits.invalid_usage` error rather than `OverflowError`.
fn count(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<i64> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!("{what} must be an int, not {}", obj.get_type().name()?)));
    }
    obj.extract::<i64>().map_err(|_| {
        to_py(Error::new(ErrorCode::LimitsInvalidUsage, format!("{what} does not fit in 64 bits")))
    })
}

fn opt_count(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<i64>> {
    match obj {
        Some(o) if !o.is_none() => count(o, what).map(Some),
        _ => Ok(None),
    }
}

// ---- catalog and entitlements -----------------------------------------------------------------

/// Every plan a product sells, compiled once (immutable, shareable between threads).
#[pyclass(frozen, module = "tenantry.limits")]
pub struct PlanCatalog {
    inner: core::PlanCatalog,
}

#[pymethods]
impl PlanCatalog {
    #[new]
    fn new(plans: &Bound<'_, PyAny>) -> PyResult<Self> {
        let doc = json_arg(plans)?;
        Ok(PlanCatalog { inner: core::PlanCatalog::from_value(&doc).py()? })
    }

    /// The plan names, in catalog order.
    #[getter]
    fn plans(&self) -> Vec<String> {
        self.inner.plan_names().into_iter().map(str::to_owned).collect()
    }

    /// A tenant's effective entitlements: `plan` with `overrides` (`{"limits": …, "features": …}`)
    /// applied; `trial_ends_at` enables `trial_status`.
    #[pyo3(signature = (plan, overrides = None, trial_ends_at = None))]
    fn entitlements(
        &self,
        plan: Text<'_>,
        overrides: Option<&Bound<'_, PyAny>>,
        trial_ends_at: Option<UnixTime>,
    ) -> PyResult<Entitlements> {
        let overrides = match overrides {
            Some(o) if !o.is_none() => Some(json_arg(o)?),
            _ => None,
        };
        let inner = self.inner.entitlements(&plan, overrides.as_ref(), trial_ends_at.map(|t| t.0)).py()?;
        Ok(Entitlements { inner })
    }

    /// When a trial of `plan` started at `started_at` ends (Unix seconds), or None.
    fn trial_ends_at(&self, plan: Text<'_>, started_at: UnixTime) -> PyResult<Option<i64>> {
        self.inner.trial_ends_at(&plan, started_at.0).py()
    }

    fn __repr__(&self) -> String {
        format!("PlanCatalog({})", self.inner.plan_names().join(", "))
    }
}

/// One tenant's effective limits and features.
#[pyclass(frozen, module = "tenantry.limits")]
pub struct Entitlements {
    inner: core::Entitlements,
}

#[pymethods]
impl Entitlements {
    /// The plan name.
    #[getter]
    fn plan(&self) -> &str {
        self.inner.plan()
    }

    /// Feature names (plan's, then extra ones).
    #[getter]
    fn features(&self) -> Vec<String> {
        self.inner.features().into_iter().map(str::to_owned).collect()
    }

    /// When the trial ends (Unix seconds), if given.
    #[getter]
    fn trial_ends_at(&self) -> Option<i64> {
        self.inner.trial_ends_at()
    }

    /// May the tenant, having used `used`, use `requested` more of `metric`?
    #[pyo3(signature = (metric, used, requested = None, now = None, over_limit_since = None))]
    fn check(
        &self,
        metric: Text<'_>,
        used: &Bound<'_, PyAny>,
        requested: Option<&Bound<'_, PyAny>>,
        now: Option<UnixTime>,
        over_limit_since: Option<UnixTime>,
    ) -> PyResult<Decision> {
        let (used, requested, now, since) = usage_args(used, requested, now, over_limit_since)?;
        Ok(Decision { inner: self.inner.check(&metric, used, requested, now, since).py()? })
    }

    /// Like `check`, but raises `LimitExceededError` (`limits.exceeded`) when refused, with the
    /// refused decision as its `decision`.
    #[pyo3(signature = (metric, used, requested = None, now = None, over_limit_since = None))]
    fn enforce(
        &self,
        py: Python<'_>,
        metric: Text<'_>,
        used: &Bound<'_, PyAny>,
        requested: Option<&Bound<'_, PyAny>>,
        now: Option<UnixTime>,
        over_limit_since: Option<UnixTime>,
    ) -> PyResult<Decision> {
        let (used, requested, now, since) = usage_args(used, requested, now, over_limit_since)?;
        let decision = self.inner.check(&metric, used, requested, now, since).py()?;
        match decision.refusal(&metric) {
            Some(err) => Err(refused(py, err, Decision { inner: decision })?),
            None => Ok(Decision { inner: decision }),
        }
    }

    /// The effective limit of a metric (None = unlimited).
    fn limit(&self, metric: Text<'_>) -> PyResult<Option<u64>> {
        self.inner.limit(&metric).py()
    }

    /// Every metric: `{metric, limit, plan_limit, source, kind, period}`.
    fn limits<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for l in self.inner.limits() {
            let row = PyDict::new(py);
            row.set_item("metric", l.metric)?;
            row.set_item("limit", l.limit)?;
            row.set_item("plan_limit", l.plan_limit.flatten())?;
            row.set_item("source", l.source)?;
            row.set_item("kind", l.kind)?;
            row.set_item("period", l.period)?;
            out.append(row)?;
        }
        Ok(out)
    }

    /// Whether the tenant has a feature (`all` includes every feature).
    fn has_feature(&self, name: Text<'_>) -> bool {
        self.inner.has_feature(&name)
    }

    /// `{"active", "ends_at", "days_left"}` at `now` (default: the current time).
    #[pyo3(signature = (now = None))]
    fn trial_status<'py>(&self, py: Python<'py>, now: Option<UnixTime>) -> PyResult<Bound<'py, PyDict>> {
        let t = self.inner.trial_status(now_secs(now));
        let out = PyDict::new(py);
        out.set_item("active", t.active)?;
        out.set_item("ends_at", t.ends_at)?;
        out.set_item("days_left", t.days_left)?;
        Ok(out)
    }

    /// One row per metric: `{metric, count, limit, remaining, percent, status}`.
    fn usage_report<'py>(&self, py: Python<'py>, usage: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        let Some(dict) = crate::convert::as_dict(usage)? else {
            return Err(PyTypeError::new_err(format!(
                "usage must be a dict of metric -> int, not {}",
                usage.get_type().name()?
            )));
        };
        let mut pairs = Vec::with_capacity(dict.len());
        for member in crate::convert::dict_items(&dict) {
            let (k, v) = member?;
            let metric = k
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("usage keys must be metric names (str)"))?;
            let metric = str_ref(metric)?.to_owned();
            let c = count(&v, &metric)?;
            pairs.push((metric, c));
        }
        let rows = self.inner.usage_report(&pairs).py()?;
        let out = PyList::empty(py);
        for r in rows {
            let row = PyDict::new(py);
            row.set_item("metric", r.metric)?;
            row.set_item("count", r.count)?;
            row.set_item("limit", r.limit)?;
            row.set_item("remaining", r.remaining)?;
            row.set_item("percent", r.percent)?;
            row.set_item("status", r.status.as_str())?;
            out.append(row)?;
        }
        Ok(out)
    }

    fn __repr__(&self) -> String {
        format!("Entitlements(plan={:?})", self.inner.plan())
    }
}

/// The answer to "may this tenant use `requested` more units?".
#[pyclass(frozen, eq, module = "tenantry.limits")]
#[derive(PartialEq)]
pub struct Decision {
    inner: core::Decision,
}

#[pymethods]
impl Decision {
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.allowed
    }
    #[getter]
    fn status(&self) -> &'static str {
        self.inner.status.as_str()
    }
    #[getter]
    fn limit(&self) -> Option<u64> {
        self.inner.limit
    }
    #[getter]
    fn used(&self) -> u64 {
        self.inner.used
    }
    #[getter]
    fn requested(&self) -> u64 {
        self.inner.requested
    }
    #[getter]
    fn remaining(&self) -> Option<u64> {
        self.inner.remaining
    }
    #[getter]
    fn percent(&self) -> Option<f64> {
        self.inner.percent
    }
    #[getter]
    fn crossed(&self) -> Vec<f64> {
        self.inner.crossed.clone()
    }
    #[getter]
    fn grace_ends_at(&self) -> Option<i64> {
        self.inner.grace_ends_at
    }
    #[getter]
    fn over_limit_since(&self) -> Option<i64> {
        self.inner.over_limit_since
    }

    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = &self.inner;
        let out = PyDict::new(py);
        out.set_item("allowed", d.allowed)?;
        out.set_item("status", d.status.as_str())?;
        out.set_item("limit", d.limit)?;
        out.set_item("used", d.used)?;
        out.set_item("requested", d.requested)?;
        out.set_item("remaining", d.remaining)?;
        out.set_item("percent", d.percent)?;
        out.set_item("crossed", d.crossed.clone())?;
        out.set_item("grace_ends_at", d.grace_ends_at)?;
        out.set_item("over_limit_since", d.over_limit_since)?;
        Ok(out)
    }

    fn __bool__(&self) -> bool {
        self.inner.allowed
    }

    fn __repr__(&self) -> String {
        let d = &self.inner;
        format!(
            "Decision(allowed={}, status={:?}, used={}, requested={}, limit={}, crossed={:?})",
            if d.allowed { "True" } else { "False" },
            d.status.as_str(),
            d.used,
            d.requested,
            d.limit.map_or_else(|| "None".to_owned(), |l| l.to_string()),
            d.crossed
        )
    }
}

impl Pickled for Decision {
    fn state(&self) -> PyResult<Value> {
        to_state(&self.inner)
    }
    fn restore(state: Value) -> PyResult<Self> {
        Ok(Decision { inner: from_state(state)? })
    }
}

/// The thresholds passed when usage grows from `previous` to `current` against `limit`.
#[pyfunction]
#[pyo3(signature = (previous, current, limit, thresholds = None))]
fn crossed(
    previous: &Bound<'_, PyAny>,
    current: &Bound<'_, PyAny>,
    limit: Option<&Bound<'_, PyAny>>,
    thresholds: Option<Vec<Real>>,
) -> PyResult<Vec<f64>> {
    let previous = count(previous, "previous")?;
    let current = count(current, "current")?;
    let limit = opt_count(limit, "limit")?;
    // A threshold of True was 1.0 (100 %), where catalogs refuse it.
    let thresholds: Option<Vec<f64>> = thresholds.map(|t| t.into_iter().map(|Real(f)| f).collect());
    core::crossed(previous, current, limit, thresholds.as_deref()).py()
}

/// The `[start, end)` of the usage period containing `now`, as `{"start", "end"}` Unix seconds.
#[pyfunction]
#[pyo3(signature = (kind, anchor = None, now = None, tz_offset = None))]
fn period_window<'py>(
    py: Python<'py>,
    kind: Text<'_>,
    anchor: Option<UnixTime>,
    now: Option<UnixTime>,
    tz_offset: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let kind = core::PeriodKind::from_name(&kind).py()?;
    let offset = match tz_offset {
        None => 0,
        Some(o) if o.is_none() => 0,
        Some(o) => tz_offset_secs(o)?,
    };
    let w = core::period_window(kind, anchor.map(|a| a.0), now_secs(now), offset).py()?;
    let out = PyDict::new(py);
    out.set_item("start", w.start)?;
    out.set_item("end", w.end)?;
    Ok(out)
}

/// A timezone offset: `int` seconds east of UTC, or a `timedelta`.
fn tz_offset_secs(obj: &Bound<'_, PyAny>) -> PyResult<i32> {
    // A duration as every other (int, or float or timedelta of whole seconds; a fraction is
    // `input.invalid`, as in Node); the core holds it to ±18 hours.
    let secs = duration(obj, "tz_offset")?;
    // Past 32 bits, the nearest 32-bit value: out of range just the same, in the core's words.
    Ok(i32::try_from(secs).unwrap_or(if secs < 0 { i32::MIN } else { i32::MAX }))
}

/// The `LimitExceededError` of an `enforce` call, with the refused decision as its `decision`
/// (what a 429 response is built from: `retry_after`, `headers()`).
fn refused<T: pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>>(
    py: Python<'_>,
    err: Error,
    decision: T,
) -> PyResult<PyErr> {
    let err = to_py(err);
    err.value(py).setattr("decision", Py::new(py, decision)?)?;
    Ok(err)
}

// ---- rate limits --------------------------------------------------------------------------------

/// A GCRA rate limit: `limit` requests per `period` seconds, bursts up to `burst`.
#[pyclass(frozen, module = "tenantry.limits")]
pub struct RateLimit {
    inner: core::RateLimit,
}

#[pymethods]
impl RateLimit {
    #[new]
    #[pyo3(signature = (limit, period, burst = None, *, policy = "default"))]
    fn new(
        limit: &Bound<'_, PyAny>,
        period: &Bound<'_, PyAny>,
        burst: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = default_or_none)] policy: &str,
    ) -> PyResult<Self> {
        let limit = config_count(limit, "limit")?;
        let burst = match burst {
            Some(b) if !b.is_none() => Some(config_count(b, "burst")?),
            _ => None,
        };
        if period.is_instance_of::<PyBool>()
            || !(period.is_instance_of::<PyInt>() || period.is_instance_of::<PyFloat>())
        {
            return Err(PyTypeError::new_err(format!(
                "period must be seconds (int or float), not {}",
                period.get_type().name()?
            )));
        }
        let secs: f64 = period
            .extract()
            .map_err(|_| to_py(Error::new(ErrorCode::LimitsInvalidConfig, "period is out of range")))?;
        Ok(RateLimit { inner: core::RateLimit::from_secs_f64_with_policy(limit, secs, burst, policy).py()? })
    }

    #[getter]
    fn limit(&self) -> u64 {
        self.inner.limit()
    }
    #[getter]
    fn period(&self) -> f64 {
        self.inner.period_ms() as f64 / 1000.0
    }
    #[getter]
    fn burst(&self) -> u64 {
        self.inner.burst()
    }
    #[getter]
    fn policy(&self) -> &str {
        self.inner.policy()
    }

    /// Decides one request of weight `cost` against the stored `state` (None for a new key).
    #[pyo3(signature = (state, now = None, cost = None))]
    fn check(
        &self,
        state: Option<&Bound<'_, PyAny>>,
        now: Option<UnixMillis>,
        cost: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<RateDecision> {
        let state = opt_state(state)?;
        let cost = opt_count(cost, "cost")?.unwrap_or(1);
        Ok(RateDecision { inner: self.inner.check(state, now_ms(now), cost).py()? })
    }

    /// Like `check`, but raises `LimitExceededError` (`limits.rate_limited`) when refused, with
    /// the refused decision as its `decision` (its `headers()` answer the 429).
    #[pyo3(signature = (state, now = None, cost = None))]
    fn enforce(
        &self,
        py: Python<'_>,
        state: Option<&Bound<'_, PyAny>>,
        now: Option<UnixMillis>,
        cost: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<RateDecision> {
        let state = opt_state(state)?;
        let cost = opt_count(cost, "cost")?.unwrap_or(1);
        let decision = self.inner.check(state, now_ms(now), cost).py()?;
        match decision.refusal() {
            Some(err) => Err(refused(py, err, RateDecision { inner: decision })?),
            None => Ok(RateDecision { inner: decision }),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "RateLimit(limit={}, period={}, burst={})",
            self.inner.limit(),
            self.inner.period_ms() as f64 / 1000.0,
            self.inner.burst()
        )
    }
}

fn config_count(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<u64> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!("{what} must be an int, not {}", obj.get_type().name()?)));
    }
    // (An int no `u64` holds is refused in the core's words; the core holds the rest to its range.)
    match obj.extract::<u64>() {
        Ok(n) => Ok(n),
        Err(_) => Err(to_py(core::bad_count(what, obj.str()?))),
    }
}

fn opt_state(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<i64>> {
    match obj {
        Some(o) if !o.is_none() => {
            if o.is_instance_of::<PyBool>() || !o.is_instance_of::<PyInt>() {
                return Err(PyTypeError::new_err(format!(
                    "state must be the int stored from a previous decision, or None, not {}",
                    o.get_type().name()?
                )));
            }
            // (An int no `i64` holds is refused as the core refuses any state past 2^53.)
            match o.extract::<i64>() {
                Ok(state) => Ok(Some(state)),
                Err(_) => Err(to_py(core::not_a_safe_integer("state", o.str()?))),
            }
        }
        _ => Ok(None),
    }
}

/// The outcome of `RateLimit.check`.
#[pyclass(frozen, eq, module = "tenantry.limits")]
#[derive(PartialEq)]
pub struct RateDecision {
    inner: core::RateDecision,
}

#[pymethods]
impl RateDecision {
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.allowed
    }
    #[getter]
    fn state(&self) -> i64 {
        self.inner.state
    }
    #[getter]
    fn limit(&self) -> u64 {
        self.inner.limit
    }
    #[getter]
    fn remaining(&self) -> u64 {
        self.inner.remaining
    }
    #[getter]
    fn reset_after(&self) -> i64 {
        self.inner.reset_after_secs()
    }
    #[getter]
    fn retry_after(&self) -> Option<i64> {
        self.inner.retry_after_secs()
    }
    #[getter]
    fn reset_after_ms(&self) -> i64 {
        self.inner.reset_after_ms
    }
    #[getter]
    fn retry_after_ms(&self) -> Option<i64> {
        self.inner.retry_after_ms
    }

    /// `X-RateLimit-*`, `RateLimit-Policy`, `RateLimit` and (when refused) `Retry-After`.
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (k, v) in self.inner.headers() {
            out.set_item(k, v)?;
        }
        Ok(out)
    }

    /// Every field as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = serde_json::to_value(&self.inner)
            .map_err(|e| to_py(Error::new(ErrorCode::InvalidInput, e.to_string())))?;
        from_json(py, &value)
    }

    fn __bool__(&self) -> bool {
        self.inner.allowed
    }

    fn __repr__(&self) -> String {
        let d = &self.inner;
        format!(
            "RateDecision(allowed={}, state={}, remaining={}, reset_after_ms={}, retry_after_ms={})",
            if d.allowed { "True" } else { "False" },
            d.state,
            d.remaining,
            d.reset_after_ms,
            d.retry_after_ms.map_or_else(|| "None".to_owned(), |r| r.to_string())
        )
    }
}

impl Pickled for RateDecision {
    /// The decision's fields and its policy's (which `headers()` writes, and `to_dict` leaves out).
    fn state(&self) -> PyResult<Value> {
        let mut state = to_state(&self.inner)?;
        if let Value::Object(map) = &mut state {
            map.insert("quota".into(), self.inner.quota.into());
            map.insert("window_secs".into(), self.inner.window_secs.into());
            map.insert("policy".into(), self.inner.policy.as_ref().into());
        }
        Ok(state)
    }
    fn restore(state: Value) -> PyResult<Self> {
        #[derive(serde::Deserialize)]
        struct Policy {
            quota: u64,
            window_secs: i64,
            policy: String,
        }
        let policy: Policy = from_state(state.clone())?;
        let inner = core::RateDecision {
            quota: policy.quota,
            window_secs: policy.window_secs,
            policy: policy.policy.into(),
            ..from_state(state)?
        };
        Ok(RateDecision { inner })
    }
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PlanCatalog>()?;
    m.add_class::<Entitlements>()?;
    m.add_class::<Decision>()?;
    m.add_class::<RateLimit>()?;
    m.add_class::<RateDecision>()?;
    m.add_function(wrap_pyfunction!(crossed, m)?)?;
    m.add_function(wrap_pyfunction!(period_window, m)?)?;
    Ok(())
}
