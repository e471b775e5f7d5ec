"""Reports laid out the way WPS printed the report that broke (issue 26).

tests/fixtures/wps/ (tools/render_wps.py): the bundled sample and a generated report
whose department is renamed to a long one, printed by LibreOffice Calc with
* no rule between 公开01表's 本年收入合计 and 使用非财政拨款结余 rows (本年支出合计 /
  结余分配 beside them), nor under the first 类 row of 公开02表 and 公开03表: two labels
  stacked in one band with two sets of figures;
* 公开06表's economic codes as 类 | 款 cells ("301" | "01");
* the 编制单位 in a plain cell that wraps ("编制单位：柳州市文化广电新闻出" / "版旅游局"),
  年度 and 单位 in cells of their own, centred beside it, themselves wrapped in narrow
  cells ("2021年" / "度", "金额单" / "位：万" / "元").
The text form printed (NAME.wps.txt) is the reference: every amount, the same
findings, the department whole and no META.department finding on the clean report.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.grid import Cell, glued_rows
from auditlib.report.fidelity import compare
from auditlib.rules import check
from auditlib.schema import SPECS
from tests.conftest import ROOT

WPS = ROOT / "tests" / "fixtures" / "wps"
NAMES = ["synth-000011", "nanchang-bigdata-2021"]
LONG_NAME = "柳州市文化广电新闻出版旅游局"


@lru_cache(maxsize=None)
def _read(path):
    return read_report(path)


@lru_cache(maxsize=None)
def _check(path):
    return check(_read(path))


@pytest.mark.parametrize("name", NAMES)
def test_every_amount_of_the_text_form(name):
    pdf, ref = _read(WPS / f"{name}.wps.pdf"), _read(WPS / f"{name}.wps.txt")
    for t in compare(pdf, ref):
        assert t.status[0] == t.status[1], f"{t.code}: {t.status[0]} in the PDF, {t.status[1]} in the text"
        assert not t.differing, f"{t.code}: {t.differing[:5]}"
    assert [c for c, t in pdf.tables.items() if t.status != "missing" and t.page] == list(SPECS)
    assert not _check(WPS / f"{name}.wps.pdf").unread


def test_glued_rows_are_two_rows():
    t01 = _read(WPS / "synth-000011.wps.pdf").tables["T01"]
    ref = _read(WPS / "synth-000011.wps.txt").tables["T01"]
    for key in ("income_total", "use_nonfiscal_balance", "expense_total", "surplus_distribution"):
        assert t01.value(key, "amount") == ref.value(key, "amount"), key
    assert t01.value("income_total", "amount") > 0
    t02 = _read(WPS / "nanchang-bigdata-2021.wps.pdf").tables["T02"]
    assert t02.value("206", "total") == 68.56  # the 类 row printed with no rule under it


def test_split_economic_codes_are_codes_not_amounts():
    # 公开06表 with 类 | 款 cells reads as the sample with whole codes: 30101, not 1.00
    split = _read(WPS / "nanchang-bigdata-2021.wps.pdf").tables["T06"]
    whole = _read(ROOT / "auditlib" / "samples" / "nanchang-bigdata-2021.txt").tables["T06"]
    assert list(split.data.index) == list(whole.data.index)
    assert "30101" in split.data.index
    assert split.data["amount"].fillna(0).tolist() == whole.data["amount"].fillna(0).tolist()
    text = _read(WPS / "nanchang-bigdata-2021.wps.txt").tables["T06"]  # the text reader too
    assert text.data["amount"].fillna(0).tolist() == whole.data["amount"].fillna(0).tolist()


def test_wrapped_department_read_whole_and_no_false_finding():
    pdf = _read(WPS / "synth-000011.wps.pdf")
    named = {c: t.department for c, t in pdf.tables.items() if t.department}
    assert len(named) >= 7 and set(named.values()) == {LONG_NAME}, named
    assert pdf.tables["T07"].year == 2021 and pdf.tables["T07"].unit == "万元"  # wrapped 年度 and 单位
    assert not [f for f in _check(WPS / "synth-000011.wps.pdf").findings if f.id == "META.department"]


@pytest.mark.parametrize("name", NAMES)
def test_the_same_findings_as_the_text_form(name):
    def key(f):
        return f.id, f.location, f.severity, f.expected, f.actual

    got, want = _check(WPS / f"{name}.wps.pdf"), _check(WPS / f"{name}.wps.txt")
    assert sorted(map(key, got.findings), key=str) == sorted(map(key, want.findings), key=str)


def _cell(x0: float, x1: float, *lines: tuple[float, str]) -> Cell:
    """A cell of a 40-point band holding one line of text at each (top, text)."""
    cell = Cell(0, 0, x0, 0.0, x1, 40.0)
    for top, text in lines:
        cell.chars += [(top, top + 9.0, x0 + 2 + 9 * k, ch) for k, ch in enumerate(text)]
    return cell


def test_a_band_is_cut_only_between_figures_of_their_own():
    label, figure = (0, 100), (100, 160)
    # two rows in one band: each label with its figure
    glued = [_cell(*label, (5, "本年收入合计"), (20, "使用非财政拨款结余")), _cell(*figure, (5, "307.82"), (20, "12.00"))]
    assert glued_rows(glued) == [17.0]
    # a label wrapped in a row whose figure is centred beside it: one row
    centred = [_cell(*label, (8, "机关事业单位基本"), (20, "养老保险缴费")), _cell(*figure, (14, "6.18"))]
    assert glued_rows(centred) == []
    # a label wrapped in a top-aligned row (Word): the second line has no figure, one row
    top = [_cell(*label, (5, "机关事业单位基本养老保险缴"), (17, "费支出")), _cell(*figure, (5, "446.11"))]
    assert glued_rows(top) == []
    # a figure wrapped in its narrow cell is not two figures
    assert glued_rows([_cell(*label, (5, "合计")), _cell(*figure, (5, "1,038."), (17, "94"))]) == []
