'use strict'
// Tour: sign a webhook as a sender, verify it as a receiver, rotate secrets, use ed25519.

const { Webhook, WebhookVerificationError, generateSecret, generateKeypair } = require('tenantry')

const payload = Buffer.from('{"type":"invoice.paid","data":{"id":"in_1"}}')

const secret = generateSecret()
const headers = new Webhook(secret).sign('msg_2LJ9Y2H0kTQ3Gd', payload)
console.log('webhooks: signed  ', headers['webhook-signature'])

const receiver = new Webhook(secret)
receiver.verify(payload, headers)
console.log('webhooks: verified message', headers['webhook-id'])

try {
  receiver.verify('{}', headers)
} catch (err) {
  if (!(err instanceof WebhookVerificationError)) throw err
  console.log('webhooks: tampered body ->', err.code)
}

new Webhook([secret, generateSecret()]).verify(payload, headers)
console.log('webhooks: old secret still verifies during rotation')

const [signingKey, publicKey] = generateKeypair()
const signed = new Webhook(signingKey).sign('msg_1', payload)
new Webhook(publicKey).verify(payload, signed)
console.log('webhooks: v1a (ed25519) signature verified with', publicKey.slice(0, 12) + '…')
