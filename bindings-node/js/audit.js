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
// - the addon keeps the last records `build` made (per thread); `seal` of an object `build`
//   returned, still holding exactly the values it was given (checked here against the primitives
//   handed out), seals the kept record: the same canonical JSON, so the same hash, as sealing the
//   object's JSON. Any other record (edited, copied, parsed from storage, JSON text) is sealed
//   from its JSON text, canonicalized and hashed by the core, and comes back as before: a shallow
//   copy (`Object.assign`) with the seal members.

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
  // Records returned by `build`: record -> the primitives handed out, then the token under which
  // the addon keeps the built record.
  const built = new WeakMap()

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

  // The record from the addon's answer; `flat` (when given) receives the primitives handed out,
  // in the order `unchanged` checks them.
  function assemble(text, flat) {
    if (out[0] < 0) return JSON.parse(text)
    s = text
    i = 6
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
      if (flat !== undefined) {
        const k = c * 5
        flat[k] = path
        flat[k + 1] = kb
        flat[k + 2] = kb === 6 ? JSON.stringify(before) : before
        flat[k + 3] = ka
        flat[k + 4] = ka === 6 ? JSON.stringify(after) : after
      }
      changes[c] = kb === 0 ? (ka === 0 ? { path } : { path, after }) : ka === 0 ? { path, before } : { path, before, after }
    }
    const requestId = f & 256 ? piece() : null
    const metadataText = f & 512 ? piece() : null
    const expiresAt = f & 1024 ? piece() : null
    const record =
      f & 2048
        ? f & 4096
          ? {
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
              prev_hash: piece(),
              seal_key_id: piece(),
              seal: piece(),
              hash: piece(),
            }
          : {
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
              prev_hash: piece(),
              hash: piece(),
            }
        : {
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
    if (flat !== undefined) {
      // (Indexed writes, not push: nothing a caller patched into Array.prototype runs here.)
      const k = n * 5
      flat[k] = id
      flat[k + 1] = occurredAt
      flat[k + 2] = tenantId
      flat[k + 3] = action
      flat[k + 4] = record.severity
      flat[k + 5] = record.outcome
      flat[k + 6] = reason
      flat[k + 7] = requestId
      flat[k + 8] = expiresAt
      flat[k + 9] = actor.type
      flat[k + 10] = actor.id
      flat[k + 11] = actor.email
      flat[k + 12] = actor.role
      flat[k + 13] = actor.ip
      flat[k + 14] = actor.user_agent
      flat[k + 15] = target === null ? null : target.type
      flat[k + 16] = target === null ? null : target.id
      flat[k + 17] = target === null ? null : target.name
      flat[k + 18] = metadataText
      flat[k + 19] = n
    }
    s = ''
    return record
  }

  // ---- is a built record unchanged? ---------------------------------------------------------
  // The members of a built record, in their order (a shallow copy of an unchanged record, as
  // `seal` returns, is then written with one literal).
  const RECORD_MEMBERS = [
    'id', 'occurred_at', 'tenant_id', 'actor', 'action', 'severity', 'outcome', 'reason', 'target', 'changes',
    'request_id', 'metadata', 'expires_at',
  ]

  function inOrder(r) {
    if (typeof r !== 'object' || r === null || r.toJSON !== undefined) return false
    const names = Object.keys(r)
    if (names.length !== RECORD_MEMBERS.length) return false
    for (let k = 0; k < names.length; k++) if (names[k] !== RECORD_MEMBERS[k]) return false
    return true
  }

  // An object as `build` made it: `members` own enumerable members and nothing that changes its
  // JSON (a `toJSON`, own or inherited).
  function plain(o, members) {
    return typeof o === 'object' && o !== null && o.toJSON === undefined && Object.keys(o).length === members
  }

  // True when `r` still holds exactly what `build` handed out (`flat`): the same members, the same
  // primitives, composite values with the same JSON. Then its JSON is the built record's JSON.
  function unchanged(r, flat) {
    const base = flat.length - 21
    if (
      !inOrder(r) ||
      r.id !== flat[base] ||
      r.occurred_at !== flat[base + 1] ||
      r.tenant_id !== flat[base + 2] ||
      r.action !== flat[base + 3] ||
      r.severity !== flat[base + 4] ||
      r.outcome !== flat[base + 5] ||
      r.reason !== flat[base + 6] ||
      r.request_id !== flat[base + 7] ||
      r.expires_at !== flat[base + 8]
    ) {
      return false
    }
    const a = r.actor
    if (
      !plain(a, 6) ||
      a.type !== flat[base + 9] ||
      a.id !== flat[base + 10] ||
      a.email !== flat[base + 11] ||
      a.role !== flat[base + 12] ||
      a.ip !== flat[base + 13] ||
      a.user_agent !== flat[base + 14]
    ) {
      return false
    }
    const t = r.target
    if (flat[base + 15] === null) {
      if (t !== null) return false
    } else if (!plain(t, 3) || t.type !== flat[base + 15] || t.id !== flat[base + 16] || t.name !== flat[base + 17]) {
      return false
    }
    const m = r.metadata
    if (flat[base + 18] === null) {
      if (!plain(m, 0)) return false
    } else if (typeof m !== 'object' || m === null || JSON.stringify(m) !== flat[base + 18]) {
      return false
    }
    const changes = r.changes
    const n = flat[base + 19]
    if (!Array.isArray(changes) || changes.toJSON !== undefined || changes.length !== n) return false
    for (let c = 0, k = 0; c < n; c++, k += 5) {
      const change = changes[c]
      const kb = flat[k + 1]
      const ka = flat[k + 3]
      if (!plain(change, 1 + (kb !== 0) + (ka !== 0)) || change.path !== flat[k]) return false
      if (kb === 0 ? 'before' in change : !sameValue(change.before, kb, flat[k + 2])) return false
      if (ka === 0 ? 'after' in change : !sameValue(change.after, ka, flat[k + 4])) return false
    }
    return true
  }

  function sameValue(v, kind, want) {
    if (kind !== 6) return v === want
    return typeof v === 'object' && v !== null && JSON.stringify(v) === want
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
    const token = out[5]
    const flat = []
    const record = assemble(text, flat)
    // (A record too large for the scratch array came back as JSON: it is not kept.)
    if (token >= 0 && flat.length !== 0) {
      flat[flat.length] = token
      built.set(record, flat)
    }
    return record
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
    return assemble(text, undefined)
  }

  function seal(record, previousHash, key) {
    const isObject = typeof record === 'object' && record !== null
    const flat = isObject ? built.get(record) : undefined
    let text
    try {
      if (flat !== undefined && unchanged(record, flat)) {
        text = hot.sealBuilt(flat[flat.length - 1], previousHash, keyHandle(key), out)
        if (text !== undefined) return sealedCopy(record, text)
      }
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

  // The shallow copy of an unchanged built record with its seal members, written as one literal.
  function sealedCopy(r, text) {
    s = text
    i = 1
    at = 0
    const prevHash = piece()
    const sealed =
      out[0] & 4096
        ? {
            id: r.id,
            occurred_at: r.occurred_at,
            tenant_id: r.tenant_id,
            actor: r.actor,
            action: r.action,
            severity: r.severity,
            outcome: r.outcome,
            reason: r.reason,
            target: r.target,
            changes: r.changes,
            request_id: r.request_id,
            metadata: r.metadata,
            expires_at: r.expires_at,
            prev_hash: prevHash,
            seal_key_id: piece(),
            seal: piece(),
            hash: piece(),
          }
        : {
            id: r.id,
            occurred_at: r.occurred_at,
            tenant_id: r.tenant_id,
            actor: r.actor,
            action: r.action,
            severity: r.severity,
            outcome: r.outcome,
            reason: r.reason,
            target: r.target,
            changes: r.changes,
            request_id: r.request_id,
            metadata: r.metadata,
            expires_at: r.expires_at,
            prev_hash: prevHash,
            hash: piece(),
          }
    s = ''
    return sealed
  }

  return { build, buildSealed, seal }
}

module.exports = { install }
