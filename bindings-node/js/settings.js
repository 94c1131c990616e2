'use strict'
// The Node side of `SettingsSchema`: the `resolve` hot path, and documents as JSON text for the rest.
//
// Through a plain `#[napi]` method resolve spent most of its time at the boundary: napi-rs's serde
// conversion of the layers node by node (~6 us for a small override) and the result built as JS
// objects. Here each layer crosses as JSON text (a text layer as given, an object layer through
// one `JSON.stringify`) with its name, as plain arguments of a raw N-API function
// (`_settingsHotPaths`, see `src/settings.rs`). The effective document comes back as the leaves of
// the default document's shape (a short JSON array, rebuilt by one object literal generated per
// schema) or, when a layer changed that shape, as the whole JSON text; `provenance` is computed by
// the core only when it is first read (most callers only read `value`), from the same texts. The
// result is still a plain object with own enumerable `value` and `provenance` (the latter an
// accessor that memoizes itself).
//
// JSON semantics apply to the layers (as for every document argument): `undefined` members are
// dropped, `toJSON` is honoured. Layers in any form the pairs cannot carry with exactly the
// meaning of `JSON.stringify(layers)` (an object of layers, more than `pairs` layers, values with
// their own `toJSON`, anything throwing) cross as that one whole text instead. A name or a text
// layer holding a lone surrogate is refused first (`input.invalid`, as every name and JSON text
// is). The core decides everything.
//
// Every other document crosses through `JSON.stringify` too, here for the methods of
// `SettingsSchema` and in the addon for the constructor and `mergePatch`. A document to write
// (`applyPatch`, `set`, `migrate`, `mergePatch`) is first checked here (`js/json-data.js`) for what
// `JSON.stringify` would change or drop without a trace: NaN, for one, would become `null`, which
// a merge patch reads as a deletion.

const { handles } = require('./handles.js')
const { checkJsonData, checkDepth, textOfBytes, jsonValueOf } = require('./json-data.js')

// What a resolution's provenance is computed from, kept in a private field of the result (so the
// result stays a plain object to every observer) by the constructor-returns-its-argument idiom.
class Stamp {
  constructor(target) {
    return target
  }
}
class Pending extends Stamp {
  #native
  #args
  constructor(target, native, args) {
    super(target)
    this.#native = native
    this.#args = args
  }

  static compute(target) {
    return target.#native.apply(undefined, target.#args)
  }
}

// The provenance accessor, one function shared by every result (an accessor written in an object
// literal would be a new function, and a new hidden class, per result). It replaces itself with
// the value on first read.
function lazyProvenance() {
  let provenance
  try {
    provenance = JSON.parse(Pending.compute(this))
  } catch (err) {
    throw adoptError(err)
  }
  Object.defineProperty(this, 'provenance', { value: provenance, writable: true, enumerable: true, configurable: true })
  return provenance
}
const LAZY_PROVENANCE = { get: lazyProvenance, enumerable: true, configurable: true }
let adoptError = (err) => err

/** `JSON.stringify(value)`, which must be JSON data (not `undefined` or a function). */
function dataText(value) {
  const text = JSON.stringify(value)
  if (text === undefined) {
    const err = new TypeError('expected JSON data, got undefined or a function')
    err.code = 'ERR_INVALID_ARG_TYPE'
    throw err
  }
  return text
}

/** A document as JSON text: a string is the caller's own text, any other value is stringified. */
function textOf(doc) {
  return typeof doc === 'string' ? doc : dataText(doc)
}

/**
 * `textOf` a document that is only read: JSON semantics apply to it, but it must nest no deeper
 * than data may (documents to write are checked in full, that included: see js/json-data.js).
 */
function readText(doc) {
  if (typeof doc !== 'string') checkDepth(doc, 'doc')
  return textOf(doc)
}

/**
 * Installs the hot path on the addon's `SettingsSchema` class (whose other methods `index.js` has
 * already wrapped); returns `mergePatch` and the class, their documents checked first.
 * @param {object} native the addon's exports
 * @param {(err: unknown) => unknown} adopt gives an addon error its tenantry class
 * @param {object} exported the exports as `index.js` builds them (errors adopted)
 */
function install(native, adopt, exported) {
  adoptError = adopt
  const hot = native._settingsHotPaths()
  const proto = native.SettingsSchema.prototype
  const makeHandle = proto._handle
  const shapeOf = proto._shape
  delete proto._handle
  delete proto._shape
  const { resolve: resolvePairs, provenance: provenancePairs, resolveText, provenanceText, pairs: PAIRS } = hot

  // `[handle, build]` for a schema: `build(leaves)` makes the effective document from the leaves
  // the core writes when it has the default document's shape (see `SettingsSchema::shape_json`).
  const nativeOf = handles(function () {
    return [makeHandle.call(this), builder(JSON.parse(shapeOf.call(this)))]
  })
  settingsHandle = (schema) => nativeOf(schema)[0]

  // One object literal per shape: V8 makes these far faster than JSON.parse makes the same object.
  // (Where code generation is disabled, `--disallow-code-generation-from-strings`, the same
  // objects are built member by member.)
  function builder(shape) {
    let leaf = 0
    const literal = (pairs) => {
      const members = pairs.map(([key, sub]) => {
        // A literal `__proto__:` would set the prototype; JSON.parse makes an own property.
        const name = key === '__proto__' ? '["__proto__"]' : JSON.stringify(key)
        return `${name}: ${sub === 0 ? `a[${leaf++}]` : literal(sub)}`
      })
      return `{${members.join(', ')}}`
    }
    try {
      // eslint-disable-next-line no-new-func
      return new Function('a', `'use strict'\nreturn ${literal(shape)}`)
    } catch {
      return (leaves) => memberwise(shape, leaves, { next: 0 })
    }
  }

  function memberwise(pairs, leaves, at) {
    const out = {}
    for (const [key, sub] of pairs) {
      const value = sub === 0 ? leaves[at.next++] : memberwise(sub, leaves, at)
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true })
    }
    return out
  }

  // The effective document from what the core wrote: leaves (`[`) or the whole document (`{`).
  const documentOf = (text, build) => (text.charCodeAt(0) === 91 ? build(JSON.parse(text)) : JSON.parse(text))

  // `[handle, count, objectMask, name, text, ...]` for the pairs path, or undefined.
  function pairArgs(handle, layers) {
    if (!Array.isArray(layers) || layers.length > PAIRS || typeof layers.toJSON === 'function') return undefined
    const args = [handle, layers.length, 0]
    let mask = 0
    for (let i = 0; i < layers.length; i++) {
      const pair = layers[i]
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair.toJSON === 'function') return undefined
      const name = pair[0]
      const layer = pair[1]
      if (typeof name !== 'string') return undefined
      let text
      if (typeof layer === 'string') {
        text = layer
      } else if (typeof layer === 'object' && layer !== null && typeof layer.toJSON !== 'function') {
        text = JSON.stringify(layer)
        mask |= 1 << i
      } else {
        return undefined
      }
      args.push(name, text)
    }
    args[2] = mask
    return args
  }

  // The layers as `JSON.stringify(layers)` writes them (each container, item and name read
  // through `jsonValueOf`, as it reads them), held before it runs, so that it cannot throw its own
  // errors (a circular structure, a stack overflow, a BigInt), which have no code. An item that
  // is not a `[name, overrides]` pair is the addon's TypeError for one, at once: neither it nor
  // the items after it are looked into (the addon refuses the whole text there too). Each layer's
  // document nests no deeper than data may (see js/json-data.js): deeper, or containing itself,
  // it is the core's error, whichever way the layers then cross. A name or a text layer holding a
  // lone surrogate is text that is not Unicode: the addon's `input.invalid`, as for every name and
  // JSON text (`JSON.stringify(layers)` would escape it into data).
  function checkLayers(handle, layers) {
    layers = jsonValueOf(layers, '')
    if (Array.isArray(layers)) {
      for (let i = 0; i < layers.length; i++) {
        const pair = jsonValueOf(layers[i], String(i))
        if (!Array.isArray(pair) || pair.length !== 2) throw notAPair(handle)
        const name = jsonValueOf(pair[0], '0')
        if (typeof name !== 'string') throw notAPair(handle)
        const layer = pair[1]
        checkText(name)
        checkText(layer)
        checkDepth(layer, 'layers', [String(i), '1'])
      }
    } else if (typeof layers === 'object' && layers !== null) {
      for (const name of Object.keys(layers)) {
        const layer = layers[name]
        checkText(name)
        checkText(layer)
        checkDepth(layer, 'layers', [name])
      }
    } else {
      // Not layers at all (the addon says so), unless JSON.stringify would throw first (a BigInt).
      checkDepth(layers, 'layers')
    }
  }
  function checkText(value) {
    if (typeof value === 'string' && !value.isWellFormed()) native._checkText(value)
  }
  // The addon's TypeError for layers with an item that is not a `[name, overrides]` pair, as it
  // gives it for the whole text (one message, in src/settings.rs).
  function notAPair(handle) {
    try {
      resolveText(handle, '[null]')
    } catch (err) {
      return err
    }
    return new RangeError('tenantry: no layer shape error from the addon')
  }

  // The layers with each one given as bytes read as JSON text (the same layers when none is).
  function layersText(layers) {
    if (Array.isArray(layers)) {
      // (Read only up to the first item that is not an array, a hole included, which
      // `checkLayers` refuses: a sparse array with a huge length is not walked.)
      const first = layers.findIndex((pair) => !Array.isArray(pair) || pair[1] instanceof Uint8Array)
      if (first === -1 || !Array.isArray(layers[first])) return layers
      return layers.map((pair) => (Array.isArray(pair) && pair[1] instanceof Uint8Array ? [pair[0], textOfBytes(pair[1])] : pair))
    }
    if (typeof layers !== 'object' || layers === null || typeof layers.toJSON === 'function') return layers
    const names = Object.keys(layers)
    if (!names.some((name) => layers[name] instanceof Uint8Array)) return layers
    return Object.fromEntries(names.map((name) => [name, textOfBytes(layers[name])]))
  }

  function resolve(layers) {
    let native, args, text, provenance
    try {
      native = nativeOf(this)
      layers = layersText(layers)
      checkLayers(native[0], layers)
      try {
        args = pairArgs(native[0], layers)
      } catch {
        // Reading or stringifying a layer threw: the whole text throws the same way (below).
        args = undefined
      }
      if (args !== undefined) text = resolvePairs.apply(undefined, args)
      if (text === undefined) {
        args = [native[0], JSON.stringify(layers)]
        text = resolveText(args[0], args[1])
        provenance = provenanceText
      } else {
        provenance = provenancePairs
      }
    } catch (err) {
      throw adopt(err)
    }
    const result = { value: documentOf(text, native[1]) }
    Object.defineProperty(result, 'provenance', LAZY_PROVENANCE)
    new Pending(result, provenance, args)
    return result
  }

  Object.defineProperty(proto, 'resolve', { value: resolve, writable: true, enumerable: false, configurable: true })

  // The other document methods: each document crosses as JSON text, the caller's own or one
  // `JSON.stringify` of a value, written here rather than by the addon calling back into JS
  // (which cost about 1 us a document); a flag tells the addon which, as a value's text that does
  // not parse back is a `TypeError` (not JSON data) and the caller's own an `InvalidInputError`.
  // Results come back as JSON text, parsed here. Documents to write are checked first.
  // A document given as bytes is JSON text, as Python reads `bytes` (see js/json-data.js).
  const { validate, etag, view, entries, get, applyPatch, set, migrate } = proto
  const methods = {
    validate(doc) {
      doc = textOfBytes(doc)
      return validate.call(this, readText(doc), typeof doc !== 'string')
    },
    etag(doc) {
      doc = textOfBytes(doc)
      return etag.call(this, readText(doc), typeof doc !== 'string')
    },
    view(doc, audience) {
      doc = textOfBytes(doc)
      return JSON.parse(view.call(this, readText(doc), typeof doc !== 'string', audience))
    },
    entries(doc, audience) {
      doc = textOfBytes(doc)
      return JSON.parse(entries.call(this, readText(doc), typeof doc !== 'string', audience))
    },
    get(doc, key) {
      doc = textOfBytes(doc)
      return get.call(this, readText(doc), typeof doc !== 'string', key)
    },
    applyPatch(overrides, patch, options) {
      overrides = textOfBytes(overrides)
      patch = textOfBytes(patch)
      checkJsonData(overrides, 'overrides')
      checkJsonData(patch, 'patch')
      const data = (typeof overrides !== 'string' ? 1 : 0) | (typeof patch !== 'string' ? 2 : 0)
      return JSON.parse(applyPatch.call(this, textOf(overrides), textOf(patch), data, options))
    },
    set(overrides, key, value, options) {
      overrides = textOfBytes(overrides)
      checkJsonData(overrides, 'overrides')
      checkJsonData(value, 'value', true)
      return JSON.parse(set.call(this, textOf(overrides), typeof overrides !== 'string', key, dataText(value), options))
    },
    migrate(stored) {
      stored = textOfBytes(stored)
      checkJsonData(stored, 'stored')
      return JSON.parse(migrate.call(this, textOf(stored), typeof stored !== 'string'))
    },
  }
  for (const [name, method] of Object.entries(methods)) {
    Object.defineProperty(proto, name, { value: method, writable: true, enumerable: false, configurable: true })
  }
  const nativeMergePatch = native.mergePatch
  function mergePatch(target, patch) {
    checkJsonData(target, 'target', true)
    checkJsonData(patch, 'patch', true)
    try {
      return nativeMergePatch(target, patch)
    } catch (err) {
      throw adopt(err)
    }
  }
  // The schema, a document only read, likewise held to the depth of data: a Proxy over the class
  // `index.js` exports (which gives errors their classes), so `instanceof` and subclassing hold.
  const SettingsSchema = new Proxy(exported.SettingsSchema, {
    construct(target, args, newTarget) {
      args = [textOfBytes(args[0]), ...args.slice(1)]
      checkDepth(args[0], 'schema')
      return Reflect.construct(target, args, newTarget === SettingsSchema ? target : newTarget)
    },
  })
  return { mergePatch, SettingsSchema }
}

/**
 * The native handle of a compiled SettingsSchema (for `js/audit.js`, which masks by its fields);
 * set by `install`.
 * @type {(schema: object) => unknown}
 */
let settingsHandle = () => {
  throw new RangeError('tenantry: settings.js used before install')
}

module.exports = { install, settingsHandle: (schema) => settingsHandle(schema) }
