"""A deliberately broken reader (issue 25): a copy of a read report with one table damaged the way a
reader that lost the table's grid leaves it, while the labels stay where they were.

A table's figures are taken as printed: line by line, left to right, the left half of a
side-by-side table (公开01/04/06表) before its right half.  `damaged(report, table, mutation)`:

- `column_dropped`: the first figure column is missed, so every figure of a line moves one column
  to the left and the last column of the line is blank;
- `rows_shifted`: every figure column moves one row down against its labels (the first row of a
  column is blank, its last figure is lost);
- `right_half_lost`: the right half of the figure columns is blank (the right-hand table of a
  side-by-side table, else the last ⌊n/2⌋ of its n columns).
"""

from __future__ import annotations

import copy
import math

from auditlib.model import Report, Table

MUTATIONS = ("column_dropped", "rows_shifted", "right_half_lost")
Position = tuple[str, str] | None  # (row key, column) of a printed figure; None: no row there


def damaged(report: Report, table: str, mutation: str) -> Report:
    """A copy of `report` whose `table` is damaged by `mutation` (one of MUTATIONS)."""
    out = copy.deepcopy(report)
    t = out.tables[table]
    grid, halves = _grid(t)
    values = [[_value(t, p) for p in line] for line in grid]
    if mutation == "column_dropped":
        values = [line[1:] + [math.nan] for line in values]
    elif mutation == "rows_shifted":
        values = _shifted_down(grid, values)
    elif mutation == "right_half_lost":
        width = len(grid[0])
        right = halves[1] if len(halves) == 2 else range(width - width // 2, width)
        values = [[math.nan if j in right else v for j, v in enumerate(line)] for line in values]
    else:
        raise ValueError(f"unknown mutation {mutation!r}; one of {', '.join(MUTATIONS)}")
    for line, figures in zip(grid, values):
        for p, v in zip(line, figures):
            if p is not None:
                t.data.at[p[0], p[1]] = v
    return out


def _grid(t: Table) -> tuple[list[list[Position]], list[range]]:
    """The figure cells of a table as printed, and the positions of each half (one range when the
    table has one side): a side's columns are those in which some row of the side has a figure."""
    data = t.data
    if data["line"].isna().any():
        raise ValueError(f"{t.code}: rows without a line number (the text form is needed)")
    sides = list(dict.fromkeys(data["side"]))
    columns = {s: [c for c in t.columns if data.loc[data["side"] == s, c].notna().any()] for s in sides}
    starts = [sum(len(columns[s]) for s in sides[:i]) for i in range(len(sides))]
    halves = [range(start, start + len(columns[s])) for start, s in zip(starts, sides)]
    grid = []
    for _, rows in data.groupby("line", sort=True):
        by_side = {rows.at[k, "side"]: k for k in rows.index}
        grid.append([(by_side[s], c) if s in by_side else None for s in sides for c in columns[s]])
    return grid, halves


def _value(t: Table, p: Position) -> float:
    v = t.value(*p) if p else None
    return math.nan if v is None else v


def _shifted_down(grid: list[list[Position]], values: list[list[float]]) -> list[list[float]]:
    """Each column's figures one row further down (over the lines that have a row there)."""
    out = [list(line) for line in values]
    for j in range(len(grid[0])):
        rows = [i for i, line in enumerate(grid) if line[j] is not None]
        for above, below in zip([None, *rows], rows):
            out[below][j] = math.nan if above is None else values[above][j]
    return out
