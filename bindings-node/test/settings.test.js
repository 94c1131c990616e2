'use strict'
// tenantry settings beyond the vectors: differential checks against ajv (+ ajv-formats) and an
// independent RFC 7396 implementation, and hostile input.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { test } = require('node:test')
const Ajv2020 = require('ajv/dist/2020').default
const addFormats = require('ajv-formats').default
const tenantry = require('..')
const { mulberry32 } = require('./helpers')
const { SettingsSchema, mergePatch, SettingsValidationError, SettingsError, ConcurrentUpdateError } = tenantry

const SCHEMAS = path.join(__dirname, '..', '..', 'examples', 'schemas')
const load = (name) => JSON.parse(fs.readFileSync(path.join(SCHEMAS, `${name}.json`), 'utf8'))

const rng = mulberry32
const pick = (r, list) => list[Math.floor(r() * list.length)]
const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)))

function peerAjv() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
  addFormats(ajv)
  ajv.addFormat('https-url', (s) => {
    if (/\s/.test(s)) return false
    try {
      const u = new URL(s)
      return u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '' && s.toLowerCase().startsWith('https://')
    } catch {
      return false
    }
  })
  ajv.addFormat('hex-color', /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/)
  return ajv
}

const DIFF_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 3, maxLength: 12, pattern: '^[a-z][a-z0-9-]*$' },
    temperature: { type: 'number', minimum: 0, maximum: 1 },
    max_tokens: { type: 'integer', minimum: 100, maximum: 2000 },
    ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10, multipleOf: 0.5 },
    plan: { enum: ['free', 'starter', 'business', null] },
    email: { type: ['string', 'null'], format: 'email' },
    ip: { type: 'string', format: 'ipv4' },
    ip6: { type: 'string', format: 'ipv6' },
    id: { type: 'string', format: 'uuid' },
    when: { type: 'string', format: 'date-time' },
    host: { type: 'string', format: 'hostname' },
    hook: { type: 'string', format: 'https-url' },
    color: { type: 'string', format: 'hex-color' },
    tags: { type: 'array', items: { type: 'string', maxLength: 5 }, maxItems: 3, uniqueItems: true },
    nested: {
      type: 'object',
      additionalProperties: { type: 'boolean' },
      properties: { depth: { type: 'integer', minimum: 0 } },
      minProperties: 1,
    },
  },
}

// Per key: the first VALID[key] values are valid on their own, the rest are not.
const POOLS = {
  name: ['acme', 'ok-1', 'ab', 'a-very-long-name', 'Acme', 'x y', 7, null],
  temperature: [0, 1, 0.5, -0.0001, 1.0001, 2, '0.5', true, null],
  max_tokens: [100, 2000, 500, 99, 2001, 500.5, '500', false],
  ratio: [0.5, 9.5, 3, 0, 10, 3.25, -1, '1'],
  plan: ['free', 'business', null, 'gold', 1],
  email: ['a@example.com', 'first.last@sub.example.org', null, 'no-at-sign', 'a@', '@example.com', 3],
  ip: ['192.168.1.1', '10.0.0.255', '10.0.0.256', '1.2.3', '::1', 4],
  ip6: ['::1', '2001:db8::1', '2001:db8::g', '1:2:3:4:5:6:7:8:9', '192.168.0.1'],
  id: ['6fa459ea-ee8a-3ca4-894e-db77e160355e', 'not-a-uuid', '6fa459eaee8a3ca4894edb77e160355e', 5],
  when: ['2026-11-22T12:00:00Z', '2026-11-22T12:00:00+01:00', '2026-13-01T00:00:00Z', '2026-11-22', 'yesterday'],
  host: ['example.com', 'api.example.com', '-bad-.com', 'a..b'],
  hook: ['https://example.com/a?b=c', 'https://hooks.slack.com/services/T0/B0/x', 'http://example.com',
    'javascript:alert(1)', 'https://', 'data:text/html,x', 'https://exa mple.com'],
  color: ['#000000', '#FFF', '#abcdef', 'black', '#12345', '000000', '#GGGGGG'],
  tags: [[], ['a'], ['a', 'b', 'c'], ['a', 'a'], ['a', 'b', 'c', 'd'], ['toolong'], [1], 'a'],
  nested: [{ depth: 1 }, { x: true }, { depth: 1, y: false }, {}, { x: 'yes' }, { depth: -1 }, []],
}
const VALID = { name: 2, temperature: 3, max_tokens: 3, ratio: 3, plan: 3, email: 3, ip: 2, ip6: 2, id: 1, when: 2, host: 2, hook: 2, color: 3, tags: 3, nested: 3 }

function generatedDocs(seed, count) {
  const r = rng(seed)
  const docs = []
  for (let i = 0; i < count; i++) {
    const doc = {}
    for (const [key, pool] of Object.entries(POOLS)) {
      if (r() < (key === 'name' ? 0.9 : 0.5)) {
        doc[key] = clone(pick(r, r() < 0.9 ? pool.slice(0, VALID[key]) : pool.slice(VALID[key])))
      }
    }
    if (r() < 0.1) doc.unknown = 1
    docs.push(doc)
  }
  return docs
}

function ours(schema, doc) {
  try {
    schema.validate(doc)
    return true
  } catch (err) {
    assert.ok(err instanceof SettingsValidationError, String(err))
    return false
  }
}

test('validity matches ajv (with ajv-formats) on generated documents', () => {
  const schema = new SettingsSchema(DIFF_SCHEMA)
  const peer = peerAjv().compile(DIFF_SCHEMA)
  const counts = { true: 0, false: 0 }
  const mismatches = []
  for (const doc of generatedDocs(7, 3000)) {
    const mine = ours(schema, doc)
    counts[mine]++
    if (mine !== peer(doc)) mismatches.push({ doc, mine, errors: peer.errors })
  }
  assert.deepStrictEqual(mismatches.slice(0, 3), [])
  assert.ok(counts.true > 100 && counts.false > 100, JSON.stringify(counts))
})

test('seed schemas agree with ajv on mutated defaults', () => {
  for (const name of ['venue_settings', 'tenant_settings', 'system_settings']) {
    const source = load(name)
    const schema = new SettingsSchema(source)
    const peer = peerAjv().compile(source)
    const defaults = schema.defaults()
    assert.ok(peer(defaults), name)
    const r = rng(name.length)
    const samples = [0, -1, 5000, 0.5, 1.5, '', 'x', '#fff', 'https://ok.example/x', 'http://no.example',
      'a@example.com', 'nope', true, null, [], ['10.0.0.1'], ['.csv'], {}]
    const keys = schema.entries(defaults, 'admin').map((row) => row.key.split('.'))
    for (let i = 0; i < 600; i++) {
      const doc = clone(defaults)
      const key = pick(r, keys)
      let target = doc
      for (const part of key.slice(0, -1)) target = target[part]
      target[key[key.length - 1]] = clone(pick(r, samples))
      assert.equal(ours(schema, doc), peer(doc), `${name} ${key.join('.')} = ${JSON.stringify(target[key[key.length - 1]])}`)
    }
  }
})

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

// RFC 7396 section 2, written independently of tenantry.
function rfc7396(target, patch) {
  if (patch !== null && typeof patch === 'object' && !Array.isArray(patch)) {
    const out = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {}
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k]
      else out[k] = rfc7396(out[k], v)
    }
    return out
  }
  return patch
}

function randomJson(r, depth, nulls) {
  if (depth <= 0 || r() < 0.35) {
    return clone(pick(r, [1, 2.5, 's', true, false, [1, { a: null }], [], ...(nulls ? [null, null] : [])]))
  }
  const out = {}
  const n = Math.floor(r() * 5)
  for (let i = 0; i < n; i++) out[pick(r, ['a', 'b', 'c', 'd', 'e'])] = randomJson(r, depth - 1, nulls)
  return out
}

test('merge equals an independent RFC 7396 implementation', () => {
  const free = new SettingsSchema({ type: 'object' })
  const r = rng(3)
  for (let i = 0; i < 2000; i++) {
    const target = randomJson(r, 4, false)
    const patch = randomJson(r, 4, true)
    const want = rfc7396(clone(target), patch)
    assert.deepStrictEqual(mergePatch(target, patch), want)
    if (isObject(target) && isObject(patch)) {
      const res = free.applyPatch(target, patch, { role: 'system' })
      assert.deepStrictEqual(res.overrides, want)
      assert.equal(res.etag, free.etag(want))
    }
  }
})

function nested(depth) {
  let doc = {}
  for (let i = 0; i < depth; i++) doc = { a: doc }
  return doc
}

test('hostile input is a typed error and the stored document is untouched', () => {
  const free = new SettingsSchema({ type: 'object' })
  const cases = [
    [[1, 2], SettingsError, 'settings.invalid_patch'],
    ['[1, 2]', SettingsError, 'settings.invalid_patch'],
    [42, SettingsError, 'settings.invalid_patch'],
    ['{not json', tenantry.InvalidInputError, 'input.invalid_json'],
    [nested(100), SettingsValidationError, 'settings.validation_failed'],
    [{ blob: 'x'.repeat(1_000_000) }, SettingsValidationError, 'settings.validation_failed'],
    [JSON.stringify({ blob: 'x'.repeat(1_000_000) }), SettingsValidationError, 'settings.validation_failed'],
    [Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])), SettingsValidationError, 'settings.validation_failed'],
    [{ x: 1e400 }, TypeError, 'ERR_INVALID_ARG_TYPE'],
    [{ x: NaN }, TypeError, 'ERR_INVALID_ARG_TYPE'],
    [{ x: () => 1 }, TypeError, 'ERR_INVALID_ARG_TYPE'],
    [{ x: Symbol('s') }, TypeError, 'ERR_INVALID_ARG_TYPE'],
    [undefined, TypeError, 'ERR_INVALID_ARG_TYPE'],
    [() => 1, TypeError, 'ERR_INVALID_ARG_TYPE'],
    [nested(101), tenantry.InvalidInputError, 'input.invalid'],
    [nested(500), tenantry.InvalidInputError, 'input.invalid'],
  ]
  for (const [patch, cls, code] of cases) {
    const stored = { keep: { me: [1, 2, 3] } }
    assert.throws(
      () => free.applyPatch(stored, patch),
      (err) => {
        assert.ok(err instanceof cls, `${String(patch).slice(0, 40)}: ${err}`)
        assert.equal(err.code, code)
        return true
      },
    )
    assert.deepStrictEqual(stored, { keep: { me: [1, 2, 3] } })
  }
  // An `undefined` property is absent, as in JSON.stringify (napi's conversion); at the top level
  // it is a TypeError.
  assert.deepStrictEqual(free.applyPatch({ a: 1 }, { x: undefined }).overrides, { a: 1 })
  assert.throws(() => free.applyPatch({}, {}, { role: 'root' }), tenantry.InvalidInputError)
  assert.throws(() => new SettingsSchema(undefined), TypeError)
  assert.throws(() => free.resolve([['tenant']]), TypeError)
  assert.throws(() => free.resolve(5), TypeError)
  assert.throws(() => free.validate(nested(100)), (err) => err.errors[0].code === 'too_deep')
})

test('documents to read follow JSON semantics, as the layers of resolve do', () => {
  const free = new SettingsSchema({ type: 'object' })
  const venue = new SettingsSchema(load('venue_settings'))
  class Money {
    toJSON() {
      return { cents: 1250 }
    }
  }
  // What JSON.stringify makes of each: a Date its ISO string, toJSON's answer, NaN and Infinity
  // null, undefined members, functions and symbols left out, array holes null.
  const docs = [
    { at: new Date(0), price: new Money(), n: NaN, inf: -Infinity, gone: undefined, f: () => 1, s: Symbol('s') },
    { list: [1, , 3], nested: { d: new Date(86_400_000) } },
    { ai_settings: { enabled: true, temperature: Infinity }, email_settings: { from_email: 'a@example.com' } },
  ]
  for (const doc of docs) {
    const json = clone(doc)
    assert.deepStrictEqual(free.resolve([['tenant', doc]]).value, json)
    assert.equal(free.etag(doc), free.etag(json))
    assert.deepStrictEqual(free.view(doc), free.view(json))
    assert.deepStrictEqual(free.entries(doc), free.entries(json))
    assert.doesNotThrow(() => free.validate(doc))
  }
  assert.equal(venue.get(docs[2], 'ai_settings.temperature'), null)
  // Validation sees what would be stored: the Date as text.
  const dated = new SettingsSchema({ type: 'object', properties: { at: { type: 'string' } } })
  assert.doesNotThrow(() => dated.validate({ at: new Date(0) }))
  assert.throws(() => dated.validate({ at: 5 }), SettingsValidationError)
  // What JSON cannot carry is a TypeError, for every read as for resolve: never altered data; a
  // lone surrogate is input.invalid, as in Python.
  const nested = (n) => (n === 0 ? {} : { a: nested(n - 1) })
  const reads = [(d) => free.resolve([['tenant', d]]), (d) => free.validate(d), (d) => free.etag(d), (d) => free.view(d), (d) => free.entries(d), (d) => free.get(d, 'a')]
  for (const read of reads) assert.throws(() => read({ x: 10n }), TypeError)
  for (const bad of [{ x: '\ud800' }, { '\udc00': 1 }]) {
    for (const read of reads) assert.throws(() => read(bad), (err) => err instanceof tenantry.InvalidInputError && err.code === 'input.invalid' && /^str holds a lone surrogate/.test(err.message))
  }
  // Nested deeper than data may (see tenantry::json_tree::MAX_DEPTH), or containing itself: the
  // core's error, as in Python, whatever JSON.stringify would have thrown.
  const cyclic = { a: 1 }
  cyclic.self = cyclic
  for (const bad of [nested(101), nested(200), nested(10_000), cyclic, { a: [cyclic] }]) {
    for (const read of reads) {
      assert.throws(() => read(bad), (err) => err instanceof tenantry.InvalidInputError && err.code === 'input.invalid')
    }
  }
  assert.throws(() => free.etag(undefined), TypeError)
  // JSON text is read as text, and a String object is text too (as a layer is).
  assert.equal(free.etag('{"b": 2, "a": 1}'), free.etag({ a: 1, b: 2 }))
  assert.equal(free.etag(new String('{"a": 1}')), free.etag({ a: 1 }))
  assert.throws(() => free.validate('{not json'), (err) => err instanceof tenantry.InvalidInputError && err.code === 'input.invalid_json')
})

test('documents to write: what JSON.stringify would change or drop is a TypeError', () => {
  const free = new SettingsSchema({ type: 'object' })
  const stored = { keep: { me: [1, 2, 3] } }
  // toJSON is honoured and undefined members are absent, as in JSON.
  assert.deepStrictEqual(free.applyPatch(stored, { at: new Date(0), gone: undefined }).overrides, {
    keep: { me: [1, 2, 3] },
    at: '1970-01-01T00:00:00.000Z',
  })
  assert.deepStrictEqual(mergePatch({ a: 1 }, { at: new Date(0), a: null }), { at: '1970-01-01T00:00:00.000Z' })
  const bad = [
    [{ deep: { n: NaN } }, /NaN at \/deep\/n/],
    [{ list: [1, , 3] }, /undefined at \/list\/1/],
    [{ list: [() => 1] }, /function at \/list\/0/],
    [{ m: new Map([[1, 2]]) }, /a Map or Set at \/m/],
    [{ s: new Set([1]) }, /a Map or Set at \/s/],
    [{ x: 10n }, /BigInt/],
    [{ boxed: new Number(NaN) }, /NaN at \/boxed/],
    [{ at: new Date(NaN) }, /an Invalid Date at \/at/],
  ]
  for (const [patch, message] of bad) {
    for (const write of [
      () => free.applyPatch(stored, patch),
      () => free.applyPatch(patch, {}),
      () => free.migrate(patch),
      () => mergePatch(stored, patch),
      () => free.set(patch, 'keep', 1),
    ]) {
      assert.throws(write, (err) => err instanceof TypeError && message.test(err.message), String(write))
    }
    assert.deepStrictEqual(stored, { keep: { me: [1, 2, 3] } })
  }
  // A value to set is a JSON value: a string is a string, and is checked as one.
  for (const value of [NaN, -Infinity, undefined, Symbol('s'), new Map()]) {
    assert.throws(() => free.set(stored, 'keep', value), TypeError)
  }
  // A lone surrogate, in a value or a name, is input.invalid, as in Python.
  for (const write of [
    () => free.applyPatch(stored, { 'a/b~c': { x: '\ud800' } }),
    () => free.applyPatch({ '\udc00': 1 }, {}),
    () => free.migrate({ x: ['\ud800'] }),
    () => mergePatch(stored, { '\udc00': 1 }),
    () => free.set(stored, 'keep', '\ud800'),
  ]) {
    assert.throws(write, (err) => err instanceof tenantry.InvalidInputError && err.code === 'input.invalid' && /^str holds a lone surrogate/.test(err.message), String(write))
  }
})

test('concurrent update and error shape', () => {
  const venue = new SettingsSchema(load('venue_settings'))
  const stored = { ai_settings: { enabled: true } }
  const tag = venue.etag(stored)
  const first = venue.applyPatch(stored, { ai_settings: { temperature: 0.1 } }, { expectedEtag: tag })
  assert.throws(
    () => venue.applyPatch(first.overrides, { ai_settings: { temperature: 0.2 } }, { expectedEtag: tag }),
    (err) => err instanceof ConcurrentUpdateError && err.code === 'settings.concurrent_update',
  )
  assert.throws(
    () => venue.validate({ ai_settings: { temperature: 9 }, x: 1 }),
    (err) => {
      assert.ok(err instanceof SettingsValidationError && err instanceof tenantry.TenantryError)
      assert.deepStrictEqual(
        err.errors.map((e) => [e.path, e.code]).sort(),
        [['/ai_settings/temperature', 'maximum'], ['/x', 'additional_property']],
      )
      return err.errors.every((e) => typeof e.message === 'string' && e.message.length > 0)
    },
  )
  assert.deepStrictEqual(venue.limits, { maxBytes: 10240, maxDepth: 32, maxStringLength: 4096 })
})

test('resolve returns a plain object whose provenance is computed once, on first read', () => {
  const venue = new SettingsSchema(load('venue_settings'))
  const layers = [['plan', { ai_settings: { enabled: true } }], ['tenant', '{"ai_settings": {"temperature": 0.2}}']]
  const r = venue.resolve(layers)
  assert.equal(Object.getPrototypeOf(r), Object.prototype)
  assert.deepStrictEqual(Object.keys(r), ['value', 'provenance'])
  // Changing the caller's layers afterwards does not change the provenance of this resolution.
  delete layers[0][1].ai_settings.enabled
  const first = r.provenance
  assert.equal(first['/ai_settings/enabled'], 'plan')
  assert.equal(first['/ai_settings/temperature'], 'tenant')
  assert.equal(first['/email_settings/from_email'], 'defaults')
  assert.strictEqual(r.provenance, first)
  // The object form of the layers gives the same resolution; JSON sees the accessor as data.
  const again = venue.resolve({ plan: { ai_settings: { enabled: true } }, tenant: { ai_settings: { temperature: 0.2 } } })
  assert.deepStrictEqual(again, { value: r.value, provenance: first })
  assert.deepStrictEqual(JSON.parse(JSON.stringify(r)), { value: r.value, provenance: first })
  // Each call gets its own value object.
  assert.notStrictEqual(venue.resolve(layers).value, venue.resolve(layers).value)
  assert.throws(() => venue.resolve(undefined), TypeError)
  assert.throws(() => venue.resolve([['tenant', '{not json']]), (err) => err instanceof tenantry.InvalidInputError && err.code === 'input.invalid_json')
})

test('a document encoded twice is refused, not read as all defaults', () => {
  // JSON text of JSON text is a JSON string: entries and get showed every default, view gave
  // the string back.
  const schema = new SettingsSchema({ type: 'object', properties: { a: { type: 'integer', default: 1 } } })
  const twice = JSON.stringify(JSON.stringify({ a: 2 }))
  for (const call of [() => schema.entries(twice), () => schema.get(twice, 'a'), () => schema.view(twice)]) {
    assert.throws(call, (err) => err.code === 'settings.invalid_patch' && err.message === 'a settings document must be a JSON object, not a string')
  }
  assert.equal(schema.get(JSON.stringify({ a: 2 }), 'a'), 2)
})

test('nothing inside a sensitive setting is named: issues, changes, migrations stop at it', () => {
  // Member names inside a secret may be secrets (tokens keyed by token), as in Python.
  const s = new SettingsSchema({ type: 'object', properties: { tokens: { type: 'object', 'x-sensitive': true, additionalProperties: { type: 'integer' } } } })
  assert.throws(() => s.validate({ tokens: { sk_live_SECRET: 'x' } }), (err) => {
    assert.deepEqual(err.errors, [{ path: '/tokens', code: 'type', message: 'value is not of type "integer"' }])
    assert.ok(!err.message.includes('SECRET'))
    return true
  })
  const changes = s.applyPatch({ tokens: { sk_old: 1 } }, { tokens: { sk_new: 2 } }, { role: 'admin' }).changes
  assert.deepEqual(changes, [{ path: '/tokens', before: '********', after: '********' }])
  assert.deepEqual(s.migrate({ tokens: { sk_a: 'x', sk_b: 'y' } }).reset, [{ path: '/tokens', code: 'type', message: 'value is not of type "integer"' }])
})

test('resolve: layers JSON.stringify cannot write are the layer-shape TypeError, or the data checks, never its own errors', () => {
  const free = new SettingsSchema({ type: 'object', properties: { a: { type: 'number', default: 1 } } })
  // What the addon says of an item that is not a [name, overrides] pair.
  const shape = (() => {
    try {
      free.resolve([1])
    } catch (err) {
      return err
    }
  })()
  assert.ok(shape instanceof TypeError && shape.code === 'ERR_INVALID_ARG_TYPE', String(shape))
  const notAPair = (err) => err instanceof TypeError && err.code === shape.code && err.message === shape.message
  // The layers container, a non-pair item or an extra pair member containing itself, nested
  // thousands deep or holding a BigInt: JSON.stringify threw its "circular structure" TypeError,
  // a RangeError or "Do not know how to serialize a BigInt", none with a code.
  const selfArr = []
  selfArr.push(selfArr)
  const self = {}
  self.x = self
  let deep = {}
  for (let i = 0; i < 10_000; i++) deep = [deep]
  const malformed = [
    selfArr,
    [['t', {}], selfArr],
    [['t', {}, self]],
    deep,
    [['t', {}], 5n],
    [[5n, {}]],
    [[{ toJSON: () => self }, {}]],
    [{ toJSON: () => selfArr }],
    Object.assign([['t', {}]], { toJSON: () => selfArr }),
    { toJSON: () => [['t', {}], self] },
  ]
  for (const layers of malformed) assert.throws(() => free.resolve(layers), notAPair)
  // Data within a layer is held as every document to read is: the core's input.invalid.
  const tooDeep = (err) => err instanceof tenantry.InvalidInputError && err.code === 'input.invalid'
  assert.throws(() => free.resolve({ toJSON: () => ({ t: self }) }), tooDeep)
  assert.throws(() => free.resolve([{ toJSON: () => ['t', self] }]), tooDeep)
  // Stops at the first item that is not a pair: the rest (here a sparse tail) is not read.
  let reads = 0
  const sparse = [['t', { a: 2 }], undefined]
  Object.defineProperty(sparse, 5, { get: () => ++reads, enumerable: true })
  sparse.length = 1_000_000
  assert.throws(() => free.resolve(sparse), notAPair)
  assert.equal(reads, 0)
  // What JSON.stringify reads as pairs still resolves, as it did.
  assert.deepStrictEqual(free.resolve([{ toJSON: () => ['t', { a: 3 }] }]).value, { a: 3 })
  assert.deepStrictEqual(free.resolve([[new String('t'), { a: 4 }]]).value, { a: 4 })
  assert.deepStrictEqual(free.resolve({ toJSON: () => ({ t: { a: 5 } }) }).value, { a: 5 })
})
