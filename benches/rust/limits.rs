//! Criterion benchmarks of the limits capability's hot calls.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tenantry::limits::{PeriodKind, PlanCatalog, RateLimit, crossed, period_window};

const CATALOG: &str = include_str!("../../examples/plans/seed001_tiers.json");

fn bench(c: &mut Criterion) {
    let catalog = PlanCatalog::from_json(CATALOG).unwrap();
    let ent = catalog.entitlements("free", None, None).unwrap();
    c.bench_function("limits/PlanCatalog::from_json (seed 001)", |b| {
        b.iter(|| PlanCatalog::from_json(black_box(CATALOG)).unwrap())
    });
    c.bench_function("limits/PlanCatalog::entitlements", |b| {
        b.iter(|| catalog.entitlements(black_box("free"), None, None).unwrap())
    });
    c.bench_function("limits/Entitlements::check (warning, crosses 80 %)", |b| {
        b.iter(|| ent.check(black_box("max_users"), black_box(3), 1, 1_700_000_000, None).unwrap())
    });
    c.bench_function("limits/Entitlements::check (grace)", |b| {
        b.iter(|| {
            ent.check(black_box("max_tokens_per_month"), black_box(99_000), 2_000, 1_700_000_000, None)
                .unwrap()
        })
    });
    c.bench_function("limits/crossed", |b| {
        b.iter(|| crossed(black_box(70), black_box(95), Some(100), None).unwrap())
    });
    c.bench_function("limits/period_window (anchored month)", |b| {
        b.iter(|| period_window(PeriodKind::Month, Some(1_706_659_200), black_box(1_709_208_000), 0).unwrap())
    });
    let rl = RateLimit::new(100, 60_000, None).unwrap();
    c.bench_function("limits/RateLimit::check", |b| {
        b.iter(|| rl.check(black_box(Some(1_700_000_000_600)), black_box(1_700_000_000_000), 1).unwrap())
    });
    let d = rl.check(None, 1_700_000_000_000, 1).unwrap();
    c.bench_function("limits/RateDecision::headers", |b| b.iter(|| black_box(&d).headers()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
