"""The verify hot path reads a stored record dict field by field; every other shape goes through
serde. Both readers must give the same verdict, or the same error, for every record."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List

import pytest

from tenantry.apikeys import ApiKeys
from tenantry.errors import TenantryError

NOW = 1_700_000_000
keys = ApiKeys("tk", {"p1": b"k" * 32, "p0": b"o" * 32}, current_pepper="p1")
old_keys = ApiKeys("tk", {"p0": b"o" * 32})
issued = keys.generate(scopes=["settings:read", "webhooks:*"], name="ci", now=NOW)
old = old_keys.generate(scopes=["settings:read"], now=NOW)


class IntSub(int):
    pass


class DictSub(dict):  # type: ignore[type-arg]
    pass


def edits() -> List[Callable[[Dict[str, Any]], None]]:
    def setter(key: str, value: Any) -> Callable[[Dict[str, Any]], None]:
        return lambda r: r.__setitem__(key, value)

    def dropper(key: str) -> Callable[[Dict[str, Any]], None]:
        return lambda r: r.pop(key)

    out: List[Callable[[Dict[str, Any]], None]] = [lambda r: None]
    for key in ["name", "expires_at", "not_before", "revoked_at", "last_used_at", "masked", "disabled"]:
        out.append(dropper(key))
    values: List[Any] = [None, True, False, 0, 1, NOW - 10, NOW + 10, 1.5, float(NOW), IntSub(NOW), 2**70,
                         "x", "\udc80", [], ["settings:read"], ("settings:read",), {"a": 1}]
    for key in ["key_id", "hash", "pepper_id", "environment", "scopes", "name", "created_at", "expires_at",
                "not_before", "revoked_at", "disabled", "last_used_at", "masked"]:
        for value in values:
            out.append(setter(key, value))
    out.append(setter("keyId", "x"))
    out.append(setter("extra", 1))
    return out


def outcome(fn: Callable[[], Any]) -> Any:
    try:
        v = fn()
    except TenantryError as e:
        return ("error", type(e).__name__, e.code)
    except TypeError as e:
        return ("TypeError",)
    return (v.valid, v.code, v.key_id, v.environment, v.missing_scopes, v.rehash, v.touch)


@pytest.mark.parametrize("token,base", [(issued.token, issued.record), (old.token, old.record)])
def test_dict_fast_path_matches_serde(token: str, base: Dict[str, Any]) -> None:
    for i, edit in enumerate(edits()):
        record = dict(base)
        edit(record)
        for required in ([], ["settings:read"], ["webhooks:write", ["a:b", "settings:read"]], ["x:y"]):
            fast = outcome(lambda: keys.verify(token, record, required, now=NOW + 1))
            slow = outcome(lambda: keys.verify(token, DictSub(record), required, now=NOW + 1))
            assert fast == slow, (i, record, required)
            try:
                text = json.dumps(record)
            except (TypeError, ValueError, UnicodeEncodeError):
                continue
            if "\\udc80" in text:
                continue
            if any(type(v) is int and abs(v) > 2**53 for v in record.values()):
                # JSON text is held to the integer rule first (2**70 is no double's spelling).
                assert outcome(lambda: keys.verify(token, text, required, now=NOW + 1)) == (
                    "error", "InvalidInputError", "input.invalid_json")
                continue
            assert outcome(lambda: keys.verify(token, text, required, now=NOW + 1)) == fast, (i, record)


def test_the_fast_path_runs_on_stored_records() -> None:
    # A record as generate() returns it verifies (the shape the fast path reads).
    v = keys.verify(issued.token, issued.record, ["settings:read"], now=NOW + 1)
    assert v.valid and v.code == "VALID" and v.touch
    v = keys.verify(old.token, old.record, ["settings:read"], now=NOW + 1)
    assert v.valid and v.rehash is not None


def test_members_of_a_row_beyond_the_record_are_not_read() -> None:
    # A database row holds columns of its own beside the key record's. They are not read at all,
    # however deep (or self-containing) they are: walking one used to overflow the stack.
    deep: Any = 1
    for _ in range(20_000):
        deep = [deep]
    cyclic: Dict[str, Any] = dict(issued.record)
    cyclic["self"] = cyclic
    for row in ({**issued.record, "tenant_id": "t_1", "deep": deep}, cyclic):
        for record in (row, DictSub(row)):
            v = keys.verify(issued.token, record, ["settings:read"], now=NOW + 1)
            assert (v.valid, v.code, v.key_id) == (True, "VALID", issued.record["key_id"])
            assert keys.revoke(record, now=NOW + 5) == {**issued.record, "revoked_at": NOW + 5}
            assert keys.roll(record, grace=60, now=NOW + 5).previous == {**issued.record, "expires_at": NOW + 65}


def test_a_64_bit_row_id_is_not_read_and_a_datetime_field_is_refused_as_in_node() -> None:
    # The same rows as bindings-node/test/apikeys.test.js: Node refused the first and worded the
    # second "invalid type: map, expected i64".
    import datetime as dt

    for row in ({**issued.record, "rowid": 2**60}, {**issued.record, "rowid": 2**70}):
        assert keys.verify(issued.token, row, now=NOW + 1).code == "VALID"
    for name in ("expires_at", "revoked_at"):
        with pytest.raises(TenantryError) as info:
            keys.verify(issued.token, {**issued.record, name: dt.datetime.now(dt.timezone.utc)}, now=NOW + 1)
        assert (info.value.code, str(info.value)) == ("apikey.invalid_record", "invalid key record: datetime is not a JSON value")
