"""How deep JSON data may nest (``tenantry::json_tree::MAX_DEPTH``, 100 levels): every call that
takes data refuses a value deeper than that, or one that contains itself, with the core's
``InvalidInputError`` (``input.invalid``). The depths below are Node's too
(bindings-node/test/json-depth.test.js holds the same table)."""

from __future__ import annotations

import json
from typing import Any, Callable, List, Tuple

import pytest

from tenantry import InvalidInputError, audit
from tenantry.limits import PlanCatalog
from tenantry.settings import SettingsSchema, merge_patch
from tenantry.webhooks import build_event

MESSAGE = "value nests deeper than 100 levels, or contains itself (a circular reference)"
ACTOR = {"type": "user", "id": "u1"}
FREE = SettingsSchema({"type": "object"}, max_depth=1000)


def nest(n: int) -> Any:
    """The number 1 inside ``n`` nested lists: a value whose deepest part lies ``n`` levels down."""
    value: Any = 1
    for _ in range(n):
        value = [value]
    return value


def catalog() -> PlanCatalog:
    return PlanCatalog({"free": {"limits": {"seats": 1}}})


# (call, deepest ``n`` whose ``nest(n)`` the call takes): ``x`` goes one level into a document (two
# into a list of records), so most calls take 99.
CALLS: List[Tuple[str, Callable[[Any], Any], int]] = [
    ("audit.build before", lambda x: audit.build(action="a.b", actor=ACTOR, before={"x": x}, after={}), 99),
    ("audit.build metadata", lambda x: audit.build(action="a.b", actor=ACTOR, metadata={"x": x}), 99),
    ("audit.build changes", lambda x: audit.build(action="a.b", actor=ACTOR, changes=[{"path": "/a", "before": x}]), 98),
    ("audit.build_sealed", lambda x: audit.build_sealed(None, None, action="a.b", actor=ACTOR, before={"x": x}, after={}), 99),
    ("audit.canonical_json", lambda x: audit.canonical_json(x), 100),
    ("audit.seal", lambda x: audit.seal({"x": x}, None), 99),
    ("audit.verify_chain", lambda x: audit.verify_chain([{"x": x}]), 98),
    ("audit.to_csv", lambda x: audit.to_csv([{"x": x}]), 98),
    ("audit.to_jsonl", lambda x: audit.to_jsonl([{"x": x}]), 98),
    ("audit.to_ocsf", lambda x: audit.to_ocsf({"x": x}), 99),
    ("audit.summarize", lambda x: audit.summarize([{"x": x}]), 98),
    ("SettingsSchema()", lambda x: SettingsSchema({"type": "object", "default": {"x": x}}), 98),
    ("SettingsSchema.validate", lambda x: FREE.validate({"x": x}), 99),
    ("SettingsSchema.etag", lambda x: FREE.etag({"x": x}), 99),
    ("SettingsSchema.view", lambda x: FREE.view({"x": x}), 99),
    ("SettingsSchema.entries", lambda x: FREE.entries({"x": x}), 99),
    ("SettingsSchema.get", lambda x: FREE.get({"x": x}, "x"), 99),
    ("SettingsSchema.resolve (pairs)", lambda x: FREE.resolve([("tenant", {"x": x})]), 99),
    ("SettingsSchema.resolve (dict)", lambda x: FREE.resolve({"tenant": {"x": x}}), 99),
    ("SettingsSchema.apply_patch", lambda x: FREE.apply_patch({}, {"x": x}), 99),
    ("SettingsSchema.set", lambda x: FREE.set({}, "x", x), 100),
    ("SettingsSchema.migrate", lambda x: FREE.migrate({"x": x}), 99),
    ("merge_patch", lambda x: merge_patch({}, {"x": x}), 99),
    ("build_event", lambda x: build_event("a.b", {"x": x}, 0), 99),
    ("PlanCatalog()", lambda x: PlanCatalog({"x": x}), 99),
    ("PlanCatalog.entitlements overrides", lambda x: catalog().entitlements("free", {"x": x}), 99),
]
NAMES = [name for name, _, _ in CALLS]


def too_deep(err: BaseException) -> bool:
    return isinstance(err, InvalidInputError) and err.code == "input.invalid" and str(err) == MESSAGE


def outcome(call: Callable[[Any], Any], value: Any) -> str:
    try:
        call(value)
    except Exception as err:  # noqa: BLE001 - any other refusal means the depth was taken
        if too_deep(err):
            return "too deep"
    return "taken"


@pytest.mark.parametrize("name,call,deepest", CALLS, ids=NAMES)
def test_data_to_the_limit_is_taken_one_level_more_is_the_core_error(
    name: str, call: Callable[[Any], Any], deepest: int
) -> None:
    assert outcome(call, nest(deepest)) == "taken"
    assert outcome(call, nest(deepest + 1)) == "too deep"


@pytest.mark.parametrize("name,call,deepest", CALLS, ids=NAMES)
def test_data_that_contains_itself_or_nests_far_deeper_is_the_same_error(
    name: str, call: Callable[[Any], Any], deepest: int
) -> None:
    cyclic: dict[str, Any] = {"a": 1}
    cyclic["self"] = cyclic
    circle: list[Any] = [1]
    circle.append(circle)
    for value in (cyclic, circle, nest(10_000)):
        with pytest.raises(InvalidInputError) as info:
            call(value)
        assert too_deep(info.value)


def test_json_text_is_held_by_its_parser_instead() -> None:
    def text(n: int) -> str:
        return "[" * n + "]" * n

    assert audit.canonical_json(json.loads(text(101))) == text(101)
    merge_patch({}, '{"x": %s}' % text(120))
    with pytest.raises(InvalidInputError) as info:
        audit.verify_chain(text(128))
    assert info.value.code == "input.invalid_json"
