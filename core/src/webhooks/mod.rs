//! Webhooks: Standard Webhooks (`v1`, `v1a`), Stripe, GitHub and Slack signatures with the
//! timestamp window they share, and the sender's side: event envelopes, endpoint filters and the
//! retry policy.
//!
//! ```
//! use tenantry::webhooks::Webhook;
//! let wh = Webhook::new(&tenantry::webhooks::generate_secret().unwrap()).unwrap();
//! let headers = wh.sign("msg_1", 1_700_000_000, b"{}").unwrap();
//! wh.verify(b"{}", headers.pairs(), 300, 1_700_000_010).unwrap();
//! ```

pub mod envelope;
pub mod filter;
pub mod github;
mod keys;
pub mod retry;
pub mod slack;
mod standard;
pub mod stripe;
mod text_secret;
mod timestamp;

pub use envelope::{build_event, message_id, message_id_from, unix_now_millis, validate_event_type};
pub use filter::EventFilter;

pub use keys::{SymmetricKey, WebhookKey, generate_keypair, generate_secret};
pub use retry::{
    Backoff, DEFAULT_BACKOFF_FACTOR, DeliveryDecision, DisableReason, GiveUpReason, RetryOptions,
    RetryPolicy, parse_retry_after,
};
pub use standard::{SignedHeaders, StandardHeaders, Webhook, validate_message_id};
pub use timestamp::{DEFAULT_TOLERANCE_SECS, check_tolerance, parse_timestamp, unix_now};
