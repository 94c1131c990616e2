'use strict'
// Stripe, GitHub and Slack signatures: cross-checks against the official libraries on generated
// payloads in both directions, and bad input (each a typed error, never a crash).

const { test } = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const Stripe = require('stripe')
const tenantry = require('..')
const { mulberry32 } = require('./helpers')
const { stripe, github, slack, WebhookVerificationError, WebhookError, TenantryError } = tenantry

const stripePeer = new Stripe('sk_test_not_used')

const rng = mulberry32
const rand = rng(20261122)
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+/=éß€😀"\\{}'
function text(n) {
  let out = ''
  for (let i = 0; i < n; i++) out += [...ALPHABET][Math.floor(rand() * [...ALPHABET].length)]
  return out
}
function eventPayload() {
  return JSON.stringify({
    id: 'evt_' + text(12),
    object: 'event',
    type: 'invoice.paid',
    data: { object: { note: text(Math.floor(rand() * 300)) } },
  })
}
const CASES = Array.from({ length: 40 }, () => [eventPayload(), 'whsec_' + text(1 + Math.floor(rand() * 40)).replace(/\s/g, '')])

function expectCode(fn, code, cls = TenantryError) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof cls, `${err} is not a ${cls.name}`)
    assert.equal(err.code, code, err.message)
    return true
  })
}

// ---- Stripe ---------------------------------------------------------------------------------

test('stripe: the stripe package signs, tenantry verifies', () => {
  for (const [payload, secret] of CASES) {
    const timestamp = Math.floor(Date.now() / 1000) - Math.floor(rand() * 299)
    const header = stripePeer.webhooks.generateTestHeaderString({ payload, secret, timestamp })
    stripe.verify(payload, header, secret)
    stripe.verify(Buffer.from(payload), header, secret, { now: timestamp + 300 })
    expectCode(() => stripe.verify(payload + ' ', header, secret), 'webhook.no_matching_signature', WebhookVerificationError)
  }
})

test('stripe: tenantry signs, the stripe package verifies (constructEvent)', () => {
  for (const [payload, secret] of CASES) {
    const timestamp = 1_700_000_000 + Math.floor(rand() * 1e6)
    const header = stripe.sign(payload, secret, timestamp)
    assert.equal(header, stripePeer.webhooks.generateTestHeaderString({ payload, secret, timestamp }))
    const event = stripePeer.webhooks.constructEvent(payload, header, secret, 300, undefined, (timestamp + 299) * 1000)
    assert.equal(event.id, JSON.parse(payload).id)
    assert.throws(() => stripePeer.webhooks.constructEvent(payload, header, secret + 'x', 300, undefined, timestamp * 1000))
  }
})

test('stripe: a header with a signature per rolled secret', () => {
  const payload = eventPayload()
  const timestamp = Math.floor(Date.now() / 1000)
  const old = stripePeer.webhooks.generateTestHeaderString({ payload, secret: 'whsec_old', timestamp })
  const fresh = stripePeer.webhooks.generateTestHeaderString({ payload, secret: 'whsec_new', timestamp })
  const header = `${old},${fresh.split(',')[1]}`
  stripe.verify(payload, header, 'whsec_old')
  stripe.verify(payload, header, 'whsec_new')
  stripePeer.webhooks.constructEvent(payload, header, 'whsec_new')
})

test('stripe: a future timestamp is rejected', () => {
  const now = Math.floor(Date.now() / 1000)
  const header = stripe.sign('{}', 'whsec_x', now + 3600)
  expectCode(() => stripe.verify('{}', header, 'whsec_x', { now }), 'webhook.timestamp_too_new', WebhookVerificationError)
  stripe.verify('{}', header, 'whsec_x', { now: new Date((now + 3600) * 1000) })
})

// ---- GitHub ---------------------------------------------------------------------------------

test('github: official vector', () => {
  assert.equal(
    github.sign('Hello, World!', "It's a Secret to Everybody"),
    'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
  )
})

test('github: @octokit/webhooks-methods signs, tenantry verifies, and back', async () => {
  const octokit = await import('@octokit/webhooks-methods')
  for (const [payload, secret] of CASES) {
    const theirs = await octokit.sign(secret, payload)
    github.verify(payload, theirs, secret)
    github.verify(Buffer.from(payload), theirs, ['rotated', secret])
    expectCode(() => github.verify(payload, theirs, ['rotated']), 'webhook.no_matching_signature', WebhookVerificationError)

    const ours = github.sign(payload, secret)
    assert.equal(ours, theirs)
    assert.equal(await octokit.verify(secret, payload, ours), true)
    assert.equal(await octokit.verify(secret + 'x', payload, ours), false)
  }
})

// ---- Slack ----------------------------------------------------------------------------------

function slackReference(secret, timestamp, body) {
  // Slack has no official Node verifier in this repo's peers; this is Slack's documented recipe.
  return 'v0=' + crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')
}

test('slack: documented recipe signs, tenantry verifies, and back', () => {
  for (const [payload, secret] of CASES) {
    const timestamp = 1_700_000_000 + Math.floor(rand() * 1e6)
    const theirs = slackReference(secret, timestamp, payload)
    slack.verify(payload, String(timestamp), theirs, secret, { now: timestamp + 300 })
    slack.verify(payload, String(timestamp), theirs, secret, { now: timestamp - 300 })
    expectCode(() => slack.verify(payload, String(timestamp), theirs, secret, { now: timestamp + 301 }), 'webhook.timestamp_too_old')
    assert.equal(slack.sign(payload, secret, timestamp), theirs)
  }
})

// ---- bad input ------------------------------------------------------------------------------

const HUGE = 'v1=' + 'a'.repeat(1_000_000)

test('wrong types are TypeErrors', () => {
  const calls = [
    () => stripe.sign(123, 's'),
    () => stripe.sign('{}', null),
    () => stripe.sign('{}', 's', '1700000000'),
    () => stripe.verify('{}', 5, 's'),
    () => stripe.verify('{}', 't=1,v1=00', ['s']),
    () => stripe.verify('{}', 't=1,v1=00', 's', { now: 'now' }),
    () => stripe.verify('{}', 't=1,v1=00', 's', { tolerance: '300' }),
    () => github.sign(undefined, 's'),
    () => github.verify('x', 'sha256=00', 42),
    () => github.verify('x', 'sha256=00', ['a', 1]),
    () => slack.sign('x', Buffer.from('secret')),
    () => slack.verify('x', 1700000000, 'v0=00', 's'),
  ]
  for (const call of calls) assert.throws(call, TypeError, String(call))
})

test('bad values are typed errors', () => {
  const cases = [
    [() => stripe.verify('{}', null, 's'), 'webhook.missing_header'],
    [() => stripe.verify('{}', undefined, 's'), 'webhook.missing_header'],
    [() => stripe.verify('{}', '', 's'), 'webhook.missing_header'],
    [() => stripe.verify('{}', HUGE, 's'), 'webhook.invalid_signature_header'],
    [() => stripe.verify('{}', 't=abc,v1=00', 's'), 'webhook.invalid_timestamp'],
    [() => stripe.verify('{}', 't=' + '9'.repeat(30) + ',v1=00', 's'), 'webhook.invalid_timestamp'],
    [() => stripe.verify('{}', 't=1,v1=nothex', 's', { now: 1 }), 'webhook.no_matching_signature'],
    [() => stripe.verify('{}', 'garbage', 's'), 'webhook.invalid_signature_header'],
    [() => stripe.sign('{}', 's', 1e300), 'input.invalid_time'],
    [() => stripe.sign('{}', 's', NaN), 'input.invalid_time'],
    [() => stripe.sign('{}', '', 1), 'webhook.invalid_secret'],
    [() => github.verify('x', null, 's'), 'webhook.missing_header'],
    [() => github.verify('x', 'sha256=' + '0'.repeat(1_000_000), 's'), 'webhook.invalid_signature_header'],
    [() => github.verify('x', 'sha256=xyz', 's'), 'webhook.invalid_signature_header'],
    [() => github.verify('x', 'sha256=' + '0'.repeat(64), []), 'webhook.invalid_secret'],
    [() => slack.verify('x', null, 'v0=00', 's'), 'webhook.missing_header'],
    [() => slack.verify('x', '1700000000', undefined, 's', { now: 1700000000 }), 'webhook.missing_header'],
    [() => slack.verify('x', '1'.repeat(1_000_000), 'v0=00', 's'), 'webhook.invalid_timestamp'],
    [() => slack.verify('x', '-1', 'v0=00', 's'), 'webhook.invalid_timestamp'],
    [() => slack.verify('x', '1700000000', HUGE, 's', { now: 1700000000 }), 'webhook.invalid_signature_header'],
    [() => slack.verify('x', '1700000000', 'v0=zz', 's', { now: 1700000000 }), 'webhook.invalid_signature_header'],
    [() => slack.sign('x', 's', -5), 'input.invalid_time'],
  ]
  for (const [call, code] of cases) expectCode(call, code)
})

test('configuration errors are WebhookErrors, not verification errors', () => {
  assert.throws(
    () => github.verify('x', 'sha256=' + '0'.repeat(64), ''),
    (err) => err instanceof WebhookError && !(err instanceof WebhookVerificationError),
  )
})

test('messages never contain the secret', () => {
  const secret = 'whsec_do_not_print_me'
  for (const call of [
    () => stripe.verify('{}', 't=1,v1=00', secret, { now: 1 }),
    () => github.verify('{}', 'sha256=' + '0'.repeat(64), secret),
    () => slack.verify('{}', '1', 'v0=' + '0'.repeat(64), secret, { now: 1 }),
  ]) {
    assert.throws(call, (err) => !String(err).includes(secret) && !err.message.includes(secret))
  }
})

test('namespaces are frozen plain objects', () => {
  for (const ns of [stripe, github, slack]) {
    assert.equal(typeof ns.sign, 'function')
    assert.equal(typeof ns.verify, 'function')
    assert.ok(Object.isFrozen(ns))
  }
})
