"""Blank cells absent: which columns a row's figures stand in, chosen by the table's identities
(row sums, 合计 = Σ类, 类 = Σ款 = Σ项) — the one set that makes them all hold, or none
(auditlib/ingest/spaced.py)."""

from __future__ import annotations

from auditlib.ingest.spaced_template import Row, Template
from auditlib.numbers import parse_number

# each row's identities of the coded tables: (sum, parts) of value columns (the catalog's
# T02/T03/T05/T08/T09.row_* rules); with the 类 = Σ款 = Σ项 and 合计 = Σ类 sums of every
# column, what tells which columns a row's figures stand in when blank cells are absent
BINDINGS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "T02": (("total", ("fiscal", "superior", "institution", "operating", "affiliated", "other")),),
    "T03": (("total", ("basic", "project", "remit", "business", "subsidiary")),),
    "T05": (("total", ("basic", "project")),),
    "T08": (("expense", ("basic", "project")),),
    "T09": (("total", ("basic", "project")), ("expense", ("basic", "project"))),
}
MAX_NODES = 50_000  # assignments tried at most before the binding is called uncertain
# why a table printed with spaces is not read (a warning of the document, under its table's name)
SEVERAL = ("空白栏未印出，金额可放入的栏目有多种对应都使本表勾稽关系成立，无法确定"
           "（blank cells not printed: several bindings of the figures to columns satisfy the table's identities）")
NONE = ("空白栏未印出，没有一种金额与栏目的对应使本表勾稽关系成立（或有印错的金额），无法确定"
        "（blank cells not printed: no binding of the figures to columns satisfies the table's identities）")
AMBIGUOUS = ("以空格分隔的表格中，行或栏目的划分不唯一，无法确定"
             "（the rows or columns of the space-separated table are ambiguous）")


def bind(rows: list[Row] | None, tpl: Template) -> tuple[list[Row] | None, str]:
    """`rows` with each row's figures in the one set of columns that makes every identity
    of the table hold (row sums, 类/款/项 sums, 合计); None when no set, or more than one,
    does — a table the identities cannot bind is not read (the builder says `unread`) —
    and why, in words."""
    if rows is None or not any(len(r.alts) > 1 for r in rows):
        return rows, ""
    if tpl.layout:  # positions kept some placements only: the identities would choose among an incomplete set
        return None, AMBIGUOUS
    columns = {k: s.key for k, s in enumerate(tpl.slots) if s.role == "value"}
    code_at = next(k for k, s in enumerate(tpl.slots) if s.role == "code")
    codes = [r.cells[code_at] for r in rows]
    checks = _sums(codes, columns, tpl.spec.code)
    due: dict[int, list[tuple[int, tuple[int, ...], str]]] = {}
    for total, parts, column in checks:
        due.setdefault(max(total, *parts), []).append((total, parts, column))
    choices = [r.alts or (r.cells,) for r in rows]
    values: list[dict[str, float]] = [{} for _ in rows]
    found: list[tuple[int, ...]] = []
    nodes = 0

    def walk(i: int, picked: tuple[int, ...]) -> bool:
        nonlocal nodes
        if i == len(rows):
            found.append(picked)
            return len(found) > 1
        for n, cells in enumerate(choices[i]):
            nodes += 1
            if nodes > MAX_NODES:
                return True
            values[i] = {col: _amount(cells[k]) for k, col in columns.items()}
            if all(_holds(values, check) for check in due.get(i, ())) and walk(i + 1, picked + (n,)):
                return True
        return False

    walk(0, ())
    if len(found) != 1:
        return None, SEVERAL if len(found) > 1 else (AMBIGUOUS if nodes > MAX_NODES else NONE)
    if nodes > MAX_NODES:
        return None, AMBIGUOUS
    return [Row(choices[i][n], r.line, r.lines) for i, (r, n) in enumerate(zip(rows, found[0]))], ""


def _sums(codes: list[str], columns: dict[int, str], table: str) -> list[tuple[int, tuple[int, ...], str]]:
    """The identities over the rows (by index): (total row, part rows, column)."""
    keys = set(columns.values())
    out: list[tuple[int, tuple[int, ...], str]] = []
    for i in range(len(codes)):
        for total, parts in BINDINGS[table]:
            if total in keys and set(parts) & keys:
                out.append((i, (i,), f"{total}=" + "+".join(p for p in parts if p in keys)))
    tops = tuple(i for i, c in enumerate(codes) if len(c) == 3)
    for i, code in enumerate(codes):
        children = tops if not code else tuple(j for j, c in enumerate(codes) if len(c) == len(code) + 2 and c.startswith(code))
        if children and (code or i == 0):
            out += [(i, children, column) for column in columns.values()]
    return out


def _holds(values: list[dict[str, float]], check: tuple[int, tuple[int, ...], str]) -> bool:
    """Whether one identity holds, within the rounding of its printed figures."""
    total, parts, column = check
    if "=" in column:  # a row's own sum: "total=basic+project"
        lhs, rhs = column.split("=")
        terms = rhs.split("+")
        got = sum(values[total][t] for t in terms)
        return abs(values[total][lhs] - got) <= 0.005 * (len(terms) + 1) + 1e-9
    got = sum(values[j][column] for j in parts)
    return abs(values[total][column] - got) <= 0.005 * (len(parts) + 1) + 1e-9


def _amount(cell: str) -> float:
    """A cell's value for the identities: a blank or a dash is 0."""
    return parse_number(cell) or 0.0
