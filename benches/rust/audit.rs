//! Audit benchmarks: build + seal a record with a ten-field change, and verify a 100,000-record chain
//! (target: at least 200,000 records/s).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use tenantry::SecretBytes;
use tenantry::audit::{Actor, ActorType, AuditRecord, SealKey, seal, verify_chain};

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

fn record(i: i64, before: &Value, after: &Value) -> Value {
    AuditRecord::builder("setting.updated", Actor::new(ActorType::User, "u_1").ip("203.0.113.9"))
        .tenant_id("t_1")
        .request_id("req_1")
        .before(before.clone())
        .after(after.clone())
        .build(1_700_000_000_000 + i)
        .unwrap()
        .to_json()
}

fn bench(c: &mut Criterion) {
    let key = SealKey::new("k1", SecretBytes::new(vec![7; 32])).unwrap();
    let (before, after) = documents();

    c.bench_function("audit build + seal (ten-field change, HMAC)", |b| {
        b.iter(|| {
            let r = record(black_box(1), &before, &after);
            black_box(seal(&r, Some(&"ab".repeat(32)), Some(&key)).unwrap())
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
    let mut group = c.benchmark_group("audit verify_chain");
    group.throughput(Throughput::Elements(chain.len() as u64));
    group.sample_size(10);
    group.bench_function("100,000 sealed records", |b| {
        b.iter(|| {
            let report = verify_chain(black_box(&chain), &keys, None).unwrap();
            assert!(report.ok);
        })
    });
    let hot = &chain[..1_000];
    group.throughput(Throughput::Elements(hot.len() as u64));
    group.sample_size(20);
    group.bench_function("1,000 sealed records (in cache)", |b| {
        b.iter(|| {
            let report = verify_chain(black_box(hot), &keys, None).unwrap();
            assert!(report.ok);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
