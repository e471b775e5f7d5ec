"""How well the budgets of ../shared/corpus/budgets are read, against their hand transcriptions
(tests/expected/budgets): per budget, tables found / printed and amounts read as printed /
printed.  Run from the repository: `.venv/bin/python tools/budget_reading.py [folder …]`."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the comparison is the tests' own (tests/transcription.py)

from auditlib.errors import InputError
from auditlib.ingest import read_report
from tests.transcription import amounts, budget_mapping, table_disagreements

CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED = ROOT / "tests" / "expected" / "budgets"
MAPPING = budget_mapping()


def _missed(report, code: str | None, table: dict, form: int | None) -> int:
    """The transcribed amounts of one table not read as printed: all of them when the table was
    not found or is `unread` (no rule may use it), else those read otherwise or not at all
    (`form`: the place of a project's form among the table's forms)."""
    if code is None or report.tables[code].status in ("missing", "unread"):
        return amounts({"tables": [table]})
    found = table_disagreements(MAPPING, report.tables[code], table, form)
    return sum(1 for d in found if " vs read " in d and "transcribed blank" not in d and "transcribed nothing" not in d)


def measure(folder: str) -> str:
    """One line: the budget's tables found and read, and its amounts read as printed."""
    expected = yaml.safe_load((EXPECTED / f"{folder}.yaml").read_text(encoding="utf-8"))
    try:
        report = read_report(CORPUS / "budgets" / folder / "doc.pdf")
    except InputError as exc:
        return f"{folder}: {exc}"
    codes = [MAPPING.kind.title(t["title"]) for t in expected["tables"]]
    found = [c for c in codes if c and report.tables[c].status != "missing"]
    read = [c for c in found if report.tables[c].status in ("parsed", "empty")]
    total = amounts(expected)
    forms = [codes[: n + 1].count(c) if t.get("project") else None for n, (c, t) in enumerate(zip(codes, expected["tables"]))]
    missed = sum(_missed(report, c, t, f) for c, t, f in zip(codes, expected["tables"], forms))
    return (f"{folder}: kind {report.kind} ({report.kind_source}); tables found {len(found)}/{len(codes)}, "
            f"read {len(read)}/{len(codes)}; amounts equal {total - missed}/{total}")


if __name__ == "__main__":
    for name in sys.argv[1:] or sorted(p.stem for p in EXPECTED.glob("*.yaml")):
        print(measure(name), flush=True)
