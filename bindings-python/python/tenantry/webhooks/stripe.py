"""Stripe webhook signatures: ``Stripe-Signature: t=<ts>,v1=<hex HMAC-SHA256 of "{t}.{payload}">``.

The HMAC key is the endpoint secret (``whsec_…``) exactly as Stripe shows it. ``verify`` accepts
several ``v1=`` entries, ignores ``v0=`` and unknown schemes, and checks the timestamp against
``now`` in both directions (stripe-python only rejects old ones).

>>> from tenantry.webhooks import stripe
>>> header = stripe.sign(b'{"id": "evt_1"}', "whsec_test", timestamp=1_700_000_000)
>>> stripe.verify(b'{"id": "evt_1"}', header, "whsec_test", now=1_700_000_100)
"""

from tenantry._native import stripe_sign as sign
from tenantry._native import stripe_verify as verify

HEADER = "Stripe-Signature"

__all__ = ["sign", "verify", "HEADER"]
