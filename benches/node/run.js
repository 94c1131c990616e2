'use strict'
// `make bench` for Node: ONE table (operation, peer, tenantry, peer, ratio) from one run, covering
// every capability's benchmark.
//
// Module interface (to add a capability, drop `benches/node/<cap>.js` next to this file):
// - `rows()` returns (or resolves to, for modules that must `import()` an ES module) an array of `[operation, peer, tenantryUs, peerUs]`: µs per call of tenantry
//   and of the peer doing the same work. Name the operation `"<cap> <operation>"` (e.g.
//   `"webhooks verify (1 KB)"`); one row per (operation, peer); an operation without a peer is
//   `[operation, '-', tenantryUs, null]`. Check that tenantry and the peer
//   agree on the inputs before timing them, and time them with `_timing.bestUs` (best of
//   interleaved batches) so every row uses the same statistic.
// - optional `NOTES`: lines printed under the table (targets, what the peer is).
// - a module can run alone: `if (require.main === module) printTable(TITLE, rows(), NOTES)`.
// Every `*.js` here except this file and `_*.js` is a bench module, run in name order.
// Run after `make addon`: `node benches/node/run.js [cap ...]`.

const fs = require('node:fs')
const path = require('node:path')
const { printTable } = require('./_timing.js')

async function main(only) {
  const names = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && f !== 'run.js' && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort()
    .filter((name) => only.length === 0 || only.includes(name))
  const rows = []
  const notes = []
  for (const name of names) {
    const mod = require(path.join(__dirname, `${name}.js`))
    rows.push(...(await mod.rows()))
    notes.push(...(mod.NOTES || []))
  }
  printTable(
    `Node ${process.version}: µs per call, best of interleaved batches (${names.join(', ')})`,
    rows,
    ['(ratio = peer / tenantry: how many times faster tenantry is)', ...notes],
  )
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err)
  process.exit(1)
})
