"""Documents are read without copying their strings (the audit hot path), but Python code may run
while tenantry holds them: a ``Mapping`` that is not a dict is read through its own methods, and a
``Mapping`` argument read after a document (``metadata`` after ``after``) runs its code while the
document is still in use. That code (or another thread it lets run) may replace or delete the
strings tenantry is reading. Results must hold the text the caller gave, never freed memory.

Each test frees a string tenantry already read, then makes many strings of the same size, which
land in the freed memory: a result read from it shows their text."""

from __future__ import annotations

import json
import sys
import threading
from collections import UserDict
from collections.abc import Mapping
from typing import Any, Callable, Dict, Iterator, List

import pytest

from tenantry import audit

ACTOR = {"type": "user", "id": "u"}
KEY = audit.SealKey("k1", b"0123456789abcdef0123456789abcdef")
FIELDS: Dict[str, Any] = {"actor": ACTOR, "action": "setting.updated", "occurred_at": 1_700_000_000, "id": "e1"}


def fresh(text: str) -> str:
    """A new `str` object with this text, held by nothing else (not a shared constant)."""
    return "".join(list(text))


def churn() -> List[str]:
    """Many new strings of the sizes the tests free, to fill freed memory."""
    return [fresh("Q" * 37 + str(i)) for i in range(3000)] + [fresh("Q" * 47 + str(i)) for i in range(3000)]


class Runs(Mapping[str, Any]):
    """A one-member mapping whose reading runs `code` first."""

    def __init__(self, code: Callable[[], None]) -> None:
        self.code = code

    def __getitem__(self, key: str) -> Any:
        self.code()
        churn()
        return 1

    def __iter__(self) -> Iterator[str]:
        return iter(["k"])

    def __len__(self) -> int:
        return 1


def test_a_mapping_inside_a_document_frees_strings_read_before_it() -> None:
    for trial in range(5):
        inner = {"secret_" + "a" * 30 + str(trial): fresh("value_" + "b" * 40 + str(trial))}
        doc = {"inner": inner, "zz": Runs(inner.clear)}
        expected = audit.canonical_json({"inner": dict(inner), "zz": {"k": 1}})
        assert audit.canonical_json(doc) == expected


NOTE, PLAN, NAME = "v" + "p" * 46, "t" * 48, "name_" + "n" * 42


def test_a_mapping_inside_after_frees_strings_read_before_it() -> None:
    plain = audit.build(**FIELDS, before={}, after={"inner": {"note": NOTE}, "row": {"k": 1}})
    inner = {"note": fresh(NOTE)}
    after = {"inner": inner, "row": Runs(inner.clear)}
    assert audit.build(**FIELDS, before={}, after=after) == plain


def test_metadata_read_after_the_documents_frees_their_strings() -> None:
    plain = audit.build(**FIELDS, before={"plan": "x"}, after={NAME: NOTE, "plan": PLAN}, metadata={"k": 1})
    before: Dict[str, Any] = {"plan": fresh("x")}
    after: Dict[str, Any] = {fresh(NAME): fresh(NOTE), "plan": fresh(PLAN)}

    def replace() -> None:
        after.clear()  # frees the member name NAME too
        after["plan"] = "other"

    built = audit.build(**FIELDS, before=before, after=after, metadata=Runs(replace))
    assert built == plain
    sealed = audit.build_sealed(None, KEY, **FIELDS, before={}, after={"n": fresh("w" * 47)}, metadata=Runs(churn))
    assert audit.verify_chain([sealed], KEY).ok


def test_keys_read_after_the_records_free_their_strings() -> None:
    record = audit.build_sealed(None, KEY, **{**FIELDS, "action": fresh("setting.updated")})

    class Keys(List[audit.SealKey]):
        def __iter__(self) -> Iterator[audit.SealKey]:
            record["action"] = fresh(record["action"])  # the same text, another object: frees the first
            churn()
            return super().__iter__()

    assert audit.verify_chain([record], Keys([KEY])).ok


def test_strings_replaced_by_another_thread_while_a_mapping_runs() -> None:
    """What the two tests above do in one thread, another thread does at any time."""
    shared: Dict[str, Any] = {"note": "init", "row": UserDict({"x": 1})}
    stop = False

    def writer() -> None:
        i = 0
        while not stop:
            shared["note"] = "v%08d-" % i + "p" * 40  # frees the previous note
            _ = ["G%08d-" % j + "g" * 40 for j in range(8)]
            i += 1

    def good(note: Any) -> bool:
        return isinstance(note, str) and (note == "init" or (note.startswith("v") and note.endswith("p" * 40) and len(note) == 50))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(20000):
            assert good(json.loads(audit.canonical_json(shared))["note"])
            built = audit.build(**FIELDS, before={}, after=shared)
            notes = [c["after"] for c in built["changes"] if c["path"] == "/note"]
            assert all(good(n) for n in notes), notes
    finally:
        stop = True
        thread.join()
        sys.setswitchinterval(interval)


@pytest.mark.parametrize("value", [{"a": "x", "b": [1, "y", {"c": None}]}, ["x", 1.5, True, None, 2**53, -(2**53)], "x", 3])
def test_plain_data_reads_as_before(value: Any) -> None:
    assert audit.canonical_json(value) == audit.canonical_json(UserDict({"v": value}))[5:-1]
