"""Pages whose content is not what they print, read from their image (`pdf_unmapped.UNPRINTED`).

Built from pages 5–6 of the LibreOffice rendering of the bundled sample (公开05表, 公开06表):

* a searchable scan (tests/scans.py `searchable`): the page image under an invisible text layer
  where the original prints each character, as OCR software leaves a scan.  Read as text (before)
  it had no ruling lines: 公开06表 unread, and on pages 2–6 a false META.department error; read
  with the image's ruling lines, its text was exact in 0.8 s for 4 pages (against 32 s by our
  OCR) — but a layer with a misread digit (620.66 as 628.66) then gave a false LOC.cell error
  (“应为 620.65”), the layer's misreading taken for what is printed.  So the layer is not read;
  the page is OCR'd like a scan, and the report says so.
* text drawn as outlines (tests/geometry.py `outline`, 转曲): no text, no image; it was refused
  as “没有文字层”.  Now OCR'd.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from auditlib.errors import InputError
from auditlib.ingest import read_report
from auditlib.ingest.pdf_pages import char_codes
from auditlib.ingest.pdf_unmapped import hidden_layer
from auditlib.rules import check
from tests.conftest import FIXTURES
from tests.geometry import outline
from tests.scans import CJK_FONT, searchable
from tests.test_converter_texts import differences

pytestmark = [pytest.mark.xdist_group("scans"), pytest.mark.timeout(900)]

ORIGINAL = FIXTURES / "nanchang-bigdata-2021.libreoffice.pdf"
PAGES = [5, 6]  # 公开05表 and 公开06表, whole
MISREAD = {5: [("416.63", "418.63")], 6: [("871.29", "871.23")]}  # as an OCR misreads a digit
TABLES = ("T05", "T06")
needs_cjk = pytest.mark.skipif(not CJK_FONT.exists(), reason=f"no CJK font at {CJK_FONT} for the text layer")


@lru_cache(maxsize=None)
def _built(kind: str, folder: str) -> Path:
    out = Path(folder) / f"{kind}.pdf"
    if kind == "outlines":
        return outline(ORIGINAL, out, PAGES)
    return searchable(ORIGINAL, out, PAGES, misread=MISREAD if kind == "misread" else None)


@lru_cache(maxsize=None)
def _checked(path: Path):
    return check(read_report(path))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("layers"))


def _errors(result) -> set:
    return {(f.id, f.location) for f in result.findings
            if f.severity == "error" and set(f.tables) <= set(TABLES)}


def _reads_as_the_original(path: Path) -> None:
    got, want = _checked(path), _checked(ORIGINAL)
    assert got.report.input_kind == "scan"
    assert {c: d for c, d in differences(got.report, want.report).items() if c in TABLES} == {}
    assert _errors(got) <= _errors(want)  # no false error


@needs_cjk
def test_the_built_layer_is_the_originals_text(folder):
    """The searchable scan's invisible layer reads back the original's characters, in render
    mode 3 (what makes it OCR software's layer), over an image: the test is of the reader."""
    built = pdfium.PdfDocument(str(_built("layer", folder)))
    original = pdfium.PdfDocument(str(ORIGINAL))
    try:
        for i, n in enumerate(PAGES):
            tp, otp = built[i].get_textpage(), original[n - 1].get_textpage()
            assert "".join(tp.get_text_range().split()) == "".join(otp.get_text_range().split())
            assert hidden_layer(tp.raw, char_codes(tp.raw, pdfium.raw), pdfium.raw)
            assert not hidden_layer(otp.raw, char_codes(otp.raw, pdfium.raw), pdfium.raw)
    finally:
        built.close()
        original.close()


@needs_cjk
@pytest.mark.parametrize("kind", ["layer", "misread"])
def test_a_searchable_scan_is_read_from_its_image(kind, folder):
    """Read by our OCR, the layer's misread figures (418.63, 871.23) never read; the report says how."""
    path = _built(kind, folder)
    _reads_as_the_original(path)
    report = _checked(path).report
    assert report.problems == ["第 1–2 页为扫描件，其隐藏文字层（OCR 软件所加）未采用，已按图像识别"
                               "（a scan's invisible OCR text layer is not read: read by our OCR）"]
    assert report.tables["T06"].value("301", "amount") == 871.29


def test_text_drawn_as_outlines_is_read_from_its_image(folder):
    path = _built("outlines", folder)
    doc = pdfium.PdfDocument(str(path))
    try:
        assert all(doc[i].get_textpage().count_chars() == 0 for i in range(len(doc)))
    finally:
        doc.close()
    _reads_as_the_original(path)
    assert _checked(path).report.problems == [
        "第 1–2 页文字为曲线（无文字层），已按图像识别（text drawn as outlines, no text layer: read by OCR）"]


@pytest.mark.parametrize("kind", ["outlines", pytest.param("layer", marks=needs_cjk)])
def test_without_ocr_the_cause_is_named(kind, folder, monkeypatch):
    from auditlib.ingest import ocr

    def broken(*_args, **_kwargs):
        raise ImportError("No module named 'rapidocr_onnxruntime'")

    monkeypatch.setattr(ocr, "read_pages", broken)
    with pytest.raises(InputError) as raised:
        read_report(_built(kind, folder))
    why = {"outlines": "文字为曲线（无文字层），OCR 无法运行，未能读取（text drawn as outlines, no text layer, OCR failed",
           "layer": "为扫描件，其隐藏文字层（OCR 软件所加）未采用，OCR 无法运行，未能读取（a scan's invisible OCR text "
                    "layer is not read, and OCR failed"}[kind]
    assert raised.value.problem == f"第 1–2 页{why}: ImportError: No module named 'rapidocr_onnxruntime'）"
