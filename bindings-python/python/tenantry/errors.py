"""tenantry's exceptions: one class per failure family, each carrying a stable ``code``.

Every exception tenantry raises on bad input or a failed check is a :class:`TenantryError`.
``exc.code`` is the same stable string in Python, Node (``err.code``) and Rust (``err.code()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

if TYPE_CHECKING:
    from tenantry._native import Decision, RateDecision

__all__ = [
    "TenantryError",
    "InvalidInputError",
    "WebhookError",
    "WebhookVerificationError",
    "ApiKeyError",
    "SettingsError",
    "SettingsValidationError",
    "ConcurrentUpdateError",
    "LimitsError",
    "LimitExceededError",
    "AuditError",
]


class TenantryError(Exception):
    """Base class of every tenantry error.

    Attributes:
        code: stable machine-readable code, e.g. ``"webhook.timestamp_too_old"``.
        message: what was wrong and what was expected (never a secret's value).
        errors: for validation failures, one ``{"path", "code", "message"}`` dict per problem,
            with JSON Pointer paths; empty otherwise.
    """

    code: str
    message: str
    errors: List[Dict[str, str]]

    def __init__(self, message: str, code: str = "input.invalid", errors: Optional[List[Dict[str, str]]] = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.errors = list(errors) if errors else []

    def __reduce__(self) -> Any:
        return (type(self), (self.message, self.code, self.errors))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


class InvalidInputError(TenantryError, ValueError):
    """An argument of the right type with a value tenantry cannot accept (e.g. a naive datetime)."""


class WebhookError(TenantryError):
    """A webhook configuration problem: an invalid secret or key, a bad message id."""


class WebhookVerificationError(WebhookError):
    """A received webhook that did not verify (missing header, stale timestamp, bad signature)."""


class ApiKeyError(TenantryError):
    """An API key configuration, token format or scope problem."""


class SettingsError(TenantryError):
    """A settings schema, registry key or patch problem."""


class SettingsValidationError(SettingsError):
    """A settings document that does not satisfy its schema; see ``errors``."""


class ConcurrentUpdateError(SettingsError):
    """The stored settings changed since they were read (etag mismatch); nothing was changed."""


class LimitsError(TenantryError):
    """A plan catalog, metric or rate limit configuration problem."""


class LimitExceededError(LimitsError):
    """A usage or rate limit was exceeded (raised only by the ``enforce`` style calls).

    Attributes:
        decision: the refused ``Decision`` (``Entitlements.enforce``) or ``RateDecision``
            (``RateLimit.enforce``), to answer with: ``retry_after``, ``headers()``. ``None`` on
            an error made otherwise. Pickled with the error (a worker process raising it).
    """

    decision: Optional[Union[Decision, RateDecision]] = None

    def __reduce__(self) -> Any:
        return (type(self), (self.message, self.code, self.errors), {"decision": self.decision})


class AuditError(TenantryError):
    """An invalid audit record, seal key or export input."""
