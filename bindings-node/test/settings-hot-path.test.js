'use strict'
// `SettingsSchema.resolve` runs through a raw N-API hot path (js/settings.js, src/settings.rs):
// layers cross as name/text argument pairs and the effective document comes back as its leaves,
// rebuilt by a per-schema object literal. These tests hold it to the whole-text path (layers as
// an object of layers, which crosses as one JSON.stringify text and comes back as one JSON text)
// and to an independent deep merge: same value (key order and prototypes included), same
// provenance, same error, on generated layers over schemas with awkward keys.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const tenantry = require('..')
const { mulberry32 } = require('./helpers')
const { SettingsSchema } = tenantry

const SCHEMAS = path.join(__dirname, '..', '..', 'examples', 'schemas')
const load = (name) => JSON.parse(fs.readFileSync(path.join(SCHEMAS, `${name}.json`), 'utf8'))

// Keys a generated object literal must reproduce exactly as JSON.parse does: `__proto__` (an own
// property, not the prototype), integer-like keys (which V8 orders first), quotes, U+2028.
const AWKWARD = {
  type: 'object',
  properties: {
    b: { type: 'integer', default: 1 },
    ['__proto__']: { type: 'object', properties: { x: { type: 'string', default: 'p' } } },
    1: { type: 'object', properties: { '"q"': { type: 'boolean', default: true }, '\u2028': { type: 'null', default: null } } },
    'a/b~c': { type: 'object', default: {} },
    list: { type: 'array', default: [1, { k: 2 }] },
    obj: { type: ['object', 'integer'], properties: { z: { type: 'integer', default: 0 } } },
  },
}

const rng = mulberry32
const pick = (r, list) => list[Math.floor(r() * list.length)]

const KEYS = ['b', '__proto__', '1', '"q"', '\u2028', 'a/b~c', 'list', 'obj', 'x', 'z', 'ai_settings', 'enabled',
  'temperature', 'custom_fields', 'from_email', 'email_settings', 'new']
const LEAVES = [null, true, false, 0, 2, 0.5, 'p', 'a@b.example', [], [1]]

function randomValue(r, depth) {
  if (depth === 0 || r() < 0.5) return pick(r, LEAVES)
  return randomObject(r, depth - 1)
}

function randomObject(r, depth) {
  const out = {}
  const n = Math.floor(r() * 4)
  for (let i = 0; i < n; i++) Object.defineProperty(out, pick(r, KEYS), { value: randomValue(r, depth), enumerable: true, writable: true, configurable: true })
  return out
}

// Deep merge as the core defines it: objects merge, anything else replaces.
function deepMerge(base, layer) {
  const out = {}
  for (const k of Object.keys(base)) Object.defineProperty(out, k, { value: base[k], enumerable: true, writable: true, configurable: true })
  for (const k of Object.keys(layer)) {
    const v = isObject(out[k]) && Object.hasOwn(out, k) && isObject(layer[k]) ? deepMerge(out[k], layer[k]) : layer[k]
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
  }
  return out
}
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

// deepStrictEqual does not look at key order; this does (recursively).
function keyOrder(v) {
  if (Array.isArray(v)) return v.map(keyOrder)
  if (!isObject(v)) return v
  assert.equal(Object.getPrototypeOf(v), Object.prototype)
  return Object.keys(v).map((k) => [k, keyOrder(v[k])])
}

function outcome(fn) {
  try {
    const r = fn()
    assert.deepStrictEqual(Object.keys(r), ['value', 'provenance'])
    return { value: r.value, order: keyOrder(r.value), provenance: r.provenance }
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err
    return { error: err.constructor.name, code: err.code, message: err.message, errors: err.errors }
  }
}

for (const [name, source] of [['awkward keys', AWKWARD], ['venue', load('venue_settings')], ['tenant', load('tenant_settings')]]) {
  test(`resolve through the pairs equals the whole-text path and a deep merge (${name})`, () => {
    const schema = new SettingsSchema(source)
    const defaults = schema.defaults()
    const r = rng(11)
    const counts = { value: 0, error: 0 }
    for (let i = 0; i < 1500; i++) {
      const layers = Array.from({ length: Math.floor(r() * 3) }, (_, j) => [`l${j}`, r() < 0.3 ? JSON.stringify(randomObject(r, 3)) : randomObject(r, 3)])
      const pairs = outcome(() => schema.resolve(layers))
      const whole = outcome(() => schema.resolve(Object.fromEntries(layers)))
      assert.deepStrictEqual(pairs, whole, JSON.stringify(layers))
      if (pairs.error === undefined) {
        counts.value++
        const merged = layers.reduce((acc, [, l]) => deepMerge(acc, typeof l === 'string' ? JSON.parse(l) : l), defaults)
        assert.deepStrictEqual(pairs.value, merged)
        assert.deepStrictEqual(pairs.order, keyOrder(merged))
      } else {
        counts.error++
      }
    }
    assert.ok(counts.value > 100, JSON.stringify(counts))
    if (name !== 'awkward keys') assert.ok(counts.error > 100, JSON.stringify(counts))
  })
}

test('the rebuilt document has JSON.parse semantics for awkward keys', () => {
  const schema = new SettingsSchema(AWKWARD)
  const r = schema.resolve([['tenant', { b: 2, __proto__: null }]])
  const want = JSON.parse('{"b":2,"__proto__":{"x":"p"},"1":{"\\"q\\"":true,"\\u2028":null},"a/b~c":{},"list":[1,{"k":2}],"obj":{"z":0}}')
  assert.deepStrictEqual(r.value, want)
  assert.deepStrictEqual(keyOrder(r.value), keyOrder(want))
  assert.deepStrictEqual(Object.keys(r.value), ['1', 'b', '__proto__', 'a/b~c', 'list', 'obj'])
  assert.ok(Object.hasOwn(r.value, '__proto__'))
  assert.equal(r.value.__proto__.x, 'p')
  // Each call builds new objects.
  assert.notStrictEqual(schema.resolve([]).value.list, schema.resolve([]).value.list)
})

test('without code generation the document is built member by member, the same', () => {
  const script = `
    const { SettingsSchema } = require(${JSON.stringify(path.join(__dirname, '..'))})
    const schema = new SettingsSchema(${JSON.stringify(JSON.stringify(AWKWARD))})
    const r = schema.resolve([['tenant', { b: 2, 1: { '"q"': false } }]])
    process.stdout.write(JSON.stringify([r.value, Object.keys(r.value), Object.hasOwn(r.value, '__proto__'), r.provenance]))
  `
  const run = (flags) => {
    const out = execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' })
    return JSON.parse(out)
  }
  const generated = run([])
  assert.deepStrictEqual(run(['--disallow-code-generation-from-strings']), generated)
  assert.deepStrictEqual(generated[1], ['1', 'b', '__proto__', 'a/b~c', 'list', 'obj'])
  assert.equal(generated[2], true)
  assert.equal(generated[0][1]['"q"'], false)
})

test('layer forms the pairs do not carry take the whole-text path, with the same meaning as before', () => {
  const venue = new SettingsSchema(load('venue_settings'))
  const tenant = { ai_settings: { temperature: 0.2 } }
  const want = venue.resolve([['tenant', tenant]]).value
  // A layer with its own toJSON, a String object, more layers than the pairs carry.
  assert.deepStrictEqual(venue.resolve([['tenant', { toJSON: () => tenant }]]).value, want)
  assert.deepStrictEqual(venue.resolve([['tenant', new String(JSON.stringify(tenant))]]).value, want)
  const many = Array.from({ length: 12 }, (_, i) => [`l${i}`, { ai_settings: { max_tokens: 100 + i } }])
  const r = venue.resolve(many)
  assert.equal(r.value.ai_settings.max_tokens, 111)
  assert.equal(r.provenance['/ai_settings/max_tokens'], 'l11')
  assert.equal(r.provenance['/ai_settings/temperature'], 'defaults')
  // Text that is not JSON, JSON that is not an object, names that are not strings.
  assert.throws(() => venue.resolve([['tenant', '{"a":']]), (err) => err instanceof tenantry.InvalidInputError && err.code === 'input.invalid_json')
  assert.throws(() => venue.resolve([['tenant', '[1]']]), (err) => err instanceof tenantry.SettingsError && err.code === 'settings.invalid_patch')
  assert.throws(() => venue.resolve([['tenant', []]]), (err) => err instanceof tenantry.SettingsError && err.code === 'settings.invalid_patch')
  assert.throws(() => venue.resolve([[1, {}]]), TypeError)
  assert.throws(() => venue.resolve([['tenant', 5]]), (err) => err instanceof tenantry.SettingsError)
  // A name, a text layer or an object layer holding a lone surrogate: input.invalid, as in Python,
  // whichever way the layers would cross (see test/strings.test.js).
  const lone = (err) => err instanceof tenantry.InvalidInputError && err.code === 'input.invalid' && /^str holds a lone surrogate \('\\ud800'\)/.test(err.message)
  assert.throws(() => venue.resolve([['\ud800', {}]]), lone)
  assert.throws(() => venue.resolve([['tenant', '{"x": "\ud800"}']]), lone)
  assert.throws(() => venue.resolve({ '\ud800': {} }), lone)
  assert.throws(() => venue.resolve(many.concat([['tenant', '{"x": "\ud800"}']])), lone)
  assert.throws(() => venue.resolve([['tenant', { x: '\ud800' }]]), lone)
  // A layer nested deeper than data may, or containing itself: the core's error, in either form.
  const tooDeep = (err) => err instanceof tenantry.InvalidInputError && err.code === 'input.invalid' && /nests deeper than 100 levels/.test(err.message)
  let deep = {}
  for (let i = 0; i < 101; i++) deep = { a: deep }
  assert.throws(() => venue.resolve([['tenant', deep]]), tooDeep)
  assert.throws(() => venue.resolve({ tenant: deep }), tooDeep)
  let shallower = {}
  for (let i = 0; i < 100; i++) shallower = { a: shallower }
  assert.throws(() => venue.resolve([['tenant', shallower]]), (err) => err instanceof tenantry.SettingsValidationError && err.errors[0].code === 'too_deep')
  const cyclic = {}
  cyclic.self = cyclic
  assert.throws(() => venue.resolve([['tenant', cyclic]]), tooDeep)
  assert.throws(() => venue.resolve({ tenant: cyclic }), tooDeep)
  // A throwing layer throws what JSON.stringify of the whole layers throws.
  assert.throws(() => venue.resolve([['tenant', { n: 1n }]]), TypeError)
})

test('provenance accessor: read once, per result, from the inputs as they were', () => {
  const venue = new SettingsSchema(load('venue_settings'))
  const layer = { ai_settings: { enabled: true } }
  const a = venue.resolve([['plan', layer]])
  const b = venue.resolve([['tenant', '{"ai_settings": {"enabled": true}}']])
  layer.ai_settings.temperature = 0.1
  assert.equal(b.provenance['/ai_settings/enabled'], 'tenant')
  assert.equal(a.provenance['/ai_settings/enabled'], 'plan')
  assert.equal(a.provenance['/ai_settings/temperature'], 'defaults')
  assert.deepStrictEqual(Object.getOwnPropertyDescriptor(a, 'provenance').enumerable, true)
  assert.ok('value' in Object.getOwnPropertyDescriptor(a, 'provenance'))
  assert.deepStrictEqual(Object.getOwnPropertyNames(a), ['value', 'provenance'])
  assert.deepStrictEqual(Object.getOwnPropertySymbols(a), [])
  // The hot path's plumbing is not part of the API.
  assert.equal(typeof SettingsSchema.prototype._handle, 'undefined')
  assert.equal(typeof SettingsSchema.prototype._shape, 'undefined')
})
