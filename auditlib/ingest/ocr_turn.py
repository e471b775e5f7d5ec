"""Scanned pages laid sideways or upside down: told from the first OCR pass and turned
upright before the page is read.

A landscape table is often scanned in portrait and published so, with no /Rotate to set
it right: the image the OCR sees has its text running up or down the page (or, a sheet
fed the wrong way round, upside down).  Read as it lies, such a page gives no table.

The page is first read as it is (the pass an upright page needs anyway, so an upright
page costs nothing more).  Its reading is *upright* when its text lines lie across
(PP-OCR's detector boxes are wider than tall) and the recogniser is sure of them (median
confidence `UPRIGHT`).  Measured on the Nanchang tables (tests/scans.py, 150 dpi): upright,
tall boxes 0-1 of 130-245 and median confidence 0.995-0.998; turned by a quarter, the boxes
are tall (23-216 tall, none wide); upside down, wide boxes read at median 0.79-0.81.

A page that is not upright is put to the recogniser again on its longest lines only
(`SAMPLE`), each turned both ways it may be upright — a quarter either way for lines that
stand, none or a half for lines that lie — and the turn whose readings are surer by
`MARGIN` wins.  The page is then read turned, and that reading kept only if it is
upright; otherwise the page's direction could not be told and it is read as it lies
(the report says so).  Nothing is guessed.

RapidOCR's own direction classifier (its `cls` model) tells 0 from 180 degrees on one line
only, not the quarter turns, and the recogniser's confidence tells both.
"""

from __future__ import annotations

from statistics import median

import numpy as np

from auditlib.ingest.ocr_engine import engine, line_image
from auditlib.ingest.pdf_unmapped import page_span

UPRIGHT = 0.9  # median recognition confidence from which a reading whose lines lie across is upright
MIN_LINES = 5  # fewer text lines than this on a page say nothing of its direction
SAMPLE = 12  # the longest lines read again in each candidate direction
MARGIN = 0.1  # how much surer (mean confidence) the winning direction's readings must be


def _extent(box) -> tuple[float, float, float, float]:
    """A detector box's bounds in pixels: (x0, y0, x1, y1)."""
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    return min(xs), min(ys), max(xs), max(ys)


def _lie(result: list) -> tuple[list, list]:
    """The text lines of a reading that lie across (wider than tall by half) and those that
    stand (taller than wide by half, the ratio at which RapidOCR itself stands a crop up)."""
    wide, tall = [], []
    for line in result:
        x0, y0, x1, y1 = _extent(line[0])
        if x1 - x0 >= 1.5 * (y1 - y0):
            wide.append(line)
        elif y1 - y0 >= 1.5 * (x1 - x0):
            tall.append(line)
    return wide, tall


def upright(result: list | None) -> bool:
    """Whether a page's reading reads it upright: its lines lie across and are read surely
    (a page with fewer than `MIN_LINES` lines has no direction to tell, and passes)."""
    result = result or []
    if len(result) < MIN_LINES:
        return True
    wide, tall = _lie(result)
    return len(wide) > len(tall) and median(float(line[2]) for line in result) >= UPRIGHT


def _sureness(gray: np.ndarray, lines: list, quarters: int, threads: int) -> float:
    """The recogniser's mean confidence on `lines` (detector results on `gray`), each
    turned anticlockwise by `quarters` before it is read."""
    read = engine(threads)
    scores = []
    for line in lines:
        x0, y0, x1, y1 = (int(v) for v in _extent(line[0]))
        image = line_image(np.ascontiguousarray(np.rot90(gray[max(y0, 0):y1 + 1, max(x0, 0):x1 + 1], quarters)))
        if image is None:
            scores.append(0.0)
            continue
        got, _elapsed = read(image[0], use_det=False, use_cls=False)
        scores.append(max((float(score) for _text, score in got or []), default=0.0))
    return sum(scores) / len(scores)


def direction(gray: np.ndarray, result: list | None, threads: int = 0) -> int | None:
    """The quarter turns (anticlockwise, `np.rot90`) that set the page `gray` upright,
    judged from its reading as it lies (`result`): 0 for an upright page, and for a page
    whose lines lie across but whose direction the sample cannot tell (a poor scan read as
    it lies, as ever); None for a page whose lines stand and whose direction cannot be told."""
    if upright(result):
        return 0
    wide, tall = _lie(result or [])
    standing = len(tall) > len(wide)
    lines = sorted(tall if standing else wide, key=lambda ln: -max(_side(ln)))[:SAMPLE]
    if len(lines) < MIN_LINES:
        return None if standing else 0
    sure = {q: _sureness(gray, lines, q, threads) for q in ((1, 3) if standing else (0, 2))}
    best, other = sorted(sure, key=sure.get, reverse=True)
    if sure[best] - sure[other] >= MARGIN:
        return best
    return None if standing else 0


def _side(line) -> tuple[float, float]:
    """A detector box's width and height."""
    x0, y0, x1, y1 = _extent(line[0])
    return x1 - x0, y1 - y0


def page_box(box: tuple[float, float, float, float], quarters: int, width: float,
             height: float) -> tuple[float, float, float, float]:
    """A box (x0, top, x1, bottom, points) measured on a page image turned anticlockwise by
    `quarters`, put back on the page as it lies (`width` × `height`, its own size): a cell's
    place marked on the PDF is where it is printed."""
    x0, top, x1, bottom = box
    if quarters % 4 == 1:
        return width - bottom, x0, width - top, x1
    if quarters % 4 == 2:
        return width - x1, height - bottom, width - x0, height - top
    if quarters % 4 == 3:
        return top, height - x1, bottom, height - x0
    return box


def turn_notes(quarters: dict[int, int | None]) -> list[str]:
    """What a report says of its scanned pages by the quarter turns they were read with (page
    number → `direction`'s answer): those set upright, and those whose direction could not be told."""
    sideways = [n for n, q in quarters.items() if q in (1, 3)]
    upside_down = [n for n, q in quarters.items() if q == 2]
    untold = [n for n, q in quarters.items() if q is None]
    notes = []
    if sideways:
        notes.append(f"第 {page_span(sideways)} 页为横向扫描，已转正后识别（scanned sideways: turned upright before OCR）")
    if upside_down:
        notes.append(f"第 {page_span(upside_down)} 页为倒置扫描，已转正后识别（scanned upside down: turned upright before OCR）")
    if untold:
        notes.append(f"第 {page_span(untold)} 页文字方向不正（横向或倒置扫描）且无法判断，按原样识别，其上的表可能未能读取"
                     "（text not upright and its direction could not be told: read as scanned, its tables may stay unread）")
    return notes
