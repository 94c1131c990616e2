'use strict'
// The Node side of the audit hot paths: `audit.build`, `audit.buildSealed`, `audit.seal` and
// `audit.canonicalJson`.
//
// Through `#[napi]` functions a build + seal cost ~28 µs, mostly at the boundary: the options read
// into serde_json maps, the record serialized and `JSON.parse`d back (3 µs for 1 KB), then
// stringified and parsed again to be sealed. Here (see `src/audit_build.rs`):
//
// - the options cross as ONE `JSON.stringify` text (JSON semantics apply, as before: `undefined`
//   members are dropped, `toJSON` is honoured, a Date becomes its ISO string);
// - the record comes back as one string of its pieces, cut at the offsets the addon writes into a
//   scratch `Float64Array`, and is assembled here with object literals: a plain object with the
//   same members, in the same order, as before. Every value is decided by the core; nothing here
//   computes a field, and no caller object is aliased into a record;
// - `buildSealed` seals the record the core just built, from its struct (never read back);
// - `seal` of a record object (or its JSON text) hashes its JSON text, canonicalized by the core,
//   and returns as before a shallow copy (`Object.assign`) with the seal members.

const ACTOR_TYPES = ['user', 'api_key', 'service', 'system']
const SEVERITIES = ['info', 'warning', 'error', 'critical']
const OUTCOMES = ['success', 'failure']
const { handles } = require('./handles.js')
const { checkJsonData, textOfBytes } = require('./json-data.js')
// Audit data is checked as a value (a string in it is a string, never JSON text).
const checkAuditData = (value, what) => checkJsonData(value, what, true)
const { settingsHandle } = require('./settings.js')
// The options the addon reads as numbers or times: a NaN, an infinity or an Invalid Date there is
// the addon's own error (see `badNumber`), not a TypeError.
const NUMBERS = new Set(['occurredAt', 'retentionDays', 'maxMetadataBytes'])

/**
 * Installs the hot paths; returns the members that replace (or join) the `audit` namespace's.
 * @param {object} native the addon's exports
 * @param {(err: unknown) => unknown} adopt gives an addon error its tenantry class
 * @param {object} exported the `audit` namespace as `index.js` exports it (errors adopted)
 */
function install(native, adopt, exported) {
  const hot = native._auditHotPaths()
  const sealKeyProto = native.audit.SealKey.prototype
  const sealKeyHandle = handles(sealKeyProto._handle)
  delete sealKeyProto._handle
  const sealGeneral = native.audit.seal

  // One scratch array per loaded module (so per worker thread): filled by the addon, read at once.
  const out = new Float64Array(4096)

  const SealKey = native.audit.SealKey
  const typeOf = (value) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value)

  // (With Node's code for an argument of the wrong type, as every TypeError of this package.)
  const wrongType = (message) => Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_TYPE' })

  function keyHandle(key) {
    if (key === undefined || key === null) return null
    if (!(key instanceof SealKey)) throw wrongType(`key must be an audit.SealKey or null, not ${typeOf(key)}`)
    return sealKeyHandle(key)
  }

  // verifyChain's keys: one, several (rotation), or none.
  function checkKeys(key) {
    if (key === undefined || key === null || key instanceof SealKey) return
    if (Array.isArray(key) && key.every((k) => k instanceof SealKey)) return
    throw wrongType(`key must be an audit.SealKey, an array of them, or null, not ${typeOf(key)}`)
  }

  // ---- reading the pieces -------------------------------------------------------------------
  // `text` is cut at the offsets in `out`: `i` is the next slot, `at` the end of the last piece
  // (locals of `assemble`, which V8 keeps in registers). Offsets are read as `out[i++] | 0`
  // (exact: strings are shorter than 2^31): small integers let V8 cut with its substring
  // builtin directly instead of going through `String.prototype.slice` (10% of `assemble`).

  // A change's value of kind `kind` (see `Out::value`), its piece ending at `end`.
  function value(kind, text, at, end) {
    switch (kind) {
      case 1:
        return null
      case 2:
        return false
      case 3:
        return true
      case 5:
        return text.slice(at, end)
      default:
        return JSON.parse(text.slice(at, end))
    }
  }

  // The record from the addon's answer (`previousHash`: what the caller gave `buildSealed`).
  function assemble(text, previousHash) {
    const f = out[0]
    if (f < 0) return JSON.parse(text)
    let i = 5
    let at = 0
    const id = text.slice(at, (at = out[i++] | 0))
    const occurredAt = text.slice(at, (at = out[i++] | 0))
    const tenantId = f & 1 ? text.slice(at, (at = out[i++] | 0)) : null
    const actor = {
      type: ACTOR_TYPES[out[1]],
      id: text.slice(at, (at = out[i++] | 0)),
      email: f & 2 ? text.slice(at, (at = out[i++] | 0)) : null,
      role: f & 4 ? text.slice(at, (at = out[i++] | 0)) : null,
      ip: f & 8 ? text.slice(at, (at = out[i++] | 0)) : null,
      user_agent: f & 16 ? text.slice(at, (at = out[i++] | 0)) : null,
    }
    const action = text.slice(at, (at = out[i++] | 0))
    const reason = f & 32 ? text.slice(at, (at = out[i++] | 0)) : null
    const target =
      f & 64
        ? { type: text.slice(at, (at = out[i++] | 0)), id: text.slice(at, (at = out[i++] | 0)), name: f & 128 ? text.slice(at, (at = out[i++] | 0)) : null }
        : null
    const n = out[4]
    const changes = []
    for (let c = 0; c < n; c++) {
      const path = text.slice(at, (at = out[i++] | 0))
      // Each value: its kind, then its number (kind 4) or the end of its piece (kinds 5 and 6).
      const kb = out[i++]
      let before
      if (kb === 4) before = out[i++]
      else if (kb >= 5) before = value(kb, text, at, (at = out[i++] | 0))
      else if (kb !== 0) before = value(kb)
      const ka = out[i++]
      let after
      if (ka === 4) after = out[i++]
      else if (ka >= 5) after = value(ka, text, at, (at = out[i++] | 0))
      else if (ka !== 0) after = value(ka)
      changes.push(kb === 0 ? (ka === 0 ? { path } : { path, after }) : ka === 0 ? { path, before } : { path, before, after })
    }
    const requestId = f & 256 ? text.slice(at, (at = out[i++] | 0)) : null
    const metadataText = f & 512 ? text.slice(at, (at = out[i++] | 0)) : null
    const expiresAt = f & 1024 ? text.slice(at, (at = out[i++] | 0)) : null
    const record = {
      id,
      occurred_at: occurredAt,
      tenant_id: tenantId,
      actor,
      action,
      severity: SEVERITIES[out[2]],
      outcome: OUTCOMES[out[3]],
      reason,
      target,
      changes,
      request_id: requestId,
      metadata: metadataText === null ? {} : JSON.parse(metadataText),
      expires_at: expiresAt,
    }
    // The seal members, in the order `seal` adds them (V8 caches these shape transitions).
    if (f & 2048) {
      // Bit 13: the record links to the caller's `previousHash`, as given (no piece).
      record.prev_hash = f & 8192 ? previousHash : text.slice(at, (at = out[i++] | 0))
      if (f & 4096) {
        record.seal_key_id = text.slice(at, (at = out[i++] | 0))
        record.seal = text.slice(at, (at = out[i++] | 0))
      }
      record.hash = text.slice(at, (at = out[i++] | 0))
    }
    return record
  }

  // ---- the API ------------------------------------------------------------------------------

  // A NaN or infinite number option, or an Invalid Date, which JSON.stringify would turn into
  // null: the default time (now), a record kept forever, the default metadata size. The addon
  // reads which one from the options and refuses it with a typed error.
  function badNumber(options) {
    if (typeof options !== 'object' || options === null) return false
    const { occurredAt, retentionDays, maxMetadataBytes } = options
    return nonFinite(occurredAt) || nonFinite(retentionDays) || nonFinite(maxMetadataBytes) || invalidDate(occurredAt)
  }
  const nonFinite = (value) => typeof value === 'number' && !Number.isFinite(value)
  const invalidDate = (value) => value instanceof Date && Number.isNaN(value.getTime())

  const SettingsSchema = native.SettingsSchema

  // A `schema` that is an object of some class other than ours: a SettingsSchema of another copy
  // of this package (a dual CommonJS/ESM install, --preserve-symlinks), which `instanceof` does
  // not know, went through JSON.stringify as {} (it has no own enumerable members): a valid,
  // empty schema, so the values its document marks x-sensitive were logged unmasked. Only ours,
  // or a JSON Schema as plain data (or its JSON text), says what to mask.
  function foreignSchema(schema) {
    if (typeof schema !== 'object' || schema === null || schema instanceof SettingsSchema) return false
    const proto = Object.getPrototypeOf(schema)
    return proto !== Object.prototype && proto !== null && proto !== Array.prototype
  }
  function schemaTypeError(schema) {
    let name
    try {
      name = schema.constructor?.name
    } catch {
      // (A getter that throws: the message does without the name.)
    }
    return wrongType(
      `options.schema must be a SettingsSchema of this package or a plain JSON Schema object, not ${typeof name === 'string' && name ? `a ${name}` : 'an object of another kind'}`,
    )
  }

  // The options as they are sent. The data a record keeps is checked as settings documents are
  // (see js/json-data.js): NaN, a Map or a function in `before` would otherwise be a silent null,
  // {} or nothing in an audit log. Every other option is held to the same check, unless it is a
  // string (checked for lone surrogates only), a boolean or a number the addon reads itself (see
  // `NUMBERS`): they all cross in one
  // JSON.stringify, which threw its own errors (no code, no option named) on a BigInt or a value
  // that contains itself, a RangeError on one nested thousands deep, and dropped a function
  // without a word. An actor or a target nested too deep, or containing itself, is the core's
  // error, as the documents are. A compiled SettingsSchema given as `schema` is left out of the
  // text (JSON.stringify would send {}, and nothing would be masked): `compiled` reads its handle.
  function prepared(options) {
    if (typeof options !== 'object' || options === null) return options
    let ours = false
    let bytes = null
    // (Its members as JSON.stringify sends them, and more: for...in also sees inherited enumerable
    // ones. js/options.js refused members it does not know, and copied options that are not
    // plain objects. for...in reads them through V8's enum cache: a loop over the 18 names cost
    // a sixth of the call.)
    for (const name in options) {
      const value = options[name]
      switch (typeof value) {
        case 'undefined':
        case 'boolean':
          continue
        case 'string':
          // A lone surrogate is the addon's input.invalid naming it, as for every text argument
          // (JSON.stringify would escape it, and the addon would find it in text the caller never
          // wrote: input.invalid_json).
          if (!value.isWellFormed()) native._checkText(value)
          continue
        case 'number':
          if (Number.isFinite(value) || NUMBERS.has(name)) continue
          break
        case 'object':
          if (value === null || (value instanceof Date && NUMBERS.has(name))) continue
          // A document given as bytes is its JSON text, as Python reads `bytes` (see
          // js/json-data.js): replaced by that text in a copy of the options.
          if (value instanceof Uint8Array) {
            ;(bytes ??= {})[name] = textOfBytes(value)
            continue
          }
          if (name === 'schema') {
            if (value instanceof SettingsSchema) {
              ours = true
              continue
            }
            if (foreignSchema(value)) throw schemaTypeError(value)
          }
      }
      checkAuditData(value, `options.${name}`)
    }
    if (bytes !== null) options = { ...options, ...bytes }
    return ours ? { ...options, schema: undefined } : options
  }

  // The handle of a compiled SettingsSchema given as `schema` (its fields are read already, where
  // its document would be walked on every record), or null.
  function compiled(options) {
    const schema = typeof options === 'object' && options !== null ? options.schema : undefined
    return schema instanceof SettingsSchema ? settingsHandle(schema) : null
  }

  function build(options) {
    let text
    try {
      const settings = compiled(options)
      options = prepared(options)
      const bad = badNumber(options)
      const json = JSON.stringify(options)
      text = hot.build(options, json, bad, out, settings)
    } catch (err) {
      throw adopt(err)
    }
    return assemble(text)
  }

  function buildSealed(options, previousHash, key) {
    let text
    try {
      const settings = compiled(options)
      options = prepared(options)
      const handle = keyHandle(key)
      const bad = badNumber(options)
      const json = JSON.stringify(options)
      text = hot.buildSealed(options, json, bad, out, settings, previousHash, handle)
    } catch (err) {
      throw adopt(err)
    }
    return assemble(text, previousHash)
  }

  function seal(record, previousHash, key) {
    // Bytes are JSON text, as Python reads `bytes` (see js/json-data.js). Sealed as an object, a
    // Buffer's index members were copied while its toJSON form was hashed.
    record = textOfBytes(record)
    const isObject = typeof record === 'object' && record !== null
    let text
    try {
      if (typeof record === 'string') {
        // JSON text: hashed by the core, then parsed here (only once the core accepted it). The
        // caller's text may repeat a name (the last value wins): `false` says it is not ours.
        text = hot.sealText(record, previousHash, keyHandle(key), out, false)
        // (The core accepted it, so it parses to an object: ours, given the seal members.)
        return Object.assign(JSON.parse(record), sealMembers(text))
      }
      checkAuditData(record, 'record')
      if (!isObject || Array.isArray(record)) return sealGeneral(record, previousHash, key)
      // Any other record object: its JSON text, hashed by the core; a shallow copy comes back
      // with the seal members (see `sealedCopy`).
      const handle = keyHandle(key)
      const json = JSON.stringify(record)
      // `true`: our own JSON.stringify text, which never repeats a name.
      text = hot.sealText(json, previousHash, handle, out, true)
    } catch (err) {
      throw adopt(err)
    }
    return sealedCopy(record, sealMembers(text))
  }

  // A shallow copy of `record` with the seal members: `{ ...record, ...members }`, built by
  // assignment to a new object. On Node 20 a spread copy is fast, but every member added to it
  // afterwards makes a new hidden class: 4 µs a record, half of `seal`, against 0.35 µs here.
  // Assignment runs the `__proto__` setter where a spread defines an own member (which
  // JSON.parse makes, and without which the copy no longer verifies): such a record is spread.
  function sealedCopy(record, members) {
    if (Object.hasOwn(record, '__proto__')) return { ...record, ...members }
    return Object.assign({}, record, members)
  }

  // The seal members from the addon's pieces.
  function sealMembers(text) {
    let i = 1
    let at = 0
    const prevHash = text.slice(at, (at = out[i++] | 0))
    if (out[0] & 4096) {
      const sealKeyId = text.slice(at, (at = out[i++] | 0))
      const seal = text.slice(at, (at = out[i++] | 0))
      return { prev_hash: prevHash, seal_key_id: sealKeyId, seal, hash: text.slice(at, (at = out[i++] | 0)) }
    }
    return { prev_hash: prevHash, hash: text.slice(at, (at = out[i++] | 0)) }
  }

  // RFC 8785 canonical JSON of a value checked as data (so `JSON.stringify` writes it exactly,
  // and a string is a JSON string): its text made here, canonicalized by the core.
  function canonicalJson(value) {
    checkAuditData(value, 'value')
    try {
      return hot.canonicalText(JSON.stringify(value))
    } catch (err) {
      throw adopt(err)
    }
  }

  // The other calls that verify or export records: their data checked first.
  const checked = {}
  for (const [name, what] of [
    ['toCsv', 'records'],
    ['toJsonl', 'records'],
    ['toOcsf', 'record'],
    ['summarize', 'records'],
  ]) {
    const call = exported[name]
    checked[name] = {
      [name](data) {
        data = arguments[0] = textOfBytes(data)
        checkAuditData(data, what)
        return call.apply(this, arguments)
      },
    }[name]
  }
  const verifyChainChecked = exported.verifyChain
  checked.verifyChain = function verifyChain(records, key) {
    records = arguments[0] = textOfBytes(records)
    checkAuditData(records, 'records')
    checkKeys(key)
    return verifyChainChecked.apply(this, arguments)
  }

  return { build, buildSealed, seal, canonicalJson, ...checked }
}

module.exports = { install }
