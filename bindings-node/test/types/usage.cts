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
void [parsed, code, revoked, missing, pattern, hash, keys.prefix, keys.currentPepper]
