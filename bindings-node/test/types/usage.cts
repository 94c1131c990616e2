// Type-checks the README's Node examples through `require("tenantry")`.
import tenantry = require('tenantry')

const secret: string = tenantry.generateSecret()
const wh = new tenantry.Webhook(secret)
const headers: tenantry.SignedHeaders = wh.sign('msg_1', Buffer.from('{}'))
try {
  wh.verify('{}', { ...headers }, { tolerance: 300, now: new Date() })
  // Node's req.headers (IncomingHttpHeaders) and fetch's Headers are accepted as they are.
  const incoming: import('node:http').IncomingHttpHeaders = headers
  wh.verify(Buffer.from('{}'), incoming)
  wh.verify('{}', new Headers(Object.entries(headers)), null)
  wh.verify('{}', new Map(Object.entries(headers)))
  // As `sign` returns them (no spread), and as a fetch `Headers` init.
  wh.verify('{}', headers)
  wh.verify('{}', new Headers(headers))
} catch (err) {
  if (err instanceof tenantry.WebhookVerificationError) {
    const code: string = err.code
    void code
  }
}

// Stripe, GitHub, Slack.
const stripeHeader: string = tenantry.stripe.sign(Buffer.from('{}'), 'whsec_test', new Date())
tenantry.stripe.verify('{}', stripeHeader, 'whsec_test', { tolerance: 300 })
tenantry.github.verify('{}', tenantry.github.sign('{}', 'old'), ['new', 'old'])
const slackSignature: string = tenantry.slack.sign('a=1', 'signing-secret', 1_700_000_000)
const headerValue: string | undefined = undefined
tenantry.slack.verify('a=1', headerValue, slackSignature, 'signing-secret', { now: 1_700_000_000 })

// Delivery.
const policy = new tenantry.RetryPolicy({ schedule: [5, 60], jitter: 0.1, disableAfter: 86_400 })
const decision: tenantry.DeliveryDecision = policy.decide(1, 503, '120', { firstFailureAt: new Date(), now: new Date() })
if (decision.action === 'retry') {
  const at: number = decision.retryAt
  const next: number = decision.nextAttempt
  void at, next
} else if (decision.action === 'disable_endpoint') {
  const reason: 'gone' | 'failing_too_long' = decision.reason
  void reason
}
const delays: number[] = tenantry.RetryPolicy.exponential({ initialDelay: 10, maxDelay: 600, maxRetries: 5 }).delays
const attempts: number = policy.maxAttempts
const subscribed: boolean = new tenantry.EventFilter(['invoice.*']).matches('invoice.paid')
const body: Buffer = tenantry.buildEvent('invoice.paid', { id: 'in_1' }, Date.now() / 1000)
const id: string = tenantry.messageId()
const fixed: string = tenantry.messageIdFrom(0, new Uint8Array(10))
void delays, attempts, subscribed, body, id, fixed
// limits
const catalog = new tenantry.PlanCatalog({
  free: { limits: { max_users: 5, max_tokens_per_month: { limit: 100000, period: 'month' } }, features: ['basic_chat'] },
})
const ent: tenantry.Entitlements = catalog.entitlements('free', { overrides: { limits: { max_users: 8 } } })
const limitDecision: tenantry.Decision = ent.check('max_users', 6, 1, { now: new Date() })
const status: tenantry.LimitStatus = limitDecision.status
const alerts: number[] = limitDecision.crossed
const remaining: number | null = limitDecision.remaining
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

// API keys.
const keys = new tenantry.ApiKeys({ prefix: 'tk', peppers: { p1: Buffer.alloc(32, 1) }, environments: ['live', 'test'] })
const issued: tenantry.IssuedKey = keys.generate({ environment: 'test', scopes: ['webhooks:write'], name: 'CI' })
const token: string = issued.token
const stored: tenantry.KeyRecord = issued.record
const parsed: tenantry.ParsedToken = keys.parse(token)
const verdict: tenantry.Verdict = keys.verify(token, stored, {
  requiredScopes: ['webhooks:write', ['settings:read', 'settings:write']],
  now: new Date(),
})
const code: tenantry.VerdictCode = verdict.code
const oneScope: tenantry.Verdict = keys.verify(token, stored, { requiredScopes: 'webhooks:write' })
if (verdict.rehash) {
  const upgraded: tenantry.KeyRecord = { ...stored, hash: verdict.rehash.hash, pepperId: verdict.rehash.pepperId }
  void upgraded
}
const rolled: tenantry.RolledKey = keys.roll(stored, { grace: 3600 })
const previous: tenantry.KeyRecord = rolled.previous
const revoked: tenantry.KeyRecord = keys.revoke(JSON.stringify(previous), 1_700_000_000)
const missing: string[] = keys.verify(token, null).missingScopes
const pattern: string = keys.secretScanningPattern()
const hash: string = keys.hashToken(token)
void [parsed, code, oneScope, revoked, missing, pattern, hash, keys.prefix, keys.currentPepper]
// audit
const key = new tenantry.audit.SealKey('k1', Buffer.alloc(32, 1))
const rec: tenantry.audit.AuditRecord = tenantry.audit.build({
  action: 'setting.updated',
  actor: { type: 'user', id: 'u_1', ip: '203.0.113.9', userAgent: 'curl/8' },
  tenantId: 't_1',
  before: { theme: 'light' },
  after: { theme: 'dark' },
  occurredAt: new Date(),
  retentionDays: null,
})
const sealed: tenantry.audit.AuditRecord = tenantry.audit.seal(rec, null, key)
const oneCall: tenantry.audit.AuditRecord = tenantry.audit.buildSealed(
  { action: 'setting.updated', actor: { type: 'user', id: 'u_1' }, before: { theme: 'light' }, after: { theme: 'dark' } },
  sealed.hash,
  key,
)
const unkeyed: string | undefined = tenantry.audit.buildSealed({ action: 'user.login', actor: { type: 'system', id: 'cron' } }).hash
void [oneCall.seal, unkeyed]
const report: tenantry.audit.ChainReport = tenantry.audit.verifyChain([sealed], [key], { anchor: sealed.prev_hash })
const reason: tenantry.audit.BreakReason | null = report.reason
void reason
const csvText: string = tenantry.audit.toCsv([sealed])
const summary: tenantry.audit.Summary = tenantry.audit.summarize([sealed])
const severity: tenantry.audit.Severity | undefined = tenantry.audit.actions()['user.login']
void [csvText, summary.by_day, severity, tenantry.audit.toOcsf(sealed).class_uid, key.id]
try {
  tenantry.audit.build({ action: 'Bad Action', actor: { type: 'user', id: 'u' } })
} catch (err) {
  if (err instanceof tenantry.AuditError) console.log(err.code)
}
// settings
const venue = new tenantry.SettingsSchema(
  { type: 'object', properties: { ai: { type: 'object', properties: { temperature: { type: 'number', default: 0.7 } } } } },
  { maxBytes: 10240 },
)
const resolved: tenantry.Resolution = venue.resolve([['plan', {}], ['tenant', '{"ai": {"temperature": 0.2}}']])
const layerName: string | undefined = resolved.provenance['/ai/temperature']
void layerName
const patched: tenantry.PatchResult = venue.applyPatch({}, { ai: { temperature: 0.9 } }, { role: 'admin', expectedEtag: venue.etag({}) })
const changes: tenantry.SettingsChange[] = patched.changes
void changes
try {
  venue.validate({ ai: { temperature: 'hot' } })
} catch (err) {
  if (err instanceof tenantry.SettingsValidationError) {
    const first: tenantry.ValidationIssue | undefined = err.errors[0]
    void first
  } else if (err instanceof tenantry.ConcurrentUpdateError) {
    console.log(err.code)
  }
}
const settingsRows: tenantry.RegistryEntry[] = venue.entries(venue.defaults(), 'public')
const temperature: tenantry.JsonValue = venue.get(resolved.value, 'ai.temperature')
const migrated: tenantry.Migration = venue.migrate({ legacy: true })
const merged: tenantry.JsonValue = tenantry.mergePatch({ a: 1 }, { a: null })
void settingsRows, temperature, migrated, merged, venue.view(resolved.value, 'member'), venue.set({}, 'ai.temperature', 0.5)
