"""Integers JSON data may hold (``tenantry::json_tree::exact_integer``): every integer up to 2^53,
and beyond, only the spelling RFC 8785 and JavaScript write for a double (2^60 is
1152921504606847000). Any other is refused where data comes in, as a Python int or written in
JSON text, instead of being hashed, compared and read in JavaScript as a different number: a
record holding 2^60 + 1 hashed as one holding 2^60, and a settings etag did not move from 2^53 to
2^53 + 1. bindings-node/test/json-numbers.test.js holds the same table of text calls."""

from __future__ import annotations

from typing import Any, Callable, List, Tuple

import pytest

from tenantry import InvalidInputError, audit
from tenantry.limits import PlanCatalog
from tenantry.settings import SettingsSchema
from tenantry.webhooks import build_event

ACTOR = {"type": "user", "id": "u1"}
FREE = SettingsSchema({"type": "object"})
# Past 64 bits too (serde_json reads those as doubles: 18446744073709551617 was 2^64 unseen).
REFUSED = ["9007199254740993", "-9007199254740993", "1152921504606846976", "1152921504606846977",
           "9223372036854775807", "18446744073709551615", "18446744073709551617", "-18446744073709551617",
           "1" + "0" * 40]
TAKEN = ["9007199254740992", "-9007199254740992", "1152921504606847000", "9223372036854776000", "1e300",
         "18446744073709552000", "100000000000000000000", "1.8446744073709551617e19"]


def document(n: str) -> str:
    return '{"x": %s}' % n


# Calls that take JSON text: (name, call with the text of a document holding the number).
TEXT_CALLS: List[Tuple[str, Callable[[str], Any]]] = [
    ("audit.seal", lambda t: audit.seal(t, None)),
    ("audit.verify_chain", lambda t: audit.verify_chain("[%s]" % t)),
    ("audit.to_jsonl", lambda t: audit.to_jsonl("[%s]" % t)),
    ("audit.build metadata", lambda t: audit.build(action="a.b", actor=ACTOR, metadata=t)),
    ("SettingsSchema()", lambda t: SettingsSchema('{"type": "object", "default": %s}' % t)),
    ("SettingsSchema.validate", lambda t: FREE.validate(t)),
    ("SettingsSchema.etag", lambda t: FREE.etag(t)),
    ("SettingsSchema.resolve", lambda t: FREE.resolve([("tenant", t)])),
    ("SettingsSchema.apply_patch", lambda t: FREE.apply_patch("{}", t)),
    ("build_event", lambda t: build_event("a.b", t, 0)),
    ("build_event (bytes)", lambda t: build_event("a.b", t.encode(), 0)),
    ("PlanCatalog()", lambda t: PlanCatalog('{"free": {"limits": %s}}' % t)),
]


@pytest.mark.parametrize("name,call", TEXT_CALLS, ids=[name for name, _ in TEXT_CALLS])
def test_json_text_holding_an_integer_rfc8785_writes_otherwise_is_refused(name: str, call: Callable[[str], Any]) -> None:
    for n in REFUSED:
        with pytest.raises(InvalidInputError) as info:
            call(document(n))
        assert info.value.code == "input.invalid_json"
        assert str(info.value).startswith(f"invalid JSON text: integer {n} is not exact as a JSON number")
    # Every call reads JSON text through one reader, so the message ends with the number's place,
    # and a number in a value that a repeated name overwrites is refused too (as in Node).
    with pytest.raises(InvalidInputError) as info:
        call('{"x": [\n %s], "x": 1}' % REFUSED[4])
    assert info.value.code == "input.invalid_json"
    assert str(info.value).endswith(" at line 2 column 20"), str(info.value)
    for n in TAKEN:  # read as written (a catalog may still find 1e300 too large for a limit)
        try:
            call(document(n))
        except Exception as err:  # noqa: BLE001
            assert getattr(err, "code", None) != "input.invalid_json", (n, err)


def test_python_ints_are_held_to_the_same_spellings() -> None:
    for n in REFUSED:
        for call in (lambda: audit.canonical_json({"x": int(n)}), lambda: FREE.etag({"x": [int(n)]}),
                     lambda: build_event("a.b", {"x": int(n)}, 0)):
            with pytest.raises(InvalidInputError, match=f"^integer {n} is not exact as a JSON number"):
                call()
    assert audit.canonical_json([2**53, -(2**53), 1152921504606847000]) == "[9007199254740992,-9007199254740992,1152921504606847000]"


def test_numbers_that_differ_never_hash_or_tag_alike_any_more() -> None:
    # Before: a sealed record's 2^60 + 1 edited to 2^60 verified, and both documents had one etag.
    sealed = audit.seal('{"id": 1152921504606847000}', None)
    assert audit.verify_chain([sealed]).ok
    assert not audit.verify_chain([dict(sealed, id=1152921504606848000)]).ok
    assert FREE.etag({"x": 2**53}) != FREE.etag({"x": 2**53 - 1})
