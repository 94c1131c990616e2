//! Endpoint subscriptions: which event types an endpoint receives.
//!
//! ```
//! use tenantry::webhooks::EventFilter;
//! let filter = EventFilter::new(["invoice.*", "user.created"])?;
//! assert!(filter.matches("invoice.paid"));
//! assert!(filter.matches("user.created"));
//! assert!(!filter.matches("user.deleted"));
//! # Ok::<(), tenantry::Error>(())
//! ```

use std::collections::HashSet;

use super::envelope::is_event_type;
use crate::{Error, ErrorCode, Result};

/// The most patterns one filter holds.
///
/// ```
/// let many = vec!["a"; 1025];
/// assert!(tenantry::webhooks::EventFilter::new(many).is_err());
/// ```
pub const MAX_PATTERNS: usize = 1024;

/// A set of event type patterns, compiled once:
///
/// - `*` matches every event type;
/// - `prefix.*` matches every type that starts with `prefix.` and has at least one more segment
///   (`invoice.*` matches `invoice.paid` and `invoice.payment.failed`, not `invoice`);
/// - anything else matches exactly that type.
///
/// Patterns follow the event type rules (dot-separated segments of ASCII letters, digits, `_`, `-`),
/// with `*` allowed only as the whole pattern or the whole last segment. An empty list, or any other
/// pattern, is `webhook.invalid_config`.
///
/// ```
/// use tenantry::webhooks::EventFilter;
/// assert!(EventFilter::new(["*"])?.matches("anything.at_all"));
/// assert_eq!(EventFilter::new(["inv*"]).unwrap_err().code(), "webhook.invalid_config");
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFilter {
    patterns: Vec<String>,
    all: bool,
    exact: HashSet<String>,
    prefixes: Vec<String>,
}

impl EventFilter {
    /// Compiles a list of patterns.
    ///
    /// ```
    /// assert!(tenantry::webhooks::EventFilter::new(Vec::<String>::new()).is_err());
    /// ```
    pub fn new<I, S>(patterns: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut filter =
            EventFilter { patterns: Vec::new(), all: false, exact: HashSet::new(), prefixes: Vec::new() };
        for pattern in patterns {
            let pattern = pattern.as_ref();
            if filter.patterns.len() >= MAX_PATTERNS {
                return Err(invalid(format!("an event filter holds at most {MAX_PATTERNS} patterns")));
            }
            if pattern == "*" {
                filter.all = true;
            } else if let Some(prefix) = pattern.strip_suffix(".*").filter(|p| is_event_type(p)) {
                filter.prefixes.push(format!("{prefix}."));
            } else if is_event_type(pattern) {
                filter.exact.insert(pattern.to_owned());
            } else {
                return Err(invalid(format!(
                    "invalid event filter pattern {pattern:?}: expected '*', an event type such as \
                     'user.created', or a prefix such as 'invoice.*'"
                )));
            }
            filter.patterns.push(pattern.to_owned());
        }
        if filter.patterns.is_empty() {
            return Err(invalid("an event filter needs at least one pattern (use '*' for every event)"));
        }
        Ok(filter)
    }

    /// True when `event_type` matches any pattern.
    ///
    /// ```
    /// let filter = tenantry::webhooks::EventFilter::new(["invoice.*"])?;
    /// assert!(filter.matches("invoice.payment.failed"));
    /// assert!(!filter.matches("invoice"));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn matches(&self, event_type: &str) -> bool {
        self.all
            || self.exact.contains(event_type)
            || self.prefixes.iter().any(|p| event_type.len() > p.len() && event_type.starts_with(p.as_str()))
    }

    /// The patterns, as given.
    ///
    /// ```
    /// let filter = tenantry::webhooks::EventFilter::new(["user.created"])?;
    /// assert_eq!(filter.patterns(), &["user.created".to_owned()]);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::WebhookInvalidConfig, message)
}
