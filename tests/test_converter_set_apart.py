"""Plain `pdftotext` of WPS's Shanghai reports (issue 26): a figure pdftotext's reading order
sets apart from its row (auditlib/ingest/spaced_flow_blanks.py, `displaced`), and 公开02表's
figures placed by what 公开04表 read whole prints (auditlib/ingest/spaced_evidence.py).
Each test converts a Shanghai PDF of ../shared/corpus as a user would and compares with the
PDF reader's model, or edits the text so that no single reading holds and asserts the table
is `unread` with its reason.
"""

from __future__ import annotations

from auditlib.ingest import read_report
from auditlib.ingest.spaced_bind import bound_note
from tests.test_converter_blanks import PLANNING, SOCIALWORK, T05, _pdf, _read, _text
from tests.test_converter_texts import differences, left_unread
from tools.convert_texts import convert

T03 = "支出决算表\n单位"  # where 公开03表 starts (公开05表's title ends so too: looked for before it)
SET_APART = "2.71\n\n2.71\n\n202.24\n\n上缴上级支出"  # 2013999's 项目支出 after the page's last row, 21011


def test_a_figure_pdftotext_sets_apart_is_put_back_in_its_row(tmp_path):
    # socialwork's 公开03表: "2013999 其他社会工作事务支出 202.24" and its 项目支出 202.24 after
    # 21011's figures (blank 基本支出 between them: pdftotext prints it after the rows below);
    # the flow cuts no way as printed, one way with it put back, and the 款 20139's sums say
    # it is 项目支出
    text = _text(SOCIALWORK)
    at = text.index(T03)
    assert "其他社会工作事务支出\n\n202.24\n\n208" in text[at:text.index(T05)]
    assert SET_APART in text[at:text.index(T05)]
    got = _read(tmp_path, SOCIALWORK)
    assert "T03" not in differences(got, _pdf(SOCIALWORK))
    t03 = got.tables["T03"]
    assert (t03.value("2013999", "total"), t03.value("2013999", "basic"), t03.value("2013999", "project")) \
        == (202.24, None, 202.24)
    assert (t03.value("21011", "total"), t03.value("21011", "project")) == (2.71, None)


def test_a_figure_set_apart_that_fits_no_row_leaves_the_table_unread(tmp_path):
    # the figure set apart printed 202.42: put back anywhere, some row's or 款's sum breaks
    got = _read(tmp_path, SOCIALWORK, SET_APART, SET_APART.replace("202.24", "202.42"), after=T03)
    left_unread(got, "T03", "都不能唯一地使本表勾稽关系成立")


def _planning_with_t04_laid_out() -> str:
    """planning's plain pdftotext text with its 公开04表 as `pdftotext -layout` prints it (the
    reader reads each table in the form it is printed in): 公开04表 read whole."""
    plain, laid = _text(PLANNING).split("\n"), convert(PLANNING, "layout").split("\n")
    title, after = "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表"
    a = next(i for i, line in enumerate(plain) if line.strip("\f ") == title)
    b = next(i for i, line in enumerate(plain) if i > a and line.strip("\f ") == after)
    la = next(i for i, line in enumerate(laid) if i > 100 and line.strip("\f ") == title)
    lb = next(i for i, line in enumerate(laid) if i > la and line.strip("\f ") == after)
    return "\n".join([*plain[:a], *(line.lstrip("\f") for line in laid[la:lb]), *plain[b:]])


def test_the_fiscal_income_of_a_table_read_whole_places_the_income_figures(tmp_path):
    # planning's 公开02表 prints each row's total and one figure, "9746.50 9746.50": any of its
    # six columns holds every identity, so alone it is not read (公开01表, whose income rows would
    # say which, is not read either: read together with them it is, tests/test_converter_joint.py).
    # 公开04表 read whole prints 9746.50 of 财政拨款 income — 公开02表's 财政拨款收入
    # (X.T01_T02_fiscal, X.T01_T04_fiscal): the one placing left, its note naming 公开04表
    path = tmp_path / "planning.pdftotext.txt"
    path.write_text(_planning_with_t04_laid_out(), encoding="utf-8")
    got = read_report(path)
    assert got.tables["T04"].status == "parsed" and got.tables["T01"].status == "unread"
    assert "T02" not in differences(got, _pdf(PLANNING))
    t02 = got.tables["T02"]
    assert (t02.value("total", "fiscal"), t02.value("2120201", "fiscal"), t02.value("2120201", "institution")) \
        == (9746.5, 2739.56, None)
    assert ("T02", bound_note(("T04",))) in {(n.table, n.note) for n in got.reading_notes}
