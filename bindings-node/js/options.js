'use strict'
// Options objects are read as Python reads keyword arguments: a member the call does not know is
// refused, and (see `DROP_NULLS`) a null member is absent. Ignored, a misspelt
// `requiredScopes`, `expectedEtag` or `anchor` would switch a check off unnoticed, and a
// snake_case `tenant_id` would drop data from an audit record. A member whose value is `undefined`
// counts as absent (as `JSON.stringify` and every JS options reader treat it).
//
// Calls are named as in test/types-match.test.js: `audit.build` (a namespace member),
// `RetryPolicy.exponential` (a static member), `ApiKeys#verify` (an instance member), `RateLimit`
// (the constructor). test/options.test.js holds this table to index.d.ts: the same calls, the same
// argument, the same members.

// The fields of an audit record that `audit.build` and `audit.buildSealed` take.
const AUDIT_FIELDS = [
  'action', 'actor', 'tenantId', 'severity', 'outcome', 'reason', 'target', 'before', 'after', 'changes',
  'sensitivePaths', 'schema', 'requestId', 'metadata', 'occurredAt', 'retentionDays', 'id', 'maxMetadataBytes',
]

// How a call's null members are read. napi-rs takes a null member for a value, where the
// declarations (`?: T | null`) and Python mean absent: such members are dropped before the call.
// The addon reads audit.build's options itself, where a null can mean something of its own
// (`retentionDays: null` keeps a record forever): they are kept.
//
// Either way the members are read as every call reads them, by name (`options[name]`: inherited
// members and getters included, as napi-rs and the hot paths read them): a copy made with
// for...in or a spread, or sent through `JSON.stringify`, has only the object's own enumerable
// members, and `class Policy { environment = null; get requiredScopes() { ... } }` lost its
// scopes, and with them the scope check.
const DROP_NULLS = true
const KEEP_NULLS = false
// Calls whose options are not optional (the declarations: `options: ApiKeysOptions`): without them
// napi-rs threw JS's own "Cannot convert undefined or null to object", without a code or the call.
const REQUIRED = true

/**
 * Each call that takes an options object: its name, the argument's index, the members it reads,
 * whether null members are dropped and whether the options are required.
 */
const CALLS = [
  ['Webhook#verify', 2, ['tolerance', 'now']],
  ['stripe.verify', 3, ['tolerance', 'now']],
  ['slack.verify', 4, ['tolerance', 'now']],
  ['RetryPolicy', 0, ['schedule', 'jitter', 'disableAfter', 'maxRetryAfter']],
  ['RetryPolicy.exponential', 0, ['initialDelay', 'maxDelay', 'maxRetries', 'factor', 'jitter', 'disableAfter', 'maxRetryAfter'], DROP_NULLS, REQUIRED],
  ['RetryPolicy#decide', 3, ['firstFailureAt', 'now', 'jitterSample']],
  ['PlanCatalog#entitlements', 1, ['overrides', 'trialEndsAt']],
  ['Entitlements#check', 3, ['now', 'overLimitSince']],
  ['Entitlements#enforce', 3, ['now', 'overLimitSince']],
  ['RateLimit', 2, ['burst', 'policy']],
  ['ApiKeys', 0, ['prefix', 'peppers', 'currentPepper', 'environments', 'knownScopes', 'touchInterval'], DROP_NULLS, REQUIRED],
  ['ApiKeys#generate', 0, ['environment', 'scopes', 'expiresAt', 'notBefore', 'name', 'now']],
  ['ApiKeys#generateWithRandom', 1, ['environment', 'scopes', 'expiresAt', 'notBefore', 'name', 'now']],
  ['ApiKeys#verify', 2, ['requiredScopes', 'environment', 'now']],
  ['ApiKeys#roll', 1, ['grace', 'now', 'expiresAt'], DROP_NULLS, REQUIRED],
  ['ApiKeys#rollWithRandom', 2, ['grace', 'now', 'expiresAt'], DROP_NULLS, REQUIRED],
  ['audit.build', 0, AUDIT_FIELDS, KEEP_NULLS, REQUIRED],
  ['audit.buildSealed', 0, AUDIT_FIELDS, KEEP_NULLS, REQUIRED],
  ['audit.verifyChain', 2, ['anchor']],
  ['SettingsSchema', 1, ['maxBytes', 'maxDepth', 'maxStringLength']],
  ['SettingsSchema#applyPatch', 2, ['role', 'expectedEtag']],
  ['SettingsSchema#set', 3, ['role', 'expectedEtag']],
]

const camelCase = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

/** The TypeError for member `name` of the options of `call`, which reads the members `known`. */
function unknownOption(call, name, known) {
  const hint = known.has(camelCase(name)) ? ` (did you mean '${camelCase(name)}'?)` : ''
  const what = /[.#]/.test(call) ? call.replace('#', '.prototype.') : `new ${call}`
  const err = new TypeError(`${what}: unknown option '${name}'${hint}; its options are ${[...known].join(', ')}`)
  err.code = 'ERR_INVALID_ARG_VALUE'
  return err
}

/**
 * The TypeError for options of `call` that are not an object (or, where they are required, are
 * missing). napi-rs skipped them: a burst given as `new RateLimit(10, 60, 3)` (Python's
 * positional form) was no burst at all.
 */
function notAnObject(call, options, known) {
  const what = /[.#]/.test(call) ? call.replace('#', '.prototype.') : `new ${call}`
  const type = options === null ? 'null' : typeof options
  const err = new TypeError(`${what}: options must be an object like { ${[...known].join(', ')} }, not ${type}`)
  err.code = 'ERR_INVALID_ARG_TYPE'
  return err
}

/**
 * `options` as the call reads it: a TypeError when it is neither an object nor null/undefined, or
 * has a member `known` does not hold. With `dropNulls`, a copy of the `known` members without the
 * null ones when it has any. Without, a copy of the `known` members when it is not a plain object
 * (a class instance, `Object.create(defaults)`): the addon reads those options as one
 * `JSON.stringify` text (see js/audit.js), which has only own enumerable members. (A plain object
 * is sent as it is: copying it cost a fifth of audit.build's time.) Called once per call: kept
 * small so V8 inlines it.
 */
function checkOptions(options, known, call, dropNulls, required) {
  if (options === undefined || options === null) {
    if (required) throw notAnObject(call, options, known)
    return options
  }
  if (typeof options !== 'object') throw notAnObject(call, options, known)
  let nulls = false
  for (const name in options) {
    const value = options[name]
    if (value === undefined) continue
    if (!known.has(name)) throw unknownOption(call, name, known)
    if (value === null) nulls = true
  }
  if (dropNulls) return nulls ? knownMembers(options, known, true) : options
  const proto = Object.getPrototypeOf(options)
  return proto === Object.prototype || proto === null ? options : knownMembers(options, known, false)
}

/**
 * A plain object of the `known` members of `options`, each read by name (getters and inherited
 * members included), without the undefined ones and, with `dropNulls`, the null ones.
 */
function knownMembers(options, known, dropNulls) {
  const out = {}
  for (const name of known) {
    const value = options[name]
    if (value !== undefined && !(dropNulls && value === null)) out[name] = value
  }
  return out
}

/**
 * Installs the check on every call of `CALLS`, in the public module `api` (whose namespaces are
 * frozen objects: those with a checked member are replaced). Runs last, over the hot paths too.
 */
function install(api) {
  for (const [call, index, names, dropNulls = DROP_NULLS, required = false] of CALLS) {
    const known = new Set(names)
    const [, owner, sep, member] = /^(\w+)(?:([.#])(\w+))?$/.exec(call)
    if (sep === undefined) {
      api[owner] = new Proxy(api[owner], {
        construct(target, args, newTarget) {
          const options = checkOptions(args[index], known, call, dropNulls, required)
          if (options !== args[index]) args = Object.assign([...args], { [index]: options })
          return Reflect.construct(target, args, newTarget)
        },
      })
      continue
    }
    // An instance method lives on the prototype, a static one on the class; a namespace is a
    // frozen object, replaced by a copy.
    const namespace = sep === '.' && typeof api[owner] !== 'function'
    const holder = sep === '#' ? api[owner].prototype : namespace ? { ...api[owner] } : api[owner]
    const desc = Object.getOwnPropertyDescriptor(holder, member)
    const inner = desc.value
    // A function named as the one it checks, taking its arguments as they come.
    const checked = {
      [member]() {
        const options = checkOptions(arguments[index], known, call, dropNulls, required)
        if (options === arguments[index]) return inner.apply(this, arguments)
        return inner.apply(this, Object.assign([...arguments], { [index]: options }))
      },
    }[member]
    Object.defineProperty(holder, member, { ...desc, value: checked })
    if (namespace) api[owner] = Object.freeze(holder)
  }
}

module.exports = { CALLS, install }
