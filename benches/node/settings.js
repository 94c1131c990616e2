'use strict'
// Settings resolve on seed 000's venue-settings schema with a small tenant override: tenantry
// (defaults + merge + validate + provenance) against ajv 2020 (+ ajv-formats) doing parse +
// validate + defaults (no layers, no provenance). Object input and JSON text input.
//
// `rows()` for run.js (best of interleaved batches); runs alone as a table.

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
const { bestUs, printTable } = require('./_timing.js')
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'schemas', 'venue_settings.json'), 'utf8'))
const OVERRIDE = { ai_settings: { enabled: true, temperature: 0.3 }, email_settings: { from_email: 'events@venue.example.com' } }
const OVERRIDE_TEXT = JSON.stringify(OVERRIDE)

function peerSchema(schema) {
  // ajv fills defaults only where a property is missing, so object-level defaults ({}) let it
  // descend into absent sections; tenantry needs none of these.
  const copy = JSON.parse(JSON.stringify(schema))
  for (const section of Object.values(copy.properties)) if (section.default === undefined) section.default = {}
  return copy
}

function rows() {
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

  const AJV = 'ajv parse+validate+defaults'
  const ajvParse = () => {
    const doc = JSON.parse(OVERRIDE_TEXT)
    if (!peer(doc)) throw new Error('invalid')
    return doc
  }
  const r = bestUs({
    object: () => ours.resolve([['tenant', OVERRIDE]]).value,
    text: () => ours.resolve([['tenant', OVERRIDE_TEXT]]).value,
    // Provenance is computed on first read, so reading it is its own row (as in the Python table).
    provenance: () => ours.resolve([['tenant', OVERRIDE]]).provenance,
    patch: () => ours.applyPatch(OVERRIDE, { ai_settings: { max_tokens: 900 } }),
    [AJV]: ajvParse,
  })
  const v = bestUs({ tenantry: () => ours.validate(effective) === undefined, ajv: () => peer(effective) })
  return [
    ['settings resolve (object in)', AJV, r.object, r[AJV]],
    ['settings resolve (JSON text in)', AJV, r.text, r[AJV]],
    ['settings resolve + .provenance', AJV, r.provenance, r[AJV]],
    ['settings validate (full document)', 'ajv validate', v.tenantry, v.ajv],
    ['settings applyPatch', AJV, r.patch, r[AJV]],
  ]
}

const TITLE = 'Node: settings, venue schema (seed 000), small tenant override (µs per call)'
const NOTES = ['settings: target resolve <= 3 µs; ajv does less (no layers, no provenance)']

module.exports = { rows, NOTES }
if (require.main === module) printTable(TITLE, rows(), NOTES)
