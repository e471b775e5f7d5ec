"""Plain `pdftotext` (no -layout) of the matrix reports, read from its streams (issue 26).

Without -layout pdftotext prints a table a cell a line in the order of the PDF's text blocks:
codes, names and figures as separate streams (auditlib/ingest/spaced_flow.py), 公开06表's two
halves (spaced_flow_halves.py), 公开01/04表's 行次 and figures interleaved (spaced_fixed_flow.py),
a coded table over a page break (spaced_pages.py), rows numbered by 行次 whose labels come out in
blocks (spaced_numbered.py).  Each test reads a committed converter text (tests/fixtures/converted)
and asserts real amounts against the PDF reader's model, or — a figure changed so that no single
reading makes the table's identities hold — that the table is `unread` with its reason.
The comparison itself and the pinned counts per converter: tests/test_converter_texts.py.
"""

from __future__ import annotations

import re

from auditlib.ingest import read_report, spaced_numbered
from auditlib.ingest.spaced import _has_streams
from auditlib.ingest.spaced_bind import BOUND, bound_note
from auditlib.ingest.spaced_pages import MAX_READINGS, page_orders
from auditlib.ingest.spaced_template import template
from auditlib.ingest.spaced_tokens import Line, Token
from auditlib.kinds import spec_of
from auditlib.schema import SPECS
from tests.test_converter_texts import (CONVERTED, MATRIX, _edited, _read, _unread_are_reported, differences,
                                        left_unread)


WRITER = CONVERTED / "synth-000011.writer.pdftotext.txt"
CALC = CONVERTED / "synth-000011.calc.pdftotext.txt"
T05 = "一般公共预算财政拨款支出决算表\n编制单位"  # where Writer's 公开05表 starts
T05_CODES = "20805\n208050\n2\n208050\n5\n"  # and the codes of its page 1, in a block


def test_a_coded_table_is_read_from_its_streams_of_codes_and_figures():
    # Writer's 公开05表 without -layout: its codes in a block above the header, wrapped
    # ("208050" / "2"), its names in another, its figures row by row after both — the rows
    # are the 合计 and the codes in code order, the figures fill them row by row, and only
    # that reading makes 合计 = Σ类, 类 = Σ款 = Σ项 and 合计 = 基本 + 项目 hold
    text = WRITER.read_text(encoding="utf-8")
    assert text.index(T05) < text.index(T05_CODES, text.index(T05)) < text.index("757.59", text.index(T05))
    got, want = read_report(WRITER), _read(MATRIX / "synth-000011.txt")
    assert "T05" not in differences(got, want)
    assert got.tables["T05"].value("2080505", "basic") == 14.47
    assert got.tables["T05"].value("total", "project") == 125.48


def test_codes_of_one_parent_printed_out_of_order_leave_the_table_unread(tmp_path):
    # 2080505 printed before 2080502: the rows may not be in code order, and nothing else
    # tells which of two sibling rows a run of figures is
    got = _edited(tmp_path, WRITER, T05_CODES, "20805\n208050\n5\n208050\n2\n", after=T05)
    assert got.tables["T05"].status == "unread"
    assert any(p.startswith("公开05表") and "科目编码的先后与编码顺序不符" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_figure_no_order_of_the_stream_agrees_with_leaves_the_table_unread(tmp_path):
    # 2080505's 基本支出 printed 14.74: 20805 = Σ项 holds under no order of the figures
    got = _edited(tmp_path, WRITER, "14.47", "14.74", after=T05)
    assert got.tables["T05"].status == "unread"
    assert any(p.startswith("公开05表") and "金额按行或按栏排列都不能唯一地" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_table_of_counts_printed_a_cell_a_line_is_read_by_its_rows():
    got, want = read_report(CALC), _read(MATRIX / "synth-000011.txt")
    assert "T10" not in differences(got, want)
    assert got.tables["T10"].value("vehicle_confidential", "amount") == 2


def test_rows_whose_numbers_do_not_run_in_order_are_not_read(tmp_path):
    # 4. 应急保障用车 with 行次 9: the rows read back number 1 … 4, 9, 6 …: not certain
    got = _edited(tmp_path, CALC, "4. 应急保障用车\n\n5\n", "4. 应急保障用车\n\n9\n")
    assert got.tables["T10"].status == "unread"
    assert any(p.startswith("公开10表") and "行次不连续递增" in p for p in got.problems)
    _unread_are_reported(got)


T06 = "一般公共预算财政拨款基本支出决算表\n编制单位"  # where Calc's 公开06表 starts


def test_the_two_halves_of_t06_are_read_from_their_streams_of_codes_and_figures():
    # Calc's 公开06表 without -layout: each half's "code name" and figure a cell a line, the
    # halves of a printed row one after the other — but 30114's 85.69 printed before the
    # 0.00 of 30212 beside 30113 (its name wraps), 30108/30109 after 30207, the 399 class
    # without a figure, and 公用经费合计's 241.55 below the note: the rows are each half's
    # codes in code order side by side, and only 85.69 traded with the 0.00 before it
    # makes every 类 = Σ款 and both totals hold
    text = CALC.read_text(encoding="utf-8")
    t06 = text[text.index(T06):text.index("公开07表", text.index(T06))]
    figures = re.findall(r"\d+\.\d\d", t06)
    assert figures[figures.index("18.76"):][:4] == ["18.76", "85.69", "0.00", "0.00"]
    assert t06.index("注：") < t06.index("241.55", t06.index("公用经费合计"))
    got, want = read_report(CALC), _read(MATRIX / "synth-000011.calc.pdf")
    assert "T06" not in differences(got, want)
    assert got.tables["T06"].value("30114", "amount") == 85.69
    assert got.tables["T06"].value("30212", "amount") == 0.0
    assert got.tables["T06"].value("public_total", "amount") == 241.55
    assert got.tables["T06"].data.loc[["399", "39906", "39907", "39999"], "amount"].isna().all()
    assert "T06" in {n.table for n in got.reading_notes if n.note == BOUND}


def test_a_t06_figure_no_placing_of_the_halves_agrees_with_leaves_it_unread(tmp_path):
    # 30106 伙食补助费 printed 117.98: 301 = Σ款 holds under no placing of the figures
    got = _edited(tmp_path, CALC, "117.89", "117.98", after=T06)
    assert got.tables["T06"].status == "unread"
    assert any(p.startswith("公开06表") and "两部分的金额没有唯一一种排列" in p for p in got.problems)


# --------------------------------------------------------------------------- plain pdftotext's fixed rows

T04 = "财政拨款收入支出决算总表\n编制单位"  # where Calc's 公开04表 starts


def test_a_fixed_row_table_is_read_from_its_streams_of_row_numbers_and_figures():
    # Calc's 公开04表 without -layout: 行次, labels and figures of both halves interleaved
    # ("3 / 756.57 / 一、一般公共服务支出 / … / 33 / 0.00 …", 59's row ahead of 27's, 64's
    # figures ahead of its 行次); the figures go back on the numbered rows in the one way
    # that makes 本年收入合计 = Σ收入, 总计 = 合计 + 结转, each fund's balance and row totals hold
    text = CALC.read_text(encoding="utf-8")
    at = text.index(T04)
    assert text.index("\n59\n\n2,368.11", at) < text.index("本年收入合计\n\n27\n", at)
    got, want = read_report(CALC), _read(MATRIX / "synth-000011.txt")
    assert "T04" not in differences(got, want)
    assert got.tables["T04"].value("income_total", "amount") == 2337.16
    assert got.tables["T04"].value("opening_gov_fund", "amount") == 42.11
    assert got.tables["T04"].value("212", "gov_fund") == 1530.79
    assert ("T04", BOUND) in {(n.table, n.note) for n in got.reading_notes}


def test_a_fixed_row_table_no_placing_of_its_figures_agrees_with_is_left_unread(tmp_path):
    # 年初结转和结余 of 政府性基金 printed 42.21: 42.11 + 1,500.85 = 1,530.79 + 12.17 holds
    # under no placing of the figures, so the table is not read (nor read otherwise)
    got = _edited(tmp_path, CALC, "42.11", "42.21", after=T04)
    assert got.tables["T04"].status == "unread"
    assert any(p.startswith("公开04表") and "没有唯一一种把金额放回各行的读法" in p for p in got.problems)


CHROMIUM = CONVERTED / "synth-000011.chromium.pdftotext.txt"
T02_TITLE = "收入决算表\n公开02表"  # where Chromium's 公开02表 starts


def test_t01_is_read_within_the_figures_of_the_tables_read_whole():
    # Chromium's 公开01表 without -layout: its identities are sums alone and leave too many
    # placings of its figures; within what 公开02表's 合计 row (事业收入 16.34, 经营收入
    # 232.73 …), 公开03表's 合计 and 类 rows and 公开04表's 财政拨款 rows print of its rows,
    # one placing is left.  Its 行次 30 (a blank row) is printed after 总计's 31, its 总计 62
    # below the note
    got, want = read_report(CHROMIUM), _read(MATRIX / "synth-000011.txt")
    assert "T01" not in differences(got, want)
    assert got.tables["T01"].value("inc_institution", "amount") == 16.34
    assert got.tables["T01"].value("use_nonfiscal_balance", "amount") == 0.16
    assert got.tables["T01"].value("opening_balance", "amount") == 45.38
    assert got.tables["T01"].value("208", "amount") == 224.13
    notes = {n.note for n in got.reading_notes if n.table == "T01"}
    by = ("T02", "T03", "T04")
    assert bound_note(by) in notes and "并以公开02表、公开03表、公开04表的数字为界" in bound_note(by)


def test_t01_is_read_within_the_balance_the_fiscal_table_prints():
    # synth-12 Chromium's 公开01表: its sums hold with 11.74 as 年初结转和结余 or as 使用非财政拨款
    # 结余; 公开04表's 年初财政拨款结转和结余 is 11.74, part of 公开01表's (X.T01_T04_opening)
    got = read_report(CONVERTED / "synth-000012.chromium.pdftotext.txt")
    assert "T01" not in differences(got, _read(MATRIX / "synth-000012.txt"))
    t01 = got.tables["T01"]
    assert (t01.value("opening_balance", "amount"), t01.value("use_nonfiscal_balance", "amount")) == (11.74, 0.0)
    assert ("T01", bound_note(("T02", "T03", "T04"))) in {(n.table, n.note) for n in got.reading_notes}


def test_t01_over_two_pages_is_read_whole_within_the_other_tables_figures():
    # Calc's 公开01表 without -layout: its second page prints figures beside labels ("2,586.42
    # 本年支出合计") yet continues the table printed a cell a line; 四、公共安全支出 is printed
    # after 十五、 at the foot of page 1; 总计's 行次 62 and figure below the note.  Read back on
    # the template's rows (类 in code order) within 公开02/03/04表's figures
    text = CALC.read_text(encoding="utf-8")
    at = text.index("收入支出决算总表\n公开01表")
    assert text.index("十五、商业服务", at) < text.index("四、公共安全支", at)
    assert text.index("注：1. 本表反映部门本年度的总收支", at) < text.index("\n62\n\n2,631.96\n", at)
    got, want = read_report(CALC), _read(MATRIX / "synth-000011.txt")
    assert "T01" not in differences(got, want)
    assert got.tables["T01"].value("inc_operating", "amount") == 232.73
    assert got.tables["T01"].value("212", "amount") == 1530.79
    assert got.tables["T01"].value("expense_grand_total", "amount") == 2631.96
    assert ("T01", bound_note(("T02", "T03", "T04"))) in {(n.table, n.note) for n in got.reading_notes}


def test_t01_without_the_other_tables_figures_is_left_unread(tmp_path):
    # 公开02表's 2240101 本年收入合计 printed 129.09: 公开02表 is not read, so nothing bounds
    # 公开01表's 事业收入, 经营收入 … (公开03表 bounds its spending, 公开04表 its 财政拨款 rows),
    # and its own sums leave more than one placing: unread with why, not guessed
    got = _edited(tmp_path, CHROMIUM, "129.90", "129.09", after=T02_TITLE)
    assert got.tables["T02"].status == "unread"
    assert got.tables["T01"].status == "unread"
    assert any(p.startswith("公开01表") and "勾稽关系成立且与公开03表、公开04表的数字相符" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_budgets_totals_table_is_not_read_as_a_fixed_row_table():
    # a 预算's 收支总表 (B01) printed a cell a line with 行次: its rows and sums are not
    # 公开01表's (no sums to check them by), so its streams are not read so — the
    # reader used to look up 公开01表's sums for it and raise (KeyError 'B01')
    header = "项目 行次 预算数 项目 行次 预算数"
    assert _has_streams(template(SPECS["T01"], header, True))
    assert not _has_streams(template(spec_of("B01"), header, True))


# --------------------------------------------------------------------------- fixed rows out of their order

WRITER_T04 = "财政拨款收入支出决算总表\n编制单位"  # where Writer's 公开04表 starts
CLOSING = "总计\n\n60\n\n64\n\n13.22\n\n1.05\n"  # its 年末结转和结余: 行次 after 总计's, figures after 64


def test_a_fixed_row_table_whose_labels_and_numbers_are_printed_apart_is_read():
    # Writer's 公开04表 without -layout: "本年收入合" / "计" and "八、社会保障和就业支" / "出"
    # wrapped, their last lines printed with the next page's header; the 行次 15 and 18 of
    # blank income rows after 59; 年末结转和结余's 行次 60 after 61–63 and its figures after
    # 总计's 64.  The rows are found by what is left of those labels, each figure stands near
    # the 行次 of the rows with figures three up and down, and one reading holds every identity
    text = WRITER.read_text(encoding="utf-8")
    at = text.index(WRITER_T04)
    assert text.index("本年收入合\n\n27\n", at) < text.index("\n计\n", text.index("本年收入合", at))
    assert text.index("\n63\n", at) < text.index(CLOSING, at)
    got, want = read_report(WRITER), _read(MATRIX / "synth-000011.txt")
    assert "T04" not in differences(got, want)
    t04 = got.tables["T04"]
    assert (t04.value("income_total", "amount"), t04.value("208", "total")) == (2337.16, 224.13)
    assert (t04.value("closing_balance", "general"), t04.value("closing_balance", "gov_fund")) == (1.05, 12.17)


def test_a_fixed_row_table_whose_late_row_breaks_an_identity_is_left_unread(tmp_path):
    # 年末结转和结余 printed "1.05 13.22 …": its row total 1.05 ≠ 13.22 + 12.17 + 0.00, under
    # no placing of the figures do the identities hold: unread, not read otherwise
    got = _edited(tmp_path, WRITER, CLOSING, CLOSING.replace("13.22\n\n1.05", "1.05\n\n13.22"), after=WRITER_T04)
    assert got.tables["T04"].status == "unread"
    assert any(p.startswith("公开04表") and "没有唯一一种把金额放回各行的读法" in p for p in got.problems)
    _unread_are_reported(got)


WRITER12_T01 = "收入支出决算总表\n公开 01 表"  # where Writer's synth-12 公开01表 starts


def test_a_function_class_named_in_two_pieces_is_a_row():
    # Writer's 公开01/04表 of synth-12: "二十五、债" at the foot of page 1, "务付息支出" on
    # page 2 after the repeated header; 二十五 names no other 类, and 债务付息支出 is the one
    # 类 not found that "债" and a line printed alone make up (债务还本支出 is 二十四's):
    # 26 类, every figure on its row
    text = WRITER12.read_text(encoding="utf-8")
    at = text.index(WRITER12_T01)
    assert text.index("二十五、债\n\n53", at) < text.index("\n务付息支出\n", at)
    got, want = read_report(WRITER12), _read(MATRIX / "synth-000012.txt")
    assert "T01" not in differences(got, want) and "T04" not in differences(got, want)
    t01 = got.tables["T01"]
    assert (t01.value("229", "amount"), t01.value("232", "amount"), t01.value("234", "amount")) == (27.14, 0.0, 0.0)
    assert (t01.value("income_total", "amount"), t01.value("expense_total", "amount")) == (894.87, 898.43)
    assert got.tables["T04"].value("224", "soe") == 0.0 and got.tables["T04"].value("223", "soe") == 441.59


def test_a_class_whose_pieces_make_up_no_name_leaves_the_table_unread(tmp_path):
    # the line printed apart reads "务付息" instead: "债" and no line alone make up a 类 not
    # found, 公开01表 names 25 类 for 26 rows of figures, and is not read
    got = _edited(tmp_path, WRITER12, "\n务付息支出\n", "\n务付息\n", after=WRITER12_T01)
    assert got.tables["T01"].status == "unread"
    assert any(p.startswith("公开01表") and "没有唯一一种把金额放回各行的读法" in p for p in got.problems)
    _unread_are_reported(got)


CHROMIUM_T04 = "公开04表\n"  # where Chromium's 公开04表 starts
LAST = "\n79.73\n\n2,337.16\n\n注："  # its 本年收入合计 figure, printed after 总计's


def test_a_figure_printed_after_the_whole_table_is_a_one_figure_rows():
    # Chromium's 公开04表 without -layout prints 本年收入合计's 2,337.16 after 总计's figures:
    # no reading near the 行次; taken as any one-figure row's, one reading holds every identity
    text = CHROMIUM.read_text(encoding="utf-8")
    at = text.index(CHROMIUM_T04)
    assert text.index("本年收入合\n计\n\n27\n", at) < text.index("\n64\n", at) < text.index(LAST, at)
    got, want = read_report(CHROMIUM), _read(MATRIX / "synth-000011.txt")
    assert "T04" not in differences(got, want)
    t04 = got.tables["T04"]
    assert (t04.value("income_total", "amount"), t04.value("opening_balance", "amount")) == (2337.16, 44.17)
    assert t04.value("expense_grand_total", "gov_fund") == 1542.96


def test_a_late_figure_no_row_takes_leaves_the_table_unread(tmp_path):
    # the late figure printed 2,337.61: 本年收入合计 = Σ收入 holds with it on no row
    got = _edited(tmp_path, CHROMIUM, LAST, LAST.replace("2,337.16", "2,337.61"), after=CHROMIUM_T04)
    assert got.tables["T04"].status == "unread"
    assert any(p.startswith("公开04表") and "没有唯一一种把金额放回各行的读法" in p for p in got.problems)
    _unread_are_reported(got)


CALC12 = CONVERTED / "synth-000012.calc.pdftotext.txt"
CALC12_T01 = "收入支出决算总表\n公开01表"  # where Calc's synth-12 公开01表 starts
BESIDE = "33.53 二、外交支出\n\n33\n\n0.00\n\n441.59 三、国防支出"  # 二、三's figures, beside 33's and 34's labels


def test_figures_printed_beside_the_expense_halfs_labels_are_their_rows_income():
    # Calc's synth-12 公开01表 without -layout: 二、政府性基金 and 三、国有资本经营's wider figures
    # come out with the expense half's block, each on one line with the label of the expense
    # row printed beside it, after 四、五、六's 0.00.  No placing holds in printed order; put
    # at the 行次 of the income row beside that label, one placing holds within what 公开02/03/04表
    # print of its rows
    text = CALC12.read_text(encoding="utf-8")
    at = text.index(CALC12_T01)
    assert text.index("\n4\n\n0.00\n", at) < text.index(BESIDE, at)
    got, want = read_report(CALC12), _read(MATRIX / "synth-000012.txt")
    assert "T01" not in differences(got, want)
    t01 = got.tables["T01"]
    assert [t01.value(k, "amount") for k in ("inc_general", "inc_gov_fund", "inc_soe", "inc_superior")] == [
        419.75, 33.53, 441.59, 0.0]
    assert (t01.value("202", "amount"), t01.value("203", "amount")) == (0.0, 0.0)
    assert ("T01", bound_note(("T02", "T03", "T04"))) in {(n.table, n.note) for n in got.reading_notes}


def test_figures_beside_the_wrong_labels_leave_the_table_unread(tmp_path):
    # 33.53 and 441.59 traded: beside their labels, 政府性基金 would be 441.59 and 国有资本经营
    # 33.53, which 公开04表's 财政拨款 rows gainsay — no placing holds, 公开01表 is not read
    swapped = BESIDE.replace("33.53", "<>").replace("441.59", "33.53").replace("<>", "441.59")
    got = _edited(tmp_path, CALC12, BESIDE, swapped, after=CALC12_T01)
    assert got.tables["T01"].status == "unread"
    assert any(p.startswith("公开01表") and "没有唯一一种把金额放回各行的读法" in p for p in got.problems)
    _unread_are_reported(got)


CHROMIUM12 = CONVERTED / "synth-000012.chromium.pdftotext.txt"
ROW20 = "年初\n预算\n数1\n\n20\n\n决算\n数2\n-\n\n12\n"  # 公开07表's row 20 amid the next page's header


def test_rows_joined_out_of_order_give_way_to_the_numbered_streams():
    # Chromium's 公开07表: its last row on the next page, amid the repeated header ("年初 预算
    # 数1 / 20 / 决算 数2 / - / 12"); joining cells read "决算数2- 12" as a row numbered 12
    # after 20 — no reading, so the table is read from its streams of labels and numbers
    assert ROW20 in CHROMIUM12.read_text(encoding="utf-8")
    got, want = read_report(CHROMIUM12), _read(MATRIX / "synth-000012.txt")
    assert "T07" not in differences(got, want)
    assert got.tables["T07"].value("abroad_reception_people", "actual") == 12
    assert got.tables["T07"].value("domestic_people", "actual") == 100


def test_a_last_row_numbered_out_of_the_run_leaves_the_labelled_table_unread(tmp_path):
    # row 20 printed with 行次 21: the numbers run 1 … 19 then 21, no parse, and the rows
    # joined are out of order too: unread with why
    got = _edited(tmp_path, CHROMIUM12, ROW20, ROW20.replace("\n20\n", "\n21\n"))
    assert got.tables["T07"].status == "unread"
    assert any(p.startswith("公开07表") and "行次不连续递增" in p for p in got.problems)
    _unread_are_reported(got)


ROW1 = "\n1\n\n年初\n预算\n数1\n6.01\n"  # Writer's synth-12 公开07表: row 1's 年初预算数 with its header …
LATE = "\n12\n\n-\n\n0\n\n2.因公出国\n\n栏\n次\n\n决算\n数2\n3.18\n\n\f"  # … its 决算数 under its own, after row 12
TAIL = "\n20\n\n-\n\n12\n\n（境）人次\n（人）\n3.公务用车\n购置数\n（辆）\n"  # rows 12–13's labels after row 20


def test_a_first_rows_figure_printed_under_its_columns_header_is_that_rows():
    # Writer's 公开07表 without -layout: row 1's 决算数 3.18 printed after row 12, right
    # under its header cell "决算数2"; the rest of row 12's label cut by the page break,
    # with row 13's, printed after row 20.  Row 1 reads 6.01 and 3.18, every row as the PDF
    text = WRITER12.read_text(encoding="utf-8")
    assert text.index(ROW1) < text.index(LATE) < text.index(TAIL)
    got, want = read_report(WRITER12), _read(MATRIX / "synth-000012.txt")
    assert "T07" not in differences(got, want)
    t07 = got.tables["T07"]
    assert (t07.value("total", "budget"), t07.value("total", "actual")) == (6.01, 3.18)
    assert (t07.value("abroad_people", "actual"), t07.value("vehicles_purchased", "actual")) == (0, 0)
    assert t07.value("reception_abroad", "actual") == 0.03


def test_a_figure_under_its_header_printed_before_the_rows_left_cells_leaves_the_table_unread(tmp_path):
    # 3.18 and its header printed before row 1's 6.01: taken as row 1's 决算数 it would stand
    # left of its 年初预算数 in the flow — no reading, unread with its reason
    moved = LATE.replace("决算\n数2\n3.18\n", "")
    text = WRITER12.read_text(encoding="utf-8").replace(LATE, moved).replace(ROW1, "\n决算\n数2\n3.18\n" + ROW1)
    path = tmp_path / "edited.txt"
    path.write_text(text, encoding="utf-8")
    got = read_report(path)
    left_unread(got, "T07", "本表未读取")


# --------------------------------------------------------------------------- a table over a page break

WRITER12 = CONVERTED / "synth-000012.writer.pdftotext.txt"
T02 = "收入决算表\n公开 02 表"  # where Writer's 公开02表 starts
T03 = "支出决算表\n公开 03 表"
CUT = "22401\n224010\n\n\f"  # 2240101's head at the foot of page 2 …
RESUMED = "\n\n1\n224010\n2\n\n"  # … its tail "1" on page 3, above 2240102's "224010" / "2"


def test_a_code_cut_by_a_page_break_is_read_as_one_code():
    # Writer's 公开02表 without -layout: row 2240101 broken over the page break, its code
    # wrapped as "224010" (page 2) / "1" (page 3, after the repeated header); read as one
    # code, its figures (printed on page 2) its own
    text = WRITER.read_text(encoding="utf-8")
    start = text.index(T02)
    assert text.index(CUT, start) < text.index(RESUMED, start) < text.index(T03)
    got, want = read_report(WRITER), _read(MATRIX / "synth-000011.txt")
    assert "T02" not in differences(got, want)
    assert got.tables["T02"].value("2240101", "total") == 129.90
    assert got.tables["T02"].value("2240101", "institution") == 16.34


def test_a_code_tail_two_lines_could_be_leaves_the_table_unread(tmp_path):
    # a second lone "1" above a code on page 3: which one ends 224010 cannot be told, so
    # some row's code is not known (dropping the head would read 2240101's figures as
    # 2240102's and 2240102's as 2240103's, every identity holding): 公开02表 is unread
    got = _edited(tmp_path, WRITER, RESUMED, "\n\n1\n224010\n2\n\n1\n224010\n3\n\n", after=T02)
    assert got.tables["T02"].status == "unread"
    assert any(p.startswith("公开02表") and "有科目编码被截断" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_page_printed_right_hand_columns_first_is_read_by_its_rows_sums():
    # Writer's 公开03表, last page: 2240102's row printed "0.00 145.62 0.00" (上缴上级支出,
    # 经营支出, 对附属单位补助支出) before "276.47 2.78 128.07"; as printed the row does not
    # add up, and only the two blocks swapped make every identity hold
    text = WRITER.read_text(encoding="utf-8")
    page = text[text.index(RESUMED, text.index(T03)):text.index("注：本表反映部门本年度各项支出情况")]
    assert page.index("0.00\n\n145.62\n\n0.00") < page.index("276.47\n\n2.78\n\n128.07")
    got, want = read_report(WRITER), _read(MATRIX / "synth-000011.txt")
    assert "T03" not in differences(got, want)
    assert [got.tables["T03"].value("2240102", c) for c in ("total", "basic", "project", "business")] == [
        276.47, 2.78, 128.07, 145.62]


def test_too_many_block_orders_leave_the_row_order_unknown():
    # each page's one row "1 2 3" does not add up as printed (its first cell may not be 1)
    # and does in several orders of blocks of columns: one page's few orders are tried, two
    # pages' (their product, over MAX_READINGS) are too many — None, and the table is not
    # read, rather than read column by column alone
    def page(n: int) -> list:
        line = Line(n, n + 1, n, "1 2 3", tuple(Token(t, "fig") for t in ("1", "2", "3")))
        return [(line, t) for t in line.tokens]

    def adds_up(cells: list) -> bool:
        return cells[0][1].text != "1"

    one = page_orders(page(0), 3, adds_up)
    assert one and len(one) <= MAX_READINGS
    assert page_orders([*page(0), *page(1)], 3, adds_up) is None


def test_a_class_printed_with_the_next_table_is_a_row_of_its_own():
    # synth-12's Writer 公开02表: its last page shares the page with 公开03表, and pdftotext
    # prints 229 其他支出 after 公开03表's title; 22960 and 2296002 need their 类, and only
    # with it do the figures fill the rows and every identity hold
    text = WRITER12.read_text(encoding="utf-8")
    assert "\n229\n" not in text[text.index(T02):text.index(T03)]
    got, want = read_report(WRITER12), _read(MATRIX / "synth-000012.txt")
    assert "T02" not in differences(got, want)
    assert got.tables["T02"].value("229", "total") == 28.99


def test_a_class_printed_twice_counts_where_it_stands_among_the_rows():
    # and 公开03表 prints that 229 after its title, above its own first figure, then its own
    # 229 among its rows: the first is the other table's, and 公开03表 reads as the PDF
    text = WRITER12.read_text(encoding="utf-8")
    region = text[text.index(T03):text.index("注：本表反映部门本年度各项支出情况")]
    assert region.index("\n229\n") < region.index("898.43") < region.rindex("\n229\n")
    got, want = read_report(WRITER12), _read(MATRIX / "synth-000012.txt")
    assert "T03" not in differences(got, want)
    assert got.tables["T03"].value("229", "basic") == 0.64


# --------------------------------------------------------------------------- rows numbered by 行次

BLOCK = "\n9\n10\n\n0\n5\n"  # Writer's 公开10表: two rows' 行次 in one block, their counts in the next


def test_labels_in_blocks_are_read_by_their_rows_numbers():
    # Writer's 公开07表 and 公开10表 without -layout: several rows' labels in one block,
    # then each row's 行次 and figures — or, in 公开10表, 行次 9 and 10 together, then their
    # counts; 单价100万元(含)以上专用设备 broken by the page's repeated header
    assert BLOCK in WRITER.read_text(encoding="utf-8")
    got, want = read_report(WRITER), _read(MATRIX / "synth-000011.txt")
    assert "T07" not in differences(got, want) and "T10" not in differences(got, want)
    assert got.tables["T07"].value("reception_domestic", "actual") == 3.87
    assert got.tables["T07"].value("vehicle_purchase", "budget") == 19.01
    assert got.tables["T10"].value("vehicle_other", "amount") == 0
    assert got.tables["T10"].value("equipment_general_50w", "amount") == 5


def test_a_row_whose_label_is_not_printed_leaves_the_numbered_table_unread(tmp_path):
    # 5. 执法执勤用车 printed as another label: the 行次 still run 1 … 11, but which row
    # is which is no longer certain, and 公开10表 stays unread with its reason
    got = _edited(tmp_path, WRITER, "5. 执法执勤", "5. 其他公务", after="国有资产占用情况表\n编制单位")
    assert got.tables["T10"].status == "unread"
    assert any(p.startswith("公开10表") and "本表未读取" in p for p in got.problems)
    _unread_are_reported(got)


def test_a_figure_too_many_leaves_the_numbered_table_unread(tmp_path):
    # a count more after the last row's: the stream parses as 行次 1 … 11 with one count
    # each no way (not with one left over)
    got = _edited(tmp_path, WRITER, "\n11\n\n0\n", "\n11\n\n0\n\n2\n", after=BLOCK)
    assert got.tables["T10"].status == "unread"
    _unread_are_reported(got)


def test_numbers_that_split_into_rows_two_ways_leave_the_table_unread(tmp_path):
    # "9 10 11 5 11 0": 行次 9–11 then 5, 11, 0 — or 行次 9, 10 then 11, 5, and 行次 11 then 0:
    # whether 其他用车 is 5 and 通用设备 11, or the other way round, cannot be told
    got = _edited(tmp_path, WRITER, "\n9\n10\n\n0\n5\n\n11\n\n0\n", "\n9\n10\n11\n\n5\n11\n0\n")
    assert got.tables["T10"].status == "unread"
    assert any(p.startswith("公开10表") and "行次与金额的先后不能唯一地分成各行" in p for p in got.problems)
    _unread_are_reported(got)


def test_numbers_that_split_more_ways_than_are_listed_leave_the_table_unread(tmp_path, monkeypatch):
    # "9 10 10 5": 行次 9, 10 then 10, 5 — or 行次 9 then 10, and 行次 10 then 5: both read
    # 10 and 5; with one parse listed at most, the other is not known to agree: unread
    edited = "\n9\n10\n\n10\n5\n"
    got = _edited(tmp_path, WRITER, BLOCK, edited)
    assert got.tables["T10"].value("vehicle_other", "amount") == 10
    assert got.tables["T10"].value("equipment_general_50w", "amount") == 5
    monkeypatch.setattr(spaced_numbered, "MAX_PARSES", 1)
    got = _edited(tmp_path, WRITER, BLOCK, edited)
    assert got.tables["T10"].status == "unread"
    assert any(p.startswith("公开10表") and "行次与金额的先后不能唯一地分成各行" in p for p in got.problems)
    _unread_are_reported(got)
