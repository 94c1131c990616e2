"""Limit decisions survive pickling, on their own and on the `LimitExceededError` that carries
one: a worker process (a `ProcessPoolExecutor`, a task queue) that refuses a request hands the
parent the decision to answer with. They were "cannot pickle", and an unpickled error had lost its
decision (`None`)."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from tenantry.errors import InvalidInputError, LimitExceededError
from tenantry.limits import Decision, PlanCatalog, RateDecision, RateLimit

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


def test_a_forged_status_is_refused() -> None:
    decision = ENTITLEMENTS.check("max_users", 3, 1, now=NOW)
    reduced: Any = decision.__reduce__()
    restore, (state,) = reduced
    assert restore(state) == decision
    with pytest.raises(InvalidInputError) as info:
        restore((state[0], "maybe", *state[2:]))
    assert getattr(info.value, "code", None) == "input.invalid"
