'use strict'
// Runs tests/vectors/settings.json against the npm package, with documents as objects and as JSON text.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { test } = require('node:test')
const tenantry = require('..')
const { SettingsSchema, mergePatch } = tenantry
const { loadVectors, checkCase, issues } = require('./helpers')

const SCHEMAS = path.join(__dirname, '..', '..', 'examples', 'schemas')

function schemaSource(input) {
  if (typeof input.schema === 'string') {
    return JSON.parse(fs.readFileSync(path.join(SCHEMAS, `${input.schema}.json`), 'utf8'))
  }
  return input.schema
}

function compile(input) {
  const l = input.limits || {}
  return new SettingsSchema(schemaSource(input), {
    maxBytes: l.max_bytes,
    maxDepth: l.max_depth,
    maxStringLength: l.max_string_length,
  })
}

function run(op, input, expect) {
  switch (op) {
    case 'compile':
      compile(input)
      return null
    case 'schema': {
      // The getters: the schema as given, and the limits documents are held to.
      const schema = compile(input)
      const l = schema.limits
      return {
        schema: schema.schema,
        limits: { max_bytes: l.maxBytes, max_depth: l.maxDepth, max_string_length: l.maxStringLength },
      }
    }
    case 'defaults':
      return compile(input).defaults()
    case 'validate':
      return compile(input).validate(input.doc)
    case 'validate.issues':
      try {
        compile(input).validate(input.doc)
        return []
      } catch (err) {
        if (!(err instanceof tenantry.SettingsValidationError)) throw err
        return issues(err.errors, expect)
      }
    case 'resolve':
      // [name, document] pairs, or an object of documents by name, as given.
      return compile(input).resolve(input.layers)
    case 'apply_patch':
      return compile(input).applyPatch(input.overrides, input.patch, {
        role: input.role,
        expectedEtag: input.expected_etag,
      })
    case 'set':
      return compile(input).set(input.overrides, input.key, input.value, {
        role: input.role,
        expectedEtag: input.expected_etag,
      })
    case 'etag':
      return new SettingsSchema({ type: 'object' }).etag(input.doc)
    case 'view':
      return compile(input).view(input.doc, input.audience)
    case 'entries':
      return compile(input).entries(input.doc, input.audience)
    case 'get':
      return compile(input).get(input.doc, input.key)
    case 'migrate': {
      const m = compile(input).migrate(input.stored)
      return { ...m, reset: issues(m.reset, expect?.reset) }
    }
    case 'merge_patch':
      return mergePatch(input.target, input.patch)
    default:
      throw new Error(`unknown op ${op}`)
  }
}

function runChecked(c, input) {
  try {
    return run(c.op, input, c.expect)
  } catch (err) {
    if (input.expect_issues !== undefined && err instanceof tenantry.TenantryError) {
      assert.deepStrictEqual(issues(err.errors, input.expect_issues), input.expect_issues, c.name)
    }
    throw err
  }
}

for (const c of loadVectors('settings')) {
  test(`vector: ${c.name}`, () => checkCase(c, (input) => runChecked(c, input)))
  if (c.op !== 'merge_patch' && c.op !== 'compile') {
    test(`vector (JSON text): ${c.name}`, () =>
      checkCase(c, (input) => {
        const text = { ...input }
        for (const key of ['doc', 'overrides', 'patch', 'stored']) {
          if (key in input) text[key] = JSON.stringify(input[key])
        }
        if (Array.isArray(input.layers)) text.layers = input.layers.map(([n, d]) => [n, JSON.stringify(d)])
        else if (input.layers !== undefined) {
          text.layers = Object.fromEntries(Object.entries(input.layers).map(([n, d]) => [n, JSON.stringify(d)]))
        }
        return runChecked(c, text)
      }))
  }
}
