"""Audit records: build, mask, chain and export audit events that hold up in a compliance review.

tenantry builds the record (a plain ``dict``); you store it wherever you like.

>>> from tenantry import audit
>>> record = audit.build(
...     actor={"type": "user", "id": "u_1", "ip": "203.0.113.9"},
...     action="setting.updated",
...     tenant_id="t_1",
...     before={"theme": "light", "smtp_password": "old"},
...     after={"theme": "dark", "smtp_password": "new"},
...     occurred_at=1_700_000_000,
... )
>>> record["changes"][1]
{'path': '/smtp_password', 'before': '***', 'after': '***'}
>>> sealed = audit.seal(record, None)
>>> audit.verify_chain([sealed]).ok
True

``seal`` returns a new dict (a shallow copy of the record plus ``prev_hash``, ``hash`` and, with a
key, ``seal_key_id`` and ``seal``). ``build_sealed(previous_hash, key, **fields)`` does both in
one step (the record is hashed from what was built, not read back from a dict), for the common
case of appending to a chain. ``verify_chain`` reports the first break: ``edited``,
``deleted``, ``inserted``, ``reordered``, ``wrong_key``, ``unsealed`` or ``malformed``.

A built record holds new containers only: changing it never changes your ``before``/``after``
documents. Strings are immutable, so where a record holds your text unchanged (a changed value,
``action``, ``prev_hash``, ...) it may hold your own ``str`` object rather than a copy, and
records share the ``str`` objects of change paths they have in common.

Documents and records may also be given as their JSON text (``str`` or UTF-8 ``bytes``, as a
database column holds them): ``before='{"theme": "light"}'`` is that object, and a ``str`` that
is not JSON text (``before="light"``) is an ``InvalidInputError`` (``input.invalid_json``). To
record a single string value, give it inside a document (``before={"theme": "light"}``).

``verify_chain`` of a long chain (256 records or more, or JSON text), ``to_jsonl``, ``to_csv`` and
``summarize`` do their work with the GIL released, once the records are read: other threads of a
threaded server run meanwhile.

Naive ``datetime`` values are rejected (``InvalidInputError``, code ``input.invalid_time``): pass
an aware datetime or Unix seconds.
"""

from tenantry._native import ChainReport, SealKey
from tenantry._native import audit_actions as actions
from tenantry._native import audit_build as build
from tenantry._native import audit_build_sealed as build_sealed
from tenantry._native import audit_canonical_json as canonical_json
from tenantry._native import audit_retention_cutoff as retention_cutoff
from tenantry._native import audit_seal as seal
from tenantry._native import audit_summarize as summarize
from tenantry._native import audit_to_csv as to_csv
from tenantry._native import audit_to_jsonl as to_jsonl
from tenantry._native import audit_to_ocsf as to_ocsf
from tenantry._native import audit_verify_chain as verify_chain
from tenantry.errors import AuditError

__all__ = [
    "build",
    "seal",
    "build_sealed",
    "verify_chain",
    "canonical_json",
    "to_csv",
    "to_jsonl",
    "to_ocsf",
    "summarize",
    "retention_cutoff",
    "actions",
    "SealKey",
    "ChainReport",
    "AuditError",
]
