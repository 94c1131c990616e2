'use strict'
// The check of JSON data that tenantry stores or enforces (settings to write, plan catalogs,
// entitlement overrides, usage, audit data): what `JSON.stringify` would change or drop without a trace is a
// `TypeError` naming the argument and the JSON Pointer of the value, instead of data quietly
// altered: NaN and Infinity (they would become `null`), functions and symbols (left out), holes
// and `undefined` in arrays (`null`), lone surrogates (no UTF-8 text holds them), Maps and Sets
// (`{}`). `undefined` members are absent, as in JSON, and `toJSON` is honoured (a `Date` is its ISO
// string); BigInt is left to `JSON.stringify`, which throws its own `TypeError`.
//
// Audit data (`checkAuditData`) is checked the same way but for lone surrogates, which the addon
// refuses itself there with `input.invalid_json` (strings cross as the `\uXXXX` escapes
// `JSON.stringify` writes, which the addon reads).

/** Container nesting below which `checkJsonData` stops looking: deeper documents never parse. */
const CHECK_DEPTH = 130

function notJsonData(what, path, found) {
  const pointer = path.map((segment) => '/' + segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('')
  const err = new TypeError(`${what} is not JSON data: ${found} at ${pointer || 'the top'}`)
  err.code = 'ERR_INVALID_ARG_TYPE'
  return err
}

/**
 * Whether `JSON.stringify` writes `value` exactly as it is: plain objects and arrays of finite
 * numbers, booleans, null and (with `strings`, well-formed) strings; at the top (`depth` 0) a
 * string is JSON text. False is not a verdict, only "walk it with `checkJsonData`" (which also
 * takes what this does not: Dates and other `toJSON`, boxed primitives, other realms' objects).
 * It reports nothing, so it runs first: most data passes here, in a quarter of the walk's time.
 */
function isPlainJson(value, depth, strings) {
  return (depth === 0 && typeof value === 'string') || isPlainValue(value, depth, strings)
}

// (A small function per value, which V8 inlines into the loops below, and one per container: one
// function doing both cost half again as much.)
function isPlainValue(value, depth, strings) {
  switch (typeof value) {
    case 'string':
      return !strings || value.isWellFormed()
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value)
    case 'object':
      return value === null || isPlainContainer(value, depth, strings)
    default:
      return false
  }
}

function isPlainContainer(value, depth, strings) {
  if (depth >= CHECK_DEPTH) return true
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlainValue(value[i], depth + 1, strings)) return false
    return true
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return false
  // (for...in also sees inherited enumerable members, which JSON.stringify skips: a superset.)
  for (const key in value) {
    if (strings && !key.isWellFormed()) return false
    const member = value[key]
    if (member !== undefined && !isPlainValue(member, depth + 1, strings)) return false
  }
  return true
}

/**
 * Throws a `TypeError` when `JSON.stringify(value)` would change or drop part of `value` without
 * a trace; `what` names the argument. At the top (`depth` 0) a string passes as it is: it is the
 * JSON text of a document. `strings`: whether lone surrogates are refused here too.
 */
function checkJsonData(value, what, path = [], depth = 0, strings = true) {
  if (path.length === 0 && isPlainJson(value, depth, strings)) return
  if (value !== null && typeof value === 'object') {
    // What JSON.stringify serializes in its place: toJSON's answer, a boxed primitive's value.
    if (typeof value.toJSON === 'function') value = value.toJSON(path.length ? path[path.length - 1] : '')
    if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf()
  }
  switch (typeof value) {
    case 'string':
      if (strings && depth > 0 && !value.isWellFormed()) throw notJsonData(what, path, 'a lone surrogate')
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
      checkJsonData(value[i], what, path, depth + 1, strings)
      path.pop()
    }
    return
  }
  for (const key of Object.keys(value)) {
    path.push(key)
    if (strings && !key.isWellFormed()) throw notJsonData(what, path, 'a lone surrogate in a name')
    const member = value[key]
    if (member !== undefined) checkJsonData(member, what, path, depth + 1, strings)
    path.pop()
  }
}

/** `checkJsonData` of audit data (a value, not JSON text, at the top), lone surrogates aside. */
function checkAuditData(value, what) {
  if (!isPlainJson(value, 1, false)) checkJsonData(value, what, [], 1, false)
}

module.exports = { checkJsonData, checkAuditData }
