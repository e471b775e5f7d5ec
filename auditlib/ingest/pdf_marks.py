"""Which characters of a page are a watermark's, not the page's text (auditlib/ingest/pdf_pages.py
reads them as spaces).

A watermark drawn over the tables — the producer's, a printer's or a records system's — is text
like the cells' to PDFium. Read as text, it joins the cells it crosses: a figure or a word glued
into a row's label, a date into a column, and the table fails everywhere. What no cell's text
is, a watermark's is: slanted across the page, translucent, or turned a quarter from the page's
text at a size no cell has.
"""

from __future__ import annotations

import math
import statistics

from auditlib.ingest.pdf_frame import SAMPLE, slanted


class Marks:
    """Tells a watermark's characters: drawn slanted across the page, translucent over (or
    under) the text, or turned from the page's text (a quarter, or upside down) and at least
    twice its size (a stamp run up the page, "INTERNAL 2021-06-30"). No cell's text is any of
    these — a header written up its narrow column is turned but of the table's size — and read
    as text they join the cells they cross: a figure or a word glued into a row's label, a date
    into a column. Text of no opacity at all is no watermark (it marks nothing): it is a
    searchable scan's text layer, hidden by opacity over its image as others hide it by render
    mode, and is read."""

    translucent = 0.6  # a fill this opaque or less (but not transparent) is a watermark's
    larger = 2.0  # a turned character this many times the page's body text (median size) is a watermark's

    def __init__(self, raw, pdfium_c, codes: list[int], degrees: int = 0) -> None:
        import ctypes

        self.raw, self.c, self.codes = raw, pdfium_c, codes
        self.m = pdfium_c.FS_MATRIX()
        self.alpha = ctypes.c_uint()
        # asked of every character: the arguments are made once (ctypes' own conversions cost more than the calls)
        self.m_ref = ctypes.byref(self.m)
        self.rgba_refs = (*(ctypes.byref(ctypes.c_uint()) for _ in range(3)), ctypes.byref(self.alpha))
        self.opaque = self.translucent * 255
        turn = math.radians(degrees)  # the page's text runs `degrees` clockwise: (a, b) of its matrices point so
        self.dx, self.dy = round(math.cos(turn)), -round(math.sin(turn))
        self.body: float | None = None  # the page's body text size, measured at its first turned character

    def watermark(self, k: int) -> bool:
        """Whether character `k` is a watermark's: slanted, turned from the page's text (a quarter
        either way, or upside down) and `larger` times its body text, or translucent."""
        c, m = self.c, self.m
        c.FPDFText_GetMatrix(self.raw, k, self.m_ref)
        if slanted(m.a, m.b):
            return True
        if m.a * self.dx + m.b * self.dy < 0.5 * (abs(m.a) + abs(m.b)) and self._large(k):
            return True
        return bool(c.FPDFText_GetFillColor(self.raw, k, *self.rgba_refs)) and 0 < self.alpha.value <= self.opaque

    def _size(self, k: int) -> float:
        """Character `k`'s size on the page: its font's size times its matrix's scale."""
        self.c.FPDFText_GetMatrix(self.raw, k, self.m_ref)
        return self.c.FPDFText_GetFontSize(self.raw, k) * math.hypot(self.m.a, self.m.b)

    def _large(self, k: int) -> bool:
        """Whether turned character `k` is `larger` times the body text: the median size of the
        characters (SAMPLE spread over the page) that run as the page's text does."""
        size = self._size(k)
        if self.body is None:
            n = len(self.codes)
            sizes = []
            for j in range(0, n, max(1, n // SAMPLE)):
                if self.codes[j] > 32 and (here := self._size(j)) and \
                        self.m.a * self.dx + self.m.b * self.dy >= 0.5 * (abs(self.m.a) + abs(self.m.b)):
                    sizes.append(here)
            self.body = statistics.median(sizes) if sizes else math.inf
        return size >= self.larger * self.body
