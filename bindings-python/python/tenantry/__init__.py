"""tenantry: the platform layer of a multi-tenant SaaS backend, written once in Rust.

Webhook signatures, API keys, per-tenant settings, tier and rate limits, and audit records,
with the same behaviour byte for byte in Rust, Python and Node.
"""

from tenantry import apikeys, audit, limits, webhooks
from tenantry._native import __version__
from tenantry.errors import (
    ApiKeyError,
    AuditError,
    ConcurrentUpdateError,
    InvalidInputError,
    LimitExceededError,
    LimitsError,
    SettingsError,
    SettingsValidationError,
    TenantryError,
    WebhookError,
    WebhookVerificationError,
)

__all__ = [
    "__version__",
    "apikeys",
    "limits",
    "webhooks",
    "audit",
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
