"""A record is plain JSON data: every ``str`` in it is an exact ``str``, even where the caller gave
a subclass (a ``str``-valued ``enum.Enum``, whose ``str()`` is ``'Plan.PRO'``, not ``'pro'``). A
``metadata`` value was always copied so; the record's own members and changed values kept the
caller's subclass objects. An exact ``str`` is still the caller's own object (not a copy)."""

from __future__ import annotations

import enum
from typing import Any, Iterator

from tenantry import audit

ACTOR = {"type": "user", "id": "u"}
NOW = 1_700_000_000


class Plan(str, enum.Enum):
    PRO = "pro"
    FREE = "free"


class Tagged(str):
    pass


def strings(value: Any) -> Iterator[Any]:
    """Every str in a record, member names included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_a_record_holds_plain_strs() -> None:
    key = audit.SealKey(Tagged("k1"), b"k" * 32)
    record = audit.build_sealed(
        Tagged("ab" * 32), key, actor=ACTOR, action=Tagged("setting.updated"), tenant_id=Plan.PRO,
        request_id=Tagged("req_1"), before={"plan": Plan.FREE, "n": "x"}, after={"plan": Plan.PRO, Tagged("n"): Tagged("y")},
        metadata={"plan": Plan.PRO}, occurred_at=NOW,
    )
    assert [s for s in strings(record) if type(s) is not str] == []
    assert record["tenant_id"] == "pro" and record["metadata"] == {"plan": "pro"}
    assert [(c["path"], str(c["before"]), str(c["after"])) for c in record["changes"]] == [("/n", "x", "y"), ("/plan", "free", "pro")]
    assert (record["action"], record["request_id"], record["prev_hash"], record["seal_key_id"]) == ("setting.updated", "req_1", "ab" * 32, "k1")
    assert audit.verify_chain([record], key).ok


def test_a_seal_key_id_is_a_plain_str() -> None:
    key = audit.SealKey(Tagged("k1"), b"k" * 32)
    assert type(key.id) is str and key.id == "k1"


def test_exact_strs_are_still_the_callers_own_objects() -> None:
    tenant, action, value, key_id = "".join(["t_", "1"]), "".join(["x.", "done"]), "".join(["new ", "value"]), "".join(["k", "1"])
    key = audit.SealKey(key_id, b"k" * 32)
    record = audit.build_sealed(None, key, actor=ACTOR, action=action, tenant_id=tenant, before={}, after={"a": value}, occurred_at=NOW)
    assert key.id is key_id
    assert record["tenant_id"] is tenant and record["action"] is action and record["seal_key_id"] is key_id
    assert record["changes"][0]["after"] is value
