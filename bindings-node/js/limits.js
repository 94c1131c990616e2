'use strict'
// The Node side of the limits hot paths: `Entitlements.check` / `enforce` and `RateLimit.check` /
// `enforce`, and the `Decision` / `RateDecision` classes they return; and the JSON data check of
// what limits are enforced from (plan catalogs, entitlement overrides, usage).
//
// Through plain `#[napi]` methods each call cost 2-4 µs, mostly napi-rs machinery: a `#[napi]`
// class instance per result, borrow tracking of `this`, conversion of the options object. So the
// addon exposes raw N-API functions (`_limitsHotPaths`, see `src/limits.rs`) that take the
// object's native handle, the arguments (options already read here) and a scratch `Float64Array`,
// and write the result's fields into it; this module builds the result from those numbers.
// Decisions are made by the core only: nothing here computes a field.

const STATUS = ['ok', 'warning', 'grace', 'exceeded']
// Only this module constructs decisions (their constructors are private in index.d.ts).
const CREATE = Symbol('tenantry.limits.create')
// The native handle of an Entitlements / RateLimit object, made on first use.
const { handles } = require('./handles.js')
const { checkJsonData, textOfBytes } = require('./json-data.js')

/** The answer to "may this tenant use `requested` more units?". */
class Decision {
  #allowed
  #status
  #limit
  #used
  #requested
  #remaining
  #percent
  #crossed
  #graceEndsAt
  #overLimitSince

  constructor(token, o, crossed) {
    if (token !== CREATE) throw illegalConstructor('Decision', 'Entitlements.check')
    const mask = o[9]
    this.#allowed = o[0] === 1
    this.#status = STATUS[o[1]]
    this.#limit = mask & 1 ? null : o[2]
    this.#used = o[3]
    this.#requested = o[4]
    this.#remaining = mask & 2 ? null : o[5]
    this.#percent = mask & 4 ? null : o[6]
    this.#graceEndsAt = mask & 8 ? null : o[7]
    this.#overLimitSince = mask & 16 ? null : o[8]
    if (crossed == null) {
      const n = o[10]
      crossed = []
      for (let i = 0; i < n; i++) crossed.push(o[11 + i])
    }
    this.#crossed = crossed
  }

  get allowed() { return this.#allowed }
  get status() { return this.#status }
  get limit() { return this.#limit }
  get used() { return this.#used }
  get requested() { return this.#requested }
  get remaining() { return this.#remaining }
  get percent() { return this.#percent }
  /** A fresh array on every read, so callers cannot change the decision. */
  get crossed() { return this.#crossed.slice() }
  get graceEndsAt() { return this.#graceEndsAt }
  get overLimitSince() { return this.#overLimitSince }

  /** Every field as a plain object (also what `JSON.stringify` writes). */
  toJSON() {
    return {
      allowed: this.#allowed,
      status: this.#status,
      limit: this.#limit,
      used: this.#used,
      requested: this.#requested,
      remaining: this.#remaining,
      percent: this.#percent,
      crossed: this.#crossed.slice(),
      graceEndsAt: this.#graceEndsAt,
      overLimitSince: this.#overLimitSince,
    }
  }
}

/** The outcome of `RateLimit.check`. */
class RateDecision {
  #limiter
  #allowed
  #state
  #limit
  #remaining
  #resetAfterMs
  #retryAfterMs
  #resetAfter
  #retryAfter

  constructor(token, limiter, o) {
    if (token !== CREATE) throw illegalConstructor('RateDecision', 'RateLimit.check')
    this.#limiter = limiter
    this.#allowed = o[0] === 1
    this.#state = o[1]
    this.#limit = o[2]
    this.#remaining = o[3]
    this.#resetAfterMs = o[4]
    const never = o[6] === 1
    this.#retryAfterMs = never ? null : o[5]
    this.#resetAfter = o[7]
    this.#retryAfter = never ? null : o[8]
  }

  get allowed() { return this.#allowed }
  get state() { return this.#state }
  get limit() { return this.#limit }
  get remaining() { return this.#remaining }
  get resetAfter() { return this.#resetAfter }
  get retryAfter() { return this.#retryAfter }
  get resetAfterMs() { return this.#resetAfterMs }
  get retryAfterMs() { return this.#retryAfterMs }

  /** `X-RateLimit-*`, `RateLimit-Policy`, `RateLimit` and (when refused) `Retry-After`. */
  headers() {
    return headersOf(this.#limiter, this.#allowed, this.#state, this.#remaining, this.#resetAfterMs, this.#retryAfterMs)
  }

  /** Every field as a plain object (also what `JSON.stringify` writes). */
  toJSON() {
    return {
      allowed: this.#allowed,
      state: this.#state,
      limit: this.#limit,
      remaining: this.#remaining,
      resetAfterMs: this.#resetAfterMs,
      retryAfterMs: this.#retryAfterMs,
    }
  }
}

let headersOf
// The TypeError for `new` of a class without a public constructor (index.js's, with its code).
let illegalConstructor = (name) => new TypeError(`${name} has no public constructor`)

/**
 * Installs the hot paths on the addon's `Entitlements` and `RateLimit` classes (whose other
 * methods `index.js` has already wrapped) and the checks on `PlanCatalog`; returns the result
 * classes and the checking `PlanCatalog`.
 * @param {object} native the addon's exports
 * @param {(err: unknown) => unknown} adopt gives an addon error its tenantry class
 * @param {{PlanCatalog: Function}} exported the classes as `index.js` wrapped them
 * @param {(name: string, madeBy: string) => TypeError} illegal the error of `new Decision()`
 */
function install(native, adopt, exported, illegal) {
  illegalConstructor = illegal
  const hot = native._limitsHotPaths()
  const entitlements = native.Entitlements.prototype
  const rateLimit = native.RateLimit.prototype
  const entitlementsHandle = handles(entitlements._handle)
  const rateLimitHandle = handles(rateLimit._handle)
  const rateHeaders = rateLimit._headers
  for (const proto of [entitlements, rateLimit]) delete proto._handle
  delete rateLimit._headers
  headersOf = (limiter, ...fields) => rateHeaders.apply(limiter, fields)

  // One scratch array per loaded module (so per worker thread): filled by the addon, read at once.
  const decisionOut = new Float64Array(hot.decisionSlots + 32)
  const rateOut = new Float64Array(hot.rateSlots)

  function decide(native, ent, metric, used, requested, options) {
    let now, since
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object') {
        const err = new TypeError(`options must be an object, not ${typeof options}`)
        err.code = 'ERR_INVALID_ARG_TYPE'
        throw err
      }
      now = options.now
      since = options.overLimitSince
    }
    let crossed
    try {
      crossed = native(entitlementsHandle(ent), decisionOut, metric, used, requested, now, since)
    } catch (err) {
      // `enforce` refused: the addon wrote the decision before it threw (see src/limits.rs).
      if (err !== null && typeof err === 'object' && err.code === 'limits.exceeded') err.decision = new Decision(CREATE, decisionOut, undefined)
      throw adopt(err)
    }
    return new Decision(CREATE, decisionOut, crossed)
  }

  function rate(native, limiter, state, now, cost) {
    try {
      native(rateLimitHandle(limiter), rateOut, state, now, cost)
    } catch (err) {
      if (err !== null && typeof err === 'object' && err.code === 'limits.rate_limited') err.decision = new RateDecision(CREATE, limiter, rateOut)
      throw adopt(err)
    }
    return new RateDecision(CREATE, limiter, rateOut)
  }

  const methods = [
    [entitlements, 'check', function check(metric, used, requested, options) {
      return decide(hot.entitlementsCheck, this, metric, used, requested, options)
    }],
    [entitlements, 'enforce', function enforce(metric, used, requested, options) {
      return decide(hot.entitlementsEnforce, this, metric, used, requested, options)
    }],
    [rateLimit, 'check', function check(state, now, cost) {
      return rate(hot.rateLimitCheck, this, state, now, cost)
    }],
    [rateLimit, 'enforce', function enforce(state, now, cost) {
      return rate(hot.rateLimitEnforce, this, state, now, cost)
    }],
  ]
  // Plan catalogs, entitlement overrides and usage are JSON data the limits are enforced from:
  // checked (see js/json-data.js), then sent as JSON text (so a Date is its ISO string, as in
  // every document) instead of converted node by node (where a Date or a Map became `{}`).
  const catalog = native.PlanCatalog.prototype
  const { entitlements: entitlementsOf } = catalog
  const { usageReport } = entitlements
  // (Method shorthand: the names are the methods', with no binding of their own inside.)
  const checked = {
    entitlements(plan, options) {
      // (Bytes are JSON text, as Python reads `bytes`: see js/json-data.js.)
      const overrides = options === undefined || options === null ? undefined : textOfBytes(options.overrides)
      if (overrides !== undefined && overrides !== null) {
        checkJsonData(overrides, 'overrides')
        options = { ...options, overrides: typeof overrides === 'string' ? overrides : JSON.stringify(overrides) }
      }
      return entitlementsOf.call(this, plan, options)
    },
    usageReport(usage) {
      // The addon takes usage as a value, converted node by node by napi-rs, which knows no
      // `toJSON` (a Date was `{}`, zero usage; an object with a toJSON was refused as holding a
      // function): data that is not plain crosses as JSON reads it, as every JsonDoc does.
      // (Plain data, the usual, crosses as it is: its JSON reading is itself.)
      const plain = checkJsonData(usage, 'usage')
      return usageReport.call(this, plain ? usage : JSON.parse(JSON.stringify(usage)))
    },
  }
  methods.push([catalog, 'entitlements', checked.entitlements], [entitlements, 'usageReport', checked.usageReport])
  for (const [proto, name, fn] of methods) {
    Object.defineProperty(proto, name, { value: fn, writable: true, enumerable: false, configurable: true })
  }
  // The constructor's catalog likewise: a Proxy over the class `index.js` exports (which gives
  // errors their classes), so `instanceof` and subclassing hold.
  const PlanCatalog = new Proxy(exported.PlanCatalog, {
    construct(target, args, newTarget) {
      const plans = textOfBytes(args[0])
      checkJsonData(plans, 'plans')
      args = [typeof plans === 'string' ? plans : JSON.stringify(plans), ...args.slice(1)]
      return Reflect.construct(target, args, newTarget === PlanCatalog ? target : newTarget)
    },
  })
  return { Decision, RateDecision, PlanCatalog }
}

module.exports = { install }
