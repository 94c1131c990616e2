'use strict'
// How deep JSON data may nest (tenantry::json_tree::MAX_DEPTH, 100 levels): every call that takes
// data refuses a value deeper than that, or one that contains itself, with the core's
// `InvalidInputError` (`input.invalid`), where JSON.stringify threw a RangeError or its own
// "circular structure" TypeError, and the addon's text parser refused some depths Python takes.
// The depths below are Python's too (bindings-python/tests/test_json_depth.py holds the same table).

const { test } = require('node:test')
const assert = require('node:assert/strict')
const tenantry = require('..')
const { audit, SettingsSchema, PlanCatalog, mergePatch, buildEvent, InvalidInputError } = tenantry

const MESSAGE = 'value nests deeper than 100 levels, or contains itself (a circular reference)'
const ACTOR = { type: 'user', id: 'u1' }
const free = new SettingsSchema({ type: 'object' }, { maxDepth: 1000 })

/** The number 1 inside `n` nested arrays: a value whose deepest part lies `n` levels down. */
function nest(n) {
  let value = 1
  for (let i = 0; i < n; i++) value = [value]
  return value
}

// [call, deepest `n` whose `nest(n)` the call takes]: `x` goes one level into a document (two
// into a list of records), so most calls take 99.
const CALLS = [
  ['audit.build before', (x) => audit.build({ action: 'a.b', actor: ACTOR, before: { x }, after: {} }), 99],
  ['audit.build metadata', (x) => audit.build({ action: 'a.b', actor: ACTOR, metadata: { x } }), 99],
  ['audit.build changes', (x) => audit.build({ action: 'a.b', actor: ACTOR, changes: [{ path: '/a', before: x }] }), 98],
  ['audit.buildSealed', (x) => audit.buildSealed({ action: 'a.b', actor: ACTOR, before: { x }, after: {} }, null), 99],
  ['audit.canonicalJson', (x) => audit.canonicalJson(x), 100],
  ['audit.seal', (x) => audit.seal({ x }, null), 99],
  ['audit.verifyChain', (x) => audit.verifyChain([{ x }]), 98],
  ['audit.toCsv', (x) => audit.toCsv([{ x }]), 98],
  ['audit.toJsonl', (x) => audit.toJsonl([{ x }]), 98],
  ['audit.toOcsf', (x) => audit.toOcsf({ x }), 99],
  ['audit.summarize', (x) => audit.summarize([{ x }]), 98],
  ['new SettingsSchema', (x) => new SettingsSchema({ type: 'object', default: { x } }), 98],
  ['SettingsSchema.validate', (x) => free.validate({ x }), 99],
  ['SettingsSchema.etag', (x) => free.etag({ x }), 99],
  ['SettingsSchema.view', (x) => free.view({ x }), 99],
  ['SettingsSchema.entries', (x) => free.entries({ x }), 99],
  ['SettingsSchema.get', (x) => free.get({ x }, 'x'), 99],
  ['SettingsSchema.resolve (pairs)', (x) => free.resolve([['tenant', { x }]]), 99],
  ['SettingsSchema.resolve (object)', (x) => free.resolve({ tenant: { x } }), 99],
  ['SettingsSchema.applyPatch', (x) => free.applyPatch({}, { x }), 99],
  ['SettingsSchema.set', (x) => free.set({}, 'x', x), 100],
  ['SettingsSchema.migrate', (x) => free.migrate({ x }), 99],
  ['mergePatch', (x) => mergePatch({}, { x }), 99],
  ['buildEvent', (x) => buildEvent('a.b', { x }, 0), 99],
  ['new PlanCatalog', (x) => new PlanCatalog({ x }), 99],
  ['PlanCatalog.entitlements overrides', (x) => catalog().entitlements('free', { overrides: { x } }), 99],
]

function catalog() {
  return new PlanCatalog({ free: { limits: { seats: 1 } } })
}

function isTooDeep(err) {
  return err instanceof InvalidInputError && err.code === 'input.invalid' && err.message === MESSAGE
}

function depthOutcome(call, value) {
  try {
    call(value)
  } catch (err) {
    if (isTooDeep(err)) return 'too deep'
  }
  return 'taken'
}

test('data nested to the limit is taken, one level more is the core error, in every call', () => {
  for (const [name, call, deepest] of CALLS) {
    assert.equal(depthOutcome(call, nest(deepest)), 'taken', `${name} at ${deepest}`)
    assert.equal(depthOutcome(call, nest(deepest + 1)), 'too deep', `${name} at ${deepest + 1}`)
  }
})

test('data that contains itself, or nests thousands deep, is the same error (not a RangeError)', () => {
  const cyclic = { a: 1 }
  cyclic.self = cyclic
  const list = [1]
  list.push(list)
  for (const [name, call] of CALLS) {
    for (const value of [cyclic, list, nest(10_000)]) assert.throws(() => call(value), isTooDeep, name)
  }
})

test('JSON text is held by its parser instead: 127 nested containers', () => {
  const text = (n) => '['.repeat(n) + ']'.repeat(n)
  assert.equal(audit.canonicalJson(JSON.parse(text(101))), text(101))
  assert.doesNotThrow(() => mergePatch({}, `{"x": ${text(120)}}`))
  assert.throws(() => audit.verifyChain(text(128)), (err) => err instanceof InvalidInputError && err.code === 'input.invalid_json')
})

test("an array's toJSON answer is held to the same depth (it was never looked at)", () => {
  // JSON.stringify writes the answer in the array's place: 150 levels of it reached the addon's
  // text parser, which refused it as a TypeError ("recursion limit exceeded").
  class Deep extends Array {
    toJSON() {
      return nest(150)
    }
  }
  for (const [name, call] of CALLS) {
    for (const value of [Object.assign([1], { toJSON: () => nest(150) }), Deep.from([1])]) {
      assert.throws(() => call(value), isTooDeep, name)
    }
  }
})

test("audit.build's other options are held to the same limit: an actor, a target, a time or a name nested too deep or containing itself", () => {
  // They cross in the same JSON.stringify as the documents: it threw its own "circular structure"
  // TypeError (no code) or a RangeError, and 200 levels reached the addon's text parser.
  const cyclic = { type: 'user', id: 'u1' }
  cyclic.self = cyclic
  const options = [
    ['actor', (x) => ({ actor: { type: 'user', id: 'u1', x } })],
    ['target', (x) => ({ actor: ACTOR, target: { type: 'doc', id: 'd1', x } })],
    ['occurredAt', (x) => ({ actor: ACTOR, occurredAt: { x } })],
    ['reason', (x) => ({ actor: ACTOR, reason: { x } })],
    ['sensitivePaths', (x) => ({ actor: ACTOR, sensitivePaths: [x] })],
    ['requestId', (x) => ({ actor: ACTOR, requestId: [x] })],
  ]
  for (const [name, make] of options) {
    for (const x of [cyclic, nest(200), nest(10_000)]) {
      for (const build of [audit.build, (o) => audit.buildSealed(o, null)]) {
        assert.throws(() => build({ action: 'a.b', ...make(x) }), isTooDeep, name)
      }
    }
  }
  const actor = { type: 'user', id: 'u1' }
  actor.self = actor
  assert.throws(() => audit.build({ action: 'a.b', actor }), isTooDeep)
})
