"""What the benches share: the best time of candidates that take turns."""

from __future__ import annotations

import time


def interleaved(fns: dict[str, object], rounds: int = 9) -> dict[str, float]:
    """Best time of each function over `rounds` rounds, the functions taking turns
    within every round, after a warm-up round: caches and the JVM's JIT warm up over the
    first calls, and a busy moment of the machine hits every candidate alike, so running one
    candidate's repeats before the other's would favour whichever runs second."""
    for fn in fns.values():
        fn()
    best = {name: float("inf") for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best
