//! Settings on seed 000's venue-settings schema with a small tenant override: tenantry's
//! `resolve` (defaults + merge + validate + provenance), `validate` and `apply_patch`, against the
//! `jsonschema` crate validating the already-merged document alone (the floor tenantry builds on).

use std::hint::black_box;

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

    let mut group = c.benchmark_group("settings");
    group.bench_function("tenantry resolve", |b| {
        b.iter(|| schema.resolve(black_box(&layers)).expect("valid"))
    });
    group.bench_function("tenantry resolve_value", |b| {
        b.iter(|| schema.resolve_value(black_box(&layers)).expect("valid"))
    });
    group.bench_function("tenantry validate", |b| {
        b.iter(|| schema.validate(black_box(&effective)).expect("valid"))
    });
    group.bench_function("tenantry apply_patch", |b| {
        b.iter(|| {
            schema.apply_patch(black_box(&layer), black_box(&patch), Role::Member, None).expect("valid")
        })
    });
    group.bench_function("jsonschema is_valid (merged doc)", |b| {
        b.iter(|| bare.is_valid(black_box(&effective)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
