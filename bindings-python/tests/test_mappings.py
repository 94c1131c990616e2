"""The stubs take ``Mapping`` wherever a dict goes (so a ``TypedDict`` type-checks), and the
runtime takes any ``collections.abc.Mapping`` there as a dict: a SQLAlchemy ``RowMapping``, a
``MappingProxyType``, a ``UserDict``. They were a ``TypeError`` ("not JSON-serializable")."""

from __future__ import annotations

from collections import UserDict
from types import MappingProxyType
from typing import Any, Dict

from tenantry import audit
from tenantry.apikeys import ApiKeys
from tenantry.limits import PlanCatalog
from tenantry.settings import SettingsSchema
from tenantry.webhooks import build_event

SCHEMA = SettingsSchema({"type": "object", "properties": {"a": {"type": "integer", "default": 1}}})
ACTOR = {"type": "user", "id": "u1"}


def proxy(d: Dict[str, Any]) -> Any:
    return MappingProxyType(d)


def test_documents_and_layers() -> None:
    assert SCHEMA.resolve(proxy({"tenant": proxy({"a": 2})})).value == {"a": 2}
    assert SCHEMA.etag(UserDict({"a": 2})) == SCHEMA.etag({"a": 2})
    assert SCHEMA.apply_patch(proxy({}), UserDict({"a": 3})).overrides == {"a": 3}
    assert build_event("a.b", proxy({"x": [proxy({"y": 1})]}), 0) == build_event("a.b", {"x": [{"y": 1}]}, 0)


def test_audit_records_and_options() -> None:
    built = audit.build(action="a.b", actor=proxy(ACTOR), metadata=UserDict(k=proxy({"z": 1})), occurred_at=0, id="e")
    assert built == audit.build(action="a.b", actor=ACTOR, metadata={"k": {"z": 1}}, occurred_at=0, id="e")
    sealed = audit.seal(proxy({"a": 1}), None)
    assert sealed == audit.seal({"a": 1}, None)
    assert audit.verify_chain([proxy(dict(sealed))]).ok


def test_catalogs_usage_and_key_records() -> None:
    entitlements = PlanCatalog(proxy({"free": {"limits": {"x": 5}}})).entitlements("free")
    assert entitlements.usage_report(proxy({"x": 3}))[0]["remaining"] == 2
    keys = ApiKeys(prefix="tk", peppers={"p1": bytes(32)})
    issued = keys.generate(now=1)
    assert keys.verify(issued.token, proxy(dict(issued.record)), now=2).code == "VALID"
    assert keys.revoke(UserDict(issued.record), now=5)["revoked_at"] == 5
