//! Runs `tests/vectors/webhooks.json` against the core crate.

mod common;

use serde_json::{Value, json};
use tenantry::webhooks::{
    Backoff, EventFilter, RetryOptions, RetryPolicy, Webhook, build_event, github, message_id_from, slack,
    stripe,
};

fn text(input: &Value, key: &str) -> String {
    input[key].as_str().unwrap_or_else(|| panic!("missing string {key}")).to_owned()
}

fn tolerance(input: &Value) -> i64 {
    input.get("tolerance").and_then(Value::as_i64).unwrap_or(300)
}

fn policy(spec: &Value) -> tenantry::Result<RetryPolicy> {
    let mut options = RetryOptions::default();
    if let Some(j) = spec.get("jitter") {
        options.jitter = j.as_f64().unwrap();
    }
    if let Some(d) = spec.get("disable_after") {
        options.disable_after = d.as_i64().unwrap();
    }
    if let Some(m) = spec.get("max_retry_after") {
        options.max_retry_after = m.as_i64().unwrap();
    }
    let backoff = if let Some(delays) = spec.get("schedule") {
        Backoff::Schedule { delays: delays.as_array().unwrap().iter().map(|d| d.as_i64().unwrap()).collect() }
    } else if let Some(e) = spec.get("exponential") {
        Backoff::Exponential {
            initial_delay: e["initial_delay"].as_i64().unwrap(),
            factor: e["factor"].as_f64().unwrap(),
            max_delay: e["max_delay"].as_i64().unwrap(),
            max_retries: e["max_retries"].as_u64().unwrap() as u32,
        }
    } else {
        Backoff::Schedule { delays: tenantry::webhooks::retry::DEFAULT_SCHEDULE.to_vec() }
    };
    RetryPolicy::new(backoff, options)
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

fn secrets(input: &Value) -> Vec<String> {
    input["secrets"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
}

#[test]
fn webhook_vectors() {
    common::run_all("webhooks", |case| {
        let input = &case.input;
        match case.op.as_str() {
            "standard.sign" => {
                let wh = Webhook::with_keys(secrets(input))?;
                let headers = wh.sign(
                    input["msg_id"].as_str().unwrap(),
                    input["timestamp"].as_i64().unwrap(),
                    &common::payload(input),
                )?;
                Ok(serde_json::to_value(headers).unwrap())
            }
            "standard.verify" => {
                let wh = Webhook::with_keys(secrets(input))?;
                // An object, or [name, value] pairs when a header comes several times.
                let pair = |k: &str, v: &Value| (k.to_owned(), v.as_str().unwrap().to_owned());
                let headers: Vec<(String, String)> = match &input["headers"] {
                    Value::Object(map) => map.iter().map(|(k, v)| pair(k, v)).collect(),
                    Value::Array(pairs) => {
                        pairs.iter().map(|p| pair(p[0].as_str().unwrap(), &p[1])).collect()
                    }
                    other => panic!("headers must be an object or pairs, not {other}"),
                };
                let tolerance = input.get("tolerance").and_then(Value::as_i64).unwrap_or(300);
                wh.verify(&common::payload(input), headers, tolerance, input["now"].as_i64().unwrap())?;
                Ok(json!(null))
            }
            "stripe.sign" => Ok(json!(stripe::sign(
                &common::payload(input),
                &text(input, "secret"),
                input["timestamp"].as_i64().unwrap()
            )?)),
            "stripe.verify" => {
                let payload = common::payload(input);
                let (header, secret) = (text(input, "header"), text(input, "secret"));
                stripe::verify(&payload, &header, &secret, tolerance(input), input["now"].as_i64().unwrap())?;
                Ok(json!(null))
            }
            "github.sign" => Ok(json!(github::sign(&common::payload(input), &text(input, "secret"))?)),
            "github.verify" => {
                let secrets =
                    if input.get("secret").is_some() { vec![text(input, "secret")] } else { secrets(input) };
                github::verify(&common::payload(input), &text(input, "header"), &secrets)?;
                Ok(json!(null))
            }
            "slack.sign" => Ok(json!(slack::sign(
                &common::payload(input),
                &text(input, "secret"),
                input["timestamp"].as_i64().unwrap()
            )?)),
            "slack.verify" => {
                slack::verify(
                    &common::payload(input),
                    &text(input, "timestamp_header"),
                    &text(input, "signature_header"),
                    &text(input, "secret"),
                    tolerance(input),
                    input["now"].as_i64().unwrap(),
                )?;
                Ok(json!(null))
            }
            "retry.decide" => {
                let policy = policy(&input["policy"])?;
                let attempt = input["attempt"].as_u64().unwrap() as u32;
                let status = input["status"].as_u64().map(|s| s as u16);
                let retry_after = input["retry_after"].as_str();
                let first_failure_at = input["first_failure_at"].as_i64();
                let now = input["now"].as_i64().unwrap();
                let decision = match input.get("jitter_sample").and_then(Value::as_f64) {
                    Some(u) => {
                        policy.decide_with_sample(attempt, status, retry_after, first_failure_at, now, u)?
                    }
                    None => policy.decide(attempt, status, retry_after, first_failure_at, now)?,
                };
                Ok(serde_json::to_value(decision).unwrap())
            }
            "event.build" => {
                // Data as JSON text bytes is parsed as the bindings parse `bytes` / a Buffer.
                let data = match input.get("data_bytes_b64") {
                    Some(b64) => {
                        use base64::Engine;
                        let bytes =
                            base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap()).unwrap();
                        serde_json::from_slice(&bytes)
                            .map_err(|e| tenantry::json_text::invalid(&bytes, &e))?
                    }
                    None => input["data"].clone(),
                };
                let body = build_event(&text(input, "type"), &data, input["timestamp_ms"].as_i64().unwrap())?;
                Ok(json!(String::from_utf8(body).unwrap()))
            }
            "event.message_id" => Ok(json!(message_id_from(
                input["unix_millis"].as_i64().unwrap(),
                &unhex(&text(input, "entropy_hex"))
            )?)),
            "filter.matches" => {
                let patterns: Vec<String> = input["patterns"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap().to_owned())
                    .collect();
                Ok(json!(EventFilter::new(patterns)?.matches(&text(input, "type"))))
            }
            other => panic!("{}: unknown op {other}", case.name),
        }
    });
}
