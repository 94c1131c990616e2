"""`None` for a parameter that has a default means that default, as `null` does in Node: a caller
passing on an optional value of its own (`role=request.role`) gets the documented default, not a
TypeError. Each call below gives the same answer with `None` as without the argument, and the
default Python shows in the signature is the one the call uses."""

from __future__ import annotations

import inspect
from typing import Any, Callable

import pytest

from tenantry.apikeys import ApiKeys
from tenantry.limits import RateLimit
from tenantry.settings import SettingsSchema, SettingsValidationError
from tenantry.webhooks import RetryPolicy, Webhook, WebhookVerificationError, slack, stripe

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
TS = 1_700_000_000
PAYLOAD = b'{"event":"invoice.paid"}'

SCHEMA = SettingsSchema(
    {
        "type": "object",
        "properties": {
            "theme": {"type": "string", "default": "light"},
            "billing_email": {"type": "string", "default": "", "x-visibility": "admin"},
            "plan": {"type": "string", "default": "free", "x-editable": False},
        },
    }
)


def default_of(call: Any, name: str) -> Any:
    return inspect.signature(call).parameters[name].default


def refused_at(verify: Callable[..., None], seconds_off: int, **tolerance: Any) -> bool:
    try:
        verify(TS + seconds_off, **tolerance)
    except WebhookVerificationError:
        return True
    return False


@pytest.mark.parametrize(
    "verify",
    [
        pytest.param(
            lambda now, **kw: Webhook(SECRET).verify(PAYLOAD, Webhook(SECRET).sign("msg_1", PAYLOAD, TS), now=now, **kw),
            id="Webhook.verify",
        ),
        pytest.param(
            lambda now, **kw: stripe.verify(PAYLOAD, stripe.sign(PAYLOAD, "sk", TS), "sk", now=now, **kw),
            id="stripe.verify",
        ),
        pytest.param(
            lambda now, **kw: slack.verify(PAYLOAD, str(TS), slack.sign(PAYLOAD, "sk", TS), "sk", now=now, **kw),
            id="slack.verify",
        ),
    ],
)
def test_tolerance_none_is_the_default_window(verify: Callable[..., None]) -> None:
    for off in (-301, -300, 300, 301):
        assert refused_at(verify, off, tolerance=None) == refused_at(verify, off) == (abs(off) > 300)
    for call in (Webhook.verify, stripe.verify, slack.verify):
        assert default_of(call, "tolerance") == 300


def test_tolerance_still_refuses_wrong_types() -> None:
    signed = Webhook(SECRET).sign("msg_1", PAYLOAD, TS)
    with pytest.raises(TypeError, match="tolerance"):
        Webhook(SECRET).verify(PAYLOAD, signed, tolerance="300", now=TS)


def test_environment_none_is_live() -> None:
    keys = ApiKeys("tk", {"p1": b"p" * 32})
    random = bytes(range(30))
    assert default_of(keys.generate, "environment") == "live"
    given = keys.generate_with_random(random, environment=None, now=TS)
    omitted = keys.generate_with_random(random, now=TS)
    assert given.token == omitted.token
    assert given.record["environment"] == "live"
    assert keys.generate(environment=None, now=TS).record["environment"] == "live"
    with pytest.raises(TypeError):
        keys.generate(environment=5, now=TS)  # type: ignore[arg-type]


def test_role_and_audience_none_are_their_defaults() -> None:
    doc = {"theme": "dark", "billing_email": "a@example.com", "plan": "pro"}
    assert default_of(SCHEMA.view, "audience") == "member"
    assert default_of(SCHEMA.entries, "audience") == "admin"
    assert default_of(SCHEMA.apply_patch, "role") == default_of(SCHEMA.set, "role") == "member"
    assert SCHEMA.view(doc, None) == SCHEMA.view(doc) == SCHEMA.view(doc, "member")
    assert SCHEMA.view(doc, None) != SCHEMA.view(doc, "admin")
    assert SCHEMA.entries(doc, None) == SCHEMA.entries(doc) == SCHEMA.entries(doc, "admin")
    assert SCHEMA.entries(doc, None) != SCHEMA.entries(doc, "public")
    # A member may not set a field that is not editable, with role=None as without a role.
    for call in (
        lambda **kw: SCHEMA.apply_patch({}, {"plan": "pro"}, **kw),
        lambda **kw: SCHEMA.set({}, "plan", "pro", **kw),
    ):
        with pytest.raises(SettingsValidationError) as given:
            call(role=None)
        with pytest.raises(SettingsValidationError) as omitted:
            call()
        assert str(given.value) == str(omitted.value)
        assert call(role="system").overrides == {"plan": "pro"}
    assert SCHEMA.set({}, "theme", "dark", role=None).overrides == {"theme": "dark"}
    with pytest.raises(TypeError):
        SCHEMA.view(doc, 1)  # type: ignore[arg-type]


def test_policy_none_is_default() -> None:
    assert default_of(RateLimit, "policy") == "default"
    assert RateLimit(10, 60, policy=None).policy == RateLimit(10, 60).policy == "default"
    with pytest.raises(TypeError):
        RateLimit(10, 60, policy=b"default")  # type: ignore[arg-type]


def test_factor_none_is_two() -> None:
    assert default_of(RetryPolicy.exponential, "factor") == 2.0
    given = RetryPolicy.exponential(5, 3600, 6, factor=None)
    assert given.delays == RetryPolicy.exponential(5, 3600, 6).delays == RetryPolicy.exponential(5, 3600, 6, factor=2.0).delays
    assert given.delays[:3] == [5, 10, 20]
    with pytest.raises(TypeError):
        RetryPolicy.exponential(5, 3600, 6, factor=True)
