"""Tour: receive (and emit) Stripe, GitHub and Slack webhooks."""

import time

from tenantry.webhooks import WebhookVerificationError, github, slack, stripe

body = b'{"id":"evt_1","object":"event","type":"invoice.paid"}'

# Stripe: one header, `t=...,v1=...`, keyed by the endpoint secret as shown in the dashboard.
header = stripe.sign(body, "whsec_test_secret")
stripe.verify(body, header, "whsec_test_secret")
print("stripe:  verified ", header[:30] + "…")
try:
    stripe.verify(body, header, "whsec_test_secret", now=time.time() + 600)
except WebhookVerificationError as exc:
    print("stripe:  replayed ten minutes later ->", exc.code)

# GitHub: X-Hub-Signature-256, with the old secret still accepted during a rotation.
signature = github.sign(b"Hello, World!", "It's a Secret to Everybody")
github.verify(b"Hello, World!", signature, ["new secret", "It's a Secret to Everybody"])
print("github: ", signature)

# Slack: the timestamp travels in its own header (a missing header is None, not a crash).
ts = int(time.time())
slack_signature = slack.sign(b"token=abc&command=%2Fdeploy", "signing-secret", timestamp=ts)
slack.verify(b"token=abc&command=%2Fdeploy", str(ts), slack_signature, "signing-secret")
try:
    slack.verify(b"token=abc", None, slack_signature, "signing-secret")
except WebhookVerificationError as exc:
    print("slack:   verified; without the timestamp header ->", exc.code)
