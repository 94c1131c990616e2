"""`make bench` for Rust: ONE table (operation, peer, tenantry, peer, ratio) built from the
criterion results of every bench target measured in this run.

Bench target interface (to add a capability: `benches/rust/<cap>.rs`, declared in
core/Cargo.toml as a `[[bench]]` with `harness = false`; `make bench` runs every bench target):

- Name each benchmark `<cap>/<operation>/<implementation>`: `tenantry` for ours, the peer's name
  for the same work done by a peer (e.g. `webhooks/verify (1 KB)/tenantry` and
  `webhooks/verify (1 KB)/bare hmac+sha2+base64`). An operation with only a `tenantry` benchmark is
  listed with peer `-`. Check that tenantry and the peer agree on the inputs before timing them.
- Keep the run short: criterion warm-up 1 s, measurement 2-3 s per benchmark.
- Lines the target prints that start with `note: ` are shown under the table (targets, caveats).

The time shown is the best per-iteration time among the samples criterion saved (the least
disturbed by other processes: the statistic the Python and Node tables use too). Only results
written after `--since FILE` (a stamp touched before `cargo bench`) are used.

Usage: python benches/rust/table.py CRITERION_DIR [--since STAMP] [--log CARGO_BENCH_OUTPUT]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple


def best_ns(sample: Path) -> Optional[float]:
    doc = json.loads(sample.read_text())
    times = [t / n for n, t in zip(doc["iters"], doc["times"]) if n]
    return min(times) if times else None


def collect(criterion: Path, since: float) -> Dict[Tuple[str, str], Dict[str, float]]:
    """(capability, operation) -> implementation -> best ns, in the order they were measured."""
    found: Dict[Tuple[str, str], Dict[str, float]] = {}
    measured = [
        (meta.parent / "sample.json").stat().st_mtime
        if (meta.parent / "sample.json").exists() else -1.0
        for meta in criterion.rglob("new/benchmark.json")
    ]
    for mtime, meta in sorted(zip(measured, criterion.rglob("new/benchmark.json"))):
        sample = meta.parent / "sample.json"
        if mtime < since:
            continue
        parts = json.loads(meta.read_text())["full_id"].split("/")
        if len(parts) < 3:
            print(f"table.py: ignoring {'/'.join(parts)!r}: not <cap>/<operation>/<implementation>", file=sys.stderr)
            continue
        ns = best_ns(sample)
        if ns is not None:
            found.setdefault((parts[0], "/".join(parts[1:-1])), {})[parts[-1]] = ns
    return found


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("criterion", type=Path)
    ap.add_argument("--since", type=Path)
    ap.add_argument("--log", type=Path)
    args = ap.parse_args()
    since = args.since.stat().st_mtime if args.since else 0.0
    found = collect(args.criterion, since)
    rows: List[Tuple[str, str, float, Optional[float]]] = []
    for (cap, op), impls in sorted(found.items(), key=lambda kv: kv[0][0]):  # stable: run order per cap
        ours = impls.get("tenantry")
        if ours is None:
            continue
        peers = [(name, ns) for name, ns in impls.items() if name != "tenantry"]
        for peer, ns in peers or [("-", None)]:
            rows.append((f"{cap} {op}", peer, ours, ns))
    if not rows:
        sys.exit("table.py: no criterion results from this run")
    width = max(len("operation"), *(len(r[0]) for r in rows))
    peer_width = max(len("peer"), *(len(r[1]) for r in rows))
    print("\nRust: µs per call, best criterion sample")
    print(f"{'operation':<{width}}  {'peer':<{peer_width}} {'tenantry':>9} {'peer':>9} {'ratio':>8}")
    for op, peer, ours, theirs in rows:
        peer_us = f"{theirs / 1000:>9.4f}" if theirs is not None else f"{'-':>9}"
        ratio = f"{theirs / ours:>7.2f}x" if theirs is not None else f"{'-':>8}"
        print(f"{op:<{width}}  {peer:<{peer_width}} {ours / 1000:>9.4f} {peer_us} {ratio}")
    print("(ratio = peer / tenantry: how many times faster tenantry is)")
    if args.log and args.log.exists():
        for line in args.log.read_text().splitlines():
            if line.startswith("note: "):
                print(line[len("note: ") :])


if __name__ == "__main__":
    main()
