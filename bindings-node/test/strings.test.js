'use strict'
// A JS string may hold a lone surrogate; no UTF-8 text can. Where a document, an audit option or a
// record crosses as JSON text, `JSON.stringify` writes one as a `\uXXXX` escape, which the addon
// refuses (input.invalid_json) with a message that names the surrogate, not serde_json's own words
// for it ("unexpected end of hex escape"). Escaped pairs and escaped backslashes are not lone
// surrogates, and other errors near them keep their own message.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { audit, InvalidInputError } = require('..')

const ACTOR = { type: 'user', id: 'u_1' }
const BAD = 'ok \udc80 rest'
const LONE = /^invalid JSON text: a string holds a lone surrogate \(\\udc80\), which no UTF-8 text can hold \(text must be valid Unicode\) at line \d+ column \d+$/

function refused(fn, message = LONE) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof InvalidInputError, String(err))
    assert.equal(err.code, 'input.invalid_json')
    assert.match(err.message, message)
    return true
  })
}

test('audit options, records and chains holding a lone surrogate are refused, and say why', () => {
  refused(() => audit.build({ action: 'x.done', actor: { type: 'user', id: BAD } }))
  refused(() => audit.build({ action: 'x.done', actor: ACTOR, metadata: { [BAD]: 1 } }))
  refused(() => audit.buildSealed({ action: 'x.done', actor: ACTOR, before: {}, after: { a: BAD } }, null))
  refused(() => audit.canonicalJson({ a: [BAD] }))
  refused(() => audit.canonicalJson(BAD))
  refused(() => audit.seal({ action: BAD }, null))
  refused(() => audit.verifyChain([{ action: BAD }]))
  // The caller's own text: the position is in that text.
  refused(() => audit.seal('{\n  "a": "\\udc80"\n}', null), /a lone surrogate \(\\udc80\).* at line 2 column 14$/)
  refused(() => audit.seal('{"a":"\\ud83d\\u0041"}', null), /a lone surrogate \(\\ud83d\)/)
  refused(() => audit.seal('{"a":"\\ude00\\ud83d"}', null), /a lone surrogate \(\\ude00\)/)
})

test('escaped pairs and escaped backslashes are not lone surrogates', () => {
  assert.equal(audit.seal('{"a":"\\ud83d\\ude00"}', null).a, '😀')
  assert.equal(audit.build({ action: 'x.done', actor: { type: 'user', id: '\\ud800' } }).actor.id, '\\ud800')
  // Another error just after them keeps serde_json's message.
  refused(() => audit.seal('{"a":"\\ud83d\\ude00" x}', null), /^invalid JSON text: expected `,` or `}` at line 1 column 21$/)
  refused(() => audit.seal('{"a":"\\\\ud800" x}', null), /^invalid JSON text: expected `,` or `}` at line 1 column 16$/)
})

test('other string arguments read a lone surrogate as Buffer.from does (U+FFFD), as README says', () => {
  const { Webhook, stripe } = require('..')
  const wh = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
  const signed = wh.sign('msg_1', BAD, 1_700_000_000)
  assert.deepStrictEqual(signed, wh.sign('msg_1', Buffer.from(BAD), 1_700_000_000))
  assert.deepStrictEqual(signed, wh.sign('msg_1', 'ok \ufffd rest', 1_700_000_000))
  assert.equal(stripe.sign(BAD, 'whsec_x', 1_700_000_000), stripe.sign(Buffer.from(BAD), 'whsec_x', 1_700_000_000))
})
