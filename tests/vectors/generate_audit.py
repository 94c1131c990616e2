"""Writes tests/vectors/audit.json.

Expected values are written out by hand from the specification (issue 6) or computed here
independently of tenantry: hashes with hashlib over the PyPI `rfc8785` canonicalization, seals with
the stdlib `hmac`, CSV with the stdlib `csv` module plus the OWASP guard written out below. The
Node-sealed chain comes from `node tests/vectors/audit_node_chain.js` (the npm package), and is
checked here with the same independent code before it is written.

Run from the repository root with the dev virtualenv: `.venv/bin/python tests/vectors/generate_audit.py`.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import hmac
import io
import json
import pathlib
import subprocess
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Tuple

import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "tools"))
from messages import pin_messages  # noqa: E402

import rfc8785

HERE = pathlib.Path(__file__).resolve().parent
GENESIS = "0" * 64
KEY1 = ("k1", "audit-seal-key-one-32-bytes-long")
KEY2 = ("k2", "audit-seal-key-two-32-bytes-long")
cases: List[Dict[str, Any]] = []


def case(name: str, op: str, inp: Dict[str, Any], expect: Any = None, error: Optional[str] = None) -> None:
    c: Dict[str, Any] = {"name": name, "op": op, "input": inp}
    if error is not None:
        c["error"] = error
    else:
        c["expect"] = expect
    cases.append(c)


def ts(seconds: float, days: int = 0) -> str:
    dt = datetime.fromtimestamp(seconds, tz=timezone.utc) + timedelta(days=days)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


T0 = 1_700_000_000.125


def actor(**kw: Any) -> Dict[str, Any]:
    out = {"type": "user", "id": "u_1", "email": None, "role": None, "ip": None, "user_agent": None}
    out.update(kw)
    return out


def record(action: str, severity: str, *, at: float = T0, days: Optional[int] = 90, **kw: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "id": kw.pop("id", "evt_1"),
        "occurred_at": ts(at),
        "tenant_id": None,
        "actor": actor(),
        "action": action,
        "severity": severity,
        "outcome": "success",
        "reason": None,
        "target": None,
        "changes": [],
        "request_id": None,
        "metadata": {},
        "expires_at": None if days is None else ts(at, days),
    }
    out.update(kw)
    return out


# ---- build ------------------------------------------------------------------------------------

base = {"actor": {"type": "user", "id": "u_1"}, "occurred_at": T0, "id": "evt_1"}


def b(**kw: Any) -> Dict[str, Any]:
    out = copy.deepcopy(base)
    out.update(kw)
    return out


case("login, minimal fields", "build", b(action="user.login"), record("user.login", "info"))
case(
    "catalogue default severity (user.deleted is warning)",
    "build",
    b(action="user.deleted", tenant_id="t_1", target={"type": "user", "id": "u_2", "name": "Ada"}),
    record("user.deleted", "warning", tenant_id="t_1", target={"type": "user", "id": "u_2", "name": "Ada"}),
)
case("custom action defaults to info", "build", b(action="invoice.paid"), record("invoice.paid", "info"))
case("severity is case-insensitive", "build", b(action="user.login", severity="CRITICAL"),
     record("user.login", "critical"))
case(
    "actor with every field, IPv6 normalized",
    "build",
    b(action="user.login", actor={"type": "api_key", "id": "key_1", "email": "ops@example.com", "role": "admin",
                                   "ip": "2001:DB8:0:0:0:0:0:1", "user_agent": "curl/8.5"}),
    record("user.login", "info", actor=actor(type="api_key", id="key_1", email="ops@example.com", role="admin",
                                             ip="2001:db8::1", user_agent="curl/8.5")),
)
case("IPv4 kept", "build", b(action="user.login", actor={"type": "system", "id": "cron", "ip": "203.0.113.9"}),
     record("user.login", "info", actor=actor(type="system", id="cron", ip="203.0.113.9")))
case(
    "failure with reason, request id, metadata with sensitive names masked",
    "build",
    b(action="user.role_changed", outcome="failure", reason="insufficient privileges", request_id="req_42",
      metadata={"via": "admin console", "token": "t0k", "nested": {"Password": "x", "n": 1}, "list": [{"apiKey": "k"}]}),
    record("user.role_changed", "warning", outcome="failure", reason="insufficient privileges", request_id="req_42",
           metadata={"via": "admin console", "token": "***", "nested": {"Password": "***", "n": 1},
                     "list": [{"apiKey": "***"}]}),
)
case("retention 30 days", "build", b(action="user.login", retention_days=30), record("user.login", "info", days=30))
case("retention null keeps forever", "build", b(action="user.login", retention_days=None),
     record("user.login", "info", days=None))

before = {
    "theme": "light",
    "locale": "en",
    "seats": 5,
    "ratio": 1,
    "smtp": {"host": "smtp.example.com", "port": 587, "password": "old-pw"},
    "oauth": {"client_secret": "s1", "client_id": "c1"},
    "api_key": "sk_old",
    "Authorization": "Bearer a",
    "a/b": 1,
    "m~n": 1,
    "tags": ["a", "b"],
    "removed": True,
}
after = {
    "theme": "dark",
    "locale": "en",
    "seats": 10,
    "ratio": 1.0,
    "smtp": {"host": "smtp2.example.com", "port": 587, "password": "new-pw"},
    "oauth": {"client_secret": "s2", "client_id": "c2"},
    "api_key": "sk_new",
    "Authorization": "Bearer b",
    "a/b": 2,
    "m~n": 2,
    "tags": ["a", "c"],
    "added": {"x-api-token": "t", "plain": 1},
}
# Changes come in the order the documents' canonical JSON lists their members (RFC 8785: by the
# UTF-16 code units of each name, level by level), whatever order the documents list them in.
changes = [
    {"path": "/Authorization", "before": "***", "after": "***"},
    {"path": "/a~1b", "before": 1, "after": 2},
    {"path": "/added", "after": {"x-api-token": "***", "plain": 1}},
    {"path": "/api_key", "before": "***", "after": "***"},
    {"path": "/m~0n", "before": 1, "after": 2},
    {"path": "/oauth/client_id", "before": "c1", "after": "c2"},
    {"path": "/oauth/client_secret", "before": "***", "after": "***"},
    {"path": "/removed", "before": True},
    {"path": "/seats", "before": 5, "after": 10},
    {"path": "/smtp/host", "before": "smtp.example.com", "after": "smtp2.example.com"},
    {"path": "/smtp/password", "before": "***", "after": "***"},
    {"path": "/tags", "before": ["a", "b"], "after": ["a", "c"]},
    {"path": "/theme", "before": "light", "after": "dark"},
]
case("settings diff: JSON Pointer paths, sensitive names masked, 1 == 1.0", "build",
     b(action="setting.updated", tenant_id="t_1", before=before, after=after),
     record("setting.updated", "warning", tenant_id="t_1", changes=changes))

schema = {
    "type": "object",
    "properties": {
        "smtp": {"type": "object", "properties": {"host": {"type": "string", "x-sensitive": True},
                                                 "port": {"type": "integer"}}},
        "webhook_urls": {"type": "array", "x-sensitive": True, "items": {"type": "string"}},
    },
}
case(
    "caller paths and schema x-sensitive paths are masked",
    "build",
    b(action="setting.updated", sensitive_paths=["/billing/iban"], schema=schema,
      before={"smtp": {"host": "a", "port": 25}, "billing": {"iban": "DE00", "plan": "pro"}, "webhook_urls": ["u1"]},
      after={"smtp": {"host": "b", "port": 587}, "billing": {"iban": "DE01", "plan": "team"}, "webhook_urls": ["u2"]}),
    record("setting.updated", "warning", changes=[
        {"path": "/billing/iban", "before": "***", "after": "***"},
        {"path": "/billing/plan", "before": "pro", "after": "team"},
        {"path": "/smtp/host", "before": "***", "after": "***"},
        {"path": "/smtp/port", "before": 25, "after": 587},
        {"path": "/webhook_urls", "before": "***", "after": "***"},
    ]),
)
ref_schema = {
    "type": "object",
    "$defs": {"secret": {"type": "string", "x-sensitive": True},
              "smtp": {"type": "object", "properties": {"password": {"$ref": "#/$defs/secret"}, "port": {"type": "integer"}}}},
    "properties": {"smtp": {"$ref": "#/$defs/smtp"}, "api": {"$ref": "#/$defs/secret"}, "vault": {"$ref": "#/$defs/secret", "x-sensitive": False}},
}
case(
    "schema x-sensitive behind $refs is masked, as settings read it",
    "build",
    b(action="setting.updated", schema=ref_schema,
      before={"smtp": {"password": "p1", "port": 25}, "api": "k1", "vault": "v1"},
      after={"smtp": {"password": "p2", "port": 587}, "api": "k2", "vault": "v2"}),
    record("setting.updated", "warning", changes=[
        {"path": "/api", "before": "***", "after": "***"},
        {"path": "/smtp/password", "before": "***", "after": "***"},
        {"path": "/smtp/port", "before": 25, "after": 587},
        {"path": "/vault", "before": "***", "after": "***"},
    ]),
)
case("created: only after, every member added", "build",
     b(action="setting.created", after={"key": "smtp_port", "value": 587, "secret_ref": "vault:1"}),
     record("setting.created", "info", changes=[
         {"path": "/key", "after": "smtp_port"}, {"path": "/secret_ref", "after": "***"}, {"path": "/value", "after": 587}]))
case("changes do not depend on the order the documents list their members in", "build",
     b(action="setting.updated",
       before={"b": 1, "10": 1, "2": 1, "\u00e9": 1, "\uffff": 1, "\U0001f600": 1, "a": {"z": 1, "y": 1}},
       after={"\U0001f600": 2, "a": {"y": 2, "z": 2}, "2": 2, "b": 2, "10": 2, "\u00e9": 2, "\uffff": 2}),
     # "10" before "2" (text, not numbers); U+1F600 (a surrogate pair, D83D DE00) before U+FFFF.
     record("setting.updated", "warning", changes=[
         {"path": "/10", "before": 1, "after": 2}, {"path": "/2", "before": 1, "after": 2},
         {"path": "/a/y", "before": 1, "after": 2}, {"path": "/a/z", "before": 1, "after": 2},
         {"path": "/b", "before": 1, "after": 2}, {"path": "/\u00e9", "before": 1, "after": 2},
         {"path": "/\U0001f600", "before": 1, "after": 2}, {"path": "/\uffff", "before": 1, "after": 2}]))
case("deleted: only before", "build", b(action="setting.deleted", before={"key": "k"}),
     record("setting.deleted", "warning", changes=[{"path": "/key", "before": "k"}]))
case("explicit changes are masked by path and name", "build",
     b(action="setting.updated", sensitive_paths=["/smtp/host"],
       changes=[{"path": "/smtp/host", "before": "a", "after": "b"}, {"path": "/db/password", "after": "x"},
                {"path": "/flags", "before": None, "after": {"token": "t"}}]),
     record("setting.updated", "warning", changes=[
         {"path": "/smtp/host", "before": "***", "after": "***"}, {"path": "/db/password", "after": "***"},
         {"path": "/flags", "before": None, "after": {"token": "***"}}]))
case("no change: equal documents", "build", b(action="setting.updated", before={"a": [1, {"b": 2}]},
                                               after={"a": [1, {"b": 2}]}),
     record("setting.updated", "warning"))

for name, kw, code in [
    ("action with capitals", dict(action="Settings.Updated"), "audit.invalid_action"),
    ("action without a dot", dict(action="login"), "audit.invalid_action"),
    ("action with a space", dict(action="user. login"), "audit.invalid_action"),
    ("unknown severity", dict(action="user.login", severity="fatal"), "audit.invalid_severity"),
    ("invalid IPv4", dict(action="user.login", actor={"type": "user", "id": "u", "ip": "999.1.1.1"}), "audit.invalid_ip"),
    ("invalid IP text", dict(action="user.login", actor={"type": "user", "id": "u", "ip": "localhost"}), "audit.invalid_ip"),
    ("invalid IPv6", dict(action="user.login", actor={"type": "user", "id": "u", "ip": "2001:db8:::1"}), "audit.invalid_ip"),
    ("control character in actor id", dict(action="user.login", actor={"type": "user", "id": "u\n1"}),
     "audit.control_characters"),
    ("control character in target name", dict(action="user.login", target={"type": "user", "id": "u", "name": "a\u0007"}),
     "audit.control_characters"),
    ("DEL in user agent", dict(action="user.login", actor={"type": "user", "id": "u", "user_agent": "x\u007f"}),
     "audit.control_characters"),
    ("role too long", dict(action="user.login", actor={"type": "user", "id": "u", "role": "r" * 257}), "audit.too_large"),
    ("metadata over the default 8 KB", dict(action="user.login", metadata={"note": "x" * 8200}), "audit.too_large"),
    ("metadata over a custom bound", dict(action="user.login", metadata={"note": "x" * 60}, max_metadata_bytes=64),
     "audit.too_large"),
    ("metadata not an object", dict(action="user.login", metadata=[1, 2]), "audit.invalid_record"),
    ("unknown actor type", dict(action="user.login", actor={"type": "robot", "id": "r"}), "audit.invalid_record"),
    ("actor without id", dict(action="user.login", actor={"type": "user"}), "audit.invalid_record"),
    ("actor with unknown member", dict(action="user.login", actor={"type": "user", "id": "u", "name": "x"}),
     "audit.invalid_record"),
    ("empty actor id", dict(action="user.login", actor={"type": "user", "id": ""}), "audit.invalid_record"),
    ("invalid email", dict(action="user.login", actor={"type": "user", "id": "u", "email": "nope"}), "audit.invalid_record"),
    ("unknown outcome", dict(action="user.login", outcome="maybe"), "audit.invalid_record"),
    ("changes and before together", dict(action="setting.updated", before={"a": 1}, changes=[]), "audit.invalid_record"),
    ("change path not a pointer", dict(action="setting.updated", changes=[{"path": "a", "after": 1}]),
     "audit.invalid_record"),
    ("sensitive path not a pointer", dict(action="setting.updated", sensitive_paths=["password"]), "audit.invalid_record"),
    # RFC 6901: ~ only escapes (~0, ~1); "/a~2b" was read as a member named "a~2b".
    ("change path with a bad escape", dict(action="setting.updated", changes=[{"path": "/a~2b", "after": 1}]),
     "audit.invalid_record"),
    ("sensitive path with a bad escape", dict(action="setting.updated", sensitive_paths=["/a~"]), "audit.invalid_record"),
    # A schema is read as settings read it: what SettingsSchema refuses would leave a secret
    # unmasked here, and is refused with the same error.
    ("schema: a misspelt x-sensitive is refused, as settings refuse it",
     dict(action="setting.updated", before={"token": "a"}, after={"token": "b"},
          schema={"properties": {"token": {"type": "string", "x-sensitve": True}}}), "settings.invalid_schema"),
    ("schema: X-Sensitive in another case is refused",
     dict(action="setting.updated", before={"pin": "1"}, after={"pin": "2"},
          schema={"properties": {"pin": {"type": "string", "X-Sensitive": True}}}), "settings.invalid_schema"),
    ("schema: x-sensitive that is not a boolean is refused",
     dict(action="setting.updated", before={"pin": "1"}, after={"pin": "2"},
          schema={"properties": {"pin": {"type": "string", "x-sensitive": "yes"}}}), "settings.invalid_schema"),
    ("schema: x-sensitive under items, where settings do not honour it, is refused",
     dict(action="setting.updated", before={"urls": ["u1"]}, after={"urls": ["u2"]},
          schema={"properties": {"urls": {"type": "array", "items": {"type": "string", "x-sensitive": True}}}}),
     "settings.invalid_schema"),
    ("retention of zero days", dict(action="user.login", retention_days=0), "audit.invalid_retention"),
    ("retention over 100 years", dict(action="user.login", retention_days=36501), "audit.invalid_retention"),
    ("time before 1970", dict(action="user.login", occurred_at=-1), "input.invalid_time"),
]:
    case(name, "build", b(**kw), error=code)

# ---- seal / verify_chain ------------------------------------------------------------------------


def canonical(value: Any) -> str:
    return rfc8785.dumps(value).decode("utf-8")


def seal(rec: Dict[str, Any], prev: Optional[str], key: Optional[Tuple[str, str]] = None) -> Dict[str, Any]:
    out = dict(rec)
    out["prev_hash"] = prev or GENESIS
    if key:
        out["seal_key_id"] = key[0]
    digest = hashlib.sha256(rfc8785.dumps({k: v for k, v in out.items() if k not in ("hash", "seal")})).hexdigest()
    if key:
        out["seal"] = hmac.new(key[1].encode(), digest.encode(), hashlib.sha256).hexdigest()
    out["hash"] = digest
    return out


# build_sealed: build then seal in one call; the expected record is seal(expected build output).
sealed_from = {c["name"]: c for c in cases if c["op"] == "build" and "expect" in c}
for name, prev, k in [
    ("login, minimal fields", None, None),
    ("settings diff: JSON Pointer paths, sensitive names masked, 1 == 1.0", "ab" * 32, KEY1),
    ("caller paths and schema x-sensitive paths are masked", None, KEY2),
    ("retention null keeps forever", "cd" * 32, None),
]:
    built = sealed_from[name]
    inp: Dict[str, Any] = {"fields": built["input"], "previous_hash": prev}
    if k:
        inp["key"] = {"id": k[0], "secret": k[1]}
    case(f"build_sealed: {name}", "build_sealed", inp, seal(built["expect"], prev, k))
case("build_sealed: previous hash not 64 hex digits", "build_sealed",
     {"fields": b(action="user.login"), "previous_hash": "AB" * 32}, error="audit.invalid_record")
case("build_sealed: the record is validated first", "build_sealed",
     {"fields": b(action="Login"), "previous_hash": None}, error="audit.invalid_action")


def check_chain(records: List[Dict[str, Any]], key: Optional[Tuple[str, str]]) -> None:
    prev = None
    for r in records:
        body = {k: v for k, v in r.items() if k not in ("hash", "seal")}
        assert hashlib.sha256(rfc8785.dumps(body)).hexdigest() == r["hash"]
        if prev is not None:
            assert r["prev_hash"] == prev
        if key:
            assert hmac.compare_digest(hmac.new(key[1].encode(), r["hash"].encode(), hashlib.sha256).hexdigest(), r["seal"])
        prev = r["hash"]


def chain(n: int, keys: Optional[List[Optional[Tuple[str, str]]]] = None) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    prev = None
    for i in range(n):
        rec = record("setting.updated" if i % 2 else "user.login", "warning" if i % 2 else "info",
                     at=T0 + 3600 * i, id=f"evt_{i}", tenant_id="t_1",
                     changes=[{"path": "/seats", "before": i, "after": i + 1}] if i % 2 else [])
        s = seal(rec, prev, keys[i] if keys else None)
        out.append(s)
        prev = s["hash"]
    return out


def key_input(k: Tuple[str, str]) -> Dict[str, str]:
    return {"id": k[0], "secret": k[1]}


r0 = record("user.login", "info")
case("seal: first record links to genesis", "seal", {"record": r0, "previous_hash": None}, seal(r0, None))
case("seal: with key and previous hash", "seal",
     {"record": r0, "previous_hash": "ab" * 32, "key": key_input(KEY1)}, seal(r0, "ab" * 32, KEY1))
case("seal: floats and unicode hash canonically", "seal",
     {"record": {"n": 333333333.3333333, "big": 1e21, "tiny": 1e-7, "s": "\u20ac\u0001\U0001f600"}, "previous_hash": None},
     seal({"n": 333333333.3333333, "big": 1e21, "tiny": 1e-7, "s": "\u20ac\u0001\U0001f600"}, None))
case("seal: already sealed", "seal", {"record": seal(r0, None), "previous_hash": None}, error="audit.invalid_record")
case("seal: previous hash not hex", "seal", {"record": r0, "previous_hash": "xyz"}, error="audit.invalid_record")
case("seal: previous hash upper-case", "seal", {"record": r0, "previous_hash": "AB" * 32}, error="audit.invalid_record")
case("seal: record not an object", "seal", {"record": [1], "previous_hash": None}, error="audit.invalid_record")
case("seal: key too short", "seal", {"record": r0, "previous_hash": None, "key": {"id": "k", "secret": "short"}},
     error="audit.invalid_key")
case("seal: key id with control character", "seal",
     {"record": r0, "previous_hash": None, "key": {"id": "k\n", "secret": KEY1[1]}}, error="audit.invalid_key")

plain = chain(5)
keyed = chain(5, [KEY1] * 5)
check_chain(plain, None)
check_chain(keyed, KEY1)


def ok(records: List[Dict[str, Any]], anchor_head: Optional[str] = None) -> Dict[str, Any]:
    head = records[-1]["hash"] if records else anchor_head
    return {"ok": True, "index": None, "reason": None, "head": head}


def broken(index: int, reason: str) -> Dict[str, Any]:
    return {"ok": False, "index": index, "reason": reason, "head": None}


def v(name: str, records: List[Dict[str, Any]], expect: Dict[str, Any], keys: Optional[List[Tuple[str, str]]] = None,
      anchor: Optional[str] = None, key: Optional[Tuple[str, str]] = None) -> None:
    inp: Dict[str, Any] = {"records": records}
    if keys:
        inp["keys"] = [key_input(k) for k in keys]
    if key:
        # One key given alone, not in a list (Python and Node take a SealKey or a list).
        inp["key"] = key_input(key)
    if anchor is not None:
        inp["anchor"] = anchor
    case(name, "verify_chain", inp, expect)


v("intact chain", plain, ok(plain))
v("intact chain from genesis anchor", plain, ok(plain), anchor=GENESIS)
v("intact sealed chain with its key", keyed, ok(keyed), keys=[KEY1])
v("sealed chain verified without a key (hashes only)", keyed, ok(keyed))
v("intact sealed chain with its key given alone", keyed, ok(keyed), key=KEY1)
v("wrong key given alone", keyed, broken(0, "wrong_key"), key=KEY2)
v("empty chain", [], ok([]))
v("empty chain keeps the anchor as head", [], ok([], "cd" * 32), anchor="cd" * 32)
v("segment after retention, anchored at a stored head", plain[3:], ok(plain[3:]), anchor=plain[2]["hash"])
v("segment after retention, no anchor", plain[2:], ok(plain[2:]))

edited = copy.deepcopy(plain)
edited[2]["tenant_id"] = "t_2"
v("edited: content changed, hash kept", edited, broken(2, "edited"))
edited = copy.deepcopy(plain)
edited[2]["prev_hash"] = plain[0]["hash"]
v("edited: prev_hash rewritten", edited, broken(2, "edited"))
edited = copy.deepcopy(keyed)
rehashed = seal({k: v_ for k, v_ in edited[2].items() if k not in ("prev_hash", "hash", "seal", "seal_key_id")},
                edited[1]["hash"], ("k1", "a-different-key-the-dba-guessed!"))
edited[2] = rehashed
v("edited and rehashed without the key: caught by the seal", edited, broken(2, "edited"), keys=[KEY1])
edited = copy.deepcopy(plain)
edited[2] = seal({k: v_ for k, v_ in edited[2].items() if k not in ("prev_hash", "hash")} | {"outcome": "failure"},
                 edited[1]["hash"])
v("edited and rehashed, no key: the next link breaks", edited, broken(3, "deleted"))
v("deleted: a middle record", plain[:2] + plain[3:], broken(2, "deleted"))
v("deleted: two middle records", plain[:1] + plain[3:], broken(1, "deleted"))
v("deleted: the first record, caught by the genesis anchor", plain[1:], broken(0, "deleted"), anchor=GENESIS)

forged = seal(record("user.role_changed", "warning", id="evt_forged"), plain[1]["hash"])
v("inserted: forged record linked to its predecessor", plain[:2] + [forged] + plain[2:], broken(2, "inserted"))
forged_loose = seal(record("user.role_changed", "warning", id="evt_forged"), "ef" * 32)
v("inserted: forged record with an invented link", plain[:2] + [forged_loose] + plain[2:], broken(2, "inserted"))
forged_first = seal(record("user.login", "info", id="evt_forged"), None)
v("inserted: forged first record", [forged_first] + plain, broken(0, "inserted"), anchor=GENESIS)
v("inserted into a sealed chain by someone without the key", keyed[:2] + [forged] + keyed[2:], broken(2, "unsealed"),
  keys=[KEY1])
v("reordered: two records swapped", plain[:2] + [plain[3], plain[2]] + plain[4:], broken(2, "reordered"))
v("reordered: last record moved first", [plain[4]] + plain[:4], broken(0, "reordered"))
v("wrong key: same id, other secret", keyed, broken(0, "wrong_key"), keys=[("k1", "not-the-key-that-sealed-this!!")])
v("wrong key: unknown key id", keyed, broken(0, "wrong_key"), keys=[KEY2])
rotated = chain(5, [KEY1, KEY1, KEY1, KEY2, KEY2])
v("key rotation: both keys given", rotated, ok(rotated), keys=[KEY1, KEY2])
v("key rotation: new key missing", rotated, broken(3, "wrong_key"), keys=[KEY1])
v("unsealed record when a key is required", plain, broken(0, "unsealed"), keys=[KEY1])
malformed = copy.deepcopy(plain)
del malformed[1]["hash"]
v("malformed: a record without hash", malformed, broken(1, "malformed"))
malformed = copy.deepcopy(plain)
malformed[3]["prev_hash"] = "not-a-hash"
v("malformed: prev_hash not hex", malformed, broken(3, "malformed"))
v("malformed: not an object", plain[:2] + ["x"], broken(2, "malformed"))  # type: ignore[list-item]
case("anchor that is not a hash", "verify_chain", {"records": plain, "anchor": "abc"}, error="audit.invalid_record")

# A chain sealed by the npm package: Python and Rust must verify it too.
node = subprocess.run(["node", str(HERE / "audit_node_chain.js")], check=True, capture_output=True, text=True)
node_chain = json.loads(node.stdout)
node_key = (node_chain["key"]["id"], node_chain["key"]["secret"])
check_chain(node_chain["records"], node_key)
v("chain sealed in Node verifies", node_chain["records"], ok(node_chain["records"]), keys=[node_key], anchor=GENESIS)
node_edited = copy.deepcopy(node_chain["records"])
node_edited[1]["actor"]["ip"] = "198.51.100.7"
v("chain sealed in Node, one record edited", node_edited, broken(1, "edited"), keys=[node_key])

# ---- canonical_json ---------------------------------------------------------------------------

for name, value in [
    ("RFC 8785 3.2.2 example", {"numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
                                "string": "\u20ac$\u000f\nA'B\"\\\\\"/", "literals": [None, True, False]}),
    ("RFC 8785 3.2.3 sorting example", {"\u20ac": "Euro Sign", "\r": "Carriage Return",
                                         "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",
                                         "\U0001f600": "Emoji: Grinning Face", "\u0080": "Control",
                                         "\u00f6": "Latin Small Letter O With Diaeresis"}),
    ("numbers", [0, -0.0, 1, -1, 0.5, 1e21, 1e-7, 1e-6, 123456789012345.6, 5e-324, 1.7976931348623157e308,
                 9007199254740991, -9007199254740991, 9007199254740992.0, 0.1, 100, 1e2]),
    ("control characters and unicode", ["\u0000\u0008\u0009\u000a\u000b\u000c\u000d\u001f\u007f\u2028\u00e9\U0001f600"]),
    ("nested and empty", {"b": {"d": [], "c": {}}, "a": [[], [{}], ""]}),
    ("scalar string", "plain text"),
    ("null", None),
]:
    case(f"canonical_json: {name}", "canonical_json", {"value": value}, canonical(value))
# Beyond 2^53 an integer is held only in the spelling RFC 8785 (and JavaScript) writes for its
# double: 2^60 is 1152921504606847000. Others (2^53 + 1, or 2^60 as Python prints it) would hash
# as a different number than they read, so every binding refuses them (tested per language:
# JavaScript cannot even hold them).
case("canonical_json: integer beyond 2^53, as JavaScript writes its double", "canonical_json",
     {"value": 1152921504606847000}, "1152921504606847000")

# ---- CSV --------------------------------------------------------------------------------------

HEADER = ["id", "occurred_at", "tenant_id", "actor_type", "actor_id", "actor_email", "actor_role", "actor_ip",
          "actor_user_agent", "action", "severity", "outcome", "reason", "target_type", "target_id", "target_name",
          "changes", "request_id", "metadata", "expires_at", "prev_hash", "hash", "seal_key_id", "seal"]


def csv_cells(rec: Dict[str, Any]) -> List[str]:
    def get(*path: str) -> Any:
        cur: Any = rec
        for p in path:
            if not isinstance(cur, dict) or p not in cur:
                return None
            cur = cur[p]
        return cur

    values = [get("id"), get("occurred_at"), get("tenant_id"), get("actor", "type"), get("actor", "id"),
              get("actor", "email"), get("actor", "role"), get("actor", "ip"), get("actor", "user_agent"),
              get("action"), get("severity"), get("outcome"), get("reason"), get("target", "type"),
              get("target", "id"), get("target", "name"), get("changes"), get("request_id"), get("metadata"),
              get("expires_at"), get("prev_hash"), get("hash"), get("seal_key_id"), get("seal")]
    out = []
    for value in values:
        text = "" if value is None else value if isinstance(value, str) else canonical(value)
        if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"):
            text = "'" + text
        out.append(text)
    return out


def to_csv(records: List[Dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    for rec in records:
        w.writerow(csv_cells(rec))
    return buf.getvalue()


hostile = record(
    "user.login", "info",
    actor=actor(id="=cmd|' /C calc'!A0", email="@evil", role="+1", user_agent="-2+3"),
    reason="\tleading tab", target={"type": "\rcarriage", "id": "\nline feed", "name": 'say "hi", twice'},
    request_id="=HYPERLINK(\"http://evil\",\"x\")", metadata={"note": "=1+1", "k": "a,b"},
    tenant_id="plain, with comma",
)
case("CSV: hostile cells are guarded and quoted", "to_csv", {"records": [hostile]}, to_csv([hostile]))
case("CSV: sealed records, nested changes as canonical JSON", "to_csv", {"records": keyed[:2]}, to_csv(keyed[:2]))
case("CSV: no records, header only", "to_csv", {"records": []}, to_csv([]))
case("CSV: missing members are empty cells", "to_csv", {"records": [{"id": "x", "actor": {"id": "-u"}}]},
     to_csv([{"id": "x", "actor": {"id": "-u"}}]))
case("CSV: record not an object", "to_csv", {"records": [1]}, error="audit.invalid_record")

# ---- JSON Lines -------------------------------------------------------------------------------

case("JSONL: one canonical record per line", "to_jsonl", {"records": keyed[:2]},
     "".join(canonical(r) + "\n" for r in keyed[:2]))
case("JSONL: empty", "to_jsonl", {"records": []}, "")
case("JSONL: record not an object", "to_jsonl", {"records": [[]]}, error="audit.invalid_record")

# ---- OCSF -------------------------------------------------------------------------------------

ms = int(T0 * 1000)
product = {"name": "tenantry", "vendor_name": "tenantry"}


def meta(**kw: Any) -> Dict[str, Any]:
    out = {"version": "1.3.0", "product": product, "uid": "evt_1", "log_name": "audit"}
    out.update(kw)
    return out


def user(**kw: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {"uid": "u_1", "type_id": 1, "type": "User"}
    out.update(kw)
    return out


login = record("user.login", "info", tenant_id="t_1", actor=actor(email="ada@example.com", ip="203.0.113.9",
                                                                 user_agent="Mozilla/5.0"))
case("OCSF: sign-in is Authentication 3002 / Logon", "to_ocsf", {"record": login}, {
    "class_uid": 3002, "class_name": "Authentication", "category_uid": 3,
    "category_name": "Identity & Access Management", "activity_id": 1, "activity_name": "Logon",
    "type_uid": 300201, "type_name": "Authentication: Logon", "time": ms, "severity_id": 1,
    "severity": "Informational", "status_id": 1, "status": "Success", "message": "user.login",
    "metadata": meta(tenant_uid="t_1"), "actor": {"user": user(email_addr="ada@example.com")},
    "src_endpoint": {"ip": "203.0.113.9"}, "http_request": {"user_agent": "Mozilla/5.0"},
    "user": user(email_addr="ada@example.com"), "unmapped": {"expires_at": ts(T0, 90)},
})
role = record("user.role_changed", "critical", outcome="failure", reason="not an admin", request_id="req_1",
              target={"type": "user", "id": "u_2", "name": "Bob"}, actor=actor(role="viewer"), days=None)
case("OCSF: role change is Account Change 3001 / Other, failure, critical = 5", "to_ocsf", {"record": role}, {
    "class_uid": 3001, "class_name": "Account Change", "category_uid": 3,
    "category_name": "Identity & Access Management", "activity_id": 99, "activity_name": "Other",
    "type_uid": 300199, "type_name": "Account Change: Other", "time": ms, "severity_id": 5,
    "severity": "Critical", "status_id": 2, "status": "Failure", "status_detail": "not an admin",
    "message": "user.role_changed", "metadata": meta(correlation_uid="req_1"), "actor": {"user": user()},
    "user": {"uid": "u_2", "name": "Bob"}, "unmapped": {"actor_role": "viewer"},
})
pw = record("user.password_changed", "warning", days=None)
case("OCSF: password change is Account Change / Password Change, warning = 3", "to_ocsf", {"record": pw}, {
    "class_uid": 3001, "class_name": "Account Change", "category_uid": 3,
    "category_name": "Identity & Access Management", "activity_id": 3, "activity_name": "Password Change",
    "type_uid": 300103, "type_name": "Account Change: Password Change", "time": ms, "severity_id": 3,
    "severity": "Medium", "status_id": 1, "status": "Success", "message": "user.password_changed",
    "metadata": meta(), "actor": {"user": user()}, "user": user(),
})
sealed_setting = seal(record("setting.updated", "error", days=None, target={"type": "setting", "id": "smtp_host"},
                             changes=[{"path": "/smtp_host", "before": "a", "after": "b"}], metadata={"via": "api"}),
                      None, KEY1)
case("OCSF: setting update is Entity Management 3004 / Update, error = 4, chain in unmapped", "to_ocsf",
     {"record": sealed_setting}, {
         "class_uid": 3004, "class_name": "Entity Management", "category_uid": 3,
         "category_name": "Identity & Access Management", "activity_id": 3, "activity_name": "Update",
         "type_uid": 300403, "type_name": "Entity Management: Update", "time": ms, "severity_id": 4,
         "severity": "High", "status_id": 1, "status": "Success", "message": "setting.updated",
         "metadata": meta(), "actor": {"user": user()}, "entity": {"uid": "smtp_host", "type": "setting"},
         "unmapped": {"changes": [{"path": "/smtp_host", "before": "a", "after": "b"}], "metadata": {"via": "api"},
                      "prev_hash": GENESIS, "hash": sealed_setting["hash"], "seal_key_id": "k1",
                      "seal": sealed_setting["seal"]},
     })
download = record("report.downloaded", "info", days=None, request_id="req_7",
                  actor=actor(type="api_key", id="key_9", ip="2001:db8::2"),
                  target={"type": "report", "id": "r_1", "name": "Q1"})
case("OCSF: report download is API Activity 6003 / Read", "to_ocsf", {"record": download}, {
    "class_uid": 6003, "class_name": "API Activity", "category_uid": 6, "category_name": "Application Activity",
    "activity_id": 2, "activity_name": "Read", "type_uid": 600302, "type_name": "API Activity: Read", "time": ms,
    "severity_id": 1, "severity": "Informational", "status_id": 1, "status": "Success",
    "message": "report.downloaded", "metadata": meta(correlation_uid="req_7"),
    "actor": {"user": {"uid": "key_9", "type_id": 99, "type": "API Key"}}, "src_endpoint": {"ip": "2001:db8::2"},
    "api": {"operation": "report.downloaded", "request": {"uid": "req_7"}},
    "resources": [{"uid": "r_1", "type": "report", "name": "Q1"}],
})
startup = record("system.startup", "info", days=None, actor=actor(type="system", id="boot"))
case("OCSF: system startup is API Activity / Other, system actor", "to_ocsf", {"record": startup}, {
    "class_uid": 6003, "class_name": "API Activity", "category_uid": 6, "category_name": "Application Activity",
    "activity_id": 99, "activity_name": "Other", "type_uid": 600399, "type_name": "API Activity: Other", "time": ms,
    "severity_id": 1, "severity": "Informational", "status_id": 1, "status": "Success", "message": "system.startup",
    "metadata": meta(), "actor": {"user": {"uid": "boot", "type_id": 3, "type": "System"}}, "src_endpoint": {},
    "api": {"operation": "system.startup"},
})
case("OCSF: not a record", "to_ocsf", {"record": {"action": "user.login"}}, error="audit.invalid_record")

# ---- summarize --------------------------------------------------------------------------------

day2 = T0 + 86400
recs = [
    record("user.login", "info"),
    record("user.login", "info", actor=actor(id="u_2"), outcome="failure"),
    record("setting.updated", "warning", at=day2),
    seal(record("user.deleted", "critical", at=day2 - 1), None),
]
case("summarize: counts by action, severity, outcome, actor and day", "summarize", {"records": recs}, {
    "total": 4,
    "by_action": {"setting.updated": 1, "user.deleted": 1, "user.login": 2},
    "by_severity": {"critical": 1, "error": 0, "info": 2, "warning": 1},
    "by_outcome": {"failure": 1, "success": 3},
    "by_actor": {"u_1": 3, "u_2": 1},
    "by_day": {ts(T0)[:10]: 2, ts(day2)[:10]: 2},
    "first": ts(T0),
    "last": ts(day2),
})
case("summarize: nothing", "summarize", {"records": []}, {
    "total": 0, "by_action": {}, "by_severity": {"critical": 0, "error": 0, "info": 0, "warning": 0},
    "by_outcome": {"failure": 0, "success": 0}, "by_actor": {}, "by_day": {}, "first": None, "last": None})
case("summarize: invalid severity in a stored record", "summarize",
     {"records": [dict(record("user.login", "info"), severity="INFO")]}, error="audit.invalid_record")
# serde reads a struct from an array of its fields too: a record is an object.
case("summarize: a record given as an array of its values", "summarize",
     {"records": [list(record("user.login", "info").values())]}, error="audit.invalid_record")
case("OCSF: a record given as an array of its values", "to_ocsf",
     {"record": list(record("user.login", "info").values())}, error="audit.invalid_record")

# ---- retention_cutoff -------------------------------------------------------------------------

case("retention cutoff: 90 days", "retention_cutoff", {"now": 1_700_000_000, "days": 90}, ts(1_700_000_000, -90))
case("retention cutoff: keeps milliseconds", "retention_cutoff", {"now": T0, "days": 1}, ts(T0, -1))
case("retention cutoff: clamps at 1970", "retention_cutoff", {"now": 86400, "days": 2}, "1970-01-01T00:00:00.000Z")
case("retention cutoff: zero days", "retention_cutoff", {"now": 1_700_000_000, "days": 0},
     error="audit.invalid_retention")
case("retention cutoff: negative days", "retention_cutoff", {"now": 1_700_000_000, "days": -5},
     error="audit.invalid_retention")

# ---- catalogue --------------------------------------------------------------------------------

catalogue = {
    "user.login": "info", "user.logout": "info", "user.created": "info", "user.updated": "info",
    "user.deleted": "warning", "user.password_changed": "warning", "user.role_changed": "warning",
    "user.deactivated": "warning", "user.activated": "info",
    "cycle.created": "info", "cycle.updated": "info", "cycle.opened": "info", "cycle.closed": "info",
    "cycle.deleted": "warning",
    "forecast.created": "info", "forecast.submitted": "info", "forecast.approved": "info",
    "forecast.rejected": "info", "forecast.updated": "info", "forecast.deleted": "warning",
    "customer.created": "info", "customer.updated": "info", "customer.deleted": "warning",
    "product.created": "info", "product.updated": "info", "product.deleted": "warning",
    "excel.imported": "info", "report.generated": "info", "report.downloaded": "info", "report.deleted": "warning",
    "setting.updated": "warning", "setting.created": "info", "setting.deleted": "warning",
    "system.startup": "info", "system.shutdown": "warning", "system.scheduled_job_run": "info",
}
case("the seed 004 action catalogue with default severities", "actions", {}, catalogue)

# ---- messages -------------------------------------------------------------------------------
# The message each error case must carry, by case name. Unlike the expected values above these are
# not derived here: they are the implementation's words (the core's, which the Python and Node
# packages pass on unchanged), pinned so that every runner compares them and a change of wording
# is a visible change of the vectors. Every error case needs one; an entry no case uses fails.
MESSAGES: Dict[str, str] = {
    "action with capitals": "/action: must be dotted lowercase such as settings.updated (segments [a-z][a-z0-9_]*, at most 128 characters)",
    "action without a dot": "/action: must be dotted lowercase such as settings.updated (segments [a-z][a-z0-9_]*, at most 128 characters)",
    "action with a space": "/action: must be dotted lowercase such as settings.updated (segments [a-z][a-z0-9_]*, at most 128 characters)",
    "unknown severity": "/severity: must be one of info, warning, error, critical",
    "invalid IPv4": "/actor/ip: must be an IPv4 or IPv6 address",
    "invalid IP text": "/actor/ip: must be an IPv4 or IPv6 address",
    "invalid IPv6": "/actor/ip: must be an IPv4 or IPv6 address",
    "control character in actor id": "/actor/id: must not contain control characters",
    "control character in target name": "/target/name: must not contain control characters",
    "DEL in user agent": "/actor/user_agent: must not contain control characters",
    "role too long": "/actor/role: must be at most 256 characters, got 257",
    "metadata over the default 8 KB": "/metadata: must be at most 8192 bytes of canonical JSON, got 8211",
    "metadata over a custom bound": "/metadata: must be at most 64 bytes of canonical JSON, got 71",
    "metadata not an object": "/metadata: must be a JSON object",
    "unknown actor type": "/actor/type: must be one of user, api_key, service, system",
    "actor without id": "/actor/id: is required",
    "actor with unknown member": "/actor/name: unknown member (expected type, id, email, role, ip, user_agent)",
    "empty actor id": "/actor/id: must not be empty",
    "invalid email": "/actor/email: must be an e-mail address",
    "unknown outcome": "/outcome: must be success or failure",
    "changes and before together": "/changes: give either changes or before/after documents, not both",
    "change path not a pointer": "/changes/0/path: must be a JSON Pointer (empty or starting with /, with ~ only in ~0 and ~1)",
    "sensitive path not a pointer": "/sensitive_paths: \"password\" is not a JSON Pointer (it must be empty or start with /, with ~ only in ~0 and ~1)",
    "change path with a bad escape": "/changes/0/path: must be a JSON Pointer (empty or starting with /, with ~ only in ~0 and ~1)",
    "sensitive path with a bad escape": "/sensitive_paths: \"/a~\" is not a JSON Pointer (it must be empty or start with /, with ~ only in ~0 and ~1)",
    "schema: a misspelt x-sensitive is refused, as settings refuse it": "invalid schema at /properties/token/x-sensitve: unknown annotation \"x-sensitve\": did you mean \"x-sensitive\"?",
    "schema: X-Sensitive in another case is refused": "invalid schema at /properties/pin/X-Sensitive: unknown annotation \"X-Sensitive\": did you mean \"x-sensitive\"?",
    "schema: x-sensitive that is not a boolean is refused": "invalid schema at /properties/pin/x-sensitive: x-sensitive must be true or false",
    "schema: x-sensitive under items, where settings do not honour it, is refused": "invalid schema at /properties/urls/items/x-sensitive: x-sensitive is not honoured here: tenantry's annotations apply only to the schema of a property (a member of `properties`, directly or through a local $ref), not at the root or under items, prefixItems, allOf, anyOf, oneOf, not, if/then/else, patternProperties, additionalProperties, dependentSchemas or other keywords; put it on the property itself",
    "retention of zero days": "retention must be between 1 and 36500 days, got 0",
    "retention over 100 years": "retention must be between 1 and 36500 days, got 36501",
    "time before 1970": "time must lie between 1970-01-01 and 9999-12-31 (UTC)",
    "build_sealed: previous hash not 64 hex digits": "previous_hash must be the 64 lowercase hex digits of the previous record's hash",
    "build_sealed: the record is validated first": "/action: must be dotted lowercase such as settings.updated (segments [a-z][a-z0-9_]*, at most 128 characters)",
    "seal: already sealed": "the record is already sealed (it has a prev_hash member)",
    "seal: previous hash not hex": "previous_hash must be the 64 lowercase hex digits of the previous record's hash",
    "seal: previous hash upper-case": "previous_hash must be the 64 lowercase hex digits of the previous record's hash",
    "seal: record not an object": "a record must be a JSON object",
    "seal: key too short": "a seal key needs at least 16 bytes, got 5",
    "seal: key id with control character": "seal key id: /key/id: must not contain control characters",
    "anchor that is not a hash": "the anchor must be 64 lowercase hex digits",
    "CSV: record not an object": "record 0 is not a JSON object",
    "JSONL: record not an object": "record 0 is not a JSON object",
    "OCSF: not a record": "not an audit record: missing field `id`",
    "summarize: invalid severity in a stored record": "record 0: not an audit record: unknown variant `INFO`, expected one of `info`, `warning`, `error`, `critical`",
    "summarize: a record given as an array of its values": "record 0: not an audit record: a record is a JSON object",
    "OCSF: a record given as an array of its values": "not an audit record: a record is a JSON object",
    "retention cutoff: zero days": "retention must be between 1 and 36500 days, got 0",
    "retention cutoff: negative days": "retention must be between 1 and 36500 days, got -5",
}
pin_messages(cases, MESSAGES)

doc = {
    "capability": "audit",
    "description": (
        "Audit records: build (validation, masking, JSON Pointer diffs, retention), seal, build_sealed and verify_chain "
        "(intact chains and every kind of break, including a chain sealed by the npm package), RFC 8785 "
        "canonical JSON, CSV with hostile cells, JSON Lines, OCSF, summaries, retention cutoffs. Generated by "
        "generate_audit.py: hashes with hashlib over the PyPI rfc8785 package, seals with stdlib hmac, CSV with "
        "the stdlib csv module; times are Unix seconds; seal keys are {id, secret (UTF-8 text)}."
    ),
    "cases": cases,
}
(HERE / "audit.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
print(f"wrote {len(cases)} audit vectors")
