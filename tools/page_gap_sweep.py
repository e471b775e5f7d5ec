"""How precise READ.page is (auditlib/rules/pagegaps.py): every real document and every matrix
fixture read whole, then with one page cut out at a time, and READ.page's findings judged.

A detector of lost pages is only worth having if it never fires on a whole document: a table
published incomplete must stay a matter for the table rules.  So each document is checked whole
(any READ.page is false), then cut at every page holding rows of a coded table that runs over
several pages, and at the pages just before and after such a table (controls).  A cut is judged
against what the whole document's model says the page held: READ.page must name a table that
lost rows with that page, between the pages around the cut (or after the page before it, for a
table cut at its end) — *right*; it may name nothing else — *false*; a cut that took rows of a
coded table and got no READ.page is *missed*, split by why: the cut took the table's title page or
its 合计, or its 合计 still equals Σ类 (nothing lost in the amounts to tell it), or neither.

Run from the repository: `.venv/bin/python tools/page_gap_sweep.py [DOC …]` (default: the corpus
PDFs, the Nanchang text and tests/fixtures/matrix); one line per cut, then the totals.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the cut is the tests' own (tests/badpdf.py)

from auditlib.ingest import read_report
from auditlib.model import Report
from auditlib.rules import check
from auditlib.rules import pagegaps
from auditlib.rules.pagegaps import missing_pages
from tests.badpdf import cut

CORPUS = ROOT.parent / "shared" / "corpus"


def documents() -> list[Path]:
    """The real documents of the corpus and the rendering matrix, PDFs and texts."""
    matrix = ROOT / "tests" / "fixtures" / "matrix"
    return [p for folder, pattern in ((CORPUS, "budgets/*/doc.pdf"), (CORPUS, "*/doc.pdf"), (CORPUS, "*/doc.txt"),
                                      (matrix, "*.pdf"), (matrix, "*.txt")) for p in sorted(folder.glob(pattern))]


def spans(report: Report) -> dict[str, list[int]]:
    """The pages of each readable coded table whose rows run over more than one page."""
    out = {}
    for code, t in report.tables.items():
        if t.readable and t.spec.kind == "hierarchy" and len(t.data) and "page" in t.data \
                and not t.data["page"].isna().any():
            pages = sorted({int(p) for p in t.data["page"]})
            if len(pages) > 1:
                out[code] = pages
    return out


def cut_pages(report: Report, n_pages: int) -> list[int]:
    """The pages of those tables, and the pages just before and after each (controls)."""
    pages = {q for ps in spans(report).values() for p in ps for q in (p - 1, p, p + 1)}
    return sorted(p for p in pages if 1 <= p <= n_pages)


def judge(whole: Report, cut_report: Report, page: int) -> tuple[str, str]:
    """(verdict, detail) of one cut: right / false / missed-sums / missed-equal / quiet."""
    lost = {code for code, ps in spans(whole).items() if page in ps}
    gaps = {g.table: g for g in missing_pages(cut_report)}
    fired = {f.tables[0]: f for f in check(cut_report).findings if f.id == "READ.page"}
    wrong = [c for c in fired if c not in lost or c not in gaps or gaps[c].before != page - 1
             or gaps[c].after not in (page, None)]
    if wrong:
        return "false", "READ.page " + ", ".join(f"{c} {fired[c].message[:60]}" for c in wrong)
    if fired:
        return "right", "READ.page " + ", ".join(f"{c}@{gaps[c].before}-{gaps[c].after} ({_kind(cut_report, c)})"
                                                 for c in fired)
    if not lost:
        return "quiet", ""
    return _missed(whole, cut_report, page, lost)


def _kind(report: Report, code: str) -> str:
    """Which sign told the gap: orphaned codes, a 类 short of its children (inside a 类), the end."""
    table = report.tables[code]
    return "orphans" if pagegaps._inner(report, table) else "inside a 类" if pagegaps._within(report, table) else "end"


def _missed(whole: Report, cut_report: Report, page: int, lost: set[str]) -> tuple[str, str]:
    """Why a cut that took rows of `lost` was not told: the table's first page went (its title
    with it), its 合计 went, or 合计 still equals Σ类 (nothing lost in the amounts), or else."""
    first = [c for c in lost if min(spans(whole)[c]) == page]
    if first:
        return "missed-head", f"{first}: the page of the table's title"
    tables = [cut_report.tables.get(c) for c in lost]
    if any(t is None or not t.readable or not t.has(t.spec.total_key) for t in tables):
        return "missed-total", f"{sorted(lost)}: the page of 合计 (or the table not read)"
    summed = [t.code for t in tables if pagegaps._shortfall(t) is not None]
    return ("missed-sums", f"合计 ≠ Σ类 in {summed}") if summed else ("missed-equal", f"{sorted(lost)}: 合计 = Σ类")


def sweep(doc: Path, folder: Path, tally: Counter) -> None:
    """One document whole, then cut at each page of cut_pages; a line per cut."""
    whole = read_report(doc)
    fired = [f for f in check(whole).findings if f.id == "READ.page"]
    tally["whole-false" if fired else "whole-quiet"] += 1
    name = doc.parent.name if doc.stem == "doc" else doc.name
    print(f"{name}: whole {'READ.page FALSE ' + fired[0].message[:80] if fired else 'no READ.page'}", flush=True)
    if doc.suffix != ".pdf":
        return
    n_pages = whole.pages
    for page in cut_pages(whole, n_pages):
        kept = [p for p in range(1, n_pages + 1) if p != page]
        verdict, detail = judge(whole, read_report(cut(doc, folder / f"{name}-{page}.pdf", kept)), page)
        tally[verdict] += 1
        print(f"  cut p{page}: {verdict} {detail}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Sweep the documents given (default: every one), print the tally."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs", nargs="*", type=Path)
    args = ap.parse_args(argv)
    tally: Counter = Counter()
    with tempfile.TemporaryDirectory(prefix="page-gaps-") as work:
        for doc in args.docs or documents():
            sweep(doc, Path(work), tally)
    print(" ".join(f"{k}={v}" for k, v in sorted(tally.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
