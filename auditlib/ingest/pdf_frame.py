"""Where a page's marks stand in the frame the reader works in: upright, as its text reads.

A PDF draws in its own user space, and what a viewer shows is that space turned by the page's
/Rotate. Neither says which way the text runs: a landscape table printed onto a portrait sheet
is drawn turned a quarter (the printer's doing), and the page then carries /Rotate to show it
upright — or none, and it is viewed sideways. Read in user space, its rows run down the page
and no table is found. So the reader turns each page by the direction most of its characters
run (each character's matrix), and everything it measures — character boxes, ruling
lines, the crop box — is turned alike. Ruling lines drawn inside form XObjects (a page placed
on another, scaled to fit, as merging and printing tools do) are mapped through the forms'
matrices first, as the text layer already is by PDFium.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as PDF writes it
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SLANT = 5.0  # degrees: a character this far from a quarter turn is slanted (a diagonal watermark)
SLANT_TAN = math.tan(math.radians(SLANT))
SAMPLE = 200  # characters a page's text direction is told from (spread over the page's text)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def compose(inner: Matrix, outer: Matrix) -> Matrix:
    """`inner` then `outer`: a form's content drawn by a form drawn on the page."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def corners(m: Matrix, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The box (left, bottom, right, top) that holds `box` mapped through `m`."""
    l, b, r, t = box
    pts = [apply(m, x, y) for x in (l, r) for y in (b, t)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def turning(turn: int) -> Matrix:
    """The matrix that turns a page whose text runs `turn` degrees clockwise back upright
    (a quarter turn counter-clockwise per 90)."""
    return {0: IDENTITY, 90: (0.0, 1.0, -1.0, 0.0, 0.0, 0.0), 180: (-1.0, 0.0, 0.0, -1.0, 0.0, 0.0),
            270: (0.0, -1.0, 1.0, 0.0, 0.0, 0.0)}[turn]


def slanted(a: float, b: float) -> bool:
    """Whether a character whose matrix starts (a, b) runs slanted, off every quarter turn
    (`quarter` without trigonometry: asked of every character of a page)."""
    a, b = abs(a), abs(b)
    return (a if a < b else b) > SLANT_TAN * (a if a > b else b)


def quarter(angle: float) -> int | None:
    """The quarter turn (0/90/180/270) an angle in degrees is, None when it is slanted."""
    q = round(angle / 90.0) % 4 * 90
    off = abs((angle - q + 180.0) % 360.0 - 180.0)
    return q if off <= SLANT else None


def text_turn(angles: list[float]) -> int:
    """The direction most characters of a page run (degrees clockwise); 0 when
    the page has none, or when upright ones are as many as any other."""
    counts = Counter(q for q in (quarter(a) for a in angles) if q is not None)
    if not counts:
        return 0
    best, n = counts.most_common(1)[0]
    return best if n > counts.get(0, 0) else 0


def char_angle(raw, k: int, m, pdfium_c) -> float:
    """The direction (degrees, clockwise) character `k` of a text page runs: its baseline's,
    from the character's matrix (`m`: an FS_MATRIX to fill). Not PDFium's own angle, which
    also counts a slant: an italic made by skewing the font (seen on real figures) is upright."""
    pdfium_c.FPDFText_GetMatrix(raw, k, m)
    return -math.degrees(math.atan2(m.b, m.a)) % 360.0


def char_angles(raw, indices: Iterable[int], pdfium_c) -> list[float]:
    """`char_angle` of the text page's characters `indices`."""
    m = pdfium_c.FS_MATRIX()
    return [char_angle(raw, k, m, pdfium_c) for k in indices]


def invert(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


@dataclass(frozen=True)
class Frame:
    """A page turned upright: `turn` maps user space into it (y still grows upwards);
    `crop` is the crop box turned (left, bottom, right, top); `degrees` how far its text
    runs clockwise in user space."""

    turn: Matrix
    crop: tuple[float, float, float, float]
    degrees: int = 0

    @classmethod
    def of(cls, crop: tuple[float, float, float, float], turn: int = 0) -> Frame:
        m = turning(turn)
        return cls(m, corners(m, crop), turn)

    @property
    def size(self) -> tuple[float, float]:
        """(width, height) of the page as its text reads."""
        l, b, r, t = self.crop
        return r - l, t - b

    def matrix(self, outer: Matrix = IDENTITY) -> Matrix:
        """From the space of a form drawn with `outer` (user space by default) into the frame."""
        return self.turn if outer == IDENTITY else compose(outer, self.turn)

    def box(self, box: tuple[float, float, float, float], outer: Matrix = IDENTITY) -> tuple[float, float, float, float]:
        """A box (left, bottom, right, top) of user space — or of a form drawn with `outer` — turned."""
        if outer == IDENTITY and not self.degrees:
            return box  # nearly every page: asked of each character, so kept cheap
        return corners(self.matrix(outer), box)

    def top_down(self, box: tuple[float, float, float, float], outer: Matrix = IDENTITY,
                 clip: bool = False) -> tuple[float, float, float, float]:
        """A box (left, bottom, right, top) of user space — or of a form drawn with `outer` — as
        the reader keeps boxes: (x0, top, x1, bottom) from the top left of the upright page;
        `clip`: cut to the crop box (an image may reach beyond the page)."""
        l, b, r, t = self.box(box, outer)
        cx0, cy0, cx1, cy1 = self.crop
        if clip:
            l, b, r, t = max(l, cx0), max(b, cy0), min(r, cx1), min(t, cy1)
        return l - cx0, cy1 - t, r - cx0, cy1 - b

    def user_box(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A box the reader keeps (x0, top, x1, bottom) back in user space (left, bottom, right, top)."""
        x0, top, x1, bottom = box
        l, t = self.crop[0], self.crop[3]
        return corners(invert(self.turn), (l + x0, t - bottom, l + x1, t - top))

    def view_rotation(self, rotate: int) -> int:
        """The turn (clockwise, as renderers take it) to add to a page's own /Rotate `rotate`
        so it is shown as its text reads."""
        return (360 - self.degrees - rotate) % 360


def upright(page, textpage=None) -> Frame:
    """The frame a PDFium page is read in (`auditlib.ingest.pdf_pages`, or `auditlib.ingest.ocr`
    for a scan): what the places of findings, the crops of the page and the annotated copy
    measure boxes in."""
    import pypdfium2.raw as pdfium_c

    tp = textpage or page.get_textpage()
    try:
        n = tp.count_chars()
        # a page without text (a scan) is read by OCR as it is shown: its frame is the view's
        turn = text_turn(char_angles(tp.raw, range(0, n, max(1, n // SAMPLE)), pdfium_c)) if n \
            else (360 - page.get_rotation()) % 360
    finally:
        if textpage is None:
            tp.close()
    return Frame.of(page.get_cropbox(), turn)


def upright_text(page):
    """(frame, text page) of a PDFium page, read as its text runs. PDFium orders the characters
    (and places the spaces it reads between them) as the page is viewed, so a page viewed
    otherwise than as its text reads is first turned that way (in memory only): its spaces
    then stay between their neighbours, and a sentence's characters in its order."""
    tp = page.get_textpage()
    frame = upright(page, tp)
    if tp.count_chars() and frame.view_rotation(page.get_rotation()):
        page.set_rotation((360 - frame.degrees) % 360)
        tp.close()
        tp = page.get_textpage()
    return frame, tp
