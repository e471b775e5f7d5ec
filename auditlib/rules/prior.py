"""Another year's report of the same department (`Prior`), and the long form the warehouse keeps
a report's cells in, from which a prior year is rebuilt when only its cells are at hand.

A report is handled as its long-form cells (`long_form`), rebuilt into a minimal `Report`
(`snapshot`) so the rule engine evaluates the same cell expressions on both years.  Values in
the cells are already in the document's unit (a table printed in 元 is converted), so the
snapshot's tables carry no unit.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from auditlib.kinds import FINAL, kind_named
from auditlib.model import Narrative, Performance, Report, Table
from auditlib.names import TABLE_NAMES
from auditlib.numbers import plain
from auditlib.rules.engine import Engine
from auditlib.schema import COUNT_ROWS

__all__ = ["CELL_COLUMNS", "Pair", "Prior", "long_form", "snapshot"]

CELL_COLUMNS = ("table", "row_key", "column_key", "value", "page", "line", "code", "name", "level")


def _int(v) -> int | None:
    """A page or line number, or None when the model holds none (NaN) or something else."""
    try:
        v = plain(v)
        return None if v is None else int(v)
    except (TypeError, ValueError, OverflowError):
        return None


def _number(v) -> tuple[float | None, str | None]:
    """A cell's value as a finite float, or (None, why it is not one) when the model holds
    something else in a value column (a text, a list, an infinite value)."""
    try:
        v = plain(v)
    except (TypeError, ValueError):
        return None, f"不是单个数值（{type(v).__name__}）"
    if v is None:
        return None, None  # a blank cell: nothing printed, nothing to say
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None, f"不是数值（{type(v).__name__}: {str(v)[:40]}）"
    if not math.isfinite(v):
        return None, f"不是有限数值（{v}）"
    return float(v), None


def long_form(report: Report) -> tuple[list[tuple], list[tuple]]:
    """Every printed cell of the ten tables in long form, (table, row key, column key, value in
    the document's unit, page, line, code, name, level), and notes (table, row key, column key,
    note) on what was not taken or is doubtful.  A cell its row leaves blank (nothing or “-”
    printed) has the value None: blank is not zero, and not a table that was not read.

    Rows are taken by position, not by key: a misread table may hold one row key twice (the
    reader marks a repeated row `key@page N`, which a page can repeat), and every row is kept
    with its own page and line; a value that is not a finite number is left out with a note."""
    engine = Engine(report)
    cells, notes = [], []
    for code, table in report.tables.items():
        data = table.data
        if data is None or not len(data):
            continue
        factor = engine.factor(table)
        keys = [str(k) for k in data.index]
        column = {c: data[c].tolist() if c in data.columns else [None] * len(data)
                  for c in (*table.columns, "page", "line", "code", "name", "level")}
        for key, n in Counter(keys).items():
            if n > 1:
                names = "、".join(_text(column["name"][i]) or "（无名称）" for i, k in enumerate(keys) if k == key)
                notes.append((code, key, None, f"{TABLE_NAMES[code]} 行键 {key} 重复 {n} 次（{names}；读取有误？），"
                                               f"各行分别写入"))
        for i, key in enumerate(keys):
            f = 1.0 if key in COUNT_ROWS.get(code, ()) else factor
            where = (_int(column["page"][i]), _int(column["line"][i]), _text(column["code"][i]),
                     _text(column["name"][i]), _text(column["level"][i]))
            for col in table.columns:
                value, problem = _number(column[col][i])
                if problem:
                    notes.append((code, key, col, f"{problem}，未写入"))
                if not problem:
                    cells.append((code, key, col, None if value is None else value * f, *where))
    return cells, notes


def _text(v) -> str:
    """A label column as text ('' for a blank or NaN)."""
    v = plain(v)
    return "" if v is None else str(v)


def snapshot(cells: list[tuple] | pd.DataFrame, department: str | None, year: int | None,
             path: str = "", kind: str = FINAL, unit: str | None = "万元") -> Report:
    """A minimal Report rebuilt from long-form cells (tables only, blank cells left out), for the
    engine: a 决算's ten tables, or a 预算's (`kind`), whose cells are in `unit` (the document's:
    a Shanghai budget's are in 元, its “三公” table's included)."""
    df = cells if isinstance(cells, pd.DataFrame) else pd.DataFrame(list(cells), columns=list(CELL_COLUMNS))
    df = df[df["value"].notna()].astype({"value": float})
    tables = {}
    for code in kind_named(kind).specs:
        part = df[df["table"] == code] if len(df) else df
        if not len(part):
            tables[code] = Table(code, status="missing")
            continue
        values = part.pivot_table(index="row_key", columns="column_key", values="value", aggfunc="first")
        meta = part.groupby("row_key")[["code", "name", "level", "page", "line"]].first()
        data = values.join(meta)
        data.index = data.index.astype(str)
        tables[code] = Table(code, status="parsed", data=data)
    return Report(path=path, input_kind="warehouse", department=department, year=year, unit=unit, pages=None,
                  tables=tables, narrative=Narrative(), performance=Performance(), kind=kind)


@dataclass
class Prior:
    """Last year's (or another year's) report of the same department."""

    report: Report  # a snapshot or the real model
    document: str  # its document id (slug) in the batch / warehouse
    year: int


@dataclass(frozen=True)
class Pair:
    """The 预算 a 决算 is held against (auditlib.rules.pair): its model and where it was read from."""

    report: Report
    path: str

    def record(self) -> dict:
        """The JSON's top-level `budget` object (notes/contract-pair.md)."""
        r = self.report
        return {"path": self.path, "kind": r.kind, "department": r.department, "year": r.year, "unit": r.unit}
