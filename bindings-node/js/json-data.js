'use strict'
// The check of JSON data that tenantry stores or enforces (settings to write, plan catalogs,
// entitlement overrides, usage): what `JSON.stringify` would change or drop without a trace is a
// `TypeError` naming the argument and the JSON Pointer of the value, instead of data quietly
// altered: NaN and Infinity (they would become `null`), functions and symbols (left out), holes
// and `undefined` in arrays (`null`), lone surrogates (no UTF-8 text holds them), Maps and Sets
// (`{}`). `undefined` members are absent, as in JSON, and `toJSON` is honoured (a `Date` is its ISO
// string); BigInt is left to `JSON.stringify`, which throws its own `TypeError`.

/** Container nesting below which `checkJsonData` stops looking: deeper documents never parse. */
const CHECK_DEPTH = 130

function notJsonData(what, path, found) {
  const pointer = path.map((segment) => '/' + segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('')
  const err = new TypeError(`${what} is not JSON data: ${found} at ${pointer || 'the top'}`)
  err.code = 'ERR_INVALID_ARG_TYPE'
  return err
}

/**
 * Throws a `TypeError` when `JSON.stringify(value)` would change or drop part of `value` without
 * a trace; `what` names the argument. At the top (`depth` 0) a string passes as it is: it is the
 * JSON text of a document.
 */
function checkJsonData(value, what, path = [], depth = 0) {
  if (value !== null && typeof value === 'object') {
    // What JSON.stringify serializes in its place: toJSON's answer, a boxed primitive's value.
    if (typeof value.toJSON === 'function') value = value.toJSON(path.length ? path[path.length - 1] : '')
    if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf()
  }
  switch (typeof value) {
    case 'string':
      if (depth > 0 && !value.isWellFormed()) throw notJsonData(what, path, 'a lone surrogate')
      return
    case 'number':
      if (!Number.isFinite(value)) throw notJsonData(what, path, String(value))
      return
    case 'boolean':
    case 'bigint': // JSON.stringify throws its own TypeError
      return
    case 'object':
      break
    default:
      throw notJsonData(what, path, typeof value)
  }
  // null, or deeper than any document parses (the addon refuses it; cycles end here too)
  if (value === null || depth >= CHECK_DEPTH) return
  if (value instanceof Map || value instanceof Set) throw notJsonData(what, path, 'a Map or Set')
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(String(i))
      checkJsonData(value[i], what, path, depth + 1)
      path.pop()
    }
    return
  }
  for (const key of Object.keys(value)) {
    path.push(key)
    if (!key.isWellFormed()) throw notJsonData(what, path, 'a lone surrogate in a name')
    const member = value[key]
    if (member !== undefined) checkJsonData(member, what, path, depth + 1)
    path.pop()
  }
}

module.exports = { checkJsonData }
