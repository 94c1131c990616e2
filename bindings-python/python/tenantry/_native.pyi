# Type stubs for the compiled extension module `tenantry._native`.
# Keep in step with bindings-python/src: every name here exists at runtime with this signature.

from datetime import datetime
from typing import Any, Iterable, Literal, Mapping, Protocol, Sequence, Tuple, TypedDict, Union

__version__: str

Payload = Union[bytes, bytearray, str]
Time = Union[int, float, datetime]
_HeaderText = Union[str, bytes]

class _HeaderItems(Protocol):
    """A dict, or any mapping with `.items()` (Starlette, Werkzeug headers)."""

    def items(self) -> Iterable[Tuple[_HeaderText, _HeaderText]]: ...

Headers = Union[_HeaderItems, Iterable[Tuple[_HeaderText, _HeaderText]]]

# ---- webhooks -------------------------------------------------------------------------------

class Webhook:
    def __init__(self, secret: Union[str, Sequence[str]]) -> None: ...
    def sign(self, msg_id: str, payload: Payload, timestamp: Time | None = None) -> dict[str, str]: ...
    def verify(self, payload: Payload, headers: Headers, *, tolerance: int = 300, now: Time | None = None) -> None: ...

def generate_secret() -> str: ...
def generate_keypair() -> tuple[str, str]: ...

# ---- webhooks: Stripe, GitHub, Slack (re-exported as tenantry.webhooks.stripe.sign, ...) ------

def stripe_sign(payload: Payload, secret: str, timestamp: Time | None = None) -> str: ...
def stripe_verify(
    payload: Payload, header: str | None, secret: str, *, tolerance: int = 300, now: Time | None = None
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
    tolerance: int = 300,
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

class RetryPolicy:
    def __init__(
        self,
        schedule: Sequence[int] | None = None,
        *,
        jitter: float | None = None,
        disable_after: int | None = None,
        max_retry_after: int | None = None,
    ) -> None: ...
    @staticmethod
    def exponential(
        initial_delay: int,
        max_delay: int,
        max_retries: int,
        *,
        factor: float = 2.0,
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

class EventFilter:
    def __init__(self, patterns: Sequence[str]) -> None: ...
    def matches(self, event_type: str) -> bool: ...
    @property
    def patterns(self) -> list[str]: ...

def message_id() -> str: ...
def message_id_from(unix_millis: int, entropy: bytes) -> str: ...
def build_event(event_type: str, data: Json, timestamp: Time | None = None) -> bytes: ...
