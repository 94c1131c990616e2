'use strict'
// Every hot path keeps its object's native handle on the object, or beside it when the caller froze
// the object before its first use: frozen (and sealed) tenantry objects work like any other.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const tenantry = require('..')
const { ApiKeys, SettingsSchema, Webhook, audit } = tenantry

const NOW = 1_700_000_000

for (const seal of [Object.freeze, Object.seal, Object.preventExtensions]) {
  test(`hot paths serve objects after ${seal.name}`, () => {
    const keys = seal(new ApiKeys({ prefix: 'tk', peppers: { p1: Buffer.alloc(32, 'k') } }))
    const issued = keys.generate({ now: NOW })
    for (let i = 0; i < 2; i++) assert.equal(keys.verify(issued.token, issued.record, { now: NOW }).valid, true)

    const schema = seal(new SettingsSchema({ type: 'object', properties: { seats: { type: 'integer', default: 5 } } }))
    for (let i = 0; i < 2; i++) assert.deepEqual(schema.resolve([['tenant', { seats: 7 }]]).value, { seats: 7 })

    const webhook = seal(new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'))
    const payload = Buffer.from('{"a":1}')
    const headers = webhook.sign('msg_1', payload, NOW)
    for (let i = 0; i < 2; i++) webhook.verify(payload, headers, { now: NOW })

    const key = seal(new audit.SealKey('k1', Buffer.alloc(32, 's')))
    const fields = { action: 'user.login', actor: { type: 'user', id: 'u_1' }, occurredAt: NOW }
    const first = audit.buildSealed(fields, null, key)
    const second = audit.buildSealed(fields, first.hash, key)
    assert.equal(audit.verifyChain([first, second], key).ok, true)
  })
}
