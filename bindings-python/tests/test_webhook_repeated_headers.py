"""Repeated and unreadable Standard Webhooks headers, as Python frameworks hand them over: every
instance of the signature header counts, repeated ids and timestamps must agree, and header bytes
that are not UTF-8 are a `WebhookVerificationError` (so a handler catching it answers 4xx, not 500)."""

from __future__ import annotations

from typing import Any, List, Tuple

import pytest

from tenantry.webhooks import Webhook, WebhookVerificationError

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TS = 1614265330
PAYLOAD = b'{"test": 2432232314}'
SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
BAD = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
ID_TS: List[Tuple[str, str]] = [("webhook-id", MSG_ID), ("webhook-timestamp", str(TS))]


def verify(headers: Any) -> None:
    Webhook(SECRET).verify(PAYLOAD, headers, now=TS)


def code_of(headers: Any) -> str:
    with pytest.raises(WebhookVerificationError) as info:
        verify(headers)
    return str(info.value.code)


class StarletteLikeHeaders:
    """`.items()` yields every instance of a repeated header, as Starlette's and Werkzeug's do."""

    def __init__(self, raw: List[Tuple[bytes, bytes]]) -> None:
        self._raw = raw

    def items(self) -> List[Tuple[str, str]]:
        return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in self._raw]


@pytest.mark.parametrize("order", [(BAD, SIG), (SIG, BAD)])
def test_every_instance_of_the_signature_header_is_read(order: Tuple[str, str]) -> None:
    pairs = ID_TS + [("webhook-signature", sig) for sig in order]
    verify(pairs)
    verify([(k.encode(), v.encode()) for k, v in pairs])  # ASGI: a list of bytes pairs
    verify(StarletteLikeHeaders([(k.encode(), v.encode()) for k, v in pairs]))
    verify(dict(ID_TS, **{"webhook-signature": ", ".join(order)}))  # joined by a proxy


def test_repeated_ids_and_timestamps_must_agree() -> None:
    verify(ID_TS + ID_TS + [("webhook-signature", SIG)])
    assert code_of(ID_TS + [("webhook-id", "msg_other"), ("webhook-signature", SIG)]) == "webhook.invalid_header"
    assert code_of(ID_TS + [("webhook-timestamp", str(TS + 1)), ("webhook-signature", SIG)]) == "webhook.invalid_header"


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature"])
@pytest.mark.parametrize("value", [b"msg_\xe9", b"\xff\xfe", "msg_\ud800"])
def test_a_value_with_no_utf8_form_is_a_verification_error(name: str, value: Any) -> None:
    good = dict(ID_TS, **{"webhook-signature": SIG})
    with pytest.raises(WebhookVerificationError) as info:
        verify({**good, name: value})
    assert info.value.code == "webhook.invalid_header"
    assert name in str(info.value)
    # The same in (name, value) pairs, in either order, and as ASGI bytes pairs.
    pairs: List[Tuple[Any, Any]] = [(k, v) for k, v in good.items() if k != name]
    assert code_of(pairs + [(name, value)]) == "webhook.invalid_header"
    assert code_of([(name, value)] + pairs) == "webhook.invalid_header"


def test_an_unreadable_header_that_does_not_count_is_ignored() -> None:
    good = ID_TS + [("webhook-signature", SIG)]
    verify(good + [("svix-id", b"\xff"), ("Webhook-Signature", b"\xff"), ("x-custom", b"\xe9")])
    verify(good + [(b"x-\xff", b"\xff")])


def test_sign_refuses_a_msg_id_with_a_lone_surrogate_as_node_does() -> None:
    import tenantry

    with pytest.raises(tenantry.InvalidInputError) as info:
        Webhook(SECRET).sign("😀_\ud83d", PAYLOAD, timestamp=TS)
    assert info.value.code == "input.invalid"
    assert str(info.value) == (
        "str holds a lone surrogate ('\\ud83d') at index 2: it is not valid Unicode, so it has no UTF-8 form"
    )
