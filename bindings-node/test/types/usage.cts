// Type-checks the README's Node examples through `require("tenantry")`.
import tenantry = require('tenantry')

const secret: string = tenantry.generateSecret()
const wh = new tenantry.Webhook(secret)
const headers: tenantry.SignedHeaders = wh.sign('msg_1', Buffer.from('{}'))
try {
  wh.verify('{}', { ...headers }, { tolerance: 300, now: new Date() })
} catch (err) {
  if (err instanceof tenantry.WebhookVerificationError) {
    const code: string = err.code
    void code
  }
}
