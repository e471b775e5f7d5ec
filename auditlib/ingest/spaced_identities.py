"""The identities of a table printed with spaces, over its rows read back: what binds a row's
figures to columns when blank cells are absent (auditlib/ingest/spaced_bind.py).

An identity is a list of terms (row, column, coefficient) whose sum is 0 within the
rounding of its printed figures.  Coded tables (公开02/03/05/08/09表): each row's own sums,
合计 = Σ类 (the 合计 row first or last) and each code = Σ of the codes under it, column by
column.  公开04表 (by the rows' names): each expense row's 合计 = Σ funds, 本年支出合计 = Σ类,
支出总计 = 本年支出合计 + 年末结转和结余 (each column), and each fund's opening + income =
expenditure + closing across the two halves (the catalog's T04.* rules).  公开07表 (by the
rows' names): “三公” = 因公出国 + 公务用车 + 公务接待, 公务用车 = 购置 + 运行维护, 公务接待 =
国内 + 国（境）外, in each money column without a dash.
"""

from __future__ import annotations

from auditlib.ingest.table_rows import TOTAL, match_label, label_keys
from auditlib.schema import FUNCTION_CODE_BY_NAME, SPECS

# each row's identities of the coded tables: (sum, parts) of value columns (the catalog's
# T02/T03/T05/T08/T09.row_* rules); with the 类 = Σ款 = Σ项 and 合计 = Σ类 sums of every
# column, what tells which columns a row's figures stand in when blank cells are absent
BINDINGS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "T02": (("total", ("fiscal", "superior", "institution", "operating", "affiliated", "other")),),
    "T03": (("total", ("basic", "project", "remit", "business", "subsidiary")),),
    "T04": (("total", ("general", "gov_fund", "soe")),),
    "T05": (("total", ("basic", "project")),),
    "T08": (("expense", ("basic", "project")),),
    "T09": (("total", ("basic", "project")), ("expense", ("basic", "project"))),
}
# 公开07表's sums of rows, by key, in each money column (the catalog's T07.total/vehicle/reception)
SPENDING = (("total", ("abroad", "vehicle", "reception")), ("vehicle", ("vehicle_purchase", "vehicle_operation")),
            ("reception", ("reception_domestic", "reception_abroad")))
BOUND_TABLES = frozenset({*BINDINGS, "T07"})  # the tables whose identities may place a row's figures
FUNDS = ("general", "gov_fund", "soe")  # 公开04表's funds: its expense columns, its income rows
Check = tuple[tuple[int, str, int], ...]


def coded_checks(codes: list[str], keys: set[str], table: str) -> list[Check]:
    """A coded table's identities over its rows (`codes`: "" the 合计 row, "?" a row without
    code that is no 合计)."""
    out: list[Check] = [_sum(i, total, [(i, p) for p in parts if p in keys])
                        for i in range(len(codes)) for total, parts in BINDINGS[table]
                        if total in keys and set(parts) & keys]
    tops = tuple(i for i, c in enumerate(codes) if len(c) == 3)
    for i, code in enumerate(codes):
        if code == "?":
            continue
        children = tops if not code else tuple(j for j, c in enumerate(codes) if len(c) == len(code) + 2 and c.startswith(code))
        if children:
            out += [_sum(i, column, [(j, column) for j in children]) for column in sorted(keys)]
    return out


def fund_checks(names: list[tuple[str, str]]) -> list[Check]:
    """公开04表's identities over its rows (`names`: each row's income and expense labels);
    none when a row the identities need is not found once."""
    income, expense = _income_rows([n for n, _ in names]), _expense_rows([n for _, n in names])
    classes = expense.pop("类", [])
    need = ("expense_total", "closing_balance", "expense_grand_total")
    if any(k not in expense for k in need) or any(f"{side}_{f}" not in income for side in ("inc", "opening") for f in FUNDS):
        return []  # a row not found is not known to be blank
    rows = sorted({*classes, *expense.values()})
    out = [_sum(i, "total", [(i, f) for f in FUNDS]) for i in rows]
    for column in ("total", *FUNDS):
        out.append(_sum(expense["expense_total"], column, [(i, column) for i in classes]))
        out.append(_sum(expense["expense_grand_total"], column,
                        [(expense["expense_total"], column), (expense["closing_balance"], column)]))
    for fund in FUNDS:
        out.append(((income[f"inc_{fund}"], "amount", 1), (income[f"opening_{fund}"], "amount", 1),
                    (expense["expense_total"], fund, -1), (expense["closing_balance"], fund, -1)))
    return out


def spending_checks(labels: list[str], dashed: set[tuple[int, str]]) -> list[Check]:
    """公开07表's identities over its rows (`labels`: each row's label): each sum whose rows
    are all found, in each money column none of them may print a dash in (`dashed`: (row,
    column)) — a dash gives no figure (年初预算数 of 国内接待费 is often one), so the sum says
    nothing there."""
    at = spending_rows(labels)
    return [_sum(at[total], column, [(at[p], column) for p in parts])
            for total, parts in SPENDING if all(k in at for k in (total, *parts))
            for column in ("budget", "actual") if not any((at[k], column) in dashed for k in (total, *parts))]


def spending_rows(labels: list[str]) -> dict[str, int]:
    """公开07表's rows by key (`labels`: each row's label as printed; a row not found left out)."""
    spec = SPECS["T07"].rows
    at: dict[str, int] = {}
    for i, label in enumerate(labels):
        key = match_label(label, spec, set(at)) if label else None
        if key is not None:
            at[key] = i
    return at


def _sum(total: int, column: str, parts: list[tuple[int, str]]) -> Check:
    return ((total, column, 1), *((row, col, -1) for row, col in parts))


def _income_rows(labels: list[str]) -> dict[str, int]:
    """公开04表's income rows by key (the first row of each)."""
    spec = SPECS["T04"].halves[0][2]
    out: dict[str, int] = {}
    for i, label in enumerate(labels):
        key = match_label(label, spec, set(out)) if label else None
        if key is not None:
            out[key] = i
    return out


def _expense_rows(labels: list[str]) -> dict:
    """公开04表's expense rows by key, and its function 类 rows under "类"."""
    spec = SPECS["T04"].halves[1][2]
    out: dict = {"类": []}
    for i, label in enumerate(labels):
        if not label:
            continue
        if any(k in FUNCTION_CODE_BY_NAME for k in label_keys(label)) and not TOTAL.search(label):
            out["类"].append(i)
            continue
        key = match_label(label, spec, {k for k in out if k != "类"})
        if key is not None:
            out[key] = i
    return out
