//! Settings on seed 000's venue-settings schema with a small tenant override: tenantry's
//! `resolve` (defaults + merge + validate + provenance), `validate` and `apply_patch`, against the
//! `jsonschema` crate validating the already-merged document alone (the floor tenantry builds on).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use tenantry::settings::{Role, SettingsSchema};

fn schema_source() -> Value {
    serde_json::from_str(include_str!("../../examples/schemas/venue_settings.json")).expect("schema parses")
}

fn bench(c: &mut Criterion) {
    let source = schema_source();
    let schema = SettingsSchema::new(&source).expect("schema compiles");
    let layer = json!({"ai_settings": {"enabled": true, "temperature": 0.3}, "email_settings": {"from_email": "events@venue.example.com"}});
    let layers = [("tenant", layer.clone())];
    let effective = schema.resolve(&layers).expect("valid").value;
    let bare = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_format("https-url", tenantry::settings::is_https_url)
        .with_format("hex-color", tenantry::settings::is_hex_color)
        .build(&source)
        .expect("schema compiles");
    let patch = json!({"ai_settings": {"max_tokens": 900}});

    // Criterion ids follow `<cap>/<operation>/<implementation>` (see benches/rust/table.py).
    c.bench_function("settings/resolve (venue, small override)/tenantry", |b| {
        b.iter(|| schema.resolve(black_box(&layers)).expect("valid"))
    });
    c.bench_function("settings/resolve_value (no provenance)/tenantry", |b| {
        b.iter(|| schema.resolve_value(black_box(&layers)).expect("valid"))
    });
    c.bench_function("settings/validate (merged doc)/tenantry", |b| {
        b.iter(|| schema.validate(black_box(&effective)).expect("valid"))
    });
    c.bench_function("settings/apply_patch/tenantry", |b| {
        b.iter(|| {
            schema.apply_patch(black_box(&layer), black_box(&patch), Role::Member, None).expect("valid")
        })
    });
    c.bench_function("settings/validate (merged doc)/jsonschema crate is_valid", |b| {
        b.iter(|| bare.is_valid(black_box(&effective)))
    });
    println!(
        "note: settings: the jsonschema crate only validates; tenantry's validate also reports every issue with paths"
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
