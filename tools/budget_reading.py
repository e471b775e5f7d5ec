"""How well budgets are read, against their transcriptions: per budget, tables found / printed and
amounts read as printed / printed.  The dev-set budgets of ../shared/corpus/budgets are held to their
hand transcriptions (tests/expected/budgets), the generated ones of tests/fixtures/budget-pdf
(tools/make_budget_pdfs.py) to the truth written beside them.  Run from the repository:
`.venv/bin/python tools/budget_reading.py [folder …]` (dev set) or
`.venv/bin/python tools/budget_reading.py --truth T.yaml FILE.pdf [FILE2.pdf]` (one document, one or two files)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the comparison is the tests' own (tests/transcription.py)

from auditlib.errors import InputError
from auditlib.ingest import read_report
from auditlib.model import Report
from tests.transcription import amounts, budget_mapping, table_disagreements

CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED = ROOT / "tests" / "expected" / "budgets"
MAPPING = budget_mapping()


@dataclass(frozen=True)
class Reading:
    """What one read of a budget got right: tables printed, found, read; amounts printed, equal."""

    tables: int
    found: int
    read: int
    amounts: int
    equal: int

    def line(self) -> str:
        return (f"tables found {self.found}/{self.tables}, read {self.read}/{self.tables}; "
                f"amounts equal {self.equal}/{self.amounts}")


def _missed(report, code: str | None, table: dict, form: int | None) -> int:
    """The transcribed amounts of one table not read as printed: all of them when the table was
    not found or is `unread` (no rule may use it), else those read otherwise or not at all, or
    in a row the model's spec does not know (no rule may use it either; `form`: the place of a
    project's form among the table's forms)."""
    if code is None or report.tables[code].status in ("missing", "unread"):
        return amounts({"tables": [table]})
    found = table_disagreements(MAPPING, report.tables[code], table, form)
    misread = sum(1 for d in found if " vs read " in d and "transcribed blank" not in d and "transcribed nothing" not in d)
    return misread + sum(amounts({"tables": [{"rows": [row]}]}) for row in table.get("rows", [])
                         if f"{_where(table, row)}: row not mapped to the model (test mapping)" in found)


def _where(table: dict, row: dict) -> str:
    """How tests/transcription.py names a transcribed row in its disagreements."""
    return f"{table['title']} · {' '.join(filter(None, (row.get('code'), row['label'])))} (p{row['page']})"


def reading(report: Report, expected: dict) -> Reading:
    """`report` against its transcription `expected` (tests/expected/budgets' format)."""
    codes = [MAPPING.kind.title(t["title"]) for t in expected["tables"]]
    found = [c for c in codes if c and report.tables[c].status != "missing"]
    read = [c for c in found if report.tables[c].status in ("parsed", "empty")]
    forms = [codes[: n + 1].count(c) if t.get("project") else None for n, (c, t) in enumerate(zip(codes, expected["tables"]))]
    missed = sum(_missed(report, c, t, f) for c, t, f in zip(codes, expected["tables"], forms))
    total = amounts(expected)
    return Reading(len(codes), len(found), len(read), total, total - missed)


def measure(folder: str) -> str:
    """One line: a dev-set budget's tables found and read, and its amounts read as printed."""
    expected = yaml.safe_load((EXPECTED / f"{folder}.yaml").read_text(encoding="utf-8"))
    try:
        report = read_report(CORPUS / "budgets" / folder / "doc.pdf")
    except InputError as exc:
        return f"{folder}: {exc}"
    return f"{folder}: kind {report.kind} ({report.kind_source}); {reading(report, expected).line()}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("items", nargs="*", help="dev-set folders, or with --truth the file(s) of one document")
    ap.add_argument("--truth", type=Path, help="the truth of the document the files print")
    args = ap.parse_args(argv)
    if args.truth:
        report = read_report(args.items)
        expected = yaml.safe_load(args.truth.read_text(encoding="utf-8"))
        print(f"{' + '.join(args.items)}: kind {report.kind} ({report.kind_source}); {reading(report, expected).line()}")
        return
    for name in args.items or sorted(p.stem for p in EXPECTED.glob("*.yaml")):
        print(measure(name), flush=True)


if __name__ == "__main__":
    main()
