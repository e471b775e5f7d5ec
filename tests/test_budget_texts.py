"""A budget's converter text never reports a printed table as not published (issue 26).

The text reader reads few of a budget's tables from a converter's text (pdfplumber, pdftotext,
-layout): a table whose title and header are printed must then be `unread` with its reason
(READ.table) or, printed with its header alone, `empty` as the PDF reader reads it — never
`missing`, which COMPL.budget_tables reports as 未公开 (not published), an error an auditor trusts.

The generated national budget (tools/make_budget_pdfs.py; its 政府性基金 and 国有资本经营 tables printed
empty) is committed as converter texts (tests/fixtures/converted/national-*.txt, made with
`tools/convert_texts.py --out tests/fixtures/converted tests/fixtures/budget-pdf/national-calc-nofit.pdf
tests/fixtures/budget-pdf/national-chromium-plain.pdf`): amounts in whole 元, row labels 一、… that
close a budget table's region.  Three real budgets of ../shared/corpus are converted at test time.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.bare_tables import READ_NONE
from auditlib.model import Report
from auditlib.rules import check
from tests.conftest import CORPUS, ROOT
from tools.convert_texts import FORMS, convert

CONVERTED = ROOT / "tests" / "fixtures" / "converted"
BUDGET_PDF = ROOT / "tests" / "fixtures" / "budget-pdf"
GENERATED = [(style, form) for style in ("national-calc-nofit", "national-chromium-plain") for form in FORMS]


@lru_cache(maxsize=None)
def _pdf(path: Path) -> Report:
    return read_report(path)


def _absent_only_as_in_pdf(text: Report, pdf: Report) -> None:
    """Every table the PDF prints is in the text's reading: the same status, or `unread` with
    its reason; a table the PDF reads empty is empty; nothing read empty that prints amounts."""
    for code, ref in pdf.tables.items():
        got = text.tables[code]
        if ref.status == "missing":
            assert got.status == "missing", code
        elif ref.status == "empty":
            assert got.status == "empty", (code, got.status, got.problems)
        else:
            assert got.status in (ref.status, "unread"), (code, got.status, ref.status)
            assert got.status != "unread" or got.problems, code


def _compl(report: Report) -> list[str]:
    return [f.message for f in check(report).findings if f.id.startswith("COMPL.budget_tables")]


@pytest.mark.parametrize("style,form", GENERATED, ids=[f"{s}-{f}" for s, f in GENERATED])
def test_a_generated_budget_text_publishes_what_its_pdf_does(style, form):
    text = read_report(CONVERTED / f"{style}.{form}.txt")
    pdf = _pdf(BUDGET_PDF / f"{style}.pdf")
    assert (text.tables["B08"].status, text.tables["B09"].status) == ("empty", "empty")
    _absent_only_as_in_pdf(text, pdf)
    assert _compl(text) == [] == _compl(pdf)


def test_a_whole_yuan_table_not_read_is_unread_not_empty():
    """The 收入总表 in whole 元 (`537000`, no decimal point to count): its numbers say it was not read —
    the PDF's 30 amounts of 15 rows and their 32 code cells (3 类 | 4 款 × 2 | 7 项 × 3)."""
    table = read_report(CONVERTED / "national-chromium-plain.plumber.txt").tables["B02"]
    assert table.status == "unread"
    assert table.problems == [READ_NONE.format(n=62)]


CORPUS_CASES = [("js-gaoyuan-2018-yusuan", "pdftotext"), ("js-gaoyuan-2018-yusuan", "layout"),
                ("js-gaoyuan-2019-yusuan", "pdftotext"), ("js-jianchayuan-2017-yusuan", "plumber")]


@pytest.mark.parametrize("doc,form", CORPUS_CASES, ids=[f"{d}-{f}" for d, f in CORPUS_CASES])
def test_a_real_budget_text_publishes_what_its_pdf_does(doc, form, tmp_path):
    """js-gaoyuan-2018: 十、政府性基金预算财政拨款支出预算表 printed with its header and a blank 合计
    row (empty), its 收支总表 and 财政拨款收支总表 whose first row 一、财政拨款 closed their region
    (unread); js-gaoyuan-2019: "公开 10 表" over its 政府性基金 table (B08, not 公开10表's 决算 table);
    js-jianchayuan-2017: pdfplumber's “ ” of the “三公” title on a line of their own."""
    if form != "plumber":
        assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils (make test does)"
    path = tmp_path / f"{doc}.{form}.txt"
    path.write_text(convert(CORPUS / "budgets" / doc / "doc.pdf", form), encoding="utf-8")
    text = read_report(path)
    assert text.tables["B08"].status == "empty"
    assert all(text.tables[c].status == "unread" and text.tables[c].problems for c in ("B01", "B04", "B07"))
    assert _compl(text) == []
