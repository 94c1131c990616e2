'use strict'
// The delivery side: RetryPolicy, EventFilter, messageId, buildEvent (vectors cover exact values;
// these cover the Node surface: defaults, randomness, input forms and bad input).

const { test } = require('node:test')
const assert = require('node:assert/strict')
const tenantry = require('..')
const { RetryPolicy, EventFilter, Webhook, messageId, messageIdFrom, buildEvent, TenantryError } = tenantry

const NOW = 1_700_000_000

function expectCode(fn, code) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof TenantryError, `${err} is not a TenantryError`)
    assert.equal(err.code, code, err.message)
    return true
  })
}

test('the default policy is the svix schedule, walked to the dead letter', () => {
  const policy = new RetryPolicy()
  assert.deepEqual(policy.delays, [5, 300, 1800, 7200, 18000, 36000, 36000])
  assert.equal(policy.maxAttempts, 8)
  let now = NOW
  let attempt = 1
  let decision
  for (;;) {
    decision = policy.decide(attempt, 500, null, { firstFailureAt: NOW, now })
    if (decision.action !== 'retry') break
    assert.equal(decision.nextAttempt, attempt + 1)
    now = decision.retryAt
    attempt = decision.nextAttempt
  }
  assert.equal(attempt, 8)
  assert.deepEqual(decision, { action: 'give_up', reason: 'attempts_exhausted' })
})

test('decide accepts Dates and defaults now', () => {
  const at = new Date(Date.UTC(2024, 4, 1))
  assert.deepEqual(new RetryPolicy().decide(1, 503, 'Wed, 01 May 2024 01:00:00 GMT', { now: at }), {
    action: 'retry',
    retryAt: at.getTime() / 1000 + 3600,
    nextAttempt: 2,
  })
  assert.deepEqual(new RetryPolicy().decide(2, null, undefined, { firstFailureAt: new Date(at - 6 * 86400e3), now: at }), {
    action: 'disable_endpoint',
    reason: 'failing_too_long',
  })
  assert.equal(new RetryPolicy().decide(1, null).action, 'retry')
  assert.deepEqual(new RetryPolicy().decide(1, 410), { action: 'disable_endpoint', reason: 'gone' })
})

test('jitter stays within bounds', () => {
  const policy = new RetryPolicy({ schedule: [1000], jitter: 0.25 })
  const seen = new Set()
  for (let i = 0; i < 200; i++) {
    const d = policy.decide(1, 500, null, { now: 0 })
    assert.ok(d.retryAt >= 750 && d.retryAt <= 1250, String(d.retryAt))
    seen.add(d.retryAt)
  }
  assert.ok(seen.size > 20)
})

test('exponential policy', () => {
  assert.deepEqual(RetryPolicy.exponential({ initialDelay: 2, maxDelay: 60, maxRetries: 6 }).delays, [2, 4, 8, 16, 32, 60])
  assert.deepEqual(RetryPolicy.exponential({ initialDelay: 1, maxDelay: 100, maxRetries: 3, factor: 10 }).delays, [1, 10, 100])
})

test('bad values are typed errors', () => {
  const cases = [
    [() => new RetryPolicy({ schedule: [-5] }), 'webhook.invalid_config'],
    [() => new RetryPolicy({ jitter: -0.1 }), 'webhook.invalid_config'],
    [() => new RetryPolicy({ disableAfter: -1 }), 'webhook.invalid_config'],
    [() => RetryPolicy.exponential({ initialDelay: 10, maxDelay: 5, maxRetries: 3 }), 'webhook.invalid_config'],
    [() => RetryPolicy.exponential({ initialDelay: 1, maxDelay: 5, maxRetries: 3, factor: NaN }), 'webhook.invalid_config'],
    [() => RetryPolicy.exponential({ initialDelay: 1, maxDelay: 5, maxRetries: -1 }), 'input.invalid'],
    [() => new RetryPolicy().decide(0, 500, null, { now: NOW }), 'input.invalid'],
    [() => new RetryPolicy().decide(-1, 500, null, { now: NOW }), 'input.invalid'],
    [() => new RetryPolicy().decide(2 ** 40, 500, null, { now: NOW }), 'input.invalid'],
    [() => new RetryPolicy().decide(1, 70000, null, { now: NOW }), 'input.invalid'],
    [() => new RetryPolicy().decide(1, 500, null, { now: NOW, jitterSample: 2 }), 'input.invalid'],
    [() => new RetryPolicy().decide(1, 500, null, { now: Infinity }), 'input.invalid_time'],
    [() => new EventFilter([]), 'webhook.invalid_config'],
    [() => new EventFilter(['invoice.*.paid']), 'webhook.invalid_config'],
    [() => buildEvent('bad type', {}, NOW), 'webhook.invalid_event_type'],
    [() => buildEvent('ok', '{not json', NOW), 'input.invalid_json'],
    [() => buildEvent('ok', {}, -1), 'input.invalid_time'],
    [() => messageIdFrom(0, Buffer.from('short')), 'input.invalid'],
    [() => messageIdFrom(-1, Buffer.alloc(10)), 'input.invalid_time'],
  ]
  for (const [call, code] of cases) expectCode(call, code)
})

test('wrong types are TypeErrors', () => {
  const calls = [
    () => new RetryPolicy({ schedule: '5,300' }),
    () => new RetryPolicy({ jitter: '0.1' }),
    () => new RetryPolicy().decide('1', 500),
    () => new RetryPolicy().decide(1, '500'),
    () => new RetryPolicy().decide(1, 503, 120),
    () => RetryPolicy.exponential({ initialDelay: 1 }),
    () => new EventFilter('invoice.*'),
    () => new EventFilter([1]),
    () => new EventFilter(['*']).matches(null),
    () => buildEvent(null, {}),
    () => messageIdFrom('0', Buffer.alloc(10)),
    () => messageIdFrom(0, '0123456789'),
  ]
  for (const call of calls) assert.throws(call, TypeError, String(call))
})

test('event filter', () => {
  const f = new EventFilter(['invoice.*', 'user.created'])
  assert.deepEqual(f.patterns, ['invoice.*', 'user.created'])
  assert.ok(f.matches('invoice.paid'))
  assert.ok(!f.matches('user.deleted'))
})

test('message ids are unique, sortable and valid Standard Webhooks ids', () => {
  const ids = Array.from({ length: 1000 }, () => messageId())
  assert.equal(new Set(ids).size, 1000)
  for (const id of ids) assert.match(id, /^msg_[0-9A-HJKMNP-TV-Z]{26}$/)
  assert.ok(messageIdFrom(1_600_000_000_000, Buffer.alloc(10, 0xff)) < ids[0])
  new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').sign(ids[0], '{}')
})

test('buildEvent takes objects or JSON text and returns a Buffer', () => {
  const data = { b: [1, 2.5, null, true], a: 'Zoë' }
  const body = buildEvent('invoice.paid', data, NOW)
  assert.ok(Buffer.isBuffer(body))
  assert.deepEqual(body, buildEvent('invoice.paid', JSON.stringify(data), new Date(NOW * 1000)))
  assert.deepEqual(JSON.parse(body), { type: 'invoice.paid', timestamp: '2023-11-14T22:13:20.000Z', data })
  assert.equal(
    buildEvent('ping', null, 1.5).toString(),
    '{"type":"ping","timestamp":"1970-01-01T00:00:01.500Z","data":null}',
  )
  assert.ok(JSON.parse(buildEvent('ping', {})).timestamp.endsWith('Z'))
})

test('buildEvent data: JSON semantics, and nothing the body would drop or alter in silence', () => {
  const dataOf = (data) => JSON.parse(buildEvent('invoice.paid', data, NOW)).data
  // As JSON.stringify writes them: a Date is its ISO string (it was `{}` in the signed body),
  // toJSON is honoured, a boxed number is its value, undefined members are absent.
  assert.deepEqual(dataOf({ paidAt: new Date(0), n: new Number(3), gone: undefined }), { paidAt: '1970-01-01T00:00:00.000Z', n: 3 })
  assert.deepEqual(dataOf({ money: { toJSON: () => ({ cents: 5 }) } }), { money: { cents: 5 } })
  // What JSON cannot carry is a TypeError naming where it is (a Map was `{}`, NaN a message about
  // serde_json); a lone surrogate (it was U+FFFD) is input.invalid, as in Python.
  const bad = [
    [{ a: NaN }, 'NaN at /a'],
    [{ a: [1, Infinity] }, 'Infinity at /a/1'],
    [{ a: new Map([[1, 2]]) }, 'a Map or Set at /a'],
    [{ a: new Set([1]) }, 'a Map or Set at /a'],
    [{ a: () => 1 }, 'function at /a'],
    [[1, , 3], 'undefined at /1'],
    [undefined, 'undefined at the top'],
  ]
  for (const [data, where] of bad) {
    assert.throws(() => buildEvent('invoice.paid', data, NOW), (err) => {
      assert.ok(err instanceof TypeError, String(err))
      assert.equal(err.code, 'ERR_INVALID_ARG_TYPE')
      assert.equal(err.message, `data is not JSON data: ${where}`)
      return true
    })
  }
  assert.throws(() => buildEvent('invoice.paid', { a: 1n }, NOW), TypeError)
  // Nested deeper than data may, or containing itself: the core's error, as in Python.
  const cyclic = { a: 1 }
  cyclic.self = cyclic
  let deep = 1
  for (let i = 0; i < 101; i++) deep = [deep]
  for (const data of [cyclic, deep]) expectCode(() => buildEvent('invoice.paid', data, NOW), 'input.invalid')
  assert.doesNotThrow(() => buildEvent('invoice.paid', deep[0], NOW))
})

test('buildEvent: a Buffer or Uint8Array is JSON text as bytes, as a string is (and as Python reads bytes)', () => {
  const text = '{"b": 1, "a": "Zoë"}'
  const body = buildEvent('ping', text, 0)
  assert.equal(body.toString(), '{"type":"ping","timestamp":"1970-01-01T00:00:00.000Z","data":{"a":"Zoë","b":1}}')
  for (const bytes of [Buffer.from(text), new Uint8Array(Buffer.from(text)), Buffer.from(`xx${text}yy`).subarray(2, -2)]) {
    assert.deepEqual(buildEvent('ping', bytes, 0), body)
  }
  for (const bad of [Buffer.from([0x22, 0xff, 0x22]), Buffer.from('hello'), new Uint8Array(0)]) {
    assert.throws(() => buildEvent('ping', bad, 0), (err) => err instanceof TenantryError && err.code === 'input.invalid_json')
  }
})
