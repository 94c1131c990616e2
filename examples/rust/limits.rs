//! Tour: seed 001's tiers, the 80/90/100 % alerts, grace for overages, billing periods and a
//! 60-per-minute GCRA rate limit with its headers.
//!
//! Run with `cargo run -p tenantry --example limits`.

use tenantry::limits::{PeriodKind, PlanCatalog, RateLimit, period_window, unix_now_ms};

fn main() -> Result<(), tenantry::Error> {
    let catalog = PlanCatalog::from_json(include_str!("../plans/seed001_tiers.json"))?;
    println!("limits: plans {}", catalog.plan_names().join(", "));

    // A free tenant with a negotiated seat limit: usage grows, each alert fires once.
    let overrides = serde_json::json!({"limits": {"max_users": 10}});
    let ent = catalog.entitlements("free", Some(&overrides), None)?;
    let mut used = 0;
    for step in [6, 2, 1, 1, 1] {
        let d = ent.check("max_users", used, step, 0, None)?;
        println!(
            "limits: max_users {used} + {step} -> allowed={} status={} crossed={:?}",
            d.allowed,
            d.status.as_str(),
            d.crossed
        );
        if d.allowed {
            used += step;
        }
    }

    // Tokens past the limit: 10 % / 3 days of grace from the first overage.
    let now = 1_700_000_000;
    let d = ent.check("max_tokens_per_month", 99_000, 2_000, now, None)?;
    println!(
        "limits: tokens 101000/100000 -> {} until {:?} (store over_limit_since={:?})",
        d.status.as_str(),
        d.grace_ends_at,
        d.over_limit_since
    );

    // The billing month for a subscription that started on 31 January.
    let w = period_window(PeriodKind::Month, Some(1_706_659_200), 1_709_208_000, 0)?;
    println!("limits: billing period [{}, {}) (29 Feb 2024 .. 31 Mar 2024)", w.start, w.end);

    // Seed 004: 60 requests per minute per client, state kept by the caller.
    let per_minute = RateLimit::new(60, 60_000, None)?;
    let now_ms = unix_now_ms();
    let mut state = None;
    let mut last = None;
    for _ in 0..61 {
        let d = per_minute.check(state, now_ms, 1)?;
        if d.allowed {
            state = Some(d.state);
        }
        last = Some(d);
    }
    if let Some(d) = last {
        println!("limits: 61st request allowed={} headers:", d.allowed);
        for (name, value) in d.headers() {
            println!("limits:   {name}: {value}");
        }
    }
    Ok(())
}
