'use strict'
// Tour: build audit records with masked diffs, chain and seal them, catch tampering, export.

const { audit } = require('tenantry')

const key = new audit.SealKey('2025-01', Buffer.from('load this from your secret store'))
const admin = { type: 'user', id: 'u_1', email: 'ada@example.com', ip: '203.0.113.9' }

const updated = audit.build({
  action: 'setting.updated',
  actor: admin,
  tenantId: 't_1',
  target: { type: 'settings', id: 't_1' },
  before: { theme: 'light', smtp: { host: 'mail.example.com', password: 'old' } },
  after: { theme: 'dark', smtp: { host: 'mail.example.com', password: 'new' } },
})
for (const change of updated.changes) console.log('audit:', change.path, change.before, '->', change.after)

const login = audit.build({ action: 'user.login', actor: admin, tenantId: 't_1' })
const first = audit.seal(login, null, key)
const second = audit.seal(updated, first.hash, key)
// Build and seal in one call (the same record as seal(build(...)), a little faster):
const third = audit.buildSealed({ action: 'user.logout', actor: admin, tenantId: 't_1' }, second.hash, key)
const chain = [first, second, third]
console.log('audit: chain ok =', audit.verifyChain(chain, key).ok)

chain[1].actor.ip = '198.51.100.7'
const report = audit.verifyChain(chain, key)
console.log('audit: after an edit -> index', report.index, 'reason', report.reason)

console.log('audit: CSV has', audit.toCsv(chain).trim().split('\r\n').length, 'lines')
console.log('audit: OCSF class', audit.toOcsf(chain[1]).class_name)
console.log('audit: stats', audit.summarize(chain).by_action)
