"""tenantry.audit beyond the vectors: CSV read back with the stdlib, RFC 8785 and seal hashes
cross-checked against PyPI rfc8785 + hashlib + hmac on generated values, and bad input."""

from __future__ import annotations

import csv
import enum
import hashlib
import hmac
import io
import json
import math
import os
import random
import struct
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional

import pytest
import rfc8785

import tenantry
from tenantry import audit

CROCKFORD = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
HEADER = [
    "id", "occurred_at", "tenant_id", "actor_type", "actor_id", "actor_email", "actor_role", "actor_ip",
    "actor_user_agent", "action", "severity", "outcome", "reason", "target_type", "target_id", "target_name",
    "changes", "request_id", "metadata", "expires_at", "prev_hash", "hash", "seal_key_id", "seal",
]
HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "\nLF", "=HYPERLINK(\"http://x\",\"y\")",
           "plain", "comma, inside", 'quote " inside', "multi\nline", "é😀", "", " =space first"]


def guarded(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") else text


# ---- CSV ----------------------------------------------------------------------------------------


def test_csv_reads_back_with_stdlib_csv_every_cell_checked() -> None:
    rng = random.Random(7)
    records: List[Dict[str, Any]] = []
    expected: List[List[str]] = []
    for i in range(60):
        cells = [rng.choice(HOSTILE) for _ in range(12)]
        rec = {
            "id": cells[0], "occurred_at": cells[1], "tenant_id": cells[2],
            "actor": {"type": cells[3], "id": cells[4], "email": None, "role": cells[5], "ip": None,
                      "user_agent": cells[6]},
            "action": cells[7], "severity": cells[8], "outcome": cells[9], "reason": cells[10],
            "target": {"type": cells[11], "id": str(i), "name": None},
            "changes": [{"path": "/x", "before": cells[0], "after": i}],
            "request_id": None, "metadata": {"n": i, "s": cells[1]}, "expires_at": None,
        }
        records.append(rec)
        canonical = lambda v: rfc8785.dumps(v).decode()  # noqa: E731
        expected.append([
            guarded(cells[0]), guarded(cells[1]), guarded(cells[2]), guarded(cells[3]), guarded(cells[4]), "",
            guarded(cells[5]), "", guarded(cells[6]), guarded(cells[7]), guarded(cells[8]), guarded(cells[9]),
            guarded(cells[10]), guarded(cells[11]), str(i), "", canonical(rec["changes"]), "",
            canonical(rec["metadata"]), "", "", "", "", "",
        ])
    text = audit.to_csv(records)
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert rows[0] == HEADER
    assert len(rows) == len(records) + 1
    for got, want in zip(rows[1:], expected):
        assert got == want
        for cell in got:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r", "\n")


def test_csv_of_built_and_sealed_records_round_trips() -> None:
    key = audit.SealKey("k1", b"k" * 32)
    prev = None
    sealed = []
    for i, name in enumerate(HOSTILE[:5] + HOSTILE[7:12]):
        if any(c in name for c in "\t\r\n"):
            continue
        rec = audit.build(actor={"type": "user", "id": f"u_{i}", "role": name or "r"}, action="user.updated",
                          target={"type": "user", "id": "u", "name": name or "n"}, occurred_at=1_700_000_000 + i,
                          metadata={"note": name})
        s = audit.seal(rec, prev, key)
        prev = s["hash"]
        sealed.append(s)
    rows = list(csv.DictReader(io.StringIO(audit.to_csv(sealed), newline="")))
    assert len(rows) == len(sealed)
    for row, rec in zip(rows, sealed):
        assert row["id"] == rec["id"]
        assert row["actor_role"] == guarded(rec["actor"]["role"])
        assert row["target_name"] == guarded(rec["target"]["name"])
        assert row["hash"] == rec["hash"] and row["seal"] == rec["seal"] and row["seal_key_id"] == "k1"
        assert json.loads(row["metadata"]) == rec["metadata"]
        assert row["expires_at"] == rec["expires_at"]


# ---- canonical JSON and hashes against independent implementations -------------------------------


def random_string(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randrange(0, 8)):
        pick = rng.random()
        if pick < 0.3:
            out.append(chr(rng.randrange(0, 0x80)))
        elif pick < 0.6:
            out.append(chr(rng.randrange(0x80, 0xD800)))
        elif pick < 0.8:
            out.append(chr(rng.randrange(0xE000, 0x10000)))
        else:
            out.append(chr(rng.randrange(0x10000, 0x110000)))
    return "".join(out)


def random_float(rng: random.Random) -> float:
    while True:
        f = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if math.isfinite(f):
            return f


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randrange(-(2**53) + 1, 2**53)
    if kind == 3:
        return random_float(rng)
    if kind == 4:
        return rng.choice([0.1, 1e21, 1e-7, 5e-324, 1e23, 123.456, -0.0, 0.5, 1.0, 2.0**60])
    if kind == 5:
        return random_string(rng)
    if kind in (6, 7):
        return {random_string(rng): random_value(rng, depth + 1) for _ in range(rng.randrange(0, 6))}
    return [random_value(rng, depth + 1) for _ in range(rng.randrange(0, 6))]


def test_canonical_json_matches_pypi_rfc8785_on_generated_values() -> None:
    rng = random.Random(8785)
    for _ in range(3000):
        value = random_value(rng)
        want = rfc8785.dumps(value).decode("utf-8")
        assert audit.canonical_json(value) == want, value
        # JSON text in, same canonical form out (bytes are parsed as JSON text).
        assert audit.canonical_json(json.dumps(value).encode()) == want


def test_canonical_json_rfc_appendix_b_numbers() -> None:
    samples = {
        0x0000000000000000: "0", 0x8000000000000000: "0", 0x0000000000000001: "5e-324",
        0x8000000000000001: "-5e-324", 0x7FEFFFFFFFFFFFFF: "1.7976931348623157e+308",
        0xFFEFFFFFFFFFFFFF: "-1.7976931348623157e+308", 0x4340000000000000: "9007199254740992",
        0xC340000000000000: "-9007199254740992", 0x4430000000000000: "295147905179352830000",
        0x44B52D02C7E14AF5: "9.999999999999997e+22", 0x44B52D02C7E14AF6: "1e+23",
        0x44B52D02C7E14AF7: "1.0000000000000001e+23", 0x444B1AE4D6E2EF4E: "999999999999999700000",
        0x444B1AE4D6E2EF4F: "999999999999999900000", 0x444B1AE4D6E2EF50: "1e+21",
        0x3EB0C6F7A0B5ED8C: "9.999999999999997e-7", 0x3EB0C6F7A0B5ED8D: "0.000001",
        0x41B3DE4355555553: "333333333.3333332", 0x41B3DE4355555554: "333333333.33333325",
        0x41B3DE4355555555: "333333333.3333333", 0x41B3DE4355555556: "333333333.3333334",
        0x41B3DE4355555557: "333333333.33333343", 0xBECBF647612F3696: "-0.0000033333333333333333",
        0x43143FF3C1CB0959: "1424953923781206.2",
    }
    for bits, want in samples.items():
        f = struct.unpack(">d", bits.to_bytes(8, "big"))[0]
        assert audit.canonical_json(f) == want
        assert audit.canonical_json(want.encode()) == want


def test_seal_hash_and_hmac_match_hashlib_and_hmac_on_generated_records() -> None:
    rng = random.Random(42)
    secret = b"cross-check-secret-0123456789abcdef"
    key = audit.SealKey("kx", secret)
    prev = None
    chain = []
    for i in range(300):
        rec = {"n": i, "payload": random_value(rng), "who": random_string(rng)}
        sealed = audit.seal(rec, prev, key if i % 2 else None)
        body = {k: v for k, v in sealed.items() if k not in ("hash", "seal")}
        assert sealed["prev_hash"] == (prev or "0" * 64)
        assert sealed["hash"] == hashlib.sha256(rfc8785.dumps(body)).hexdigest()
        if i % 2:
            assert sealed["seal_key_id"] == "kx"
            assert sealed["seal"] == hmac.new(secret, sealed["hash"].encode(), hashlib.sha256).hexdigest()
        prev = sealed["hash"]
        chain.append(sealed)
    report = audit.verify_chain(chain)
    assert report.ok and bool(report) and report.head == prev and report.index is None


def test_plain_python_chain_verifies_in_tenantry() -> None:
    """A chain sealed by a plain Python implementation (hashlib + rfc8785) verifies, and breaks where edited."""
    secret = b"plain-python-secret-0123456789abc"
    prev = "0" * 64
    chain = []
    for i in range(20):
        rec = audit.build(actor={"type": "service", "id": "billing"}, action="invoice.paid", occurred_at=1_700_000_000 + i)
        rec["prev_hash"] = prev
        rec["seal_key_id"] = "py"
        rec["hash"] = hashlib.sha256(rfc8785.dumps(rec)).hexdigest()
        rec["seal"] = hmac.new(secret, rec["hash"].encode(), hashlib.sha256).hexdigest()
        prev = rec["hash"]
        chain.append(rec)
    key = audit.SealKey("py", secret)
    assert audit.verify_chain(chain, key, anchor="0" * 64).ok
    chain[7]["outcome"] = "failure"
    report = audit.verify_chain(chain, [key])
    assert (report.ok, report.index, report.reason) == (False, 7, "edited")
    assert repr(report) == "ChainReport(ok=False, index=7, reason='edited')"


# ---- records: ids, times, bad input -------------------------------------------------------------


def test_generated_ids_are_ulids_sorted_by_time() -> None:
    ids = [audit.build(actor={"type": "user", "id": "u"}, action="user.login", occurred_at=1_700_000_000 + i)["id"]
           for i in range(50)]
    assert all(len(i) == 26 and set(i) <= CROCKFORD for i in ids)
    assert ids == sorted(ids)
    same = {audit.build(actor={"type": "user", "id": "u"}, action="user.login", occurred_at=1)["id"] for _ in range(20)}
    assert len(same) == 20


def test_default_time_is_now_and_aware_datetimes_are_accepted() -> None:
    before = datetime.now(timezone.utc)
    rec = audit.build(actor={"type": "user", "id": "u"}, action="user.login")
    occurred = datetime.fromisoformat(rec["occurred_at"].replace("Z", "+00:00"))
    assert before - timedelta(seconds=1) <= occurred <= datetime.now(timezone.utc) + timedelta(seconds=1)
    paris = timezone(timedelta(hours=1))
    rec = audit.build(actor={"type": "user", "id": "u"}, action="user.login",
                      occurred_at=datetime(2025, 1, 31, 10, 0, 0, 250000, tzinfo=paris))
    assert rec["occurred_at"] == "2025-01-31T09:00:00.250Z"


def test_naive_datetime_is_rejected() -> None:
    with pytest.raises(tenantry.InvalidInputError) as info:
        audit.build(actor={"type": "user", "id": "u"}, action="user.login", occurred_at=datetime(2025, 1, 1))
    assert info.value.code == "input.invalid_time"
    with pytest.raises(tenantry.InvalidInputError):
        audit.retention_cutoff(datetime(2025, 1, 1), 90)


def test_retention_cutoff_refuses_none_days_which_is_how_a_record_is_kept_forever() -> None:
    # A cleanup job passing a tenant's `retention_days` (None: keep forever) must not get a 90-day
    # cutoff: the one parameter with a default where None is not that default (as in Node).
    kept_forever = audit.build(action="user.login", actor={"type": "user", "id": "u"}, occurred_at=0,
                               retention_days=None)
    assert kept_forever["expires_at"] is None
    for days in (None, "30", {}):
        with pytest.raises(TypeError, match=r"^days must be a number of days \(leave it out for 90; .*not "):
            audit.retention_cutoff(datetime(2025, 4, 1, tzinfo=timezone.utc), days)  # type: ignore[arg-type]
    assert audit.retention_cutoff(90 * 86400) == "1970-01-01T00:00:00.000Z"


def test_an_input_wrong_in_several_ways_is_the_time_error_first_as_in_node() -> None:
    for occurred_at in (-1, 253402300800):
        with pytest.raises(tenantry.InvalidInputError) as info:
            audit.build(action="x.y", actor={"type": "robot", "id": "u"}, outcome="maybe", occurred_at=occurred_at)
        assert info.value.code == "input.invalid_time"


def test_cyclic_metadata_is_a_typed_error() -> None:
    cyclic: Dict[str, Any] = {"a": 1}
    cyclic["self"] = cyclic
    with pytest.raises(tenantry.TenantryError) as info:
        audit.build(actor={"type": "user", "id": "u"}, action="user.login", metadata=cyclic)
    assert info.value.code == "input.invalid"
    assert "circular reference" in str(info.value)


def test_non_json_metadata_is_a_type_error() -> None:
    for bad in ({"when": datetime.now(timezone.utc)}, {"s": {1, 2}}, {1: "int key"}, {"o": object()}):
        with pytest.raises(TypeError):
            audit.build(actor={"type": "user", "id": "u"}, action="user.login", metadata=bad)
    with pytest.raises(tenantry.InvalidInputError):
        audit.build(actor={"type": "user", "id": "u"}, action="user.login", metadata={"x": float("nan")})


def test_ten_megabyte_metadata_is_too_large() -> None:
    with pytest.raises(tenantry.AuditError) as info:
        audit.build(actor={"type": "user", "id": "u"}, action="user.login", metadata={"blob": "x" * 10_000_000})
    assert info.value.code == "audit.too_large"
    assert info.value.errors == [{"path": "/metadata", "code": "too_large",
                                  "message": "must be at most 8192 bytes of canonical JSON, got 10000011"}]


@pytest.mark.parametrize("ip", ["256.0.0.1", "1.2.3", "::g", "1.2.3.4/24", "fe80::1%eth0", "", " "])
def test_invalid_ips(ip: str) -> None:
    with pytest.raises(tenantry.AuditError) as info:
        audit.build(actor={"type": "user", "id": "u", "ip": ip}, action="user.login")
    assert info.value.code == "audit.invalid_ip"


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError):
        audit.build(actor=5, action="user.login")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        audit.build(actor={"type": "user", "id": "u"}, action=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        audit.seal({"a": 1}, None, "not a key")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        audit.verify_chain([], key=["k"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        audit.SealKey("k", 12345)  # type: ignore[arg-type]


def test_inputs_as_users_hold_them() -> None:
    as_dict = audit.build(actor={"type": "user", "id": "u"}, action="setting.updated", before={"a": 1},
                          after={"a": 2}, occurred_at=0, id="e")
    as_text = audit.build(actor='{"type": "user", "id": "u"}', action="setting.updated", before='{"a": 1}',
                          after=b'{"a": 2}', occurred_at=0, id="e")
    assert as_dict == as_text
    sealed = audit.seal(json.dumps(as_dict), None)
    assert audit.verify_chain(json.dumps([sealed])).ok
    assert audit.to_jsonl(json.dumps([sealed])) == rfc8785.dumps(sealed).decode() + "\n"
    with pytest.raises(tenantry.InvalidInputError) as info:
        audit.seal("{not json", None)
    assert info.value.code == "input.invalid_json"


@pytest.mark.parametrize(("data", "message"), [
    (b'{"action": "\xff"}', "invalid JSON text: invalid unicode code point at line 1 column 13"),
    (b'[{"a": 1}, \xff]', "invalid JSON text: expected value at line 1 column 12"),
    (b"\xff{", "invalid JSON text: expected value at line 1 column 1"),
])
def test_audit_bytes_not_utf8(data: bytes, message: str) -> None:
    # The same words as Node's (audit-data.test.js): never read with U+FFFD in their place.
    calls = [lambda b: audit.seal(b, None), audit.verify_chain, audit.to_csv, audit.to_jsonl, audit.to_ocsf,
             audit.summarize]
    for call in calls:
        with pytest.raises(tenantry.InvalidInputError) as info:
            call(data)
        assert (info.value.code, str(info.value)) == ("input.invalid_json", message)


def test_seal_key_secret_never_shown() -> None:
    key = audit.SealKey("k1", "super-secret-value-1234")
    assert "super" not in repr(key) and key.id == "k1"
    with pytest.raises(tenantry.AuditError) as info:
        audit.SealKey("k1", "short")
    assert "short" not in str(info.value) and info.value.code == "audit.invalid_key"


def test_actions_catalogue() -> None:
    catalogue = audit.actions()
    assert len(catalogue) >= 30
    assert catalogue["user.password_changed"] == "warning"
    assert set(catalogue.values()) <= {"info", "warning", "error", "critical"}


BUILD_FIELDS: Dict[str, Any] = dict(
    actor={"type": "user", "id": "u_1", "ip": "2001:DB8::1"}, action="setting.updated", tenant_id="t_1",
    target={"type": "setting", "id": "smtp"}, before={"smtp": {"host": "a", "password": "x"}, "n": 1},
    after={"smtp": {"host": "b", "password": "y"}, "n": 1.0, "new": [1]}, metadata={"via": "api"},
    request_id="req_1", occurred_at=1_700_000_000.5, id="evt_1",
)


@pytest.mark.parametrize("previous", [None, "ab" * 32])
@pytest.mark.parametrize("with_key", [False, True])
def test_build_sealed_equals_seal_of_build(previous: Optional[str], with_key: bool) -> None:
    key = audit.SealKey("k1", b"0123456789abcdef0123") if with_key else None
    one_call = audit.build_sealed(previous, key, **BUILD_FIELDS)
    assert one_call == audit.seal(audit.build(**BUILD_FIELDS), previous, key)
    assert list(one_call) == list(audit.seal(audit.build(**BUILD_FIELDS), previous, key))
    assert audit.verify_chain([one_call], key, anchor=previous).ok


def test_build_sealed_random_ids_still_chain() -> None:
    fields = {k: v for k, v in BUILD_FIELDS.items() if k != "id"}
    first = audit.build_sealed(None, **fields)
    second = audit.build_sealed(first["hash"], **fields)
    assert first["id"] != second["id"]
    assert audit.verify_chain([first, second]).ok


def test_build_sealed_bad_input() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        audit.build_sealed(None, actor={"type": "user", "id": "u"}, action="user.login", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^build_sealed\(\) missing 1 required keyword argument: 'actor'$"):
        audit.build_sealed(None, action="user.login")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="not an instance of 'str'") as wrong_type:
        audit.build_sealed(None, actor={"type": "user", "id": "u"}, action="user.login", tenant_id=5)  # type: ignore[arg-type]
    assert wrong_type.value.__notes__ == ["while processing 'tenant_id'"]
    with pytest.raises(TypeError):
        audit.build_sealed(None, "not a key", actor={"type": "user", "id": "u"}, action="user.login")  # type: ignore[arg-type]
    with pytest.raises(tenantry.AuditError) as info:
        audit.build_sealed("not a hash", actor={"type": "user", "id": "u"}, action="user.login")
    assert info.value.code == "audit.invalid_record"
    with pytest.raises(TypeError, match="unexpected keyword argument 'previous_hash'"):
        audit.build(actor={"type": "user", "id": "u"}, action="user.login", previous_hash=None)  # type: ignore[call-arg]


def test_built_changes_share_the_callers_strings_but_not_containers() -> None:
    before = {"theme": "light", "smtp_password": "old", "tags": ["a"], "n": 1}
    after = {"theme": "dark" + "!", "smtp_password": "new", "tags": ["a", "b"], "n": 2}
    for record in (
        audit.build(actor={"type": "user", "id": "u"}, action="setting.updated", before=before, after=after),
        audit.build_sealed(None, actor={"type": "user", "id": "u"}, action="setting.updated", before=before, after=after),
    ):
        changes = {c["path"]: c for c in record["changes"]}
        # str is immutable: the record may hold the caller's own objects.
        assert changes["/theme"]["before"] is before["theme"]
        assert changes["/theme"]["after"] is after["theme"]
        assert changes["/smtp_password"]["before"] == changes["/smtp_password"]["after"] == "***"
        # Containers are always new: changing the record never changes the caller's documents.
        assert changes["/tags"]["after"] == ["a", "b"] and changes["/tags"]["after"] is not after["tags"]
        changes["/tags"]["after"].append("c")
        assert after["tags"] == ["a", "b"]
    previous = "ab" * 32
    key = audit.SealKey("k" + "1", b"k" * 32)
    sealed = audit.build_sealed(previous, key, actor={"type": "user", "id": "u"}, action="user.login")
    assert sealed["prev_hash"] is previous and sealed["seal_key_id"] is key.id
    # JSON text documents have no str objects to share: the values are equal, new objects.
    record = audit.build(actor={"type": "user", "id": "u"}, action="setting.updated",
                         before='{"theme": "light"}', after='{"theme": "dark"}')
    assert record["changes"] == [{"path": "/theme", "before": "light", "after": "dark"}]


def test_records_share_path_strings_and_every_path_is_right() -> None:
    actor = {"type": "user", "id": "u"}
    first = audit.build(actor=actor, action="setting.updated", before={"theme": "a"}, after={"theme": "b"})
    second = audit.build_sealed(None, actor=actor, action="setting.updated", before={"theme": "c"},
                                after={"theme": "d"})
    assert first["changes"][0]["path"] == "/theme" and first["changes"][0]["path"] is second["changes"][0]["path"]
    # More distinct paths than are kept, paths too long to keep, and names that need escaping:
    # every record still has exactly its own paths.
    long = "x" * 100
    names = [f"k{i}" for i in range(3000)] + [long, "a/b~c"]
    for _ in range(2):
        record = audit.build(actor=actor, action="setting.updated", after={n: 1 for n in names})
        # (In the order of the canonical JSON: by name.)
        assert [c["path"] for c in record["changes"]] == ["/a~1b~0c"] + sorted(f"/k{i}" for i in range(3000)) + ["/" + long]


class _Str(str):
    pass


class _Dict(dict):  # type: ignore[type-arg]
    pass


class _List(list):  # type: ignore[type-arg]
    pass


class _Level(enum.IntEnum):
    HIGH = 3


def test_documents_of_every_json_type_and_their_subclasses() -> None:
    actor = {"type": "user", "id": "u"}
    plain = {"s": "x", "d": {"k": 1}, "l": [1, "y"], "t": [2], "i": 3, "b": True, "f": 1.5, "n": None,
             "big": 2**53, "top": 18446744073709550000}
    given = _Dict(s=_Str("x"), d=_Dict(k=1), l=_List([1, _Str("y")]), t=(2,), i=_Level.HIGH, b=True, f=1.5,
                  n=None, big=2**53, top=18446744073709550000)
    built = audit.build(actor=actor, action="setting.updated", after=given, occurred_at=0, id="e")
    assert built == audit.build(actor=actor, action="setting.updated", after=plain, occurred_at=0, id="e")
    assert built["changes"] == [{"path": f"/{k}", "after": v} for k, v in sorted(plain.items())]
    # An integer RFC 8785 would hash as another (2^63 as 9223372036854776000): refused, past 64
    # bits too; 10**20 is how JavaScript writes that double, and is taken as it.
    assert audit.build(actor=actor, action="setting.updated", after={"n": 10**20}, occurred_at=0, id="e")[
        "changes"] == [{"path": "/n", "after": 1e20}]
    for n in (2**53 + 1, 2**63, -(2**63), 2**64 - 1, 2**64, -(2**64) - 1, 10**40):
        with pytest.raises(tenantry.InvalidInputError, match=f"^integer {n} is not exact as a JSON number"):
            audit.build(actor=actor, action="setting.updated", after={"n": _Dict(k=[n])})
    with pytest.raises(TypeError, match="not JSON-serializable"):
        audit.build(actor=actor, action="setting.updated", after={"n": object()})
    with pytest.raises(TypeError, match="keys must be str"):
        audit.build(actor=actor, action="setting.updated", after={1: 2})


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_worker_never_repeats_its_parents_next_record_id() -> None:
    fields: Dict[str, Any] = {"actor": {"type": "system", "id": "cron"}, "action": "user.login",
                              "occurred_at": 1_700_000_000}
    audit.build(**fields)  # the parent now holds unused random bytes for its next ids
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: same millisecond, so only the random part can tell the ids apart
        try:
            os.write(write_end, audit.build(**fields)["id"].encode())
        finally:
            os._exit(0)
    os.close(write_end)
    child_id = os.read(read_end, 100).decode()
    os.close(read_end)
    os.waitpid(pid, 0)
    parent_id = audit.build(**fields)["id"]
    assert len(child_id) == len(parent_id) == 26
    assert child_id[:10] == parent_id[:10] and child_id != parent_id


def test_a_compiled_settings_schema_masks_what_its_document_marks_sensitive() -> None:
    from tenantry.settings import SettingsSchema

    doc = {"type": "object", "properties": {"smtp": {"type": "object", "properties": {
        "password": {"type": "string", "x-sensitive": True}}}}}
    fields: Dict[str, Any] = {"actor": {"type": "user", "id": "u_1"}, "action": "setting.updated",
                              "before": {"smtp": {"password": "p1"}}, "after": {"smtp": {"password": "p2"}}}
    masked = [{"path": "/smtp/password", "before": "***", "after": "***"}]
    assert audit.build(**fields, schema=doc)["changes"] == masked
    assert audit.build(**fields, schema=SettingsSchema(doc))["changes"] == masked
    assert audit.build_sealed(None, **fields, schema=SettingsSchema(doc))["changes"] == masked


@pytest.mark.parametrize("call", [audit.to_csv, audit.to_jsonl, audit.summarize, audit.verify_chain])
def test_records_of_the_wrong_type_are_a_type_error_and_text_of_no_array_is_the_core_s(call: Any) -> None:
    # A dict, a number or None was audit.invalid_record ("records must be a list of records"),
    # where Node gives a TypeError; JSON text of something else is the core's one wording in both.
    for records in ({}, 5, None, {"a": 1}.keys()):
        with pytest.raises(TypeError, match=r"^records must be a list of records \(or JSON text of one\), not "):
            call(records)
    for text in ("{}", b"3"):
        with pytest.raises(tenantry.AuditError) as info:
            call(text)
        assert (info.value.code, str(info.value)) == ("audit.invalid_record", "records must be an array of records")
