"""Runs tests/vectors/apikeys.json against the Python package."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from conftest import check_case, load_vectors

from tenantry.apikeys import ApiKeys


def make_keys(config: Dict[str, Any]) -> ApiKeys:
    return ApiKeys(
        config["prefix"],
        {pid: text.encode() for pid, text in config["peppers"].items()},
        current_pepper=config.get("current_pepper"),
        environments=config.get("environments"),
        known_scopes=config.get("known_scopes"),
        touch_interval=config.get("touch_interval"),
    )


def run(op: str, inp: Dict[str, Any]) -> Any:
    keys = make_keys(inp["config"])
    if op == "new":
        return None
    if op == "generate":
        issued = keys.generate_with_random(
            bytes.fromhex(inp["random_hex"]),
            environment=inp.get("environment", "live"),
            scopes=inp.get("scopes"),
            expires_at=inp.get("expires_at"),
            not_before=inp.get("not_before"),
            name=inp.get("name"),
            now=inp["now"],
        )
        return {"token": issued.token, "record": issued.record}
    if op == "parse":
        parsed = keys.parse(inp["token"])
        return {"environment": parsed.environment, "key_id": parsed.key_id}
    if op == "hash_token":
        return keys.hash_token(inp["token"])
    if op == "secret_scanning_pattern":
        return keys.secret_scanning_pattern()
    if op == "verify":
        verdict = keys.verify(
            inp["token"], inp["record"], inp.get("required_scopes"), environment=inp.get("environment"), now=inp["now"]
        )
        out = verdict.to_dict()
        assert out == {
            "valid": verdict.valid,
            "code": verdict.code,
            "key_id": verdict.key_id,
            "environment": verdict.environment,
            "missing_scopes": verdict.missing_scopes,
            "rehash": verdict.rehash,
            "touch": verdict.touch,
        }
        return out
    if op == "roll":
        rolled = keys.roll_with_random(
            bytes.fromhex(inp["random_hex"]),
            inp["record"],
            grace=inp["grace"],
            now=inp["now"],
            expires_at=inp.get("expires_at"),
        )
        return {"token": rolled.token, "record": rolled.record, "previous": rolled.previous}
    if op == "revoke":
        return keys.revoke(inp["record"], now=inp["now"])
    raise AssertionError(f"unknown op {op}")


@pytest.mark.parametrize("case", load_vectors("apikeys"), ids=lambda c: c["name"])
def test_vector(case: Dict[str, Any]) -> None:
    check_case(case, lambda inp: run(case["op"], inp))
