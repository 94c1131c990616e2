"""Shared helpers for the Python suite: loading the conformance vectors in tests/vectors/."""

from __future__ import annotations

import base64
import json
import pathlib
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Type

import pytest

import tenantry

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"

# The exception class each error code is raised as: the core's ErrorCode::class
# (core/src/error.rs), which the Rust runner checks every vector code against. A code missing
# here fails the case, so a new code must be placed in its family before a vector uses it.
ERROR_CLASSES: Dict[str, Type[tenantry.TenantryError]] = {
    "input.invalid": tenantry.InvalidInputError,
    "input.invalid_json": tenantry.InvalidInputError,
    "input.invalid_time": tenantry.InvalidInputError,
    "webhook.invalid_secret": tenantry.WebhookError,
    "webhook.invalid_message_id": tenantry.WebhookError,
    "webhook.cannot_sign": tenantry.WebhookError,
    "webhook.invalid_config": tenantry.WebhookError,
    "webhook.invalid_event_type": tenantry.WebhookError,
    "webhook.missing_header": tenantry.WebhookVerificationError,
    "webhook.invalid_timestamp": tenantry.WebhookVerificationError,
    "webhook.timestamp_too_old": tenantry.WebhookVerificationError,
    "webhook.timestamp_too_new": tenantry.WebhookVerificationError,
    "webhook.no_matching_signature": tenantry.WebhookVerificationError,
    "webhook.invalid_signature_header": tenantry.WebhookVerificationError,
    "webhook.invalid_header": tenantry.WebhookVerificationError,
    "apikey.invalid_config": tenantry.ApiKeyError,
    "apikey.malformed": tenantry.ApiKeyError,
    "apikey.bad_checksum": tenantry.ApiKeyError,
    "apikey.invalid_scope": tenantry.ApiKeyError,
    "apikey.invalid_record": tenantry.ApiKeyError,
    "apikey.unknown_pepper": tenantry.ApiKeyError,
    "apikey.inactive": tenantry.ApiKeyError,
    "settings.invalid_schema": tenantry.SettingsError,
    "settings.validation_failed": tenantry.SettingsValidationError,
    "settings.concurrent_update": tenantry.ConcurrentUpdateError,
    "settings.unknown_key": tenantry.SettingsError,
    "settings.invalid_patch": tenantry.SettingsError,
    "limits.invalid_catalog": tenantry.LimitsError,
    "limits.unknown_plan": tenantry.LimitsError,
    "limits.unknown_metric": tenantry.LimitsError,
    "limits.invalid_config": tenantry.LimitsError,
    "limits.exceeded": tenantry.LimitExceededError,
    "limits.rate_limited": tenantry.LimitExceededError,
    "limits.invalid_usage": tenantry.LimitsError,
    "limits.invalid_overrides": tenantry.LimitsError,
    "audit.invalid_record": tenantry.AuditError,
    "audit.invalid_action": tenantry.AuditError,
    "audit.invalid_severity": tenantry.AuditError,
    "audit.invalid_ip": tenantry.AuditError,
    "audit.control_characters": tenantry.AuditError,
    "audit.too_large": tenantry.AuditError,
    "audit.invalid_key": tenantry.AuditError,
    "audit.invalid_retention": tenantry.AuditError,
}


def load_vectors(capability: str) -> List[Dict[str, Any]]:
    doc = json.loads((VECTORS / f"{capability}.json").read_text(encoding="utf-8"))
    cases: List[Dict[str, Any]] = doc["cases"]
    assert cases, f"no vectors in {capability}.json"
    return cases


def payload(inp: Dict[str, Any]) -> bytes:
    if "payload_b64" in inp:
        return base64.b64decode(inp["payload_b64"])
    return str(inp.get("payload", "")).encode()


def pins_messages(want: Any) -> bool:
    """Whether an expected issue list pins messages (else issues compare as {path, code})."""
    return isinstance(want, list) and any(isinstance(i, dict) and "message" in i for i in want)


def issues(errors: Sequence[Mapping[str, str]], want: Any) -> List[Dict[str, str]]:
    """Issues as a vector writes them: {path, code, message}, or {path, code} when `want` (the
    expected list) pins no message."""
    keys = ("path", "code", "message") if pins_messages(want) else ("path", "code")
    return [{k: e[k] for k in keys} for e in errors]


def json_diff(got: Any, want: Any, at: str = "") -> Optional[str]:
    """Where `got` differs from the JSON value `want`, or None: equality as the Rust runner's
    serde_json::Value has it, not Python's `==` (where True == 1 == 1.0). A bool is not a number,
    an int is not a float (1 and 1.0 differ, as the JSON text spells them), object members compare
    in any order, and only dict, list, str, int, float, bool and None are JSON at all (a tuple is
    not a list)."""
    where = at or "the result"
    if type(got) is not type(want):
        return f"{where}: {type(got).__name__} {got!r}, expected {type(want).__name__} {want!r}"
    if isinstance(want, dict):
        if got.keys() != want.keys():
            return f"{where}: members {sorted(got)}, expected {sorted(want)}"
        for k in want:
            diff = json_diff(got[k], want[k], f"{at}/{k}")
            if diff:
                return diff
        return None
    if isinstance(want, list):
        if len(got) != len(want):
            return f"{where}: {len(got)} items, expected {len(want)}: {got!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            diff = json_diff(g, w, f"{at}/{i}")
            if diff:
                return diff
        return None
    if want is None or isinstance(want, (bool, int, float, str)):
        return None if got == want else f"{where}: {got!r}, expected {want!r}"
    raise AssertionError(f"{where}: {want!r} is not a JSON value")


def check_error(case: Dict[str, Any], exc: tenantry.TenantryError) -> None:
    """The code, the class it maps to, and (when the vector gives one) the message of `exc`."""
    name = case["name"]
    assert exc.code == case["error"], f"{name}: {exc!r}"
    assert type(exc) is ERROR_CLASSES[case["error"]], f"{name}: {type(exc).__name__} for {exc.code}"
    if "message" in case:
        assert (exc.message, str(exc)) == (case["message"], case["message"]), f"{name}: {exc!r}"


def check_case(case: Dict[str, Any], run: Callable[[Dict[str, Any]], Any]) -> None:
    """Runs one vector: the result must equal `expect`, or the error must be `error` (its code, its
    class, and its `message` when given)."""
    if "error" in case:
        with pytest.raises(tenantry.TenantryError) as info:
            run(case["input"])
        check_error(case, info.value)
    else:
        got = run(case["input"])
        diff = json_diff(got, case["expect"])
        assert diff is None, f"{case['name']}: {diff}"
