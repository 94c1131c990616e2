'use strict'
// Every error this package throws has a `code`, so callers can tell errors apart without parsing
// messages: the package's own classes carry the core's codes, and a TypeError one of Node's
// (`ERR_INVALID_ARG_TYPE`, `ERR_INVALID_THIS`, `ERR_ILLEGAL_CONSTRUCTOR`...), as Node's own APIs
// do. Errors napi-rs or V8 throw (a method or getter on a value that is not an instance, `new` of a
// class only the package makes) are given the same.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const tenantry = require('..')

const { ApiKeys, PlanCatalog, RateLimit, audit } = tenantry
const NOW = 1_700_000_000

function throwsCode(fn, code, message, label) {
  assert.throws(
    fn,
    (err) => {
      assert.ok(err instanceof TypeError, `${label}: ${err}`)
      assert.equal(err.code, code, `${label}: ${err.message}`)
      if (message !== undefined) assert.match(err.message, message, label)
      return true
    },
    label,
  )
}

// Every class of the module (the error classes aside), by the name callers write.
function classes() {
  const out = []
  const visit = (obj, prefix) => {
    for (const [name, value] of Object.entries(obj)) {
      if (typeof value === 'function' && value.prototype && Object.getOwnPropertyNames(value.prototype).length > 1 && !/Error$/.test(name)) {
        out.push([prefix + name, value])
      } else if (value !== null && typeof value === 'object') {
        visit(value, `${prefix}${name}.`)
      }
    }
  }
  visit(tenantry, '')
  return out
}

test('audit: a key that is not a SealKey is a TypeError with a code', () => {
  const record = audit.build({ action: 'user.login', actor: { type: 'user', id: 'u' }, occurredAt: NOW })
  const notKey = /^key must be an audit\.SealKey/
  throwsCode(() => audit.seal(record, null, {}), 'ERR_INVALID_ARG_TYPE', notKey, 'seal')
  throwsCode(() => audit.seal(JSON.stringify(record), null, 'k'), 'ERR_INVALID_ARG_TYPE', notKey, 'seal text')
  throwsCode(() => audit.buildSealed({ action: 'user.login', actor: { type: 'user', id: 'u' } }, null, {}), 'ERR_INVALID_ARG_TYPE', notKey, 'buildSealed')
  throwsCode(() => audit.verifyChain([], {}), 'ERR_INVALID_ARG_TYPE', notKey, 'verifyChain')
  throwsCode(() => audit.verifyChain([], [new audit.SealKey('k', Buffer.alloc(32)), 'k']), 'ERR_INVALID_ARG_TYPE', notKey, 'verifyChain list')
})

test('every getter, called on a value that is not an instance, is a TypeError with ERR_INVALID_THIS', () => {
  // napi-rs's getters threw a plain Error ("Failed to unwrap exclusive reference of `RateLimit`
  // type from napi value", code 'InvalidArg').
  let getters = 0
  for (const [name, cls] of classes()) {
    for (const key of Object.getOwnPropertyNames(cls.prototype)) {
      const { get } = Object.getOwnPropertyDescriptor(cls.prototype, key)
      if (get === undefined) continue
      getters++
      for (const receiver of [{}, Object.create(cls.prototype)]) {
        throwsCode(() => get.call(receiver), 'ERR_INVALID_THIS', /^(Illegal invocation|Cannot read private member)/, `${name}#${key}`)
      }
    }
  }
  assert.ok(getters >= 20, `only ${getters} getters`)
})

test('methods called on a value that is not an instance are a TypeError with ERR_INVALID_THIS', () => {
  const ent = new PlanCatalog({ free: { limits: { seats: 1 } } }).entitlements('free')
  const limiter = new RateLimit(1, 1)
  const keys = new ApiKeys({ prefix: 'tk', peppers: { p1: 'x'.repeat(32) } })
  const cases = {
    'RateLimit#check (hot path)': () => RateLimit.prototype.check.call({}, null, NOW),
    'RateLimit#check on an Entitlements': () => RateLimit.prototype.check.call(ent, null, NOW),
    'Entitlements#limit': () => tenantry.Entitlements.prototype.limit.call(limiter, 'seats'),
    'ApiKeys#verify (hot path)': () => ApiKeys.prototype.verify.call(limiter, 'x', null),
    'ApiKeys#parse': () => ApiKeys.prototype.parse.call({}, 'x'),
    'Webhook#sign': () => Object.create(tenantry.Webhook.prototype).sign('m', 'x', NOW),
    'SettingsSchema#resolve': () => tenantry.SettingsSchema.prototype.resolve.call(keys, []),
    'RateDecision#headers': () => tenantry.RateDecision.prototype.headers.call({}),
    'Decision#toJSON': () => tenantry.Decision.prototype.toJSON.call({}),
    'audit.buildSealed with a fake SealKey': () =>
      audit.buildSealed({ action: 'user.login', actor: { type: 'user', id: 'u' } }, null, Object.create(audit.SealKey.prototype)),
  }
  for (const [label, call] of Object.entries(cases)) throwsCode(call, 'ERR_INVALID_THIS', undefined, label)
})

test('new of a class only the package makes is a TypeError with ERR_ILLEGAL_CONSTRUCTOR, saying where they come from', () => {
  // napi-rs threw a plain Error: "Class contains no `constructor`, can not new it!".
  const cases = {
    Entitlements: 'PlanCatalog.entitlements',
    IssuedKey: 'ApiKeys.generate',
    RolledKey: 'ApiKeys.roll',
    Decision: 'Entitlements.check',
    RateDecision: 'RateLimit.check',
  }
  for (const [name, madeBy] of Object.entries(cases)) {
    const message = new RegExp(`^${name} has no public constructor: use ${madeBy.replace('.', '\\.')}$`)
    throwsCode(() => new tenantry[name](), 'ERR_ILLEGAL_CONSTRUCTOR', message, name)
    class Sub extends tenantry[name] {}
    throwsCode(() => new Sub(), 'ERR_ILLEGAL_CONSTRUCTOR', message, `subclass of ${name}`)
  }
})

test('a class called without new is a TypeError with ERR_CONSTRUCT_CALL_REQUIRED', () => {
  for (const [name, cls] of classes()) {
    throwsCode(() => cls(), 'ERR_CONSTRUCT_CALL_REQUIRED', /cannot be invoked without 'new'$/, name)
  }
  // (The result classes too, which are JS classes: instances still are theirs.)
  const { Decision, RateDecision } = tenantry
  assert.ok(new PlanCatalog({ free: { limits: { seats: 5 } } }).entitlements('free').check('seats', 1) instanceof Decision)
  assert.ok(new RateLimit(1, 1).check(null, NOW) instanceof RateDecision)
})

test('a BigInt where JSON data goes is a TypeError naming the option or argument and where it is', () => {
  // JSON.stringify threw its own TypeError ("Do not know how to serialize a BigInt"): no code,
  // nothing named.
  const { SettingsSchema } = tenantry
  const base = { action: 'user.login', actor: { type: 'user', id: 'u' } }
  const cases = [
    [() => audit.build({ ...base, retentionDays: 1n }), 'options.retentionDays is not JSON data: a BigInt at the top'],
    [() => audit.build({ ...base, occurredAt: 1n }), 'options.occurredAt is not JSON data: a BigInt at the top'],
    [() => audit.build({ ...base, maxMetadataBytes: 1n }), 'options.maxMetadataBytes is not JSON data: a BigInt at the top'],
    [() => audit.build({ ...base, actor: { type: 'user', id: 1n } }), 'options.actor is not JSON data: a BigInt at /id'],
    [() => audit.build({ ...base, target: { type: 'doc', id: 'd', name: 2n } }), 'options.target is not JSON data: a BigInt at /name'],
    [() => audit.build({ ...base, reason: 1n }), 'options.reason is not JSON data: a BigInt at the top'],
    [() => audit.build({ ...base, tenantId: 7n }), 'options.tenantId is not JSON data: a BigInt at the top'],
    [() => audit.buildSealed({ ...base, id: 1n }, null), 'options.id is not JSON data: a BigInt at the top'],
    [() => audit.build({ ...base, sensitivePaths: ['/a', 1n] }), 'options.sensitivePaths is not JSON data: a BigInt at /1'],
    [() => new SettingsSchema({ type: 'object', default: { a: 1n } }), 'schema is not JSON data: a BigInt at /default/a'],
  ]
  const schema = new SettingsSchema({ type: 'object', properties: { a: { type: 'integer', default: 1 } } })
  for (const method of ['validate', 'etag', 'view', 'entries']) {
    cases.push([() => schema[method]({ a: 1n }), 'doc is not JSON data: a BigInt at /a'])
  }
  cases.push(
    [() => schema.get({ b: [1n] }, 'a'), 'doc is not JSON data: a BigInt at /b/0'],
    [() => schema.resolve([['tenant', { a: 1n }]]), 'layers is not JSON data: a BigInt at /0/1/a'],
    [() => schema.resolve({ tenant: { a: 1n } }), 'layers is not JSON data: a BigInt at /tenant/a'],
    [() => schema.resolve(1n), 'layers is not JSON data: a BigInt at the top'],
  )
  for (const [call, message] of cases) throwsCode(call, 'ERR_INVALID_ARG_TYPE', new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`), message)
})

test("audit.build: NaN and Invalid Dates in its times and sizes stay the addon's typed errors", () => {
  const base = { action: 'user.login', actor: { type: 'user', id: 'u' } }
  assert.throws(() => audit.build({ ...base, occurredAt: NaN }), { code: 'input.invalid_time' })
  assert.throws(() => audit.build({ ...base, occurredAt: new Date(NaN) }), { code: 'input.invalid_time' })
  assert.throws(() => audit.build({ ...base, retentionDays: Infinity }), { code: 'input.invalid' })
  // Elsewhere NaN is what JSON.stringify would turn into null: refused, not dropped.
  throwsCode(() => audit.build({ ...base, reason: NaN }), 'ERR_INVALID_ARG_TYPE', /^options\.reason is not JSON data: NaN at the top$/)
  throwsCode(() => audit.build({ ...base, sensitivePaths: () => ['/a'] }), 'ERR_INVALID_ARG_TYPE', /^options\.sensitivePaths is not JSON data: function at the top$/)
})
