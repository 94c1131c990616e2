//! Webhook signatures: Standard Webhooks (`v1`, `v1a`), with the timestamp window every scheme shares.
//!
//! ```
//! use tenantry::webhooks::Webhook;
//! let wh = Webhook::new(&tenantry::webhooks::generate_secret().unwrap()).unwrap();
//! let headers = wh.sign("msg_1", 1_700_000_000, b"{}").unwrap();
//! wh.verify(b"{}", headers.pairs(), 300, 1_700_000_010).unwrap();
//! ```

mod keys;
mod standard;
mod timestamp;

pub use keys::{SymmetricKey, WebhookKey, generate_keypair, generate_secret};
pub use standard::{SignedHeaders, StandardHeaders, Webhook, validate_message_id};
pub use timestamp::{DEFAULT_TOLERANCE_SECS, check_tolerance, parse_timestamp, unix_now};
