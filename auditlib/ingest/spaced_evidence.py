"""What the other tables of a document say of a table's cells, for binding its figures to
columns when blank cells are absent (auditlib/ingest/spaced_bind.py): the catalog's
relations between tables, taken from tables already read whole.

- 公开02表's 合计 row holds, column by column, what 公开01表's income rows print
  (X.T01_T02_fiscal, X.T01_T02_sources, X.T01_T02_income) — and its 财政拨款收入 what
  公开04表's three 财政拨款 income rows print (the same rows of 公开01表: X.T01_T04_fiscal);
- 公开03表's 基本支出 and 项目支出 of a code hold at least what 公开05表, 公开08表 and
  公开09表 print for it (each is one source of funds of the department's spending: the
  catalog's X.T03_covers_funds, column by column) — and so each of those holds at most
  what 公开03表 prints (a code 公开03表 prints without a figure in a column: nothing);
- 公开08表's 合计 本年收入 is 公开04表's income row 政府性基金预算财政拨款;
- 公开01表's rows are what the others print of them: its 财政拨款 income rows 公开04表's, its
  年初结转和结余 at least 公开04表's three 年初 rows (X.T01_T04_opening),
  its other income rows and 本年收入合计 公开02表's 合计 row, its 本年支出合计 and each
  类 公开03表's 合计 and 类 rows (X.T01_T04_*, X.T01_T02_*, X.T01_T03_*).

Only tables read whole count, and a bound is only drawn from what they print: a row of
公开01表 not found leaves 公开02表 without bounds (its figure is not known to be blank).
"""

from __future__ import annotations

from auditlib.ingest.spaced_bind import Bounds
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.table_rows import match_label
from auditlib.numbers import parse_number
from auditlib.schema import FUNCTION_CLASSES, SPECS

# 公开02表's columns and the 公开01表 income rows whose sum each holds in the 合计 row
SOURCES = {
    "fiscal": ("inc_general", "inc_gov_fund", "inc_soe"),
    "superior": ("inc_superior",), "institution": ("inc_institution",), "operating": ("inc_operating",),
    "affiliated": ("inc_affiliated",), "other": ("inc_other",), "total": ("income_total",),
}
FUNDS = ("T05", "T08", "T09")  # the tables of one source of funds each, by code
SPENT = ("basic", "project")  # the columns of 公开03表 they are parts of
INFINITY = float("inf")
SETTLED = ("T03",)  # the tables whose cells every binding fills alike count when they are not read
FISCAL = ("inc_general", "inc_gov_fund", "inc_soe")  # 公开01表's income rows 公开04表 prints alike
OPENING = ("opening_general", "opening_gov_fund", "opening_soe")  # 公开04表's 年初 rows: part of 公开01表's
# each fund's table: 公开04表's column of that fund, the table's column of a code's spending (the
# first it prints), and the 公开04表 cells its 合计 row's other columns are
FUND_TABLES = (("T05", "general", ("total",), {}),
               ("T08", "gov_fund", ("expense",), {"income": ("inc_gov_fund", "amount"),
                                                  "opening": ("opening_gov_fund", "amount"),
                                                  "closing": ("closing_balance", "gov_fund")}),
               ("T09", "soe", ("expense", "total"), {"income": ("inc_soe", "amount"),
                                                     "opening": ("opening_soe", "amount"),
                                                     "closing": ("closing_balance", "soe")}))


def bounding(code: str, present: set[str]) -> tuple[str, ...]:
    """The tables among `present` (read whole, or not read but bound several ways) whose
    figures `evidence` bounds the cells of table `code` by."""
    by = {"T02": ("T01", "T04"), "T03": FUNDS, "T08": ("T03", "T04")}.get(code, ("T03",) if code in FUNDS else ())
    return tuple(c for c in by if c in present)


def evidence(read: dict[str, tuple[list[Row], Template]],
             settled: dict[str, dict[tuple[str, str], float]] | None = None) -> dict[str, Bounds]:
    """Bounds on the cells of 公开02/03/05/08/09表 from the tables read whole (`read`: code →
    rows and template) and the cells a table not read holds under every binding of its
    figures (`settled`, code → (code, column) → value: spaced_bind.agreed)."""
    out: dict[str, Bounds] = {}
    if "T01" in read:
        out["T02"] = _income(*read["T01"])
    low: dict[tuple[str, str], list[float]] = {}
    for code in FUNDS:
        if code in read:
            for key, value in _coded(*read[code]).items():
                if key[1] in SPENT:
                    low.setdefault(key, []).append(value)
    if low:
        out["T03"] = {key: (sum(parts) - _rounding(len(parts)), INFINITY) for key, parts in low.items()}
    spent = _spent(*read["T03"]) if "T03" in read else (settled or {}).get("T03", {})
    for code in FUNDS:
        out.setdefault(code, {}).update({key: (-INFINITY, value + _rounding(1)) for key, value in spent.items()
                                         if key[1] in SPENT})
    if "T04" in read:
        amounts = _amounts(*read["T04"], "T04")
        if "inc_gov_fund" in amounts:
            out.setdefault("T08", {})[("", "income")] = _near(amounts["inc_gov_fund"], 1)
        if all(key in amounts for key in FISCAL):
            out.setdefault("T02", {}).setdefault(("", "fiscal"), _near(sum(amounts[key] for key in FISCAL), len(FISCAL)))
    out["T01"] = {key: bound for bounds in totals(read).values() for key, bound in bounds.items()}
    return {code: bounds for code, bounds in out.items() if bounds}


def totals(read: dict[str, tuple[list[Row], Template]]) -> dict[str, Bounds]:
    """What each table read whole fixes of 公开01表's rows ((row key, "amount") → bounds), by
    table: 公开04表 its 财政拨款 income rows (and the least its 年初结转和结余 holds: the
    财政拨款 part of it), 公开02表's 合计 row the other income rows and
    本年收入合计, 公开03表's 合计 and 类 rows its 本年支出合计 and 类 (only what they print)."""
    out: dict[str, Bounds] = {}
    if "T04" in read:
        amounts = _amounts(*read["T04"], "T04")
        out["T04"] = {(key, "amount"): _near(amounts[key], 1) for key in FISCAL if key in amounts}
        opening = [amounts[key] for key in OPENING if key in amounts]
        if len(opening) == len(OPENING):
            out["T04"][("opening_balance", "amount")] = (sum(opening) - _rounding(len(opening)), INFINITY)
    if "T02" in read:
        cells = _coded(*read["T02"])
        out["T02"] = {(keys[0], "amount"): _near(cells[("", column)], 1) for column, keys in SOURCES.items()
                      if len(keys) == 1 and ("", column) in cells}
    if "T03" in read:
        cells = _coded(*read["T03"])
        out["T03"] = {("expense_total" if code == "" else f"类{code}", "amount"): _near(value, 1)
                      for (code, column), value in cells.items() if column == "total" and len(code) <= 3}
    return {code: bounds for code, bounds in out.items() if bounds}


def fixed(code: str, read: dict[str, tuple[list[Row], Template]]) -> dict[str, Bounds]:
    """What the tables read whole fix of 公开01表's rows (`totals`) or 公开04表's, by table."""
    return totals(read) if code == "T01" else funds(read)


def funds(read: dict[str, tuple[list[Row], Template]]) -> dict[str, Bounds]:
    """What each table read whole fixes of 公开04表's cells ((row key, column) → bounds), by
    table: each fund's table (FUND_TABLES) its fund's column of 本年支出合计 and every 类 (a 类
    it does not print holds none of that fund: X.T04_T05_*, X.T04_T08_*) and the fund's
    income, opening and closing rows (X.T04_T08/T09_*); 公开01表 its 财政拨款 income rows
    (X.T01_T04_*)."""
    out: dict[str, Bounds] = {}
    for code, fund, spent, rows in FUND_TABLES:
        cells = _coded(*read[code]) if code in read else {}
        column = next((c for c in spent if any(col == c for _, col in cells)), None)
        if column is not None:
            out[code] = {("expense_total" if key == "" else f"类{key}", fund): _near(cells.get((key, column), 0.0), 1)
                         for key in ("", *FUNCTION_CLASSES)}
            out[code] |= {cell: _near(cells[("", col)], 1) for col, cell in rows.items() if ("", col) in cells}
    if "T01" in read:
        amounts = _amounts(*read["T01"], "T01")
        out["T01"] = {(key, "amount"): _near(amounts[key], 1) for key in FISCAL if key in amounts}
    return {code: bounds for code, bounds in out.items() if bounds}


def _spent(rows: list[Row], tpl: Template) -> dict[tuple[str, str], float]:
    """公开03表's 基本支出 and 项目支出 of each code it prints (a blank cell 0): the most
    公开05/08/09表 may hold there."""
    code_at = next(k for k, s in enumerate(tpl.slots) if s.role == "code")
    return {(row.cells[code_at], slot.key): parse_number(cell) or 0.0 for row in rows
            for slot, cell in zip(tpl.slots, row.cells) if slot.role == "value" and slot.key in SPENT}


def _rounding(terms: int) -> float:
    """How far a sum of `terms` printed figures may stand from the figure printed for it
    (each rounded to the cent)."""
    return 0.005 * (terms + 1)


def _income(rows: list[Row], tpl: Template) -> Bounds:
    """公开02表's 合计 row from 公开01表's income half: each column fixed to its rows' sum
    (a row printed without a figure is 0); nothing when one of them is not found."""
    amounts = _amounts(rows, tpl, "T01")
    if any(key not in amounts for keys in SOURCES.values() for key in keys):
        return {}
    return {("", column): _near(sum(amounts[k] for k in keys), len(keys)) for column, keys in SOURCES.items()}


def _amounts(rows: list[Row], tpl: Template, table: str) -> dict[str, float]:
    """The figures of a side-by-side table's left (income) half by row key (a row printed
    without a figure is 0; a row not found is absent)."""
    labels = SPECS[table].halves[0][2]
    label_at = next(k for k, s in enumerate(tpl.slots) if s.role == "label" and s.half == 0)
    value_at = next(k for k, s in enumerate(tpl.slots) if s.role == "value" and s.half == 0)
    amounts: dict[str, float] = {}
    for row in rows:
        key = match_label(row.cells[label_at], labels, set(amounts))
        if key is not None:
            amounts[key] = parse_number(row.cells[value_at]) or 0.0
    return amounts


def _near(total: float, terms: int) -> tuple[float, float]:
    """A cell fixed to `total`, a sum of `terms` printed figures, within their rounding."""
    return total - _rounding(terms), total + _rounding(terms)


def _coded(rows: list[Row], tpl: Template) -> dict[tuple[str, str], float]:
    """A coded table's figures by (code, column); the 合计 row's code is ""."""
    code_at = next(k for k, s in enumerate(tpl.slots) if s.role == "code")
    out: dict[tuple[str, str], float] = {}
    for row in rows:
        for slot, cell in zip(tpl.slots, row.cells):
            if slot.role == "value" and parse_number(cell) is not None:
                out[(row.cells[code_at], slot.key)] = parse_number(cell)
    return out
