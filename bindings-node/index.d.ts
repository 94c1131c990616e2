// Types of the `tenantry` npm package (CommonJS `require("tenantry")` and ESM `import`).
// Hand-written to match index.js and the native addon exactly; test/types checks them with tsc.

/// <reference types="node" />

// ---- shared ----------------------------------------------------------------------------------

/** Raw payload bytes, or text (encoded as UTF-8). */
export type Payload = Buffer | Uint8Array | string
/** A point in time: Unix seconds, or a `Date`. */
export type Time = number | Date
/** Anything with a `get(name)` lookup, such as fetch's `Headers` or a `Map`. */
export interface HeaderLookup {
  get(name: string): string | string[] | null | undefined
}
/**
 * Incoming headers: an object as Node gives them (`req.headers`; names matched case-insensitively,
 * array values joined with spaces), or a `HeaderLookup` such as fetch's `Headers`, read through
 * `get` with the lowercase names.
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
