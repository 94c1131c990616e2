"""tenantry.limits beyond the vectors: argument types, error classes, datetimes, immutability."""

from __future__ import annotations

import json
import math
import pathlib
import threading
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List

import pytest

import tenantry
from tenantry.limits import (
    LimitExceededError,
    LimitsError,
    PlanCatalog,
    RateDecision,
    RateLimit,
    crossed,
    period_window,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEED1: Dict[str, Any] = json.loads((ROOT / "examples/plans/seed001_tiers.json").read_text())


def test_seed001_numbers_and_alerts() -> None:
    catalog = PlanCatalog(SEED1)
    assert catalog.plans == ["free", "starter", "business", "enterprise"]
    expected = {
        "free": (5, 2, 50, 100_000),
        "starter": (20, 10, 500, 1_000_000),
        "business": (100, 50, 5000, 10_000_000),
        "enterprise": (None, None, None, None),
    }
    for plan, limits in expected.items():
        ent = catalog.entitlements(plan)
        got = tuple(ent.limit(m) for m in ("max_users", "max_teams", "max_conversations", "max_tokens_per_month"))
        assert got == limits, plan
    # 80/90/100 % alerts fire exactly once each while tokens grow in uneven steps.
    ent = catalog.entitlements("starter")
    used, fired = 0, []
    for step in [300_000, 499_999, 1, 50_000, 60_000, 89_999, 1, 5]:
        d = ent.check("max_tokens_per_month", used, step, now=1_700_000_000)
        assert d.allowed
        fired += d.crossed
        used += step
    assert fired == [0.8, 0.9, 1.0]


def test_dict_and_json_text_and_bytes_agree() -> None:
    a = PlanCatalog(SEED1).entitlements("free").check("max_users", 3).to_dict()
    b = PlanCatalog(json.dumps(SEED1)).entitlements("free").check("max_users", 3).to_dict()
    c = PlanCatalog(json.dumps(SEED1).encode()).entitlements("free").check("max_users", 3).to_dict()
    assert a == b == c


def test_a_catalog_s_whole_numbers_may_be_floats_as_json_and_node_read_them() -> None:
    # A catalog loaded from a file that writes 5.0 (or built with floats) means 5, as in Node,
    # where 5.0 is 5: the same file reads the same in both languages.
    floats = {"free": {"limits": {"m": 5.0, "g": {"limit": 3.0, "grace": {"amount": 2.0, "duration": 3600.0}}},
                       "trial_days": 14.0}}
    ints = {"free": {"limits": {"m": 5, "g": {"limit": 3, "grace": {"amount": 2, "duration": 3600}}},
                     "trial_days": 14}}
    for catalog in (PlanCatalog(floats), PlanCatalog(json.dumps(floats))):
        ent, plain = catalog.entitlements("free"), PlanCatalog(ints).entitlements("free")
        assert ent.limits() == plain.limits() and ent.limit("m") == 5
        assert ent.check("g", 4, now=0).to_dict() == plain.check("g", 4, now=0).to_dict()
        assert catalog.entitlements("free", {"limits": {"m": 8.0}}).limit("m") == 8
    with pytest.raises(LimitsError) as info:
        PlanCatalog({"free": {"limits": {"m": 5.5}}})
    assert info.value.errors[0]["path"] == "/free/limits/m"


def test_invalid_catalog_has_paths() -> None:
    with pytest.raises(LimitsError) as info:
        PlanCatalog({"free": {"limits": {"max_users": -5, "tokens": {"limit": 5, "period": "week"}}}})
    assert info.value.code == "limits.invalid_catalog"
    assert [e["path"] for e in info.value.errors] == ["/free/limits/max_users", "/free/limits/tokens/period"]
    assert isinstance(info.value, tenantry.TenantryError)


def test_bad_inputs_are_typed() -> None:
    ent = PlanCatalog(SEED1).entitlements("free")
    with pytest.raises(TypeError):
        ent.check("max_users", "3")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ent.check("max_users", 3.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ent.check("max_users", True)
    for used, requested in [(-1, 1), (0, 0), (0, -5), (2**64, 1), (2**63 - 1, 1)]:
        with pytest.raises(LimitsError) as info:
            ent.check("max_users", used, requested)
        assert info.value.code == "limits.invalid_usage", (used, requested)
    with pytest.raises(LimitsError) as info2:
        ent.check("storage", 1)
    assert info2.value.code == "limits.unknown_metric"
    with pytest.raises(LimitsError) as info3:
        PlanCatalog(SEED1).entitlements("gold")
    assert info3.value.code == "limits.unknown_plan"
    # NaN percentages cannot be represented in JSON: refused with a typed error.
    with pytest.raises(tenantry.InvalidInputError):
        PlanCatalog({"p": {"limits": {"x": {"limit": 5, "grace": {"percent": math.nan}}}}})
    with pytest.raises(tenantry.InvalidInputError) as info4:
        PlanCatalog('{"p": {"limits": {"x": {"limit": 5, "thresholds": [0.8, NaN]}}}}')
    assert info4.value.code == "input.invalid_json"
    with pytest.raises(tenantry.InvalidInputError):
        PlanCatalog("{not json")
    with pytest.raises(TypeError):
        PlanCatalog(object())  # type: ignore[arg-type]
    with pytest.raises(LimitsError) as info5:
        PlanCatalog([])  # type: ignore[arg-type]
    assert info5.value.errors == [{"path": "", "code": "type", "message": "a catalog is an object of plan name -> plan"}]


def test_enforce_raises_limit_exceeded() -> None:
    ent = PlanCatalog(SEED1).entitlements("free")
    with pytest.raises(LimitExceededError) as info:
        ent.enforce("max_users", 5)
    assert info.value.code == "limits.exceeded"
    assert "max_users" in str(info.value)
    rl = RateLimit(1, 60)
    d = rl.enforce(None, now=0)
    with pytest.raises(LimitExceededError) as info2:
        rl.enforce(d.state, now=0)
    assert info2.value.code == "limits.rate_limited"


def test_datetimes_are_accepted() -> None:
    ent = PlanCatalog(SEED1).entitlements("free")
    now = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)  # 1_700_000_000
    d = ent.check("max_tokens_per_month", 99_000, 2_000, now=now)
    assert (d.status, d.over_limit_since, d.grace_ends_at) == ("grace", 1_700_000_000, 1_700_259_200)
    with pytest.raises(tenantry.InvalidInputError):
        ent.check("max_tokens_per_month", 99_000, 2_000, now=datetime(2023, 1, 1))
    w = period_window("month", datetime(2023, 1, 31, 9, 30, tzinfo=timezone.utc), now, timedelta(hours=2))
    assert w == {"start": 1_698_744_600, "end": 1_701_336_600}  # Oct 31 / Nov 30, 11:30 local
    trial = PlanCatalog(SEED1).entitlements("free", trial_ends_at=now + timedelta(days=3))
    assert trial.trial_status(now) == {"active": True, "ends_at": 1_700_259_200, "days_left": 3}
    rl = RateLimit(10, 1)
    a = rl.check(None, now=now)
    b = rl.check(None, now=1_700_000_000.0)
    assert a.state == b.state == 1_700_000_000_100


def test_rate_limit_headers_and_attributes() -> None:
    rl = RateLimit(60, 60)
    state = None
    for _ in range(60):
        d = rl.check(state, now=1_700_000_000)
        assert d.allowed
        state = d.state
    refused = rl.check(state, now=1_700_000_000)
    assert not refused and refused.retry_after == 1 and refused.reset_after == 60
    assert refused.headers() == {
        "X-RateLimit-Limit": "60",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "60",
        "RateLimit-Policy": '"default";q=60;w=60',
        "RateLimit": '"default";r=0;t=60',
        "Retry-After": "1",
    }
    assert (rl.limit, rl.period, rl.burst, rl.policy) == (60, 60.0, 60, "default")
    with pytest.raises(TypeError):
        rl.check("12")  # type: ignore[arg-type]
    with pytest.raises(LimitsError):
        RateLimit(0, 60)
    with pytest.raises(LimitsError):
        RateLimit(10, math.nan)
    with pytest.raises(TypeError):
        RateLimit(10, "60")  # type: ignore[arg-type]


@pytest.mark.parametrize("limit, burst, message", [
    (-1, None, "limit must be a whole number from 1 to 1000000000, got -1"),
    (2**64, None, f"limit must be a whole number from 1 to 1000000000, got {2**64}"),
    (10, -1, "burst must be a whole number from 1 to 1000000000, got -1"),
    (10, 2**70, f"burst must be a whole number from 1 to 1000000000, got {2**70}"),
])
def test_a_rate_limit_out_of_range_is_refused_in_the_core_s_one_wording(limit: int, burst: Any, message: str) -> None:
    # The words of the vectors for 0 (tests/vectors/limits.json) and of Node for these numbers:
    # ints no u64 holds used to get a wording of their own.
    with pytest.raises(LimitsError) as info:
        RateLimit(limit, 60, burst=burst)
    assert (info.value.code, str(info.value)) == ("limits.invalid_config", message)


@pytest.mark.parametrize("state", [2**53 + 1, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**40])
def test_a_state_past_2_53_is_refused_in_the_core_s_one_wording_at_any_size(state: int) -> None:
    # Ints no i64 holds used to be `input.invalid_time` (a time out of range), the rest past 2^53
    # `input.invalid`, as in Node: every one is now the second.
    with pytest.raises(tenantry.InvalidInputError) as info:
        RateLimit(10, 60).check(state, now=1_700_000_000)
    assert (info.value.code, str(info.value)) == (
        "input.invalid", f"state must be a whole number (a safe integer), got {state}")


@pytest.mark.parametrize("tz_offset", [100_000, 3_000_000_000, -(2**40), timedelta(days=40_000)])
def test_a_tz_offset_out_of_range_is_refused_in_the_core_s_wording_at_any_size(tz_offset: Any) -> None:
    with pytest.raises(LimitsError) as info:
        period_window("day", now=1_700_000_000, tz_offset=tz_offset)
    assert str(info.value) == "tz_offset must be within ±18 hours (in seconds)"


def test_crossed_and_period_window_errors() -> None:
    assert crossed(79, 80, 100) == [0.8]
    assert crossed(0, 10, None) == []
    with pytest.raises(LimitsError):
        crossed(0, 10, 10, [0.9, 0.5])
    assert crossed(0, 10, 10, [0.5, 1]) == [0.5, 1.0]
    with pytest.raises(TypeError, match="not bool"):  # was 1.0: 100 %
        crossed(0, 10, 10, [0.5, True])
    with pytest.raises(LimitsError):
        period_window("week", None, 0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        period_window("day", None, 0, "+02:00")  # type: ignore[arg-type]


def test_frozen_and_shared_between_threads() -> None:
    catalog = PlanCatalog(SEED1)
    with pytest.raises(AttributeError):
        catalog.x = 1  # type: ignore[attr-defined]
    results: List[bool] = []

    def work() -> None:
        ent = catalog.entitlements("free")
        results.append(all(ent.check("max_users", i % 5).allowed for i in range(1000)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4


def test_enforce_errors_carry_the_refused_decision() -> None:
    # What a 429 is built from: enforce raised a message only, so a service that wanted the
    # Retry-After header had to call check instead.
    rl = RateLimit(1, 60)
    state = rl.check(None, now=1_700_000_000).state
    with pytest.raises(LimitExceededError) as info:
        rl.enforce(state, now=1_700_000_001)
    assert info.value.code == "limits.rate_limited"
    assert info.value.decision == rl.check(state, now=1_700_000_001)
    assert isinstance(info.value.decision, RateDecision) and info.value.decision.headers()["Retry-After"] == "59"
    ent = PlanCatalog({"free": {"limits": {"seats": 1}}}).entitlements("free")
    with pytest.raises(LimitExceededError) as exceeded:
        ent.enforce("seats", 1, 1, now=1_700_000_000)
    assert exceeded.value.decision == ent.check("seats", 1, 1, now=1_700_000_000)
    assert LimitExceededError("x", "limits.exceeded").decision is None
