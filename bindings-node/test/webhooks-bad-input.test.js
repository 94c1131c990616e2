'use strict'
// Bad input to `Webhook`: every wrong type is a TypeError, every bad value a typed tenantry error
// with its stable code; nothing crashes the process.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const tenantry = require('..')
const { Webhook, WebhookError, WebhookVerificationError, InvalidInputError, TenantryError } = tenantry

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek'
const TS = 1614265330
const PAYLOAD = Buffer.from('{"test": 2432232314}')
const SIG = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
const GOOD = Object.freeze({ 'webhook-id': MSG_ID, 'webhook-timestamp': String(TS), 'webhook-signature': SIG })

const wh = new Webhook(SECRET)
const isTypeError = (pattern) => (err) => {
  assert.ok(err instanceof TypeError, `not a TypeError: ${err}`)
  assert.equal(err.code, 'ERR_INVALID_ARG_TYPE')
  if (pattern) assert.match(err.message, pattern)
  return true
}
const hasCode = (code, cls = TenantryError) => (err) => {
  assert.ok(err instanceof cls, `not a ${cls.name}: ${err}`)
  assert.equal(err.code, code, err.message)
  return true
}

test('the good message verifies', () => {
  assert.equal(wh.verify(PAYLOAD, GOOD, { now: TS }), undefined)
})

// ---- constructor -----------------------------------------------------------------------------

test('constructor: wrong types are TypeErrors', () => {
  for (const secret of [undefined, null, 123, 1.5, true, {}, { a: 1 }, [1], [SECRET, null], Buffer.from(SECRET), 10n, Symbol('s'), () => SECRET]) {
    assert.throws(() => new Webhook(secret), isTypeError(/secret/), String(typeof secret))
  }
  assert.throws(() => new Webhook(), isTypeError(/secret must be a string or an array of strings, not undefined/))
})

test('constructor: bad values are webhook.invalid_secret', () => {
  for (const secret of ['', 'whsec_', 'whsec_!!!', `whsec_${'A'.repeat(5)}`, 'whsk_abc', 'whpk_', [], `whsec_${'QUJD'.repeat(1_000_000)}`]) {
    assert.throws(() => new Webhook(secret), hasCode('webhook.invalid_secret', WebhookError))
  }
})

// ---- sign ------------------------------------------------------------------------------------

test('sign: wrong types are TypeErrors', () => {
  for (const [msgId, payload] of [
    [null, PAYLOAD],
    [undefined, PAYLOAD],
    [123, PAYLOAD],
    [Buffer.from('msg'), PAYLOAD],
    [MSG_ID, null],
    [MSG_ID, undefined],
    [MSG_ID, 123],
    [MSG_ID, { a: 1 }],
    [MSG_ID, [1, 2]],
    [MSG_ID, new Uint16Array(4)],
    [MSG_ID, new DataView(new ArrayBuffer(4))],
    [MSG_ID, new ArrayBuffer(4)],
  ]) {
    assert.throws(() => wh.sign(msgId, payload, TS), isTypeError(/msgId|payload/))
  }
  assert.throws(() => wh.sign(MSG_ID, 5, TS), isTypeError(/payload must be a Buffer, Uint8Array or string, not number/))
  for (const timestamp of ['1614265330', true, false, {}, [TS], 10n, Symbol('t')]) {
    assert.throws(() => wh.sign(MSG_ID, PAYLOAD, timestamp), isTypeError(/timestamp must be a number of Unix seconds or a Date/))
  }
})

test('sign: bad times and message ids are typed errors', () => {
  for (const timestamp of [-1, NaN, Infinity, -Infinity, 1e300, 1e18, Number.MAX_VALUE, new Date(NaN)]) {
    assert.throws(() => wh.sign(MSG_ID, PAYLOAD, timestamp), hasCode('input.invalid_time', InvalidInputError), String(timestamp))
  }
  for (const msgId of ['', 'a.b', 'a b', 'a\tb', 'a\nb', 'a\u0000b', '.']) {
    assert.throws(() => wh.sign(msgId, PAYLOAD, TS), hasCode('webhook.invalid_message_id', WebhookError))
  }
  const [, publicKey] = tenantry.generateKeypair()
  assert.throws(() => new Webhook(publicKey).sign(MSG_ID, PAYLOAD, TS), hasCode('webhook.cannot_sign', WebhookError))
})

test('sign: every payload form, Dates, fractions and null/undefined timestamps', () => {
  for (const payload of [PAYLOAD, new Uint8Array(PAYLOAD), PAYLOAD.toString()]) {
    for (const timestamp of [TS, TS + 0.999, new Date(TS * 1000 + 999)]) {
      assert.equal(wh.sign(MSG_ID, payload, timestamp)['webhook-signature'], SIG)
    }
  }
  for (const timestamp of [undefined, null]) {
    const now = Math.floor(Date.now() / 1000)
    const ts = Number(wh.sign(MSG_ID, PAYLOAD, timestamp)['webhook-timestamp'])
    assert.ok(Math.abs(ts - now) <= 2)
  }
  // A view into a larger buffer signs exactly its own bytes.
  const big = Buffer.concat([Buffer.from('xx'), PAYLOAD, Buffer.from('yy')])
  assert.equal(wh.sign(MSG_ID, big.subarray(2, 2 + PAYLOAD.length), TS)['webhook-signature'], SIG)
})

test('sign: a plain object of the three headers, in order, for any message id and key list', () => {
  const headers = wh.sign(MSG_ID, PAYLOAD, TS)
  assert.equal(Object.getPrototypeOf(headers), Object.prototype)
  assert.deepEqual(Object.entries(headers), Object.entries(GOOD))
  // Each call returns its own object (the hot path's scratch array is read before returning).
  assert.notEqual(wh.sign(MSG_ID, PAYLOAD, TS), headers)
  // Ids beyond ASCII (astral too) come back as given; the other pieces are cut at the right place.
  const rotated = new Webhook([SECRET, tenantry.generateSecret()])
  for (const msgId of ['msg_é', 'msg_日本', 'msg_😀x', 'm']) {
    for (const signer of [wh, rotated]) {
      const signed = signer.sign(msgId, PAYLOAD, TS)
      assert.deepEqual(Object.keys(signed), ['webhook-id', 'webhook-timestamp', 'webhook-signature'])
      assert.equal(signed['webhook-id'], msgId)
      assert.equal(signed['webhook-timestamp'], String(TS))
      assert.match(signed['webhook-signature'], signer === wh ? /^v1,[A-Za-z0-9+/]{43}=$/ : /^v1,\S+ v1,\S+$/)
      signer.verify(PAYLOAD, signed, { now: TS })
    }
  }
})

test('sign and verify on something that is not a Webhook throw a TypeError', () => {
  for (const self of [{}, null, undefined, Object.create(Webhook.prototype)]) {
    assert.throws(() => Webhook.prototype.sign.call(self, MSG_ID, PAYLOAD, TS), TypeError)
    assert.throws(() => Webhook.prototype.verify.call(self, PAYLOAD, GOOD, { now: TS }), TypeError)
  }
})

// ---- verify: types ---------------------------------------------------------------------------

test('verify: wrong payload types are TypeErrors', () => {
  for (const payload of [undefined, null, 123, {}, [1], new Uint32Array(2), new ArrayBuffer(2), 10n]) {
    assert.throws(() => wh.verify(payload, GOOD, { now: TS }), isTypeError(/payload/))
  }
})

test('verify: wrong header types are TypeErrors', () => {
  for (const headers of [undefined, null, 123, 'webhook-id: x', true, 10n, [['webhook-id', MSG_ID]], Buffer.from('x')]) {
    assert.throws(() => wh.verify(PAYLOAD, headers, { now: TS }), isTypeError(/headers must be an object/), String(headers))
  }
  for (const bad of [5, true, {}, [1], [SIG, 5], 10n]) {
    for (const name of ['webhook-id', 'Webhook-Signature', 'svix-timestamp']) {
      const headers = { ...GOOD, [name]: bad }
      if (name !== 'webhook-id') delete headers[name.toLowerCase().replace('svix-', 'webhook-')]
      assert.throws(() => wh.verify(PAYLOAD, headers, { now: TS }), isTypeError(/header .* must be a string or an array of strings/))
    }
  }
})

test('verify: wrong option types are TypeErrors', () => {
  for (const options of ['x', 5, true, 10n]) {
    assert.throws(() => wh.verify(PAYLOAD, GOOD, options), isTypeError(/options must be an object/))
  }
  for (const tolerance of ['300', true, {}, [300], 10n]) {
    assert.throws(() => wh.verify(PAYLOAD, GOOD, { tolerance, now: TS }), isTypeError(/options.tolerance/))
  }
  for (const now of ['1614265330', true, {}, [TS], 10n, Symbol('now')]) {
    assert.throws(() => wh.verify(PAYLOAD, GOOD, { now }), isTypeError(/options.now must be a number of Unix seconds or a Date/))
  }
})

test('verify: bad option values are typed errors', () => {
  for (const tolerance of [-1, 1.5, NaN, Infinity, -Infinity, 2 ** 60]) {
    assert.throws(() => wh.verify(PAYLOAD, GOOD, { tolerance, now: TS }), hasCode('input.invalid', InvalidInputError), String(tolerance))
  }
  // Every call takes times from 1970 to the end of 9999, as in Python (8e15 s used to be a time
  // here, and whole seconds past 2^53 / 1000 were rounded).
  const after9999 = [253_402_300_800, 8e15, -8e15, -1, new Date(253_402_300_800_000), new Date(-1)]
  for (const now of [NaN, Infinity, -Infinity, 1e300, -1e300, Number.MAX_VALUE, new Date(NaN), ...after9999]) {
    assert.throws(() => wh.verify(PAYLOAD, GOOD, { now }), hasCode('input.invalid_time', InvalidInputError), String(now))
  }
  assert.throws(() => wh.verify(PAYLOAD, GOOD, { now: 253_402_300_799 }), hasCode('webhook.timestamp_too_old'))
  assert.throws(() => wh.verify(PAYLOAD, GOOD, { now: 0 }), hasCode('webhook.timestamp_too_new'))
  assert.equal(wh.verify(PAYLOAD, GOOD, { now: new Date(TS * 1000), tolerance: 2 ** 52 }), undefined)
  assert.equal(wh.verify(PAYLOAD, GOOD, { now: TS + 300.9, tolerance: null }), undefined)
  assert.equal(wh.verify(PAYLOAD, GOOD, { now: TS, tolerance: undefined }), undefined)
})

// ---- verify: values --------------------------------------------------------------------------

test('verify: bad header values are typed errors with their codes', () => {
  const withHeader = (name, value) => ({ ...GOOD, [name]: value })
  const cases = [
    [{}, 'webhook.missing_header'],
    [{ 'webhook-id': MSG_ID }, 'webhook.missing_header'],
    [{ 'webhook-id': MSG_ID, 'webhook-timestamp': String(TS) }, 'webhook.missing_header'],
    [withHeader('webhook-id', ''), 'webhook.missing_header'],
    [withHeader('webhook-id', []), 'webhook.missing_header'],
    [withHeader('webhook-id', undefined), 'webhook.missing_header'],
    [withHeader('webhook-id', null), 'webhook.missing_header'],
    [withHeader('webhook-timestamp', ''), 'webhook.invalid_timestamp'],
    [withHeader('webhook-timestamp', 'abc'), 'webhook.invalid_timestamp'],
    [withHeader('webhook-timestamp', '1e9'), 'webhook.invalid_timestamp'],
    [withHeader('webhook-timestamp', '0x10'), 'webhook.invalid_timestamp'],
    [withHeader('webhook-timestamp', '-1614265330'), 'webhook.invalid_timestamp'],
    [withHeader('webhook-timestamp', '1614265330.0'), 'webhook.invalid_timestamp'],
    [withHeader('webhook-timestamp', 'NaN'), 'webhook.invalid_timestamp'],
    [withHeader('webhook-timestamp', 'Infinity'), 'webhook.invalid_timestamp'],
    [withHeader('webhook-timestamp', '9'.repeat(19)), 'webhook.invalid_timestamp'],
    [withHeader('webhook-timestamp', '9'.repeat(1_000_000)), 'webhook.invalid_timestamp'],
    [withHeader('webhook-timestamp', [String(TS), String(TS + 1)]), 'webhook.invalid_header'], // repeated, disagreeing
    [withHeader('webhook-signature', ''), 'webhook.no_matching_signature'],
    [withHeader('webhook-signature', 'v1,'), 'webhook.no_matching_signature'],
    [withHeader('webhook-signature', ','), 'webhook.no_matching_signature'],
    [withHeader('webhook-signature', 'v1,!!!!'), 'webhook.no_matching_signature'],
    [withHeader('webhook-signature', SIG.slice(0, -1)), 'webhook.no_matching_signature'],
    [withHeader('webhook-signature', `${SIG}AAAA`), 'webhook.no_matching_signature'],
    [withHeader('webhook-signature', `v1a,${'A'.repeat(88)}`), 'webhook.no_matching_signature'],
    [withHeader('webhook-signature', 'v1,éééé'), 'webhook.no_matching_signature'],
    [withHeader('webhook-signature', Array(8000).fill('v1,AAAA').join(' ')), 'webhook.no_matching_signature'],
    [withHeader('webhook-signature', `v1,${'A'.repeat(1 << 20)}`), 'webhook.invalid_signature_header'],
    [withHeader('webhook-signature', SIG + ' '.repeat(1 << 20)), 'webhook.invalid_signature_header'],
    [withHeader('webhook-signature', Array(200_000).fill('v1,AAAA')), 'webhook.invalid_signature_header'],
    [withHeader('webhook-id', 'x'.repeat(1 << 20)), 'webhook.no_matching_signature'],
  ]
  for (const [headers, code] of cases) {
    assert.throws(() => wh.verify(PAYLOAD, headers, { now: TS }), hasCode(code, WebhookVerificationError), code)
  }
})

// ---- verify: the header containers people hold -------------------------------------------------

test('verify: header containers', () => {
  const title = Object.fromEntries(Object.entries(GOOD).map(([k, v]) => [k.replace(/(^|-)(\w)/g, (m) => m.toUpperCase()), v]))
  const upper = Object.fromEntries(Object.entries(GOOD).map(([k, v]) => [k.toUpperCase(), v]))
  const svixNames = Object.fromEntries(Object.entries(GOOD).map(([k, v]) => [k.replace('webhook-', 'svix-'), v]))
  const nullProto = Object.assign(Object.create(null), GOOD)
  const wrong = `v1,${Buffer.alloc(32).toString('base64')}`
  for (const headers of [
    GOOD,
    title,
    upper,
    svixNames,
    nullProto,
    { host: 'example.com', 'content-length': 20, 'x-list': [1], ...title }, // unrelated values are not read
    { ...GOOD, 'webhook-signature': [wrong, SIG] }, // a repeated header, as Node gives it
    new Headers(Object.entries(title)), // fetch's Headers: names are matched case-insensitively
    new Map(Object.entries(GOOD)),
    { 'Webhook-Signature': wrong, ...GOOD }, // the exact lowercase name outranks other casings
  ]) {
    assert.equal(wh.verify(PAYLOAD, headers, { now: TS }), undefined)
  }
  const repeatedFetch = new Headers(GOOD)
  repeatedFetch.append('webhook-signature', 'v1,AAAA') // fetch joins repeats with ", "
  assert.equal(repeatedFetch.get('webhook-signature'), `${SIG}, v1,AAAA`)
  assert.equal(wh.verify(PAYLOAD, repeatedFetch, { now: TS }), undefined)
})

test('verify: a throwing getter or get() propagates its own error', () => {
  const getter = { ...GOOD }
  delete getter['webhook-id']
  Object.defineProperty(getter, 'webhook-id', { get() { throw new RangeError('boom') }, enumerable: true })
  assert.throws(() => wh.verify(PAYLOAD, getter, { now: TS }), RangeError)
  const lookup = { get() { throw new SyntaxError('bad lookup') } }
  assert.throws(() => wh.verify(PAYLOAD, lookup, { now: TS }), SyntaxError)
  const options = { get now() { throw new EvalError('no clock') } }
  assert.throws(() => wh.verify(PAYLOAD, GOOD, options), EvalError)
  const proxy = new Proxy({}, { get() { throw new URIError('trap') } })
  assert.throws(() => wh.verify(PAYLOAD, proxy, { now: TS }), URIError)
})

test('verify: a getter that detaches the payload cannot make it read freed memory', () => {
  const bytes = new Uint8Array(new ArrayBuffer(PAYLOAD.length))
  bytes.set(PAYLOAD)
  const headers = {
    ...GOOD,
    get 'webhook-id'() {
      structuredClone(bytes.buffer, { transfer: [bytes.buffer] }) // detaches `bytes`
      return MSG_ID
    },
  }
  // Headers are read before the payload, so the payload is seen as it is after detaching: empty.
  assert.throws(() => wh.verify(bytes, headers, { now: TS }), hasCode('webhook.no_matching_signature'))
  assert.equal(bytes.length, 0)
})

test('verify: the hot path checks its receiver, and serves frozen and subclassed objects', () => {
  assert.throws(() => Webhook.prototype.verify.call({}, PAYLOAD, GOOD, { now: TS }), TypeError)
  assert.throws(() => Webhook.prototype.verify.call(undefined, PAYLOAD, GOOD, { now: TS }), TypeError)
  const frozen = Object.freeze(new Webhook(SECRET))
  for (let i = 0; i < 2; i++) frozen.verify(PAYLOAD, GOOD, { now: TS })
  class Mine extends Webhook {}
  new Mine(SECRET).verify(PAYLOAD, GOOD, { now: TS })
  assert.throws(() => frozen.verify(PAYLOAD, { ...GOOD, 'webhook-signature': 'v1,AAAA' }, { now: TS }),
    hasCode('webhook.no_matching_signature', WebhookVerificationError))
})
