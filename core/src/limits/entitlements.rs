//! A tenant's entitlements: its plan with per-tenant overrides applied, and every question
//! asked of them (check a request, a feature, the trial, the usage report).

use std::sync::Arc;

use super::catalog::{MetricSpec, Plan};
use super::decision::{Decision, Status, decide, level_percent, level_status, usage_count};
use crate::{Error, ErrorCode, Result};

/// Per-tenant changes to a plan: custom limits and extra features.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Overrides {
    pub(crate) metrics: Vec<MetricSpec>,
    pub(crate) features: Vec<String>,
}

/// One metric of an entitlement and where its limit came from.
///
/// ```
/// use tenantry::limits::PlanCatalog;
/// let c = PlanCatalog::from_json(r#"{"free": {"limits": {"seats": 5, "teams": 2}}}"#).unwrap();
/// let o = serde_json::json!({"limits": {"seats": 10}});
/// let ent = c.entitlements("free", Some(&o), None).unwrap();
/// let rows = ent.limits();
/// assert_eq!((rows[0].metric, rows[0].limit, rows[0].source), ("seats", Some(10), "override"));
/// assert_eq!(rows[0].plan_limit, Some(Some(5)));
/// assert_eq!(rows[1].source, "plan");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EffectiveLimit<'a> {
    /// The metric name.
    pub metric: &'a str,
    /// The effective limit (`None` = unlimited).
    pub limit: Option<u64>,
    /// The plan's own limit: `Some(limit)` if the plan defines the metric, `None` if only the
    /// override does.
    pub plan_limit: Option<Option<u64>>,
    /// `plan` or `override`.
    pub source: &'static str,
    /// `hard` or `soft`.
    pub kind: &'static str,
    /// `none`, `day`, `month` or `year`.
    pub period: &'static str,
}

/// Whether a tenant's trial is running.
///
/// ```
/// use tenantry::limits::PlanCatalog;
/// let c = PlanCatalog::from_json(r#"{"pro": {"limits": {}, "trial_days": 14}}"#).unwrap();
/// let ent = c.entitlements("pro", None, Some(10 * 86_400)).unwrap();
/// let t = ent.trial_status(86_400 / 2);
/// assert!(t.active);
/// assert_eq!(t.days_left, 10); // 9.5 days, rounded up
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TrialStatus {
    /// `now` is before the trial's end.
    pub active: bool,
    /// When the trial ends (Unix seconds), if the tenant has a trial.
    pub ends_at: Option<i64>,
    /// Whole days left, rounded up; 0 once it has ended.
    pub days_left: i64,
}

/// One row of a usage report: a metric's usage against its limit.
///
/// ```
/// use tenantry::limits::PlanCatalog;
/// let c = PlanCatalog::from_json(r#"{"free": {"limits": {"seats": 5}}}"#).unwrap();
/// let report = c.entitlements("free", None, None).unwrap().usage_report(&[("seats", 4)]).unwrap();
/// assert_eq!(report[0].percent, Some(80.0));
/// assert_eq!(report[0].status.as_str(), "warning");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UsageRow {
    /// The metric name.
    pub metric: String,
    /// Current usage.
    pub count: u64,
    /// The effective limit (`None` = unlimited).
    pub limit: Option<u64>,
    /// Units left (`None` = unlimited).
    pub remaining: Option<u64>,
    /// Usage as a percentage of the limit, 2 decimals (`None` = unlimited).
    pub percent: Option<f64>,
    /// `ok`, `warning` or `exceeded`.
    pub status: Status,
}

/// A tenant's effective limits and features; cheap to build (shares the compiled plan).
///
/// ```
/// use tenantry::limits::PlanCatalog;
/// let c = PlanCatalog::from_json(r#"{"free": {"limits": {"max_users": 5}, "features": ["chat"]}}"#).unwrap();
/// let ent = c.entitlements("free", None, None).unwrap();
/// assert_eq!(ent.plan(), "free");
/// assert!(!ent.check("max_users", 5, 1, 0, None).unwrap().allowed);
/// assert_eq!(ent.check("projects", 0, 1, 0, None).unwrap_err().code(), "limits.unknown_metric");
/// ```
#[derive(Debug, Clone)]
pub struct Entitlements {
    plan: Arc<Plan>,
    overrides: Overrides,
    trial_ends_at: Option<i64>,
}

impl Entitlements {
    pub(crate) fn new(plan: Arc<Plan>, overrides: Overrides, trial_ends_at: Option<i64>) -> Self {
        Entitlements { plan, overrides, trial_ends_at }
    }

    /// The plan name.
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {}}}"#).unwrap();
    /// assert_eq!(c.entitlements("free", None, None).unwrap().plan(), "free");
    /// ```
    pub fn plan(&self) -> &str {
        &self.plan.name
    }

    /// The effective spec of a metric (override first, then plan).
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {"seats": 2}}}"#).unwrap();
    /// assert!(c.entitlements("free", None, None).unwrap().metric("seats").is_some());
    /// ```
    pub fn metric(&self, name: &str) -> Option<&MetricSpec> {
        self.overrides.metrics.iter().find(|m| m.name == name).or_else(|| self.plan.metric(name))
    }

    fn spec(&self, name: &str) -> Result<&MetricSpec> {
        self.metric(name).ok_or_else(|| {
            Error::new(
                ErrorCode::LimitsUnknownMetric,
                format!("plan {:?} has no metric {name:?}", self.plan.name),
            )
        })
    }

    /// The effective limit of a metric (`None` = unlimited).
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {"seats": -1}}}"#).unwrap();
    /// assert_eq!(c.entitlements("free", None, None).unwrap().limit("seats").unwrap(), None);
    /// ```
    pub fn limit(&self, metric: &str) -> Result<Option<u64>> {
        Ok(self.spec(metric)?.limit)
    }

    /// Decides whether the tenant, having used `used`, may use `requested` more of `metric`.
    ///
    /// `now` matters only for grace durations; `over_limit_since` is the stored time of the
    /// first overage (the decision returns the value to store next). Negative usage or a
    /// `requested` below 1 is `limits.invalid_usage`; an unknown metric `limits.unknown_metric`.
    ///
    /// ```
    /// use tenantry::limits::{PlanCatalog, Status};
    /// let c = PlanCatalog::from_json(r#"{"free": {"limits": {"tokens":
    ///     {"limit": 1000, "grace": {"percent": 10, "duration": 86400}}}}}"#).unwrap();
    /// let ent = c.entitlements("free", None, None).unwrap();
    /// let d = ent.check("tokens", 990, 50, 1_000, None).unwrap();
    /// assert_eq!((d.allowed, d.status), (true, Status::Grace));
    /// assert_eq!(d.grace_ends_at, Some(1_000 + 86_400));
    /// assert!(!ent.check("tokens", 1040, 100, 1_000, Some(1_000)).unwrap().allowed); // past 10 %
    /// ```
    pub fn check(
        &self,
        metric: &str,
        used: i64,
        requested: i64,
        now: i64,
        over_limit_since: Option<i64>,
    ) -> Result<Decision> {
        decide(self.spec(metric)?, used, requested, now, over_limit_since)
    }

    /// [`check`](Self::check), but a refused request is a `limits.exceeded` error.
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {"seats": 2}}}"#).unwrap();
    /// let ent = c.entitlements("free", None, None).unwrap();
    /// assert_eq!(ent.enforce("seats", 2, 1, 0, None).unwrap_err().code(), "limits.exceeded");
    /// ```
    pub fn enforce(
        &self,
        metric: &str,
        used: i64,
        requested: i64,
        now: i64,
        over_limit_since: Option<i64>,
    ) -> Result<Decision> {
        self.check(metric, used, requested, now, over_limit_since)?.into_result(metric)
    }

    /// Whether the tenant has a feature: the plan's (`all` includes everything) or an extra one.
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {}, "features": ["chat"]}}"#).unwrap();
    /// let ent = c.entitlements("free", Some(&serde_json::json!({"features": ["sso"]})), None).unwrap();
    /// assert!(ent.has_feature("chat") && ent.has_feature("sso") && !ent.has_feature("sla"));
    /// ```
    pub fn has_feature(&self, name: &str) -> bool {
        self.plan.has_feature(name) || self.overrides.features.iter().any(|f| f == name || f == "all")
    }

    /// The feature names: the plan's, then the extra ones (no duplicates).
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {}, "features": ["chat"]}}"#).unwrap();
    /// let ent = c.entitlements("free", Some(&serde_json::json!({"features": ["chat", "sso"]})), None).unwrap();
    /// assert_eq!(ent.features(), vec!["chat", "sso"]);
    /// ```
    pub fn features(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for f in self.plan.features.iter().chain(self.overrides.features.iter()) {
            if !out.contains(&f.as_str()) {
                out.push(f);
            }
        }
        out
    }

    /// The extra features granted by overrides.
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {}}}"#).unwrap();
    /// let ent = c.entitlements("free", Some(&serde_json::json!({"features": ["sso"]})), None).unwrap();
    /// assert_eq!(ent.extra_features(), ["sso".to_owned()]);
    /// ```
    pub fn extra_features(&self) -> &[String] {
        &self.overrides.features
    }

    /// Every metric with its effective limit and whether it comes from the plan or an override:
    /// plan metrics in catalog order, then metrics only the overrides define.
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {"seats": 1}}}"#).unwrap();
    /// let ent = c.entitlements("free", Some(&serde_json::json!({"limits": {"gpus": 2}})), None).unwrap();
    /// assert_eq!(ent.limits().iter().map(|l| l.metric).collect::<Vec<_>>(), vec!["seats", "gpus"]);
    /// ```
    pub fn limits(&self) -> Vec<EffectiveLimit<'_>> {
        let mut out = Vec::with_capacity(self.plan.metrics.len() + self.overrides.metrics.len());
        for m in &self.plan.metrics {
            let o = self.overrides.metrics.iter().find(|o| o.name == m.name);
            let eff = o.unwrap_or(m);
            out.push(EffectiveLimit {
                metric: &m.name,
                limit: eff.limit,
                plan_limit: Some(m.limit),
                source: if o.is_some() { "override" } else { "plan" },
                kind: eff.kind.as_str(),
                period: eff.period.as_str(),
            });
        }
        for o in &self.overrides.metrics {
            if self.plan.metric(&o.name).is_none() {
                out.push(EffectiveLimit {
                    metric: &o.name,
                    limit: o.limit,
                    plan_limit: None,
                    source: "override",
                    kind: o.kind.as_str(),
                    period: o.period.as_str(),
                });
            }
        }
        out
    }

    /// When the trial ends, as given to [`PlanCatalog::entitlements`](super::PlanCatalog::entitlements).
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {}}}"#).unwrap();
    /// assert_eq!(c.entitlements("free", None, Some(5)).unwrap().trial_ends_at(), Some(5));
    /// ```
    pub fn trial_ends_at(&self) -> Option<i64> {
        self.trial_ends_at
    }

    /// The trial at `now`: active while `now < ends_at`; days left rounded up.
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {}}}"#).unwrap();
    /// let t = c.entitlements("free", None, None).unwrap().trial_status(0);
    /// assert!(!t.active && t.ends_at.is_none() && t.days_left == 0);
    /// ```
    pub fn trial_status(&self, now: i64) -> TrialStatus {
        match self.trial_ends_at {
            Some(end) if now < end => {
                let left = i128::from(end) - i128::from(now);
                let days = (left + 86_399) / 86_400;
                TrialStatus {
                    active: true,
                    ends_at: Some(end),
                    days_left: i64::try_from(days).unwrap_or(i64::MAX),
                }
            }
            ends_at => TrialStatus { active: false, ends_at, days_left: 0 },
        }
    }

    /// One row per metric of the entitlement (in [`limits`](Self::limits) order), with the usage
    /// given for it (0 when absent). A usage for a metric the entitlement lacks is
    /// `limits.unknown_metric`; a negative one `limits.invalid_usage`.
    ///
    /// ```
    /// use tenantry::limits::PlanCatalog;
    /// let c = PlanCatalog::from_json(r#"{"free": {"limits": {"users": 5, "teams": 2}}}"#).unwrap();
    /// let rows = c.entitlements("free", None, None).unwrap().usage_report(&[("teams", 3)]).unwrap();
    /// assert_eq!((rows[0].count, rows[0].status.as_str()), (0, "ok"));
    /// assert_eq!((rows[1].count, rows[1].status.as_str()), (3, "exceeded"));
    /// ```
    pub fn usage_report<S: AsRef<str>>(&self, usage: &[(S, i64)]) -> Result<Vec<UsageRow>> {
        for (metric, count) in usage {
            self.spec(metric.as_ref())?;
            usage_count(*count, metric.as_ref())?;
        }
        let limits = self.limits();
        let mut rows = Vec::with_capacity(limits.len());
        for l in limits {
            let count = usage
                .iter()
                .rev()
                .find(|(m, _)| m.as_ref() == l.metric)
                .map_or(Ok(0), |(m, c)| usage_count(*c, m.as_ref()))?;
            let thresholds = self.metric(l.metric).map(|m| m.thresholds.as_slice()).unwrap_or_default();
            rows.push(UsageRow {
                metric: l.metric.to_owned(),
                count,
                limit: l.limit,
                remaining: l.limit.map(|lim| lim.saturating_sub(count)),
                percent: level_percent(count, l.limit),
                status: level_status(count, l.limit, thresholds),
            });
        }
        Ok(rows)
    }
}
