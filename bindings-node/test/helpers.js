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

// The error class each code is thrown as: the core's ErrorCode::class (core/src/error.rs), which
// the Rust runner checks every vector code against. A code missing here fails the case, so a new
// code must be placed in its family before a vector uses it.
const ERROR_CLASSES = {
  'input.invalid': 'InvalidInputError',
  'input.invalid_json': 'InvalidInputError',
  'input.invalid_time': 'InvalidInputError',
  'webhook.invalid_secret': 'WebhookError',
  'webhook.invalid_message_id': 'WebhookError',
  'webhook.cannot_sign': 'WebhookError',
  'webhook.invalid_config': 'WebhookError',
  'webhook.invalid_event_type': 'WebhookError',
  'webhook.missing_header': 'WebhookVerificationError',
  'webhook.invalid_timestamp': 'WebhookVerificationError',
  'webhook.timestamp_too_old': 'WebhookVerificationError',
  'webhook.timestamp_too_new': 'WebhookVerificationError',
  'webhook.no_matching_signature': 'WebhookVerificationError',
  'webhook.invalid_signature_header': 'WebhookVerificationError',
  'webhook.invalid_header': 'WebhookVerificationError',
  'apikey.invalid_config': 'ApiKeyError',
  'apikey.malformed': 'ApiKeyError',
  'apikey.bad_checksum': 'ApiKeyError',
  'apikey.invalid_scope': 'ApiKeyError',
  'apikey.invalid_record': 'ApiKeyError',
  'apikey.unknown_pepper': 'ApiKeyError',
  'apikey.inactive': 'ApiKeyError',
  'settings.invalid_schema': 'SettingsError',
  'settings.validation_failed': 'SettingsValidationError',
  'settings.concurrent_update': 'ConcurrentUpdateError',
  'settings.unknown_key': 'SettingsError',
  'settings.invalid_patch': 'SettingsError',
  'limits.invalid_catalog': 'LimitsError',
  'limits.unknown_plan': 'LimitsError',
  'limits.unknown_metric': 'LimitsError',
  'limits.invalid_config': 'LimitsError',
  'limits.exceeded': 'LimitExceededError',
  'limits.rate_limited': 'LimitExceededError',
  'limits.invalid_usage': 'LimitsError',
  'limits.invalid_overrides': 'LimitsError',
  'audit.invalid_record': 'AuditError',
  'audit.invalid_action': 'AuditError',
  'audit.invalid_severity': 'AuditError',
  'audit.invalid_ip': 'AuditError',
  'audit.control_characters': 'AuditError',
  'audit.too_large': 'AuditError',
  'audit.invalid_key': 'AuditError',
  'audit.invalid_retention': 'AuditError',
}

// Whether an expected issue list pins messages (else issues compare as {path, code}).
function pinsMessages(want) {
  return Array.isArray(want) && want.some((i) => i !== null && typeof i === 'object' && 'message' in i)
}

// Issues as a vector writes them: {path, code, message}, or {path, code} when `want` (the
// expected list) pins no message.
function issues(errors, want) {
  const withMessage = pinsMessages(want)
  return errors.map((e) => (withMessage ? { path: e.path, code: e.code, message: e.message } : { path: e.path, code: e.code }))
}

// The code, the class it maps to, and (when the vector gives one) the message of `err`.
function checkError(c, err) {
  assert.ok(err instanceof tenantry.TenantryError, `${c.name}: not a TenantryError: ${err}`)
  assert.equal(err.code, c.error, `${c.name}: ${err.message}`)
  const cls = ERROR_CLASSES[c.error]
  assert.ok(cls !== undefined, `${c.name}: no class known for ${c.error}`)
  assert.equal(Object.getPrototypeOf(err), tenantry[cls].prototype, `${c.name}: ${err.name} for ${err.code}`)
  if (c.message !== undefined) assert.equal(err.message, c.message, c.name)
}

// Runs one vector: the result must deep-equal `expect`, or the error must be `error` (its code,
// its class, and its `message` when given).
function checkCase(c, run) {
  if (c.error !== undefined) {
    assert.throws(
      () => run(c.input),
      (err) => {
        checkError(c, err)
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

module.exports = { loadVectors, payload, checkCase, checkError, issues, snakeCaseKeys, mulberry32 }
