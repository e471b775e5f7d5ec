"""Batch throughput (issue 7): the bundled sample copied N times, run as

* a plain sequential loop of papermill runs (`workbench.run` per document, one process),
* `auditlib batch` with 1 worker,
* `auditlib batch` with 2 workers,

printed as ratios; and the per-department amortized time of the 2-worker batch against one
`auditlib check` of the same document (a fresh process, as a user runs it).

    .venv/bin/python bench/bench_batch.py [--copies 8]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=8)
    args = ap.parse_args()
    from auditlib.workbench import runner
    from auditlib.batch.runner import run_batch

    with tempfile.TemporaryDirectory(prefix="auditlib-bench-") as tmp:
        tmp = Path(tmp)
        inputs = tmp / "in"
        inputs.mkdir()
        docs = [shutil.copy(SAMPLE, inputs / f"nanchang-{i:03d}.txt") for i in range(args.copies)]
        n = len(docs)

        # warm-up (imports, first kernel start) so no variant pays it alone
        runner.run(docs[0], tmp / "warm")

        t = time.perf_counter()
        for d in docs:
            runner.run(d, tmp / "seq")
        seq = time.perf_counter() - t

        times = {}
        for w in (1, 2):
            t = time.perf_counter()
            s = run_batch([inputs], tmp / f"batch{w}", workers=w, progress=False, force=True)
            times[w] = time.perf_counter() - t
            assert len(s.ok) == n, [o.reason for o in s.failed]

        t = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "auditlib"), "check", str(SAMPLE)], capture_output=True)
        single = time.perf_counter() - t

    print(f"{n} departments (bundled sample copied {n} times)")
    print(f"  sequential papermill loop : {seq:7.1f} s  ({seq / n:.2f} s/dept)")
    print(f"  batch, 1 worker           : {times[1]:7.1f} s  ({times[1] / n:.2f} s/dept)")
    print(f"  batch, 2 workers          : {times[2]:7.1f} s  ({times[2] / n:.2f} s/dept)")
    print(f"  2 workers vs 1 worker     : {times[1] / times[2]:.2f}x faster")
    print(f"  2 workers vs sequential   : {seq / times[2]:.2f}x faster")
    print(f"  1 worker vs sequential    : {seq / times[1]:.2f}x")
    print(f"  one `auditlib check`      : {single:7.2f} s")
    print(f"  amortized per department (2 workers) / one check: {times[2] / n / single:.2f}")


if __name__ == "__main__":
    sys.exit(main())
