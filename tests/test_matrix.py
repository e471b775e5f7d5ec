"""The rendering matrix: the same reports printed by four producers and layouts.

tests/fixtures/matrix/ holds the bundled sample and two generated reports rendered by
LibreOffice Calc (.xlsx: wrapped labels and 编制单位, print titles, tables split across
pages), LibreOffice Writer (.docx: Word tables, repeated header rows, rows broken by a
page break), Chromium (<thead>) and a blank-for-zero layout without thousands separators
or repeated headers (tools/render_matrix.py; manifest.json lists them).  Every PDF must
give back every amount of its reference text, find every table, and give the same
findings as the text form.
"""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.rendered import assert_every_amount, assert_the_same_findings, fixture, manifest, read

MATRIX = ROOT / "tests" / "fixtures" / "matrix"
MANIFEST, IDS = manifest(MATRIX)


def test_the_matrix_covers_every_producer_and_layout():
    producers = {e["producer"] for e in MANIFEST}
    assert producers == {"calc", "writer", "chromium", "blankzero"}
    assert len({e["document"] for e in MANIFEST}) == 3
    for feature in ("wrapped_labels", "wrapped_department", "split_tables", "repeated_headers", "blank_zeros"):
        assert any(e["features"][feature] for e in MANIFEST), feature


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_every_amount_and_every_table(entry):
    pdf = assert_every_amount(entry)
    located = [c for c, t in pdf.tables.items() if t.status != "missing" and t.page]
    assert len(located) == 10


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_the_same_findings_as_the_text_form(entry):
    assert_the_same_findings(entry)


# --------------------------------------------------------------------------- one failure class each

@pytest.mark.parametrize("name", ["nanchang-bigdata-2021.calc", "nanchang-bigdata-2021.writer"])
def test_wrapped_label_is_one_cell(name):
    # 公开01表 "七、附属单位上缴收入" wraps onto two lines in the Calc and Writer renderings
    t01 = read(fixture(MANIFEST, name)["pdf"]).tables["T01"]
    assert t01.data.at["inc_affiliated", "name"] == "七、附属单位上缴收入"
    assert t01.value("inc_affiliated", "amount") == 0.0
    assert t01.data.at["inc_general", "name"] == "一、一般公共预算财政拨款收入"


def test_wrapped_department_is_read_whole():
    # the 编制单位 caption wraps inside its merged cell ("…南昌市大数据" / "发展管理局 2021年度")
    pdf = read(fixture(MANIFEST, "nanchang-bigdata-2021.calc")["pdf"])
    text = read("auditlib/samples/nanchang-bigdata-2021.txt")
    for code in pdf.tables:
        assert pdf.tables[code].department == text.tables[code].department, code
    assert pdf.tables["T01"].department == "南昌市大数据发展管理局"
    assert pdf.tables["T06"].department == "南阳市大禹街道办事处"  # the document's own error, kept


@pytest.mark.parametrize("name", ["nanchang-bigdata-2021.calc", "nanchang-bigdata-2021.writer",
                                  "nanchang-bigdata-2021.chromium"])
def test_table_split_across_pages_with_repeated_headers(name):
    pdf = read(fixture(MANIFEST, name)["pdf"])
    t01 = pdf.tables["T01"]
    pages = set(t01.data["page"].dropna().astype(int))
    assert len(pages) >= 2, pages  # the table really runs over a page break
    assert t01.status == "parsed" and len(t01.data) == 42
    assert not [n for n in pdf.reading_notes if "又印了一次" in n.note]
    assert t01.value("expense_grand_total", "amount") == 4344.99


def test_table_split_without_repeated_headers():
    pdf = read(fixture(MANIFEST, "nanchang-bigdata-2021.blankzero")["pdf"])
    t01 = pdf.tables["T01"]
    assert len(set(t01.data["page"].dropna().astype(int))) >= 2
    assert t01.status == "parsed" and len(t01.data) == 42


def test_blank_zero_cells_and_no_thousands_separators():
    pdf = read(fixture(MANIFEST, "nanchang-bigdata-2021.blankzero")["pdf"])
    t07 = pdf.tables["T07"]
    # 1.因公出国(境)费: 年初预算 18.60, 决算 printed blank (zero): not its 行次 "2"
    assert t07.value("abroad", "budget") == 18.6
    assert t07.value("abroad", "actual") is None
    assert pdf.tables["T01"].value("income_grand_total", "amount") == 4344.99  # printed 4344.99 (4,344.99 in the text)


def test_row_broken_by_a_page_break_is_glued_back():
    # Writer breaks 公开01表 "二十、粮油物资储备支出" after "…储备支": "出" opens the next page
    t01 = read(fixture(MANIFEST, "nanchang-bigdata-2021.writer")["pdf"]).tables["T01"]
    assert t01.data.at["222", "name"] == "二十、粮油物资储备支出"
    assert t01.value("222", "amount") == 0.0


def test_every_read_cell_has_its_box_on_the_page():
    pdf = read(fixture(MANIFEST, "nanchang-bigdata-2021.writer")["pdf"])
    t05 = pdf.tables["T05"]
    page, x0, top, x1, bottom = t05.boxes[("total", "total")]
    assert page == t05.data.at["total", "page"]
    assert 0 < x0 < x1 < 600 and 0 < top < bottom < 850
    boxed = sum(len(t.boxes) for t in pdf.tables.values())
    amounts = sum(len(t.amounts()) for t in pdf.tables.values())
    assert boxed >= amounts


def test_rules_drawn_as_one_filled_path_make_a_grid(tmp_path):
    """Borders drawn as thin filled rectangles all in one path object (`re … re f`, as
    office suites do): the object's bounds are not thin, its subpaths are."""
    import pikepdf

    from auditlib.ingest.pdf import read_pdf_lines

    xs, ys = (100, 200, 300, 400), (600, 620, 640)
    rects = [f"{x0} {y - 0.25} {xs[-1] - x0} 0.5 re" for y in ys for x0 in xs[:1]]
    rects += [f"{x - 0.25} {ys[0]} 0.5 {ys[-1] - ys[0]} re" for x in xs]
    text = "".join(f"BT /F1 9 Tf {x + 5} {y + 6} Td ({t}) Tj ET\n"
                   for (x, y, t) in ((100, 620, "label"), (200, 620, "1.50"), (300, 620, "2.25"),
                                     (100, 600, "other"), (200, 600, "3.00"), (300, 600, "4.75")))
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    body = (" ".join(rects) + " f\n" + text).encode("latin-1")
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792],
                              Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                              Contents=pdf.make_stream(body))
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(tmp_path / "grid.pdf")
    rows = [line.cells for line in read_pdf_lines(tmp_path / "grid.pdf").lines if line.is_row]
    assert rows == [("label", "1.50", "2.25"), ("other", "3.00", "4.75")]
