'use strict'
// Runs tests/vectors/audit.json against the npm package.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { audit } = require('..')
const { loadVectors, checkCase } = require('./helpers')

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

// Vector inputs are snake_case; build takes a camelCase options object (records stay snake_case).
function buildOptions(input) {
  const options = {}
  for (const [k, v] of Object.entries(input)) options[camel(k)] = v
  if (options.actor && typeof options.actor === 'object' && 'user_agent' in options.actor) {
    const { user_agent: userAgent, ...rest } = options.actor
    options.actor = { ...rest, userAgent }
  }
  return options
}

const key = (k) => new audit.SealKey(k.id, Buffer.from(k.secret, 'utf8'))

function run(op, input) {
  switch (op) {
    case 'build':
      return audit.build(buildOptions(input))
    case 'build_sealed':
      return audit.buildSealed(buildOptions(input.fields), input.previous_hash, input.key ? key(input.key) : undefined)
    case 'seal':
      return audit.seal(input.record, input.previous_hash, input.key ? key(input.key) : undefined)
    case 'verify_chain':
      // `key`: one SealKey, not a list (verifyChain takes either).
      return audit.verifyChain(input.records, input.key ? key(input.key) : input.keys ? input.keys.map(key) : null, {
        anchor: input.anchor,
      })
    case 'canonical_json':
      return audit.canonicalJson(input.value)
    case 'to_csv':
      return audit.toCsv(input.records)
    case 'to_jsonl':
      return audit.toJsonl(input.records)
    case 'to_ocsf':
      return audit.toOcsf(input.record)
    case 'summarize':
      return audit.summarize(input.records)
    case 'retention_cutoff':
      return audit.retentionCutoff(input.now, input.days)
    case 'actions':
      return audit.actions()
    default:
      throw new Error(`unknown op ${op}`)
  }
}

for (const c of loadVectors('audit')) {
  test(`vector: ${c.name}`, () => checkCase(c, (input) => run(c.op, input)))
}

// Every build vector again through buildSealed, and through build then seal (the seal of a record
// build returned): the same record as sealing the expected one (a plain object parsed from the
// vectors, so sealed from its JSON), member for member and in the same order; the same errors.
const PREV = 'cd'.repeat(32)
const SEAL_KEY = new audit.SealKey('vk', Buffer.from('vectors-seal-key-0123456789', 'utf8'))
for (const c of loadVectors('audit').filter((c) => c.op === 'build')) {
  for (const key of [SEAL_KEY, null]) {
    const sealedCase = c.error === undefined ? { ...c, expect: audit.seal(c.expect, PREV, key) } : c
    test(`vector (buildSealed${key ? ', keyed' : ''}): ${c.name}`, () => {
      checkCase(sealedCase, (input) => audit.buildSealed(buildOptions(input), PREV, key))
      if (c.error === undefined) {
        assert.equal(JSON.stringify(audit.buildSealed(buildOptions(c.input), PREV, key)), JSON.stringify(sealedCase.expect))
      }
    })
    test(`vector (build then seal${key ? ', keyed' : ''}): ${c.name}`, () => {
      checkCase(sealedCase, (input) => audit.seal(audit.build(buildOptions(input)), PREV, key))
      if (c.error === undefined) {
        assert.equal(JSON.stringify(audit.build(buildOptions(c.input))), JSON.stringify(c.expect))
        assert.equal(JSON.stringify(audit.seal(audit.build(buildOptions(c.input)), PREV, key)), JSON.stringify(sealedCase.expect))
      }
    })
  }
}
