'use strict'
// The check of JSON data (js/json-data.js) honours `toJSON` wherever JSON.stringify does, on arrays
// too: an array with a `toJSON` of its own or from its prototype is written as toJSON's answer, so
// that answer is what is checked. The fast path looked at arrays' members only, and
// `Object.assign([], { toJSON: () => NaN })` was written as null: as a plan limit, unlimited; in a
// merge patch, a deletion; in an audit record, a value that never was; a Map became {}.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const tenantry = require('..')

const { audit, PlanCatalog, SettingsSchema, mergePatch, buildEvent } = tenantry
const ACTOR = { type: 'user', id: 'u1' }
const schema = new SettingsSchema({ type: 'object', properties: { seats: { type: 'integer', default: 5 } } })

// Each call that takes data to store or enforce, with `x` in a place of its data.
const WRITES = {
  'SettingsSchema#applyPatch': (x) => schema.applyPatch({ seats: 9 }, { seats: x }),
  'SettingsSchema#set': (x) => schema.set({ seats: 9 }, 'seats', x),
  'SettingsSchema#migrate': (x) => schema.migrate({ seats: x }),
  mergePatch: (x) => mergePatch({ seats: 9 }, { seats: x }),
  'new PlanCatalog': (x) => new PlanCatalog({ p: { limits: { seats: x } } }),
  'PlanCatalog#entitlements overrides': (x) => new PlanCatalog({ p: { limits: { seats: 5 } } }).entitlements('p', { overrides: { limits: { seats: x } } }),
  'audit.build after': (x) => audit.build({ action: 'a.b', actor: ACTOR, before: { x: 1 }, after: { x } }),
  'audit.build metadata': (x) => audit.build({ action: 'a.b', actor: ACTOR, metadata: { x } }),
  'audit.buildSealed before': (x) => audit.buildSealed({ action: 'a.b', actor: ACTOR, before: { x }, after: {} }, null),
  'audit.seal': (x) => audit.seal({ x }, null),
  'audit.canonicalJson': (x) => audit.canonicalJson({ x }),
  buildEvent: (x) => buildEvent('a.b', { x }, 0),
}

function notJsonData(found) {
  return (err) => err instanceof TypeError && err.code === 'ERR_INVALID_ARG_TYPE' && err.message.includes(`is not JSON data: ${found}`)
}

test("an array's own toJSON is checked as JSON.stringify would write it", () => {
  for (const [name, call] of Object.entries(WRITES)) {
    assert.throws(() => call(Object.assign([1], { toJSON: () => NaN })), notJsonData('NaN'), name)
    assert.throws(() => call(Object.assign([], { toJSON: () => new Map([[1, 2]]) })), notJsonData('a Map or Set'), name)
    assert.throws(() => call(Object.assign([], { toJSON: () => [1, Infinity] })), notJsonData('Infinity'), name)
  }
})

test("a toJSON from an array's prototype (a subclass) is checked too, and honoured when it is data", () => {
  class Limit extends Array {
    toJSON() {
      return this.length === 0 ? NaN : this[0]
    }
  }
  for (const [name, call] of Object.entries(WRITES)) assert.throws(() => call(new Limit()), notJsonData('NaN'), name)
  // Honoured: the answer is what is stored.
  assert.equal(new PlanCatalog({ p: { limits: { seats: Limit.of(7) } } }).entitlements('p').limit('seats'), 7)
  assert.deepEqual(mergePatch({ seats: 9 }, { seats: Limit.of(3) }), { seats: 3 })
  assert.equal(audit.build({ action: 'a.b', actor: ACTOR, before: { x: 1 }, after: { x: Limit.of(2) } }).changes[0].after, 2)
})

test('a plan limit given as such an array is never unlimited', () => {
  const sneaky = Object.assign([], { toJSON: () => NaN })
  assert.throws(() => new PlanCatalog({ p: { limits: { seats: sneaky } } }), TypeError)
  assert.throws(() => new PlanCatalog({ p: { limits: { seats: 5 } } }).entitlements('p', { overrides: { limits: { seats: sneaky } } }), TypeError)
})
