//! Usage decisions: may this tenant use `requested` more units of a metric, and which alert
//! thresholds did that cross?

use super::catalog::{LimitKind, MetricSpec, Threshold};
use crate::{Error, ErrorCode, Result};

/// Where a tenant stands on a metric.
///
/// ```
/// assert_eq!(tenantry::limits::Status::Grace.as_str(), "grace");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Below every threshold (or unlimited).
    Ok,
    /// At or past the first threshold, within the limit.
    Warning,
    /// Past a hard limit, but within its grace allowance and duration.
    Grace,
    /// Past the limit (and any grace).
    Exceeded,
}

impl Status {
    /// `ok`, `warning`, `grace` or `exceeded`.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::Status::Ok.as_str(), "ok");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Grace => "grace",
            Status::Exceeded => "exceeded",
        }
    }
}

/// The answer to "may this tenant use `requested` more units?".
///
/// ```
/// use tenantry::limits::{PlanCatalog, Status};
/// let c = PlanCatalog::from_json(r#"{"free": {"limits": {"max_users": 5}}}"#).unwrap();
/// let d = c.entitlements("free", None, None).unwrap().check("max_users", 3, 1, 0, None).unwrap();
/// assert!(d.allowed);
/// assert_eq!(d.status, Status::Warning); // 4 of 5 = 80 %
/// assert_eq!(d.crossed, vec![0.8]);
/// assert_eq!(d.remaining, Some(1));
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Decision {
    /// Whether the caller may go ahead (and then record the usage).
    pub allowed: bool,
    /// `ok`, `warning`, `grace` or `exceeded`.
    pub status: Status,
    /// The effective limit; `None` is unlimited.
    pub limit: Option<u64>,
    /// Usage before this request.
    pub used: u64,
    /// Units this request asks for.
    pub requested: u64,
    /// Units left after this decision (after the request if allowed); `None` when unlimited.
    pub remaining: Option<u64>,
    /// `used + requested` as a percentage of the limit, rounded to 2 decimals; `None` when
    /// unlimited. A zero limit counts any usage as 100 %.
    pub percent: Option<f64>,
    /// The thresholds (fractions such as 0.8) passed between `used` and `used + requested`,
    /// reaching one exactly counts; empty when the request is refused. Each fires exactly once
    /// however usage grows.
    pub crossed: Vec<f64>,
    /// When the grace duration ends (Unix seconds), for a metric with a grace duration that is
    /// over its limit.
    pub grace_ends_at: Option<i64>,
    /// The first overage time to store for the next check: set while usage is over the limit,
    /// `None` once it is back within it. Unchanged by a refused request. One given later than
    /// `now` (stored by a clock ahead) is taken as `now`.
    pub over_limit_since: Option<i64>,
}

/// The thresholds passed when usage grows from `previous` to `current` against `limit`:
/// those `t` with `previous < t × limit <= current` (exact decimal arithmetic). Unlimited
/// (`None`) crosses nothing, and so does usage that does not grow.
///
/// ```
/// use tenantry::limits::{crossed_with, Threshold};
/// let t = Threshold::defaults();
/// assert_eq!(crossed_with(70, 100, Some(100), &t), vec![0.8, 0.9, 1.0]);
/// assert_eq!(crossed_with(80, 85, Some(100), &t), Vec::<f64>::new()); // 0.8 fired before
/// ```
pub fn crossed_with(previous: u64, current: u64, limit: Option<u64>, thresholds: &[Threshold]) -> Vec<f64> {
    let Some(limit) = limit else { return Vec::new() };
    if current <= previous {
        return Vec::new();
    }
    let (previous, current) = (u128::from(previous), u128::from(current));
    thresholds
        .iter()
        .filter(|t| {
            let b = t.boundary(limit);
            previous < b && b <= current
        })
        .map(Threshold::value)
        .collect()
}

/// [`crossed_with`] for a non-negative integer usage from any language: negative values are
/// `limits.invalid_usage`.
///
/// ```
/// assert_eq!(tenantry::limits::crossed(79, 80, Some(100), None).unwrap(), vec![0.8]);
/// assert_eq!(tenantry::limits::crossed(-1, 80, Some(100), None).unwrap_err().code(), "limits.invalid_usage");
/// ```
pub fn crossed(
    previous: i64,
    current: i64,
    limit: Option<i64>,
    thresholds: Option<&[f64]>,
) -> Result<Vec<f64>> {
    let previous = usage_count(previous, "previous")?;
    let current = usage_count(current, "current")?;
    let limit = match limit {
        None | Some(-1) => None,
        Some(l) => Some(u64::try_from(l).map_err(|_| {
            Error::new(ErrorCode::LimitsInvalidConfig, "limit must be 0 or more, or -1 / None for unlimited")
        })?),
    };
    match thresholds {
        None => Ok(crossed_with(previous, current, limit, &Threshold::defaults())),
        Some(values) => Ok(crossed_with(previous, current, limit, &super::catalog::thresholds_from(values)?)),
    }
}

/// A usage count from an integer: negative is `limits.invalid_usage`.
///
/// ```
/// assert_eq!(tenantry::limits::usage_count(3, "used").unwrap(), 3);
/// assert!(tenantry::limits::usage_count(-3, "used").is_err());
/// ```
pub fn usage_count(value: i64, what: &str) -> Result<u64> {
    u64::try_from(value).map_err(|_| {
        Error::new(ErrorCode::LimitsInvalidUsage, format!("{what} must be 0 or more, got {value}"))
    })
}

/// A usage count from a JavaScript number: must be a whole number in `0..2^53` (a safe integer: past it a
/// double no longer tells neighbours apart), else `limits.invalid_usage` (NaN, fractions, negatives, infinities).
///
/// ```
/// assert_eq!(tenantry::limits::usage_count_f64(4.0, "used").unwrap(), 4);
/// assert!(tenantry::limits::usage_count_f64(f64::NAN, "used").is_err());
/// assert!(tenantry::limits::usage_count_f64(1.5, "used").is_err());
/// let err = tenantry::limits::usage_count_f64(1e300, "used").unwrap_err();
/// assert_eq!(err.message(), "used must be a whole number (a safe integer), got 1e+300");
/// ```
pub fn usage_count_f64(value: f64, what: &str) -> Result<i64> {
    // The same test and words as any whole number from JavaScript, under this call's own code.
    super::rate::whole_from_f64(value, what)
        .map_err(|e| Error::new(ErrorCode::LimitsInvalidUsage, e.message()))
}

fn percent(amount: u64, limit: u64) -> f64 {
    if limit == 0 {
        return if amount == 0 { 0.0 } else { 100.0 };
    }
    let raw = (amount as f64) * 100.0 / (limit as f64);
    (raw * 100.0).round() / 100.0
}

/// The status of a usage level (no request), as [`usage_report`](super::Entitlements::usage_report)
/// shows it: `ok`, `warning` (at or past the first threshold) or `exceeded` (past the limit).
pub(crate) fn level_status(used: u64, limit: Option<u64>, thresholds: &[Threshold]) -> Status {
    let Some(limit) = limit else { return Status::Ok };
    if used > limit {
        return Status::Exceeded;
    }
    match thresholds.first() {
        Some(t) if used > 0 && u128::from(used) >= t.boundary(limit) => Status::Warning,
        _ => Status::Ok,
    }
}

pub(crate) fn level_percent(used: u64, limit: Option<u64>) -> Option<f64> {
    limit.map(|l| percent(used, l))
}

/// Decides a request against one metric spec.
pub(crate) fn decide(
    spec: &MetricSpec,
    used: i64,
    requested: i64,
    now: i64,
    over_limit_since: Option<i64>,
) -> Result<Decision> {
    let used = usage_count(used, "used")?;
    let requested = usage_count(requested, "requested")?;
    if requested == 0 {
        return Err(Error::new(ErrorCode::LimitsInvalidUsage, "requested must be 1 or more"));
    }
    let after = used.checked_add(requested).filter(|a| *a <= i64::MAX as u64).ok_or_else(|| {
        Error::new(ErrorCode::LimitsInvalidUsage, "used + requested does not fit in 64 bits")
    })?;
    let Some(limit) = spec.limit else {
        return Ok(Decision {
            allowed: true,
            status: Status::Ok,
            limit: None,
            used,
            requested,
            remaining: None,
            percent: None,
            crossed: Vec::new(),
            grace_ends_at: None,
            over_limit_since: None,
        });
    };
    let mut decision = Decision {
        allowed: true,
        status: Status::Ok,
        limit: Some(limit),
        used,
        requested,
        remaining: Some(limit.saturating_sub(after)),
        percent: Some(percent(after, limit)),
        crossed: Vec::new(),
        grace_ends_at: None,
        over_limit_since: None,
    };
    if after <= limit {
        decision.status = level_status(after, Some(limit), &spec.thresholds);
    } else {
        // A first overage later than now (stored by a clock ahead of this one) counts from now:
        // taken as it is, the grace time would not start running until then.
        let since = over_limit_since.map_or(now, |since| since.min(now));
        match (spec.kind, spec.grace) {
            (LimitKind::Soft, _) => {
                decision.status = Status::Exceeded;
                decision.over_limit_since = Some(since);
            }
            (LimitKind::Hard, Some(grace)) => {
                let ends = grace.duration.map(|d| since.saturating_add(d));
                let within_allowance =
                    grace.allowance.is_none_or(|a| after <= limit.saturating_add(a.units(limit)));
                let within_time = ends.is_none_or(|end| now < end);
                decision.grace_ends_at = ends;
                if within_allowance && within_time {
                    decision.status = Status::Grace;
                    decision.over_limit_since = Some(since);
                } else {
                    refuse(&mut decision, limit, over_limit_since);
                }
            }
            (LimitKind::Hard, None) => refuse(&mut decision, limit, over_limit_since),
        }
    }
    if decision.allowed {
        decision.crossed = crossed_with(used, after, Some(limit), &spec.thresholds);
    }
    Ok(decision)
}

fn refuse(decision: &mut Decision, limit: u64, over_limit_since: Option<i64>) {
    decision.allowed = false;
    decision.status = Status::Exceeded;
    decision.remaining = Some(limit.saturating_sub(decision.used));
    decision.over_limit_since = over_limit_since;
}

impl Decision {
    /// The decision, or `limits.exceeded` (a `LimitExceededError`) when it was refused.
    ///
    /// ```
    /// use tenantry::limits::PlanCatalog;
    /// let c = PlanCatalog::from_json(r#"{"free": {"limits": {"seats": 1}}}"#).unwrap();
    /// let d = c.entitlements("free", None, None).unwrap().check("seats", 1, 1, 0, None).unwrap();
    /// assert_eq!(d.into_result("seats").unwrap_err().code(), "limits.exceeded");
    /// ```
    pub fn into_result(self, metric: &str) -> Result<Decision> {
        match self.refusal(metric) {
            Some(err) => Err(err),
            None => Ok(self),
        }
    }

    /// The `limits.exceeded` error [`into_result`](Self::into_result) gives for this decision on
    /// `metric`, or `None` when it was allowed. A binding that hands the refused decision over
    /// with the error checks, then asks this.
    ///
    /// ```
    /// use tenantry::limits::PlanCatalog;
    /// let c = PlanCatalog::from_json(r#"{"free": {"limits": {"seats": 1}}}"#)?;
    /// let d = c.entitlements("free", None, None)?.check("seats", 1, 1, 0, None)?;
    /// let err = d.refusal("seats").map(|e| e.message().to_owned());
    /// assert_eq!(err.as_deref(), Some("seats: using 1 more on top of 1 would exceed the limit of 1"));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn refusal(&self, metric: &str) -> Option<Error> {
        if self.allowed {
            return None;
        }
        let limit = self.limit.map_or_else(|| "unlimited".to_owned(), |l| l.to_string());
        Some(Error::new(
            ErrorCode::LimitsExceeded,
            format!(
                "{metric}: using {} more on top of {} would exceed the limit of {limit}",
                self.requested, self.used
            ),
        ))
    }
}
