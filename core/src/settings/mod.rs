//! Per-tenant settings from one JSON Schema: defaults at any depth, layered resolution with
//! provenance, RFC 7396 partial updates with role and editability checks, etags, role views, a
//! key/value registry view and migrations.
//!
//! A [`SettingsSchema`] is compiled once (draft 2020-12, format checks on, tenantry's `x-*`
//! annotations parsed) and is immutable and thread-safe. Every operation is pure: documents come
//! in, new documents go out, and the caller stores them wherever it likes.
//!
//! ```
//! use serde_json::json;
//! use tenantry::settings::{Role, SettingsSchema};
//!
//! let schema = SettingsSchema::new(&json!({
//!     "type": "object",
//!     "properties": {
//!         "ai": {
//!             "type": "object",
//!             "properties": {
//!                 "temperature": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.7}
//!             }
//!         }
//!     }
//! }))?;
//! assert_eq!(schema.defaults(), &json!({"ai": {"temperature": 0.7}}));
//!
//! let resolved = schema.resolve(&[("tenant", json!({"ai": {"temperature": 0.2}}))])?;
//! assert_eq!(resolved.value, json!({"ai": {"temperature": 0.2}}));
//! assert_eq!(resolved.provenance["/ai/temperature"], "tenant");
//!
//! let updated = schema.apply_patch(&json!({}), &json!({"ai": {"temperature": 0.9}}), Role::Member, None)?;
//! assert_eq!(updated.overrides, json!({"ai": {"temperature": 0.9}}));
//! # Ok::<(), tenantry::Error>(())
//! ```

mod annotations;
mod defaults;
mod etag;
mod fields;
mod formats;
mod limits;
mod merge;
mod merged;
mod migrate;
mod patch;
mod plan;
pub(crate) mod pointer;
mod registry;
mod resolve;
mod schema;
mod validate;
mod view;

pub use annotations::{FieldInfo, Role, Visibility};
pub use etag::etag;
pub use formats::{is_hex_color, is_https_url};
pub use limits::Limits;
pub use merge::merge_patch;
pub use migrate::Migration;
pub use patch::{Change, MASK, PatchResult};
pub use registry::RegistryEntry;
pub use resolve::Resolution;
pub use schema::SettingsSchema;

// For audit masking, which reads a schema's annotations as settings do (and refuses the same).
pub(crate) use fields::fields;
