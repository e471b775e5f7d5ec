"""Plain `pdftotext` of a sheet LibreOffice Calc prints with its blank cells left blank
(issue 26, tests/fixtures/matrix/synth-000012.blankzero.pdf): two figures pdftotext's
reading order sets apart from their rows, one on each page of 公开03表, are put back
(auditlib/ingest/spaced_flow_blanks.py, `displaced`), and 公开09表's figures are placed by
what 公开03表 then read whole prints (auditlib/ingest/spaced_evidence.py).  The text is the
converted fixture; the reference the PDF reader's model of the same document.
"""

from __future__ import annotations

from auditlib.ingest import read_report
from auditlib.ingest.spaced_bind import bound_note
from tests.test_converter_texts import CONVERTED, MATRIX, differences, left_unread

TEXT = CONVERTED / "synth-000012.blankzero.pdftotext.txt"
# 2010650's 项目支出 printed after the codes of page 4 (its 基本支出 10.15 before it)
PAGE_4 = "208050\n6\n\n315.76\n\n对"
# 2120801's 项目支出 printed after page 5's codes, last of the table
PAGE_5 = "229600\n2\n\n4.54\n\n注：本表反映部门本年度各项支出情况。"


def _read(tmp_path, old: str = "", new: str = ""):
    text = TEXT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "synth-000012.blankzero.pdftotext.txt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return read_report(path)


def test_a_figure_set_apart_on_each_of_two_pages_is_put_back(tmp_path):
    # as printed the flow cuts into rows down to 2010650 only ("325.90 10.15" then 208's
    # figures); 315.76 put back beside 10.15 it cuts down to 2120801, whose 4.54 stands last
    # on page 5: both put back, one reading holds, its columns bound by 公开05表
    got = _read(tmp_path)
    assert PAGE_4 in TEXT.read_text(encoding="utf-8") and PAGE_5 in TEXT.read_text(encoding="utf-8")
    want = read_report(MATRIX / "synth-000012.blankzero.txt")
    assert "T03" not in differences(got, want)
    t03 = got.tables["T03"]
    assert (t03.value("2010650", "total"), t03.value("2010650", "basic"), t03.value("2010650", "project")) \
        == (325.9, 10.15, 315.76)
    assert (t03.value("2120801", "total"), t03.value("2120801", "basic"), t03.value("2120801", "project")) \
        == (4.54, None, 4.54)
    # 公开09表 prints "441.59 441.59" a row: 基本支出 or 项目支出 both hold its identities;
    # 公开03表 read prints 2230105 under 项目支出 only, which bounds 公开09表's
    assert "T09" not in differences(got, want)
    assert (got.tables["T09"].value("2230105", "basic"), got.tables["T09"].value("2230105", "project")) \
        == (None, 441.59)
    assert ("T09", bound_note(("T03",))) in {(n.table, n.note) for n in got.reading_notes}


def test_a_figure_set_apart_that_fits_no_row_leaves_both_tables_unread(tmp_path):
    # the figure set apart on page 5 printed 4.45: put back anywhere, some row's sum breaks;
    # 公开09表 is then bound by nothing and stays unread too
    got = _read(tmp_path, PAGE_5, PAGE_5.replace("4.54", "4.45"))
    left_unread(got, "T03", "都不能唯一地使本表勾稽关系成立")
    left_unread(got, "T09", "多种对应")
