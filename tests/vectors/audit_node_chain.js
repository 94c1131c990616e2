'use strict'
// Builds and seals a small audit chain with the npm package and prints it as JSON.
// generate_audit.py embeds the output in audit.json ("chain sealed in Node verifies"), so the Rust
// and Python suites verify a chain that Node sealed; the Node suite re-runs this and checks the
// vector still matches byte for byte.

const { audit } = require('../../bindings-node')

function sealNodeChain() {
  const key = { id: 'node-k1', secret: 'sealed-by-node-32-bytes-secret!!' }
  const sealKey = new audit.SealKey(key.id, key.secret)
  const inputs = [
    {
      action: 'user.login',
      actor: { type: 'user', id: 'u_1', email: 'ada@example.com', ip: '203.0.113.9', userAgent: 'Mozilla/5.0' },
    },
    {
      action: 'setting.updated',
      actor: { type: 'user', id: 'u_1', role: 'admin', ip: '2001:db8::1' },
      tenantId: 't_1',
      target: { type: 'setting', id: 'billing' },
      before: { rate: 0.1, currency: '€', smtp_password: 'old' },
      after: { rate: 1e-7, currency: 'GBP 😀', smtp_password: 'new', limit: 1e21 },
      metadata: { via: 'console', nested: { ok: true, n: 333333333.3333333 } },
    },
    {
      action: 'report.downloaded',
      actor: { type: 'api_key', id: 'key_9' },
      tenantId: 't_1',
      outcome: 'failure',
      reason: 'report expired',
      requestId: 'req_77',
      retentionDays: null,
    },
  ]
  let previous = null
  const records = inputs.map((options, i) => {
    const record = audit.build({ ...options, id: `node_evt_${i}`, occurredAt: 1_700_000_000.25 + 60 * i })
    const sealed = audit.seal(record, previous, sealKey)
    previous = sealed.hash
    return sealed
  })
  return { key, records }
}

module.exports = { sealNodeChain }

if (require.main === module) {
  process.stdout.write(JSON.stringify(sealNodeChain()) + '\n')
}
