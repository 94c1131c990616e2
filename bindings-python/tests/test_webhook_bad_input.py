"""Bad input to `tenantry.webhooks.Webhook`: every wrong type is a TypeError, every bad value a
typed tenantry error with its stable code; nothing crashes."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import tenantry
from tenantry.webhooks import Webhook, WebhookError, WebhookVerificationError

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TS = 1614265330
PAYLOAD = b'{"test": 2432232314}'
SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
GOOD: Dict[str, str] = {"webhook-id": MSG_ID, "webhook-timestamp": str(TS), "webhook-signature": SIG}


def code_of(call: Any) -> str:
    with pytest.raises(tenantry.TenantryError) as info:
        call()
    return str(info.value.code)


def test_the_good_message_verifies() -> None:
    assert Webhook(SECRET).verify(PAYLOAD, GOOD, now=TS) is None


# ---- constructor -----------------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, 123, 1.5, True, {"a": 1}, [1], [SECRET, None], b"whsec_abc", object()])
def test_constructor_wrong_types(secret: Any) -> None:
    with pytest.raises(TypeError):
        Webhook(secret)


@pytest.mark.parametrize(
    "secret",
    ["", "whsec_", "whsec_!!!", "whsec_" + "A" * 5, "whsk_abc", "whpk_", [], "whsec_" + "QUJD" * 1_000_000],
)
def test_constructor_bad_values(secret: Any) -> None:
    with pytest.raises(WebhookError) as info:
        Webhook(secret)
    assert info.value.code == "webhook.invalid_secret"
    if isinstance(secret, str) and len(secret) > 6:
        assert secret[6:20] not in str(info.value)  # never echoes the secret


# ---- sign ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        (None, PAYLOAD),
        (123, PAYLOAD),
        (b"msg_1", PAYLOAD),
        (MSG_ID, None),
        (MSG_ID, 123),
        (MSG_ID, {"a": 1}),
        (MSG_ID, [1, 2]),
        (MSG_ID, memoryview(b"x")),
    ],
)
def test_sign_wrong_types(args: Tuple[Any, Any]) -> None:
    with pytest.raises(TypeError):
        Webhook(SECRET).sign(*args)


@pytest.mark.parametrize("timestamp", ["1614265330", True, False, b"1", [1], {"t": 1}, dt.date(2024, 1, 1)])
def test_sign_timestamp_wrong_types(timestamp: Any) -> None:
    with pytest.raises(TypeError):
        Webhook(SECRET).sign(MSG_ID, PAYLOAD, timestamp=timestamp)


@pytest.mark.parametrize(
    "timestamp",
    [
        -1,
        2**63,
        -(2**63) - 1,
        10**30,
        2**1000,
        10**18,
        float("nan"),
        float("inf"),
        float("-inf"),
        1e300,
        dt.datetime(2024, 1, 1),  # naive
    ],
)
def test_sign_timestamp_bad_values(timestamp: Any) -> None:
    assert code_of(lambda: Webhook(SECRET).sign(MSG_ID, PAYLOAD, timestamp=timestamp)) == "input.invalid_time"


@pytest.mark.parametrize("msg_id", ["", "a.b", "a b", "a\tb", "a\nb", "a\x00b", "."])
def test_sign_bad_message_ids(msg_id: str) -> None:
    assert code_of(lambda: Webhook(SECRET).sign(msg_id, PAYLOAD, timestamp=TS)) == "webhook.invalid_message_id"


def test_sign_accepts_every_payload_form_and_aware_datetimes() -> None:
    wh = Webhook(SECRET)
    aware = dt.datetime.fromtimestamp(TS, dt.timezone(dt.timedelta(hours=-5)))
    for payload in (PAYLOAD, bytearray(PAYLOAD), PAYLOAD.decode()):
        assert wh.sign(MSG_ID, payload, timestamp=aware)["webhook-signature"] == SIG
    assert wh.sign(MSG_ID, PAYLOAD, timestamp=TS + 0.999)["webhook-signature"] == SIG


# ---- verify: types ---------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [None, 123, 1.5, {"a": 1}, [1], memoryview(PAYLOAD), object()])
def test_verify_payload_wrong_types(payload: Any) -> None:
    with pytest.raises(TypeError):
        Webhook(SECRET).verify(payload, GOOD, now=TS)


class Opaque:
    pass


@pytest.mark.parametrize(
    "headers",
    [
        None,
        123,
        1.5,
        "webhook-id: x",
        b"webhook-id",
        Opaque(),
        [1, 2],
        [("webhook-id",)],
        [("webhook-id", MSG_ID, "extra")],
        {"webhook-id": 5, "webhook-timestamp": str(TS), "webhook-signature": SIG},
        {"webhook-id": None, "webhook-timestamp": str(TS), "webhook-signature": SIG},
        {"webhook-id": MSG_ID, "webhook-timestamp": TS, "webhook-signature": SIG},
        {"webhook-id": MSG_ID, "webhook-timestamp": str(TS), "webhook-signature": [SIG]},
        {"Webhook-Id": 5, "webhook-timestamp": str(TS), "webhook-signature": SIG},
        {5: MSG_ID, "webhook-timestamp": str(TS), "webhook-signature": SIG},
        [("webhook-id", 5), ("webhook-timestamp", str(TS)), ("webhook-signature", SIG)],
    ],
)
def test_verify_headers_wrong_types(headers: Any) -> None:
    with pytest.raises(TypeError):
        Webhook(SECRET).verify(PAYLOAD, headers, now=TS)


@pytest.mark.parametrize("tolerance", [True, "300", 300.0, [300]])
def test_verify_tolerance_wrong_types(tolerance: Any) -> None:
    with pytest.raises(TypeError):
        Webhook(SECRET).verify(PAYLOAD, GOOD, tolerance=tolerance, now=TS)


def test_verify_tolerance_none_is_the_default_window() -> None:
    # Not a wrong type: None is the default, 300 seconds, as null is in Node (test_none_defaults.py).
    assert Webhook(SECRET).verify(PAYLOAD, GOOD, tolerance=None, now=TS + 300) is None
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(PAYLOAD, GOOD, tolerance=None, now=TS + 301)


@pytest.mark.parametrize("tolerance", [-1, 2**63, 2**200])
def test_verify_tolerance_bad_values(tolerance: int) -> None:
    assert code_of(lambda: Webhook(SECRET).verify(PAYLOAD, GOOD, tolerance=tolerance, now=TS)) == "input.invalid"


@pytest.mark.parametrize("now", [True, "1614265330", b"1", [TS], {"now": TS}, dt.date(2021, 2, 25), dt.timedelta(1)])
def test_verify_now_wrong_types(now: Any) -> None:
    with pytest.raises(TypeError):
        Webhook(SECRET).verify(PAYLOAD, GOOD, now=now)


@pytest.mark.parametrize(
    "now", [2**63, -(2**63) - 1, 2**4000, float("nan"), float("inf"), float("-inf"), -1e300, dt.datetime(2021, 2, 25)]
)
def test_verify_now_bad_values(now: Any) -> None:
    assert code_of(lambda: Webhook(SECRET).verify(PAYLOAD, GOOD, now=now)) == "input.invalid_time"


def test_verify_now_extremes_are_just_out_of_window() -> None:
    wh = Webhook(SECRET)
    # Every call takes times from 1970 to the end of 9999 (Node too, and any `now` beyond is refused
    # the same way: it used to be accepted up to about ±9.2e15 s here, and rounded in Node).
    assert code_of(lambda: wh.verify(PAYLOAD, GOOD, now=253_402_300_799)) == "webhook.timestamp_too_old"
    for now in (253_402_300_800, 9 * 10**15, -1, -9 * 10**15, 2**63 - 1):
        assert code_of(lambda: wh.verify(PAYLOAD, GOOD, now=now)) == "input.invalid_time"
    assert code_of(lambda: wh.verify(PAYLOAD, GOOD, now=0)) == "webhook.timestamp_too_new"
    aware = dt.datetime.fromtimestamp(TS, dt.timezone.utc)
    assert wh.verify(PAYLOAD, GOOD, now=aware) is None
    assert wh.verify(PAYLOAD, GOOD, now=float(TS) + 0.5, tolerance=2**62) is None


# ---- verify: values --------------------------------------------------------------------------


def with_header(name: str, value: str) -> Dict[str, str]:
    return {**GOOD, name: value}


@pytest.mark.parametrize(
    "headers,code",
    [
        ({}, "webhook.missing_header"),
        ([], "webhook.missing_header"),
        ({"webhook-id": MSG_ID}, "webhook.missing_header"),
        ({"webhook-id": MSG_ID, "webhook-timestamp": str(TS)}, "webhook.missing_header"),
        (with_header("webhook-id", ""), "webhook.missing_header"),
        (with_header("webhook-timestamp", ""), "webhook.invalid_timestamp"),
        (with_header("webhook-timestamp", "abc"), "webhook.invalid_timestamp"),
        (with_header("webhook-timestamp", "1e9"), "webhook.invalid_timestamp"),
        (with_header("webhook-timestamp", "0x10"), "webhook.invalid_timestamp"),
        (with_header("webhook-timestamp", "-1614265330"), "webhook.invalid_timestamp"),
        (with_header("webhook-timestamp", "+1614265330"), "webhook.invalid_timestamp"),
        (with_header("webhook-timestamp", "1614265330.0"), "webhook.invalid_timestamp"),
        (with_header("webhook-timestamp", "١٦١٤٢٦٥٣٣٠"), "webhook.invalid_timestamp"),  # Arabic-Indic digits
        (with_header("webhook-timestamp", "9" * 19), "webhook.invalid_timestamp"),
        (with_header("webhook-timestamp", "9" * 1_000_000), "webhook.invalid_timestamp"),
        (with_header("webhook-timestamp", "NaN"), "webhook.invalid_timestamp"),
        (with_header("webhook-timestamp", "Infinity"), "webhook.invalid_timestamp"),
        (with_header("webhook-signature", ""), "webhook.no_matching_signature"),
        (with_header("webhook-signature", "v1,"), "webhook.no_matching_signature"),
        (with_header("webhook-signature", ","), "webhook.no_matching_signature"),
        (with_header("webhook-signature", "v1,!!!!"), "webhook.no_matching_signature"),
        (with_header("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE"), "webhook.no_matching_signature"),
        (with_header("webhook-signature", SIG + "AAAA"), "webhook.no_matching_signature"),
        (with_header("webhook-signature", "v1a," + "A" * 88), "webhook.no_matching_signature"),
        (with_header("webhook-signature", "v1,\u00e9\u00e9\u00e9\u00e9"), "webhook.no_matching_signature"),
        (with_header("webhook-signature", " ".join(["v1,AAAA"] * 8_000)), "webhook.no_matching_signature"),
        (with_header("webhook-signature", "v1," + "A" * (1 << 20)), "webhook.invalid_signature_header"),
        (with_header("webhook-signature", SIG + " " * (1 << 20)), "webhook.invalid_signature_header"),
        (with_header("webhook-id", "x" * (1 << 20)), "webhook.no_matching_signature"),
        # Header bytes (as ASGI gives them) that are not UTF-8: a verification error, not a TypeError.
        ({"webhook-id": b"\xff\xfe", "webhook-timestamp": str(TS), "webhook-signature": SIG}, "webhook.invalid_header"),
        # A name that is not UTF-8 cannot be one of the three: skipped like any unrelated header.
        ([(b"\xff", MSG_ID)], "webhook.missing_header"),
    ],
)
def test_verify_bad_header_values(headers: Any, code: str) -> None:
    assert code_of(lambda: Webhook(SECRET).verify(PAYLOAD, headers, now=TS)) == code


def test_verification_errors_are_typed() -> None:
    with pytest.raises(WebhookVerificationError) as info:
        Webhook(SECRET).verify(PAYLOAD, {}, now=TS)
    assert isinstance(info.value, tenantry.TenantryError)
    assert info.value.code == "webhook.missing_header"
    assert "webhook-id" in str(info.value)


def test_public_key_cannot_sign() -> None:
    public = tenantry.webhooks.generate_keypair()[1]
    assert code_of(lambda: Webhook(public).sign(MSG_ID, PAYLOAD, timestamp=TS)) == "webhook.cannot_sign"


# ---- verify: the header containers people hold -------------------------------------------------


class StarletteLikeHeaders:
    """A read-only mapping with `.items()`, like Starlette's or Werkzeug's headers."""

    def __init__(self, raw: List[Tuple[bytes, bytes]]) -> None:
        self._raw = raw

    def items(self) -> List[Tuple[str, str]]:
        return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in self._raw]


class ExplodingHeaders:
    def items(self) -> Iterator[Tuple[str, str]]:
        yield ("webhook-id", MSG_ID)
        raise RuntimeError("broken header source")


def test_header_containers() -> None:
    wh = Webhook(SECRET)
    raw = [(k.encode(), v.encode()) for k, v in GOOD.items()]
    for headers in (
        GOOD,
        {k.title(): v for k, v in GOOD.items()},
        {k.upper(): v for k, v in GOOD.items()},
        {k.replace("webhook-", "svix-"): v for k, v in GOOD.items()},
        list(GOOD.items()),
        tuple(GOOD.items()),
        iter(GOOD.items()),
        (pair for pair in GOOD.items()),
        raw,
        dict(raw),
        StarletteLikeHeaders(raw),
        {"content-length": 20, "x-list": ["a"], None: object(), **GOOD},  # unrelated entries are not read
        {"host": "example.com", **{k.title(): v for k, v in GOOD.items()}, "content-length": "20"},
    ):
        assert wh.verify(PAYLOAD, headers, now=TS) is None, headers  # type: ignore[arg-type]


def test_a_failing_header_source_raises_its_own_error() -> None:
    with pytest.raises(RuntimeError, match="broken header source"):
        Webhook(SECRET).verify(PAYLOAD, ExplodingHeaders(), now=TS)  # type: ignore[arg-type]


def test_dict_subclasses_and_mappings_keep_the_rule() -> None:
    class CaseKeepingDict(dict):  # type: ignore[type-arg]
        pass

    wrong = "v1," + base64.b64encode(b"\0" * 32).decode()
    headers = CaseKeepingDict({"Webhook-Signature": wrong, **GOOD})
    assert Webhook(SECRET).verify(PAYLOAD, headers, now=TS) is None
    pairs = [("WEBHOOK-SIGNATURE", wrong), ("svix-signature", SIG), *GOOD.items()]
    assert Webhook(SECRET).verify(PAYLOAD, pairs, now=TS) is None
