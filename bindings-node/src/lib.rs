//! The native addon behind the `tenantry` npm package: thin napi-rs wrappers over the core crate.
//!
//! Each module translates one capability's arguments and results; the core decides everything.
//! Every exported function is built with `catch_unwind`, so a panic becomes a JS error, not an abort.

// A panic must never cross into Python or Node: failures become typed errors instead.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// napi-derive compiles the export registration out of test builds, so under `cfg(test)` every
// exported item looks unused.
#![cfg_attr(test, allow(dead_code))]

// The addon's own Rust allocations (documents read into trees, record fields, result buffers) go
// through mimalloc, as the Python extension's do. glibc malloc cost up to 9% of audit
// `buildSealed` in profiles (fast-bin consolidation included); measured with the bench module,
// alternating builds: settings `resolve` + provenance -10%, `applyPatch` -12%, the rest level.
// mimalloc 2 (the crate's `v2` feature): mimalloc 3 tied its main heap to the thread that loaded
// the library, and once that thread had exited, the next thread's first allocation crashed the
// process (a module imported in a worker thread first; see the thread tests).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[macro_use]
extern crate napi_derive;

mod apikeys;
mod audit;
mod audit_build;
mod convert;
mod errors;
mod limits;
mod settings;
mod webhook_delivery;
mod webhook_schemes;
mod webhooks;

/// The child side of the fork hook (see [`install_fork_hook`]); touches only the calling thread's
/// pool of id bytes (no allocation, no lock), as a handler in a forked child must.
#[cfg(unix)]
extern "C" fn after_fork_in_child() {
    tenantry::random::after_fork();
}

/// Registers [`after_fork_in_child`] with `pthread_atfork` when the addon loads, so a process
/// forked by native code never hands out the id bytes its parent will (JS itself cannot fork),
/// and ids skip a `getpid` system call each. If registration fails, ids keep comparing process
/// ids.
#[cfg(unix)]
#[napi_derive::module_init]
fn install_fork_hook() {
    // SAFETY: the handler is a plain `extern "C"` function that cannot unwind, and stays valid
    // for the life of the process (Node never unloads an addon).
    if unsafe { libc::pthread_atfork(None, None, Some(after_fork_in_child)) } == 0 {
        tenantry::random::rely_on_fork_hook();
    }
}
