'use strict'
// Runs tests/vectors/limits.json against the npm package.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { test } = require('node:test')
const { PlanCatalog, RateLimit, LimitsError, crossed, periodWindow } = require('..')
const { loadVectors, checkCase, issues } = require('./helpers')

const ROOT = path.join(__dirname, '..', '..')

// camelCase keys back to the vectors' snake_case (header names are left alone).
function snake(value) {
  if (Array.isArray(value)) return value.map(snake)
  if (value !== null && typeof value === 'object') {
    const out = {}
    for (const [k, v] of Object.entries(value)) {
      out[/^[a-z][a-zA-Z0-9]*$/.test(k) ? k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : k] = snake(v)
    }
    return out
  }
  return value
}

function catalog(input) {
  if (input.catalog_file !== undefined) {
    // JSON text straight from the file: the string input path.
    return new PlanCatalog(fs.readFileSync(path.join(ROOT, input.catalog_file), 'utf8'))
  }
  return new PlanCatalog(input.catalog)
}

function entitlements(input) {
  return catalog(input).entitlements(input.plan, { overrides: input.overrides, trialEndsAt: input.trial_ends_at })
}

function rateObject(d, withHeaders) {
  const out = snake(d.toJSON())
  assert.equal(out.state, d.state)
  if (withHeaders) out.headers = d.headers()
  return out
}

// `limit`, `period` and the optional `burst` and `policy`: every rate op reads these four, as the
// Rust and Python runners do.
function rateLimit(input) {
  return new RateLimit(input.limit, input.period, { burst: input.burst, policy: input.policy })
}

function run(op, input, expect) {
  switch (op) {
    case 'check':
    case 'enforce': {
      const ent = entitlements(input)
      const d = ent[op](input.metric, input.used, input.requested, {
        now: input.now ?? 0,
        overLimitSince: input.over_limit_since,
      })
      const obj = d.toJSON()
      assert.deepEqual([d.allowed, d.status, d.limit, d.remaining, d.percent, d.crossed],
        [obj.allowed, obj.status, obj.limit, obj.remaining, obj.percent, obj.crossed])
      return snake(obj)
    }
    case 'entitlements': {
      const ent = entitlements(input)
      return snake({ plan: ent.plan, features: ent.features, limits: ent.limits() })
    }
    case 'entitlements.limit':
      return entitlements(input).limit(input.metric)
    case 'entitlements.trial_ends_at':
      return entitlements(input).trialEndsAt
    case 'catalog.plans':
      return catalog(input).plans
    case 'has_feature': {
      const ent = entitlements(input)
      return input.names.map((n) => ent.hasFeature(n))
    }
    case 'trial_ends_at':
      return catalog(input).trialEndsAt(input.plan, input.started_at)
    case 'trial_status':
      return snake(entitlements(input).trialStatus(input.now))
    case 'usage_report':
      return snake(entitlements(input).usageReport(input.usage))
    case 'crossed':
      return crossed(input.previous, input.current, input.limit, input.thresholds)
    case 'catalog.validate':
      try {
        new PlanCatalog(input.catalog)
        return []
      } catch (err) {
        if (!(err instanceof LimitsError) || err.code !== 'limits.invalid_catalog') throw err
        return issues(err.errors, expect)
      }
    case 'period_window':
      return periodWindow(input.kind, input.anchor, input.now, input.tz_offset)
    case 'rate.limit': {
      const rl = rateLimit(input)
      return { limit: rl.limit, period: rl.period, burst: rl.burst, policy: rl.policy }
    }
    case 'rate.seconds': {
      // The decision's waits in whole seconds (rounded up), next to the milliseconds.
      const d = rateLimit(input).check(input.state, new Date(input.now_ms), input.cost ?? 1)
      return {
        allowed: d.allowed,
        reset_after_ms: d.resetAfterMs,
        reset_after: d.resetAfter,
        retry_after_ms: d.retryAfterMs,
        retry_after: d.retryAfter,
      }
    }
    case 'rate.sequence': {
      const rl = rateLimit(input)
      let state = null
      const out = []
      for (const step of input.steps) {
        let last
        for (let i = 0; i < (step.repeat ?? 1); i++) {
          last = rl.check(state, new Date(step.now_ms), step.cost ?? 1)
          if (last.allowed) state = last.state
        }
        out.push(rateObject(last, true))
      }
      return out
    }
    case 'rate.enforce': {
      return rateObject(rateLimit(input).enforce(input.state, new Date(input.now_ms), input.cost ?? 1), true)
    }
    default:
      throw new Error(`unknown op ${op}`)
  }
}

for (const c of loadVectors('limits')) {
  test(`vector: ${c.name}`, () => checkCase(c, (input) => run(c.op, input, c.expect)))
}
