//! Bench target (interface: `benches/rust/table.py`). Audit benchmarks: build + seal a record with a ten-field change, and verify a 100,000-record chain
//! (target: at least 200,000 records/s).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use tenantry::SecretBytes;
use tenantry::audit::{Actor, ActorType, AuditRecord, SealKey, seal, verify_chain};
use tenantry::json_tree::Tree;

fn documents() -> (Value, Value) {
    let before = json!({
        "theme": "light", "locale": "en", "seats": 5, "timezone": "UTC", "smtp_host": "a.example.com",
        "smtp_port": 25, "smtp_password": "old", "retention_days": 90, "beta": false, "plan": "pro"
    });
    let after = json!({
        "theme": "dark", "locale": "de", "seats": 10, "timezone": "Europe/Berlin", "smtp_host": "b.example.com",
        "smtp_port": 587, "smtp_password": "new", "retention_days": 30, "beta": true, "plan": "team"
    });
    (before, after)
}

fn built(i: i64, before: &Value, after: &Value) -> AuditRecord {
    AuditRecord::builder("setting.updated", Actor::new(ActorType::User, "u_1").ip("203.0.113.9"))
        .tenant_id("t_1")
        .request_id("req_1")
        .before(before.clone())
        .after(after.clone())
        .build(1_700_000_000_000 + i)
        .unwrap()
}

fn record(i: i64, before: &Value, after: &Value) -> Value {
    built(i, before, after).to_json()
}

fn bench(c: &mut Criterion) {
    let key = SealKey::new("k1", SecretBytes::new(vec![7; 32])).unwrap();
    let (before, after) = documents();

    let prev = "ab".repeat(32);
    c.bench_function("audit/build + seal (ten-field change, HMAC)/tenantry", |b| {
        b.iter(|| {
            // What a Rust caller that keeps its documents writes: they are borrowed, not cloned.
            let r =
                AuditRecord::builder("setting.updated", Actor::new(ActorType::User, "u_1").ip("203.0.113.9"))
                    .tenant_id("t_1")
                    .request_id("req_1")
                    .before_tree(Tree::from(&before))
                    .after_tree(Tree::from(&after))
                    .build(black_box(1_700_000_000_000))
                    .unwrap();
            let fields = r.seal_fields(Some(&prev), Some(&key)).unwrap();
            black_box((r, fields))
        })
    });
    c.bench_function("audit/build, to_json, then seal the JSON/tenantry", |b| {
        b.iter(|| {
            let r = record(black_box(1), &before, &after);
            black_box(seal(&r, Some(&prev), Some(&key)).unwrap())
        })
    });

    let mut chain = Vec::with_capacity(100_000);
    let mut prev: Option<String> = None;
    for i in 0..100_000 {
        let sealed = seal(&record(i, &before, &after), prev.as_deref(), Some(&key)).unwrap();
        prev = sealed["hash"].as_str().map(str::to_owned);
        chain.push(sealed);
    }
    let keys = [key];
    let mut group = c.benchmark_group("audit");
    group.throughput(Throughput::Elements(chain.len() as u64));
    group.sample_size(10);
    group.bench_function("verify_chain (100,000 sealed records)/tenantry", |b| {
        b.iter(|| {
            let report = verify_chain(black_box(&chain), &keys, None).unwrap();
            assert!(report.ok);
        })
    });
    let hot = &chain[..1_000];
    group.throughput(Throughput::Elements(hot.len() as u64));
    group.sample_size(20);
    group.bench_function("verify_chain (1,000 sealed records, in cache)/tenantry", |b| {
        b.iter(|| {
            let report = verify_chain(black_box(hot), &keys, None).unwrap();
            assert!(report.ok);
        })
    });
    group.finish();
    println!(
        "note: audit: targets build + seal <= 5 µs; verify_chain >= 200,000 records/s (100,000 in <= 500,000 µs)"
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
