'use strict'
// Bytes are JSON text wherever a document is taken (settings, plan catalogs, entitlement
// overrides), as Python takes `bytes`: `JSON.stringify` of a Buffer is {"type":"Buffer",...},
// which `view` showed and `etag` hashed without a word. Binary data inside data is refused.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { SettingsSchema, PlanCatalog, mergePatch, InvalidInputError } = require('..')

const SCHEMA = { type: 'object', properties: { a: { type: 'integer', default: 1 }, b: { type: 'string', default: 'x' } } }
const utf8 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))

test('a settings document given as bytes is its JSON text, in every method', () => {
  const schema = new SettingsSchema(utf8(SCHEMA))
  assert.deepEqual(schema.schema, SCHEMA)
  const doc = '{"a": 2, "b": "\u00e9"}'
  for (const bytes of [utf8(doc), new TextEncoder().encode(doc)]) {
    assert.equal(schema.validate(bytes), undefined)
    assert.equal(schema.etag(bytes), schema.etag(doc))
    assert.deepEqual(schema.view(bytes), { a: 2, b: '\u00e9' })
    assert.deepEqual(schema.entries(bytes), schema.entries(doc))
    assert.equal(schema.get(bytes, 'a'), 2)
    assert.deepEqual(schema.resolve([['tenant', bytes]]).value, { a: 2, b: '\u00e9' })
    assert.deepEqual(schema.resolve({ tenant: bytes }).value, { a: 2, b: '\u00e9' })
    assert.deepEqual(schema.applyPatch(bytes, utf8({ a: 3 })).overrides, { a: 3, b: '\u00e9' })
    assert.deepEqual(schema.set(bytes, 'a', 4).overrides, { a: 4, b: '\u00e9' })
    assert.deepEqual(schema.migrate(bytes), schema.migrate(doc))
  }
  // The etag Python gives `schema.etag(b'{"a": 2, "b": "\xc3\xa9"}')` (test_settings.py pins it).
  assert.equal(schema.etag(utf8(doc)), 'ff3e313366d233bb6858e954b99bef40c4bcd340bd99586794a12c248d9052e3')
})

test('a plan catalog and entitlement overrides given as bytes are their JSON text', () => {
  const plans = { free: { limits: { seats: 3 } }, pro: { limits: { seats: 10 } } }
  const catalog = new PlanCatalog(utf8(plans))
  assert.deepEqual(catalog.plans, ['free', 'pro'])
  const given = catalog.entitlements('free', { overrides: utf8({ limits: { seats: 5 } }) })
  const asObject = catalog.entitlements('free', { overrides: { limits: { seats: 5 } } })
  assert.deepEqual(given.check('seats', 4, 1), asObject.check('seats', 4, 1))
  assert.equal(given.check('seats', 4, 1).limit, 5)
})

test('bytes that are not UTF-8 are input.invalid_json, in the words Python gives', () => {
  const schema = new SettingsSchema(SCHEMA)
  const bad = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) // {"a":"\xff"}
  const calls = [
    () => schema.view(bad),
    () => schema.etag(bad),
    () => schema.resolve([['t', bad]]),
    () => schema.applyPatch(bad, {}),
    () => schema.migrate(bad),
    () => new SettingsSchema(bad),
    () => new PlanCatalog(bad),
  ]
  for (const call of calls) {
    assert.throws(call, (err) => {
      assert.ok(err instanceof InvalidInputError, String(err))
      assert.equal(err.code, 'input.invalid_json')
      assert.equal(err.message, 'invalid JSON text: invalid unicode code point at line 1 column 7')
      return true
    })
  }
})

test('binary data inside data to write is a TypeError naming where it is', () => {
  const schema = new SettingsSchema(SCHEMA)
  const cases = [
    () => schema.applyPatch({}, { b: Buffer.from('x') }),
    () => schema.set({}, 'b', new Uint8Array([1, 2])),
    () => mergePatch({}, { b: new Float64Array(1) }),
    () => mergePatch({}, { b: new ArrayBuffer(2) }),
    () => new PlanCatalog({ free: { limits: { seats: new DataView(new ArrayBuffer(1)) } } }),
  ]
  for (const call of cases) {
    assert.throws(call, (err) => {
      assert.ok(err instanceof TypeError, String(err))
      assert.equal(err.code, 'ERR_INVALID_ARG_TYPE')
      assert.match(err.message, /is not JSON data: binary data \(a Buffer, typed array or ArrayBuffer\) at (\/|the top)/)
      return true
    })
  }
})
