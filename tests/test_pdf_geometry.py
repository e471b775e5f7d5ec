"""A PDF read the same however its pages are placed, turned or watermarked (`ingest/pdf_frame`).

The LibreOffice rendering of the bundled sample is rebuilt as other tools leave a PDF
(tests/geometry.py): pages placed in forms scaled to fit (the ruling lines were read where the
form's content would stand unscaled: 公开01表 read 2,930.00 for 年初结转和结余 620.66, no word of
it), turned a quarter by the printer (with /Rotate, or viewed sideways: no table was found),
given a /Rotate alone (spaces lost), or a watermark drawn over the tables (slanted: 63 false
errors; level and translucent: 30). Each must read as the original: every amount of every
table, every finding, and the places the findings are marked at.
"""

from __future__ import annotations

import ctypes
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from auditlib.ingest import read_report
from auditlib.ingest.pdf_frame import Frame, char_angles, quarter, text_turn
from auditlib.ingest.pdf_marks import Marks
from auditlib.ingest.pdf_pages import char_codes
from auditlib.report import evidence
from auditlib.report.places import places
from auditlib.rules import check
from tests.conftest import FIXTURES
from tests.geometry import PLACINGS, invisible, place, watermark
from tests.test_converter_texts import differences

ORIGINAL = FIXTURES / "nanchang-bigdata-2021.libreoffice.pdf"


@lru_cache(maxsize=None)
def _checked(path: Path):
    return check(read_report(path))


def _findings(result) -> Counter:
    """Every finding as the auditor reads it: rule, severity, where, message, figures, page."""
    return Counter((f.id, f.severity, tuple(f.tables), f.message, str(f.expected), str(f.actual), f.page)
                   for f in result.findings)


def _same_as_the_original(path: Path) -> None:
    got, want = _checked(path), _checked(ORIGINAL)
    assert got.report.input_kind == "pdf" and not got.report.problems
    assert differences(got.report, want.report) == {}
    assert _findings(got) == _findings(want)


@pytest.mark.parametrize("how", PLACINGS)
def test_a_page_placed_or_turned_reads_as_the_original(how, tmp_path):
    _same_as_the_original(place(ORIGINAL, tmp_path / f"{how}.pdf", how))


@pytest.mark.parametrize("angle, opacity", [(35, 255), (0, 110), (90, 255), (270, 255)],
                         ids=["slanted", "level-translucent", "up-the-page", "down-the-page"])
def test_a_watermark_over_the_tables_is_not_read(angle, opacity, tmp_path):
    marked = watermark(ORIGINAL, tmp_path / "marked.pdf", "INTERNAL 2021-06-30 158.62", angle, opacity)
    _same_as_the_original(marked)


def test_a_text_layer_hidden_by_opacity_is_read(tmp_path):
    """A searchable scan whose OCR tool hid its text over the image by opacity 0 (others do by
    render mode): no watermark, its text layer is read (the narrative of pages 8–9 was lost,
    67 of 135 figures found)."""
    _same_as_the_original(invisible(ORIGINAL, tmp_path / "hidden.pdf", {8, 9}))


def _places(result) -> tuple[list, list[float]]:
    """(finding, page, boxes) of every place, and every box's figures in order."""
    found = [(f.key, p.page, p.boxes) for f in result.findings for p in places(result.report, f)]
    return [(key, page, len(boxes)) for key, page, boxes in found], [v for *_, boxes in found for b in boxes for v in b]


@pytest.mark.parametrize("how", ["turned", "sideways"])
def test_findings_are_marked_where_the_original_marks_them(how, tmp_path):
    """Boxes are measured in the page as its text reads, so a turned page's places are the
    original's; its crops are shown upright; its annotations cover the same characters."""
    path = place(ORIGINAL, tmp_path / f"{how}.pdf", how)
    got, want = _checked(path), _checked(ORIGINAL)
    (where, boxes), (where_original, boxes_original) = _places(got), _places(want)
    assert where == where_original and len(where) > 20
    assert boxes == pytest.approx(boxes_original, abs=0.2)
    f = next(f for f in got.findings if f.id == "T06.public_total")
    g = next(f for f in want.findings if f.id == "T06.public_total")
    [(page, _)] = evidence.crops(got.report, f)
    assert page == 6
    shown, _k = evidence._page_image(str(path), 6)
    original, _k = evidence._page_image(str(ORIGINAL), 6)
    assert shown.size == original.size  # shown upright, whatever the page's /Rotate
    assert _annotated_text(got, f, path, tmp_path) == _annotated_text(want, g, ORIGINAL, tmp_path)


def _annotated_text(result, finding, path: Path, tmp_path: Path) -> Counter:
    """The characters under the finding's highlight in the annotated copy."""
    out = tmp_path / f"{path.stem}.annotated.pdf"
    evidence.annotate(result, out)
    with pikepdf.open(out) as pdf:
        annots = [(i, [float(v) for v in a.Rect]) for i, page in enumerate(pdf.pages)
                  for a in page.obj.get("/Annots", []) if str(a.NM).startswith(finding.key)]
    doc = pdfium.PdfDocument(str(out))
    chars: Counter = Counter()
    for i, (left, bottom, right, top) in annots:
        text = doc[i].get_textpage().get_text_bounded(left + 1, bottom + 1, right - 1, top - 1)
        chars.update(c for c in text if not c.isspace())
    doc.close()
    assert chars
    return chars


def test_the_text_turn_is_what_most_characters_say():
    assert text_turn([]) == 0
    assert text_turn([90.0] * 10 + [0.0] * 3) == 90
    assert text_turn([90.0] * 3 + [0.0] * 3) == 0  # as many upright: upright
    assert text_turn([269.9] * 5 + [35.0] * 20) == 270  # slanted characters do not count
    assert quarter(359.0) == 0 and quarter(35.0) is None and quarter(184.0) == 180
    frame = Frame.of((0.0, 0.0, 842.0, 595.0), 90)
    assert frame.size == (595.0, 842.0)
    assert frame.user_box(frame.top_down((100.0, 200.0, 130.0, 210.0))) == pytest.approx((100.0, 200.0, 130.0, 210.0))


def test_a_figure_in_a_skewed_italic_is_upright(tmp_path):
    """A figure printed in an italic made by skewing the font (a real budget prints them so:
    its matrix [1 0 .32 1]; PDFium's own angle for it is 17.7°) is text, not a watermark."""
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    obj = pdfium_c.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", 10.0)
    chars = ctypes.create_string_buffer("158.62\x00".encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(chars, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0.32, 1, 100, 700)
    page.insert_obj(pdfium.PdfObject(obj))
    page.gen_content()
    tp = page.get_textpage()
    n = tp.count_chars()
    assert n == 6 and pdfium_c.FPDFText_GetCharAngle(tp.raw, 0) > 0.3  # PDFium calls it turned
    assert text_turn(char_angles(tp.raw, range(n), pdfium_c)) == 0
    marks = Marks(tp.raw, pdfium_c, char_codes(tp.raw, pdfium_c))
    assert not any(marks.watermark(k) for k in range(n))


def test_a_scan_is_framed_as_it_is_shown(tmp_path):
    """A page without text is read by OCR from its rendering, which shows it turned by its
    /Rotate: its boxes are measured in that view (crops and highlights land where OCR read)."""
    from PIL import Image

    from auditlib.ingest.pdf_frame import upright

    path = tmp_path / "scan.pdf"
    Image.new("L", (800, 600), 255).save(path, "PDF", resolution=72)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].Rotate = 90
        pdf.save(path)
    doc = pdfium.PdfDocument(str(path))
    page = doc[0]
    frame = upright(page)
    assert frame.view_rotation(page.get_rotation()) == 0
    assert frame.size == pytest.approx(page.get_size())  # the view's: 600 wide, 800 high
    assert frame.user_box(frame.top_down((0.0, 0.0, 10.0, 10.0))) == pytest.approx((0.0, 0.0, 10.0, 10.0))


def _text(doc, page, text: str, size: float, turn: float, x: float, y: float) -> None:
    obj = pdfium_c.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", size)
    chars = ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(chars, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    mark = pdfium.PdfObject(obj)
    mark.transform(pdfium.PdfMatrix().rotate(turn, ccw=True).translate(x, y))
    page.insert_obj(mark)


def test_a_header_turned_in_its_column_is_text_a_large_turned_stamp_is_not():
    """Turned a quarter from the page's text, a header written up its narrow column (the body's
    size) is read; a stamp twice the body's size or more is a watermark, whichever way it runs."""
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    for row in range(20):
        _text(doc, page, f"2080505 545.85 {row}", 10.0, 0, 60, 800 - 30 * row)
    _text(doc, page, "Total 1", 10.0, 90, 300, 300)
    _text(doc, page, "Copy 2", 19.0, 270, 350, 300)
    _text(doc, page, "Draft 3", 20.0, 90, 400, 300)
    _text(doc, page, "Draft 4", 28.0, 180, 400, 200)
    page.gen_content()
    tp = page.get_textpage()
    codes = char_codes(tp.raw, pdfium_c)
    marks = Marks(tp.raw, pdfium_c, codes)
    dropped = "".join(chr(code) for k, code in enumerate(codes) if code > 32 and marks.watermark(k))
    assert dropped == "Draft3Draft4"
