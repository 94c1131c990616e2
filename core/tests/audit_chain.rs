//! Every kind of tampering, at every position of a chain, is caught at the right index with the
//! right reason; and the builder's bounds hold for very large input.

use serde_json::{Value, json};
use tenantry::SecretBytes;
use tenantry::audit::{
    Actor, ActorType, AuditRecord, BreakReason, GENESIS_HASH, SealKey, record_hash, seal, verify_chain,
};

const N: usize = 12;

fn chain(key: Option<&SealKey>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for i in 0..N {
        let record = AuditRecord::builder("setting.updated", Actor::new(ActorType::User, format!("u_{i}")))
            .tenant_id("t_1")
            .before(json!({"n": i}))
            .after(json!({"n": i + 1}))
            .id(format!("evt_{i}"))
            .build(1_700_000_000_000 + i as i64 * 1000)
            .unwrap()
            .to_json();
        let prev = out.last().map(|r| r["hash"].as_str().unwrap().to_owned());
        out.push(seal(&record, prev.as_deref(), key).unwrap());
    }
    out
}

fn check(records: &[Value], keys: &[SealKey], anchor: Option<&str>, want: Option<(usize, BreakReason)>) {
    let report = verify_chain(records, keys, anchor).unwrap();
    match want {
        None => assert!(report.ok, "expected ok, got {report:?}"),
        Some((index, reason)) => {
            assert!(!report.ok);
            assert_eq!((report.index, report.reason), (Some(index), Some(reason)));
        }
    }
}

#[test]
fn every_tampering_at_every_position() {
    let key = SealKey::new("k1", SecretBytes::new(vec![3; 32])).unwrap();
    let keys = std::slice::from_ref(&key);
    let plain = chain(None);
    let sealed = chain(Some(&key));
    check(&plain, &[], Some(GENESIS_HASH), None);
    check(&sealed, keys, Some(GENESIS_HASH), None);

    for i in 0..N {
        // Edited in place.
        let mut edited = plain.clone();
        edited[i]["outcome"] = json!("failure");
        check(&edited, &[], None, Some((i, BreakReason::Edited)));

        // Edited and rehashed: without a key the next link breaks; with a key the seal catches it.
        let mut rehashed = sealed.clone();
        rehashed[i]["outcome"] = json!("failure");
        rehashed[i]["hash"] = json!(record_hash(&rehashed[i]).unwrap());
        check(&rehashed, keys, None, Some((i, BreakReason::Edited)));
        if i + 1 < N {
            check(&rehashed, &[], None, Some((i + 1, BreakReason::Deleted)));
        }

        // Deleted (the first record is only caught with the genesis anchor).
        let mut deleted = plain.clone();
        deleted.remove(i);
        if i + 1 < N {
            check(&deleted, &[], Some(GENESIS_HASH), Some((i, BreakReason::Deleted)));
        } else {
            check(&deleted, &[], Some(GENESIS_HASH), None); // a removed tail needs a stored head
        }

        // Inserted: a forged record linked to its predecessor.
        let prev =
            if i == 0 { GENESIS_HASH.to_owned() } else { plain[i - 1]["hash"].as_str().unwrap().to_owned() };
        let forged = seal(&json!({"action": "user.role_changed", "forged": i}), Some(&prev), None).unwrap();
        let mut inserted = plain.clone();
        inserted.insert(i, forged.clone());
        check(&inserted, &[], Some(GENESIS_HASH), Some((i, BreakReason::Inserted)));
        let mut inserted_sealed = sealed.clone();
        inserted_sealed.insert(i, forged);
        check(&inserted_sealed, keys, Some(GENESIS_HASH), Some((i, BreakReason::Unsealed)));

        // Reordered: swapped with the next record.
        if i + 1 < N {
            let mut swapped = plain.clone();
            swapped.swap(i, i + 1);
            let report = verify_chain(&swapped, &[], Some(GENESIS_HASH)).unwrap();
            assert_eq!(report.reason, Some(BreakReason::Reordered), "swap at {i}: {report:?}");
            assert!(report.index == Some(i) || report.index == Some(i + 1), "swap at {i}: {report:?}");
        }
    }

    let other = SealKey::new("k1", SecretBytes::new(vec![4; 32])).unwrap();
    check(&sealed, &[other], None, Some((0, BreakReason::WrongKey)));
    let renamed = SealKey::new("k2", SecretBytes::new(vec![3; 32])).unwrap();
    check(&sealed, &[renamed], None, Some((0, BreakReason::WrongKey)));
    check(&plain, keys, None, Some((0, BreakReason::Unsealed)));
}

#[test]
fn retention_trimmed_chain_verifies_from_a_stored_head() {
    let plain = chain(None);
    let head = verify_chain(&plain[..5], &[], Some(GENESIS_HASH)).unwrap().head.unwrap();
    check(&plain[5..], &[], Some(&head), None);
    check(&plain[6..], &[], Some(&head), Some((0, BreakReason::Deleted)));
}

#[test]
fn ten_megabyte_metadata_is_rejected_not_copied_into_a_record() {
    let err = AuditRecord::builder("user.login", Actor::new(ActorType::User, "u"))
        .metadata(json!({"blob": "x".repeat(10_000_000)}))
        .build(0)
        .unwrap_err();
    assert_eq!(err.code(), "audit.too_large");
    assert_eq!(err.issues()[0].path, "/metadata");
}

#[test]
fn ten_megabyte_documents_are_bounded_by_the_changes_limit() {
    let err = AuditRecord::builder("setting.updated", Actor::new(ActorType::User, "u"))
        .before(json!({"doc": "a".repeat(10_000_000)}))
        .after(json!({"doc": "b".repeat(10_000_000)}))
        .build(0)
        .unwrap_err();
    assert_eq!(err.code(), "audit.too_large");
    assert_eq!(err.issues()[0].path, "/changes");
}
