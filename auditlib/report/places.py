"""Where a finding is printed on the PDF page — its *place* — for the annotated copy and the
HTML crops (`auditlib.report.evidence`).

A finding's place is the first of these that its page holds:

1. the text it quotes: a narrative or performance claim's sentence, a template line kept —
   every check that rests on printed text ends its message with it (`…：“text”`); it is
   found by searching the page's text layer (PDFium), white space ignored;
2. the cells it compares, by the boxes the reader kept (`cells[].box`);
3. the text value it names (`actual`: the 编制单位 printed on a table);
4. what its location names last: a performance indicator's row, a section heading (on the
   finding's page or at the foot of the page before), a table's title, a code.

Text cut by the page break (a sentence, a row of a 自评表 split by Writer) is found in two
parts, its start on the finding's page and the rest on the next.  A finding without a page
(about the whole document) has no place; nor has one whose text the page does not hold (a
scanned page has no text layer to search).  Boxes are (x0, top, x1, bottom) in PDF points
from the top left of the page's crop box, as the reader keeps them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from auditlib.kinds import FINAL

Box = tuple[float, float, float, float]
QUOTE_OPEN = "：“"
MIN_PART = 6  # characters: the shortest start of a sentence taken as its part on the page before a break
NO_PAGE = "涉及整份文件，没有页码"
NOT_FOUND = "所在页上找不到其所述文字或单元格"


@dataclass(frozen=True)
class Place:
    """Where a finding is printed on one page: the boxes to mark, and what they hold (`kind`
    "cell": the cells compared; "text": `text`, found by searching the page)."""

    page: int
    boxes: tuple[Box, ...]
    kind: str
    text: str = ""


def cell_boxes(finding, own: str = FINAL) -> dict[int, list[Box]]:
    """The boxes of the cells a finding compares, by page (cells without a box are left out, and
    the cells of another document than the report's own kind `own`: the 预算 a 决算 is held
    against, the 决算 a 预算's 执行数 is — they are on another document's pages)."""
    out: dict[int, list[Box]] = defaultdict(list)
    for c in finding.cells or []:
        box, page = c.get("box"), c.get("page")
        if c.get("document") not in (None, "", own):
            continue
        if box and page:
            out[int(box[0]) if len(box) == 5 else int(page)].append(tuple(float(v) for v in box[-4:]))
    return dict(out)


def squash(text: str) -> str:
    """Text as the search compares it: NFKC (as the reader normalizes), white space dropped."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=256)
def page_frame(path: str, page: int, password: str | None = None):
    """The upright frame of a page (`auditlib.ingest.pdf_frame`): what every box is measured in."""
    import pypdfium2 as pdfium

    from auditlib.ingest.pdf_frame import upright

    pdf = pdfium.PdfDocument(path, password=password)
    try:
        return upright(pdf[page - 1])
    finally:
        pdf.close()


@lru_cache(maxsize=64)
def page_text(path: str, page: int, password: str | None = None) -> tuple[str, tuple[Box, ...]]:
    """A page's printed characters, squashed, and each one's box: what text search runs on."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from auditlib.ingest.pdf_frame import upright_text
    from auditlib.ingest.pdf_pages import char_codes

    pdf = pdfium.PdfDocument(path, password=password)
    try:
        frame, tp = upright_text(pdf[page - 1])
        chars: list[str] = []
        boxes: list[Box] = []
        for k, code in enumerate(char_codes(tp.raw, pdfium_c)):
            if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
                continue
            printed = squash(chr(code))
            if printed:
                left, bottom, right, top = tp.get_charbox(k)
                chars.append(printed)
                boxes += [frame.top_down((left, bottom, right, top))] * len(printed)
        tp.close()
    finally:
        pdf.close()
    return "".join(chars), tuple(boxes)


def lines(boxes: tuple[Box, ...] | list[Box]) -> tuple[Box, ...]:
    """Character boxes merged into one box per printed line (a new line starts where the
    next character stands below the line, or back to its left)."""
    out: list[list[float]] = []
    for x0, top, x1, bottom in boxes:
        cur = out[-1] if out else None
        if cur and cur[1] <= (top + bottom) / 2 <= cur[3] and x0 >= cur[0] - 1:
            cur[0], cur[1], cur[2], cur[3] = min(cur[0], x0), min(cur[1], top), max(cur[2], x1), max(cur[3], bottom)
        else:
            out.append([x0, top, x1, bottom])
    return tuple(tuple(round(v, 1) for v in b) for b in out)


def _longest_start(hay: str, needle: str) -> int:
    """How many leading characters of `needle` `hay` holds together (binary search: a prefix
    of a held prefix is held)."""
    lo, hi = 0, len(needle)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if needle[:mid] in hay else (lo, mid - 1)
    return lo


def find(path: str, page: int, text: str, password: str | None = None) -> tuple[Box, ...] | None:
    """The line boxes of `text` on `page` (its first occurrence); None when the page does not print it."""
    needle = squash(text)
    hay, boxes = page_text(path, page, password)
    at = hay.find(needle) if needle else -1
    return None if at < 0 else lines(boxes[at: at + len(needle)])


def text_places(path: str, page: int, pages: int, text: str, password: str | None = None) -> list[Place]:
    """`text` on `page`, or its start there and the rest on the next page (a sentence, or a
    row's label, cut by the page break); [] when neither."""
    boxes = find(path, page, text, password)
    if boxes:
        return [Place(page, boxes, "text", text)]
    needle = squash(text)
    cut = _longest_start(page_text(path, page, password)[0], needle) if page < pages else 0
    if cut < max(2, min(MIN_PART, len(needle) // 2)):
        return []
    head, rest = find(path, page, needle[:cut], password), find(path, page + 1, needle[cut:], password)
    return [Place(page, head, "text", needle[:cut]), Place(page + 1, rest, "text", needle[cut:])] if head and rest else []


def quotes(message: str) -> list[str]:
    """The printed text a message ends with (`…：“text”`), read from each `：“` in turn (the
    quoted text may itself hold quotes)."""
    if not message.endswith("”"):
        return []
    return [message[m.end():-1] for m in re.finditer(QUOTE_OPEN, message) if m.end() < len(message) - 2]


def _labels(finding) -> list[str]:
    """What else on the page names the finding's place: the text value it names, then the
    last word of its location (an indicator, a heading, a title, a code)."""
    out = [finding.actual] if isinstance(finding.actual, str) and len(finding.actual) >= 2 else []
    last = (finding.location or "").split()[-1:] if finding.location else []
    return out + [w for w in last if len(w) >= 2 and not re.fullmatch(r"公开\d+表", w)]


def file_page(report, page: int | None) -> tuple[str, int | None, int]:
    """The PDF file that prints a page of the document, the page in it and its page count (a
    document read from several files numbers its pages on across them: `Report.files`)."""
    index, local, _line = report.locate(page) if page else (None, page, None)
    if index is None:
        return str(report.path), page, report.pages or 0
    return report.files[index].path, local, report.files[index].pages


def places(report, finding, password: str | None = None) -> list[Place]:
    """The finding's place on the PDF, one `Place` per page of the document ([] : none; see the
    module's docstring for the order)."""
    path, page, pages = file_page(report, finding.page)
    before = (finding.page or 0) - (page or 0)  # the pages of the files before the one searched
    if page and 1 <= page <= pages:
        for text in quotes(finding.message):
            found = text_places(path, page, pages, text, password)
            if found:
                return [replace(pl, page=pl.page + before) for pl in found]
    cells = cell_boxes(finding, getattr(report, "kind", None) or FINAL)
    if cells:
        return [Place(p, tuple(b), "cell") for p, b in sorted(cells.items())]
    # on its page, or the page before: a section's heading may end the page before its text
    for text in _labels(finding) if page and 1 <= page <= pages else ():
        for on in [page] + ([page - 1] if page > 1 else []):
            found = text_places(path, on, pages, text, password)
            if found:
                return [replace(pl, page=pl.page + before) for pl in found]
    return []


def unplaced_reason(finding) -> str:
    """Why a finding has no place, in the words the CLI tells the auditor."""
    return NOT_FOUND if finding.page else NO_PAGE
