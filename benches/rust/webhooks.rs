//! Bench target (interface: `benches/rust/table.py`). Standard Webhooks `v1`, 1 KB payload:
//! tenantry's `Webhook::verify` / `Webhook::sign` against the same computation written bare with
//! `hmac` + `sha2` + `base64` (no header parsing, no timestamp window, no key rotation).

use std::hint::black_box;
use std::time::Duration;

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
const BARE: &str = "bare hmac+sha2+base64";

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

fn main() {
    let mut c = Criterion::default()
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
        group.bench_function("verify (1 KB)/tenantry", |b| {
            b.iter(|| wh.verify(black_box(&payload), black_box(signed.pairs()), 300, black_box(TIMESTAMP)))
        });
        group.bench_function(format!("verify (1 KB)/{BARE}"), |b| {
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
        group.bench_function("sign (1 KB)/tenantry", |b| {
            b.iter(|| wh.sign(black_box(MSG_ID), black_box(TIMESTAMP), black_box(&payload)))
        });
        group.bench_function(format!("sign (1 KB)/{BARE}"), |b| {
            b.iter(|| {
                bare_sign(black_box(&key), black_box(MSG_ID), black_box(TIMESTAMP), black_box(&payload))
            })
        });
        group.finish();
    }
    c.final_summary();
    println!("note: webhooks: target tenantry <= 1.2x the bare computation (ratio >= 0.83x)");
}
