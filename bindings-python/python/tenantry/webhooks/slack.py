"""Slack request signatures: ``X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{ts}:{body}">`` with
the timestamp in ``X-Slack-Request-Timestamp``; a five-minute window, checked in both directions.

>>> from tenantry.webhooks import slack
>>> signature = slack.sign(b"token=abc", "signing-secret", timestamp=1_531_420_618)
>>> slack.verify(b"token=abc", "1531420618", signature, "signing-secret", now=1_531_420_700)
"""

from tenantry._native import slack_sign as sign
from tenantry._native import slack_verify as verify

SIGNATURE_HEADER = "X-Slack-Signature"
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"

__all__ = ["sign", "verify", "SIGNATURE_HEADER", "TIMESTAMP_HEADER"]
