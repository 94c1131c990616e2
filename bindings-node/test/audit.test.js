'use strict'
// audit beyond the vectors: RFC 8785 against the npm `canonicalize` package on generated values,
// the Node-sealed chain vector is reproducible, ids, and wrong types.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const { audit, AuditError, InvalidInputError, TenantryError } = require('..')
const { loadVectors, mulberry32 } = require('./helpers')
const { sealNodeChain } = require('../../tests/vectors/audit_node_chain.js')

const prng = mulberry32

function randomString(rand) {
  let s = ''
  const n = Math.floor(rand() * 8)
  for (let i = 0; i < n; i++) {
    const pick = rand()
    let cp
    if (pick < 0.3) cp = Math.floor(rand() * 0x80)
    else if (pick < 0.6) cp = 0x80 + Math.floor(rand() * (0xd800 - 0x80))
    else if (pick < 0.8) cp = 0xe000 + Math.floor(rand() * 0x2000)
    else cp = 0x10000 + Math.floor(rand() * 0x100000)
    s += String.fromCodePoint(cp)
  }
  return s
}

function randomFloat(rand) {
  const buf = Buffer.alloc(8)
  for (;;) {
    buf.writeUInt32LE(Math.floor(rand() * 2 ** 32), 0)
    buf.writeUInt32LE(Math.floor(rand() * 2 ** 32), 4)
    const f = buf.readDoubleLE(0)
    if (Number.isFinite(f)) return f
  }
}

function randomValue(rand, depth = 0) {
  const kind = Math.floor(rand() * (depth < 4 ? 9 : 6))
  switch (kind) {
    case 0:
      return null
    case 1:
      return rand() < 0.5
    case 2:
      return Math.floor((rand() - 0.5) * 2 ** 53)
    case 3:
      return randomFloat(rand)
    case 4:
      return [0.1, 1e21, 1e-7, 5e-324, 1e23, 123.456, -0, 0.5, 2 ** 60][Math.floor(rand() * 9)]
    case 5:
      return randomString(rand)
    case 6:
    case 7: {
      const obj = {}
      const n = Math.floor(rand() * 6)
      for (let i = 0; i < n; i++) obj[randomString(rand)] = randomValue(rand, depth + 1)
      return obj
    }
    default: {
      const n = Math.floor(rand() * 6)
      return Array.from({ length: n }, () => randomValue(rand, depth + 1))
    }
  }
}

test('canonicalJson matches the npm canonicalize package on generated values', async () => {
  const { default: canonicalize } = await import('canonicalize')
  const rand = prng(8785)
  for (let i = 0; i < 3000; i++) {
    const value = randomValue(rand)
    const want = canonicalize(value)
    assert.equal(audit.canonicalJson(value), want)
    // And the other direction: the peer re-canonicalizing tenantry's output changes nothing.
    assert.equal(canonicalize(JSON.parse(audit.canonicalJson(value))), want)
  }
})

test('seal hashes are SHA-256 of canonicalize() output, seals are node:crypto HMACs', async () => {
  const { default: canonicalize } = await import('canonicalize')
  const rand = prng(42)
  const secret = Buffer.from('node-cross-check-secret-0123456789')
  const key = new audit.SealKey('kn', secret)
  let prev = null
  const chain = []
  for (let i = 0; i < 200; i++) {
    const sealed = audit.seal({ n: i, payload: randomValue(rand) }, prev, i % 2 ? key : null)
    const { hash, seal, ...body } = sealed
    assert.equal(hash, crypto.createHash('sha256').update(canonicalize(body)).digest('hex'))
    if (i % 2) assert.equal(seal, crypto.createHmac('sha256', secret).update(hash).digest('hex'))
    prev = hash
    chain.push(sealed)
  }
  const report = audit.verifyChain(chain)
  assert.deepEqual(report, { ok: true, index: null, reason: null, head: prev })
})

test('the Node-sealed chain in audit.json is what the npm package produces', () => {
  const vector = loadVectors('audit').find((c) => c.name === 'chain sealed in Node verifies')
  const { key, records } = sealNodeChain()
  assert.deepStrictEqual(records, vector.input.records)
  assert.deepStrictEqual(vector.input.keys, [key])
})

test('generated ids are ULIDs that sort by time', () => {
  const ids = Array.from(
    { length: 50 },
    (_, i) => audit.build({ action: 'user.login', actor: { type: 'user', id: 'u' }, occurredAt: 1_700_000_000 + i }).id,
  )
  for (const id of ids) assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/)
  assert.deepEqual([...ids].sort(), ids)
  const same = new Set(
    Array.from({ length: 20 }, () => audit.build({ action: 'user.login', actor: { type: 'user', id: 'u' }, occurredAt: 1 }).id),
  )
  assert.equal(same.size, 20)
})

test('dates and defaults', () => {
  const rec = audit.build({
    action: 'user.login',
    actor: { type: 'user', id: 'u', userAgent: 'curl/8' },
    occurredAt: new Date('2025-01-31T09:00:00.250Z'),
  })
  assert.equal(rec.occurred_at, '2025-01-31T09:00:00.250Z')
  assert.equal(rec.expires_at, '2025-05-01T09:00:00.250Z')
  assert.equal(rec.actor.user_agent, 'curl/8')
  const now = Date.now()
  const fresh = audit.build({ action: 'user.login', actor: { type: 'user', id: 'u' } })
  assert.ok(Math.abs(Date.parse(fresh.occurred_at) - now) < 5000)
  assert.equal(audit.retentionCutoff(new Date('2025-04-01T00:00:00Z')), '2025-01-01T00:00:00.000Z')
  assert.equal(audit.retentionCutoff(new Date('2025-04-01T00:00:00Z'), undefined), '2025-01-01T00:00:00.000Z')
})

test('retentionCutoff refuses null days: null is how a record is kept forever, not the default', () => {
  // A cleanup job passing a tenant's `retentionDays` (null: keep forever) must not get a 90-day cutoff.
  const keptForever = audit.build({ action: 'user.login', actor: { type: 'user', id: 'u' }, occurredAt: 0, retentionDays: null })
  assert.equal(keptForever.expires_at, null)
  for (const days of [null, '30', {}]) {
    assert.throws(
      () => audit.retentionCutoff(new Date('2025-04-01T00:00:00Z'), days),
      (err) => err instanceof TypeError && err.code === 'ERR_INVALID_ARG_TYPE' && /days must be a number/.test(err.message),
    )
  }
})

test('errors are typed', () => {
  assert.throws(
    () => audit.build({ action: 'user.login', actor: { type: 'user', id: 'u', ip: '300.1.1.1' } }),
    (err) => err instanceof AuditError && err.code === 'audit.invalid_ip' && err.errors[0].path === '/actor/ip',
  )
  assert.throws(
    () => audit.build({ action: 'user.login', actor: { type: 'user', id: 'u' }, metadata: { blob: 'x'.repeat(10_000_000) } }),
    (err) => err instanceof AuditError && err.code === 'audit.too_large',
  )
  assert.throws(
    () => audit.build({ action: 'user.login', actor: { type: 'user', id: 'u' }, occurredAt: Number.NaN }),
    (err) => err instanceof InvalidInputError && err.code === 'input.invalid_time',
  )
  assert.throws(() => new audit.SealKey('k', 'short'), (err) => err instanceof AuditError && err.code === 'audit.invalid_key')
  assert.throws(() => audit.seal('{not json', null), (err) => err instanceof TenantryError && err.code === 'input.invalid_json')
})

test('wrong types are TypeErrors', () => {
  assert.throws(() => audit.build({ action: 'user.login', actor: 5 }), TypeError)
  assert.throws(() => audit.build({ action: 5, actor: { type: 'user', id: 'u' } }), TypeError)
  assert.throws(() => audit.build({ action: 'user.login', actor: { type: 'user', id: 'u' }, sensitivePaths: 'x' }), TypeError)
  assert.throws(() => audit.seal({ a: 1 }, null, { id: 'k', secret: 'x' }), TypeError)
  assert.throws(() => audit.verifyChain([], ['k']), TypeError)
  assert.throws(() => new audit.SealKey('k', 42), TypeError)
  // Records of the wrong type, as in Python; JSON text of no array in the core's one wording.
  for (const call of [audit.toCsv, audit.toJsonl, audit.summarize, audit.verifyChain]) {
    for (const records of [{}, 5, null]) {
      assert.throws(() => call(records), (err) => err instanceof TypeError && err.message === 'records must be an array of records (or JSON text of one)')
    }
    assert.throws(() => call('{}'), (err) => err instanceof AuditError && err.code === 'audit.invalid_record' && err.message === 'records must be an array of records')
  }
})

test('seal keys never show their secret', () => {
  const key = new audit.SealKey('k1', 'super-secret-value-1234')
  assert.equal(key.id, 'k1')
  assert.ok(!JSON.stringify(key).includes('super'))
  assert.throws(
    () => new audit.SealKey('k1', 'short'),
    (err) => !err.message.includes('short') && err.code === 'audit.invalid_key',
  )
})

test('summarize counts an actor whose id is "__proto__" (an own member, not a prototype)', () => {
  const login = (id) => audit.build({ action: 'user.login', actor: { type: 'user', id }, occurredAt: 1_700_000_000 })
  const s = audit.summarize([login('alice'), login('__proto__'), login('__proto__')])
  assert.equal(s.total, 3)
  assert.equal(Object.getPrototypeOf(s.by_actor), Object.prototype)
  assert.deepEqual(Object.entries(s.by_actor), [['__proto__', 2], ['alice', 1]])
})

test('an input wrong in several ways is the same error as in Python: the time first', () => {
  // (NaN, an infinity or an Invalid Date in the core's words for a time, as every call gives them
  // and Python gives for a float NaN: it said "occurredAt must be a finite number ...".)
  for (const occurredAt of [-1, 253402300800, NaN, -Infinity, new Date(NaN)]) {
    for (const call of [audit.build, (options) => audit.buildSealed(options, null)]) {
      assert.throws(
        () => call({ action: 'x.y', actor: { type: 'robot', id: 'u' }, outcome: 'maybe', occurredAt }),
        (err) => err instanceof InvalidInputError && err.code === 'input.invalid_time'
          && err.message === 'time must lie between 1970-01-01 and 9999-12-31 (UTC)',
      )
    }
  }
})
