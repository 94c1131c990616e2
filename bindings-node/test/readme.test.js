'use strict'
// Runs every ```js block of README.md, so the quickstart stays runnable as written.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```/gm)].map((m) => m[1])

test('README has Node examples', () => assert.ok(blocks.length > 0))

const quiet = { ...console, log() {}, assert: console.assert }
for (const [i, source] of blocks.entries()) {
  test(`README js block ${i + 1}: ${source.split('\n')[0].slice(0, 50)}`, () => {
    // `require` here resolves "tenantry" to this package (package self-reference).
    new Function('require', 'console', source)(require, quiet)
  })
}
