"""The README's Python examples, type-checked with `mypy --strict` by `make test`.

Also run by pytest (test_typing_examples.py), so the examples stay runnable as written.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from typing import Any, Optional

import tenantry
from tenantry import audit
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
    assert cutoff < chain[0]["occurred_at"]
    try:
        audit.build(actor={"type": "user", "id": "u_1", "ip": "not-an-ip"}, action="user.login")
    except audit.AuditError as exc:
        assert exc.code == "audit.invalid_ip"


if __name__ == "__main__":
    webhooks_example()
    audit_example()
