//! Statistics over a set of records, as seed 004's statistics endpoint returns them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::record::{AuditRecord, Outcome, Severity};
use crate::{Error, Result};

/// Counts by action, severity, outcome, actor and day (UTC), with the time span covered.
///
/// Maps are sorted by key, so the summary is the same JSON in every language.
///
/// ```
/// use tenantry::audit::{summarize, Actor, ActorType, AuditRecord};
/// let r = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u_1")).build(0)?.to_json();
/// let s = summarize(&[r.clone(), r])?;
/// assert_eq!(s.total, 2);
/// assert_eq!(s.by_day["1970-01-01"], 2);
/// assert_eq!(s.by_severity["warning"], 0);
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Number of records.
    pub total: u64,
    /// Records per action.
    pub by_action: BTreeMap<String, u64>,
    /// Records per severity (all four present).
    pub by_severity: BTreeMap<String, u64>,
    /// Records per outcome (both present).
    pub by_outcome: BTreeMap<String, u64>,
    /// Records per actor id.
    pub by_actor: BTreeMap<String, u64>,
    /// Records per UTC day (`YYYY-MM-DD`).
    pub by_day: BTreeMap<String, u64>,
    /// The earliest `occurred_at`.
    pub first: Option<String>,
    /// The latest `occurred_at`.
    pub last: Option<String>,
}

/// Summarizes records (stored records are accepted as they are; members added by sealing are ignored).
///
/// ```
/// let err = tenantry::audit::summarize(&[serde_json::json!({"action": "x"})]).unwrap_err();
/// assert_eq!(err.code(), "audit.invalid_record");
/// ```
pub fn summarize(records: &[Value]) -> Result<Summary> {
    let mut s = Summary {
        total: 0,
        by_action: BTreeMap::new(),
        by_severity: Severity::ALL.iter().map(|v| (v.as_str().to_owned(), 0)).collect(),
        by_outcome: [Outcome::Success, Outcome::Failure].iter().map(|v| (v.as_str().to_owned(), 0)).collect(),
        by_actor: BTreeMap::new(),
        by_day: BTreeMap::new(),
        first: None,
        last: None,
    };
    for (i, value) in records.iter().enumerate() {
        let r = AuditRecord::from_json(value)
            .map_err(|e| Error::new(e.kind(), format!("record {i}: {}", e.message())))?;
        s.total += 1;
        *s.by_action.entry(r.action.clone()).or_default() += 1;
        *s.by_severity.entry(r.severity.as_str().to_owned()).or_default() += 1;
        *s.by_outcome.entry(r.outcome.as_str().to_owned()).or_default() += 1;
        *s.by_actor.entry(r.actor.id.clone()).or_default() += 1;
        let day = r.occurred_at.get(..10).unwrap_or(&r.occurred_at).to_owned();
        *s.by_day.entry(day).or_default() += 1;
        if s.first.as_ref().is_none_or(|f| r.occurred_at < *f) {
            s.first = Some(r.occurred_at.clone());
        }
        if s.last.as_ref().is_none_or(|l| r.occurred_at > *l) {
            s.last = Some(r.occurred_at);
        }
    }
    Ok(s)
}
