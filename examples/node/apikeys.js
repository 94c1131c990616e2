'use strict'
// Tour: issue an API key, store its record, verify it on the request path, rotate peppers, roll it.

const crypto = require('node:crypto')
const { ApiKeys } = require('tenantry')

const pepper = crypto.randomBytes(32) // from your secret store in real life
const keys = new ApiKeys({ prefix: 'tk', peppers: { p1: pepper } })

const issued = keys.generate({ scopes: ['webhooks:write', 'settings:*'], name: 'CI deploy' })
console.log('apikeys: issued  ', issued.record.masked, `(key id ${issued.record.keyId})`)
const db = new Map([[issued.record.keyId, issued.record]]) // the token itself is never stored

const token = issued.token // what the client sends, e.g. in Authorization: Bearer ...
const record = db.get(keys.parse(token).keyId) ?? null
const verdict = keys.verify(token, record, { requiredScopes: ['settings:read'] })
console.log('apikeys: verify   ->', verdict.code, 'touch:', verdict.touch)

const typo = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a')
console.log('apikeys: typo     ->', keys.verify(typo, null).code)
const denied = keys.verify(token, record, { requiredScopes: ['audit:read'] })
console.log('apikeys: audit    ->', denied.code, 'missing', denied.missingScopes)

const rotated = new ApiKeys({ prefix: 'tk', peppers: { p1: pepper, p2: crypto.randomBytes(32) }, currentPepper: 'p2' })
const { rehash } = rotated.verify(token, record)
if (rehash) {
  db.set(issued.record.keyId, { ...record, ...rehash })
  console.log('apikeys: rehash   -> stored under pepper', rehash.pepperId)
}

const rolled = keys.roll(issued.record, { grace: 3600 })
console.log('apikeys: rolled  ', rolled.previous.masked, '->', rolled.record.masked)
console.log('apikeys: scanning pattern', keys.secretScanningPattern())
