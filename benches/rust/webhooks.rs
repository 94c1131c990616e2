//! Standard Webhooks `v1`, 1 KB payload: tenantry's `Webhook::verify` / `Webhook::sign` against the
//! same computation written bare with `hmac` + `sha2` + `base64` (no header parsing, no timestamp
//! window, no key rotation). Criterion measures; at the end a compact table is printed from the
//! samples criterion saved (`make bench` shows only that table).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use criterion::Criterion;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use tenantry::webhooks::Webhook;

type HmacSha256 = Hmac<Sha256>;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const MSG_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP: i64 = 1_614_265_330;
const GROUP: &str = "webhooks";

/// A 1 KB JSON-ish payload, the same bytes in every language's bench.
fn payload() -> Vec<u8> {
    let mut body = String::from(r#"{"type":"invoice.paid","data":{"note":""#);
    while body.len() < 1024 - 3 {
        body.push('x');
    }
    body.push_str(r#""}}"#);
    body.into_bytes()
}

/// The bare computation: HMAC-SHA256 of `{id}.{ts}.{payload}`, base64.
fn bare_mac(key: &[u8], msg_id: &str, ts: &str, payload: &[u8]) -> HmacSha256 {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg_id.as_bytes());
    mac.update(b".");
    mac.update(ts.as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac
}

fn bare_sign(key: &[u8], msg_id: &str, ts: i64, payload: &[u8]) -> String {
    let mac = bare_mac(key, msg_id, &ts.to_string(), payload);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

fn bare_verify(key: &[u8], msg_id: &str, ts: &str, signature: &str, payload: &[u8]) -> bool {
    let Some(encoded) = signature.strip_prefix("v1,") else { return false };
    let Ok(expected) = STANDARD.decode(encoded) else { return false };
    bare_mac(key, msg_id, ts, payload).verify_slice(&expected).is_ok()
}

fn criterion_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir).join("criterion"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target").join("criterion"),
    }
}

/// The best per-iteration time (ns) among the samples criterion saved for one benchmark, if it
/// was measured by this run. The best sample is the least disturbed by other processes, the same
/// statistic the Python and Node benches report.
fn best_ns(dir: &Path, id: &str, started: SystemTime) -> Option<f64> {
    // Criterion stores `group/a/b` under `group/a_b`.
    let path = dir.join(GROUP).join(id.replace('/', "_")).join("new").join("sample.json");
    if std::fs::metadata(&path).ok()?.modified().ok()? < started {
        return None;
    }
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let iters = doc["iters"].as_array()?;
    let times = doc["times"].as_array()?;
    iters.iter().zip(times).filter_map(|(n, t)| Some(t.as_f64()? / n.as_f64()?)).min_by(f64::total_cmp)
}

fn main() {
    let started = SystemTime::now();
    let dir = criterion_dir();
    let mut c = Criterion::default()
        .output_directory(&dir)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    let payload = payload();
    assert_eq!(payload.len(), 1024);
    let key = STANDARD.decode(SECRET.trim_start_matches("whsec_")).expect("the secret is base64");
    let wh = Webhook::new(SECRET).expect("valid secret");
    let signed = wh.sign(MSG_ID, TIMESTAMP, &payload).expect("signs");
    let ts = signed.timestamp.clone();
    // Both sides compute the same signature, and both accept it.
    assert_eq!(signed.signature, bare_sign(&key, MSG_ID, TIMESTAMP, &payload));
    assert!(bare_verify(&key, MSG_ID, &ts, &signed.signature, &payload));
    wh.verify(&payload, signed.pairs(), 300, TIMESTAMP).expect("verifies");

    {
        let mut group = c.benchmark_group(GROUP);
        group.bench_function("verify/tenantry", |b| {
            b.iter(|| wh.verify(black_box(&payload), black_box(signed.pairs()), 300, black_box(TIMESTAMP)))
        });
        group.bench_function("verify/bare", |b| {
            b.iter(|| {
                bare_verify(
                    black_box(&key),
                    black_box(MSG_ID),
                    black_box(&ts),
                    black_box(&signed.signature),
                    black_box(&payload),
                )
            })
        });
        group.bench_function("sign/tenantry", |b| {
            b.iter(|| wh.sign(black_box(MSG_ID), black_box(TIMESTAMP), black_box(&payload)))
        });
        group.bench_function("sign/bare", |b| {
            b.iter(|| {
                bare_sign(black_box(&key), black_box(MSG_ID), black_box(TIMESTAMP), black_box(&payload))
            })
        });
        group.finish();
    }
    c.final_summary();

    // `cargo test --benches` only smoke-runs; `cargo bench -- <filter>` may skip some: print only
    // what this run measured.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rows: Vec<(&str, f64, f64)> = ["verify", "sign"]
        .into_iter()
        .filter_map(|op| {
            let ours = best_ns(&dir, &format!("{op}/tenantry"), started)?;
            let bare = best_ns(&dir, &format!("{op}/bare"), started)?;
            Some((op, ours, bare))
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    println!();
    println!("Rust: Standard Webhooks v1, 1 KB payload (best criterion sample, µs per op)");
    println!("{:<10} {:>10} {:>22} {:>8}", "operation", "tenantry", "bare hmac+sha2+base64", "ratio");
    for (op, ours, bare) in rows {
        println!("{:<10} {:>10.3} {:>22.3} {:>7.2}x", op, ours / 1000.0, bare / 1000.0, ours / bare);
    }
    println!("(ratio = tenantry / bare; target <= 1.20x)");
}
