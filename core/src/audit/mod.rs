//! Audit records: build, mask, chain and export audit events that hold up in a compliance review.
//!
//! tenantry builds the record; the caller stores it (a record is plain JSON). The pieces:
//!
//! - [`AuditRecord::builder`] validates and assembles a record: a time-sortable [`record_id`],
//!   RFC 3339 timestamps, actor, action (see the [`actions`] catalogue), severity, outcome, target,
//!   masked [`diff`] of before/after documents, metadata and a retention deadline.
//! - [`seal`] links a record to the previous one with a SHA-256 hash over its RFC 8785 canonical
//!   JSON (and an optional HMAC seal under a [`SealKey`]); [`verify_chain`] finds the first record
//!   that was edited, deleted, inserted or reordered.
//! - [`to_csv`] (RFC 4180, formula-injection guarded), [`to_jsonl`], [`to_ocsf`] and [`summarize`]
//!   export and report.
//!
//! ```
//! use tenantry::audit::{self, Actor, ActorType, AuditRecord};
//! use serde_json::json;
//!
//! let record = AuditRecord::builder(audit::actions::SETTING_UPDATED, Actor::new(ActorType::User, "u_1"))
//!     .tenant_id("t_1")
//!     .before(json!({"theme": "light", "smtp_password": "old"}))
//!     .after(json!({"theme": "dark", "smtp_password": "new"}))
//!     .build(1_700_000_000_000)?;
//! // Changes are listed in the order of the documents' canonical JSON.
//! assert_eq!(record.changes.len(), 2);
//! assert_eq!(record.changes[0].path, "/smtp_password");
//! assert_eq!(record.changes[0].after, Some(json!(audit::MASK)));
//!
//! let first = audit::seal(&record.to_json(), None, None)?;
//! assert!(audit::verify_chain(&[first], &[], None)?.ok);
//! # Ok::<(), tenantry::Error>(())
//! ```

pub mod actions;
mod canonical;
mod chain;
mod csv;
mod diff;
mod id;
mod jsonl;
mod ocsf;
mod record;
mod retention;
mod summary;
mod time;
mod validate;

pub use chain::{
    BreakReason, ChainReport, GENESIS_HASH, SealFields, SealKey, record_hash, records_not_an_array, seal,
    seal_fields, seal_fields_tree, verify_chain, verify_chain_trees,
};
pub use csv::{CSV_HEADER, to_csv};
pub use diff::{ChangeRef, Changes, MASK, Masking, diff, diff_trees};
pub use id::{new_record_id, record_id};
pub use jsonl::to_jsonl;
pub use ocsf::{OCSF_VERSION, to_ocsf};
pub use record::{
    Actor, ActorType, AuditRecord, AuditRecordBuilder, Change, DEFAULT_MAX_METADATA_BYTES, Outcome, Severity,
    Target,
};
pub use retention::{DEFAULT_RETENTION_DAYS, RETENTION_DAYS_TYPE, expires_at, retention_cutoff};
pub use summary::{Summary, summarize};
pub use time::{format_timestamp, parse_timestamp, unix_now_millis};
