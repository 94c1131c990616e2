'use strict'
// API keys against node:crypto (createHmac) and an independent CRC32 and base62, on thousands of
// generated tokens; bad input of every kind; the token never in inspect/JSON/errors; and tokens
// crossing between Node and Python both ways.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const util = require('node:util')
const { spawnSync } = require('node:child_process')
const { ApiKeys, ApiKeyError, InvalidInputError } = require('..')

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const PEPPER = Buffer.alloc(32, 'p')
const NOW = 1_700_000_000

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(text) {
  let crc = 0xffffffff
  for (const byte of Buffer.from(text, 'utf8')) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
function base62(n, width) {
  let out = ''
  let v = BigInt(n)
  while (v > 0n) {
    out = ALPHABET[Number(v % 62n)] + out
    v /= 62n
  }
  return out.padStart(width, '0')
}

const keys = new ApiKeys({
  prefix: 'tk',
  peppers: { old: Buffer.alloc(32, 'o'), p1: PEPPER },
  currentPepper: 'p1',
  environments: ['live', 'test'],
})

test('thousands of tokens match node:crypto, CRC32 and base62', () => {
  assert.equal(crc32('hello'), 907060870)
  const pattern = new RegExp(`^(?:${keys.secretScanningPattern()})$`)
  const seen = new Set()
  for (let i = 0; i < 3000; i++) {
    const environment = i % 2 ? 'live' : 'test'
    const issued = keys.generate({ environment, scopes: ['settings:read'], now: NOW })
    const { token, record } = issued
    assert.match(token, pattern)
    const [prefix, env, body] = token.split('_')
    assert.deepEqual([prefix, env], ['tk', environment])
    assert.equal(body.length, 47)
    assert.equal(body.slice(-6), base62(crc32(body.slice(0, -6)), 6))
    assert.equal(record.hash, crypto.createHmac('sha256', PEPPER).update(token).digest('hex'))
    assert.equal(keys.hashToken(token), record.hash)
    assert.equal(record.keyId, body.slice(0, 11))
    assert.equal(keys.parse(token).keyId, record.keyId)
    assert.equal(record.masked, `tk_${environment}_${body.slice(0, 4)}\u2026${body.slice(-4)}`)
    assert.ok(!JSON.stringify(record).includes(body.slice(11, 41)))
    seen.add(token)
  }
  assert.equal(seen.size, 3000)
})

test('verify: codes, Date times, JSON text records, pepper upgrade', () => {
  const issued = keys.generate({ scopes: ['webhooks:*'], expiresAt: new Date((NOW + 3600) * 1000), now: NOW })
  const ok = keys.verify(issued.token, issued.record, { requiredScopes: ['webhooks:write'], now: NOW + 1 })
  assert.deepEqual(ok, {
    valid: true,
    code: 'VALID',
    keyId: issued.record.keyId,
    environment: 'live',
    missingScopes: [],
    rehash: null,
    touch: true,
  })
  assert.equal(keys.verify(issued.token, JSON.stringify(issued.record), { now: NOW }).code, 'VALID')
  assert.equal(keys.verify(issued.token, null, { now: NOW }).code, 'NOT_FOUND')
  assert.equal(keys.verify(issued.token, issued.record, { now: new Date((NOW + 3600) * 1000) }).code, 'EXPIRED')
  const denied = keys.verify(issued.token, issued.record, {
    requiredScopes: ['settings:read', ['audit:read', 'webhooks:admin']],
    now: NOW,
  })
  assert.equal(denied.code, 'INSUFFICIENT_SCOPE')
  assert.deepEqual(denied.missingScopes, ['settings:read'])

  const rotated = new ApiKeys({ prefix: 'tk', peppers: { p1: PEPPER, p2: Buffer.alloc(32, 'q') }, currentPepper: 'p2' })
  const verdict = rotated.verify(issued.token, issued.record, { now: NOW })
  assert.deepEqual(verdict.rehash, {
    hash: crypto.createHmac('sha256', Buffer.alloc(32, 'q')).update(issued.token).digest('hex'),
    pepperId: 'p2',
  })
  const upgraded = { ...issued.record, ...verdict.rehash }
  assert.equal(rotated.verify(issued.token, upgraded, { now: NOW }).rehash, null)
})

test('roll and revoke', () => {
  const issued = keys.generate({ scopes: ['settings:read'], name: 'ci', now: NOW })
  const rolled = keys.roll(issued.record, { grace: 3600, now: NOW + 10 })
  assert.equal(rolled.previous.expiresAt, NOW + 3610)
  assert.deepEqual(rolled.record.scopes, ['settings:read'])
  assert.equal(rolled.record.name, 'ci')
  assert.equal(keys.verify(issued.token, rolled.previous, { now: NOW + 3000 }).code, 'VALID')
  assert.equal(keys.verify(issued.token, rolled.previous, { now: NOW + 3610 }).code, 'EXPIRED')
  const revoked = keys.revoke(rolled.record, NOW + 20)
  assert.equal(revoked.revokedAt, NOW + 20)
  assert.equal(keys.verify(rolled.token, revoked, { now: NOW + 30 }).code, 'REVOKED')
  assert.throws(() => keys.roll(issued.record, { grace: -1, now: NOW }), InvalidInputError)
})

test('bad tokens are verdicts or typed errors, never crashes', () => {
  const issued = keys.generate({ now: NOW })
  const bad = ['', 'tk', 'tk_live_', 'x'.repeat(10240), 'tk_live_' + 'é'.repeat(47), 'tk_live_\ud800', '\u0000']
  for (let cut = 1; cut < issued.token.length; cut++) {
    bad.push(issued.token.slice(0, cut), issued.token.slice(cut))
  }
  bad.push('zz' + issued.token.slice(2))
  for (const token of bad) {
    const verdict = keys.verify(token, issued.record, { now: NOW })
    assert.equal(verdict.valid, false, token)
    assert.ok(['MALFORMED', 'BAD_CHECKSUM'].includes(verdict.code), token)
    assert.throws(() => keys.parse(token), ApiKeyError)
  }
  for (const token of [undefined, null, 12, Buffer.from('tk'), ['tk'], {}]) {
    assert.throws(() => keys.verify(token, issued.record), TypeError)
    assert.throws(() => keys.parse(token), TypeError)
  }
  assert.throws(() => keys.verify(issued.token, issued.record, { requiredScopes: [1] }), TypeError)
  assert.throws(() => keys.verify(issued.token, { keyId: 1 }), (err) => err.code === 'apikey.invalid_record')
  assert.throws(() => keys.generate({ scopes: ['nope'] }), (err) => err.code === 'apikey.invalid_scope')
  assert.throws(() => keys.generateWithRandom(Buffer.alloc(3)), InvalidInputError)
  assert.throws(() => new ApiKeys({ prefix: 'tk', peppers: { p1: 'short' } }), ApiKeyError)
  assert.throws(() => new ApiKeys({ prefix: 'tk' }), TypeError)
})

test('a stored time that is not a number of seconds is refused, never read as absent', () => {
  // Through napi-rs's serde_json values a NaN or infinite time was null: a record with
  // `revokedAt: NaN` (say, from \`Date.parse\` of a bad column) verified as not revoked.
  const issued = keys.generate({ now: NOW })
  const snake = Object.fromEntries(Object.entries(issued.record).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()), v]))
  assert.equal(keys.verify(issued.token, snake, { now: NOW }).code, 'VALID')
  for (const field of ['revokedAt', 'expiresAt', 'notBefore', 'createdAt', 'lastUsedAt']) {
    const snakeField = field.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const record of [{ ...issued.record, [field]: bad }, { ...snake, [snakeField]: bad }]) {
        assert.throws(
          () => keys.verify(issued.token, record, { now: NOW }),
          (err) => err instanceof ApiKeyError && err.code === 'apikey.invalid_record' && /^invalid key record: invalid type: floating point `-?(NaN|inf)`, expected i64$/.test(err.message),
          `${field} ${bad}`,
        )
      }
    }
  }
})

test('a snake_case time in a camelCase record counts, as the core reads it', () => {
  // The field-by-field read took camelCase names only: `revoked_at` beside the package's own
  // fields was ignored, so a revoked key verified, and roll and revoke dropped the revocation.
  const issued = keys.generate({ now: NOW })
  const { revokedAt, expiresAt, ...withoutTimes } = issued.record
  assert.equal(revokedAt, null)
  assert.equal(expiresAt, null)
  const revoked = { ...withoutTimes, expiresAt, revoked_at: NOW + 5 }
  assert.equal(keys.verify(issued.token, revoked, { now: NOW + 10 }).code, 'REVOKED')
  assert.equal(keys.verify(issued.token, JSON.stringify(revoked), { now: NOW + 10 }).code, 'REVOKED')
  assert.equal(keys.revoke(revoked, NOW + 100).revokedAt, NOW + 5)
  assert.throws(() => keys.roll(revoked, { grace: 60, now: NOW + 10 }), (err) => err instanceof ApiKeyError && err.code === 'apikey.inactive')
  const expired = { ...withoutTimes, revokedAt, expires_at: NOW + 1 }
  assert.equal(keys.verify(issued.token, expired, { now: NOW + 10 }).code, 'EXPIRED')
  // Both spellings of one field: the core's error, as in Python.
  for (const both of [{ ...issued.record, revoked_at: NOW + 5 }, { ...issued.record, expires_at: NOW + 1 }]) {
    for (const call of [() => keys.verify(issued.token, both, { now: NOW + 10 }), () => keys.revoke(both, NOW)]) {
      assert.throws(call, (err) => err instanceof ApiKeyError && err.code === 'apikey.invalid_record' && /duplicate field/.test(err.message))
    }
  }
  // An absent (not null) field is the core's default, not the fast read's null.
  const { lastUsedAt, ...noLastUsed } = issued.record
  assert.equal(lastUsedAt, null)
  assert.equal(keys.verify(issued.token, noLastUsed, { now: NOW }).code, 'VALID')
})

test('the token never shows in inspect, JSON, String or errors', () => {
  const issued = keys.generate({ now: NOW })
  const secretPart = issued.token.split('_')[2].slice(11, 41)
  const rolled = keys.roll(issued.record, { grace: 60, now: NOW })
  const texts = [
    util.inspect(issued),
    util.inspect(rolled),
    JSON.stringify(issued),
    JSON.stringify(rolled),
    String(issued),
    `${rolled}`,
    util.inspect(keys),
    JSON.stringify(keys.verify(issued.token, issued.record, { now: NOW })),
  ]
  const last = issued.token.at(-1)
  for (const token of [issued.token.slice(0, -1) + (last === 'a' ? 'b' : 'a'), issued.token + '!']) {
    try {
      keys.parse(token)
    } catch (err) {
      texts.push(String(err), err.message, util.inspect(err))
    }
  }
  for (const text of texts) assert.ok(!text.includes(secretPart), text)
  assert.deepEqual(JSON.parse(JSON.stringify(issued)), { record: issued.record })
})

// Tokens cross languages: Node-issued keys verify in Python and Python-issued keys verify here.
// Needs the virtualenv with the wheel installed (`make py-test` runs before `make node-test`).
const PYTHON = path.join(__dirname, '..', '..', '.venv', 'bin', 'python')
const PY_SCRIPT = `
import json, sys
from tenantry.apikeys import ApiKeys
inp = json.load(sys.stdin)
keys = ApiKeys("tk", {"p1": bytes.fromhex(inp["pepper_hex"])})
verdicts = [keys.verify(k["token"], k["record"], ["settings:read"], now=inp["now"]).code for k in inp["keys"]]
issued = [keys.generate(scopes=["settings:*"], now=inp["now"]) for _ in range(50)]
json.dump({"verdicts": verdicts, "keys": [{"token": i.token, "record": i.record} for i in issued]}, sys.stdout)
`

test('tokens issued in Node verify in Python, and the other way round', () => {
  assert.ok(fs.existsSync(PYTHON), 'no .venv with the tenantry wheel: run `make node-test`, which builds it')
  const node = new ApiKeys({ prefix: 'tk', peppers: { p1: PEPPER } })
  const issued = Array.from({ length: 50 }, () => node.generate({ scopes: ['settings:read'], now: NOW }))
  const input = JSON.stringify({
    pepper_hex: PEPPER.toString('hex'),
    now: NOW + 5,
    keys: issued.map((k) => ({ token: k.token, record: k.record })),
  })
  const py = spawnSync(PYTHON, ['-c', PY_SCRIPT], { input, encoding: 'utf8' })
  assert.equal(py.status, 0, py.stderr)
  const out = JSON.parse(py.stdout)
  assert.deepEqual(out.verdicts, Array(50).fill('VALID'))
  for (const k of out.keys) {
    assert.equal(node.verify(k.token, k.record, { requiredScopes: ['settings:write'], now: NOW + 5 }).code, 'VALID')
    assert.equal(k.record.hash, crypto.createHmac('sha256', PEPPER).update(k.token).digest('hex'))
  }
})

test('peppers must be an object of ids to secrets; a wrong current pepper is never echoed', () => {
  // A string was read as an object of its characters ("pepper \"0\" has 1 bytes", or for a long
  // one an uncoded RangeError), an array as one of its indices; Python takes a dict only.
  for (const peppers of ['x'.repeat(40), ['k'.repeat(32)], 5]) {
    assert.throws(() => new ApiKeys({ prefix: 'tk', peppers }), (err) => err instanceof TypeError && err.code === 'ERR_INVALID_ARG_TYPE' && /expected an object of names to values/.test(err.message))
  }
  // The value given as the current pepper may be a pepper's secret put there by mistake.
  assert.throws(() => new ApiKeys({ prefix: 'tk', peppers: { p1: 'k'.repeat(32) }, currentPepper: 'SECRET-PEPPER-VALUE' }), (err) => {
    assert.equal(err.code, 'apikey.invalid_config')
    assert.equal(err.message, 'the current pepper must be the id of one of the peppers (p1)')
    return true
  })
})

test('a record number JavaScript cannot hold exactly is refused, not clamped', () => {
  // napi-rs's deserializer cast such numbers to i64, saturating: an expiresAt of 1e300 was a key
  // that never expires, and revoke rewrote a revokedAt of 1e300 to now. Python refuses them too.
  const issued = keys.generate({ now: NOW })
  for (const [field, value, shown] of [
    ['expiresAt', 1e300, '1e+300'],
    ['expiresAt', -1e300, '-1e+300'],
    ['revokedAt', 2 ** 63, '9223372036854776000'],
    ['notBefore', 2 ** 53, '9007199254740992'],
  ]) {
    for (const record of [{ ...issued.record, [field]: value }, { ...issued.record, revoked_at: null, [field]: value }]) {
      for (const call of [() => keys.verify(issued.token, record, { now: NOW }), () => keys.revoke(record, NOW)]) {
        assert.throws(call, (err) => {
          assert.ok(err instanceof ApiKeyError, String(err))
          assert.equal(err.code, 'apikey.invalid_record')
          assert.equal(err.message, `invalid key record: ${field} must be a whole number (a safe integer), got ${shown}`)
          return true
        })
      }
    }
  }
  assert.equal(keys.verify(issued.token, { ...issued.record, expiresAt: 2 ** 53 - 1 }, { now: NOW }).code, 'VALID')
  // An inherited member is read too (napi-rs's deserializer reads what for...in sees).
  const { expiresAt: _own, ...own } = issued.record
  const inherited = Object.assign(Object.create({ expiresAt: 1e300 }), own)
  assert.throws(() => keys.verify(issued.token, inherited, { now: NOW }), (err) => err.code === 'apikey.invalid_record')
})

test('a record given as bytes is its JSON text, as Python reads bytes', () => {
  const issued = keys.generate({ now: NOW })
  const snake = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(issued.record).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()), v]))))
  for (const bytes of [snake, Buffer.from(JSON.stringify(issued.record)), new Uint8Array(snake)]) {
    assert.equal(keys.verify(issued.token, bytes, { now: NOW }).code, 'VALID')
    assert.equal(keys.revoke(bytes, NOW + 1).revokedAt, NOW + 1)
    assert.equal(keys.roll(bytes, { grace: 60, now: NOW + 1 }).previous.expiresAt, NOW + 61)
    assert.equal(keys.rollWithRandom(Buffer.alloc(30, 1), bytes, { grace: 60, now: NOW + 1 }).previous.expiresAt, NOW + 61)
  }
  assert.throws(() => keys.verify(issued.token, Buffer.from([0xff]), { now: NOW }), (err) => err instanceof InvalidInputError && err.code === 'input.invalid_json')
})

test('a row column beyond the record is not read, a 64-bit id included; a Date field is refused as in Python', () => {
  // A snake_case row (as Python and SQL write it) with a bigint row id read as a number was
  // refused ("rowid must be a whole number"), and a Date field said "invalid type: map".
  const issued = keys.generate({ now: NOW })
  const r = issued.record
  const snake = { key_id: r.keyId, hash: r.hash, pepper_id: r.pepperId, environment: r.environment, scopes: r.scopes, created_at: r.createdAt }
  for (const row of [{ ...snake, rowid: 2 ** 60 }, { ...r, rowid: 2 ** 60 }, { ...snake, rowid: new Date() }]) {
    assert.equal(keys.verify(issued.token, row, { now: NOW }).code, 'VALID')
    assert.equal(keys.revoke(row, NOW).revokedAt, NOW)
  }
  for (const row of [{ ...snake, expires_at: new Date() }, { ...r, expiresAt: new Date() }, { ...snake, revoked_at: new Date(0) }]) {
    assert.throws(() => keys.verify(issued.token, row, { now: NOW }), (err) => {
      assert.ok(err instanceof ApiKeyError && err.code === 'apikey.invalid_record', String(err))
      assert.equal(err.message, 'invalid key record: Date is not a JSON value')
      return true
    })
  }
})

test('a record given as an array is a TypeError, as in Python, not a record of the wrong length', () => {
  // It was read as a tuple: "invalid key record: invalid length 0, expected struct KeyRecord ...".
  const issued = keys.generate({ now: NOW })
  for (const call of [
    (r) => keys.verify(issued.token, r, { now: NOW }),
    (r) => keys.revoke(r, NOW),
    (r) => keys.roll(r, { grace: 60, now: NOW }),
  ]) {
    for (const record of [[], Object.values(issued.record)]) {
      assert.throws(() => call(record), (err) => {
        assert.ok(err instanceof TypeError, String(err))
        assert.equal(err.message, 'record must be an object or JSON text, not Array')
        return true
      })
    }
  }
})

test('members of a row beyond the record are not read, however deep (as in Python)', () => {
  const issued = keys.generate({ scopes: ['settings:read'], now: NOW })
  let deep = 1
  for (let i = 0; i < 20_000; i++) deep = [deep]
  const cyclic = { ...issued.record }
  cyclic.self = cyclic
  for (const row of [{ ...issued.record, tenantId: 't_1', deep }, cyclic]) {
    const v = keys.verify(issued.token, row, { requiredScopes: ['settings:read'], now: NOW + 1 })
    assert.deepEqual([v.valid, v.code, v.keyId], [true, 'VALID', issued.record.keyId])
    assert.deepEqual(keys.revoke(row, NOW + 5), { ...issued.record, revokedAt: NOW + 5 })
    assert.deepEqual(keys.roll(row, { grace: 60, now: NOW + 5 }).previous, { ...issued.record, expiresAt: NOW + 65 })
  }
})

test('scope lists fail at their first bad item, without reading the rest (a huge sparse array)', () => {
  const keys = new ApiKeys({ prefix: 'tk', peppers: { p1: PEPPER } })
  const issued = keys.generate({ scopes: ['settings:read'], now: NOW })
  const errorOf = (fn) => {
    try {
      fn()
    } catch (err) {
      return err
    }
    assert.fail('no error')
  }
  // A list with a hole (or a non-string) at `bad`, a sparse tail and an item after the bad one
  // that counts its reads: the addon read every item before it checked one (10 s at a length of
  // 1e8, forever at 2 ** 32 - 1; kept to 1e6 here, so that a regression fails, not hangs).
  let reads = 0
  const list = (bad, hole) => {
    const s = Array(bad).fill('settings:read')
    if (!hole) s[bad] = 7
    Object.defineProperty(s, bad + 2, { get: () => (++reads, 'settings:write'), enumerable: true })
    s.length = 1_000_000
    return s
  }
  const calls = [
    (s) => keys.generate({ scopes: s, now: NOW }),
    (s) => keys.generateWithRandom(Buffer.alloc(30), { scopes: s, now: NOW }),
    (s) => keys.verify(issued.token, issued.record, { requiredScopes: s, now: NOW + 1 }),
    (s) => keys.verify(issued.token, issued.record, { requiredScopes: ['settings:read', s], now: NOW + 1 }),
  ]
  for (const call of calls) {
    for (const [bad, hole] of [[0, true], [1, true], [3, false]]) {
      const err = errorOf(() => call(list(bad, hole)))
      // The same error the addon gives for the bad item in a short list.
      const want = errorOf(() => call([...Array(bad).fill('settings:read'), hole ? undefined : 7]))
      assert.ok(err instanceof TypeError && err.code === 'ERR_INVALID_ARG_TYPE', String(err))
      assert.equal(err.message, want.message)
    }
  }
  assert.equal(reads, 0)
  // An options error the addon finds first is still the one given.
  assert.throws(() => keys.generate({ environment: 5, scopes: list(1, true) }), /options\.environment must be a string/)
  // Good lists are taken as before.
  assert.deepEqual(keys.generate({ scopes: ['settings:read', 'webhooks:*'], now: NOW }).record.scopes, ['settings:read', 'webhooks:*'])
  assert.equal(keys.verify(issued.token, issued.record, { requiredScopes: [['audit:read', 'settings:read']], now: NOW + 1 }).code, 'VALID')
})

test('null or undefined columns of a row read as absent ones; a grace ending after 9999 is refused (as in Python)', () => {
  const issued = keys.generate({ now: NOW })
  for (const empty of [null, undefined]) {
    const row = { ...issued.record, disabled: empty, masked: empty }
    assert.equal(keys.verify(issued.token, row, { now: NOW + 1 }).code, 'VALID')
    assert.equal(keys.revoke(row, NOW + 2).disabled, false)
  }
  assert.throws(() => keys.roll(issued.record, { grace: 1e12, now: NOW }), (err) => err instanceof InvalidInputError && err.code === 'input.invalid_time')
})
