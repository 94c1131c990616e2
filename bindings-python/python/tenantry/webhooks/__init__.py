"""Webhooks: Standard Webhooks (``v1`` HMAC, ``v1a`` ed25519), Stripe, GitHub and Slack signatures,
and the sender's side: message ids, event bodies, endpoint filters and the retry policy.

>>> from tenantry.webhooks import Webhook
>>> wh = Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
>>> wh.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", b'{"test": 2432232314}', timestamp=1614265330)["webhook-signature"]
'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
>>> from tenantry.webhooks import RetryPolicy
>>> RetryPolicy().decide(1, 500, now=1_700_000_000)
{'action': 'retry', 'retry_at': 1700000005, 'next_attempt': 2}
"""

from tenantry._native import (
    EventFilter,
    RetryPolicy,
    Webhook,
    build_event,
    generate_keypair,
    generate_secret,
    message_id,
    message_id_from,
)
from tenantry.errors import WebhookError, WebhookVerificationError
from tenantry.webhooks import github, slack, stripe

__all__ = [
    "Webhook",
    "generate_secret",
    "generate_keypair",
    "stripe",
    "github",
    "slack",
    "RetryPolicy",
    "EventFilter",
    "message_id",
    "message_id_from",
    "build_event",
    "WebhookError",
    "WebhookVerificationError",
]
