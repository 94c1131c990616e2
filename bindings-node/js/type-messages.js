'use strict'
// napi-rs's own messages for an argument of the wrong type speak Rust ("Failed to convert napi
// value String into rust type `f64`", "Value is none of these types `TypedArray<u8>`, `String`"):
// `typeMessage` says the same in JS terms, naming the call, and the options member when napi-rs
// gives it ("new RateLimit: an argument must be a number, not string"; "new ApiKeys:
// options.prefix must be a string, not number"). Messages it does not recognise pass unchanged.

// napi-rs's names of JS value types, as `typeof` says them (as this package's own messages do).
const JS_VALUES = {
  Undefined: 'undefined',
  Null: 'null',
  Boolean: 'boolean',
  Number: 'number',
  String: 'string',
  Symbol: 'symbol',
  Object: 'object',
  Function: 'function',
  External: 'object',
  BigInt: 'bigint',
}

/** What a Rust type napi-rs converts to stands for in JS. */
function jsType(rust) {
  if (/^[iuf](8|16|32|64|128|size)$/.test(rust)) return 'a number'
  if (rust === 'String' || rust === '&str') return 'a string'
  if (rust === 'bool') return 'a boolean'
  // (A Buffer is a Uint8Array.)
  if (/^(TypedArray|Uint8Array|Buffer|&\[u8\])/.test(rust)) return 'a Uint8Array'
  if (/^(Array|Vec)\b/.test(rust)) return 'an array'
  if (rust === 'Date') return 'a Date'
  if (/^(HashMap|Object|Map)\b/.test(rust)) return 'an object'
  // A class of the addon: `&tenantry_node::audit::SealKey`.
  const path = /^&?(?:\w+::)*(\w+)$/.exec(rust)
  return path ? `a ${path[1]}` : rust
}

/** `a, b or c`. */
function or(kinds) {
  const unique = [...new Set(kinds)]
  return unique.length < 2 ? unique.join('') : `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`
}

/**
 * `message` in JS terms when it is one of napi-rs's type-conversion messages, else undefined.
 * @param {string} message napi-rs's message
 * @param {string} call the call, as `new RateLimit` or `crossed`
 */
function typeMessage(message, call) {
  let expected
  let got
  let rest = message
  const on = / on (\w+)\.(\w+)$/.exec(rest)
  if (on) rest = rest.slice(0, on.index)
  let m
  if ((m = /^Failed to convert JavaScript value `(\w+)[^`]*` into rust type `(.+)`$/.exec(rest))) {
    got = JS_VALUES[m[1]]
    expected = jsType(m[2])
  } else if ((m = /^Failed to convert napi value (\w+) into rust type `(.+)`$/.exec(rest))) {
    got = JS_VALUES[m[1]]
    expected = jsType(m[2])
  } else if ((m = /^Value is none of these types ((?:`[^`]+`, ?)+)$/.exec(rest))) {
    expected = or([...m[1].matchAll(/`([^`]+)`/g)].map((t) => jsType(t[1])))
  } else if (/^Failed to get Array length$/.test(rest)) {
    expected = 'an array'
  } else if (/^Get TypedArray info failed$/.test(rest)) {
    expected = 'a Uint8Array'
  } else {
    return undefined
  }
  // `ApiKeysOptions.prefix` is `options.prefix`; another object's member keeps its name.
  const subject = on ? `${on[1].endsWith('Options') ? 'options' : on[1].charAt(0).toLowerCase() + on[1].slice(1)}.${on[2]}` : 'an argument'
  return `${call}: ${subject} must be ${expected}${got ? `, not ${got}` : ''}`
}

module.exports = { typeMessage }
