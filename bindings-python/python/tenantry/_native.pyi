# Type stubs for the compiled extension module `tenantry._native`.
# Keep in step with bindings-python/src: every name here exists at runtime with this signature.

from datetime import datetime, timedelta
from typing import Any, ClassVar, Iterable, Literal, Mapping, Optional, Protocol, Sequence, Tuple, TypedDict, Union, final

__version__: str

Payload = Union[bytes, bytearray, str]
Time = Union[int, float, datetime]
_HeaderText = Union[str, bytes]

class _HeaderItems(Protocol):
    """A dict, or any mapping with `.items()` (Starlette, Werkzeug headers)."""

    def items(self) -> Iterable[Tuple[_HeaderText, _HeaderText]]: ...

Headers = Union[_HeaderItems, Iterable[Tuple[_HeaderText, _HeaderText]]]
Duration = Union[int, float, timedelta]

# ---- webhooks -------------------------------------------------------------------------------

@final
class Webhook:
    def __new__(cls, secret: Union[str, Sequence[str]]) -> Webhook: ...
    def sign(self, msg_id: str, payload: Payload, timestamp: Time | None = None) -> dict[str, str]: ...
    # tolerance: 300 seconds unless given (a `...` default: the runtime signature cannot show it)
    def verify(self, payload: Payload, headers: Headers, *, tolerance: int = ..., now: Time | None = None) -> None: ...

def generate_secret() -> str: ...
def generate_keypair() -> tuple[str, str]: ...

# ---- webhooks: Stripe, GitHub, Slack (re-exported as tenantry.webhooks.stripe.sign, ...) ------

def stripe_sign(payload: Payload, secret: str, timestamp: Time | None = None) -> str: ...
def stripe_verify(
    payload: Payload, header: str | None, secret: str, *, tolerance: int = ..., now: Time | None = None  # tolerance: 300 seconds
) -> None: ...
def github_sign(payload: Payload, secret: str) -> str: ...
def github_verify(payload: Payload, signature_header: str | None, secret_or_secrets: Union[str, Sequence[str]]) -> None: ...
def slack_sign(payload: Payload, secret: str, timestamp: Time | None = None) -> str: ...
def slack_verify(
    payload: Payload,
    timestamp_header: str | None,
    signature_header: str | None,
    secret: str,
    *,
    tolerance: int = ...,  # 300 seconds
    now: Time | None = None,
) -> None: ...

# ---- webhooks: delivery ---------------------------------------------------------------------

class Succeeded(TypedDict):
    action: Literal["succeeded"]

class Retry(TypedDict):
    action: Literal["retry"]
    retry_at: int
    next_attempt: int

class GiveUp(TypedDict):
    action: Literal["give_up"]
    reason: Literal["attempts_exhausted"]

class DisableEndpoint(TypedDict):
    action: Literal["disable_endpoint"]
    reason: Literal["gone", "failing_too_long"]

DeliveryDecision = Union[Succeeded, Retry, GiveUp, DisableEndpoint]
Json = Any

@final
class RetryPolicy:
    def __new__(
        cls,
        schedule: Sequence[int] | None = None,
        *,
        jitter: float | None = None,
        disable_after: int | None = None,
        max_retry_after: int | None = None,
    ) -> RetryPolicy: ...
    @staticmethod
    def exponential(
        initial_delay: int,
        max_delay: int,
        max_retries: int,
        *,
        factor: float = ...,  # 2.0
        jitter: float | None = None,
        disable_after: int | None = None,
        max_retry_after: int | None = None,
    ) -> RetryPolicy: ...
    @property
    def delays(self) -> list[int]: ...
    @property
    def max_attempts(self) -> int: ...
    def decide(
        self,
        attempt_number: int,
        status_code: int | None,
        retry_after: str | None = None,
        *,
        first_failure_at: Time | None = None,
        now: Time | None = None,
        jitter_sample: float | None = None,
    ) -> DeliveryDecision: ...

@final
class EventFilter:
    def __new__(cls, patterns: Sequence[str]) -> EventFilter: ...
    def matches(self, event_type: str) -> bool: ...
    @property
    def patterns(self) -> list[str]: ...

def message_id() -> str: ...
def message_id_from(unix_millis: int, entropy: bytes) -> str: ...
def build_event(event_type: str, data: Json, timestamp: Time | None = None) -> bytes: ...
# ---- limits ---------------------------------------------------------------------------------

JsonDoc = Union[Mapping[str, Any], str, bytes]
Status = Literal["ok", "warning", "grace", "exceeded"]

class TrialStatus(TypedDict):
    active: bool
    ends_at: Optional[int]
    days_left: int

class UsageRow(TypedDict):
    metric: str
    count: int
    limit: Optional[int]
    remaining: Optional[int]
    percent: Optional[float]
    status: Status

class EffectiveLimit(TypedDict):
    metric: str
    limit: Optional[int]
    plan_limit: Optional[int]
    source: Literal["plan", "override"]
    kind: Literal["hard", "soft"]
    period: Literal["none", "day", "month", "year"]

class PeriodWindow(TypedDict):
    start: int
    end: int

class DecisionDict(TypedDict):
    allowed: bool
    status: Status
    limit: Optional[int]
    used: int
    requested: int
    remaining: Optional[int]
    percent: Optional[float]
    crossed: list[float]
    grace_ends_at: Optional[int]
    over_limit_since: Optional[int]

class RateDecisionDict(TypedDict):
    allowed: bool
    state: int
    limit: int
    remaining: int
    reset_after_ms: int
    retry_after_ms: Optional[int]

@final
class PlanCatalog:
    def __new__(cls, plans: JsonDoc) -> PlanCatalog: ...
    @property
    def plans(self) -> list[str]: ...
    def entitlements(
        self, plan: str, overrides: Optional[JsonDoc] = None, trial_ends_at: Time | None = None
    ) -> Entitlements: ...
    def trial_ends_at(self, plan: str, started_at: Time) -> Optional[int]: ...

@final
class Entitlements:
    @property
    def plan(self) -> str: ...
    @property
    def features(self) -> list[str]: ...
    @property
    def trial_ends_at(self) -> Optional[int]: ...
    def check(
        self,
        metric: str,
        used: int,
        requested: int | None = None,
        now: Time | None = None,
        over_limit_since: Time | None = None,
    ) -> Decision: ...
    def enforce(
        self,
        metric: str,
        used: int,
        requested: int | None = None,
        now: Time | None = None,
        over_limit_since: Time | None = None,
    ) -> Decision: ...
    def limit(self, metric: str) -> Optional[int]: ...
    def limits(self) -> list[EffectiveLimit]: ...
    def has_feature(self, name: str) -> bool: ...
    def trial_status(self, now: Time | None = None) -> TrialStatus: ...
    def usage_report(self, usage: Mapping[str, int]) -> list[UsageRow]: ...

@final
class Decision:
    # Results compare by value (so they are not hashable).
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def allowed(self) -> bool: ...
    @property
    def status(self) -> Status: ...
    @property
    def limit(self) -> Optional[int]: ...
    @property
    def used(self) -> int: ...
    @property
    def requested(self) -> int: ...
    @property
    def remaining(self) -> Optional[int]: ...
    @property
    def percent(self) -> Optional[float]: ...
    @property
    def crossed(self) -> list[float]: ...
    @property
    def grace_ends_at(self) -> Optional[int]: ...
    @property
    def over_limit_since(self) -> Optional[int]: ...
    def to_dict(self) -> DecisionDict: ...
    def __bool__(self) -> bool: ...

def crossed(previous: int, current: int, limit: Optional[int], thresholds: Optional[Sequence[float]] = None) -> list[float]: ...
def period_window(
    kind: Literal["none", "day", "month", "year"],
    anchor: Time | None = None,
    now: Time | None = None,
    tz_offset: int | timedelta | None = None,
) -> PeriodWindow: ...

@final
class RateLimit:
    def __new__(cls, limit: int, period: float, burst: int | None = None, *, policy: str = "default") -> RateLimit: ...
    @property
    def limit(self) -> int: ...
    @property
    def period(self) -> float: ...
    @property
    def burst(self) -> int: ...
    @property
    def policy(self) -> str: ...
    def check(self, state: int | None, now: Time | None = None, cost: int | None = None) -> RateDecision: ...
    def enforce(self, state: int | None, now: Time | None = None, cost: int | None = None) -> RateDecision: ...

@final
class RateDecision:
    # Results compare by value (so they are not hashable).
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def allowed(self) -> bool: ...
    @property
    def state(self) -> int: ...
    @property
    def limit(self) -> int: ...
    @property
    def remaining(self) -> int: ...
    @property
    def reset_after(self) -> int: ...
    @property
    def retry_after(self) -> Optional[int]: ...
    @property
    def reset_after_ms(self) -> int: ...
    @property
    def retry_after_ms(self) -> Optional[int]: ...
    def headers(self) -> dict[str, str]: ...
    def to_dict(self) -> RateDecisionDict: ...
    def __bool__(self) -> bool: ...

# ---- api keys -------------------------------------------------------------------------------

ScopeRequirement = Union[str, list[str], tuple[str, ...]]
# A stored key record: the dict `generate` returned, or its JSON text.
KeyRecordInput = Union[dict[str, Any], str, bytes]

@final
class IssuedKey:
    @property
    def token(self) -> str: ...
    @property
    def record(self) -> dict[str, Any]: ...

@final
class RolledKey:
    @property
    def token(self) -> str: ...
    @property
    def record(self) -> dict[str, Any]: ...
    @property
    def previous(self) -> dict[str, Any]: ...

@final
class ParsedToken:
    # Results compare by value (so they are not hashable).
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def environment(self) -> str: ...
    @property
    def key_id(self) -> str: ...

@final
class Verdict:
    # Results compare by value (so they are not hashable).
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def valid(self) -> bool: ...
    @property
    def code(self) -> str: ...
    @property
    def key_id(self) -> str | None: ...
    @property
    def environment(self) -> str | None: ...
    @property
    def missing_scopes(self) -> list[str]: ...
    @property
    def rehash(self) -> dict[str, str] | None: ...
    @property
    def touch(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class ApiKeys:
    def __new__(
        cls,
        prefix: str,
        peppers: dict[str, Union[bytes, bytearray, str]],
        *,
        current_pepper: str | None = None,
        environments: Sequence[str] | None = None,
        known_scopes: Sequence[str] | None = None,
        touch_interval: Duration | None = None,
    ) -> ApiKeys: ...
    @property
    def prefix(self) -> str: ...
    @property
    def current_pepper(self) -> str: ...
    def generate(
        self,
        *,
        environment: str = "live",
        scopes: Sequence[str] | None = None,
        expires_at: Time | None = None,
        not_before: Time | None = None,
        name: str | None = None,
        now: Time | None = None,
    ) -> IssuedKey: ...
    def generate_with_random(
        self,
        random: bytes,
        *,
        environment: str = "live",
        scopes: Sequence[str] | None = None,
        expires_at: Time | None = None,
        not_before: Time | None = None,
        name: str | None = None,
        now: Time | None = None,
    ) -> IssuedKey: ...
    def parse(self, token: str) -> ParsedToken: ...
    def hash_token(self, token: str) -> str: ...
    def verify(
        self,
        token: str,
        record: KeyRecordInput | None,
        required_scopes: Union[str, list[ScopeRequirement], tuple[ScopeRequirement, ...], None] = None,
        *,
        environment: str | None = None,
        now: Time | None = None,
    ) -> Verdict: ...
    def roll(self, record: KeyRecordInput, *, grace: Duration, now: Time | None = None, expires_at: Time | None = None) -> RolledKey: ...
    def roll_with_random(
        self, random: bytes, record: KeyRecordInput, *, grace: Duration, now: Time | None = None, expires_at: Time | None = None
    ) -> RolledKey: ...
    def revoke(self, record: KeyRecordInput, *, now: Time | None = None) -> dict[str, Any]: ...
    def secret_scanning_pattern(self) -> str: ...
# ---- audit ----------------------------------------------------------------------------------

JsonValue = Any
Record = dict[str, Any]
Records = Union[Sequence[Mapping[str, Any]], str, bytes]
Severity = Literal["info", "warning", "error", "critical"]
BreakReason = Literal["edited", "deleted", "inserted", "reordered", "wrong_key", "unsealed", "malformed"]

@final
class SealKey:
    def __new__(cls, id: str, secret: Payload) -> SealKey: ...
    @property
    def id(self) -> str: ...

@final
class ChainReport:
    # Results compare by value (so they are not hashable).
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
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
    outcome: Literal["success", "failure"] | None = None,  # None: "success"
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
    retention_days: int | None = ...,  # 90 days; None: the record never expires
    id: str | None = None,
    max_metadata_bytes: int | None = None,  # None: 8192
) -> Record: ...
def audit_build_sealed(
    previous_hash: str | None,
    key: SealKey | None = None,
    *,
    actor: Union[Mapping[str, Any], str, bytes],
    action: str,
    tenant_id: str | None = None,
    severity: str | None = None,
    outcome: Literal["success", "failure"] | None = None,  # None: "success"
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
    retention_days: int | None = ...,  # 90 days; None: the record never expires
    id: str | None = None,
    max_metadata_bytes: int | None = None,  # None: 8192
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
# ---- settings -------------------------------------------------------------------------------

JsonInput = Union[Mapping[str, Any], str, bytes]
Role = str  # "public" | "member" | "admin" | "system"
Layers = Union[Sequence[Tuple[str, JsonInput]], Mapping[str, JsonInput]]

@final
class Resolution:
    # Results compare by value (so they are not hashable).
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def value(self) -> dict[str, Json]: ...
    @property
    def provenance(self) -> dict[str, str]: ...

@final
class PatchResult:
    # Results compare by value (so they are not hashable).
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def overrides(self) -> dict[str, Json]: ...
    @property
    def value(self) -> dict[str, Json]: ...
    @property
    def changes(self) -> list[dict[str, Json]]: ...
    @property
    def etag(self) -> str: ...

@final
class Migration:
    # Results compare by value (so they are not hashable).
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def overrides(self) -> dict[str, Json]: ...
    @property
    def value(self) -> dict[str, Json]: ...
    @property
    def dropped(self) -> list[str]: ...
    @property
    def reset(self) -> list[dict[str, str]]: ...

@final
class SettingsSchema:
    def __new__(
        cls,
        schema: JsonInput,
        *,
        max_bytes: int | None = None,
        max_depth: int | None = None,
        max_string_length: int | None = None,
    ) -> SettingsSchema: ...
    @property
    def schema(self) -> dict[str, Json]: ...
    @property
    def limits(self) -> dict[str, int]: ...
    def defaults(self) -> dict[str, Json]: ...
    def validate(self, doc: JsonInput) -> None: ...
    def resolve(self, layers: Layers) -> Resolution: ...
    def apply_patch(
        self, overrides: JsonInput, patch: JsonInput, *, role: Role = "member", expected_etag: str | None = None
    ) -> PatchResult: ...
    def etag(self, doc: JsonInput) -> str: ...
    def view(self, doc: JsonInput, audience: Role = "member") -> dict[str, Json]: ...
    def entries(self, doc: JsonInput, audience: Role = "admin") -> list[dict[str, Json]]: ...
    def get(self, doc: JsonInput, key: str) -> Json: ...
    def set(
        self, overrides: JsonInput, key: str, value: Json, *, role: Role = "member", expected_etag: str | None = None
    ) -> PatchResult: ...
    def migrate(self, stored: JsonInput) -> Migration: ...

def merge_patch(target: Json, patch: Json) -> Json: ...
