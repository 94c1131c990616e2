// ES module entry: the same objects as `require("tenantry")`.
import tenantry from './index.js'

export default tenantry
export const {
  // api keys
  ApiKeys,
  IssuedKey,
  RolledKey,
  // webhooks
  Webhook,
  generateSecret,
  generateKeypair,
  stripe,
  github,
  slack,
  RetryPolicy,
  EventFilter,
  messageId,
  messageIdFrom,
  buildEvent,
  // limits
  PlanCatalog,
  Entitlements,
  Decision,
  RateLimit,
  RateDecision,
  crossed,
  periodWindow,
  // audit
  audit,
  // errors
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
} = tenantry
