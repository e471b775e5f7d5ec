"""Plain `pdftotext`'s flow of a coded table whose blank cells are not printed
(auditlib/ingest/spaced_flow.py).

Producers that leave a nil cell blank (WPS's Shanghai reports; a sheet that prints no
0.00) give pdftotext's flow fewer figures than cells, so the figures cannot be dealt one
per cell.  They still come row by row, and each row of 公开02/03/05表 prints its total
first and then its parts, which add up to it (the catalog's row_* rules): cut after the
first run of parts that adds up to the total, the flow falls into its rows, and only one
cut does where the parts are positive.  A row's parts may stand in any of its part
columns (the blanks between them are gone); the table's identities (类 = Σ款 = Σ项, 合计 =
Σ类, spaced_bind) choose among those placements, and the table is read only when one
reading alone makes every identity hold — else it stays unread with the reason.

A 0.00 printed among the blanks (WPS prints one in 基本支出 and 项目支出, none in the
columns nothing is ever spent from) adds nothing to any sum, so the identities cannot
place it.  A sheet formats a column as a whole: the columns that print a 0.00 print a
figure in every row.  The nil figures are placed in the one set of such columns that
puts each row's figures in their printed order; when no set, or two placing them
differently, do, the table is not read.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

from auditlib.ingest.spaced_identities import BINDINGS
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Placed
from auditlib.numbers import parse_number

MAX_CUTS = 16  # more cuts of the flow into rows than this: which figures are whose is not known
MAX_TRIED = 20_000  # rows tried at most (runs of 0.00 cut many ways) before the cut is called unknown
# why a table printed a cell a line without its blank cells is not read (a warning under its name)
NILS = ("每格一行印出（pdftotext）且空白栏未印出，印出的 0.00 所在的栏目无法唯一确定"
        "（printed a cell a line without blank cells: which columns the 0.00 figures stand in cannot be told）")


def sums_first(tpl: Template) -> bool:
    """Whether each row of the table prints its total first and then only parts of it (its
    value columns: the one row sum of BINDINGS, total first) — the flow can then be cut
    into rows by the sums alone."""
    columns = [s.key for s in tpl.slots if s.role == "value"]
    sums = BINDINGS.get(tpl.spec.code, ())
    return len(sums) == 1 and len(columns) > 2 and columns[0] == sums[0][0] and set(columns[1:]) <= set(sums[0][1])


def cuts(figures: list[Placed], rows: int, parts: int) -> list[list[list[Placed]]]:
    """Every cut of the figures, in their order, into `rows` rows of a total followed by one
    to `parts` figures that add up to it (within the rounding of the figures printed); none
    when there are more than MAX_CUTS or MAX_TRIED rows tried (a run of 0.00 or of parts
    that cancel out), or as many figures as cells (no blank cell is absent)."""
    values = [parse_number(t.text) or 0.0 for _, t in figures]
    found: list[list[int]] = []
    tried = [0]

    def walk(at: int, sizes: list[int]) -> None:
        tried[0] += 1
        if len(found) > MAX_CUTS or tried[0] > MAX_TRIED or len(sizes) == rows or at >= len(values):
            if len(sizes) == rows and at == len(values):
                found.append(sizes)
            return
        running = 0.0
        for size in range(2, min(parts + 1, len(values) - at) + 1):
            running += values[at + size - 1]
            if abs(running - values[at]) <= 0.005 * size + 1e-9:
                walk(at + size, [*sizes, size])

    if len(figures) >= rows * (parts + 1):
        return []  # as many figures as cells: every cell printed, which the sums do not cut
    walk(0, [])
    if len(found) > MAX_CUTS or tried[0] > MAX_TRIED:
        return []
    return [_grouped(figures, sizes) for sizes in found]


def _grouped(figures: list[Placed], sizes: list[int]) -> list[list[Placed]]:
    """The figures in consecutive groups of `sizes`."""
    out, at = [], 0
    for size in sizes:
        out.append(figures[at:at + size])
        at += size
    return out


def placements(printed: int, columns: int) -> list[tuple[int, ...]]:
    """The value columns (by position) a row's `printed` figures may stand in, in order:
    the total first, its parts in any of the other columns (blanks between them absent)."""
    return [(0, *rest) for rest in combinations(range(1, columns), printed - 1)]


def kept(group: list[Placed]) -> list[Placed]:
    """A row's figures the identities place: its total and its parts but those of 0.00."""
    return [group[0], *(placed for placed in group[1:] if parse_number(placed[1].text))]


def with_nils(rows: list[Row], groups: list[list[Placed]], tpl: Template) -> list[Row] | None:
    """`rows` (their figures placed, but a 0.00 part) with each row's 0.00 in the columns
    of the one set that every row prints a figure in and that keeps each row's figures
    in their printed order (`groups`); None when no set, or more than one, places them
    (the rows' cells differing)."""
    at = [k for k, s in enumerate(tpl.slots) if s.role == "value"]
    found: dict[tuple, list[Row]] = {}
    for size in range(len(at)):
        for nils in combinations(range(1, len(at)), size):
            placed = [_nils_at(row, group, at, set(nils)) for row, group in zip(rows, groups)]
            if all(row is not None for row in placed):
                found.setdefault(tuple(row.cells for row in placed), placed)
    return next(iter(found.values())) if len(found) == 1 else None


def _nils_at(row: Row, group: list[Placed], at: list[int], nils: set[int]) -> Row | None:
    """The row with a 0.00 in each of the value columns `nils` (by position) it holds no
    figure in, when its figures so stand in their printed order; else None."""
    held = {n for n, k in enumerate(at) if row.cells[k]} | {0}
    columns = sorted(held | nils)
    if len(columns) != len(group):
        return None
    cells = list(row.cells)
    for n, (line, token) in zip(columns, group):
        if n in held and cells[at[n]] != token.text or n not in held and parse_number(token.text):
            return None
        cells[at[n]] = token.text
    return replace(row, cells=tuple(cells), lines=tuple(dict.fromkeys((*row.lines, *(line for line, _ in group)))))
