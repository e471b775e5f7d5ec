"""A table as printed, for every rendering that shows it (the HTML report, the Excel working
paper): its parts (the two halves of 公开01/04/06表 or of a budget's 收支总表 side by side, else
one grid), each row's label as printed, and whether a row counts things (人次, 辆, 台…) rather than money.

One place decides this so that a cell highlighted in the HTML and in the workbook is the same
cell, with the same label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd


COUNT_LABEL = re.compile(r"[(（](?:个|人|辆|台|台、辆|台、套|台\(套\)|次|批)[)）]\s*$")


@dataclass
class Part:
    """One grid of a table as printed: its rows, its value columns (canonical keys) and
    whether its rows carry 科目编码 (类/款/项)."""

    rows: pd.DataFrame
    columns: list[str]
    hierarchical: bool


def parts(table) -> list[Part]:
    """The table's grids: one per half for the side-by-side tables (T01, T04, T06), else one;
    rows of no half (a converter's leftovers) follow in a grid of their own."""
    data, spec = table.data, table.spec
    if not spec.halves:
        return [Part(data, table.columns, spec.kind == "hierarchy")]
    out = [Part(data[data["side"] == side], [c for c in cols if c in data.columns], False)
           for side, cols, _labels in spec.halves if (data["side"] == side).any()]
    rest = data[~data["side"].isin([h[0] for h in spec.halves])]
    return out + ([Part(rest, table.columns, False)] if len(rest) else [])


def row_label(row: pd.Series, key: str, hierarchical: bool) -> str:
    """A row's label as printed: a 科目's name beside its code, else the printed label."""
    if hierarchical and row.get("name"):
        return row.get("name")
    return row.get("label") or row.get("name") or key


def counts_things(table, label: str) -> bool:
    """Whether a row's figures are counts (公开10表, a 三公 row of 批次/人次/车辆), printed
    without decimals."""
    return table.code == "T10" or bool(COUNT_LABEL.search(str(label)))
