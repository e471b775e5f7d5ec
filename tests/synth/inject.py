"""`inject(report, kind, rng)`: plant one error of a known kind and say where."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass

from tests.synth.document import Ref, SyntheticReport
from tests.synth.reference import (KINDS, LOCALIZATION_KINDS, OTHER_DEPARTMENTS, T01_CLASSES, T02_COLS, T03_COLS,
                                   T05_COLS, T08_COLS, TITLES)

@dataclass
class Injection:
    """One planted error.  `printed_value` is what the document now prints at
    (table, row, column): a float in the printed unit for numeric kinds, the
    printed 编制单位 (str) or year (int) for wrong_name / wrong_year.  For `unit`
    it is the printed value of a figure a cross-table rule reads (row, column)."""

    kind: str
    table: str
    row: str | None
    column: str | None
    printed_value: float | int | str
    original_value: float | int | str | None
    report: SyntheticReport

    @property
    def text(self) -> str:
        return self.report.text


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _fmt_like(value: float, like: str) -> str:
    return f"{value:,.2f}" if "," in like or abs(value) >= 1000 and "," in like else f"{value:.2f}"


def _cells(r: SyntheticReport, tables: tuple[str, ...]) -> list[Ref]:
    return [x for x in r.refs() if x.table in tables and not x.count and not x.dash]


def candidates(r: SyntheticReport, kind: str) -> list[tuple[str, str, str]]:
    """Cells whose printed figure some rule reads as its `actual` (its left side)."""
    T = r.truth
    has_fund = len(T["T08"]) > 1
    has_soe = len(T["T09"]) > 0
    out: list[tuple[str, str, str]] = []
    if kind in ("total", "transposed"):
        out += [("T01", k, "amount") for k in ("income_total", "expense_total", "income_grand_total",
                                               "expense_grand_total")]
        out += [("T02", "total", c) for c in T02_COLS] + [("T03", "total", c) for c in T03_COLS]
        out += [("T05", "total", c) for c in T05_COLS]
        out += [("T04", k, "amount") for k in ("income_total", "opening_balance", "income_grand_total")]
        out += [("T04", k, c) for k in ("expense_total", "expense_grand_total") for c in ("total", "general",
                                                                                          "gov_fund", "soe")]
        out += [("T06", "personnel_total", "amount"), ("T06", "public_total", "amount")]
        out += [("T07", "total", "budget"), ("T07", "total", "actual")]
        if has_fund:
            out += [("T08", "total", c) for c in T08_COLS]
        if has_soe:
            out += [("T09", "total", c) for c in T05_COLS]
    if kind in ("hierarchy", "transposed"):
        for t, cols in (("T02", T02_COLS), ("T03", T03_COLS), ("T05", T05_COLS)):
            out += [(t, code, c) for code in T[t] if code != "total" and len(code) < 7 for c in cols]
    if kind in ("cross_table", "transposed"):
        out += [("T01", "income_total", "amount"), ("T01", "expense_total", "amount"), ("T02", "total", "fiscal"),
                ("T04", "income_total", "amount"), ("T04", "expense_total", "general"),
                ("T04", "expense_total", "gov_fund"), ("T04", "inc_gov_fund", "amount"), ("T05", "total", "basic")]
        out += [("T01", cls, "amount") for cls in T01_CLASSES if cls in T["T03"]]
        out += [("T04", cls, "general") for cls in T01_CLASSES if cls in T["T05"]]
        out += [("T04", cls, "gov_fund") for cls in T01_CLASSES if cls in T["T08"]]
        if has_soe:
            out += [("T04", "expense_total", "soe")]
    if kind == "transposed":  # every row's total column is the left side of a row rule
        out += [(t, code, "total") for t in ("T02", "T03", "T05") for code in T[t]]
    if kind == "row_total":  # the total column of a 类/款/项 row: the sum of its row
        out += [(t, code, "total") for t in ("T02", "T03", "T05") for code in T[t] if code != "total"]
        out += [("T04", cls, "total") for cls in T01_CLASSES if cls in T["T04"] and T["T04"][cls]["total"]]
    if kind == "leaf":  # a figure no identity has on its left side: a 项 or a 公开06表 经济分类款
        out += [(t, code, c) for t, cols in (("T02", T02_COLS), ("T03", T03_COLS), ("T05", T05_COLS),
                                             ("T08", T08_COLS)) for code in T[t] if len(code) == 7
                for c in cols if c != "total"]
        out += [("T06", code, "amount") for code in T["T06"] if len(code) == 5]
    return sorted(set(out))


def _swap(s: str, rng: random.Random) -> str | None:
    """Swap two adjacent, different digits of the integer part (so the change is
    at least 9.00); None when no such pair exists."""
    int_part, _, dec = s.partition(".")
    digits = int_part.replace(",", "")
    pairs = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1] and not (i == 0 and digits[1] == "0")]
    if not pairs:
        return None
    i = rng.choice(pairs)
    d = list(digits)
    d[i], d[i + 1] = d[i + 1], d[i]
    new = "".join(d)
    if "," in int_part:
        new = f"{int(new):,}"
    return f"{new}.{dec}" if dec else new


def inject(report: SyntheticReport, kind: str, rng: random.Random) -> Injection:
    """Plant one error of `kind` (see KINDS and LOCALIZATION_KINDS) in a copy of `report`."""
    r = copy.deepcopy(report)
    if kind in ("total", "hierarchy", "cross_table", "row_total"):
        table, row, col = rng.choice(candidates(r, kind))
        old = r.fmt(Ref(table, row, col))
        value = _num(old) if old not in ("", "-") else 0.0
        delta = round(rng.uniform(1.0, max(1.0, min(500.0, value * 0.3 + 1))), 2)
        new_value = value + delta if value < delta or rng.random() < 0.5 else value - delta
        new = _fmt_like(new_value, old if old not in ("", "-") else ("1,000.00" if r.style.get("commas") else "0.00"))
        r.overrides[(table, row, col)] = new
        return Injection(kind, table, row, col, _num(new), value, r)
    if kind in ("transposed", "leaf"):
        cells = candidates(r, kind)
        rng.shuffle(cells)
        for table, row, col in cells:
            old = r.fmt(Ref(table, row, col))
            if old in ("", "-"):
                continue
            new = _swap(old, rng)
            if new is not None:
                r.overrides[(table, row, col)] = new
                return Injection(kind, table, row, col, _num(new), _num(old), r)
        raise ValueError("no figure with two different adjacent digits")
    if kind == "wrong_name":
        table = rng.choice(list(TITLES))
        name = rng.choice([d for d in OTHER_DEPARTMENTS if d != r.department])
        r.departments[table] = name
        return Injection(kind, table, None, None, name, r.department, r)
    if kind == "wrong_year":
        table = rng.choice(list(TITLES))
        year = r.year + rng.choice((-1, 1, -2))
        r.years[table] = str(year)
        return Injection(kind, table, None, None, year, r.year, r)
    if kind == "unit":
        anchors = {"T01": ("income_total", "amount"), "T02": ("total", "fiscal"), "T03": ("total", "total"),
                   "T04": ("income_total", "amount"), "T05": ("total", "basic"), "T06": ("personnel_total", "amount")}
        if len(r.truth["T08"]) > 1:
            anchors["T08"] = ("total", "expense")
        # a table whose figures a cross-table rule compares, and whose amounts are not all zero
        usable = [t for t, (row, col) in anchors.items() if r.truth[t][row][col] >= 1_000_000]
        table = rng.choice(usable)
        row, col = anchors[table]
        old = r.printed(table, row, col)
        r.figures_unit[table] = "元"  # header still says 万元
        return Injection(kind, table, row, col, r.printed(table, row, col), old, r)
    raise ValueError(f"unknown injection kind {kind!r}; one of {', '.join(KINDS + LOCALIZATION_KINDS)}")
