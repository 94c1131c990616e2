//! `PlanCatalog`, `Entitlements`, `Decision`, `RateLimit`, `RateDecision`, `crossed`,
//! `periodWindow`: tier limits, usage periods, threshold alerts and GCRA rate limits.

use std::ptr;
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::sys;
use serde_json::Value;
use tenantry::limits as core;

use crate::convert::{
    Js, RawCallback, Text, TextOr, Time, json_arg, new_handle, number_arg, opt_number_arg, raw_callback,
    raw_functions, string_arg, time_arg, time_millis_arg, type_error, unix_seconds, whole,
};
use crate::errors::{IntoJsResult, to_js};

fn now_secs(env: &Env, now: Option<Time>) -> Result<i64> {
    now.map_or_else(|| Ok(tenantry::webhooks::unix_now()), |t| unix_seconds(env, &t))
}

fn opt_secs(env: &Env, t: Option<Time>) -> Result<Option<i64>> {
    t.map(|t| unix_seconds(env, &t)).transpose()
}

fn count(env: &Env, value: f64, what: &str) -> Result<i64> {
    core::usage_count_f64(value, what).js(env)
}

// ---- catalog and entitlements ---------------------------------------------------------------

/// Options of `PlanCatalog.entitlements`.
#[napi(object, object_to_js = false)]
pub struct EntitlementsOptions {
    /// `{ limits: { metric: limit | spec }, features: [names] }`, an object or JSON text.
    pub overrides: Option<TextOr<Value>>,
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
    pub fn new(env: Env, plans: TextOr<Value>) -> Result<Self> {
        let doc = json_arg(&env, plans)?;
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
        plan: Text,
        options: Option<EntitlementsOptions>,
    ) -> Result<Entitlements> {
        let (overrides, trial_ends_at) = match options {
            Some(o) => {
                (o.overrides.map(|v| json_arg(&env, v)).transpose()?, opt_secs(&env, o.trial_ends_at)?)
            }
            None => (None, None),
        };
        let inner = self.inner.entitlements(&plan, overrides.as_ref(), trial_ends_at).js(&env)?;
        Ok(Entitlements { inner: Arc::new(inner) })
    }

    /// When a trial of `plan` started at `startedAt` ends (Unix seconds), or null.
    #[napi(catch_unwind)]
    pub fn trial_ends_at(&self, env: Env, plan: Text, started_at: Time) -> Result<Option<i64>> {
        let started = unix_seconds(&env, &started_at)?;
        self.inner.trial_ends_at(&plan, started).js(&env)
    }
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
    inner: Arc<core::Entitlements>,
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

    /// The handle `js/limits.js` passes to the `check` / `enforce` hot path (made once per object).
    #[napi(js_name = "_handle", catch_unwind)]
    pub fn handle<'a>(&self, env: Env) -> Result<Unknown<'a>> {
        new_handle(&env, Arc::clone(&self.inner), &ENTITLEMENTS_TAG)
    }

    /// The effective limit of a metric (null = unlimited).
    #[napi(catch_unwind)]
    pub fn limit(&self, env: Env, metric: Text) -> Result<Option<i64>> {
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
    pub fn has_feature(&self, name: Text) -> bool {
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
            return Err(type_error("usage must be an object of metric -> number".into()));
        };
        let mut pairs = Vec::with_capacity(map.len());
        for (metric, v) in map {
            let n = match v.as_i64() {
                Some(i) => i,
                None => match v.as_f64() {
                    Some(f) => count(&env, f, &metric)?,
                    None => return Err(type_error("usage values must be numbers".into())),
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
    kind: Text,
    anchor: Option<Time>,
    now: Option<Time>,
    tz_offset: Option<f64>,
) -> Result<PeriodWindow> {
    let kind = core::PeriodKind::from_name(&kind).js(&env)?;
    let anchor = opt_secs(&env, anchor)?;
    // Out of i32 is out of ±18 hours too: the core's error says so.
    let offset = tz_offset.map_or(Ok(0), |o| whole(&env, o, "tzOffset"))?;
    let offset = i32::try_from(offset).unwrap_or(i32::MAX);
    let w = core::period_window(kind, anchor, now_secs(&env, now)?, offset).js(&env)?;
    Ok(PeriodWindow { start: w.start, end: w.end })
}

// ---- rate limits ------------------------------------------------------------------------------

/// Options of `new RateLimit`.
#[napi(object)]
pub struct RateLimitOptions {
    /// The most requests admitted at once (default: `limit`).
    pub burst: Option<f64>,
    /// The policy name in the `RateLimit-Policy` / `RateLimit` fields (default `"default"`).
    pub policy: Option<Text>,
}

/// A GCRA rate limit: `limit` requests per `period` seconds.
#[napi]
pub struct RateLimit {
    inner: Arc<core::RateLimit>,
}

#[napi]
impl RateLimit {
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, limit: f64, period: f64, options: Option<RateLimitOptions>) -> Result<Self> {
        let (burst, policy) = match options {
            Some(o) => (o.burst, o.policy),
            None => (None, None),
        };
        let inner = core::RateLimit::from_f64(
            limit,
            period,
            burst,
            policy.as_deref().unwrap_or(core::DEFAULT_POLICY),
        )
        .js(&env)?;
        Ok(RateLimit { inner: Arc::new(inner) })
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

    /// The handle `js/limits.js` passes to the `check` / `enforce` hot path (made once per object).
    #[napi(js_name = "_handle", catch_unwind)]
    pub fn handle<'a>(&self, env: Env) -> Result<Unknown<'a>> {
        new_handle(&env, Arc::clone(&self.inner), &RATE_LIMIT_TAG)
    }

    /// `RateDecision.headers()`: the headers of the decision with these fields under this limit.
    #[napi(js_name = "_headers", catch_unwind)]
    pub fn headers<'a>(
        &self,
        env: Env,
        allowed: bool,
        state: f64,
        remaining: f64,
        reset_after_ms: f64,
        retry_after_ms: Option<f64>,
    ) -> Result<Object<'a>> {
        let d = self.inner.decision(
            allowed,
            state as i64,
            remaining as u64,
            reset_after_ms as i64,
            retry_after_ms.map(|ms| ms as i64),
        );
        let mut obj = Object::new(&env)?;
        for (k, v) in d.headers() {
            obj.set_named_property(k, v)?;
        }
        Ok(obj)
    }
}

// ---- hot paths: raw N-API ---------------------------------------------------------------------
//
// `Entitlements.check` and `RateLimit.check` must cost well under a microsecond from Node. Through
// `#[napi]` methods they cost 2-4 µs: napi-rs's per-call borrow tracking of `this`, conversion of
// option objects, and above all a `#[napi]` class instance per result (instance map, finalizer,
// reference). Here they are plain N-API callbacks: `js/limits.js` reads the options object in JS,
// passes the object's handle, the arguments and a scratch `Float64Array`, and builds the
// `Decision` / `RateDecision` (plain JS classes) from the numbers written into it.

static ENTITLEMENTS_TAG: sys::napi_type_tag =
    sys::napi_type_tag { lower: 0x7465_6e61_6e74_7279, upper: 0x6c69_6d69_7473_0001 };
static RATE_LIMIT_TAG: sys::napi_type_tag =
    sys::napi_type_tag { lower: 0x7465_6e61_6e74_7279, upper: 0x6c69_6d69_7473_0002 };

/// `Decision` slots: allowed, status index, limit, used, requested, remaining, percent,
/// graceEndsAt, overLimitSince, null mask (bit 0 limit, 1 remaining, 2 percent, 3 graceEndsAt,
/// 4 overLimitSince), crossed count, then the crossed thresholds.
const DECISION_FIXED: usize = 11;
/// `RateDecision` slots: allowed, state, limit, remaining, resetAfterMs, retryAfterMs, null mask
/// (bit 0 retryAfterMs / retryAfter), resetAfter, retryAfter.
const RATE_SLOTS: usize = 9;

fn status_index(status: core::Status) -> f64 {
    match status {
        core::Status::Ok => 0.0,
        core::Status::Warning => 1.0,
        core::Status::Grace => 2.0,
        core::Status::Exceeded => 3.0,
    }
}

fn out_error() -> napi::Error {
    type_error("the result array is too short".into())
}

/// `(handle, out, metric, used, requested, now, overLimitSince)`: writes the decision into `out`;
/// returns the crossed thresholds as an array only when they do not fit in `out`. With
/// `enforce`, a refused decision is written too, then thrown as the core's `limits.exceeded`
/// (`js/limits.js` hands the decision over with the error).
fn decide(env: &Env, args: &[Js<'_>; 7], enforce: bool) -> Result<sys::napi_value> {
    let [handle, out, metric, used, requested, now, since] = *args;
    // SAFETY: only `Entitlements::handle` makes handles tagged ENTITLEMENTS_TAG.
    let ent = unsafe { handle.handle::<core::Entitlements>(&ENTITLEMENTS_TAG, "Entitlements") }?;
    let metric = string_arg(metric, "metric")?;
    let used = count(env, number_arg(used, "used")?, "used")?;
    let requested = match opt_number_arg(requested, "requested")? {
        Some(r) => count(env, r, "requested")?,
        None => 1,
    };
    let now = time_arg(env, now, "options.now")?.unwrap_or_else(tenantry::webhooks::unix_now);
    let since = time_arg(env, since, "options.overLimitSince")?;
    let d = ent.check(&metric, used, requested, now, since).js(env)?;
    let refusal = if enforce { d.refusal(&metric) } else { None };
    let out = out.float64_out("out")?;
    let (fixed, rest) = out.split_at_mut_checked(DECISION_FIXED).ok_or_else(out_error)?;
    let nullable = |v: Option<f64>, bit: u32, mask: &mut u32| {
        v.unwrap_or_else(|| {
            *mask |= 1 << bit;
            0.0
        })
    };
    let mut mask = 0u32;
    let values = [
        f64::from(u8::from(d.allowed)),
        status_index(d.status),
        nullable(opt_i64(d.limit).map(|n| n as f64), 0, &mut mask),
        opt_i64(Some(d.used)).unwrap_or(i64::MAX) as f64,
        opt_i64(Some(d.requested)).unwrap_or(i64::MAX) as f64,
        nullable(opt_i64(d.remaining).map(|n| n as f64), 1, &mut mask),
        nullable(d.percent, 2, &mut mask),
        nullable(d.grace_ends_at.map(|n| n as f64), 3, &mut mask),
        nullable(d.over_limit_since.map(|n| n as f64), 4, &mut mask),
        f64::from(mask),
        d.crossed.len() as f64,
    ];
    fixed.copy_from_slice(&values);
    if let Some(err) = refusal {
        // (A refused decision crosses no threshold.)
        return Err(to_js(env, err));
    }
    if let Some(slots) = rest.get_mut(..d.crossed.len()) {
        slots.copy_from_slice(&d.crossed);
        return Ok(ptr::null_mut());
    }
    unsafe { ToNapiValue::to_napi_value(env.raw(), d.crossed) }
}

/// `(handle, out, state, now, cost)`: writes the rate decision into `out`. With `enforce`, a
/// refused decision is written too, then thrown as the core's `limits.rate_limited`.
fn rate(env: &Env, args: &[Js<'_>; 5], enforce: bool) -> Result<sys::napi_value> {
    let [handle, out, state, now, cost] = *args;
    // SAFETY: only `RateLimit::handle` makes handles tagged RATE_LIMIT_TAG.
    let rl = unsafe { handle.handle::<core::RateLimit>(&RATE_LIMIT_TAG, "RateLimit") }?;
    let state = opt_number_arg(state, "state")?.map(|s| core::state_from_f64(s).js(env)).transpose()?;
    let now = time_millis_arg(env, now, "now")?.unwrap_or_else(core::unix_now_ms);
    let cost = match opt_number_arg(cost, "cost")? {
        Some(c) => core::usage_count_f64(c, "cost").js(env)?,
        None => 1,
    };
    let d = rl.check(state, now, cost).js(env)?;
    let out = out.float64_out("out")?.get_mut(..RATE_SLOTS).ok_or_else(out_error)?;
    let retry = d.retry_after_ms;
    out.copy_from_slice(&[
        f64::from(u8::from(d.allowed)),
        d.state as f64,
        opt_i64(Some(d.limit)).unwrap_or(i64::MAX) as f64,
        opt_i64(Some(d.remaining)).unwrap_or(i64::MAX) as f64,
        d.reset_after_ms as f64,
        retry.map_or(0.0, |ms| ms as f64),
        f64::from(u8::from(retry.is_none())),
        d.reset_after_secs() as f64,
        d.retry_after_secs().map_or(0.0, |s| s as f64),
    ]);
    match if enforce { d.refusal() } else { None } {
        Some(err) => Err(to_js(env, err)),
        None => Ok(ptr::null_mut()),
    }
}

raw_callback!(entitlements_check => |env, args| decide(env, args, false));
raw_callback!(entitlements_enforce => |env, args| decide(env, args, true));
raw_callback!(rate_limit_check => |env, args| rate(env, args, false));
raw_callback!(rate_limit_enforce => |env, args| rate(env, args, true));

/// The hot-path functions for `js/limits.js`: `{ entitlementsCheck, entitlementsEnforce,
/// rateLimitCheck, rateLimitEnforce, decisionSlots, rateSlots }`.
#[napi(js_name = "_limitsHotPaths", catch_unwind)]
pub fn limits_hot_paths<'a>(env: Env) -> Result<Object<'a>> {
    let fns: [(&str, RawCallback); 4] = [
        ("entitlementsCheck", entitlements_check),
        ("entitlementsEnforce", entitlements_enforce),
        ("rateLimitCheck", rate_limit_check),
        ("rateLimitEnforce", rate_limit_enforce),
    ];
    let mut obj = raw_functions(&env, &fns)?;
    obj.set_named_property("decisionSlots", DECISION_FIXED as u32)?;
    obj.set_named_property("rateSlots", RATE_SLOTS as u32)?;
    Ok(obj)
}
