//! `pickle` of tenantry's results: a worker process (a `ProcessPoolExecutor`, a task queue) hands
//! back a decision, a verdict or a chain report, and a cache that pickles (Django's, Flask-Caching)
//! stores a resolution. Each is pickled as its state in JSON text, read back by the class's
//! `_restore`. Objects that hold a secret or a compiled configuration (keys, schemas, a freshly
//! issued token) stay unpicklable: they are built again from their configuration, not stored.

use pyo3::prelude::*;
use pyo3::types::PyType;
use serde_json::Value;
use tenantry::{Error, ErrorCode};

use crate::errors::to_py;

/// A result whose every field is JSON data.
pub trait Pickled: Sized {
    /// Every field.
    fn state(&self) -> PyResult<Value>;
    /// The object whose [`Pickled::state`] `state` is.
    fn restore(state: Value) -> PyResult<Self>;
}

/// `state` read back as `T` (a core result that derives `Deserialize`), or `input.invalid`.
pub fn from_state<T: serde::de::DeserializeOwned>(state: Value) -> PyResult<T> {
    serde_json::from_value(state).map_err(|e| to_py(bad_state(e)))
}

/// `value` (a core result that derives `Serialize`) as its state.
pub fn to_state<T: serde::Serialize>(value: &T) -> PyResult<Value> {
    serde_json::to_value(value).map_err(|e| to_py(bad_state(e)))
}

fn bad_state(err: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::InvalidInput, format!("not the pickled state of a tenantry result: {err}"))
}

macro_rules! pickled {
    ($($class:ty),+ $(,)?) => {$(
        #[pymethods]
        impl $class {
            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
                let state = Pickled::state(slf.get())?.to_string();
                Ok((slf.get_type().getattr(pyo3::intern!(slf.py(), "_restore"))?, (state,)))
            }

            /// The object pickled as `state` (see [`Pickled`]).
            #[classmethod]
            #[pyo3(name = "_restore")]
            fn restore_pickled(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
                let state = serde_json::from_str(state).map_err(|e| to_py(bad_state(e)))?;
                <Self as Pickled>::restore(state)
            }
        }
    )+};
}

pickled!(
    crate::apikeys::ParsedToken,
    crate::apikeys::Verdict,
    crate::audit::ChainReport,
    crate::limits::Decision,
    crate::limits::RateDecision,
    crate::settings::Resolution,
    crate::settings::PatchResult,
    crate::settings::Migration,
);
