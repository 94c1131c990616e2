//! Runs `tests/vectors/apikeys.json` against the core crate.

mod common;

use serde_json::{Value, json};
use tenantry::SecretBytes;
use tenantry::apikeys::{
    ApiKeys, ApiKeysConfig, IssuedKey, KeyOptions, KeyRecord, RequiredScopes, ScopeRequirement, VerifyOptions,
};

fn config(input: &Value) -> ApiKeysConfig {
    let c = &input["config"];
    let peppers: Vec<(String, SecretBytes)> = c["peppers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, text)| (id.clone(), SecretBytes::new(text.as_str().unwrap().as_bytes().to_vec())))
        .collect();
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array().map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
    };
    let mut config = ApiKeysConfig::new(c["prefix"].as_str().unwrap(), peppers);
    config.current_pepper = c["current_pepper"].as_str().map(str::to_owned);
    config.environments = strings(&c["environments"]);
    config.known_scopes = strings(&c["known_scopes"]);
    if let Some(t) = c["touch_interval"].as_i64() {
        config.touch_interval = t;
    }
    config
}

fn random(input: &Value) -> [u8; 30] {
    let hex = input["random_hex"].as_str().unwrap();
    let bytes: Vec<u8> =
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
    bytes.try_into().unwrap()
}

fn issued_json(issued: &IssuedKey) -> Value {
    json!({"token": issued.token(), "record": issued.record.to_json()})
}

#[test]
fn apikey_vectors() {
    common::run_all("apikeys", |case| {
        let input = &case.input;
        let keys = ApiKeys::new(config(input));
        if case.op == "new" {
            return keys.map(|_| Value::Null);
        }
        let keys = keys?;
        let now = input["now"].as_i64().unwrap_or(0);
        match case.op.as_str() {
            "generate" => {
                let options = KeyOptions {
                    environment: input["environment"].as_str().unwrap_or("live").to_owned(),
                    scopes: serde_json::from_value(input.get("scopes").cloned().unwrap_or(json!([])))
                        .unwrap(),
                    expires_at: input["expires_at"].as_i64(),
                    not_before: input["not_before"].as_i64(),
                    name: input["name"].as_str().map(str::to_owned),
                };
                Ok(issued_json(&keys.generate_with_random(&random(input), &options, now)?))
            }
            "parse" => Ok(serde_json::to_value(keys.parse(input["token"].as_str().unwrap())?).unwrap()),
            "hash_token" => Ok(json!(keys.hash_token(input["token"].as_str().unwrap()))),
            "secret_scanning_pattern" => Ok(json!(keys.secret_scanning_pattern())),
            "verify" => {
                let items: Vec<ScopeRequirement> =
                    serde_json::from_value(input.get("required_scopes").cloned().unwrap_or(json!([])))
                        .unwrap();
                let options = VerifyOptions {
                    required_scopes: RequiredScopes::new(items)?,
                    environment: input["environment"].as_str().map(str::to_owned),
                };
                let record = match &input["record"] {
                    Value::Null => None,
                    v => Some(KeyRecord::from_json(v.clone())?),
                };
                let verdict =
                    keys.verify(input["token"].as_str().unwrap(), record.as_ref(), &options, now)?;
                Ok(serde_json::to_value(verdict).unwrap())
            }
            "roll" => {
                let record = KeyRecord::from_json(input["record"].clone())?;
                let rolled = keys.roll_with_random(
                    &random(input),
                    &record,
                    input["grace"].as_i64().unwrap(),
                    now,
                    input["expires_at"].as_i64(),
                )?;
                let mut out = issued_json(&rolled.issued);
                out["previous"] = rolled.previous.to_json();
                Ok(out)
            }
            "revoke" => Ok(KeyRecord::from_json(input["record"].clone())?.revoked(now).to_json()),
            other => panic!("{}: unknown op {other}", case.name),
        }
    });
}
