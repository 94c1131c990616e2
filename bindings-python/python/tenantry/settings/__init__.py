"""Per-tenant settings from one JSON Schema (draft 2020-12).

Defaults at any depth, layered resolution with provenance, RFC 7396 partial updates with role and
editability checks (``x-visibility``, ``x-editable``, ``x-editable-by``, ``x-sensitive``), etags,
role views, a key/value registry view and migrations. Schemas, documents and patches may be given
as dicts or as JSON ``str``/``bytes``; results are plain dicts.

>>> from tenantry.settings import SettingsSchema
>>> schema = SettingsSchema({"type": "object", "properties": {
...     "ai": {"type": "object", "properties": {
...         "temperature": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.7}}}}})
>>> schema.defaults()
{'ai': {'temperature': 0.7}}
>>> r = schema.resolve([("tenant", {"ai": {"temperature": 0.2}})])
>>> r.value, r.provenance
({'ai': {'temperature': 0.2}}, {'/ai/temperature': 'tenant'})
>>> schema.apply_patch({}, {"ai": {"temperature": 0.9}}).overrides
{'ai': {'temperature': 0.9}}
"""

from tenantry._native import Migration, PatchResult, Resolution, SettingsSchema, merge_patch
from tenantry.errors import ConcurrentUpdateError, SettingsError, SettingsValidationError

__all__ = [
    "SettingsSchema",
    "Resolution",
    "PatchResult",
    "Migration",
    "merge_patch",
    "SettingsError",
    "SettingsValidationError",
    "ConcurrentUpdateError",
]
