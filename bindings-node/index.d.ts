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

// ---- settings --------------------------------------------------------------------------------

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue }
/** A settings document: a plain object, or JSON text. */
export type SettingsDoc = JsonObject | string
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
  constructor(schema: JsonObject | string, options?: SettingsOptions | null)
  /** The schema as given. */
  get schema(): JsonObject
  /** The limits stored documents are held to. */
  get limits(): SettingsOptions
  /** The full default document. */
  defaults(): JsonObject
  /** Throws `SettingsValidationError` with every problem in `errors`. */
  validate(doc: SettingsDoc): void
  /** Defaults, then each layer in order: `[[name, overrides], ...]` or `{ name: overrides, ... }`. */
  resolve(layers: Array<[string, SettingsDoc]> | Record<string, SettingsDoc>): Resolution
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
  set(overrides: SettingsDoc, key: string, value: JsonValue, options?: PatchOptions | null): PatchResult
  /** Drops unknown keys and resets invalid values to their defaults, reporting both. */
  migrate(stored: SettingsDoc): Migration
}

/** RFC 7396: `patch` merged into `target` (a new value; the inputs are not modified). */
export declare function mergePatch(target: JsonValue, patch: JsonValue): JsonValue
