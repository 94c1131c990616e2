"""The stubs take ``Sequence[...]`` wherever a list of items goes, and the runtime takes any
``collections.abc.Sequence`` there, as it takes any ``Mapping`` where a dict goes: a ``tuple``, a
``collections.UserList``, a ``range``-like custom sequence, a SQLAlchemy result list. They were a
``TypeError`` ("not JSON-serializable", "must be a str or a list of str"). Text (``str``,
``bytes``) is no sequence of items there: JSON text where the stubs take it, else a TypeError."""

from __future__ import annotations

from collections import UserList
from collections.abc import Sequence
from typing import Any, Callable, Iterable, List, Tuple, TypeVar, overload

import pytest

from tenantry import audit, limits, settings, webhooks
from tenantry.apikeys import ApiKeys
from tenantry.webhooks import EventFilter, RetryPolicy, github

T = TypeVar("T")
NOW = 1_700_000_000
ACTOR = {"type": "user", "id": "u"}
KEY = audit.SealKey("k1", b"0123456789abcdef0123456789abcdef")
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SCHEMA = settings.SettingsSchema({"type": "object", "properties": {"a": {"type": "integer"}}})


class Seq(Sequence[T]):
    """A sequence that is neither a list nor a tuple (nor registered as one)."""

    def __init__(self, items: Iterable[T]) -> None:
        self.items = list(items)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Seq[T]: ...
    def __getitem__(self, i: Any) -> Any:
        return Seq(self.items[i]) if isinstance(i, slice) else self.items[i]

    def __len__(self) -> int:
        return len(self.items)


def sealed() -> List[dict[str, Any]]:
    first = audit.build_sealed(None, KEY, actor=ACTOR, action="user.login", occurred_at=NOW, id="e1")
    return [first, audit.build_sealed(first["hash"], KEY, actor=ACTOR, action="user.logout", occurred_at=NOW + 1, id="e2")]


RECORDS = sealed()
CHANGES = [{"path": "/a", "before": 1, "after": 2}]
LAYERS: List[Tuple[str, Any]] = [("org", {"a": 1}), ("tenant", {"a": 2})]

# (what, call with the items as a list, as a tuple, as a Seq, ...): each answers alike.
CASES: List[Tuple[str, Callable[[Callable[[List[Any]], Sequence[Any]]], object]]] = [
    ("audit.verify_chain records", lambda s: audit.verify_chain(s(RECORDS), KEY).head),
    ("audit.verify_chain key", lambda s: audit.verify_chain(RECORDS, s([KEY])).head),
    ("audit.to_csv", lambda s: audit.to_csv(s(RECORDS))),
    ("audit.to_jsonl", lambda s: audit.to_jsonl(s(RECORDS))),
    ("audit.summarize", lambda s: audit.summarize(s(RECORDS))),
    ("audit.build changes", lambda s: audit.build(actor=ACTOR, action="x.y", changes=s(CHANGES), occurred_at=NOW, id="e")),
    ("audit.build sensitive_paths", lambda s: audit.build(actor=ACTOR, action="x.y", before={"a": 1}, after={"a": 2},
                                                          sensitive_paths=s(["/a"]), occurred_at=NOW, id="e")),
    ("webhooks.Webhook", lambda s: webhooks.Webhook(s([SECRET])).sign("msg_1", b"{}", NOW)),
    ("github.verify", lambda s: github.verify(b"x", github.sign(b"x", "s"), s(["t", "s"]))),
    ("SettingsSchema.resolve", lambda s: SCHEMA.resolve(s(LAYERS)).value),
    ("RetryPolicy schedule", lambda s: RetryPolicy(s([5, 60])).delays),
    ("EventFilter", lambda s: EventFilter(s(["a.*"])).patterns),
    ("limits.crossed", lambda s: limits.crossed(0, 10, 10, s([0.5, 1.0]))),
    ("ApiKeys environments", lambda s: ApiKeys("tk", {"p1": b"p" * 32}, environments=s(["live", "test"]))
     .generate_with_random(bytes(30), environment="test", now=1).record),
    ("ApiKeys.generate scopes", lambda s: ApiKeys("tk", {"p1": b"p" * 32}).generate_with_random(bytes(30), scopes=s(["docs:read"]), now=1).record),
]


@pytest.mark.parametrize("what, call", CASES, ids=[what for what, _ in CASES])
def test_any_sequence_reads_as_a_list(what: str, call: Callable[[Callable[[List[Any]], Sequence[Any]]], object]) -> None:
    expected = call(list)
    assert call(tuple) == expected, what
    assert call(Seq) == expected, what
    assert call(UserList) == expected, what


def test_an_empty_sequence_is_empty() -> None:
    assert audit.verify_chain(Seq([])).ok
    assert audit.to_csv(Seq([])) == audit.to_csv([])


def test_items_are_still_checked() -> None:
    with pytest.raises(TypeError, match="key must be a SealKey or a list of SealKey"):
        audit.verify_chain(RECORDS, Seq([KEY, "k1"]))  # type: ignore[list-item]
    with pytest.raises(TypeError, match="secrets must be a list of str; item 1 is int"):
        webhooks.Webhook(Seq([SECRET, 5]))  # type: ignore[list-item]
    with pytest.raises(TypeError, match="each layer must be a"):
        SCHEMA.resolve(Seq(["org"]))  # type: ignore[list-item]


def test_text_is_not_a_sequence_of_items() -> None:
    with pytest.raises(TypeError, match="secret must be a str or a list of str, not bytes"):
        webhooks.Webhook(b"whsec_x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="secret_or_secrets must be a str or a list of str, not bytes"):
        github.verify(b"x", "sha256=00", b"s")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="key must be a SealKey or a list of SealKey, not str"):
        audit.verify_chain(RECORDS, "k1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="layers must be a list of"):
        SCHEMA.resolve(bytearray(b"[]"))  # type: ignore[arg-type]
    # JSON text where the stubs take it.
    assert audit.to_csv("[" + ",".join(audit.to_jsonl(RECORDS).splitlines()) + "]") == audit.to_csv(RECORDS)


def test_a_record_sequence_is_read_once_in_order() -> None:
    reads: List[int] = []

    class Counting(Seq[Any]):
        def __getitem__(self, i: Any) -> Any:
            if isinstance(i, int):
                reads.append(i)
            return super().__getitem__(i)

    assert audit.verify_chain(Counting(RECORDS), KEY).ok
    assert reads == [0, 1, 2]  # the Sequence mixin's __iter__ reads until IndexError
