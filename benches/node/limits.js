'use strict'
// Bench module (interface: run.js). tenantry's limits against an equivalent pure-JS
// implementation of the same decisions.

const assert = require('node:assert/strict')
const path = require('node:path')
const { PlanCatalog, RateLimit } = require(path.join(__dirname, '..', '..', 'bindings-node'))
const { bestUs, printTable } = require('./_timing.js')

const CATALOG = {
  free: {
    limits: {
      max_users: 5,
      max_tokens_per_month: { limit: 100000, period: 'month', grace: { percent: 10, duration: 259200 } },
    },
    features: ['basic_chat'],
  },
}

// ---- the pure-JS equivalent -----------------------------------------------------------------

const THRESHOLDS = [[8, 10, 0.8], [9, 10, 0.9], [1, 1, 1]]

class JsEntitlements {
  constructor(metrics) {
    this.metrics = new Map(Object.entries(metrics))
  }

  check(metric, used, requested = 1, options = {}) {
    const spec = this.metrics.get(metric)
    if (spec === undefined) throw new Error(`unknown metric ${metric}`)
    if (!Number.isSafeInteger(used) || !Number.isSafeInteger(requested) || used < 0 || requested < 1) {
      throw new Error('invalid usage')
    }
    const now = options.now ?? Math.floor(Date.now() / 1000)
    const after = used + requested
    const limit = spec.limit
    if (limit === null) {
      return { allowed: true, status: 'ok', limit: null, used, requested, remaining: null, percent: null, crossed: [], graceEndsAt: null, overLimitSince: null }
    }
    const percent = limit ? Math.round((after * 100 / limit) * 100) / 100 : (after ? 100 : 0)
    let allowed = true
    let status = 'ok'
    let since = null
    let ends = null
    if (after <= limit) {
      const [n, d] = THRESHOLDS[0]
      if (after && after * d >= n * limit) status = 'warning'
    } else {
      since = options.overLimitSince ?? now
      const g = spec.grace
      if (g) {
        const allowance = g.amount ?? (g.percent !== undefined ? Math.floor(limit * g.percent / 100) : null)
        ends = g.duration !== undefined ? since + g.duration : null
        if ((allowance === null || after <= limit + allowance) && (ends === null || now < ends)) status = 'grace'
        else { allowed = false; status = 'exceeded'; since = options.overLimitSince ?? null }
      } else {
        allowed = false; status = 'exceeded'; since = options.overLimitSince ?? null
      }
    }
    const crossed = []
    if (allowed) {
      for (const [n, d, t] of THRESHOLDS) {
        const b = Math.ceil(n * limit / d)
        if (used < b && b <= after) crossed.push(t)
      }
    }
    const remaining = allowed ? Math.max(0, limit - after) : Math.max(0, limit - used)
    return { allowed, status, limit, used, requested, remaining, percent, crossed, graceEndsAt: ends, overLimitSince: since }
  }
}

class JsRateLimit {
  constructor(limit, period, burst) {
    this.burst = burst ?? limit
    this.interval = Math.max(1, Math.ceil(period * 1000 / limit))
    this.tolerance = this.interval * this.burst
  }

  check(state, now, cost = 1) {
    const nowMs = Math.floor((now instanceof Date ? now.getTime() : now * 1000))
    const t = this.interval
    const tat = state ?? nowMs
    const base = Math.max(tat, nowMs)
    const increment = t * cost
    const newTat = base + increment
    const allowAt = newTat - this.tolerance
    let allowed, ttl, next, retry
    if (nowMs < allowAt) {
      allowed = false; ttl = base - nowMs; next = tat; retry = increment <= this.tolerance ? allowAt - nowMs : null
    } else {
      allowed = true; ttl = newTat - nowMs; next = newTat; retry = null
    }
    const rest = this.tolerance - ttl
    const remaining = rest > -t ? Math.max(0, Math.trunc(rest / t)) : 0
    return { allowed, state: next, limit: this.burst, remaining, resetAfterMs: ttl, retryAfterMs: retry }
  }
}

// ---- the table --------------------------------------------------------------------------------

function rows() {
  const ent = new PlanCatalog(CATALOG).entitlements('free')
  const jsEnt = new JsEntitlements({
    max_users: { limit: 5 },
    max_tokens_per_month: { limit: 100000, grace: { percent: 10, duration: 259200 } },
  })
  for (const args of [['max_users', 3, 1], ['max_tokens_per_month', 99000, 2000], ['max_users', 5, 1]]) {
    const a = ent.check(...args, { now: 1700000000 }).toJSON()
    const b = jsEnt.check(...args, { now: 1700000000 })
    assert.deepEqual(a, b, args.join(' '))
  }
  const rl = new RateLimit(100, 60)
  const jsRl = new JsRateLimit(100, 60)
  assert.deepEqual(rl.check(1700000000600, 1700000000).toJSON(), jsRl.check(1700000000600, 1700000000))
  // Timed as a caller uses it: each decision's state is the next call's, and the clock moves (with
  // constant inputs V8 folds the whole pure-JS check away and times nothing). The two agree on
  // every decision of such a run.
  const limiter = (check) => {
    let state = null
    let now = 1700000000
    return () => {
      now += 0.25
      const d = check(state, now)
      state = d.state
      return d.allowed
    }
  }
  {
    const [ours, theirs] = [limiter((s, t) => rl.check(s, t).toJSON()), limiter((s, t) => jsRl.check(s, t))]
    for (let i = 0; i < 1000; i++) assert.equal(ours(), theirs(), `decision ${i}`)
  }

  const opts = { now: 1700000000 }
  const cases = [
    ['Entitlements.check (warning, crosses 80 %)', () => ent.check('max_users', 3, 1, opts).allowed, () => jsEnt.check('max_users', 3, 1, opts).allowed],
    ['Entitlements.check (grace)', () => ent.check('max_tokens_per_month', 99000, 2000, opts).allowed, () => jsEnt.check('max_tokens_per_month', 99000, 2000, opts).allowed],
    ['RateLimit.check (state carried, clock moving)', limiter((s, t) => rl.check(s, t)), limiter((s, t) => jsRl.check(s, t))],
  ]
  const out = []
  for (const [name, ours, theirs] of cases) {
    const best = bestUs({ tenantry: ours, 'pure JS': theirs })
    out.push([`limits ${name}`, 'pure JS', best.tenantry, best['pure JS']])
  }
  return out
}

const TITLE = 'Node: limits against pure JS (µs per call)'
const NOTES = ['limits: target Entitlements.check and RateLimit.check <= 0.5 µs']

module.exports = { rows, NOTES }
if (require.main === module) printTable(TITLE, rows(), NOTES)
