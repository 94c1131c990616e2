'use strict'
// The Node side of the API key hot path: `ApiKeys.verify`.
//
// Through a plain `#[napi]` method verify cost about twice the HMAC it wraps, mostly napi-rs
// machinery: the per-call glue, 13 named-property reads of the record from native code, and a
// verdict object built property by property. So the addon exposes a raw N-API function
// (`_apikeysHotPaths`, see `src/apikeys.rs`) that takes the object's native handle, the record
// and its field values and the options (read here, where property loads are inline-cached) and a
// scratch `Float64Array`. For the common verdicts it writes numbers into the array and this module
// builds the verdict as an object literal; any other verdict comes back whole from the addon.
// The core decides every field: nothing here computes one.

const { handles } = require('./handles.js')
const { textOfBytes } = require('./json-data.js')

/**
 * Installs the hot path on the addon's `ApiKeys` class (whose other methods `index.js` has already
 * wrapped).
 * @param {object} native the addon's exports
 * @param {(err: unknown) => unknown} adopt gives an addon error its tenantry class
 */
function install(native, adopt) {
  const hot = native._apikeysHotPaths()
  const proto = native.ApiKeys.prototype
  const handleOf = handles(proto._handle)
  delete proto._handle
  const verifyNative = hot.verify
  const codes = hot.codes
  // One scratch array per loaded module (so per worker thread): filled by the addon, read at once.
  const out = new Float64Array(hot.verifySlots)

  function verify(token, record, options) {
    // A record read as bytes (a database column, a cache) is its JSON text, as Python reads `bytes`.
    record = textOfBytes(record)
    let keyId, hash, pepperId, environment, scopes, name, createdAt, expiresAt, notBefore, revokedAt,
      disabled, lastUsedAt, masked, requiredScopes, wantEnvironment, now
    // A record with a snake_case name too is not this package's shape: its fields stay undefined,
    // so the addon reads the object with the core's deserializer (see `SNAKE_ALIASES` there).
    if (record !== null && typeof record === 'object' && !hasSnakeName(record)) {
      ;({ keyId, hash, pepperId, environment, scopes, name, createdAt, expiresAt, notBefore, revokedAt,
        disabled, lastUsedAt, masked } = record)
    }
    if (options !== undefined && options !== null) {
      requiredScopes = options.requiredScopes
      wantEnvironment = options.environment
      now = options.now
    }
    let whole
    try {
      whole = verifyNative(handleOf(this), out, token, record, keyId, hash, pepperId, environment, scopes, name,
        createdAt, expiresAt, notBefore, revokedAt, disabled, lastUsedAt, masked, options, requiredScopes,
        wantEnvironment, now)
    } catch (err) {
      throw adopt(err)
    }
    if (whole !== undefined) return whole
    return {
      valid: out[0] === 1,
      code: codes[out[1]],
      keyId: out[3] === 1 ? keyId : null,
      environment: out[4] === 1 ? environment : null,
      missingScopes: [],
      rehash: null,
      touch: out[2] === 1,
    }
  }

  const hasSnakeName = (r) =>
    r.key_id !== undefined || r.pepper_id !== undefined || r.created_at !== undefined || r.expires_at !== undefined ||
    r.not_before !== undefined || r.revoked_at !== undefined || r.last_used_at !== undefined

  Object.defineProperty(proto, 'verify', { value: verify, writable: true, enumerable: false, configurable: true })
  // The calls that hand a record back to be stored read bytes as JSON text too (see `verify`).
  for (const [name, at] of [['roll', 0], ['rollWithRandom', 1], ['revoke', 0]]) {
    const call = proto[name]
    const wrapped = {
      [name](...args) {
        if (args.length > at) args[at] = textOfBytes(args[at])
        return call.apply(this, args)
      },
    }[name]
    Object.defineProperty(proto, name, { value: wrapped, writable: true, enumerable: false, configurable: true })
  }
  return {}
}

module.exports = { install }
