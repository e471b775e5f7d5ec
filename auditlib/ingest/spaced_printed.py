"""Blank cells absent: a total prints a figure wherever a row it sums prints one — what tells
where a printed 0.00 stands (auditlib/ingest/spaced_bind.py).

A producer that prints zeros prints the sum of printed zeros too: Shanghai's 公开03表 prints
"754.75 754.75 0.00" for 208 and 0.00 in the same column for each of its 款, while the
columns no row fills (上缴上级支出, 经营支出, 对附属单位补助支出) stay blank down to the 合计
row.  The table's sums hold wherever that 0.00 stands (0 is 0 in any column), so only this
tells the 0.00 of 项目支出 from one of a column printed blank throughout: a coded table's
row prints figures only in columns where the row it sums into (its 款 or 类, the 合计 row
for a 类) prints a figure as well.  A producer that leaves zeros blank prints no 0.00, and
a figure that is not 0 needs its total's already (the sums) — unless siblings cancel out
(5.00 and -5.00 in a column their total leaves blank), which takes a negative figure: in
a table that prints one, only its 0.00s are placed so, its other figures by the sums alone.
"""

from __future__ import annotations

from auditlib.numbers import parse_number

# (row, the row it sums into): the pairs whose printed columns must nest
Nest = tuple[int, int]
# per row and placement of its figures: the columns that must nest in its total's, and
# the columns of all its figures
Shown = tuple[list[list[frozenset[str]]], list[list[frozenset[str]]]]


def nests(codes: list[str]) -> list[Nest]:
    """Each coded row with the row it sums into (`codes`: "" the 合计 row, "?" a row that has
    no code): a 类 (three digits) into the 合计 row, a 款 or 项 into the code two digits
    shorter; a row whose total is not printed has none."""
    at = {code: i for i, code in enumerate(codes) if code != "?"}
    out: list[Nest] = []
    for i, code in enumerate(codes):
        above = "" if len(code) == 3 else code[:-2] if len(code) > 3 else None
        if code != "?" and above is not None and above in at:
            out.append((i, at[above]))
    return out


def shown(options: tuple[tuple[str, ...], ...], at: dict[int, str], zeros: bool = False) -> list[frozenset[str]]:
    """Per placement of a row's figures, the columns it prints a figure in (a dash is none;
    `at`: slot index → column key) — or, `zeros`, a 0.00 in."""
    return [frozenset(col for k, col in at.items() if (value := parse_number(cells[k])) is not None
                      and (value == 0 or not zeros)) for cells in options]


def printing(options: list[tuple[tuple[str, ...], ...]], at: dict[int, str]) -> Shown:
    """Per row (`options`: its placements' cells) the columns each placement must print
    within its total's — every figure's, or only the 0.00s' where the table prints a negative
    figure (siblings that cancel out) — and the columns it prints a figure in."""
    cancelling = any((parse_number(cells[k]) or 0) < 0 for row in options for cells in row for k in at)
    return [shown(o, at, zeros=cancelling) for o in options], [shown(o, at) for o in options]


def nested(chosen: tuple[int, ...], pairs: list[Nest], printed: Shown) -> bool:
    """Whether each row of `pairs` prints (its 0.00s, or all its figures: `printing`) only
    where its total prints a figure, under the placements `chosen` (one per row, in order)."""
    zeros, figures = printed
    return all(zeros[row][chosen[row]] <= figures[total][chosen[total]] for row, total in pairs)


def narrow(domains: list[list[int]], pairs: list[Nest], printed: Shown) -> None:
    """Drop each placement of a row that prints (a 0.00, or any figure: `printing`) where no
    placement left of its total prints a figure, until none is dropped (the totals' own placements narrow their rows in
    turn)."""
    zeros, figures = printed
    changed = True
    while changed:
        changed = False
        for row, total in pairs:
            keep = [n for n in domains[row] if any(zeros[row][n] <= figures[total][m] for m in domains[total])]
            if len(keep) < len(domains[row]):
                domains[row] = keep
                changed = True
