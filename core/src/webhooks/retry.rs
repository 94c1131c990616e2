//! When to retry a webhook delivery, when to give up, and when to disable the endpoint.
//!
//! A pure decision: the caller sends the HTTP request, stores the attempt count and the time the
//! endpoint's current run of failures began, and asks [`RetryPolicy::decide`] what to do next.
//!
//! **Attempt numbers** count delivery attempts of one message to one endpoint, starting at 1 for
//! the first (immediate) attempt. `decide(n, …)` is asked after attempt `n` completed; a retry
//! decision names attempt `n + 1` and when to make it. With the default schedule (the one svix
//! documents: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h) a message gets 8
//! attempts; after attempt 8 fails the decision is to give up (dead-letter the message).
//!
//! ```
//! use tenantry::webhooks::{DeliveryDecision, RetryPolicy};
//! let policy = RetryPolicy::default();
//! let now = 1_700_000_000;
//! assert_eq!(policy.decide(1, Some(200), None, None, now)?, DeliveryDecision::Succeeded);
//! assert_eq!(
//!     policy.decide(1, Some(500), None, None, now)?,
//!     DeliveryDecision::Retry { retry_at: now + 5, next_attempt: 2 }
//! );
//! # Ok::<(), tenantry::Error>(())
//! ```

use chrono::{DateTime, NaiveDateTime};

use crate::{Error, ErrorCode, Result, random};

/// The waits before each retry of the default policy: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
///
/// ```
/// assert_eq!(tenantry::webhooks::retry::DEFAULT_SCHEDULE.iter().sum::<i64>(), 99_305);
/// ```
pub const DEFAULT_SCHEDULE: [i64; 7] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];
/// An endpoint that has been failing for this long (5 days) is disabled.
///
/// ```
/// assert_eq!(tenantry::webhooks::retry::DEFAULT_DISABLE_AFTER_SECS, 432_000);
/// ```
pub const DEFAULT_DISABLE_AFTER_SECS: i64 = 5 * 24 * 3600;
/// The longest `Retry-After` honoured (1 day); longer requests are capped to it.
///
/// ```
/// assert_eq!(tenantry::webhooks::retry::DEFAULT_MAX_RETRY_AFTER_SECS, 86_400);
/// ```
pub const DEFAULT_MAX_RETRY_AFTER_SECS: i64 = 24 * 3600;
/// The growth factor of exponential backoff when none is given.
///
/// ```
/// assert_eq!(tenantry::webhooks::DEFAULT_BACKOFF_FACTOR, 2.0);
/// ```
pub const DEFAULT_BACKOFF_FACTOR: f64 = 2.0;
/// The most retries a policy may schedule.
///
/// ```
/// use tenantry::webhooks::{RetryOptions, RetryPolicy};
/// assert!(RetryPolicy::with_schedule(vec![1; 101], RetryOptions::default()).is_err());
/// ```
pub const MAX_RETRIES: usize = 100;
/// The longest single wait a policy may schedule (30 days).
const MAX_DELAY_SECS: i64 = 30 * 24 * 3600;

/// How the waits between attempts grow.
///
/// ```
/// use tenantry::webhooks::{Backoff, RetryOptions, RetryPolicy};
/// let backoff = Backoff::Exponential { initial_delay: 10, factor: 2.0, max_delay: 60, max_retries: 5 };
/// let policy = RetryPolicy::new(backoff, RetryOptions::default())?;
/// assert_eq!(policy.delays(), &[10, 20, 40, 60, 60]);
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Backoff {
    /// Explicit waits in seconds: `delays[i]` is the wait after attempt `i + 1` fails.
    Schedule {
        /// Seconds to wait before each retry, in order (may be empty: no retries).
        delays: Vec<i64>,
    },
    /// `initial_delay * factor^i`, capped at `max_delay`, for `max_retries` retries.
    Exponential {
        /// Wait before the first retry, in seconds (at least 1).
        initial_delay: i64,
        /// Growth factor (at least 1).
        factor: f64,
        /// Cap on any wait, in seconds (at least `initial_delay`).
        max_delay: i64,
        /// Number of retries after the first attempt (0 to 100).
        max_retries: u32,
    },
}

/// The settings every policy shares, with svix-like defaults.
///
/// ```
/// let options = tenantry::webhooks::RetryOptions::default();
/// assert_eq!(options.disable_after, 5 * 24 * 3600);
/// assert_eq!(options.jitter, 0.0);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RetryOptions {
    /// Random spread applied to each wait, as a fraction in `[0, 1]`: a wait `d` becomes a
    /// uniform value in `[d·(1−jitter), d·(1+jitter)]`. 0 (the default) means exact waits.
    pub jitter: f64,
    /// Disable the endpoint once it has been failing this many seconds (default 5 days).
    pub disable_after: i64,
    /// Cap on a `Retry-After` wait, in seconds (default 1 day).
    pub max_retry_after: i64,
}

impl RetryOptions {
    /// The defaults with the given settings replaced (`None` keeps the default), as the bindings'
    /// optional arguments give them.
    ///
    /// ```
    /// let options = tenantry::webhooks::RetryOptions::with_overrides(Some(0.1), None, None);
    /// assert_eq!((options.jitter, options.disable_after), (0.1, 5 * 24 * 3600));
    /// ```
    pub fn with_overrides(
        jitter: Option<f64>,
        disable_after: Option<i64>,
        max_retry_after: Option<i64>,
    ) -> Self {
        let defaults = RetryOptions::default();
        RetryOptions {
            jitter: jitter.unwrap_or(defaults.jitter),
            disable_after: disable_after.unwrap_or(defaults.disable_after),
            max_retry_after: max_retry_after.unwrap_or(defaults.max_retry_after),
        }
    }
}

impl Default for RetryOptions {
    fn default() -> Self {
        RetryOptions {
            jitter: 0.0,
            disable_after: DEFAULT_DISABLE_AFTER_SECS,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER_SECS,
        }
    }
}

/// Why a message is given up on (dead-lettered).
///
/// ```
/// use tenantry::webhooks::GiveUpReason;
/// assert_eq!(serde_json::to_value(GiveUpReason::AttemptsExhausted).unwrap(), "attempts_exhausted");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GiveUpReason {
    /// Every attempt of the schedule failed.
    AttemptsExhausted,
}

/// Why an endpoint should be disabled.
///
/// ```
/// use tenantry::webhooks::DisableReason;
/// assert_eq!(serde_json::to_value(DisableReason::Gone).unwrap(), "gone");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisableReason {
    /// The endpoint answered `410 Gone`.
    Gone,
    /// The endpoint has been failing for longer than the policy's `disable_after`.
    FailingTooLong,
}

/// What to do after a delivery attempt. Serializes as `{"action": "succeeded"}`,
/// `{"action": "retry", "retry_at": …, "next_attempt": …}`,
/// `{"action": "give_up", "reason": "attempts_exhausted"}` or
/// `{"action": "disable_endpoint", "reason": "gone" | "failing_too_long"}`.
///
/// ```
/// use tenantry::webhooks::DeliveryDecision;
/// let decision = DeliveryDecision::Retry { retry_at: 1_700_000_005, next_attempt: 2 };
/// assert_eq!(
///     serde_json::to_string(&decision).unwrap(),
///     r#"{"action":"retry","retry_at":1700000005,"next_attempt":2}"#
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum DeliveryDecision {
    /// The endpoint answered 2xx: the message is delivered (reset the endpoint's failure clock).
    Succeeded,
    /// Try again: make attempt `next_attempt` at `retry_at` (Unix seconds).
    Retry {
        /// When to make the next attempt, in Unix seconds.
        retry_at: i64,
        /// The number of the next attempt (the one just made plus one).
        next_attempt: u32,
    },
    /// Stop retrying this message and dead-letter it.
    GiveUp {
        /// Why.
        reason: GiveUpReason,
    },
    /// Stop delivering to this endpoint (and dead-letter the message).
    DisableEndpoint {
        /// Why.
        reason: DisableReason,
    },
}

/// A retry schedule with its rules for success, `410 Gone`, `Retry-After` and endpoint disabling.
///
/// Built once and immutable; [`decide`](Self::decide) only looks the wait up.
///
/// ```
/// use tenantry::webhooks::{RetryOptions, RetryPolicy};
/// let policy = RetryPolicy::with_schedule(vec![60, 600], RetryOptions::default())?;
/// assert_eq!(policy.max_attempts(), 3);
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    backoff: Backoff,
    options: RetryOptions,
    delays: Vec<i64>,
}

impl Default for RetryPolicy {
    /// The svix schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; disable after 5 days.
    fn default() -> Self {
        RetryPolicy {
            backoff: Backoff::Schedule { delays: DEFAULT_SCHEDULE.to_vec() },
            options: RetryOptions::default(),
            delays: DEFAULT_SCHEDULE.to_vec(),
        }
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::WebhookInvalidConfig, message)
}

impl RetryPolicy {
    /// Builds a policy, validating it (`webhook.invalid_config` on negative or over-30-day waits,
    /// more than 100 retries, a factor below 1, jitter outside `[0, 1]`, a non-positive
    /// `disable_after` or a negative `max_retry_after`).
    ///
    /// ```
    /// use tenantry::webhooks::{Backoff, RetryOptions, RetryPolicy};
    /// let err = RetryPolicy::new(Backoff::Schedule { delays: vec![-1] }, RetryOptions::default()).unwrap_err();
    /// assert_eq!(err.code(), "webhook.invalid_config");
    /// ```
    pub fn new(backoff: Backoff, options: RetryOptions) -> Result<Self> {
        if !(0.0..=1.0).contains(&options.jitter) {
            return Err(invalid("jitter must be a fraction between 0 and 1"));
        }
        if options.disable_after <= 0 {
            return Err(invalid("disable_after must be a positive number of seconds"));
        }
        if options.max_retry_after < 0 {
            return Err(invalid("max_retry_after must be zero or more seconds"));
        }
        let delays = match &backoff {
            Backoff::Schedule { delays } => {
                if delays.len() > MAX_RETRIES {
                    return Err(invalid(format!("a schedule has at most {MAX_RETRIES} retries")));
                }
                if delays.iter().any(|d| !(0..=MAX_DELAY_SECS).contains(d)) {
                    return Err(invalid("schedule delays must be 0 to 2592000 seconds (30 days)"));
                }
                delays.clone()
            }
            Backoff::Exponential { initial_delay, factor, max_delay, max_retries } => {
                if !(1..=MAX_DELAY_SECS).contains(initial_delay) {
                    return Err(invalid("initial_delay must be 1 to 2592000 seconds (30 days)"));
                }
                if !(*initial_delay..=MAX_DELAY_SECS).contains(max_delay) {
                    return Err(invalid("max_delay must be at least initial_delay and at most 30 days"));
                }
                if !factor.is_finite() || *factor < 1.0 {
                    return Err(invalid("factor must be a finite number of at least 1"));
                }
                if *max_retries as usize > MAX_RETRIES {
                    return Err(invalid(format!("max_retries must be at most {MAX_RETRIES}")));
                }
                let mut delays = Vec::with_capacity(*max_retries as usize);
                let mut next = *initial_delay as f64;
                for _ in 0..*max_retries {
                    let delay = next.min(*max_delay as f64);
                    delays.push(delay.round() as i64);
                    next = delay * factor;
                }
                delays
            }
        };
        Ok(RetryPolicy { backoff, options, delays })
    }

    /// A policy over explicit waits: `delays[i]` seconds after attempt `i + 1` fails.
    ///
    /// ```
    /// use tenantry::webhooks::{RetryOptions, RetryPolicy};
    /// let policy = RetryPolicy::with_schedule(vec![], RetryOptions::default())?;
    /// assert_eq!(policy.max_attempts(), 1);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn with_schedule(delays: Vec<i64>, options: RetryOptions) -> Result<Self> {
        Self::new(Backoff::Schedule { delays }, options)
    }

    /// Exponential backoff: `initial_delay · factor^i` seconds, capped at `max_delay`, `max_retries` times.
    ///
    /// ```
    /// use tenantry::webhooks::{RetryOptions, RetryPolicy};
    /// let policy = RetryPolicy::exponential(1, 3.0, 20, 4, RetryOptions::default())?;
    /// assert_eq!(policy.delays(), &[1, 3, 9, 20]);
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn exponential(
        initial_delay: i64,
        factor: f64,
        max_delay: i64,
        max_retries: u32,
        options: RetryOptions,
    ) -> Result<Self> {
        Self::new(Backoff::Exponential { initial_delay, factor, max_delay, max_retries }, options)
    }

    /// The backoff this policy was built from.
    ///
    /// ```
    /// use tenantry::webhooks::{Backoff, RetryPolicy};
    /// assert!(matches!(RetryPolicy::default().backoff(), Backoff::Schedule { .. }));
    /// ```
    pub fn backoff(&self) -> &Backoff {
        &self.backoff
    }

    /// The shared options.
    ///
    /// ```
    /// assert_eq!(tenantry::webhooks::RetryPolicy::default().options().jitter, 0.0);
    /// ```
    pub fn options(&self) -> &RetryOptions {
        &self.options
    }

    /// The wait before each retry, in seconds, before jitter.
    ///
    /// ```
    /// let policy = tenantry::webhooks::RetryPolicy::default();
    /// assert_eq!(policy.delays(), &[5, 300, 1800, 7200, 18000, 36000, 36000]);
    /// ```
    pub fn delays(&self) -> &[i64] {
        &self.delays
    }

    /// The total number of attempts, the first included.
    ///
    /// ```
    /// assert_eq!(tenantry::webhooks::RetryPolicy::default().max_attempts(), 8);
    /// ```
    pub fn max_attempts(&self) -> u32 {
        self.delays.len() as u32 + 1
    }

    /// Decides what to do after attempt `attempt_number` (1 = the first attempt) got `status`
    /// (`None`: no HTTP response, e.g. a timeout or connection error).
    ///
    /// - 2xx: [`Succeeded`](DeliveryDecision::Succeeded).
    /// - 410: [`DisableEndpoint`](DeliveryDecision::DisableEndpoint) (`gone`).
    /// - any other failure, when `first_failure_at` (the time the endpoint's current run of
    ///   failures began; `None` if this is its first failure) is `disable_after` or more seconds
    ///   before `now`: `DisableEndpoint` (`failing_too_long`);
    /// - else, when the schedule has no wait left: [`GiveUp`](DeliveryDecision::GiveUp);
    /// - else [`Retry`](DeliveryDecision::Retry) at `now` + the scheduled wait (jittered if the
    ///   policy has jitter, drawing randomness from the OS). For 429 and 503 a `Retry-After` of
    ///   delta-seconds or an HTTP-date is honoured: the wait is at least that long (capped at
    ///   `max_retry_after`). An unreadable `Retry-After` is ignored.
    ///
    /// An attempt number of 0 or a status outside 100–599 is `input.invalid`.
    ///
    /// ```
    /// use tenantry::webhooks::{DeliveryDecision, DisableReason, RetryPolicy};
    /// let policy = RetryPolicy::default();
    /// let d = policy.decide(2, Some(429), Some("120"), Some(1_000), 1_005)?;
    /// assert_eq!(d, DeliveryDecision::Retry { retry_at: 1_005 + 300, next_attempt: 3 });
    /// let d = policy.decide(2, Some(503), Some("3600"), Some(1_000), 1_005)?;
    /// assert_eq!(d, DeliveryDecision::Retry { retry_at: 1_005 + 3600, next_attempt: 3 });
    /// let d = policy.decide(3, Some(410), None, Some(1_000), 1_005)?;
    /// assert_eq!(d, DeliveryDecision::DisableEndpoint { reason: DisableReason::Gone });
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn decide(
        &self,
        attempt_number: u32,
        status: Option<u16>,
        retry_after: Option<&str>,
        first_failure_at: Option<i64>,
        now: i64,
    ) -> Result<DeliveryDecision> {
        self.decide_inner(attempt_number, status, retry_after, first_failure_at, now, || {
            let bits = u64::from_le_bytes(random::bytes::<8>()?) >> 11;
            Ok(bits as f64 / (1u64 << 53) as f64)
        })
    }

    /// [`decide`](Self::decide) with the jitter's uniform sample given (`0 ≤ sample ≤ 1`; 0.5 means
    /// no change), so a decision can be reproduced exactly, e.g. in tests and vectors.
    ///
    /// ```
    /// use tenantry::webhooks::{DeliveryDecision, RetryOptions, RetryPolicy};
    /// let options = RetryOptions { jitter: 0.2, ..RetryOptions::default() };
    /// let policy = RetryPolicy::with_schedule(vec![100], options)?;
    /// let d = policy.decide_with_sample(1, Some(500), None, None, 0, 0.0)?;
    /// assert_eq!(d, DeliveryDecision::Retry { retry_at: 80, next_attempt: 2 });
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn decide_with_sample(
        &self,
        attempt_number: u32,
        status: Option<u16>,
        retry_after: Option<&str>,
        first_failure_at: Option<i64>,
        now: i64,
        jitter_sample: f64,
    ) -> Result<DeliveryDecision> {
        if !(0.0..=1.0).contains(&jitter_sample) {
            return Err(Error::new(ErrorCode::InvalidInput, "jitter_sample must be between 0 and 1"));
        }
        self.decide_inner(attempt_number, status, retry_after, first_failure_at, now, || Ok(jitter_sample))
    }

    fn decide_inner(
        &self,
        attempt_number: u32,
        status: Option<u16>,
        retry_after: Option<&str>,
        first_failure_at: Option<i64>,
        now: i64,
        sample: impl FnOnce() -> Result<f64>,
    ) -> Result<DeliveryDecision> {
        if attempt_number == 0 {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "attempt_number counts from 1 (the first attempt)",
            ));
        }
        if let Some(code) = status {
            if !(100..=599).contains(&code) {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    "status_code must be an HTTP status, 100 to 599",
                ));
            }
            if (200..300).contains(&code) {
                return Ok(DeliveryDecision::Succeeded);
            }
            if code == 410 {
                return Ok(DeliveryDecision::DisableEndpoint { reason: DisableReason::Gone });
            }
        }
        let failing_for = first_failure_at.map_or(0, |t| i128::from(now) - i128::from(t));
        if failing_for >= i128::from(self.options.disable_after) {
            return Ok(DeliveryDecision::DisableEndpoint { reason: DisableReason::FailingTooLong });
        }
        let Some(&scheduled) = self.delays.get(attempt_number as usize - 1) else {
            return Ok(DeliveryDecision::GiveUp { reason: GiveUpReason::AttemptsExhausted });
        };
        let mut delay = scheduled;
        if self.options.jitter > 0.0 && scheduled > 0 {
            let spread = self.options.jitter * (2.0 * sample()? - 1.0);
            delay = (scheduled as f64 * (1.0 + spread)).round() as i64;
        }
        if matches!(status, Some(429 | 503))
            && let Some(asked) = retry_after.and_then(|h| parse_retry_after(h, now))
        {
            delay = delay.max(asked.min(self.options.max_retry_after));
        }
        Ok(DeliveryDecision::Retry { retry_at: now.saturating_add(delay), next_attempt: attempt_number + 1 })
    }
}

/// Reads a `Retry-After` header as a wait in seconds from `now`: delta-seconds (`"120"`) or an
/// HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`, also the obsolete RFC 850 and asctime forms).
/// A date in the past is a wait of 0. `None` when the header is neither.
///
/// ```
/// use tenantry::webhooks::parse_retry_after;
/// assert_eq!(parse_retry_after("120", 0), Some(120));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_400), Some(80));
/// assert_eq!(parse_retry_after("soon", 0), None);
/// ```
pub fn parse_retry_after(header: &str, now: i64) -> Option<i64> {
    if header.len() > 64 {
        return None;
    }
    let header = header.trim();
    if !header.is_empty() && header.len() <= 18 && header.bytes().all(|b| b.is_ascii_digit()) {
        return header.parse().ok();
    }
    let at = if let Ok(date) = DateTime::parse_from_rfc2822(header) {
        date.timestamp()
    } else {
        ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(header, format).ok())?
            .and_utc()
            .timestamp()
    };
    Some(at.saturating_sub(now).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_accepts_every_http_date_form() {
        let at = 1_445_412_480; // Wed, 21 Oct 2015 07:28:00 GMT
        for header in
            ["Wed, 21 Oct 2015 07:28:00 GMT", "Wednesday, 21-Oct-15 07:28:00 GMT", "Wed Oct 21 07:28:00 2015"]
        {
            assert_eq!(parse_retry_after(header, at - 60), Some(60), "{header}");
        }
        assert_eq!(parse_retry_after(" 30 ", 0), Some(30));
        assert_eq!(parse_retry_after("-30", 0), None);
        assert_eq!(parse_retry_after("1.5", 0), None);
        assert_eq!(parse_retry_after(&"9".repeat(100), 0), None);
        assert_eq!(parse_retry_after("", 0), None);
    }

    #[test]
    fn random_jitter_stays_in_bounds_and_varies() {
        let options = RetryOptions { jitter: 0.5, ..RetryOptions::default() };
        let policy = RetryPolicy::with_schedule(vec![1000], options).unwrap();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            match policy.decide(1, Some(500), None, None, 0).unwrap() {
                DeliveryDecision::Retry { retry_at, next_attempt: 2 } => {
                    assert!((500..=1500).contains(&retry_at), "{retry_at}");
                    seen.insert(retry_at);
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(seen.len() > 50);
    }

    #[test]
    fn decisions_round_trip_through_json() {
        for decision in [
            DeliveryDecision::Succeeded,
            DeliveryDecision::Retry { retry_at: 5, next_attempt: 2 },
            DeliveryDecision::GiveUp { reason: GiveUpReason::AttemptsExhausted },
            DeliveryDecision::DisableEndpoint { reason: DisableReason::FailingTooLong },
        ] {
            let text = serde_json::to_string(&decision).unwrap();
            assert_eq!(serde_json::from_str::<DeliveryDecision>(&text).unwrap(), decision);
        }
    }

    #[test]
    fn huge_attempt_numbers_give_up_and_far_future_now_saturates() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.decide(u32::MAX, Some(500), None, None, 0).unwrap(),
            DeliveryDecision::GiveUp { reason: GiveUpReason::AttemptsExhausted }
        );
        assert_eq!(
            policy.decide(1, Some(500), None, None, i64::MAX).unwrap(),
            DeliveryDecision::Retry { retry_at: i64::MAX, next_attempt: 2 }
        );
        assert_eq!(
            policy.decide(1, Some(500), None, Some(i64::MIN), i64::MAX).unwrap(),
            DeliveryDecision::DisableEndpoint { reason: DisableReason::FailingTooLong }
        );
    }
}
