//! The objects a service builds once at startup and shares between its threads: every one is
//! `Send + Sync` (as their docs promise and the bindings rely on), gives each thread the same
//! answers while many use it at once, and what one thread makes (keys, seals, signatures) another
//! verifies. Ids and tokens drawn at once in different threads never repeat.

use std::collections::HashSet;
use std::thread;

use serde_json::json;
use tenantry::SecretBytes;
use tenantry::apikeys::{ApiKeys, ApiKeysConfig, KeyOptions, VerifyOptions};
use tenantry::audit::{self, Actor, ActorType, AuditRecord, Masking, SealKey};
use tenantry::limits::{Entitlements, PlanCatalog, RateLimit};
use tenantry::settings::{Role, SettingsSchema};
use tenantry::webhooks::{EventFilter, RetryPolicy, Webhook};

const THREADS: usize = 8;
const ROUNDS: usize = 200;
const NOW: i64 = 1_700_000_000;

#[test]
fn shared_objects_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Webhook>();
    check::<EventFilter>();
    check::<RetryPolicy>();
    check::<ApiKeys>();
    check::<PlanCatalog>();
    check::<Entitlements>();
    check::<RateLimit>();
    check::<SettingsSchema>();
    check::<SealKey>();
    check::<Masking>();
    check::<tenantry::Error>();
}

/// Runs `work` in `THREADS` threads at once, each `ROUNDS` times; returns every answer.
fn in_threads<T: Send>(work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let work = &work;
                s.spawn(move || (0..ROUNDS).map(|i| work(t * ROUNDS + i)).collect::<Vec<_>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn ids_and_tokens_drawn_at_once_never_repeat() {
    let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", SecretBytes::new(vec![7; 32]))])).unwrap();
    let drawn = in_threads(|_| {
        let record =
            AuditRecord::builder("user.login", Actor::new(ActorType::User, "u")).build(NOW * 1000).unwrap();
        let key = keys.generate(&KeyOptions::default(), NOW).unwrap();
        (record.id, key.token().to_owned(), tenantry::webhooks::message_id().unwrap())
    });
    let n = THREADS * ROUNDS;
    assert_eq!(drawn.iter().map(|d| &d.0).collect::<HashSet<_>>().len(), n);
    assert_eq!(drawn.iter().map(|d| &d.1).collect::<HashSet<_>>().len(), n);
    assert_eq!(drawn.iter().map(|d| &d.2).collect::<HashSet<_>>().len(), n);
}

#[test]
fn shared_objects_give_every_thread_the_same_answers() {
    let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", SecretBytes::new(vec![7; 32]))])).unwrap();
    let schema = SettingsSchema::new(&json!({"type": "object", "properties": {
        "seats": {"type": "integer", "minimum": 1, "default": 5},
        "smtp": {"type": "object", "properties": {"password": {"type": "string", "x-sensitive": true}}}
    }}))
    .unwrap();
    let catalog = PlanCatalog::from_value(&json!({"free": {"limits": {"seats": 5}}})).unwrap();
    let entitlements = catalog.entitlements("free", None, None).unwrap();
    let rate = RateLimit::new(10, 60_000, None).unwrap();
    let seal_key = SealKey::new("k1", SecretBytes::new(vec![9; 32])).unwrap();

    let answers = in_threads(|i| {
        let payload = format!("{{\"n\": {i}}}");
        // Signed in this thread; verified in every other one below.
        let signed = webhook.sign(&format!("msg_{i}"), NOW, payload.as_bytes()).unwrap();
        let issued = keys.generate(&KeyOptions::default(), NOW).unwrap();
        let record = AuditRecord::builder("setting.updated", Actor::new(ActorType::User, format!("u_{i}")))
            .before(json!({"seats": 5, "smtp": {"password": "old"}}))
            .after(json!({"seats": i, "smtp": {"password": "new"}}))
            .build(NOW * 1000)
            .unwrap()
            .to_sealed_json(None, Some(&seal_key))
            .unwrap();
        let deterministic = (
            schema.resolve(&[("tenant", json!({"seats": 7}))]).unwrap().value,
            schema.apply_patch(&json!({}), &json!({"seats": 0}), Role::Admin, None).unwrap_err().code(),
            entitlements.check("seats", 4, 1, NOW, None).unwrap(),
            rate.check(Some(NOW * 1000), NOW * 1000, 1).unwrap(),
        );
        (payload, signed, issued, record, deterministic)
    });

    let first = &answers[0].4;
    let chain: Vec<_> = answers.iter().map(|a| a.3.clone()).collect();
    thread::scope(|s| {
        for part in answers.chunks(ROUNDS) {
            let (webhook, keys, seal_key) = (&webhook, &keys, &seal_key);
            s.spawn(move || {
                for (payload, signed, issued, record, deterministic) in part {
                    assert_eq!(deterministic, first);
                    webhook.verify(payload.as_bytes(), signed.pairs(), 300, NOW).unwrap();
                    let verdict = keys
                        .verify(issued.token(), Some(&issued.record), &VerifyOptions::default(), NOW)
                        .unwrap();
                    assert!(verdict.valid);
                    let changes = record["changes"].as_array().unwrap();
                    let password = changes.iter().find(|c| c["path"] == "/smtp/password").unwrap();
                    assert_eq!(password["after"], "***");
                    let report = audit::verify_chain(
                        std::slice::from_ref(record),
                        std::slice::from_ref(seal_key),
                        None,
                    );
                    assert!(report.unwrap().ok);
                }
            });
        }
    });
    // Records sealed independently each start a chain of their own: together they are no chain.
    assert!(!audit::verify_chain(&chain, &[seal_key], None).unwrap().ok);
}
