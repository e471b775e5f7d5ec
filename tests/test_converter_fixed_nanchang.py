"""Plain `pdftotext` of the Nanchang renderings: the fixed-row, numbered and small coded
tables their real data print, read as the PDF is or left unread with why (issue 26).

The Nanchang PDFs are rendered fixtures (tests/fixtures/, tools/render_fixtures.py); their
texts are converted at test time into a temporary folder (never committed).  What these
texts print that the synth reports' do not:

- a block of the table above printed on the next table's page (公开06表's "160.08" after
  公开07表's title or its row 14; 公开09表's 栏次 "1 2 3" after 公开10表's title:
  spaced_numbered's strays);
- a code and its name as one line ("212 城乡社区支出", "2121399 施配套费安排的": Calc and
  WPS, spaced_flow._codes);
- 公开01表's income figures on the line of the expense label beside them ("3,670.49
  一、一般公共服务支出": WPS, spaced_cells.one_cell_a_line).
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from auditlib.ingest import read_report
from auditlib.ingest.spaced_flow import UNBOUND
from auditlib.ingest.spaced_numbered import MISCOUNTED
from auditlib.model import Report
from tests.conftest import ROOT
from tests.test_converter_texts import _read, differences, left_unread, misread
from tools.convert_texts import convert

PDFS = {
    "writer": ROOT / "tests" / "fixtures" / "matrix" / "nanchang-bigdata-2021.writer.pdf",
    "chromium": ROOT / "tests" / "fixtures" / "nanchang-bigdata-2021.chromium.pdf",
    "calc": ROOT / "tests" / "fixtures" / "matrix" / "nanchang-bigdata-2021.calc.pdf",
    "wps": ROOT / "tests" / "fixtures" / "wps" / "nanchang-bigdata-2021.wps.pdf",
    "libreoffice": ROOT / "tests" / "fixtures" / "nanchang-bigdata-2021.libreoffice.pdf",
}
ROW14 = "\n14\n\n-\n\n0\n\n160.08\n\n\f"  # Writer's 公开07表: 公开06表's 160.08 ends the page after row 14
AFTER_TITLE = "公开07表\n\n160.08\n\n\f"  # Chromium's: after 公开07表's title, the page before its header
COLUMNS = "项目支出\n\n1\n\n2\n\n3\n\n\f"  # LibreOffice's 公开09表 栏次 after 公开10表's title


@lru_cache(maxsize=None)
def _text(name: str) -> str:
    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils (make test does)"
    return convert(PDFS[name], "pdftotext")


def _report(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Report:
    """The report read from the pdftotext text of `name`, each (old, new) edit made once."""
    text = _text(name)
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / f"nanchang.{name}.pdftotext.txt"
    path.write_text(text, encoding="utf-8")
    return read_report(path)


def _as_the_pdf(got: Report, name: str, code: str) -> None:
    want = _read(PDFS[name])
    assert want.tables[code].status == "parsed"
    assert code not in differences(got, want) and code not in misread(got, want)


# --------------------------------------------------------------------------- the table above's numbers

@pytest.mark.parametrize("name,stray", [("writer", ROW14), ("chromium", AFTER_TITLE)])
def test_07_reads_past_the_figure_of_the_table_above_on_its_page(tmp_path, name, stray):
    # 公开06表's 公用支出合计 160.08, printed late on the page 公开07表's title shares with it:
    # after row 14 (Writer, rows 15–20 on the next page) or before the header (Chromium)
    assert stray in _text(name)
    got = _report(tmp_path, name)
    _as_the_pdf(got, name, "T07")
    t07 = got.tables["T07"]
    assert (t07.value("total", "budget"), t07.value("total", "actual")) == (26.95, 2.81)
    assert t07.value("reception_domestic", "budget") is None  # printed "-"
    assert (t07.value("domestic_batches", "actual"), t07.value("domestic_people", "actual")) == (15, 99)


def test_10_reads_past_the_column_numbers_of_the_table_above(tmp_path):
    assert COLUMNS in _text("libreoffice")
    got = _report(tmp_path, "libreoffice")
    _as_the_pdf(got, "libreoffice", "T10")
    assert got.tables["T10"].value("equipment_general_50w", "amount") == 5
    assert got.tables["T10"].value("vehicles_total", "amount") == 0


def test_a_figure_too_many_amid_07s_rows_leaves_it_unread(tmp_path):
    # 160.08 printed after row 7's figures instead: no block of another table stands there
    got = _report(tmp_path, "writer", (ROW14, "\n14\n\n-\n\n0\n\n\f"),
                  ("\n7\n\n-\n\n2.81\n", "\n7\n\n-\n\n2.81\n\n160.08\n"))
    left_unread(got, "T07", MISCOUNTED[:20])


def test_a_figure_too_many_after_07s_last_row_leaves_it_unread(tmp_path):
    # 160.08 after row 20, on the next page: not the page the table above shares
    got = _report(tmp_path, "writer", (ROW14, "\n14\n\n-\n\n0\n\n\f"),
                  ("\n20\n\n-\n\n0\n", "\n20\n\n-\n\n0\n\n160.08\n"))
    left_unread(got, "T07", MISCOUNTED[:20])


def test_a_count_too_many_in_10s_rows_leaves_it_unread(tmp_path):
    got = _report(tmp_path, "libreoffice", ("\n10\n\n5\n", "\n10\n\n5\n\n7\n"))
    left_unread(got, "T10", MISCOUNTED[:20])


# --------------------------------------------------------------------------- codes beside their names

CALC_LEAF = "2121399 施配套费安排的\n支出\n\n0.00\n\n53.85\n\n53.85\n\n0.00\n\n53.85\n"
WPS_LEAF = "2121399 其他城市基础设施配套费安排的支出\n\n0.00\n\n53.85\n\n53.85\n\n0.00\n\n53.85\n"


@pytest.mark.parametrize("name,leaf", [("calc", CALC_LEAF), ("wps", WPS_LEAF)])
def test_08_reads_codes_printed_beside_their_names(tmp_path, name, leaf):
    # "212 城乡社区支出", "21213 …", "2121399 …": each code on the line of its name's words
    assert leaf in _text(name)
    got = _report(tmp_path, name)
    _as_the_pdf(got, name, "T08")
    t08 = got.tables["T08"]
    assert set(t08.data.index) == {"total", "212", "21213", "2121399"}
    assert (t08.value("2121399", "income"), t08.value("2121399", "closing")) == (53.85, 0.0)
    # misprinted, its 项目支出 53.84: 支出 53.85 is no longer 基本 + 项目, no order of the
    # figures holds, and the table is unread with why
    got = _report(tmp_path, name, (leaf, leaf[:-len("53.85\n")] + "53.84\n"))
    left_unread(got, "T08", UNBOUND[:20])


# --------------------------------------------------------------------------- WPS's 公开01表

def test_wps_01_with_income_figures_beside_expense_labels_is_read(tmp_path):
    text = _text("wps")
    assert "3,670.49 一、一般公共服务支出" in text and "620.66 年末结转和结余" in text
    got = _report(tmp_path, "wps")
    _as_the_pdf(got, "wps", "T01")
    t01 = got.tables["T01"]
    assert (t01.value("inc_general", "amount"), t01.value("206", "amount")) == (3670.49, 68.56)
    assert (t01.value("opening_balance", "amount"), t01.value("closing_balance", "amount")) == (620.66, 0.0)


def test_wps_01_with_two_classes_figures_swapped_is_left_unread(tmp_path):
    # 八、社会保障和就业支出 53.85 and 十一、城乡社区支出 53.70: every sum still holds, but
    # 公开03表 prints the other way round — no reading agrees with it
    got = _report(tmp_path, "wps", ("\n39\n\n53.70\n", "\n39\n\n53.85\n"), ("\n42\n\n53.85\n", "\n42\n\n53.70\n"))
    left_unread(got, "T01", "勾稽关系成立且与公开02表、公开03表、公开04表的数字相符")
