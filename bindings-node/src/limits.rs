//! `PlanCatalog`, `Entitlements`, `Decision`, `RateLimit`, `RateDecision`, `crossed`,
//! `periodWindow`: tier limits, usage periods, threshold alerts and GCRA rate limits.

use napi::bindgen_prelude::*;
use serde_json::Value;
use tenantry::limits as core;

use crate::convert::{Time, json_arg, unix_millis, unix_seconds};
use crate::errors::IntoJsResult;

fn now_secs(env: &Env, now: Option<Time>) -> Result<i64> {
    now.map_or_else(|| Ok(tenantry::webhooks::unix_now()), |t| unix_seconds(env, &t))
}

fn opt_secs(env: &Env, t: Option<Time>) -> Result<Option<i64>> {
    t.map(|t| unix_seconds(env, &t)).transpose()
}

fn count(env: &Env, value: f64, what: &str) -> Result<i64> {
    core::usage_count_f64(value, what).js(env)
}

/// A JSON document given as a plain JS value, or as JSON text when it is a string.
fn json_doc(env: &Env, value: Value) -> Result<Value> {
    match value {
        Value::String(text) => json_arg(env, Either::A(text)),
        other => json_arg(env, Either::B(other)),
    }
}

fn type_error(message: &str) -> napi::Error {
    napi::Error::new(Status::InvalidArg, message.to_owned())
}

// ---- catalog and entitlements ---------------------------------------------------------------

/// Options of `PlanCatalog.entitlements`.
#[napi(object)]
pub struct EntitlementsOptions {
    /// `{ limits: { metric: limit | spec }, features: [names] }`, an object or JSON text.
    pub overrides: Option<Value>,
    /// When the tenant's trial ends.
    pub trial_ends_at: Option<Time>,
}

/// Every plan a product sells, compiled once.
#[napi]
pub struct PlanCatalog {
    inner: core::PlanCatalog,
}

#[napi]
impl PlanCatalog {
    /// Builds from an object of plan name → plan, or its JSON text.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, plans: Value) -> Result<Self> {
        let doc = json_doc(&env, plans)?;
        Ok(PlanCatalog { inner: core::PlanCatalog::from_value(&doc).js(&env)? })
    }

    /// The plan names, in catalog order.
    #[napi(getter, catch_unwind)]
    pub fn plans(&self) -> Vec<String> {
        self.inner.plan_names().into_iter().map(str::to_owned).collect()
    }

    /// A tenant's effective entitlements: the plan with overrides applied.
    #[napi(catch_unwind)]
    pub fn entitlements(
        &self,
        env: Env,
        plan: String,
        options: Option<EntitlementsOptions>,
    ) -> Result<Entitlements> {
        let (overrides, trial_ends_at) = match options {
            Some(o) => {
                (o.overrides.map(|v| json_doc(&env, v)).transpose()?, opt_secs(&env, o.trial_ends_at)?)
            }
            None => (None, None),
        };
        let inner = self.inner.entitlements(&plan, overrides.as_ref(), trial_ends_at).js(&env)?;
        Ok(Entitlements { inner })
    }

    /// When a trial of `plan` started at `startedAt` ends (Unix seconds), or null.
    #[napi(catch_unwind)]
    pub fn trial_ends_at(&self, env: Env, plan: String, started_at: Time) -> Result<Option<i64>> {
        let started = unix_seconds(&env, &started_at)?;
        self.inner.trial_ends_at(&plan, started).js(&env)
    }
}

/// Options of `Entitlements.check` / `enforce`.
#[napi(object)]
pub struct CheckOptions {
    /// The time of the check (default: now); matters for grace durations.
    pub now: Option<Time>,
    /// The stored time of the first overage, from the previous decision's `overLimitSince`.
    pub over_limit_since: Option<Time>,
}

/// One metric with its effective limit and its source.
#[napi(object, use_nullable = true)]
pub struct EffectiveLimit {
    pub metric: String,
    pub limit: Option<i64>,
    pub plan_limit: Option<i64>,
    pub source: String,
    pub kind: String,
    pub period: String,
}

/// Whether the tenant's trial is running.
#[napi(object, use_nullable = true)]
pub struct TrialStatus {
    pub active: bool,
    pub ends_at: Option<i64>,
    pub days_left: i64,
}

/// One row of a usage report.
#[napi(object, use_nullable = true)]
pub struct UsageRow {
    pub metric: String,
    pub count: i64,
    pub limit: Option<i64>,
    pub remaining: Option<i64>,
    pub percent: Option<f64>,
    pub status: String,
}

/// One tenant's effective limits and features.
#[napi]
pub struct Entitlements {
    inner: core::Entitlements,
}

fn opt_i64(v: Option<u64>) -> Option<i64> {
    v.map(|n| i64::try_from(n).unwrap_or(i64::MAX))
}

#[napi]
impl Entitlements {
    /// The plan name.
    #[napi(getter, catch_unwind)]
    pub fn plan(&self) -> String {
        self.inner.plan().to_owned()
    }

    /// Feature names (plan's, then extra ones).
    #[napi(getter, catch_unwind)]
    pub fn features(&self) -> Vec<String> {
        self.inner.features().into_iter().map(str::to_owned).collect()
    }

    /// When the trial ends (Unix seconds), or null.
    #[napi(getter, catch_unwind)]
    pub fn trial_ends_at(&self) -> Option<i64> {
        self.inner.trial_ends_at()
    }

    /// May the tenant, having used `used`, use `requested` (default 1) more of `metric`?
    #[napi(catch_unwind)]
    pub fn check(
        &self,
        env: Env,
        metric: String,
        used: f64,
        requested: Option<f64>,
        options: Option<CheckOptions>,
    ) -> Result<Decision> {
        self.decide(env, metric, used, requested, options, false)
    }

    /// Like `check`, but throws `LimitExceededError` (`limits.exceeded`) when refused.
    #[napi(catch_unwind)]
    pub fn enforce(
        &self,
        env: Env,
        metric: String,
        used: f64,
        requested: Option<f64>,
        options: Option<CheckOptions>,
    ) -> Result<Decision> {
        self.decide(env, metric, used, requested, options, true)
    }

    fn decide(
        &self,
        env: Env,
        metric: String,
        used: f64,
        requested: Option<f64>,
        options: Option<CheckOptions>,
        enforce: bool,
    ) -> Result<Decision> {
        let used = count(&env, used, "used")?;
        let requested = requested.map_or(Ok(1), |r| count(&env, r, "requested"))?;
        let (now, since) = match options {
            Some(o) => (now_secs(&env, o.now)?, opt_secs(&env, o.over_limit_since)?),
            None => (now_secs(&env, None)?, None),
        };
        let inner = if enforce {
            self.inner.enforce(&metric, used, requested, now, since)
        } else {
            self.inner.check(&metric, used, requested, now, since)
        }
        .js(&env)?;
        Ok(Decision { inner })
    }

    /// The effective limit of a metric (null = unlimited).
    #[napi(catch_unwind)]
    pub fn limit(&self, env: Env, metric: String) -> Result<Option<i64>> {
        self.inner.limit(&metric).map(opt_i64).js(&env)
    }

    /// Every metric with its effective limit and source (`plan` / `override`).
    #[napi(catch_unwind)]
    pub fn limits(&self) -> Vec<EffectiveLimit> {
        self.inner
            .limits()
            .into_iter()
            .map(|l| EffectiveLimit {
                metric: l.metric.to_owned(),
                limit: opt_i64(l.limit),
                plan_limit: opt_i64(l.plan_limit.flatten()),
                source: l.source.to_owned(),
                kind: l.kind.to_owned(),
                period: l.period.to_owned(),
            })
            .collect()
    }

    /// Whether the tenant has a feature (`all` includes every feature).
    #[napi(catch_unwind)]
    pub fn has_feature(&self, name: String) -> bool {
        self.inner.has_feature(&name)
    }

    /// The trial at `now` (default: now).
    #[napi(catch_unwind)]
    pub fn trial_status(&self, env: Env, now: Option<Time>) -> Result<TrialStatus> {
        let t = self.inner.trial_status(now_secs(&env, now)?);
        Ok(TrialStatus { active: t.active, ends_at: t.ends_at, days_left: t.days_left })
    }

    /// One row per metric: `{ metric, count, limit, remaining, percent, status }`.
    #[napi(catch_unwind)]
    pub fn usage_report(&self, env: Env, usage: Value) -> Result<Vec<UsageRow>> {
        let Value::Object(map) = usage else {
            return Err(type_error("usage must be an object of metric -> number"));
        };
        let mut pairs = Vec::with_capacity(map.len());
        for (metric, v) in map {
            let n = match v.as_i64() {
                Some(i) => i,
                None => match v.as_f64() {
                    Some(f) => count(&env, f, &metric)?,
                    None => return Err(type_error("usage values must be numbers")),
                },
            };
            pairs.push((metric, n));
        }
        let rows = self.inner.usage_report(&pairs).js(&env)?;
        Ok(rows
            .into_iter()
            .map(|r| UsageRow {
                metric: r.metric,
                count: opt_i64(Some(r.count)).unwrap_or(i64::MAX),
                limit: opt_i64(r.limit),
                remaining: opt_i64(r.remaining),
                percent: r.percent,
                status: r.status.as_str().to_owned(),
            })
            .collect())
    }
}

/// The answer to "may this tenant use `requested` more units?".
#[napi]
pub struct Decision {
    inner: core::Decision,
}

/// A `Decision` as a plain object.
#[napi(object, use_nullable = true)]
pub struct DecisionObject {
    pub allowed: bool,
    pub status: String,
    pub limit: Option<i64>,
    pub used: i64,
    pub requested: i64,
    pub remaining: Option<i64>,
    pub percent: Option<f64>,
    pub crossed: Vec<f64>,
    pub grace_ends_at: Option<i64>,
    pub over_limit_since: Option<i64>,
}

#[napi]
impl Decision {
    #[napi(getter, catch_unwind)]
    pub fn allowed(&self) -> bool {
        self.inner.allowed
    }
    #[napi(getter, catch_unwind)]
    pub fn status(&self) -> &'static str {
        self.inner.status.as_str()
    }
    #[napi(getter, catch_unwind)]
    pub fn limit(&self) -> Option<i64> {
        opt_i64(self.inner.limit)
    }
    #[napi(getter, catch_unwind)]
    pub fn used(&self) -> i64 {
        opt_i64(Some(self.inner.used)).unwrap_or(i64::MAX)
    }
    #[napi(getter, catch_unwind)]
    pub fn requested(&self) -> i64 {
        opt_i64(Some(self.inner.requested)).unwrap_or(i64::MAX)
    }
    #[napi(getter, catch_unwind)]
    pub fn remaining(&self) -> Option<i64> {
        opt_i64(self.inner.remaining)
    }
    #[napi(getter, catch_unwind)]
    pub fn percent(&self) -> Option<f64> {
        self.inner.percent
    }
    #[napi(getter, catch_unwind)]
    pub fn crossed(&self) -> Vec<f64> {
        self.inner.crossed.clone()
    }
    #[napi(getter, catch_unwind)]
    pub fn grace_ends_at(&self) -> Option<i64> {
        self.inner.grace_ends_at
    }
    #[napi(getter, catch_unwind)]
    pub fn over_limit_since(&self) -> Option<i64> {
        self.inner.over_limit_since
    }

    /// Every field as a plain object (also what `JSON.stringify` writes).
    #[napi(js_name = "toJSON", catch_unwind)]
    pub fn to_json(&self) -> DecisionObject {
        let d = &self.inner;
        DecisionObject {
            allowed: d.allowed,
            status: d.status.as_str().to_owned(),
            limit: opt_i64(d.limit),
            used: opt_i64(Some(d.used)).unwrap_or(i64::MAX),
            requested: opt_i64(Some(d.requested)).unwrap_or(i64::MAX),
            remaining: opt_i64(d.remaining),
            percent: d.percent,
            crossed: d.crossed.clone(),
            grace_ends_at: d.grace_ends_at,
            over_limit_since: d.over_limit_since,
        }
    }
}

/// The thresholds passed when usage grows from `previous` to `current` against `limit`.
#[napi(catch_unwind)]
pub fn crossed(
    env: Env,
    previous: f64,
    current: f64,
    limit: Option<f64>,
    thresholds: Option<Vec<f64>>,
) -> Result<Vec<f64>> {
    let previous = count(&env, previous, "previous")?;
    let current = count(&env, current, "current")?;
    let limit = limit.map(|l| core::whole_from_f64(l, "limit").js(&env)).transpose()?;
    core::crossed(previous, current, limit, thresholds.as_deref()).js(&env)
}

/// A usage period `[start, end)` in Unix seconds.
#[napi(object)]
pub struct PeriodWindow {
    pub start: i64,
    pub end: i64,
}

/// The `[start, end)` of the usage period containing `now`.
#[napi(js_name = "periodWindow", catch_unwind)]
pub fn period_window(
    env: Env,
    kind: String,
    anchor: Option<Time>,
    now: Option<Time>,
    tz_offset: Option<i32>,
) -> Result<PeriodWindow> {
    let kind = core::PeriodKind::from_name(&kind).js(&env)?;
    let anchor = opt_secs(&env, anchor)?;
    let w = core::period_window(kind, anchor, now_secs(&env, now)?, tz_offset.unwrap_or(0)).js(&env)?;
    Ok(PeriodWindow { start: w.start, end: w.end })
}

// ---- rate limits ------------------------------------------------------------------------------

/// Options of `new RateLimit`.
#[napi(object)]
pub struct RateLimitOptions {
    /// The most requests admitted at once (default: `limit`).
    pub burst: Option<f64>,
    /// The policy name in the `RateLimit-Policy` / `RateLimit` fields (default `"default"`).
    pub policy: Option<String>,
}

/// A GCRA rate limit: `limit` requests per `period` seconds.
#[napi]
pub struct RateLimit {
    inner: core::RateLimit,
}

#[napi]
impl RateLimit {
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, limit: f64, period: f64, options: Option<RateLimitOptions>) -> Result<Self> {
        let (burst, policy) = match options {
            Some(o) => (o.burst, o.policy),
            None => (None, None),
        };
        let inner = core::RateLimit::from_f64(limit, period, burst, policy.as_deref().unwrap_or("default"))
            .js(&env)?;
        Ok(RateLimit { inner })
    }

    #[napi(getter, catch_unwind)]
    pub fn limit(&self) -> i64 {
        opt_i64(Some(self.inner.limit())).unwrap_or(i64::MAX)
    }
    #[napi(getter, catch_unwind)]
    pub fn period(&self) -> f64 {
        self.inner.period_ms() as f64 / 1000.0
    }
    #[napi(getter, catch_unwind)]
    pub fn burst(&self) -> i64 {
        opt_i64(Some(self.inner.burst())).unwrap_or(i64::MAX)
    }
    #[napi(getter, catch_unwind)]
    pub fn policy(&self) -> String {
        self.inner.policy().to_owned()
    }

    /// Decides one request of weight `cost` (default 1) against the stored `state` (null for a
    /// new key) at `now` (default: now).
    #[napi(catch_unwind)]
    pub fn check(
        &self,
        env: Env,
        state: Option<f64>,
        now: Option<Time>,
        cost: Option<f64>,
    ) -> Result<RateDecision> {
        let (state, now, cost) = rate_args(&env, state, now, cost)?;
        Ok(RateDecision { inner: self.inner.check(state, now, cost).js(&env)? })
    }

    /// Like `check`, but throws `LimitExceededError` (`limits.rate_limited`) when refused.
    #[napi(catch_unwind)]
    pub fn enforce(
        &self,
        env: Env,
        state: Option<f64>,
        now: Option<Time>,
        cost: Option<f64>,
    ) -> Result<RateDecision> {
        let (state, now, cost) = rate_args(&env, state, now, cost)?;
        Ok(RateDecision { inner: self.inner.enforce(state, now, cost).js(&env)? })
    }
}

fn rate_args(
    env: &Env,
    state: Option<f64>,
    now: Option<Time>,
    cost: Option<f64>,
) -> Result<(Option<i64>, i64, i64)> {
    let state = state.map(|s| core::state_from_f64(s).js(env)).transpose()?;
    let now = now.map_or_else(|| Ok(core::unix_now_ms()), |t| unix_millis(env, &t))?;
    let cost = match cost {
        Some(c) => core::usage_count_f64(c, "cost").js(env)?,
        None => 1,
    };
    Ok((state, now, cost))
}

/// A `RateDecision` as a plain object.
#[napi(object, use_nullable = true)]
pub struct RateDecisionObject {
    pub allowed: bool,
    pub state: i64,
    pub limit: i64,
    pub remaining: i64,
    pub reset_after_ms: i64,
    pub retry_after_ms: Option<i64>,
}

/// The outcome of `RateLimit.check`.
#[napi]
pub struct RateDecision {
    inner: core::RateDecision,
}

#[napi]
impl RateDecision {
    #[napi(getter, catch_unwind)]
    pub fn allowed(&self) -> bool {
        self.inner.allowed
    }
    #[napi(getter, catch_unwind)]
    pub fn state(&self) -> i64 {
        self.inner.state
    }
    #[napi(getter, catch_unwind)]
    pub fn limit(&self) -> i64 {
        opt_i64(Some(self.inner.limit)).unwrap_or(i64::MAX)
    }
    #[napi(getter, catch_unwind)]
    pub fn remaining(&self) -> i64 {
        opt_i64(Some(self.inner.remaining)).unwrap_or(i64::MAX)
    }
    /// Seconds until a full reset, rounded up.
    #[napi(getter, catch_unwind)]
    pub fn reset_after(&self) -> i64 {
        self.inner.reset_after_secs()
    }
    /// Seconds until this request would be admitted, rounded up; null when allowed or never.
    #[napi(getter, catch_unwind)]
    pub fn retry_after(&self) -> Option<i64> {
        self.inner.retry_after_secs()
    }
    #[napi(getter, catch_unwind)]
    pub fn reset_after_ms(&self) -> i64 {
        self.inner.reset_after_ms
    }
    #[napi(getter, catch_unwind)]
    pub fn retry_after_ms(&self) -> Option<i64> {
        self.inner.retry_after_ms
    }

    /// `X-RateLimit-*`, `RateLimit-Policy`, `RateLimit` and (when refused) `Retry-After`.
    #[napi(catch_unwind)]
    pub fn headers(&self, env: Env) -> Result<Object<'_>> {
        let mut obj = Object::new(&env)?;
        for (k, v) in self.inner.headers() {
            obj.set_named_property(k, v)?;
        }
        Ok(obj)
    }

    /// Every field as a plain object (also what `JSON.stringify` writes).
    #[napi(js_name = "toJSON", catch_unwind)]
    pub fn to_json(&self) -> RateDecisionObject {
        let d = &self.inner;
        RateDecisionObject {
            allowed: d.allowed,
            state: d.state,
            limit: opt_i64(Some(d.limit)).unwrap_or(i64::MAX),
            remaining: opt_i64(Some(d.remaining)).unwrap_or(i64::MAX),
            reset_after_ms: d.reset_after_ms,
            retry_after_ms: d.retry_after_ms,
        }
    }
}
