'use strict'
// napi-rs's own messages for an argument of the wrong type speak Rust ("Failed to convert napi
// value String into rust type `f64`", "Value is none of these types `TypedArray<u8>`, `String`"):
// `typeMessage` says the same in JS terms, naming the call, and the options member when napi-rs
// gives it ("new RateLimit: an argument must be a number, not string"; "new ApiKeys:
// options.prefix must be a string, not number"). Other messages (the addon's own, which name
// only types) pass unchanged.

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
 * napi-rs's message for a `String` that got an object holds that object's `JSON.stringify` (the
 * addon reads its strings without it now: see `string_from_napi` in src/convert.rs); so nothing
 * of a message that starts as napi-rs's do is ever passed on, however it goes on: it is read
 * from its ends only (the type names napi-rs writes there), and when even that fails the message
 * says only that the argument has the wrong type.
 * @param {string} message napi-rs's message
 * @param {string} [call] the call, as `new RateLimit` or `crossed` (hot paths may not name it)
 */
function typeMessage(message, call) {
  let expected
  let got
  let rest = message
  const on = / on (\w+)\.(\w+)$/.exec(rest)
  if (on) rest = rest.slice(0, on.index)
  let m
  if ((m = /^Failed to convert (?:JavaScript value `|napi value |napi `)(\w+)/.exec(rest))) {
    got = JS_VALUES[m[1]]
    // (The rust type napi-rs writes last: the value, if any, sits between, and is never read.)
    const rust = /into rust type `([\w:&<>, \[\]]+)`$/.exec(rest)
    if (rust) expected = jsType(rust[1])
  } else if ((m = /^Value is none of these types ((?:`[^`]+`, ?)+)$/.exec(rest))) {
    expected = or([...m[1].matchAll(/`([^`]+)`/g)].map((t) => jsType(t[1])))
  } else if (/^Failed to get Array length$/.test(rest)) {
    expected = 'an array'
  } else if (/^Get TypedArray info failed$/.test(rest)) {
    expected = 'a Uint8Array'
  } else if (!/^Failed to convert\b/.test(rest)) {
    return undefined
  }
  // `ApiKeysOptions.prefix` is `options.prefix`; another object's member keeps its name.
  const subject = on ? `${on[1].endsWith('Options') ? 'options' : on[1].charAt(0).toLowerCase() + on[1].slice(1)}.${on[2]}` : 'an argument'
  const said = expected ? `${subject} must be ${expected}${got ? `, not ${got}` : ''}` : `${subject} has the wrong type${got ? ` (${got})` : ''}`
  return call ? `${call}: ${said}` : said
}

module.exports = { typeMessage }
