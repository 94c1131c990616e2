"""The README's Python examples, type-checked with `mypy --strict` by `make test`.

Also run by pytest (test_typing_examples.py), so the examples stay runnable as written.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import tenantry
from tenantry.apikeys import ApiKeyError, ApiKeys, IssuedKey, Verdict
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


if __name__ == "__main__":
    webhooks_example()
    apikeys_example()
