'use strict'
// Audit benchmarks from Node: tenantry against a plain JS implementation of the same work
// (the npm `canonicalize` package + node:crypto SHA-256/HMAC). Target from issue 6: build + seal of a
// record with a ten-field change in at most 5 µs.

const crypto = require('node:crypto')
const path = require('node:path')
const { pathToFileURL } = require('node:url')
const { audit } = require('../../bindings-node')

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

function perCall(fn, minMs = 300) {
  for (let i = 0; i < 200; i++) fn()
  let best = Infinity
  for (let round = 0; round < 5; round++) {
    let n = 0
    const start = process.hrtime.bigint()
    let elapsed = 0
    while (elapsed < minMs / 5) {
      fn()
      n++
      elapsed = Number(process.hrtime.bigint() - start) / 1e6
    }
    best = Math.min(best, (elapsed / n) * 1e3)
  }
  return best // µs
}

const fmt = (us) => (us < 1000 ? `${us.toFixed(2).padStart(9)} µs` : `${(us / 1000).toFixed(2).padStart(9)} ms`)

async function main() {
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
  const rows = [
    ['build + seal, ten-field change', perCall(tenantryBuildSeal), 'plain object + canonicalize + crypto', perCall(() => plainBuildSeal(canonicalize))],
    ['canonical JSON of a record', perCall(() => audit.canonicalJson(records[0])), 'npm canonicalize', perCall(() => canonicalize(records[0]))],
    ['verify_chain, 10,000 sealed records', perCall(() => audit.verifyChain(records, KEY), 1000), 'canonicalize + crypto loop', perCall(() => plainVerify(records, canonicalize), 1000)],
  ]
  console.log('\naudit (Node)')
  console.log(`${'operation'.padEnd(40)} ${'tenantry'.padStart(12)} ${'plain JS'.padStart(12)}  ratio  peer`)
  for (const [name, ours, peer, theirs] of rows) {
    console.log(`${name.padEnd(40)} ${fmt(ours).padStart(12)} ${fmt(theirs).padStart(12)} ${(theirs / ours).toFixed(1).padStart(6)}x  ${peer}`)
  }
  console.log(`target: build + seal <= 5 µs -> ${rows[0][1] <= 5 ? 'met' : 'NOT met'} (${rows[0][1].toFixed(2)} µs)`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
