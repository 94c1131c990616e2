//! Tour: build audit records with masked diffs, chain and seal them, catch tampering, export.
//!
//! Run with `cargo run -p tenantry --example audit`.

use serde_json::json;
use tenantry::SecretBytes;
use tenantry::audit::{
    self, Actor, ActorType, AuditRecord, SealKey, Target, actions, to_csv, to_ocsf, unix_now_millis,
    verify_chain,
};

fn main() -> Result<(), tenantry::Error> {
    let key = SealKey::new("2025-01", SecretBytes::new(b"load this from your secret store".to_vec()))?;
    let admin = Actor::new(ActorType::User, "u_1").email("ada@example.com").ip("203.0.113.9");

    // A settings change: the diff has JSON Pointer paths, and secrets are masked.
    let updated = AuditRecord::builder(actions::SETTING_UPDATED, admin.clone())
        .tenant_id("t_1")
        .target(Target::new("settings", "t_1"))
        .before(json!({"theme": "light", "smtp": {"host": "mail.example.com", "password": "old"}}))
        .after(json!({"theme": "dark", "smtp": {"host": "mail.example.com", "password": "new"}}))
        .build(unix_now_millis())?;
    for change in &updated.changes {
        println!("audit: {} {} -> {}", change.path, json!(change.before), json!(change.after));
    }

    // Seal each record after the previous one (store `hash` as the next `previous_hash`).
    let login = AuditRecord::builder(actions::USER_LOGIN, admin).tenant_id("t_1").build(unix_now_millis())?;
    let first = audit::seal(&login.to_json(), None, Some(&key))?;
    let second = audit::seal(&updated.to_json(), first["hash"].as_str(), Some(&key))?;
    let mut chain = vec![first, second];
    println!("audit: chain ok = {}", verify_chain(&chain, std::slice::from_ref(&key), None)?.ok);

    // A database administrator edits history: the chain says where and how.
    chain[1]["actor"]["ip"] = json!("198.51.100.7");
    let report = verify_chain(&chain, std::slice::from_ref(&key), None)?;
    println!(
        "audit: after an edit -> index {:?}, reason {:?}",
        report.index,
        report.reason.map(|r| r.as_str())
    );

    // Export for a spreadsheet (formula-injection safe) and a SIEM.
    let csv = to_csv(&chain)?;
    println!("audit: CSV has {} lines", csv.lines().count());
    println!("audit: OCSF class {}", to_ocsf(&chain[1])?["class_name"]);
    println!("audit: delete records older than {}", audit::retention_cutoff(unix_now_millis(), 90)?);
    Ok(())
}
