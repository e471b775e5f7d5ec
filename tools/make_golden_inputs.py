"""Write the generated inputs of the golden-file test (tests/test_golden.py) once.

They are committed (tests/fixtures/golden/inputs/), so the golden test does not depend on
the generator: a change to the generator cannot silently change what the test compares.
Each input plants one kind of error the checks must report (table, narrative, performance,
cross-year), so the golden files hold every family of finding.

    python tools/make_golden_inputs.py   # rewrites tests/fixtures/golden/inputs/
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.synth import KINDS, PROSE_KINDS, generate, inject, inject_prose  # noqa: E402
from tests.test_batch import add_yoy, first_seed, printed  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "golden" / "inputs"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for i, kind in enumerate(KINDS):
        seed = 300 + i
        inject(generate(seed), kind, random.Random(seed)).report.write(OUT / f"table-{kind}.txt")
    for i, kind in enumerate(PROSE_KINDS):
        seed = 400 + i
        wording = ("nanchang", "shanghai", "plain")[i % 3]
        inject_prose(generate(seed, wording=wording), kind, wording).write(OUT / f"prose-{kind}.txt")
    generate(500, unit="元", yuan_table="T05").write(OUT / "yuan-T05.txt")
    dept = "江州市金标测试局"
    prior = first_seed(5300, 2021, dept, lambda b: b["T01c"] > 0)
    cur = first_seed(7300, 2022, dept, lambda b: True)
    add_yoy(cur, printed(prior, "T01", "income_total", "amount") + 37.5)
    prior.write(OUT / "pair-2021.txt")
    cur.write(OUT / "pair-2022.txt")


if __name__ == "__main__":
    main()
