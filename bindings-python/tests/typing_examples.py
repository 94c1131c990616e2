"""The README's Python examples, type-checked with `mypy --strict` by `make test`.

Also run by pytest (test_typing_examples.py), so the examples stay runnable as written.
"""

from __future__ import annotations

from datetime import datetime, timezone

import tenantry
from tenantry.settings import ConcurrentUpdateError, SettingsSchema, SettingsValidationError
from tenantry.webhooks import Webhook, WebhookVerificationError, generate_keypair, generate_secret


def webhooks_example() -> None:
    secret: str = generate_secret()
    wh = Webhook(secret)
    headers: dict[str, str] = wh.sign("msg_2LJ9Y2H0kTQ3Gd", b'{"type": "invoice.paid"}')
    wh.verify(b'{"type": "invoice.paid"}', headers)
    try:
        wh.verify(b'{"type": "invoice.paid"}', headers, now=datetime(2030, 1, 1, tzinfo=timezone.utc))
    except WebhookVerificationError as exc:
        code: str = exc.code
        assert code == "webhook.timestamp_too_old"

    signing_key, public_key = generate_keypair()
    signed = Webhook(signing_key).sign("msg_1", "text payload", timestamp=1_700_000_000)
    Webhook([public_key]).verify("text payload", signed, now=1_700_000_000)
    assert isinstance(tenantry.__version__, str)


def settings_example() -> None:
    schema = SettingsSchema(
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "ai_settings": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "temperature": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.7},
                        "max_tokens": {"type": "integer", "minimum": 100, "maximum": 2000, "default": 500},
                    },
                },
                "plan": {"type": "string", "default": "free", "x-editable": False},
            },
        }
    )
    stored: dict[str, object] = {"ai_settings": {"temperature": 0.2}}
    resolved = schema.resolve([("tenant", stored)])
    assert resolved.value["ai_settings"] == {"temperature": 0.2, "max_tokens": 500}
    assert resolved.provenance["/ai_settings/max_tokens"] == "defaults"

    update = schema.apply_patch(stored, {"ai_settings": {"max_tokens": 1000}}, expected_etag=schema.etag(stored))
    new_etag: str = update.etag
    assert update.changes == [{"path": "/ai_settings/max_tokens", "before": 500, "after": 1000}]
    try:
        schema.apply_patch(update.overrides, '{"ai_settings": {"temperature": 3}, "plan": "pro"}')
    except SettingsValidationError as exc:
        assert [(e["path"], e["code"]) for e in exc.errors] == [
            ("/plan", "not_editable"),
            ("/ai_settings/temperature", "maximum"),
        ]
    try:
        schema.apply_patch(update.overrides, {"ai_settings": {"temperature": 0.5}}, expected_etag=schema.etag(stored))
    except ConcurrentUpdateError as exc:
        assert exc.code == "settings.concurrent_update"
    rows = schema.entries(update.value, "member")
    assert [row["key"] for row in rows] == ["ai_settings.temperature", "ai_settings.max_tokens", "plan"]
    assert schema.get(update.value, "ai_settings.max_tokens") == 1000 and new_etag


if __name__ == "__main__":
    webhooks_example()
    settings_example()
