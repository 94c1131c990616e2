'use strict'
// Tour: the sender's side. Build an event, give it an id, pick the subscribed endpoints, sign it,
// and decide what to do after each delivery attempt.

const { EventFilter, RetryPolicy, Webhook, buildEvent, generateSecret, messageId } = require('tenantry')

const msgId = messageId()
const body = buildEvent('invoice.paid', { id: 'in_1', amount: 1200 })
console.log('delivery:', msgId, body.toString())

const endpoints = { billing: new EventFilter(['invoice.*']), crm: new EventFilter(['user.created']) }
for (const [name, subscription] of Object.entries(endpoints)) {
  if (subscription.matches('invoice.paid')) {
    const headers = new Webhook(generateSecret()).sign(msgId, body)
    console.log('delivery: ->', name, 'with', headers['webhook-signature'])
  }
}

// The endpoint answers 503 with Retry-After: 120, then times out, then says 410 Gone.
const policy = new RetryPolicy()
const now = Math.floor(Date.now() / 1000)
for (const [attempt, status, retryAfter] of [[1, 503, '120'], [2, null, null], [3, 410, null]]) {
  const decision = policy.decide(attempt, status, retryAfter, { firstFailureAt: now, now })
  console.log(`delivery: attempt ${attempt} got ${status} ->`, decision)
}

const backoff = RetryPolicy.exponential({ initialDelay: 10, maxDelay: 3600, maxRetries: 10, jitter: 0.1 })
console.log('delivery: exponential waits', backoff.delays.join(', '), '(±10% jitter)')
