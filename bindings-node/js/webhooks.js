'use strict'
// The Node side of the webhook hot path: `Webhook.verify`.
//
// Through the `#[napi]` method, verify spent about as long in napi-rs's per-call glue and native
// property reads as in the HMAC itself. Here the values under the six exact header names (the
// addon's `exactNames`, from the core) and the options' members are read in JavaScript, where
// property loads are inline-cached, and handed with the object's native handle to a raw N-API
// function (`_webhooksHotPaths`, see `src/webhooks.rs`). The core's rule picks the headers from
// those values; a header map they do not settle (a fetch `Headers`, other spellings) is read by the
// addon exactly as before. Nothing here decides anything.

const { handles } = require('./handles.js')

/**
 * Installs the hot path on the addon's `Webhook` class (whose other methods `index.js` has already
 * wrapped).
 * @param {object} native the addon's exports
 * @param {(err: unknown) => unknown} adopt gives an addon error its tenantry class
 */
function install(native, adopt) {
  const hot = native._webhooksHotPaths()
  const proto = native.Webhook.prototype
  const handleOf = handles(proto._handle)
  delete proto._handle
  const verifyNative = hot.verify
  const [n0, n1, n2, n3, n4, n5] = hot.exactNames

  function verify(payload, headers, options) {
    let v0, v1, v2, v3, v4, v5, tolerance, now
    try {
      if (headers !== null && typeof headers === 'object') {
        v0 = headers[n0]
        v1 = headers[n1]
        v2 = headers[n2]
        v3 = headers[n3]
        v4 = headers[n4]
        v5 = headers[n5]
      }
      if (options !== null && typeof options === 'object') {
        tolerance = options.tolerance
        now = options.now
      }
      verifyNative(handleOf(this), payload, headers, options, tolerance, now, v0, v1, v2, v3, v4, v5)
    } catch (err) {
      throw adopt(err)
    }
  }

  Object.defineProperty(proto, 'verify', { value: verify, writable: true, enumerable: false, configurable: true })
}

module.exports = { install }
