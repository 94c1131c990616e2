"""copy.copy and copy.deepcopy of every tenantry object return the object itself: each is
immutable, as a tuple or an re.Pattern is. So copying what holds one works too
(dataclasses.asdict, pydantic's model_copy(deep=True)), where it used to fail with "cannot
pickle"."""

from __future__ import annotations

import copy
import dataclasses
import inspect
from typing import Any, Dict

import tenantry._native as native
from tenantry import audit
from tenantry.apikeys import ApiKeys
from tenantry.limits import PlanCatalog, RateLimit
from tenantry.settings import SettingsSchema
from tenantry.webhooks import EventFilter, RetryPolicy, Webhook

NOW = 1_700_000_000


def one_of_each() -> Dict[str, Any]:
    keys = ApiKeys("tk", {"p1": b"k" * 32})
    issued = keys.generate(now=NOW)
    schema = SettingsSchema({"type": "object", "properties": {"n": {"type": "integer", "default": 1}}})
    key = audit.SealKey("k1", b"s" * 32)
    catalog = PlanCatalog({"free": {"limits": {"max_users": 5}}})
    limit = RateLimit(2, 10)
    objects = [
        keys, issued, keys.roll(issued.record, grace=60, now=NOW), keys.parse(issued.token),
        keys.verify(issued.token, issued.record, now=NOW), key, audit.verify_chain([], key), catalog,
        catalog.entitlements("free"), catalog.entitlements("free").check("max_users", 1, now=NOW), limit,
        limit.check(None, now=NOW), schema, schema.resolve([("tenant", {"n": 2})]), schema.apply_patch({}, {"n": 2}),
        schema.migrate({"n": 2}), RetryPolicy(), EventFilter(["invoice.*"]),
        Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    ]
    return {type(o).__name__: o for o in objects}


def test_every_class_of_the_extension_is_covered() -> None:
    classes = {name for name, value in inspect.getmembers(native, inspect.isclass) if value.__module__.startswith("tenantry.")
               and not issubclass(value, BaseException)}
    assert classes == set(one_of_each())


def test_copies_of_each_object_are_the_object() -> None:
    for name, obj in one_of_each().items():
        assert copy.copy(obj) is obj, name
        assert copy.deepcopy(obj) is obj, name
        assert copy.deepcopy({"nested": [obj]})["nested"][0] is obj, name


def test_what_holds_one_copies_deeply() -> None:
    @dataclasses.dataclass
    class Config:
        schema: SettingsSchema
        limit: RateLimit

    config = Config(SettingsSchema({"type": "object"}), RateLimit(2, 10))
    assert dataclasses.asdict(config) == {"schema": config.schema, "limit": config.limit}
    assert copy.deepcopy(config).schema is config.schema
