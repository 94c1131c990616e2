// Type-checks the README's Node examples through `import { … } from "tenantry"`.
import { Webhook, WebhookVerificationError, generateKeypair, type SignedHeaders } from 'tenantry'

const [signingKey, publicKey]: [string, string] = generateKeypair()
const signer = new Webhook(signingKey)
const headers: SignedHeaders = signer.sign('msg_1', new Uint8Array([1, 2, 3]), 1_700_000_000)
try {
  new Webhook([publicKey]).verify(new Uint8Array([1, 2, 3]), { ...headers }, { now: 1_700_000_000 })
} catch (err) {
  if (err instanceof WebhookVerificationError) console.log(err.code)
}

// settings
import { SettingsSchema, SettingsValidationError, mergePatch, type PatchResult, type Resolution } from 'tenantry'

const tenantSettings = new SettingsSchema('{"type": "object", "properties": {"color": {"type": "string", "default": "#000000"}}}')
const effective: Resolution = tenantSettings.resolve({ plan: {}, tenant: { color: '#ffffff' } })
const update: PatchResult = tenantSettings.applyPatch(effective.value, { color: null })
try {
  tenantSettings.applyPatch({}, { color: 5 }, { role: 'member' })
} catch (err) {
  if (err instanceof SettingsValidationError) console.log(err.errors.map((e) => e.path))
}
console.log(update.etag, mergePatch([1], { a: 'b' }), tenantSettings.limits.maxBytes)
