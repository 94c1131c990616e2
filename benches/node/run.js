'use strict'
// Standard Webhooks v1, 1 KB payload: tenantry against svix, standardwebhooks and a bare
// node:crypto HMAC (createHmac + base64 + timingSafeEqual, no header handling, no time window).
// Prints one table: the best time per operation over many interleaved timed batches, and the
// ratio peer / tenantry (how many times faster tenantry is). Run by `make bench` after the release build.

const crypto = require('node:crypto')
const path = require('node:path')

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

// Times every implementation in `impls` in interleaved batches of `inner` calls (so a busy machine
// slows them alike) and keeps, per implementation, the best batch: ns per call.
function measure(impls, { batches = 60, inner = 1000, warmup = 20000 } = {}) {
  const names = Object.keys(impls)
  for (const name of names) for (let i = 0; i < warmup; i++) impls[name]()
  const best = Object.fromEntries(names.map((n) => [n, Infinity]))
  for (let b = 0; b < batches; b++) {
    for (const name of names) {
      const fn = impls[name]
      const start = process.hrtime.bigint()
      for (let i = 0; i < inner; i++) fn()
      const ns = Number(process.hrtime.bigint() - start) / inner
      if (ns < best[name]) best[name] = ns
    }
  }
  return best
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

function main() {
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

  const rows = []
  for (const [op, impls] of [
    ['verify', verify],
    ['sign', sign],
  ]) {
    const best = measure(impls)
    for (const peer of ['svix', 'standardwebhooks', 'node:crypto']) {
      rows.push([op, peer, best.tenantry, best[peer]])
    }
  }

  const us = (ns) => (ns / 1000).toFixed(3)
  console.log(`\nNode ${process.version}: Standard Webhooks v1, 1 KB payload (best of 60 interleaved batches, µs per op)`)
  console.log(`${'operation'.padEnd(10)} ${'peer'.padEnd(17)} ${'tenantry'.padStart(9)} ${'peer'.padStart(9)} ${'ratio'.padStart(8)}`)
  for (const [op, peer, t, p] of rows) {
    const ratio = `${(p / t).toFixed(2)}x`
    console.log(`${op.padEnd(10)} ${peer.padEnd(17)} ${us(t).padStart(9)} ${us(p).padStart(9)} ${ratio.padStart(8)}`)
  }
  console.log('(ratio = peer / tenantry: how many times faster tenantry is; target verify >= 8x svix)')
}

main()
