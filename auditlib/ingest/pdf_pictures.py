"""Tables (and text) pasted into a report as pictures.

Many departments paste their tables into the Word document as pictures (a screenshot of the
spreadsheet) and export it to PDF: the page has a text layer — a heading, a note, its page
number — but the table is only in an image, and read as text the table is not there at all
(公开02表 未公开, an error the report does not deserve). Such an image is told by its size and
by the text layer having (almost) nothing over it: a searchable scan's text lies over its
image, a picture's does not. The page is then read by OCR where the picture is, and by its
text layer elsewhere — if OCR finds a ruled table in the picture: an emblem on a cover, a chart
beside the narrative are large pictures too, and their OCR reading is not read. A page of
text pasted in as a picture (a signed and stamped 情况说明, a screenshot of the narrative) is
read so too: OCR finds lines of prose in it, which a chart's short labels are not.
"""

from __future__ import annotations

from auditlib.ingest.grid_paths import page_objects
from auditlib.ingest.pdf_frame import Frame
from auditlib.ingest.pdf_text import Page, Seg
from auditlib.ingest.pdf_unmapped import page_span

SHARE = 0.12  # of the page's area: an image this large may hold a table (a logo, a stamp, a QR code are smaller)
OVER = 2  # text runs over it that still leave it a picture (a page number, a caption laid over its margin)
PROSE_LINES = 5  # lines of prose OCR reads in a picture of text (a chart's labels, an emblem's motto are fewer)
PROSE_CHARS = 12  # Chinese characters a line of prose holds at least (a chart's label, an axis' title hold fewer)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom, as the reader keeps boxes


def _holds(box: Box, x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def pictures(page, frame: Frame, segs: list[Seg]) -> list[Box]:
    """The boxes of a page's images that may print a table as a picture: at least SHARE of the
    page and with no more than OVER of the text layer's runs over them."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    width, height = frame.size
    bounds = [ctypes.c_float() for _ in range(4)]
    out: list[Box] = []
    for kind, obj, outer in page_objects(page):
        if kind != pdfium_c.FPDF_PAGEOBJ_IMAGE or not pdfium_c.FPDFPageObj_GetBounds(obj, *bounds):
            continue
        box = frame.top_down(tuple(v.value for v in bounds), outer, clip=True)
        if (box[2] - box[0]) * (box[3] - box[1]) < SHARE * width * height:
            continue
        if sum(_holds(box, (s.x0 + s.x1) / 2, (s.top + s.bottom) / 2) for s in segs) <= OVER:
            out.append(box)
    return out


def tabled(boxes: list[Box], grids: list) -> list[Box]:
    """The pictures OCR found a ruled table in (`grids`: its reading's): a grid of two columns
    or more whose centre lies in the picture."""
    return [b for b in boxes if any(len(g.xs) > 2 and _holds(b, *_centre(g)) for g in grids)]


def prose(boxes: list[Box], runs: list) -> list[Box]:
    """The pictures OCR read PROSE_LINES lines of prose in (`runs`: its reading's lines), each
    of PROSE_CHARS Chinese characters or more."""
    def lines_in(box: Box) -> int:
        return sum(_holds(box, (r.x0 + r.x1) / 2, (r.top + r.bottom) / 2) and _chinese(r.text) >= PROSE_CHARS
                   for r in runs)

    return [b for b in boxes if lines_in(b) >= PROSE_LINES]


def _chinese(text: str) -> int:
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text)


def _centre(grid) -> tuple[float, float]:
    return (grid.xs[0] + grid.xs[-1]) / 2, (grid.ys[0] + grid.ys[-1]) / 2


def merged(page: Page, runs: list[Seg], grids: list) -> tuple[list[Seg], list]:
    """A pictured page's runs and grids: OCR's where its pictures are, its text layer's elsewhere."""
    def inside(x: float, y: float) -> bool:
        return any(_holds(b, x, y) for b in page.pictures)

    text = [s for s in page.segs if not inside((s.x0 + s.x1) / 2, (s.top + s.bottom) / 2)]
    read = [s for s in runs if inside((s.x0 + s.x1) / 2, (s.top + s.bottom) / 2)]
    kept = [g for g in page.grids if not inside(*_centre(g))] + [g for g in grids if inside(*_centre(g))]
    return sorted(text + read, key=lambda s: (s.top, s.x0)), kept


def picture_note(numbers: list[int], failure: str | None = None, text: bool = False) -> str:
    """What a report says of its pages with tables (`text`: text alone) pasted as pictures."""
    where = f"第 {page_span(numbers)} 页"
    if failure is None and text:
        return where + "印有图片形式的文字（无文字层），已按图像识别（text pasted as pictures: read by OCR）"
    if failure is None:
        return where + "印有图片形式的表格（无文字层），已按图像识别（tables pasted as pictures: read by OCR）"
    # unread, a large picture may as well be an emblem or a chart (`pdf_pages._tables_pictured`)
    return where + ("有大幅图片，可能是图片形式的表格（无文字层），OCR 无法运行，未能读取（large pictures, maybe "
                    f"tables pasted as pictures, OCR failed: {failure}）")


def tables_pictured(info: Page, read) -> bool:
    """Whether OCR found a table or prose in a page's pictures (`read`: its reading): those
    that hold one are kept in `info.pictures` (those of prose in `info.texts` too). A picture
    that holds neither (an emblem, a chart, a photo) is dropped with its OCR reading (unsure,
    and glued into the paragraph beside it: a chart's labels read as the narrative's figures),
    and the page keeps its text layer. A page OCR read turned is kept whole only when it holds
    a table, its direction told."""
    if read.quarters == 0:
        tables = tabled(info.pictures, read.grids)
        texts = [b for b in prose(info.pictures, read.runs) if b not in tables]
        info.pictures, info.texts = tables + texts, texts
    elif not (read.quarters and any(len(g.xs) > 2 for g in read.grids)):
        info.pictures, info.texts = [], []
    return bool(info.pictures)
