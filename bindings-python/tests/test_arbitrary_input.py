"""Arbitrary Python values handed to every call that reads caller data: each call returns, or
raises a ``TenantryError`` (with a stable code) or a ``TypeError``; never another exception, a
pyo3 panic (``PanicException`` is a ``BaseException``) or a crash. And what makes the output
trustworthy holds for any data that is accepted: a record built and sealed verifies, canonical
JSON is a fixed point, a signed webhook verifies.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from typing import Any, Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenantry import TenantryError, audit
from tenantry.apikeys import ApiKeys
from tenantry.limits import PlanCatalog, RateLimit, period_window
from tenantry.settings import SettingsSchema, merge_patch
from tenantry.webhooks import Webhook

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text with everything a str can hold: lone surrogates, controls, NUL, astral characters.
# (Lone surrogates are rare in generated text: some are given outright.)
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=12),
    st.sampled_from(["\ud800", "a\udfffb", "\udbff\udc00", "\U0001f600", "=cmd|' /C calc'!A0", "\x00", "-1", "@x"]),
)


class Opaque:
    """An object of no JSON kind."""


def _leaves() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(),
        TEXT,
        st.binary(max_size=8),
        st.just(decimal.Decimal("1.5")),
        st.just(dt.datetime(2024, 1, 1)),
        st.just(dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)),
        st.just(Opaque()),
        st.just(math.nan),
    )


# Any Python data: JSON's kinds and everything else a caller might pass by mistake.
DATA = st.recursive(
    _leaves(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.frozensets(st.integers(), max_size=3),
        st.dictionaries(st.one_of(TEXT, st.integers(), st.none()), inner, max_size=4),
        st.dictionaries(TEXT, inner, max_size=4),
    ),
    max_leaves=24,
)

# JSON data as Python holds it (what should be accepted, lone surrogates aside).
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), st.floats(allow_nan=False, allow_infinity=False), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=24,
)

KEY = audit.SealKey("k1", b"k" * 32)
SCHEMA = SettingsSchema({
    "type": "object",
    "properties": {
        "theme": {"type": "string", "enum": ["light", "dark"], "default": "light"},
        "seats": {"type": "integer", "minimum": 1, "default": 5},
        "smtp": {"type": "object", "properties": {"host": {"type": "string", "default": "localhost"},
                                                   "password": {"type": "string", "x-sensitive": True}}},
    },
})
CATALOG = PlanCatalog({"free": {"limits": {"seats": 5, "tokens": {"limit": 100, "period": "month"}}, "features": ["a"]}})
KEYS = ApiKeys("tk", {"p1": b"p" * 32})
WEBHOOK = Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")


def answers(call: Callable[[], Any]) -> Any:
    """The call's result, or None when it refused with a typed error."""
    try:
        return call()
    except TenantryError as exc:
        assert exc.code and "." in exc.code, repr(exc)
    except TypeError:
        pass
    return None


@FUZZ
@given(DATA)
def test_audit_calls_take_any_data(value: Any) -> None:
    answers(lambda: audit.canonical_json(value))
    answers(lambda: audit.seal(value, None, KEY))
    answers(lambda: audit.verify_chain(value, KEY))
    answers(lambda: audit.verify_chain([value], KEY))
    answers(lambda: audit.to_csv([value]))
    answers(lambda: audit.to_jsonl([value]))
    answers(lambda: audit.to_ocsf(value))
    answers(lambda: audit.summarize([value]))


@FUZZ
@given(DATA, DATA, DATA, DATA)
def test_audit_build_takes_any_data(actor: Any, metadata: Any, before: Any, after: Any) -> None:
    answers(lambda: audit.build(actor=actor, action="user.updated"))
    sealed = answers(lambda: audit.build_sealed(None, KEY, actor={"type": "user", "id": "u"}, action="user.updated",
                                                metadata=metadata, before=before, after=after, occurred_at=1_700_000_000))
    if sealed is not None:
        assert audit.verify_chain([sealed], KEY).ok


@FUZZ
@given(JSON, JSON)
def test_accepted_json_seals_and_verifies(metadata: Any, before: Any) -> None:
    record = answers(lambda: audit.build(actor={"type": "user", "id": "u"}, action="user.updated",
                                         metadata={"m": metadata}, before={"d": before}, after={"d": None}))
    if record is not None:
        sealed = audit.seal(record, None, KEY)
        assert audit.verify_chain([sealed], KEY).ok
        # A stored copy of the record (JSON text, read back) verifies too.
        assert audit.verify_chain([json.loads(json.dumps(sealed))], KEY).ok


@FUZZ
@given(JSON)
def test_canonical_json_is_a_fixed_point(value: Any) -> None:
    text = answers(lambda: audit.canonical_json(value))
    if text is not None:
        assert audit.canonical_json(json.loads(text)) == text


@FUZZ
@given(DATA, DATA)
def test_settings_take_any_data(doc: Any, patch: Any) -> None:
    answers(lambda: SettingsSchema(doc))
    answers(lambda: SCHEMA.validate(doc))
    answers(lambda: SCHEMA.resolve([("tenant", doc)]))
    answers(lambda: SCHEMA.resolve({"tenant": doc, "user": patch}))
    answers(lambda: SCHEMA.apply_patch(doc, patch, role="admin"))
    answers(lambda: SCHEMA.view(doc))
    answers(lambda: SCHEMA.entries(doc))
    answers(lambda: SCHEMA.migrate(doc))
    answers(lambda: merge_patch(doc, patch))


@FUZZ
@given(DATA, DATA, DATA)
def test_limits_take_any_data(plans: Any, used: Any, now: Any) -> None:
    answers(lambda: PlanCatalog(plans))
    answers(lambda: CATALOG.entitlements("free", overrides=plans))
    ent = CATALOG.entitlements("free")
    answers(lambda: ent.check("tokens", used, now=now))
    answers(lambda: ent.check("seats", 1, used, now=1_700_000_000, over_limit_since=now))
    answers(lambda: ent.usage_report(plans))
    answers(lambda: RateLimit(used, now))
    answers(lambda: RateLimit(10, 60).check(used, now=now, cost=plans if isinstance(plans, int) else None))
    answers(lambda: period_window("month", anchor=used, now=now))


@FUZZ
@given(DATA, DATA, DATA)
def test_keys_and_webhooks_take_any_data(token: Any, record: Any, headers: Any) -> None:
    answers(lambda: KEYS.parse(token))
    answers(lambda: KEYS.verify(token, record))
    answers(lambda: KEYS.revoke(record))
    answers(lambda: WEBHOOK.verify(b"{}", headers))
    answers(lambda: WEBHOOK.verify(token, {"webhook-id": "m", "webhook-timestamp": "1", "webhook-signature": token}))
    answers(lambda: WEBHOOK.sign("msg_1", token, 1_700_000_000))
    answers(lambda: Webhook(token))


@FUZZ
@given(st.binary(max_size=256))
def test_a_signed_webhook_verifies(payload: bytes) -> None:
    headers = WEBHOOK.sign("msg_1", payload, 1_700_000_000)
    WEBHOOK.verify(payload, headers, now=1_700_000_000)
