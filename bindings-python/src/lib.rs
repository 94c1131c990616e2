//! The `tenantry._native` extension module: thin pyo3 wrappers over the `tenantry` core crate.
//!
//! Each submodule translates one capability's arguments and results; the core decides everything.

// A panic must never cross into Python or Node: failures become typed errors instead.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pyo3::prelude::*;

// The extension's own Rust allocations (documents read into trees, record fields, buffers) go
// through mimalloc, as pydantic-core's do: under CPython's allocation pattern glibc malloc spends
// measurably more. Counted with callgrind: -3.3% instructions for audit build_sealed, -5.9% for
// settings resolve. Python objects still come from CPython's own allocator.
// mimalloc 2 (the crate's `v2` feature): mimalloc 3 tied its main heap to the thread that loaded
// the library, and once that thread had exited, the next thread's first allocation crashed the
// process (a module imported in a worker thread first; see the thread tests).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod apikeys;
mod audit;
mod convert;
mod copies;
mod de;
mod errors;
mod limits;
mod pickles;
mod settings;
mod webhook_delivery;
mod webhook_schemes;
mod webhooks;

/// The child side of the fork hook (see [`install_fork_hook`]).
#[pyfunction]
fn after_fork() {
    tenantry::random::after_fork();
}

/// Registers [`after_fork`] with `os.register_at_fork`, as CPython's `random` module reseeds
/// itself, so that a forked worker (pre-fork servers, `multiprocessing`) never hands out the id
/// bytes its parent will, and ids skip a `getpid` system call each. Where the platform has no
/// fork, nothing is registered and ids keep comparing process ids.
fn install_fork_hook(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let os = m.py().import("os")?;
    let Ok(register) = os.getattr("register_at_fork") else { return Ok(()) };
    let kwargs = pyo3::types::PyDict::new(m.py());
    kwargs.set_item("after_in_child", wrap_pyfunction!(after_fork, m)?)?;
    register.call((), Some(&kwargs))?;
    tenantry::random::rely_on_fork_hook();
    Ok(())
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    install_fork_hook(m)?;
    apikeys::register(m)?;
    settings::register(m)?;
    webhooks::register(m)?;
    webhook_schemes::register(m)?;
    webhook_delivery::register(m)?;
    limits::register(m)?;
    audit::register(m)?;
    Ok(())
}
