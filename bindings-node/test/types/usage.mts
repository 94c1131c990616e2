// Type-checks the README's Node examples through `import { … } from "tenantry"`.
import { Webhook, WebhookVerificationError, generateKeypair, generateSecret, type SignedHeaders } from 'tenantry'

const [signingKey, publicKey]: [string, string] = generateKeypair()
const signer = new Webhook(signingKey)
const headers: SignedHeaders = signer.sign('msg_1', new Uint8Array([1, 2, 3]), 1_700_000_000)
try {
  new Webhook([publicKey]).verify(new Uint8Array([1, 2, 3]), { ...headers }, { now: 1_700_000_000 })
} catch (err) {
  if (err instanceof WebhookVerificationError) console.log(err.code)
}
// The README's own round trip: the signed headers are verifiable headers as they are (no spread),
// and a fetch `Headers` init.
const secret = generateSecret()
const signed = new Webhook(secret).sign('msg_1', 'body')
new Webhook(secret).verify('body', signed)
new Webhook(secret).verify('body', new Headers(signed))
// Its members stay exactly the three headers, each a string.
const id: string = signed['webhook-id']
// @ts-expect-error SignedHeaders has all three headers
const partial: SignedHeaders = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000' }
void [id, partial]

import {
  stripe,
  github,
  slack,
  RetryPolicy,
  EventFilter,
  messageId,
  buildEvent,
  type DeliveryDecision,
  type RetryPolicyOptions,
} from 'tenantry'

const options: RetryPolicyOptions = { schedule: [1, 2, 3] }
const d: DeliveryDecision = new RetryPolicy(options).decide(2, null)
console.log(d.action, new EventFilter(['*']).patterns, messageId())
const payload = buildEvent('user.created', '{"id": 1}')
github.verify(payload, github.sign(payload, 's'), 's')
stripe.verify(payload, stripe.sign(payload, 's'), 's', null)
slack.verify(payload, '1700000000', slack.sign(payload, 's', 1_700_000_000), 's', { now: new Date(1_700_000_000_000) })
// limits
import {
  PlanCatalog,
  RateLimit,
  LimitExceededError,
  crossed,
  periodWindow,
  type Decision,
  type DecisionObject,
  type EffectiveLimit,
  type RateDecisionObject,
} from 'tenantry'

const plans = new PlanCatalog('{"pro": {"limits": {"seats": 10}, "features": "all", "trial_days": 14}}')
const endsAt: number | null = plans.trialEndsAt('pro', new Date())
const pro = plans.entitlements('pro', { trialEndsAt: endsAt })
const ld: Decision = pro.check('seats', 7, undefined, { now: 1_700_000_000, overLimitSince: null })
const plain: DecisionObject = ld.toJSON()
const effective: EffectiveLimit[] = pro.limits()
const hasSso: boolean = pro.hasFeature('sso')
const fired: number[] = crossed(0, 10, null, [0.5])
const win = periodWindow('day', new Date(), new Date())
let state: number | null = null
const r = new RateLimit(60, 60).check(state, new Date(), 1)
if (r.allowed) state = r.state
const obj: RateDecisionObject = r.toJSON()
console.log(plain, effective, hasSso, fired, win.start, obj.retryAfterMs, state, r.headers()['Retry-After'])
try {
  new RateLimit(1, 1).enforce(null, 0)
} catch (err) {
  if (err instanceof LimitExceededError) console.log(err.code)
}

// API keys.
import { ApiKeys, ApiKeyError, type KeyRecord, type Verdict } from 'tenantry'

const keys = new ApiKeys({ prefix: 'tk', peppers: { p1: 'a text pepper of 32 characters..' }, touchInterval: 300 })
const issued = keys.generateWithRandom(new Uint8Array(30), { scopes: ['*'], expiresAt: 1_800_000_000, now: 1_700_000_000 })
const record: KeyRecord = issued.record
const verdict: Verdict = keys.verify(issued.token, record, { environment: 'live', now: 1_700_000_001 })
if (verdict.valid && verdict.touch) record.lastUsedAt = 1_700_000_001
try {
  keys.parse('tk_live_nope')
} catch (err) {
  if (err instanceof ApiKeyError) console.log(err.code)
}
const rolled = keys.rollWithRandom(new Uint8Array(30), record, { grace: 60, now: 1_700_000_002, expiresAt: null })
console.log(rolled.toJSON().previous.expiresAt, String(issued))
// audit
import { audit, AuditError } from 'tenantry'

const sealKey = new audit.SealKey('k1', 'a-seal-key-of-at-least-16-bytes')
let previous: string | null = null
const chain: audit.AuditRecord[] = []
for (const action of ['user.login', 'user.logout']) {
  const record = audit.build({ action, actor: { type: 'user', id: 'u_1' }, occurredAt: 1_700_000_000 })
  const s = audit.seal(record, previous, sealKey)
  previous = s.hash ?? null
  chain.push(s)
}
chain.push(audit.buildSealed({ action: 'user.deleted', actor: { type: 'user', id: 'u_1' }, tenantId: 't_1' }, previous, sealKey))
const result = audit.verifyChain(chain, sealKey)
const index: number | null = result.index
const lines: string = audit.toJsonl(chain) + audit.canonicalJson({ b: 1, a: [true] })
const cutoff: string = audit.retentionCutoff(Date.now() / 1000, 90)
void [index, lines, cutoff]
try {
  audit.verifyChain('not json')
} catch (err) {
  if (err instanceof AuditError) console.log(err.errors)
}
// settings
import { SettingsSchema, SettingsValidationError, mergePatch, type PatchResult, type Resolution } from 'tenantry'

const tenantSettings = new SettingsSchema('{"type": "object", "properties": {"color": {"type": "string", "default": "#000000"}}}')
const settingsEffective: Resolution = tenantSettings.resolve({ plan: {}, tenant: { color: '#ffffff' } })
const update: PatchResult = tenantSettings.applyPatch(settingsEffective.value, { color: null })
try {
  tenantSettings.applyPatch({}, { color: 5 }, { role: 'member' })
} catch (err) {
  if (err instanceof SettingsValidationError) console.log(err.errors.map((e) => e.path))
}
console.log(update.etag, mergePatch([1], { a: 'b' }), tenantSettings.limits.maxBytes)

// Values typed with interfaces (no index signature) are taken wherever a document or value goes;
// results stay precise.
import { type JsonObject, type JsonValue } from 'tenantry'

interface TenantSettings {
  theme?: string
  seats?: number
}
interface TenantLayers {
  plan: TenantSettings
  tenant: TenantSettings
}
const stored: TenantSettings = { theme: 'dark' }
const layered: TenantLayers = { plan: {}, tenant: stored }
tenantSettings.validate(stored)
const patched: JsonObject = tenantSettings.applyPatch(stored, { seats: 3 } as TenantSettings).overrides
const resolvedValue: JsonObject = tenantSettings.resolve([['tenant', stored]]).value
const resolvedObject: JsonObject = tenantSettings.resolve(layered).value
const merged: JsonValue = mergePatch(stored, { theme: null })
tenantSettings.set(stored, 'theme', stored)
const tag: string = tenantSettings.etag(stored) + tenantSettings.etag(new Uint8Array([123, 125]))
interface Usage {
  seats: number
}
const usage: Usage = { seats: 3 }
pro.usageReport(usage)
// @ts-expect-error usage counts are numbers
pro.usageReport({ seats: '3' })
interface Plans {
  pro: { limits: { seats: number } }
}
const catalogPlans: Plans = { pro: { limits: { seats: 10 } } }
new PlanCatalog(catalogPlans).entitlements('pro', { overrides: { limits: { seats: 20 } } as Plans['pro'] })
interface AuditMeta {
  ticket: string
}
const meta: AuditMeta = { ticket: 'T-1' }
audit.build({ action: 'setting.updated', actor: '{"type":"user","id":"u_1"}', metadata: meta, before: stored, after: stored })
void [patched, resolvedValue, resolvedObject, merged, tag]
