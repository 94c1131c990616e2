// Types of the `tenantry` npm package (CommonJS `require("tenantry")` and ESM `import`).
// Hand-written to match index.js and the native addon exactly; test/types checks them with tsc.

/// <reference types="node" />

// ---- shared ----------------------------------------------------------------------------------

/** Raw payload bytes, or text (encoded as UTF-8). */
export type Payload = Buffer | Uint8Array | string
/** A point in time: Unix seconds, or a `Date`. */
export type Time = number | Date
/** Incoming headers as Node gives them (`req.headers`): names are matched case-insensitively. */
export type Headers = Record<string, string | string[]>

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
export declare class LimitExceededError extends LimitsError {}
/** An invalid audit record, seal key or export input. */
export declare class AuditError extends TenantryError {}

// ---- webhooks --------------------------------------------------------------------------------

/** The three Standard Webhooks headers of a signed message. */
export interface SignedHeaders {
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
  /** Signs `payload` as message `msgId` at `timestamp` (default: now); returns the headers to send. */
  sign(msgId: string, payload: Payload, timestamp?: Time | null): SignedHeaders
  /** Verifies a received message; throws `WebhookVerificationError` on failure. */
  verify(payload: Payload, headers: Headers, options?: VerifyOptions | null): void
}

/** A new `whsec_` secret: 32 bytes from the OS CSPRNG, base64-encoded. */
export declare function generateSecret(): string
/** A new ed25519 key pair `[whsk_…, whpk_…]` for `v1a` signatures. */
export declare function generateKeypair(): [string, string]

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
    actor: ActorInput | string
    tenantId?: string | null
    /** Default: the catalogue's severity for the action, else `info`. */
    severity?: string | null
    outcome?: 'success' | 'failure' | null
    reason?: string | null
    target?: TargetInput | string | null
    /** Documents before/after the change (objects, or JSON text); the masked diff becomes `changes`. */
    before?: unknown
    after?: unknown
    /** Changes computed elsewhere (instead of `before`/`after`); masked the same way. */
    changes?: Change[] | string | null
    /** Extra JSON Pointer paths to mask. */
    sensitivePaths?: string[] | null
    /** A settings JSON Schema whose `x-sensitive` properties are masked. */
    schema?: object | string | null
    requestId?: string | null
    /** A JSON object (at most `maxMetadataBytes` of canonical JSON, default 8192). */
    metadata?: Record<string, unknown> | string | null
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
  /** The record with `prev_hash` and `hash` (and `seal_key_id`, `seal` with a key). */
  function seal(record: object | string, previousHash?: string | null, key?: SealKey | null): AuditRecord
  /** Verifies sealed records, oldest first; reports the first break. */
  function verifyChain(
    records: object[] | string,
    key?: SealKey | SealKey[] | null,
    options?: VerifyChainOptions | null,
  ): ChainReport
  /** RFC 8785 canonical JSON of a value (a string is a JSON string, not JSON text). */
  function canonicalJson(value: unknown): string
  /** Records as CSV (RFC 4180, CRLF, fixed header, formula-injection guarded cells). */
  function toCsv(records: object[] | string): string
  /** Records as JSON Lines (canonical JSON, one per line). */
  function toJsonl(records: object[] | string): string
  /** One record as an OCSF 1.x event. */
  function toOcsf(record: object | string): Record<string, unknown>
  /** Statistics over records. */
  function summarize(records: object[] | string): Summary
  /** The cutoff for a cleanup query: records with `occurred_at` before it are older than `days` (default 90). */
  function retentionCutoff(now: Time, days?: number | null): string
  /** The action catalogue: action → default severity. */
  function actions(): Record<string, Severity>
}
