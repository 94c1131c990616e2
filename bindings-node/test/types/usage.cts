// Type-checks the README's Node examples through `require("tenantry")`.
import tenantry = require('tenantry')

const secret: string = tenantry.generateSecret()
const wh = new tenantry.Webhook(secret)
const headers: tenantry.SignedHeaders = wh.sign('msg_1', Buffer.from('{}'))
try {
  wh.verify('{}', { ...headers }, { tolerance: 300, now: new Date() })
} catch (err) {
  if (err instanceof tenantry.WebhookVerificationError) {
    const code: string = err.code
    void code
  }
}

// limits
const catalog = new tenantry.PlanCatalog({
  free: { limits: { max_users: 5, max_tokens_per_month: { limit: 100000, period: 'month' } }, features: ['basic_chat'] },
})
const ent: tenantry.Entitlements = catalog.entitlements('free', { overrides: { limits: { max_users: 8 } } })
const decision: tenantry.Decision = ent.check('max_users', 6, 1, { now: new Date() })
const status: tenantry.LimitStatus = decision.status
const alerts: number[] = decision.crossed
const remaining: number | null = decision.remaining
const rows: tenantry.UsageRow[] = ent.usageReport({ max_users: 4 })
const trial: tenantry.TrialStatus = ent.trialStatus()
const window: tenantry.PeriodWindow = tenantry.periodWindow('month', null, Date.now() / 1000, 3600)
const limiter = new tenantry.RateLimit(100, 60, { burst: 20, policy: 'reads' })
const rate: tenantry.RateDecision = limiter.check(null)
const rateHeaders: tenantry.RateLimitHeaders = rate.headers()
const retry: number | null = rate.retryAfter
void [status, alerts, remaining, rows, trial, window, rateHeaders, retry, tenantry.crossed(70, 95, 100)]
try {
  ent.enforce('max_users', 8)
} catch (err) {
  if (err instanceof tenantry.LimitExceededError) console.log(err.code)
}
