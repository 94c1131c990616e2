//! GCRA rate limits: `limit` requests per `period`, bursts up to `burst`, one integer of state.
//!
//! The state is the key's theoretical arrival time (TAT) in Unix milliseconds: the caller stores
//! it (Redis, SQL) and writes the new one back with compare-and-set, so many service instances
//! share one limit. The algorithm and its outputs (`remaining`, `reset_after`, `retry_after`)
//! follow `CL.THROTTLE` of redis-cell and agree with the governor crate on the same inputs.

use std::sync::Arc;

use crate::{Error, ErrorCode, Result};

/// A rate limit, built once and shared: `limit` requests per `period`, at most `burst` at once.
///
/// The emission interval (`period / limit`) is kept in whole milliseconds, rounded up, so the
/// limiter never admits more than its rate.
///
/// ```
/// use tenantry::limits::RateLimit;
/// let rl = RateLimit::new(60, 60_000, None).unwrap(); // 60 per minute (seed 004)
/// let mut state = None;
/// for _ in 0..60 {
///     let d = rl.check(state, 1_700_000_000_000, 1).unwrap();
///     assert!(d.allowed);
///     state = Some(d.state);
/// }
/// let d = rl.check(state, 1_700_000_000_000, 1).unwrap();
/// assert!(!d.allowed);
/// assert_eq!(d.retry_after_ms, Some(1_000));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    limit: u64,
    period_ms: i64,
    burst: u64,
    interval_ms: i64,
    tolerance_ms: i64,
    policy: Arc<str>,
}

/// The policy name of a rate limit made without one (in the `RateLimit-Policy` / `RateLimit`
/// fields).
///
/// ```
/// assert_eq!(tenantry::limits::RateLimit::new(5, 1000, None)?.policy(), tenantry::limits::DEFAULT_POLICY);
/// # Ok::<(), tenantry::Error>(())
/// ```
pub const DEFAULT_POLICY: &str = "default";

/// The largest accepted period: 10 years.
const MAX_PERIOD_MS: i64 = 10 * 366 * 86_400_000;
/// The largest accepted limit or burst.
const MAX_COUNT: u64 = 1_000_000_000;

impl RateLimit {
    /// `limit` requests per `period_ms` milliseconds; `burst` defaults to `limit`.
    ///
    /// `limit` and `burst` must be 1 to 10^9 and the period 1 ms to 10 years
    /// (`limits.invalid_config` otherwise).
    ///
    /// ```
    /// use tenantry::limits::RateLimit;
    /// assert_eq!(RateLimit::new(0, 1000, None).unwrap_err().code(), "limits.invalid_config");
    /// assert_eq!(RateLimit::new(10, 3_600_000, Some(3)).unwrap().burst(), 3);
    /// ```
    pub fn new(limit: u64, period_ms: i64, burst: Option<u64>) -> Result<Self> {
        Self::with_policy(limit, period_ms, burst, DEFAULT_POLICY)
    }

    /// Like [`new`](Self::new), naming the policy in the `RateLimit-Policy` / `RateLimit` fields.
    ///
    /// ```
    /// let rl = tenantry::limits::RateLimit::with_policy(100, 60_000, None, "reads").unwrap();
    /// assert_eq!(rl.policy(), "reads");
    /// assert!(tenantry::limits::RateLimit::with_policy(1, 1000, None, "bad name").is_err());
    /// ```
    pub fn with_policy(limit: u64, period_ms: i64, burst: Option<u64>, policy: &str) -> Result<Self> {
        let burst = burst.unwrap_or(limit);
        if !(1..=MAX_COUNT).contains(&limit) {
            return Err(bad_count("limit", limit));
        }
        if !(1..=MAX_COUNT).contains(&burst) {
            return Err(bad_count("burst", burst));
        }
        if !(1..=MAX_PERIOD_MS).contains(&period_ms) {
            return Err(config("period must be more than 0 and at most 10 years".to_owned()));
        }
        let token_ok = !policy.is_empty()
            && policy.len() <= 64
            && policy.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        if !token_ok {
            return Err(config("policy name must be 1-64 characters of A-Z a-z 0-9 - _ .".to_owned()));
        }
        // Safe: limit >= 1, period <= 10 years, burst <= 1e9 keep every product within i64.
        let interval_ms = (period_ms as u64).div_ceil(limit).max(1) as i64;
        let tolerance_ms = interval_ms.saturating_mul(burst as i64);
        Ok(RateLimit { limit, period_ms, burst, interval_ms, tolerance_ms, policy: Arc::from(policy) })
    }

    /// `limit` requests per `period_secs` seconds (fractions allowed, kept to the millisecond).
    ///
    /// ```
    /// let rl = tenantry::limits::RateLimit::from_secs_f64(100, 60.0, None).unwrap();
    /// assert_eq!(rl.interval_ms(), 600);
    /// assert!(tenantry::limits::RateLimit::from_secs_f64(1, f64::NAN, None).is_err());
    /// ```
    pub fn from_secs_f64(limit: u64, period_secs: f64, burst: Option<u64>) -> Result<Self> {
        Self::from_secs_f64_with_policy(limit, period_secs, burst, DEFAULT_POLICY)
    }

    /// [`from_secs_f64`](Self::from_secs_f64) with a policy name.
    ///
    /// ```
    /// let rl = tenantry::limits::RateLimit::from_secs_f64_with_policy(10, 3600.0, None, "updates").unwrap();
    /// assert_eq!(rl.period_ms(), 3_600_000);
    /// ```
    pub fn from_secs_f64_with_policy(
        limit: u64,
        period_secs: f64,
        burst: Option<u64>,
        policy: &str,
    ) -> Result<Self> {
        let ms = (period_secs * 1000.0).round();
        if !ms.is_finite() || ms < 1.0 || ms > MAX_PERIOD_MS as f64 {
            return Err(config("period must be a number of seconds from 0.001 to 10 years".to_owned()));
        }
        Self::with_policy(limit, ms as i64, burst, policy)
    }

    /// From JavaScript numbers: `limit` and `burst` must be whole numbers, `period_secs` seconds.
    ///
    /// ```
    /// let rl = tenantry::limits::RateLimit::from_f64(60.0, 60.0, None, "default").unwrap();
    /// assert_eq!(rl.burst(), 60);
    /// assert_eq!(tenantry::limits::RateLimit::from_f64(1.5, 60.0, None, "default").unwrap_err().code(), "limits.invalid_config");
    /// ```
    pub fn from_f64(limit: f64, period_secs: f64, burst: Option<f64>, policy: &str) -> Result<Self> {
        let whole = |v: f64, what: &str| -> Result<u64> {
            if v.is_finite() && v.fract() == 0.0 && (1.0..=MAX_COUNT as f64).contains(&v) {
                Ok(v as u64)
            } else {
                Err(bad_count(what, v))
            }
        };
        let limit = whole(limit, "limit")?;
        let burst = match burst {
            Some(b) => Some(whole(b, "burst")?),
            None => None,
        };
        Self::from_secs_f64_with_policy(limit, period_secs, burst, policy)
    }

    /// Requests per period.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::RateLimit::new(5, 1000, None).unwrap().limit(), 5);
    /// ```
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The period in milliseconds.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::RateLimit::new(5, 1000, None).unwrap().period_ms(), 1000);
    /// ```
    pub fn period_ms(&self) -> i64 {
        self.period_ms
    }

    /// The most requests admitted at once.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::RateLimit::new(5, 1000, None).unwrap().burst(), 5);
    /// ```
    pub fn burst(&self) -> u64 {
        self.burst
    }

    /// The emission interval: one request's worth of time, in ms (rounded up).
    ///
    /// ```
    /// assert_eq!(tenantry::limits::RateLimit::new(3, 1000, None).unwrap().interval_ms(), 334);
    /// ```
    pub fn interval_ms(&self) -> i64 {
        self.interval_ms
    }

    /// The policy name used in the IETF fields.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::RateLimit::new(5, 1000, None).unwrap().policy(), "default");
    /// ```
    pub fn policy(&self) -> &str {
        &self.policy
    }

    /// Decides one request of weight `cost` at `now_ms`, given the stored state (`None` for a new
    /// key). Store `state` of the result only if `allowed` (it is the old one otherwise), with
    /// compare-and-set against the value read. `cost` 0 peeks without using anything; a negative
    /// cost is `limits.invalid_usage`; a time before 1970 or past 9999 is `input.invalid_time`, and
    /// a state past 2^53 - 1 (which no JavaScript number holds exactly) `input.invalid`.
    ///
    /// The state is a time (GCRA's theoretical arrival time), so a clock behind the one that
    /// wrote it (a clock set back, or another instance's that lags) sees that much less time
    /// passed: it admits less, never more. Keep the clocks of instances that share states in
    /// step. A state further ahead than this limit ever writes (one written under a larger
    /// limit, say) refuses until its time comes: drop the stored states when you lower a limit.
    ///
    /// ```
    /// use tenantry::limits::RateLimit;
    /// let rl = RateLimit::new(1, 1000, Some(5)).unwrap(); // redis-cell: max_burst 4, 1 per second
    /// let d = rl.check(None, 0, 1).unwrap();
    /// assert_eq!((d.allowed, d.remaining, d.reset_after_ms, d.state), (true, 4, 1000, 1000));
    /// let big = rl.check(Some(d.state), 0, 6).unwrap();
    /// assert!(!big.allowed && big.retry_after_ms.is_none()); // can never fit
    /// ```
    pub fn check(&self, state: Option<i64>, now_ms: i64, cost: i64) -> Result<RateDecision> {
        if cost < 0 {
            return Err(Error::new(
                ErrorCode::LimitsInvalidUsage,
                format!("cost must be 0 or more, got {cost}"),
            ));
        }
        crate::time_range::check_millis(now_ms)?;
        if let Some(state) = state.filter(|s| s.unsigned_abs() > MAX_SAFE) {
            return Err(not_a_safe_integer("state", state));
        }
        let t = i128::from(self.interval_ms);
        let tolerance = i128::from(self.tolerance_ms);
        let now = i128::from(now_ms);
        let tat = state.map_or(now, i128::from);
        let base = tat.max(now);
        let increment = t * i128::from(cost);
        let new_tat = base + increment;
        let allow_at = new_tat - tolerance;
        let (allowed, ttl, next_state, retry_after) = if now < allow_at {
            let retry = (increment <= tolerance).then_some(allow_at - now);
            (false, base - now, tat, retry)
        } else {
            (true, new_tat - now, new_tat, None)
        };
        let next = tolerance - ttl;
        // 0 <= next / t <= burst; divide in 64 bits when it fits (128-bit division is slow).
        let remaining = if next <= -t {
            0
        } else {
            match (i64::try_from(next), i64::try_from(t)) {
                (Ok(n), Ok(d)) => i128::from((n / d).max(0)),
                _ => (next / t).max(0),
            }
        };
        // A safe integer (285,000 years either side of 1970 in ms): a state any language stores
        // and reads back exactly, a JavaScript number included.
        let next_state =
            i64::try_from(next_state).ok().filter(|s| s.unsigned_abs() <= MAX_SAFE).ok_or_else(|| {
                Error::new(ErrorCode::InvalidTime, "rate limit state is outside the supported range")
            })?;
        Ok(self.decision(
            allowed,
            next_state,
            u64::try_from(remaining).unwrap_or(0),
            i64::try_from(ttl).unwrap_or(i64::MAX),
            retry_after.map(|r| i64::try_from(r).unwrap_or(i64::MAX)),
        ))
    }

    /// The [`RateDecision`] with these outcome fields under this limit (its burst, quota, window
    /// and policy): how a binding that hands out the fields alone rebuilds a decision, e.g. for
    /// [`RateDecision::headers`].
    ///
    /// ```
    /// let rl = tenantry::limits::RateLimit::new(60, 60_000, None).unwrap();
    /// let d = rl.check(None, 0, 1).unwrap();
    /// let again = rl.decision(d.allowed, d.state, d.remaining, d.reset_after_ms, d.retry_after_ms);
    /// assert_eq!(again.headers(), d.headers());
    /// ```
    pub fn decision(
        &self,
        allowed: bool,
        state: i64,
        remaining: u64,
        reset_after_ms: i64,
        retry_after_ms: Option<i64>,
    ) -> RateDecision {
        RateDecision {
            allowed,
            state,
            limit: self.burst,
            remaining,
            reset_after_ms,
            retry_after_ms,
            quota: self.limit,
            window_secs: (self.period_ms as u64).div_ceil(1000) as i64,
            policy: Arc::clone(&self.policy),
        }
    }

    /// [`check`](Self::check), but a refused request is a `limits.rate_limited` error.
    ///
    /// ```
    /// let rl = tenantry::limits::RateLimit::new(1, 1000, None).unwrap();
    /// let d = rl.enforce(None, 0, 1).unwrap();
    /// assert_eq!(rl.enforce(Some(d.state), 0, 1).unwrap_err().code(), "limits.rate_limited");
    /// ```
    pub fn enforce(&self, state: Option<i64>, now_ms: i64, cost: i64) -> Result<RateDecision> {
        let d = self.check(state, now_ms, cost)?;
        match d.refusal() {
            Some(err) => Err(err),
            None => Ok(d),
        }
    }
}

/// The error for a `limit` or `burst` outside 1..=1,000,000,000, in the one wording every
/// binding gives (whether the number came as an integer or as a JavaScript number): for a
/// binding given an integer no `u64` holds (a negative or huge Python `int`), `got` as written.
///
/// ```
/// let err = tenantry::limits::bad_count("limit", -1);
/// assert_eq!(err.code(), "limits.invalid_config");
/// assert_eq!(err.message(), "limit must be a whole number from 1 to 1000000000, got -1");
/// ```
pub fn bad_count(what: &str, got: impl std::fmt::Display) -> Error {
    config(format!("{what} must be a whole number from 1 to {MAX_COUNT}, got {got}"))
}

/// A stored state from a JavaScript number: a whole number of milliseconds (else `input.invalid`).
///
/// ```
/// assert_eq!(tenantry::limits::state_from_f64(1_700_000_000_000.0).unwrap(), 1_700_000_000_000);
/// assert_eq!(tenantry::limits::state_from_f64(0.5).unwrap_err().code(), "input.invalid");
/// ```
pub fn state_from_f64(value: f64) -> Result<i64> {
    whole_from_f64(value, "state")
}

/// The error for a number named `what` that is not a safe integer (`input.invalid`, as
/// [`RateLimit::check`] gives it for a stored state past 2^53): for a binding handed an integer it
/// cannot even hold as an `i64`.
///
/// ```
/// let err = tenantry::limits::not_a_safe_integer("state", 1u128 << 64);
/// assert_eq!(err.code(), "input.invalid");
/// assert_eq!(err.message(), "state must be a whole number (a safe integer), got 18446744073709551616");
/// ```
pub fn not_a_safe_integer(what: &str, got: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::InvalidInput, format!("{what} must be a whole number (a safe integer), got {got}"))
}

/// A whole number from a JavaScript number (a safe integer, any sign), else `input.invalid`.
///
/// ```
/// assert_eq!(tenantry::limits::whole_from_f64(-1.0, "limit").unwrap(), -1);
/// assert!(tenantry::limits::whole_from_f64(f64::NAN, "limit").is_err());
/// let err = tenantry::limits::whole_from_f64(f64::INFINITY, "limit").unwrap_err();
/// assert_eq!(err.message(), "limit must be a whole number (a safe integer), got Infinity");
/// ```
pub fn whole_from_f64(value: f64, what: &str) -> Result<i64> {
    if value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_SAFE as f64 {
        return Ok(value as i64);
    }
    // (Written as JavaScript writes the number: `Infinity`, `1e+21`.)
    Err(not_a_safe_integer(what, ryu_js::Buffer::new().format(value)))
}

/// 2^53 - 1: the largest whole number a double tells apart from its neighbours.
const MAX_SAFE: u64 = (1 << 53) - 1;

/// A size or count a binding was given as a whole number (`what` names it): `input.invalid` when
/// it is negative, where a cast would make it 0 (an audit `max_metadata_bytes` of -1 was a limit
/// of 0 bytes) or wrap it.
///
/// ```
/// assert_eq!(tenantry::limits::size_from_i64(8192, "max_metadata_bytes").ok(), Some(8192));
/// let err = tenantry::limits::size_from_i64(-1, "max_metadata_bytes").err();
/// assert_eq!(err.map(|e| e.message().to_owned()).as_deref(), Some("max_metadata_bytes must be zero or more, got -1"));
/// ```
pub fn size_from_i64(value: i64, what: &str) -> Result<usize> {
    usize::try_from(value)
        .map_err(|_| Error::new(ErrorCode::InvalidInput, format!("{what} must be zero or more, got {value}")))
}

fn config(message: String) -> Error {
    Error::new(ErrorCode::LimitsInvalidConfig, message)
}

/// The outcome of [`RateLimit::check`].
///
/// ```
/// let rl = tenantry::limits::RateLimit::new(60, 60_000, None).unwrap();
/// let d = rl.check(None, 0, 1).unwrap();
/// assert_eq!(d.headers()[0], ("X-RateLimit-Limit", "60".to_owned()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RateDecision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// The state to store (TAT, Unix ms): new if allowed, the old one (or `now` for a new key)
    /// if not.
    pub state: i64,
    /// The burst: the most requests admitted at once (`X-RateLimit-Limit`).
    pub limit: u64,
    /// Requests of cost 1 that would be admitted right now after this one.
    pub remaining: u64,
    /// Milliseconds until the limiter is back to a full burst.
    pub reset_after_ms: i64,
    /// Milliseconds until this request would be admitted; `None` when allowed, or when its cost
    /// exceeds the burst and it never can be.
    pub retry_after_ms: Option<i64>,
    /// Requests per window (`q` of `RateLimit-Policy`).
    #[serde(skip)]
    pub quota: u64,
    /// The window in seconds (`w` of `RateLimit-Policy`).
    #[serde(skip)]
    pub window_secs: i64,
    /// The policy name.
    #[serde(skip)]
    pub policy: Arc<str>,
}

fn ceil_secs(ms: i64) -> i64 {
    (ms.max(0) as u64).div_ceil(1000) as i64
}

impl RateDecision {
    /// `reset_after_ms` in whole seconds, rounded up (as `CL.THROTTLE` reports it).
    ///
    /// ```
    /// let d = tenantry::limits::RateLimit::new(3, 1000, None).unwrap().check(None, 0, 1).unwrap();
    /// assert_eq!((d.reset_after_ms, d.reset_after_secs()), (334, 1));
    /// ```
    pub fn reset_after_secs(&self) -> i64 {
        ceil_secs(self.reset_after_ms)
    }

    /// `retry_after_ms` in whole seconds, rounded up (the `Retry-After` value).
    ///
    /// ```
    /// let d = tenantry::limits::RateLimit::new(1, 1000, None).unwrap().check(None, 0, 1).unwrap();
    /// assert_eq!(d.retry_after_secs(), None);
    /// ```
    pub fn retry_after_secs(&self) -> Option<i64> {
        self.retry_after_ms.map(ceil_secs)
    }

    /// The `limits.rate_limited` error [`enforce`](RateLimit::enforce) gives for this decision,
    /// or `None` when it was allowed. A binding that hands the refused decision over with the
    /// error (for the 429 response's headers) checks, then asks this.
    ///
    /// ```
    /// let rl = tenantry::limits::RateLimit::new(1, 1000, None)?;
    /// let d = rl.check(None, 0, 1)?;
    /// assert!(d.refusal().is_none());
    /// let refused = rl.check(Some(d.state), 0, 1)?;
    /// assert_eq!(refused.refusal().map(|e| e.message().to_owned()).as_deref(), Some("rate limit of 1 per 1 s exceeded; retry in 1 s"));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn refusal(&self) -> Option<Error> {
        if self.allowed {
            return None;
        }
        let retry = self
            .retry_after_secs()
            .map_or_else(|| "never (cost exceeds the burst)".to_owned(), |s| format!("in {s} s"));
        Some(Error::new(
            ErrorCode::LimitsRateLimited,
            format!("rate limit of {} per {} s exceeded; retry {retry}", self.quota, self.window_secs),
        ))
    }

    /// The response headers: `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`
    /// (seconds until a full reset), `RateLimit-Policy` and `RateLimit` (IETF httpapi draft:
    /// `"name";q=…;w=…` and `"name";r=…;t=…`), and `Retry-After` when refused and retryable.
    ///
    /// ```
    /// let rl = tenantry::limits::RateLimit::new(60, 60_000, None).unwrap();
    /// let d = rl.check(None, 0, 1).unwrap();
    /// let h: Vec<String> = d.headers().iter().map(|(k, v)| format!("{k}: {v}")).collect();
    /// assert_eq!(h, [
    ///     "X-RateLimit-Limit: 60", "X-RateLimit-Remaining: 59", "X-RateLimit-Reset: 1",
    ///     "RateLimit-Policy: \"default\";q=60;w=60", "RateLimit: \"default\";r=59;t=1",
    /// ]);
    /// ```
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let reset = self.reset_after_secs();
        let mut out = Vec::with_capacity(6);
        out.push(("X-RateLimit-Limit", self.limit.to_string()));
        out.push(("X-RateLimit-Remaining", self.remaining.to_string()));
        out.push(("X-RateLimit-Reset", reset.to_string()));
        out.push((
            "RateLimit-Policy",
            format!("\"{}\";q={};w={}", self.policy, self.quota, self.window_secs),
        ));
        out.push(("RateLimit", format!("\"{}\";r={};t={reset}", self.policy, self.remaining)));
        if let (false, Some(retry)) = (self.allowed, self.retry_after_secs()) {
            out.push(("Retry-After", retry.to_string()));
        }
        out
    }
}
