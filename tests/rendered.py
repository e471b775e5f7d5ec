"""Generated PDFs held to the text they were printed from: the manifest of a fixture folder
made by a tools/render_*.py script, each PDF and reference read and checked once per run,
and the two assertions every rendering must pass (tests/test_matrix.py, tests/test_wide.py):
every amount and status of the reference, and its findings."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from auditlib.ingest import read_report
from auditlib.model import Report
from auditlib.report.fidelity import compare
from auditlib.rules import check
from auditlib.rules.findings import CheckResult
from tests.conftest import ROOT


def manifest(folder: Path) -> tuple[list[dict], list[str]]:
    """The entries of `folder`'s manifest.json and their test ids (the PDFs' stems)."""
    entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return entries, [e["pdf"].rsplit("/", 1)[-1].removesuffix(".pdf") for e in entries]


def fixture(entries: list[dict], name: str) -> dict:
    """The entry of the PDF named `name` (its stem)."""
    return next(e for e in entries if e["pdf"].endswith(f"/{name}.pdf"))


@lru_cache(maxsize=None)
def read(path: str) -> Report:
    """The report at `path` (relative to the repository), read once per run."""
    return read_report(ROOT / path)


@lru_cache(maxsize=None)
def checked(path: str) -> CheckResult:
    return check(read(path))


def assert_every_amount(entry: dict) -> Report:
    """Every table of the PDF has the status of the reference's and every amount it
    prints (more than 200 non-zero ones); the PDF's report, for further checks."""
    pdf, ref = read(entry["pdf"]), read(entry["reference"])
    result = compare(pdf, ref)
    nonzero = sum(1 for t in result for row in ref.tables[t.code].data.index
                  for c in ref.tables[t.code].columns if ref.tables[t.code].value(row, c))
    assert nonzero > 200
    for t in result:
        assert t.status[0] == t.status[1], f"{t.code}: {t.status[0]} in the PDF, {t.status[1]} in the text"
        assert not t.differing, f"{t.code}: {t.differing[:5]}"
    return pdf


def assert_the_same_findings(entry: dict) -> None:
    """The PDF's findings are the reference's (rule, place, severity, figures), and no
    table is unread."""
    def key(f):
        return f.id, f.location, f.severity, f.expected, f.actual

    got, want = checked(entry["pdf"]), checked(entry["reference"])
    assert sorted(map(key, got.findings), key=str) == sorted(map(key, want.findings), key=str)
    assert not got.unread
