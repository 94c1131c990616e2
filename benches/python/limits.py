"""Bench module (interface: run.py). tenantry.limits against an equivalent pure-Python
implementation of the same decisions.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

from _timing import Row, best_us, print_table
from tenantry.limits import PlanCatalog, RateLimit

CATALOG = {
    "free": {
        "limits": {
            "max_users": 5,
            "max_tokens_per_month": {"limit": 100000, "period": "month", "grace": {"percent": 10, "duration": 259200}},
        },
        "features": ["basic_chat"],
    }
}


# ---- the pure-Python equivalent ------------------------------------------------------------------

class PyDecision:
    __slots__ = ("allowed", "status", "limit", "used", "requested", "remaining", "percent", "crossed",
                 "grace_ends_at", "over_limit_since")

    def __init__(self, allowed: bool, status: str, limit: Optional[int], used: int, requested: int,
                 remaining: Optional[int], percent: Optional[float], crossed: List[float],
                 grace_ends_at: Optional[int], over_limit_since: Optional[int]) -> None:
        self.allowed, self.status, self.limit, self.used, self.requested = allowed, status, limit, used, requested
        self.remaining, self.percent, self.crossed = remaining, percent, crossed
        self.grace_ends_at, self.over_limit_since = grace_ends_at, over_limit_since


class PyMetric:
    __slots__ = ("limit", "hard", "grace_pct", "grace_amount", "grace_duration", "thresholds")

    def __init__(self, limit: Optional[int], grace: Optional[Dict[str, int]] = None) -> None:
        self.limit, self.hard = limit, True
        grace = grace or {}
        self.grace_pct, self.grace_amount = grace.get("percent"), grace.get("amount")
        self.grace_duration = grace.get("duration")
        self.thresholds: List[Tuple[int, int, float]] = [(8, 10, 0.8), (9, 10, 0.9), (1, 1, 1.0)]


class PyEntitlements:
    def __init__(self, metrics: Dict[str, PyMetric]) -> None:
        self.metrics = metrics

    def check(self, metric: str, used: int, requested: int = 1, now: int = 0,
              over_limit_since: Optional[int] = None) -> PyDecision:
        spec = self.metrics.get(metric)
        if spec is None:
            raise KeyError(metric)
        if type(used) is not int or type(requested) is not int or used < 0 or requested < 1:
            raise ValueError("invalid usage")
        after = used + requested
        limit = spec.limit
        if limit is None:
            return PyDecision(True, "ok", None, used, requested, None, None, [], None, None)
        percent = (round(after * 100 / limit * 100) / 100) if limit else (100.0 if after else 0.0)
        allowed, status, since, ends = True, "ok", None, None
        if after <= limit:
            n, d, _ = spec.thresholds[0]
            if after and after * d >= n * limit:
                status = "warning"
        else:
            since = over_limit_since if over_limit_since is not None else now
            if spec.grace_pct is not None or spec.grace_amount is not None or spec.grace_duration is not None:
                allowance = spec.grace_amount if spec.grace_amount is not None else (
                    limit * spec.grace_pct // 100 if spec.grace_pct is not None else None)
                ends = since + spec.grace_duration if spec.grace_duration is not None else None
                if (allowance is None or after <= limit + allowance) and (ends is None or now < ends):
                    status = "grace"
                else:
                    allowed, status, since = False, "exceeded", over_limit_since
            else:
                allowed, status, since = False, "exceeded", over_limit_since
        crossed = [t for (n, d, t) in spec.thresholds if used < -(-n * limit // d) <= after] if allowed else []
        remaining = max(0, limit - after) if allowed else max(0, limit - used)
        return PyDecision(allowed, status, limit, used, requested, remaining, percent, crossed, ends, since)


class PyRateDecision:
    __slots__ = ("allowed", "state", "limit", "remaining", "reset_after_ms", "retry_after_ms")

    def __init__(self, allowed: bool, state: int, limit: int, remaining: int, reset: int, retry: Optional[int]) -> None:
        self.allowed, self.state, self.limit, self.remaining = allowed, state, limit, remaining
        self.reset_after_ms, self.retry_after_ms = reset, retry


class PyRateLimit:
    def __init__(self, limit: int, period: float, burst: Optional[int] = None) -> None:
        self.burst = burst or limit
        self.interval = max(1, -(-int(period * 1000) // limit))
        self.tolerance = self.interval * self.burst

    def check(self, state: Optional[int], now: float, cost: int = 1) -> PyRateDecision:
        now_ms = int(now * 1000)
        t = self.interval
        tat = now_ms if state is None else state
        base = tat if tat > now_ms else now_ms
        increment = t * cost
        new_tat = base + increment
        allow_at = new_tat - self.tolerance
        if now_ms < allow_at:
            allowed, ttl, nxt, retry = False, base - now_ms, tat, (allow_at - now_ms if increment <= self.tolerance else None)
        else:
            allowed, ttl, nxt, retry = True, new_tat - now_ms, new_tat, None
        rest = self.tolerance - ttl
        remaining = max(0, int(rest / t)) if rest > -t else 0
        return PyRateDecision(allowed, nxt, self.burst, remaining, ttl, retry)


# ---- the table ---------------------------------------------------------------------------------

def rows() -> List[Row]:
    ent = PlanCatalog(CATALOG).entitlements("free")
    py_ent = PyEntitlements({"max_users": PyMetric(5),
                             "max_tokens_per_month": PyMetric(100000, {"percent": 10, "duration": 259200})})
    # The two agree on the benchmarked inputs.
    for args in [("max_users", 3, 1), ("max_tokens_per_month", 99_000, 2_000), ("max_users", 5, 1)]:
        a, b = ent.check(*args, now=1_700_000_000), py_ent.check(*args, now=1_700_000_000)
        assert (a.allowed, a.status, a.remaining, a.percent, a.crossed) == (b.allowed, b.status, b.remaining, b.percent, b.crossed), args

    rl, py_rl = RateLimit(100, 60), PyRateLimit(100, 60)
    a, b = rl.check(1_700_000_000_600, now=1_700_000_000), py_rl.check(1_700_000_000_600, 1_700_000_000)
    assert (a.allowed, a.state, a.remaining, a.reset_after_ms) == (b.allowed, b.state, b.remaining, b.reset_after_ms)

    cases = [
        ("Entitlements.check (warning, crosses 80 %)",
         lambda: ent.check("max_users", 3, 1, now=1_700_000_000),
         lambda: py_ent.check("max_users", 3, 1, now=1_700_000_000)),
        ("Entitlements.check (grace)",
         lambda: ent.check("max_tokens_per_month", 99_000, 2_000, now=1_700_000_000),
         lambda: py_ent.check("max_tokens_per_month", 99_000, 2_000, now=1_700_000_000)),
        ("RateLimit.check",
         lambda: rl.check(1_700_000_000_600, now=1_700_000_000),
         lambda: py_rl.check(1_700_000_000_600, 1_700_000_000)),
        ("RateLimit.check + .allowed",
         lambda: rl.check(1_700_000_000_600, now=1_700_000_000).allowed,
         lambda: py_rl.check(1_700_000_000_600, 1_700_000_000).allowed),
    ]
    out: List[Row] = []
    for name, ours, theirs in cases:
        best = best_us({"tenantry": ours, "pure Python": theirs})
        out.append((f"limits {name}", "pure Python", best["tenantry"], best["pure Python"]))
    return out


TITLE = "Python: limits against pure Python (µs per call)"
NOTES = ["limits: target Entitlements.check and RateLimit.check <= 0.5 µs"]

if __name__ == "__main__":
    print_table(TITLE, rows(), NOTES)
