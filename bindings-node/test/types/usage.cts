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
const rows: tenantry.RegistryEntry[] = venue.entries(venue.defaults(), 'public')
const temperature: tenantry.JsonValue = venue.get(resolved.value, 'ai.temperature')
const migrated: tenantry.Migration = venue.migrate({ legacy: true })
const merged: tenantry.JsonValue = tenantry.mergePatch({ a: 1 }, { a: null })
void rows, temperature, migrated, merged, venue.view(resolved.value, 'member'), venue.set({}, 'ai.temperature', 0.5)
