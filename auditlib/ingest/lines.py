"""The common currency between the readers and the report builder.

Both readers (text extraction and PDF) reduce a document to one ordered stream
of `SourceLine`s: prose as one-cell lines, table rows as several cells, each
carrying where it came from.  The builder (`auditlib.ingest.build`) turns that
stream into a `Report`, so the text and PDF forms share every parsing rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_TAGS = re.compile(r"</?p>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \u00a0\u3000]+")


def normalize_text(text: str) -> str:
    """NFKC-normalize (Kangxi radicals such as ⽬ become 目, full-width digits become
    ASCII), drop the `<p>` fragments converters leave inside cells, fold runs of
    spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _TAGS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class SourceLine:
    """One line of a document: a paragraph (one cell) or a table row (several)."""

    cells: tuple[str, ...]
    line: int | None = None  # 1-based line number in a text source
    page: int | None = None  # 1-based page number in a PDF source
    # per cell, where it was printed (PDF): (x0, top, x1, bottom) in points, or None
    boxes: tuple | None = None
    # per cell, the OCR confidence (scans only; None where the text layer is certain)
    scores: tuple | None = None

    @property
    def text(self) -> str:
        """The whole line as one string (cells joined by a space)."""
        return " ".join(c for c in self.cells if c)

    @property
    def is_row(self) -> bool:
        """True for a line that came from a table (more than one cell)."""
        return len(self.cells) > 1


@dataclass
class SourceDocument:
    """What a reader hands to the builder."""

    path: str
    input_kind: str  # "text", "pdf" or "scan" (a PDF read by OCR)
    lines: list[SourceLine]
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None  # the codec a text source was decoded with (ingest/text.py)
    unread: dict[str, str] = field(default_factory=dict)  # tables seen but not read, no figure counted: code → why
    table_notes: dict[str, str] = field(default_factory=dict)  # a reading note on a whole table: code → note
    ocr_pages: dict[int, int] = field(default_factory=dict)  # pages read by OCR: page → quarter turns anticlockwise it was read turned
    ocr_pictures: dict[int, tuple] = field(default_factory=dict)  # of those, text pages with pictures OCR read: page → (boxes, any of text)
