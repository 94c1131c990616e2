"""The extension's objects shared between threads, as a threaded WSGI server or a thread pool uses
them: every capability gives the same answers in each thread while several run at once, records and
keys made in one thread verify in another, and ids drawn in different threads never repeat."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List, Optional

from tenantry import audit
from tenantry.apikeys import ApiKeys
from tenantry.limits import PlanCatalog, RateLimit
from tenantry.settings import SettingsSchema
from tenantry.webhooks import Webhook

NOW = 1_700_000_000
# Built once and shared by every thread (the objects are frozen).
KEY = audit.SealKey("k1", bytes([7]) * 32)
KEYS = ApiKeys("tk", {"p1": b"k" * 32})
WEBHOOK = Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
SCHEMA = SettingsSchema({
    "type": "object",
    "properties": {"seats": {"type": "integer", "default": 5, "minimum": 1}, "name": {"type": "string", "default": "acme"}},
})
ENTITLEMENTS = PlanCatalog({"free": {"limits": {"max_users": 5}}}).entitlements("free")
LIMIT = RateLimit(2, 10)
BEFORE = {"theme": "light", "seats": 5, "smtp_password": "old", "nested": {"a": [1, 2]}}
AFTER = {"theme": "dark", "seats": 10, "smtp_password": "new", "nested": {"a": [1, 3]}}


def work(worker: str, rounds: int, prev: Optional[str]) -> Dict[str, Any]:
    """What each thread does; only the deterministic parts are compared between threads."""
    out: Dict[str, Any] = {}
    chain = prev
    records: List[Dict[str, Any]] = []
    for i in range(rounds):
        record = audit.build_sealed(
            chain, KEY, action="setting.updated", actor={"type": "user", "id": "u_" + worker, "ip": "203.0.113.9"},
            tenant_id="t_1", before=BEFORE, after=AFTER, occurred_at=NOW + i, metadata={"worker": worker, "i": i},
        )
        chain = record["hash"]
        records.append(record)
    out["chain_ok"] = audit.verify_chain(records, KEY, anchor=prev).ok
    out["changes"] = records[0]["changes"]
    out["records"] = records
    out["canonical"] = audit.canonical_json({"b": [1, "é", {"z": None, "a": 1e21}], "a": -0.0})

    payload = b'{"type":"invoice.paid"}'
    headers = {}
    for _ in range(rounds):
        headers = WEBHOOK.sign("msg_1", payload, NOW)
        WEBHOOK.verify(payload, headers, now=NOW)
    out["webhook_headers"] = headers

    issued = KEYS.generate(now=NOW)
    out["key_valid"] = all(KEYS.verify(issued.token, issued.record, now=NOW).valid for _ in range(rounds))
    out["issued"] = (issued.token, issued.record)

    out["resolved"] = [SCHEMA.resolve([("tenant", {"seats": 7})]).value for _ in range(rounds)][-1]
    out["patch"] = SCHEMA.apply_patch({"seats": 7}, {"name": "other"})
    out["decision"] = [ENTITLEMENTS.check("max_users", 3, 1, now=NOW) for _ in range(rounds)][-1].to_dict()
    state = None
    allowed = []
    for _ in range(3):
        decision = LIMIT.check(state, now=NOW)
        allowed.append(decision.allowed)
        if decision.allowed:
            state = decision.state
    out["rate"] = allowed
    return out


def deterministic(result: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in result.items() if k not in ("records", "issued")}


def test_four_threads_at_once_give_the_same_answers_and_their_work_verifies_anywhere() -> None:
    mine = work("main", 20, None)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda w: work(str(w), 500, None), range(4)))
    for w, got in enumerate(results):
        assert deterministic(got) == deterministic(mine), f"thread {w}"
        assert len(got["records"]) == 500
        assert audit.verify_chain(got["records"], KEY).ok
        edited = [dict(r) for r in got["records"]]
        edited[321]["action"] = "setting.deleted"
        report = audit.verify_chain(edited, KEY)
        assert (report.ok, report.index, report.reason) == (False, 321, "edited")
        token, record = got["issued"]
        assert KEYS.verify(token, record, now=NOW).valid
    ids = [r["id"] for got in results for r in got["records"]]
    assert len(set(ids)) == len(ids)
    assert len({got["issued"][0] for got in results}) == len(results)


def test_a_chain_continues_across_threads() -> None:
    first = work("main", 3, None)["records"]
    with ThreadPoolExecutor(max_workers=1) as pool:
        middle = pool.submit(work, "t", 3, first[-1]["hash"]).result()["records"]
    last = work("main", 3, middle[-1]["hash"])["records"]
    assert audit.verify_chain(first + middle + last, KEY).ok
    report = audit.verify_chain(first + last, KEY)
    assert (report.ok, report.index, report.reason) == (False, 3, "deleted")


def test_imported_first_in_a_thread_that_exits() -> None:
    # A server that imports lazily in a worker thread, which then exits. mimalloc 3 tied its main
    # heap to the thread that loaded the extension: the next thread's first allocation crashed
    # the process (SIGSEGV). A child process, so that this one's import does not come first.
    script = """
import threading
def first():
    from tenantry import audit
    audit.build(action="a.b", actor={"type": "user", "id": "u"})
def later():
    from tenantry import audit
    for _ in range(200):
        audit.build(action="a.b", actor={"type": "user", "id": "u"}, before={"a": 1}, after={"a": 2})
for target in [first, later, later, later]:
    t = threading.Thread(target=target)
    t.start()
    t.join()
print("done", end="")
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout) == (0, "done"), run.stderr


def test_long_calls_let_other_threads_run() -> None:
    # verify_chain of a long chain, to_jsonl, to_csv and summarize run with the GIL released:
    # held, they stalled every other thread of a threaded server (100,000 records: ~1 s). So does
    # compiling a settings schema (a service may compile one per tenant as it runs).
    # Not timed: with a switch interval longer than the test, the other thread runs only while
    # this one waits, so its counter can move during a call only if the call released the GIL.
    # Whether it does move in one call depends on the scheduler (the ticker may still be asleep
    # through a short release), so each call gets many tries; a call that holds the GIL fails
    # every one of them.
    key = audit.SealKey("k1", bytes(32))
    chain: List[Dict[str, Any]] = []
    for i in range(2000):
        record = audit.build(action="user.login", actor={"type": "user", "id": f"u{i}"}, occurred_at=1_700_000_000)
        chain.append(audit.seal(record, chain[-1]["hash"] if chain else None, key))
    big_schema = {"type": "object", "properties": {
        f"s{i}": {"type": "string", "default": "x", "maxLength": 100, "pattern": "^[a-z]+$"} for i in range(200)
    }}
    ticks = [0]
    stop = threading.Event()

    def tick() -> None:
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0.0001)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000)
    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        while ticks[0] == 0:
            time.sleep(0.001)
        calls: Dict[str, Callable[[], Any]] = {
            "verify_chain": lambda: audit.verify_chain(chain, key),
            "verify_chain (text)": lambda: audit.verify_chain(json.dumps(chain), key),
            "to_jsonl": lambda: audit.to_jsonl(chain),
            "to_csv": lambda: audit.to_csv(chain),
            "summarize": lambda: audit.summarize(chain),
            "SettingsSchema": lambda: SettingsSchema(big_schema),
        }
        moved: Dict[str, bool] = {}
        for name, call in calls.items():
            moved[name] = False
            for _ in range(100):
                before = ticks[0]
                call()
                if ticks[0] > before:
                    moved[name] = True
                    break
        assert all(moved.values()), moved
    finally:
        stop.set()
        ticker.join()
        sys.setswitchinterval(interval)
