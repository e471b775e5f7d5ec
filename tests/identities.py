"""The catalog's identities over a read report as linear relations between printed cells: an
oracle for error localization (issue 25) that knows nothing of the localizer.

Every compared instance of a table identity (`kind: identity`, `=`; 表内 and 表间, not the
narrative) is `lhs − rhs = diff`, linear in the cells it reads, with the engine's own rounding
allowance; it *fails* exactly when `Engine.compare` would report it (a warning or an error).
The evaluation is the engine's (`Engine.instances`, `Engine.side`), so the oracle and `check`
cannot disagree on what is compared.

`single_cell_explanations` is Fellegi–Holt by brute force for one cell: the cells whose change
alone makes every failing identity hold while every holding identity keeps holding (at each
identity's allowance).  A value may be anything (no sign constraint); an identity the engine
skips (a side of blank cells) stays skipped when a blank cell gets a figure (letting it be
compared then changed no verdict on 54 planted reports printing zero blank or “-”); a `when:`
condition is taken as it evaluates on the printed report (no identity of the catalog has one).
`cells_needed_at_least` bounds from below how many cells of a table must be wrong for its own
failing identities to hold: identities that share no cell need one changed cell each.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from auditlib.model import Report, Table
from auditlib.rules import load_catalog
from auditlib.rules.rule import Rule
from auditlib.rules.engine import Engine, Side
from auditlib.rules.expressions import Expr
from auditlib.rules.findings import Cell
from auditlib.rules.intervals import ONE

CellKey = tuple[str, str, str]  # (table, row key, column)


@dataclass(frozen=True)
class Relation:
    """One identity between cells: `diff` = lhs − rhs as printed, `coef[cell]` = how much the
    difference moves when that cell moves by one, `tol` the allowance the engine compares with;
    not `compared` when a side reads only blank cells (the engine skips it)."""

    rule: str
    coef: dict[CellKey, float]
    diff: float
    tol: float
    compared: bool

    @property
    def fails(self) -> bool:
        return self.compared and abs(self.diff) > self.tol

    @property
    def cells(self) -> set[CellKey]:
        """The cells the difference depends on (a cell on both sides with equal weight cancels)."""
        return {c for c, a in self.coef.items() if a}

    def shifts(self, cell: CellKey) -> tuple[float, float] | None:
        """The changes of `cell` that keep this relation within its allowance (None: all do)."""
        a = self.coef.get(cell, 0.0)
        if not a or not self.compared:
            return None
        lo, hi = (-self.tol - self.diff) / a, (self.tol - self.diff) / a
        return min(lo, hi), max(lo, hi)


class _ReadOnce(Engine):
    """The engine with each cell read once: the oracle reads every cell many times."""

    def __init__(self, report: Report) -> None:
        super().__init__(report)
        self._cells: dict[tuple, Cell] = {}

    def cell(self, table: Table, key: str, column: str, tolerance: float | None = None) -> Cell:
        memo = (table.code, key, column, tolerance)
        if memo not in self._cells:
            self._cells[memo] = super().cell(table, key, column, tolerance)
        return self._cells[memo]


def identity_rules(rules: list[Rule]) -> list[Rule]:
    """The numeric identities of a catalog that hold between cells of this year's tables."""
    return [r for r in rules if r.enabled and r.check == "relation" and r.kind == "identity" and r.op == "="
            and not any(ref.prior for e in (r.lhs_expr, r.rhs_expr) if e for ref in e.refs)]


@cache
def _bundled() -> tuple[Rule, ...]:
    return tuple(identity_rules(load_catalog()))


def relations(report: Report, rules: list[Rule] | None = None) -> list[Relation]:
    """Every instance of every identity (of the bundled catalog, or of `rules`) the engine would
    evaluate on `report`, compared or not."""
    engine = _ReadOnce(report)
    out = []
    for rule in _bundled() if rules is None else identity_rules(rules):
        if report.kind not in rule.kinds or not all(engine.usable(t) for t in rule.tables):
            continue
        for lhs_expr, rhs_expr, when in engine.instances(rule):
            if when and not engine.holds(when):
                continue
            lhs, rhs = engine.side(lhs_expr, tolerance=rule.tolerance), engine.side(rhs_expr, tolerance=rule.tolerance)
            coef = _coefficients(engine, lhs_expr, lhs)
            for c, a in _coefficients(engine, rhs_expr, rhs).items():
                coef[c] = coef.get(c, 0.0) - a
            out.append(Relation(rule.id, coef, lhs.value - rhs.value, lhs.tolerance + rhs.tolerance + ONE,
                                lhs.comparable(report) and rhs.comparable(report)))
    return out


def _key(c: Cell) -> CellKey:
    return c.table, c.key, c.column


def _coefficients(engine: Engine, expr: Expr, side: Side) -> dict[CellKey, float]:
    """d side / d cell for each cell of a side (the expressions are linear: `+ - *` numbers)."""
    sizes = [len(engine.select(engine.report.tables[r.table], r.selector)) for r in expr.refs]
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    parts = [side.cells[s:s + n] for s, n in zip(starts, sizes)]
    values = [sum(c.value or 0.0 for c in cells) for cells in parts]
    base = expr.value(values)
    coef: dict[CellKey, float] = {}
    for i, cells in enumerate(parts):
        slope = expr.value([v + (j == i) for j, v in enumerate(values)]) - base
        for c in cells:
            coef[_key(c)] = coef.get(_key(c), 0.0) + slope
    return coef


def single_cell_explanations(rels: list[Relation]) -> dict[CellKey, tuple[float, float]]:
    """Each cell whose change alone makes every failing identity hold without breaking a holding
    one, with the range of changes that do it; empty when nothing fails."""
    failing = [r for r in rels if r.fails]
    if not failing:
        return {}
    suspects = set.intersection(*(r.cells for r in failing))
    out = {}
    for cell in sorted(suspects):
        lo, hi = float("-inf"), float("inf")
        for r in rels:
            span = r.shifts(cell)
            if span:
                lo, hi = max(lo, span[0]), min(hi, span[1])
        if lo <= hi + ONE:
            out[cell] = (lo, hi)
    return out


def cells_needed_at_least(rels: list[Relation], table: str) -> int:
    """A lower bound on the cells of `table` that must change for its own failing identities to
    hold: a greedy packing of failing identities within the table that share no cell."""
    own = sorted((r.cells for r in rels if r.fails and all(c[0] == table for c in r.cells)), key=len)
    used: set[CellKey] = set()
    count = 0
    for cells in own:
        if cells and not cells & used:
            used |= cells
            count += 1
    return count
