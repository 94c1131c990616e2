"""Webhook signatures: Standard Webhooks (``v1`` HMAC, ``v1a`` ed25519).

>>> from tenantry.webhooks import Webhook
>>> wh = Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
>>> wh.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", b'{"test": 2432232314}', timestamp=1614265330)["webhook-signature"]
'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
"""

from tenantry._native import Webhook, generate_keypair, generate_secret
from tenantry.errors import WebhookError, WebhookVerificationError

__all__ = [
    "Webhook",
    "generate_secret",
    "generate_keypair",
    "WebhookError",
    "WebhookVerificationError",
]
