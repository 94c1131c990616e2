'use strict'
// Tour: seed 004's system settings registry from one JSON Schema: 16 defaults in 7 categories,
// public rows, an admin update by key with an etag, a refused update, a migration.

const fs = require('node:fs')
const path = require('node:path')
const { SettingsSchema, SettingsValidationError } = require('tenantry')

const schema = new SettingsSchema(fs.readFileSync(path.join(__dirname, '..', 'schemas', 'system_settings.json'), 'utf8'))
const defaults = schema.defaults()
console.log('settings:', Object.keys(defaults).length, 'defaults; app_name =', defaults.app_name)
console.log('settings: public rows', schema.entries(defaults, 'public').map((row) => row.key))

const stored = {}
const updated = schema.set(stored, 'smtp_port', 2525, { role: 'admin', expectedEtag: schema.etag(stored) })
console.log('settings: changes', JSON.stringify(updated.changes))

try {
  schema.set(updated.overrides, 'enable_audit_logging', false, { role: 'admin' })
} catch (err) {
  if (err instanceof SettingsValidationError) console.log('settings: refused', err.errors[0].path, err.errors[0].code)
}

const migrated = schema.migrate({ smtp_port: 0, legacy_theme: 'dark' })
console.log('settings: migration dropped', migrated.dropped, 'reset', migrated.reset.map((r) => r.path))
