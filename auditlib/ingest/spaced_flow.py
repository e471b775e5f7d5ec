"""Plain `pdftotext`'s flow of a coded table: its codes, names and figures as streams that
do not stand beside each other (auditlib/ingest/spaced.py).

Without -layout, pdftotext prints a table a cell a line in the order of the PDF's text
blocks: a block of codes, then the names, then the figures row by row; a page's codes
after its figures; a code wrapped in a narrow cell as two lines ("208050" / "2").  The
lines of one row are then nowhere near each other, and joining cells up to the next code
(spaced_cells) reads nothing.  What is left to read is the streams themselves:

- the codes, each printed once: the rows are the 合计 and the codes in code order (the
  order the tables are printed in; two codes of one parent printed one after the other
  in the wrong order leave the table unread, since nothing tells siblings apart);
- the figures, when every cell is printed (a 0.00 for nothing, as most producers print):
  exactly one per cell, row by row or column by column, the 合计 first or last.

Of those few readings, the one that makes every identity of the table hold (each row's
sum, 合计 = Σ类, 类 = Σ款 = Σ项: spaced_identities) is taken when it is the only one;
otherwise the table is not read.  A row's name is the one the classification or a table
read whole gives its code, where the table prints it; else the row is read without it.
A table printed without its blank cells (fewer figures than cells) is cut into rows by
each row's own sum instead (spaced_flow_blanks), its 合计's last figure may stand below
its note, a figure pdftotext set apart printed later on its page (one a page, two pages
at most).  A table continued on the next page (a code cut by the break, a page's columns
read in blocks, a code printed on a page shared with the table before) is put back in
step by spaced_pages.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count

from auditlib.ingest.spaced_bind import AMBIGUOUS, NONE, SEVERAL, Bounds, bind, holds_all
from auditlib.ingest.spaced_flow_blanks import cuts, displaced, pinned, placements, sums_first
from auditlib.ingest.spaced_identities import coded_checks
from auditlib.ingest.spaced_pages import page_orders, with_parents, without_strays
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line, Placed, squash, words
from auditlib.ingest.table_rows import CODE
from auditlib.numbers import parse_number

FIGURES = ("fig", "dash")
# why a coded table printed in pdftotext's flow is not read (a warning under its table's name)
UNORDERED = ("每格一行印出（pdftotext），科目编码的先后与编码顺序不符，无法确定各行"
             "（printed a cell a line with codes out of order: which figures are whose cannot be told）")
CUT = ("每格一行印出（pdftotext），有科目编码被截断而找不到其余数字，无法确定各行"
       "（printed a cell a line: a code cut in two whose rest cannot be found）")
UNBOUND = ("每格一行印出（pdftotext），金额按行或按栏排列都不能唯一地使本表勾稽关系成立，无法确定"
           "（printed a cell a line: no single order of the figures satisfies the table's identities）")



def flow_rows(lines: list[Line], tpl: Template, names: dict[str, str],
              bounds: Bounds | None = None, pins: dict[int, int] | None = None) -> tuple[list[Row] | None, str]:
    """The rows of a coded table printed a cell a line (`lines`: its lines as printed,
    head included), read from its streams of codes and figures; None and why when they
    do not give one reading (`names`: a code's name as the classification or the tables
    read whole print it; `pins`: the figures printed under a 栏次 number, its first row's,
    by line: spaced_flow_blanks.under_numbers)."""
    figures = [(line, t) for line in lines for t in line.tokens if t.kind in FIGURES]
    codes = without_strays(_codes(lines), figures[0][0].index if figures else len(lines))
    if any(len(c) == 6 for c, _ in codes):
        return None, CUT
    firsts = _inline(codes, lines)
    if not codes or len(set(c for c, _ in codes)) < len(codes) or _out_of_order([c for c, _ in codes], firsts):
        return None, UNORDERED
    at = dict(codes)
    columns = sum(s.role == "value" for s in tpl.slots)
    found: dict[tuple, tuple[list[str], list[list[Placed]]]] = {}
    by_pages = page_orders(figures, columns, lambda cells: _holds(["?"], [cells], tpl, some=False))
    if by_pages is None:
        return None, UNBOUND
    for keys in _key_orders(sorted(c for c, _ in codes), len(figures), columns):
        for grid in _cuts(figures, len(keys), columns, by_pages):
            if _holds(keys, grid, tpl) and _anchored(keys, grid, firsts):
                values = (tuple(t.text for _, t in cells) for cells in grid)
                found.setdefault(tuple(sorted(zip(keys, values))), (keys, grid))
    if not found and sums_first(tpl):
        return _blank_rows(figures, sorted(at), at, firsts, lines, tpl, names, bounds, pins or {})
    if len(found) != 1:
        return None, UNBOUND
    keys, grid = next(iter(found.values()))
    return _rows(keys, grid, at, lines, tpl, names)


def _blank_rows(figures: list[Placed], codes: list[str], at: dict[str, Line], firsts: dict[str, Placed],
                lines: list[Line], tpl: Template, names: dict[str, str], bounds: Bounds | None,
                pins: dict[int, int]) -> tuple[list[Row] | None, str]:
    """The rows of a table printed without its blank cells (spaced_flow_blanks): the flow cut
    into rows by their sums, the 合计 first or last, each row's parts placed by the table's
    identities (spaced_bind) — the one reading they leave, or None and why (a cut they bind
    several ways too: a run of 0.00 is cut more ways than one, and each way's readings count).
    Where the figures as printed cut no way at all, the orders with the figures pdftotext
    set apart put back (spaced_flow_blanks.displaced: one, else one on each of two pages)
    are read instead, all of them together.  A figure printed under its 栏次 number (`pins`)
    stands in that column of the first row."""
    found: dict[tuple, list[Row]] = {}
    whys: list[str] = []
    cut = _read_as(figures, codes, (at, firsts, pins), lines, tpl, names, bounds, found, whys)
    for order in displaced(figures, sum(s.role == "value" for s in tpl.slots) - 1) if not cut else ():
        _read_as(order, codes, (at, firsts, pins), lines, tpl, names, bounds, found, whys)
    if any(why in (SEVERAL, AMBIGUOUS) for why in whys):
        return None, next(why for why in whys if why in (SEVERAL, AMBIGUOUS))
    if len(found) != 1:
        return None, next((why for why in whys if why), UNBOUND) if not found else UNBOUND
    return next(iter(found.values())), ""


def _read_as(figures: list[Placed], codes: list[str], where: tuple[dict[str, Line], dict[str, Placed], dict[int, int]],
             lines: list[Line], tpl: Template, names: dict[str, str], bounds: Bounds | None,
             found: dict[tuple, list[Row]], whys: list[str]) -> bool:
    """The readings of the figures in this order added to `found` (by their cells) and each
    cut's reason not to read to `whys` (a cut bound several ways stops there: each of its
    readings is one of the table's); whether any cut of them was tried.  `where`: each
    code's line, the codes printed amid the figures, the figures under a 栏次 number."""
    at, firsts, pins = where
    columns = sum(s.role == "value" for s in tpl.slots)
    tried = False
    for listed in dict.fromkeys((tuple(codes), tuple(with_parents(codes)))):
        for keys in (["", *listed], [*listed, ""]):
            for grid in (g for g in cuts(figures, len(keys), columns - 1) if _anchored(keys, g, firsts)):
                tried = True
                rows, why = _rows(keys, grid, at, lines, tpl, names, lambda n: placements(n, columns))
                rows, why = (pinned(rows, grid, pins, tpl), NONE) if rows is not None else (None, why)
                rows, why = bind(rows, tpl, bounds) if rows is not None else (None, why)
                whys.append(why)
                if why in (SEVERAL, AMBIGUOUS):
                    return tried
                if rows is not None:
                    found.setdefault(tuple(sorted(r.cells for r in rows)), rows)
    return tried


def _key_orders(codes: list[str], figures: int, columns: int) -> list[list[str]]:
    """The row keys in each order the figures may follow ("" the 合计): first or last, or
    not printed when the figures fill every cell of the coded rows alone — the codes
    printed, or with their 类 and 款 when only those fill the figures (spaced_pages)."""
    for listed in dict.fromkeys((tuple(codes), tuple(with_parents(codes)))):
        if figures == len(listed) * columns:
            return [list(listed)]
        if figures == (len(listed) + 1) * columns:
            return [["", *listed], [*listed, ""]]
    return []


def _cuts(figures: list[Placed], rows: int, columns: int, by_pages: list[list[list[Placed]]]) -> list[list[list[Placed]]]:
    """The ways the figures fill every cell: row by row (page by page, `by_pages`:
    spaced_pages), or column by column."""
    if len(figures) != rows * columns:
        return []
    by_columns = [[figures[c * rows + r] for c in range(columns)] for r in range(rows)]
    return [*by_pages, by_columns]


def _holds(keys: list[str], grid: list[list[Placed]], tpl: Template, some: bool = True) -> bool:
    """Whether every identity of the table holds with the rows `keys` holding `grid` — and
    there is one, when `some` (a row of a table without row sums adds up whatever it holds)."""
    columns = [s.key for s in tpl.slots if s.role == "value"]
    values = [{key: parse_number(t.text) or 0.0 for key, (_, t) in zip(columns, cells)} for cells in grid]
    checks = coded_checks(keys, set(columns), tpl.spec.code)
    return (bool(checks) or not some) and holds_all(values, checks)


def _rows(keys: list[str], grid: list[list[Placed]], at: dict[str, Line], lines: list[Line], tpl: Template,
          names: dict[str, str], spots: Callable[[int], list[tuple[int, ...]]] | None = None
          ) -> tuple[list[Row] | None, str]:
    """The rows of the one reading: each at the line of its first figure (they must follow
    each other down the text), its name where printed, with every line it was read from;
    a row's figures in every value column, or in each set of them `spots` gives for its
    number of figures (blank cells absent: `Row.alts`, for the identities to choose)."""
    text = words(lines)
    anchors = [cells[0][0] for cells in grid]
    if any(b.index <= a.index for a, b in zip(anchors, anchors[1:])):
        return None, UNBOUND
    out = []
    for key, cells, anchor in zip(keys, grid, anchors):
        name = "合计" if not key else names.get(key, "")
        label = name if squash(name) in text else ""
        options = [_cells(key, label, [t.text for _, t in cells], places, tpl)
                   for places in (spots(len(cells)) if spots else [tuple(range(len(cells)))])]
        mine = (*(line for line, _ in cells), *([at[key]] if key in at else []))
        out.append(Row(options[0], anchor, tuple(dict.fromkeys(mine)), tuple(options) if len(options) > 1 else ()))
    return out, ""


def _cells(key: str, label: str, figures: list[str], places: tuple[int, ...], tpl: Template) -> tuple[str, ...]:
    """One row's cells: its code and name, each figure in the value column of its place
    (by position among the value columns), the others blank."""
    held, column = dict(zip(places, figures)), count()
    return tuple(key if s.role == "code" else label if s.role == "label" else held.get(next(column), "")
                 for s in tpl.slots)


def _codes(lines: list[Line]) -> list[tuple[str, Line]]:
    """The codes a table prints, each with its line: a line of whole numbers only holds
    codes (3, 5 or 7 digits), a code wrapped in a narrow cell ends on the next line
    ("208050" / "2"); a 项's head whose tail does not follow is kept as it is (6 digits:
    some row's code is not known); a code followed by words only begins its row's name (Calc
    and WPS print a code and its name, or the name's next line, as one line: "212 城乡社区支出",
    "2121399 施配套费安排的"); anything else of digits alone (栏次, a year) is no code."""
    out: list[tuple[str, Line]] = []
    pending: tuple[str, Line] | None = None
    for line in lines:
        if pending is not None and line.tokens and all(t.kind in FIGURES for t in line.tokens):
            continue  # a figure printed between a code's head and its tail
        if _named(line):
            if pending is not None and len(pending[0]) == 6:
                out.append(pending)  # a 项's head no tail follows
            out.append((line.tokens[0].text, line))
            pending = None
            continue
        whole = all(t.kind == "int" for t in line.tokens)
        for text in [t.text for t in line.tokens] if whole and line.tokens else [""]:
            if pending is not None and text and len(pending[0] + text) in (5, 7):
                out.append((pending[0] + text, pending[1]))
                pending = None
                continue
            if pending is not None and len(pending[0]) == 6:
                out.append(pending)  # a 项's head no tail follows
            pending = (text, line) if len(text) in (4, 6) else None
            if len(text) in (3, 5, 7) and CODE.fullmatch(text):
                out.append((text, line))
    return out + [pending] if pending is not None and len(pending[0]) == 6 else out


def _named(line: Line) -> bool:
    """Whether a line is a whole code (3, 5 or 7 digits) followed by words alone."""
    first, rest = (line.tokens[0], line.tokens[1:]) if line.tokens else (None, ())
    return (first is not None and first.kind == "int" and len(first.text) in (3, 5, 7) and CODE.fullmatch(first.text)
            is not None and bool(rest) and all(t.kind == "text" for t in rest))


def _out_of_order(codes: list[str], firsts: dict[str, Placed]) -> bool:
    """Whether two codes of one parent follow each other in the stream in the wrong order
    (the flow keeps a block's order: rows printed out of code order) — but for a code
    printed amid the figures, where its row's figures are is checked instead (`_inline`)."""
    return any(len(a) == len(b) and a[:-2] == b[:-2] and a > b and a not in firsts and b not in firsts
               for a, b in zip(codes, codes[1:]))


def _inline(codes: list[tuple[str, Line]], lines: list[Line]) -> dict[str, Placed]:
    """The codes printed amid the figures with their names (a figure right before the
    code, its name's words right after it, then a figure: the producer wrote the row's
    cells in one block) — each with the figure right after its name, its row's first."""
    coded = {line.index for _, line in codes}
    kinds = [("code" if line.index in coded else "fig" if line.figures else "text", line) for line in lines if line.tokens]
    where = {line.index: n for n, (_, line) in enumerate(kinds)}
    out = {}
    for code, line in codes:
        k = where[line.index]
        after = next((m for m in range(k + 1, len(kinds)) if kinds[m][0] != "text"), None)
        if k > 0 and kinds[k - 1][0] == "fig" and after is not None and after > k + 1 and kinds[after][0] == "fig":
            figure = kinds[after][1]
            out[code] = (figure, next(t for t in figure.tokens if t.kind in FIGURES))
    return out


def _anchored(keys: list[str], grid: list[list[Placed]], firsts: dict[str, Placed]) -> bool:
    """Whether each code printed amid the figures holds, in this reading, the figure
    printed right after it first (`_inline`)."""
    return all(firsts[key] == (cells[0][0], cells[0][1]) for key, cells in zip(keys, grid) if key in firsts)
