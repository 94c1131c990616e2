'use strict'
// Tour: seed 001's tiers, 80/90/100 % alerts, grace for overages, seed 002's trials, billing
// periods and a 60-per-minute GCRA rate limit with its headers.

const fs = require('node:fs')
const path = require('node:path')
const { PlanCatalog, RateLimit, LimitExceededError, periodWindow } = require('tenantry')

const PLANS = path.join(__dirname, '..', 'plans')
const catalog = new PlanCatalog(fs.readFileSync(path.join(PLANS, 'seed001_tiers.json'), 'utf8'))
console.log('limits: plans', catalog.plans.join(', '))

const ent = catalog.entitlements('free', { overrides: { limits: { max_users: 10 }, features: ['api_access'] } })
let used = 0
for (const step of [6, 2, 1, 1, 1]) {
  const d = ent.check('max_users', used, step)
  console.log(`limits: max_users ${used} + ${step} -> allowed=${d.allowed} status=${d.status} crossed=${JSON.stringify(d.crossed)}`)
  if (d.allowed) used += step
}
try {
  ent.enforce('max_users', used)
} catch (err) {
  if (!(err instanceof LimitExceededError)) throw err
  console.log('limits: enforce ->', err.code)
}
console.log('limits: api_access via override:', ent.hasFeature('api_access'))

const d = ent.check('max_tokens_per_month', 99000, 2000, { now: new Date() })
console.log(`limits: tokens 101000/100000 -> ${d.status}, grace ends at ${d.graceEndsAt}`)
console.table(ent.usageReport({ max_users: used, max_tokens_per_month: 85000 }))

const trials = new PlanCatalog(require(path.join(PLANS, 'seed002_plans.json')))
const tenant = trials.entitlements('starter', { trialEndsAt: trials.trialEndsAt('starter', new Date()) })
console.log('limits: seed 002 trial', tenant.trialStatus())

const w = periodWindow('month', new Date(Date.UTC(2024, 0, 31)), new Date(Date.UTC(2024, 1, 29, 12)))
console.log('limits: billing period', new Date(w.start * 1000).toISOString(), '->', new Date(w.end * 1000).toISOString())

const perMinute = new RateLimit(60, 60)
let state = null
const now = new Date()
let r
for (let i = 0; i < 61; i++) {
  r = perMinute.check(state, now)
  if (r.allowed) state = r.state
}
console.log(`limits: 61st request allowed=${r.allowed} retryAfter=${r.retryAfter}s`, r.headers())
