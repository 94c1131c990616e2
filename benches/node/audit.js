'use strict'
// Bench module (interface: run.js). Audit from Node: tenantry against a plain JS implementation of
// the same work (the npm `canonicalize` package + node:crypto SHA-256/HMAC). Target from issue 6:
// build + seal of a record with a ten-field change in at most 5 µs.

const crypto = require('node:crypto')
const path = require('node:path')
const { pathToFileURL } = require('node:url')
const { audit } = require(path.join(__dirname, '..', '..', 'bindings-node'))
const { bestUs, printTable } = require('./_timing.js')

const SECRET = Buffer.from('bench-seal-key-0123456789abcdef!')
const KEY = new audit.SealKey('k1', SECRET)
const BEFORE = { theme: 'light', locale: 'en', seats: 5, timezone: 'UTC', smtp_host: 'a.example.com', smtp_port: 25, smtp_password: 'old', retention_days: 90, beta: false, plan: 'pro' }
const AFTER = { theme: 'dark', locale: 'de', seats: 10, timezone: 'Europe/Berlin', smtp_host: 'b.example.com', smtp_port: 587, smtp_password: 'new', retention_days: 30, beta: true, plan: 'team' }
const ACTOR = { type: 'user', id: 'u_1', ip: '203.0.113.9' }
const PREV = 'ab'.repeat(32)
const SENSITIVE = ['password', 'passwd', 'secret', 'token', 'apikey', 'authorization']

function tenantryBuildSeal() {
  const record = audit.build({ action: 'setting.updated', actor: ACTOR, tenantId: 't_1', requestId: 'req_1', before: BEFORE, after: AFTER, occurredAt: 1_700_000_000 })
  return audit.seal(record, PREV, KEY)
}

function tenantryBuildSealed() {
  return audit.buildSealed({ action: 'setting.updated', actor: ACTOR, tenantId: 't_1', requestId: 'req_1', before: BEFORE, after: AFTER, occurredAt: 1_700_000_000 }, PREV, KEY)
}

function plainBuildSeal(canonicalize) {
  const changes = []
  for (const k of new Set([...Object.keys(BEFORE), ...Object.keys(AFTER)])) {
    const b = BEFORE[k]
    const a = AFTER[k]
    if (b !== a) {
      const norm = k.toLowerCase().replace(/[_-]/g, '')
      const masked = SENSITIVE.some((s) => norm.includes(s))
      changes.push({ path: '/' + k.replace(/~/g, '~0').replace(/\//g, '~1'), before: masked ? '***' : b, after: masked ? '***' : a })
    }
  }
  const record = {
    id: crypto.randomBytes(16).toString('hex'), occurred_at: new Date(1_700_000_000_000).toISOString(), tenant_id: 't_1',
    actor: { ...ACTOR }, action: 'setting.updated', severity: 'warning', outcome: 'success', reason: null, target: null,
    changes, request_id: 'req_1', metadata: {}, expires_at: null, prev_hash: PREV, seal_key_id: 'k1',
  }
  const hash = crypto.createHash('sha256').update(canonicalize(record)).digest('hex')
  record.seal = crypto.createHmac('sha256', SECRET).update(hash).digest('hex')
  record.hash = hash
  return record
}

function plainVerify(records, canonicalize) {
  let prev = null
  for (const r of records) {
    const { hash, seal, ...body } = r
    const digest = crypto.createHash('sha256').update(canonicalize(body)).digest('hex')
    if (digest !== hash || (prev !== null && r.prev_hash !== prev)) return false
    if (crypto.createHmac('sha256', SECRET).update(digest).digest('hex') !== seal) return false
    prev = digest
  }
  return true
}

// Async: the peer is an ES module.
async function rows() {
  // The peer is installed with the npm package's devDependencies.
  const peer = path.join(__dirname, '..', '..', 'bindings-node', 'node_modules', 'canonicalize', 'lib', 'canonicalize.js')
  const { default: canonicalize } = await import(pathToFileURL(peer).href)
  const records = []
  let prev = null
  for (let i = 0; i < 10_000; i++) {
    const rec = audit.build({ action: 'setting.updated', actor: ACTOR, tenantId: 't_1', before: BEFORE, after: AFTER, occurredAt: 1_700_000_000 + i })
    const s = audit.seal(rec, prev, KEY)
    prev = s.hash
    records.push(s)
  }
  if (!audit.verifyChain(records, KEY).ok || !plainVerify(records, canonicalize)) throw new Error('chain does not verify')
  const cases = [
    ['build + seal, ten-field change', tenantryBuildSeal, 'plain object + canonicalize + crypto', () => plainBuildSeal(canonicalize), { batches: 30, inner: 500, warmup: 2000 }],
    ['buildSealed, ten-field change (one call)', tenantryBuildSealed, 'plain object + canonicalize + crypto', () => plainBuildSeal(canonicalize), { batches: 30, inner: 500, warmup: 2000 }],
    ['canonical JSON of a record', () => audit.canonicalJson(records[0]), 'npm canonicalize', () => canonicalize(records[0]), { batches: 30, inner: 500, warmup: 2000 }],
    ['verify_chain, 10,000 sealed records', () => audit.verifyChain(records, KEY), 'canonicalize + crypto loop', () => plainVerify(records, canonicalize), { batches: 5, inner: 1, warmup: 1 }],
  ]
  const out = []
  for (const [name, ours, peer, theirs, options] of cases) {
    const best = bestUs({ tenantry: ours, [peer]: theirs }, options)
    out.push([`audit ${name}`, peer, best.tenantry, best[peer]])
  }
  return out
}

const TITLE = 'Node: audit against plain JS (µs per call)'
const NOTES = ['audit: target build + seal <= 5 µs (two calls: build then seal; buildSealed: one)']

module.exports = { rows, NOTES }
if (require.main === module) {
  rows().then((r) => printTable(TITLE, r, NOTES), (err) => {
    console.error(err)
    process.exit(1)
  })
}
