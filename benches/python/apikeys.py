"""Bench module (interface: run.py). API keys: tenantry verify (parse, checksum, peppered hash,
status and scope checks against a stored record) vs a stdlib hash-only baseline
(hmac.new(...).digest() + hmac.compare_digest), and tenantry generate (no peer).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import List

from _timing import Row, best_us, print_table
from tenantry.apikeys import ApiKeys

PEPPER = os.urandom(32)
keys = ApiKeys("tk", {"p1": PEPPER})
NOW = 1_700_000_000
issued = keys.generate(scopes=["settings:read", "webhooks:*"], now=NOW)
TOKEN = issued.token
RECORD = issued.record
RECORD["last_used_at"] = NOW
STORED = bytes.fromhex(RECORD["hash"])
REQUIRED = ["settings:read"]


def baseline_verify() -> bool:
    return hmac.compare_digest(hmac.new(PEPPER, TOKEN.encode(), hashlib.sha256).digest(), STORED)


def tenantry_verify() -> bool:
    # As on the request path: the clock is read inside (no `now` keyword to parse).
    return keys.verify(TOKEN, RECORD, REQUIRED).valid


def tenantry_generate() -> object:
    return keys.generate(scopes=REQUIRED, now=NOW)


assert baseline_verify() and tenantry_verify()


def rows() -> List[Row]:
    verify = best_us({"tenantry": tenantry_verify, "stdlib hmac (hash only)": baseline_verify})
    generate = best_us({"tenantry": tenantry_generate})
    return [
        ("apikeys verify", "stdlib hmac (hash only)", verify["tenantry"], verify["stdlib hmac (hash only)"]),
        ("apikeys generate", "-", generate["tenantry"], None),
    ]


TITLE = "Python: API keys (µs per call)"
NOTES = ["apikeys: the verify peer is the hash-only baseline; target generate <= 5 µs"]

if __name__ == "__main__":
    print_table(TITLE, rows(), NOTES)
