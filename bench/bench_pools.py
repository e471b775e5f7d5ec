"""The hand-written local pool (bench/handwritten_pool.py) against `distributed.LocalCluster`
as the batch starts it (`auditlib.batch.pools.DaskPool`) (issue 13): is the Dask cluster's
start-up cost small enough to replace the pool?

Measured in one run, best of `--rounds`, on the bundled sample:

* start-up: from nothing to every one of `--workers` workers having answered a first task
  (a `read` of a missing file: the worker imports the task module, nothing is read), then
  closed;
* per-department overhead: `--tasks` `read` tasks of the sample (the worker keeps the read
  report, so each is a check plus the CheckResult sent back, as in a batch), per task, minus
  the same check in this process: what the pool itself costs per task.

    .venv/bin/python bench/bench_pools.py [--workers 2] [--rounds 3] [--tasks 12]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from auditlib.batch.pools import DaskPool
from auditlib.workbench.params import SAMPLE, resolve_params
from auditlib.workbench.results import check_run, read_once
from handwritten_pool import LocalPool  # bench/: the script's folder is on sys.path


def drain(pool, n: int) -> None:
    for _ in range(n):
        _, value = pool.next()
        assert "ok" in value, value


def round_trip(pool, job: dict, n: int, window: int) -> None:
    """`n` read tasks through `pool`, at most `window` in flight."""
    sent = done = 0
    while done < n:
        while sent < n and pool.free() and sent - done < window:
            pool.submit((f"d{sent}", "read"), "read", job)
            sent += 1
        drain(pool, 1)
        done += 1


def measure(make, workers: int, tasks: int, job: dict) -> tuple[float, float]:
    """(start-up + close seconds, seconds per task) of one pool."""
    t = time.perf_counter()
    pool = make()
    for i in range(workers):
        pool.submit((f"w{i}", "read"), "read", {"params": job["missing"]})
    drain(pool, workers)
    startup = time.perf_counter() - t
    round_trip(pool, {"params": job["params"]}, workers, workers)  # each worker reads the sample once
    t = time.perf_counter()
    round_trip(pool, {"params": job["params"]}, tasks, workers)
    per_task = (time.perf_counter() - t) / tasks * workers  # wall time per task per worker
    t = time.perf_counter()
    pool.close()
    return startup + (time.perf_counter() - t), per_task


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tasks", type=int, default=12)
    args = ap.parse_args()
    params = resolve_params(SAMPLE)
    missing = resolve_params(SAMPLE)
    missing.source = Path("/nonexistent/auditlib-bench.txt")
    job = {"params": params, "missing": missing}
    report = read_once(params.source)
    t = time.perf_counter()
    for _ in range(5):
        check_run(report, params.tolerance)
    in_process = (time.perf_counter() - t) / 5

    results = {"LocalPool": [], "LocalCluster": []}
    for _ in range(args.rounds):  # interleaved, so a busy moment of the machine hits both
        results["LocalPool"].append(measure(lambda: LocalPool(args.workers), args.workers, args.tasks, job))
        results["LocalCluster"].append(measure(lambda: DaskPool(workers=args.workers), args.workers, args.tasks, job))
    best = {k: (min(s for s, _ in v), min(p for _, p in v)) for k, v in results.items()}
    print(f"{args.workers} workers, {args.tasks} read tasks of the bundled sample, best of {args.rounds} rounds; "
          f"the same check in this process: {in_process * 1000:.0f} ms")
    for k, (startup, per_task) in best.items():
        print(f"  {k:<13} start-up + close {startup:6.2f} s   per task {per_task * 1000:6.0f} ms   "
              f"overhead per task {(per_task - in_process) * 1000:6.0f} ms")
    (ls, lp), (ds, dp) = best["LocalPool"], best["LocalCluster"]
    print(f"  LocalCluster / LocalPool: start-up {ds / ls:.2f}x, per task {dp / lp:.2f}x, "
          f"overhead per task {(dp - in_process) / max(lp - in_process, 1e-9):.2f}x")


if __name__ == "__main__":
    main()
