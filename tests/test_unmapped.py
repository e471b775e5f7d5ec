"""Pages whose text layer does not map to Unicode (fonts without /ToUnicode): told page by
page, never a real page (auditlib/ingest/pdf_unmapped.py), and read from their image.

The garbled fixture is pages 13-14 of the matrix Chromium rendering of the Nanchang sample
with every font's map removed (tools/make_unmapped.py); the same pages with their maps are
the reference its OCR reading is compared with."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from auditlib.errors import InputError
from auditlib.ingest import read_report
from auditlib.ingest.pdf_pages import char_codes
from auditlib.ingest.pdf_unmapped import page_span, readable_share, unmapped, unmapped_share
from tests.conftest import CORPUS, FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "tools"))
from make_unmapped import PAGES, SOURCE, stripped  # noqa: E402

GARBLED = FIXTURES / "unmapped" / "nanchang-bigdata-2021.unmapped.pdf"  # apart: no golden (OCR reads it)
REAL = sorted([*CORPUS.glob("*/doc.pdf"), *CORPUS.glob("budgets/*/doc.pdf"),
               *(p for p in FIXTURES.rglob("*.pdf") if p != GARBLED)])
NOTE = "第 1–2 页文字层无法识别（字体缺少 ToUnicode 映射）"


def _pages(pdf: Path | bytes) -> list[tuple[float | None, float | None, bool]]:
    """(readable share, flagged share, unmapped) of every page of `pdf`."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            codes = char_codes(tp.raw, pdfium_c)
            out.append((readable_share(codes), unmapped_share(tp.raw, codes, pdfium_c),
                        unmapped(tp.raw, codes, pdfium_c)))
            tp.close()
            page.close()
    finally:
        doc.close()
    return out


def test_no_real_page_is_unmapped():
    """Every page of the corpus and of the fixtures reads as printed: neither sign comes near it."""
    assert len(REAL) >= 40
    pages = [(path.name, n + 1, *shares) for path in REAL for n, shares in enumerate(_pages(path))]
    assert not [p for p in pages if p[-1]]
    assert min(p[2] for p in pages if p[2] is not None) == 1.0
    assert max(p[3] for p in pages if p[3] is not None) == 0.0


def test_pages_without_maps_are_unmapped():
    """The same PDFs with their maps removed: every page of the Chromium renderings (CID fonts)
    is told, and 875 of the 938 pages of the other producers (simple-font subsets whose codes
    pass for ASCII are missed: the module docstring)."""
    chromium = [p for p in REAL if "chromium" in p.name or "unruled" in p.name]
    told = [flag for path in chromium for readable, _u, flag in _pages(stripped(path)) if readable is not None]
    assert len(told) == 158 and all(told)
    others = [flag for path in REAL if path not in chromium
              for readable, _u, flag in _pages(stripped(path)) if readable is not None]
    assert (len(others), sum(others)) == (938, 875)


def test_the_fixture_is_told_page_by_page():
    assert [flag for _r, _u, flag in _pages(GARBLED)] == [True, True]
    assert [flag for _r, _u, flag in _pages(SOURCE)[PAGES[0] - 1:PAGES[-1]]] == [False, False]


def test_page_span():
    assert page_span([5, 3, 4, 8, 10, 11]) == "3–5、8、10–11"
    assert page_span([7]) == "7"


@lru_cache(maxsize=None)
def _reference():
    return read_report(SOURCE)


@pytest.mark.timeout(600)
def test_unmapped_pages_are_read_by_ocr():
    """The garbled pages read from their image give 公开08表 and 公开10表 with the very amounts
    of the same pages' text layer, 公开09表 empty as printed; the report is a scan (every
    finding says the reading may be wrong) and says which pages were read by OCR and why.
    One label is read with a stray “1” (公开08表 21213 城市基础设 1施配套费安排的支出): the row is
    keyed by its code, and the report, a scan, asks for every finding to be checked against
    the original."""
    report = read_report(GARBLED)
    reference = _reference()
    assert report.input_kind == "scan"
    assert [p for p in report.problems if NOTE in p] == [NOTE + "，已按图像识别（text layer does not map to Unicode: read by OCR）"]
    assert report.department == reference.tables["T08"].department == "南昌市大数据发展管理局"  # no cover: 编制单位
    assert report.year == reference.year == 2021
    for code in ("T08", "T10"):
        got, want = report.tables[code], reference.tables[code]
        assert got.status == want.status == "parsed"
        assert list(got.data.index) == list(want.data.index)
        assert got.data[got.columns].equals(want.data[want.columns]), code
    assert report.tables["T09"].status == reference.tables["T09"].status == "empty"
    assert {c for c, t in report.tables.items() if t.status != "missing"} == {"T08", "T09", "T10"}


def test_without_ocr_the_cause_is_named(monkeypatch):
    """When the OCR cannot run, a PDF whose every page is garbled is refused naming its text
    layer, not as “not a 部门决算”; its garbage is never read."""
    from auditlib.ingest import ocr

    def broken(*_args, **_kwargs):
        raise ImportError("No module named 'rapidocr_onnxruntime'")

    monkeypatch.setattr(ocr, "read_pages", broken)
    with pytest.raises(InputError) as raised:
        read_report(GARBLED)
    assert raised.value.problem == (f"{NOTE}，OCR 无法运行，未能读取（text layer does not map to Unicode, OCR failed: "
                                    "ImportError: No module named 'rapidocr_onnxruntime'）")


def test_without_ocr_a_partly_garbled_pdf_says_why_it_has_no_table(monkeypatch, tmp_path):
    """A PDF whose cover reads and whose table pages are garbled, with no OCR: the cover is
    read, the garbled pages are not, and “no table found” says which pages could not be read."""
    import pikepdf

    from auditlib.ingest import ocr

    path = tmp_path / "cover-and-garbled.pdf"
    with pikepdf.open(SOURCE) as source, pikepdf.open(GARBLED) as garbled, pikepdf.new() as pdf:
        pdf.pages.extend([source.pages[0], *garbled.pages])
        pdf.save(path)

    def broken(*_args, **_kwargs):
        raise RuntimeError("OCR runtime failed")

    monkeypatch.setattr(ocr, "read_pages", broken)
    with pytest.raises(InputError) as raised:
        read_report(path)
    assert raised.value.problem == ("未找到任何决算公开表（no final-accounts table found: not a 部门决算 report?）；"
                                    "第 2–3 页文字层无法识别（字体缺少 ToUnicode 映射），OCR 无法运行，未能读取"
                                    "（text layer does not map to Unicode, OCR failed: RuntimeError: OCR runtime failed）")
