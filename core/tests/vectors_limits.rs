//! Runs `tests/vectors/limits.json` against the core crate.

mod common;

use std::path::PathBuf;

use common::{Case, array, int, member, num, opt_int, opt_text, opt_uint, optional, text, uint};
use serde_json::{Value, json};
use tenantry::limits::{self, Decision, Entitlements, PeriodKind, PlanCatalog, RateDecision, RateLimit};

fn catalog(case: &Case) -> tenantry::Result<PlanCatalog> {
    let input = &case.input;
    if let Some(file) = opt_text(case, input, "catalog_file") {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        return PlanCatalog::from_json(&text);
    }
    PlanCatalog::from_value(member(case, input, "catalog"))
}

fn entitlements(case: &Case) -> tenantry::Result<Entitlements> {
    let input = &case.input;
    catalog(case)?.entitlements(
        text(case, input, "plan"),
        optional(input, "overrides"),
        opt_int(case, input, "trial_ends_at"),
    )
}

/// An integer argument as the Rust API takes it; numbers outside i64 go through the same core
/// check the Node binding uses for JavaScript numbers. Anything but a number is a broken vector.
fn usage(case: &Case, v: &Value, what: &str) -> tenantry::Result<i64> {
    match (v.as_i64(), v.as_f64()) {
        (Some(i), _) => Ok(i),
        (None, Some(f)) => limits::usage_count_f64(f, what),
        (None, None) => panic!("{}: {what} must be a number, not {v}", case.name),
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

/// `limit`, `period` (seconds), and the optional `burst` and `policy`: every rate op reads these
/// four, as the Python and Node runners do.
fn rate_limit(case: &Case) -> tenantry::Result<RateLimit> {
    let input = &case.input;
    RateLimit::from_secs_f64_with_policy(
        uint(case, input, "limit"),
        num(case, input, "period"),
        opt_uint(case, input, "burst"),
        opt_text(case, input, "policy").unwrap_or("default"),
    )
}

/// `cost` of a request: 1 when absent, as the bindings default it.
fn cost(case: &Case, v: &Value) -> i64 {
    opt_int(case, v, "cost").unwrap_or(1)
}

#[test]
fn limits_vectors() {
    common::run_all("limits", |case| {
        let input = &case.input;
        match case.op.as_str() {
            "check" | "enforce" => {
                let ent = entitlements(case)?;
                let used = usage(case, member(case, input, "used"), "used")?;
                let requested = match input.get("requested") {
                    Some(r) => usage(case, r, "requested")?,
                    None => 1,
                };
                let now = opt_int(case, input, "now").unwrap_or(0);
                let since = opt_int(case, input, "over_limit_since");
                let metric = text(case, input, "metric");
                let d = if case.op == "check" {
                    ent.check(metric, used, requested, now, since)?
                } else {
                    ent.enforce(metric, used, requested, now, since)?
                };
                Ok(decision_json(&d))
            }
            "entitlements" => {
                let ent = entitlements(case)?;
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
            "entitlements.limit" => Ok(json!(entitlements(case)?.limit(text(case, input, "metric"))?)),
            "entitlements.trial_ends_at" => Ok(json!(entitlements(case)?.trial_ends_at())),
            "catalog.plans" => Ok(json!(catalog(case)?.plan_names())),
            "has_feature" => {
                let ent = entitlements(case)?;
                let names = common::strings(case, input, "names");
                Ok(json!(names.iter().map(|n| ent.has_feature(n)).collect::<Vec<_>>()))
            }
            "trial_ends_at" => {
                let c = catalog(case)?;
                Ok(json!(c.trial_ends_at(text(case, input, "plan"), int(case, input, "started_at"))?))
            }
            "trial_status" => {
                let ent = entitlements(case)?;
                Ok(serde_json::to_value(ent.trial_status(int(case, input, "now"))).unwrap())
            }
            "usage_report" => {
                let ent = entitlements(case)?;
                let usage = member(case, input, "usage");
                let usage: Vec<(String, i64)> = usage
                    .as_object()
                    .unwrap_or_else(|| panic!("{}: usage must be an object", case.name))
                    .keys()
                    .map(|k| (k.clone(), int(case, usage, k)))
                    .collect();
                Ok(serde_json::to_value(ent.usage_report(&usage)?).unwrap())
            }
            "crossed" => {
                let thresholds: Option<Vec<f64>> = optional(input, "thresholds").map(|_| {
                    array(case, input, "thresholds")
                        .iter()
                        .map(|x| {
                            x.as_f64()
                                .unwrap_or_else(|| panic!("{}: threshold {x} is not a number", case.name))
                        })
                        .collect()
                });
                let got = limits::crossed(
                    usage(case, member(case, input, "previous"), "previous")?,
                    usage(case, member(case, input, "current"), "current")?,
                    // null is unlimited; the member must be given, as every runner passes it.
                    match member(case, input, "limit") {
                        Value::Null => None,
                        _ => Some(int(case, input, "limit")),
                    },
                    thresholds.as_deref(),
                )?;
                Ok(json!(got))
            }
            "catalog.validate" => match PlanCatalog::from_value(member(case, input, "catalog")) {
                Ok(_) => Ok(json!([])),
                Err(e) if e.code() == "limits.invalid_catalog" => {
                    Ok(common::issues_json(e.issues(), case.expect.as_ref()))
                }
                Err(e) => Err(e),
            },
            "period_window" => {
                let kind = PeriodKind::from_name(text(case, input, "kind"))?;
                let tz = opt_int(case, input, "tz_offset").unwrap_or(0);
                let w = limits::period_window(
                    kind,
                    opt_int(case, input, "anchor"),
                    int(case, input, "now"),
                    common::narrow(case, "tz_offset", tz),
                )?;
                Ok(serde_json::to_value(w).unwrap())
            }
            "rate.limit" => {
                // The getters every language has (Python and Node give the period in seconds).
                let rl = rate_limit(case)?;
                Ok(json!({"limit": rl.limit(), "period": rl.period_ms() as f64 / 1000.0,
                          "burst": rl.burst(), "policy": rl.policy()}))
            }
            "rate.sequence" => {
                let rl = rate_limit(case)?;
                let mut state: Option<i64> = None;
                let mut out = Vec::new();
                for step in array(case, input, "steps") {
                    let now = int(case, step, "now_ms");
                    let cost = cost(case, step);
                    let repeat = opt_uint(case, step, "repeat").unwrap_or(1);
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
                let rl = rate_limit(case)?;
                let d =
                    rl.enforce(opt_int(case, input, "state"), int(case, input, "now_ms"), cost(case, input))?;
                Ok(rate_json(&d, true))
            }
            "rate.seconds" => {
                // The decision's waits in whole seconds (rounded up), next to the milliseconds.
                let rl = rate_limit(case)?;
                let d =
                    rl.check(opt_int(case, input, "state"), int(case, input, "now_ms"), cost(case, input))?;
                Ok(json!({"allowed": d.allowed, "reset_after_ms": d.reset_after_ms,
                          "reset_after": d.reset_after_secs(), "retry_after_ms": d.retry_after_ms,
                          "retry_after": d.retry_after_secs()}))
            }
            other => panic!("{}: unknown op {other}", case.name),
        }
    });
}
