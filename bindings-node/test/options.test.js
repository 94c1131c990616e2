'use strict'
// Options objects (js/options.js): a member a call does not know is a TypeError, as an unknown
// keyword argument is in Python; null members are absent where declared `?: T | null`; and the
// table of calls and members is the one index.d.ts declares.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const ts = require('typescript')
const tenantry = require('..')
const { CALLS } = require('../js/options.js')

const { audit, ApiKeys, PlanCatalog, RateLimit, RetryPolicy, SettingsSchema, Webhook, stripe, slack } = tenantry
const NOW = 1_700_000_000

// ---- the declarations --------------------------------------------------------------------------

/**
 * Every declared call with an options argument (a parameter whose type, without null and
 * undefined, is an interface named `...Options`): name (as in js/options.js) → [index, members,
 * required] (required: neither optional nor nullable).
 */
function declaredCalls() {
  const dts = path.join(__dirname, '..', 'index.d.ts')
  const program = ts.createProgram({ rootNames: [dts], options: { strict: true, noEmit: true, types: ['node'] } })
  const checker = program.getTypeChecker()
  const calls = new Map()

  function addSignatures(name, signatures) {
    for (const signature of signatures) {
      for (const [index, param] of signature.getParameters().entries()) {
        const declared = checker.getTypeOfSymbol(param)
        const type = checker.getNonNullableType(declared)
        const symbol = type.aliasSymbol ?? type.getSymbol()
        if (symbol === undefined || !symbol.name.endsWith('Options')) continue
        const required = declared === type && param.valueDeclaration?.questionToken === undefined
        calls.set(name, [index, checker.getPropertiesOfType(type).map((p) => p.name).sort(), required])
      }
    }
  }

  function addType(name, type) {
    addSignatures(name, type.getCallSignatures())
    const constructs = type.getConstructSignatures()
    addSignatures(name, constructs)
    if (constructs.length > 0) {
      for (const p of checker.getPropertiesOfType(type)) {
        if (p.name !== 'prototype') addSignatures(`${name}.${p.name}`, checker.getTypeOfSymbol(p).getCallSignatures())
      }
      for (const p of checker.getPropertiesOfType(constructs[0].getReturnType())) {
        addSignatures(`${name}#${p.name}`, checker.getTypeOfSymbol(p).getCallSignatures())
      }
    } else if (type.getCallSignatures().length === 0) {
      for (const p of checker.getPropertiesOfType(type)) addType(`${name}.${p.name}`, checker.getTypeOfSymbol(p))
    }
  }

  const module = checker.getSymbolAtLocation(program.getSourceFile(dts))
  for (const exported of checker.getExportsOfModule(module)) {
    if (exported.flags & ts.SymbolFlags.Value) addType(exported.name, checker.getTypeOfSymbol(exported))
  }
  return calls
}

test('js/options.js checks exactly the calls, arguments and members index.d.ts declares', () => {
  const declared = declaredCalls()
  assert.ok(declared.size >= 20, `only ${declared.size} calls with options found in index.d.ts`)
  const checked = new Map(CALLS.map(([name, index, members, , required = false]) => [name, [index, [...members].sort(), required]]))
  assert.deepEqual(checked, declared)
})

// ---- at runtime --------------------------------------------------------------------------------

const sealKey = new audit.SealKey('k1', Buffer.alloc(32, 7))
const keys = new ApiKeys({ prefix: 'tk', peppers: { p1: Buffer.alloc(32, 'k') } })
const issued = keys.generate({ now: NOW })
const webhook = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
const signed = webhook.sign('msg_1', '{}', NOW)
const entitlements = new PlanCatalog({ free: { limits: { max_users: 5 } } }).entitlements('free')
const schema = new SettingsSchema({ type: 'object', properties: { n: { type: 'integer', default: 1 } } })
const sealed = audit.buildSealed({ action: 'user.login', actor: { type: 'user', id: 'u_1' }, occurredAt: NOW }, null, sealKey)
const random = Buffer.alloc(30, 1)

// Each call of the table, run with given options, and options it accepts.
const RUN = {
  'Webhook#verify': [(o) => webhook.verify('{}', signed, o), { now: NOW }],
  'stripe.verify': [(o) => stripe.verify('{}', stripe.sign('{}', 'whsec_x', NOW), 'whsec_x', o), { now: NOW }],
  'slack.verify': [(o) => slack.verify('{}', String(NOW), slack.sign('{}', 'sec', NOW), 'sec', o), { now: NOW }],
  RetryPolicy: [(o) => new RetryPolicy(o), { schedule: [5, 60] }],
  'RetryPolicy.exponential': [(o) => RetryPolicy.exponential(o), { initialDelay: 1, maxDelay: 10, maxRetries: 3 }],
  'RetryPolicy#decide': [(o) => new RetryPolicy().decide(1, 500, null, o), { now: NOW }],
  'PlanCatalog#entitlements': [(o) => new PlanCatalog({ free: { limits: { max_users: 5 } } }).entitlements('free', o), {}],
  'Entitlements#check': [(o) => entitlements.check('max_users', 1, 1, o), { now: NOW }],
  'Entitlements#enforce': [(o) => entitlements.enforce('max_users', 1, 1, o), { now: NOW }],
  RateLimit: [(o) => new RateLimit(1, 1, o), { burst: 2 }],
  ApiKeys: [(o) => new ApiKeys(o), { prefix: 'tk', peppers: { p1: Buffer.alloc(32, 'k') } }],
  'ApiKeys#generate': [(o) => keys.generate(o), { now: NOW }],
  'ApiKeys#generateWithRandom': [(o) => keys.generateWithRandom(random, o), { now: NOW }],
  'ApiKeys#verify': [(o) => keys.verify(issued.token, issued.record, o), { now: NOW }],
  'ApiKeys#roll': [(o) => keys.roll(issued.record, o), { grace: 60, now: NOW }],
  'ApiKeys#rollWithRandom': [(o) => keys.rollWithRandom(random, issued.record, o), { grace: 60, now: NOW }],
  'audit.build': [(o) => audit.build(o), { action: 'user.login', actor: { type: 'user', id: 'u_1' } }],
  'audit.buildSealed': [(o) => audit.buildSealed(o, null, sealKey), { action: 'user.login', actor: { type: 'user', id: 'u_1' } }],
  'audit.verifyChain': [(o) => audit.verifyChain([sealed], sealKey, o), { anchor: audit.GENESIS_HASH }],
  SettingsSchema: [(o) => new SettingsSchema({ type: 'object' }, o), { maxDepth: 8 }],
  'SettingsSchema#applyPatch': [(o) => schema.applyPatch({}, { n: 2 }, o), { role: 'admin' }],
  'SettingsSchema#set': [(o) => schema.set({}, 'n', 2, o), { role: 'admin' }],
}

function refused(run, options, name, hint, members) {
  assert.throws(
    () => run(options),
    (err) => {
      assert.ok(err instanceof TypeError, `${err}`)
      assert.ok(!(err instanceof tenantry.TenantryError))
      assert.equal(err.code, 'ERR_INVALID_ARG_VALUE')
      assert.match(err.message, new RegExp(`unknown option '${name}'${hint ? ` \\(did you mean '${hint}'\\?\\)` : ';'}`))
      // The options listed are every one the call reads (applyPatch: role and expectedEtag).
      if (members !== undefined) assert.ok(err.message.endsWith(`; its options are ${members.join(', ')}`), err.message)
      return true
    },
  )
}

test('every call of the table has a runner here', () => {
  assert.deepEqual(Object.keys(RUN).sort(), CALLS.map(([name]) => name).sort())
})

for (const [call, , members, , required = false] of CALLS) {
  const [run, good] = RUN[call]

  test(`${call}: an unknown member is a TypeError naming it, and nothing else happens`, () => {
    run(good)
    refused(run, { ...good, colour: 'blue' }, 'colour', undefined, members)
    // A Python spelling of a member: the message names the JS one.
    const camel = members.find((m) => /[A-Z]/.test(m))
    if (camel !== undefined) {
      const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
      refused(run, { ...good, [snake]: good[camel] ?? 1 }, snake, camel, members)
    }
    // The caller's object is left as it was.
    const options = { ...good, colour: 'blue' }
    assert.throws(() => run(options), TypeError)
    assert.deepEqual(options, { ...good, colour: 'blue' })
  })

  test(`${call}: options that are not an object are a TypeError, not skipped`, () => {
    // napi-rs skipped them: `new RateLimit(10, 60, 3)`, Python's positional burst, had none.
    for (const bad of [3, 'x', true, () => good]) {
      assert.throws(
        () => run(bad),
        (err) => err instanceof TypeError && err.code === 'ERR_INVALID_ARG_TYPE' && /options must be an object like \{ /.test(err.message),
        `${call} ${typeof bad}`,
      )
    }
  })

  test(`${call}: options left out are a TypeError with a code where they are required, else absent`, () => {
    for (const missing of [undefined, null]) {
      if (!required) {
        // (Calls whose other arguments or defaults then fail throw their own errors, not this one.)
        try {
          run(missing)
        } catch (err) {
          assert.doesNotMatch(String(err.message), /options must be an object|Cannot convert undefined or null/, call)
        }
        continue
      }
      assert.throws(
        () => run(missing),
        (err) =>
          err instanceof TypeError &&
          err.code === 'ERR_INVALID_ARG_TYPE' &&
          err.message.endsWith(`: options must be an object like { ${members.join(', ')} }, not ${missing === null ? 'null' : 'undefined'}`),
        `${call} ${missing}`,
      )
    }
  })

  test(`${call}: an unknown member that is undefined counts as absent; null members as declared`, () => {
    run({ ...good, colour: undefined })
    for (const member of members) {
      if (member in good) continue
      // Declared `?: T | null`: null is absent, or (audit.build's retentionDays) keeps forever.
      run({ ...good, [member]: null })
    }
  })
}

test('an options object is read from its own and inherited enumerable members, as for...in does', () => {
  const inherited = Object.create({ tolerance: 300, colour: 'blue' })
  inherited.now = NOW
  refused((o) => webhook.verify('{}', signed, o), inherited, 'colour')
})

test('audit.build: null retentionDays keeps the record forever (null is not dropped there)', () => {
  const fields = { action: 'user.login', actor: { type: 'user', id: 'u_1' }, occurredAt: NOW }
  assert.equal(audit.build({ ...fields, retentionDays: null }).expires_at, null)
  assert.notEqual(audit.build(fields).expires_at, null)
})

test('null options members are dropped from a copy: the caller keeps its object', () => {
  const options = { grace: 60, now: NOW, expiresAt: null }
  const rolled = keys.roll(issued.record, options)
  assert.equal(rolled.record.expiresAt, null)
  assert.deepEqual(options, { grace: 60, now: NOW, expiresAt: null })
})

test('checked constructors stay the classes: instanceof, subclasses, statics, no call without new', () => {
  class Limiter extends RateLimit {
    describe() {
      return `${this.limit} per ${this.period} s`
    }
  }
  const limiter = new Limiter(3, 10, { burst: 4 })
  assert.ok(limiter instanceof Limiter && limiter instanceof RateLimit)
  assert.equal(limiter.describe(), '3 per 10 s')
  assert.equal(limiter.burst, 4)
  assert.equal(limiter.check(null, NOW).allowed, true)
  refused((o) => new Limiter(3, 10, o), { brust: 4 }, 'brust')
  assert.ok(RetryPolicy.exponential({ initialDelay: 1, maxDelay: 2, maxRetries: 1 }) instanceof RetryPolicy)
  assert.equal(RateLimit.name, 'RateLimit')
  assert.throws(() => RateLimit(1, 1), TypeError)
})

// ---- members read by name ----------------------------------------------------------------------
//
// A copy made with for...in (to drop null members) or sent through `JSON.stringify` (audit.build)
// had only the object's own enumerable members: an options object that is a class instance lost
// its getters, and with them a scope check, a clock or an etag check, without a word.

test("every call reads each option by name: a class's getters and inherited members count, with null members beside them", () => {
  for (const [call, , members] of CALLS) {
    const [run, good] = RUN[call]
    const read = new Set()
    const proto = {}
    for (const [name, value] of Object.entries(good)) {
      Object.defineProperty(proto, name, {
        get() {
          read.add(name)
          return value
        },
      })
    }
    const options = Object.create(proto)
    // A null member beside them (audit.build's retentionDays: null keeps the record forever).
    const absent = members.find((m) => !(m in good) && m !== 'schema')
    if (absent !== undefined) options[absent] = null
    run(options)
    assert.deepEqual([...read].sort(), Object.keys(good).sort(), call)
  }
})

test('a class instance as options: its getters are read beside a null field (security checks kept)', () => {
  class Policy {
    environment = null
    get requiredScopes() {
      return ['admin:write']
    }
  }
  const verdict = keys.verify(issued.token, issued.record, new Policy())
  assert.equal(verdict.code, 'INSUFFICIENT_SCOPE')
  assert.deepEqual(verdict.missingScopes, ['admin:write'])

  class Clock {
    tolerance = null
    get now() {
      return NOW
    }
  }
  webhook.verify('{}', signed, new Clock())
  assert.throws(() => webhook.verify('{}', signed, { tolerance: null }), { code: 'webhook.timestamp_too_old' })

  class Guarded {
    role = null
    get expectedEtag() {
      return 'stale'
    }
  }
  assert.throws(() => schema.applyPatch({}, { n: 2 }, new Guarded()), tenantry.ConcurrentUpdateError)
  assert.throws(() => schema.set({}, 'n', 2, new Guarded()), tenantry.ConcurrentUpdateError)

  // audit.build: the masking a getter asks for is applied (JSON.stringify dropped it).
  class Change {
    action = 'user.updated'
    actor = { type: 'user', id: 'u_1' }
    before = { password: 'old' }
    after = { password: 'SECRET' }
    reason = null
    get sensitivePaths() {
      return ['/password']
    }
  }
  const record = audit.build(new Change())
  assert.deepEqual(record.changes, [{ path: '/password', before: '***', after: '***' }])
  assert.equal(audit.buildSealed(new Change(), null).changes[0].after, '***')
})
