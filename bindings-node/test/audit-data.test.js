'use strict'
// Audit data is checked before it is recorded, hashed or exported (js/json-data.js): what
// JSON.stringify would change or drop without a trace (NaN and Infinity to null, a Map or Set to
// {}, a function or symbol left out, an array hole to null) is a TypeError naming the argument and
// the JSON Pointer of the value, as Python refuses it, instead of a quietly altered audit log.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { audit, InvalidInputError } = require('..')

const NOW = 1_700_000_000
const KEY = new audit.SealKey('k1', Buffer.alloc(32, 's'))
const BASE = { action: 'setting.updated', actor: { type: 'user', id: 'u_1' }, occurredAt: NOW }
const RECORD = audit.buildSealed(BASE, null, KEY)
const UNSEALED = audit.build(BASE)

// Hostile values, what the message calls them, and where they sit in the data given below.
const HOSTILE = [
  [NaN, 'NaN'],
  [Infinity, 'Infinity'],
  [new Map([['a', 1]]), 'a Map or Set'],
  [new Set([1]), 'a Map or Set'],
  [() => 1, 'function'],
  [Symbol('s'), 'symbol'],
  [new Date(NaN), 'an Invalid Date'],
  [10n, 'a BigInt'],
]

// Each call, given data with `value` at /x/0 (inside an array inside an object), and the name its
// message gives the argument.
const CALLS = [
  ['build before', (v) => audit.build({ ...BASE, before: { x: [v] } }), 'options.before'],
  ['build after', (v) => audit.build({ ...BASE, after: { x: [v] } }), 'options.after'],
  ['build metadata', (v) => audit.build({ ...BASE, metadata: { x: [v] } }), 'options.metadata'],
  ['buildSealed after', (v) => audit.buildSealed({ ...BASE, after: { x: [v] } }, null, KEY), 'options.after'],
  ['seal', (v) => audit.seal({ ...UNSEALED, x: [v] }, null, KEY), 'record'],
  ['canonicalJson', (v) => audit.canonicalJson({ x: [v] }), 'value'],
  ['toOcsf', (v) => audit.toOcsf({ ...RECORD, x: [v] }), 'record'],
]
const RECORDS_CALLS = [
  ['verifyChain', (records) => audit.verifyChain(records, KEY)],
  ['toCsv', (records) => audit.toCsv(records)],
  ['toJsonl', (records) => audit.toJsonl(records)],
  ['summarize', (records) => audit.summarize(records)],
]

for (const [name, call, what] of CALLS) {
  test(`${name}: values JSON would alter or drop are a TypeError naming where they are`, () => {
    for (const [value, found] of HOSTILE) {
      assert.throws(() => call(value), { name: 'TypeError', message: `${what} is not JSON data: ${found} at /x/0` })
    }
    // An array hole (JSON: null).
    assert.throws(() => call(undefined), { name: 'TypeError', message: `${what} is not JSON data: undefined at /x/0` })
    // What JSON keeps as it is passes, and a Date is its ISO string, as JSON.stringify writes it.
    call(1.5)
    call(new Date(NOW * 1000))
  })
}

for (const [name, call] of RECORDS_CALLS) {
  test(`${name}: a record holding a value JSON would alter is a TypeError naming it`, () => {
    for (const [value, found] of HOSTILE) {
      assert.throws(() => call([RECORD, { ...RECORD, x: { y: value } }]), {
        name: 'TypeError',
        message: `records is not JSON data: ${found} at /1/x/y`,
      })
    }
    call([RECORD])
    call(JSON.stringify([RECORD]))
  })
}

test('a lone surrogate in audit data is input.invalid, in the words Python gives', () => {
  // The addon had refused it in the options' JSON text: input.invalid_json, at a place in a text
  // the caller never wrote.
  assert.throws(() => audit.build({ ...BASE, after: { x: '\udc80' } }), (err) => {
    assert.ok(err instanceof InvalidInputError)
    assert.equal(err.code, 'input.invalid')
    assert.equal(err.message, "str holds a lone surrogate ('\\udc80') at index 0: it is not valid Unicode, so it has no UTF-8 form")
    return true
  })
})

test('JSON text given in place of data is not checked as data', () => {
  const built = audit.build({ ...BASE, before: '{"a":1}', after: '{"a":2}', metadata: '{"m":true}' })
  assert.deepEqual(built.metadata, { m: true })
})

test('a key that is not an audit.SealKey is a TypeError that says so', () => {
  for (const key of ['k1', {}, Buffer.alloc(32), [KEY, 'k2']]) {
    const kind = Array.isArray(key) ? 'an array' : typeof key
    assert.throws(() => audit.buildSealed(BASE, null, key), { name: 'TypeError', message: `key must be an audit.SealKey or null, not ${kind}` })
    assert.throws(() => audit.seal(UNSEALED, null, key), { name: 'TypeError', message: `key must be an audit.SealKey or null, not ${kind}` })
    assert.throws(() => audit.verifyChain([RECORD], key), {
      name: 'TypeError',
      message: `key must be an audit.SealKey, an array of them, or null, not ${kind}`,
    })
  }
  assert.equal(audit.verifyChain([RECORD], [KEY]).ok, true)
})

test('schema: a compiled SettingsSchema masks what its document marks x-sensitive', () => {
  const { SettingsSchema } = require('..')
  const doc = { type: 'object', properties: { smtp: { type: 'object', properties: { password: { type: 'string', 'x-sensitive': true } } } } }
  const fields = { ...BASE, before: { smtp: { password: 'p1' } }, after: { smtp: { password: 'p2' } } }
  const masked = [{ path: '/smtp/password', before: '***', after: '***' }]
  assert.deepEqual(audit.build({ ...fields, schema: doc }).changes, masked)
  assert.deepEqual(audit.build({ ...fields, schema: new SettingsSchema(doc) }).changes, masked)
  assert.deepEqual(audit.buildSealed({ ...fields, schema: new SettingsSchema(doc) }, null, KEY).changes, masked)
})

/** The package loaded a second time (as a dual CommonJS/ESM install, or --preserve-symlinks, does). */
function anotherCopy() {
  const dir = require('node:path').join(__dirname, '..')
  const ours = Object.keys(require.cache).filter((file) => file.startsWith(dir) && !file.includes('node_modules'))
  const saved = ours.map((file) => [file, require.cache[file]])
  for (const file of ours) delete require.cache[file]
  try {
    return require('..')
  } finally {
    for (const [file, mod] of saved) require.cache[file] = mod
  }
}

test("schema: another copy's SettingsSchema, or an object of any other class, is a TypeError, never an empty schema", () => {
  // It is no instance of this copy's class: JSON.stringify sent it as {} (no own members), a
  // valid empty schema, and the password went into the record unmasked.
  const other = anotherCopy()
  assert.notEqual(other.SettingsSchema, require('..').SettingsSchema)
  const doc = { type: 'object', properties: { password: { type: 'string', 'x-sensitive': true } } }
  const fields = { ...BASE, before: { password: 'p1' }, after: { password: 'SECRET' } }
  class JsonSchema {
    type = 'object'
  }
  for (const schema of [new other.SettingsSchema(doc), new JsonSchema(), new Map(), new Date(0)]) {
    for (const build of [audit.build, (o) => audit.buildSealed(o, null, KEY)]) {
      assert.throws(
        () => build({ ...fields, schema }),
        (err) =>
          err instanceof TypeError &&
          err.code === 'ERR_INVALID_ARG_TYPE' &&
          /^options\.schema must be a SettingsSchema of this package or a plain JSON Schema object, not /.test(err.message),
      )
    }
  }
  // Each copy masks with its own schemas; plain data, a null-prototype object and JSON text (or
  // its bytes, as Python reads bytes) work in both.
  const masked = [{ path: '/password', before: '***', after: '***' }]
  assert.deepEqual(other.audit.build({ ...fields, schema: new other.SettingsSchema(doc) }).changes, masked)
  for (const schema of [doc, Object.assign(Object.create(null), doc), JSON.stringify(doc), Buffer.from(JSON.stringify(doc))]) {
    assert.deepEqual(audit.build({ ...fields, schema }).changes, masked)
  }
})

test('seal keeps an own __proto__ member as data: the record it returns verifies', () => {
  // Copied with Object.assign, the member set the copy's prototype instead, while the hash
  // covered it: the sealed record failed verification as "edited".
  const record = JSON.parse('{"action": "x", "__proto__": {"isAdmin": true}}')
  const sealed = audit.seal(record, null)
  assert.deepEqual(Object.keys(sealed), ['action', '__proto__', 'prev_hash', 'hash'])
  assert.equal(Object.getPrototypeOf(sealed), Object.prototype)
  assert.equal(sealed.isAdmin, undefined)
  assert.equal(audit.verifyChain([sealed]).ok, true)
  const fromText = audit.seal('{"action": "x", "__proto__": {"isAdmin": true}}', null)
  assert.equal(fromText.hash, sealed.hash)
  assert.equal(Object.getPrototypeOf(fromText), Object.prototype)
})

test('bytes are JSON text wherever records are taken, as Python reads bytes', () => {
  const text = '{"action": "x", "n": 1}'
  const sealed = audit.seal(Buffer.from(text), null)
  assert.deepEqual(sealed, audit.seal(text, null))
  const chain = JSON.stringify([sealed])
  assert.equal(audit.verifyChain(Buffer.from(chain)).ok, true)
  assert.equal(audit.verifyChain(new TextEncoder().encode(chain)).ok, true)
  assert.equal(audit.toJsonl(Buffer.from(chain)), audit.toJsonl(chain))
  assert.equal(audit.toCsv(Buffer.from(chain)), audit.toCsv(chain))
})

test('bytes that are not UTF-8 are input.invalid_json in every call that takes records, as in Python', () => {
  // Never read with U+FFFD in their place; and refused as Python refuses them (the same words,
  // which test_audit_bytes_not_utf8 pins there), not with TextDecoder's own TypeError.
  const cases = [
    [Buffer.from('{"action": "\xff"}', 'latin1'), 'invalid JSON text: invalid unicode code point at line 1 column 13'],
    [Buffer.from('[{"a": 1}, \xff]', 'latin1'), 'invalid JSON text: expected value at line 1 column 12'],
    [new Uint8Array([0xff, 0x7b]), 'invalid JSON text: expected value at line 1 column 1'],
  ]
  const calls = {
    seal: (b) => audit.seal(b, null),
    verifyChain: (b) => audit.verifyChain(b),
    toCsv: (b) => audit.toCsv(b),
    toJsonl: (b) => audit.toJsonl(b),
    toOcsf: (b) => audit.toOcsf(b),
    summarize: (b) => audit.summarize(b),
  }
  for (const [bytes, message] of cases) {
    for (const [name, call] of Object.entries(calls)) {
      assert.throws(() => call(bytes), (err) => {
        assert.ok(err instanceof InvalidInputError, `${name}: ${err}`)
        assert.equal(err.code, 'input.invalid_json', name)
        assert.equal(err.message, message, name)
        return true
      })
    }
  }
})

test('documents given as bytes are their JSON text, as Python reads bytes', () => {
  // They were a TypeError ("binary data"), where Python's audit.build takes bytes for every document.
  const text = (value) => Buffer.from(JSON.stringify(value))
  const options = {
    ...BASE,
    actor: text({ type: 'user', id: 'u_1' }),
    target: new Uint8Array(text({ type: 'invoice', id: 'inv_1' })),
    before: text({ plan: 'free' }),
    after: text({ plan: 'pro' }),
    metadata: text({ source: 'billing' }),
  }
  const plain = { ...BASE, target: { type: 'invoice', id: 'inv_1' }, before: { plan: 'free' }, after: { plan: 'pro' }, metadata: { source: 'billing' } }
  const withId = (o) => ({ ...o, id: 'r_1' })
  assert.deepEqual(audit.build(withId(options)), audit.build(withId(plain)))
  assert.deepEqual(audit.buildSealed(withId(options), null, KEY), audit.buildSealed(withId(plain), null, KEY))
  assert.throws(() => audit.build({ ...BASE, before: Buffer.from([0xff]) }), (err) => err instanceof InvalidInputError && err.code === 'input.invalid_json')
})
