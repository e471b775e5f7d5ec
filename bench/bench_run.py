"""Time `auditlib run` against `auditlib check` and a bare papermill run (issue 6).

For each input (default: the bundled Nanchang text sample and its Chromium PDF rendering) this
times, as separate processes, taking turns within every round, best of N rounds after a warm-up:

* `auditlib check INPUT --format json`           (read + rules + JSON),
* `auditlib run INPUT --out TMP`                 (read + rules + papermill + nbconvert HTML),
* `papermill empty.ipynb out.ipynb`              (a bare papermill run of a one-cell notebook).

and prints the workbench's own cost, (run - check), against the bare papermill run.
Goal: run - check <= bare papermill + 2.5 s.

    .venv/bin/python bench/bench_run.py [--rounds 3] [INPUT ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT = [REPO / "params" / "nanchang-bigdata-2021.yaml", REPO / "params" / "nanchang-bigdata-2021-chromium.yaml"]


def timed(cmd: list[str], ok=(0, 1)) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return dt


def empty_notebook(folder: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "empty.ipynb"
    nbformat.write(nb, path)
    return path


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    from auditlib.workbench.params import resolve_params

    inputs = args.inputs or [p for p in DEFAULT if p.exists()]
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        tmp = Path(tmp)
        empty = empty_notebook(tmp)
        bare_cmd = [str(BIN / "papermill"), "--no-progress-bar", "--log-level", "ERROR", str(empty), str(tmp / "out.ipynb")]
        print(f"{'input':40} {'check s':>8} {'run s':>7} {'bare pm s':>9} {'run-check':>9} {'-bare':>7} "
              f"{'run/check':>9}  goal: run-check <= bare + 2.5 s")
        worst = -1e9
        for inp in inputs:
            source = str(resolve_params(inp).source)
            fns = {"check": [str(BIN / "auditlib"), "check", source, "--format", "json"],
                   "run": [str(BIN / "auditlib"), "run", str(inp), "--out", str(tmp / "reports")],
                   "bare": bare_cmd}
            for cmd in fns.values():  # warm-up: disk cache, .pyc, JIT-less JVM start is in every round
                timed(cmd)
            best = {k: float("inf") for k in fns}
            for _ in range(args.rounds):
                for k, cmd in fns.items():
                    best[k] = min(best[k], timed(cmd))
            extra = best["run"] - best["check"]
            over = extra - best["bare"]
            worst = max(worst, over)
            print(f"{inp.name:40} {best['check']:>8.2f} {best['run']:>7.2f} {best['bare']:>9.2f} {extra:>9.2f} "
                  f"{over:>+7.2f} {best['run'] / best['check']:>8.1f}x  {'ok' if over <= 2.5 else 'OVER'}")
        print(f"worst (run - check) - bare papermill: {worst:+.2f} s (goal <= +2.50 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
