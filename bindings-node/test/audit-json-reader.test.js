'use strict'
// The compact JSON reader (`json_tree` in src/convert.rs) reads the text `JSON.stringify` writes
// (no whitespace) itself and hands anything else to serde_json. These tests give the same data
// both ways (compact through the options object or a record's JSON text; spaced JSON text, which
// serde_json reads) and require the same records, hashes and errors: member order included.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { audit, TenantryError } = require('..')
const { mulberry32 } = require('./helpers.js')

const KEY = new audit.SealKey('k1', Buffer.from('json-reader-seal-key-0123456789ab'))
const BASE = { action: 'setting.updated', actor: { type: 'user', id: 'u_1' }, id: 'r_1', occurredAt: 1_700_000_000 }

// The outcome of `fn`: its result's JSON text (member order counts), or the error's class, code
// and message.
function outcome(fn) {
  try {
    return { ok: JSON.stringify(fn()) }
  } catch (err) {
    assert.ok(err instanceof TenantryError, `not a TenantryError: ${err}`)
    return { name: err.name, code: err.code, message: err.message }
  }
}

// `before` / `after` as data (compact text, read by the compact reader) and as spaced JSON text
// (read by serde_json): the same record, or the same error (its message may differ only in the
// position it gives in the text).
function sameBothWays(before, after, extra = {}, label = '') {
  const asData = { ...BASE, ...extra }
  const asText = { ...BASE, ...extra }
  if (before !== undefined) {
    asData.before = before
    asText.before = JSON.stringify(before, null, 1)
  }
  if (after !== undefined) {
    asData.after = after
    asText.after = JSON.stringify(after, null, 1)
  }
  const compact = outcome(() => audit.buildSealed(asData, null, KEY))
  const spaced = outcome(() => audit.buildSealed(asText, null, KEY))
  const error = (o) => (o.ok === undefined ? { name: o.name, code: o.code, message: o.message.replace(/ at line \d+ column \d+$/, '') } : o)
  assert.deepStrictEqual(error(compact), error(spaced), label)
  return compact
}

const STRINGS = [
  '',
  'plain',
  'quote " backslash \\ slash /',
  'controls \b\f\n\r\t \u0000 \u0001 \u001f \u007f',
  'non-ASCII é ß ü ñ 中文 русский',
  'surrogate pair 😀 𝄞 and more 👩‍👩‍👧',
  '\u2028\u2029 separators',
  '"',
  '\\',
  'ends with escape \n',
]

const NUMBERS = [
  0, -0, 1, -1, 7, 42, 1.5, -2.25, 0.1 + 0.2, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, -1.7976931348623157e308,
  2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, -(2 ** 63), 1e19, 9007199254740993, 123456789012345680000, 1234567890123456789,
]

test('strings: escapes, controls, non-ASCII and surrogate pairs, in values and names', () => {
  for (const s of STRINGS) {
    const r = JSON.parse(sameBothWays({ v: 'x', [s]: s }, { v: s, [s]: 'y', [`${s}2`]: [s] }, {}, s).ok)
    assert.deepStrictEqual(r.changes.find((c) => c.path === '/v'), { path: '/v', before: 'x', after: s })
  }
})

test('strings in the other options: action, ids, metadata, reasons, targets', () => {
  for (const s of STRINGS) {
    const extra = { tenantId: `t ${s}`, requestId: `r ${s}`, reason: `why ${s}`, metadata: { [s]: s, n: [s, { s }] }, target: { type: 't', id: s || 'x', name: `n ${s}` } }
    sameBothWays({ a: 1 }, { a: 2 }, extra, s)
    // The text of each option, read by the compact reader, comes back unchanged (names with
    // control characters are refused, as the test above checks both ways).
    if (/[\u0000-\u001f\u007f-\u009f]/.test(s)) continue
    const record = audit.build({ ...BASE, ...extra })
    assert.deepStrictEqual([record.reason, record.target.id, record.metadata[s]], [`why ${s}`, s || 'x', s])
  }
})

test('lone surrogates: input.invalid as data, input.invalid_json escaped in text, as in Python', () => {
  for (const s of ['\ud800', 'a\udfffb', '\udc00\ud800']) {
    for (const after of [{ v: s }, { [s]: 1 }]) {
      const asData = outcome(() => audit.buildSealed({ ...BASE, before: { v: 'x' }, after }, null, KEY))
      assert.equal(asData.code, 'input.invalid', JSON.stringify(s))
      assert.match(asData.message, /^str holds a lone surrogate/)
      const asText = outcome(() => audit.buildSealed({ ...BASE, before: { v: 'x' }, after: JSON.stringify(after, null, 1) }, null, KEY))
      assert.equal(asText.code, 'input.invalid_json', JSON.stringify(s))
      assert.match(asText.message, /^invalid JSON text: a string holds a lone surrogate/)
    }
  }
})

test('strings: a quote, backslash, control or non-ASCII character at every place of the first 24 bytes', () => {
  // The compact reader scans strings eight bytes at a time: each special character is tried at
  // each offset in and across those chunks, in names and values, against serde_json's reading.
  for (const special of ['"', '\\', '\n', '\u0001', '\u001f', ' ', '\u007f', 'é', '😀', '\u2028']) {
    for (let len = 1; len <= 24; len++) {
      for (let at = 0; at < len; at++) {
        const s = 'a'.repeat(at) + special + 'b'.repeat(len - at - 1)
        const r = sameBothWays({ v: 'x', k: 1 }, { v: s, k: 1, [s]: at }, {}, JSON.stringify(s))
        const changes = JSON.parse(r.ok).changes
        assert.deepStrictEqual(changes.find((c) => c.path === '/v'), { path: '/v', before: 'x', after: s })
        assert.equal(changes.length, 2)
      }
    }
  }
})

test('options JSON.stringify writes cannot repeat a name (read without looking for repeats)', () => {
  // A Proxy's ownKeys trap may not return a key twice: JSON.stringify throws before the addon runs.
  const options = new Proxy({ ...BASE }, { ownKeys: () => ['action', 'action', 'actor'] })
  assert.throws(() => audit.buildSealed(options, null, KEY), TypeError)
  assert.throws(() => audit.build(options), TypeError)
  // Names that only look alike stay apart.
  const r = audit.build({ ...BASE, before: { a: 1, 'a ': 1, A: 1, '\u0061': 1 }, after: { a: 2, 'a ': 3, A: 4 } })
  assert.deepStrictEqual(r.changes.map((c) => c.path), ['/A', '/a', '/a '])
})

test('numbers: integers, floats, extremes, negative zero', () => {
  for (const n of NUMBERS) {
    const r = JSON.parse(sameBothWays({ n: 'x' }, { n, list: [n, -n], o: { n } }, {}, String(n)).ok)
    assert.equal(r.changes.find((c) => c.path === '/n').after, JSON.parse(JSON.stringify(n)))
  }
  // Non-finite numbers, which JSON.stringify would turn into null, are refused (as in Python).
  assert.throws(() => audit.buildSealed({ ...BASE, before: { n: 1 }, after: { n: NaN } }, null, KEY), {
    name: 'TypeError',
    message: 'options.after is not JSON data: NaN at /n',
  })
})

test('nested values: masked members inside objects and arrays keep their order', () => {
  const before = { smtp: { host: 'a', password: 'p1', z: 1, a: 2 }, list: [{ token: 't', keep: 1 }, 'x'] }
  const after = { smtp: { host: 'b', password: 'p2', z: 1, a: 3, nested: { api_key: 'k', ok: true } }, list: [{ token: 'u', keep: 2 }] }
  const r = JSON.parse(sameBothWays(before, after).ok)
  assert.equal(JSON.stringify(r.changes.find((c) => c.path === '/list').after), '[{"token":"***","keep":2}]')
  assert.equal(JSON.stringify(r.changes.find((c) => c.path === '/smtp/nested').after), '{"api_key":"***","ok":true}')
  sameBothWays(before, after, { sensitivePaths: ['/smtp/host', '/list'] })
})

test('missing, null and non-object documents', () => {
  sameBothWays(undefined, { a: 1 })
  sameBothWays({ a: 1 }, undefined)
  sameBothWays(undefined, undefined)
  sameBothWays([1, 2], [1, 3])
  sameBothWays(1, { a: 1 })
  sameBothWays({}, { '': { '': [] } })
})

test('deep nesting: the compact reader hands deep texts to serde_json, same results and errors', () => {
  const deep = (n) => {
    let v = 'leaf'
    for (let i = 0; i < n; i++) v = i % 2 ? { k: v } : [v]
    return v
  }
  for (const n of [10, 95, 99, 100, 101, 110, 125, 126, 127, 128, 200]) {
    const records = [{ ...audit.build(BASE), metadata: { d: deep(n) } }]
    const compact = outcome(() => audit.verifyChain(JSON.stringify(records)))
    const spaced = outcome(() => audit.verifyChain(JSON.stringify(records, null, 1)))
    assert.equal(compact.code, spaced.code, `depth ${n}`)
    assert.equal(compact.ok, spaced.ok, `depth ${n}`)
    assert.equal(compact.code === undefined, n < 125, `depth ${n}: ${compact.message}`)
  }
  // Documents nested deeper than the compact reader goes (it counts from the options, one level
  // above the document; data itself may nest 100 levels): the same records.
  for (const n of [98, 99]) sameBothWays({ d: 1 }, { d: deep(n) }, {}, `depth ${n}`)
})

test('given changes and metadata, as data and as JSON text', () => {
  const changes = [
    { path: '/a', before: 'x "q"', after: 'é😀' },
    { path: '/secret', before: 1, after: { b: [1.5, null, true] } },
    { path: '/n', after: 2 ** 64 },
  ]
  const metadata = { z: 1, a: { password: 'p', list: ['\n', 5e-324] }, 'é': '😀' }
  const asData = outcome(() => audit.build({ ...BASE, changes, metadata }))
  const asText = outcome(() =>
    audit.build({ ...BASE, changes: JSON.stringify(changes, null, 1), metadata: JSON.stringify(metadata, null, 1) }),
  )
  assert.deepStrictEqual(asData, asText)
  assert.ok(asData.ok)
})

test('random documents: the same records both ways', () => {
  const rand = mulberry32(6)
  const pick = (list) => list[Math.floor(rand() * list.length)]
  const value = (depth) => {
    const r = rand()
    if (depth > 3 || r < 0.3) return pick(STRINGS)
    if (r < 0.5) return pick(NUMBERS)
    if (r < 0.6) return pick([true, false, null])
    if (r < 0.8) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1))
    const o = {}
    for (let i = Math.floor(rand() * 5); i > 0; i--) o[pick([...STRINGS, 'password', 'token', 'a', 'b'])] = value(depth + 1)
    return o
  }
  for (let i = 0; i < 200; i++) {
    const doc = () => {
      const o = {}
      for (let k = Math.floor(rand() * 8); k > 0; k--) o[pick(['a', 'b', 'c', 'é', '😀', 'x"y', 'api_key'])] = value(0)
      return o
    }
    sameBothWays(doc(), doc(), rand() < 0.3 ? { metadata: doc() } : {}, `case ${i}`)
  }
})

test('record JSON text: the same seal compact and spaced, repeated names included', () => {
  const record = audit.build({ ...BASE, before: { a: 'é "x"', n: 1.5 }, after: { a: '😀', n: 2 ** 64 }, metadata: { k: ['\u0001'] } })
  const compact = JSON.stringify(record)
  const spaced = JSON.stringify(record, null, 2)
  assert.deepStrictEqual(audit.seal(compact, null, KEY), audit.seal(spaced, null, KEY))
  // A repeated name: the last value wins, in the first one's place, both ways.
  const twice = compact.replace('"tenant_id":null', '"tenant_id":"t_0","tenant_id":null')
  assert.notEqual(twice, compact)
  assert.equal(audit.seal(twice, null, KEY).hash, audit.seal(compact, null, KEY).hash)
  // ... in nested objects too, and with the repeats first in the text or far apart.
  const nested = compact.replace('"changes":[{"path":"/a",', '"changes":[{"path":"/zz","path":"/a",')
  assert.notEqual(nested, compact)
  assert.equal(audit.seal(nested, null, KEY).hash, audit.seal(compact, null, KEY).hash)
  const first = compact.replace('{"id":', '{"action":"user.login","id":')
  assert.notEqual(first, compact)
  assert.equal(audit.seal(first, null, KEY).hash, audit.seal(compact, null, KEY).hash)
  // A record object's own JSON (read without looking for repeats) seals as its text does.
  assert.deepStrictEqual(audit.seal({ ...record }, null, KEY), { ...record, ...sealMembers(audit.seal(compact, null, KEY)) })
  assert.equal(audit.seal(twice.replace(/,"/g, ', "'), null, KEY).hash, audit.seal(compact, null, KEY).hash)
  // Invalid texts: the same error, compact or not.
  for (const bad of ['{"a":}', '{"a":1,}', '{"a" :1', '{"a":01}', '{"a":1.}', '{"a":-}', '{"a":tru}', '{"a":"\u0001"}', '{"a":"\\x"}', '{"a":1}x', '']) {
    const errors = [bad, bad.replace(':', ': ')].map((t) => outcome(() => audit.seal(t, null, KEY)))
    assert.equal(errors[0].code, 'input.invalid_json', bad)
    assert.deepStrictEqual(errors[0], outcome(() => audit.seal(bad, null, KEY)))
    assert.equal(errors[1].code, 'input.invalid_json', bad)
  }
})

// The members `seal` adds.
function sealMembers(sealed) {
  const { prev_hash, seal_key_id, seal, hash } = sealed
  return { prev_hash, seal_key_id, seal, hash }
}

test('verifyChain: records as data and as spaced JSON text agree', () => {
  const records = []
  let prev = null
  for (let i = 0; i < 5; i++) {
    const r = audit.buildSealed({ ...BASE, id: `r_${i}`, after: { s: STRINGS[i], n: NUMBERS[i] } }, prev, KEY)
    prev = r.hash
    records.push(r)
  }
  assert.deepStrictEqual(audit.verifyChain(records, KEY), audit.verifyChain(JSON.stringify(records, null, 1), KEY))
  assert.equal(audit.verifyChain(records, KEY).ok, true)
  records[2].after = 'edited'
  records[2].changes[0].after = 'edited'
  assert.deepStrictEqual(audit.verifyChain(records, KEY), audit.verifyChain(JSON.stringify(records, null, 1), KEY))
  assert.equal(audit.verifyChain(records, KEY).ok, false)
})

test('canonicalJson reads values through the compact reader', () => {
  const value = { b: [1.5, 'é', { z: null, a: 2 ** 64 }], a: '😀\n', '\u0001': -0 }
  assert.equal(audit.canonicalJson(value), '{"\\u0001":0,"a":"😀\\n","b":[1.5,"é",{"a":18446744073709552000,"z":null}]}')
})

test('actor and target read as trees: userAgent renamed, JSON text accepted, errors as before', () => {
  const build = (extra) => audit.build({ ...BASE, ...extra })
  const ua = { type: 'user', id: 'u', userAgent: 'curl/8 "é"' }
  assert.equal(build({ actor: ua }).actor.user_agent, 'curl/8 "é"')
  assert.deepStrictEqual(build({ actor: JSON.stringify(ua) }).actor, build({ actor: ua }).actor)
  // Both names given: refused (userAgent was renamed over user_agent, dropping one of two).
  assert.throws(
    () => build({ actor: { type: 'user', id: 'u', user_agent: 'old', userAgent: 'new' } }),
    (err) => err instanceof TypeError && /both userAgent and user_agent/.test(err.message),
  )
  // The first unknown member reported is the one a map's remove + insert leaves first: the last
  // member takes userAgent's place.
  const unknown = (actor) => {
    try {
      build({ actor })
    } catch (err) {
      assert.equal(err.code, 'audit.invalid_record')
      return err.errors[0].path
    }
    assert.fail('no error')
  }
  assert.equal(unknown({ type: 'user', id: 'u', userAgent: 'a', foo: 1, bar: 2 }), '/actor/bar')
  assert.equal(unknown({ type: 'user', id: 'u', foo: 1, userAgent: 'a', bar: 2 }), '/actor/foo')
  assert.equal(unknown({ userAgent: 'a', type: 'user', id: 'u', zed: 1 }), '/actor/zed')
  assert.equal(unknown(JSON.stringify({ type: 'user', id: 'u', userAgent: 'a', foo: 1, bar: 2 })), '/actor/bar')
  // Not objects: TypeError; JSON text that does not parse: input.invalid_json.
  for (const actor of [5, [ua], '[1]', '"u"', true]) assert.throws(() => build({ actor }), TypeError, String(actor))
  assert.throws(() => build({ actor: '{nope' }), (err) => err.code === 'input.invalid_json')
  assert.throws(() => build({ actor: undefined }), TypeError)
  assert.throws(() => build({ actor: null }), TypeError)
  const target = { type: 'setting', id: 's_1', name: 'é' }
  assert.deepStrictEqual(build({ target: JSON.stringify(target) }).target, target)
  assert.deepStrictEqual(build({ target }).target, target)
  assert.equal(build({ target: null }).target, null)
  assert.throws(() => build({ target: [target] }), TypeError)
  assert.throws(() => build({ target: { type: 'setting' } }), (err) => err.code === 'audit.invalid_record' && err.errors[0].path === '/target/id')
})
