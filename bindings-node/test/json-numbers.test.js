'use strict'
// Integers JSON data may hold (tenantry::json_tree::exact_integer): every integer up to 2^53,
// and beyond, only the spelling RFC 8785 and JavaScript write for a double (2^60 is
// 1152921504606847000). JSON text holding any other is refused (`input.invalid_json`): read, it
// would be a different number from the one written. A JS number is a double, so what
// JSON.stringify writes for it is always taken. bindings-python/tests/test_json_numbers.py holds
// the same table of text calls.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { audit, SettingsSchema, PlanCatalog, buildEvent, mergePatch, InvalidInputError } = require('..')

const ACTOR = { type: 'user', id: 'u1' }
const free = new SettingsSchema({ type: 'object' })
// Past 64 bits too (serde_json reads those as doubles: 18446744073709551617 was 2^64 unseen).
const REFUSED = ['9007199254740993', '-9007199254740993', '1152921504606846976', '1152921504606846977', '9223372036854775807', '18446744073709551615',
  '18446744073709551617', '-18446744073709551617', '1' + '0'.repeat(40)]
const TAKEN = ['9007199254740992', '-9007199254740992', '1152921504606847000', '9223372036854776000', '1e300', '18446744073709552000', '100000000000000000000', '1.8446744073709551617e19']
const document = (n) => `{"x": ${n}}`

const TEXT_CALLS = [
  ['audit.seal', (t) => audit.seal(t, null)],
  ['audit.verifyChain', (t) => audit.verifyChain(`[${t}]`)],
  ['audit.toJsonl', (t) => audit.toJsonl(`[${t}]`)],
  ['audit.build metadata', (t) => audit.build({ action: 'a.b', actor: ACTOR, metadata: t })],
  ['new SettingsSchema', (t) => new SettingsSchema(`{"type": "object", "default": ${t}}`)],
  ['SettingsSchema.validate', (t) => free.validate(t)],
  ['SettingsSchema.etag', (t) => free.etag(t)],
  ['SettingsSchema.resolve', (t) => free.resolve([['tenant', t]])],
  ['SettingsSchema.applyPatch', (t) => free.applyPatch('{}', t)],
  ['buildEvent', (t) => buildEvent('a.b', t, 0)],
  ['buildEvent (bytes)', (t) => buildEvent('a.b', Buffer.from(t), 0)],
  ['new PlanCatalog', (t) => new PlanCatalog(`{"free": {"limits": ${t}}}`)],
]

for (const [name, call] of TEXT_CALLS) {
  test(`${name}: JSON text holding an integer RFC 8785 writes otherwise is refused`, () => {
    for (const n of REFUSED) {
      assert.throws(
        () => call(document(n)),
        (err) => err instanceof InvalidInputError && err.code === 'input.invalid_json' &&
          err.message.startsWith(`invalid JSON text: integer ${n} is not exact as a JSON number`),
        n,
      )
    }
    // Every call reads JSON text through one reader, so the message ends with the number's place,
    // and a number in a value that a repeated name overwrites is refused too (as in Python).
    assert.throws(
      () => call(`{"x": [\n ${REFUSED[4]}], "x": 1}`),
      (err) => err instanceof InvalidInputError && err.code === 'input.invalid_json' && / at line 2 column 20$/.test(err.message),
    )
    for (const n of TAKEN) {
      try {
        call(document(n))
      } catch (err) {
        // Read as written (a catalog may still find 1e300 too large for a limit).
        assert.notEqual(err.code, 'input.invalid_json', `${n}: ${err}`)
      }
    }
  })
}

test('JS numbers beyond 2^53 are doubles: JSON.stringify writes them in the one spelling taken', () => {
  const record = audit.seal({ id: 2 ** 60, big: 2 ** 63, neg: -(2 ** 60) }, null)
  assert.equal(audit.canonicalJson(record.id), '1152921504606847000')
  assert.ok(audit.verifyChain([record]).ok)
  assert.ok(audit.verifyChain(JSON.stringify([record])).ok)
  assert.equal(free.etag({ x: 2 ** 63 }), free.etag('{"x": 9223372036854776000}'))
  assert.ok(buildEvent('a.b', { x: 2 ** 60 }, 0).toString().includes('"x":1152921504606847000'))
})

test('numbers past 2^53 come back as JS numbers from every settings call, never BigInts', () => {
  // Through napi-rs's value conversion mergePatch, get and the schema getter gave BigInts, which
  // JSON.stringify (and so applyPatch with the answer) refuses.
  const schema = new SettingsSchema({ type: 'object', properties: { k: { default: 2 ** 60 } } })
  const answers = [
    mergePatch({}, { a: 2 ** 60 }).a,
    schema.get('{"k": 1152921504606847000}', 'k'),
    schema.get({}, 'k'),
    schema.schema.properties.k.default,
    schema.defaults().k,
  ]
  for (const answer of answers) assert.equal(answer, 2 ** 60)
  assert.doesNotThrow(() => schema.applyPatch({}, { k: schema.get({}, 'k') }))
})
