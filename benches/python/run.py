"""`make bench` for Python: ONE table (operation, peer, tenantry, peer, ratio) from one run,
covering every capability's benchmark.

Module interface (to add a capability, drop `benches/python/<cap>.py` next to this file):

- `rows() -> Iterable[Row]`, `Row = (operation, peer, tenantry_us, peer_us)` (`_timing.Row`):
  µs per call of tenantry and of the peer doing the same work. Name the operation
  `"<cap> <operation>"` (e.g. `"webhooks verify"`); one row per (operation, peer); an operation
  without a peer is `(operation, "-", tenantry_us, None)`. Check that
  tenantry and the peer agree on the inputs before timing them, and time them with
  `_timing.best_us` (best of interleaved timeit runs) so every row uses the same statistic.
- optional `NOTES: Sequence[str]`: lines printed under the table (targets, what the peer is).
- a module can run alone: `if __name__ == "__main__": _timing.print_table(TITLE, rows(), NOTES)`.

Every `*.py` here except this file and `_*.py` is a bench module, run in name order.
Run after `make wheel`: `.venv/bin/python benches/python/run.py [cap ...]`.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import List

from _timing import Row, print_table

HERE = Path(__file__).resolve().parent


def main(only: List[str]) -> None:
    names = sorted(p.stem for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_"))
    rows: List[Row] = []
    notes: List[str] = []
    for name in names:
        if only and name not in only:
            continue
        module = importlib.import_module(name)
        rows.extend(module.rows())
        notes.extend(getattr(module, "NOTES", ()))
    version = ".".join(map(str, sys.version_info[:3]))
    print_table(
        f"Python {version}: µs per call, best of interleaved timeit runs ({', '.join(only or names)})",
        rows,
        ["(ratio = peer / tenantry: how many times faster tenantry is)", *notes],
    )


if __name__ == "__main__":
    main(sys.argv[1:])
