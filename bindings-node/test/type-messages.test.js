'use strict'
// Arguments of the wrong type: napi-rs's messages, which speak Rust, are said in JS terms and name
// the call (js/type-messages.js). The calls below would otherwise say, e.g., "Failed to convert
// napi value String into rust type `f64`"; if napi-rs rewords its messages, these tests fail.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const tenantry = require('..')
const { typeMessage } = require('../js/type-messages.js')

const { ApiKeys, EventFilter, RateLimit, RetryPolicy, SettingsSchema, audit, crossed, github, periodWindow, stripe } = tenantry

test('each form of napi-rs message, said in JS terms', () => {
  const cases = [
    ['Failed to convert napi value String into rust type `f64`', 'new RateLimit: an argument must be a number, not string'],
    ['Failed to convert JavaScript value `Number 5 ` into rust type `String`', 'new RateLimit: an argument must be a string, not number'],
    ['Failed to convert JavaScript value `Object {}` into rust type `String` on ApiKeysOptions.prefix', 'new RateLimit: options.prefix must be a string, not object'],
    ['Value is none of these types `TypedArray<u8>`, `String`, ', 'new RateLimit: an argument must be a Uint8Array or a string'],
    ['Value is none of these types `&tenantry_node::audit::SealKey`, `Array<T>`, ', 'new RateLimit: an argument must be a SealKey or an array'],
    ['Value is none of these types `f64`, `Date`,  on RollKeyOptions.now', 'new RateLimit: options.now must be a number or a Date'],
    ['Failed to get Array length on RetryPolicyOptions.schedule', 'new RateLimit: options.schedule must be an array'],
    ['Failed to convert napi value Null into rust type `u32` on KeyRecord.createdAt', 'new RateLimit: keyRecord.createdAt must be a number, not null'],
  ]
  for (const [message, said] of cases) assert.equal(typeMessage(message, 'new RateLimit'), said, message)
  assert.equal(typeMessage('something else', 'x'), undefined)
})

test('calls with an argument of the wrong type name the call and the JS types', () => {
  const cases = [
    [() => new RateLimit('60', 60), 'new RateLimit: an argument must be a number, not string'],
    [() => crossed('a', 1, 1), 'crossed: an argument must be a number, not string'],
    [() => periodWindow(5), 'periodWindow: an argument must be a string, not number'],
    [() => new EventFilter('a.*'), 'new EventFilter: an argument must be an array'],
    [() => stripe.sign({}, 'whsec_x'), 'stripe.sign: an argument must be a Uint8Array or a string'],
    [() => github.verify('{}', 'sha256=00', 5), 'github.verify: an argument must be a string or an array'],
    [() => new audit.SealKey('k', 5), 'new audit.SealKey: an argument must be a Uint8Array or a string'],
    [() => new ApiKeys({ prefix: 5, peppers: {} }), 'new ApiKeys: options.prefix must be a string, not number'],
    [() => new RetryPolicy({ schedule: 'x' }), 'new RetryPolicy: options.schedule must be an array'],
    [() => new RetryPolicy().decide('x', 500), 'RetryPolicy.prototype.decide: an argument must be a number, not string'],
    [() => new SettingsSchema({ type: 'object' }, { maxBytes: 'x' }), 'new SettingsSchema: options.maxBytes must be a number, not string'],
  ]
  for (const [call, message] of cases) {
    assert.throws(call, (err) => {
      assert.ok(err instanceof TypeError)
      assert.equal(err.code, 'ERR_INVALID_ARG_TYPE')
      assert.equal(err.message, message)
      return true
    })
  }
})
