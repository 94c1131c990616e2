'use strict'
// Repeated Standard Webhooks headers as Node holds them (one rule, in the core, for every form):
// every instance of the signature header counts, whether the instances come as an array
// (`req.headersDistinct`), joined with ", " (`req.headers`, fetch's `Headers`) or in a Map; repeated
// ids and timestamps must agree. `sign` refuses a msgId that is not well-formed, as Python does.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const { Webhook, WebhookVerificationError, InvalidInputError } = require('..')

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek'
const TS = 1614265330
const PAYLOAD = Buffer.from('{"test": 2432232314}')
const SIG = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
const BAD = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc='
const ID_TS = { 'webhook-id': MSG_ID, 'webhook-timestamp': String(TS) }

const wh = new Webhook(SECRET)
const verify = (headers) => wh.verify(PAYLOAD, headers, { now: TS })
const code = (headers) => {
  try {
    verify(headers)
  } catch (err) {
    assert.ok(err instanceof WebhookVerificationError, String(err))
    return err.code
  }
  return null
}

test('every instance of the signature header is read, in every form Node holds it', () => {
  for (const [first, second] of [[BAD, SIG], [SIG, BAD]]) {
    assert.equal(verify({ ...ID_TS, 'webhook-signature': [first, second] }), undefined)
    assert.equal(verify({ ...ID_TS, 'webhook-signature': `${first}, ${second}` }), undefined)
    const fetched = new Headers(ID_TS)
    fetched.append('webhook-signature', first)
    fetched.append('Webhook-Signature', second)
    assert.equal(verify(fetched), undefined)
    assert.equal(verify(new Map([...Object.entries(ID_TS), ['webhook-signature', [first, second]]])), undefined)
  }
  assert.equal(code({ ...ID_TS, 'webhook-signature': `${SIG},x` }), 'webhook.no_matching_signature')
})

test('repeated ids and timestamps must agree', () => {
  assert.equal(verify({ 'webhook-id': [MSG_ID, MSG_ID], 'webhook-timestamp': [String(TS), String(TS)], 'webhook-signature': SIG }), undefined)
  assert.equal(verify({ ...ID_TS, 'webhook-timestamp': `${TS}, ${TS}`, 'webhook-signature': SIG }), undefined)
  assert.equal(code({ ...ID_TS, 'webhook-id': [MSG_ID, 'msg_other'], 'webhook-signature': SIG }), 'webhook.invalid_header')
  assert.equal(code({ ...ID_TS, 'webhook-timestamp': [String(TS), String(TS + 1)], 'webhook-signature': SIG }), 'webhook.invalid_header')
  assert.equal(code({ ...ID_TS, 'webhook-timestamp': `${TS}, ${TS + 1}`, 'webhook-signature': SIG }), 'webhook.invalid_header')
})

test('a header holding a lone surrogate is a verification error, not read as U+FFFD', () => {
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const headers = { ...ID_TS, 'webhook-signature': SIG, [name]: 'msg_\ud800' }
    assert.equal(code(headers), 'webhook.invalid_header', name)
  }
  // A real U+FFFD is text like any other.
  const signed = wh.sign('msg_\ufffd', PAYLOAD, TS)
  assert.equal(verify(signed), undefined)
})

test('over HTTP: a signature header sent twice verifies through req.headers and req.headersDistinct', async () => {
  const seen = []
  const server = http.createServer((req, res) => {
    seen.push(code(req.headers), code(req.headersDistinct))
    res.end()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = server.address()
    await new Promise((resolve, reject) => {
      const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/' }, (res) => {
        res.resume()
        res.on('end', resolve)
      })
      req.on('error', reject)
      req.setHeader('webhook-id', MSG_ID)
      req.setHeader('webhook-timestamp', String(TS))
      req.setHeader('webhook-signature', [SIG, BAD]) // two header lines
      req.end(PAYLOAD)
    })
  } finally {
    server.close()
  }
  assert.deepEqual(seen, [null, null])
})

test('sign: a msgId that is not well-formed is refused as Python refuses it', () => {
  // The index counts code points, as Python's does.
  for (const [msgId, unit, index] of [['msg_\ud800', 'd800', 4], ['\udc80', 'dc80', 0], ['😀_\ud83d', 'd83d', 2]]) {
    assert.throws(() => wh.sign(msgId, PAYLOAD, TS), (err) => {
      assert.ok(err instanceof InvalidInputError, String(err))
      assert.equal(err.code, 'input.invalid')
      assert.equal(err.message, `str holds a lone surrogate ('\\u${unit}') at index ${index}: it is not valid Unicode, so it has no UTF-8 form`)
      return true
    })
  }
  assert.equal(wh.sign('msg_\ufffd', PAYLOAD, TS)['webhook-id'], 'msg_\ufffd')
})
