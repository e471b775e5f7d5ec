"""Blank cells absent: which columns a row's figures stand in, chosen by the table's identities
(row sums, 合计 = Σ类, 类 = Σ款 = Σ项) and what other tables of the document say of its
cells (auditlib/ingest/spaced_evidence.py), a printed 0.00 where its total prints a figure
(auditlib/ingest/spaced_printed.py) — the one set that makes them all hold, or none
(auditlib/ingest/spaced.py)."""

from __future__ import annotations

from auditlib.ingest.spaced_identities import Check, coded_checks, fund_checks, spending_checks
from auditlib.ingest.spaced_printed import Nest, Shown, narrow, nested, nests, printing
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.table_rows import TOTAL
from auditlib.numbers import is_blank, parse_number

MAX_NODES = 50_000  # assignments tried at most before the binding is called uncertain
MOST = 64  # bindings listed at most to tell the cells they all fill alike
MAX_SUMS = 20_000  # sums of a check's parts listed at most before it is left to the search
# (code, column) → (least, most) a cell may hold, from other tables ("" the 合计 row's code)
Bounds = dict[tuple[str, str], tuple[float, float]]
# why a table printed with spaces is not read (a warning of the document, under its table's name)
SEVERAL = ("空白栏未印出，金额可放入的栏目有多种对应都使本表勾稽关系成立，无法确定"
           "（blank cells not printed: several bindings of the figures to columns satisfy the table's identities）")
NONE = ("空白栏未印出，没有一种金额与栏目的对应使本表勾稽关系成立（或有印错的金额），无法确定"
        "（blank cells not printed: no binding of the figures to columns satisfies the table's identities）")
AMBIGUOUS = ("以空格分隔的表格中，行或栏目的划分不唯一，无法确定"
             "（the rows or columns of the space-separated table are ambiguous）")
# what a table bound by its identities says (a reading note: no finding about the document)
PLACED = "转换文本未标明各金额所在的栏目（空白栏未印出，或逐格分行印出），本表金额所在栏目是按本表自身的勾稽关系确定的"


def bound_note(by: tuple[str, ...] = ()) -> str:
    """The reading note of a table whose figures its identities placed — and, `by`, the
    figures of these other tables (codes), whose checks against it then cannot fail
    either: the note names them."""
    if not by:
        return (f"{PLACED}，这些勾稽关系的核对因此不能独立发现本表的错误（the text does not show which column each figure "
                "is in: the figures were placed by the table's own identities, so those checks cannot catch an error in it）")
    names = "、".join(f"公开{code[1:]}表" for code in by)
    return (f"{PLACED}，并以{names}的数字为界，这些勾稽关系及与{names}的核对因此不能独立发现本表的错误（the figures were "
            f"placed by the table's own identities and bounded by the figures of {names}, so neither those checks nor the checks "
            "against those tables can catch an error in it）")


BOUND = bound_note()


def bind(rows: list[Row] | None, tpl: Template, bounds: Bounds | None = None) -> tuple[list[Row] | None, str]:
    """`rows` with each row's figures in the one set of columns that makes every identity
    of the table hold (row sums, 类/款/项 sums, 合计) and keeps each cell within what other
    tables say of it (`bounds`) — in the layout form, among the columns nearest where each
    figure is printed (spaced_positions.prune: a misplaced figure then breaks an identity and
    the table is not read); None when no set, or more than one, does — a table the
    identities cannot bind is not read (the builder says `unread`) — and why, in words."""
    if not needs_binding(rows):
        return rows, ""
    choices = [r.alts or (r.cells,) for r in rows]
    codes, values, checks = _problem(rows, tpl)
    if not checks:
        return None, AMBIGUOUS
    found, over = _bindings(rows, tpl, (codes, values, checks), bounds)
    if over:
        return None, AMBIGUOUS
    at = [k for k, s in enumerate(tpl.slots) if s.role == "value"]
    amounts = {tuple(parse_number(choices[i][n][k]) for i, n in enumerate(chosen) for k in at) for chosen in found}
    if len(amounts) != 1 or len(found) > MOST:  # a 0.00 in one column or another differs: it is printed
        return None, SEVERAL if found else NONE
    return [Row(_alike(choices[i], [chosen[i] for chosen in found]), r.line, r.lines) for i, r in enumerate(rows)], ""


def _alike(options: tuple[tuple[str, ...], ...], chosen: list[int]) -> tuple[str, ...]:
    """A row's cells under bindings that differ only in where a dash stands (the same
    amounts): each cell they print alike, blank where they do not (a dash says no amount
    in whichever column; which one is not known, so none is said)."""
    cells = [options[n] for n in chosen]
    return tuple(c if all(other[k] == c for other in cells) else "" for k, c in enumerate(cells[0]))


def agreed(rows: list[Row], tpl: Template, bounds: Bounds | None = None) -> dict[tuple[str, str], float]:
    """The cells of a coded table that every binding of its figures making its identities
    hold fills alike (0 where none puts a figure), by (code, column): what a table its
    identities cannot bind still says for certain (公开03表 with 145.62 in 经营支出 or in
    对附属单位补助支出 still holds its 项目支出 alike).  Nothing when the bindings are too many
    to list (`MOST`)."""
    if tpl.spec.kind != "hierarchy":
        return {}
    codes, values, checks = _problem(rows, tpl)
    found, over = _bindings(rows, tpl, (codes, values, checks), bounds)
    if over or len(found) > MOST:
        return {}
    out: dict[tuple[str, str], float] = {}
    for i, code in enumerate(codes):
        if code == "?":
            continue
        for col in values[i][0]:
            seen = {values[i][chosen[i]][col] for chosen in found}
            if len(seen) == 1:
                out[(code, col)] = seen.pop()
    return out


def _bindings(rows: list[Row], tpl: Template, problem: tuple[list[str], list[list[dict[str, float]]], list[Check]],
              bounds: Bounds | None) -> tuple[list[tuple[int, ...]], bool]:
    """The bindings (`MOST` + 1 at most) that make the table's identities hold within
    `bounds`, and whether the search gave up: those where each row prints figures (its 0.00s
    where one is negative) only in columns its total prints one in (spaced_printed: where a
    0.00 stands), when there are
    any and the search knew them all; else every one (a producer that prints 0.00 under a
    blank total is read as before)."""
    codes, values, checks = problem
    pairs = nests(codes) if tpl.spec.kind == "hierarchy" else []
    if pairs:
        at = {k: s.key for k, s in enumerate(tpl.slots) if s.role == "value"}
        printed = printing([r.alts or (r.cells,) for r in rows], at)
        domains = _domains(codes, values, checks, bounds)
        narrow(domains, pairs, printed)
        _narrow(domains, values, checks)
        found, over = _solutions(domains, values, checks, MOST, (pairs, printed))
        if found and not over:
            return found, over
    return _solutions(_domains(codes, values, checks, bounds), values, checks, MOST)


def _problem(rows: list[Row], tpl: Template) -> tuple[list[str], list[list[dict[str, float]]], list[Check]]:
    """Each row's code ("?" when it has none, or the table has no codes), the values of
    each placement of its figures by column, and the table's identities over them."""
    columns = {k: s.key for k, s in enumerate(tpl.slots) if s.role == "value"}
    values = [[{col: _amount(cells[k]) for k, col in columns.items()} for cells in r.alts or (r.cells,)] for r in rows]
    if tpl.spec.kind == "hierarchy":
        codes = [_code(r, tpl) for r in rows]
        return codes, values, coded_checks(codes, set(columns.values()), tpl.spec.code)
    if tpl.spec.code == "T07":
        dashed = {(i, col) for i, r in enumerate(rows) for cells in r.alts or (r.cells,)
                  for k, col in columns.items() if cells[k].strip() and is_blank(cells[k])}
        return ["?"] * len(rows), values, spending_checks([_labels(r, tpl)[0] for r in rows], dashed)
    return ["?"] * len(rows), values, fund_checks([_labels(r, tpl) for r in rows])  # 公开04表, by its rows' names


def _domains(codes: list[str], values: list[list[dict[str, float]]], checks: list[Check],
             bounds: Bounds | None) -> list[list[int]]:
    """The placements of each row within what other tables say of its cells, narrowed by
    the identities taken one at a time."""
    domains = [[n for n, v in enumerate(options) if _within(v, code, bounds or {})]
               for code, options in zip(codes, values)]
    _narrow(domains, values, checks)
    return domains


def needs_binding(rows: list[Row] | None) -> bool:
    """Whether some row's figures fit more than one set of columns: `bind` places them by the
    table's identities (which then hold on the table whatever it printed: `BOUND`)."""
    return rows is not None and any(len(r.alts) > 1 for r in rows)


def _code(row: Row, tpl: Template) -> str:
    """A row's code; "" for the 合计 row (a row without code, named 合计 or not named:
    wherever it stands, first or last); "?" for any other row without a code."""
    cells = {s.role: c for s, c in zip(tpl.slots, row.cells) if s.role in ("code", "label")}
    if cells["code"]:
        return cells["code"]
    label = cells["label"].replace(" ", "")
    return "" if not label or TOTAL.search(label) else "?"


def _labels(row: Row, tpl: Template) -> tuple[str, str]:
    """A side-by-side row's labels, left half and right."""
    got = ["", ""]
    for slot, cell in zip(tpl.slots, row.cells):
        if slot.role == "label":
            got[slot.half] = cell.replace(" ", "")
    return got[0], got[1]


def _within(values: dict[str, float], code: str, bounds: Bounds) -> bool:
    """Whether a row's cells lie within what other tables say of them."""
    return all(low - 1e-9 <= values[col] <= high + 1e-9
               for (at, col), (low, high) in bounds.items() if at == code and col in values)


def _narrow(domains: list[list[int]], values: list[list[dict[str, float]]], checks: list[Check]) -> None:
    """Drop every choice of a row that no choice of the other rows of one of its identities
    agrees with, until none is dropped (each identity taken alone: nothing a binding of
    the whole table could use is dropped)."""
    changed = True
    while changed:
        changed = False
        for check in checks:
            for row, keep in _supported(domains, values, check).items():
                if len(keep) < len(domains[row]):
                    domains[row] = keep
                    changed = True


def _supported(domains: list[list[int]], values: list[list[dict[str, float]]], check: Check) -> dict[int, list[int]]:
    """The choices of each row of `check` that some choices of its other rows make hold
    (all of them when the sums to list are too many); in cents, within rounding."""
    tol = int(0.5 * len(check))
    rows = sorted({row for row, _, _ in check})
    parts = {row: {n: _cents(sum(k * values[row][n][col] for r, col, k in check if r == row)) for n in domains[row]}
             for row in rows}
    out: dict[int, list[int]] = {}
    for row in rows:
        reach = _sumset([set(parts[j].values()) for j in rows if j != row])
        if reach is None:
            return {}
        out[row] = [n for n, x in parts[row].items() if any(-x + o in reach for o in range(-tol, tol + 1))]
    return out


def _sumset(sets: list[set[int]]) -> set[int] | None:
    """Every sum of one number from each set (None when there are too many to list)."""
    reach = {0}
    for options in sets:
        reach = {a + b for a in reach for b in options}
        if len(reach) > MAX_SUMS:
            return None
    return reach


def _solutions(domains: list[list[int]], values: list[list[dict[str, float]]], checks: list[Check], most: int = 1,
               nesting: tuple[list[Nest], Shown] | None = None) -> tuple[list[tuple[int, ...]], bool]:
    """The bindings (a choice per row) that make every identity hold — and, `nesting` (pairs
    of a row and its total, the columns each placement prints its 0.00s and its figures in),
    print each row's 0.00s only where its total prints a figure — `most` + 1 at most (one
    more tells there are more), and whether the search gave up before it knew."""
    due: dict[int, list[Check]] = {}
    for check in checks:
        due.setdefault(max(row for row, _, _ in check), []).append(check)
    pairs, printed = nesting or ([], ([], []))
    nest_due: dict[int, list[Nest]] = {}
    for pair in pairs:
        nest_due.setdefault(max(pair), []).append(pair)
    picked: list[dict[str, float]] = [{} for _ in domains]
    found: list[tuple[int, ...]] = []
    nodes = 0

    def walk(i: int, chosen: tuple[int, ...]) -> bool:
        nonlocal nodes
        if i == len(domains):
            found.append(chosen)
            return len(found) > most
        for n in domains[i]:
            nodes += 1
            if nodes > MAX_NODES:
                return True
            picked[i] = values[i][n]
            if all(_holds(picked, check) for check in due.get(i, ())) \
                    and nested(chosen + (n,), nest_due.get(i, []), printed) and walk(i + 1, chosen + (n,)):
                return True
        return False

    walk(0, ())
    return found, nodes > MAX_NODES


def holds_all(values: list[dict[str, float]], checks: list[Check]) -> bool:
    """Whether every identity holds over rows of known values."""
    return all(_holds(values, check) for check in checks)


def _holds(values: list[dict[str, float]], check: Check) -> bool:
    """Whether one identity holds, within the rounding of its printed figures."""
    return abs(sum(k * values[row][col] for row, col, k in check)) <= 0.005 * len(check) + 1e-9


def _cents(value: float) -> int:
    return round(value * 100)


def _amount(cell: str) -> float:
    """A cell's value for the identities: a blank or a dash is 0."""
    return parse_number(cell) or 0.0
