"""Stripe, GitHub and Slack signatures: cross-checks against the official libraries on generated
payloads in both directions, and bad input (each a typed error, never a crash)."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import time
from datetime import datetime, timezone
from typing import Any, List

import pytest
import stripe as stripe_peer
from slack_sdk.signature import Clock, SignatureVerifier

import tenantry
from tenantry.webhooks import WebhookVerificationError, github, slack, stripe

RNG = random.Random(20261122)
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+/= éß€😀\"\\{}"


def text(n: int) -> str:
    return "".join(RNG.choice(ALPHABET) for _ in range(n))


def event_payload() -> str:
    return json.dumps(
        {"id": "evt_" + text(12), "object": "event", "type": "invoice.paid", "data": {"object": {"note": text(RNG.randint(0, 300))}}}
    )


CASES: List[Any] = [(event_payload(), "whsec_" + text(RNG.randint(1, 40))) for _ in range(40)]


class FixedClock(Clock):
    def __init__(self, now: float) -> None:
        self.at = now

    def now(self) -> float:
        return self.at


# ---- Stripe ---------------------------------------------------------------------------------


@pytest.mark.parametrize("payload,secret", CASES)
def test_stripe_peer_signs_tenantry_verifies(payload: str, secret: str) -> None:
    ts = int(time.time()) - RNG.randint(0, 299)
    header = stripe_peer.WebhookSignature.generate_signature_header(payload, secret, timestamp=ts)
    stripe.verify(payload, header, secret)
    stripe.verify(payload.encode(), header, secret, now=ts + 300)
    with pytest.raises(WebhookVerificationError) as info:
        stripe.verify(payload + " ", header, secret)
    assert info.value.code == "webhook.no_matching_signature"


@pytest.mark.parametrize("payload,secret", CASES)
def test_tenantry_signs_stripe_verifies(payload: str, secret: str) -> None:
    header = stripe.sign(payload, secret)
    stripe_peer.WebhookSignature.verify_header(payload, header, secret, tolerance=300)
    event = stripe_peer.Webhook.construct_event(payload.encode(), header, secret)
    assert event["id"] == json.loads(payload)["id"]
    assert header == stripe_peer.WebhookSignature.generate_signature_header(payload, secret, int(header[2:12]))
    with pytest.raises(stripe_peer.SignatureVerificationError):
        stripe_peer.WebhookSignature.verify_header(payload, header, secret + "x", tolerance=300)


def test_stripe_rolled_secret_header_from_peer_signatures() -> None:
    payload, ts = event_payload(), int(time.time())
    old = stripe_peer.WebhookSignature.generate_signature_header(payload, "whsec_old", ts)
    new = stripe_peer.WebhookSignature.generate_signature_header(payload, "whsec_new", ts)
    header = old + "," + new.split(",", 1)[1]
    stripe.verify(payload, header, "whsec_old")
    stripe.verify(payload, header, "whsec_new")
    stripe_peer.WebhookSignature.verify_header(payload, header, "whsec_new", tolerance=300)


def test_stripe_future_timestamp_rejected_where_stripe_python_accepts() -> None:
    payload, now = event_payload(), int(time.time())
    header = stripe.sign(payload, "whsec_x", timestamp=now + 3600)
    stripe_peer.WebhookSignature.verify_header(payload, header, "whsec_x", tolerance=300)
    with pytest.raises(WebhookVerificationError) as info:
        stripe.verify(payload, header, "whsec_x", now=now)
    assert info.value.code == "webhook.timestamp_too_new"


def test_stripe_accepts_datetime_and_rejects_naive() -> None:
    at = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    header = stripe.sign(b"{}", "whsec_x", timestamp=at)
    assert header.startswith(f"t={int(at.timestamp())},v1=")
    stripe.verify(b"{}", header, "whsec_x", now=at)
    with pytest.raises(tenantry.InvalidInputError) as info:
        stripe.verify(b"{}", header, "whsec_x", now=datetime(2024, 1, 2))
    assert info.value.code == "input.invalid_time"


# ---- GitHub ---------------------------------------------------------------------------------


def test_github_official_vector() -> None:
    assert github.sign(b"Hello, World!", "It's a Secret to Everybody") == (
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    )


@pytest.mark.parametrize("payload,secret", CASES[:20])
def test_github_matches_stdlib_hmac(payload: str, secret: str) -> None:
    # GitHub has no official Python library; its documented check is this stdlib computation.
    expected = "sha256=" + hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
    assert github.sign(payload, secret) == expected
    github.verify(payload, expected, secret)
    github.verify(payload.encode(), expected, ["rotated", secret])
    with pytest.raises(WebhookVerificationError):
        github.verify(payload, expected, ["rotated"])


# ---- Slack ----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload,secret", CASES)
def test_slack_peer_signs_tenantry_verifies(payload: str, secret: str) -> None:
    ts = 1_700_000_000 + RNG.randint(0, 10**6)
    peer = SignatureVerifier(secret, clock=FixedClock(ts))
    signature = peer.generate_signature(timestamp=str(ts), body=payload)
    assert signature is not None
    slack.verify(payload, str(ts), signature, secret, now=ts + RNG.randint(-300, 300))
    with pytest.raises(WebhookVerificationError) as info:
        slack.verify(payload, str(ts + 1), signature, secret, now=ts)
    assert info.value.code == "webhook.no_matching_signature"


@pytest.mark.parametrize("payload,secret", CASES)
def test_tenantry_signs_slack_verifies(payload: str, secret: str) -> None:
    ts = 1_700_000_000 + RNG.randint(0, 10**6)
    signature = slack.sign(payload.encode(), secret, timestamp=ts)
    assert SignatureVerifier(secret, clock=FixedClock(ts + 299)).is_valid(payload, str(ts), signature)
    assert SignatureVerifier(secret, clock=FixedClock(ts - 299)).is_valid(payload, str(ts), signature)
    assert not SignatureVerifier(secret + "x", clock=FixedClock(ts)).is_valid(payload, str(ts), signature)
    headers = {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": signature}
    assert SignatureVerifier(secret, clock=FixedClock(ts)).is_valid_request(payload, headers)


def test_slack_window_agrees_with_slack_sdk() -> None:
    ts, secret, body = 1_700_000_000, "signing-secret", "a=1"
    signature = slack.sign(body, secret, timestamp=ts)
    for now in (ts - 301, ts - 300, ts, ts + 300, ts + 301):
        peer_ok = SignatureVerifier(secret, clock=FixedClock(now)).is_valid(body, str(ts), signature)
        try:
            slack.verify(body, str(ts), signature, secret, now=now)
            ours = True
        except WebhookVerificationError:
            ours = False
        assert ours == peer_ok, now


# ---- bad input ------------------------------------------------------------------------------

HUGE = "v1=" + "a" * 1_000_000


@pytest.mark.parametrize(
    "call",
    [
        lambda: stripe.sign(123, "s"),  # type: ignore[arg-type]
        lambda: stripe.sign(b"{}", None),  # type: ignore[arg-type]
        lambda: stripe.sign(b"{}", "s", "1700000000"),  # type: ignore[arg-type]
        lambda: stripe.verify(b"{}", 5, "s"),  # type: ignore[arg-type]
        lambda: stripe.verify(b"{}", b"t=1,v1=00", "s"),  # type: ignore[arg-type]
        lambda: stripe.verify(b"{}", "t=1,v1=00", ["s"]),  # type: ignore[arg-type]
        lambda: stripe.verify(b"{}", "t=1,v1=00", "s", now="now"),  # type: ignore[arg-type]
        lambda: github.sign(None, "s"),  # type: ignore[arg-type]
        lambda: github.verify(b"x", "sha256=00", 42),  # type: ignore[arg-type]
        lambda: github.verify(b"x", "sha256=00", ["a", 1]),  # type: ignore[list-item]
        lambda: github.verify(b"x", "sha256=00", {"a"}),  # type: ignore[arg-type]
        lambda: slack.sign(b"x", b"secret"),  # type: ignore[arg-type]
        lambda: slack.verify(b"x", 1700000000, "v0=00", "s"),  # type: ignore[arg-type]
        lambda: slack.verify(b"x", "1700000000", "v0=00", "s", tolerance="300"),  # type: ignore[arg-type]
    ],
)
def test_wrong_types_raise_type_error(call: Any) -> None:
    with pytest.raises(TypeError):
        call()


@pytest.mark.parametrize(
    "call,code",
    [
        (lambda: stripe.verify(b"{}", None, "s"), "webhook.missing_header"),
        (lambda: stripe.verify(b"{}", "", "s"), "webhook.missing_header"),
        (lambda: stripe.verify(b"{}", HUGE, "s"), "webhook.invalid_signature_header"),
        (lambda: stripe.verify(b"{}", "t=abc,v1=00", "s"), "webhook.invalid_timestamp"),
        (lambda: stripe.verify(b"{}", "t=" + "9" * 30 + ",v1=00", "s"), "webhook.invalid_timestamp"),
        (lambda: stripe.verify(b"{}", "t=1,v1=nothex", "s", now=1), "webhook.no_matching_signature"),
        (lambda: stripe.verify(b"{}", "garbage", "s"), "webhook.invalid_signature_header"),
        (lambda: stripe.verify(b"{}", "t=1,v1=00", "s", now=1, tolerance=-1), "input.invalid"),
        (lambda: stripe.sign(b"{}", "s", 10**30), "input.invalid_time"),
        (lambda: stripe.sign(b"{}", "s", float("nan")), "input.invalid_time"),
        (lambda: github.verify(b"x", None, "s"), "webhook.missing_header"),
        (lambda: github.verify(b"x", "sha256=" + "0" * 10**6, "s"), "webhook.invalid_signature_header"),
        (lambda: github.verify(b"x", "sha256=xyz", "s"), "webhook.invalid_signature_header"),
        (lambda: github.verify(b"x", "sha256=" + "0" * 64, []), "webhook.invalid_secret"),
        (lambda: github.sign(b"x", ""), "webhook.invalid_secret"),
        (lambda: slack.verify(b"x", None, "v0=00", "s"), "webhook.missing_header"),
        (lambda: slack.verify(b"x", "1700000000", None, "s", now=1700000000), "webhook.missing_header"),
        (lambda: slack.verify(b"x", "1" * 10**6, "v0=00", "s"), "webhook.invalid_timestamp"),
        (lambda: slack.verify(b"x", "-1", "v0=00", "s"), "webhook.invalid_timestamp"),
        (lambda: slack.verify(b"x", "1e9", "v0=00", "s"), "webhook.invalid_timestamp"),
        (lambda: slack.verify(b"x", "1700000000", HUGE, "s", now=1700000000), "webhook.invalid_signature_header"),
        (lambda: slack.verify(b"x", "1700000000", "v0=zz", "s", now=1700000000), "webhook.invalid_signature_header"),
        (lambda: slack.sign(b"x", "s", -5), "input.invalid_time"),
    ],
)
def test_bad_values_raise_typed_errors(call: Any, code: str) -> None:
    with pytest.raises(tenantry.TenantryError) as info:
        call()
    assert info.value.code == code


def test_verification_failures_are_webhook_verification_errors() -> None:
    with pytest.raises(WebhookVerificationError):
        github.verify(b"x", "sha256=" + "0" * 64, "s")
    with pytest.raises(tenantry.WebhookError) as info:
        github.verify(b"x", "sha256=" + "0" * 64, "")
    assert not isinstance(info.value, WebhookVerificationError)


def test_messages_never_contain_the_secret() -> None:
    secret = "whsec_do_not_print_me"
    for call in (
        lambda: stripe.verify(b"{}", "t=1,v1=00", secret, now=1),
        lambda: github.verify(b"{}", "sha256=" + "0" * 64, secret),
        lambda: slack.verify(b"{}", "1", "v0=" + "0" * 64, secret, now=1),
    ):
        with pytest.raises(tenantry.TenantryError) as info:
            call()
        assert secret not in str(info.value) and secret not in repr(info.value)
