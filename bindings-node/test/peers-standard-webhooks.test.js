'use strict'
// Cross-checks tenantry's Standard Webhooks v1 against the official peers, `svix` and
// `standardwebhooks`, on generated inputs, in both directions, and on tampered inputs.
//
// Every case comes from a seeded generator (SEED), so a failure names a case that reproduces.
// The peers turn Buffers into text (`buf.toString()`, lossy for non-UTF-8 bytes), so non-UTF-8
// payloads are checked against the same computation done with node:crypto.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const { Webhook, WebhookVerificationError } = require('..')
const svix = require('svix')
const standardwebhooks = require('standardwebhooks')
const { mulberry32 } = require('./helpers')

const SEED = 0x7e7a2026
const CASES = 300
const ID_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:~é✓']
const TEXT_POOL = ['a', 'Z', '0', ' ', '\n', '\t', '"', '\\', '{', '}', ',', ':', '.', 'é', 'ß', '€', '你', '好', '😀', '🚀', '\u0000', '\u2028', '\ufeff']
const BASE64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const TAMPERS = ['payload', 'msgId', 'timestamp', 'signature', 'secret']

// mulberry32: a small seeded PRNG, so every run generates the same cases.
function rng(seed) {
  const next = mulberry32(seed)
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = (list) => list[int(0, list.length - 1)]
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => int(0, 255)))
  return { next, int, pick, bytes }
}

function randomText(r) {
  const n = r.pick([0, 1, 7, 64, 300, 1024, 2000])
  const pool = r.next() < 0.3 ? [...'abcdefghijklmnopqrstuvwxyz {}:,"0123456789'] : TEXT_POOL
  let out = ''
  for (let i = 0; i < n; i++) out += r.pick(pool)
  return out
}

function generateCases(seed, count) {
  const r = rng(seed)
  const cases = []
  for (let index = 0; index < count; index++) {
    const key = r.bytes(r.int(24, 64))
    let encoded = key.toString('base64')
    if (r.next() < 0.3) encoded = encoded.replace(/=+$/, '')
    const secret = (r.next() < 0.6 ? 'whsec_' : '') + encoded
    let msgId = r.next() < 0.7 ? 'msg_' : ''
    for (let i = r.int(1, 40); i > 0; i--) msgId += r.pick(ID_CHARS)
    cases.push({
      index,
      key,
      secret,
      msgId,
      payload: randomText(r),
      timestamp: r.int(1_000_000_000, 2_000_000_000),
      skew: r.int(-299, 299),
      headerStyle: r.pick(['webhook', 'svix', 'Webhook-Title', 'UPPER']),
      payloadAsBuffer: r.next() < 0.5,
      tamper: r.pick(TAMPERS),
    })
  }
  return cases
}

const CASE_LIST = generateCases(SEED, CASES)
const label = (c) => `case ${c.index} (seed 0x${SEED.toString(16)})`

function styled(headers, style) {
  const out = {}
  for (let [name, value] of Object.entries(headers)) {
    if (style === 'svix') name = name.replace('webhook-', 'svix-')
    else if (style === 'Webhook-Title') name = name.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('-')
    else if (style === 'UPPER') name = name.toUpperCase()
    out[name] = value
  }
  return out
}

function peers(secret) {
  return { svix: new svix.Webhook(secret), standardwebhooks: new standardwebhooks.Webhook(secret) }
}

function peerVerify(peer, payload, headers) {
  if (peer instanceof standardwebhooks.Webhook) peer.verify(payload, headers, { jsonParse: false })
  else peer.verify(payload, headers)
}

function cryptoSignature(key, msgId, ts, payload) {
  const mac = crypto.createHmac('sha256', key)
  mac.update(`${msgId}.${ts}.`)
  mac.update(payload)
  return `v1,${mac.digest('base64')}`
}

const nowSecs = () => Math.floor(Date.now() / 1000)

test('the generator is seeded and varied', () => {
  assert.deepStrictEqual(generateCases(SEED, 5), CASE_LIST.slice(0, 5))
  assert.ok(new Set(CASE_LIST.map((c) => c.msgId)).size > CASES * 0.9)
  assert.deepStrictEqual(new Set(CASE_LIST.map((c) => c.tamper)), new Set(TAMPERS))
  assert.ok(CASE_LIST.some((c) => !c.secret.startsWith('whsec_')))
  assert.ok(CASE_LIST.some((c) => !c.secret.endsWith('=') && c.key.length % 3 !== 0))
})

test('peers sign, tenantry verifies', () => {
  for (const c of CASE_LIST) {
    const ours = new Webhook(c.secret)
    const body = c.payloadAsBuffer ? Buffer.from(c.payload) : c.payload
    for (const [name, peer] of Object.entries(peers(c.secret))) {
      const signature = peer.sign(c.msgId, new Date(c.timestamp * 1000), c.payload)
      const base = { 'webhook-id': c.msgId, 'webhook-timestamp': String(c.timestamp), 'webhook-signature': signature }
      const headers = styled(base, c.headerStyle)
      assert.doesNotThrow(() => ours.verify(body, headers, { now: c.timestamp + c.skew }), `${label(c)} ${name}`)
      // Among other signatures (rotation on the sender's side) and as a repeated header.
      const other = cryptoSignature(Buffer.alloc(32, 7), c.msgId, c.timestamp, c.payload)
      const repeated = { ...headers, ...styled({ 'webhook-signature': [other, `v2,xyz ${signature}`] }, c.headerStyle) }
      assert.doesNotThrow(() => ours.verify(body, repeated, { now: new Date((c.timestamp + c.skew) * 1000) }), label(c))
    }
  }
})

test('tenantry signs, peers verify', () => {
  for (const c of CASE_LIST) {
    // The peers check the timestamp against the real clock: sign close to now.
    const ts = nowSecs() + Math.trunc(c.skew / 2)
    const body = c.payloadAsBuffer ? Buffer.from(c.payload) : c.payload
    const headers = new Webhook(c.secret).sign(c.msgId, body, ts)
    for (const [name, peer] of Object.entries(peers(c.secret))) {
      assert.equal(headers['webhook-signature'], peer.sign(c.msgId, new Date(ts * 1000), c.payload), `${label(c)} ${name}`)
      assert.doesNotThrow(() => peerVerify(peer, body, headers), `${label(c)} ${name}`)
    }
    // Rotation: tenantry signs with an old and a new secret; a peer holding either one verifies.
    const old = crypto.createHash('sha256').update(c.key).digest('base64')
    const rotated = new Webhook([old, c.secret]).sign(c.msgId, body, ts)
    assert.equal(rotated['webhook-signature'].split(' ').length, 2)
    for (const secret of [old, c.secret]) {
      for (const [name, peer] of Object.entries(peers(secret))) {
        assert.doesNotThrow(() => peerVerify(peer, body, rotated), `${label(c)} ${name} rotation`)
      }
    }
  }
})

function tampered(c, signed, body) {
  const r = rng(SEED + c.index)
  const headers = { ...signed }
  let secret = c.secret
  switch (c.tamper) {
    case 'payload': {
      const chars = [...body.toString()]
      if (chars.length > 0 && r.next() < 0.5) {
        // Replace one whole character, so the payload stays UTF-8 for the peers.
        const j = r.int(0, chars.length - 1)
        chars[j] = chars[j] === 'x' ? 'y' : 'x'
        body = Buffer.from(chars.join(''))
      } else {
        body = Buffer.concat([body, Buffer.from(' ')])
      }
      break
    }
    case 'msgId':
      headers['webhook-id'] += 'x'
      break
    case 'timestamp':
      headers['webhook-timestamp'] = String(Number(headers['webhook-timestamp']) + r.pick([-1, 1]))
      break
    case 'signature': {
      const [version, sig] = headers['webhook-signature'].split(',')
      const i = r.int(0, 39) // not the last characters, which carry padding bits
      const replacement = r.pick([...BASE64_CHARS].filter((ch) => ch !== sig[i]))
      headers['webhook-signature'] = `${version},${sig.slice(0, i)}${replacement}${sig.slice(i + 1)}`
      break
    }
    default:
      secret = `whsec_${crypto.createHash('sha256').update(c.key).update('other').digest('base64')}`
  }
  return { headers, body, secret }
}

test('tampered messages are rejected by tenantry and by both peers', () => {
  for (const c of CASE_LIST) {
    const ts = nowSecs() + Math.trunc(c.skew / 2)
    const original = Buffer.from(c.payload)
    const signed = new Webhook(c.secret).sign(c.msgId, original, ts)
    // Untampered, everyone accepts it (so a rejection below is the tampering's doing).
    for (const peer of Object.values(peers(c.secret))) peerVerify(peer, original, signed)
    const { headers, body, secret } = tampered(c, signed, original)
    assert.throws(
      () => new Webhook(secret).verify(body, headers, { now: ts }),
      (err) => err instanceof WebhookVerificationError && err.code === 'webhook.no_matching_signature',
      `${label(c)} ${c.tamper}`,
    )
    for (const [name, peer] of Object.entries(peers(secret))) {
      assert.throws(() => peerVerify(peer, body, headers), /signature|Missing|headers/i, `${label(c)} ${name} ${c.tamper}`)
    }
  }
})

test('non-UTF-8 payloads match the node:crypto computation', () => {
  for (const c of CASE_LIST.slice(0, 100)) {
    const r = rng(SEED ^ c.index)
    const body = Buffer.concat([r.bytes(r.pick([1, 2, 17, 1024, 4096])), Buffer.from([0xff, 0xfe, 0x80])])
    assert.notDeepEqual(Buffer.from(body.toString()), body) // really not UTF-8
    const expected = cryptoSignature(c.key, c.msgId, c.timestamp, body)
    const ours = new Webhook(c.secret)
    const headers = ours.sign(c.msgId, body, c.timestamp)
    assert.equal(headers['webhook-signature'], expected, label(c))
    ours.verify(new Uint8Array(body), headers, { now: c.timestamp + c.skew })
    const flipped = Buffer.from(body)
    flipped[0] ^= 1
    assert.throws(() => ours.verify(flipped, headers, { now: c.timestamp }), WebhookVerificationError)
  }
})

test('outside the window: tenantry and the peers all reject', () => {
  const secret = `whsec_${Buffer.alloc(32, 's').toString('base64')}`
  const now = nowSecs()
  for (const [offset, code] of [
    [-301, 'webhook.timestamp_too_old'],
    [301, 'webhook.timestamp_too_new'],
  ]) {
    const body = Buffer.from('{"a":1}')
    const headers = new Webhook(secret).sign('msg_1', body, now + offset)
    assert.throws(() => new Webhook(secret).verify(body, headers, { now }), (err) => err.code === code)
    for (const peer of Object.values(peers(secret))) {
      assert.throws(() => peerVerify(peer, body, headers), /timestamp too/)
    }
  }
})
