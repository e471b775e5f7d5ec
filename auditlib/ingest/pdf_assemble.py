"""The page items in reading order made into `SourceLine`s: wrapped prose lines joined
into paragraphs, and each table continued on the next page stitched onto its start
(repeated header rows dropped, a row cut by the page break glued back)."""

from __future__ import annotations

import re

from auditlib.ingest.lines import SourceLine
from auditlib.kinds import KINDS, kind_named, other_title
from auditlib.ingest.pdf_text import FIGURE, NUMBERISH, SETTINGS, Line, PdfSettings, Piece, glue, squash

# a new paragraph / item starts with one of these (never joined to the line above)
MARKER = re.compile(
    r"^(第[一二三四五六七八九十百]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[、.．](?!\d)|[①-⑳]|注[:：]|说明[:：]|附件|附表|公开\d+表|单位[:：]|金额单位|编制单位)"
)
_SENTENCE_END = ("。", "！", "？", "!", "?", "”。")


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, int(round(q * (len(values) - 1)))))]


def join_paragraphs(items, cfg: PdfSettings = SETTINGS):
    """Merge wrapped prose lines into paragraphs (the text form holds one
    paragraph per line).  items: (page, top, Line | row, page width) in order."""
    lines = [it[2] for it in items if isinstance(it[2], Line)]
    width_of = {it[0]: it[3] for it in items}
    groups: dict[int, list[Line]] = {}
    for ln in lines:
        groups.setdefault(round(width_of[ln.page]), []).append(ln)
    margins = {}
    for key, group in groups.items():
        long = [ln for ln in group if len(ln.text) >= cfg.paragraph_min_chars] or group
        margins[key] = (_percentile([ln.x0 for ln in long], 0.1),
                        _percentile([ln.x1 for ln in long], 0.9),
                        _percentile([ln.height for ln in long], 0.5))
    out: list[tuple[int, object]] = []
    prev: Line | None = None  # the paragraph being built, if the last item was prose
    prev_last: Line | None = None  # its last physical line
    for page, _top, obj, _w in items:
        if not isinstance(obj, Line):
            out.append((page, obj))
            prev = prev_last = None
            continue
        if prev is not None and prev_last is not None:
            left, right, ch = margins[round(width_of[prev_last.page])]
            nleft, _nright, _nch = margins[round(width_of[obj.page])]
            same_page = obj.page == prev_last.page
            close = (obj.top - prev_last.bottom) < cfg.paragraph_gap * max(ch, obj.height) if same_page \
                else obj.page == prev_last.page + 1
            full = prev_last.x1 >= right - cfg.paragraph_full * ch
            flush_left = obj.x0 <= nleft + cfg.paragraph_indent * ch
            similar = abs(obj.height - prev_last.height) <= cfg.paragraph_height * max(obj.height, prev_last.height)
            if (close and full and flush_left and similar and not MARKER.match(obj.text)
                    and not prev.text.endswith(_SENTENCE_END)):
                prev.text = glue(prev.text, obj.text)
                prev_last = obj
                continue
        prev = Line(obj.page, obj.x0, obj.x1, obj.top, obj.bottom, obj.text)
        prev_last = obj
        out.append((page, prev))
    return out


def _header_rows(piece: Piece) -> set[tuple[str, ...]]:
    """The rows above a table's first row of amounts (title, header, 栏次 rows), as
    squashed cells: what a producer repeats at the top of each page."""
    out = set()
    for _top, cells in piece.rows:
        if any(FIGURE.search(c) for c in cells):
            break
        out.add(tuple(squash(c) for c in cells))
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


def _titles(text: str) -> bool:
    """Whether a cell titles a table (of either kind, or a 决算 table outside the ten): glued onto
    the row above, the table's anchor would be lost and its rows read into the table above."""
    return any(kind_named(k).title(text) for k in KINDS) or other_title(text) is not None


def _broken_row(prev: tuple[str, ...], cells: tuple[str, ...]) -> bool:
    """Whether `cells` (the first row on a page) ends the row `prev` that the page
    break cut.  Every cell must continue a cell of `prev`: words after words, or digits
    that end a cut figure or code.  Digits that could as well stand alone ("0" under
    "1") count only beside a figure that was certainly cut, and a row with a whole
    figure of its own, a cell where `prev` has none, or words that start an item of their
    own (an enumerator: "十六、…"), is a row of its own."""
    if len(prev) != len(cells) or any(FIGURE.search(c) for c in cells):
        return False
    cut = loose = words = False
    for a, b in zip(prev, cells):
        if not b:
            continue
        if not a:
            return False
        if not (NUMBERISH.match(b.replace(",", "")) or b.startswith("%")):
            if MARKER.match(b) or _titles(b):
                # "十六、金融支出" under "十五、商业服务业等支出"; the next table's title in its grid
                return False
            words = True
        elif _cut_number(a, b):
            cut = True
        elif re.fullmatch(r"[\d.,]+", a) and b.isdigit():
            loose = True
        else:
            return False
    return cut or (words and not loose)


def stitch(joined: list[tuple[int, object]]) -> list[SourceLine]:
    """Rows and prose to `SourceLine`s, with each table continued on the next page
    joined to its start: the header rows the producer repeats (Excel print titles,
    Word's repeated header rows, HTML <thead>) are dropped, and a row broken by the
    page break (its label's last characters at the top of the next page, no figure)
    is glued back onto the row it ends."""
    out: list[SourceLine] = []
    head: set[tuple[str, ...]] = set()  # header rows of the table being continued
    last: Piece | None = None  # the piece the previous line came from (None after prose)
    skipping = False  # at the top of a continued piece: repeated headers, a broken row
    for page, obj in joined:
        if isinstance(obj, Line):
            out.append(SourceLine(cells=(obj.text,), page=page))
            last = None
            continue
        pc, r, cells = obj
        if r == 0:
            # the next page, or the page after the last one a table continued to the right took
            continued = last is not None and pc.ncols == last.ncols and (pc.page or 0) - 1 in (last.pages or (last.page,))
            head = head if continued else _header_rows(pc)
            skipping = continued
        if skipping:
            if tuple(squash(c) for c in cells) in head:
                last = pc
                continue
            skipping = False
            prev = out[-1] if out and out[-1].is_row else None
            if prev is not None and _broken_row(prev.cells, cells):
                glued = tuple(glue(a, b) if b else a for a, b in zip(prev.cells, cells))
                out[-1] = SourceLine(cells=glued, page=prev.page, boxes=prev.boxes, scores=prev.scores)
                last = pc
                continue
        boxes = pc.boxes[r] if r < len(pc.boxes) else None
        scores = pc.scores[r] if r < len(pc.scores) and min(pc.scores[r]) < 1.0 else None
        out.append(SourceLine(cells=cells, page=page, boxes=boxes, scores=scores))
        last = pc
    return out
