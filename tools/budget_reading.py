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
from tests.transcription import amounts, budget_mapping, disagreements

CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED = ROOT / "tests" / "expected" / "budgets"
MAPPING = budget_mapping()


def measure(folder: str) -> str:
    """One line: the budget's tables found and amounts read, against its transcription."""
    expected = yaml.safe_load((EXPECTED / f"{folder}.yaml").read_text(encoding="utf-8"))
    printed = len(expected["tables"])
    try:
        report = read_report(CORPUS / "budgets" / folder / "doc.pdf")
    except InputError as exc:
        return f"{folder}: {exc}"
    codes = [MAPPING.kind.title(t["title"]) for t in expected["tables"]]
    found = sum(1 for c in codes if c and report.tables[c].status != "missing")
    unfound = sum(amounts({"tables": [t]}) for c, t in zip(codes, expected["tables"])
                  if not c or report.tables[c].status == "missing")
    wrong = [d for d in disagreements(MAPPING, report, expected) if ": transcribed " in d and " vs read " in d
             and "status" not in d and "transcribed blank" not in d and "transcribed nothing" not in d]
    total = amounts(expected)
    missed = len(wrong) + unfound
    return (f"{folder}: kind {report.kind} ({report.kind_source}); tables found {found}/{printed}; "
            f"amounts equal {total - missed}/{total}")


if __name__ == "__main__":
    for name in sys.argv[1:] or sorted(p.stem for p in EXPECTED.glob("*.yaml")):
        print(measure(name), flush=True)
