"""What a PDF may ask of the reader, checked before PDFium loads a page: a bounded number
of pages, and streams that inflate to a bounded size.

PDFium inflates a page's content streams, fonts and forms whole when it loads the page, so
~10 KB deflated twice (a decompression bomb) took 5.2 GB of memory and 21 s before a word
was read (tests/test_hostile.py).  qpdf (pikepdf) inflates each such stream first, under
its own memory limit, and one that goes past it refuses the file in one line.  PDFium
decodes an image row by row as it draws it, no more rows than the image declares, so
an image is judged by its declared size (a 65536 x 65536 one took 12 s to draw blank).
"""

from __future__ import annotations

import logging
from pathlib import Path

from auditlib.errors import InputError

MAX_PAGES = 2000  # a 部门决算 has 20-100 pages, a budget with its annexes up to ~300
MAX_INFLATED = 64 << 20  # bytes one stream other than an image may inflate to (a whole CJK font: ~20 MB)
MAX_PIXELS = 1 << 28  # pixels one image may declare (16384 x 16384; a 600 dpi A4 scan has 35 million)


def guard(path: Path, password: str | None, pages: int) -> None:
    """Refuse (InputError) a PDF of more than MAX_PAGES pages, one holding a stream other
    than an image that inflates beyond MAX_INFLATED bytes, or an image of more than
    MAX_PIXELS pixels."""
    if pages > MAX_PAGES:
        raise InputError(path, f"PDF 有 {pages} 页，超过上限 {MAX_PAGES} 页（{pages} pages, more than the "
                               f"{MAX_PAGES} a report may have）")
    bomb = _bomb(path, password)
    if bomb:
        raise InputError(path, bomb)


def _bomb(path: Path, password: str | None) -> str | None:
    """What is too big in the PDF (the first such stream), or None.  Images are judged by the
    size they declare (PDFium decodes no more of one than that), every other stream by
    inflating it under qpdf's memory limit, which is process-wide: set for this pass and put
    back.  A stream that cannot be decoded for any other reason, or a file qpdf cannot open
    (PDFium could), is left to PDFium; what qpdf says about a damaged file goes nowhere (the
    one line on stderr is the reader's)."""
    import pikepdf
    from pikepdf.settings import set_qpdf_limits

    qpdf_log = logging.getLogger("pikepdf._core")
    was_disabled, qpdf_log.disabled = qpdf_log.disabled, True
    previous = set_qpdf_limits(flate_max_memory=MAX_INFLATED)
    try:
        with pikepdf.open(path, password=password or "", inherit_page_attributes=False) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    found = _too_big(obj)
                    if found:
                        return found
    except pikepdf.PdfError:
        return None
    finally:
        set_qpdf_limits(**previous)
        qpdf_log.disabled = was_disabled
    return None


def _too_big(stream) -> str | None:
    """Why `stream` (a pikepdf.Stream) is too big to hand to PDFium, or None."""
    import pikepdf

    number = "%d %d" % stream.objgen
    if stream.get("/Subtype") == pikepdf.Name.Image:
        width, height = (stream.get(k) for k in ("/Width", "/Height"))
        if isinstance(width, int) and isinstance(height, int) and width * height > MAX_PIXELS:
            return (f"PDF 中的图像 {number} 声明 {width}×{height} 像素，超过上限 {MAX_PIXELS >> 20} 兆像素，疑为解压炸弹"
                    f"（image {number} declares {width}x{height} pixels: a decompression bomb?）")
        return None
    try:
        stream.read_bytes()
    except pikepdf.DataDecodingError as exc:
        if "memory limit exceeded" in str(exc):  # qpdf: "PL_Flate memory limit exceeded"
            return (f"PDF 中的数据流 {number} 解压后超过 {MAX_INFLATED >> 20} MB，疑为解压炸弹（stream {number} "
                    f"inflates beyond {MAX_INFLATED >> 20} MB: a decompression bomb?）")
    return None
