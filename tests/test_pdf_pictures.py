"""Tables pasted into a report as pictures (`ingest/pdf_pictures`).

The LibreOffice rendering of the bundled sample with its 公开02/03表 pages pasted in as pictures
(tests/geometry.py `pasted`: each page's image and its page number as text). Read as text those
pages held no table: 公开02表 and 公开03表 未公开, two errors the report does not deserve. Read by
OCR where the pictures are, every amount is the original's, and the report says so.
"""

from __future__ import annotations

import copy
from collections import Counter

import pytest

from auditlib.ingest import read_report
from auditlib.rules import check
from tests.conftest import FIXTURES
from tests.geometry import illustrated, pasted
from tests.test_converter_texts import differences

pytestmark = pytest.mark.timeout(600)  # OCR of two pages
ORIGINAL = FIXTURES / "nanchang-bigdata-2021.libreoffice.pdf"
NOTE = "第 3–4 页印有图片形式的表格（无文字层）"


def _said(result) -> Counter:
    return Counter((f.id, f.severity, tuple(f.tables), str(f.expected), str(f.actual), f.page)
                   for f in result.findings if f.id != "META.tables_present")


@pytest.fixture(scope="module")
def pictured(tmp_path_factory):
    """The sample with its 公开02/03表 pages pasted in as pictures, read (OCR: seconds a page)."""
    return read_report(pasted(ORIGINAL, tmp_path_factory.mktemp("pasted") / "pasted.pdf", {3, 4}))


def test_tables_pasted_as_pictures_are_read_by_ocr(pictured):
    got, want = check(pictured), check(read_report(ORIGINAL))
    assert got.report.input_kind == "pdf"  # a text PDF with two pictures, not a scan
    assert got.report.tables["T02"].status == "parsed" and got.report.tables["T03"].status == "parsed"
    assert differences(got.report, want.report) == {}
    assert _said(got) == _said(want)
    assert [p for p in got.report.problems if p.startswith(NOTE)] == [NOTE + "，已按图像识别（tables pasted as pictures: read by OCR）"]
    assert len(got.report.prose.claims) == len(want.report.prose.claims) > 100
    assert got.report.ocr_pages == {3: 0, 4: 0}


def _misread(report, code: str):
    """`report` with the first figure of table `code` that prints an 8 read as a 3, as OCR
    misreads it: (the cell, the report)."""
    table = report.tables[code]
    for key in table.data.index:
        for column in ("total", "fiscal"):
            value = table.data.at[key, column]
            if value is not None and "8" in f"{value:.2f}":
                table.data.at[key, column] = float(f"{value:.2f}".replace("8", "3", 1))
                return (key, column), report
    raise AssertionError(f"no 8 in {code}")


def test_a_misreading_in_a_pasted_table_is_a_doubt_not_an_error(pictured):
    """A relation that fails on a cell OCR read from a picture, where one confusable character
    (8 read as 3) would close it, is a warning that says the cell may be misread — as on a
    scan; the same figure in the text layer is the document's error, located to the cell."""
    def said(report) -> list:
        cell, report = _misread(report, "T02")
        return [f for f in check(report).findings
                if any((c["table"], c["row"], c["column"]) == ("T02", *cell) for c in f.cells)]

    doubted, printed = said(copy.deepcopy(pictured)), said(read_report(ORIGINAL))
    assert doubted and all(f.severity == "warning" and "疑为识别误差" in f.message for f in doubted)
    assert [f.id for f in printed if f.severity == "error"] == ["LOC.cell"]


def test_without_ocr_the_pictures_are_named_and_the_text_is_kept(tmp_path, monkeypatch):
    from auditlib.ingest import ocr

    def broken(*_args, **_kwargs):
        raise RuntimeError("OCR runtime failed")

    monkeypatch.setattr(ocr, "read_pages", broken)
    report = read_report(pasted(ORIGINAL, tmp_path / "pasted.pdf", {3, 4}))
    assert "第 3–4 页有大幅图片，可能是图片形式的表格（无文字层），OCR 无法运行，未能读取（large pictures, maybe tables " \
        "pasted as pictures, OCR failed: RuntimeError: OCR runtime failed）" in report.problems
    assert report.tables["T02"].status == report.tables["T03"].status == "missing"
    assert len(report.prose.claims) == len(read_report(ORIGINAL).prose.claims) > 100  # the text layer is read


def test_a_picture_that_holds_no_table_is_not_read(tmp_path):
    """An emblem on the cover and a bar chart under the last page's text: large, with no text
    over them, but OCR finds no ruled table in them. Their pages keep their text layer alone
    (a chart's labels read by OCR joined the paragraph above them), and the report says nothing
    of tables pasted as pictures (it said 第 1、32 页印有图片形式的表格)."""
    path = illustrated(ORIGINAL, tmp_path / "illustrated.pdf",
                       {1: ("emblem", (170, 280, 260, 260)), 32: ("chart", (60, 80, 480, 300))})
    got, want = check(read_report(path)), check(read_report(ORIGINAL))
    assert got.report.problems == want.report.problems
    assert Counter((f.id, f.message, f.page) for f in got.findings) == Counter((f.id, f.message, f.page) for f in want.findings)
    assert [(ln.text, ln.page) for ln in got.report.lines] == [(ln.text, ln.page) for ln in want.report.lines]


def test_no_page_of_a_text_pdf_is_taken_for_a_picture():
    """The fixtures' and corpus PDFs' images (logos, stamps, none at all) are no pictured table."""
    report = read_report(ORIGINAL)
    assert not [p for p in report.problems if NOTE[:2] in p and "图片" in p]


def test_text_pasted_as_a_picture_is_read_by_ocr(tmp_path):
    """A page of the narrative pasted in as a picture (the 三公 narrative of page 9) was lost
    without a word: its claims unread and unchecked. OCR finds lines of prose in it: it is read,
    the report says so, every claim of the original is read, and each finding of the original
    on that page is found again — an error as a warning that says the words were read by OCR."""
    got, want = check(read_report(pasted(ORIGINAL, tmp_path / "pasted.pdf", {9}))), check(read_report(ORIGINAL))
    assert got.report.input_kind == "pdf" and got.report.ocr_pages == {9: 0}
    assert [p for p in got.report.problems if "图片" in p] == ["第 9 页印有图片形式的文字（无文字层），已按图像识别（text pasted as pictures: read by OCR）"]
    assert len(got.report.prose.claims) == len(want.report.prose.claims) > 100
    on_page = [f for f in got.findings if f.page == 9]
    assert Counter(f.id for f in on_page) == Counter(f.id for f in want.findings if f.page == 9)
    assert {f.severity for f in on_page} == {"warning"}
    assert sum("图片中的内容：依据识别出的文字" in f.message for f in on_page) >= 3
    elsewhere = [Counter(k for k in _said(result).elements() if k[5] != 9) for result in (got, want)]
    assert elsewhere[0] == elsewhere[1]


def test_only_what_lies_in_a_picture_was_read_by_ocr(pictured):
    """On a text page with a picture pasted on it, OCR read what the picture prints and the text
    layer the rest: a cell beside the picture is the text layer's (no OCR doubt on it), the
    page's words too unless a picture on it prints text."""
    from auditlib.rules.doubts import ocr_cell, ocr_page
    from auditlib.rules.findings import Cell

    report = copy.deepcopy(pictured)
    assert set(report.ocr_pictures) == {3, 4} and not any(text for _, text in report.ocr_pictures.values())
    cells = [Cell("T02", key, column, None, "", None, 3, 0.005) for (key, column), box in report.tables["T02"].boxes.items() if box[0] == 3]
    assert cells and all(ocr_cell(report, c) for c in cells) and not ocr_page(report, 3)
    top = min(report.tables["T02"].boxes[(c.key, c.column)][2] for c in cells)
    boxes, _ = report.ocr_pictures[3]
    report.ocr_pictures[3] = (tuple((b[0], top + 30, b[2], b[3]) for b in boxes), False)  # the top row beside it
    beside = [c for c in cells if report.tables["T02"].boxes[(c.key, c.column)][2] < top + 20]
    assert beside and not any(ocr_cell(report, c) for c in beside)
    assert all(ocr_cell(report, c) for c in cells if c not in beside)
    report.ocr_pictures[3] = (report.ocr_pictures[3][0], True)
    assert ocr_page(report, 3) and not ocr_page(report, 2)
