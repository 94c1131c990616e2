"""Tour: seed 001's tenant settings from one JSON Schema: defaults, plan and tenant layers with
provenance, a partial update with an etag, refusals with field paths, role views, registry rows."""

import pathlib

from tenantry.settings import ConcurrentUpdateError, SettingsSchema, SettingsValidationError

schema_path = pathlib.Path(__file__).resolve().parents[1] / "schemas" / "tenant_settings.json"
schema = SettingsSchema(schema_path.read_text())  # JSON text or a dict; compiled once
print("settings: default primary color", schema.defaults()["branding"]["primary_color"])

plan = {"features": {"sso_enabled": True}}  # set by the billing system
stored = {"branding": {"primary_color": "#1a73e8"}}  # the tenant's overrides, from any database
r = schema.resolve([("plan", plan), ("tenant", stored)])
print("settings: sso from", r.provenance["/features/sso_enabled"], "| color from", r.provenance["/branding/primary_color"])

etag = schema.etag(stored)
updated = schema.apply_patch(stored, {"security": {"mfa_required": True}}, role="admin", expected_etag=etag)
print("settings: changes", updated.changes, "new etag", updated.etag[:12])

try:
    schema.apply_patch(updated.overrides, {"features": {"sso_enabled": True}, "branding": {"logo_url": "javascript:alert(1)"}})
except SettingsValidationError as exc:
    for e in exc.errors:  # the seeds' {field, message} error shape, without reshaping
        print("settings: refused", e["path"], e["code"])

try:
    schema.apply_patch(updated.overrides, {"notifications": {"email_enabled": False}}, expected_etag=etag)
except ConcurrentUpdateError as exc:
    print("settings: stale etag ->", exc.code)

print("settings: public view", schema.view(updated.value, "public"))
print("settings: registry", [row["key"] for row in schema.entries(updated.value, "member")][:4], "...")
