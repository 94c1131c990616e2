'use strict'
// Tour: receive (and emit) Stripe, GitHub and Slack webhooks.

const { stripe, github, slack, WebhookVerificationError } = require('tenantry')

const body = Buffer.from('{"id":"evt_1","object":"event","type":"invoice.paid"}')

// Stripe: one header, `t=…,v1=…`, keyed by the endpoint secret as shown in the dashboard.
const header = stripe.sign(body, 'whsec_test_secret')
stripe.verify(body, header, 'whsec_test_secret')
console.log('stripe:  verified ', header.slice(0, 30) + '…')
try {
  stripe.verify(body, header, 'whsec_test_secret', { now: Date.now() / 1000 + 600 })
} catch (err) {
  if (!(err instanceof WebhookVerificationError)) throw err
  console.log('stripe:  replayed ten minutes later ->', err.code)
}

// GitHub: X-Hub-Signature-256, with the old secret still accepted during a rotation.
const signature = github.sign('Hello, World!', "It's a Secret to Everybody")
github.verify('Hello, World!', signature, ['new secret', "It's a Secret to Everybody"])
console.log('github: ', signature)

// Slack: the timestamp travels in its own header (req.headers[...] may be undefined).
const ts = Math.floor(Date.now() / 1000)
const slackSignature = slack.sign('token=abc&command=%2Fdeploy', 'signing-secret', ts)
slack.verify('token=abc&command=%2Fdeploy', String(ts), slackSignature, 'signing-secret')
try {
  slack.verify('token=abc', undefined, slackSignature, 'signing-secret')
} catch (err) {
  console.log('slack:   verified; without the timestamp header ->', err.code)
}
