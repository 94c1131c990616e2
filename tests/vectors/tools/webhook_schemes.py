"""Regenerates the Stripe, GitHub, Slack, retry, envelope and filter cases of ../webhooks.json.

Every expected value is computed here from the schemes' published rules with the Python standard
library only (hmac, hashlib, json, datetime), never by running tenantry. Cases of other ops
(standard.*) are kept as they are. Run: python3 tests/vectors/tools/webhook_schemes.py
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import pathlib
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from messages import pin_messages  # noqa: E402

PATH = pathlib.Path(__file__).resolve().parents[1] / "webhooks.json"
OPS = ("stripe.", "github.", "slack.", "retry.", "event.", "filter.")
cases: List[Dict[str, Any]] = []


def case(name: str, op: str, input: Dict[str, Any], expect: Any = None, error: Optional[str] = None) -> None:
    c: Dict[str, Any] = {"name": name, "op": op, "input": input}
    if error is not None:
        c["error"] = error
    else:
        c["expect"] = expect
    cases.append(c)


def hexmac(secret: str, msg: bytes) -> str:
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()


# ---- Stripe ---------------------------------------------------------------------------------
STRIPE_SECRET = "whsec_test_secret"
P = '{"id":"evt_1","object":"event","type":"invoice.paid"}'
T = 1700000000


def stripe_sig(payload: str, secret: str, t: int) -> str:
    return hexmac(secret, f"{t}.{payload}".encode())


good = f"t={T},v1={stripe_sig(P, STRIPE_SECRET, T)}"
case("stripe sign", "stripe.sign", {"payload": P, "secret": STRIPE_SECRET, "timestamp": T}, good)
case("stripe sign, empty payload", "stripe.sign", {"payload": "", "secret": "whsec_x", "timestamp": 0},
     f"t=0,v1={stripe_sig('', 'whsec_x', 0)}")
case("stripe sign, non-UTF-8 payload", "stripe.sign",
     {"payload_b64": "/wD+AQ==", "secret": STRIPE_SECRET, "timestamp": T},
     f"t={T},v1={hmac.new(STRIPE_SECRET.encode(), str(T).encode() + b'.' + bytes([255, 0, 254, 1]), hashlib.sha256).hexdigest()}")
case("stripe sign, negative timestamp", "stripe.sign", {"payload": P, "secret": STRIPE_SECRET, "timestamp": -1},
     error="input.invalid_time")
case("stripe sign, timestamp after 9999", "stripe.sign", {"payload": P, "secret": STRIPE_SECRET, "timestamp": 253402300800},
     error="input.invalid_time")
case("stripe sign, empty secret", "stripe.sign", {"payload": P, "secret": "", "timestamp": T},
     error="webhook.invalid_secret")
V = {"payload": P, "secret": STRIPE_SECRET}
case("stripe verify", "stripe.verify", {**V, "header": good, "now": T}, None)
case("stripe verify, 300 s old", "stripe.verify", {**V, "header": good, "now": T + 300}, None)
case("stripe verify, 301 s old", "stripe.verify", {**V, "header": good, "now": T + 301},
     error="webhook.timestamp_too_old")
case("stripe verify, 300 s ahead", "stripe.verify", {**V, "header": good, "now": T - 300}, None)
case("stripe verify, 301 s ahead (stripe-python would accept)", "stripe.verify",
     {**V, "header": good, "now": T - 301}, error="webhook.timestamp_too_new")
case("stripe verify, custom tolerance", "stripe.verify", {**V, "header": good, "now": T + 1000, "tolerance": 1000}, None)
other = stripe_sig(P, "whsec_old", T)
case("stripe verify, several v1 (secret roll)", "stripe.verify",
     {**V, "header": f"t={T},v1={other},v1={stripe_sig(P, STRIPE_SECRET, T)}", "now": T}, None)
case("stripe verify, v0 and unknown schemes ignored", "stripe.verify",
     {**V, "header": f"t={T},v0={stripe_sig(P, STRIPE_SECRET, T)},v9=zz,v1={stripe_sig(P, STRIPE_SECRET, T)}", "now": T}, None)
case("stripe verify, only v0", "stripe.verify",
     {**V, "header": f"t={T},v0={stripe_sig(P, STRIPE_SECRET, T)}", "now": T}, error="webhook.no_matching_signature")
case("stripe verify, upper-case hex accepted", "stripe.verify",
     {**V, "header": f"t={T},v1={stripe_sig(P, STRIPE_SECRET, T).upper()}", "now": T}, None)
case("stripe verify, wrong secret", "stripe.verify",
     {**V, "header": f"t={T},v1={other}", "now": T}, error="webhook.no_matching_signature")
case("stripe verify, tampered payload", "stripe.verify",
     {"payload": P + " ", "secret": STRIPE_SECRET, "header": good, "now": T}, error="webhook.no_matching_signature")
case("stripe verify, signature for another timestamp", "stripe.verify",
     {**V, "header": f"t={T + 1},v1={stripe_sig(P, STRIPE_SECRET, T)}", "now": T}, error="webhook.no_matching_signature")
case("stripe verify, malformed hex", "stripe.verify",
     {**V, "header": f"t={T},v1=xyz{stripe_sig(P, STRIPE_SECRET, T)[3:]}", "now": T}, error="webhook.no_matching_signature")
case("stripe verify, truncated hex", "stripe.verify",
     {**V, "header": f"t={T},v1={stripe_sig(P, STRIPE_SECRET, T)[:62]}", "now": T}, error="webhook.no_matching_signature")
case("stripe verify, empty header", "stripe.verify", {**V, "header": "", "now": T}, error="webhook.missing_header")
case("stripe verify, blank header", "stripe.verify", {**V, "header": "  ", "now": T}, error="webhook.missing_header")
case("stripe verify, no t", "stripe.verify",
     {**V, "header": f"v1={stripe_sig(P, STRIPE_SECRET, T)}", "now": T}, error="webhook.invalid_signature_header")
# A repeated Stripe-Signature header joined with ", " (Node's http module, fetch's Headers): every
# v1 entry is read; the t elements must agree.
case("stripe verify, two t", "stripe.verify",
     {**V, "header": f"t={T},t={T + 1},v1={stripe_sig(P, STRIPE_SECRET, T)}", "now": T}, error="webhook.invalid_signature_header")
case("stripe verify, a repeated header joined with ', '", "stripe.verify",
     {**V, "header": f"t={T},v1={'0' * 64}, t={T},v1={stripe_sig(P, STRIPE_SECRET, T)}", "now": T}, None)
case("stripe verify, a repeated header joined with ', ', the good one first", "stripe.verify",
     {**V, "header": f"t={T},v1={stripe_sig(P, STRIPE_SECRET, T)}, t={T},v1={'0' * 64}", "now": T}, None)
case("stripe verify, a repeated header whose timestamps differ", "stripe.verify",
     {**V, "header": f"t={T},v1={stripe_sig(P, STRIPE_SECRET, T)}, t={T - 1},v1={'0' * 64}", "now": T},
     error="webhook.invalid_signature_header")
case("stripe verify, non-numeric t", "stripe.verify",
     {**V, "header": "t=soon,v1=00", "now": T}, error="webhook.invalid_timestamp")
case("stripe verify, negative t", "stripe.verify",
     {**V, "header": "t=-5,v1=00", "now": T}, error="webhook.invalid_timestamp")
case("stripe verify, overflowing t", "stripe.verify",
     {**V, "header": "t=99999999999999999999999,v1=00", "now": T}, error="webhook.invalid_timestamp")
case("stripe verify, huge header", "stripe.verify",
     {**V, "header": f"t={T}," + "v1=" + "a" * 9000, "now": T}, error="webhook.invalid_signature_header")
case("stripe verify, empty secret", "stripe.verify", {"payload": P, "secret": "", "header": good, "now": T},
     error="webhook.invalid_secret")

# ---- GitHub ---------------------------------------------------------------------------------
GH_SECRET = "It's a Secret to Everybody"
gh = "sha256=" + hexmac(GH_SECRET, b"Hello, World!")
assert gh == "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
case("github official vector", "github.sign", {"payload": "Hello, World!", "secret": GH_SECRET}, gh)
case("github sign, JSON body", "github.sign", {"payload": P, "secret": "s3cr3t"}, "sha256=" + hexmac("s3cr3t", P.encode()))
case("github sign, empty secret", "github.sign", {"payload": P, "secret": ""}, error="webhook.invalid_secret")
G = {"payload": "Hello, World!"}
case("github verify official vector", "github.verify", {**G, "header": gh, "secrets": [GH_SECRET]}, None)
case("github verify, one secret given as a string", "github.verify", {**G, "header": gh, "secret": GH_SECRET}, None)
case("github verify, rotation: old secret still accepted", "github.verify",
     {**G, "header": gh, "secrets": ["the new secret", GH_SECRET]}, None)
case("github verify, upper-case hex accepted", "github.verify",
     {**G, "header": "sha256=" + hexmac(GH_SECRET, b"Hello, World!").upper(), "secrets": [GH_SECRET]}, None)
case("github verify, wrong secret", "github.verify", {**G, "header": gh, "secrets": ["nope"]},
     error="webhook.no_matching_signature")
case("github verify, tampered body", "github.verify",
     {"payload": "Hello, World?", "header": gh, "secrets": [GH_SECRET]}, error="webhook.no_matching_signature")
case("github verify, empty header", "github.verify", {**G, "header": "", "secrets": [GH_SECRET]},
     error="webhook.missing_header")
case("github verify, legacy sha1 header", "github.verify",
     {**G, "header": "sha1=" + hmac.new(GH_SECRET.encode(), b"Hello, World!", hashlib.sha1).hexdigest(), "secrets": [GH_SECRET]},
     error="webhook.invalid_signature_header")
case("github verify, malformed hex", "github.verify",
     {**G, "header": "sha256=" + "g" * 64, "secrets": [GH_SECRET]}, error="webhook.invalid_signature_header")
case("github verify, short hex", "github.verify",
     {**G, "header": gh[:-2], "secrets": [GH_SECRET]}, error="webhook.invalid_signature_header")
case("github verify, huge header", "github.verify",
     {**G, "header": "sha256=" + "0" * 9000, "secrets": [GH_SECRET]}, error="webhook.invalid_signature_header")
case("github verify, no secrets", "github.verify", {**G, "header": gh, "secrets": []}, error="webhook.invalid_secret")
case("github verify, empty secret", "github.verify", {**G, "header": gh, "secrets": [""]}, error="webhook.invalid_secret")

# ---- Slack ----------------------------------------------------------------------------------
SL_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SB = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fwebhook-collect&text="
ST = 1531420618


def slack_sig(payload: str, secret: str, ts: str) -> str:
    return "v0=" + hexmac(secret, f"v0:{ts}:{payload}".encode())


sl = slack_sig(SB, SL_SECRET, str(ST))
case("slack sign", "slack.sign", {"payload": SB, "secret": SL_SECRET, "timestamp": ST}, sl)
case("slack sign, JSON body", "slack.sign", {"payload": P, "secret": SL_SECRET, "timestamp": T}, slack_sig(P, SL_SECRET, str(T)))
case("slack sign, empty secret", "slack.sign", {"payload": SB, "secret": "", "timestamp": ST}, error="webhook.invalid_secret")
case("slack sign, negative timestamp", "slack.sign", {"payload": SB, "secret": SL_SECRET, "timestamp": -1},
     error="input.invalid_time")
case("slack sign, timestamp after 9999", "slack.sign", {"payload": SB, "secret": SL_SECRET, "timestamp": 253402300800},
     error="input.invalid_time")
S = {"payload": SB, "secret": SL_SECRET}
case("slack verify", "slack.verify", {**S, "timestamp_header": str(ST), "signature_header": sl, "now": ST + 10}, None)
case("slack verify, 300 s old", "slack.verify", {**S, "timestamp_header": str(ST), "signature_header": sl, "now": ST + 300}, None)
case("slack verify, 301 s old", "slack.verify",
     {**S, "timestamp_header": str(ST), "signature_header": sl, "now": ST + 301}, error="webhook.timestamp_too_old")
case("slack verify, 301 s ahead", "slack.verify",
     {**S, "timestamp_header": str(ST), "signature_header": sl, "now": ST - 301}, error="webhook.timestamp_too_new")
case("slack verify, custom tolerance", "slack.verify",
     {**S, "timestamp_header": str(ST), "signature_header": sl, "now": ST + 600, "tolerance": 600}, None)
case("slack verify, wrong secret", "slack.verify",
     {"payload": SB, "secret": "another", "timestamp_header": str(ST), "signature_header": sl, "now": ST},
     error="webhook.no_matching_signature")
case("slack verify, signature for another timestamp", "slack.verify",
     {**S, "timestamp_header": str(ST + 1), "signature_header": sl, "now": ST}, error="webhook.no_matching_signature")
case("slack verify, tampered body", "slack.verify",
     {"payload": SB + "x", "secret": SL_SECRET, "timestamp_header": str(ST), "signature_header": sl, "now": ST},
     error="webhook.no_matching_signature")
case("slack verify, empty timestamp header", "slack.verify",
     {**S, "timestamp_header": "", "signature_header": sl, "now": ST}, error="webhook.missing_header")
case("slack verify, empty signature header", "slack.verify",
     {**S, "timestamp_header": str(ST), "signature_header": "", "now": ST}, error="webhook.missing_header")
case("slack verify, non-numeric timestamp", "slack.verify",
     {**S, "timestamp_header": "1531420618.5", "signature_header": sl, "now": ST}, error="webhook.invalid_timestamp")
case("slack verify, overflowing timestamp", "slack.verify",
     {**S, "timestamp_header": "9" * 40, "signature_header": sl, "now": ST}, error="webhook.invalid_timestamp")
case("slack verify, huge timestamp header", "slack.verify",
     {**S, "timestamp_header": "1" * 9000, "signature_header": sl, "now": ST}, error="webhook.invalid_timestamp")
case("slack verify, unknown version", "slack.verify",
     {**S, "timestamp_header": str(ST), "signature_header": "v1=" + sl[3:], "now": ST}, error="webhook.invalid_signature_header")
case("slack verify, malformed hex", "slack.verify",
     {**S, "timestamp_header": str(ST), "signature_header": "v0=" + "Z" * 64, "now": ST}, error="webhook.invalid_signature_header")
case("slack verify, huge signature header", "slack.verify",
     {**S, "timestamp_header": str(ST), "signature_header": "v0=" + "0" * 9000, "now": ST}, error="webhook.invalid_signature_header")
case("slack verify, empty secret", "slack.verify",
     {"payload": SB, "secret": "", "timestamp_header": str(ST), "signature_header": sl, "now": ST}, error="webhook.invalid_secret")

# ---- retry policy ---------------------------------------------------------------------------
SVIX = [5, 300, 1800, 7200, 18000, 36000, 36000]
DAY = 86400
N = 1700000000


def retry(at: int, attempt: int) -> Dict[str, Any]:
    return {"action": "retry", "retry_at": at, "next_attempt": attempt}


def decide(name: str, policy: Dict[str, Any], attempt: int, status: Optional[int], expect: Any = None,
           error: Optional[str] = None, retry_after: Optional[str] = None, first_failure_at: Optional[int] = None,
           now: int = N, jitter_sample: Optional[float] = None) -> None:
    inp: Dict[str, Any] = {"policy": policy, "attempt": attempt, "status": status, "retry_after": retry_after,
                           "first_failure_at": first_failure_at, "now": now}
    if jitter_sample is not None:
        inp["jitter_sample"] = jitter_sample
    case(name, "retry.decide", inp, expect, error)


for code in (200, 201, 204, 299):
    decide(f"retry: {code} succeeds", {}, 3, code, {"action": "succeeded"})
for attempt, delay in enumerate(SVIX, start=1):
    decide(f"retry: default schedule, attempt {attempt} failed", {}, attempt, 500, retry(N + delay, attempt + 1))
decide("retry: default schedule exhausted after 8 attempts", {}, 8, 500, {"action": "give_up", "reason": "attempts_exhausted"})
decide("retry: no response (timeout) retries", {}, 1, None, retry(N + 5, 2))
decide("retry: 3xx is a failure", {}, 2, 301, retry(N + 300, 3))
decide("retry: 400 is retried", {}, 1, 400, retry(N + 5, 2))
decide("retry: 410 disables the endpoint", {}, 1, 410, {"action": "disable_endpoint", "reason": "gone"})
decide("retry: 429 Retry-After seconds longer than schedule", {}, 1, 429, retry(N + 120, 2), retry_after="120")
decide("retry: 429 Retry-After shorter than schedule keeps schedule", {}, 2, 429, retry(N + 300, 3), retry_after="1")
decide("retry: 503 Retry-After HTTP-date", {}, 1, 503, retry(N + 3600, 2),
       retry_after=datetime.fromtimestamp(N + 3600, timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT"))
decide("retry: 503 Retry-After date in the past keeps schedule", {}, 1, 503, retry(N + 5, 2),
       retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
decide("retry: 503 Retry-After capped at one day", {}, 1, 503, retry(N + DAY, 2), retry_after=str(30 * DAY))
decide("retry: 503 unreadable Retry-After ignored", {}, 1, 503, retry(N + 5, 2), retry_after="soon")
decide("retry: 500 ignores Retry-After", {}, 1, 500, retry(N + 5, 2), retry_after="120")
decide("retry: 429 Retry-After at the last attempt still gives up", {}, 8, 429,
       {"action": "give_up", "reason": "attempts_exhausted"}, retry_after="10")
decide("retry: failing just under 5 days keeps retrying", {}, 3, 500, retry(N + 1800, 4), first_failure_at=N - 5 * DAY + 1)
decide("retry: failing for 5 days disables", {}, 3, 500, {"action": "disable_endpoint", "reason": "failing_too_long"},
       first_failure_at=N - 5 * DAY)
decide("retry: custom disable_after", {"disable_after": 3600}, 2, None,
       {"action": "disable_endpoint", "reason": "failing_too_long"}, first_failure_at=N - 3600)
decide("retry: success after a long outage still succeeds", {}, 5, 200, {"action": "succeeded"}, first_failure_at=N - 9 * DAY)
decide("retry: custom schedule", {"schedule": [60, 600]}, 2, 502, retry(N + 600, 3))
decide("retry: custom schedule exhausted", {"schedule": [60, 600]}, 3, 502, {"action": "give_up", "reason": "attempts_exhausted"})
decide("retry: empty schedule gives up at once", {"schedule": []}, 1, 500, {"action": "give_up", "reason": "attempts_exhausted"})
EXP = {"exponential": {"initial_delay": 10, "factor": 2.0, "max_delay": 100, "max_retries": 6}}
exp_delays = [min(10 * 2.0 ** i, 100) for i in range(6)]
for attempt, delay in enumerate(exp_delays, start=1):
    decide(f"retry: exponential, attempt {attempt}", EXP, attempt, 500, retry(N + int(delay), attempt + 1))
decide("retry: exponential exhausted", EXP, 7, 500, {"action": "give_up", "reason": "attempts_exhausted"})
decide("retry: exponential factor 1.5 rounds", {"exponential": {"initial_delay": 3, "factor": 1.5, "max_delay": 1000, "max_retries": 4}},
       4, 500, retry(N + math.floor(3 * 1.5 ** 3 + 0.5), 5))


def jittered(delay: int, jitter: float, u: float) -> int:
    return math.floor(delay * (1 + jitter * (2 * u - 1)) + 0.5)


for u in (0.0, 0.25, 0.5, 0.9, 1.0):
    decide(f"retry: jitter 0.2, sample {u}", {"schedule": [100, 1000], "jitter": 0.2}, 2, 500,
           retry(N + jittered(1000, 0.2, u), 3), jitter_sample=u)
decide("retry: jitter never shortens a Retry-After", {"schedule": [100], "jitter": 0.5}, 1, 429,
       retry(N + 100, 2), retry_after="100", jitter_sample=0.0)
decide("retry: attempt 0", {}, 0, 500, error="input.invalid")
decide("retry: status out of range", {}, 1, 42, error="input.invalid")
decide("retry: negative delay", {"schedule": [5, -1]}, 1, 500, error="webhook.invalid_config")
decide("retry: jitter above 1", {"jitter": 1.5}, 1, 500, error="webhook.invalid_config")
decide("retry: factor below 1", {"exponential": {"initial_delay": 10, "factor": 0.5, "max_delay": 100, "max_retries": 3}},
       1, 500, error="webhook.invalid_config")
decide("retry: max_delay below initial_delay", {"exponential": {"initial_delay": 10, "factor": 2.0, "max_delay": 5, "max_retries": 3}},
       1, 500, error="webhook.invalid_config")
decide("retry: disable_after zero", {"disable_after": 0}, 1, 500, error="webhook.invalid_config")
decide("retry: too many retries", {"schedule": [1] * 101}, 1, 500, error="webhook.invalid_config")
decide("retry: jitter sample below 0", {"schedule": [100], "jitter": 0.2}, 1, 500, error="input.invalid",
       jitter_sample=-0.1)
decide("retry: jitter sample above 1", {"schedule": [100], "jitter": 0.2}, 1, 500, error="input.invalid",
       jitter_sample=1.5)


def policy_case(name: str, policy: Dict[str, Any], delays: Optional[List[int]] = None,
                error: Optional[str] = None) -> None:
    """The policy's getters: its waits before jitter, and the attempts they allow (one more)."""
    expect = None if delays is None else {"delays": delays, "max_attempts": len(delays) + 1}
    case(name, "retry.policy", {"policy": policy}, expect, error)


policy_case("retry policy: the default (svix) schedule", {}, SVIX)
policy_case("retry policy: a custom schedule", {"schedule": [60, 600]}, [60, 600])
policy_case("retry policy: an empty schedule allows one attempt", {"schedule": []}, [])
policy_case("retry policy: jitter does not change the waits", {"schedule": [100, 1000], "jitter": 0.2}, [100, 1000])
policy_case("retry policy: exponential, capped at max_delay", EXP, [math.floor(d + 0.5) for d in exp_delays])
policy_case("retry policy: exponential factor 1.5 rounds each wait",
            {"exponential": {"initial_delay": 3, "factor": 1.5, "max_delay": 1000, "max_retries": 4}},
            [math.floor(3 * 1.5 ** i + 0.5) for i in range(4)])
policy_case("retry policy: negative delay", {"schedule": [5, -1]}, error="webhook.invalid_config")

# ---- envelope -------------------------------------------------------------------------------


def event_body(event_type: str, data: Any, ms: int) -> str:
    ts = datetime.fromtimestamp(ms // 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % 1000:03d}Z"
    # RFC 8785 for data without floats: sorted keys, no whitespace, UTF-8 as is.
    return '{"type":' + json.dumps(event_type) + ',"timestamp":"' + ts + '","data":' + json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "}"


for name, typ, data, ms in [
    ("event: object data, keys sorted", "invoice.paid", {"id": "in_1", "amount": 1200, "currency": "eur"}, 1700000000000),
    ("event: nested data and unicode", "user.created", {"user": {"name": "Zoë", "tags": ["a", "b"], "admin": False}, "note": None}, 1700000000123),
    ("event: scalar data", "ping", 42, 0),
    ("event: array data", "batch.items_added", [3, "x", {"b": 1, "a": 2}], 253402300799999),
    ("event: type with dashes and digits", "v2.order-status_changed", {}, 1500),
]:
    case(name, "event.build", {"type": typ, "data": data, "timestamp_ms": ms}, event_body(typ, data, ms))
# Data given as JSON text bytes (`data_bytes_b64`): Python `bytes`, a Node Buffer or Uint8Array.
JSON_TEXT = '{"b": 1, "a": [2, {"d": null, "c": "Zoë"}]}'
case("event: data as JSON text bytes", "event.build",
     {"type": "ping", "data_bytes_b64": base64.b64encode(JSON_TEXT.encode()).decode(), "timestamp_ms": 0},
     event_body("ping", json.loads(JSON_TEXT), 0))
case("event: data as JSON text bytes that are not UTF-8", "event.build",
     {"type": "ping", "data_bytes_b64": base64.b64encode(b'"\xff"').decode(), "timestamp_ms": 0},
     error="input.invalid_json")
case("event: data as bytes that are not JSON text", "event.build",
     {"type": "ping", "data_bytes_b64": base64.b64encode(b"hello").decode(), "timestamp_ms": 0},
     error="input.invalid_json")
case("event: empty type", "event.build", {"type": "", "data": {}, "timestamp_ms": 0}, error="webhook.invalid_event_type")
case("event: type with empty segment", "event.build", {"type": "invoice..paid", "data": {}, "timestamp_ms": 0},
     error="webhook.invalid_event_type")
case("event: type with a space", "event.build", {"type": "invoice paid", "data": {}, "timestamp_ms": 0},
     error="webhook.invalid_event_type")
case("event: type too long", "event.build", {"type": "a" * 257, "data": {}, "timestamp_ms": 0},
     error="webhook.invalid_event_type")
case("event: timestamp before 1970", "event.build", {"type": "ping", "data": {}, "timestamp_ms": -1},
     error="input.invalid_time")
case("event: timestamp after 9999", "event.build", {"type": "ping", "data": {}, "timestamp_ms": 253402300800000},
     error="input.invalid_time")

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(ms: int, entropy: bytes) -> str:
    v = (ms << 80) | int.from_bytes(entropy, "big")
    return "msg_" + "".join(CROCKFORD[(v >> (5 * i)) & 31] for i in range(25, -1, -1))


for ms, ent in [(0, bytes(10)), (1700000000000, bytes([255] * 10)), (1469918176385, bytes(range(1, 11))),
                (253402300799999, bytes.fromhex("0123456789abcdef0123"))]:
    case(f"message id at {ms} ms", "event.message_id", {"unix_millis": ms, "entropy_hex": ent.hex()}, ulid(ms, ent))
case("message id, 9 random bytes", "event.message_id", {"unix_millis": 0, "entropy_hex": "00" * 9}, error="input.invalid")
case("message id, time after 9999", "event.message_id", {"unix_millis": 253402300800000, "entropy_hex": "00" * 10},
     error="input.invalid_time")
case("message id, negative time", "event.message_id", {"unix_millis": -1, "entropy_hex": "00" * 10},
     error="input.invalid_time")

# ---- filters --------------------------------------------------------------------------------
F = ["invoice.*", "user.created"]
for typ, want in [("invoice.paid", True), ("invoice.payment.failed", True), ("invoice", False),
                  ("user.created", True), ("user.deleted", False), ("user.created.extra", False), ("invoices.paid", False)]:
    case(f"filter {F} matches {typ}: {want}", "filter.matches", {"patterns": F, "type": typ}, want)
case("filter * matches everything", "filter.matches", {"patterns": ["*"], "type": "anything.at_all"}, True)
case("filter nested prefix", "filter.matches", {"patterns": ["billing.invoice.*"], "type": "billing.invoice.paid"}, True)
case("filter nested prefix, other branch", "filter.matches", {"patterns": ["billing.invoice.*"], "type": "billing.refund.paid"}, False)
for bad in [[], [""], ["inv*"], ["*.paid"], ["a.*.b"], ["invoice..paid"], [".invoice"], ["invoice."], ["user created"], ["**"], ["invoice.*", "ok", "bad pattern"]]:
    case(f"filter rejects {bad}", "filter.matches", {"patterns": bad, "type": "invoice.paid"}, error="webhook.invalid_config")
for patterns in (F, ["*"], ["user.created", "invoice.*", "user.created"]):
    case(f"filter patterns {patterns} are kept as given", "filter.patterns", {"patterns": patterns}, patterns)
case("filter patterns of an invalid filter", "filter.patterns", {"patterns": ["inv*"]}, error="webhook.invalid_config")

# ---- messages -------------------------------------------------------------------------------
# The message each error case must carry, by case name. Unlike the expected values above these are
# not derived here: they are the implementation's words (the core's, which the Python and Node
# packages pass on unchanged), pinned so that every runner compares them and a change of wording
# is a visible change of the vectors. Every error case needs one; an entry no case uses fails.
MESSAGES: Dict[str, str] = {
    "stripe sign, negative timestamp": "time must lie between 1970-01-01 and 9999-12-31 (UTC)",
    "stripe sign, timestamp after 9999": "time must lie between 1970-01-01 and 9999-12-31 (UTC)",
    "stripe sign, empty secret": "webhook secret must not be empty",
    "stripe verify, 301 s old": "message timestamp is 301 s old; the tolerance is 300 s",
    "stripe verify, 301 s ahead (stripe-python would accept)": "message timestamp is 301 s in the future; the tolerance is 300 s",
    "stripe verify, only v0": "no signature in the Stripe-Signature header matches the secret",
    "stripe verify, wrong secret": "no signature in the Stripe-Signature header matches the secret",
    "stripe verify, tampered payload": "no signature in the Stripe-Signature header matches the secret",
    "stripe verify, signature for another timestamp": "no signature in the Stripe-Signature header matches the secret",
    "stripe verify, malformed hex": "no signature in the Stripe-Signature header matches the secret",
    "stripe verify, truncated hex": "no signature in the Stripe-Signature header matches the secret",
    "stripe verify, empty header": "missing required header Stripe-Signature",
    "stripe verify, blank header": "missing required header Stripe-Signature",
    "stripe verify, no t": "the Stripe-Signature header is malformed; expected t=<timestamp>,v1=<signature>",
    "stripe verify, two t": "the Stripe-Signature header is malformed; expected one t=<timestamp> value",
    "stripe verify, a repeated header whose timestamps differ": "the Stripe-Signature header is malformed; expected one t=<timestamp> value",
    "stripe verify, non-numeric t": "timestamp header is not a whole number of Unix seconds (expected 1 to 18 ASCII digits)",
    "stripe verify, negative t": "timestamp header is not a whole number of Unix seconds (expected 1 to 18 ASCII digits)",
    "stripe verify, overflowing t": "timestamp header is not a whole number of Unix seconds (expected 1 to 18 ASCII digits)",
    "stripe verify, huge header": "Stripe-Signature header is 9016 bytes; at most 8192 are read",
    "stripe verify, empty secret": "webhook secret must not be empty",
    "github sign, empty secret": "webhook secret must not be empty",
    "github verify, wrong secret": "no signature in the X-Hub-Signature-256 header matches the secret",
    "github verify, tampered body": "no signature in the X-Hub-Signature-256 header matches the secret",
    "github verify, empty header": "missing required header X-Hub-Signature-256",
    "github verify, legacy sha1 header": "the X-Hub-Signature-256 header is malformed; expected sha256= followed by 64 hex digits",
    "github verify, malformed hex": "the X-Hub-Signature-256 header is malformed; expected sha256= followed by 64 hex digits",
    "github verify, short hex": "the X-Hub-Signature-256 header is malformed; expected sha256= followed by 64 hex digits",
    "github verify, huge header": "X-Hub-Signature-256 header is 9007 bytes; at most 8192 are read",
    "github verify, no secrets": "give at least one webhook secret",
    "github verify, empty secret": "webhook secret must not be empty",
    "slack sign, empty secret": "webhook secret must not be empty",
    "slack sign, negative timestamp": "time must lie between 1970-01-01 and 9999-12-31 (UTC)",
    "slack sign, timestamp after 9999": "time must lie between 1970-01-01 and 9999-12-31 (UTC)",
    "slack verify, 301 s old": "message timestamp is 301 s old; the tolerance is 300 s",
    "slack verify, 301 s ahead": "message timestamp is 301 s in the future; the tolerance is 300 s",
    "slack verify, wrong secret": "no signature in the X-Slack-Signature header matches the secret",
    "slack verify, signature for another timestamp": "no signature in the X-Slack-Signature header matches the secret",
    "slack verify, tampered body": "no signature in the X-Slack-Signature header matches the secret",
    "slack verify, empty timestamp header": "missing required header X-Slack-Request-Timestamp",
    "slack verify, empty signature header": "missing required header X-Slack-Signature",
    "slack verify, non-numeric timestamp": "timestamp header is not a whole number of Unix seconds (expected 1 to 18 ASCII digits)",
    "slack verify, overflowing timestamp": "timestamp header is not a whole number of Unix seconds (expected 1 to 18 ASCII digits)",
    "slack verify, huge timestamp header": "X-Slack-Request-Timestamp header is 9000 bytes; expected at most 18 digits",
    "slack verify, unknown version": "the X-Slack-Signature header is malformed; expected v0= followed by 64 hex digits",
    "slack verify, malformed hex": "the X-Slack-Signature header is malformed; expected v0= followed by 64 hex digits",
    "slack verify, huge signature header": "X-Slack-Signature header is 9003 bytes; at most 8192 are read",
    "slack verify, empty secret": "webhook secret must not be empty",
    "retry: attempt 0": "attempt_number counts from 1 (the first attempt)",
    "retry: status out of range": "status_code must be an HTTP status, 100 to 599",
    "retry: negative delay": "schedule delays must be 0 to 2592000 seconds (30 days)",
    "retry: jitter above 1": "jitter must be a fraction between 0 and 1",
    "retry: factor below 1": "factor must be a finite number of at least 1",
    "retry: max_delay below initial_delay": "max_delay must be at least initial_delay and at most 30 days",
    "retry: disable_after zero": "disable_after must be a positive number of seconds",
    "retry: jitter sample below 0": "jitter_sample must be between 0 and 1",
    "retry: jitter sample above 1": "jitter_sample must be between 0 and 1",
    "retry policy: negative delay": "schedule delays must be 0 to 2592000 seconds (30 days)",
    "retry: too many retries": "a schedule has at most 100 retries",
    "event: data as JSON text bytes that are not UTF-8": "invalid JSON text: invalid unicode code point at line 1 column 2",
    "event: data as bytes that are not JSON text": "invalid JSON text: expected value at line 1 column 1",
    "event: empty type": "an event type is 1 to 256 characters: dot-separated segments of ASCII letters, digits, '_' and '-' (e.g. invoice.paid)",
    "event: type with empty segment": "an event type is 1 to 256 characters: dot-separated segments of ASCII letters, digits, '_' and '-' (e.g. invoice.paid)",
    "event: type with a space": "an event type is 1 to 256 characters: dot-separated segments of ASCII letters, digits, '_' and '-' (e.g. invoice.paid)",
    "event: type too long": "an event type is 1 to 256 characters: dot-separated segments of ASCII letters, digits, '_' and '-' (e.g. invoice.paid)",
    "event: timestamp before 1970": "time must lie between 1970-01-01 and 9999-12-31 (UTC)",
    "event: timestamp after 9999": "time must lie between 1970-01-01 and 9999-12-31 (UTC)",
    "message id, 9 random bytes": "a message id takes 10 random bytes, not 9",
    "message id, time after 9999": "time must lie between 1970-01-01 and 9999-12-31 (UTC)",
    "message id, negative time": "time must lie between 1970-01-01 and 9999-12-31 (UTC)",
    "filter rejects []": "an event filter needs at least one pattern (use '*' for every event)",
    "filter rejects ['']": "invalid event filter pattern \"\": expected '*', an event type such as 'user.created', or a prefix such as 'invoice.*'",
    "filter patterns of an invalid filter": "invalid event filter pattern \"inv*\": expected '*', an event type such as 'user.created', or a prefix such as 'invoice.*'",
    "filter rejects ['inv*']": "invalid event filter pattern \"inv*\": expected '*', an event type such as 'user.created', or a prefix such as 'invoice.*'",
    "filter rejects ['*.paid']": "invalid event filter pattern \"*.paid\": expected '*', an event type such as 'user.created', or a prefix such as 'invoice.*'",
    "filter rejects ['a.*.b']": "invalid event filter pattern \"a.*.b\": expected '*', an event type such as 'user.created', or a prefix such as 'invoice.*'",
    "filter rejects ['invoice..paid']": "invalid event filter pattern \"invoice..paid\": expected '*', an event type such as 'user.created', or a prefix such as 'invoice.*'",
    "filter rejects ['.invoice']": "invalid event filter pattern \".invoice\": expected '*', an event type such as 'user.created', or a prefix such as 'invoice.*'",
    "filter rejects ['invoice.']": "invalid event filter pattern \"invoice.\": expected '*', an event type such as 'user.created', or a prefix such as 'invoice.*'",
    "filter rejects ['user created']": "invalid event filter pattern \"user created\": expected '*', an event type such as 'user.created', or a prefix such as 'invoice.*'",
    "filter rejects ['**']": "invalid event filter pattern \"**\": expected '*', an event type such as 'user.created', or a prefix such as 'invoice.*'",
    "filter rejects ['invoice.*', 'ok', 'bad pattern']": "invalid event filter pattern \"bad pattern\": expected '*', an event type such as 'user.created', or a prefix such as 'invoice.*'",
}
pin_messages(cases, MESSAGES)

doc = json.loads(PATH.read_text(encoding="utf-8"))
doc["cases"] = [c for c in doc["cases"] if not c["op"].startswith(OPS)] + cases
doc["description"] = (
    "Webhook signing and verification (Standard Webhooks, Stripe, GitHub, Slack) and the delivery "
    "side (retry decisions, event envelopes, message ids, filters). Expected values were computed "
    "independently (Python stdlib hmac/json/datetime, pyca/cryptography ed25519; see "
    "tools/webhook_schemes.py) and include the official Standard Webhooks, svix and GitHub vectors."
)
PATH.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
print(f"{len(cases)} scheme/delivery cases written; {len(doc['cases'])} in all")
