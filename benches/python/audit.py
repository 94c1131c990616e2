"""Bench module (interface: run.py). Audit from Python: tenantry against a plain Python
implementation of the same work (json.dumps with sort_keys + hashlib + hmac, the csv module, PyPI
rfc8785). Target from issue 6: build + seal of a record with a ten-field change in at most 5 µs.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import rfc8785

from _timing import Row, best_us, print_table
from tenantry import audit

SECRET = b"bench-seal-key-0123456789abcdef!"
KEY = audit.SealKey("k1", SECRET)
BEFORE = {"theme": "light", "locale": "en", "seats": 5, "timezone": "UTC", "smtp_host": "a.example.com",
          "smtp_port": 25, "smtp_password": "old", "retention_days": 90, "beta": False, "plan": "pro"}
AFTER = {"theme": "dark", "locale": "de", "seats": 10, "timezone": "Europe/Berlin", "smtp_host": "b.example.com",
         "smtp_port": 587, "smtp_password": "new", "retention_days": 30, "beta": True, "plan": "team"}
ACTOR = {"type": "user", "id": "u_1", "ip": "203.0.113.9"}
PREV = "ab" * 32
SENSITIVE = ("password", "passwd", "secret", "token", "apikey", "authorization")


def tenantry_build_seal() -> Dict[str, Any]:
    record = audit.build(actor=ACTOR, action="setting.updated", tenant_id="t_1", request_id="req_1",
                         before=BEFORE, after=AFTER, occurred_at=1_700_000_000)
    return audit.seal(record, PREV, KEY)


def tenantry_build_sealed() -> Dict[str, Any]:
    return audit.build_sealed(PREV, KEY, actor=ACTOR, action="setting.updated", tenant_id="t_1",
                              request_id="req_1", before=BEFORE, after=AFTER, occurred_at=1_700_000_000)


def plain_build_seal() -> Dict[str, Any]:
    """The same record, built and sealed by hand: what the seeds would write."""
    now = datetime.fromtimestamp(1_700_000_000, tz=timezone.utc)
    changes = []
    for k in BEFORE.keys() | AFTER.keys():
        b, a = BEFORE.get(k), AFTER.get(k)
        if b != a:
            norm = k.lower().replace("_", "").replace("-", "")
            masked = any(s in norm for s in SENSITIVE)
            changes.append({"path": "/" + k.replace("~", "~0").replace("/", "~1"),
                            "before": "***" if masked else b, "after": "***" if masked else a})
    record = {
        "id": os.urandom(16).hex(), "occurred_at": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "tenant_id": "t_1", "actor": dict(ACTOR), "action": "setting.updated", "severity": "warning",
        "outcome": "success", "reason": None, "target": None, "changes": changes, "request_id": "req_1",
        "metadata": {}, "expires_at": None, "prev_hash": PREV, "seal_key_id": "k1",
    }
    digest = hashlib.sha256(json.dumps(record, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    record["seal"] = hmac.new(SECRET, digest.encode(), hashlib.sha256).hexdigest()
    record["hash"] = digest
    return record


def chain(n: int) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    prev: Optional[str] = None
    for i in range(n):
        rec = audit.build(actor=ACTOR, action="setting.updated", tenant_id="t_1", before=BEFORE, after=AFTER,
                          occurred_at=1_700_000_000 + i)
        s = audit.seal(rec, prev, KEY)
        prev = s["hash"]
        out.append(s)
    return out


def plain_verify(records: List[Dict[str, Any]]) -> bool:
    prev = None
    for r in records:
        body = {k: v for k, v in r.items() if k not in ("hash", "seal")}
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        if digest != r["hash"] or (prev is not None and r["prev_hash"] != prev):
            return False
        if not hmac.compare_digest(hmac.new(SECRET, digest.encode(), hashlib.sha256).hexdigest(), r["seal"]):
            return False
        prev = digest
    return True


def plain_csv(records: List[Dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for r in records:
        cells = [r["id"], r["occurred_at"], r["tenant_id"], r["actor"]["id"], r["action"], r["severity"],
                 json.dumps(r["changes"], sort_keys=True), r["hash"]]
        w.writerow(["'" + c if c[:1] in "=+-@\t\r\n" and c else c for c in (str(x) for x in cells)])
    return buf.getvalue()


def rows() -> List[Row]:
    assert audit.verify_chain([tenantry_build_seal()], KEY).ok
    records = chain(10_000)
    assert plain_verify(records)
    sample = records[0]
    cases = [
        ("build + seal, ten-field change (one call: build_sealed)", tenantry_build_sealed,
         "plain dict + json.dumps + hashlib", plain_build_seal, 20, 1000),
        ("build + seal, ten-field change (two calls: seal(build()))", tenantry_build_seal,
         "plain dict + json.dumps + hashlib", plain_build_seal, 20, 1000),
        ("canonical JSON of a record", lambda: audit.canonical_json(sample), "PyPI rfc8785",
         lambda: rfc8785.dumps(sample), 20, 1000),
        ("verify_chain, 10,000 sealed records", lambda: audit.verify_chain(records, KEY),
         "json.dumps + hashlib loop", lambda: plain_verify(records), 5, 1),
        ("to_csv, 1,000 records", lambda: audit.to_csv(records[:1000]), "csv module (8 columns)",
         lambda: plain_csv(records[:1000]), 5, 3),
    ]
    out: List[Row] = []
    for name, ours, peer, theirs, repeat, number in cases:
        best = best_us({"tenantry": ours, peer: theirs}, repeat=repeat, number=number)
        out.append((f"audit {name}", peer, best["tenantry"], best[peer]))
    return out


TITLE = "Python: audit against plain Python (µs per call)"
NOTES = ["audit: target build + seal <= 5 µs"]

if __name__ == "__main__":
    print_table(TITLE, rows(), NOTES)
