'use strict'
// Whole-number arguments and options, and times: NaN, infinities and fractions are `input.invalid` naming
// the argument, in the core's words. Read through napi-rs's integer types they were 0 (NaN and
// infinities) or cut (fractions) without a word: a Stripe `tolerance` of NaN was 0 s, a retry
// schedule of [NaN] an immediate retry, a `maxBytes` of -1 no limit at all, and an audit
// `retentionDays` of NaN (null once stringified) a record kept forever.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const tenantry = require('..')
const { audit, stripe, slack, RetryPolicy, SettingsSchema, Webhook, PlanCatalog, ApiKeys, periodWindow, messageIdFrom, buildEvent, InvalidInputError } = tenantry

const ACTOR = { type: 'user', id: 'u_1' }
const NOW = 1_700_000_000
const HEADER = stripe.sign('{}', 'whsec_x', NOW)
const WEBHOOK = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
const KEYS = new ApiKeys({ prefix: 'tk', peppers: { p1: Buffer.alloc(32) } })

// [what the message names, a call given the number]
const CALLS = [
  ['options.tolerance', (n) => stripe.verify('{}', HEADER, 'whsec_x', { tolerance: n, now: NOW })],
  ['options.tolerance', (n) => slack.verify('{}', String(NOW), 'v0=00', 's', { tolerance: n, now: NOW })],
  ['options.tolerance', (n) => WEBHOOK.verify('{}', WEBHOOK.sign('msg_1', '{}', NOW), { tolerance: n, now: NOW })],
  ['schedule delays', (n) => new RetryPolicy({ schedule: [5, n] })],
  ['disableAfter', (n) => new RetryPolicy({ disableAfter: n })],
  ['maxRetryAfter', (n) => new RetryPolicy({ maxRetryAfter: n })],
  ['initialDelay', (n) => RetryPolicy.exponential({ initialDelay: n, maxDelay: 60, maxRetries: 3 })],
  ['maxDelay', (n) => RetryPolicy.exponential({ initialDelay: 1, maxDelay: n, maxRetries: 3 })],
  ['maxRetries', (n) => RetryPolicy.exponential({ initialDelay: 1, maxDelay: 60, maxRetries: n })],
  ['attemptNumber', (n) => new RetryPolicy().decide(n, 500, null, { now: NOW })],
  ['statusCode', (n) => new RetryPolicy().decide(1, n, null, { now: NOW })],
  ['unixMillis', (n) => messageIdFrom(n, Buffer.alloc(10))],
  ['tzOffset', (n) => periodWindow('day', 0, NOW, n)],
  ['maxBytes', (n) => new SettingsSchema({ type: 'object' }, { maxBytes: n })],
  ['maxDepth', (n) => new SettingsSchema({ type: 'object' }, { maxDepth: n })],
  ['maxStringLength', (n) => new SettingsSchema({ type: 'object' }, { maxStringLength: n })],
  ['retentionDays', (n) => audit.build({ action: 'a.b', actor: ACTOR, occurredAt: NOW, retentionDays: n })],
  ['retentionDays', (n) => audit.buildSealed({ action: 'a.b', actor: ACTOR, occurredAt: NOW, retentionDays: n }, null)],
  ['maxMetadataBytes', (n) => audit.build({ action: 'a.b', actor: ACTOR, occurredAt: NOW, maxMetadataBytes: n })],
  ['days', (n) => audit.retentionCutoff(NOW, n)],
  // Durations were floored: a touchInterval of 0.5 was 0 (a write on every request).
  ['touchInterval', (n) => new ApiKeys({ prefix: 'tk', peppers: { p1: Buffer.alloc(32) }, touchInterval: n })],
  ['grace', (n) => KEYS.roll(KEYS.generate({ now: NOW }).record, { grace: n, now: NOW })],
]

test('NaN, infinities and fractions are input.invalid naming the number, in every call', () => {
  for (const [what, call] of CALLS) {
    for (const [n, shown] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [2.5, '2.5'], [1e300, '1e+300']]) {
      assert.throws(
        () => call(n),
        (err) => {
          assert.ok(err instanceof InvalidInputError, `${what} ${n}: ${err}`)
          assert.equal(err.code, 'input.invalid')
          assert.equal(err.message, `${what} must be a whole number (a safe integer), got ${shown}`)
          return true
        },
      )
    }
  }
})

test('whole numbers still work, and out-of-range ones are the core refusing them', () => {
  assert.doesNotThrow(() => stripe.verify('{}', HEADER, 'whsec_x', { tolerance: 600, now: NOW + 500 }))
  assert.deepEqual(new RetryPolicy({ schedule: [5, 300] }).delays, [5, 300])
  assert.deepEqual(RetryPolicy.exponential({ initialDelay: 1, maxDelay: 10, maxRetries: 3 }).delays, [1, 2, 4])
  assert.equal(new RetryPolicy().decide(1, 503, null, { now: NOW }).action, 'retry')
  assert.equal(periodWindow('day', 0, NOW, 3600).start, 1_699_920_000)
  assert.deepEqual(new SettingsSchema({ type: 'object' }, { maxBytes: 100 }).limits, { maxBytes: 100, maxDepth: 32, maxStringLength: 4096 })
  assert.equal(audit.build({ action: 'a.b', actor: ACTOR, occurredAt: 0, retentionDays: 30 }).expires_at, '1970-01-31T00:00:00.000Z')
  // -1 as a limit was 4294967295 through napi-rs's u32 (no limit at all).
  assert.throws(() => new SettingsSchema({ type: 'object' }, { maxBytes: -1 }), (err) => err.code === 'input.invalid' && /must be positive/.test(err.message))
  assert.throws(() => periodWindow('day', 0, NOW, 1e10), (err) => err.code === 'limits.invalid_config')
  assert.throws(() => stripe.verify('{}', HEADER, 'whsec_x', { tolerance: -1, now: NOW }), (err) => err.code === 'input.invalid')
  // A negative metadata limit was cast to 0: "must be at most 0 bytes" for any metadata.
  assert.throws(
    () => audit.build({ action: 'a.b', actor: ACTOR, occurredAt: NOW, maxMetadataBytes: -1, metadata: { a: 1 } }),
    (err) => err.code === 'input.invalid' && err.message === 'maxMetadataBytes must be zero or more, got -1',
  )
  // An occurredAt of NaN keeps its own code.
  assert.throws(() => audit.build({ action: 'a.b', actor: ACTOR, occurredAt: NaN }), (err) => err.code === 'input.invalid_time')
})

test('an Invalid Date is input.invalid_time wherever a time is taken, never the epoch or now', () => {
  // napi-rs's chrono conversion read its NaN time as 0 (1970-01-01); in audit options JSON.stringify
  // made it null, the default time (now).
  const bad = new Date('garbage')
  const catalog = new PlanCatalog({ free: { limits: { seats: 5 } } })
  const calls = [
    () => audit.retentionCutoff(bad, 5),
    () => periodWindow('day', bad, NOW),
    () => periodWindow('day', 0, bad),
    () => buildEvent('a.b', {}, bad),
    () => new RetryPolicy().decide(1, 500, null, { firstFailureAt: bad, now: NOW }),
    () => stripe.verify('{}', HEADER, 'whsec_x', { now: bad }),
    () => stripe.sign('{}', 'whsec_x', bad),
    () => catalog.entitlements('free', { trialEndsAt: bad }),
    () => WEBHOOK.sign('msg_1', '{}', bad),
    () => audit.build({ action: 'a.b', actor: ACTOR, occurredAt: bad }),
    () => audit.buildSealed({ action: 'a.b', actor: ACTOR, occurredAt: bad }, null),
  ]
  for (const call of calls) {
    assert.throws(call, (err) => err instanceof InvalidInputError && err.code === 'input.invalid_time', String(call))
  }
  // A valid Date still works, to the millisecond where the call keeps them.
  assert.equal(audit.build({ action: 'a.b', actor: ACTOR, occurredAt: new Date(5) }).occurred_at, '1970-01-01T00:00:00.005Z')
  assert.equal(JSON.parse(buildEvent('a.b', {}, new Date(1500))).timestamp, '1970-01-01T00:00:01.500Z')
  assert.equal(audit.retentionCutoff(new Date(10 * 86_400_000), 5), '1970-01-06T00:00:00.000Z')
})
