"""Plain `pdftotext`'s flow of a coded table whose blank cells are not printed
(auditlib/ingest/spaced_flow.py).

Producers that leave a nil cell blank (WPS's Shanghai reports; a sheet that prints no
0.00) give pdftotext's flow fewer figures than cells, so the figures cannot be dealt one
per cell.  They still come row by row, and each row of 公开02/03/05表 prints its total
first and then its parts, which add up to it (the catalog's row_* rules; 公开09表 too
when it prints 合计, 基本支出 and 项目支出 alone): cut where a run of parts adds up to the
total before it, the flow falls into its rows, and only one cut does where the parts are
positive.  A row's parts may stand in any of its part columns (the blanks between them
are gone); the table's identities (类 = Σ款 = Σ项, 合计 = Σ类, spaced_bind) choose among
those placements, and the table is read only when one reading alone makes every identity
hold — else it stays unread with the reason.

A 0.00 printed among the blanks (WPS prints one in 基本支出 and 项目支出, none in the
columns nothing is ever spent from) adds nothing to any sum; where it stands is told as
for any text without its blank cells (spaced_printed).

pdftotext does not always keep a row's figures together.  Its reading order (poppler's,
after Breuel: a text block comes after every block wholly to its left, unless a block
lying between them vertically overlaps both across) sets a figure apart where nothing
ties it to its row: socialwork's 公开03表 (WPS, no 0.00 in the blank 基本支出) prints
2013999's 项目支出 202.24 two columns right of its total (its 基本支出 blank: no block
between them), so the blocks of the rows below it to the left — 208 down to 21011, the
page's last row — come first, and it is printed after them, before the
headers of the columns left blank (上缴上级支出…, set apart alike); `pdftotext -raw`, the
content stream's order, has it beside its row.  The flow then cuts no way (202.24 alone
adds up to nothing).  LibreOffice Calc, printing a sheet whose nil cells are left blank,
gives the same order a page at a time: synth-000012's 公开03表 prints 2010650's 项目支出
315.76 after the codes of its first page (the rows below it leave 项目支出 blank down to
212) and 2120801's 项目支出 4.54 last on the next (the rows below leave it blank down to
229).  Only then is it read with figures put back earlier on their own page, each way
(`displaced`: set apart, a figure comes later, never earlier — the blocks above it and to
its left still come first): one figure first, and only when no one figure makes the flow
cut, one on each of two pages (a page's blocks are ordered apart from the next page's; two
set apart on one page are not looked for); the orders that cut into rows are read as any
flow is, all together, and the table is read when they leave one reading alone that makes
every identity hold (a figure put back in the wrong row breaks a row's sum or its 款's);
else it stays unread.  A figure printed earlier than its row (synth-000011's 公开03表 prints
its 合计's 项目支出 before the row's total, and the rows of 223 before 221's) is never
looked for: that table stays unread.

pdftotext may join a 栏次 number and the figure printed right under it into one text
block (no blank line between them): "1" / "79.73" / "" / "2" / "" / "3" / "79.73"
(synth-000011's 公开09表, Calc: a block "3 79.73" under 项目支出, "2" alone under 基本支出).  A
figure so in one block with its 栏次 number k stands in the k-th column of the first row
(`under_numbers`, `pinned`) — what tells 合计's 项目支出 from its 基本支出 when every row
prints the same two figures and no other table read says which.
"""

from __future__ import annotations

from itertools import combinations

from auditlib.ingest.spaced_identities import BINDINGS
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line, Placed
from auditlib.numbers import parse_number

MAX_CUTS = 16  # more cuts of the flow into rows than this: which figures are whose is not known
MAX_TRIED = 20_000  # rows tried at most (runs of 0.00 cut many ways) before the cut is called unknown
MAX_ORDERS = 2_000  # orders with figures put back tried at most (spaced_flow's last resort)
MAX_APART = 2  # figures set apart looked for at most, one a page


def sums_first(tpl: Template) -> bool:
    """Whether each row of the table prints its total first and then only parts of it (its
    value columns: the one row sum of BINDINGS, total first) — the flow can then be cut
    into rows by the sums alone."""
    columns = [s.key for s in tpl.slots if s.role == "value"]
    sums = [(total, parts) for total, parts in BINDINGS.get(tpl.spec.code, ()) if total in columns]
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


def displaced(figures: list[Placed], parts: int) -> list[list[Placed]]:
    """The figures with the fewest of them put back, one on each page at most (MAX_APART in
    all), each way that cuts into rows to the last figure (pdftotext's reading order sets a
    figure apart: see the module's docstring); none when the moves a round tries, over all
    its orders, are more than MAX_ORDERS (which figures were set apart is then not told)."""
    orders: list[tuple[list[Placed], frozenset[int]]] = [(figures, frozenset())]
    for _ in range(MAX_APART):
        grown: list[tuple[list[Placed], frozenset[int]]] = []
        left = MAX_ORDERS  # every order of a round counts: the search stays bounded however many the last left
        for order, pages in orders:
            moved = _put_back(order, parts, pages, left)
            if moved is None:
                return []  # more ways than MAX_ORDERS in all: which figures were set apart is not told
            grown += moved[0]
            left -= moved[1]
        orders = grown
        if not orders:
            return []
        done = [order for order, _ in orders if _reach(_values(order), parts) == len(order)]
        if done:
            return done
    return []


def _put_back(figures: list[Placed], parts: int, pages: frozenset[int], most: int
              ) -> tuple[list[tuple[list[Placed], frozenset[int]]], int] | None:
    """`figures` with one of them put back earlier on its own page where the flow stops
    cutting (a figure put back further on leaves the cut stopping there), each way that lets
    the cut go further, with the pages figures were put back on — a page not in `pages` (a
    page's figure set apart is printed after the rows below it: one a page at most), and how
    many moves were tried; None when those are more than `most` (what is left of MAX_ORDERS)."""
    values = _values(figures)
    reach = _reach(values, parts)
    moves = [(i, j) for j in range(len(figures)) if figures[j][0].page not in pages
             for i in range(min(j, reach + parts + 1)) if figures[i][0].page == figures[j][0].page]
    if len(moves) > most:
        return None
    return [(_moved(figures, i, j), pages | {figures[j][0].page}) for i, j in moves
            if _reach(_moved(values, i, j), parts) > reach], len(moves)


def _values(figures: list[Placed]) -> list[float]:
    """The figures' values (a dash 0)."""
    return [parse_number(t.text) or 0.0 for _, t in figures]


def _moved(items: list, i: int, j: int) -> list:
    """`items` with the one at `j` put back at `i` (before it)."""
    return [*items[:i], items[j], *items[i:j], *items[j + 1:]]


def _reach(values: list[float], parts: int) -> int:
    """The furthest figure a row of the flow can begin at, rows cut from the first figure
    by their sums as `cuts` cuts them (however many rows)."""
    starts, seen = [0], {0}
    for at in starts:
        running = 0.0
        for size in range(2, min(parts + 1, len(values) - at) + 1):
            running += values[at + size - 1]
            if abs(running - values[at]) <= 0.005 * size + 1e-9 and at + size not in seen:
                seen.add(at + size)
                starts.append(at + size)
    return max(seen)


def under_numbers(region: list[Line], gaps: list[bool]) -> dict[int, int]:
    """The figures printed in one block with a 栏次 number right above them (no blank line
    between: pdftotext keeps a text block's lines together, and a block is one column's):
    line index → the 栏次 k, the figure's column (k-th value column) in the row printed
    right under the 栏次 row, its first.  Only in the first run of two or more 栏次 numbers
    in order (k, k + 1, …, each maybe with its figure), alone on their lines with nothing
    else between them: a lone digit is as often the tail of a wrapped code ("223010" / "5"),
    and a header a later page repeats stands over that page's first row, not the table's."""
    run: list[tuple[int, int | None]] = []  # (栏次, the line of its figure)
    for line in [*region, None]:
        number = _alone(line, "int")
        if number is not None and len(number) == 1 and (not run or int(number) == run[-1][0] + 1):
            run.append((int(number), None))
            continue
        if line is not None and run and run[-1][1] is None and _alone(line, "fig") and not gaps[line.index]:
            run[-1] = (run[-1][0], line.index)
            continue
        if len(run) > 1:
            return {at: k for k, at in run if at is not None}
        run = [(int(number), None)] if number is not None and len(number) == 1 else []
    return {}


def _alone(line: Line | None, kind: str) -> str | None:
    """The text of a line's one token when it is of `kind`, else None."""
    return line.tokens[0].text if line is not None and len(line.tokens) == 1 and line.tokens[0].kind == kind else None


def pinned(rows: list[Row], grid: list[list[Placed]], pins: dict[int, int], tpl: Template) -> list[Row] | None:
    """`rows` with the first row's placements narrowed to those holding each figure printed
    under a 栏次 number (`under_numbers`) in that 栏次's column; None when such a figure
    is read in another row, or no placement of the first row so holds it."""
    if not pins or not rows:
        return rows
    if any(line.index in pins for cells in grid[1:] for line, _ in cells):
        return None
    at = [k for k, s in enumerate(tpl.slots) if s.role == "value"]
    fixed = [(at[pins[line.index] - 1], token.text) for line, token in grid[0]
             if line.index in pins and pins[line.index] <= len(at)]
    if len(fixed) < sum(line.index in pins for line, _ in grid[0]):
        return None  # a 栏次 beyond the table's columns: no column of its
    first = rows[0]
    kept = [cells for cells in first.alts or (first.cells,) if all(cells[k] == text for k, text in fixed)]
    if not kept:
        return None
    return [Row(kept[0], first.line, first.lines, tuple(kept) if len(kept) > 1 else ()), *rows[1:]]
