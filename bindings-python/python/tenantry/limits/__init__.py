"""Tier limits, usage periods, threshold alerts and GCRA rate limits.

tenantry decides; the caller counts usage and stores state.

>>> from tenantry.limits import PlanCatalog, RateLimit
>>> catalog = PlanCatalog({"free": {"limits": {"max_users": 5}, "features": ["basic_chat"]}})
>>> d = catalog.entitlements("free").check("max_users", 3)
>>> (d.allowed, d.status, d.crossed, d.remaining)
(True, 'warning', [0.8], 1)
>>> r = RateLimit(60, 60).check(None, now=1_700_000_000)
>>> (r.allowed, r.remaining, r.headers()["X-RateLimit-Remaining"])
(True, 59, '59')
"""

from tenantry._native import (
    Decision,
    Entitlements,
    PlanCatalog,
    RateDecision,
    RateLimit,
    crossed,
    period_window,
)
from tenantry.errors import LimitExceededError, LimitsError

__all__ = [
    "PlanCatalog",
    "Entitlements",
    "Decision",
    "RateLimit",
    "RateDecision",
    "crossed",
    "period_window",
    "LimitsError",
    "LimitExceededError",
]
