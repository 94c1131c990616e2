'use strict'
// Timing shared by every Node bench module (see run.js for the module interface).

// Times every implementation in `impls` in interleaved batches of `inner` calls (so a busy machine
// slows them alike) and keeps, per implementation, the best batch: µs per call.
function bestUs(impls, { batches = 60, inner = 1000, warmup = 20000 } = {}) {
  const names = Object.keys(impls)
  let sink = 0
  for (const name of names) for (let i = 0; i < warmup; i++) sink ^= impls[name]() ? 1 : 0
  const best = Object.fromEntries(names.map((n) => [n, Infinity]))
  for (let b = 0; b < batches; b++) {
    for (const name of names) {
      const fn = impls[name]
      const start = process.hrtime.bigint()
      for (let i = 0; i < inner; i++) sink ^= fn() ? 1 : 0
      const us = Number(process.hrtime.bigint() - start) / inner / 1000
      if (us < best[name]) best[name] = us
    }
  }
  if (sink === 42) console.log('') // keeps the results alive
  return best
}

// Prints rows as `operation  peer  tenantry  peer  ratio` (ratio = peer / tenantry); a row without
// a peer has peer name '-' and peer time null.
function printTable(title, rows, notes = []) {
  const width = Math.max('operation'.length, ...rows.map((r) => r[0].length))
  const peerWidth = Math.max('peer'.length, ...rows.map((r) => r[1].length))
  const us = (x) => x.toFixed(3).padStart(9)
  console.log(`\n${title}`)
  console.log(`${'operation'.padEnd(width)}  ${'peer'.padEnd(peerWidth)} ${'tenantry'.padStart(9)} ${'peer'.padStart(9)} ${'ratio'.padStart(8)}`)
  for (const [op, peer, ours, theirs] of rows) {
    const peerUs = theirs == null ? '-'.padStart(9) : us(theirs)
    const ratio = theirs == null ? '-' : `${(theirs / ours).toFixed(2)}x`
    console.log(`${op.padEnd(width)}  ${peer.padEnd(peerWidth)} ${us(ours)} ${peerUs} ${ratio.padStart(8)}`)
  }
  for (const note of notes) console.log(note)
}

module.exports = { bestUs, printTable }
