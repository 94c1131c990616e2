'use strict'
// Settings resolve on seed 000's venue-settings schema with a small tenant override: tenantry
// (defaults + merge + validate + provenance) against ajv 2020 (+ ajv-formats) doing parse +
// validate + defaults (no layers, no provenance). Object input and JSON text input.
//
// Prints one table: median time per operation over repeated batches, and the ratio peer / tenantry.

const fs = require('node:fs')
const path = require('node:path')
const assert = require('node:assert/strict')
const ROOT = path.join(__dirname, '..', '..')
const NODE_DIR = path.join(ROOT, 'bindings-node')
// The package and its dev dependencies (ajv, ajv-formats) resolve from bindings-node.
const req = (name) => require(require.resolve(name, { paths: [NODE_DIR] }))
const Ajv2020 = req('ajv/dist/2020').default
const addFormats = req('ajv-formats').default
const { SettingsSchema } = require(NODE_DIR)
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'schemas', 'venue_settings.json'), 'utf8'))
const OVERRIDE = { ai_settings: { enabled: true, temperature: 0.3 }, email_settings: { from_email: 'events@venue.example.com' } }
const OVERRIDE_TEXT = JSON.stringify(OVERRIDE)

function medianUs(fn, batches = 31) {
  let n = 1
  for (;;) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) fn()
    if (Number(process.hrtime.bigint() - t0) > 2e7) break
    n *= 2
  }
  const times = []
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) fn()
    times.push(Number(process.hrtime.bigint() - t0) / n / 1000)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

function peerSchema(schema) {
  // ajv fills defaults only where a property is missing, so object-level defaults ({}) let it
  // descend into absent sections; tenantry needs none of these.
  const copy = JSON.parse(JSON.stringify(schema))
  for (const section of Object.values(copy.properties)) if (section.default === undefined) section.default = {}
  return copy
}

function main() {
  const ours = new SettingsSchema(SCHEMA)
  const ajv = new Ajv2020({ strict: false, useDefaults: true })
  addFormats(ajv)
  ajv.addFormat('https-url', /^https:\/\//)
  ajv.addFormat('hex-color', /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/)
  const peer = ajv.compile(peerSchema(SCHEMA))

  const effective = ours.resolve([['tenant', OVERRIDE]]).value
  const theirs = JSON.parse(OVERRIDE_TEXT)
  assert.ok(peer(theirs))
  assert.deepStrictEqual(theirs, effective)
  assert.deepStrictEqual(ours.resolve([['tenant', OVERRIDE_TEXT]]).value, effective)

  const peerUs = medianUs(() => {
    const doc = JSON.parse(OVERRIDE_TEXT)
    if (!peer(doc)) throw new Error('invalid')
    return doc
  })
  const rows = [
    ['resolve (object in)', medianUs(() => ours.resolve([['tenant', OVERRIDE]]).value), 'ajv parse+validate+defaults', peerUs],
    ['resolve (JSON text in)', medianUs(() => ours.resolve([['tenant', OVERRIDE_TEXT]]).value), 'ajv parse+validate+defaults', peerUs],
    // Provenance is computed on first read, so reading it is its own row (as in the Python table).
    ['resolve + .provenance', medianUs(() => ours.resolve([['tenant', OVERRIDE]]).provenance), 'ajv parse+validate+defaults', peerUs],
    ['validate (full document)', medianUs(() => ours.validate(effective)), 'ajv validate', medianUs(() => peer(effective))],
    ['applyPatch', medianUs(() => ours.applyPatch(OVERRIDE, { ai_settings: { max_tokens: 900 } })), 'ajv parse+validate+defaults', peerUs],
  ]
  console.log('settings (Node): venue schema (seed 000), small tenant override; µs per call, median')
  console.log(`${'operation'.padEnd(26)} ${'tenantry'.padStart(9)}  ${'peer'.padEnd(28)} ${'peer µs'.padStart(9)} ${'ratio'.padStart(6)}`)
  for (const [op, us, name, theirUs] of rows) {
    console.log(`${op.padEnd(26)} ${us.toFixed(2).padStart(9)}  ${name.padEnd(28)} ${theirUs.toFixed(2).padStart(9)} ${(theirUs / us).toFixed(2).padStart(5)}x`)
  }
}

main()
