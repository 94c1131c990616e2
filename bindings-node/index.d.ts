// Types of the `tenantry` npm package (CommonJS `require("tenantry")` and ESM `import`).
// Hand-written to match index.js and the native addon exactly; test/types checks them with tsc.
//
// Every `...Options` interface is read as Python reads keyword arguments: a member the call does
// not know throws a TypeError (`ERR_INVALID_ARG_VALUE`) naming it, and a null member is absent
// unless its documentation says otherwise (test/options.test.js holds js/options.js to these).
// Members are read by name, so a class instance's getters count.
//
// Every error thrown has a `code`: the package's error classes the core's codes, and a TypeError
// one of Node's: `ERR_INVALID_ARG_TYPE` (an argument of the wrong type, said by its type alone,
// never its content), `ERR_INVALID_THIS` (a method or getter called on a value that is not an
// instance), `ERR_ILLEGAL_CONSTRUCTOR` (`new` of a class whose instances only the package makes),
// `ERR_CONSTRUCT_CALL_REQUIRED` (a class called without `new`).

/// <reference types="node" />

// ---- shared ----------------------------------------------------------------------------------

/** Raw payload bytes, or text (encoded as UTF-8). */
export type Payload = Buffer | Uint8Array | string
/**
 * A point in time: Unix seconds, or a `Date`, from 1970 to the end of 9999 UTC (any other is an
 * `InvalidInputError` with code `input.invalid_time`, in every call).
 */
export type Time = number | Date
/** Anything with a `get(name)` lookup, such as fetch's `Headers` or a `Map`. */
export interface HeaderLookup {
  get(name: string): string | string[] | null | undefined
}
/**
 * Incoming headers: an object as Node gives them (`req.headers`, `req.headersDistinct`; names
 * matched case-insensitively, each item of an array value one instance of a repeated header), or a
 * `HeaderLookup` such as fetch's `Headers`, read through `get` with the lowercase names. Every
 * instance of the signature header is read (values joined with ", " too); repeated ids and
 * timestamps must agree (`webhook.invalid_header`).
 */
export type Headers = Record<string, string | string[] | undefined> | HeaderLookup

/** One validation problem: JSON Pointer path, stable rule code, message. */
export interface ValidationIssue {
  path: string
  code: string
  message: string
}

// ---- errors ----------------------------------------------------------------------------------

/** Base class of every tenantry error; `code` is stable across Rust, Python and Node. */
export declare class TenantryError extends Error {
  constructor(message: string, code?: string, errors?: ValidationIssue[])
  /** Stable machine-readable code, e.g. `webhook.timestamp_too_old`. */
  readonly code: string
  /** Validation issues (empty unless the error is a validation failure). */
  readonly errors: ValidationIssue[]
}
/** A value of the right type that tenantry cannot accept (e.g. a time out of range). */
export declare class InvalidInputError extends TenantryError {}
/** A webhook configuration problem: an invalid secret or key, a bad message id. */
export declare class WebhookError extends TenantryError {}
/** A received webhook that did not verify. */
export declare class WebhookVerificationError extends WebhookError {}
/** An API key configuration, token format or scope problem. */
export declare class ApiKeyError extends TenantryError {}
/** A settings schema, registry key or patch problem. */
export declare class SettingsError extends TenantryError {}
/** A settings document that does not satisfy its schema; see `errors`. */
export declare class SettingsValidationError extends SettingsError {}
/** The stored settings changed since they were read (etag mismatch); nothing changed. */
export declare class ConcurrentUpdateError extends SettingsError {}
/** A plan catalog, metric or rate limit configuration problem. */
export declare class LimitsError extends TenantryError {}
/** A usage or rate limit was exceeded. */
export declare class LimitExceededError extends LimitsError {
  /**
   * The refused decision, to answer with (`retryAfter`, `headers()`): a `Decision` from
   * `Entitlements.enforce`, a `RateDecision` from `RateLimit.enforce`.
   */
  decision?: Decision | RateDecision
}
/** An invalid audit record, seal key or export input. */
export declare class AuditError extends TenantryError {}

// ---- webhooks --------------------------------------------------------------------------------

/**
 * The three Standard Webhooks headers of a signed message. (A type alias, not an interface: an
 * object type alias is assignable to index-signature types, so the headers pass as they are to
 * `Webhook.verify`'s `Headers`, to fetch's `new Headers(...)` and to `IncomingHttpHeaders`.)
 */
export type SignedHeaders = {
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

/** Options of `Webhook.verify`. */
export interface VerifyOptions {
  /** Allowed clock difference in seconds, in both directions (default 300). */
  tolerance?: number | null
  /** The time to check against (default: now). */
  now?: Time | null
}

/** A Standard Webhooks signer/verifier over one key, or a list of keys during rotation. */
export declare class Webhook {
  /** `whsec_` secrets (v1), `whsk_` ed25519 secret keys (sign v1a), `whpk_` public keys (verify v1a). */
  constructor(secret: string | string[])
  /**
   * Signs `payload` as message `msgId` at `timestamp` (default: now); returns the headers to send.
   * A `msgId` that is not well-formed (a lone surrogate) is an `InvalidInputError` (`input.invalid`).
   */
  sign(msgId: string, payload: Payload, timestamp?: Time | null): SignedHeaders
  /** Verifies a received message; throws `WebhookVerificationError` on failure. */
  verify(payload: Payload, headers: Headers, options?: VerifyOptions | null): void
}

/** A new `whsec_` secret: 32 bytes from the OS CSPRNG, base64-encoded. */
export declare function generateSecret(): string
/** A new ed25519 key pair `[whsk_…, whpk_…]` for `v1a` signatures. */
export declare function generateKeypair(): [string, string]

// ---- webhooks: Stripe, GitHub, Slack ----------------------------------------------------------

/** Stripe: `Stripe-Signature: t=<ts>,v1=<hex HMAC-SHA256 of "{t}.{payload}">`, keyed by the secret text. */
export declare const stripe: {
  /** Signs `payload` at `timestamp` (default: now); returns the `Stripe-Signature` header value. */
  sign(payload: Payload, secret: string, timestamp?: Time | null): string
  /** Verifies a `Stripe-Signature` header (several `v1=` allowed, timestamp checked both ways); throws `WebhookVerificationError`. */
  verify(payload: Payload, header: string | null | undefined, secret: string, options?: VerifyOptions | null): void
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. */
export declare const github: {
  /** Signs `payload`; returns the `X-Hub-Signature-256` header value. */
  sign(payload: Payload, secret: string): string
  /** Verifies against one secret or several (rotation); throws `WebhookVerificationError`. */
  verify(payload: Payload, signatureHeader: string | null | undefined, secretOrSecrets: string | string[]): void
}

/** Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{ts}:{body}">` with `X-Slack-Request-Timestamp`. */
export declare const slack: {
  /** Signs `payload` at `timestamp` (default: now); returns the `X-Slack-Signature` header value. */
  sign(payload: Payload, secret: string, timestamp?: Time | null): string
  /** Verifies a request from its two headers (5-minute window, both ways); throws `WebhookVerificationError`. */
  verify(
    payload: Payload,
    timestampHeader: string | null | undefined,
    signatureHeader: string | null | undefined,
    secret: string,
    options?: VerifyOptions | null,
  ): void
}

// ---- webhooks: delivery ---------------------------------------------------------------------

/** What to do after a delivery attempt. */
export type DeliveryDecision =
  | { action: 'succeeded' }
  | { action: 'retry'; retryAt: number; nextAttempt: number }
  | { action: 'give_up'; reason: 'attempts_exhausted' }
  | { action: 'disable_endpoint'; reason: 'gone' | 'failing_too_long' }

/** Settings every retry policy shares. */
export interface RetryOptions {
  /** Random spread of each wait, a fraction in [0, 1] (default 0: exact waits). */
  jitter?: number | null
  /** Disable an endpoint that has been failing this many seconds (default 5 days). */
  disableAfter?: number | null
  /** Cap on a honoured `Retry-After`, in seconds (default 1 day). */
  maxRetryAfter?: number | null
}

/** Options of `new RetryPolicy(...)`. */
export interface RetryPolicyOptions extends RetryOptions {
  /** Seconds to wait before each retry (default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). */
  schedule?: number[] | null
}

/** Options of `RetryPolicy.exponential(...)`. */
export interface ExponentialOptions extends RetryOptions {
  /** Wait before the first retry, in seconds. */
  initialDelay: number
  /** Cap on any wait, in seconds. */
  maxDelay: number
  /** Number of retries after the first attempt. */
  maxRetries: number
  /** Growth factor (default 2). */
  factor?: number | null
}

/** Options of `RetryPolicy.decide(...)`. */
export interface DecideOptions {
  /** When the endpoint's current run of failures began (omit if this is its first failure). */
  firstFailureAt?: Time | null
  /** The time of the decision (default: now). */
  now?: Time | null
  /** The jitter's uniform sample in [0, 1], to reproduce a decision exactly (default: random). */
  jitterSample?: number | null
}

/** When to retry a webhook delivery, give up (dead letter), or disable the endpoint. */
export declare class RetryPolicy {
  /** A policy over explicit waits (default: the svix schedule, 8 attempts). */
  constructor(options?: RetryPolicyOptions | null)
  /** Exponential backoff: `initialDelay * factor ** i` seconds, capped at `maxDelay`, `maxRetries` times. */
  static exponential(options: ExponentialOptions): RetryPolicy
  /** The wait before each retry, in seconds (before jitter). */
  readonly delays: number[]
  /** Total attempts, the first included. */
  readonly maxAttempts: number
  /**
   * What to do after attempt `attemptNumber` (1 = the first attempt) got `statusCode` (null: no
   * response). 2xx succeeds, 410 disables, 429/503 honour `retryAfter` (seconds or HTTP-date).
   */
  decide(
    attemptNumber: number,
    statusCode: number | null,
    retryAfter?: string | null,
    options?: DecideOptions | null,
  ): DeliveryDecision
}

/** Event type patterns an endpoint subscribes to: `*`, `prefix.*` or exact types. */
export declare class EventFilter {
  constructor(patterns: string[])
  /** True when `eventType` matches any pattern. */
  matches(eventType: string): boolean
  /** The patterns, as given. */
  readonly patterns: string[]
}

/** A new time-sortable message id: `msg_` + ULID (clock time + 80 random bits). */
export declare function messageId(): string
/** The message id for a time in Unix milliseconds and 10 given random bytes (pure; for tests). */
export declare function messageIdFrom(unixMillis: number, entropy: Uint8Array): string
/**
 * The exact body to sign and send: `{"type":…,"timestamp":…,"data":…}` (data in canonical JSON).
 * `data` is JSON text (a string, or its UTF-8 bytes as a `Buffer` or `Uint8Array`, as Python takes
 * `bytes`), or a value checked as a `JsonDoc` is (a `Date` is its ISO string; NaN, a Map or a lone
 * surrogate is a `TypeError`).
 */
export declare function buildEvent(eventType: string, data: unknown, timestamp?: Time | null): Buffer
// ---- limits ----------------------------------------------------------------------------------

/**
 * A JSON document: a plain object, or its JSON text (a string, or its UTF-8 bytes as a `Buffer` or
 * `Uint8Array`, as Python takes `bytes`; bytes that are not UTF-8 are an `InvalidInputError`,
 * `input.invalid_json`). An object is taken as `JSON.stringify` sends it (a `Date` is its ISO
 * string), but what JSON would change or drop without a trace (NaN, Infinity, functions, symbols,
 * array holes, Maps and Sets, binary data) is a `TypeError`: NaN would otherwise become `null`,
 * which a catalog reads as unlimited. An object nested more than 100 levels deep, containing
 * itself, or holding a lone surrogate in a string or a name, is an `InvalidInputError`
 * (`input.invalid`, for a lone surrogate in Python's words).
 *
 * (Typed `object`, so a value of an interface type is taken: TypeScript gives interfaces no index
 * signature, and `Record<string, unknown>` refused them. What it holds is checked at runtime.)
 */
export type JsonDoc = object | string | Uint8Array
/** Where a tenant stands on a metric. */
export type LimitStatus = 'ok' | 'warning' | 'grace' | 'exceeded'
/** A usage period kind. */
export type PeriodKind = 'none' | 'day' | 'month' | 'year'

/** Options of `PlanCatalog.entitlements`. */
export interface EntitlementsOptions {
  /** `{ limits: { metric: limit | spec }, features: [names] }`, an object or JSON text. */
  overrides?: JsonDoc | null
  /** When the tenant's trial ends (enables `trialStatus`). */
  trialEndsAt?: Time | null
}

/** Every plan a product sells (`limits`, `features` or `"all"`, `trial_days`), compiled once. */
export declare class PlanCatalog {
  /** Plan name → `{ limits, features, trial_days }`; throws `LimitsError` (`limits.invalid_catalog`, with paths). */
  constructor(plans: JsonDoc)
  /** The plan names, in catalog order. */
  get plans(): string[]
  /** A tenant's effective entitlements: the plan with per-tenant overrides applied. */
  entitlements(plan: string, options?: EntitlementsOptions | null): Entitlements
  /** When a trial of `plan` started at `startedAt` ends (Unix seconds), or null if it has none. */
  trialEndsAt(plan: string, startedAt: Time): number | null
}

/** Options of `Entitlements.check` and `enforce`. */
export interface CheckOptions {
  /** The time of the check (default: now); matters for grace durations. */
  now?: Time | null
  /** The stored time of the first overage: the previous decision's `overLimitSince`. */
  overLimitSince?: Time | null
}

/** One metric with its effective limit and where it came from. */
export interface EffectiveLimit {
  metric: string
  /** null = unlimited */
  limit: number | null
  /** The plan's own limit (null when unlimited or only the override defines the metric). */
  planLimit: number | null
  source: 'plan' | 'override'
  kind: 'hard' | 'soft'
  period: PeriodKind
}

/** Whether a tenant's trial is running. */
export interface TrialStatus {
  active: boolean
  endsAt: number | null
  daysLeft: number
}

/** One row of a usage report. */
export interface UsageRow {
  metric: string
  count: number
  limit: number | null
  remaining: number | null
  percent: number | null
  status: LimitStatus
}

/** One tenant's effective limits and features. Obtained from `PlanCatalog.entitlements`. */
export declare class Entitlements {
  private constructor()
  get plan(): string
  /** Feature names: the plan's, then the extra ones. */
  get features(): string[]
  get trialEndsAt(): number | null
  /** May the tenant, having used `used`, use `requested` (default 1) more of `metric`? */
  check(metric: string, used: number, requested?: number | null, options?: CheckOptions | null): Decision
  /** Like `check`, but throws `LimitExceededError` (`limits.exceeded`, with the refused `decision`) when refused. */
  enforce(metric: string, used: number, requested?: number | null, options?: CheckOptions | null): Decision
  /** The effective limit of a metric (null = unlimited). */
  limit(metric: string): number | null
  /** Every metric with its effective limit and source. */
  limits(): EffectiveLimit[]
  /** Whether the tenant has a feature (`all` includes every feature). */
  hasFeature(name: string): boolean
  /** The trial at `now` (default: now). */
  trialStatus(now?: Time | null): TrialStatus
  /**
   * One row per metric of the entitlement, with the usage given (0 when absent); checked as a
   * `JsonDoc` is. (Any object type whose members are numbers, interfaces included.)
   */
  usageReport<Usage extends { [Metric in keyof Usage]: number }>(usage: Usage): UsageRow[]
}

/** A `Decision` as a plain object. */
export interface DecisionObject {
  allowed: boolean
  status: LimitStatus
  limit: number | null
  used: number
  requested: number
  remaining: number | null
  percent: number | null
  crossed: number[]
  graceEndsAt: number | null
  overLimitSince: number | null
}

/** The answer to "may this tenant use `requested` more units?". */
export declare class Decision {
  private constructor()
  /** Whether the caller may go ahead (and then record the usage). */
  get allowed(): boolean
  get status(): LimitStatus
  /** The effective limit; null = unlimited. */
  get limit(): number | null
  get used(): number
  get requested(): number
  /** Units left after this decision; null when unlimited. */
  get remaining(): number | null
  /** `used + requested` as a percentage of the limit (2 decimals); null when unlimited. */
  get percent(): number | null
  /** Thresholds (fractions such as 0.8) crossed by this request: each fires exactly once. */
  get crossed(): number[]
  /** When the grace duration ends (Unix seconds). */
  get graceEndsAt(): number | null
  /** The first overage time to store for the next check (null once back within the limit). */
  get overLimitSince(): number | null
  toJSON(): DecisionObject
}

/** The thresholds passed when usage grows from `previous` to `current` against `limit` (null or -1 = unlimited). */
export declare function crossed(previous: number, current: number, limit: number | null, thresholds?: number[] | null): number[]

/** A usage period `[start, end)` in Unix seconds; `end` is the next reset. */
export interface PeriodWindow {
  start: number
  end: number
}

/**
 * The usage period containing `now` (default: now): calendar periods without an `anchor`, else
 * anchored on its day and time (billing day clamped to short months). `tzOffset` in seconds east of UTC.
 */
export declare function periodWindow(kind: PeriodKind, anchor?: Time | null, now?: Time | null, tzOffset?: number | null): PeriodWindow

/** Options of `new RateLimit`. */
export interface RateLimitOptions {
  /** The most requests admitted at once (default: `limit`). */
  burst?: number | null
  /** The policy name in `RateLimit-Policy` / `RateLimit` (default `"default"`). */
  policy?: string | null
}

/** The response headers of a rate limit decision. */
export interface RateLimitHeaders {
  'X-RateLimit-Limit': string
  'X-RateLimit-Remaining': string
  'X-RateLimit-Reset': string
  'RateLimit-Policy': string
  RateLimit: string
  /** Only when refused (and the request can ever fit). */
  'Retry-After'?: string
}

/** A `RateDecision` as a plain object. */
export interface RateDecisionObject {
  allowed: boolean
  state: number
  limit: number
  remaining: number
  resetAfterMs: number
  retryAfterMs: number | null
}

/** A GCRA rate limit: `limit` requests per `period` seconds, bursts up to `burst`. */
export declare class RateLimit {
  constructor(limit: number, period: number, options?: RateLimitOptions | null)
  get limit(): number
  /** The period in seconds. */
  get period(): number
  get burst(): number
  get policy(): string
  /**
   * Decides a request of weight `cost` (default 1) against the stored `state` (null for a new
   * key) at `now` (default: now). Store `state` of an allowed result with compare-and-set.
   */
  check(state?: number | null, now?: Time | null, cost?: number | null): RateDecision
  /** Like `check`, but throws `LimitExceededError` (`limits.rate_limited`, with the refused `decision`: its `headers()` answer the 429) when refused. */
  enforce(state?: number | null, now?: Time | null, cost?: number | null): RateDecision
}

/** The outcome of `RateLimit.check`. */
export declare class RateDecision {
  private constructor()
  get allowed(): boolean
  /** The state to store (theoretical arrival time, Unix ms). */
  get state(): number
  /** The burst: the most requests admitted at once. */
  get limit(): number
  get remaining(): number
  /** Seconds until a full reset, rounded up. */
  get resetAfter(): number
  /** Seconds until this request would be admitted, rounded up; null when allowed or never. */
  get retryAfter(): number | null
  get resetAfterMs(): number
  get retryAfterMs(): number | null
  /** `X-RateLimit-*`, `RateLimit-Policy`, `RateLimit` and, when refused, `Retry-After`. */
  headers(): RateLimitHeaders
  toJSON(): RateDecisionObject
}

// ---- api keys --------------------------------------------------------------------------------

/** Options of `new ApiKeys(...)`. */
export interface ApiKeysOptions {
  /** Token prefix, `[a-z][a-z0-9]{0,15}` (e.g. `tk`). */
  prefix: string
  /** Peppers by id: bytes (or text, UTF-8), at least 16 bytes each; 32 random bytes recommended. */
  peppers: Record<string, Uint8Array | string>
  /** The pepper that hashes new keys (may be omitted with a single pepper). */
  currentPepper?: string | null
  /** The environment tags keys may carry (default: any `[a-z][a-z0-9]{0,15}` tag). */
  environments?: string[] | null
  /** The scope vocabulary (`resource:action`); when set, granted and required scopes must come from it. */
  knownScopes?: string[] | null
  /** Seconds after which a verdict asks the caller to record `lastUsedAt` again (default 60). */
  touchInterval?: number | null
}

/** Options of `ApiKeys.generate`. */
export interface GenerateKeyOptions {
  /** Environment tag (default `live`). */
  environment?: string | null
  /** Scopes to grant: `resource:action`, `resource:*`, `*:action` or `*`. */
  scopes?: string[] | null
  /** The key stops working at this time. */
  expiresAt?: Time | null
  /** The key works only from this time on. */
  notBefore?: Time | null
  /** A label for people. */
  name?: string | null
  /** Issue time (default: now). */
  now?: Time | null
}

/** A required scope, or an any-of group of scopes. */
export type ScopeRequirement = string | string[]

/** Options of `ApiKeys.verify`. */
export interface VerifyKeyOptions {
  /** Required scopes (all-of); an array item is an any-of group; a string is one scope alone. */
  requiredScopes?: ScopeRequirement[] | string | null
  /** The environment this service accepts (default: the record's). */
  environment?: string | null
  /** The time to check against (default: now). */
  now?: Time | null
}

/** Options of `ApiKeys.roll`. */
export interface RollKeyOptions {
  /** Seconds the old key keeps working. */
  grace: number
  /** The time of the roll (default: now). */
  now?: Time | null
  /** The new key's expiry. */
  expiresAt?: Time | null
}

/** The stored form of a key (never the token). Times are Unix seconds. */
export interface KeyRecord {
  keyId: string
  hash: string
  pepperId: string
  environment: string
  scopes: string[]
  name: string | null
  createdAt: number
  expiresAt: number | null
  notBefore: number | null
  revokedAt: number | null
  disabled: boolean
  lastUsedAt: number | null
  masked: string
}

/** A stored record as given back to `verify`/`roll`/`revoke`: camelCase or snake_case fields, or JSON text. */
export type KeyRecordInput = Partial<KeyRecord> | Record<string, unknown> | string

/** The public parts of a token. */
export interface ParsedToken {
  environment: string
  keyId: string
}

/** Why a token verified or not. */
export type VerdictCode =
  | 'VALID'
  | 'MALFORMED'
  | 'BAD_CHECKSUM'
  | 'NOT_FOUND'
  | 'REVOKED'
  | 'DISABLED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'ENVIRONMENT_MISMATCH'
  | 'INSUFFICIENT_SCOPE'

/** The outcome of `ApiKeys.verify`. */
export interface Verdict {
  /** True exactly when `code` is `VALID`. */
  valid: boolean
  code: VerdictCode
  /** The token's public key id (null for MALFORMED / BAD_CHECKSUM). */
  keyId: string | null
  /** The token's environment (null for MALFORMED / BAD_CHECKSUM). */
  environment: string | null
  /** For INSUFFICIENT_SCOPE: the required scopes the key lacks. */
  missingScopes: string[]
  /** For a valid key hashed with an older pepper: the new hash and pepper id to store. */
  rehash: { hash: string; pepperId: string } | null
  /** For a valid key: true when the caller should record `lastUsedAt = now`. */
  touch: boolean
}

/** A freshly issued key. Its `toString`/`toJSON` never include the token. */
export declare class IssuedKey {
  private constructor()
  /** The token: show it to its owner once; never log or store it. */
  readonly token: string
  /** The record to store. */
  readonly record: KeyRecord
  toString(): string
  toJSON(): { record: KeyRecord }
}

/** The result of `ApiKeys.roll`: the new key and the old record with its new expiry. */
export declare class RolledKey {
  private constructor()
  readonly token: string
  readonly record: KeyRecord
  /** The old record, expiring at `now + grace` (or earlier): store it in place of the old one. */
  readonly previous: KeyRecord
  toString(): string
  toJSON(): { record: KeyRecord; previous: KeyRecord }
}

/** An API key format, built once: issues, parses, hashes, verifies, rolls and revokes keys. */
export declare class ApiKeys {
  constructor(options: ApiKeysOptions)
  readonly prefix: string
  readonly currentPepper: string
  /** Issues a key with fresh CSPRNG randomness. */
  generate(options?: GenerateKeyOptions | null): IssuedKey
  /** Issues a key from 30 given random bytes (for conformance vectors; real keys use `generate`). */
  generateWithRandom(random: Uint8Array, options?: GenerateKeyOptions | null): IssuedKey
  /** Parses a token offline; throws `ApiKeyError` (`apikey.malformed` / `apikey.bad_checksum`). */
  parse(token: string): ParsedToken
  /** HMAC-SHA256 of the token keyed with the current pepper (64 hex digits). */
  hashToken(token: string): string
  /** Verifies a token against its stored record (`null` when the lookup found nothing). */
  verify(token: string, record: KeyRecordInput | null | undefined, options?: VerifyKeyOptions | null): Verdict
  /** Rolls a key: a new key with the same scopes; the old record expires at `now + grace`. */
  roll(record: KeyRecordInput, options: RollKeyOptions): RolledKey
  /** `roll` with the new key's 30 random bytes given (for conformance vectors). */
  rollWithRandom(random: Uint8Array, record: KeyRecordInput, options: RollKeyOptions): RolledKey
  /** The record, revoked at `now` (an earlier revocation is kept). */
  revoke(record: KeyRecordInput, now?: Time | null): KeyRecord
  /** The regular expression matching exactly the tokens this config issues (unanchored). */
  secretScanningPattern(): string
}

// ---- audit -----------------------------------------------------------------------------------

/** Audit records: build, seal, verify, export. Records are plain objects with snake_case members. */
export declare namespace audit {
  /** Severity of an audit event. */
  type Severity = 'info' | 'warning' | 'error' | 'critical'
  /** Why a chain does not verify. */
  type BreakReason = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'wrong_key' | 'unsealed' | 'malformed'

  /** Who acted. `userAgent` may also be written `user_agent`. */
  interface ActorInput {
    type: 'user' | 'api_key' | 'service' | 'system'
    id: string
    email?: string | null
    role?: string | null
    ip?: string | null
    userAgent?: string | null
  }
  /** What the action was performed on. */
  interface TargetInput {
    type: string
    id: string
    name?: string | null
  }
  /** One changed value (JSON Pointer path); `before`/`after` absent when the member did not exist. */
  interface Change {
    path: string
    before?: unknown
    after?: unknown
  }
  /** Options of `audit.build`. */
  interface BuildOptions {
    /** Dotted lowercase action, e.g. `setting.updated` (see `audit.actions()`). */
    action: string
    /** The actor, or its JSON text (a string is JSON text, not an id: `'{"type":"user","id":"u_1"}'`). */
    actor: ActorInput | string
    tenantId?: string | null
    /** Default: the catalogue's severity for the action, else `info`. */
    severity?: string | null
    outcome?: 'success' | 'failure' | null
    reason?: string | null
    /** The target, or its JSON text (a string is JSON text, not an id: `'{"type":"doc","id":"d_1"}'`). */
    target?: TargetInput | string | null
    /** Documents before/after the change (objects, or JSON text); the masked diff becomes `changes`. */
    before?: unknown
    after?: unknown
    /** Changes computed elsewhere (instead of `before`/`after`); masked the same way. */
    changes?: Change[] | string | null
    /** Extra JSON Pointer paths to mask. */
    sensitivePaths?: string[] | null
    /**
     * A settings JSON Schema (or a compiled `SettingsSchema`) whose `x-sensitive` properties are
     * masked; a schema `SettingsSchema` would refuse throws the same `SettingsError`
     * (`settings.invalid_schema`). An object of another class (a `SettingsSchema` of another copy
     * of this package, as a dual CommonJS/ESM install loads) is a TypeError: only this package's
     * `SettingsSchema`, a plain object or JSON text says what to mask.
     */
    schema?: SettingsSchema | object | string | null
    requestId?: string | null
    /**
     * A JSON object, or its JSON text (at most `maxMetadataBytes` of canonical JSON, default 8192).
     * (Typed `object`, so a value of an interface type is taken.)
     */
    metadata?: object | string | null
    /** Default: now. */
    occurredAt?: Time | null
    /** Default 90; `null` keeps the record forever (`expires_at: null`). */
    retentionDays?: number | null
    /** A caller-chosen id instead of a new ULID. */
    id?: string | null
    maxMetadataBytes?: number | null
  }
  /** A built audit record (plain JSON; sealing adds `prev_hash`, `hash`, `seal_key_id`, `seal`). */
  interface AuditRecord {
    id: string
    occurred_at: string
    tenant_id: string | null
    actor: {
      type: 'user' | 'api_key' | 'service' | 'system'
      id: string
      email: string | null
      role: string | null
      ip: string | null
      user_agent: string | null
    }
    action: string
    severity: Severity
    outcome: 'success' | 'failure'
    reason: string | null
    target: { type: string; id: string; name: string | null } | null
    changes: Change[]
    request_id: string | null
    metadata: Record<string, unknown>
    expires_at: string | null
    prev_hash?: string
    hash?: string
    seal_key_id?: string
    seal?: string
    [member: string]: unknown
  }
  /** The result of `audit.verifyChain`. */
  interface ChainReport {
    ok: boolean
    /** Index of the first bad record, or null. */
    index: number | null
    reason: BreakReason | null
    /** The hash of the last record when ok: store it and pass it as `anchor` next time. */
    head: string | null
  }
  /** Options of `audit.verifyChain`. */
  interface VerifyChainOptions {
    /** The hash the first record must follow (64 zeros for a complete chain, or a stored head). */
    anchor?: string | null
  }
  /** Counts by action, severity, outcome, actor and day (keys sorted). */
  interface Summary {
    total: number
    by_action: Record<string, number>
    by_severity: Record<Severity, number>
    by_outcome: Record<'success' | 'failure', number>
    by_actor: Record<string, number>
    by_day: Record<string, number>
    first: string | null
    last: string | null
  }

  /** An HMAC key for sealing records: an id (stored with each seal) and at least 16 secret bytes. */
  class SealKey {
    constructor(id: string, secret: Payload)
    /** The key id stored as `seal_key_id`. */
    readonly id: string
  }

  /** Builds a validated record; throws `AuditError` (or `InvalidInputError` for bad times). */
  function build(options: BuildOptions): AuditRecord
  /**
   * A shallow copy of the record with `prev_hash` and `hash` (and `seal_key_id`, `seal` with a key).
   * JSON text may be a string or UTF-8 bytes (a `Buffer`), as in the other calls taking records.
   */
  function seal(record: object | string | Uint8Array, previousHash?: string | null, key?: SealKey | null): AuditRecord
  /**
   * Builds and seals in one call: the same record as `seal(build(options), previousHash, key)`
   * (with `prev_hash` and `hash`, and `seal_key_id`, `seal` with a key). Throws as `build` and
   * `seal` do.
   */
  function buildSealed(options: BuildOptions, previousHash?: string | null, key?: SealKey | null): AuditRecord
  /** Verifies sealed records, oldest first; reports the first break. */
  function verifyChain(
    records: object[] | string | Uint8Array,
    key?: SealKey | SealKey[] | null,
    options?: VerifyChainOptions | null,
  ): ChainReport
  /** RFC 8785 canonical JSON of a value (a string is a JSON string, not JSON text). */
  function canonicalJson(value: unknown): string
  /** Records as CSV (RFC 4180, CRLF, fixed header, formula-injection guarded cells). */
  function toCsv(records: object[] | string | Uint8Array): string
  /** Records as JSON Lines (canonical JSON, one per line). */
  function toJsonl(records: object[] | string | Uint8Array): string
  /** One record as an OCSF 1.x event. */
  function toOcsf(record: object | string | Uint8Array): Record<string, unknown>
  /** Statistics over records. */
  function summarize(records: object[] | string | Uint8Array): Summary
  /**
   * The cutoff for a cleanup query: records with `occurred_at` before it are older than `days`
   * (default 90). `null` is a TypeError: it is the `retentionDays` of records kept forever, which
   * have no cutoff.
   */
  function retentionCutoff(now: Time, days?: number): string
  /** The action catalogue: action → default severity. */
  function actions(): Record<string, Severity>
}
// ---- settings --------------------------------------------------------------------------------

/**
 * Any JSON value. Given as a value, it may nest 100 levels deep: deeper, or containing itself, it
 * is an `InvalidInputError` (`input.invalid`), in every call that takes data.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue }
/**
 * A JSON value given to a call (results are typed `JsonValue`): any object, interface types
 * included (TypeScript gives interfaces no index signature, so `JsonValue` refused a value typed
 * `interface TenantSettings { theme?: string }`). What it holds is checked at runtime, as the
 * calls taking it say.
 */
export type JsonInput = string | number | boolean | null | object
/**
 * A settings document: a plain object, or JSON text (a string, or its UTF-8 bytes as a `Buffer` or
 * `Uint8Array`, as Python takes `bytes`; bytes that are not UTF-8 are an `InvalidInputError`,
 * `input.invalid_json`). A document that is read (`validate`, `resolve`, `etag`, `view`, `entries`,
 * `get`) is taken as `JSON.stringify` sends it (a `Date` is its ISO string, `toJSON` is honoured,
 * NaN is `null`; a BigInt is a `TypeError`); one to write (`applyPatch`, `set`, `migrate`,
 * `mergePatch`) is taken the same way, but what `JSON.stringify` would change or drop without a
 * trace is a `TypeError`: NaN, Infinity, functions, symbols, array holes, Maps and Sets, binary
 * data. In either, a lone surrogate is an `InvalidInputError` (`input.invalid`), as in Python.
 *
 * (Typed `object`, so a document of an interface type is taken; results are typed `JsonObject`.)
 */
export type SettingsDoc = object | string | Uint8Array
/**
 * The layers of `resolve`, applied in order over the defaults: `[[name, document], ...]`, or an
 * object `{ name: document, ... }` (typed `object`, so one of an interface type is taken).
 */
export type SettingsLayers = ReadonlyArray<readonly [string, SettingsDoc]> | object
/** Who is asking: the audience of a view, or the caller of an update. */
export type SettingsRole = 'public' | 'member' | 'admin' | 'system'

/** Limits on stored documents (each failure is a `SettingsValidationError`). */
export interface SettingsOptions {
  /** Largest serialized size of a stored document in bytes (default 10240). */
  maxBytes?: number | null
  /** Deepest nesting of objects and arrays (default 32). */
  maxDepth?: number | null
  /** Longest string in characters (default 4096). */
  maxStringLength?: number | null
}

/** Options of `applyPatch` and `set`. */
export interface PatchOptions {
  /** `public`, `member` (default), `admin` or `system` (may set non-editable fields). */
  role?: SettingsRole | null
  /** The etag the caller read; a mismatch throws `ConcurrentUpdateError` and changes nothing. */
  expectedEtag?: string | null
}

/** The effective settings of a tenant and the layer that set every leaf. */
export interface Resolution {
  value: JsonObject
  /** `{ jsonPointer: layerName }` for every leaf (`"defaults"` included). */
  provenance: Record<string, string>
}

/** One changed leaf of the effective document; sensitive values are `"********"`. */
export interface SettingsChange {
  path: string
  before: JsonValue
  after: JsonValue
}

/** The outcome of `applyPatch` / `set`: store `overrides` with `etag`. */
export interface PatchResult {
  overrides: JsonObject
  value: JsonObject
  changes: SettingsChange[]
  etag: string
}

/** One setting as a registry row. */
export interface RegistryEntry {
  key: string
  category: string | null
  value: JsonValue
  default: JsonValue
  visibility: 'public' | 'member' | 'admin'
  editable: boolean
  description: string | null
}

/** A stored document brought to the current schema. */
export interface Migration {
  overrides: JsonObject
  value: JsonObject
  /** JSON Pointers of keys the schema does not define, dropped. */
  dropped: string[]
  /** Invalid overrides removed (their default applies again), with the reason. */
  reset: ValidationIssue[]
}

/** A JSON Schema (draft 2020-12) compiled once: defaults, `x-*` annotations, a validator. */
export declare class SettingsSchema {
  /** Throws `SettingsError` (`settings.invalid_schema`) for an invalid schema. */
  constructor(schema: SettingsDoc, options?: SettingsOptions | null)
  /** The schema as given. */
  get schema(): JsonObject
  /** The limits stored documents are held to. */
  get limits(): SettingsOptions
  /** The full default document. */
  defaults(): JsonObject
  /** Throws `SettingsValidationError` with every problem in `errors`. */
  validate(doc: SettingsDoc): void
  /** Defaults, then each layer in order: `[[name, overrides], ...]` or `{ name: overrides, ... }`. */
  resolve(layers: SettingsLayers): Resolution
  /** An RFC 7396 merge patch on one layer's overrides, checked for role, limits and validity. */
  applyPatch(overrides: SettingsDoc, patch: SettingsDoc, options?: PatchOptions | null): PatchResult
  /** SHA-256 hex of the document's canonical JSON (key order does not matter). */
  etag(doc: SettingsDoc): string
  /** The document as `audience` may see it (default `member`). */
  view(doc: SettingsDoc, audience?: SettingsRole | null): JsonObject
  /** One row per setting `audience` may see (default `admin`). */
  entries(doc: SettingsDoc, audience?: SettingsRole | null): RegistryEntry[]
  /** The value at a dotted key (the default when absent); throws `SettingsError` for an unknown key. */
  get(doc: SettingsDoc, key: string): JsonValue
  /** Sets one setting by dotted key (`null` removes the override), like `applyPatch`. */
  set(overrides: SettingsDoc, key: string, value: JsonInput, options?: PatchOptions | null): PatchResult
  /** Drops unknown keys and resets invalid values to their defaults, reporting both. */
  migrate(stored: SettingsDoc): Migration
}

/**
 * RFC 7396: `patch` merged into `target` (a new value; the inputs are not modified). Both are JSON
 * values (a string is a string); what `JSON.stringify` would change or drop is a `TypeError`.
 */
export declare function mergePatch(target: JsonInput, patch: JsonInput): JsonValue
