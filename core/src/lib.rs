//! # tenantry
//!
//! The platform layer every multi-tenant SaaS backend writes by hand, written once: webhook
//! signatures, API keys, per-tenant settings, tier and rate limits, and audit records.
//!
//! The core is pure: it never reads a database, the network or (except in convenience wrappers)
//! the clock. State comes in as arguments and goes out in results, so callers store it where they
//! like and share it between instances with compare-and-set.
//!
//! ```
//! use tenantry::webhooks::Webhook;
//! let wh = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
//! let headers = wh.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, br#"{"test": 2432232314}"#)?;
//! assert_eq!(headers.signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
//! # Ok::<(), tenantry::Error>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod apikeys;
pub mod audit;
pub mod canonical_json;
mod error;
mod hex;
pub mod json_text;
pub mod json_tree;
pub mod limits;
pub mod random;
pub mod secret;
pub mod settings;
pub mod time_range;
pub mod webhooks;

pub use error::{Error, ErrorClass, ErrorCode, Issue, Result};
pub use secret::SecretBytes;

/// Every Rust block in the README compiles and runs as a doctest.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
