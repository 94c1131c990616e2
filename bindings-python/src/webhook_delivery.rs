//! `tenantry.webhooks` delivery side: `RetryPolicy`, `EventFilter`, `message_id`, `build_event`.

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use tenantry::webhooks as core;
use tenantry::{Error, ErrorCode};

use crate::convert::{
    OwnedText, Real, Text, UnixMillis, UnixTime, Whole, factor_or_none, from_json, json_arg,
};
use crate::errors::{IntoPyResult, to_py};

/// An integer argument narrowed to the core's type; out of range is `input.invalid`.
fn narrow<T: TryFrom<i64>>(value: Whole, name: &str) -> PyResult<T> {
    T::try_from(value.0)
        .map_err(|_| to_py(Error::new(ErrorCode::InvalidInput, format!("{name} is out of range"))))
}

/// When to retry a webhook delivery, give up, or disable the endpoint.
#[pyclass(frozen, module = "tenantry.webhooks")]
pub struct RetryPolicy {
    inner: core::RetryPolicy,
}

#[pymethods]
impl RetryPolicy {
    /// A policy over explicit waits in seconds (default: svix's 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).
    #[new]
    #[pyo3(signature = (schedule = None, *, jitter = None, disable_after = None, max_retry_after = None))]
    fn new(
        schedule: Option<Vec<Whole>>,
        jitter: Option<Real>,
        disable_after: Option<Whole>,
        max_retry_after: Option<Whole>,
    ) -> PyResult<Self> {
        let delays = schedule.map_or_else(
            || core::retry::DEFAULT_SCHEDULE.to_vec(),
            |delays| delays.into_iter().map(|d| d.0).collect(),
        );
        let inner = core::RetryPolicy::with_schedule(
            delays,
            core::RetryOptions::with_overrides(
                jitter.map(|j| j.0),
                disable_after.map(|d| d.0),
                max_retry_after.map(|d| d.0),
            ),
        )
        .py()?;
        Ok(RetryPolicy { inner })
    }

    /// Exponential backoff: `initial_delay * factor**i` seconds, capped at `max_delay`, `max_retries` times.
    #[staticmethod]
    #[pyo3(signature = (
        initial_delay, max_delay, max_retries, *,
        factor = 2.0, jitter = None, disable_after = None, max_retry_after = None
    ))]
    fn exponential(
        initial_delay: Whole,
        max_delay: Whole,
        max_retries: Whole,
        #[pyo3(from_py_with = factor_or_none)] factor: f64,
        jitter: Option<Real>,
        disable_after: Option<Whole>,
        max_retry_after: Option<Whole>,
    ) -> PyResult<Self> {
        let inner = core::RetryPolicy::exponential(
            initial_delay.0,
            factor,
            max_delay.0,
            narrow(max_retries, "max_retries")?,
            core::RetryOptions::with_overrides(
                jitter.map(|j| j.0),
                disable_after.map(|d| d.0),
                max_retry_after.map(|d| d.0),
            ),
        )
        .py()?;
        Ok(RetryPolicy { inner })
    }

    /// The wait before each retry, in seconds (before jitter).
    #[getter]
    fn delays(&self) -> Vec<i64> {
        self.inner.delays().to_vec()
    }

    /// Total attempts, the first included.
    #[getter]
    fn max_attempts(&self) -> u32 {
        self.inner.max_attempts()
    }

    /// What to do after attempt `attempt_number` (1 = first) got `status_code` (None: no response).
    #[pyo3(signature = (
        attempt_number, status_code, retry_after = None, *, first_failure_at = None, now = None, jitter_sample = None
    ))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments
    fn decide<'py>(
        &self,
        py: Python<'py>,
        attempt_number: Whole,
        status_code: Option<Whole>,
        retry_after: Option<Text<'_>>,
        first_failure_at: Option<UnixTime>,
        now: Option<UnixTime>,
        jitter_sample: Option<Real>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let attempt = narrow(attempt_number, "attempt_number")?;
        let status = status_code.map(|s| narrow(s, "status_code")).transpose()?;
        let first = first_failure_at.map(|t| t.0);
        let now = now.map_or_else(core::unix_now, |t| t.0);
        let decision = match jitter_sample {
            Some(u) => {
                self.inner.decide_with_sample(attempt, status, retry_after.as_deref(), first, now, u.0)
            }
            None => self.inner.decide(attempt, status, retry_after.as_deref(), first, now),
        }
        .py()?;
        let value = serde_json::to_value(decision)
            .map_err(|e| to_py(Error::new(ErrorCode::InvalidInput, e.to_string())))?;
        from_json(py, &value)
    }

    fn __repr__(&self) -> String {
        let o = self.inner.options();
        format!(
            "RetryPolicy(delays={:?}, jitter={}, disable_after={}, max_retry_after={})",
            self.inner.delays(),
            o.jitter,
            o.disable_after,
            o.max_retry_after
        )
    }
}

/// Event type patterns an endpoint subscribes to: `*`, `prefix.*` or exact types.
#[pyclass(frozen, module = "tenantry.webhooks")]
pub struct EventFilter {
    inner: core::EventFilter,
}

#[pymethods]
impl EventFilter {
    #[new]
    fn new(patterns: Vec<OwnedText>) -> PyResult<Self> {
        Ok(EventFilter { inner: core::EventFilter::new(patterns).py()? })
    }

    /// True when `event_type` matches any pattern.
    fn matches(&self, event_type: Text<'_>) -> bool {
        self.inner.matches(&event_type)
    }

    /// The patterns, as given.
    #[getter]
    fn patterns(&self) -> Vec<String> {
        self.inner.patterns().to_vec()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let patterns = pyo3::types::PyList::new(py, self.inner.patterns())?;
        Ok(format!("EventFilter({})", patterns.repr()?))
    }
}

/// A new time-sortable message id: `msg_` + ULID (clock time + 80 random bits).
#[pyfunction]
pub fn message_id() -> PyResult<String> {
    core::message_id().py()
}

/// The message id for a time in Unix milliseconds and 10 given random bytes (pure; for tests).
#[pyfunction]
pub fn message_id_from(unix_millis: Whole, entropy: &[u8]) -> PyResult<String> {
    core::message_id_from(unix_millis.0, entropy).py()
}

/// The exact body to sign and send: `{"type":…,"timestamp":…,"data":…}` as bytes. `data` is JSON
/// data, or JSON text (`str` or `bytes`, as Node takes a string): string data is given as its text
/// (`'"hello"'`).
#[pyfunction]
#[pyo3(signature = (event_type, data, timestamp = None))]
pub fn build_event<'py>(
    py: Python<'py>,
    event_type: Text<'_>,
    data: &Bound<'py, PyAny>,
    timestamp: Option<UnixMillis>,
) -> PyResult<Bound<'py, PyBytes>> {
    let data = json_arg(data)?;
    let millis = timestamp.map_or_else(core::unix_now_millis, |t| t.0);
    let body = core::build_event(&event_type, &data, millis).py()?;
    Ok(PyBytes::new(py, &body))
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<RetryPolicy>()?;
    m.add_class::<EventFilter>()?;
    m.add_function(wrap_pyfunction!(message_id, m)?)?;
    m.add_function(wrap_pyfunction!(message_id_from, m)?)?;
    m.add_function(wrap_pyfunction!(build_event, m)?)?;
    Ok(())
}
