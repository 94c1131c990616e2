'use strict'
// The raw N-API hot paths of Entitlements.check/enforce and RateLimit.check/enforce (js/limits.js,
// src/limits.rs): results built from a scratch array, native handles, argument types.

const assert = require('node:assert/strict')
const { test } = require('node:test')
const tenantry = require('..')
const { PlanCatalog, RateLimit, Decision, RateDecision, InvalidInputError, LimitsError, crossed } = tenantry

const CATALOG = {
  free: {
    limits: {
      max_users: 5,
      tokens: { limit: 1000, period: 'month', grace: { percent: 10, duration: 3600 } },
      // 40 thresholds: more than the scratch array holds, so they come back as an array.
      many: { limit: 4000, thresholds: Array.from({ length: 40 }, (_, i) => (i + 1) / 40) },
    },
  },
}

test('decisions are Decision / RateDecision instances with getters matching toJSON', () => {
  const ent = new PlanCatalog(CATALOG).entitlements('free')
  const d = ent.check('max_users', 3, 1, { now: 1700000000 })
  assert.ok(d instanceof Decision)
  const fields = ['allowed', 'status', 'limit', 'used', 'requested', 'remaining', 'percent', 'crossed', 'graceEndsAt', 'overLimitSince']
  assert.deepEqual(Object.fromEntries(fields.map((f) => [f, d[f]])), d.toJSON())
  assert.deepEqual(d.toJSON(), {
    allowed: true, status: 'warning', limit: 5, used: 3, requested: 1, remaining: 1, percent: 80,
    crossed: [0.8], graceEndsAt: null, overLimitSince: null,
  })
  const g = ent.check('tokens', 990, 50, { now: 1700000000 })
  assert.deepEqual([g.status, g.remaining, g.graceEndsAt, g.overLimitSince], ['grace', 0, 1700003600, 1700000000])
  const rl = new RateLimit(2, 10)
  const r = rl.check(null, 1700000000)
  assert.ok(r instanceof RateDecision)
  assert.deepEqual(r.toJSON(), { allowed: true, state: 1700000005000, limit: 2, remaining: 1, resetAfterMs: 5000, retryAfterMs: null })
  assert.deepEqual([r.resetAfter, r.retryAfter], [5, null])
})

test('decisions cannot be constructed or changed by callers', () => {
  assert.throws(() => new Decision(), TypeError)
  assert.throws(() => new RateDecision(), TypeError)
  const d = new PlanCatalog(CATALOG).entitlements('free').check('max_users', 3, 1)
  assert.throws(() => { d.allowed = false }, TypeError)
  d.crossed.push(0.5)
  assert.deepEqual(d.crossed, [0.8])
  d.toJSON().crossed.push(0.5)
  assert.deepEqual(d.toJSON().crossed, [0.8])
})

test('a later call does not change an earlier decision (the scratch array is reused)', () => {
  const ent = new PlanCatalog(CATALOG).entitlements('free')
  const a = ent.check('max_users', 3, 1)
  const before = a.toJSON()
  ent.check('tokens', 2000, 1, { now: 0, overLimitSince: 0 })
  assert.deepEqual(a.toJSON(), before)
  const rl = new RateLimit(1, 60)
  const first = rl.check(null, 0)
  const refused = rl.check(first.state, 0)
  assert.equal(refused.allowed, false)
  assert.equal(first.allowed, true)
  assert.equal(first.headers()['X-RateLimit-Remaining'], '0')
  assert.equal(first.headers()['Retry-After'], undefined)
  assert.equal(refused.headers()['Retry-After'], '60')
})

test('more crossed thresholds than the scratch array holds', () => {
  const ent = new PlanCatalog(CATALOG).entitlements('free')
  const d = ent.check('many', 0, 4000)
  const expected = crossed(0, 4000, 4000, CATALOG.free.limits.many.thresholds)
  assert.equal(expected.length, 40)
  assert.deepEqual(d.crossed, expected)
  assert.deepEqual(ent.check('many', 0, 100).crossed, [0.025])
})

test('argument types: TypeError for wrong types, typed errors for bad values', () => {
  const ent = new PlanCatalog(CATALOG).entitlements('free')
  const rl = new RateLimit(10, 60)
  for (const call of [
    () => ent.check(5, 1),
    () => ent.check('max_users', '1'),
    () => ent.check('max_users', 1, '1'),
    () => ent.check('max_users', 1, 1, 5),
    () => ent.check('max_users', 1, 1, { now: '1700000000' }),
    () => ent.check('max_users', 1, 1, { overLimitSince: {} }),
    () => ent.enforce('max_users', undefined),
    () => rl.check('1'),
    () => rl.check(null, '1700000000'),
    () => rl.check(null, 0, '1'),
  ]) {
    assert.throws(call, TypeError, call.toString())
  }
  assert.deepEqual(ent.check('max_users', 1, null, null).requested, 1)
  assert.deepEqual(ent.check('max_users', 1, undefined, {}).requested, 1)
  assert.throws(() => ent.check('max_users', 1, 1, { now: NaN }), (err) => err instanceof InvalidInputError && err.code === 'input.invalid_time')
  assert.throws(() => ent.check('max_users', 1, 1, { now: new Date(NaN) }), (err) => err.code === 'input.invalid_time')
  assert.throws(() => rl.check(null, Infinity), (err) => err.code === 'input.invalid_time')
  assert.throws(() => rl.check(null, 0, -1), (err) => err instanceof LimitsError && err.code === 'limits.invalid_usage')
  assert.equal(rl.check(undefined, undefined, undefined).allowed, true)
})

test('a number refused as a count or state is named as JavaScript writes it', () => {
  // Rust's own formatting wrote `inf` and 1e300 as 301 digits.
  const ent = new PlanCatalog(CATALOG).entitlements('free')
  const rl = new RateLimit(10, 60)
  for (const [n, shown] of [[Infinity, 'Infinity'], [-Infinity, '-Infinity'], [1e300, '1e+300'], [2 ** 64, '18446744073709552000'], [0.5, '0.5']]) {
    for (const [call, what, code] of [
      [() => ent.check('max_users', n), 'used', 'limits.invalid_usage'],
      [() => ent.check('max_users', 1, n), 'requested', 'limits.invalid_usage'],
      [() => rl.check(null, 0, n), 'cost', 'limits.invalid_usage'],
      [() => rl.check(n, 0), 'state', 'input.invalid'],
    ]) {
      assert.throws(call, (err) => {
        assert.equal(err.code, code)
        assert.equal(err.message, `${what} must be a whole number (a safe integer), got ${shown}`)
        return true
      })
    }
  }
})

test('hot paths refuse a receiver or handle of another type', () => {
  const ent = new PlanCatalog(CATALOG).entitlements('free')
  const rl = new RateLimit(10, 60)
  assert.throws(() => ent.check.call(rl, 'max_users', 1))
  assert.throws(() => rl.check.call(ent, null, 0))
  assert.throws(() => ent.check.call({}, 'max_users', 1))
  // The raw functions check the handle's type tag.
  const hot = require('../native.js')._limitsHotPaths()
  ent.check('max_users', 1)
  rl.check(null, 0)
  const [entHandle] = Object.getOwnPropertySymbols(ent).map((s) => ent[s])
  const [rlHandle] = Object.getOwnPropertySymbols(rl).map((s) => rl[s])
  assert.throws(() => hot.entitlementsCheck(rlHandle, new Float64Array(64), 'max_users', 1), /handle/)
  assert.throws(() => hot.rateLimitCheck(entHandle, new Float64Array(16), null, 0), /handle/)
  assert.throws(() => hot.rateLimitCheck({}, new Float64Array(16), null, 0), /handle/)
  assert.throws(() => hot.rateLimitCheck(rlHandle, new Float64Array(2), null, 0), /too short/)
  assert.throws(() => hot.rateLimitCheck(rlHandle, new Uint8Array(80), null, 0), /Float64Array/)
})

test('frozen objects still check', () => {
  const ent = Object.freeze(new PlanCatalog(CATALOG).entitlements('free'))
  const rl = Object.freeze(new RateLimit(10, 60))
  assert.equal(ent.check('max_users', 1).allowed, true)
  assert.equal(ent.check('max_users', 5).allowed, false)
  assert.equal(rl.check(null, 0).remaining, 9)
  assert.equal(rl.check(null, 0).remaining, 9)
})
