"""The real budgets' converter texts read as their PDFs read (spaced_budget, spaced_whole).

The corpus's budgets (../shared/corpus/budgets) are converted at test time (never committed):
Shanghai Putuo's tables in whole 元 ("2,932,700", "0": no decimal point marks an amount), its
三公 table one row of figures under a two-line head, Jiangsu's in 万元 in a province's layouts.
Every table the text reads equals the PDF's reading (the tables recorded here, measured with
tools/convert_texts.py), and no table is read otherwise without saying so; a table left unread
says why, Chinese first.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.spaced_budget import CELL_A_LINE, LAYOUT_UNREAD, WIDE_UNSURE, wide_order
from auditlib.ingest.spaced_tokens import Line, tokens
from auditlib.ingest.spaced_whole import as_amounts, in_whole_yuan
from auditlib.kinds import spec_of
from auditlib.model import Report
from tests.conftest import CORPUS
from tests.test_converter_texts import differences, misread
from tools.convert_texts import convert

BUDGETS = CORPUS / "budgets"
# the tables each text reads as its PDF does (B01…B09; the others are missing both ways)
READ = {
    ("sh-pt-wanli-2024-yusuan", "plumber"): "B01 B02 B03 B05 B06 B07 B08 B09",
    ("sh-pt-wanli-2024-yusuan", "layout"): "B01 B02 B03 B05 B06 B07 B08 B09",
    ("sh-pt-wanli-2023-yusuan", "plumber"): "B01 B03 B05 B07 B08 B09",
    ("sh-pt-wanli-2025-yusuan", "layout"): "B01 B02 B03 B05 B06 B07 B08 B09",
    ("js-gaoyuan-2018-yusuan", "plumber"): "B05 B06 B08",
}


@lru_cache(maxsize=None)
def _pdf(doc: str) -> Report:
    return read_report(BUDGETS / doc / "doc.pdf")


def _text(doc: str, form: str, tmp_path: Path) -> Report:
    if form != "plumber":
        assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils (make test does)"
    path = tmp_path / f"{doc}.{form}.txt"
    path.write_text(convert(BUDGETS / doc / "doc.pdf", form), encoding="utf-8")
    return read_report(path)


@pytest.mark.parametrize("doc,form", list(READ), ids=[f"{d}-{f}" for d, f in READ])
def test_a_real_budget_text_reads_its_tables_as_the_pdf(doc, form, tmp_path):
    """The recorded tables read with every row and amount the PDF reads; none read otherwise."""
    text, pdf = _text(doc, form, tmp_path), _pdf(doc)
    apart = differences(text, pdf)
    same = {code for code in pdf.tables if code not in apart and pdf.tables[code].status != "missing"}
    assert same >= set(READ[doc, form].split()), sorted(set(READ[doc, form].split()) - same)
    assert misread(text, pdf) == {}


def test_putuo_2024_amounts_in_whole_yuan(tmp_path):
    """收入预算总表's 201 row (2,932,700 of 财政拨款, 0 of the others), 三公 table's 机关运行经费
    443.18 after 接待 1.35 and 车 46.56 (the order its sums say), 30102 from "301 2 津贴补贴"."""
    text = _text("sh-pt-wanli-2024-yusuan", "plumber", tmp_path)
    b02 = text.tables["B02"].data
    assert (b02.loc["201", "total"], b02.loc["201", "fiscal"], b02.loc["201", "institution"]) == (2932700, 2932700, 0)
    b07 = text.tables["B07"].data["budget"]
    assert (b07["reception"], b07["vehicle"], b07["running"]) == (1.35, 46.56, 443.18)
    assert text.tables["B06"].data.loc["30102", "total"] == 16623810


def test_a_layout_not_rebuilt_says_why(tmp_path):
    """Jiangsu's 收支预算总表 (three parts side by side) and its 三公 table (8 figures for 9 columns:
    the blank 购置费 is not printed) are unread with their reasons; pdftotext's cell a line too."""
    text = _text("js-gaoyuan-2018-yusuan", "plumber", tmp_path)
    assert text.tables["B01"].status == "unread"
    assert LAYOUT_UNREAD.format(layout="收入、支出功能分类、支出用途三部分并列") in text.tables["B01"].problems
    assert WIDE_UNSURE in text.tables["B07"].problems
    plain = _text("sh-pt-wanli-2024-yusuan", "pdftotext", tmp_path)
    assert CELL_A_LINE in plain.tables["B02"].problems


def _line(raw: str) -> Line:
    return Line(0, 1, 0, raw, tokens(raw, False))


def test_whole_yuan_only_on_a_tables_own_evidence():
    """单位：元, no decimals and a grouped amount: amounts after the name, codes before it stay
    codes; 万元, a decimal figure, or no grouped amount (537000 may be a code run) — no."""
    head, row = _line("编制部门：万里街道办事处 单位：元"), _line("201 05 07 专项普查活动 257,700 257,700 0 0 0")
    assert in_whole_yuan("B02", [head, row])
    assert [t.kind for t in as_amounts(row).tokens] == ["int", "int", "int", "text", *["fig"] * 5]
    assert not in_whole_yuan("B02", [_line("单位：万元"), row])
    assert not in_whole_yuan("B02", [head, row, _line("合计 1.50")])
    assert not in_whole_yuan("B02", [head, _line("208 537000 537000")])
    assert not in_whole_yuan("T02", [head, row])  # a 决算's table: never
    glued = as_amounts(_line("1.一般公共预算资金 29,737,000二、资源勘探工业信息等支出 28,312,200"))
    assert [(t.text, t.kind) for t in glued.tokens][1:3] == [("29,737,000", "fig"), ("二、资源勘探工业信息等支出", "text")]


@pytest.mark.parametrize("figures,order", [
    ("47.91 0 1.35 46.56 25 21.56 443.18", ("total", "abroad", "reception", "vehicle", "vehicle_purchase",
                                            "vehicle_operation", "running")),
    ("37.91 1.35 36.56 15.00 21.56 464.64", None),  # 出国 0 not printed: six figures, no order sums
    ("2558.26 620.75 170.00 266.80 266.80 183.95 271.26 1666.25", None),  # 8 of Jiangsu's 9 columns
])
def test_a_one_row_sangong_table_by_its_sums(figures, order):
    head = [_line("合计 因公出国(境)费 公务接待费"), _line("小计 购置费 运行费")]
    assert wide_order(spec_of("B07"), head, figures.split()) == order


def _zero_table_read_empty(text: Report, pdf: Report, code: str) -> bool:
    """A table whose PDF prints nothing but 0.00 (js-gaoyuan-2019's 政府性基金 table, its 合计 0.00)
    read `empty` from the text: no amount either way, as the rules see it."""
    amounts = pdf.tables[code].amounts()
    return text.tables[code].status == "empty" and all(v == 0 for v in amounts)


@pytest.mark.parametrize("doc", sorted(p.name for p in BUDGETS.iterdir() if (p / "doc.pdf").exists()))
def test_no_real_budget_text_is_read_otherwise_than_its_pdf(doc, tmp_path):
    """Every real budget in every converter's text: a table it does not read as the PDF reads
    it is `unread`, saying why — the tables recorded above are the ones it reads; this is that
    no other is read wrongly, in any form."""
    pdf = _pdf(doc)
    for form in ("plumber", "pdftotext", "layout"):
        text = _text(doc, form, tmp_path)
        wrong = {code: d for code, d in misread(text, pdf).items() if not _zero_table_read_empty(text, pdf, code)}
        assert wrong == {}, (form, wrong)
        assert all(t.problems for t in text.tables.values() if t.status == "unread"), form
