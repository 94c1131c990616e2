"""Tour: seed 001's tiers, 80/90/100 % alerts, grace for overages, seed 002's trials, billing
periods and a 60-per-minute GCRA rate limit with its headers."""

import pathlib
import time
from datetime import datetime, timezone

from tenantry.limits import LimitExceededError, PlanCatalog, RateLimit, period_window

PLANS = pathlib.Path(__file__).resolve().parents[1] / "plans"
catalog = PlanCatalog((PLANS / "seed001_tiers.json").read_text())
print("limits: plans", ", ".join(catalog.plans))

ent = catalog.entitlements("free", overrides={"limits": {"max_users": 10}, "features": ["api_access"]})
used = 0
for step in [6, 2, 1, 1, 1]:
    d = ent.check("max_users", used, step)
    print(f"limits: max_users {used} + {step} -> allowed={d.allowed} status={d.status} crossed={d.crossed}")
    if d.allowed:
        used += step
try:
    ent.enforce("max_users", used)
except LimitExceededError as exc:
    print("limits: enforce ->", exc.code)
print("limits: api_access via override:", ent.has_feature("api_access"))

d = ent.check("max_tokens_per_month", 99_000, 2_000, now=datetime.now(timezone.utc))
print(f"limits: tokens 101000/100000 -> {d.status}, grace ends at {d.grace_ends_at}")
for row in ent.usage_report({"max_users": used, "max_tokens_per_month": 85_000}):
    print("limits: usage", row)

trials = PlanCatalog((PLANS / "seed002_plans.json").read_text())
started = int(time.time())
tenant = trials.entitlements("starter", trial_ends_at=trials.trial_ends_at("starter", started))
print("limits: seed 002 trial", tenant.trial_status())

w = period_window("month", anchor=datetime(2024, 1, 31, tzinfo=timezone.utc), now=datetime(2024, 2, 29, 12, tzinfo=timezone.utc))
print("limits: billing period", datetime.fromtimestamp(w["start"], timezone.utc), "->", datetime.fromtimestamp(w["end"], timezone.utc))

per_minute = RateLimit(60, 60)
state = None
now = time.time()
for _ in range(61):
    r = per_minute.check(state, now=now)
    if r.allowed:
        state = r.state
print(f"limits: 61st request allowed={r.allowed} retry_after={r.retry_after}s headers={r.headers()}")
