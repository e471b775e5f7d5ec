"""Scanned pages: the page image read into the same text runs and ruling lines as a
text layer, so a scan goes through the same grids, rows and builder as any PDF.

Many published 部门决算 are printed, stamped and scanned.  A page without a text
layer is rendered by PDFium, deskewed (scanners tilt pages by a degree or so, which
breaks a ruled grid into steps), set upright if it was scanned sideways or upside down
(`ocr_turn`: told from the first OCR pass, so an upright page costs nothing more), and
read twice:

* ruling lines: the long thin runs of dark pixels a morphological opening keeps
  (OpenCV), as `grid.Rule`s in PDF points, the input of `grid.page_grids`;
* text: RapidOCR (PP-OCR models shipped inside the rapidocr-onnxruntime wheel, so
  nothing is downloaded; run by OpenVINO, which reads the same characters faster than
  onnxruntime) gives text lines with a box and a confidence; each line becomes a run
  whose characters are spread over its box, so a grid places every character in its
  cell exactly as it does with a text layer.

Pages are rendered and read one at a time by each reader (memory stays at one page
image per reader); a long scan can be read by one worker process per core
(AUDITLIB_OCR_WORKERS).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from auditlib.ingest.grid import Grid, Rule, merge_rules, page_grids
from auditlib.ingest.ocr_engine import engine, line_image, start
from auditlib.ingest.ocr_turn import MIN_LINES, direction, upright


@dataclass(frozen=True)
class OcrSettings:
    """How scans are read; pixel sizes are at `dpi`."""

    dpi: int = 150
    max_skew: float = 2.0  # degrees searched either way when deskewing
    skew_step: float = 0.1
    min_rule_px: int = 40  # a ruling line is at least this long (a glyph stroke is shorter)
    cell_ink: float = 0.004  # share of dark pixels that makes an empty cell worth reading on its own
    cell_margin_px: int = 4  # the border strokes trimmed off a cell before looking for ink
    reread_below: float = 0.9  # a line read with less confidence is read again from its cell alone
    # processes reading pages at once; 0: one per core; None: AUDITLIB_OCR_WORKERS when the
    # pages are read, else 1 (on 2 cores the runtime's own threads already use both, and two
    # page workers were 0.89-0.95x the time at 1.6x the memory: bench/bench_ocr.py)
    workers: int | None = None
    threads: int = 0  # the cores the OCR runtime computes on; 0: all
    parallel_from: int = 4  # fewer scanned pages than this are read in this process (start-up costs ~2 s)


SETTINGS = OcrSettings()


@dataclass
class TextRun:
    """One OCR'd line of text, in PDF points (origin top left, y down)."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    xs: tuple[float, ...]  # the x centre of each character, spread evenly over the box
    score: float


def render(page, s: OcrSettings = SETTINGS) -> np.ndarray:
    """The page as a grayscale image at `s.dpi`."""
    bitmap = page.render(scale=s.dpi / 72, grayscale=True)
    image = np.array(bitmap.to_pil().convert("L"))
    bitmap.close()
    return image


def _line_mask(ink: np.ndarray, horizontal: bool, length: int) -> np.ndarray:
    import cv2

    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)


def _ink(gray: np.ndarray) -> np.ndarray:
    import cv2

    _t, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def skew(gray: np.ndarray, s: OcrSettings = SETTINGS) -> float:
    """The page's tilt in degrees: the angle at which its horizontal strokes line up
    best (the rows of a sheared image sum most unevenly when its rules are level)."""
    import cv2

    ink = _ink(gray)
    small = cv2.resize(ink, (ink.shape[1] // 2, ink.shape[0] // 2), interpolation=cv2.INTER_AREA)
    centre = (small.shape[1] / 2, small.shape[0] / 2)
    best, best_angle = -1.0, 0.0
    for angle in np.arange(-s.max_skew, s.max_skew + 1e-9, s.skew_step):
        m = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rotated = cv2.warpAffine(small, m, (small.shape[1], small.shape[0]), flags=cv2.INTER_NEAREST)
        profile = rotated.sum(axis=1, dtype=np.float64)
        score = float(np.square(profile).sum())
        if score > best:
            best, best_angle = score, float(angle)
    return best_angle


def deskew(gray: np.ndarray, s: OcrSettings = SETTINGS) -> np.ndarray:
    """The image rotated level (white where the rotation uncovers the margin)."""
    import cv2

    angle = skew(gray, s)
    if abs(angle) < s.skew_step / 2:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def image_rules(gray: np.ndarray, s: OcrSettings = SETTINGS) -> list[Rule]:
    """The ruling lines of a page image, in PDF points."""
    import cv2

    ink = _ink(gray)
    scale = 72 / s.dpi
    rules: list[Rule] = []
    for horizontal in (True, False):
        mask = _line_mask(ink, horizontal, s.min_rule_px)
        n, _labels, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, w, h, _area in stats[1:n]:
            if horizontal and w >= s.min_rule_px:
                rules.append(Rule(True, (y + h / 2) * scale, x * scale, (x + w) * scale))
            elif not horizontal and h >= s.min_rule_px:
                rules.append(Rule(False, (x + w / 2) * scale, y * scale, (y + h) * scale))
    return merge_rules(rules)


def _widths(text: str) -> list[float]:
    """Relative widths of the characters: CJK and full-width ones are twice a digit's."""
    return [1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text]


def _spread(x0: float, x1: float, text: str, cuts: list[float]) -> tuple[float, ...]:
    """Character centres for a line of `text` OCR'd over x0..x1: spread by character
    width, and where a vertical rule crosses the box (one box over two cells,
    "30113住房公积金"), cut the text at the character boundary nearest the rule so no
    character lands on the wrong side of it (a box that only overhangs a rule is cut
    at its end: all its text stays on one side)."""
    widths = _widths(text)
    total = sum(widths)
    edges = [x0]
    for w in widths:
        edges.append(edges[-1] + (x1 - x0) * w / total)
    marks = [(0, x0)]
    for cut in sorted(c for c in cuts if x0 < c < x1):
        k = min(range(len(text) + 1), key=lambda i: abs(edges[i] - cut))
        if k >= marks[-1][0]:
            marks.append((k, cut))
    marks.append((len(text), x1))
    xs: list[float] = []
    for (ka, xa), (kb, xb) in zip(marks, marks[1:]):
        part = widths[ka:kb]
        acc = xa
        for w in part:
            step = (xb - xa) * w / sum(part)
            xs.append(acc + step / 2)
            acc += step
    return tuple(xs)


# PP-OCR reads the enumeration comma of "十一、城乡社区支出" as 丶 (U+4E36, the dot radical),
# which a report never prints: the row's label then matches nothing and its amounts are lost
_CONFUSED = str.maketrans({"丶": "、"})


def _read_as_printed(text: str) -> str:
    """An OCR'd line's text, stripped, its characters the recogniser confuses with what
    reports print (`_CONFUSED`) put back."""
    return text.strip().translate(_CONFUSED)


def _recognise(gray: np.ndarray, x0: float, top: float, x1: float, bottom: float,
               s: OcrSettings) -> list[TextRun]:
    """Text recognition alone on one rectangle of the page (points), as a text line
    (`line_image`)."""
    k = s.dpi / 72
    line = line_image(gray[max(int(top * k), 0):int(bottom * k), max(int(x0 * k), 0):int(x1 * k)])
    if line is None:
        return []
    image, (ix0, iy0, ix1, iy1) = line
    result, _elapsed = engine(s.threads)(image, use_det=False, use_cls=False)
    l, r, t, b = x0 + ix0 / k, x0 + ix1 / k, top + iy0 / k, top + iy1 / k
    texts = [(_read_as_printed(text), float(score)) for text, score in result or []]
    return [TextRun(l, r, t, b, text, _spread(l, r, text, []), score) for text, score in texts if text]


def _second_opinion(gray: np.ndarray, grids: list[Grid], run: TextRun, s: OcrSettings) -> TextRun:
    """A doubtful line inside a table cell read again from the cell alone, with room
    around it ("1,530.79" read as "1,5079" on the page is read right on its own): the
    surer of the two readings is kept."""
    cx, cy = (run.x0 + run.x1) / 2, (run.top + run.bottom) / 2
    cell = next((g.cell_at(cx, cy) for g in grids if g.holds(cx, cy)), None)
    if cell is None:
        return run
    m = s.cell_margin_px * 72 / s.dpi
    again = _recognise(gray, cell.x0 + m, cell.top + m, cell.x1 - m, cell.bottom - m, s)
    best = max(again, key=lambda r: r.score, default=None)
    return best if best is not None and best.score > run.score else run


def page_reading(gray: np.ndarray, s: OcrSettings = SETTINGS) -> list | None:
    """RapidOCR's reading of a whole page image: [box, text, confidence] per text line."""
    result, _elapsed = engine(s.threads)(np.dstack([gray] * 3), use_cls=False)
    return result


def image_text(gray: np.ndarray, grids: list[Grid], result: list | None,
               s: OcrSettings = SETTINGS) -> list[TextRun]:
    """The OCR'd text lines of a page image (`result`: its `page_reading`), in PDF points.
    A line detected across a cell border (two cells' texts read as one, "30113住房公积金")
    is read again cell by cell, so each cell gets exactly its own characters."""
    scale = 72 / s.dpi
    runs = []
    for box, text, score in result or []:
        text = _read_as_printed(text)
        if not text:
            continue
        x0, x1 = min(p[0] for p in box) * scale, max(p[0] for p in box) * scale
        top, bottom = min(p[1] for p in box) * scale, max(p[1] for p in box) * scale
        cy = (top + bottom) / 2
        cuts = sorted(x for g in grids if g.holds((x0 + x1) / 2, cy) for x in g.xs[1:-1] if x0 + 2 < x < x1 - 2)
        if not cuts:
            run = TextRun(x0, x1, top, bottom, text, _spread(x0, x1, text, []), float(score))
            runs.append(_second_opinion(gray, grids, run, s) if score < s.reread_below else run)
            continue
        edges = [x0, *cuts, x1]
        for a, b in zip(edges, edges[1:]):
            runs.extend(r if r.score >= s.reread_below else _second_opinion(gray, grids, r, s)
                        for r in _recognise(gray, a + 1, top, b - 1, bottom, s))
    return runs


def _cell_runs(gray: np.ndarray, grids: list[Grid], runs: list[TextRun], s: OcrSettings) -> list[TextRun]:
    """Cells the page-wide pass left empty although they hold ink (a lone "1" or "5"
    is often missed by text detection) read one by one."""
    k = s.dpi / 72
    taken = [(x, (r.top + r.bottom) / 2) for r in runs for x in r.xs]
    out = []
    for grid in grids:
        for cell in grid.cells.values():
            if any(cell.x0 <= x <= cell.x1 and cell.top <= y <= cell.bottom for x, y in taken):
                continue
            m = s.cell_margin_px / k
            x0, x1, top, bottom = cell.x0 + m, cell.x1 - m, cell.top + m, cell.bottom - m
            if x1 - x0 < 3 or bottom - top < 3:
                continue
            crop = gray[int(top * k):int(bottom * k), int(x0 * k):int(x1 * k)]
            if crop.size and (crop < 128).mean() >= s.cell_ink:
                out.extend(_recognise(gray, x0, top, x1, bottom, s))
    return out


class PageRead(NamedTuple):
    """What OCR read on one scanned page, in points on the page image as read."""

    runs: list[TextRun]
    grids: list[Grid]
    # the quarter turns (anticlockwise) that set the page image upright before it was read
    # (ocr_turn); None: its text stands or lies upside down, and which way could not be told
    quarters: int | None


def _upright(gray: np.ndarray, s: OcrSettings) -> tuple[np.ndarray, list | None, int | None]:
    """The page image set upright, its reading and the quarter turns it took (ocr_turn): an
    upright page is read once, as ever; a turned one is read again turned, and that reading
    kept only if it reads upright."""
    result = page_reading(gray, s)
    quarters = direction(gray, result, s.threads)
    if not quarters:
        return gray, result, quarters
    turned = np.ascontiguousarray(np.rot90(gray, quarters))
    again = page_reading(turned, s)
    if len(again or []) >= MIN_LINES and upright(again):
        return turned, again, quarters
    return gray, result, None


def read_page(page, number: int, s: OcrSettings = SETTINGS) -> PageRead:
    """One scanned page, set upright first: its text runs and its ruled tables."""
    start()
    gray, result, quarters = _upright(deskew(render(page, s), s), s)
    grids = page_grids(number, image_rules(gray, s))
    runs = image_text(gray, grids, result, s)
    return PageRead(runs + _cell_runs(gray, grids, runs, s), grids, quarters)


def read_pages(path: Path, password: str | None, numbers: list[int],
               s: OcrSettings = SETTINGS) -> Iterator[PageRead]:
    """The scanned pages `numbers` (1-based) of a PDF, read in order.  A long scan is
    read by one worker process per core, each reading whole pages with one
    OCR thread (the pages are independent, and the Python half of each
    page's work then runs beside the other's).  The workers are loky's reusable
    ones: started fresh (fork then exec, never a bare fork of a process whose OCR or
    tabula's JVM runs threads), with no `if __name__ == "__main__"` needed in an
    auditor's script, and kept for the next document of a notebook or a batch.  A
    daemonic process (a Dask worker) cannot have children and reads its pages itself.
    A process forked after this one read a scan reads none (`start`)."""
    import multiprocessing

    from loky import cpu_count, get_reusable_executor

    start(path)
    if multiprocessing.current_process().daemon:  # one of several workers: one thread each
        yield from _pages_here(path, password, numbers, OcrSettings(**{**s.__dict__, "threads": 1}))
        return
    wanted = _workers_wanted(s)
    workers = min(wanted or cpu_count(), len(numbers))  # loky counts the cores a container may use
    if workers < 2 or len(numbers) < s.parallel_from:
        yield from _pages_here(path, password, numbers, s)
        return

    one = OcrSettings(**{**s.__dict__, "workers": 1, "threads": 1})
    pool = get_reusable_executor(max_workers=workers, timeout=60, context="loky")  # exec'd, whatever the default
    yield from pool.map(_read_in_worker, [(str(path), password, n, one) for n in numbers])


def _workers_wanted(s: OcrSettings) -> int:
    """How many page workers: the settings', else AUDITLIB_OCR_WORKERS read now (so a notebook's
    `%env` is seen), else 1; a value that is not a count is said once and read as 1."""
    if s.workers is not None:
        return s.workers
    from auditlib.environment import ocr_workers

    wanted = ocr_workers()
    return 1 if wanted is None else wanted


def _pages_here(path: Path, password: str | None, numbers: list[int],
                s: OcrSettings) -> Iterator[PageRead]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path), password=password)
    try:
        for n in numbers:
            page = doc[n - 1]
            try:
                yield read_page(page, n, s)
            finally:
                page.close()
    finally:
        doc.close()


@lru_cache(maxsize=1)
def _document(path: str, password: str | None, stamp: tuple[int, int]):
    """A worker's open PDF, kept while it reads the pages of one document (`stamp`,
    the file's mtime and size, opens it again when the file at `path` changed)."""
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(path, password=password)


def _read_in_worker(job: tuple[str, str | None, int, OcrSettings]) -> PageRead:
    path, password, number, s = job
    st = os.stat(path)
    page = _document(path, password, (st.st_mtime_ns, st.st_size))[number - 1]
    try:
        return read_page(page, number, s)
    finally:
        page.close()
