"""Runs tests/vectors/settings.json against the Python package."""

from __future__ import annotations

import json
from typing import Any, Dict, Union

import pytest
from conftest import VECTORS, check_case, issues, load_vectors

import tenantry
from tenantry.settings import SettingsSchema, merge_patch

SCHEMAS = VECTORS.parents[1] / "examples" / "schemas"


def schema_source(inp: Dict[str, Any]) -> Any:
    src = inp["schema"]
    if isinstance(src, str):
        return json.loads((SCHEMAS / f"{src}.json").read_text(encoding="utf-8"))
    return src


def compile_schema(inp: Dict[str, Any]) -> SettingsSchema:
    return SettingsSchema(schema_source(inp), **inp.get("limits", {}))


def run(op: str, inp: Dict[str, Any], expect: Any) -> Any:
    if op == "compile":
        compile_schema(inp)
        return None
    if op == "schema":
        # The getters: the schema as given, and the limits documents are held to.
        schema = compile_schema(inp)
        return {"schema": schema.schema, "limits": schema.limits}
    if op == "defaults":
        return compile_schema(inp).defaults()
    if op == "validate":
        return compile_schema(inp).validate(inp["doc"])
    if op == "validate.issues":
        try:
            compile_schema(inp).validate(inp["doc"])
        except tenantry.SettingsValidationError as exc:
            return issues(exc.errors, expect)
        return []
    if op == "resolve":
        # Pairs as a list of tuples, or a mapping of documents by name, as given.
        layers = inp["layers"]
        r = compile_schema(inp).resolve(layers if isinstance(layers, dict) else [(n, d) for n, d in layers])
        return {"value": r.value, "provenance": r.provenance}
    if op in ("apply_patch", "set"):
        schema = compile_schema(inp)
        if op == "apply_patch":
            p = schema.apply_patch(
                inp["overrides"], inp["patch"], role=inp.get("role", "member"), expected_etag=inp.get("expected_etag")
            )
        else:
            p = schema.set(
                inp["overrides"], inp["key"], inp["value"], role=inp.get("role", "member"),
                expected_etag=inp.get("expected_etag"),
            )
        return {"overrides": p.overrides, "value": p.value, "changes": p.changes, "etag": p.etag}
    if op == "etag":
        return SettingsSchema({"type": "object"}).etag(inp["doc"])
    if op == "view":
        return compile_schema(inp).view(inp["doc"], inp.get("audience", "member"))
    if op == "entries":
        return compile_schema(inp).entries(inp["doc"], inp.get("audience", "admin"))
    if op == "get":
        return compile_schema(inp).get(inp["doc"], inp["key"])
    if op == "migrate":
        m = compile_schema(inp).migrate(inp["stored"])
        reset = issues(m.reset, expect.get("reset") if isinstance(expect, dict) else None)
        return {"overrides": m.overrides, "value": m.value, "dropped": m.dropped, "reset": reset}
    if op == "merge_patch":
        return merge_patch(inp["target"], inp["patch"])
    raise AssertionError(f"unknown op {op}")


def run_checked(case: Dict[str, Any], inp: Dict[str, Any]) -> Any:
    try:
        return run(case["op"], inp, case.get("expect"))
    except tenantry.TenantryError as exc:
        if "expect_issues" in inp:
            assert issues(exc.errors, inp["expect_issues"]) == inp["expect_issues"], case["name"]
        raise


@pytest.mark.parametrize("case", load_vectors("settings"), ids=lambda c: c["name"])
def test_vector(case: Dict[str, Any]) -> None:
    check_case(case, lambda inp: run_checked(case, inp))


# The document arguments, which every settings call also takes as JSON text (str or bytes).
TEXT_KEYS = ("doc", "overrides", "patch", "stored")


def as_json_text(inp: Dict[str, Any], encoding: str) -> Dict[str, Any]:
    """`inp` with every document as JSON text: all of them str, or all of them bytes (UTF-8), the
    documents inside `layers` included (pairs or a mapping)."""

    def text(doc: Any) -> Union[str, bytes]:
        encoded = json.dumps(doc, ensure_ascii=False)
        return encoded.encode() if encoding == "bytes" else encoded

    out = dict(inp)
    for key in TEXT_KEYS:
        if key in inp:
            out[key] = text(inp[key])
    layers = inp.get("layers")
    if isinstance(layers, list):
        out["layers"] = [(name, text(doc)) for name, doc in layers]
    elif isinstance(layers, dict):
        out["layers"] = {name: text(doc) for name, doc in layers.items()}
    return out


# merge_patch takes any JSON value (a str is a JSON string there) and compile has no document, so
# only the other operations are re-run with JSON text. Each case runs twice, with every document
# a str and with every document bytes, so that each form reaches every argument (alternating them
# by argument sent bytes only to `patch`, and `layers` never went as text).
@pytest.mark.parametrize("encoding", ["str", "bytes"])
@pytest.mark.parametrize(
    "case",
    [c for c in load_vectors("settings") if c["op"] not in ("merge_patch", "compile")],
    ids=lambda c: c["name"],
)
def test_vector_with_json_text(case: Dict[str, Any], encoding: str) -> None:
    """The same vectors with every document given as JSON text."""
    check_case(case, lambda inp: run_checked(case, as_json_text(inp, encoding)))
