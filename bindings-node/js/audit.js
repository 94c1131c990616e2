'use strict'
// The Node side of the audit hot paths: `audit.build`, `audit.buildSealed` and `audit.seal`.
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
// The native handle of a SealKey object, made on first use.
const HANDLE = Symbol('tenantry.handle')

/**
 * Installs the hot paths; returns the members that replace (or join) the `audit` namespace's.
 * @param {object} native the addon's exports
 * @param {(err: unknown) => unknown} adopt gives an addon error its tenantry class
 */
function install(native, adopt) {
  const hot = native._auditHotPaths()
  const sealKeyProto = native.audit.SealKey.prototype
  const makeHandle = sealKeyProto._handle
  delete sealKeyProto._handle
  const sealGeneral = native.audit.seal

  // One scratch array per loaded module (so per worker thread): filled by the addon, read at once.
  const out = new Float64Array(4096)

  function keyHandle(key) {
    if (key === undefined || key === null) return null
    const handle = key[HANDLE]
    if (handle !== undefined) return handle
    const made = makeHandle.call(key)
    if (Object.isExtensible(key)) Object.defineProperty(key, HANDLE, { value: made })
    return made
  }

  // ---- reading the pieces -------------------------------------------------------------------
  let s = ''
  let i = 0
  let at = 0

  function piece() {
    return s.slice(at, (at = out[i++]))
  }

  function value(kind) {
    switch (kind) {
      case 1:
        return null
      case 2:
        return false
      case 3:
        return true
      case 4:
        return out[i++]
      case 5:
        return piece()
      default:
        return JSON.parse(piece())
    }
  }

  // The record from the addon's answer.
  function assemble(text) {
    if (out[0] < 0) return JSON.parse(text)
    s = text
    i = 5
    at = 0
    const f = out[0]
    const id = piece()
    const occurredAt = piece()
    const tenantId = f & 1 ? piece() : null
    const actor = {
      type: ACTOR_TYPES[out[1]],
      id: piece(),
      email: f & 2 ? piece() : null,
      role: f & 4 ? piece() : null,
      ip: f & 8 ? piece() : null,
      user_agent: f & 16 ? piece() : null,
    }
    const action = piece()
    const reason = f & 32 ? piece() : null
    const target = f & 64 ? { type: piece(), id: piece(), name: f & 128 ? piece() : null } : null
    const n = out[4]
    const changes = []
    for (let c = 0; c < n; c++) {
      const path = piece()
      const kb = out[i++]
      const before = kb === 0 ? undefined : value(kb)
      const ka = out[i++]
      const after = ka === 0 ? undefined : value(ka)
      changes[c] = kb === 0 ? (ka === 0 ? { path } : { path, after }) : ka === 0 ? { path, before } : { path, before, after }
    }
    const requestId = f & 256 ? piece() : null
    const metadataText = f & 512 ? piece() : null
    const expiresAt = f & 1024 ? piece() : null
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
      record.prev_hash = piece()
      if (f & 4096) {
        record.seal_key_id = piece()
        record.seal = piece()
      }
      record.hash = piece()
    }
    s = ''
    return record
  }

  // ---- the API ------------------------------------------------------------------------------

  // NaN or infinite `occurredAt`, which JSON.stringify would turn into null (the default time):
  // the addon refuses it with a typed error.
  function badTime(options) {
    if (typeof options !== 'object' || options === null) return false
    const t = options.occurredAt
    return typeof t === 'number' && !Number.isFinite(t)
  }

  function build(options) {
    let text
    try {
      const bad = badTime(options)
      const json = JSON.stringify(options)
      text = hot.build(options, json, bad, out)
    } catch (err) {
      throw adopt(err)
    }
    return assemble(text)
  }

  function buildSealed(options, previousHash, key) {
    let text
    try {
      const handle = keyHandle(key)
      const bad = badTime(options)
      const json = JSON.stringify(options)
      text = hot.buildSealed(options, json, bad, out, previousHash, handle)
    } catch (err) {
      throw adopt(err)
    }
    return assemble(text)
  }

  function seal(record, previousHash, key) {
    const isObject = typeof record === 'object' && record !== null
    let text
    try {
      if (typeof record === 'string') {
        // JSON text: hashed by the core, then parsed here (only once the core accepted it).
        text = hot.sealText(record, previousHash, keyHandle(key), out)
        return Object.assign(JSON.parse(record), sealMembers(text))
      }
      if (!isObject || Array.isArray(record)) return sealGeneral(record, previousHash, key)
      // Any other record object: its JSON text, hashed by the core; a shallow copy comes back
      // with the seal members (as Object.assign makes it).
      const handle = keyHandle(key)
      const json = JSON.stringify(record)
      text = hot.sealText(json, previousHash, handle, out)
    } catch (err) {
      throw adopt(err)
    }
    return Object.assign({}, record, sealMembers(text))
  }

  // The seal members from the addon's pieces.
  function sealMembers(text) {
    s = text
    i = 1
    at = 0
    const added =
      out[0] & 4096 ? { prev_hash: piece(), seal_key_id: piece(), seal: piece(), hash: piece() } : { prev_hash: piece(), hash: piece() }
    s = ''
    return added
  }

  return { build, buildSealed, seal }
}

module.exports = { install }
