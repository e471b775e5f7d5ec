"""What error localization (auditlib.rules.localize, issue 25) adds to `check`.

For the bundled sample, the matrix renderings (tests/fixtures/matrix: PDFs and their text
forms) and generated reports with one planted table error each, this times in one process
the whole check — reading the document and running the catalog — with the catalog as it is
and with its localization entries left out, the two taking turns within every round, best of
N rounds after a warm-up.  Ratios (with / without) per input and overall; the goal is at most
1.10.  The catalog alone (the document read once) is timed the same way and shown beside it.

    .venv/bin/python bench/bench_localize.py [--rounds N] [--planted N] [INPUT ...]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from auditlib.ingest import read_report  # noqa: E402
from auditlib.rules import load_catalog  # noqa: E402
from auditlib.rules.context import Settings  # noqa: E402
from auditlib.rules.runner import run  # noqa: E402
from timing import interleaved  # noqa: E402  (bench/: the script's folder is on sys.path)

SAMPLE = REPO / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"
MATRIX = REPO / "tests" / "fixtures" / "matrix"


def planted(count: int, folder: Path) -> list[Path]:
    """Generated reports, each with one table error (total, hierarchy, cross-table, transposed)."""
    from tests.synth import generate, inject

    kinds = ("total", "hierarchy", "cross_table", "transposed")
    return [inject(generate(seed), kinds[seed % 4], random.Random(seed)).report.write(folder / f"planted-{seed}.txt")
            for seed in range(count)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--planted", type=int, default=12)
    args = parser.parse_args(argv)
    full = load_catalog()
    without = [r for r in full if r.check != "localize"]
    with tempfile.TemporaryDirectory() as tmp:
        paths = args.inputs or [SAMPLE, *sorted(MATRIX.glob("*.pdf")), *sorted(MATRIX.glob("*.txt")),
                                *planted(args.planted, Path(tmp))]
        print(f"{'input':<44} {'check with':>10} {'without':>9} {'ratio':>6}   {'rules with':>10} {'without':>9} {'ratio':>6}")
        totals = [0.0] * 4
        for path in paths:
            report = read_report(path)
            whole = interleaved({"with": lambda: run(read_report(path), full, Settings()),
                          "without": lambda: run(read_report(path), without, Settings())}, args.rounds)
            rules = interleaved({"with": lambda: run(report, full, Settings()),
                          "without": lambda: run(report, without, Settings())}, args.rounds)
            row = [whole["with"], whole["without"], rules["with"], rules["without"]]
            totals = [a + b for a, b in zip(totals, row)]
            print(f"{path.name[:44]:<44} {row[0]:>9.3f}s {row[1]:>8.3f}s {row[0] / row[1]:>6.2f}   "
                  f"{row[2]:>9.3f}s {row[3]:>8.3f}s {row[2] / row[3]:>6.2f}")
        print(f"{'all ' + str(len(paths)) + ' inputs':<44} {totals[0]:>9.3f}s {totals[1]:>8.3f}s "
              f"{totals[0] / totals[1]:>6.2f}   {totals[2]:>9.3f}s {totals[3]:>8.3f}s {totals[2] / totals[3]:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
