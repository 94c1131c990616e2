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
