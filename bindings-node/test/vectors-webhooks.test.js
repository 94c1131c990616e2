'use strict'
// Runs tests/vectors/webhooks.json against the npm package.

const { test } = require('node:test')
const { Webhook, stripe, github, slack, RetryPolicy, EventFilter, buildEvent, messageIdFrom } = require('..')
const { loadVectors, payload, checkCase, snakeCaseKeys } = require('./helpers')

function policy(spec) {
  const options = { jitter: spec.jitter, disableAfter: spec.disable_after, maxRetryAfter: spec.max_retry_after }
  if (spec.exponential) {
    const e = spec.exponential
    return RetryPolicy.exponential({
      ...options,
      initialDelay: e.initial_delay,
      maxDelay: e.max_delay,
      maxRetries: e.max_retries,
      factor: e.factor,
    })
  }
  return new RetryPolicy({ ...options, schedule: spec.schedule })
}

// An object, or [name, value] pairs when a header comes several times: as Node's
// `req.headersDistinct` holds them, an array of values under a repeated name.
function nodeHeaders(headers) {
  if (!Array.isArray(headers)) return headers
  const out = {}
  for (const [name, value] of headers) {
    if (Object.hasOwn(out, name)) out[name] = [].concat(out[name], value)
    else out[name] = value
  }
  return out
}

// Data as JSON text bytes: a Buffer here (Python passes `bytes`).
function eventData(input) {
  return input.data_bytes_b64 === undefined ? input.data : Buffer.from(input.data_bytes_b64, 'base64')
}

function run(op, input) {
  switch (op) {
    case 'standard.sign':
      return new Webhook(input.secrets).sign(input.msg_id, payload(input), input.timestamp)
    case 'standard.verify':
      return new Webhook(input.secrets).verify(payload(input), nodeHeaders(input.headers), {
        tolerance: input.tolerance,
        now: input.now,
      })
    case 'stripe.sign':
      return stripe.sign(payload(input), input.secret, input.timestamp)
    case 'stripe.verify':
      return stripe.verify(payload(input), input.header, input.secret, { tolerance: input.tolerance, now: input.now })
    case 'github.sign':
      return github.sign(payload(input), input.secret)
    case 'github.verify':
      return github.verify(payload(input), input.header, input.secret ?? input.secrets)
    case 'slack.sign':
      return slack.sign(payload(input), input.secret, input.timestamp)
    case 'slack.verify':
      return slack.verify(payload(input), input.timestamp_header, input.signature_header, input.secret, {
        tolerance: input.tolerance,
        now: input.now,
      })
    case 'retry.decide':
      return snakeCaseKeys(
        policy(input.policy).decide(input.attempt, input.status, input.retry_after, {
          firstFailureAt: input.first_failure_at,
          now: input.now,
          jitterSample: input.jitter_sample,
        }),
      )
    case 'retry.policy': {
      const p = policy(input.policy)
      return { delays: p.delays, max_attempts: p.maxAttempts }
    }
    case 'event.build':
      return buildEvent(input.type, eventData(input), new Date(input.timestamp_ms)).toString('utf8')
    case 'event.message_id':
      return messageIdFrom(input.unix_millis, Buffer.from(input.entropy_hex, 'hex'))
    case 'filter.matches':
      return new EventFilter(input.patterns).matches(input.type)
    case 'filter.patterns':
      return new EventFilter(input.patterns).patterns
    default:
      throw new Error(`unknown op ${op}`)
  }
}

for (const c of loadVectors('webhooks')) {
  test(`vector: ${c.name}`, () => checkCase(c, (input) => run(c.op, input)))
}
