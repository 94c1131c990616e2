"""Timing shared by every Python bench module (see run.py for the module interface)."""

from __future__ import annotations

import timeit
from typing import Callable, Dict, Iterable, Optional, Sequence, Tuple

#: One table row: (operation, peer name, tenantry µs per call, peer µs per call). An operation
#: without a peer has peer name "-" and peer time None.
Row = Tuple[str, str, float, Optional[float]]


def best_us(impls: Dict[str, Callable[[], object]], repeat: int = 40, number: int = 2000) -> Dict[str, float]:
    """Best µs per call of each implementation over `repeat` interleaved timeit runs of `number`
    calls (interleaved so a busy machine slows them alike; the best run is the least disturbed)."""
    timers = {name: timeit.Timer(fn) for name, fn in impls.items()}
    for timer in timers.values():
        timer.timeit(number)  # warm-up
    best = {name: float("inf") for name in impls}
    for _ in range(repeat):
        for name, timer in timers.items():
            best[name] = min(best[name], timer.timeit(number) / number * 1e6)
    return best


def print_table(title: str, rows: Iterable[Row], notes: Sequence[str] = ()) -> None:
    """Prints rows as `operation  peer  tenantry  peer  ratio` (ratio = peer / tenantry)."""
    rows = list(rows)
    width = max([len("operation")] + [len(r[0]) for r in rows])
    peer_width = max([len("peer")] + [len(r[1]) for r in rows])
    print(f"\n{title}")
    print(f"{'operation':<{width}}  {'peer':<{peer_width}} {'tenantry':>9} {'peer':>9} {'ratio':>8}")
    for op, peer, ours, theirs in rows:
        peer_us = f"{theirs:>9.3f}" if theirs is not None else f"{'-':>9}"
        ratio = f"{theirs / ours:>7.2f}x" if theirs is not None else f"{'-':>8}"
        print(f"{op:<{width}}  {peer:<{peer_width}} {ours:>9.3f} {peer_us} {ratio}")
    for note in notes:
        print(note)
