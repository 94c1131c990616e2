"""Memory that comes back: each call family (successes, refusals that raise, results that pickle)
run tens of thousands of times holds no memory it took. The extension counts references by hand in
places (the hot paths read dicts through the C API and reuse the caller's objects in results), so a
missed decref would leave Python objects behind, and a Rust value forgotten would leave native
memory behind: each call's Python allocations (``sys.getallocatedblocks``, exact) and the process's
resident memory (``/proc/self/statm``, all allocators) must stop growing.

A round of ``ROUND`` calls leaking even 16 bytes a call grows resident memory by ``16 * ROUND``, over
``SETTLED``: it could never settle. A round that holds no memory may still move by a few pages (the
allocators keep and hand back whole pages), so the test asks for one settled round out of ``ROUNDS``.
"""

from __future__ import annotations

import gc
import pickle
import sys
from typing import Any, Callable, Dict, List

import pytest

from tenantry import TenantryError, audit
from tenantry.apikeys import ApiKeys
from tenantry.limits import PlanCatalog, RateLimit
from tenantry.settings import SettingsSchema
from tenantry.webhooks import Webhook

NOW = 1_700_000_000
ROUND = 40_000
ROUNDS = 6
SETTLED = 512 * 1024
PAGE = 4096

KEY = audit.SealKey("k1", b"k" * 32)
KEYS = ApiKeys("tk", {"p1": b"p" * 32})
ISSUED = KEYS.generate(now=NOW)
WEBHOOK = Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
PAYLOAD = b'{"type": "invoice.paid", "amount": 100}'
SIGNED = WEBHOOK.sign("msg_1", PAYLOAD, NOW)
SCHEMA_DOC = {
    "type": "object",
    "properties": {
        "theme": {"type": "string", "enum": ["light", "dark"], "default": "light"},
        "seats": {"type": "integer", "minimum": 1, "default": 5},
        "smtp": {"type": "object", "properties": {"password": {"type": "string", "x-sensitive": True}}},
    },
}
SCHEMA = SettingsSchema(SCHEMA_DOC)
CATALOG_DOC = {"free": {"limits": {"seats": 5, "tokens": {"limit": 100, "period": "month"}}, "features": ["a"]}}
ENTITLEMENTS = PlanCatalog(CATALOG_DOC).entitlements("free")
RATE = RateLimit(10, 60)
BEFORE = {"theme": "light", "seats": 5, "smtp_password": "old", "nested": {"a": [1, 2.5, None]}}
AFTER = {"theme": "dark", "seats": 10, "smtp_password": "new", "nested": {"a": [1, 3, True]}}
ACTOR = {"type": "user", "id": "u_1", "ip": "203.0.113.9"}
RECORD = audit.build(actor=ACTOR, action="setting.updated", before=BEFORE, after=AFTER, occurred_at=NOW)
CHAIN = [audit.seal(RECORD, None, KEY)]


def refused(call: Callable[[], Any]) -> Callable[[], None]:
    """`call`, which must raise a TenantryError (its message, code and errors are built each time)."""

    def run() -> None:
        try:
            call()
        except TenantryError as exc:
            assert exc.code
        else:
            raise AssertionError("expected a TenantryError")

    return run


CALLS: Dict[str, Callable[[], Any]] = {
    "webhook sign": lambda: WEBHOOK.sign("msg_1", PAYLOAD, NOW),
    "webhook verify": lambda: WEBHOOK.verify(PAYLOAD, SIGNED, now=NOW),
    "webhook verify refused": refused(lambda: WEBHOOK.verify(b"{}", SIGNED, now=NOW)),
    "webhook secret refused": refused(lambda: Webhook("whsec_!")),
    "api key generate": lambda: KEYS.generate(now=NOW, scopes=["invoices:read"]),
    "api key verify": lambda: KEYS.verify(ISSUED.token, ISSUED.record, now=NOW),
    "api key verify, wrong token": lambda: KEYS.verify(ISSUED.token[:-1] + "x", ISSUED.record, now=NOW),
    "api key parse refused": refused(lambda: KEYS.parse("nope")),
    "limits check": lambda: ENTITLEMENTS.check("tokens", 79, 2, now=NOW),
    "limits enforce refused": refused(lambda: ENTITLEMENTS.enforce("seats", 5, now=NOW)),
    "rate check": lambda: RATE.check(None, now=NOW),
    "rate decision pickled": lambda: pickle.loads(pickle.dumps(RATE.check(None, now=NOW))),
    "plan catalog": lambda: PlanCatalog(CATALOG_DOC),
    "plan catalog refused": refused(lambda: PlanCatalog({"free": {"limits": {"seats": "many"}}})),
    "settings schema": lambda: SettingsSchema(SCHEMA_DOC),
    "settings resolve": lambda: SCHEMA.resolve([("tenant", {"theme": "dark"}), ("user", {"seats": 7})]).value,
    "settings patch": lambda: SCHEMA.apply_patch({"theme": "dark"}, {"seats": 9}, role="admin"),
    "settings validate refused": refused(lambda: SCHEMA.validate({"theme": "blue", "seats": 0})),
    "audit build_sealed": lambda: audit.build_sealed(None, KEY, actor=ACTOR, action="setting.updated", before=BEFORE, after=AFTER),
    "audit build, then seal": lambda: audit.seal(audit.build(actor=ACTOR, action="user.login"), None, KEY),
    "audit build refused": refused(lambda: audit.build(actor={"type": "user", "id": "u", "ip": "300.1.1.1"}, action="x.y")),
    "audit verify_chain": lambda: audit.verify_chain(CHAIN, KEY),
    "audit to_csv": lambda: audit.to_csv(CHAIN),
    "audit canonical_json": lambda: audit.canonical_json(RECORD),
}


def resident() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def run_round(call: Callable[[], Any]) -> None:
    for _ in range(ROUND):
        call()
    gc.collect()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
@pytest.mark.parametrize("name", list(CALLS))
def test_memory_comes_back(name: str) -> None:
    call = CALLS[name]
    run_round(call)  # warm up: caches, allocator pages, interned names
    growth: List[tuple[int, int]] = []
    for _ in range(ROUNDS):
        memory, blocks = resident(), sys.getallocatedblocks()
        run_round(call)
        growth.append((resident() - memory, sys.getallocatedblocks() - blocks))
        if growth[-1][0] < SETTLED and growth[-1][1] < 100:
            return
    pytest.fail(f"{name}: memory kept growing over {ROUNDS} rounds of {ROUND} calls (bytes, Python blocks): {growth}")
