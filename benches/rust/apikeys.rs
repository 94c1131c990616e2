//! Bench target (interface: `benches/rust/table.py`). API key benchmarks: verify (parse, checksum, peppered hash, status and scope checks), parse
//! alone, generate, and the hash-only baseline (HMAC-SHA256 + constant-time compare).

use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{KeyInit, Mac};
use std::hint::black_box;
use std::time::Duration;
use tenantry::SecretBytes;
use tenantry::apikeys::{ApiKeys, ApiKeysConfig, KeyOptions, RequiredScopes, VerifyOptions};

const NOW: i64 = 1_700_000_000;

fn bench(c: &mut Criterion) {
    let pepper = vec![7u8; 32];
    let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", SecretBytes::new(pepper.clone()))])).unwrap();
    let options =
        KeyOptions { scopes: vec!["settings:read".into(), "webhooks:*".into()], ..KeyOptions::default() };
    let issued = keys.generate(&options, NOW).unwrap();
    let mut record = issued.record.clone();
    record.last_used_at = Some(NOW);
    let token = issued.token().to_owned();
    let need = VerifyOptions {
        required_scopes: RequiredScopes::all_of(["settings:read"]).unwrap(),
        environment: None,
    };
    let stored: Vec<u8> =
        (0..32).map(|i| u8::from_str_radix(&record.hash[2 * i..2 * i + 2], 16).unwrap()).collect();

    c.bench_function("apikeys/verify/tenantry", |b| {
        b.iter(|| keys.verify(black_box(&token), Some(&record), &need, NOW + 1).unwrap())
    });
    c.bench_function("apikeys/parse/tenantry", |b| b.iter(|| keys.parse(black_box(&token)).unwrap()));
    c.bench_function("apikeys/generate/tenantry", |b| b.iter(|| keys.generate(&options, NOW).unwrap()));
    c.bench_function("apikeys/verify/hmac-sha256 + ct compare (hash only)", |b| {
        b.iter(|| {
            let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&pepper).unwrap();
            mac.update(black_box(token.as_bytes()));
            tenantry::secret::ct_eq(&mac.finalize().into_bytes(), &stored)
        })
    });
    println!(
        "note: apikeys: the verify peer is the hash-only baseline (no parse, checksum, status or scope checks)"
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
