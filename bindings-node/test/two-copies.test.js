'use strict'
// Two copies of the package in one process (two installs side by side, a library's own nested
// `tenantry`): an error one copy throws is `instanceof` the other's classes as well, by the class
// chain each prototype names (see index.js), so a handler written against either copy tells a
// WebhookVerificationError from a bug.

const { test, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ours = require('..')

// A second install: the files the package publishes, copied (the addon too, loaded again).
const ROOT = path.join(__dirname, '..')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-copy-'))
for (const name of fs.readdirSync(ROOT)) {
  if (['package.json', 'index.js', 'index.mjs', 'native.js', 'js'].includes(name) || name.endsWith('.node')) {
    fs.cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true })
  }
}
const other = require(dir)
after(() => fs.rmSync(dir, { recursive: true, force: true }))

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

function thrown(call) {
  try {
    call()
  } catch (err) {
    return err
  }
  assert.fail('expected a throw')
}

test('the second copy is another copy: its own classes and addon', () => {
  assert.notEqual(other.TenantryError, ours.TenantryError)
  assert.notEqual(other.Webhook, ours.Webhook)
})

test("an error of the other copy is instanceof our classes, up its chain and no further", () => {
  const err = thrown(() => new other.Webhook(SECRET).verify('{}', { 'webhook-id': 'msg_1' }, { now: 1_700_000_000 }))
  assert.ok(err instanceof other.WebhookVerificationError)
  assert.equal(err.code, 'webhook.missing_header')
  for (const [name, expected] of [
    ['WebhookVerificationError', true],
    ['WebhookError', true],
    ['TenantryError', true],
    ['ApiKeyError', false],
    ['SettingsError', false],
    ['InvalidInputError', false],
  ]) {
    assert.equal(err instanceof ours[name], expected, name)
  }
  assert.ok(err instanceof Error)
})

test('and the other way round, for every error class', () => {
  const names = Object.keys(ours).filter((name) => /Error$/.test(name) && name !== 'TenantryError')
  assert.ok(names.length >= 10)
  for (const name of names) {
    const err = new ours[name]('message', 'input.invalid')
    assert.ok(err instanceof other[name], name)
    assert.ok(err instanceof other.TenantryError, name)
    const parent = Object.getPrototypeOf(ours[name]).name
    assert.ok(err instanceof other[parent], `${name} < ${parent}`)
  }
})

test('a limit refusal from the other copy keeps its decision', () => {
  const limit = new other.RateLimit(1, 60)
  const first = limit.check(null, 1_700_000_000)
  const err = thrown(() => limit.enforce(first.state, 1_700_000_000))
  assert.ok(err instanceof ours.LimitExceededError)
  assert.ok(err instanceof ours.LimitsError)
  assert.equal(err.decision.allowed, false)
})

test('subclasses callers declare keep the ordinary instanceof', () => {
  class AppError extends ours.TenantryError {}
  class WebhookError extends ours.TenantryError {}
  const app = new AppError('app')
  assert.ok(app instanceof AppError)
  assert.ok(app instanceof ours.TenantryError)
  assert.ok(app instanceof other.TenantryError)
  assert.equal(new ours.TenantryError('x') instanceof AppError, false)
  // The same name as one of ours: not ours, so no chain is looked at.
  assert.equal(new ours.WebhookError('x') instanceof WebhookError, false)
  assert.equal(new other.WebhookError('x') instanceof WebhookError, false)
})

test('values that are not errors are not instances', () => {
  for (const value of [null, undefined, 0, 'TenantryError', {}, [], new Error('x'), Object.create(null)]) {
    assert.equal(value instanceof ours.TenantryError, false)
  }
})
