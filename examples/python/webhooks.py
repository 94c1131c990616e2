"""Tour: sign a webhook as a sender, verify it as a receiver, rotate secrets, use ed25519."""

from tenantry.webhooks import Webhook, WebhookVerificationError, generate_keypair, generate_secret

payload = b'{"type":"invoice.paid","data":{"id":"in_1"}}'

secret = generate_secret()
headers = Webhook(secret).sign("msg_2LJ9Y2H0kTQ3Gd", payload)
print("webhooks: signed  ", headers["webhook-signature"])

receiver = Webhook(secret)
receiver.verify(payload, headers)
print("webhooks: verified message", headers["webhook-id"])

try:
    receiver.verify(b"{}", headers)
except WebhookVerificationError as exc:
    print("webhooks: tampered body ->", exc.code)

rotating = Webhook([secret, generate_secret()])
rotating.verify(payload, {k.title(): v for k, v in headers.items()})
print("webhooks: old secret still verifies during rotation (header names in any case)")

signing_key, public_key = generate_keypair()
signed = Webhook(signing_key).sign("msg_1", payload)
Webhook(public_key).verify(payload, signed)
print("webhooks: v1a (ed25519) signature verified with", public_key[:12] + "…")
