//! `RetryPolicy`, `EventFilter`, `messageId`, `messageIdFrom`, `buildEvent`: the sender's side.

use napi::bindgen_prelude::*;
use serde_json::Value;
use tenantry::webhooks as core;
use tenantry::{Error as CoreError, ErrorCode};

use crate::convert::{
    Text, TextOr, Time, camel_case_keys, json_bytes_arg, json_text_arg, unix_millis, unix_seconds, whole,
};
use crate::errors::{IntoJsResult, to_js};

/// A whole-number argument (see [`whole`]) narrowed to the core's type; out of range is
/// `input.invalid`.
fn narrow<T: TryFrom<i64>>(env: &Env, value: f64, name: &str) -> Result<T> {
    T::try_from(whole(env, value, name)?)
        .map_err(|_| to_js(env, CoreError::new(ErrorCode::InvalidInput, format!("{name} is out of range"))))
}

/// An optional whole number of seconds (see [`whole`]).
fn whole_opt(env: &Env, value: Option<Option<f64>>, name: &str) -> Result<Option<i64>> {
    value.flatten().map(|v| whole(env, v, name)).transpose()
}

// Optional fields of the option objects are `Option<Option<_>>` so that both `undefined` and
// `null` read as "not given" (napi reads a present `null` into the inner option).

/// Options of `new RetryPolicy(...)`.
#[napi(object)]
pub struct RetryPolicyOptions {
    /// Seconds to wait before each retry (default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).
    pub schedule: Option<Option<Vec<f64>>>,
    /// Random spread of each wait, a fraction in [0, 1] (default 0).
    pub jitter: Option<Option<f64>>,
    /// Disable an endpoint failing for this many seconds (default 5 days).
    pub disable_after: Option<Option<f64>>,
    /// Cap on a honoured `Retry-After`, in seconds (default 1 day).
    pub max_retry_after: Option<Option<f64>>,
}

/// Options of `RetryPolicy.exponential(...)`.
#[napi(object)]
pub struct ExponentialOptions {
    /// Wait before the first retry, in seconds.
    pub initial_delay: f64,
    /// Cap on any wait, in seconds.
    pub max_delay: f64,
    /// Number of retries after the first attempt.
    pub max_retries: f64,
    /// Growth factor (default 2).
    pub factor: Option<Option<f64>>,
    /// Random spread of each wait, a fraction in [0, 1] (default 0).
    pub jitter: Option<Option<f64>>,
    /// Disable an endpoint failing for this many seconds (default 5 days).
    pub disable_after: Option<Option<f64>>,
    /// Cap on a honoured `Retry-After`, in seconds (default 1 day).
    pub max_retry_after: Option<Option<f64>>,
}

/// Options of `RetryPolicy.decide(...)`.
#[napi(object)]
pub struct DecideOptions {
    /// When the endpoint's current run of failures began (omit if this is its first failure).
    pub first_failure_at: Option<Option<Time>>,
    /// The time of the decision (default: now).
    pub now: Option<Option<Time>>,
    /// The jitter's uniform sample in [0, 1], to reproduce a decision exactly (default: random).
    pub jitter_sample: Option<Option<f64>>,
}

/// When to retry a webhook delivery, give up, or disable the endpoint.
#[napi]
pub struct RetryPolicy {
    inner: core::RetryPolicy,
}

#[napi]
impl RetryPolicy {
    /// A policy over explicit waits (default: the svix schedule).
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, options: Option<RetryPolicyOptions>) -> Result<Self> {
        let o = options.unwrap_or(RetryPolicyOptions {
            schedule: None,
            jitter: None,
            disable_after: None,
            max_retry_after: None,
        });
        let delays = match o.schedule.flatten() {
            Some(delays) => {
                delays.into_iter().map(|d| whole(&env, d, "schedule delays")).collect::<Result<_>>()?
            }
            None => core::retry::DEFAULT_SCHEDULE.to_vec(),
        };
        let options = core::RetryOptions::with_overrides(
            o.jitter.flatten(),
            whole_opt(&env, o.disable_after, "disableAfter")?,
            whole_opt(&env, o.max_retry_after, "maxRetryAfter")?,
        );
        let inner = core::RetryPolicy::with_schedule(delays, options).js(&env)?;
        Ok(RetryPolicy { inner })
    }

    /// Exponential backoff: `initialDelay * factor ** i` seconds, capped at `maxDelay`, `maxRetries` times.
    // Static methods are non-configurable by default; index.js must be able to wrap this one.
    #[napi(factory, catch_unwind, writable = true, configurable = true)]
    pub fn exponential(env: Env, options: ExponentialOptions) -> Result<Self> {
        let inner = core::RetryPolicy::exponential(
            whole(&env, options.initial_delay, "initialDelay")?,
            options.factor.flatten().unwrap_or(core::DEFAULT_BACKOFF_FACTOR),
            whole(&env, options.max_delay, "maxDelay")?,
            narrow(&env, options.max_retries, "maxRetries")?,
            core::RetryOptions::with_overrides(
                options.jitter.flatten(),
                whole_opt(&env, options.disable_after, "disableAfter")?,
                whole_opt(&env, options.max_retry_after, "maxRetryAfter")?,
            ),
        )
        .js(&env)?;
        Ok(RetryPolicy { inner })
    }

    /// The wait before each retry, in seconds (before jitter).
    #[napi(getter)]
    pub fn delays(&self) -> Vec<i64> {
        self.inner.delays().to_vec()
    }

    /// Total attempts, the first included.
    #[napi(getter)]
    pub fn max_attempts(&self) -> u32 {
        self.inner.max_attempts()
    }

    /// What to do after attempt `attemptNumber` (1 = first) got `statusCode` (null: no response).
    #[napi(catch_unwind)]
    pub fn decide(
        &self,
        env: Env,
        attempt_number: f64,
        status_code: Option<f64>,
        retry_after: Option<Text>,
        options: Option<DecideOptions>,
    ) -> Result<Value> {
        let attempt = narrow(&env, attempt_number, "attemptNumber")?;
        let status = status_code.map(|s| narrow(&env, s, "statusCode")).transpose()?;
        let (first, now, sample) = match options {
            Some(o) => (o.first_failure_at.flatten(), o.now.flatten(), o.jitter_sample.flatten()),
            None => (None, None, None),
        };
        let first = first.map(|t| unix_seconds(&env, &t)).transpose()?;
        let now = now.map_or_else(|| Ok(core::unix_now()), |t| unix_seconds(&env, &t))?;
        let retry_after = retry_after.as_deref();
        let decision = match sample {
            Some(u) => self.inner.decide_with_sample(attempt, status, retry_after, first, now, u),
            None => self.inner.decide(attempt, status, retry_after, first, now),
        }
        .js(&env)?;
        serde_json::to_value(decision)
            .map(camel_case_keys)
            .map_err(|e| to_js(&env, CoreError::new(ErrorCode::InvalidInput, e.to_string())))
    }
}

/// Event type patterns an endpoint subscribes to: `*`, `prefix.*` or exact types.
#[napi]
pub struct EventFilter {
    inner: core::EventFilter,
}

#[napi]
impl EventFilter {
    /// Compiles the patterns.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, patterns: Vec<Text>) -> Result<Self> {
        Ok(EventFilter { inner: core::EventFilter::new(patterns).js(&env)? })
    }

    /// True when `eventType` matches any pattern.
    #[napi(catch_unwind)]
    pub fn matches(&self, event_type: Text) -> bool {
        self.inner.matches(&event_type)
    }

    /// The patterns, as given.
    #[napi(getter)]
    pub fn patterns(&self) -> Vec<String> {
        self.inner.patterns().to_vec()
    }
}

/// A new time-sortable message id: `msg_` + ULID (clock time + 80 random bits).
#[napi(js_name = "messageId", catch_unwind)]
pub fn message_id(env: Env) -> Result<String> {
    core::message_id().js(&env)
}

/// The message id for a time in Unix milliseconds and 10 given random bytes (pure; for tests).
#[napi(js_name = "messageIdFrom", catch_unwind)]
pub fn message_id_from(env: Env, unix_millis: f64, entropy: &[u8]) -> Result<String> {
    core::message_id_from(whole(&env, unix_millis, "unixMillis")?, entropy).js(&env)
}

/// The exact body to sign and send: `{"type":…,"timestamp":…,"data":…}` as a Buffer.
///
/// `js/webhooks.js` checks the data (as every document is checked) and hands it over as JSON text:
/// the caller's own, or `JSON.stringify` of its value.
#[napi(js_name = "buildEvent", catch_unwind)]
pub fn build_event(
    env: Env,
    event_type: Text,
    data: TextOr<Uint8Array>,
    timestamp: Option<Time>,
) -> Result<Buffer> {
    // JSON text, as a string or as bytes (a Buffer or Uint8Array, read as Python reads `bytes`).
    let data = match &data {
        TextOr::Text(text) => json_text_arg(&env, text)?,
        TextOr::Value(bytes) => json_bytes_arg(&env, bytes)?,
    };
    let millis = timestamp.map_or_else(|| Ok(core::unix_now_millis()), |t| unix_millis(&env, &t))?;
    let body = core::build_event(&event_type, &data, millis).js(&env)?;
    Ok(Buffer::from(body))
}
