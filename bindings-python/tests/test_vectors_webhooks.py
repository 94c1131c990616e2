"""Runs tests/vectors/webhooks.json against the Python package."""

from __future__ import annotations

import base64
from typing import Any, Dict

import pytest
from conftest import check_case, load_vectors, payload

from tenantry.webhooks import EventFilter, RetryPolicy, Webhook, build_event, github, message_id_from, slack, stripe


def policy(spec: Dict[str, Any]) -> RetryPolicy:
    options = {k: spec[k] for k in ("jitter", "disable_after", "max_retry_after") if k in spec}
    if "exponential" in spec:
        e = spec["exponential"]
        return RetryPolicy.exponential(
            e["initial_delay"], e["max_delay"], e["max_retries"], factor=e["factor"], **options
        )
    return RetryPolicy(spec.get("schedule"), **options)


def run(op: str, inp: Dict[str, Any]) -> Any:
    if op == "standard.sign":
        return Webhook(inp["secrets"]).sign(inp["msg_id"], payload(inp), timestamp=inp["timestamp"])
    if op == "standard.verify":
        # An object, or [name, value] pairs when a header comes several times (as ASGI gives them).
        headers = inp["headers"]
        if isinstance(headers, list):
            headers = [(name, value) for name, value in headers]
        return Webhook(inp["secrets"]).verify(
            payload(inp), headers, tolerance=inp.get("tolerance", 300), now=inp["now"]
        )
    if op == "stripe.sign":
        return stripe.sign(payload(inp), inp["secret"], inp["timestamp"])
    if op == "stripe.verify":
        return stripe.verify(
            payload(inp), inp["header"], inp["secret"], tolerance=inp.get("tolerance", 300), now=inp["now"]
        )
    if op == "github.sign":
        return github.sign(payload(inp), inp["secret"])
    if op == "github.verify":
        return github.verify(payload(inp), inp["header"], inp["secret"] if "secret" in inp else inp["secrets"])
    if op == "slack.sign":
        return slack.sign(payload(inp), inp["secret"], inp["timestamp"])
    if op == "slack.verify":
        return slack.verify(
            payload(inp),
            inp["timestamp_header"],
            inp["signature_header"],
            inp["secret"],
            tolerance=inp.get("tolerance", 300),
            now=inp["now"],
        )
    if op == "retry.decide":
        return policy(inp["policy"]).decide(
            inp["attempt"],
            inp["status"],
            inp["retry_after"],
            first_failure_at=inp["first_failure_at"],
            now=inp["now"],
            jitter_sample=inp.get("jitter_sample"),
        )
    if op == "retry.policy":
        p = policy(inp["policy"])
        return {"delays": p.delays, "max_attempts": p.max_attempts}
    if op == "event.build":
        data = base64.b64decode(inp["data_bytes_b64"]) if "data_bytes_b64" in inp else inp["data"]
        return build_event(inp["type"], data, inp["timestamp_ms"] / 1000).decode()
    if op == "event.message_id":
        return message_id_from(inp["unix_millis"], bytes.fromhex(inp["entropy_hex"]))
    if op == "filter.matches":
        return EventFilter(inp["patterns"]).matches(inp["type"])
    if op == "filter.patterns":
        return EventFilter(inp["patterns"]).patterns
    raise AssertionError(f"unknown op {op}")


@pytest.mark.parametrize("case", load_vectors("webhooks"), ids=lambda c: c["name"])
def test_vector(case: Dict[str, Any]) -> None:
    check_case(case, lambda inp: run(case["op"], inp))
