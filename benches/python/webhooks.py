"""Bench module (interface: run.py). Standard Webhooks v1, 1 KB payload: tenantry against svix,
standardwebhooks and the stdlib (hmac + hashlib + base64 doing the bare computation, no header
handling, no time window).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import datetime, timezone
from typing import Callable, Dict, List

import standardwebhooks
import svix.webhooks

import tenantry.webhooks
from _timing import Row, best_us, print_table

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
KEY = base64.b64decode(SECRET[len("whsec_") :])
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"


def make_payload() -> bytes:
    """The same 1 KB body as the Rust and Node benches."""
    body = '{"type":"invoice.paid","data":{"note":"'
    body += "x" * (1024 - 3 - len(body))
    return (body + '"}}').encode()


def bare_sign(msg_id: str, ts: int, payload: bytes) -> str:
    mac = hmac.new(KEY, f"{msg_id}.{ts}.".encode() + payload, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def bare_verify(msg_id: str, ts: str, signature: str, payload: bytes) -> None:
    expected = base64.b64decode(signature[3:])
    mac = hmac.new(KEY, f"{msg_id}.{ts}.".encode() + payload, hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected):
        raise ValueError("no match")


def rows() -> List[Row]:
    payload = make_payload()
    assert len(payload) == 1024
    text = payload.decode()
    ts = int(time.time())

    ours = tenantry.webhooks.Webhook(SECRET)
    theirs_svix = svix.webhooks.Webhook(SECRET)
    theirs_std = standardwebhooks.Webhook(SECRET)
    headers = ours.sign(MSG_ID, payload, timestamp=ts)
    signature = headers["webhook-signature"]
    ts_header = headers["webhook-timestamp"]
    when = datetime.fromtimestamp(ts, timezone.utc)

    # Every implementation produces and accepts the same signature before anything is timed.
    for name, sig in [
        ("svix", theirs_svix.sign(MSG_ID, when, text)),
        ("standardwebhooks", theirs_std.sign(MSG_ID, when, text)),
        ("stdlib hmac", bare_sign(MSG_ID, ts, payload)),
    ]:
        assert sig == signature, f"{name} signs differently: {sig} != {signature}"
    ours.verify(payload, headers)
    theirs_svix.verify(payload, headers)
    theirs_std.verify(payload, headers, json_parse=False)
    bare_verify(MSG_ID, ts_header, signature, payload)

    verify: Dict[str, Callable[[], object]] = {
        "tenantry": lambda: ours.verify(payload, headers),
        "svix": lambda: theirs_svix.verify(payload, headers),
        "standardwebhooks": lambda: theirs_std.verify(payload, headers, json_parse=False),
        "stdlib hmac": lambda: bare_verify(headers["webhook-id"], ts_header, signature, payload),
    }
    sign: Dict[str, Callable[[], object]] = {
        "tenantry": lambda: ours.sign(MSG_ID, payload, timestamp=ts),
        "svix": lambda: theirs_svix.sign(MSG_ID, when, text),
        "standardwebhooks": lambda: theirs_std.sign(MSG_ID, when, text),
        "stdlib hmac": lambda: bare_sign(MSG_ID, ts, payload),
    }

    out: List[Row] = []
    for op, impls in (("verify", verify), ("sign", sign)):
        best = best_us(impls)
        for peer in ("svix", "standardwebhooks", "stdlib hmac"):
            out.append((f"webhooks {op} (1 KB)", peer, best["tenantry"], best[peer]))
    return out


TITLE = "Python: Standard Webhooks v1, 1 KB payload (µs per call)"
NOTES = ["webhooks: target verify <= 1.5 µs and >= 5x svix"]

if __name__ == "__main__":
    print_table(TITLE, rows(), NOTES)
