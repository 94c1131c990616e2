'use strict'
// tenantry limits beyond the vectors: argument types, error classes, Dates, seed numbers.

const assert = require('node:assert/strict')
const path = require('node:path')
const { test } = require('node:test')
const tenantry = require('..')
const { PlanCatalog, RateLimit, Decision, RateDecision, LimitsError, LimitExceededError, InvalidInputError, crossed, periodWindow } = tenantry

const SEED1 = require(path.join(__dirname, '..', '..', 'examples', 'plans', 'seed001_tiers.json'))

test('seed 001 numbers and 80/90/100 % alerts fire once each', () => {
  const catalog = new PlanCatalog(SEED1)
  assert.deepEqual(catalog.plans, ['free', 'starter', 'business', 'enterprise'])
  const expected = {
    free: [5, 2, 50, 100000],
    starter: [20, 10, 500, 1000000],
    business: [100, 50, 5000, 10000000],
    enterprise: [null, null, null, null],
  }
  for (const [plan, limits] of Object.entries(expected)) {
    const ent = catalog.entitlements(plan)
    const got = ['max_users', 'max_teams', 'max_conversations', 'max_tokens_per_month'].map((m) => ent.limit(m))
    assert.deepEqual(got, limits, plan)
  }
  const ent = catalog.entitlements('starter')
  let used = 0
  const fired = []
  for (const step of [300000, 499999, 1, 50000, 60000, 89999, 1, 5]) {
    const d = ent.check('max_tokens_per_month', used, step, { now: 1700000000 })
    assert.ok(d.allowed)
    fired.push(...d.crossed)
    used += step
  }
  assert.deepEqual(fired, [0.8, 0.9, 1])
})

test('object and JSON text agree', () => {
  const a = new PlanCatalog(SEED1).entitlements('free').check('max_users', 3).toJSON()
  const b = new PlanCatalog(JSON.stringify(SEED1)).entitlements('free').check('max_users', 3).toJSON()
  assert.deepEqual(a, b)
  assert.equal(JSON.stringify(new PlanCatalog(SEED1).entitlements('free').check('max_users', 3)), JSON.stringify(a))
})

test('bad inputs are typed errors', () => {
  const ent = new PlanCatalog(SEED1).entitlements('free')
  assert.throws(() => ent.check('max_users', '3'), TypeError)
  assert.throws(() => new RateLimit('60', 60), TypeError)
  for (const [used, requested] of [[-1, 1], [0, 0], [0, -5], [1.5, 1], [NaN, 1], [2 ** 64, 1], [Infinity, 1]]) {
    assert.throws(() => ent.check('max_users', used, requested), (err) => err instanceof LimitsError && err.code === 'limits.invalid_usage')
  }
  assert.throws(() => ent.check('storage', 1), (err) => err.code === 'limits.unknown_metric')
  assert.throws(() => new PlanCatalog(SEED1).entitlements('gold'), (err) => err.code === 'limits.unknown_plan')
  // NaN percentages are not JSON: refused before the catalog crosses (TypeError); limits beyond
  // 64 bits reach the validator, which names the path.
  assert.throws(() => new PlanCatalog({ p: { limits: { x: { limit: 5, grace: { percent: NaN } } } } }), TypeError)
  assert.throws(() => new PlanCatalog({ p: { limits: { x: 2 ** 70 } } }), (err) => err.errors[0].path === '/p/limits/x')
  assert.throws(() => new PlanCatalog('{nope'), (err) => err instanceof InvalidInputError && err.code === 'input.invalid_json')
  // What JSON would change without a trace is refused, not enforced as something else: NaN
  // would become null, which a catalog reads as "unlimited"; a Map would become {}.
  const catalog = new PlanCatalog({ free: { limits: { seats: 3 } } })
  const notJson = (pointer) => (err) => err instanceof TypeError && err.message.endsWith(` at ${pointer}`)
  assert.throws(() => new PlanCatalog({ free: { limits: { seats: NaN } } }), notJson('/free/limits/seats'))
  assert.throws(() => new PlanCatalog({ free: { limits: new Map([['seats', 3]]) } }), notJson('/free/limits'))
  // A lone surrogate is a value tenantry cannot take, not a wrong type: input.invalid, as in Python.
  assert.throws(() => new PlanCatalog({ 'pro\ud800': { limits: {} } }), (err) => err instanceof InvalidInputError && err.code === 'input.invalid' && /lone surrogate/.test(err.message))
  assert.throws(() => catalog.entitlements('free', { overrides: { limits: { seats: Infinity } } }), notJson('/limits/seats'))
  assert.throws(() => catalog.entitlements('free', { overrides: { limits: new Map() } }), notJson('/limits'))
  assert.throws(() => catalog.entitlements('free').usageReport(new Map([['seats', 1]])), notJson('the top'))
  assert.throws(() => catalog.entitlements('free').usageReport({ seats: NaN }), notJson('/seats'))
  // A BigInt count was read as a number (2n ** 53n + 1n as its neighbour): JSON data has none.
  assert.throws(() => catalog.entitlements('free').usageReport({ seats: 3n }), notJson('/seats'))
  assert.throws(() => new PlanCatalog({ free: { limits: { seats: 3n } } }), notJson('/free/limits/seats'))
  // A Date is its ISO string, as in every document: not a limit (it used to become {}).
  assert.throws(() => new PlanCatalog({ free: { limits: { seats: new Date(0) } } }), (err) => err.code === 'limits.invalid_catalog')
  // A class, called without `new`, is a TypeError as any JS class is.
  assert.throws(() => PlanCatalog({ free: {} }), /without 'new'/)
  assert.throws(() => RateLimit(10, 60), /without 'new'/)
  // Overrides as an object and as JSON text agree.
  const viaText = catalog.entitlements('free', { overrides: '{"limits": {"seats": 7}}' })
  assert.equal(catalog.entitlements('free', { overrides: { limits: { seats: 7 } } }).limit('seats'), viaText.limit('seats'))
  assert.throws(() => new RateLimit(10, NaN), (err) => err.code === 'limits.invalid_config')
  assert.throws(() => new RateLimit(2.5, 60), (err) => err.code === 'limits.invalid_config')
  assert.throws(() => new RateLimit(10, 60).check(0.5), (err) => err instanceof InvalidInputError)
  assert.throws(() => crossed(0, 10, 10, [0.9, 0.5]), (err) => err.code === 'limits.invalid_config')
  assert.throws(() => periodWindow('week', null, 0), (err) => err.code === 'limits.invalid_config')
})

test('enforce throws LimitExceededError', () => {
  const ent = new PlanCatalog(SEED1).entitlements('free')
  assert.throws(() => ent.enforce('max_users', 5), (err) => err instanceof LimitExceededError && err.code === 'limits.exceeded')
  const rl = new RateLimit(1, 60)
  const d = rl.enforce(null, 0)
  assert.throws(() => rl.enforce(d.state, 0), (err) => err instanceof LimitExceededError && err.code === 'limits.rate_limited')
})

test('Dates and numbers are the same times', () => {
  const ent = new PlanCatalog(SEED1).entitlements('free', { trialEndsAt: new Date(1700259200000) })
  const d = ent.check('max_tokens_per_month', 99000, 2000, { now: new Date(1700000000000) })
  assert.deepEqual([d.status, d.overLimitSince, d.graceEndsAt], ['grace', 1700000000, 1700259200])
  assert.deepEqual(ent.trialStatus(new Date(1700000000000)), { active: true, endsAt: 1700259200, daysLeft: 3 })
  const rl = new RateLimit(10, 1)
  assert.equal(rl.check(null, new Date(1700000000000)).state, rl.check(null, 1700000000).state)
  assert.deepEqual(periodWindow('month', new Date(Date.UTC(2024, 0, 31)), 1709208000), { start: 1709164800, end: 1711843200 })
})

test('rate limit headers, seed 004: 60 per minute', () => {
  const rl = new RateLimit(60, 60)
  assert.deepEqual([rl.limit, rl.period, rl.burst, rl.policy], [60, 60, 60, 'default'])
  let state = null
  for (let i = 0; i < 60; i++) {
    const d = rl.check(state, 1700000000)
    assert.ok(d.allowed)
    state = d.state
  }
  const refused = rl.check(state, 1700000000)
  assert.equal(refused.allowed, false)
  assert.equal(refused.retryAfter, 1)
  assert.deepEqual(refused.headers(), {
    'X-RateLimit-Limit': '60',
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset': '60',
    'RateLimit-Policy': '"default";q=60;w=60',
    RateLimit: '"default";r=0;t=60',
    'Retry-After': '1',
  })
})

test('enforce errors carry the refused decision, to answer the 429 with', () => {
  const rl = new RateLimit(1, 60)
  const { state } = rl.check(null, 1_700_000_000)
  assert.throws(() => rl.enforce(state, 1_700_000_001), (err) => {
    assert.ok(err instanceof LimitExceededError)
    assert.equal(err.code, 'limits.rate_limited')
    assert.ok(err.decision instanceof RateDecision)
    assert.deepEqual(err.decision.toJSON(), rl.check(state, 1_700_000_001).toJSON())
    assert.equal(err.decision.headers()['Retry-After'], '59')
    return true
  })
  const ent = new PlanCatalog({ free: { limits: { seats: 1 } } }).entitlements('free')
  assert.throws(() => ent.enforce('seats', 1, 1, { now: 1_700_000_000 }), (err) => {
    assert.ok(err instanceof LimitExceededError && err.decision instanceof Decision)
    assert.deepEqual(err.decision.toJSON(), ent.check('seats', 1, 1, { now: 1_700_000_000 }).toJSON())
    return true
  })
})

test('usageReport reads usage as JSON.stringify sends it, as the catalog and overrides are read', () => {
  const ent = new PlanCatalog({ free: { limits: { seats: 5 } } }).entitlements('free')
  const seats = (rows) => rows.find((row) => row.metric === 'seats').count
  // toJSON is honoured (napi-rs refused it: "JS functions cannot be represented as a
  // serde_json::Value"), as for overrides; a boxed number is its value.
  assert.equal(seats(ent.usageReport({ toJSON: () => ({ seats: 4 }) })), 4)
  assert.equal(seats(ent.usageReport({ seats: new Number(3) })), 3)
  class Usage {
    seats = 2
  }
  assert.equal(seats(ent.usageReport(new Usage())), 2)
  // A Date is its ISO string, not usage: refused (it passed as {}, quietly zero usage).
  const notUsage = (err) => err instanceof TypeError && err.code === 'ERR_INVALID_ARG_TYPE'
  assert.throws(() => ent.usageReport(new Date(0)), notUsage)
  assert.throws(() => ent.usageReport({ seats: new Date(0) }), notUsage)
  assert.throws(() => ent.usageReport({ toJSON: () => ({ seats: NaN }) }), (err) => notUsage(err) && /NaN at \/seats$/.test(err.message))
})

test('a catalog whose whole numbers are written with a fraction of zero reads as with none (as in Python)', () => {
  const text = '{"free": {"limits": {"m": 5.0, "g": {"limit": 3.0, "grace": {"amount": 2.0, "duration": 3600.0}}}, "trial_days": 14.0}}'
  const plain = new PlanCatalog(text.replace(/\.0\b/g, '')).entitlements('free')
  for (const catalog of [new PlanCatalog(text), new PlanCatalog(JSON.parse(text))]) {
    const ent = catalog.entitlements('free')
    assert.deepEqual(ent.limits(), plain.limits())
    assert.equal(ent.limit('m'), 5)
    assert.deepEqual(ent.check('g', 4, 1, { now: 0 }), plain.check('g', 4, 1, { now: 0 }))
  }
  assert.throws(() => new PlanCatalog('{"free": {"limits": {"m": 5.5}}}'), (err) => err instanceof LimitsError && err.errors[0].path === '/free/limits/m')
})
