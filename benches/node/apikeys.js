'use strict'
// API key benchmarks: tenantry verify (parse, checksum, peppered hash, status and scope checks
// against a stored record) vs a node:crypto hash-only baseline (createHmac + timingSafeEqual), and
// tenantry generate. Run: node benches/node/apikeys.js (after `make addon`).

const crypto = require('node:crypto')
const path = require('node:path')
const { ApiKeys } = require(path.join(__dirname, '..', '..', 'bindings-node'))

const PEPPER = crypto.randomBytes(32)
const NOW = 1_700_000_000
const keys = new ApiKeys({ prefix: 'tk', peppers: { p1: PEPPER } })
const issued = keys.generate({ scopes: ['settings:read', 'webhooks:*'], now: NOW })
const TOKEN = issued.token
const RECORD = { ...issued.record, lastUsedAt: NOW }
const STORED = Buffer.from(RECORD.hash, 'hex')
const OPTIONS = { requiredScopes: ['settings:read'], now: NOW + 1 }
const GENERATE = { scopes: ['settings:read'], now: NOW }

function baseline() {
  return crypto.timingSafeEqual(crypto.createHmac('sha256', PEPPER).update(TOKEN).digest(), STORED)
}
function verify() {
  return keys.verify(TOKEN, RECORD, OPTIONS).valid
}
function generate() {
  return keys.generate(GENERATE)
}

if (!baseline() || !verify()) throw new Error('benchmark setup does not verify')

// Per-call time in microseconds: the best of `rounds` interleaved runs (robust on a shared machine).
function bestUs(fns, n = 10_000, rounds = 15) {
  const best = Object.fromEntries(Object.keys(fns).map((k) => [k, Infinity]))
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const start = process.hrtime.bigint()
      for (let i = 0; i < n; i++) fn()
      best[name] = Math.min(best[name], Number(process.hrtime.bigint() - start) / 1000 / n)
    }
  }
  return best
}

const t = bestUs({ verify, baseline, generate })
const rows = [
  ['apikeys verify', t.verify, 'node:crypto createHmac+timingSafeEqual (hash only)', t.baseline],
  ['apikeys generate', t.generate, 'target <= 5 us', null],
]
console.log(`${'operation'.padEnd(20)} ${'tenantry'.padStart(10)} ${'peer'.padStart(10)} ${'ratio'.padStart(7)}  peer`)
for (const [name, ours, peerName, peer] of rows) {
  const peerText = peer === null ? '-'.padStart(10) : `${peer.toFixed(2).padStart(8)}us`
  const ratio = peer === null ? '-'.padStart(7) : `${(peer / ours).toFixed(2).padStart(6)}x`
  console.log(`${name.padEnd(20)} ${ours.toFixed(2).padStart(8)}us ${peerText} ${ratio}  ${peerName}`)
}
