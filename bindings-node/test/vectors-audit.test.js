'use strict'
// Runs tests/vectors/audit.json against the npm package.

const { test } = require('node:test')
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
    case 'seal':
      return audit.seal(input.record, input.previous_hash, input.key ? key(input.key) : undefined)
    case 'verify_chain':
      return audit.verifyChain(input.records, input.keys ? input.keys.map(key) : null, { anchor: input.anchor })
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
