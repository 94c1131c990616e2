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

function perCallUs(fn, n = 50_000, repeat = 7) {
  let best = Infinity
  for (let r = 0; r < repeat; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < n; i++) fn()
    const us = Number(process.hrtime.bigint() - start) / 1000 / n
    if (us < best) best = us
  }
  return best
}

const rows = [
  ['apikeys verify', perCallUs(verify), 'node:crypto createHmac+timingSafeEqual (hash only)', perCallUs(baseline)],
  ['apikeys generate', perCallUs(generate), 'target <= 5 us', null],
]
console.log(`${'operation'.padEnd(20)} ${'tenantry'.padStart(10)} ${'peer'.padStart(10)} ${'ratio'.padStart(7)}  peer`)
for (const [name, ours, peerName, peer] of rows) {
  const peerText = peer === null ? '-'.padStart(10) : `${peer.toFixed(2).padStart(8)}us`
  const ratio = peer === null ? '-'.padStart(7) : `${(peer / ours).toFixed(2).padStart(6)}x`
  console.log(`${name.padEnd(20)} ${ours.toFixed(2).padStart(8)}us ${peerText} ${ratio}  ${peerName}`)
}
