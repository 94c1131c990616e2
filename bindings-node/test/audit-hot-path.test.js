'use strict'
// The audit hot path (js/audit.js + src/audit_build.rs): records assembled from pieces are the
// records the core built, buildSealed is seal(build(..)), and seal of a record build returned
// hashes exactly what sealing the record's JSON hashes, however the caller changed it.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const { audit, AuditError, InvalidInputError, TenantryError } = require('..')

const SECRET = Buffer.from('hot-path-seal-key-0123456789abcdef')
const KEY = new audit.SealKey('k1', SECRET)
const PREV = 'ab'.repeat(32)

// A record sealed from its JSON: a parsed copy is not a record `build` returned, so `seal` takes
// the general path (stringify, canonicalize in the core).
const sealViaJson = (record, prev, key) => audit.seal(JSON.parse(JSON.stringify(record)), prev, key)

const BEFORE = { theme: 'light', locale: 'en', seats: 5, smtp: { host: 'a', password: 'old' }, tags: ['a'], ratio: 0.1 }
const AFTER = { theme: 'dark', locale: 'de', seats: 10, smtp: { host: 'b', password: 'new' }, tags: ['a', 'b'], ratio: 1e21, gone: null }

function fullOptions(extra = {}) {
  return {
    action: 'setting.updated',
    actor: { type: 'user', id: 'u_1', email: 'ada@example.com', role: 'admin', ip: '2001:DB8::1', userAgent: 'curl/8' },
    tenantId: 't_1',
    severity: 'WARNING',
    outcome: 'failure',
    reason: 'quota',
    target: { type: 'setting', id: 'smtp', name: 'SMTP' },
    before: BEFORE,
    after: AFTER,
    sensitivePaths: ['/locale'],
    requestId: 'req_1',
    metadata: { via: 'console', nested: { token: 't0k', n: [1, 2.5, null] } },
    occurredAt: 1_700_000_000.25,
    retentionDays: 30,
    ...extra,
  }
}

const OPTION_SETS = [
  fullOptions(),
  { action: 'user.login', actor: { type: 'system', id: 'cron' }, occurredAt: 0, retentionDays: null },
  { action: 'user.login', actor: '{"type":"api_key","id":"key_1"}', target: '{"type":"user","id":"u"}', occurredAt: 5 },
  { action: 'setting.created', actor: { type: 'user', id: 'u' }, after: '{"a":{"b":[1,{"c":true}]},"d":"x"}' },
  { action: 'setting.updated', actor: { type: 'user', id: 'u' }, changes: [{ path: '/x' }, { path: '/y', before: { api_key: 'k' }, after: false }] },
  // Strings outside ASCII and the BMP: offsets are counted in UTF-16 code units.
  fullOptions({
    tenantId: 'tenant-🦀-ü',
    actor: { type: 'user', id: 'ユーザー', email: 'zoë@exämple.com', userAgent: '𝒰𝒜 "q" \\' },
    target: { type: 'réglage', id: '𝟙', name: 'naïve 😀' },
    before: { 'clé/~': 'été', emoji: '😀', long: 'x'.repeat(300) + '€' },
    after: { 'clé/~': 'hiver', emoji: '😃', long: 'y'.repeat(300) + '€' },
    metadata: { 'ключ': 'значение', '😀': ['🦀'] },
    reason: 'quote " backslash \\ and \u2028 separator',
  }),
]

test('buildSealed is seal(build(..)), member for member and byte for byte (fixed id and time)', () => {
  for (const options of OPTION_SETS) {
    for (const key of [KEY, null, undefined]) {
      for (const prev of [PREV, null, undefined]) {
        const fixed = { ...options, id: 'evt_1', occurredAt: options.occurredAt ?? 1_700_000_000 }
        const one = audit.buildSealed(fixed, prev, key)
        const two = audit.seal(audit.build(fixed), prev, key)
        const viaJson = sealViaJson(audit.build(fixed), prev, key)
        assert.deepStrictEqual(one, two)
        assert.equal(JSON.stringify(one), JSON.stringify(two))
        assert.equal(JSON.stringify(one), JSON.stringify(viaJson))
      }
    }
  }
})

test('buildSealed links to the previousHash given (the caller\'s string), or to GENESIS', () => {
  const options = { action: 'user.login', actor: { type: 'user', id: 'u' }, id: 'r', occurredAt: 1 }
  const prev = audit.buildSealed(options, null, KEY).hash
  for (const [given, linked] of [[prev, prev], [null, '0'.repeat(64)], [undefined, '0'.repeat(64)]]) {
    const r = audit.buildSealed(options, given, KEY)
    assert.equal(r.prev_hash, linked)
    assert.equal(r.hash, audit.seal(audit.build(options), given, KEY).hash)
  }
  // Anything the core refuses is refused, whatever its likeness to a hash.
  for (const bad of [prev.toUpperCase(), prev.slice(1), `${prev} `, `${prev.slice(0, 63)}\u00e9`, '']) {
    assert.throws(() => audit.buildSealed(options, bad, KEY), (e) => e.code === 'audit.invalid_record', JSON.stringify(bad))
  }
  assert.throws(() => audit.buildSealed(options, new String(prev), KEY), TypeError)
})

test('with a random id, buildSealed differs from seal(build(..)) only in id, hash and seal', () => {
  for (const options of OPTION_SETS) {
    const timed = { ...options, occurredAt: 1_700_000_000 }
    const one = audit.buildSealed(timed, PREV, KEY)
    const two = audit.seal(audit.build(timed), PREV, KEY)
    assert.notEqual(one.id, two.id)
    assert.match(one.id, /^[0-9A-HJKMNP-TV-Z]{26}$/)
    const strip = ({ id, hash, seal, ...rest }) => rest
    assert.deepStrictEqual(strip(one), strip(two))
    assert.equal(JSON.stringify(Object.keys(one)), JSON.stringify(Object.keys(two)))
  }
})

test('sealed records hash the RFC 8785 JSON of the record (npm canonicalize + node:crypto)', async () => {
  const { default: canonicalize } = await import('canonicalize')
  let prev = null
  const chain = []
  for (const options of OPTION_SETS) {
    for (const make of [(p) => audit.buildSealed(options, p, KEY), (p) => audit.seal(audit.build(options), p, KEY)]) {
      const sealed = make(prev)
      const { hash, seal, ...body } = sealed
      assert.equal(hash, crypto.createHash('sha256').update(canonicalize(body)).digest('hex'))
      assert.equal(seal, crypto.createHmac('sha256', SECRET).update(hash).digest('hex'))
      assert.equal(sealed.prev_hash, prev ?? '0'.repeat(64))
      prev = hash
      chain.push(sealed)
    }
  }
  assert.deepEqual(audit.verifyChain(chain, KEY), { ok: true, index: null, reason: null, head: prev })
})

test('records are fresh objects: nothing of the caller is aliased, nothing of the record shared', () => {
  const options = fullOptions()
  const a = audit.build(options)
  const b = audit.build(options)
  assert.notEqual(a.actor, options.actor)
  assert.notEqual(a.actor, b.actor)
  assert.notEqual(a.changes, b.changes)
  assert.notEqual(a.metadata, b.metadata)
  assert.notEqual(a.metadata.nested, options.metadata.nested)
  const tags = a.changes.find((c) => c.path === '/tags')
  assert.deepStrictEqual(tags, { path: '/tags', before: ['a'], after: ['a', 'b'] })
  assert.notEqual(tags.after, AFTER.tags)
  tags.after.push('mutated')
  a.actor.id = 'changed'
  assert.deepStrictEqual(AFTER.tags, ['a', 'b'])
  assert.equal(options.actor.id, 'u_1')
  assert.equal(b.actor.id, 'u_1')
})

test('values come back as the core built them', () => {
  const r = audit.build(OPTION_SETS[5])
  assert.equal(r.tenant_id, 'tenant-🦀-ü')
  assert.deepStrictEqual(r.actor, {
    type: 'user',
    id: 'ユーザー',
    email: 'zoë@exämple.com',
    role: null,
    ip: null,
    user_agent: '𝒰𝒜 "q" \\',
  })
  assert.deepStrictEqual(r.target, { type: 'réglage', id: '𝟙', name: 'naïve 😀' })
  assert.equal(r.severity, 'warning')
  assert.equal(r.outcome, 'failure')
  assert.equal(r.reason, 'quote " backslash \\ and \u2028 separator')
  assert.deepStrictEqual(r.metadata, { 'ключ': 'значение', '😀': ['🦀'] })
  assert.deepStrictEqual(r.changes.find((c) => c.path === '/clé~1~0'), { path: '/clé~1~0', before: 'été', after: 'hiver' })
  const full = audit.build(fullOptions())
  // (In the order of the documents' canonical JSON: by name.)
  assert.deepStrictEqual(full.changes, [
    { path: '/gone', after: null },
    { path: '/locale', before: '***', after: '***' },
    { path: '/ratio', before: 0.1, after: 1e21 },
    { path: '/seats', before: 5, after: 10 },
    { path: '/smtp/host', before: 'a', after: 'b' },
    { path: '/smtp/password', before: '***', after: '***' },
    { path: '/tags', before: ['a'], after: ['a', 'b'] },
    { path: '/theme', before: 'light', after: 'dark' },
  ])
  assert.deepStrictEqual(full.metadata, { via: 'console', nested: { token: '***', n: [1, 2.5, null] } })
  assert.equal(full.occurred_at, '2023-11-14T22:13:20.250Z')
  assert.equal(full.actor.ip, '2001:db8::1')
})

test('a record too large for the scratch array comes back whole (as JSON)', () => {
  const before = {}
  const after = {}
  for (let i = 0; i < 2000; i++) {
    before[`k${i}`] = i
    after[`k${i}`] = i % 3 ? i : `v${i}`
  }
  const options = { action: 'setting.updated', actor: { type: 'user', id: 'u' }, before, after, id: 'big', occurredAt: 1 }
  const r = audit.build(options)
  assert.equal(r.changes.length, 667)
  assert.deepStrictEqual(r.changes.find((c) => c.path === '/k3'), { path: '/k3', before: 3, after: 'v3' })
  const sealed = audit.buildSealed(options, PREV, KEY)
  assert.equal(JSON.stringify(sealed), JSON.stringify(audit.seal(r, PREV, KEY)))
  assert.equal(JSON.stringify(sealed), JSON.stringify(sealViaJson(r, PREV, KEY)))
})

/** The change of record `r` at `path`. */
const change = (r, path) => r.changes.find((c) => c.path === path)

// Every way a caller can change a record between build and seal: the seal must be the seal of the
// changed record's JSON (or the same error), added to a shallow copy of the record.
const MUTATIONS = {
  'nothing': () => {},
  'a top-level string': (r) => { r.action = 'user.logout' },
  'a null member set': (r) => { r.reason = 'now with a reason' },
  'a member deleted': (r) => { delete r.reason },
  'a member deleted and put back (order changes)': (r) => { const v = r.reason; delete r.reason; r.reason = v },
  'a member set to undefined': (r) => { r.request_id = undefined },
  'a member added': (r) => { r.extra = 1 },
  'a symbol member added': (r) => { r[Symbol('x')] = 1 },
  'a non-enumerable member added': (r) => { Object.defineProperty(r, 'hidden', { value: 1 }) },
  'an own toJSON': (r) => { Object.defineProperty(r, 'toJSON', { value() { return { action: 'swapped' } } }) },
  'a getter': (r) => { Object.defineProperty(r, 'tenant_id', { get: () => 'from a getter', enumerable: true }) },
  'the actor replaced by an equal copy': (r) => { r.actor = { ...r.actor } },
  'an actor field': (r) => { r.actor.ip = '10.0.0.1' },
  'an actor field deleted': (r) => { delete r.actor.user_agent },
  'an actor with a toJSON prototype': (r) => { Object.setPrototypeOf(r.actor, { toJSON: () => 'actor' }) },
  'the target removed': (r) => { r.target = null },
  'a target field': (r) => { r.target.name = 'renamed' },
  'a change value': (r) => { change(r, '/theme').after = 'blue' },
  'a change number': (r) => { change(r, '/seats').after = 11 },
  'a number made a string': (r) => { change(r, '/seats').after = '10' },
  'a composite change value mutated': (r) => { change(r, '/tags').after.push('c') },
  'a composite change value replaced by an equal copy': (r) => { const tags = change(r, '/tags'); tags.after = [...tags.after] },
  'a change deleted': (r) => { r.changes.pop() },
  'a change added': (r) => { r.changes.push({ path: '/new', after: 1 }) },
  'a change member added': (r) => { change(r, '/gone').before = 'was there' },
  'a change member removed': (r) => { delete change(r, '/theme').before },
  'changes replaced by a non-array': (r) => { r.changes = { 0: r.changes[0], length: 1 } },
  'metadata member added': (r) => { r.metadata.more = true },
  'metadata nested value': (r) => { r.metadata.nested.n.push(3) },
  'metadata emptied': (r) => { r.metadata = {} },
  'a member made a Date': (r) => { r.occurred_at = new Date(0) },
  'already sealed': (r) => { r.hash = 'x' },
  'a prototype': (r) => { Object.setPrototypeOf(r, { inherited: 1 }) },
}

for (const [name, mutate] of Object.entries(MUTATIONS)) {
  test(`seal after build then ${name}: the seal of the record's JSON`, () => {
    for (const key of [KEY, null]) {
      const record = audit.build(fullOptions())
      mutate(record)
      let want
      let wantError
      try {
        want = sealViaJson(record, PREV, key)
      } catch (err) {
        wantError = err
      }
      if (wantError !== undefined) {
        assert.throws(
          () => audit.seal(record, PREV, key),
          (err) => err.constructor === wantError.constructor && err.code === wantError.code,
        )
      } else {
        const got = audit.seal(record, PREV, key)
        assert.equal(got.hash, want.hash)
        const members = key ? ['prev_hash', 'seal_key_id', 'seal', 'hash'] : ['prev_hash', 'hash']
        const copy = Object.assign({}, record, Object.fromEntries(members.map((m) => [m, want[m]])))
        assert.equal(JSON.stringify(got), JSON.stringify(copy))
      }
    }
  })
}

test('a built record sealed again after other builds, and after other previous records, seals as its JSON', () => {
  const first = audit.build(fullOptions())
  const sealedNow = audit.seal(first, PREV, KEY)
  for (let i = 0; i < 200; i++) audit.build({ action: 'user.login', actor: { type: 'user', id: `u${i}` } })
  assert.deepStrictEqual(audit.seal(first, PREV, KEY), sealedNow)
  // And the same record sealed twice after different previous records.
  const other = audit.seal(first, 'ef'.repeat(32), KEY)
  assert.equal(other.prev_hash, 'ef'.repeat(32))
  assert.equal(other.hash, sealViaJson(first, 'ef'.repeat(32), KEY).hash)
})

test('buildSealed errors are typed as build and seal errors are', () => {
  const ok = { action: 'user.login', actor: { type: 'user', id: 'u' } }
  const same = (fn, check) => {
    assert.throws(fn, check)
  }
  same(() => audit.buildSealed({ ...ok, actor: { type: 'user', id: 'u', ip: '300.1.1.1' } }, PREV, KEY),
    (err) => err instanceof AuditError && err.code === 'audit.invalid_ip' && err.errors[0].path === '/actor/ip')
  same(() => audit.buildSealed({ ...ok, action: 'Bad' }, PREV), (err) => err instanceof AuditError && err.code === 'audit.invalid_action')
  same(() => audit.buildSealed({ ...ok, occurredAt: Number.NaN }, PREV),
    (err) => err instanceof InvalidInputError && err.code === 'input.invalid_time')
  same(() => audit.buildSealed({ ...ok, occurredAt: -Infinity }), (err) => err instanceof InvalidInputError)
  same(() => audit.buildSealed({ ...ok, before: '{not json' }), (err) => err instanceof TenantryError && err.code === 'input.invalid_json')
  same(() => audit.buildSealed(ok, 'not-a-hash', KEY), (err) => err instanceof AuditError && err.code === 'audit.invalid_record')
  same(() => audit.seal(audit.build(ok), 'not-a-hash', KEY), (err) => err instanceof AuditError && err.code === 'audit.invalid_record')
  for (const fn of [
    () => audit.buildSealed(ok, 42),
    () => audit.buildSealed(ok, PREV, { id: 'k', secret: 'x' }),
    () => audit.buildSealed(ok, PREV, 'k1'),
    () => audit.buildSealed(null, PREV),
    () => audit.buildSealed('{"action":"user.login"}', PREV),
    () => audit.buildSealed([ok], PREV),
    () => audit.buildSealed({ ...ok, action: 5 }),
    () => audit.buildSealed({ ...ok, actor: 5 }),
    () => audit.buildSealed({ ...ok, sensitivePaths: 'x' }),
    () => audit.buildSealed({ ...ok, big: 1n }),
    () => audit.build(undefined),
    () => audit.seal(audit.build(ok), 42),
    () => audit.seal(audit.build(ok), PREV, { id: 'k', secret: 'x' }),
  ]) {
    assert.throws(fn, TypeError)
  }
})

test('a frozen key and keys used from many records keep working', () => {
  const frozen = Object.freeze(new audit.SealKey('kf', SECRET))
  const a = audit.buildSealed({ action: 'user.login', actor: { type: 'user', id: 'u' }, id: 'e', occurredAt: 1 }, null, frozen)
  const b = audit.seal(audit.build({ action: 'user.login', actor: { type: 'user', id: 'u' }, id: 'e', occurredAt: 1 }), null, frozen)
  assert.equal(a.seal_key_id, 'kf')
  assert.deepStrictEqual(a, b)
  assert.ok(audit.verifyChain([a], frozen).ok)
})

test('seal of JSON text is the seal of the parsed record; bad text fails before anything is parsed', () => {
  for (const options of OPTION_SETS) {
    const record = audit.build(options)
    for (const key of [KEY, null]) {
      const fromText = audit.seal(JSON.stringify(record), PREV, key)
      const fromObject = sealViaJson(record, PREV, key)
      assert.deepStrictEqual(fromText, fromObject)
      assert.equal(JSON.stringify(fromText), JSON.stringify(fromObject))
    }
  }
  // Repeated names (the last wins, in the first one's place) and number spellings.
  const odd = audit.seal('{"a":1.0,"b":[1.50, 2e0],"a":{"x":"y"}}', null)
  assert.equal(JSON.stringify(odd), JSON.stringify({ a: { x: 'y' }, b: [1.5, 2], prev_hash: '0'.repeat(64), hash: odd.hash }))
  assert.equal(odd.hash, audit.seal({ b: [1.5, 2], a: { x: 'y' } }, null).hash)
  assert.throws(() => audit.seal('{"a":1e400}', null), (err) => err instanceof TenantryError && err.code === 'input.invalid_json')
  assert.throws(() => audit.seal('[1]', null), (err) => err instanceof AuditError && err.code === 'audit.invalid_record')
  assert.throws(() => audit.seal('{"hash":"x"}', null), (err) => err instanceof AuditError && err.code === 'audit.invalid_record')
  assert.throws(() => audit.seal({ toJSON: () => undefined }, null), TypeError)
  assert.throws(() => audit.seal([], null), (err) => err instanceof AuditError && err.code === 'audit.invalid_record')
  assert.throws(() => audit.seal(5, null), (err) => err instanceof AuditError)
})

test('records whose JSON Node and the core print differently still seal as their JSON', () => {
  // serde_json prints 1e21 where JSON.stringify prints 1e+21, and orders integer-like names as text.
  const metadata = { 10: 'ten', 9: 'nine', big: 1e21, small: 5e-324, nested: { 2: [1e300], 1: -0 } }
  for (const options of [
    { action: 'user.login', actor: { type: 'user', id: 'u' }, metadata },
    { action: 'setting.updated', actor: { type: 'user', id: 'u' }, before: { a: { 10: 1, 9: 2 } }, after: { a: [1e21] } },
  ]) {
    const record = audit.build(options)
    const want = sealViaJson(record, PREV, KEY)
    assert.equal(JSON.stringify(audit.seal(record, PREV, KEY)), JSON.stringify(want))
    assert.equal(audit.buildSealed({ ...options, id: record.id, occurredAt: new Date(record.occurred_at) }, PREV, KEY).hash, want.hash)
  }
})
