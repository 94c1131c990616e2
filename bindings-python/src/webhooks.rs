//! `tenantry.webhooks`: Standard Webhooks signing and verification.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};
use tenantry::webhooks as core;

use crate::convert::{Payload, UnixTime, for_each_header, header_text, str_ref, tolerance_or_none};
use crate::errors::IntoPyResult;

/// Core's exact header names as interned Python strings, made once.
static EXACT_NAMES: PyOnceLock<[Py<PyString>; 6]> = PyOnceLock::new();

/// The three Standard Webhooks headers, picked by core's rule ([`core::StandardHeaders`]), every
/// instance of a repeated header (several pairs) offered.
///
/// A `dict` (what most frameworks hand over, with lowercase names) is first probed for the exact
/// names; the other names are scanned only when that could still change the answer.
fn read_headers(headers: &Bound<'_, PyAny>) -> PyResult<core::StandardHeaders<String>> {
    let py = headers.py();
    let mut found = core::StandardHeaders::new();
    let names = core::StandardHeaders::<String>::EXACT_NAMES;
    // The `str` keys the probe read: the scan must not offer them twice.
    let mut probed = [false; 6];
    if let Ok(dict) = headers.cast::<PyDict>() {
        let exact = EXACT_NAMES.get_or_init(py, || names.map(|name| PyString::intern(py, name).unbind()));
        for ((name, key), probed) in names.iter().zip(exact).zip(&mut probed) {
            if found.wants(name)
                && let Some(value) = dict.get_item(key.bind(py))?
            {
                offer(&mut found, name, &value)?;
                *probed = true;
            }
        }
        if found.is_settled() {
            return Ok(found);
        }
    }
    for_each_header(headers, |name, key_is_str, value| {
        let read = key_is_str && names.iter().zip(&probed).any(|(n, p)| *p && *n == name);
        if !read && found.wants(name) {
            offer(&mut found, name, value)?;
        }
        Ok(())
    })?;
    Ok(found)
}

/// Offers one header's value as text, or as unreadable when it has no UTF-8 form.
fn offer(found: &mut core::StandardHeaders<String>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
    match header_text(value, name)? {
        Some(text) => found.offer(name, text),
        None => found.offer_unreadable(name),
    };
    Ok(())
}

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
            core::Webhook::new(str_ref(s)?).py()?
        } else if let Some(items) = crate::convert::sequence_items(secret)? {
            let mut keys = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let key = item.cast::<PyString>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "secrets must be a list of str; item {i} is {}",
                        item.get_type().name().map(|n| n.to_string()).unwrap_or_default()
                    ))
                })?;
                keys.push(str_ref(key)?.to_owned());
            }
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
        msg_id: &Bound<'py, PyAny>,
        payload: Payload<'_>,
        timestamp: Option<UnixTime>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let msg_id = msg_id.cast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!(
                "msg_id must be a str, not {}",
                msg_id.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))
        })?;
        let signed = self.inner.sign(str_ref(msg_id)?, now_or(timestamp), payload.as_bytes()).py()?;
        let dict = PyDict::new(py);
        for (name, value) in signed.pairs() {
            dict.set_item(name, value)?;
        }
        Ok(dict)
    }

    /// Verifies a payload against its headers; returns None or raises `WebhookVerificationError`.
    #[pyo3(signature = (payload, headers, *, tolerance = 300, now = None))]
    fn verify(
        &self,
        payload: Payload<'_>,
        headers: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = tolerance_or_none)] tolerance: i64,
        now: Option<UnixTime>,
    ) -> PyResult<()> {
        let found = read_headers(headers)?;
        self.inner.verify_headers(payload.as_bytes(), &found, tolerance, now_or(now)).py()
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
