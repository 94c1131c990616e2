//! Runs `tests/vectors/limits.json` against the core crate.

mod common;

use std::path::PathBuf;

use serde_json::{Value, json};
use tenantry::limits::{self, Decision, Entitlements, PeriodKind, PlanCatalog, RateDecision, RateLimit};

fn catalog(input: &Value) -> tenantry::Result<PlanCatalog> {
    if let Some(file) = input.get("catalog_file").and_then(Value::as_str) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        return PlanCatalog::from_json(&text);
    }
    PlanCatalog::from_value(&input["catalog"])
}

fn entitlements(input: &Value) -> tenantry::Result<Entitlements> {
    let overrides = input.get("overrides");
    catalog(input)?.entitlements(
        input["plan"].as_str().unwrap(),
        overrides,
        input.get("trial_ends_at").and_then(Value::as_i64),
    )
}

/// An integer argument as the Rust API takes it; numbers outside i64 go through the same core
/// check the Node binding uses for JavaScript numbers.
fn int(v: &Value, what: &str) -> tenantry::Result<i64> {
    match v.as_i64() {
        Some(i) => Ok(i),
        None => limits::usage_count_f64(v.as_f64().unwrap(), what),
    }
}

fn decision_json(d: &Decision) -> Value {
    serde_json::to_value(d).unwrap()
}

fn rate_json(d: &RateDecision, with_headers: bool) -> Value {
    let mut v = serde_json::to_value(d).unwrap();
    if with_headers {
        let headers: serde_json::Map<String, Value> =
            d.headers().into_iter().map(|(k, v)| (k.to_owned(), Value::String(v))).collect();
        v["headers"] = Value::Object(headers);
    }
    v
}

fn rate_limit(input: &Value) -> tenantry::Result<RateLimit> {
    RateLimit::from_secs_f64_with_policy(
        input["limit"].as_u64().unwrap(),
        input["period"].as_f64().unwrap(),
        input.get("burst").and_then(Value::as_u64),
        input.get("policy").and_then(Value::as_str).unwrap_or("default"),
    )
}

#[test]
fn limits_vectors() {
    common::run_all("limits", |case| {
        let input = &case.input;
        match case.op.as_str() {
            "check" | "enforce" => {
                let ent = entitlements(input)?;
                let used = int(&input["used"], "used")?;
                let requested = match input.get("requested") {
                    Some(r) => int(r, "requested")?,
                    None => 1,
                };
                let now = input.get("now").and_then(Value::as_i64).unwrap_or(0);
                let since = input.get("over_limit_since").and_then(Value::as_i64);
                let metric = input["metric"].as_str().unwrap();
                let d = if case.op == "check" {
                    ent.check(metric, used, requested, now, since)?
                } else {
                    ent.enforce(metric, used, requested, now, since)?
                };
                Ok(decision_json(&d))
            }
            "entitlements" => {
                let ent = entitlements(input)?;
                let limits: Vec<Value> = ent
                    .limits()
                    .iter()
                    .map(|l| {
                        json!({"metric": l.metric, "limit": l.limit, "plan_limit": l.plan_limit.flatten(),
                               "source": l.source, "kind": l.kind, "period": l.period})
                    })
                    .collect();
                Ok(json!({"plan": ent.plan(), "features": ent.features(), "limits": limits}))
            }
            "has_feature" => {
                let ent = entitlements(input)?;
                let names = input["names"].as_array().unwrap();
                Ok(json!(names.iter().map(|n| ent.has_feature(n.as_str().unwrap())).collect::<Vec<_>>()))
            }
            "trial_ends_at" => {
                let c = catalog(input)?;
                Ok(json!(
                    c.trial_ends_at(input["plan"].as_str().unwrap(), input["started_at"].as_i64().unwrap())?
                ))
            }
            "trial_status" => {
                let ent = entitlements(input)?;
                Ok(serde_json::to_value(ent.trial_status(input["now"].as_i64().unwrap())).unwrap())
            }
            "usage_report" => {
                let ent = entitlements(input)?;
                let usage: Vec<(String, i64)> = input["usage"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
                    .collect();
                Ok(serde_json::to_value(ent.usage_report(&usage)?).unwrap())
            }
            "crossed" => {
                let thresholds: Option<Vec<f64>> = input
                    .get("thresholds")
                    .map(|t| t.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect());
                let got = limits::crossed(
                    int(&input["previous"], "previous")?,
                    int(&input["current"], "current")?,
                    input["limit"].as_i64(),
                    thresholds.as_deref(),
                )?;
                Ok(json!(got))
            }
            "catalog.validate" => match PlanCatalog::from_value(&input["catalog"]) {
                Ok(_) => Ok(json!([])),
                Err(e) if e.code() == "limits.invalid_catalog" => Ok(json!(
                    e.issues().iter().map(|i| json!({"path": i.path, "code": i.code})).collect::<Vec<_>>()
                )),
                Err(e) => Err(e),
            },
            "period_window" => {
                let kind = PeriodKind::from_name(input["kind"].as_str().unwrap())?;
                let tz = input.get("tz_offset").and_then(Value::as_i64).unwrap_or(0);
                let w = limits::period_window(
                    kind,
                    input.get("anchor").and_then(Value::as_i64),
                    input["now"].as_i64().unwrap(),
                    i32::try_from(tz).unwrap(),
                )?;
                Ok(serde_json::to_value(w).unwrap())
            }
            "rate.sequence" => {
                let rl = rate_limit(input)?;
                let mut state: Option<i64> = None;
                let mut out = Vec::new();
                for step in input["steps"].as_array().unwrap() {
                    let now = step["now_ms"].as_i64().unwrap();
                    let cost = step.get("cost").and_then(Value::as_i64).unwrap_or(1);
                    let repeat = step.get("repeat").and_then(Value::as_u64).unwrap_or(1);
                    let mut last = None;
                    for _ in 0..repeat {
                        let d = rl.check(state, now, cost)?;
                        if d.allowed {
                            state = Some(d.state);
                        }
                        last = Some(d);
                    }
                    out.push(rate_json(&last.unwrap(), true));
                }
                Ok(Value::Array(out))
            }
            "rate.enforce" => {
                let rl = rate_limit(input)?;
                let d = rl.enforce(
                    input.get("state").and_then(Value::as_i64),
                    input["now_ms"].as_i64().unwrap(),
                    1,
                )?;
                Ok(rate_json(&d, false))
            }
            other => panic!("{}: unknown op {other}", case.name),
        }
    });
}
