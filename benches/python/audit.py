"""Audit benchmarks from Python: tenantry against a plain Python implementation of the same work
(json.dumps with sort_keys + hashlib + hmac, the csv module, PyPI rfc8785).

Prints one table: operation, tenantry, plain Python, ratio (plain / tenantry). Target from issue 6:
build + seal of a record with a ten-field change in at most 5 µs.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
import timeit
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional

import rfc8785

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


def per_call(fn: Callable[[], Any], number: int = 0) -> float:
    timer = timeit.Timer(fn)
    if number == 0:
        number, _ = timer.autorange()
    best = min(timer.repeat(repeat=5, number=number))
    return best / number


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:9.2f} µs"
    return f"{seconds * 1e3:9.2f} ms"


def main() -> None:
    assert audit.verify_chain([tenantry_build_seal()], KEY).ok
    records = chain(10_000)
    sample = records[0]
    rows = [
        ("build + seal, ten-field change", per_call(tenantry_build_seal), "plain dict + json.dumps + hashlib",
         per_call(plain_build_seal)),
        ("canonical JSON of a record", per_call(lambda: audit.canonical_json(sample)), "PyPI rfc8785",
         per_call(lambda: rfc8785.dumps(sample))),
        ("verify_chain, 10,000 sealed records", per_call(lambda: audit.verify_chain(records, KEY), 1),
         "json.dumps + hashlib loop", per_call(lambda: plain_verify(records), 1)),
        ("to_csv, 1,000 records", per_call(lambda: audit.to_csv(records[:1000]), 3), "csv module (8 columns)",
         per_call(lambda: plain_csv(records[:1000]), 3)),
    ]
    print("\naudit (Python)")
    print(f"{'operation':40} {'tenantry':>12} {'plain Python':>12}  ratio  peer")
    for name, ours, peer_name, theirs in rows:
        print(f"{name:40} {fmt(ours):>12} {fmt(theirs):>12} {theirs / ours:6.1f}x  {peer_name}")
    print(f"target: build + seal <= 5 µs -> {'met' if rows[0][1] <= 5e-6 else 'NOT met'} ({rows[0][1] * 1e6:.2f} µs)")


if __name__ == "__main__":
    main()
