//! Tier limits, usage periods, threshold alerts and GCRA rate limits: every "may this tenant do
//! this?" in one call. tenantry decides; the caller counts usage and stores state.
//!
//! * [`PlanCatalog`]: plans (tiers) with metric limits (`-1`/`null` = unlimited), features (or
//!   `all`) and trials, parsed and validated once.
//! * [`Entitlements`]: one tenant's plan with overrides; [`check`](Entitlements::check) returns a
//!   [`Decision`] with the 80/90/100 % thresholds it crossed (each exactly once), grace for
//!   overages, and `remaining`.
//! * [`period_window`]: the `[start, end)` of the current day/month/year, calendar or anchored on
//!   a billing day (clamped to short months).
//! * [`RateLimit`]: GCRA with one integer of state (the TAT in ms) in and out, and the
//!   `X-RateLimit-*`, `RateLimit-Policy`/`RateLimit` and `Retry-After` headers.
//!
//! ```
//! use tenantry::limits::{PlanCatalog, RateLimit, Status};
//! let catalog = PlanCatalog::from_json(r#"{
//!     "free": {"limits": {"max_users": 5, "max_tokens_per_month": {"limit": 100000, "period": "month"}},
//!              "features": ["basic_chat", "team_collaboration"]}
//! }"#)?;
//! let ent = catalog.entitlements("free", None, None)?;
//! let d = ent.check("max_tokens_per_month", 79_000, 2_000, 1_700_000_000, None)?;
//! assert!(d.allowed);
//! assert_eq!(d.status, Status::Warning);
//! assert_eq!(d.crossed, vec![0.8]);
//!
//! let reads = RateLimit::new(100, 60_000, None)?; // 100 reads per minute
//! let r = reads.check(None, 1_700_000_000_000, 1)?;
//! assert_eq!((r.allowed, r.remaining), (true, 99));
//! # Ok::<(), tenantry::Error>(())
//! ```

mod catalog;
mod decision;
mod entitlements;
mod fraction;
mod period;
mod rate;

pub use catalog::{
    Allowance, DEFAULT_THRESHOLDS, Grace, LimitKind, MetricSpec, Plan, PlanCatalog, Threshold,
    thresholds_from,
};
pub use decision::{Decision, Status, crossed, crossed_with, usage_count, usage_count_f64};
pub use entitlements::{EffectiveLimit, Entitlements, TrialStatus, UsageRow};
pub use fraction::Fraction;
pub use period::{MAX_TZ_OFFSET_SECS, PeriodKind, PeriodWindow, period_window};
pub use rate::{
    DEFAULT_POLICY, RateDecision, RateLimit, bad_count, not_a_safe_integer, size_from_i64, state_from_f64,
    whole_from_f64,
};

/// The current Unix time in milliseconds, for the convenience wrappers that default `now`.
///
/// ```
/// assert!(tenantry::limits::unix_now_ms() > 1_600_000_000_000);
/// ```
pub fn unix_now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
