'use strict'
// The addon in worker threads, as a pool (Piscina, a worker per request) runs it: each worker
// loads its own instance of the module, with its own classes, handles and scratch arrays.
// Every capability must give the main thread's answers in each worker while several run at
// once, records and keys made in one thread must verify in another, errors must keep their
// classes, and a worker stopped mid-call must leave the process and later workers unharmed.

const assert = require('node:assert/strict')
const { test } = require('node:test')
const { Worker } = require('node:worker_threads')
const path = require('node:path')

const PACKAGE = path.join(__dirname, '..')
const NOW = 1_700_000_000

// The work each thread does, as source, so the main thread runs exactly the same code. It
// returns only what is deterministic (ids and keys are random: they are checked for form).
const WORK = `
const tenantry = require(${JSON.stringify(PACKAGE)})
const { audit, ApiKeys, SettingsSchema, PlanCatalog, RateLimit, Webhook } = tenantry
const NOW = ${NOW}

function work(rounds, seal) {
  const out = {}
  const key = new audit.SealKey('k1', Buffer.alloc(32, 7))
  const before = { theme: 'light', seats: 5, smtp_password: 'old', nested: { a: [1, 2] } }
  const after = { theme: 'dark', seats: 10, smtp_password: 'new', nested: { a: [1, 3] } }
  let chain = seal.prev
  const records = []
  for (let i = 0; i < rounds; i++) {
    const r = audit.buildSealed(
      { action: 'setting.updated', actor: { type: 'user', id: 'u_' + seal.worker, ip: '203.0.113.9' },
        tenantId: 't_1', before, after, occurredAt: NOW + i, metadata: { worker: seal.worker, i } },
      chain, key)
    chain = r.hash
    records.push(r)
  }
  out.chainOk = audit.verifyChain(records, key, { anchor: seal.prev }).ok
  out.changes = records[0].changes
  out.records = records
  out.canonical = audit.canonicalJson({ b: [1, 'é', { z: null, a: 1e21 }], a: -0 })

  const webhook = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
  const payload = Buffer.from('{"type":"invoice.paid"}')
  let headers
  for (let i = 0; i < rounds; i++) headers = webhook.sign('msg_1', payload, NOW)
  out.webhookHeaders = headers
  for (let i = 0; i < rounds; i++) webhook.verify(payload, headers, { now: NOW })

  const keys = new ApiKeys({ prefix: 'tk', peppers: { p1: Buffer.alloc(32, 'k') } })
  const issued = keys.generate({ now: NOW })
  let valid = true
  for (let i = 0; i < rounds; i++) valid = valid && keys.verify(issued.token, issued.record, { now: NOW }).valid
  out.keyValid = valid
  out.issued = { token: issued.token, record: issued.record }

  const schema = new SettingsSchema({
    type: 'object',
    properties: { seats: { type: 'integer', default: 5, minimum: 1 }, name: { type: 'string', default: 'acme' } },
  })
  let resolved
  for (let i = 0; i < rounds; i++) resolved = schema.resolve([['tenant', { seats: 7 }]])
  out.resolved = resolved.value
  out.patch = schema.applyPatch({ seats: 7 }, { name: 'other' })
  try {
    schema.validate({ seats: 0 })
    out.invalid = null
  } catch (err) {
    out.invalid = { isClass: err instanceof tenantry.SettingsValidationError, code: err.code, errors: err.errors }
  }

  const ent = new PlanCatalog({ free: { limits: { max_users: 5 } } }).entitlements('free')
  let decision
  for (let i = 0; i < rounds; i++) decision = ent.check('max_users', 3, 1, { now: NOW })
  out.decision = decision.toJSON()
  const rl = new RateLimit(2, 10)
  let state = null
  const allowed = []
  for (let i = 0; i < 3; i++) {
    const d = rl.check(state, NOW)
    allowed.push(d.allowed)
    if (d.allowed) state = d.state
  }
  out.rate = allowed
  return out
}
`

// The same work on this thread, through the same source.
const here = new Function('require', `${WORK}; return work`)(require)

function runWorker(worker, rounds, prev) {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads')
    ${WORK}
    parentPort.postMessage(work(workerData.rounds, { worker: workerData.worker, prev: workerData.prev }))
  `
  return new Promise((resolve, reject) => {
    const w = new Worker(source, { eval: true, workerData: { worker, rounds, prev } })
    w.once('message', resolve)
    w.once('error', reject)
    w.once('exit', (code) => code !== 0 && reject(new Error(`worker ${worker} exited with ${code}`)))
  })
}

function brokenAt(report) {
  assert.equal(report.ok, false)
  return { index: report.index, reason: report.reason }
}

// What may differ between threads: random ids, keys and the actor id each worker writes.
function deterministic(result) {
  const { records, issued, changes, ...rest } = result
  return rest
}

test('four workers at once give the main thread answers, and their work verifies here', async () => {
  const { audit, ApiKeys } = require('..')
  const mine = here(50, { worker: 'main', prev: null })
  const results = await Promise.all([0, 1, 2, 3].map((w) => runWorker(w, 2000, null)))
  const key = new audit.SealKey('k1', Buffer.alloc(32, 7))
  const keys = new ApiKeys({ prefix: 'tk', peppers: { p1: Buffer.alloc(32, 'k') } })
  for (const [w, got] of results.entries()) {
    assert.deepEqual(deterministic(got), deterministic(mine), `worker ${w}`)
    assert.deepEqual(got.changes, mine.changes, `worker ${w}`)
    assert.equal(got.records.length, 2000)
    // A chain sealed in a worker verifies on this thread, and an edit to it is found here.
    assert.equal(audit.verifyChain(got.records, key).ok, true)
    const edited = got.records.map((r) => ({ ...r }))
    edited[1234] = { ...edited[1234], action: 'setting.deleted' }
    assert.deepEqual(brokenAt(audit.verifyChain(edited, key)), { index: 1234, reason: 'edited' })
    // A key issued in a worker verifies here.
    assert.equal(keys.verify(got.issued.token, got.issued.record, { now: NOW }).valid, true)
  }
  // Ids drawn in different threads (and records drawn in one thread) never repeat.
  const ids = results.flatMap((r) => r.records.map((rec) => rec.id))
  assert.equal(new Set(ids).size, ids.length)
  const tokens = new Set(results.map((r) => r.issued.token))
  assert.equal(tokens.size, results.length)
})

test('a chain continues across threads: main, then a worker, then main', async () => {
  const { audit } = require('..')
  const key = new audit.SealKey('k1', Buffer.alloc(32, 7))
  const first = here(3, { worker: 'main', prev: null }).records
  const middle = (await runWorker(9, 3, first[2].hash)).records
  const last = here(3, { worker: 'main', prev: middle[2].hash }).records
  const chain = [...first, ...middle, ...last]
  assert.equal(audit.verifyChain(chain, key).ok, true)
  assert.deepEqual(brokenAt(audit.verifyChain([...first, ...last], key)), { index: 3, reason: 'deleted' })
})

test('a worker terminated in the middle of its calls leaves the addon working', async () => {
  const source = `
    const { parentPort } = require('node:worker_threads')
    ${WORK}
    parentPort.postMessage('started')
    for (;;) work(100, { worker: 'loop', prev: null })
  `
  for (let i = 0; i < 3; i++) {
    const w = new Worker(source, { eval: true })
    await new Promise((resolve, reject) => {
      w.once('message', resolve)
      w.once('error', reject)
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    assert.equal(await w.terminate(), 1)
  }
  // A fresh worker after the terminated ones, and this thread, still work.
  const got = await runWorker(5, 10, null)
  assert.equal(got.chainOk, true)
  assert.equal(here(10, { worker: 'main', prev: null }).chainOk, true)
})

// What each of those workers does: loads the package and makes an allocation-heavy call.
const WORKER_SOURCE = `
const t = require(${JSON.stringify(PACKAGE)})
const key = new t.audit.SealKey('k', Buffer.alloc(32))
t.audit.buildSealed({ action: 'a.b', actor: { type: 'user', id: 'u' }, before: { a: 1 }, after: { a: 2 } }, null, key)
`

test('workers that load the addon one after another, the main thread never, all run', () => {
  // A worker pool that retires idle workers (Piscina's idleTimeout) loads the addon first in a
  // worker that then exits. mimalloc 3 tied its main heap to the thread that loaded it: the next
  // worker's first allocation crashed the process (SIGSEGV). A child process, so that the main
  // thread has not loaded the addon (this file's own process has).
  const { spawnSync } = require('node:child_process')
  const script = `
    const { Worker } = require('node:worker_threads')
    ;(async () => {
      for (let i = 0; i < 4; i++) {
        const w = new Worker(${JSON.stringify(WORKER_SOURCE)}, { eval: true })
        const code = await new Promise((resolve) => w.once('exit', resolve))
        if (code !== 0) process.exit(10 + i)
      }
      process.stdout.write('done')
    })()`
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 })
  assert.equal(run.signal, null, `killed by ${run.signal}: ${run.stderr}`)
  assert.equal(run.status, 0, run.stderr)
  assert.equal(run.stdout, 'done')
})
