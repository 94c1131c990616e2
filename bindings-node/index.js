'use strict'
// The public entry point of the `tenantry` npm package.
//
// The native addon (loaded by the napi-rs generated `native.js`) does all the work. This layer only
// turns the addon's errors into instances of the exported error classes, so callers can write
// `err instanceof WebhookVerificationError` and read `err.code`, and turns argument type failures
// into `TypeError`s.

const native = require('./native.js')
const { typeMessage } = require('./js/type-messages.js')

class TenantryError extends Error {
  /**
   * @param {string} message what was wrong and what was expected
   * @param {string} [code] stable machine-readable code, e.g. `webhook.timestamp_too_old`
   * @param {Array<{path: string, code: string, message: string}>} [errors] validation issues
   */
  constructor(message, code = 'input.invalid', errors = []) {
    super(message)
    this.code = code
    this.errors = errors
  }
}
class InvalidInputError extends TenantryError {}
class WebhookError extends TenantryError {}
class WebhookVerificationError extends WebhookError {}
class ApiKeyError extends TenantryError {}
class SettingsError extends TenantryError {}
class SettingsValidationError extends SettingsError {}
class ConcurrentUpdateError extends SettingsError {}
class LimitsError extends TenantryError {}
class LimitExceededError extends LimitsError {
  // The refused Decision or RateDecision, set by js/limits.js on an `enforce` refusal.
  decision = undefined
}
class AuditError extends TenantryError {}

const errorClasses = {
  TenantryError,
  InvalidInputError,
  WebhookError,
  WebhookVerificationError,
  ApiKeyError,
  SettingsError,
  SettingsValidationError,
  ConcurrentUpdateError,
  LimitsError,
  LimitExceededError,
  AuditError,
}
for (const [name, cls] of Object.entries(errorClasses)) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true })
}

// An error thrown by another copy of this package in the same process (two installs side by side,
// a library's own nested `tenantry`) is an instance of that copy's classes, so `err instanceof
// WebhookVerificationError` was false, and a handler answered 500 where it meant 401. Each
// prototype names its class and the classes above it under a symbol of the global registry, which
// every copy (of this version on) shares; `instanceof` one of our classes also accepts an error
// whose chain names it. Subclasses a caller declares keep the ordinary `instanceof`.
const CLASS_CHAIN = Symbol.for('tenantry.errorClassChain')
const ordinaryInstanceOf = Function.prototype[Symbol.hasInstance]
for (const cls of Object.values(errorClasses)) {
  const chain = []
  for (let c = cls; c !== Error; c = Object.getPrototypeOf(c)) chain.push(c.name)
  Object.defineProperty(cls.prototype, CLASS_CHAIN, { value: Object.freeze(chain) })
  Object.defineProperty(cls, Symbol.hasInstance, {
    value: function hasInstance(value) {
      if (ordinaryInstanceOf.call(this, value)) return true
      if (this !== cls || typeof value !== 'object' || value === null) return false
      const names = value[CLASS_CHAIN]
      return Array.isArray(names) && names.includes(cls.name)
    },
  })
}

// napi statuses that mean "an argument had the wrong type" (napi reports e.g. a string where an
// array was expected as ArrayExpected, not InvalidArg).
const WRONG_TYPE_STATUSES = new Set([
  'InvalidArg',
  'ObjectExpected',
  'StringExpected',
  'NameExpected',
  'FunctionExpected',
  'NumberExpected',
  'BooleanExpected',
  'ArrayExpected',
  'BigintExpected',
  'DateExpected',
  'ArrayBufferExpected',
  'DetachableArraybufferExpected',
])

// A method or accessor called on a value that is not an instance of its class: V8 throws
// "Illegal invocation" (no code) for a method; napi-rs's getters threw a plain Error
// ("Failed to unwrap exclusive reference of `RateLimit` type from napi value", code 'InvalidArg').
// Both become V8's TypeError with Node's code for it, so callers can tell it by `code`.
const UNWRAP_FAILED = /^Failed to unwrap (?:exclusive|shared) reference of `\w+` type from napi value$/
// V8's own: a native method's, and a JS class's private members' (js/limits.js's decisions).
const WRONG_THIS = /^(?:Illegal invocation|Cannot read private member #\w+ from an object whose class did not declare it)$/

function invalidThis(err) {
  const typeError = err instanceof TypeError ? err : new TypeError('Illegal invocation')
  typeError.code = 'ERR_INVALID_THIS'
  return typeError
}

// Gives a thrown value its tenantry class (the addon tags it with `tenantryClass`), or turns the
// addon's argument conversion failures into TypeError (said in JS terms, naming `call`, when
// napi-rs wrote the message: see js/type-messages.js).
function adopt(err, call) {
  if (err !== null && typeof err === 'object') {
    const tag = err.tenantryClass
    if (typeof tag === 'string') {
      Object.setPrototypeOf(err, (errorClasses[tag] || TenantryError).prototype)
      delete err.tenantryClass
      return err
    }
    if (err.code === undefined && err instanceof TypeError && WRONG_THIS.test(err.message)) return invalidThis(err)
    if (err.code === 'InvalidArg' && UNWRAP_FAILED.test(err.message)) return invalidThis(err)
    if (WRONG_TYPE_STATUSES.has(err.code) && !(err instanceof TypeError)) {
      const typeError = new TypeError(typeMessage(String(err.message), call) ?? err.message)
      typeError.code = 'ERR_INVALID_ARG_TYPE'
      return typeError
    }
  }
  return err
}

function wrapFunction(fn, call) {
  const wrapped = function (...args) {
    try {
      return fn.apply(this, args)
    } catch (err) {
      throw adopt(err, call)
    }
  }
  Object.defineProperty(wrapped, 'name', { value: fn.name })
  return wrapped
}

// Methods and accessors alike: a getter's errors (e.g. called on a value that is not an instance)
// are adopted as a method's are.
function wrapMethods(target, owner) {
  for (const key of Object.getOwnPropertyNames(target)) {
    if (key === 'constructor' || key === 'prototype' || key === 'length' || key === 'name') continue
    const desc = Object.getOwnPropertyDescriptor(target, key)
    if (desc === undefined) continue
    const call = `${owner}.${key}`
    if (typeof desc.value === 'function') {
      Object.defineProperty(target, key, { ...desc, value: wrapFunction(desc.value, call) })
    } else if (typeof desc.get === 'function' || typeof desc.set === 'function') {
      const get = typeof desc.get === 'function' ? wrapFunction(desc.get, call) : desc.get
      const set = typeof desc.set === 'function' ? wrapFunction(desc.set, call) : desc.set
      Object.defineProperty(target, key, { ...desc, get, set })
    }
  }
}

// Classes whose instances only this package makes (napi-rs throws a plain Error, "Class contains
// no `constructor`, can not new it!", without a code): where their instances come from.
const MADE_BY = {
  Entitlements: 'PlanCatalog.entitlements',
  IssuedKey: 'ApiKeys.generate',
  RolledKey: 'ApiKeys.roll',
}
const NO_CONSTRUCTOR = 'Class contains no `constructor`, can not new it!'

/**
 * The TypeError for `new` of a class with no public constructor (also js/limits.js's `Decision`
 * and `RateDecision`), with Node's code for it.
 * @param {string} name the class
 * @param {string} [madeBy] the call that makes its instances
 */
function illegalConstructor(name, madeBy) {
  const err = new TypeError(`${name} has no public constructor${madeBy ? `: use ${madeBy}` : ''}`)
  err.code = 'ERR_ILLEGAL_CONSTRUCTOR'
  return err
}

function wrapClass(cls, name) {
  wrapMethods(cls.prototype, `${name}.prototype`)
  wrapMethods(cls, name)
  return new Proxy(cls, {
    construct(target, args, newTarget) {
      try {
        return Reflect.construct(target, args, newTarget)
      } catch (err) {
        if (err instanceof Error && err.code === undefined && err.message === NO_CONSTRUCTOR) throw illegalConstructor(name, MADE_BY[name])
        throw adopt(err, `new ${name}`)
      }
    },
    // As for any JS class: the addon's constructors, called without `new`, built nothing useful
    // (one handed back its argument). (V8's own TypeError for this has no code: Node's is given.)
    apply(target) {
      const err = new TypeError(`Class constructor ${target.name} cannot be invoked without 'new'`)
      err.code = 'ERR_CONSTRUCT_CALL_REQUIRED'
      throw err
    },
  })
}

// `name`: the export's name, as callers write it (`RateLimit`, `audit.SealKey`, `stripe.verify`).
function wrapExport(value, name) {
  if (typeof value === 'function') {
    return value.prototype && Object.getOwnPropertyNames(value.prototype).length > 1
      ? wrapClass(value, name)
      : wrapFunction(value, name)
  }
  if (value !== null && typeof value === 'object') {
    const out = {}
    for (const [key, inner] of Object.entries(value)) out[key] = wrapExport(inner, `${name}.${key}`)
    return Object.freeze(out)
  }
  return value
}

// Names starting with `_` are internal to this package (hot-path plumbing).
const api = {}
for (const [key, value] of Object.entries(native)) {
  if (key === 'errorClasses' || key.startsWith('_')) continue
  api[key] = wrapExport(value, key)
}

// The depth limit of JSON data, and its error, from the core (see js/json-data.js).
require('./js/json-data.js').install(native, adopt)
// Hot paths that bypass napi-rs's generic glue, with their result classes (see js/limits.js).
Object.assign(api, require('./js/limits.js').install(native, adopt, api, illegalConstructor))
// The result classes wrapped as the addon's are: their getters, called on another value, read
// private members (V8's TypeError, given its code), and called without `new` they throw the same
// coded TypeError. (The hot paths construct the classes themselves; `instanceof` sees through.)
for (const name of ['Decision', 'RateDecision']) api[name] = wrapClass(api[name], name)
// Hot paths that bypass napi-rs's generic glue (see js/apikeys.js).
require('./js/apikeys.js').install(native, adopt)
// Hot paths of Webhook.verify and sign, and buildEvent's data checked (see js/webhooks.js).
Object.assign(api, require('./js/webhooks.js').install(native, adopt, api))
// Hot paths that bypass napi-rs's generic glue, and the checks of documents to write (see
// js/settings.js).
Object.assign(api, require('./js/settings.js').install(native, adopt, api))
// Hot paths of audit.build / buildSealed / seal (see js/audit.js).
api.audit = Object.freeze({ ...api.audit, ...require('./js/audit.js').install(native, adopt, api.audit) })
// Last, over the hot paths too: options objects refuse members they do not know (see js/options.js).
require('./js/options.js').install(api)

module.exports = { ...api, ...errorClasses }
