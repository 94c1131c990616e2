'use strict'
// `ApiKeys.verify` runs through a raw N-API hot path (js/apikeys.js, src/apikeys.rs): the record's
// fields are read in JS and common verdicts are rebuilt from numbers. These tests hold it to the
// generic path: for hundreds of edited records and option sets, the verdict (or the error) must
// equal the one given for the same record as JSON text, which the addon builds whole.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const tenantry = require('..')
const { ApiKeys } = tenantry

const NOW = 1_700_000_000
const keys = new ApiKeys({ prefix: 'tk', peppers: { p1: Buffer.alloc(32, 'k'), p0: Buffer.alloc(32, 'o') }, currentPepper: 'p1' })
const oldKeys = new ApiKeys({ prefix: 'tk', peppers: { p0: Buffer.alloc(32, 'o') } })
const issued = keys.generate({ scopes: ['settings:read', 'webhooks:*'], name: 'ci', now: NOW })
const old = oldKeys.generate({ scopes: ['settings:read'], environment: 'test', now: NOW })
const VERDICT_KEYS = ['valid', 'code', 'keyId', 'environment', 'missingScopes', 'rehash', 'touch']

function outcome(fn) {
  try {
    const v = fn()
    assert.deepEqual(Object.keys(v), VERDICT_KEYS)
    return { verdict: v }
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err
    return { error: err.constructor.name, code: err.code }
  }
}

// (`undefined` values and extra alias keys are left out: JSON text cannot carry the first, and
// serde rejects a record with both `keyId` and `key_id`, while a camelCase object ignores extras,
// as it did before the hot path.)
function edits() {
  const out = [() => {}]
  const values = [null, true, false, 0, 1, NOW - 10, NOW + 10, 1.5, 'x', [], ['settings:read'], [1], {}]
  const fields = ['keyId', 'hash', 'pepperId', 'environment', 'scopes', 'name', 'createdAt', 'expiresAt', 'notBefore',
    'revokedAt', 'disabled', 'lastUsedAt', 'masked']
  for (const field of fields) {
    out.push((r) => { delete r[field] })
    for (const value of values) out.push((r) => { r[field] = value })
  }
  out.push((r) => { r.environment = 'test' })
  out.push((r) => { r.extra = 1 })
  return out
}

const OPTIONS = [
  undefined,
  null,
  { now: NOW + 1 },
  { requiredScopes: ['settings:read'], now: NOW + 1 },
  { requiredScopes: ['settings:write', ['a:b', 'webhooks:write']], now: NOW + 1 },
  { requiredScopes: ['settings:read'], environment: 'test', now: new Date((NOW + 1) * 1000) },
  { requiredScopes: ['settings:read'], now: NOW - 100 },
  // One scope alone, as Python takes a str.
  { requiredScopes: 'settings:read', now: NOW + 1 },
  { requiredScopes: 'settings:write', now: NOW + 1 },
]

for (const [label, token, base] of [['current pepper', issued.token, issued.record], ['older pepper', old.token, old.record]]) {
  test(`verify: the hot path equals the generic path on edited records (${label})`, () => {
    let checked = 0
    for (const edit of edits()) {
      const record = { ...base, lastUsedAt: NOW }
      edit(record)
      const text = JSON.stringify(record)
      for (const options of OPTIONS) {
        for (const tok of [token, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), 'nope']) {
          const fast = outcome(() => keys.verify(tok, record, options))
          const slow = outcome(() => keys.verify(tok, text, options))
          assert.deepEqual(fast, slow, JSON.stringify({ record, options }))
          checked++
        }
      }
    }
    assert.ok(checked > 1000)
  })
}

test('verify: the hot path gives every common code with the record\'s own strings', () => {
  const record = issued.record
  const cases = [
    [{}, 'VALID'],
    [{ revokedAt: NOW }, 'REVOKED'],
    [{ disabled: true }, 'DISABLED'],
    [{ expiresAt: NOW }, 'EXPIRED'],
    [{ notBefore: NOW + 100 }, 'NOT_YET_VALID'],
  ]
  for (const [edit, code] of cases) {
    const v = keys.verify(issued.token, { ...record, ...edit }, { now: NOW + 1 })
    assert.deepEqual(v, {
      valid: code === 'VALID', code, keyId: record.keyId, environment: record.environment,
      missingScopes: [], rehash: null, touch: code === 'VALID',
    })
  }
  const touched = keys.verify(issued.token, { ...record, lastUsedAt: NOW }, { now: NOW + 1 })
  assert.equal(touched.touch, false)
  assert.deepEqual(keys.verify('tk_live_x', null), {
    valid: false, code: 'MALFORMED', keyId: null, environment: null, missingScopes: [], rehash: null, touch: false,
  })
  // Fresh arrays every time: a caller changing one verdict does not change the next.
  const a = keys.verify(issued.token, record, { now: NOW + 1 })
  a.missingScopes.push('x')
  assert.deepEqual(keys.verify(issued.token, record, { now: NOW + 1 }).missingScopes, [])
})

test('verify: wrong argument types are TypeErrors; the plumbing is not exported', () => {
  for (const token of [undefined, null, 5, {}, Buffer.from('x')]) {
    assert.throws(() => keys.verify(token, issued.record), TypeError)
  }
  for (const options of ['x', 5, true, () => {}]) {
    assert.throws(() => keys.verify(issued.token, issued.record, options), /options must be an object/)
  }
  assert.throws(() => keys.verify(issued.token, 5), /record must be an object or JSON text, not number/)
  assert.throws(() => ApiKeys.prototype.verify.call({}, issued.token, issued.record), TypeError)
  assert.equal(typeof ApiKeys.prototype._handle, 'undefined')
  assert.equal(Object.keys(tenantry).filter((k) => k.startsWith('_')).length, 0)
  assert.deepEqual(Object.keys(keys), [])
})

test('verify: a record read through getters is read once per field', () => {
  const reads = {}
  const record = {}
  for (const [k, v] of Object.entries(issued.record)) {
    Object.defineProperty(record, k, { enumerable: true, get() { reads[k] = (reads[k] || 0) + 1; return v } })
  }
  assert.equal(keys.verify(issued.token, record, { now: NOW + 1 }).code, 'VALID')
  assert.ok(Object.values(reads).every((n) => n === 1), JSON.stringify(reads))
})
