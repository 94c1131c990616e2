'use strict'
// Runs tests/vectors/webhooks.json against the npm package.

const { test } = require('node:test')
const { Webhook } = require('..')
const { loadVectors, payload, checkCase } = require('./helpers')

function run(op, input) {
  switch (op) {
    case 'standard.sign':
      return new Webhook(input.secrets).sign(input.msg_id, payload(input), input.timestamp)
    case 'standard.verify':
      return new Webhook(input.secrets).verify(payload(input), input.headers, {
        tolerance: input.tolerance,
        now: input.now,
      })
    default:
      throw new Error(`unknown op ${op}`)
  }
}

for (const c of loadVectors('webhooks')) {
  test(`vector: ${c.name}`, () => checkCase(c, (input) => run(c.op, input)))
}
