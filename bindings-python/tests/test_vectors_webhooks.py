"""Runs tests/vectors/webhooks.json against the Python package."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from conftest import check_case, load_vectors, payload

from tenantry.webhooks import Webhook


def run(op: str, inp: Dict[str, Any]) -> Any:
    if op == "standard.sign":
        return Webhook(inp["secrets"]).sign(inp["msg_id"], payload(inp), timestamp=inp["timestamp"])
    if op == "standard.verify":
        return Webhook(inp["secrets"]).verify(
            payload(inp), inp["headers"], tolerance=inp.get("tolerance", 300), now=inp["now"]
        )
    raise AssertionError(f"unknown op {op}")


@pytest.mark.parametrize("case", load_vectors("webhooks"), ids=lambda c: c["name"])
def test_vector(case: Dict[str, Any]) -> None:
    check_case(case, lambda inp: run(case["op"], inp))
