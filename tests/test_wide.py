"""Tables continued to the right (issue 26): spreadsheets printed without fit-to-width.

tests/fixtures/wide/ holds the bundled sample and a generated report printed by
LibreOffice Calc at 100 % with fit-to-width off, in both page orders (down then across
with the label columns not repeated; across then down with them repeated as print
titles), and by Chromium with each wide table cut into a left and a right table
aligned by 行次 or the label columns (tools/render_wide.py; manifest.json lists them).
The long tables run over two pages down and two to four pages across.  Every PDF must
give back every amount of its reference text, all ten tables, and the text form's
findings; a continuation that cannot be aligned must leave its table unread.
"""

from __future__ import annotations

import pikepdf
import pytest

from auditlib.ingest import read_report
from auditlib.ingest.pdf import read_pdf_lines
from auditlib.rules import check
from auditlib.schema import SPECS
from tests.conftest import ROOT
from tests.rendered import assert_every_amount, assert_the_same_findings, fixture, manifest, read

WIDE = ROOT / "tests" / "fixtures" / "wide"
MANIFEST, IDS = manifest(WIDE)


def _pages(table, key: str, columns) -> set[int]:
    return {table.boxes[(key, c)][0] for c in columns if (key, c) in table.boxes}


def test_two_producers_and_both_print_orders():
    assert {e["producer"] for e in MANIFEST} == {"calc-down", "calc-across", "chromium"}
    assert {e["document"] for e in MANIFEST} == {"nanchang-bigdata-2021", "synth-000011"}


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_every_amount_and_every_table(entry):
    pdf = assert_every_amount(entry)
    assert [c for c, t in pdf.tables.items() if t.status != "missing" and t.page] == list(SPECS)
    assert not [n for n in pdf.reading_notes if "又印了一次" in n.note]


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_the_same_findings_as_the_text_form(entry):
    assert_the_same_findings(entry)


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_the_columns_really_come_from_other_pages(entry):
    # 公开04表's 一般公共预算 / 政府性基金 / 国有资本经营 columns stand on another page
    # than the label of their row, and each cell keeps the page it was printed on
    pdf = read(entry["pdf"])
    t04 = pdf.tables["T04"]
    name_page = t04.boxes[("expense_total", "name")][0]
    assert _pages(t04, "expense_total", ("general", "gov_fund", "soe")) - {name_page}
    assert t04.value("expense_total", "gov_fund") is not None


@pytest.mark.parametrize("name, down", [("synth-000011.calc-down", True), ("nanchang-bigdata-2021.calc-down", True),
                                        ("synth-000011.calc-across", False),
                                        ("nanchang-bigdata-2021.calc-across", False)])
def test_both_print_orders(name, down):
    # 公开02表 runs over two pages down and more across: printed down then across, the
    # first rows' last columns come after the last rows' first columns; across then
    # down, before them
    t02 = read(fixture(MANIFEST, name)["pdf"]).tables["T02"]
    first, last = t02.data.index[0], t02.data.index[-1]
    assert t02.data.at[first, "page"] < t02.data.at[last, "page"]  # two pages down
    right_of_first = max(_pages(t02, first, t02.columns))
    left_of_last = min(_pages(t02, last, t02.columns))
    assert (right_of_first > left_of_last) == down


def test_caption_printed_over_the_last_columns_belongs_to_the_table():
    # Calc prints 公开04表 and 金额单位 (right-aligned in the last column) on the last page
    # across only: the table has its label and unit
    pdf = read(fixture(MANIFEST, "nanchang-bigdata-2021.calc-across")["pdf"])
    assert pdf.tables["T04"].label == "公开04表" and pdf.tables["T04"].unit == "万元"


def test_text_drawn_over_text_is_read_once():
    # Calc draws a merged caption again over the repeated label columns, clipped there:
    # on 公开08表's second page across the text layer holds two titles drawn over each
    # other ("府性基金预算…决算表政府性基金预算…决算表"); what shows is read, once
    doc = read_pdf_lines(ROOT / fixture(MANIFEST, "nanchang-bigdata-2021.calc-across")["pdf"])
    title = SPECS["T08"].title
    pages = {line.page for line in doc.lines if title[1:] in line.text}
    assert len(pages) >= 2
    assert not [line.text for line in doc.lines if line.text.count(title[1:]) > 1]


def test_a_continuation_that_cannot_be_aligned_leaves_its_table_unread(tmp_path):
    # the page holding 公开04表's last columns for its last rows, moved down 7 pt: its
    # bands no longer lie beside its rows', and its only key (行次 33-64) names rows
    # the table's first pages do not print, so it cannot be joined; its figures are
    # counted, not read, and the table is reported unread rather than checked without them
    src = ROOT / fixture(MANIFEST, "synth-000011.calc-down")["pdf"]
    page = read(str(src.relative_to(ROOT))).tables["T04"].boxes[("expense_total", "gov_fund")][0]
    with pikepdf.open(src) as pdf:
        pdf.pages[page - 1].contents_add(pdf.make_stream(b"1 0 0 1 0 -7 cm"), prepend=True)
        pdf.save(tmp_path / "shifted.pdf")
    report = read_report(tmp_path / "shifted.pdf")
    t04 = report.tables["T04"]
    assert t04.status == "unread"
    assert t04.coverage["figures"] > t04.coverage["amounts"]
    assert t04.value("expense_total", "gov_fund") is None
    errors = [f for f in check(report).findings if f.id == "READ.table"]
    assert [f.tables for f in errors] == [["T04"]] and errors[0].severity == "error"
    assert all(report.tables[c].status == "parsed" for c in SPECS if c not in ("T04", "T09"))
