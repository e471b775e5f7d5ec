"""Plain `pdftotext` of a table printed without its blank cells (issue 26): WPS's Shanghai
reports leave a nil cell blank, so pdftotext's flow has fewer figures than cells.  The
flow is cut into rows by each row's own sum (auditlib/ingest/spaced_flow_blanks.py) and
each row's parts are placed by the table's identities — and by what another table read
from its flow says of its cells (spaced_evidence).  Each test converts a Shanghai PDF of
../shared/corpus as a user would and compares with the PDF reader's model, or edits one
figure so that no single reading holds and asserts the table is `unread` with its reason.
"""

from __future__ import annotations

import shutil
from functools import lru_cache

from auditlib.ingest import read_report
from auditlib.ingest.spaced_bind import BOUND, bound_note
from auditlib.model import Report
from tests.conftest import CORPUS
from tests.test_converter_texts import _unread_are_reported, differences, left_unread
from tools.convert_texts import convert

SOCIALWORK = CORPUS / "shanghai-putuo-socialwork-2024" / "doc.pdf"
PLANNING = CORPUS / "shanghai-putuo-planning-2024" / "doc.pdf"
T05 = "一般公共预算财政拨款支出决算表\n单位"  # where 公开05表 starts (its title in the list of tables has no 单位 after it)


@lru_cache(maxsize=None)
def _text(pdf) -> str:
    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils (make test does)"
    return convert(pdf, "pdftotext")


@lru_cache(maxsize=None)
def _pdf(pdf) -> Report:
    return read_report(pdf)


def _read(tmp_path, pdf, old: str = "", new: str = "", after: str = "") -> Report:
    """The plain pdftotext text of `pdf`, with the first `old` after `after` replaced by `new`, read."""
    text = _text(pdf)
    if old:
        at = text.index(old, text.index(after) if after else 0)
        text = text[:at] + new + text[at + len(old):]
    path = tmp_path / f"{pdf.parent.name}.pdftotext.txt"
    path.write_text(text, encoding="utf-8")
    return read_report(path)


def test_a_table_without_its_blank_cells_is_cut_into_rows_by_their_sums(tmp_path):
    # socialwork's 公开05表: "2013901 行政运行 51.32 51.32" (合计 and 基本支出, 项目支出 blank),
    # "2013999 … 202.24 210 202.24" (the next row's code among its figures), the 合计 row's
    # 项目支出 printed below the note.  Each row's figures add up only one way; the sums of
    # the classes say which part is 基本支出 and which 项目支出
    text = _text(SOCIALWORK)
    at = text.index(T05)
    assert "51.32\n\n51.32\n\n2013950" in text[at:] and "\n202.24\n\n210\n\n202.24\n" in text[at:]
    got = _read(tmp_path, SOCIALWORK)
    assert "T05" not in differences(got, _pdf(SOCIALWORK))
    t05 = got.tables["T05"]
    assert (t05.value("2013901", "basic"), t05.value("2013901", "project")) == (51.32, None)
    assert (t05.value("2013999", "basic"), t05.value("2013999", "project")) == (None, 202.24)
    assert t05.value("total", "project") == 202.24
    assert ("T05", BOUND) in {(n.table, n.note) for n in got.reading_notes}


def test_a_row_whose_figures_do_not_add_up_leaves_the_table_unread(tmp_path):
    # 2013901 printed "51.32 51.23": no cut of the flow makes every row add up
    got = _read(tmp_path, SOCIALWORK, "51.32\n\n51.32", "51.32\n\n51.23", after=T05)
    assert got.tables["T05"].status == "unread"
    assert any(p.startswith("公开05表") and "都不能唯一地使本表勾稽关系成立" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_table_read_from_its_flow_bounds_another(tmp_path):
    # planning's 公开03表: "212 3845.24 1585.59 2259.65" fits 基本支出 and 项目支出, or any two
    # of its five columns; 公开05表 (read from its flow, every cell printed) holds at least
    # 1572.70 and 2259.65 there, and only one placing of 公开03表 keeps to that.  The 0.00
    # printed for 208's 项目支出 stands where 208's class prints one (spaced_printed)
    got = _read(tmp_path, PLANNING)
    assert "T03" not in differences(got, _pdf(PLANNING))
    t03 = got.tables["T03"]
    assert (t03.value("212", "basic"), t03.value("212", "project"), t03.value("212", "remit")) == (1585.59, 2259.65, None)
    assert (t03.value("208", "project"), t03.value("208", "remit")) == (0.0, None)
    # the note names 公开05表 alone: 公开08/09表 print no figure (empty), so they bound nothing
    assert ("T03", bound_note(("T05",))) in {(n.table, n.note) for n in got.reading_notes}


def test_without_the_other_tables_figures_the_table_is_left_unread(tmp_path):
    # 公开05表's 2080501 printed 54.35: 公开05表 is not read, nothing bounds 公开03表, and its
    # own sums leave several placings
    got = _read(tmp_path, PLANNING, "54.53", "54.35", after=T05)
    assert got.tables["T05"].status == "unread" and got.tables["T03"].status == "unread"
    assert any(p.startswith("公开03表") and "多种对应" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_flow_cut_two_ways_leaves_the_table_unread(tmp_path):
    # 2013901 printed "51.32 51.32 0.00" and 2013950 a row of zeros "0.00 0.00" (its 款, class and
    # the 合计 less 11.31): the flow "51.32 51.32 0.00 0.00 0.00" is cut so, or as "51.32 51.32" and
    # "0.00 0.00 0.00" — the same text, which the second cut alone binds one way.  The first cut
    # binds two ways (2013950's 0.00 in 基本支出 or 项目支出), so which cells print 0.00 is not known
    text = _text(SOCIALWORK)
    at = text.index(T05)
    end = text.index("一般公共预算财政拨款基本支出决算表", at)
    table = text[at:end]
    rows = ("51.32\n\n51.32\n\n2013950\n\n事业运行\n\n11.31\n\n11.31",
            "51.32\n\n51.32\n\n0.00\n\n2013950\n\n事业运行\n\n0.00\n\n0.00")
    for old, new in (rows, ("264.87\n\n62.63", "253.56\n\n51.32"), ("307.82\n\n105.58", "296.51\n\n94.27")):
        assert old in table
        table = table.replace(old, new)
    path = tmp_path / "socialwork.pdftotext.txt"
    path.write_text(text[:at] + table + text[end:], encoding="utf-8")
    got = read_report(path)
    assert got.tables["T05"].status == "unread"
    assert any(p.startswith("公开05表") and "多种对应" in p for p in got.problems)
    _unread_are_reported(got)


T01 = "收入支出决算总表\n单位"  # where 公开01表 starts (its title in the list of tables has no 单位 after it)
UNPLACED = "没有唯一一种把金额放回各行的读法"  # 公开01表's problem when no one placing of its figures holds
CLASSES = "八、社会保障和就业支出\n\n10.82\n\n九、卫生健康支出\n\n2.71\n\n十、节能环保支出"


def test_a_table_without_row_numbers_is_read_by_where_its_labels_stand(tmp_path):
    # socialwork's 公开01表: WPS prints no 行次; each label, then its figure, a blank cell not
    # at all ("十、节能环保支出" … "十九、住房保障支出" / "29.42"); 本年支出合计's and the second 总计's
    # figures below the note.  A figure is the row's whose label it follows, before the next
    # row's label — or, below the note, any row's after its label: one placing keeps the sums
    text = _text(SOCIALWORK)
    assert CLASSES in text[text.index(T01):]
    got, pdf = _read(tmp_path, SOCIALWORK), _pdf(SOCIALWORK)
    assert "T01" not in differences(got, pdf)
    t01 = got.tables["T01"]
    assert (t01.value("210", "amount"), t01.value("221", "amount"), t01.value("220", "amount")) == (2.71, 29.42, None)
    assert (t01.value("expense_total", "amount"), t01.value("inc_general", "amount")) == (307.82, 307.82)
    # 公开02表 prints "t t" on every row (which of six sources?): read within 公开01表's income rows
    assert "T02" not in differences(got, pdf)
    assert (got.tables["T02"].value("2210201", "fiscal"), got.tables["T02"].value("2210201", "other")) == (17.70, None)
    assert ("T02", bound_note(("T01",))) in {(n.table, n.note) for n in got.reading_notes}


def test_a_figure_the_sums_do_not_take_leaves_the_unnumbered_table_unread(tmp_path):
    # 住房保障支出 printed 29.24: no placing makes 本年支出合计 = Σ类; 公开02表 then has no bound either
    got = _read(tmp_path, SOCIALWORK, "十九、住房保障支出\n\n29.42", "十九、住房保障支出\n\n29.24", after=T01)
    assert got.tables["T02"].status == "unread"
    left_unread(got, "T01", UNPLACED)


def test_two_figures_after_one_label_leave_the_unnumbered_table_unread(tmp_path):
    # 10.82 moved below 九、卫生健康支出: two figures after one label, before the next — one row
    # cannot hold both, and 社会保障和就业支出 no longer has one of its own
    moved = "八、社会保障和就业支出\n\n九、卫生健康支出\n\n10.82\n\n2.71\n\n十、节能环保支出"
    got = _read(tmp_path, SOCIALWORK, CLASSES, moved, after=T01)
    assert got.tables["T01"].status == "unread"
    _unread_are_reported(got)


ROW8 = "八、其他收入\n\n八、社会保障和就业支出\n\n10.82\n\n九、卫生健康支出"


def test_a_figure_above_its_rows_label_is_not_the_row_aboves(tmp_path):
    # 10.82 moved up, between 八、其他收入 and 八、社会保障和就业支出: WPS writes a row's cells left
    # to right and its rows down, so it is 其他收入's, and then no sum holds.  Read as
    # 七、文化旅游体育与传媒支出's (the label of its half above it) the sums would hold — but
    # the figure stands in row 八, past every label of row 七
    moved = "八、其他收入\n\n10.82\n\n八、社会保障和就业支出\n\n九、卫生健康支出"
    left_unread(_read(tmp_path, SOCIALWORK, ROW8, moved, after=T01), "T01", UNPLACED)


def test_a_figure_after_a_rows_right_label_is_not_its_left_halfs(tmp_path):
    # 一般公共预算财政拨款收入 297.00 and 一般公共服务支出 275.69: the sums hold only with 10.82 as
    # 其他收入's — but it stands after 八、社会保障和就业支出, the label WPS writes after
    # 其他收入's cell: it is 社会保障和就业支出's, and the table does not add up
    row1 = "决算数\n307.82\n\n项目\n一、一般公共服务支出\n\n决算数\n264.87"
    text = _text(SOCIALWORK)
    assert ROW8 in text[text.index(T01):]
    got = _read(tmp_path, SOCIALWORK, row1, row1.replace("307.82", "297.00").replace("264.87", "275.69"), after=T01)
    left_unread(got, "T01", UNPLACED)


def test_a_label_out_of_its_order_leaves_the_unnumbered_table_unread(tmp_path):
    # 四、上级补助收入 printed after 五、事业收入, 7.82 after 五、事业收入 (一般公共服务支出 257.05):
    # 五、事业收入 is not found after 四's label, so where its row stands is not told — its
    # 7.82 was read as 四、公共安全支出's, the label before it that was found, and the sums held
    old = "四、上级补助收入\n\n四、公共安全支出\n\n五、事业收入\n\n五、教育支出\n"
    new = "四、公共安全支出\n\n五、事业收入\n\n7.82\n\n四、上级补助收入\n\n五、教育支出\n"
    text = _text(SOCIALWORK)
    at = text.index(T01)
    rows = text[text.index("决算数\n264.87", at):text.index(old, at) + len(old)]  # rows 一 to 五
    got = _read(tmp_path, SOCIALWORK, rows, rows.replace("264.87", "257.05").replace(old, new), after=T01)
    left_unread(got, "T01", UNPLACED)


T04 = "财政拨款收入支出决算总表\n单位"  # where 公开04表 starts (its title in the list of tables has no 单位 after it)
T04_ROWS = "决算数\n307.82\n\n项目\n一、一般公共服务支出"  # 一般公共预算财政拨款's figure among the header words


def test_t04_without_row_numbers_is_read_within_the_funds_tables(tmp_path):
    # socialwork's 公开04表: WPS prints no 行次 and no blank cell, and pdftotext keeps no order
    # between its labels and figures (264.87 | 264.87, 一般公共服务支出's, before any 类's label;
    # 本年收入合计's 307.82 before its label).  Each half's figures stand in its rows' order;
    # its identities alone never tell one 类 from another, 公开05表's 类 do (X.T04_T05_class),
    # and 公开01表's 一般公共预算财政拨款收入 tells its 307.82 from a 年初结转和结余 of 307.82
    text = _text(SOCIALWORK)
    at = text.index(T04)
    assert text.index("264.87", at) < text.index("一、一般公共服务支出", at) and T04_ROWS in text[at:]
    got, pdf = _read(tmp_path, SOCIALWORK), _pdf(SOCIALWORK)
    assert "T04" not in differences(got, pdf)
    t04 = got.tables["T04"]
    assert (t04.value("201", "total"), t04.value("201", "general"), t04.value("221", "general")) == (264.87, 264.87, 29.42)
    assert (t04.value("inc_general", "amount"), t04.value("opening_balance", "amount")) == (307.82, None)
    assert ("T04", bound_note(("T01", "T05"))) in {(n.table, n.note) for n in got.reading_notes}


def test_t04_a_class_the_funds_table_does_not_agree_with_leaves_it_unread(tmp_path):
    # 住房保障支出 printed 29.24 | 29.24 in 公开04表: 公开05表 says 29.42, and no placing holds
    got = _read(tmp_path, SOCIALWORK, "29.42\n\n29.42", "29.24\n\n29.24", after=T04)
    left_unread(got, "T04", UNPLACED)


def test_t04_without_t01_to_tell_income_from_opening_balance_is_left_unread(tmp_path):
    # 公开01表 not read (its 住房保障支出 edited to 29.24): 公开04表's 307.82 may then be
    # 一般公共预算财政拨款 (本年收入合计 307.82) or 年初结转和结余's 一般公共预算财政拨款 (年初结转和结余
    # 307.82) — every identity holds both ways, and nothing else tells them apart
    got = _read(tmp_path, SOCIALWORK, "十九、住房保障支出\n\n29.42", "十九、住房保障支出\n\n29.24", after=T01)
    assert got.tables["T01"].status == "unread"
    left_unread(got, "T04", UNPLACED)
    # planning prints the same (9746.50 thrice on the income side) and its 公开01表 is not read
    # either; read together with it and 公开02表 it is told (tests/test_converter_joint.py)
