"""Runs tests/vectors/limits.json against the Python package."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Dict, List, Optional

import pytest
from conftest import check_case, issues, load_vectors

from tenantry import InvalidInputError, LimitsError
from tenantry.limits import Entitlements, PlanCatalog, RateDecision, RateLimit, crossed, period_window

ROOT = pathlib.Path(__file__).resolve().parents[2]


def catalog(inp: Dict[str, Any]) -> PlanCatalog:
    if "catalog_file" in inp:
        # JSON text straight from the file: the str input path.
        return PlanCatalog((ROOT / inp["catalog_file"]).read_text(encoding="utf-8"))
    return PlanCatalog(inp["catalog"])


def entitlements(inp: Dict[str, Any]) -> Entitlements:
    return catalog(inp).entitlements(inp["plan"], inp.get("overrides"), inp.get("trial_ends_at"))


def rate_dict(d: RateDecision, with_headers: bool) -> Dict[str, Any]:
    out: Dict[str, Any] = dict(d.to_dict())
    assert out["retry_after_ms"] == d.retry_after_ms and out["state"] == d.state
    if with_headers:
        out["headers"] = d.headers()
    return out


def rate_limit(inp: Dict[str, Any]) -> RateLimit:
    """`limit`, `period` and the optional `burst` and `policy`: every rate op reads these four, as
    the Rust and Node runners do."""
    return RateLimit(inp["limit"], inp["period"], inp.get("burst"), policy=inp.get("policy", "default"))


def catalog_issues(source: Any, expect: Any) -> List[Dict[str, str]]:
    """The issues of a catalog (dict or JSON text): [] when it is valid."""
    try:
        PlanCatalog(source)
    except LimitsError as exc:
        assert exc.code == "limits.invalid_catalog"
        return issues(exc.errors, expect)
    return []


def run(op: str, inp: Dict[str, Any], expect: Any) -> Any:
    if op in ("check", "enforce"):
        ent = entitlements(inp)
        fn = ent.check if op == "check" else ent.enforce
        d = fn(inp["metric"], inp["used"], inp.get("requested"), now=inp.get("now", 0),
               over_limit_since=inp.get("over_limit_since"))
        got = d.to_dict()
        # The attributes and the dict agree.
        assert (d.allowed, d.status, d.limit, d.remaining, d.percent, d.crossed) == (
            got["allowed"], got["status"], got["limit"], got["remaining"], got["percent"], got["crossed"])
        assert bool(d) is d.allowed
        return got
    if op == "entitlements":
        ent = entitlements(inp)
        return {"plan": ent.plan, "features": ent.features, "limits": ent.limits()}
    if op == "entitlements.limit":
        return entitlements(inp).limit(inp["metric"])
    if op == "entitlements.trial_ends_at":
        return entitlements(inp).trial_ends_at
    if op == "catalog.plans":
        return catalog(inp).plans
    if op == "has_feature":
        ent = entitlements(inp)
        return [ent.has_feature(n) for n in inp["names"]]
    if op == "trial_ends_at":
        return catalog(inp).trial_ends_at(inp["plan"], inp["started_at"])
    if op == "trial_status":
        return entitlements(inp).trial_status(inp["now"])
    if op == "usage_report":
        return entitlements(inp).usage_report(inp["usage"])
    if op == "crossed":
        return crossed(inp["previous"], inp["current"], inp["limit"], inp.get("thresholds"))
    if op == "catalog.validate":
        # JSON text here; test_catalog_validate_as_dict runs the same cases as dicts.
        return catalog_issues(json.dumps(inp["catalog"]), expect)
    if op == "period_window":
        return period_window(inp["kind"], inp.get("anchor"), inp["now"], inp.get("tz_offset", 0))
    if op == "rate.limit":
        rl = rate_limit(inp)
        return {"limit": rl.limit, "period": rl.period, "burst": rl.burst, "policy": rl.policy}
    if op == "rate.seconds":
        # The decision's waits in whole seconds (rounded up), next to the milliseconds.
        rd = rate_limit(inp).check(inp.get("state"), now=inp["now_ms"] / 1000, cost=inp.get("cost", 1))
        return {"allowed": rd.allowed, "reset_after_ms": rd.reset_after_ms, "reset_after": rd.reset_after,
                "retry_after_ms": rd.retry_after_ms, "retry_after": rd.retry_after}
    if op == "rate.sequence":
        rl = rate_limit(inp)
        state: Optional[int] = None
        out = []
        for step in inp["steps"]:
            last = None
            for _ in range(step.get("repeat", 1)):
                last = rl.check(state, now=step["now_ms"] / 1000, cost=step.get("cost", 1))
                if last.allowed:
                    state = last.state
            assert last is not None
            out.append(rate_dict(last, True))
        return out
    if op == "rate.enforce":
        rd = rate_limit(inp).enforce(inp.get("state"), now=inp["now_ms"] / 1000, cost=inp.get("cost", 1))
        return rate_dict(rd, True)
    raise AssertionError(f"unknown op {op}")


@pytest.mark.parametrize("case", load_vectors("limits"), ids=lambda c: c["name"])
def test_vector(case: Dict[str, Any]) -> None:
    check_case(case, lambda inp: run(case["op"], inp, case.get("expect")))


@pytest.mark.parametrize(
    "case", [c for c in load_vectors("limits") if c["op"] == "catalog.validate"], ids=lambda c: c["name"]
)
def test_catalog_validate_as_dict(case: Dict[str, Any]) -> None:
    """catalog.validate with the catalog as a dict, the form most callers pass."""
    check_case(case, lambda inp: catalog_issues(inp["catalog"], case.get("expect")))
