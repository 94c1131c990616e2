"""API keys against Python's own stdlib: zlib.crc32, hmac and an independent base62 encoder, on
thousands of generated tokens; bad input of every kind; the token never in a repr, str or error."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import zlib
from datetime import datetime, timedelta, timezone
from typing import Any, List

import pytest

import tenantry
from tenantry.apikeys import ApiKeyError, ApiKeys

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
PEPPER = b"p" * 32
NOW = 1_700_000_000


def base62(n: int, width: int) -> str:
    digits: List[str] = []
    while n:
        n, r = divmod(n, 62)
        digits.append(ALPHABET[r])
    return "".join(reversed(digits)).rjust(width, "0")


@pytest.fixture(scope="module")
def keys() -> ApiKeys:
    return ApiKeys("tk", {"old": b"o" * 32, "p1": PEPPER}, current_pepper="p1", environments=["live", "test"])


def test_thousands_of_tokens_match_stdlib(keys: ApiKeys) -> None:
    pattern = re.compile(keys.secret_scanning_pattern())
    seen = set()
    for i in range(3000):
        env = "live" if i % 2 else "test"
        issued = keys.generate(environment=env, scopes=["settings:read"], now=NOW)
        token, record = issued.token, issued.record
        assert pattern.fullmatch(token), token
        prefix, environment, body = token.split("_")
        assert (prefix, environment) == ("tk", env)
        assert len(body) == 47 and body[-6:] == base62(zlib.crc32(body[:-6].encode()), 6)
        assert record["hash"] == hmac.new(PEPPER, token.encode(), hashlib.sha256).hexdigest()
        assert keys.hash_token(token) == record["hash"]
        assert record["key_id"] == body[:11] == keys.parse(token).key_id
        assert record["masked"] == f"tk_{env}_{body[:4]}\u2026{body[-4:]}"
        assert record["pepper_id"] == "p1" and record["created_at"] == NOW
        assert token not in json.dumps(record) and body[11:41] not in json.dumps(record)
        seen.add(token)
    assert len(seen) == 3000


def test_pattern_rejects_look_alikes(keys: ApiKeys) -> None:
    pattern = re.compile(keys.secret_scanning_pattern())
    token = keys.generate(now=NOW).token
    for bad in [token[:-1], token + "x", "tk_prod_" + token[8:], "gh_live_" + token[8:], token.replace("_", "-")]:
        assert not pattern.fullmatch(bad), bad


def test_verify_round_trip_and_codes(keys: ApiKeys) -> None:
    issued = keys.generate(scopes=["webhooks:*"], expires_at=NOW + 3600, now=NOW)
    verdict = keys.verify(issued.token, issued.record, ["webhooks:write"], now=NOW + 1)
    assert verdict.valid and verdict.code == "VALID" and verdict.touch and verdict.rehash is None
    assert verdict.key_id == issued.record["key_id"] and verdict.environment == "live"
    # The record as JSON text (as stored) verifies too, in str and bytes.
    text = json.dumps(issued.record)
    assert keys.verify(issued.token, text, now=NOW + 1).valid
    assert keys.verify(issued.token, text.encode(), now=NOW + 1).valid
    assert keys.verify(issued.token, None, now=NOW).code == "NOT_FOUND"
    assert keys.verify(issued.token, issued.record, now=NOW + 3600).code == "EXPIRED"
    denied = keys.verify(issued.token, issued.record, ["settings:read", ["audit:read", "webhooks:admin"]], now=NOW)
    assert denied.code == "INSUFFICIENT_SCOPE" and denied.missing_scopes == ["settings:read"]
    # Aware datetimes are accepted for times; naive ones are an InvalidInputError.
    assert keys.verify(issued.token, issued.record, now=datetime.fromtimestamp(NOW + 5, timezone.utc)).valid
    with pytest.raises(tenantry.InvalidInputError):
        keys.verify(issued.token, issued.record, now=datetime(2030, 1, 1))


def test_pepper_rotation_rehash() -> None:
    old = ApiKeys("tk", {"p1": PEPPER})
    issued = old.generate(now=NOW)
    new = ApiKeys("tk", {"p1": PEPPER, "p2": b"q" * 32}, current_pepper="p2")
    verdict = new.verify(issued.token, issued.record, now=NOW)
    assert verdict.valid and verdict.rehash is not None
    assert verdict.rehash == {
        "hash": hmac.new(b"q" * 32, issued.token.encode(), hashlib.sha256).hexdigest(),
        "pepper_id": "p2",
    }
    upgraded = {**issued.record, **verdict.rehash}
    assert new.verify(issued.token, upgraded, now=NOW).rehash is None


def test_roll_with_timedelta(keys: ApiKeys) -> None:
    issued = keys.generate(scopes=["settings:read"], name="ci", now=NOW)
    rolled = keys.roll(issued.record, grace=timedelta(hours=1), now=NOW + 10)
    assert rolled.previous["expires_at"] == NOW + 10 + 3600
    assert rolled.record["scopes"] == ["settings:read"] and rolled.record["name"] == "ci"
    assert keys.verify(issued.token, rolled.previous, now=NOW + 3000).valid
    assert keys.verify(issued.token, rolled.previous, now=NOW + 3610).code == "EXPIRED"
    assert keys.verify(rolled.token, rolled.record, now=NOW + 3610).valid
    assert keys.roll(issued.record, grace=90.0, now=NOW).previous["expires_at"] == NOW + 90
    with pytest.raises(tenantry.InvalidInputError, match="whole number"):  # never cut to 90
        keys.roll(issued.record, grace=90.9, now=NOW)
    revoked = keys.revoke(rolled.record, now=NOW + 20)
    assert keys.verify(rolled.token, revoked, now=NOW + 30).code == "REVOKED"
    # The old key's new expiry is a stored time: a grace period ending after 9999 is refused as
    # any such time is, not written as a record that no call could read back.
    with pytest.raises(tenantry.InvalidInputError) as info:
        keys.roll(issued.record, grace=10**12, now=NOW)
    assert info.value.code == "input.invalid_time"


def test_null_columns_of_a_row_read_as_absent_ones(keys: ApiKeys) -> None:
    # A row of nullable columns: null `disabled` is not disabled, null `masked` is empty.
    issued = keys.generate(now=NOW)
    for row in ({**issued.record, "disabled": None, "masked": None}, json.dumps({**issued.record, "disabled": None})):
        assert keys.verify(issued.token, row, now=NOW + 1).code == "VALID"
        assert keys.revoke(row, now=NOW + 2)["disabled"] is False


@pytest.mark.parametrize(
    "token",
    ["", "tk", "tk_live_", "x" * 10240, "tk_live_" + "é" * 47, "tk_live_\ud800", "\x00", "tk_live_" + "A" * 47],
)
def test_bad_tokens_are_verdicts(keys: ApiKeys, token: str) -> None:
    record = keys.generate(now=NOW).record
    verdict = keys.verify(token, record, now=NOW)
    assert not verdict.valid and verdict.code in {"MALFORMED", "BAD_CHECKSUM"}
    with pytest.raises(ApiKeyError) as info:
        keys.parse(token)
    assert info.value.code in {"apikey.malformed", "apikey.bad_checksum"}


def test_truncations_and_wrong_prefix(keys: ApiKeys) -> None:
    issued = keys.generate(now=NOW)
    token = issued.token
    for cut in range(1, len(token)):
        assert not keys.verify(token[:cut], issued.record, now=NOW).valid
        assert not keys.verify(token[cut:], issued.record, now=NOW).valid
    other = ApiKeys("zz", {"p1": PEPPER})
    assert other.verify(token, issued.record, now=NOW).code == "MALFORMED"


@pytest.mark.parametrize("token", [None, 12, b"tk_live_x", ["tk"], 1.5])
def test_non_string_tokens_are_type_errors(keys: ApiKeys, token: Any) -> None:
    record = keys.generate(now=NOW).record
    with pytest.raises(TypeError):
        keys.verify(token, record, now=NOW)
    with pytest.raises(TypeError):
        keys.parse(token)


def test_bad_arguments_are_typed(keys: ApiKeys) -> None:
    token_issued = keys.generate(now=NOW)
    with pytest.raises(TypeError):
        ApiKeys("tk", [("p1", PEPPER)])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        keys.generate(scopes="settings:read")
    with pytest.raises(TypeError):
        keys.verify(token_issued.token, token_issued.record, [1])  # type: ignore[list-item]
    with pytest.raises(ApiKeyError) as info:
        keys.verify(token_issued.token, {"key_id": 1}, now=NOW)
    assert info.value.code == "apikey.invalid_record"
    with pytest.raises(tenantry.InvalidInputError):
        keys.generate_with_random(b"short")
    with pytest.raises(ApiKeyError) as info:
        keys.generate(scopes=["not a scope"])
    assert info.value.code == "apikey.invalid_scope"


@pytest.mark.parametrize("field", ["revoked_at", "expires_at", "not_before", "created_at", "last_used_at"])
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_a_stored_time_that_is_not_seconds_is_refused(keys: ApiKeys, field: str, bad: float) -> None:
    """Never read as absent: a NaN ``revoked_at`` must not verify as "not revoked" (Node has the
    same test, in apikeys.test.js)."""
    issued = keys.generate(now=NOW)
    record = {**issued.record, field: bad}
    with pytest.raises(ApiKeyError) as info:
        keys.verify(issued.token, record, now=NOW)
    assert info.value.code == "apikey.invalid_record"
    assert re.fullmatch(r"invalid key record: invalid type: floating point `-?(NaN|inf)`, expected i64", str(info.value))


def test_token_never_in_repr_str_or_errors(keys: ApiKeys) -> None:
    issued = keys.generate(now=NOW)
    token = issued.token
    secret_part = token.split("_")[2][11:41]
    rolled = keys.roll(issued.record, grace=60, now=NOW)
    texts = [repr(issued), str(issued), repr(rolled), str(rolled), repr(keys), repr(issued.record)]
    texts.append(repr(keys.verify(token, issued.record, now=NOW)))
    texts.append(repr(keys.parse(token)))
    for bad in [token[:-1] + ("a" if token[-1] != "a" else "b"), token[:-2], token + "!"]:
        try:
            keys.parse(bad)
        except ApiKeyError as exc:
            texts.extend([str(exc), repr(exc), exc.message])
    for text in texts:
        assert secret_part not in text and "pppp" not in text, text
    assert "p" * 32 not in repr(keys)


def test_config_errors() -> None:
    with pytest.raises(ApiKeyError) as info:
        ApiKeys("tk", {"p1": b"short"})
    assert info.value.code == "apikey.invalid_config" and "short" not in str(info.value)
    with pytest.raises(ApiKeyError):
        ApiKeys("tk", {"a": PEPPER, "b": PEPPER})
    keys = ApiKeys("tk", {"p1": "a text pepper of 32 characters.."}, touch_interval=timedelta(minutes=5))
    issued = keys.generate(now=NOW)
    assert not keys.verify(issued.token, {**issued.record, "last_used_at": NOW}, now=NOW + 299).touch
    assert keys.verify(issued.token, {**issued.record, "last_used_at": NOW}, now=NOW + 300).touch


def test_a_verdict_is_true_only_when_the_key_verified() -> None:
    # As Decision, RateDecision and ChainReport: `if keys.verify(...)` must not let a revoked key in.
    keys = ApiKeys(prefix="tk", peppers={"p1": b"k" * 32})
    issued = keys.generate(now=1_700_000_000)
    assert keys.verify(issued.token, issued.record, now=1_700_000_001)
    assert not keys.verify(issued.token, keys.revoke(issued.record, now=1_700_000_002), now=1_700_000_003)
    assert not keys.verify("tk_garbage", issued.record, now=1_700_000_003)


@pytest.mark.parametrize("record", [5, 5.5, True, [1, 2], object()])
def test_a_record_of_the_wrong_type_is_a_type_error_as_in_node(keys: ApiKeys, record: Any) -> None:
    # A record is a Mapping or its JSON text; a number or a list was read as JSON data and
    # answered apikey.invalid_record, where Node says TypeError.
    issued = keys.generate(now=NOW)
    for call in (lambda: keys.verify(issued.token, record, now=NOW), lambda: keys.revoke(record, now=NOW),
                 lambda: keys.roll(record, grace=60, now=NOW)):
        with pytest.raises(TypeError, match=r"record must be a dict \(or another Mapping\) or its JSON text"):
            call()


def test_a_record_as_bytes_is_its_json_text(keys: ApiKeys) -> None:
    issued = keys.generate(now=NOW)
    text = json.dumps(issued.record).encode()
    assert keys.verify(issued.token, text, now=NOW).valid
    assert keys.revoke(text, now=NOW + 1)["revoked_at"] == NOW + 1
