"""The delivery side: RetryPolicy, EventFilter, message_id, build_event (vectors cover exact values;
these cover the Python surface: defaults, randomness, input forms and bad input)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import tenantry
from tenantry.webhooks import EventFilter, RetryPolicy, Webhook, build_event, message_id, message_id_from

NOW = 1_700_000_000


def test_default_policy_is_the_svix_schedule() -> None:
    policy = RetryPolicy()
    assert policy.delays == [5, 300, 1800, 7200, 18000, 36000, 36000]
    assert policy.max_attempts == 8
    assert "RetryPolicy(delays=[5, 300" in repr(policy)


def test_decide_walks_the_schedule_to_dead_letter() -> None:
    policy, now, attempt = RetryPolicy(), NOW, 1
    first_failure = now
    while True:
        decision = policy.decide(attempt, 500, first_failure_at=first_failure, now=now)
        if decision["action"] != "retry":
            break
        assert decision["next_attempt"] == attempt + 1
        now, attempt = decision["retry_at"], decision["next_attempt"]
    assert attempt == 8
    assert decision == {"action": "give_up", "reason": "attempts_exhausted"}
    assert now - first_failure == sum(policy.delays)


def test_decide_accepts_datetimes_and_defaults_now() -> None:
    at = datetime(2024, 5, 1, tzinfo=timezone.utc)
    decision = RetryPolicy().decide(1, 503, "Wed, 01 May 2024 01:00:00 GMT", now=at)
    assert decision == {"action": "retry", "retry_at": int(at.timestamp()) + 3600, "next_attempt": 2}
    failing = RetryPolicy().decide(2, None, first_failure_at=at - timedelta(days=6), now=at)
    assert failing == {"action": "disable_endpoint", "reason": "failing_too_long"}
    live = RetryPolicy().decide(1, None)
    assert live["action"] == "retry"


def test_jitter_stays_within_bounds() -> None:
    policy = RetryPolicy([1000], jitter=0.25)
    seen = set()
    for _ in range(200):
        decision = policy.decide(1, 500, now=0)
        assert decision["action"] == "retry"
        assert 750 <= decision["retry_at"] <= 1250
        seen.add(decision["retry_at"])
    assert len(seen) > 20


def test_exponential_policy() -> None:
    policy = RetryPolicy.exponential(2, 60, 6)
    assert policy.delays == [2, 4, 8, 16, 32, 60]
    assert RetryPolicy.exponential(1, 100, 3, factor=10.0).delays == [1, 10, 100]


@pytest.mark.parametrize(
    "make,code",
    [
        (lambda: RetryPolicy([-5]), "webhook.invalid_config"),
        (lambda: RetryPolicy(jitter=-0.1), "webhook.invalid_config"),
        (lambda: RetryPolicy(disable_after=-1), "webhook.invalid_config"),
        (lambda: RetryPolicy.exponential(10, 5, 3), "webhook.invalid_config"),
        (lambda: RetryPolicy.exponential(1, 5, 3, factor=float("nan")), "webhook.invalid_config"),
        (lambda: RetryPolicy.exponential(1, 5, -1), "input.invalid"),
        (lambda: RetryPolicy().decide(0, 500, now=NOW), "input.invalid"),
        (lambda: RetryPolicy().decide(-1, 500, now=NOW), "input.invalid"),
        (lambda: RetryPolicy().decide(2**40, 500, now=NOW), "input.invalid"),
        (lambda: RetryPolicy().decide(1, 70000, now=NOW), "input.invalid"),
        (lambda: RetryPolicy().decide(1, 500, now=NOW, jitter_sample=2.0), "input.invalid"),
        (lambda: RetryPolicy().decide(1, 500, now=datetime(2024, 1, 1)), "input.invalid_time"),
        (lambda: EventFilter([]), "webhook.invalid_config"),
        (lambda: EventFilter(["invoice.*.paid"]), "webhook.invalid_config"),
        (lambda: build_event("bad type", {}, NOW), "webhook.invalid_event_type"),
        (lambda: build_event("ok", "{not json", NOW), "input.invalid_json"),
        (lambda: build_event("ok", {"x": float("inf")}, NOW), "input.invalid"),
        (lambda: build_event("ok", {}, -1), "input.invalid_time"),
        (lambda: message_id_from(0, b"short"), "input.invalid"),
        (lambda: message_id_from(-1, bytes(10)), "input.invalid_time"),
    ],
)
def test_bad_values_raise_typed_errors(make: Any, code: str) -> None:
    with pytest.raises(tenantry.TenantryError) as info:
        make()
    assert info.value.code == code


@pytest.mark.parametrize(
    "make",
    [
        lambda: RetryPolicy("5,300"),
        lambda: RetryPolicy([5.5]),
        lambda: RetryPolicy(jitter="0.1"),
        # A bool is not a number here, as for the whole-number arguments.
        lambda: RetryPolicy(jitter=True),
        lambda: RetryPolicy(jitter=False),
        lambda: RetryPolicy.exponential(1, 100, 5, factor=True),
        lambda: RetryPolicy.exponential(1, 100, 5, jitter=True),
        lambda: RetryPolicy(jitter=0.5).decide(1, 500, jitter_sample=True),
        lambda: RetryPolicy(jitter=0.5).decide(1, 500, jitter_sample=False),
        lambda: RetryPolicy().decide("1", 500),
        lambda: RetryPolicy().decide(1, "500"),
        lambda: RetryPolicy().decide(1, 503, 120),
        lambda: EventFilter("invoice.*"),
        lambda: EventFilter([1]),
        lambda: EventFilter(["*"]).matches(None),
        lambda: build_event(None, {}),
        lambda: build_event("ok", object()),
        lambda: build_event("ok", {1: "x"}),
        lambda: message_id_from("0", bytes(10)),
        lambda: message_id_from(0, "0123456789"),
    ],
)
def test_wrong_types_raise_type_error(make: Any) -> None:
    with pytest.raises(TypeError):
        make()


def test_filter_surface() -> None:
    f = EventFilter(("invoice.*", "user.created"))
    assert f.patterns == ["invoice.*", "user.created"]
    assert f.matches("invoice.paid") and not f.matches("user.deleted")
    assert repr(f) == "EventFilter(['invoice.*', 'user.created'])"


def test_message_ids_are_unique_sortable_and_valid() -> None:
    ids = [message_id() for _ in range(1000)]
    assert len(set(ids)) == 1000
    assert all(re.fullmatch(r"msg_[0-9A-HJKMNP-TV-Z]{26}", i) for i in ids)
    older = message_id_from(1_600_000_000_000, b"\xff" * 10)
    assert older < ids[0]
    # Usable as a Standard Webhooks message id.
    Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign(ids[0], b"{}")


def test_build_event_accepts_python_data_and_json_text() -> None:
    data = {"b": [1, 2.5, None, True], "a": "Zoë"}
    body = build_event("invoice.paid", data, 1_700_000_000)
    assert body == build_event("invoice.paid", json.dumps(data), 1_700_000_000)
    assert body == build_event("invoice.paid", json.dumps(data).encode(), datetime.fromtimestamp(1_700_000_000, timezone.utc))
    assert json.loads(body) == {"type": "invoice.paid", "timestamp": "2023-11-14T22:13:20.000Z", "data": data}
    assert body.startswith(b'{"type":"invoice.paid","timestamp":"2023-11-14T22:13:20.000Z","data":{"a":"Zo')
    assert build_event("ping", None, 1.5) == b'{"type":"ping","timestamp":"1970-01-01T00:00:01.500Z","data":null}'
    assert json.loads(build_event("ping", {}))["timestamp"].endswith("Z")
    # A str is JSON text (as in Node), so string data is given as its text.
    assert json.loads(build_event("ping", json.dumps("hello")))["data"] == "hello"
    assert json.loads(build_event("ping", "123"))["data"] == 123


def test_real_number_options_take_floats_and_ints_but_not_bools() -> None:
    assert RetryPolicy(jitter=1).decide(2, 500, now=1_000, jitter_sample=0) == RetryPolicy(jitter=1.0).decide(
        2, 500, now=1_000, jitter_sample=0.0
    )
    assert RetryPolicy.exponential(1, 100, 3, factor=3).delays == [1, 3, 9]
    for call, name in [
        (lambda: RetryPolicy.exponential(1, 100, 3, factor=True), "factor"),
        (lambda: RetryPolicy(jitter=True), "jitter"),
        (lambda: RetryPolicy(jitter=0.5).decide(1, 500, jitter_sample=True), "jitter_sample"),
    ]:
        with pytest.raises(TypeError, match="must be a float, not bool") as info:
            call()
        said = " ".join([str(info.value), *getattr(info.value, "__notes__", [])])
        assert f"'{name}'" in said, said
