//! `tenantry.webhooks`: Standard Webhooks signing and verification.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use tenantry::webhooks as core;

use crate::convert::{Payload, UnixTime, headers};
use crate::errors::IntoPyResult;

fn now_or(now: Option<UnixTime>) -> i64 {
    now.map_or_else(core::unix_now, |t| t.0)
}

/// A Standard Webhooks signer/verifier over one key or a list of keys (rotation).
#[pyclass(frozen, module = "tenantry.webhooks")]
pub struct Webhook {
    inner: core::Webhook,
}

#[pymethods]
impl Webhook {
    #[new]
    fn new(secret: &Bound<'_, PyAny>) -> PyResult<Self> {
        let inner = if let Ok(s) = secret.cast::<PyString>() {
            core::Webhook::new(&s.to_cow()?).py()?
        } else if secret.is_instance_of::<PyList>() || secret.is_instance_of::<PyTuple>() {
            let keys: Vec<String> =
                secret.extract().map_err(|_| PyTypeError::new_err("secrets must be a list of str"))?;
            core::Webhook::with_keys(keys).py()?
        } else {
            return Err(PyTypeError::new_err(format!(
                "secret must be a str or a list of str, not {}",
                secret.get_type().name()?
            )));
        };
        Ok(Webhook { inner })
    }

    /// Signs a payload; returns the three `webhook-*` headers as a dict.
    #[pyo3(signature = (msg_id, payload, timestamp = None))]
    fn sign<'py>(
        &self,
        py: Python<'py>,
        msg_id: &str,
        payload: Payload<'_>,
        timestamp: Option<UnixTime>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let signed = self.inner.sign(msg_id, now_or(timestamp), payload.as_bytes()).py()?;
        let dict = PyDict::new(py);
        for (name, value) in signed.pairs() {
            dict.set_item(name, value)?;
        }
        Ok(dict)
    }

    /// Verifies a payload against its headers; returns None or raises `WebhookVerificationError`.
    #[pyo3(signature = (payload, headers, *, tolerance = core::DEFAULT_TOLERANCE_SECS, now = None))]
    fn verify(
        &self,
        payload: Payload<'_>,
        headers: &Bound<'_, PyAny>,
        tolerance: i64,
        now: Option<UnixTime>,
    ) -> PyResult<()> {
        let pairs = self::headers(headers)?;
        self.inner.verify(payload.as_bytes(), pairs, tolerance, now_or(now)).py()
    }

    fn __repr__(&self) -> String {
        format!("Webhook(<{} key(s)>)", self.inner.keys().len())
    }
}

/// A new `whsec_` secret (32 random bytes).
#[pyfunction]
pub fn generate_secret() -> PyResult<String> {
    core::generate_secret().py()
}

/// A new ed25519 key pair `(whsk_…, whpk_…)` for `v1a` signatures.
#[pyfunction]
pub fn generate_keypair() -> PyResult<(String, String)> {
    core::generate_keypair().py()
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Webhook>()?;
    m.add_function(wrap_pyfunction!(generate_secret, m)?)?;
    m.add_function(wrap_pyfunction!(generate_keypair, m)?)?;
    Ok(())
}
