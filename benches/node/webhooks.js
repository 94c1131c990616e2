'use strict'
// Bench module (interface: run.js). Standard Webhooks v1, 1 KB payload: tenantry against svix,
// standardwebhooks and a bare node:crypto HMAC (createHmac + base64 + timingSafeEqual, no header
// handling, no time window).

const crypto = require('node:crypto')
const path = require('node:path')
const { bestUs, printTable } = require('./_timing.js')

const NODE_DIR = path.join(__dirname, '..', '..', 'bindings-node')
const req = (name) => require(require.resolve(name, { paths: [NODE_DIR] }))
const tenantry = req(NODE_DIR)
const svix = req('svix')
const standardwebhooks = req('standardwebhooks')

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const KEY = Buffer.from(SECRET.slice('whsec_'.length), 'base64')
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek'

// The same 1 KB body as the Rust and Python benches.
function makePayload() {
  let body = '{"type":"invoice.paid","data":{"note":"'
  while (body.length < 1024 - 3) body += 'x'
  return Buffer.from(body + '"}}')
}

function bareSign(msgId, ts, payload) {
  const mac = crypto.createHmac('sha256', KEY)
  mac.update(`${msgId}.${ts}.`)
  mac.update(payload)
  return `v1,${mac.digest('base64')}`
}

function bareVerify(msgId, ts, signature, payload) {
  const expected = Buffer.from(signature.slice(3), 'base64')
  const mac = crypto.createHmac('sha256', KEY)
  mac.update(`${msgId}.${ts}.`)
  mac.update(payload)
  const computed = mac.digest()
  if (expected.length !== computed.length || !crypto.timingSafeEqual(expected, computed)) {
    throw new Error('no match')
  }
}

function rows() {
  const payload = makePayload()
  if (payload.length !== 1024) throw new Error(`payload is ${payload.length} bytes`)
  const text = payload.toString()
  const now = new Date()
  const ts = Math.floor(now.getTime() / 1000)

  const ours = new tenantry.Webhook(SECRET)
  const theirsSvix = new svix.Webhook(SECRET)
  const theirsStd = new standardwebhooks.Webhook(SECRET)
  const headers = ours.sign(MSG_ID, payload, ts)
  const signature = headers['webhook-signature']

  // Every implementation produces and accepts the same signature before anything is timed.
  for (const [name, sig] of [
    ['svix', theirsSvix.sign(MSG_ID, now, text)],
    ['standardwebhooks', theirsStd.sign(MSG_ID, now, text)],
    ['node:crypto', bareSign(MSG_ID, ts, payload)],
  ]) {
    if (sig !== signature) throw new Error(`${name} signs differently: ${sig} != ${signature}`)
  }
  ours.verify(payload, headers)
  theirsSvix.verify(payload, headers)
  theirsStd.verify(payload, headers, { jsonParse: false })
  bareVerify(MSG_ID, headers['webhook-timestamp'], signature, payload)

  const verify = {
    tenantry: () => ours.verify(payload, headers),
    svix: () => theirsSvix.verify(payload, headers),
    standardwebhooks: () => theirsStd.verify(payload, headers, { jsonParse: false }),
    'node:crypto': () => bareVerify(headers['webhook-id'], headers['webhook-timestamp'], signature, payload),
  }
  const sign = {
    tenantry: () => ours.sign(MSG_ID, payload, ts),
    svix: () => theirsSvix.sign(MSG_ID, now, text),
    standardwebhooks: () => theirsStd.sign(MSG_ID, now, text),
    'node:crypto': () => bareSign(MSG_ID, ts, payload),
  }

  const out = []
  for (const [op, impls] of [
    ['verify', verify],
    ['sign', sign],
  ]) {
    const best = bestUs(impls)
    for (const peer of ['svix', 'standardwebhooks', 'node:crypto']) {
      out.push([`webhooks ${op} (1 KB)`, peer, best.tenantry, best[peer]])
    }
  }
  return out
}

const TITLE = 'Node: Standard Webhooks v1, 1 KB payload (µs per call)'
const NOTES = ['webhooks: target verify >= 8x svix']

module.exports = { rows, NOTES }
if (require.main === module) printTable(TITLE, rows(), NOTES)
