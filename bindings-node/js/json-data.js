'use strict'
// The check of JSON data that tenantry stores or enforces (settings to write, plan catalogs,
// entitlement overrides, usage, audit data): what `JSON.stringify` would change or drop without a trace is a
// `TypeError` naming the argument and the JSON Pointer of the value, instead of data quietly
// altered: NaN, Infinity and Invalid Dates (they would become `null`), functions and symbols (left out), holes
// and `undefined` in arrays (`null`), Maps and Sets (`{}`), BigInts (`JSON.stringify` throws).
// `undefined` members are absent, as in JSON, and `toJSON` is honoured (a `Date` is its ISO string).
//
// Documents that are only read (`checkDepth`) are checked only for how deep they nest, and for
// BigInts (on which `JSON.stringify` throws its own TypeError, without a code or a place).
//
// In every kind of data, a string or a name holding a lone surrogate (which no UTF-8 text holds)
// is the core's `InvalidInputError` (`input.invalid`) in the words Python gives for such a `str`:
// the right type with a value tenantry cannot take, as in Python, not a TypeError.

// How deep data may nest, and the error past it (the core's: see `install`). A value that
// contains itself meets the limit too, so it gets that error instead of `JSON.stringify`'s
// "circular structure" TypeError or, for data nested thousands deep, a RangeError.
let maxDepth = 0
let tooDeep = () => new RangeError('tenantry: json-data.js used before install')
let loneSurrogate = () => new RangeError('tenantry: json-data.js used before install')
let utf8Text = () => {
  throw new RangeError('tenantry: json-data.js used before install')
}

/**
 * Takes the depth limit and its error from the core (`tenantry::json_tree`), as the Python
 * binding holds data to them.
 * @param {object} native the addon's exports
 * @param {(err: unknown) => unknown} adopt gives an addon error its tenantry class
 */
function install(native, adopt) {
  maxDepth = native._jsonMaxDepth()
  tooDeep = () => {
    try {
      native._jsonTooDeep()
    } catch (err) {
      return adopt(err)
    }
    return new RangeError('tenantry: no depth error from the addon')
  }
  // The error the addon gives a text argument holding one (see `Text` in src/convert.rs),
  // which names its first lone surrogate by code point.
  loneSurrogate = (text) => {
    try {
      native._checkText(text)
    } catch (err) {
      return adopt(err)
    }
    return new RangeError('tenantry: no lone surrogate error from the addon')
  }
  utf8Text = (bytes) => {
    try {
      return native._jsonTextOf(bytes)
    } catch (err) {
      throw adopt(err)
    }
  }
}

/**
 * JSON text given as bytes (a `Buffer` or `Uint8Array`, as a file, a socket or a database column
 * hands it over), as a string; any other value as it is. Where Python takes `bytes` as JSON text,
 * Node takes bytes so too (`JSON.stringify` of a Buffer is `{"type":"Buffer","data":[...]}`: a
 * document nobody meant). Bytes that are not UTF-8 throw the core's `input.invalid_json`, in
 * Python's words, rather than be read with U+FFFD in their place.
 */
function textOfBytes(value) {
  return value instanceof Uint8Array ? utf8Text(value) : value
}

function notJsonData(what, path, found) {
  const pointer = path.map((segment) => '/' + segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('')
  const err = new TypeError(`${what} is not JSON data: ${found} at ${pointer || 'the top'}`)
  err.code = 'ERR_INVALID_ARG_TYPE'
  return err
}

/**
 * Whether `JSON.stringify` writes `value` exactly as it is: plain objects and arrays of finite
 * numbers, booleans, null and well-formed strings (and names), nested no deeper than the limit;
 * with `text`, a string at the top is JSON text. False is not a verdict, only "walk it"
 * (the walk also takes what this does not: Dates and other `toJSON`, boxed primitives, other
 * realms' objects). It reports nothing, so it runs first: most data passes here, in a quarter of
 * the walk's time.
 */
function isPlainJson(value, text) {
  return (text && typeof value === 'string') || isPlainValue(value, 0)
}

// (A small function per value, which V8 inlines into the loops below, and one per container: one
// function doing both cost half again as much.)
function isPlainValue(value, depth) {
  switch (typeof value) {
    case 'string':
      return value.isWellFormed()
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value)
    case 'object':
      return value === null || isPlainContainer(value, depth)
    default:
      return false
  }
}

function isPlainContainer(value, depth) {
  // Its members would lie past the limit: the walk decides (an empty container may sit there).
  if (depth >= maxDepth) return false
  // A `toJSON`, own or inherited, is what JSON.stringify writes instead of the container (an
  // array's was never looked at: `Object.assign([], { toJSON: () => NaN })` passed as a plan
  // limit, written as null, was unlimited), and so is for the walk to check. (One lookup: none
  // is the usual answer, from the prototypes below.)
  if (value.toJSON !== undefined) return false
  if (Array.isArray(value)) {
    // Another prototype (a subclass, another realm's Array) may bring members of its own.
    if (Object.getPrototypeOf(value) !== Array.prototype) return false
    for (let i = 0; i < value.length; i++) if (!isPlainValue(value[i], depth + 1)) return false
    return true
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return false
  // (for...in also sees inherited enumerable members, which JSON.stringify skips: a superset.)
  for (const key in value) {
    if (!key.isWellFormed()) return false
    const member = value[key]
    if (member !== undefined && !isPlainValue(member, depth + 1)) return false
  }
  return true
}

/**
 * Walks `value` as `JSON.stringify` would serialize it (`toJSON` answers, boxed primitives'
 * values, own enumerable members), throwing the core's error at a value deeper than the limit.
 * With `strict`, it also throws a `TypeError` naming `what` and the value's JSON Pointer for
 * what `JSON.stringify` would change or drop without a trace; a lone surrogate is the core's
 * error in any mode (see the top of this file); `text`: a string at the top is JSON text.
 */
function walk(value, what, path, depth, mode) {
  if (depth > maxDepth) throw tooDeep()
  const { strict, text } = mode
  if (value !== null && typeof value === 'object') {
    // Binary data has no JSON form: a Buffer's toJSON is `{"type":"Buffer","data":[...]}`, other
    // typed arrays are index members (Python refuses `bytes` in data likewise). Send it as text.
    if (strict && (ArrayBuffer.isView(value) || isArrayBuffer(value))) throw notJsonData(what, path, 'binary data (a Buffer, typed array or ArrayBuffer)')
    // What JSON.stringify serializes in its place: toJSON's answer, a boxed primitive's value.
    // An Invalid Date's answer is null: a time that would vanish from the data.
    if (strict && value instanceof Date && Number.isNaN(value.getTime())) throw notJsonData(what, path, 'an Invalid Date')
    value = jsonValueOf(value, path.length ? path[path.length - 1] : '')
  }
  switch (typeof value) {
    case 'string':
      // JSON text at the top is no data but text: the addon refuses a lone surrogate in it, with
      // the same error (see `Text` in src/convert.rs).
      if (!(text && depth === 0) && !value.isWellFormed()) throw loneSurrogate(value)
      return
    case 'number':
      if (strict && !Number.isFinite(value)) throw notJsonData(what, path, String(value))
      return
    case 'boolean':
      return
    case 'bigint':
      // JSON.stringify throws its own TypeError, without a code or a place; usage counts read
      // without it took one as a number. (Refused in documents only read too: JSON.stringify
      // would throw there anyway.)
      throw notJsonData(what, path, 'a BigInt')
    case 'object':
      break
    default:
      if (strict) throw notJsonData(what, path, typeof value)
      return
  }
  if (value === null) return
  if (value instanceof Map || value instanceof Set) {
    if (strict) throw notJsonData(what, path, 'a Map or Set')
    return // `{}` to JSON.stringify: it has no own enumerable members
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(String(i))
      walk(value[i], what, path, depth + 1, mode)
      path.pop()
    }
    return
  }
  for (const key of Object.keys(value)) {
    path.push(key)
    if (!key.isWellFormed()) throw loneSurrogate(key)
    const member = value[key]
    if (member !== undefined) walk(member, what, path, depth + 1, mode)
    path.pop()
  }
}

/**
 * What `JSON.stringify` serializes in place of `value`, the member `key` of its holder (`''` at
 * the top): an object's `toJSON` answer, a boxed primitive's value, else `value` itself.
 */
function jsonValueOf(value, key) {
  if (value === null || typeof value !== 'object') return value
  if (typeof value.toJSON === 'function') value = value.toJSON(key)
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf()
  return value
}

const isArrayBuffer = (value) => value instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer)

const DATA = { strict: true, text: true }
const VALUE = { strict: true, text: false }
const READ = { strict: false, text: true }

/**
 * Throws a `TypeError` when `JSON.stringify(value)` would change or drop part of `value` without
 * a trace (`what` names the argument), and the core's `InvalidInputError` when it nests deeper
 * than the limit, contains itself or holds a lone surrogate. A string is JSON text (a
 * document's), unless `asValue`. Returns true when `value` is plain JSON data, which any reader
 * takes as `JSON.stringify` writes it; false when it had to be walked (a `toJSON`, a boxed
 * primitive, a class instance...: only its `JSON.stringify` text says what it is).
 */
function checkJsonData(value, what, asValue = false) {
  const mode = asValue ? VALUE : DATA
  if (isPlainJson(value, mode.text)) return true
  walk(value, what, [], 0, mode)
  return false
}

/**
 * The check of a document that is only read (validated, hashed, viewed, resolved): JSON
 * semantics apply to it (NaN is `null`, a Map `{}`), but nesting past the limit, or a value that
 * contains itself, and a lone surrogate, are the core's `InvalidInputError`, as for documents to
 * write, and a BigInt is a `TypeError` naming `what` and the JSON Pointer of the value (below `at`, the
 * pointer of the document in the argument `what`, as segments).
 */
function checkDepth(value, what, at = []) {
  if (!isPlainJson(value, true)) walk(value, what, [...at], 0, READ)
}

module.exports = { install, checkJsonData, checkDepth, textOfBytes, jsonValueOf }
