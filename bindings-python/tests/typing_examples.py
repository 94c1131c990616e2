"""The README's Python examples, type-checked with `mypy --strict` by `make test`.

Also run by pytest (test_typing_examples.py), so the examples stay runnable as written.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

import tenantry
from tenantry import audit
from tenantry.apikeys import ApiKeyError, ApiKeys, IssuedKey, Verdict
from tenantry.limits import LimitExceededError, PlanCatalog, RateLimit, crossed, period_window
from tenantry.webhooks import (
    EventFilter,
    RetryPolicy,
    Webhook,
    WebhookVerificationError,
    build_event,
    generate_keypair,
    generate_secret,
    github,
    message_id,
    slack,
    stripe,
)
from tenantry.settings import ConcurrentUpdateError, SettingsSchema, SettingsValidationError


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

    # Headers as frameworks hold them: a dict, a mapping with .items(), or raw (name, value) pairs.
    raw_asgi: list[tuple[bytes, bytes]] = [(k.encode(), v.encode()) for k, v in headers.items()]
    wh.verify(b'{"type": "invoice.paid"}', raw_asgi)
    wh.verify(b'{"type": "invoice.paid"}', {k.title(): v for k, v in headers.items()}, tolerance=60)

    signing_key, public_key = generate_keypair()
    signed = Webhook(signing_key).sign("msg_1", "text payload", timestamp=1_700_000_000)
    Webhook([public_key]).verify("text payload", signed, now=1_700_000_000)
    assert isinstance(tenantry.__version__, str)


def webhook_schemes_example() -> None:
    body = b'{"id": "evt_1", "object": "event"}'

    # Stripe: Stripe-Signature header, 5-minute window both ways.
    header: str = stripe.sign(body, "whsec_test_secret")
    stripe.verify(body, header, "whsec_test_secret")

    # GitHub: X-Hub-Signature-256, several secrets during a rotation.
    signature: str = github.sign(body, "old-secret")
    github.verify(body, signature, ["new-secret", "old-secret"])

    # Slack: X-Slack-Request-Timestamp + X-Slack-Signature.
    slack_signature: str = slack.sign(body, "signing-secret", timestamp=1_700_000_000)
    slack.verify(body, "1700000000", slack_signature, "signing-secret", now=1_700_000_100)
    try:
        slack.verify(body, None, slack_signature, "signing-secret")
    except WebhookVerificationError as exc:
        assert exc.code == "webhook.missing_header"


def webhook_delivery_example() -> None:
    # Sender: build the exact bytes, give them an id, sign them for every subscribed endpoint.
    msg_id: str = message_id()
    payload: bytes = build_event("invoice.paid", {"id": "in_1", "amount": 1200}, timestamp=1_700_000_000)
    if EventFilter(["invoice.*", "user.created"]).matches("invoice.paid"):
        Webhook(generate_secret()).sign(msg_id, payload)

    # After each attempt: what next?
    policy = RetryPolicy()  # svix's schedule: now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
    decision = policy.decide(1, 503, "120", first_failure_at=1_700_000_000, now=1_700_000_000)
    if decision["action"] == "retry":
        assert decision["retry_at"] == 1_700_000_120 and decision["next_attempt"] == 2
    assert policy.decide(2, 410, now=1_700_000_000) == {"action": "disable_endpoint", "reason": "gone"}
    backoff = RetryPolicy.exponential(10, 3600, 10, jitter=0.1)
    assert backoff.max_attempts == 11
def limits_example() -> None:
    catalog = PlanCatalog(
        {
            "free": {
                "limits": {
                    "max_users": 5,
                    "max_tokens_per_month": {
                        "limit": 100_000,
                        "period": "month",
                        "grace": {"percent": 10, "duration": 3 * 86_400},
                    },
                },
                "features": ["basic_chat"],
                "trial_days": 14,
            },
            "enterprise": {"limits": {"max_users": -1}, "features": ["all"]},
        }
    )
    ent = catalog.entitlements("free", overrides={"limits": {"max_users": 8}, "features": ["sso"]})
    decision = ent.check("max_users", used=6)  # 7 of 8 = 87.5 %
    allowed: bool = decision.allowed
    status: str = decision.status
    alerts: list[float] = decision.crossed
    assert (allowed, status, alerts, decision.remaining) == (True, "warning", [0.8], 1)
    assert ent.has_feature("sso") and not ent.has_feature("sla")

    grace = ent.check("max_tokens_per_month", 99_000, 2_000, now=datetime.now(timezone.utc))
    assert grace.status == "grace" and grace.over_limit_since is not None
    try:
        ent.enforce("max_users", used=8)
    except LimitExceededError as exc:
        assert exc.code == "limits.exceeded"

    for row in ent.usage_report({"max_users": 4, "max_tokens_per_month": 85_000}):
        percent: float | None = row["percent"]
        print(row["metric"], row["count"], row["limit"], percent, row["status"])
    trial = catalog.entitlements("free", trial_ends_at=catalog.trial_ends_at("free", 1_700_000_000))
    assert trial.trial_status(now=1_700_000_000)["days_left"] == 14

    window = period_window("month", anchor=datetime(2024, 1, 31, tzinfo=timezone.utc), now=1_709_208_000)
    start: int = window["start"]
    assert (start, window["end"]) == (1_709_164_800, 1_711_843_200)  # 29 Feb .. 31 Mar 2024
    assert crossed(70, 95, 100) == [0.8, 0.9]

    reads = RateLimit(100, 60)  # 100 reads per minute
    state: int | None = None  # what you keep in Redis / SQL per client
    result = reads.check(state, now=1_700_000_000)
    if result.allowed:
        state = result.state
    headers: dict[str, str] = result.headers()
    assert headers["X-RateLimit-Remaining"] == "99" and state == 1_700_000_000_600

def apikeys_example() -> None:
    keys = ApiKeys("tk", {"p1": b"32 random bytes from your vault.."}, environments=["live", "test"])
    issued: IssuedKey = keys.generate(environment="test", scopes=["webhooks:write", "settings:*"], name="CI")
    token: str = issued.token  # show once
    record: dict[str, Any] = issued.record  # store, keyed by record["key_id"]

    key_id: str = keys.parse(token).key_id  # offline: malformed / bad checksum raise ApiKeyError
    assert key_id == record["key_id"]
    verdict: Verdict = keys.verify(token, record, ["settings:read", ["webhooks:write", "webhooks:admin"]])
    assert verdict.valid and verdict.code == "VALID"
    if verdict.touch:
        record["last_used_at"] = int(datetime.now(timezone.utc).timestamp())
    if verdict.rehash is not None:
        record.update(verdict.rehash)

    assert keys.verify("tk_test_nope", record).code == "MALFORMED"
    rolled = keys.roll(record, grace=timedelta(hours=1))
    assert keys.verify(rolled.token, rolled.record).valid
    revoked: dict[str, Any] = keys.revoke(rolled.previous)
    assert keys.verify(token, revoked).code == "REVOKED"
    try:
        keys.parse(token[:-1] + ("a" if token[-1] != "a" else "b"))
    except ApiKeyError as exc:
        assert exc.code == "apikey.bad_checksum"
    pattern: str = keys.secret_scanning_pattern()
    assert pattern.startswith("tk_")
def audit_example() -> None:
    key = audit.SealKey("2025-01", b"a seal key of at least 16 bytes")
    previous: Optional[str] = None
    chain: list[dict[str, Any]] = []
    for before, after in [({"theme": "light"}, {"theme": "dark"}), ({"smtp_password": "a"}, {"smtp_password": "b"})]:
        record: dict[str, Any] = audit.build(
            actor={"type": "user", "id": "u_1", "ip": "203.0.113.9"},
            action="setting.updated",
            tenant_id="t_1",
            before=before,
            after=after,
            occurred_at=datetime.now(timezone.utc),
        )
        sealed = audit.seal(record, previous, key)
        previous = sealed["hash"]
        chain.append(sealed)
    assert chain[1]["changes"] == [{"path": "/smtp_password", "before": "***", "after": "***"}]

    report: audit.ChainReport = audit.verify_chain(chain, key)
    assert report.ok and report.head == previous
    chain[0]["actor"]["ip"] = "198.51.100.1"
    broken = audit.verify_chain(chain, key)
    assert (broken.index, broken.reason) == (0, "edited")

    rows = list(csv.DictReader(io.StringIO(audit.to_csv(chain), newline="")))
    assert rows[1]["action"] == "setting.updated"
    event: dict[str, Any] = audit.to_ocsf(chain[1])
    assert event["class_uid"] == 3004
    stats: dict[str, Any] = audit.summarize(chain)
    assert stats["by_action"] == {"setting.updated": 2}
    cutoff: str = audit.retention_cutoff(datetime.now(timezone.utc), 90)
    appended: dict[str, Any] = audit.build_sealed(
        previous, key, actor={"type": "service", "id": "billing"}, action="invoice.paid", tenant_id="t_1"
    )
    assert audit.verify_chain([appended], key, anchor=previous).head == appended["hash"]
    assert cutoff < chain[0]["occurred_at"]
    try:
        audit.build(actor={"type": "user", "id": "u_1", "ip": "not-an-ip"}, action="user.login")
    except audit.AuditError as exc:
        assert exc.code == "audit.invalid_ip"
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
    webhook_schemes_example()
    webhook_delivery_example()
    limits_example()
    apikeys_example()
    audit_example()
    settings_example()
