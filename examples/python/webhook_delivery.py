"""Tour: the sender's side. Build an event, give it an id, pick the subscribed endpoints, sign it,
and decide what to do after each delivery attempt."""

import time

from tenantry.webhooks import EventFilter, RetryPolicy, Webhook, build_event, generate_secret, message_id

msg_id = message_id()
body = build_event("invoice.paid", {"id": "in_1", "amount": 1200})
print("delivery:", msg_id, body.decode())

endpoints = {"billing": EventFilter(["invoice.*"]), "crm": EventFilter(["user.created"])}
for name, subscription in endpoints.items():
    if subscription.matches("invoice.paid"):
        headers = Webhook(generate_secret()).sign(msg_id, body)
        print("delivery: ->", name, "with", headers["webhook-signature"])

# The endpoint answers 503 with Retry-After: 120, then times out, then says 410 Gone.
policy = RetryPolicy()
now = int(time.time())
for attempt, status, retry_after in [(1, 503, "120"), (2, None, None), (3, 410, None)]:
    decision = policy.decide(attempt, status, retry_after, first_failure_at=now, now=now)
    print(f"delivery: attempt {attempt} got {status} ->", decision)

backoff = RetryPolicy.exponential(10, 3600, 10, jitter=0.1)
print("delivery: exponential waits", backoff.delays, "(±10% jitter)")
