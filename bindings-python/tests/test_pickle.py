"""tenantry's results survive pickling: a worker process (a `ProcessPoolExecutor`, a task queue)
hands back a decision, a verdict or a chain report, a cache that pickles (Django's,
Flask-Caching) stores a resolution, and a `LimitExceededError` raised in a worker arrives with the
decision to answer with. They were "cannot pickle", and an unpickled error had lost its decision
(`None`). Objects built from a configuration or holding a secret (keys, schemas, an issued
token) stay unpicklable, and say so."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from tenantry import audit
from tenantry.apikeys import ApiKeys
from tenantry.errors import InvalidInputError, LimitExceededError
from tenantry.limits import Decision, PlanCatalog, RateDecision, RateLimit
from tenantry.settings import SettingsSchema
from tenantry.webhooks import Webhook

NOW = 1_700_000_000
CATALOG = PlanCatalog({
    "free": {"limits": {
        "max_users": {"limit": 5, "thresholds": [0.5, 0.8]},
        "api_calls": {"limit": 100, "grace": {"percent": 10, "duration": 3600}},
        "projects": None,
    }},
})
ENTITLEMENTS = CATALOG.entitlements("free")
LIMIT = RateLimit(2, 10, burst=3, policy="api")


def decisions() -> list[Any]:
    out: list[Any] = [
        ENTITLEMENTS.check("max_users", 3, 1, now=NOW),  # warning, crossed 0.8
        ENTITLEMENTS.check("max_users", 5, 1, now=NOW),  # exceeded
        ENTITLEMENTS.check("api_calls", 100, 5, now=NOW),  # grace, with its end
        ENTITLEMENTS.check("projects", 1, 1, now=NOW),  # unlimited
    ]
    state = None
    for _ in range(4):
        decision = LIMIT.check(state, now=NOW)
        out.append(decision)
        state = decision.state
    return out


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_decisions_round_trip_with_every_field(protocol: int) -> None:
    for decision in decisions():
        back = pickle.loads(pickle.dumps(decision, protocol))
        assert type(back) is type(decision)
        assert back == decision
        assert back.to_dict() == decision.to_dict()
        if isinstance(decision, RateDecision):
            # The policy is not in to_dict(): headers() shows it came along.
            assert back.headers() == decision.headers()
            assert (back.retry_after, back.reset_after) == (decision.retry_after, decision.reset_after)
    assert any(isinstance(d, Decision) and d.grace_ends_at is not None for d in decisions())
    assert any(isinstance(d, RateDecision) and not d.allowed for d in decisions())


KEY = audit.SealKey("k1", bytes(32))
KEYS = ApiKeys("tk", {"p1": b"k" * 32})
SCHEMA = SettingsSchema({
    "type": "object",
    "properties": {
        "seats": {"type": "integer", "default": 5, "minimum": 1},
        "smtp": {"type": "object", "properties": {"password": {"type": "string", "default": "", "x-sensitive": True}}},
    },
})


def chain() -> list[Any]:
    records: list[Any] = []
    for i in range(3):
        record = audit.build(action="user.login", actor={"type": "user", "id": f"u{i}"}, occurred_at=NOW)
        records.append(audit.seal(record, records[-1]["hash"] if records else None, KEY))
    return records


def results() -> list[Any]:
    issued = KEYS.generate(now=NOW)
    records = chain()
    return [
        audit.verify_chain(records, KEY),
        audit.verify_chain([records[0], records[2]], KEY),
        KEYS.parse(issued.token),
        KEYS.verify(issued.token, issued.record, now=NOW),
        KEYS.verify(issued.token, issued.record, now=NOW, required_scopes=["invoices:write"]),
        SCHEMA.resolve([("plan", {"seats": 10}), ("tenant", {"smtp": {"password": "s"}})]),
        SCHEMA.apply_patch({"seats": 7}, {"seats": 8, "smtp": {"password": "new"}}),
        SCHEMA.migrate({"seats": 0, "gone": True}),
    ]


@pytest.mark.parametrize("protocol", [2, pickle.HIGHEST_PROTOCOL])
def test_every_other_result_round_trips(protocol: int) -> None:
    for result in results():
        back = pickle.loads(pickle.dumps(result, protocol))
        assert type(back) is type(result)
        assert back == result, result
        for name in ("value", "provenance", "overrides", "changes", "etag", "dropped", "reset", "code", "missing_scopes",
                     "index", "reason", "head", "key_id", "environment"):
            if hasattr(result, name):
                assert getattr(back, name) == getattr(result, name), name


def test_what_holds_a_secret_or_a_configuration_stays_unpicklable() -> None:
    for thing in (KEYS, KEYS.generate(now=NOW), KEY, SCHEMA, Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                  ENTITLEMENTS, CATALOG, LIMIT):
        with pytest.raises(TypeError, match="cannot pickle"):
            pickle.dumps(thing)


def test_a_limit_exceeded_error_keeps_its_decision() -> None:
    for enforce in (lambda: ENTITLEMENTS.enforce("max_users", 5, 1, now=NOW),
                    lambda: LIMIT.enforce(None, now=NOW, cost=4)):
        with pytest.raises(LimitExceededError) as info:
            enforce()
        back = pickle.loads(pickle.dumps(info.value))
        assert (type(back), back.code, back.message) == (LimitExceededError, info.value.code, info.value.message)
        assert back.decision is not None and back.decision == info.value.decision
    made = pickle.loads(pickle.dumps(LimitExceededError("over", "limits.exceeded")))
    assert made.decision is None


def refuse(_: int) -> None:
    ENTITLEMENTS.enforce("max_users", 5, 1, now=NOW)


def test_an_error_raised_in_a_worker_process_arrives_with_its_decision() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        with pytest.raises(LimitExceededError) as info:
            pool.submit(refuse, 0).result()
    assert info.value.decision == ENTITLEMENTS.check("max_users", 5, 1, now=NOW)


def test_a_state_that_is_not_one_is_refused() -> None:
    decision = ENTITLEMENTS.check("max_users", 3, 1, now=NOW)
    reduced: Any = decision.__reduce__()
    restore, (state,) = reduced
    assert restore(state) == decision
    for bad in (state.replace('"warning"', '"maybe"'), "{}", "[", "null"):
        with pytest.raises(InvalidInputError, match="not the pickled state of a tenantry result") as info:
            restore(bad)
        assert info.value.code == "input.invalid"
