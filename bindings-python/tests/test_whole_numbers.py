"""Whole-number arguments take an ``int`` and nothing else: a ``bool`` (which Python counts as an
int) or a ``float`` is a ``TypeError``, in every call. A retention of ``True`` days was one day, a
retry schedule of ``[5, True]`` a one-second retry, and ``max_bytes=True`` a one-byte limit. Node
holds the same arguments to whole numbers (bindings-node/test/whole-numbers.test.js)."""

from __future__ import annotations

from typing import Any, Callable, List

import pytest

from tenantry import InvalidInputError, audit
from tenantry.limits import period_window
from tenantry.settings import SettingsSchema
from tenantry.webhooks import RetryPolicy, Webhook, message_id_from, slack, stripe

ACTOR = {"type": "user", "id": "u_1"}
NOW = 1_700_000_000
HEADER = stripe.sign(b"{}", "whsec_x", NOW)
WEBHOOK = Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")

CALLS: List[Callable[[Any], Any]] = [
    lambda n: stripe.verify(b"{}", HEADER, "whsec_x", tolerance=n, now=NOW),
    lambda n: slack.verify(b"{}", str(NOW), "v0=00", "s", tolerance=n, now=NOW),
    lambda n: WEBHOOK.verify(b"{}", WEBHOOK.sign("msg_1", b"{}", NOW), tolerance=n, now=NOW),
    lambda n: RetryPolicy([5, n]),
    lambda n: RetryPolicy(disable_after=n),
    lambda n: RetryPolicy(max_retry_after=n),
    lambda n: RetryPolicy.exponential(n, 60, 3),
    lambda n: RetryPolicy.exponential(1, n, 3),
    lambda n: RetryPolicy.exponential(1, 60, n),
    lambda n: RetryPolicy().decide(n, 500, now=NOW),
    lambda n: RetryPolicy().decide(1, n, now=NOW),
    lambda n: message_id_from(n, bytes(10)),
    lambda n: SettingsSchema({"type": "object"}, max_bytes=n),
    lambda n: SettingsSchema({"type": "object"}, max_depth=n),
    lambda n: SettingsSchema({"type": "object"}, max_string_length=n),
    lambda n: audit.build(action="a.b", actor=ACTOR, occurred_at=NOW, retention_days=n),
    lambda n: audit.build_sealed(None, None, action="a.b", actor=ACTOR, occurred_at=NOW, retention_days=n),
    lambda n: audit.build(action="a.b", actor=ACTOR, occurred_at=NOW, max_metadata_bytes=n),
    lambda n: audit.retention_cutoff(NOW, n),
]


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("number", [True, False, 2.5, float("nan")])
def test_bools_and_floats_are_type_errors(call: Callable[[Any], Any], number: Any) -> None:
    with pytest.raises(TypeError, match=r"\bnot (bool|float)\b"):
        call(number)


def test_whole_numbers_still_work_and_out_of_range_is_the_core_refusing_them() -> None:
    stripe.verify(b"{}", HEADER, "whsec_x", tolerance=600, now=NOW + 500)
    assert RetryPolicy([5, 300]).delays == [5, 300]
    assert RetryPolicy.exponential(1, 10, 3).delays == [1, 2, 4]
    assert RetryPolicy().decide(1, 503, now=NOW)["action"] == "retry"
    assert SettingsSchema({"type": "object"}, max_bytes=100).limits["max_bytes"] == 100
    assert audit.build(action="a.b", actor=ACTOR, occurred_at=0, retention_days=30)["expires_at"] == "1970-01-31T00:00:00.000Z"
    assert audit.retention_cutoff(100 * 86400) == "1970-01-11T00:00:00.000Z"
    with pytest.raises(InvalidInputError, match="must be positive"):
        SettingsSchema({"type": "object"}, max_bytes=-1)
    with pytest.raises(InvalidInputError, match="does not fit in 64 bits"):
        SettingsSchema({"type": "object"}, max_bytes=2**70)


def test_durations_are_whole_seconds_never_cut() -> None:
    """A duration is seconds as an int, or a float or timedelta without a fraction of a second: a
    ``touch_interval`` of 0.5 s was 0 (a write on every request), a ``grace`` of 1.5 s was 1, and
    a ``tz_offset`` of 3600.5 s was 3600."""
    import datetime as dt

    from tenantry.apikeys import ApiKeys

    keys = ApiKeys(prefix="tk", peppers={"p1": bytes(32)}, touch_interval=60.0)
    record = keys.generate(now=NOW).record
    assert keys.roll(record, grace=dt.timedelta(minutes=1), now=NOW).previous["expires_at"] == NOW + 60
    for fraction in (0.5, 1.5, dt.timedelta(seconds=1.5), dt.timedelta(microseconds=1)):
        # (Named as Node names them: it said "a duration in seconds must be ...".)
        with pytest.raises(InvalidInputError, match="^touch_interval must be a whole number"):
            ApiKeys(prefix="tk", peppers={"p1": bytes(32)}, touch_interval=fraction)
        with pytest.raises(InvalidInputError, match="^grace must be a whole number"):
            keys.roll(record, grace=fraction, now=NOW)
        # tz_offset is a duration as these are (a timedelta of 3600.5 s was a LimitsError, a float
        # of whole seconds a TypeError; Node says input.invalid for both).
        with pytest.raises(InvalidInputError, match="^tz_offset must be a whole number"):
            period_window("day", 0, NOW, fraction)
    with pytest.raises(TypeError, match="not bool"):
        period_window("day", 0, NOW, True)
    assert period_window("day", 0, NOW, dt.timedelta(hours=1)) == period_window("day", 0, NOW, 3600) \
        == period_window("day", 0, NOW, 3600.0)


def test_a_negative_metadata_limit_is_refused_not_zero() -> None:
    # It was cast to 0: "must be at most 0 bytes" for any metadata.
    with pytest.raises(InvalidInputError, match="^max_metadata_bytes must be zero or more, got -1$"):
        audit.build(action="a.b", actor=ACTOR, occurred_at=NOW, max_metadata_bytes=-1, metadata={"a": 1})
