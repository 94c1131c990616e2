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

// mulberry32: a small seeded PRNG (floats in [0, 1)), so generated cases are the same on every
// run and failures reproduce.
function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

module.exports = { loadVectors, payload, checkCase, snakeCaseKeys, mulberry32 }
