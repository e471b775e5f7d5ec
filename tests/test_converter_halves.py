"""Plain `pdftotext` (no -layout) of 公开06表, the economic classes in two halves side by side
(issue 26; auditlib/ingest/spaced_flow_halves.py).  Calc's print is read (tests/test_converter_flow.py);
these are the prints whose figures pdftotext leaves out of their rows' order, so that more than
one placing makes every identity of the table hold: each must stay `unread`, saying why — never
be read with a figure in another row.
"""

from __future__ import annotations

import re
import shutil
from functools import lru_cache

from auditlib.ingest import read_report
from auditlib.ingest.spaced_bind import AMBIGUOUS
from auditlib.model import Report
from tests.conftest import CORPUS
from tests.test_converter_texts import CONVERTED, MATRIX, left_unread
from tools.convert_texts import convert

PLANNING = CORPUS / "shanghai-putuo-planning-2024" / "doc.pdf"
WRITER = CONVERTED / "synth-000011.writer.pdftotext.txt"
WPS_T06 = "一般公共预算财政拨款基本支出决算表\n单位"  # where the Shanghai 公开06表 starts
WRITER_T06 = "一般公共预算财政拨款基本支出决算表\n编制单位"  # where Writer's starts
UNPLACED = "人员经费、公用经费两部分的金额没有唯一一种排列能使本表勾稽关系成立"


@lru_cache(maxsize=None)
def _pdf(pdf) -> Report:
    return read_report(pdf)


def _figures(text: str, start: str) -> list[str]:
    """The figures of 公开06表 in the order plain pdftotext prints them (up to 公开07表's title)."""
    at = text.index(start)
    return re.findall(r"^\d+\.\d\d$", text[at:text.index("三公", at)], re.M)


def test_wps_t06_printed_in_runs_without_blank_lines_is_left_unread_as_printed_a_cell_a_line(tmp_path):
    # WPS's 公开06表, no blank line between its cells: 30107's 1594.02 and 30108's 446.11 come
    # before the run that begins with 301's own 4816.14, 30109's 225.12 after the note.  The
    # three are single figures of the class 301: any order of them makes 301 = Σ款 hold, so
    # no placing is the only one — the table is taken as printed a cell a line and left
    # unread with that reason, not the space-separated table's
    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils (make test does)"
    text = convert(PLANNING, "pdftotext")
    figures = _figures(text, WPS_T06)
    assert figures.index("1594.02") < figures.index("446.11") < figures.index("4816.14") < figures.index("225.12")
    assert text.index("注：本表反映部门本年度一般公共预算财政拨款基本支出") < text.index("\n225.12\n", text.index(WPS_T06))
    pdf = _pdf(PLANNING).tables["T06"]
    assert [pdf.value(code, "amount") for code in ("301", "30107", "30108", "30109")] == [4816.14, 1594.02, 446.11, 225.12]
    path = tmp_path / "planning.pdftotext.txt"
    path.write_text(text, encoding="utf-8")
    got = read_report(path)
    left_unread(got, "T06", UNPLACED)
    assert not any(p.startswith("公开06表") and AMBIGUOUS in p for p in got.problems)


def test_writers_t06_whose_figures_keep_no_row_order_is_left_unread():
    # Writer's 公开06表: 30239's 12.39 printed after two 0.00 of 310's items, which stand below
    # it.  Read in the printed order of the 公用经费 figures, it would fall on 30299 — and 302 =
    # Σ款 would hold all the same (both are items of 302): the order is no sign of the rows
    figures = _figures(WRITER.read_text(encoding="utf-8"), WRITER_T06)
    after = figures[figures.index("11.18"):]
    assert after[:5] == ["11.18", "0.00", "0.00", "390.56", "12.39"]  # 390.56: 人员经费合计
    pdf = _pdf(MATRIX / "synth-000011.writer.pdf").tables["T06"]
    assert (pdf.value("30239", "amount"), pdf.value("30299", "amount")) == (12.39, 0.0)
    got = read_report(WRITER)
    left_unread(got, "T06", UNPLACED)
