"""The README's Python examples, type-checked with `mypy --strict` by `make test`.

Also run by pytest (test_typing_examples.py), so the examples stay runnable as written.
"""

from __future__ import annotations

from datetime import datetime, timezone

import tenantry
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

    # Headers as frameworks hold them: a dict, a mapping with .items(), or raw (name, value) pairs.
    raw_asgi: list[tuple[bytes, bytes]] = [(k.encode(), v.encode()) for k, v in headers.items()]
    wh.verify(b'{"type": "invoice.paid"}', raw_asgi)
    wh.verify(b'{"type": "invoice.paid"}', {k.title(): v for k, v in headers.items()}, tolerance=60)

    signing_key, public_key = generate_keypair()
    signed = Webhook(signing_key).sign("msg_1", "text payload", timestamp=1_700_000_000)
    Webhook([public_key]).verify("text payload", signed, now=1_700_000_000)
    assert isinstance(tenantry.__version__, str)


if __name__ == "__main__":
    webhooks_example()
