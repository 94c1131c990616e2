'use strict'
// Arbitrary JS values handed to every call that reads caller data: each call returns, or throws a
// TenantryError (with a stable code) or a TypeError; never another error (a RangeError from deep
// recursion, a V8 error from a getter or a Symbol the binding forgot) and never a crash. And what
// makes the output trustworthy holds for any data that is accepted: a record built and sealed
// verifies (from its object and from its JSON text), canonical JSON is a fixed point, a signed
// webhook verifies.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fc = require('fast-check')
const { audit, ApiKeys, PlanCatalog, RateLimit, SettingsSchema, Webhook, TenantryError, mergePatch, periodWindow } = require('..')

const RUNS = { numRuns: 200 }
const KEY = new audit.SealKey('k1', Buffer.alloc(32, 'k'))
const NOW = 1_700_000_000
const SCHEMA = new SettingsSchema({
  type: 'object',
  properties: {
    theme: { type: 'string', enum: ['light', 'dark'], default: 'light' },
    seats: { type: 'integer', minimum: 1, default: 5 },
    smtp: { type: 'object', properties: { host: { type: 'string', default: 'localhost' }, password: { type: 'string', 'x-sensitive': true } } },
  },
})
const CATALOG = new PlanCatalog({ free: { limits: { seats: 5, tokens: { limit: 100, period: 'month' } }, features: ['a'] } })
const KEYS = new ApiKeys({ prefix: 'tk', peppers: { p1: Buffer.alloc(32, 'p') } })
const WEBHOOK = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')

// Strings with everything a JS string can hold: lone surrogates, controls, astral characters,
// formula-injection leads (some given outright: they are rare in generated text).
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), maxLength: 12 }),
  fc.constantFrom('\ud800', 'a\udfffb', '\udbff\udc00', '\u{1f600}', "=cmd|' /C calc'!A0", '\0', '-1', '@x', '__proto__', 'toJSON', 'constructor'),
)

class Opaque {
  constructor() {
    this.x = 1
  }
}
const throwingGetter = () =>
  Object.defineProperty({}, 'boom', {
    enumerable: true,
    get() {
      throw new TypeError('getter')
    },
  })

// Any JS data: JSON's kinds and everything else a caller might pass by mistake.
const { data } = fc.letrec((tie) => ({
  data: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, undefined, true, false, NaN, Infinity, -0, 2 ** 53 + 2, 1e21, 5e-324),
    fc.double(),
    fc.integer(),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
    text,
    fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
    fc.constantFrom(new Date(0), new Date(NaN), new Map([[1, 2]]), new Set([1]), () => 1, Symbol('s'), new Opaque(), /re/),
    fc.constant(null).map(throwingGetter),
    fc.array(tie('data'), { maxLength: 4 }),
    fc.dictionary(text, tie('data'), { maxKeys: 4 }),
    fc.dictionary(text, tie('data'), { maxKeys: 4, noNullPrototype: false }),
  ),
}))

// JSON data as JS holds it (what should be accepted, lone surrogates aside).
const json = fc.jsonValue({ maxDepth: 3 })

// The call's result, or undefined when it refused with a typed error.
function answers(call) {
  try {
    return call()
  } catch (err) {
    if (err instanceof TenantryError) {
      assert.match(err.code, /^[a-z_]+\.[a-z_0-9]+$/, String(err))
      return undefined
    }
    if (err instanceof TypeError) return undefined
    throw err
  }
}

test('audit calls take any data', () => {
  fc.assert(
    fc.property(data, (value) => {
      answers(() => audit.canonicalJson(value))
      answers(() => audit.seal(value, null, KEY))
      answers(() => audit.verifyChain(value, KEY))
      answers(() => audit.verifyChain([value], KEY))
      answers(() => audit.toCsv([value]))
      answers(() => audit.toJsonl([value]))
      answers(() => audit.toOcsf(value))
      answers(() => audit.summarize([value]))
    }),
    RUNS,
  )
})

test('audit build takes any data', () => {
  fc.assert(
    fc.property(data, data, data, data, (actor, metadata, before, after) => {
      answers(() => audit.build({ actor, action: 'user.updated' }))
      answers(() => audit.build({ actor: { type: 'user', id: 'u' }, action: metadata, tenantId: before }))
      const options = { actor: { type: 'user', id: 'u' }, action: 'user.updated', metadata, before, after, occurredAt: NOW }
      const sealed = answers(() => audit.buildSealed(options, null, KEY))
      if (sealed !== undefined) assert.ok(audit.verifyChain([sealed], KEY).ok)
    }),
    RUNS,
  )
})

test('accepted JSON seals and verifies, as an object and as text', () => {
  fc.assert(
    fc.property(json, json, (metadata, before) => {
      const record = answers(() =>
        audit.build({ actor: { type: 'user', id: 'u' }, action: 'user.updated', metadata: { m: metadata }, before: { d: before }, after: { d: null } }),
      )
      if (record === undefined) return
      const sealed = audit.seal(record, null, KEY)
      assert.ok(audit.verifyChain([sealed], KEY).ok)
      assert.ok(audit.verifyChain(JSON.stringify([sealed]), KEY).ok)
      assert.deepEqual(audit.seal(JSON.stringify(record), null, KEY).hash, sealed.hash)
    }),
    RUNS,
  )
})

test('canonical JSON is a fixed point', () => {
  fc.assert(
    fc.property(json, (value) => {
      const text = answers(() => audit.canonicalJson(value))
      if (text !== undefined) assert.equal(audit.canonicalJson(JSON.parse(text)), text)
    }),
    RUNS,
  )
})

test('settings take any data', () => {
  fc.assert(
    fc.property(data, data, (doc, patch) => {
      answers(() => new SettingsSchema(doc))
      answers(() => SCHEMA.validate(doc))
      answers(() => SCHEMA.resolve([['tenant', doc]]))
      answers(() => SCHEMA.resolve({ tenant: doc, user: patch }))
      answers(() => SCHEMA.applyPatch(doc, patch, { role: 'admin' }))
      answers(() => SCHEMA.view(doc))
      answers(() => SCHEMA.entries(doc))
      answers(() => SCHEMA.migrate(doc))
      answers(() => mergePatch(doc, patch))
    }),
    RUNS,
  )
})

test('limits take any data', () => {
  const ent = CATALOG.entitlements('free')
  fc.assert(
    fc.property(data, data, data, (plans, used, now) => {
      answers(() => new PlanCatalog(plans))
      answers(() => CATALOG.entitlements('free', { overrides: plans }))
      answers(() => ent.check('tokens', used, null, { now }))
      answers(() => ent.check('seats', 1, used, { now: NOW, overLimitSince: now }))
      answers(() => ent.usageReport(plans))
      answers(() => new RateLimit(used, now))
      answers(() => new RateLimit(10, 60).check(used, now, typeof plans === 'number' ? plans : null))
      answers(() => periodWindow('month', used, now))
    }),
    RUNS,
  )
})

test('keys and webhooks take any data', () => {
  fc.assert(
    fc.property(data, data, data, (token, record, headers) => {
      answers(() => KEYS.parse(token))
      answers(() => KEYS.verify(token, record))
      answers(() => KEYS.revoke(record))
      answers(() => WEBHOOK.verify('{}', headers))
      answers(() => WEBHOOK.verify(token, { 'webhook-id': 'm', 'webhook-timestamp': '1', 'webhook-signature': token }))
      answers(() => WEBHOOK.sign('msg_1', token, NOW))
      answers(() => new Webhook(token))
    }),
    RUNS,
  )
})

test('a signed webhook verifies', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
      const payload = Buffer.from(bytes)
      const headers = WEBHOOK.sign('msg_1', payload, NOW)
      WEBHOOK.verify(payload, headers, { now: NOW })
    }),
    RUNS,
  )
})
