"""Data that changes while tenantry reads it. Reading a ``Mapping`` that is not a dict runs its own
Python code, which may change a dict tenantry is in the middle of reading (as may another thread,
once Python code runs). That is Python's own ``RuntimeError`` ("dictionary changed size during
iteration"), as a ``for`` loop over the dict raises: never a ``pyo3_runtime.PanicException`` (a
``BaseException`` that ``except Exception`` lets through), and never a result read from freed
memory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

from tenantry import audit, limits, settings
from tenantry.apikeys import ApiKeys
from tenantry.errors import ApiKeyError

SCHEMA = settings.SettingsSchema({"type": "object"})
ACTOR = {"type": "user", "id": "u"}
KEYS = ApiKeys("tk", {"p1": b"p" * 32})


class Meddler(Mapping[str, Any]):
    """A one-member mapping whose reading calls ``change(victim)`` first."""

    def __init__(self, victim: Dict[str, Any], change: Callable[[Dict[str, Any]], None]) -> None:
        self.victim = victim
        self.change = change

    def __getitem__(self, key: str) -> Any:
        self.change(self.victim)
        return 1

    def __iter__(self) -> Iterator[str]:
        return iter(["k"])

    def __len__(self) -> int:
        return 1


def grow(victim: Dict[str, Any]) -> None:
    victim["zzz_new_key"] = 1


def swap(victim: Dict[str, Any]) -> None:
    """Keeps the size but changes the keys: the first removed, one added."""
    victim.pop(next(iter(victim)))
    victim["zzz_new_key"] = 1


def changing(change: Callable[[Dict[str, Any]], None]) -> Dict[str, Any]:
    """A dict whose second member, read, changes the dict itself."""
    d: Dict[str, Any] = {"a": None}
    d["b"] = Meddler(d, change)
    return d


def changing_record(change: Callable[[Dict[str, Any]], None], member: str) -> Dict[str, Any]:
    """A stored API key record (read through serde, as it is not exactly the stored shape) whose
    ``member``, read, changes the record."""
    record: Dict[str, Any] = dict(KEYS.generate(now=1).record)
    record[member] = Meddler(record, change)
    return record


# (what, call with a dict that changes while it is read)
CALLS: List[Tuple[str, Callable[[Dict[str, Any]], object]]] = [
    ("settings validate", lambda d: SCHEMA.validate(d)),
    ("audit build metadata", lambda d: audit.build(actor=ACTOR, action="x.y", metadata=d)),
    ("settings merge_patch", lambda d: settings.merge_patch({}, d)),
    ("limits PlanCatalog", lambda d: limits.PlanCatalog({"f": d})),
]


@pytest.mark.parametrize("change, message", [(grow, "changed size"), (swap, "keys changed")])
@pytest.mark.parametrize("what, call", CALLS, ids=[what for what, _ in CALLS])
def test_a_dict_changed_while_read_is_a_runtime_error(
    what: str, call: Callable[[Dict[str, Any]], object], change: Callable[[Dict[str, Any]], None], message: str
) -> None:
    with pytest.raises(RuntimeError, match=f"dictionary {message} during iteration"):
        call(changing(change))


def test_a_layers_dict_changed_while_read_is_a_runtime_error() -> None:
    layers: Dict[str, Any] = {"org": {}}
    layers["tenant"] = Meddler(layers, grow)
    layers["user"] = {}
    with pytest.raises(RuntimeError, match="dictionary changed size during iteration"):
        SCHEMA.resolve(layers)


@pytest.mark.parametrize("change", [grow, swap])
def test_a_key_record_member_that_changes_the_record_is_not_read_or_is_refused(
    change: Callable[[Dict[str, Any]], None],
) -> None:
    # A member beyond the record's own is never read (a row's own columns), so its code never
    # runs: the record is not changed, and revoking it works.
    record = changing_record(change, "note")
    expected = {k: v for k, v in record.items() if k != "note"}
    assert KEYS.revoke(record, now=5) == {**expected, "revoked_at": 5}
    assert "zzz_new_key" not in record
    # One of its own members holding a Mapping is the wrong type, refused before anything else.
    with pytest.raises(ApiKeyError) as info:
        KEYS.revoke(changing_record(change, "name"), now=5)
    assert info.value.code == "apikey.invalid_record"


def test_a_dict_that_is_not_changed_still_reads() -> None:
    unchanged: Dict[str, Any] = {"a": None}
    unchanged["b"] = Meddler({}, grow)
    assert settings.merge_patch({}, unchanged) == {"b": {"k": 1}}
    SCHEMA.validate(unchanged)
