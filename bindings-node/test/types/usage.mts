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

// audit
import { audit, AuditError } from 'tenantry'

const sealKey = new audit.SealKey('k1', 'a-seal-key-of-at-least-16-bytes')
let previous: string | null = null
const chain: audit.AuditRecord[] = []
for (const action of ['user.login', 'user.logout']) {
  const record = audit.build({ action, actor: { type: 'user', id: 'u_1' }, occurredAt: 1_700_000_000 })
  const s = audit.seal(record, previous, sealKey)
  previous = s.hash ?? null
  chain.push(s)
}
const result = audit.verifyChain(chain, sealKey)
const index: number | null = result.index
const lines: string = audit.toJsonl(chain) + audit.canonicalJson({ b: 1, a: [true] })
const cutoff: string = audit.retentionCutoff(Date.now() / 1000, 90)
void [index, lines, cutoff]
try {
  audit.verifyChain('not json')
} catch (err) {
  if (err instanceof AuditError) console.log(err.errors)
}
