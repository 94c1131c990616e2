'use strict'
// Runs tests/vectors/apikeys.json against the npm package. Vectors are snake_case; records and
// verdicts in Node are camelCase, so expected values are converted here; input records are sent
// both converted and as the vector gives them.

const { test } = require('node:test')
const { ApiKeys } = require('..')
const { loadVectors, checkCase } = require('./helpers')

function camel(name) {
  return name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
}

// Converts object keys to camelCase, recursively (arrays of strings pass through).
function camelKeys(value) {
  if (Array.isArray(value)) return value.map(camelKeys)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), camelKeys(v)]))
  }
  return value
}

function makeKeys(config) {
  const peppers = {}
  for (const [id, text] of Object.entries(config.peppers)) peppers[id] = Buffer.from(text, 'utf8')
  return new ApiKeys({
    prefix: config.prefix,
    peppers,
    currentPepper: config.current_pepper,
    environments: config.environments,
    knownScopes: config.known_scopes,
    touchInterval: config.touch_interval,
  })
}

function plain(key, names) {
  const out = {}
  for (const name of names) out[name] = key[name]
  return out
}

// `asStored`: the record exactly as the vector gives it (snake_case, as Python and the Rust core
// write records, and as a database row holds them); otherwise converted to camelCase, as the Node
// package writes records. Node reads both.
function run(op, input, asStored) {
  const keys = makeKeys(input.config)
  const record = input.record == null || asStored ? input.record : camelKeys(input.record)
  switch (op) {
    case 'new':
      return null
    case 'generate':
      return plain(
        keys.generateWithRandom(Buffer.from(input.random_hex, 'hex'), {
          environment: input.environment,
          scopes: input.scopes,
          expiresAt: input.expires_at,
          notBefore: input.not_before,
          name: input.name,
          now: input.now,
        }),
        ['token', 'record'],
      )
    case 'parse':
      return keys.parse(input.token)
    case 'hash_token':
      return keys.hashToken(input.token)
    case 'secret_scanning_pattern':
      return keys.secretScanningPattern()
    case 'verify':
      return keys.verify(input.token, record, {
        requiredScopes: input.required_scopes,
        environment: input.environment,
        now: input.now,
      })
    case 'roll':
      return plain(
        keys.rollWithRandom(Buffer.from(input.random_hex, 'hex'), record, {
          grace: input.grace,
          now: input.now,
          expiresAt: input.expires_at,
        }),
        ['token', 'record', 'previous'],
      )
    case 'revoke':
      return keys.revoke(record, input.now)
    default:
      throw new Error(`unknown op ${op}`)
  }
}

for (const c of loadVectors('apikeys')) {
  const expected = c.expect === undefined ? c : { ...c, expect: camelKeys(c.expect) }
  test(`vector: ${c.name}`, () => checkCase(expected, (input) => run(c.op, input, false)))
  // Every case that takes a record again with the record as stored: the results (camelCase in
  // Node whichever way the record came) and errors must not depend on its spelling.
  if (c.input.record != null) {
    test(`vector (record as stored): ${c.name}`, () => checkCase(expected, (input) => run(c.op, input, true)))
  }
}
