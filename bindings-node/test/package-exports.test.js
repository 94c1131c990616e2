'use strict'
// What `exports` in package.json lets callers load: the entry (CommonJS and ESM) and package.json
// itself, which tools read for the version (`require('tenantry/package.json')`); without it
// listed, `exports` hid it (ERR_PACKAGE_PATH_NOT_EXPORTED). A package may load itself by its name,
// through its own `exports`, as callers do.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')

test("package.json is exported, to require and to import", async () => {
  assert.equal(require.resolve('tenantry/package.json'), path.join(ROOT, 'package.json'))
  assert.equal(require('tenantry/package.json').name, 'tenantry')
  const imported = await import('tenantry/package.json', { with: { type: 'json' } })
  assert.equal(imported.default.version, require('../package.json').version)
})

test('the entry points are the ones exported, and nothing else of the package is', async () => {
  assert.equal(require('tenantry'), require('..'))
  assert.equal((await import('tenantry')).default, require('..'))
  assert.throws(() => require.resolve('tenantry/js/options.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' })
})
