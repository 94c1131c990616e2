'use strict'
// An argument of the wrong type is a TypeError (ERR_INVALID_ARG_TYPE) that says what was expected
// and the type given, never anything of the value. napi-rs's message for a string argument that
// got an object held that object's `JSON.stringify`: a request's headers passed where a token or a
// secret belongs put the caller's `authorization` and cookies into an error that gets logged (and
// when the value held a backtick, js/type-messages.js could not reword it and passed it on). The
// stringify also ran the value's getters and `toJSON`, and a circular or very deep value threw
// `JSON.stringify`'s own error (no code) or a RangeError.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const tenantry = require('..')
const { typeMessage } = require('../js/type-messages.js')

const { ApiKeys, Webhook, audit, github, slack, stripe, SettingsSchema, PlanCatalog, RateLimit, RetryPolicy, EventFilter } = tenantry
const NOW = 1_700_000_000
const SECRET = 'tk_live_SECRET`x'

/** A value that tells whether anything read it as JSON: a secret, a backtick, a toJSON, a getter. */
function poison() {
  const seen = { toJSON: 0, getter: 0 }
  const value = {
    authorization: `Bearer ${SECRET}`,
    cookie: 'session=s3cr3t; note=`x`',
    toJSON() {
      seen.toJSON++
      return { leaked: SECRET }
    },
    get secret() {
      seen.getter++
      return SECRET
    },
  }
  return { value, seen }
}

function circular() {
  const value = { authorization: `Bearer ${SECRET}` }
  value.self = value
  return value
}

function deep(n) {
  const top = { authorization: `Bearer ${SECRET}` }
  let at = top
  for (let i = 0; i < n; i++) at = at.a = {}
  return top
}

function refusedQuietly(call, label) {
  for (const make of [() => poison(), () => ({ value: circular(), seen: {} }), () => ({ value: deep(20_000), seen: {} })]) {
    const { value, seen } = make()
    assert.throws(
      () => call(value),
      (err) => {
        assert.ok(err instanceof TypeError, `${label}: ${err}`)
        assert.equal(err.code, 'ERR_INVALID_ARG_TYPE', `${label}: ${err.message}`)
        assert.doesNotMatch(err.message, /SECRET|s3cr3t|Bearer|authorization|circular|Failed to convert/, label)
        assert.match(err.message, / must be /, label)
        return true
      },
      label,
    )
    assert.deepEqual(seen, seen.toJSON === undefined ? {} : { toJSON: 0, getter: 0 }, `${label}: the value was read`)
  }
}

const keys = new ApiKeys({ prefix: 'tk', peppers: { p1: 'x'.repeat(32) } })
const issued = keys.generate({ now: NOW })
const webhook = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
const schema = new SettingsSchema({ type: 'object', properties: { n: { type: 'integer', default: 1 } } })
const entitlements = new PlanCatalog({ free: { limits: { seats: 5 } } }).entitlements('free')

test('an object where a token, secret, id or name belongs: its type only, never its content', () => {
  const cases = {
    'ApiKeys#parse': (v) => keys.parse(v),
    'ApiKeys#hashToken': (v) => keys.hashToken(v),
    'ApiKeys#verify token': (v) => keys.verify(v, issued.record),
    'stripe.sign secret': (v) => stripe.sign('{}', v, NOW),
    'stripe.verify header': (v) => stripe.verify('{}', v, 'whsec_x'),
    'stripe.verify secret': (v) => stripe.verify('{}', 't=1,v1=00', v),
    'github.sign secret': (v) => github.sign('{}', v),
    'github.verify secret in a list': (v) => github.verify('{}', 'sha256=00', ['s', v]),
    'slack.sign secret': (v) => slack.sign('{}', v, NOW),
    'slack.verify timestamp header': (v) => slack.verify('{}', v, 'v0=00', 'sec'),
    'slack.verify secret': (v) => slack.verify('{}', String(NOW), 'v0=00', v),
    'audit.SealKey id': (v) => new audit.SealKey(v, Buffer.alloc(32)),
    'new ApiKeys prefix': (v) => new ApiKeys({ prefix: v, peppers: { p1: 'x'.repeat(32) } }),
    'new ApiKeys currentPepper': (v) => new ApiKeys({ prefix: 'tk', peppers: { p1: 'x'.repeat(32) }, currentPepper: v }),
    'new ApiKeys environments': (v) => new ApiKeys({ prefix: 'tk', peppers: { p1: 'x'.repeat(32) }, environments: ['live', v] }),
    'new RateLimit policy': (v) => new RateLimit(1, 1, { policy: v }),
    'Webhook#sign msgId': (v) => webhook.sign(v, '{}', NOW),
    'SettingsSchema#get key': (v) => schema.get({}, v),
    'SettingsSchema#applyPatch expectedEtag': (v) => schema.applyPatch({}, { n: 2 }, { expectedEtag: v }),
    'SettingsSchema#view audience': (v) => schema.view({}, v),
    'Entitlements#limit metric': (v) => entitlements.limit(v),
    'Entitlements#check metric': (v) => entitlements.check(v, 1),
    'EventFilter pattern': (v) => new EventFilter(['a.*', v]),
    'RetryPolicy#decide retryAfter': (v) => new RetryPolicy().decide(1, 503, v),
    'audit.verifyChain anchor': (v) => audit.verifyChain([], null, { anchor: v }),
    'audit.seal previousHash': (v) => audit.seal({ a: 1 }, v),
    'periodWindow kind': (v) => tenantry.periodWindow(v, null, NOW),
  }
  for (const [label, call] of Object.entries(cases)) refusedQuietly(call, label)
})

test("every call's first argument, given an object it cannot take: never the object's content", () => {
  // Each function, constructor and method of the module, with every argument an object: whatever
  // the call throws at the first argument it cannot take names no content, and has a code. (Calls that take objects may run a `toJSON`: only what they throw is looked at.)
  const instances = {
    ApiKeys: keys,
    Webhook: webhook,
    SettingsSchema: schema,
    Entitlements: entitlements,
    PlanCatalog: new PlanCatalog({ free: {} }),
    RateLimit: new RateLimit(1, 1),
    RetryPolicy: new RetryPolicy(),
    EventFilter: new EventFilter(['*']),
    IssuedKey: issued,
    RolledKey: keys.roll(issued.record, { grace: 1, now: NOW }),
    Decision: entitlements.check('seats', 1),
    RateDecision: new RateLimit(1, 1).check(null, NOW),
    'audit.SealKey': new audit.SealKey('k', Buffer.alloc(32)),
  }
  const calls = []
  const visit = (obj, prefix) => {
    for (const [name, value] of Object.entries(obj)) {
      const path = prefix + name
      if (typeof value === 'function' && /Error$/.test(name)) continue
      if (typeof value === 'function' && value.prototype && Object.getOwnPropertyNames(value.prototype).length > 1) {
        calls.push([`new ${path}`, (args) => new value(...args)])
        for (const key of Object.getOwnPropertyNames(value)) {
          if (typeof value[key] === 'function' && !['length', 'name', 'prototype'].includes(key)) calls.push([`${path}.${key}`, (args) => value[key](...args)])
        }
        assert.ok(path in instances, `no instance of ${path} to call its methods on`)
        const instance = instances[path]
        for (const key of Object.getOwnPropertyNames(value.prototype)) {
          const desc = Object.getOwnPropertyDescriptor(value.prototype, key)
          if (key !== 'constructor' && typeof desc.value === 'function') calls.push([`${path}#${key}`, (args) => instance[key](...args)])
        }
      } else if (typeof value === 'function') {
        calls.push([path, (args) => value(...args)])
      } else if (value !== null && typeof value === 'object') {
        visit(value, `${path}.`)
      }
    }
  }
  visit(tenantry, '')
  assert.ok(calls.length > 50, `only ${calls.length} calls found`)
  for (const [label, call] of calls) {
    for (const make of [() => poison().value, circular, () => deep(20_000)]) {
      let thrown
      try {
        call([make(), make(), make(), make(), make()])
      } catch (err) {
        thrown = err
      }
      if (thrown === undefined) continue
      assert.doesNotMatch(String(thrown.message), /SECRET|s3cr3t|Bearer|Failed to convert|circular structure/, `${label}: ${thrown.message}`)
      // (A TypeError, or one of the package's errors: each with its code.)
      assert.equal(typeof thrown.code, 'string', `${label}: ${thrown.message}`)
      assert.ok(!(thrown instanceof RangeError), `${label}: ${thrown.message}`)
    }
  }
})

test("napi-rs's conversion messages are never passed on, however they are worded", () => {
  // The value between the backticks holds backticks, ' on X.y' and a 'rust type' of its own.
  const leaky = 'Failed to convert JavaScript value `Object {"a":"` into rust type `SECRET` on Foo.bar"}` into rust type `String`'
  assert.equal(typeMessage(leaky, 'f'), 'f: an argument must be a string, not object')
  assert.equal(typeMessage(`${leaky} on ApiKeysOptions.prefix`, 'f'), 'f: options.prefix must be a string, not object')
  assert.equal(typeMessage('Failed to convert JavaScript value `Object {"a":"SECRET"} and then some', 'f'), 'f: an argument has the wrong type (object)')
  assert.equal(typeMessage('Failed to convert something else: SECRET'), 'an argument has the wrong type')
  // Without the call's name (hot paths adopt errors without one).
  assert.equal(typeMessage('Failed to convert napi value Object into rust type `String`'), 'an argument must be a string, not object')
})
