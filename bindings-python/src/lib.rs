//! The `tenantry._native` extension module: thin pyo3 wrappers over the `tenantry` core crate.
//!
//! Each submodule translates one capability's arguments and results; the core decides everything.

use pyo3::prelude::*;

mod convert;
mod errors;
mod settings;
mod webhooks;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    settings::register(m)?;
    webhooks::register(m)?;
    Ok(())
}
