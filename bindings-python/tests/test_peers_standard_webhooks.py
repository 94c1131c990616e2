"""Cross-checks tenantry's Standard Webhooks v1 against the official peers, `svix` and
`standardwebhooks`, on generated inputs, in both directions, and on tampered inputs.

Every case comes from a seeded generator (SEED), so a failure names a case that reproduces.
The peers sign text only and decode payload bytes as UTF-8, so non-UTF-8 payloads are checked
against the same computation done with the standard library (hmac + hashlib + base64).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, List, Tuple, Union

import pytest
import standardwebhooks
import svix.webhooks

from tenantry.webhooks import Webhook, WebhookVerificationError

SEED = 0x7E7A_2026
CASES = 300
ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:~é✓"
TEXT_POOL = [
    "a", "Z", "0", " ", "\n", "\t", '"', "\\", "{", "}", ",", ":", ".", "é", "ß", "€", "你", "好",
    "😀", "🚀", "\u0000", "\u2028", "\ufeff",
]
BASE64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

Peer = Union[svix.webhooks.Webhook, standardwebhooks.Webhook]


@dataclass
class Case:
    index: int
    key: bytes
    secret: str  # as handed to tenantry and the peers: whsec_ or bare, padded or not
    msg_id: str
    payload: str
    timestamp: int  # anywhere in 2001..2033, for tenantry-only checks
    skew: int  # seconds between the timestamp and `now`, inside the default tolerance
    header_style: str
    payload_as_bytes: bool
    tamper: str

    def __str__(self) -> str:
        return f"case {self.index} (seed {SEED:#x})"


def random_text(rng: random.Random) -> str:
    n = rng.choice([0, 1, 7, 64, 300, 1024, 2000])
    if rng.random() < 0.3:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz {}:,\"0123456789") for _ in range(n))
    return "".join(rng.choice(TEXT_POOL) for _ in range(n))


def generate_cases(seed: int, count: int) -> List[Case]:
    rng = random.Random(seed)
    cases = []
    for i in range(count):
        key = rng.randbytes(rng.randint(24, 64))
        encoded = base64.b64encode(key).decode()
        if rng.random() < 0.3:
            encoded = encoded.rstrip("=")
        secret = ("whsec_" if rng.random() < 0.6 else "") + encoded
        msg_id = ("msg_" if rng.random() < 0.7 else "") + "".join(
            rng.choice(ID_CHARS) for _ in range(rng.randint(1, 40))
        )
        cases.append(
            Case(
                index=i,
                key=key,
                secret=secret,
                msg_id=msg_id,
                payload=random_text(rng),
                timestamp=rng.randint(1_000_000_000, 2_000_000_000),
                skew=rng.randint(-299, 299),
                header_style=rng.choice(["webhook", "svix", "Webhook-Title", "UPPER"]),
                payload_as_bytes=rng.random() < 0.5,
                tamper=rng.choice(["payload", "msg_id", "timestamp", "signature", "secret"]),
            )
        )
    return cases


CASE_LIST = generate_cases(SEED, CASES)


def styled(headers: Dict[str, str], style: str) -> Dict[str, str]:
    """The same three headers under another naming style (all styles are accepted)."""
    out = {}
    for name, value in headers.items():
        if style == "svix":
            name = name.replace("webhook-", "svix-")
        elif style == "Webhook-Title":
            name = "-".join(part.capitalize() for part in name.split("-"))
        elif style == "UPPER":
            name = name.upper()
        out[name] = value
    return out


def peers(secret: str) -> Dict[str, Peer]:
    return {"svix": svix.webhooks.Webhook(secret), "standardwebhooks": standardwebhooks.Webhook(secret)}


def peer_verify(name: str, peer: Peer, payload: Any, headers: Dict[str, str]) -> None:
    if isinstance(peer, standardwebhooks.Webhook):
        peer.verify(payload, headers, json_parse=False)
    else:
        peer.verify(payload, headers)


def when(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, timezone.utc)


def stdlib_signature(key: bytes, msg_id: str, ts: int, payload: bytes) -> str:
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + payload, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def test_generator_is_seeded() -> None:
    assert generate_cases(SEED, 5) == CASE_LIST[:5]
    assert len({c.msg_id for c in CASE_LIST}) > CASES * 0.9
    assert {c.tamper for c in CASE_LIST} == {"payload", "msg_id", "timestamp", "signature", "secret"}
    assert any(not c.secret.startswith("whsec_") for c in CASE_LIST)
    assert any(not c.secret.endswith("=") and len(c.key) % 3 for c in CASE_LIST)


@pytest.mark.parametrize("case", CASE_LIST, ids=str)
def test_peers_sign_tenantry_verifies(case: Case) -> None:
    ours = Webhook(case.secret)
    body = case.payload.encode() if case.payload_as_bytes else case.payload
    for name, peer in peers(case.secret).items():
        signature = peer.sign(case.msg_id, when(case.timestamp), case.payload)
        headers = styled(
            {"webhook-id": case.msg_id, "webhook-timestamp": str(case.timestamp), "webhook-signature": signature},
            case.header_style,
        )
        ours.verify(body, headers, now=case.timestamp + case.skew)
        # Among other signatures (rotation on the sender's side), it still matches.
        other = stdlib_signature(b"k" * 32, case.msg_id, case.timestamp, case.payload.encode())
        headers = {**headers, **styled({"webhook-signature": f"{other} v2,xyz {signature}"}, case.header_style)}
        ours.verify(body, headers, now=case.timestamp + case.skew)


@pytest.mark.parametrize("case", CASE_LIST, ids=str)
def test_tenantry_signs_peers_verify(case: Case) -> None:
    # The peers check the timestamp against the real clock: sign close to now.
    ts = int(time.time()) + case.skew // 2
    body = case.payload.encode() if case.payload_as_bytes else case.payload
    headers = Webhook(case.secret).sign(case.msg_id, body, timestamp=ts)
    for name, peer in peers(case.secret).items():
        assert headers["webhook-signature"] == peer.sign(case.msg_id, when(ts), case.payload), name
        peer_verify(name, peer, body, headers)
    # Rotation: tenantry signs with an old and a new secret; a peer holding either one verifies.
    old = base64.b64encode(hashlib.sha256(case.key).digest()).decode()
    rotated = Webhook([old, case.secret]).sign(case.msg_id, body, timestamp=ts)
    assert len(rotated["webhook-signature"].split(" ")) == 2
    for secret in (old, case.secret):
        for name, peer in peers(secret).items():
            peer_verify(name, peer, body, rotated)


def tampered(case: Case, headers: Dict[str, str], body: bytes) -> Tuple[Dict[str, str], bytes, str]:
    """One change to a correctly signed message; returns (headers, payload, secret)."""
    rng = random.Random(SEED + case.index)
    headers = dict(headers)
    secret = case.secret
    if case.tamper == "payload":
        if body and rng.random() < 0.5:
            # Replace one whole character, so the payload stays UTF-8 for the peers.
            text = body.decode()
            j = rng.randrange(len(text))
            text = text[:j] + ("x" if text[j] != "x" else "y") + text[j + 1 :]
            body = text.encode()
        else:
            body = body + b" "
    elif case.tamper == "msg_id":
        headers["webhook-id"] = headers["webhook-id"] + "x"
    elif case.tamper == "timestamp":
        headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) + rng.choice([-1, 1]))
    elif case.tamper == "signature":
        version, sig = headers["webhook-signature"].split(",", 1)
        i = rng.randrange(0, 40)  # not the last characters, which carry padding bits
        sig = sig[:i] + rng.choice([c for c in BASE64_CHARS if c != sig[i]]) + sig[i + 1 :]
        headers["webhook-signature"] = f"{version},{sig}"
    else:
        secret = "whsec_" + base64.b64encode(hashlib.sha256(case.key + b"other").digest()).decode()
    return headers, body, secret


@pytest.mark.parametrize("case", CASE_LIST, ids=str)
def test_tampered_messages_are_rejected_by_all(case: Case) -> None:
    ts = int(time.time()) + case.skew // 2
    body = case.payload.encode()
    signed = Webhook(case.secret).sign(case.msg_id, body, timestamp=ts)
    # Untampered, everyone accepts it (so a rejection below is the tampering's doing).
    for name, peer in peers(case.secret).items():
        peer_verify(name, peer, body, signed)
    headers, body, secret = tampered(case, signed, body)
    with pytest.raises(WebhookVerificationError) as info:
        Webhook(secret).verify(body, headers, now=ts)
    assert info.value.code == "webhook.no_matching_signature", case.tamper
    for name, peer in peers(secret).items():
        with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
            peer_verify(name, peer, body, headers)


@pytest.mark.parametrize("case", CASE_LIST[:100], ids=str)
def test_binary_payloads_match_the_stdlib_computation(case: Case) -> None:
    rng = random.Random(SEED ^ case.index)
    body = rng.randbytes(rng.choice([1, 2, 17, 1024, 4096])) + b"\xff\xfe\x80"  # never UTF-8
    with pytest.raises(UnicodeDecodeError):
        body.decode()
    expected = stdlib_signature(case.key, case.msg_id, case.timestamp, body)
    ours = Webhook(case.secret)
    headers = ours.sign(case.msg_id, body, timestamp=case.timestamp)
    assert headers["webhook-signature"] == expected
    ours.verify(bytearray(body), headers, now=case.timestamp + case.skew)
    flipped = bytes([body[0] ^ 1]) + body[1:]
    with pytest.raises(WebhookVerificationError):
        ours.verify(flipped, headers, now=case.timestamp)


def test_peers_reject_what_tenantry_rejects_outside_the_window() -> None:
    secret = "whsec_" + base64.b64encode(b"s" * 32).decode()
    now = int(time.time())
    for offset, code in ((-301, "webhook.timestamp_too_old"), (301, "webhook.timestamp_too_new")):
        body = b'{"a":1}'
        headers = Webhook(secret).sign("msg_1", body, timestamp=now + offset)
        with pytest.raises(WebhookVerificationError) as info:
            Webhook(secret).verify(body, headers, now=now)
        assert info.value.code == code
        for name, peer in peers(secret).items():
            with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
                peer_verify(name, peer, body, headers)

