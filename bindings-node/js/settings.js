'use strict'
// The Node side of the settings hot path: `SettingsSchema.resolve`.
//
// Through a plain `#[napi]` method resolve spent most of its time at the boundary: napi-rs's serde
// conversion of the layers node by node (~6 us for a small override) and the result built as JS
// objects, provenance included. Here the layers cross as ONE `JSON.stringify` text into a raw N-API
// function (`_settingsHotPaths`, see `src/settings.rs`), the effective document comes back as JSON
// text for one `JSON.parse`, and `provenance` is computed by the core only when it is first read
// (most callers only read `value`), from the same two texts. The result is still a plain object
// with own enumerable `value` and `provenance` (the latter an accessor that memoizes itself).
// JSON semantics apply to the layers (as for every document argument): `undefined` members are
// dropped, `toJSON` is honoured. The core decides everything.

// The native handle of a SettingsSchema object, made on first use.
const HANDLE = Symbol('tenantry.handle')

/**
 * Installs the hot path on the addon's `SettingsSchema` class (whose other methods `index.js` has
 * already wrapped).
 * @param {object} native the addon's exports
 * @param {(err: unknown) => unknown} adopt gives an addon error its tenantry class
 */
function install(native, adopt) {
  const hot = native._settingsHotPaths()
  const proto = native.SettingsSchema.prototype
  const makeHandle = proto._handle
  delete proto._handle
  const resolveNative = hot.resolve
  const provenanceNative = hot.provenance

  function handleOf(schema) {
    const handle = schema[HANDLE]
    if (handle !== undefined) return handle
    const made = makeHandle.call(schema)
    Object.defineProperty(schema, HANDLE, { value: made })
    return made
  }

  function resolution(handle, layersText, text) {
    return {
      value: JSON.parse(text),
      get provenance() {
        let provenance
        try {
          provenance = JSON.parse(provenanceNative(handle, layersText, text))
        } catch (err) {
          throw adopt(err)
        }
        Object.defineProperty(this, 'provenance', { value: provenance, writable: true, enumerable: true, configurable: true })
        return provenance
      },
    }
  }

  function resolve(layers) {
    let handle, layersText, text
    try {
      handle = handleOf(this)
      layersText = JSON.stringify(layers)
      text = resolveNative(handle, layersText)
    } catch (err) {
      throw adopt(err)
    }
    return resolution(handle, layersText, text)
  }

  Object.defineProperty(proto, 'resolve', { value: resolve, writable: true, enumerable: false, configurable: true })
  return {}
}

module.exports = { install }
