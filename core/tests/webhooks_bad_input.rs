//! Bad input to `Webhook`: every bad value is a typed error with its stable code, never a panic;
//! and the header rule gives the same answer whatever order the headers come in.

use tenantry::webhooks::{StandardHeaders, Webhook};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const MSG_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TS: i64 = 1614265330;
const PAYLOAD: &[u8] = br#"{"test": 2432232314}"#;
const SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn verify_code(headers: &[(&str, &str)], tolerance: i64, now: i64) -> Option<&'static str> {
    let wh = Webhook::new(SECRET).unwrap();
    wh.verify(PAYLOAD, headers.iter().copied(), tolerance, now).err().map(|e| e.code())
}

fn good_with(name: &'static str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut headers =
        vec![("webhook-id", MSG_ID), ("webhook-timestamp", "1614265330"), ("webhook-signature", SIG)];
    for header in &mut headers {
        if header.0 == name {
            header.1 = value;
        }
    }
    headers
}

#[test]
fn the_good_message_verifies() {
    assert_eq!(verify_code(&good_with("", ""), 300, TS), None);
}

#[test]
fn bad_header_values_have_their_codes() {
    let huge_sig = format!("v1,{}", "A".repeat(1 << 20));
    let padded_sig = format!("{SIG}{}", " ".repeat(1 << 20));
    let many_sigs = vec!["v1,AAAA"; 8000].join(" ");
    let huge_ts = "9".repeat(1_000_000);
    let huge_id = "x".repeat(1 << 20);
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![], "webhook.missing_header"),
        (vec![("webhook-id", MSG_ID)], "webhook.missing_header"),
        (good_with("webhook-id", ""), "webhook.missing_header"),
        (good_with("webhook-timestamp", ""), "webhook.invalid_timestamp"),
        (good_with("webhook-timestamp", "abc"), "webhook.invalid_timestamp"),
        (good_with("webhook-timestamp", "1e9"), "webhook.invalid_timestamp"),
        (good_with("webhook-timestamp", "-1614265330"), "webhook.invalid_timestamp"),
        (good_with("webhook-timestamp", "+1614265330"), "webhook.invalid_timestamp"),
        (good_with("webhook-timestamp", "1614265330.0"), "webhook.invalid_timestamp"),
        (good_with("webhook-timestamp", "١٦١٤٢٦٥٣٣٠"), "webhook.invalid_timestamp"),
        (good_with("webhook-timestamp", "9999999999999999999"), "webhook.invalid_timestamp"),
        (good_with("webhook-timestamp", leak(huge_ts)), "webhook.invalid_timestamp"),
        (good_with("webhook-timestamp", "999999999999999999"), "webhook.timestamp_too_new"),
        (good_with("webhook-timestamp", "0"), "webhook.timestamp_too_old"),
        (good_with("webhook-signature", ""), "webhook.no_matching_signature"),
        (good_with("webhook-signature", "v1,"), "webhook.no_matching_signature"),
        (good_with("webhook-signature", ","), "webhook.no_matching_signature"),
        (good_with("webhook-signature", "v1,!!!!"), "webhook.no_matching_signature"),
        (
            good_with("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE"),
            "webhook.no_matching_signature",
        ),
        (
            good_with("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=AAAA"),
            "webhook.no_matching_signature",
        ),
        (good_with("webhook-signature", "v1,éééé"), "webhook.no_matching_signature"),
        (good_with("webhook-signature", "v1a,AAAA"), "webhook.no_matching_signature"),
        (good_with("webhook-signature", leak(many_sigs)), "webhook.no_matching_signature"),
        (good_with("webhook-signature", leak(huge_sig)), "webhook.invalid_signature_header"),
        (good_with("webhook-signature", leak(padded_sig)), "webhook.invalid_signature_header"),
        (good_with("webhook-id", leak(huge_id)), "webhook.no_matching_signature"),
    ];
    for (headers, code) in cases {
        let name = format!("{:?}", headers.iter().map(|(k, v)| (k, v.len())).collect::<Vec<_>>());
        assert_eq!(verify_code(&headers, 300, TS), Some(code), "{name}");
    }
}

#[test]
fn extreme_times_and_tolerances_are_typed_errors() {
    let good = good_with("", "");
    assert_eq!(verify_code(&good, 300, i64::MAX), Some("webhook.timestamp_too_old"));
    assert_eq!(verify_code(&good, 300, i64::MIN), Some("webhook.timestamp_too_new"));
    assert_eq!(verify_code(&good, i64::MAX, i64::MIN), Some("webhook.timestamp_too_new"));
    assert_eq!(verify_code(&good, i64::MAX, i64::MAX), None);
    assert_eq!(verify_code(&good, i64::MAX, 0), None);
    assert_eq!(verify_code(&good, -1, TS), Some("input.invalid"));
    assert_eq!(verify_code(&good, i64::MIN, TS), Some("input.invalid"));
    let wh = Webhook::new(SECRET).unwrap();
    // Signing takes the times every call takes: 1970 to the end of 9999.
    for ts in [-1, i64::MIN, i64::MAX, 1_000_000_000_000_000_000, 253_402_300_800] {
        assert_eq!(wh.sign(MSG_ID, ts, PAYLOAD).unwrap_err().code(), "input.invalid_time", "{ts}");
    }
    let max = wh.sign(MSG_ID, 253_402_300_799, PAYLOAD).unwrap();
    wh.verify(PAYLOAD, max.pairs(), 0, 253_402_300_799).unwrap();
}

#[test]
fn bad_secrets_are_invalid_secret() {
    let huge = format!("whsec_{}", "QUJD".repeat(1_000_000));
    for secret in ["", "whsec_", "whsec_!!!", "whsec_AAAAA", "whsk_abc", "whpk_", "whsk_", huge.as_str()] {
        let err = Webhook::new(secret).unwrap_err();
        assert_eq!(err.code(), "webhook.invalid_secret", "{}", &secret[..secret.len().min(20)]);
        assert!(!err.message().contains("QUJDQUJD"), "the message must not echo the secret");
    }
    assert_eq!(Webhook::with_keys(Vec::<String>::new()).unwrap_err().code(), "webhook.invalid_secret");
}

/// A small seeded generator (xorshift64*), so failures reproduce without extra dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn casing(rng: &mut Rng, name: &str) -> String {
    match rng.below(4) {
        0 => name.to_owned(),
        1 => name.to_ascii_uppercase(),
        2 => name
            .split('-')
            .map(|p| format!("{}{}", &p[..1].to_ascii_uppercase(), &p[1..]))
            .collect::<Vec<_>>()
            .join("-"),
        _ => name.chars().map(|c| if rng.below(2) == 0 { c.to_ascii_uppercase() } else { c }).collect(),
    }
}

/// The rule, written out independently: per header, the lowest rank wins (exact `webhook-*` 0,
/// exact `svix-*` 1, other casings of `webhook-*` 2, of `svix-*` 3), with every instance at that
/// rank (sorted here, as the order of instances does not decide anything).
fn model(headers: &[(String, String)]) -> [Option<Vec<String>>; 3] {
    let mut best: [Option<(u8, Vec<String>)>; 3] = [None, None, None];
    for (name, value) in headers {
        let lower = name.to_ascii_lowercase();
        for (slot, suffix) in ["id", "timestamp", "signature"].iter().enumerate() {
            for (alias, prefix) in ["webhook-", "svix-"].iter().enumerate() {
                if lower == format!("{prefix}{suffix}") {
                    let rank = alias as u8 + if *name == lower { 0 } else { 2 };
                    match &mut best[slot] {
                        Some((held, values)) if *held == rank => values.push(value.clone()),
                        Some((held, _)) if *held < rank => {}
                        other => *other = Some((rank, vec![value.clone()])),
                    }
                }
            }
        }
    }
    best.map(|b| {
        b.map(|(_, mut v)| {
            v.sort();
            v
        })
    })
}

/// What `found` holds, in the model's form (`None` for all three when a header is missing).
fn picked(found: &StandardHeaders<String>) -> Option<[Vec<String>; 3]> {
    found.instances().ok().map(|all| {
        all.map(|values| {
            let mut values: Vec<String> = values.into_iter().cloned().collect();
            values.sort();
            values
        })
    })
}

#[test]
fn the_header_rule_ignores_order_and_matches_the_model() {
    let mut rng = Rng(0x7e7a_2026);
    let names = [
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "svix-id",
        "svix-timestamp",
        "svix-signature",
    ];
    for case in 0..2000 {
        let mut headers: Vec<(String, String)> = (0..rng.below(9))
            .map(|i| {
                let name = match rng.below(5) {
                    0 => "content-type".to_owned(),
                    _ => {
                        let pick = names[rng.below(names.len())];
                        casing(&mut rng, pick)
                    }
                };
                (name, format!("value-{case}-{i}"))
            })
            .collect();
        let expected = model(&headers);
        for _ in 0..4 {
            for i in (1..headers.len()).rev() {
                headers.swap(i, rng.below(i + 1));
            }
            let mut found = StandardHeaders::new();
            for (name, value) in &headers {
                let wanted = found.wants(name);
                let kept = found.offer(name, value.clone());
                assert_eq!(wanted, kept, "case {case}: wants() and offer() disagree on {name}");
            }
            match picked(&found) {
                Some(got) => assert_eq!(got.map(Some), expected, "case {case}: {headers:?}"),
                None => {
                    assert_eq!(found.instances().unwrap_err().code(), "webhook.missing_header");
                    assert!(expected.iter().any(Option::is_none), "case {case}: {headers:?}");
                }
            }
        }
    }
}

#[test]
fn exact_lookups_then_a_scan_give_the_full_scan_answer() {
    // What the bindings do: look up the exact names, scan only when not settled.
    let mut rng = Rng(42);
    let names = [
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "svix-id",
        "svix-timestamp",
        "svix-signature",
    ];
    for case in 0..2000 {
        let mut headers: Vec<(String, String)> = Vec::new();
        for i in 0..rng.below(10) {
            let pick = names[rng.below(names.len())];
            let name = casing(&mut rng, pick);
            if headers.iter().all(|(n, _)| *n != name) {
                headers.push((name, format!("v{case}-{i}")));
            }
        }
        let mut full = StandardHeaders::new();
        for (name, value) in &headers {
            full.offer(name, value.clone());
        }
        let mut fast = StandardHeaders::new();
        for name in StandardHeaders::<String>::EXACT_NAMES {
            if fast.wants(name)
                && let Some((_, value)) = headers.iter().find(|(n, _)| n == name)
            {
                fast.offer(name, value.clone());
            }
        }
        if !fast.is_settled() {
            for (name, value) in &headers {
                if fast.wants_other_spelling(name) {
                    fast.offer(name, value.clone());
                }
            }
        }
        assert_eq!(picked(&full), picked(&fast), "case {case}: {headers:?}");
    }
}

/// The eight small-order ed25519 points (the torsion subgroup), as `whpk_` keys: with any of them
/// as the public key, one signature verifies for (almost) every message.
const SMALL_ORDER_KEYS: [&str; 8] = [
    "whpk_AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "whpk_xxdqcD1N2E+6PAt2DRBnDyogU/osOczGTsf9d5KsA3o=",
    "whpk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIA=",
    "whpk_JuiVj8KyJ7BFw/SJ8u+Y8NXfrAXTxjM5sTgCiG1T/AU=",
    "whpk_7P///////////////////////////////////////38=",
    "whpk_JuiVj8KyJ7BFw/SJ8u+Y8NXfrAXTxjM5sTgCiG1T/IU=",
    "whpk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "whpk_xxdqcD1N2E+6PAt2DRBnDyogU/osOczGTsf9d5KsA/o=",
];

#[test]
fn weak_public_keys_are_refused() {
    for key in SMALL_ORDER_KEYS {
        let err = Webhook::new(key).unwrap_err();
        assert_eq!(err.code(), "webhook.invalid_secret", "{key}");
        assert!(!err.message().contains(key), "the message repeats the key");
        // Among other keys too: one weak key must not slip in during a rotation.
        let (_, good) = tenantry::webhooks::generate_keypair().unwrap();
        assert_eq!(Webhook::with_keys([good.as_str(), key]).unwrap_err().code(), "webhook.invalid_secret");
    }
}

#[test]
fn a_forged_signature_for_the_identity_key_does_not_verify() {
    // R = identity, s = 0: valid for every message under the identity key with non-strict
    // verification. The key is refused; a real key with the same signature never matches.
    use base64::Engine;
    let mut forged = [0u8; 64];
    forged[0] = 1;
    let sig = format!("v1a,{}", base64::engine::general_purpose::STANDARD.encode(forged));
    let (secret, public) = tenantry::webhooks::generate_keypair().unwrap();
    for key in [secret, public] {
        let wh = Webhook::new(&key).unwrap();
        let headers =
            [("webhook-id", MSG_ID), ("webhook-timestamp", "1614265330"), ("webhook-signature", &sig)];
        assert_eq!(wh.verify(b"evil", headers, 300, TS).unwrap_err().code(), "webhook.no_matching_signature");
    }
}

#[test]
fn every_instance_of_the_signature_header_is_read() {
    let bad = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let (id, ts) = (("webhook-id", MSG_ID), ("webhook-timestamp", "1614265330"));
    for headers in [
        vec![id, ts, ("webhook-signature", bad), ("webhook-signature", SIG)],
        vec![id, ts, ("webhook-signature", SIG), ("webhook-signature", bad)],
        vec![id, ts, ("Webhook-Signature", bad), ("WEBHOOK-SIGNATURE", SIG)],
    ] {
        assert_eq!(verify_code(&headers, 300, TS), None, "{headers:?}");
    }
    // Joined as Node's http module and fetch's Headers join a repeated header.
    for joined in [format!("{bad}, {SIG}"), format!("{SIG}, {bad}"), format!("{SIG},")] {
        let joined: &'static str = Box::leak(joined.into_boxed_str());
        assert_eq!(verify_code(&good_with("webhook-signature", joined), 300, TS), None, "{joined}");
    }
    // Only one trailing comma is a separator; anything else after the signature is not read.
    for not_read in [format!("{SIG},,"), format!("{SIG},x"), format!("{SIG};")] {
        let not_read: &'static str = Box::leak(not_read.into_boxed_str());
        assert_eq!(
            verify_code(&good_with("webhook-signature", not_read), 300, TS),
            Some("webhook.no_matching_signature"),
            "{not_read}"
        );
    }
    // An outranked name still does not count, repeated or not.
    let headers = [id, ts, ("webhook-signature", bad), ("svix-signature", SIG), ("svix-signature", SIG)];
    assert_eq!(verify_code(&headers, 300, TS), Some("webhook.no_matching_signature"));
    // The size limit is on all instances together.
    let half = format!("v1,{}", "A".repeat(40 * 1024));
    let half: &'static str = Box::leak(half.into_boxed_str());
    let headers =
        [id, ts, ("webhook-signature", half), ("webhook-signature", half), ("webhook-signature", SIG)];
    assert_eq!(verify_code(&headers, 300, TS), Some("webhook.invalid_signature_header"));
}

#[test]
fn repeated_ids_and_timestamps_must_agree() {
    let sig = ("webhook-signature", SIG);
    let (id, ts) = (("webhook-id", MSG_ID), ("webhook-timestamp", "1614265330"));
    let same = [id, id, ts, ("webhook-timestamp", " 1614265330"), sig];
    assert_eq!(verify_code(&same, 300, TS), None);
    let joined = [id, ("webhook-timestamp", "1614265330, 1614265330"), sig];
    assert_eq!(verify_code(&joined, 300, TS), None);
    for headers in [
        vec![id, ("webhook-id", "msg_other"), ts, sig],
        vec![("webhook-id", "msg_other"), id, ts, sig],
        vec![id, ("webhook-id", ""), ts, sig],
        vec![id, ts, ("webhook-timestamp", "1614265331"), sig],
        vec![id, ("webhook-timestamp", "1614265330, 1614265331"), sig],
        vec![id, ("webhook-timestamp", "1614265330,"), sig],
        vec![("WEBHOOK-ID", "msg_a"), ("Webhook-Id", "msg_b"), ts, sig],
    ] {
        assert_eq!(verify_code(&headers, 300, TS), Some("webhook.invalid_header"), "{headers:?}");
    }
    // Other spellings at a lower rank never conflict with the header that counts.
    let outranked = [id, ("Webhook-Id", "msg_other"), ("svix-id", "msg_other"), ts, sig];
    assert_eq!(verify_code(&outranked, 300, TS), None);
}

#[test]
fn an_unreadable_value_fails_only_where_it_counts() {
    let wh = Webhook::new(SECRET).unwrap();
    let mut found = StandardHeaders::new();
    found.offer("webhook-id", MSG_ID);
    found.offer("webhook-timestamp", "1614265330");
    found.offer("webhook-signature", SIG);
    for outranked in ["svix-id", "Webhook-Timestamp", "SVIX-SIGNATURE"] {
        assert!(!found.offer_unreadable(outranked));
    }
    wh.verify_headers(PAYLOAD, &found, 300, TS).unwrap();
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut found = found.clone();
        assert!(found.offer_unreadable(name));
        let err = wh.verify_headers(PAYLOAD, &found, 300, TS).unwrap_err();
        assert_eq!(err.code(), "webhook.invalid_header");
        assert!(err.message().contains(name), "{}", err.message());
    }
    // A better rank that arrives later replaces the unreadable one.
    let mut found = StandardHeaders::new();
    found.offer_unreadable("Webhook-Id");
    for (name, value) in
        [("webhook-id", MSG_ID), ("webhook-timestamp", "1614265330"), ("webhook-signature", SIG)]
    {
        found.offer(name, value);
    }
    wh.verify_headers(PAYLOAD, &found, 300, TS).unwrap();
}
