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


def changing_record(change: Callable[[Dict[str, Any]], None]) -> Dict[str, Any]:
    """A stored API key record with one member more (so read through serde, which skips it)
    whose value, read, changes the record."""
    record: Dict[str, Any] = dict(KEYS.generate(now=1).record)
    record["note"] = Meddler(record, change)
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
def test_a_key_record_changed_while_read_is_a_runtime_error(change: Callable[[Dict[str, Any]], None]) -> None:
    with pytest.raises(RuntimeError, match="during iteration"):
        KEYS.revoke(changing_record(change), now=5)


def test_a_dict_that_is_not_changed_still_reads() -> None:
    unchanged: Dict[str, Any] = {"a": None}
    unchanged["b"] = Meddler({}, grow)
    assert settings.merge_patch({}, unchanged) == {"b": {"k": 1}}
    SCHEMA.validate(unchanged)
