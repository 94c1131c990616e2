//! Bench target (interface: `benches/rust/table.py`). The limits capability's hot calls (no peer
//! in Rust: the peers are the pure-Python and pure-JS equivalents in the other two tables).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tenantry::limits::{PeriodKind, PlanCatalog, RateLimit, crossed, period_window};

const CATALOG: &str = include_str!("../../examples/plans/seed001_tiers.json");

fn bench(c: &mut Criterion) {
    let catalog = PlanCatalog::from_json(CATALOG).unwrap();
    let ent = catalog.entitlements("free", None, None).unwrap();
    c.bench_function("limits/PlanCatalog::from_json (seed 001)/tenantry", |b| {
        b.iter(|| PlanCatalog::from_json(black_box(CATALOG)).unwrap())
    });
    c.bench_function("limits/PlanCatalog::entitlements/tenantry", |b| {
        b.iter(|| catalog.entitlements(black_box("free"), None, None).unwrap())
    });
    c.bench_function("limits/Entitlements::check (warning, crosses 80 %)/tenantry", |b| {
        b.iter(|| ent.check(black_box("max_users"), black_box(3), 1, 1_700_000_000, None).unwrap())
    });
    c.bench_function("limits/Entitlements::check (grace)/tenantry", |b| {
        b.iter(|| {
            ent.check(black_box("max_tokens_per_month"), black_box(99_000), 2_000, 1_700_000_000, None)
                .unwrap()
        })
    });
    c.bench_function("limits/crossed/tenantry", |b| {
        b.iter(|| crossed(black_box(70), black_box(95), Some(100), None).unwrap())
    });
    c.bench_function("limits/period_window (anchored month)/tenantry", |b| {
        b.iter(|| period_window(PeriodKind::Month, Some(1_706_659_200), black_box(1_709_208_000), 0).unwrap())
    });
    let rl = RateLimit::new(100, 60_000, None).unwrap();
    c.bench_function("limits/RateLimit::check/tenantry", |b| {
        b.iter(|| rl.check(black_box(Some(1_700_000_000_600)), black_box(1_700_000_000_000), 1).unwrap())
    });
    let d = rl.check(None, 1_700_000_000_000, 1).unwrap();
    c.bench_function("limits/RateDecision::headers/tenantry", |b| b.iter(|| black_box(&d).headers()));
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
