//! Runs `tests/vectors/webhooks.json` against the core crate.

mod common;

use common::{Case, array, int, member, narrow, num, opt_int, opt_num, opt_text, optional, strings, text};
use serde_json::{Value, json};
use tenantry::webhooks::{
    Backoff, EventFilter, RetryOptions, RetryPolicy, Webhook, build_event, github, message_id_from, slack,
    stripe,
};

fn tolerance(case: &Case) -> i64 {
    opt_int(case, &case.input, "tolerance").unwrap_or(300)
}

fn policy(case: &Case) -> tenantry::Result<RetryPolicy> {
    let spec = member(case, &case.input, "policy");
    let mut options = RetryOptions::default();
    if let Some(j) = opt_num(case, spec, "jitter") {
        options.jitter = j;
    }
    if let Some(d) = opt_int(case, spec, "disable_after") {
        options.disable_after = d;
    }
    if let Some(m) = opt_int(case, spec, "max_retry_after") {
        options.max_retry_after = m;
    }
    let backoff = if optional(spec, "schedule").is_some() {
        let delays = array(case, spec, "schedule");
        Backoff::Schedule {
            delays: delays
                .iter()
                .map(|d| d.as_i64().unwrap_or_else(|| panic!("{}: delay {d} is not an integer", case.name)))
                .collect(),
        }
    } else if let Some(e) = optional(spec, "exponential") {
        Backoff::Exponential {
            initial_delay: int(case, e, "initial_delay"),
            factor: num(case, e, "factor"),
            max_delay: int(case, e, "max_delay"),
            max_retries: narrow(case, "max_retries", int(case, e, "max_retries")),
        }
    } else {
        Backoff::Schedule { delays: tenantry::webhooks::retry::DEFAULT_SCHEDULE.to_vec() }
    };
    RetryPolicy::new(backoff, options)
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn webhook_vectors() {
    common::run_all("webhooks", |case| {
        let input = &case.input;
        match case.op.as_str() {
            "standard.sign" => {
                let wh = Webhook::with_keys(strings(case, input, "secrets"))?;
                let headers = wh.sign(
                    text(case, input, "msg_id"),
                    int(case, input, "timestamp"),
                    &common::payload(input),
                )?;
                Ok(serde_json::to_value(headers).unwrap())
            }
            "standard.verify" => {
                let wh = Webhook::with_keys(strings(case, input, "secrets"))?;
                // An object, or [name, value] pairs when a header comes several times.
                let header = |name: &str, v: &Value| match v {
                    Value::String(value) => (name.to_owned(), value.clone()),
                    other => panic!("{}: header {name} must be a string, not {other}", case.name),
                };
                let headers: Vec<(String, String)> = match member(case, input, "headers") {
                    Value::Object(map) => map.iter().map(|(k, v)| header(k, v)).collect(),
                    Value::Array(pairs) => pairs
                        .iter()
                        .map(|p| match p.as_array().map(Vec::as_slice) {
                            Some([Value::String(name), value]) => header(name, value),
                            _ => panic!("{}: a header pair must be [name, value], not {p}", case.name),
                        })
                        .collect(),
                    other => panic!("{}: headers must be an object or pairs, not {other}", case.name),
                };
                wh.verify(&common::payload(input), headers, tolerance(case), int(case, input, "now"))?;
                Ok(json!(null))
            }
            "stripe.sign" => Ok(json!(stripe::sign(
                &common::payload(input),
                text(case, input, "secret"),
                int(case, input, "timestamp")
            )?)),
            "stripe.verify" => {
                let payload = common::payload(input);
                let (header, secret) = (text(case, input, "header"), text(case, input, "secret"));
                stripe::verify(&payload, header, secret, tolerance(case), int(case, input, "now"))?;
                Ok(json!(null))
            }
            "github.sign" => Ok(json!(github::sign(&common::payload(input), text(case, input, "secret"))?)),
            "github.verify" => {
                let secrets = match opt_text(case, input, "secret") {
                    Some(secret) => vec![secret.to_owned()],
                    None => strings(case, input, "secrets"),
                };
                github::verify(&common::payload(input), text(case, input, "header"), &secrets)?;
                Ok(json!(null))
            }
            "slack.sign" => Ok(json!(slack::sign(
                &common::payload(input),
                text(case, input, "secret"),
                int(case, input, "timestamp")
            )?)),
            "slack.verify" => {
                slack::verify(
                    &common::payload(input),
                    text(case, input, "timestamp_header"),
                    text(case, input, "signature_header"),
                    text(case, input, "secret"),
                    tolerance(case),
                    int(case, input, "now"),
                )?;
                Ok(json!(null))
            }
            "retry.decide" => {
                let policy = policy(case)?;
                // Checked conversions: `as` would cut an attempt or status that does not fit to
                // another number and decide for that one.
                let attempt = narrow(case, "attempt", int(case, input, "attempt"));
                let status = opt_int(case, input, "status").map(|s| narrow(case, "status", s));
                let retry_after = opt_text(case, input, "retry_after");
                let first_failure_at = opt_int(case, input, "first_failure_at");
                let now = int(case, input, "now");
                let decision = match opt_num(case, input, "jitter_sample") {
                    Some(u) => {
                        policy.decide_with_sample(attempt, status, retry_after, first_failure_at, now, u)?
                    }
                    None => policy.decide(attempt, status, retry_after, first_failure_at, now)?,
                };
                Ok(serde_json::to_value(decision).unwrap())
            }
            "retry.policy" => {
                // The getters: the waits before jitter, and the attempts they allow.
                let policy = policy(case)?;
                Ok(json!({"delays": policy.delays(), "max_attempts": policy.max_attempts()}))
            }
            "event.build" => {
                // Data as JSON text bytes is read by the core's JSON text reader, as both bindings
                // read `bytes` / a Buffer (it refuses what serde_json alone would take, such as
                // an integer no double holds).
                let data = match opt_text(case, input, "data_bytes_b64") {
                    Some(b64) => {
                        use base64::Engine;
                        let bytes = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
                        tenantry::json_text::parse(&bytes)?
                    }
                    None => member(case, input, "data").clone(),
                };
                let body = build_event(text(case, input, "type"), &data, int(case, input, "timestamp_ms"))?;
                Ok(json!(String::from_utf8(body).unwrap()))
            }
            "event.message_id" => Ok(json!(message_id_from(
                int(case, input, "unix_millis"),
                &unhex(text(case, input, "entropy_hex"))
            )?)),
            "filter.matches" => Ok(json!(
                EventFilter::new(strings(case, input, "patterns"))?.matches(text(case, input, "type"))
            )),
            "filter.patterns" => Ok(json!(EventFilter::new(strings(case, input, "patterns"))?.patterns())),
            other => panic!("{}: unknown op {other}", case.name),
        }
    });
}
