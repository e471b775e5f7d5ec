"""What the batch's time limit per task costs (issue 24), measured in one run on the batch's own
pool (`auditlib.batch.pools.DaskPool`, local workers), best of `--rounds` (interleaved, so a
busy moment of the machine hits both variants):

* per department, when nothing times out: `--tasks` `read` tasks of the bundled sample (a check
  and its CheckResult sent back; the notebook, ~4 s more per department, would hide the cost) on
  2 workers with a 900 s limit against the same without a limit, as a ratio;
* a time-out: one worker reads the unruled print of the sample (tabula's JVM, ~15 s) under a
  `--limit` s limit; how long after the limit the batch has it given up, its worker killed by
  the nanny and a fresh worker joined, and the first read on that fresh worker against a read
  on a warm one (its imports), as a ratio.

    .venv/bin/python bench/bench_timeout.py [--rounds 3] [--tasks 12] [--limit 2]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from auditlib.batch.limits import DEFAULT_TIMEOUT
from auditlib.batch.pools import DaskPool
from auditlib.workbench.params import SAMPLE, resolve_params

UNRULED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "nanchang-bigdata-2021.unruled.pdf"


def reads(pool: DaskPool, job: dict, n: int, limit: float | None) -> float:
    """Seconds for `n` read tasks through `pool`, as many in flight as it has workers."""
    t = time.perf_counter()
    sent = done = 0
    while done < n:
        while sent < n and pool.free():
            pool.submit((f"d{sent}", "read"), "read", job, limit=limit)
            sent += 1
        _, value = pool.next()
        assert value["ok"], value
        done += 1
    return time.perf_counter() - t


def one_read(pool: DaskPool, job: dict) -> float:
    return reads(pool, job, 1, None)


def time_out(pool: DaskPool, slow: dict, job: dict, limit: float) -> tuple[float, float]:
    """(seconds past `limit` until the slow read is given up and its worker replaced, seconds of
    the next read after it)."""
    t = time.perf_counter()
    pool.submit(("slow", "read"), "read", slow, limit=limit)
    _, value = pool.next()
    late = time.perf_counter() - t - limit
    assert not value["ok"] and value["reason"].startswith("超时"), value
    return late, one_read(pool, job)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tasks", type=int, default=12)
    ap.add_argument("--limit", type=float, default=2.0)
    args = ap.parse_args()
    job = {"params": resolve_params(SAMPLE)}
    slow = {"params": resolve_params(UNRULED)}

    pool = DaskPool(workers=2)
    reads(pool, job, 2, None)  # each worker reads the sample once (imports, the read cache)
    limited, unlimited = [], []
    for _ in range(args.rounds):
        unlimited.append(reads(pool, job, args.tasks, None))
        limited.append(reads(pool, job, args.tasks, DEFAULT_TIMEOUT))
    pool.close()

    pool = DaskPool(workers=1)
    cold = one_read(pool, job)
    warm, late, after = [], [], []
    for _ in range(args.rounds):
        warm.append(one_read(pool, job))
        given_up, next_read = time_out(pool, slow, job, args.limit)
        late.append(given_up)
        after.append(next_read)
    pool.close()

    lim, unl, w = min(limited), min(unlimited), min(warm)
    print(f"{args.tasks} reads of the sample on 2 workers, best of {args.rounds}")
    print(f"  {'no limit':<18}: {unl:6.2f} s  ({unl / args.tasks:.3f} s/task)")
    print(f"  {f'limit {DEFAULT_TIMEOUT:g} s':<18}: {lim:6.2f} s  ({lim / args.tasks:.3f} s/task)")
    print(f"  {'limit / no limit':<18}: {lim / unl:.3f}x")
    print(f"a read timed out at {args.limit:g} s on 1 worker, best of {args.rounds}")
    print(f"  given up, its worker killed and replaced: {min(late):5.2f} s after the limit")
    print(f"  a read on a warm worker: {w:5.2f} s; on the first worker of a new pool: {cold:5.2f} s; "
          f"the first read after the time-out: {min(after):5.2f} s ({min(after) / w:.1f}x a warm read)")

if __name__ == "__main__":
    main()
