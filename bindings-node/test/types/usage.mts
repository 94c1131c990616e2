// Type-checks the README's Node examples through `import { … } from "tenantry"`.
import { Webhook, WebhookVerificationError, generateKeypair, type SignedHeaders } from 'tenantry'

const [signingKey, publicKey]: [string, string] = generateKeypair()
const signer = new Webhook(signingKey)
const headers: SignedHeaders = signer.sign('msg_1', new Uint8Array([1, 2, 3]), 1_700_000_000)
try {
  new Webhook([publicKey]).verify(new Uint8Array([1, 2, 3]), { ...headers }, { now: 1_700_000_000 })
} catch (err) {
  if (err instanceof WebhookVerificationError) console.log(err.code)
}
