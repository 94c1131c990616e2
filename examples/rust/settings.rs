//! Tour: seed 000's venue settings from one JSON Schema: defaults, a tenant layer with provenance,
//! a partial update with an etag, a refused update, role views and registry rows.
//!
//! Run with `cargo run -p tenantry --example settings`.

use serde_json::json;
use tenantry::settings::{Role, SettingsSchema};

fn main() -> Result<(), tenantry::Error> {
    let source: serde_json::Value = serde_json::from_str(include_str!("../schemas/venue_settings.json"))
        .map_err(|e| tenantry::Error::new(tenantry::ErrorCode::InvalidJson, e.to_string()))?;
    let schema = SettingsSchema::new(&source)?;
    println!("settings: default temperature {}", schema.defaults()["ai_settings"]["temperature"]);

    // The tenant's stored overrides (from any database); effective settings with provenance.
    let stored = json!({"ai_settings": {"enabled": true}});
    let resolved = schema.resolve(&[("tenant", stored.clone())])?;
    println!(
        "settings: ai enabled = {} (from {})",
        resolved.value["ai_settings"]["enabled"], resolved.provenance["/ai_settings/enabled"]
    );

    // A partial update, compare-and-set on the etag the client read.
    let etag = tenantry::settings::etag(&stored);
    let updated = schema.apply_patch(
        &stored,
        &json!({"ai_settings": {"max_tokens": 1200}}),
        Role::Member,
        Some(&etag),
    )?;
    println!("settings: changes {}", serde_json::to_string(&updated.changes).unwrap_or_default());

    // Out of range: every problem with a JSON Pointer and a stable code.
    let err = schema
        .apply_patch(&updated.overrides, &json!({"ai_settings": {"temperature": 1.5}}), Role::Member, None)
        .unwrap_err();
    for issue in err.issues() {
        println!("settings: refused {} {} ({})", issue.path, issue.code, issue.message);
    }

    // The same document as a member sees it (the Slack webhook is sensitive: admins only).
    let member_view = schema.view(&updated.value, Role::Member)?;
    println!(
        "settings: member sees slack_webhook? {}",
        member_view["notification_settings"].get("slack_webhook").is_some()
    );
    println!("settings: {} registry rows", schema.entries(&updated.value, Role::Admin)?.len());
    Ok(())
}
