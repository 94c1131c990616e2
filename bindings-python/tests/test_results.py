"""Result objects compare by value, as dataclasses and pydantic models do: two answers to the same
question are equal, different answers are not, another type is never equal (`NotImplemented`),
and (being equal by value) they are not hashable."""

from __future__ import annotations

from typing import Any, Callable, List, Tuple

import pytest

from tenantry import audit
from tenantry.apikeys import ApiKeys
from tenantry.limits import PlanCatalog, RateLimit
from tenantry.settings import SettingsSchema

NOW = 1_700_000_000
KEYS = ApiKeys("tk", {"p1": b"k" * 32})
ISSUED = KEYS.generate(now=NOW, scopes=["invoices:read"])
OTHER = KEYS.generate(now=NOW)
SCHEMA = SettingsSchema({"type": "object", "properties": {"n": {"type": "integer", "default": 1}}})
ENTITLEMENTS = PlanCatalog({"free": {"limits": {"max_users": 5}}}).entitlements("free")
LIMIT = RateLimit(2, 10)
KEY = audit.SealKey("k1", b"s" * 32)
CHAIN = [audit.build_sealed(None, KEY, action="user.login", actor={"type": "user", "id": "u_1"}, occurred_at=NOW)]

# Each kind of result: a way to make it, and a way to make a different one.
CASES: List[Tuple[str, Callable[[], Any], Callable[[], Any]]] = [
    ("Decision", lambda: ENTITLEMENTS.check("max_users", 3, 1, now=NOW), lambda: ENTITLEMENTS.check("max_users", 4, 1, now=NOW)),
    ("RateDecision", lambda: LIMIT.check(None, now=NOW), lambda: LIMIT.check(None, now=NOW + 1)),
    ("ParsedToken", lambda: KEYS.parse(ISSUED.token), lambda: KEYS.parse(OTHER.token)),
    ("Verdict", lambda: KEYS.verify(ISSUED.token, ISSUED.record, now=NOW), lambda: KEYS.verify(ISSUED.token, None, now=NOW)),
    ("ChainReport", lambda: audit.verify_chain(CHAIN, KEY), lambda: audit.verify_chain(CHAIN, KEY, anchor="ab" * 32)),
    ("Resolution", lambda: SCHEMA.resolve([("tenant", {"n": 2})]), lambda: SCHEMA.resolve([("tenant", {"n": 3})])),
    ("PatchResult", lambda: SCHEMA.apply_patch({}, {"n": 2}), lambda: SCHEMA.apply_patch({}, {"n": 3})),
    ("Migration", lambda: SCHEMA.migrate({"n": 2, "x": 1}), lambda: SCHEMA.migrate({"n": 2})),
]


@pytest.mark.parametrize(("name", "make", "make_other"), CASES, ids=[c[0] for c in CASES])
def test_results_compare_by_value(name: str, make: Callable[[], Any], make_other: Callable[[], Any]) -> None:
    a, b, other = make(), make(), make_other()
    assert type(a).__name__ == name
    assert a is not b and a == b and not a != b
    assert a != other and not a == other
    assert a != name and a.__eq__(name) is NotImplemented
    with pytest.raises(TypeError, match="unhashable"):
        hash(a)


def test_resolutions_with_equal_values_from_different_layers_differ() -> None:
    tenant = SCHEMA.resolve([("tenant", {"n": 2})])
    plan = SCHEMA.resolve([("plan", {"n": 2})])
    assert tenant.value == plan.value
    assert tenant.provenance != plan.provenance
    assert tenant != plan
