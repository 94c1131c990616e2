'use strict'
// Memory that comes back: each call family (successes, and refusals that throw) run tens of
// thousands of times holds no memory it took. The addon makes handles, references and finalized
// native objects through raw N-API calls in places, so a reference never deleted would keep JS
// objects alive (the heap after a full GC grows), and a Rust value forgotten would keep native
// memory (resident memory grows).
//
// A round of ROUND calls leaking even 32 bytes a call grows resident memory by 32 * ROUND, past
// SETTLED: it could never settle. A round that holds no memory may still move by a few pages (the
// allocators keep and hand back whole pages, and N-API finalizers run only when the event loop
// turns, so the loop yields every YIELD calls), so the test asks for one settled round out of
// ROUNDS. (Resident memory of a call that keeps nothing still climbs in steps for a few rounds
// before it levels off: `new PlanCatalog` settles after 5 or 6 rounds here, with steps of up to
// 30 MB, while the heap stays level.)

const { test } = require('node:test')
const assert = require('node:assert/strict')
const v8 = require('node:v8')
const vm = require('node:vm')
const { audit, ApiKeys, PlanCatalog, RateLimit, SettingsSchema, Webhook, TenantryError } = require('..')

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc')

const NOW = 1_700_000_000
const ROUND = 40_000
const ROUNDS = 12
const YIELD = 200
const SETTLED = 1024 * 1024
const HEAP_SETTLED = 256 * 1024

const KEY = new audit.SealKey('k1', Buffer.alloc(32, 'k'))
const KEYS = new ApiKeys({ prefix: 'tk', peppers: { p1: Buffer.alloc(32, 'p') } })
const ISSUED = KEYS.generate({ now: NOW })
const WEBHOOK = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
const PAYLOAD = '{"type": "invoice.paid", "amount": 100}'
const SIGNED = WEBHOOK.sign('msg_1', PAYLOAD, NOW)
const SCHEMA_DOC = {
  type: 'object',
  properties: {
    theme: { type: 'string', enum: ['light', 'dark'], default: 'light' },
    seats: { type: 'integer', minimum: 1, default: 5 },
    smtp: { type: 'object', properties: { password: { type: 'string', 'x-sensitive': true } } },
  },
}
const SCHEMA = new SettingsSchema(SCHEMA_DOC)
const CATALOG_DOC = { free: { limits: { seats: 5, tokens: { limit: 100, period: 'month' } }, features: ['a'] } }
const ENTITLEMENTS = new PlanCatalog(CATALOG_DOC).entitlements('free')
const RATE = new RateLimit(10, 60)
const BEFORE = { theme: 'light', seats: 5, smtp_password: 'old', nested: { a: [1, 2.5, null] } }
const AFTER = { theme: 'dark', seats: 10, smtp_password: 'new', nested: { a: [1, 3, true] } }
const ACTOR = { type: 'user', id: 'u_1', ip: '203.0.113.9' }
const RECORD = audit.build({ actor: ACTOR, action: 'setting.updated', before: BEFORE, after: AFTER, occurredAt: NOW })
const CHAIN = [audit.seal(RECORD, null, KEY)]

// `call`, which must throw a TenantryError (its message, code and errors are built each time).
const refused = (call) => () => {
  assert.throws(call, (err) => err instanceof TenantryError && typeof err.code === 'string')
}

const CALLS = {
  'webhook sign': () => WEBHOOK.sign('msg_1', PAYLOAD, NOW),
  'webhook verify': () => WEBHOOK.verify(PAYLOAD, SIGNED, { now: NOW }),
  'webhook verify refused': refused(() => WEBHOOK.verify('{}', SIGNED, { now: NOW })),
  'webhook secret refused': refused(() => new Webhook('whsec_!')),
  'api key generate': () => KEYS.generate({ now: NOW, scopes: ['invoices:read'] }),
  'api key verify': () => KEYS.verify(ISSUED.token, ISSUED.record, { now: NOW }),
  'api key verify, wrong token': () => KEYS.verify(ISSUED.token.slice(0, -1) + 'x', ISSUED.record, { now: NOW }),
  'api key parse refused': refused(() => KEYS.parse('nope')),
  'limits check': () => ENTITLEMENTS.check('tokens', 79, 2, { now: NOW }),
  'limits enforce refused': refused(() => ENTITLEMENTS.enforce('seats', 5, null, { now: NOW })),
  'rate check': () => RATE.check(null, NOW),
  'plan catalog': () => new PlanCatalog(CATALOG_DOC),
  'plan catalog refused': refused(() => new PlanCatalog({ free: { limits: { seats: 'many' } } })),
  'settings schema': () => new SettingsSchema(SCHEMA_DOC),
  'settings resolve': () => SCHEMA.resolve([['tenant', { theme: 'dark' }], ['user', { seats: 7 }]]).value,
  'settings patch': () => SCHEMA.applyPatch({ theme: 'dark' }, { seats: 9 }, { role: 'admin' }),
  'settings validate refused': refused(() => SCHEMA.validate({ theme: 'blue', seats: 0 })),
  'audit buildSealed': () => audit.buildSealed({ actor: ACTOR, action: 'setting.updated', before: BEFORE, after: AFTER }, null, KEY),
  'audit build, then seal': () => audit.seal(audit.build({ actor: ACTOR, action: 'user.login' }), null, KEY),
  'audit build refused': refused(() => audit.build({ actor: { type: 'user', id: 'u', ip: '300.1.1.1' }, action: 'x.y' })),
  'audit verifyChain': () => audit.verifyChain(CHAIN, KEY),
  'audit toCsv': () => audit.toCsv(CHAIN),
  'audit canonicalJson': () => audit.canonicalJson(RECORD),
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

// Memory after a full collection, once pending finalizers have run.
async function settledMemory() {
  for (let i = 0; i < 3; i++) {
    gc()
    await turn()
  }
  const { rss, heapUsed } = process.memoryUsage()
  return { rss, heapUsed }
}

async function runRound(call) {
  for (let i = 0; i < ROUND; i++) {
    call()
    if (i % YIELD === 0) await turn()
  }
}

for (const [name, call] of Object.entries(CALLS)) {
  test(`memory comes back: ${name}`, async () => {
    await runRound(call) // warm up: caches, allocator pages, inline caches
    const growth = []
    for (let r = 0; r < ROUNDS; r++) {
      const before = await settledMemory()
      await runRound(call)
      const after = await settledMemory()
      growth.push([after.rss - before.rss, after.heapUsed - before.heapUsed])
      if (growth.at(-1)[0] < SETTLED && growth.at(-1)[1] < HEAP_SETTLED) return
    }
    assert.fail(`${name}: memory kept growing over ${ROUNDS} rounds of ${ROUND} calls ([resident, heap] bytes): ${JSON.stringify(growth)}`)
  })
}
