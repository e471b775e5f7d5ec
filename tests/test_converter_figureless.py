"""Plain `pdftotext` of a blank template: tables printed a cell a line without a figure (issue 26).

The Shanghai template (../shared/corpus/shanghai-template-2024) prints 公开01–06表 with their
rows — codes, names, labels — and no figure.  Printed a cell a line, nothing aligns a name
with its code; the streams still say which rows each table prints, and the PDF reader reads
those tables `empty` with them (auditlib/ingest/spaced_figureless.py).  Where the streams do
not say it one way (codes out of order, a code cut, a label out of the template's order)
the table stays `unread` with NO_FIGURES.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.spaced import NO_FIGURES
from auditlib.model import Report
from tests.conftest import CORPUS
from tests.test_converter_texts import _read, _unread_are_reported, differences
from tools.convert_texts import convert

TEMPLATE = CORPUS / "shanghai-template-2024" / "doc.pdf"
READ_FROM_STREAMS = ("T01", "T02", "T03", "T04", "T05", "T06")


@pytest.fixture(scope="module")
def text(tmp_path_factory) -> Path:
    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils (make test does)"
    path = tmp_path_factory.mktemp("template") / "template.pdftotext.txt"
    path.write_text(convert(TEMPLATE, "pdftotext"), encoding="utf-8")
    return path


def _edited(tmp_path: Path, text: Path, old: str, new: str, after: str) -> Report:
    """The template's text with the first `old` after `after` replaced by `new`, read."""
    source = text.read_text(encoding="utf-8")
    at = source.index(old, source.index(after))
    path = tmp_path / "edited.txt"
    path.write_text(source[:at] + new + source[at + len(old):], encoding="utf-8")
    return read_report(path)


def _not_read(report: Report, code: str) -> None:
    assert report.tables[code].status == "unread"
    assert NO_FIGURES in report.tables[code].problems
    _unread_are_reported(report)


def test_the_templates_tables_are_read_empty_with_the_rows_the_pdf_prints(text):
    got, want = read_report(text), _read(TEMPLATE)
    assert differences(got, want) == {}
    for code in READ_FROM_STREAMS:
        assert got.tables[code].status == want.tables[code].status == "empty"
        assert list(got.tables[code].data.index) == list(want.tables[code].data.index)
    assert list(got.tables["T02"].data.index) == ["total", "205", "20502", "2050205", "207", "20799"]
    assert list(got.tables["T05"].data.index)[-1] == "total"  # its 合计 printed after its rows
    assert len(got.tables["T06"].data) == 67 and len(got.tables["T01"].data) == 40
    _unread_are_reported(got)


def test_the_rows_are_named_as_the_text_prints_them(text):
    got = read_report(text)
    t01, t04, t05, t06 = (got.tables[c].data["name"] for c in ("T01", "T04", "T05", "T06"))
    assert t01["inc_general"] == "一、一般公共预算财政拨款收入" and t01["224"] == "二十二、灾害防治及应急管理支出"
    assert t04["opening_general"] == "一、一般公共预算财政拨款" and t04["expense_grand_total"] == "总计"
    # 公开05表 prints its codes in one block and its names in another: a 项's name is the one
    # 公开02/03表 print beside the code, row by row, and 公开05表 prints too
    assert t05["2050205"] == "高等教育" and t05["20799"] == "其他文化旅游体育与传媒支出"
    assert t06["30108"] == "机关事业单位基本养老保险缴费" and t06["public_total"] == "公用经费合计"


def test_codes_out_of_order_leave_a_figureless_table_unread(tmp_path, text):
    # 公开03表's 项 printed before its 款: which rows the table prints is not told for certain
    got = _edited(tmp_path, text, "20502\n\n普通教育\n\n2050205", "2050205\n\n普通教育\n\n20502", after="支出决算表\n单位")
    _not_read(got, "T03")
    assert got.tables["T02"].status == "empty"


def test_a_code_cut_in_two_leaves_a_figureless_table_unread(tmp_path, text):
    # 公开06表's 30101 printed "3010" / "1": a code wrapped without figures is not trusted
    got = _edited(tmp_path, text, "30101\n", "3010\n1\n", after="基本支出决算表\n单位")
    _not_read(got, "T06")


def test_a_label_out_of_the_templates_order_leaves_t01_unread(tmp_path, text):
    # 十、节能环保支出 printed before 九、卫生健康支出: the rows side by side are not known
    got = _edited(tmp_path, text, "九、卫生健康支出\n十、节能环保支出", "十、节能环保支出\n九、卫生健康支出",
                  after="收入支出决算总表\n单位")
    _not_read(got, "T01")


def test_a_total_among_the_headers_words_leaves_a_figureless_table_unread(tmp_path, text):
    # 公开02表's 合计 printed before 科目名称: a header's 合计 (本年支出's over its parts) or the
    # 合计 row, nothing tells
    got = _edited(tmp_path, text, "科目名称\n\n合计\n205", "合计\n\n科目名称\n\n205", after="收入决算表\n单位")
    _not_read(got, "T02")


@pytest.mark.parametrize("code, note", [("T02", "注：本表反映部门本年度取得的各项收入情况。\n"),
                                        ("T06", "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。\n")],
                         ids=("T02", "T06"))
def test_a_figure_below_the_note_leaves_a_figureless_table_unread(tmp_path, text, code, note):
    # pdftotext prints a table's last figure below its note (a coded table's or 公开06表's
    # total): one printed there is the table's, which is then not empty — nor read, as
    # its rows hold no other figure to place it by
    got = _edited(tmp_path, text, note, note + "\n12.34\n\n", after=note)
    _not_read(got, code)


@pytest.mark.parametrize("code, old, new", [("T02", "高等教育\n\n…\n\n…", "高等教育\n\n12\n\n12"),
                                            ("T06", "商品和服务支出\n", "商品和服务支出\n\n12\n")],
                         ids=("T02", "T06"))
def test_a_whole_number_amount_leaves_a_figureless_table_unread(tmp_path, text, code, old, new):
    # amounts printed without decimals ("12", as a spreadsheet's General format prints them)
    # are no figures by their kind, yet the table prints them: too short for a code, a
    # number of one or two digits outside the header is an amount — the table is not empty
    got = _edited(tmp_path, text, old, new, after=old)
    _not_read(got, code)
