'use strict'
// The Node side of the webhook hot paths: `Webhook.verify` and `Webhook.sign`.
//
// Through the `#[napi]` methods, verify spent about as long in napi-rs's per-call glue and native
// property reads as in the HMAC itself. Here the values under the six exact header names (the
// addon's `exactNames`, from the core) and the options' members are read in JavaScript, where
// property loads are inline-cached, and handed with the object's native handle to a raw N-API
// function (`_webhooksHotPaths`, see `src/webhooks.rs`). The core's rule picks the headers from
// those values; a header map they do not settle (a fetch `Headers`, other spellings) is read by the
// addon exactly as before. `sign` gets the timestamp and signature values back as one string, cut
// here at the offset the addon writes into a scratch `Float64Array`; the id's value is the caller's
// `msgId`, which the addon read as a string and the core sends unchanged. They go under the core's
// header names (the addon's `signedNames`), in its order: the object napi-rs built member by member
// before. Nothing here decides anything.
//
// `buildEvent`'s data is checked as every document is (js/json-data.js) and crosses as JSON text;
// a string, a Buffer or a Uint8Array already is JSON text (as `str` and `bytes` are in Python).
// napi-rs's conversion of the value had turned a Date, a Map or a boxed number into `{}` and a
// lone surrogate into U+FFFD in the body that is then signed and sent, without a word.

const { handles } = require('./handles.js')
const { checkJsonData } = require('./json-data.js')

/**
 * Installs the hot path on the addon's `Webhook` class (whose other methods `index.js` has already
 * wrapped); returns `buildEvent`, its data checked first.
 * @param {object} native the addon's exports
 * @param {(err: unknown) => unknown} adopt gives an addon error its tenantry class
 * @param {object} exported the exports as `index.js` builds them (errors adopted)
 */
function install(native, adopt, exported) {
  const hot = native._webhooksHotPaths()
  const proto = native.Webhook.prototype
  const handleOf = handles(proto._handle)
  delete proto._handle
  const verifyNative = hot.verify
  const [n0, n1, n2, n3, n4, n5] = hot.exactNames
  const signNative = hot.sign
  const [idName, timestampName, signatureName] = hot.signedNames
  // One scratch array per loaded module (so per worker thread): filled by the addon, read at once.
  const out = new Float64Array(1)

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

  function sign(msgId, payload, timestamp) {
    let text
    try {
      text = signNative(handleOf(this), msgId, payload, timestamp, out)
    } catch (err) {
      throw adopt(err)
    }
    const timestampEnd = out[0] | 0
    return {
      [idName]: msgId,
      [timestampName]: text.slice(0, timestampEnd),
      [signatureName]: text.slice(timestampEnd),
    }
  }

  for (const [name, value] of [['verify', verify], ['sign', sign]]) {
    Object.defineProperty(proto, name, { value, writable: true, enumerable: false, configurable: true })
  }

  const buildEventText = exported.buildEvent
  function buildEvent(eventType, data, timestamp) {
    // A Buffer or Uint8Array is JSON text as bytes, as a string is JSON text and as Python reads
    // `bytes` (not a value for `JSON.stringify`, whose `toJSON` would send {"type":"Buffer",...}).
    if (data instanceof Uint8Array) return buildEventText(eventType, data, timestamp)
    checkJsonData(data, 'data')
    return buildEventText(eventType, typeof data === 'string' ? data : JSON.stringify(data), timestamp)
  }
  return { buildEvent }
}

module.exports = { install }
