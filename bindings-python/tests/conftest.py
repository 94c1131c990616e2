"""Shared helpers for the Python suite: loading the conformance vectors in tests/vectors/."""

from __future__ import annotations

import base64
import json
import pathlib
from typing import Any, Callable, Dict, List

import pytest

import tenantry

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"


def load_vectors(capability: str) -> List[Dict[str, Any]]:
    doc = json.loads((VECTORS / f"{capability}.json").read_text(encoding="utf-8"))
    cases: List[Dict[str, Any]] = doc["cases"]
    assert cases, f"no vectors in {capability}.json"
    return cases


def payload(inp: Dict[str, Any]) -> bytes:
    if "payload_b64" in inp:
        return base64.b64decode(inp["payload_b64"])
    return str(inp.get("payload", "")).encode()


def check_case(case: Dict[str, Any], run: Callable[[Dict[str, Any]], Any]) -> None:
    """Runs one vector: the result must equal `expect`, or the error code must equal `error`."""
    if "error" in case:
        with pytest.raises(tenantry.TenantryError) as info:
            run(case["input"])
        assert info.value.code == case["error"], f"{case['name']}: {info.value!r}"
    else:
        assert run(case["input"]) == case["expect"], case["name"]
