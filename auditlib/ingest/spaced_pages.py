"""A coded table printed a cell a line (plain pdftotext) that runs over a page break
(auditlib/ingest/spaced_flow.py).

A table continued on the next page prints that page's own header again, and its codes,
names and figures resume under it.  Two things then leave the streams out of step:

- a row broken across the break: its code wrapped in a narrow cell ("224010" / "1") has
  its first line at the foot of one page and its last digit on the next, among that
  page's header words;
- a page whose figures pdftotext read as blocks of adjacent columns (the right-hand
  columns of the page's rows first, then the left-hand ones): the figures are all there,
  out of row order.

The code's tail is moved back beside its head when exactly one line can be it; a page's
figures are read in another block order only where the order printed does not make that
page's rows add up, and each order that does is one more candidate reading (the flow
keeps one only when it alone makes every identity of the table hold).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import combinations, permutations, product

from auditlib.ingest.spaced_tokens import Line, Placed
from auditlib.ingest.row_codes import CODE

Grid = list[list[Placed]]
MAX_READINGS = 16  # more candidate orders than this over all pages: the order is not known
MAX_BLOCKS = 3  # a page's figures in at most this many blocks of columns


def carried_codes(region: list[Line], gaps: list[bool]) -> list[Line]:
    """The lines with the tail of each code cut by a page break moved up beside its head:
    a head (a line of 4 or 6 digits only, as a wrapped 5- or 7-digit code begins) that no
    tail follows, and on the next page exactly one line of 1 or 2 digits that stands in
    one block (no blank line between) directly before a code, and ends no head of its
    own — the tail the next page's codes resume with.  Anything else is left as printed (`gaps`: a blank line before
    each of the document's lines)."""
    out = list(region)
    for i, line in enumerate(region):
        if not _head(line) or (i + 1 < len(region) and _tail(region[i + 1], _digits(line))):
            continue
        tails = [n for n in range(i + 1, len(region) - 1) if region[n].page == line.page + 1
                 and _tail(region[n], _digits(line)) and not _tail(region[n], _digits(region[n - 1]))
                 and not gaps[region[n + 1].index] and _code(region[n + 1])]
        if len(tails) == 1:
            tail = region[tails[0]]
            out.remove(tail)
            out.insert(out.index(line) + 1, tail)
    return out


def _digits(line: Line) -> str:
    """A line's text when it is one whole number alone, else ""."""
    return line.tokens[0].text if len(line.tokens) == 1 and line.tokens[0].kind == "int" else ""


def _head(line: Line) -> bool:
    """A code's head: 4 or 6 digits alone, as a wrapped 5- or 7-digit code begins."""
    return len(_digits(line)) in (4, 6)


def _tail(line: Line, head: str) -> bool:
    """Whether a line can end `head`: 1 or 2 digits alone that make it a 5- or 7-digit code."""
    return 0 < len(_digits(line)) <= 2 and len(head + _digits(line)) in (5, 7)


def _code(line: Line) -> bool:
    """A line that begins a row's code: a whole code, or a wrapped one's head."""
    digits = _digits(line)
    return len(digits) in (3, 5, 7) and CODE.fullmatch(digits) is not None or len(digits) in (4, 6)


def page_orders(figures: list[Placed], columns: int, adds_up: Callable[[list[Placed]], bool]) -> list[Grid] | None:
    """The readings of the figures row by row, page by page: each page's figures in the
    order printed, or — where that order leaves a row of the page not adding up — in each
    order of blocks of adjacent columns that makes every row of the page add up.  One
    reading, row by row over the whole table, when a page holds part of a row; none when
    a page has no such order; None when there are too many to try (the row order is not
    known: the table is not read, lest another order alone seem to hold)."""
    pages: list[list[Placed]] = []
    for placed in figures:
        if pages and pages[-1][-1][0].page == placed[0].page:
            pages[-1].append(placed)
        else:
            pages.append([placed])
    if any(len(page) % columns for page in pages):
        return [[figures[r * columns:(r + 1) * columns] for r in range(len(figures) // columns)]]
    options = [_page_options(page, columns, adds_up) for page in pages]
    if any(not o for o in options):
        return []
    if math.prod(map(len, options)) > MAX_READINGS:
        return None
    return [[row for grid in choice for row in grid] for choice in product(*options)]


def _page_options(page: list[Placed], columns: int, adds_up: Callable[[list[Placed]], bool]) -> list[Grid]:
    """One page's readings: as printed when its rows add up, else every block order that
    makes them add up."""
    printed = [page[r * columns:(r + 1) * columns] for r in range(len(page) // columns)]
    if all(adds_up(row) for row in printed):
        return [printed]
    return [grid for grid in _block_orders(page, columns) if all(adds_up(row) for row in grid)]


def _block_orders(page: list[Placed], columns: int) -> list[Grid]:
    """The page's figures read as 2 … MAX_BLOCKS blocks of adjacent columns printed in
    another order than left to right, each block row by row."""
    rows = len(page) // columns
    out = []
    for k in range(1, MAX_BLOCKS):
        for cuts in combinations(range(1, columns), k):
            blocks = list(zip((0, *cuts), (*cuts, columns)))
            for order in permutations(blocks):
                if list(order) != blocks:
                    out.append(_filled(page, rows, order))
    return out


def _filled(page: list[Placed], rows: int, order: tuple[tuple[int, int], ...]) -> Grid:
    """The rows the page's figures make when printed block by block in `order`."""
    cells: dict[tuple[int, int], Placed] = {}
    at = iter(page)
    for start, end in order:
        for r in range(rows):
            for c in range(start, end):
                cells[r, c] = next(at)
    return [[cells[r, c] for c in range(len(cells) // rows)] for r in range(rows)]


def with_parents(codes: list[str]) -> list[str]:
    """The codes with the 类 and 款 above each: a coded table prints every parent of the
    codes it lists (a parent's code may be printed where no stream of this table holds
    it, as on a page shared with the next table)."""
    return sorted({*codes, *(c[:n] for c in codes for n in (3, 5) if len(c) > n)})


def without_strays(codes: list[tuple[str, Line]], first: int) -> list[tuple[str, Line]]:
    """The codes without those printed twice whose first print stands above the table's
    first figure (line index `first`), among its header: on a page the table shares with
    the table before, pdftotext may print that table's last cells after this one's title
    (the code is this table's where it is printed again, among its rows)."""
    later = {code for code, line in codes if line.index > first}
    return [(code, line) for code, line in codes if line.index > first or code not in later]
