"""Runs tests/vectors/audit.json against the Python package."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

import pytest
from conftest import check_case, load_vectors

from tenantry import audit


def key(k: Dict[str, str]) -> audit.SealKey:
    return audit.SealKey(k["id"], k["secret"].encode())


def keys(inp: Dict[str, Any]) -> Optional[List[audit.SealKey]]:
    return [key(k) for k in inp["keys"]] if "keys" in inp else None


def report(r: audit.ChainReport) -> Dict[str, Any]:
    return {"ok": r.ok, "index": r.index, "reason": r.reason, "head": r.head}


def run(op: str, inp: Dict[str, Any]) -> Any:
    if op == "build":
        return audit.build(**inp)
    if op == "build_sealed":
        k = key(inp["key"]) if "key" in inp else None
        return audit.build_sealed(inp["previous_hash"], k, **inp["fields"])
    if op == "seal":
        k = key(inp["key"]) if "key" in inp else None
        return audit.seal(inp["record"], inp["previous_hash"], k)
    if op == "verify_chain":
        # `key`: one SealKey, not a list (verify_chain takes either).
        chain_keys: Union[audit.SealKey, List[audit.SealKey], None] = key(inp["key"]) if "key" in inp else keys(inp)
        return report(audit.verify_chain(inp["records"], chain_keys, anchor=inp.get("anchor")))
    if op == "canonical_json":
        return audit.canonical_json(inp["value"])
    if op == "to_csv":
        return audit.to_csv(inp["records"])
    if op == "to_jsonl":
        return audit.to_jsonl(inp["records"])
    if op == "to_ocsf":
        return audit.to_ocsf(inp["record"])
    if op == "summarize":
        return audit.summarize(inp["records"])
    if op == "retention_cutoff":
        return audit.retention_cutoff(inp["now"], inp["days"])
    if op == "actions":
        return audit.actions()
    raise AssertionError(f"unknown op {op}")


@pytest.mark.parametrize("case", load_vectors("audit"), ids=lambda c: c["name"])
def test_vector(case: Dict[str, Any]) -> None:
    check_case(case, lambda inp: run(case["op"], inp))
