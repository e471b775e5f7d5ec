"""The pieces a PDF page is reduced to (text runs, lines, table parts, pages), the
text rules that join them (a wrapped label, a number cut at a line break), and the
reader's settings: shared by the text layer, the stream fallback and the assembly."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from auditlib.ingest.lines import normalize_text

NUMBERISH = re.compile(r"^[-+]?[\d,]*\.?\d+%?$")
FIGURE = re.compile(r"\d\.\d{1,2}(?!\d)")  # an amount as tables print it (a decimal point)
# page furniture: a page number alone at the top or bottom of a page
PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*/\s*\d{1,3})?[-—–\s]*$")


@dataclass(frozen=True)
class PdfSettings:
    """Every threshold of the PDF reader in one place.  Lengths are in units of the
    text's height (a line's or a run's), so they hold for any font size."""

    run_overlap: float = 0.5  # two characters share a run when their heights overlap this much
    run_gap: tuple[float, float] = (-0.3, 0.3)  # and the gap between them is within this
    run_gap_after_space: float = 1.5  # the widest gap a space inside a run may leave
    line_overlap: float = 0.5  # two runs share a line when their heights overlap this much
    latin_space: float = 0.25  # a gap between Latin runs wider than this is a space
    field_space: float = 2.5  # a gap wider than this inside a line separates two fields
    page_margin: float = 0.1  # share of the page height at top and bottom where page numbers stand
    stream_field_gap: float = 1.5  # the gap that splits a line into fields (stream tables)
    stream_min_lines: int = 3  # a stream table is at least this many lines ...
    stream_min_fields: int = 3  # ... of at least this many fields, one of them a number
    stream_edge_tol: float = 5.0  # points: cell edges closer than this are one column edge
    paragraph_min_chars: int = 12  # lines at least this long set the page's margins
    paragraph_gap: float = 1.2  # the next line of a paragraph starts within this below
    paragraph_full: float = 2.5  # a line ends within this of the right margin when it wraps
    paragraph_indent: float = 0.7  # the next line starts within this of the left margin
    paragraph_height: float = 0.3  # lines of one paragraph differ in height by at most this share
    piece_pad: float = 1.5  # points around a table part that still belong to it
    head_lines: float = 6.0  # a table's head (编制单位, 年度, 单位 cells) stands this many lines above its grid


SETTINGS = PdfSettings()


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def glue(left: str, right: str) -> str:
    """Join two pieces of one logical text broken by a line wrap: nothing
    between CJK text, one space between two Latin/number pieces."""
    if not left:
        return right
    if not right:
        return left
    a, b = left[-1], right[0]
    if a.isspace() or b.isspace():
        return left + right
    if is_wide(a) and is_wide(b):
        return left + right
    if (a.isdigit() or a in ".,-+") and (b.isdigit() or b in ".,%"):
        return left + right  # a number wrapped inside a narrow cell: "1,038." + "94"
    if (a.isascii() and a.isalnum()) or (b.isascii() and b.isalnum()):
        # a number or Latin word at the break keeps its space ("9859.38 万元")
        if unicodedata.category(a if is_wide(a) else b).startswith("P"):
            return left + right
        return left + " " + right
    return left + right


def cell_text(raw: str) -> str:
    """tabula cell text: wrapped lines are separated by CR; join them."""
    parts = [p.strip() for p in re.split(r"[\r\n]+", raw or "")]
    out = ""
    for p in parts:
        if p:
            out = glue(out, p)
    return normalize_text(out)


def squash(text: str) -> str:
    """Text reduced for matching: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class Seg:  # one PDFium text run, page coordinates with y growing downwards
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
class Line:
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
class Piece:  # the part of one table on one page
    top: float
    left: float
    bottom: float
    right: float
    rows: list[tuple[float, tuple[str, ...]]]  # (row top, cells)
    page: int | None = None
    method: str = "grid"
    boxes: list[tuple] = field(default_factory=list)  # per row: each cell's (x0, top, x1, bottom) or None
    scores: list[tuple] = field(default_factory=list)  # per row: each cell's OCR confidence
    bottoms: list[float] = field(default_factory=list)  # per row: the bottom of its band (grid pieces)
    xs: tuple[float, ...] = ()  # the column edges (grid pieces)
    pages: tuple[int, ...] = ()  # every page its cells come from (a table continued to the right)

    def holds(self, x: float, y: float, pad: float = SETTINGS.piece_pad) -> bool:
        return (self.left - pad <= x <= self.right + pad
                and self.top - pad <= y <= self.bottom + pad)

    @property
    def ncols(self) -> int:
        return max((len(c) for _, c in self.rows), default=0)


@dataclass
class Page:
    number: int
    width: float
    height: float
    segs: list[Seg] = field(default_factory=list)
    chars: int = 0
    paths: int = 0
    images: int = 0
    grids: list = field(default_factory=list)  # the ruled tables (auditlib.ingest.grid.Grid)
    narrow: list = field(default_factory=list)  # ruled single columns: a table's last column on a page of its own?
    ocr: bool = False  # read from its image (a scan)
    unmapped: bool = False  # a text layer that does not map to Unicode (pdf_unmapped): read from its image
    # a scan read turned upright by this many quarter turns anticlockwise (ocr_turn), its size
    # then the upright image's; None: its text stands or lies upside down, which way could not be told
    quarters: int | None = 0
    # images that print a table or text as a picture (pdf_pictures): read by OCR, the rest by the text layer
    pictures: list = field(default_factory=list)
    texts: list = field(default_factory=list)  # those of `pictures` that print text (a page of the narrative pasted in)
    # read from its image for what its content is not (pdf_unmapped.UNPRINTED): "layer", an invisible text layer over
    # a scan (OCR software's); "outlines", text drawn as filled paths (转曲)
    unprinted: str = ""


# the head fields that wrap in their cells: 编制单位, 年度, 单位
_WRAPPING_FIELD = re.compile(r"^(编制单位|编制部门|金额单|单位|\d{4}年)")
# where a head field is complete (its cell's text ends), and where another one starts
_FIELD_END = re.compile(r"(表|年度|万元|元|\)|。|；|;|：|:)$")
_FIELD_START = re.compile(r"^(编制|公开|单位|金额单位|注|\d{4}|\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)")


def _field(segs: list[Seg]) -> Seg:
    """One head field from the runs of one line that stand closer than a field gap."""
    segs = sorted(segs, key=lambda s: s.x0)
    text, xs = segs[0].text, segs[0].xs
    for s in segs[1:]:
        joined = glue(text, s.text)
        xs = (*xs, *(s.x0,) * (len(joined) - len(text) - len(s.text)), *s.xs)
        text = joined
    return Seg(segs[0].x0, max(s.x1 for s in segs), min(s.top for s in segs), max(s.bottom for s in segs),
               text, xs, min(s.score for s in segs))


def join_wrapped_head(segs: list[Seg], above: float, width: float, cfg: PdfSettings = SETTINGS) -> list[Seg]:
    """The fields of a table's head (the text above its grid: title, 编制单位, 年度,
    单位) printed in plain spreadsheet cells that wrap, each read whole:
    "编制单位：柳州市文化广" / "电新闻出版旅游局", "2021年" / "度", "金额单" / "位：万" /
    "元".  A field's runs stand on one line closer than a field gap (a run that starts
    a field, "2021…" or "金额单位…", starts a new one); a field just
    below another (within a line's spacing), inside its width (left-aligned, centred or
    right-aligned in the same cell), is its next line, unless the one above is a
    complete field or the one below starts another.  Without this the 年度 and 单位
    cells, centred beside a wrapped name, put its two lines on different text lines.
    Only those fields count, in the few lines just above the grid (`above`) and
    narrower than half the page (`width`): prose above a table is joined by
    paragraphs, not here."""
    near_grid = [s for s in segs if above - cfg.head_lines * (s.bottom - s.top) <= s.cy <= above]
    head = sorted(near_grid, key=lambda s: (s.x0, s.top))  # fields grow rightwards
    rest = [s for s in segs if s not in near_grid]
    fields: list[list[Seg]] = []
    for s in head:
        h = max(s.bottom - s.top, 1.0)
        near = next((f for f in fields if min(f[-1].bottom, s.bottom) - max(f[-1].top, s.top) >= 0.5 * h
                     and -0.3 * h <= s.x0 - f[-1].x1 <= cfg.field_space * h), None)
        if near is None or _FIELD_START.match(squash(s.text)):  # "2021年度" beside the name is a cell of its own
            fields.append([s])
        else:
            near.append(s)
    merged = {id(m): (m, f) for m, f in ((_field(f), f) for f in fields)}
    kept: list[Seg] = []  # the fields, in reading order, that no field above continues
    tails: dict[int, Seg] = {}  # id of a field continued below -> its last line
    for f, _runs in sorted(merged.values(), key=lambda mf: (mf[0].top, mf[0].x0)):
        h = max(f.bottom - f.top, 1.0)
        above_it = next((a for a in kept if -0.2 * h <= f.top - tails.get(id(a), a).bottom <= 0.8 * h
                         and f.x0 >= a.x0 - h and f.x1 <= a.x1 + h and a.x1 - a.x0 <= width / 2
                         and _WRAPPING_FIELD.match(squash(a.text))
                         and not _FIELD_END.search(a.text) and not _FIELD_START.match(squash(f.text))), None)
        if above_it is None:
            kept.append(f)
            continue
        joined = glue(above_it.text, f.text)
        above_it.xs = (*above_it.xs, *(f.x0,) * (len(joined) - len(above_it.text) - len(f.text)), *f.xs)
        above_it.text = joined
        tails[id(above_it)] = f
    # a field that continues nothing keeps its own runs, as group_lines would have read them
    return [seg for f in kept for seg in ([f] if id(f) in tails else merged[id(f)][1])] + rest


def group_lines(page: int, segs: list[Seg], cfg: PdfSettings = SETTINGS) -> list[Line]:
    """Group text runs into lines (runs overlapping vertically), left to right."""
    groups: list[list] = []  # [top, bottom, [segs]]
    for s in sorted(segs, key=lambda s: (s.top, s.x0)):
        h = max(s.bottom - s.top, 0.1)
        cy = (s.top + s.bottom) / 2
        for g in reversed(groups[-3:]):
            top, bottom = g[0], g[1]
            ov = min(bottom, s.bottom) - max(top, s.top)
            if ov >= cfg.line_overlap * min(h, bottom - top) or top <= cy <= bottom:
                g[2].append(s)
                g[0], g[1] = min(top, s.top), max(bottom, s.bottom)
                break
        else:
            groups.append([s.top, s.bottom, [s]])
    out: list[Line] = []
    for top, bottom, ln in groups:
        ln.sort(key=lambda s: s.x0)
        text = ""
        prev: Seg | None = None
        for s in ln:
            t = s.text
            if prev is not None and text and not text[-1].isspace() and not t[0].isspace():
                gap = s.x0 - prev.x1
                h = s.bottom - s.top
                a, b = text[-1], t[0]
                latin = a.isascii() and a.isalnum() and b.isascii() and b.isalnum()
                # a visible gap between Latin runs is a space; a very wide gap
                # inside a line separates two fields
                if (latin and gap > cfg.latin_space * h) or gap > cfg.field_space * h:
                    text += " "
            text += t
            prev = s
        text = normalize_text(text)
        if text:
            line = Line(page, ln[0].x0, max(s.x1 for s in ln), top, bottom, text)
            line.segs = ln
            out.append(line)
    return out


def furniture(line: Line, page: Page, cfg: PdfSettings = SETTINGS) -> bool:
    """A page number in the top or bottom margin: not part of the report's text (it
    would cut a paragraph or a table that runs on to the next page)."""
    edge = line.bottom < cfg.page_margin * page.height or line.top > (1 - cfg.page_margin) * page.height
    return edge and bool(PAGE_NUMBER.match(line.text))
