"""Ruled tables rebuilt from what a PDF page draws: its ruling lines and its characters.

Why not tabula's lattice cells: tabula finds the grid well, but it takes each cell's
text from PDFBox, which loses it for common fonts (LibreOffice embeds OpenType CJK
fonts as Type 1 subsets with Ascent 0, so every glyph looks 3 em tall and fits in no
cell: every cell comes back empty); and its JSON output carries no page number.  Here
the ruling lines come from PDFium's path objects (page known, no JVM) and the text of
each cell from PDFium's characters, so a wrapped label ("七、附属单位上缴" / "收入") is
joined inside its cell and every cell keeps its box for the evidence shown later.

The steps: path objects -> axis-aligned line segments -> merged horizontal and
vertical rules -> tables (rules that touch each other) -> a grid of bands whose cells
merge where a separator is missing (spanned cells) -> characters placed in cells.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field


# an amount alone on a line of a cell (a figure, not a code, 行次 or year)
AMOUNT = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{1,2}")


@dataclass(frozen=True)
class GridSettings:
    """Tolerances of the grid reader, in PDF points (1/72 inch)."""

    thin: float = 3.0  # a filled rectangle this thin is a rule, not a shaded cell
    min_rule: float = 2.0  # shorter strokes are glyph parts or decorations
    snap: float = 1.5  # rules closer than this are the same line
    join_gap: float = 2.0  # collinear pieces with a smaller gap are one rule
    touch: float = 2.0  # how far a rule may stop short of another and still meet it
    min_band: float = 3.0  # bands thinner than this are double rules, not rows or columns
    cover: float = 0.6  # share of a band a rule must cover to separate two cells


SETTINGS = GridSettings()


@dataclass
class Rule:
    """A horizontal (y fixed, a..b along x) or vertical (x fixed, a..b along y) rule."""

    horizontal: bool
    at: float
    a: float
    b: float


@dataclass
class Cell:
    """One (possibly spanned) cell of a grid."""

    row: int
    col: int
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[tuple[float, float, float, str]] = field(default_factory=list)  # (top, bottom, x, char)
    score: float = 1.0  # the lowest confidence of its characters (OCR; 1 for a text layer)

    def text(self, glue, lo: float = float("-inf"), hi: float = float("inf")) -> str:
        """Its lines top to bottom, joined the way a wrapped label reads (`glue`); only
        the characters centred between `lo` and `hi` (one of the rows glued in its band)."""
        out = ""
        for _top, _bottom, line in text_lines([c for c in self.chars if lo <= (c[0] + c[1]) / 2 < hi]):
            out = glue(out, line)
        return out


def text_lines(chars: list[tuple[float, float, float, str]]) -> list[tuple[float, float, str]]:
    """(top, bottom, text) of each line of characters, top to bottom.  A line is every
    character whose run overlaps it vertically, so a comma or a sign drawn lower than
    the digits stays in its figure."""
    lines: list[list] = []  # [top, bottom, [(x, char)]]
    for top, bottom, x, ch in sorted(chars):
        if lines and top <= lines[-1][1] - 0.3 * (bottom - top):
            lines[-1][1] = max(lines[-1][1], bottom)
            lines[-1][2].append((x, ch))
        else:
            lines.append([top, bottom, [(x, ch)]])
    return [(top, bottom, "".join(ch for _x, ch in sorted(chars, key=lambda c: c[0])).strip())
            for top, bottom, chars in lines]


def glued_rows(cells: list[Cell]) -> list[float]:
    """Where to cut one band that holds two or more rows (a producer left out the rule
    between them): the y between stacked lines of text when at least two of those
    lines carry a figure of their own.  The lines of all the band's cells are grouped
    by height (a figure printed centred beside a wrapped label overlaps both its lines,
    so the three are one group); a group without a figure continues the group above
    (a label wrapped in a top-aligned row), so only figures start a row."""
    groups: list[list] = []  # [top, bottom, has a figure]
    for top, bottom, text in sorted(line for cell in cells for line in text_lines(cell.chars)):
        figure = bool(AMOUNT.fullmatch(text.replace(" ", "")))
        if groups and min(bottom, groups[-1][1]) - top >= 0.3 * (bottom - top):
            groups[-1][1] = max(groups[-1][1], bottom)
            groups[-1][2] = groups[-1][2] or figure
        else:
            groups.append([top, bottom, figure])
    cuts: list[float] = []
    last_bottom = None
    for top, bottom, figure in groups:
        if figure and last_bottom is not None:
            cuts.append((last_bottom + top) / 2)
        if figure or last_bottom is not None:
            last_bottom = bottom
    return cuts if sum(g[2] for g in groups) >= 2 else []


@dataclass
class Grid:
    """One ruled table on one page."""

    page: int
    xs: list[float]
    ys: list[float]
    cells: dict[tuple[int, int], Cell]  # by the (row band, column band) of its top-left corner
    owner: dict[tuple[int, int], tuple[int, int]]  # every band pair -> its cell's corner

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def holds(self, x: float, y: float, pad: float = 0.5) -> bool:
        x0, top, x1, bottom = self.box
        return x0 - pad <= x <= x1 + pad and top - pad <= y <= bottom + pad

    @staticmethod
    def _band(edges: list[float], v: float) -> int:
        """The band of `edges` that holds `v` (the edge bands for a point outside)."""
        return min(max(bisect_right(edges, v) - 1, 0), len(edges) - 2)

    def cell_at(self, x: float, y: float) -> Cell:
        """The (spanned) cell under a point of the grid."""
        return self.cells[self.owner[(self._band(self.ys, y), self._band(self.xs, x))]]

    def place(self, xs: tuple[float, ...], text: str, y: float, top: float, bottom: float,
              score: float = 1.0) -> None:
        """Put the characters of one run (centred at `xs`, from `top` to `bottom`, its
        centre line `y` inside the grid) into the cells under them; a character that
        overflows the grid's edge stays in the edge cell rather than being lost.  The
        row band is found once per run: a run lies on one line."""
        i = self._band(self.ys, y)
        for x, ch in zip(xs, text):
            cell = self.cells[self.owner[(i, self._band(self.xs, x))]]
            cell.chars.append((top, bottom, x, ch))
            if score < cell.score:
                cell.score = score

    def rows(self, glue, keep_empty: bool = False) -> list[tuple[float, float, tuple[str, ...], tuple, tuple[float, ...]]]:
        """(row top, row bottom, cell texts, cell boxes, cell confidences) per row band
        that holds any text (every band with `keep_empty`: a table continued on another
        page is aligned band by band); a spanned cell's text sits in its first row and
        column, the bands it covers are "".  A band that holds rows with no rule between
        them (`glued_rows`) gives one row each, cut between their lines."""
        out = []
        inf = float("inf")
        for i in range(len(self.ys) - 1):
            band = [self.cells.get((i, j)) for j in range(len(self.xs) - 1)]
            own = [c for c in band if c is not None and c.bottom <= self.ys[i + 1]]  # not spanning rows below
            cuts = glued_rows(own)
            for k, (lo, hi) in enumerate(zip([-inf, *cuts], [*cuts, inf])):
                texts, boxes, scores = [], [], []
                for cell in band:
                    if cell in own:
                        text, top, bottom = cell.text(glue, lo, hi), max(lo, cell.top), min(hi, cell.bottom)
                    elif cell is not None and k == 0:
                        text, top, bottom = cell.text(glue), cell.top, cell.bottom
                    else:
                        text = ""
                    texts.append(text)
                    boxes.append(tuple(round(v, 1) for v in (cell.x0, top, cell.x1, bottom)) if text else None)
                    scores.append(round(cell.score, 3) if text else 1.0)
                if keep_empty or any(texts):
                    out.append((max(lo, self.ys[i]), min(hi, self.ys[i + 1]), tuple(texts), tuple(boxes), tuple(scores)))
        return out


# --------------------------------------------------------------------------- rules merged

def merge_rules(rules: list[Rule], s: GridSettings = SETTINGS) -> list[Rule]:
    """One rule per drawn line: pieces on the same line that touch are joined (cell
    borders are often drawn cell by cell)."""
    out: list[Rule] = []
    for horizontal in (True, False):
        group = sorted((r for r in rules if r.horizontal == horizontal), key=lambda r: (r.at, r.a))
        lines: list[list[Rule]] = []
        for r in group:
            if lines and r.at - lines[-1][0].at <= s.snap:
                lines[-1].append(r)
            else:
                lines.append([r])
        for line in lines:
            at = sum(r.at for r in line) / len(line)
            for r in sorted(line, key=lambda r: r.a):
                last = out[-1] if out and out[-1].horizontal == horizontal and out[-1].at == at else None
                if last is not None and r.a <= last.b + s.join_gap:
                    last.b = max(last.b, r.b)
                else:
                    out.append(Rule(horizontal, at, r.a, r.b))
    return out


# --------------------------------------------------------------------------- grids from rules

def _meets(h: Rule, v: Rule, tol: float) -> bool:
    return h.a - tol <= v.at <= h.b + tol and v.a - tol <= h.at <= v.b + tol


def _components(rules: list[Rule], tol: float) -> list[list[Rule]]:
    """Rules that meet, directly or through others, form one table."""
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, r in enumerate(rules) if r.horizontal]
    vs = [i for i, r in enumerate(rules) if not r.horizontal]
    for i in hs:
        for j in vs:
            if _meets(rules[i], rules[j], tol):
                parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for i, r in enumerate(rules):
        groups.setdefault(find(i), []).append(r)
    return list(groups.values())


def _bands(values: list[float], min_band: float) -> list[float]:
    """Distinct rule positions; a second rule closer than `min_band` (a double border)
    is the same edge."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] >= min_band:
            out.append(v)
    return out


def _on_lines(rules: list[Rule], lines: list[float], s: GridSettings) -> list[list[Rule]]:
    """The rules drawn on each band line (within the snap), found once per grid rather
    than once per cell."""
    return [[r for r in rules if abs(r.at - at) <= s.snap + 0.5] for at in lines]


def _covers(rules: list[Rule], lo: float, hi: float, s: GridSettings) -> bool:
    """Whether the rules of one line cover most of the span lo..hi (a separator)."""
    need = s.cover * (hi - lo)
    got = sum(max(0.0, min(r.b, hi) - max(r.a, lo)) for r in rules)
    return got >= need


def _shared_end(ends: list[float], snap: float) -> float | None:
    """The first of `ends` (in the order given) that another one meets within `snap`."""
    return next((a for a, b in zip(ends, ends[1:]) if abs(b - a) <= snap), None)


def _open_edges(ys: list[float], vs: list[Rule], s: GridSettings) -> list[float]:
    """The row edges with the outer ones a producer did not draw: a Word table continued on
    the next page draws no top border over its first row there (nor, at times, a bottom one
    under its last), yet its column rules run the row's whole height.  Where two or more
    column rules end together beyond the outermost row rule, that end is the table's edge,
    so that the row is read as a row of the table and not left outside it as prose."""
    top = _shared_end(sorted(v.a for v in vs if v.a < ys[0] - s.min_band), s.snap)
    bottom = _shared_end(sorted((v.b for v in vs if v.b > ys[-1] + s.min_band), reverse=True), s.snap)
    return [*([top] if top is not None else []), *ys, *([bottom] if bottom is not None else [])]


def build_grid(page: int, rules: list[Rule], s: GridSettings = SETTINGS) -> Grid | None:
    """The grid of one table's rules, cells merged where no rule separates them."""
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    ys, xs = _bands([r.at for r in hs], s.min_band), _bands([r.at for r in vs], s.min_band)
    if ys and vs:
        ys = _open_edges(ys, vs, s)
    if len(ys) < 2 or len(xs) < 2:
        return None
    nrows, ncols = len(ys) - 1, len(xs) - 1
    parent = {(i, j): (i, j) for i in range(nrows) for j in range(ncols)}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the top-left corner owns the cell

    on_x, on_y = _on_lines(vs, xs, s), _on_lines(hs, ys, s)
    for i in range(nrows):
        for j in range(ncols):
            if j + 1 < ncols and not _covers(on_x[j + 1], ys[i], ys[i + 1], s):
                union((i, j), (i, j + 1))
            if i + 1 < nrows and not _covers(on_y[i + 1], xs[j], xs[j + 1], s):
                union((i, j), (i + 1, j))
    owner = {k: find(k) for k in parent}
    cells: dict[tuple[int, int], Cell] = {}
    for (i, j), (ri, rj) in owner.items():
        c = cells.get((ri, rj))
        if c is None:
            cells[(ri, rj)] = Cell(ri, rj, xs[j], ys[i], xs[j + 1], ys[i + 1])
        else:
            c.x0, c.top = min(c.x0, xs[j]), min(c.top, ys[i])
            c.x1, c.bottom = max(c.x1, xs[j + 1]), max(c.bottom, ys[i + 1])
    return Grid(page, xs, ys, cells, owner)


def page_grids(page_number: int, rules: list[Rule], s: GridSettings = SETTINGS, columns: int = 2) -> list[Grid]:
    """Every ruled table of a page with at least `columns` columns, top to bottom (a
    table has at least two rules each way: a lone underline or frame is not a table)."""
    grids = []
    for comp in _components(rules, s.touch):
        if sum(r.horizontal for r in comp) >= 2 and sum(not r.horizontal for r in comp) >= 2:
            grid = build_grid(page_number, comp, s)
            if grid is not None and len(grid.xs) > columns:
                grids.append(grid)
    return sorted(grids, key=lambda g: (g.ys[0], g.xs[0]))
