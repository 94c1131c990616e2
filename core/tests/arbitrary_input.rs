//! Arbitrary input to every public entry point that reads what a caller (or an attacker) hands
//! over: never a panic (these tests run with overflow checks on), only a result or a typed error
//! with a stable code; and the properties that make the output trustworthy hold for any input
//! (canonical JSON is a fixed point, a sealed chain verifies and any edit to it is found, a
//! signed webhook verifies and a changed byte is refused, an issued API key parses back).

use proptest::prelude::*;
use serde_json::{Map, Number, Value, json};
use tenantry::apikeys::{ApiKeys, ApiKeysConfig, KeyOptions, VerifyOptions};
use tenantry::audit::{self, Actor, ActorType, AuditRecord, BreakReason, SealKey};
use tenantry::limits::{PeriodKind, PlanCatalog, RateLimit, period_window};
use tenantry::settings::{Role, SettingsSchema};
use tenantry::webhooks::{self, Webhook, WebhookKey};
use tenantry::{Error, SecretBytes, canonical_json, json_text};

/// A stable error code: `area.reason`, lowercase.
fn typed(err: &Error) -> bool {
    let code = err.code();
    code.split_once('.').is_some_and(|(area, reason)| {
        !area.is_empty()
            && !reason.is_empty()
            && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    })
}

fn check_typed<T>(result: Result<T, Error>) -> Result<(), TestCaseError> {
    if let Err(err) = &result {
        prop_assert!(typed(err), "untyped error code {:?}: {}", err.code(), err);
    }
    Ok(())
}

/// Strings that reach the corners: controls, quotes, backslashes, non-ASCII (incl. astral), and
/// formula-injection leads.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_]{0,12}",
        "[=+@\\-\t\r\n\"\\\\ a-zA-Z0-9,;]{0,16}",
        "\\PC{0,12}",
        any::<String>().prop_map(|s| s.chars().take(24).collect()),
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        any::<f64>().prop_filter_map("finite", Number::from_f64),
        (-1e3f64..1e3).prop_filter_map("finite", Number::from_f64),
    ]
}

/// Arbitrary JSON, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A record to seal: any JSON object whose members are not the seal's own.
fn record_object() -> impl Strategy<Value = Value> {
    prop::collection::vec(("[a-z]{1,3}", json_value()), 0..6)
        .prop_map(|m| Value::Object(m.into_iter().collect::<Map<String, Value>>()))
}

fn seal_key() -> SealKey {
    SealKey::new("k1", SecretBytes::new(vec![7; 32])).unwrap()
}

fn chain_of(records: &[Value], key: Option<&SealKey>) -> Vec<Value> {
    let mut prev: Option<String> = None;
    records
        .iter()
        .map(|r| {
            let sealed = audit::seal(r, prev.as_deref(), key).unwrap();
            prev = sealed["hash"].as_str().map(str::to_owned);
            sealed
        })
        .collect()
}

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    // ---- JSON text and canonical JSON ----------------------------------------------------------

    #[test]
    fn json_text_parse_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64), text in text()) {
        check_typed(json_text::parse(&bytes))?;
        check_typed(json_text::parse(text.as_bytes()))?;
    }

    #[test]
    fn canonical_json_is_a_fixed_point(value in json_value()) {
        let canonical = canonical_json::to_string(&value);
        let back = json_text::parse(canonical.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(canonical_json::to_string(&back), canonical);
    }

    // ---- audit ------------------------------------------------------------------------------------

    #[test]
    fn a_sealed_chain_verifies_and_every_edit_is_found(
        records in prop::collection::vec(record_object(), 1..6),
        keyed in any::<bool>(),
        at in any::<prop::sample::Index>(),
        how in 0..3u8,
    ) {
        let key = seal_key();
        let key = keyed.then_some(&key);
        let keys: Vec<SealKey> = key.into_iter().cloned().collect();
        let chain = chain_of(&records, key);
        // Anchored at the start: without an anchor, a chain may begin anywhere (retention deletes
        // its oldest records), so the first record's removal would go unnoticed.
        prop_assert!(audit::verify_chain(&chain, &keys, Some(audit::GENESIS_HASH)).unwrap().ok);

        let i = at.index(chain.len());
        let mut broken = chain.clone();
        match how {
            // A member rewritten (a new member: the record can hold any other).
            0 => { broken[i]["zzzz"] = json!("rewritten"); }
            // A record removed (the last one's removal leaves a shorter, intact chain).
            1 if i + 1 < chain.len() => { broken.remove(i); }
            // Two neighbours swapped.
            _ if i + 1 < chain.len() => { broken.swap(i, i + 1); }
            _ => { broken[i]["zzzz"] = json!(null); }
        }
        let report = audit::verify_chain(&broken, &keys, Some(audit::GENESIS_HASH)).unwrap();
        prop_assert!(!report.ok);
        prop_assert_eq!(report.index, Some(i));
        if how == 0 {
            prop_assert_eq!(report.reason, Some(BreakReason::Edited));
        }
    }

    #[test]
    fn audit_calls_take_any_json(values in prop::collection::vec(json_value(), 0..4), value in json_value()) {
        let key = seal_key();
        check_typed(audit::verify_chain(&values, std::slice::from_ref(&key), None))?;
        check_typed(audit::seal(&value, None, Some(&key)))?;
        check_typed(audit::to_csv(&values))?;
        check_typed(audit::to_jsonl(&values))?;
        check_typed(audit::to_ocsf(&value))?;
        check_typed(audit::summarize(&values))?;
    }

    #[test]
    fn audit_builder_takes_any_text(
        action in text(), id in text(), ip in text(), email in text(), tenant in text(),
        reason in text(), metadata in json_value(), before in json_value(), after in json_value(),
        now in any::<i64>(), days in any::<Option<i64>>(),
    ) {
        let actor = Actor::new(ActorType::User, id).ip(ip).email(email);
        let built = AuditRecord::builder(action, actor)
            .tenant_id(tenant)
            .reason(reason)
            .metadata(metadata)
            .before(before)
            .after(after)
            .retention_days(days)
            .build(now);
        if let Ok(record) = &built {
            let sealed = record.to_sealed_json(None, None).unwrap();
            prop_assert!(audit::verify_chain(&[sealed], &[], None).unwrap().ok);
        }
        check_typed(built)?;
        check_typed(audit::retention_cutoff(now, days.unwrap_or(90)))?;
    }

    // ---- webhooks ---------------------------------------------------------------------------------

    #[test]
    fn a_signed_webhook_verifies_and_a_changed_byte_does_not(
        payload in prop::collection::vec(any::<u8>(), 0..256),
        flip in any::<prop::sample::Index>(),
        bit in 0..8u8,
    ) {
        let wh = Webhook::new(SECRET).unwrap();
        let headers = wh.sign("msg_1", NOW, &payload).unwrap();
        prop_assert!(wh.verify(&payload, headers.pairs(), 300, NOW).is_ok());
        if !payload.is_empty() {
            let mut changed = payload.clone();
            changed[flip.index(payload.len())] ^= 1 << bit;
            let err = wh.verify(&changed, headers.pairs(), 300, NOW).unwrap_err();
            prop_assert_eq!(err.code(), "webhook.no_matching_signature");
        }
    }

    #[test]
    fn webhook_headers_take_any_text(
        id in text(), timestamp in text(), signature in text(), payload in text(),
        tolerance in any::<i64>(), now in any::<i64>(),
    ) {
        let wh = Webhook::new(SECRET).unwrap();
        let headers = [("webhook-id", id.as_str()), ("webhook-timestamp", timestamp.as_str()), ("webhook-signature", signature.as_str())];
        check_typed(wh.verify(payload.as_bytes(), headers, tolerance, now))?;
        check_typed(webhooks::stripe::verify(payload.as_bytes(), &signature, "whsec_x", tolerance, now))?;
        check_typed(webhooks::github::verify(payload.as_bytes(), &signature, &["s3cret"]))?;
        check_typed(webhooks::slack::verify(payload.as_bytes(), &timestamp, &signature, "s3cret", tolerance, now))?;
        check_typed(webhooks::parse_timestamp(&timestamp))?;
        check_typed(WebhookKey::parse(&signature))?;
        check_typed(Webhook::new(&id))?;
        let _ = webhooks::parse_retry_after(&timestamp, now);
    }

    // ---- API keys ---------------------------------------------------------------------------------

    #[test]
    fn api_keys_take_any_token(token in text(), prefix in "[a-z]{2,4}", tail in text()) {
        let keys = ApiKeys::new(ApiKeysConfig::new(&prefix, [("p1", SecretBytes::new(vec![7; 32]))])).unwrap();
        let issued = keys.generate(&KeyOptions::default(), NOW).unwrap();
        let parsed = keys.parse(issued.token()).unwrap();
        prop_assert!(keys.verify(issued.token(), Some(&issued.record), &VerifyOptions::default(), NOW).unwrap().valid);
        prop_assert_eq!(parsed.key_id, issued.record.key_id.clone());
        check_typed(keys.parse(&token))?;
        let tampered = format!("{}{tail}", issued.token());
        check_typed(keys.verify(&token, Some(&issued.record), &VerifyOptions::default(), NOW))?;
        if !tail.is_empty() {
            prop_assert!(!keys.verify(&tampered, Some(&issued.record), &VerifyOptions::default(), NOW).unwrap().valid);
        }
    }

    // ---- limits -----------------------------------------------------------------------------------

    #[test]
    fn rate_limits_take_any_numbers(
        limit in any::<u64>(), period in any::<i64>(), burst in any::<Option<u64>>(),
        state in any::<Option<i64>>(), now in any::<i64>(), cost in any::<i64>(),
    ) {
        check_typed(RateLimit::new(limit, period, burst).and_then(|r| r.check(state, now, cost)))?;
        if let Ok(rate) = RateLimit::new(limit % 1000 + 1, period.rem_euclid(86_400_000) + 1, burst.map(|b| b % 1000)) {
            check_typed(rate.check(state, now, cost))?;
            check_typed(rate.check(state, NOW * 1000, cost))?;
            check_typed(rate.check(None, now, 1))?;
        }
    }

    #[test]
    fn periods_and_plans_take_any_input(
        kind in 0..4u8, anchor in any::<Option<i64>>(), now in any::<i64>(), tz in any::<i32>(),
        catalog in json_value(), overrides in json_value(), used in any::<i64>(), requested in any::<i64>(),
    ) {
        let kind = [PeriodKind::None, PeriodKind::Day, PeriodKind::Month, PeriodKind::Year][usize::from(kind)];
        check_typed(period_window(kind, anchor, now, tz))?;
        check_typed(period_window(kind, anchor, NOW, tz % 50_400))?;
        check_typed(PlanCatalog::from_value(&catalog))?;
        let plans = json!({"free": {"limits": {"seats": 5, "tokens": {"limit": 100, "period": "month",
            "grace": {"percent": 10, "duration": 3600}}}, "features": ["a"]}});
        let plans = PlanCatalog::from_value(&plans).unwrap();
        check_typed(plans.entitlements("free", Some(&overrides), None))?;
        let ent = plans.entitlements("free", None, None).unwrap();
        for metric in ["seats", "tokens"] {
            check_typed(ent.check(metric, used, requested, now, None))?;
            check_typed(ent.check(metric, used, requested, NOW, Some(now)))?;
        }
    }

    // ---- settings ---------------------------------------------------------------------------------

    #[test]
    fn settings_take_any_documents(schema in json_value(), doc in json_value(), patch in json_value()) {
        check_typed(SettingsSchema::new(&schema))?;
        let fixed = SettingsSchema::new(&json!({"type": "object", "properties": {
            "theme": {"type": "string", "enum": ["light", "dark"], "default": "light"},
            "seats": {"type": "integer", "minimum": 1, "default": 5},
            "smtp": {"type": "object", "properties": {"host": {"type": "string", "default": "localhost"},
                                                       "password": {"type": "string", "x-sensitive": true}}}
        }})).unwrap();
        check_typed(fixed.validate(&doc))?;
        check_typed(fixed.resolve(&[("tenant", doc.clone())]))?;
        check_typed(fixed.apply_patch(&doc, &patch, Role::Admin, None))?;
        check_typed(fixed.view(&doc, Role::Member))?;
        let mut target = doc;
        tenantry::settings::merge_patch(&mut target, &patch);
    }
}
