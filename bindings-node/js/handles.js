'use strict'
// The native handle of an addon object: what a raw N-API hot path takes instead of `this`. It is
// made once, by the class's `_handle` method, and kept on the object under a symbol (a
// non-enumerable property: the fastest lookup), or in a WeakMap for an object its owner froze
// before its first use.

/**
 * @param {(this: object) => unknown} make makes the handle of `this`
 * @returns {(obj: object) => unknown} the handle of `obj`, made on first use
 */
function handles(make) {
  const key = Symbol('tenantry.handle')
  const frozen = new WeakMap()
  return function handleOf(obj) {
    const handle = obj[key]
    if (handle !== undefined) return handle
    const kept = frozen.get(obj)
    if (kept !== undefined) return kept
    const made = make.call(obj)
    if (Object.isExtensible(obj)) Object.defineProperty(obj, key, { value: made })
    else frozen.set(obj, made)
    return made
  }
}

module.exports = { handles }
