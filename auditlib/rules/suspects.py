"""Which cells are wrong: the analysis half of error localization (`auditlib.rules.localize`).

The identities the engine compared (`Engine.identities`) become linear relations over the
changes of printed cells; cells of failing identities (and, where they cannot mend them alone,
the cells around them) are the variables, cells that share every identity with the same
coefficient one variable (any of them may carry the change); `auditlib.rules.edits` finds the
smallest sets of changes.  What comes out is a `Verdict`: tables whose figures are off by a
unit factor, tables read so far from adding up that the reading is in doubt, the causes the
identities settle (a cell, the value they imply, the misprint that explains it) and what they
leave open.  Words are `auditlib.rules.causes`' job.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from auditlib.model import Report
from auditlib.rules.context import Context
from auditlib.rules.edits import Problem, Relation, Solution, Span, fewest_changes, lower_bound
from auditlib.rules.engine import PRINTED_DECIMALS, Engine, Identity
from auditlib.rules.findings import Cell
from auditlib.rules.misprints import MISPRINTS, misprints_of
from auditlib.schema import COUNT_ROWS

Key = tuple[str, str, str]  # table, row, column
# The cells that may change are first those of the failing identities; when no change of
# them alone can make every identity hold (a fix must be compensated elsewhere), the cells
# of the identities around them join, at most this many times.
WIDEN = 2
# A table printed in 元 under a 万元 heading (or the reverse): its figures are off by this factor
SCALES = (1e-4, 1e4)
PRINTED_HALF_UNIT = 0.005  # the rounding of a figure converted to 万元 and printed with two decimals
# What tells apart cells the identities cannot, strongest first: the narrative restating the
# cell with a value the identities allow; a misprint whose pattern few other changes share; a
# changed digit (which fits many small changes by chance).
STRONG_MISPRINTS = {MISPRINTS[k] for k in ("swap", "lost", "extra", "point")}
SIGNS = (lambda c: c.stated is not None, lambda c: c.misprint in STRONG_MISPRINTS, lambda c: bool(c.misprint))


@dataclass
class Component:
    """Failing identities linked through the cells they could change."""

    identities: list[Identity]  # the failing ones
    constraints: list[Identity]  # every identity over its variables
    groups: list[list[Key]]  # the variables: cells that could each carry the same change
    problem: Problem
    tables: set[str]

    @property
    def holding(self) -> int:
        return sum(1 for r in self.problem.relations if not r.fails)

    def tables_by_failures(self, identities: list[Identity] | None = None) -> list[str]:
        """Its tables, the one most of its (or these) failing identities start in first."""
        count: dict[str, int] = defaultdict(int)
        for i in self.identities if identities is None else identities:
            if i.finding:
                count[i.finding.tables[0]] += 1
        return sorted(self.tables, key=lambda t: (-count.get(t, 0), t))


@dataclass
class Slot:
    """One change of a smallest set: the cells that could carry it and its range (open when
    not worked out)."""

    group: int
    cells: list[Cell]
    low: float
    high: float
    reach: float  # the widest range its relations determine (twice its loosest allowance)
    best: float  # the change that makes its tightest failing relation exact (fewest rounded figures)


@dataclass
class Cause:
    """A cell the identities blame, with the value they imply (None: not determined)."""

    cell: Cell
    implied: float | None  # in the table's own unit
    misprint: str = ""  # how the printed figure came from the implied one, when it is a typical misprint
    component: Component | None = None
    alternatives: list[list[Slot]] | None = None  # the other choices, when a misprint chose this one
    span: tuple[float, float] | None = None  # the values the identities allow, in the document's unit
    stated: float | None = None  # the narrative restates the cell with an allowed value (document unit)


@dataclass
class Verdict:
    """What the identities say about a report."""

    components: list[Component] = field(default_factory=list)  # every group of failing identities
    scaled: dict[str, float] = field(default_factory=dict)  # table: the factor that makes it agree
    doubtful: dict[str, int] = field(default_factory=dict)  # table: cells it would need changed, at least
    remaining: list[Component] = field(default_factory=list)  # the components no unit error explains
    causes: list[Cause] = field(default_factory=list)  # what they settle
    unsure: list[tuple[Component, list[list[Slot]], bool]] = field(default_factory=list)  # what they leave open


class Suspects:
    """The analysis over one report; `params`: the entries' settings (max_cells, max_share,
    min_cells, max_alternatives, seconds); `skip`: tables explained otherwise (a missing page)."""

    def __init__(self, ctx: Context, params: dict, skip: frozenset[str] = frozenset()) -> None:
        self.report: Report = ctx.report
        self.skip = skip
        self.engine: Engine = ctx.evaluator
        self.params = params
        self.cells: dict[Key, Cell] = {}
        self.deadline = time.monotonic() + float(params.get("seconds", 5.0))
        self.statements = _statements([f for f in ctx.findings if ctx.family(f) == "表文"])

    def find(self) -> Verdict:
        identities = [i for i in self.engine.identities
                      if all(self.report.tables[c.table].readable for _, c in i.terms) and not tables_of(i) & self.skip]
        failing = [i for i in identities if fails(i)]
        if not failing:
            return Verdict()
        solved = self._solved(identities, failing)
        components = [c for c, _ in solved]
        touched = sorted({t for c in components for t in c.tables})
        scaled = {t: f for t in touched if (f := self._scale(t, components)) is not None}
        solved = [(c, s) for c, s in solved if not c.tables & scaled.keys()]  # explained by a unit error
        verdict = Verdict(components, scaled, self._doubtful(solved), [c for c, _ in solved])
        for component, solution in solved:
            if solution.alternatives and not component.tables & verdict.doubtful.keys():
                certain, rest = self._split(component, solution)
                verdict.causes += certain
                if rest:
                    verdict.unsure.append((component, rest, solution.complete))
        return verdict

    # -- the problem -------------------------------------------------------------------
    def _solved(self, identities: list[Identity], failing: list[Identity]) -> list[tuple[Component, Solution]]:
        """Every component solved; where the cells of the failing identities cannot make them
        all hold, the cells around them may change too."""
        variables = self._cells_of(failing)
        for widening in range(WIDEN + 1):
            solved = [(c, self._solve(c)) for c in self._components(identities, variables)]
            stuck = [c for c, s in solved if not s.alternatives and s.complete]
            if not stuck or widening == WIDEN:
                return solved
            variables |= self._cells_of([i for c in stuck for i in c.constraints])
        return solved

    def _cells_of(self, identities: list[Identity]) -> set[Key]:
        """The printed cells of these identities (an absent row is not a figure to change)."""
        out: set[Key] = set()
        for identity in identities:
            for _, c in identity.terms:
                if self.report.tables[c.table].has(c.key):
                    out.add(key_of(c))
                    self.cells[key_of(c)] = c
        return out

    def _components(self, identities: list[Identity], variables: set[Key]) -> list[Component]:
        """Cells that share every identity with the same coefficient are one variable (any of
        them may carry the change); the constraints are every identity over a variable;
        components are linked by variables."""
        constraints = [i for i in identities if any(key_of(c) in variables for _, c in i.terms)]
        signature: dict[Key, list] = defaultdict(list)
        for n, identity in enumerate(constraints):
            for key, coef in _coefficients(identity).items():
                if key in variables:
                    signature[key].append((n, round(coef, 9)))
        groups: dict[tuple, list[Key]] = defaultdict(list)
        for key in sorted(variables):
            groups[tuple(signature[key])].append(key)
        return [self._component(constraints, members) for members in _linked(constraints, list(groups.values()))]

    def _component(self, constraints: list[Identity], groups: list[list[Key]]) -> Component:
        index = {key: g for g, members in enumerate(groups) for key in members}
        mine = [i for i in constraints if any(key_of(c) in index for _, c in i.terms)]
        relations = []
        for identity in mine:
            coefs = {index[key]: coef for key, coef in _coefficients(identity).items() if key in index}
            tolerance = identity.tolerance if abs(identity.residual) <= identity.tolerance or fails(identity) \
                else 2 * identity.tolerance  # within reach of rounding: neither to mend nor to break
            relations.append(Relation(coefs, identity.residual, tolerance))
        lower = [min(self._lowest(self.cells[k]) for k in members) for members in groups]
        return Component([i for i in mine if fails(i)], mine, groups, Problem(relations, lower),
                         {k[0] for members in groups for k in members})

    def _lowest(self, c: Cell) -> float:
        """A figure printed ≥ 0 (amounts, counts) should not become negative."""
        value = c.value or 0.0
        return -value if value >= 0 else -math.inf

    def _solve(self, component: Component) -> Solution:
        """The component's smallest sets; one clearly beyond any real report's mistakes (three
        times a doubtful table's) is not searched, or only for its first set."""
        beyond = int(self.params.get("max_cells", 6)) * 3
        bound = lower_bound(component.problem)
        if bound > beyond:
            return Solution(math.inf, [], False, lower_bound=bound)
        return fewest_changes(component.problem, most=int(self.params.get("max_alternatives", 3)),
                              deadline=self.deadline, enough=beyond)

    # -- unit errors and doubtful readings ------------------------------------------------
    def _scale(self, table: str, components: list[Component]) -> float | None:
        """The factor (元 printed under a 万元 heading, or the reverse) that, applied to every
        figure of `table`, makes all its identities hold: a unit error, not a misreading."""
        mine = {id(i): i for c in components for i in c.constraints if table in tables_of(i)}
        within = [i for i in mine.values() if tables_of(i) == {table}]
        across = [i for i in mine.values() if tables_of(i) != {table}]
        if any(fails(i) for i in within) or not any(fails(i) for i in across):
            return None  # a unit error leaves the table adding up in itself, and only its pairs fail

        def holds(i: Identity, factor: float) -> bool:
            """Converted, the identity holds — and a failing one compares figures on both sides
            (a table scaled down to nothing would "agree" with a side read as zero)."""
            inside = [(coef, c) for coef, c in i.terms if c.table == table]
            ours = sum(coef * (c.value or 0.0) for coef, c in inside)
            if fails(i) and (abs(ours * factor) <= i.tolerance or abs(i.residual - ours) <= i.tolerance):
                return False
            return abs(i.residual + ours * (factor - 1)) <= i.tolerance + len(inside) * PRINTED_HALF_UNIT

        return next((factor for factor in SCALES if all(holds(i, factor) for i in across)), None)

    def _doubtful(self, solved: list[tuple[Component, Solution]]) -> dict[str, int]:
        """Tables whose mending needs more cells than a few (`max_cells`, or `max_share` of
        the table's filled cells and at least `min_cells`), over all their components:
        {table: cells needed, at least}."""
        per_table: dict[str, int] = defaultdict(int)
        for component, solution in solved:
            for table, needed in self._needed(component, solution).items():
                per_table[table] += needed
        p = self.params
        out = {}
        for table, needed in per_table.items():
            share = needed / max(1, self.filled(table))
            if needed > int(p.get("max_cells", 6)) or (
                    needed >= int(p.get("min_cells", 3)) and share > float(p.get("max_share", 0.25))):
                out[table] = needed
        return out

    def _needed(self, component: Component, solution: Solution) -> dict[str, int]:
        """The cells a component needs changed, per table: those of its first smallest set;
        without one (beyond the limits), the failing identities that touch the table most of
        them start in and share no cell — not counted again for every table a cross-table
        identity reaches."""
        out: dict[str, int] = defaultdict(int)
        if solution.alternatives:
            for g in solution.alternatives[0]:
                out[component.groups[g][0][0]] += 1
            return out
        main = component.tables_by_failures()[0]
        touching = [r for r in component.problem.relations if r.fails and any(
            component.groups[g][0][0] == main for g in r.coefs)]
        out[main] = lower_bound(Problem(touching, component.problem.lower))
        return out

    def filled(self, code: str) -> int:
        t = self.report.tables[code]
        return int(t.data[t.columns].notna().to_numpy().sum()) if len(t.data) else 0

    # -- causes ----------------------------------------------------------------------------
    def _split(self, component: Component, solution: Solution) -> tuple[list[Cause], list[list[Slot]]]:
        """What the identities settle (causes) and what they leave open (the smallest sets
        without the settled changes; empty when everything is settled)."""
        sets = [self._slots(component, alternative, spans)
                for alternative, spans in zip(solution.alternatives, solution.spans)]
        unique = len(sets) == 1 and solution.complete
        if unique and all(len(s.cells) == 1 for s in sets[0]):
            return [self.cause(s.cells[0], s, component) for s in sets[0]], []
        if unique or solution.complete:
            for sign in SIGNS:  # what else tells the cells apart, the strongest sign first
                chosen = [c for c in (self._singled(slots, component, sign) for slots in sets) if c]
                if len(chosen) == 1:
                    for cause in chosen[0]:
                        cause.alternatives = sets
                    return chosen[0], []
        settled = self._settled(sets, solution.necessary, component)
        rest = [[s for s in slots if s.group not in settled] for slots in sets]
        return list(settled.values()), [slots for slots in rest if slots]

    def _settled(self, sets: list[list[Slot]], necessary: tuple[int, ...], component: Component) -> dict[int, Cause]:
        """The changes every smallest set makes, on one cell, to the same implied value."""
        out = {}
        for g in necessary:
            slots = [s for slots in sets for s in slots if s.group == g]
            if any(len(s.cells) != 1 for s in slots):
                continue
            causes = [self.cause(s.cells[0], s, component) for s in slots]
            if causes[0].implied is not None and all(c.implied == causes[0].implied for c in causes):
                out[g] = causes[0]
        return out

    def _slots(self, component: Component, alternative: tuple[int, ...], spans: dict[int, Span]) -> list[Slot]:
        """The changes of one smallest set; a change whose range was not worked out (one of
        several sets of several changes) is open and implies no value."""
        slots = []
        for g in alternative:
            low, high = spans.get(g, (-math.inf, math.inf))
            members = [self.cells[k] for k in component.groups[g]]
            # the members that can take the change without turning negative (all, where the
            # solution had to drop that preference)
            cells = [c for c in members if self._lowest(c) <= high + 1e-9] or members
            mine = [r for r in component.problem.relations if g in r.coefs]
            reach = 2 * max(r.tolerance / abs(r.coefs[g]) for r in mine)
            tight = min((r for r in mine if r.fails), key=lambda r: r.tolerance / abs(r.coefs[g]), default=None)
            best = -tight.residual / tight.coefs[g] if tight and len(alternative) == 1 else (low + high) / 2
            slots.append(Slot(g, cells, low, high, reach, min(max(best, low), high) if math.isfinite(best) else 0.0))
        return slots

    def _singled(self, slots: list[Slot], component: Component, sign) -> list[Cause] | None:
        """One cell per change that shows `sign` (a Cause → bool of SIGNS), when exactly one
        cell of each change does."""
        causes = []
        for slot in slots:
            fitting = [c for c in (self.cause(cell, slot, component) for cell in slot.cells) if sign(c)]
            if len(fitting) != 1:
                return None
            causes.append(fitting[0])
        return causes

    def cause(self, cell: Cell, slot: Slot, component: Component) -> Cause:
        """The value a change implies: a typical misprint of the printed figure when the
        figures allow it, else the value that makes the tightest failing relation exact; None
        when the range is open or wide (several cells of one relation changing together)."""
        if not math.isfinite(slot.high - slot.low) or slot.high - slot.low > slot.reach + 1e-9:
            return Cause(cell, None, component=component)
        factor, decimals = self.factor(cell), self._decimals(cell)
        printed = cell.value or 0.0
        span = (printed + slot.low - PRINTED_HALF_UNIT * factor, printed + slot.high + PRINTED_HALF_UNIT * factor)
        stated = next((v for v in self.statements.get(key_of(cell), ()) if span[0] <= v <= span[1]), None)
        implied = round((printed + slot.best if stated is None else stated) / factor, decimals)
        for value, kind in misprints_of(round(printed / factor, decimals), decimals):
            # a changed digit only when it is the very value implied (a change of a few units is
            # a one-digit change by chance); the other misprints anywhere the figures allow
            fits = value == implied if kind == MISPRINTS["digit"] else \
                slot.low - 1e-9 <= value * factor - printed <= slot.high + 1e-9
            if fits:
                return Cause(cell, round(value, decimals), kind, component, span=span, stated=stated)
        return Cause(cell, implied, component=component, span=span, stated=stated)

    def factor(self, cell: Cell) -> float:
        counted = cell.key in COUNT_ROWS.get(cell.table, ())
        return 1.0 if counted else self.engine.factor(self.report.tables[cell.table])

    def _decimals(self, cell: Cell) -> int:
        if cell.key in COUNT_ROWS.get(cell.table, ()):
            return 0
        return self.report.tables[cell.table].decimals.get((cell.key, cell.column), PRINTED_DECIMALS)


def _statements(narrative: list) -> dict[Key, list[float]]:
    """What the narrative states of a table cell where it disagrees with the printed figure
    (its findings that restate one cell): evidence of the value the cell should have."""
    out: dict[Key, list[float]] = defaultdict(list)
    for f in narrative:
        if len(f.cells) == 1 and isinstance(f.actual, (int, float)):
            c = f.cells[0]
            out[(c["table"], c["row"], c["column"])].append(float(f.actual))
    return out


def fails(identity: Identity) -> bool:
    """An identity whose difference is an error (beyond twice its rounding allowance)."""
    return abs(identity.residual) > 2 * identity.tolerance


def key_of(c: Cell) -> Key:
    return c.table, c.key, c.column


def tables_of(identity: Identity) -> set[str]:
    return {c.table for _, c in identity.terms}


def _coefficients(identity: Identity) -> dict[Key, float]:
    out: dict[Key, float] = defaultdict(float)
    for coef, c in identity.terms:
        out[key_of(c)] += coef
    return out


def _linked(constraints: list[Identity], groups: list[list[Key]]) -> list[list[list[Key]]]:
    """Groups of variables joined by the constraints they share (union–find)."""
    parent = list(range(len(groups)))
    index = {key: g for g, members in enumerate(groups) for key in members}

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    for identity in constraints:
        mine = [index[key_of(c)] for _, c in identity.terms if key_of(c) in index]
        for g in mine[1:]:
            parent[root(g)] = root(mine[0])
    out: dict[int, list[list[Key]]] = defaultdict(list)
    for g, members in enumerate(groups):
        out[root(g)].append(members)
    return list(out.values())
