'use strict'
// Shared helpers for the Node suite: loading the conformance vectors in tests/vectors/.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const tenantry = require('..')

const VECTORS = path.join(__dirname, '..', '..', 'tests', 'vectors')

function loadVectors(capability) {
  const doc = JSON.parse(fs.readFileSync(path.join(VECTORS, `${capability}.json`), 'utf8'))
  assert.ok(doc.cases.length > 0, `no vectors in ${capability}.json`)
  return doc.cases
}

function payload(input) {
  if (input.payload_b64 !== undefined) return Buffer.from(input.payload_b64, 'base64')
  return input.payload ?? ''
}

// Runs one vector: the result must deep-equal `expect`, or the error code must equal `error`.
function checkCase(c, run) {
  if (c.error !== undefined) {
    assert.throws(
      () => run(c.input),
      (err) => {
        assert.ok(err instanceof tenantry.TenantryError, `${c.name}: not a TenantryError: ${err}`)
        assert.equal(err.code, c.error, `${c.name}: ${err.message}`)
        return true
      },
    )
  } else {
    const got = run(c.input)
    assert.deepStrictEqual(got === undefined ? null : got, c.expect, c.name)
  }
}

// Vectors use the core's snake_case names; Node results use camelCase. Converts results back.
function snakeCaseKeys(value) {
  if (Array.isArray(value)) return value.map(snakeCaseKeys)
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeCaseKeys(v)]),
    )
  }
  return value
}

module.exports = { loadVectors, payload, checkCase, snakeCaseKeys }
