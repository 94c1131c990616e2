//! Runs `tests/vectors/webhooks.json` against the core crate.

mod common;

use serde_json::{Value, json};
use tenantry::webhooks::Webhook;

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
                let headers: Vec<(String, String)> = input["headers"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect();
                let tolerance = input.get("tolerance").and_then(Value::as_i64).unwrap_or(300);
                wh.verify(&common::payload(input), headers, tolerance, input["now"].as_i64().unwrap())?;
                Ok(json!(null))
            }
            other => panic!("{}: unknown op {other}", case.name),
        }
    });
}
