// ES module entry: the same objects as `require("tenantry")`.
import tenantry from './index.js'

export default tenantry
export const {
  // webhooks
  Webhook,
  generateSecret,
  generateKeypair,
  // settings
  SettingsSchema,
  mergePatch,
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
