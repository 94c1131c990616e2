//! Runs `tests/vectors/apikeys.json` against the core crate.

mod common;

use common::{Case, int, member, opt_int, opt_text, optional, strings, text};
use serde_json::{Value, json};
use tenantry::SecretBytes;
use tenantry::apikeys::{
    ApiKeys, ApiKeysConfig, IssuedKey, KeyOptions, KeyRecord, RequiredScopes, ScopeRequirement, VerifyOptions,
};

fn config(case: &Case) -> ApiKeysConfig {
    let c = member(case, &case.input, "config");
    let peppers: Vec<(String, SecretBytes)> = member(case, c, "peppers")
        .as_object()
        .unwrap_or_else(|| panic!("{}: peppers must be an object", case.name))
        .keys()
        .map(|id| (id.clone(), SecretBytes::new(text(case, &c["peppers"], id).as_bytes().to_vec())))
        .collect();
    let list = |key: &str| optional(c, key).map(|_| strings(case, c, key));
    let mut config = ApiKeysConfig::new(text(case, c, "prefix"), peppers);
    config.current_pepper = opt_text(case, c, "current_pepper").map(str::to_owned);
    config.environments = list("environments");
    config.known_scopes = list("known_scopes");
    if let Some(t) = opt_int(case, c, "touch_interval") {
        config.touch_interval = t;
    }
    config
}

fn random(case: &Case) -> [u8; 30] {
    let hex = text(case, &case.input, "random_hex");
    let bytes: Vec<u8> =
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
    bytes
        .try_into()
        .unwrap_or_else(|b: Vec<u8>| panic!("{}: random_hex holds {} bytes, not 30", case.name, b.len()))
}

fn issued_json(issued: &IssuedKey) -> Value {
    json!({"token": issued.token(), "record": issued.record.to_json()})
}

/// A member deserialized as the API takes it (scopes, required scopes); absent is empty.
fn list<T: serde::de::DeserializeOwned>(case: &Case, key: &str) -> T {
    serde_json::from_value(optional(&case.input, key).cloned().unwrap_or(json!([])))
        .unwrap_or_else(|e| panic!("{}: input {key}: {e}", case.name))
}

#[test]
fn apikey_vectors() {
    common::run_all("apikeys", |case| {
        let input = &case.input;
        let keys = ApiKeys::new(config(case));
        if case.op == "new" {
            return keys.map(|_| Value::Null);
        }
        let keys = keys?;
        let now = || int(case, input, "now");
        match case.op.as_str() {
            "generate" => {
                let options = KeyOptions {
                    environment: opt_text(case, input, "environment").unwrap_or("live").to_owned(),
                    scopes: list(case, "scopes"),
                    expires_at: opt_int(case, input, "expires_at"),
                    not_before: opt_int(case, input, "not_before"),
                    name: opt_text(case, input, "name").map(str::to_owned),
                };
                Ok(issued_json(&keys.generate_with_random(&random(case), &options, now())?))
            }
            "parse" => Ok(serde_json::to_value(keys.parse(text(case, input, "token"))?).unwrap()),
            "hash_token" => Ok(json!(keys.hash_token(text(case, input, "token")))),
            "secret_scanning_pattern" => Ok(json!(keys.secret_scanning_pattern())),
            "verify" => {
                let items: Vec<ScopeRequirement> = list(case, "required_scopes");
                let options = VerifyOptions {
                    required_scopes: RequiredScopes::new(items)?,
                    environment: opt_text(case, input, "environment").map(str::to_owned),
                };
                let record = match member(case, input, "record") {
                    Value::Null => None,
                    v => Some(KeyRecord::from_json(v.clone())?),
                };
                let verdict = keys.verify(text(case, input, "token"), record.as_ref(), &options, now())?;
                Ok(serde_json::to_value(verdict).unwrap())
            }
            "roll" => {
                let record = KeyRecord::from_json(member(case, input, "record").clone())?;
                let rolled = keys.roll_with_random(
                    &random(case),
                    &record,
                    int(case, input, "grace"),
                    now(),
                    opt_int(case, input, "expires_at"),
                )?;
                let mut out = issued_json(&rolled.issued);
                out["previous"] = rolled.previous.to_json();
                Ok(out)
            }
            "revoke" => {
                Ok(KeyRecord::from_json(member(case, input, "record").clone())?.revoked(now()).to_json())
            }
            other => panic!("{}: unknown op {other}", case.name),
        }
    });
}
