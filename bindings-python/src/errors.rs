//! Core errors as Python exceptions: one class per `tenantry::ErrorClass`, defined in
//! `tenantry/errors.py` so they are ordinary, picklable Python classes.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use tenantry::{Error, ErrorClass};

pyo3::import_exception!(tenantry.errors, InvalidInputError);
pyo3::import_exception!(tenantry.errors, WebhookError);
pyo3::import_exception!(tenantry.errors, WebhookVerificationError);
pyo3::import_exception!(tenantry.errors, ApiKeyError);
pyo3::import_exception!(tenantry.errors, SettingsError);
pyo3::import_exception!(tenantry.errors, SettingsValidationError);
pyo3::import_exception!(tenantry.errors, ConcurrentUpdateError);
pyo3::import_exception!(tenantry.errors, LimitsError);
pyo3::import_exception!(tenantry.errors, LimitExceededError);
pyo3::import_exception!(tenantry.errors, AuditError);
pyo3::import_exception!(tenantry.errors, TenantryError);

/// Converts a core error into the matching `tenantry` exception, carrying `.code` and `.errors`.
pub fn to_py(err: Error) -> PyErr {
    Python::attach(|py| {
        let issues = PyList::empty(py);
        for issue in err.issues() {
            let item = PyDict::new(py);
            let filled = item
                .set_item("path", &issue.path)
                .and_then(|_| item.set_item("code", &issue.code))
                .and_then(|_| item.set_item("message", &issue.message))
                .and_then(|_| issues.append(item));
            if let Err(e) = filled {
                return e;
            }
        }
        let args = (err.message().to_owned(), err.code(), issues.unbind());
        match err.class() {
            ErrorClass::InvalidInput => InvalidInputError::new_err(args),
            ErrorClass::Webhook => WebhookError::new_err(args),
            ErrorClass::WebhookVerification => WebhookVerificationError::new_err(args),
            ErrorClass::ApiKey => ApiKeyError::new_err(args),
            ErrorClass::Settings => SettingsError::new_err(args),
            ErrorClass::SettingsValidation => SettingsValidationError::new_err(args),
            ErrorClass::ConcurrentUpdate => ConcurrentUpdateError::new_err(args),
            ErrorClass::Limits => LimitsError::new_err(args),
            ErrorClass::LimitExceeded => LimitExceededError::new_err(args),
            ErrorClass::Audit => AuditError::new_err(args),
            _ => TenantryError::new_err(args),
        }
    })
}

/// `?`-friendly conversion: `core_call().map_err(to_py)?` reads as `core_call().py()?`.
pub trait IntoPyResult<T> {
    /// Converts a core result into a Python result.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for tenantry::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}
