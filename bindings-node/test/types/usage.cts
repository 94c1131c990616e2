// Type-checks the README's Node examples through `require("tenantry")`.
import tenantry = require('tenantry')

const secret: string = tenantry.generateSecret()
const wh = new tenantry.Webhook(secret)
const headers: tenantry.SignedHeaders = wh.sign('msg_1', Buffer.from('{}'))
try {
  wh.verify('{}', { ...headers }, { tolerance: 300, now: new Date() })
  // Node's req.headers (IncomingHttpHeaders) and fetch's Headers are accepted as they are.
  const incoming: import('node:http').IncomingHttpHeaders = { ...headers }
  wh.verify(Buffer.from('{}'), incoming)
  wh.verify('{}', new Headers(Object.entries(headers)), null)
  wh.verify('{}', new Map(Object.entries(headers)))
} catch (err) {
  if (err instanceof tenantry.WebhookVerificationError) {
    const code: string = err.code
    void code
  }
}
