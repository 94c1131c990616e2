'use strict'
// Bench module (interface: run.js). API keys: tenantry verify (parse, checksum, peppered hash,
// status and scope checks against a stored record) vs a node:crypto hash-only baseline (createHmac +
// timingSafeEqual), and tenantry generate (no peer).

const crypto = require('node:crypto')
const path = require('node:path')
const { ApiKeys } = require(path.join(__dirname, '..', '..', 'bindings-node'))
const { bestUs, printTable } = require('./_timing.js')

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

function rows() {
  const v = bestUs({ tenantry: verify, 'node:crypto (hash only)': baseline })
  const g = bestUs({ tenantry: generate })
  return [
    ['apikeys verify', 'node:crypto (hash only)', v.tenantry, v['node:crypto (hash only)']],
    ['apikeys generate', '-', g.tenantry, null],
  ]
}

const TITLE = 'Node: API keys (µs per call)'
const NOTES = ['apikeys: the verify peer is the hash-only baseline; target generate <= 5 µs']

module.exports = { rows, NOTES }
if (require.main === module) printTable(TITLE, rows(), NOTES)
