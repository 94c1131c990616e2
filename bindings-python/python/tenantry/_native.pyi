# Type stubs for the compiled extension module `tenantry._native`.
# Keep in step with bindings-python/src: every name here exists at runtime with this signature.

from datetime import datetime
from typing import Any, Iterable, Literal, Mapping, Sequence, Tuple, Union

__version__: str

Payload = Union[bytes, bytearray, str]
Time = Union[int, float, datetime]
Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]

# ---- webhooks -------------------------------------------------------------------------------

class Webhook:
    def __init__(self, secret: Union[str, Sequence[str]]) -> None: ...
    def sign(self, msg_id: str, payload: Payload, timestamp: Time | None = None) -> dict[str, str]: ...
    def verify(self, payload: Payload, headers: Headers, *, tolerance: int = 300, now: Time | None = None) -> None: ...

def generate_secret() -> str: ...
def generate_keypair() -> tuple[str, str]: ...

# ---- audit ----------------------------------------------------------------------------------

JsonValue = Any
Record = dict[str, Any]
Records = Union[Sequence[Mapping[str, Any]], str, bytes]
Json = Union[Mapping[str, Any], Sequence[Any], str, bytes]
Severity = Literal["info", "warning", "error", "critical"]
BreakReason = Literal["edited", "deleted", "inserted", "reordered", "wrong_key", "unsealed", "malformed"]

class SealKey:
    def __init__(self, id: str, secret: Payload) -> None: ...
    @property
    def id(self) -> str: ...

class ChainReport:
    @property
    def ok(self) -> bool: ...
    @property
    def index(self) -> int | None: ...
    @property
    def reason(self) -> BreakReason | None: ...
    @property
    def head(self) -> str | None: ...
    def __bool__(self) -> bool: ...

def audit_build(
    *,
    actor: Union[Mapping[str, Any], str, bytes],
    action: str,
    tenant_id: str | None = None,
    severity: str | None = None,
    outcome: Literal["success", "failure"] = "success",
    reason: str | None = None,
    target: Union[Mapping[str, Any], str, bytes, None] = None,
    before: JsonValue = None,
    after: JsonValue = None,
    changes: Union[Sequence[Mapping[str, Any]], str, bytes, None] = None,
    sensitive_paths: Sequence[str] | None = None,
    schema: Union[Mapping[str, Any], str, bytes, None] = None,
    request_id: str | None = None,
    metadata: Union[Mapping[str, Any], str, bytes, None] = None,
    occurred_at: Time | None = None,
    retention_days: int | None = 90,
    id: str | None = None,
    max_metadata_bytes: int = 8192,
) -> Record: ...
def audit_seal(record: Union[Mapping[str, Any], str, bytes], previous_hash: str | None, key: SealKey | None = None) -> Record: ...
def audit_verify_chain(
    records: Records, key: Union[SealKey, Sequence[SealKey], None] = None, *, anchor: str | None = None
) -> ChainReport: ...
def audit_canonical_json(value: JsonValue) -> str: ...
def audit_to_csv(records: Records) -> str: ...
def audit_to_jsonl(records: Records) -> str: ...
def audit_to_ocsf(record: Union[Mapping[str, Any], str, bytes]) -> dict[str, Any]: ...
def audit_summarize(records: Records) -> dict[str, Any]: ...
def audit_retention_cutoff(now: Time, days: int = 90) -> str: ...
def audit_actions() -> dict[str, Severity]: ...
