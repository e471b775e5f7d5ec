"""Name the wrong cell: error localization over every identity of the catalog (issue 25).

One wrong figure breaks several identities at once — its row, its 款 and 类 sums, a table
pair — and each of them is a finding that names some cell of the relation, rarely the wrong
one.  Statistical offices solve the same problem by the Fellegi–Holt principle: change the
fewest fields that make every edit hold.  Here the edits are the identities the engine
compared (`Engine.identities`: table rows, columns, 类/款/项, cross-table pairs; not the
narrative, not last year's report), as linear relations with their rounding tolerance, and
`auditlib.rules.edits` finds the smallest sets of cells whose change makes every failing
identity hold while every holding one keeps holding.

What the auditor gets:

* `LOC.cell`: one finding per cause — a cell, or cells printing the same wrong figure ("one
  digit group lost, one cause, four places") — with its printed value, the value the
  identities imply where they determine it, and the identities that point to it.  A cell
  every smallest set contains is named even when the rest cannot be told apart.  Where
  several cells fit equally, a typical misprint (two digits swapped, a digit lost, a decimal
  point moved) singles one out only when exactly one choice shows it; the others stay listed.
* `LOC.candidates`: the identities cannot tell the cells apart: the equally small sets are listed.
* `READ.doubtful`: a table whose failures need more cells than real reports get wrong (the
  threshold is the entry's params) is a doubtful reading: one error, not dozens.

The findings of the failing identities become symptoms: a `warning` that names its cause
(`cause`), listed under it.  A narrative figure restating a cause cell that agrees with the
implied value is a symptom too (the narrative confirms the table's misprint).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from auditlib.model import Report
from auditlib.rules.catalog import Rule
from auditlib.rules.context import Context
from auditlib.rules.edits import Problem, Relation, Solution, Span, fewest_changes, lower_bound
from auditlib.rules.engine import PRINTED_DECIMALS, Engine, Identity, low_confidence, misreadings
from auditlib.rules.findings import Cell, Finding, finding
from auditlib.rules.registry import register
from auditlib.schema import COUNT_ROWS

Key = tuple[str, str, str]  # table, row, column
# The cells that may change are first those of the failing identities; when no change of
# them alone can make every identity hold (a fix must be compensated elsewhere), the cells
# of the identities around them join, at most this many times.
WIDEN = 2
CANDIDATE_SETS = 6  # equally small sets listed cell by cell in a finding's `candidates`
# A table printed in 元 under a 万元 heading (or the reverse): its figures are off by this factor
SCALES = (1e-4, 1e4)
PRINTED_HALF_UNIT = 0.005  # the rounding of a figure converted to 万元 and printed with two decimals
MISPRINTS = {"swap": "两位数字颠倒", "digit": "一位数字之误", "lost": "少印一位数字", "extra": "多印一位数字",
             "point": "小数点错位"}


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
    implied: float | None
    misprint: str = ""  # how the printed figure came from the implied one, when it is a typical misprint
    component: Component | None = None
    alternatives: list[list[Slot]] | None = None  # the other choices, when a misprint chose this one


@register("localize", stage="localize", once=True)
def localize(ctx: Context, rule: Rule) -> list[Finding]:
    loc = Localizer(ctx)
    return loc.run() if loc.enabled else []


class Localizer:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.report: Report = ctx.report
        self.engine: Engine = ctx.evaluator
        self.cell_rule, self.candidates_rule = ctx.rule("LOC.cell"), ctx.rule("LOC.candidates")
        self.doubt_rule, self.scale_rule = ctx.rule("READ.doubtful"), ctx.rule("LOC.scale")
        self.params = {**(self.doubt_rule.params if self.doubt_rule else {}),
                       **(self.cell_rule.params if self.cell_rule else {})}
        self.cells: dict[Key, Cell] = {}
        self.deadline = time.monotonic() + float(self.params.get("seconds", 5.0))

    @property
    def enabled(self) -> bool:
        return bool(self.cell_rule or self.candidates_rule or self.doubt_rule or self.scale_rule)

    def run(self) -> list[Finding]:
        identities = [i for i in self.engine.identities
                      if all(self.report.tables[c.table].readable for _, c in i.terms)]
        failing = [i for i in identities if _fails(i)]
        if not failing:
            return []
        solved = self._solved(identities, failing)
        self.ctx.checks += len(solved)
        components = [c for c, _ in solved]
        touched = sorted({t for c in components for t in c.tables})
        scaled = {t: f for t in touched if (f := self._scale(t, components)) is not None}
        out = [self._scale_finding(t, f, components) for t, f in scaled.items()]
        solved = [(c, s) for c, s in solved if not c.tables & scaled.keys()]  # explained by a unit error
        doubtful = self._doubtful(solved)
        out += self._doubtful_findings([c for c, _ in solved], doubtful)
        causes: list[Cause] = []
        unsure: list[tuple[Component, list[list[Slot]], bool]] = []
        for component, solution in solved:
            if solution.alternatives and not component.tables & doubtful.keys():
                certain, rest = self._split(component, solution)
                causes += certain
                if rest:
                    unsure.append((component, rest, solution.complete))
        by_cell = self._cell_findings(causes)
        out += list({id(f): f for f in by_cell.values()}.values())
        out += [f for component, rest, complete in unsure
                for f in self._candidates_finding(component, rest, complete)]
        for cause in causes:  # what is left (an identity over two changed cells): its component's first cause
            left = [i for i in cause.component.identities if i.finding and i.finding.cause is None]
            if left:
                self._link(left, by_cell[_key(cause.cell)])
        return out  # a component not solved within the limits keeps its symptoms as they are

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
                    out.add(_key(c))
                    self.cells[_key(c)] = c
        return out

    def _components(self, identities: list[Identity], variables: set[Key]) -> list[Component]:
        """Cells that share every identity with the same coefficient are one variable (any of
        them may carry the change); the constraints are every identity over a variable;
        components are linked by variables."""
        constraints = [i for i in identities if any(_key(c) in variables for _, c in i.terms)]
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
        mine = [i for i in constraints if any(_key(c) in index for _, c in i.terms)]
        relations = []
        for identity in mine:
            coefs = {index[key]: coef for key, coef in _coefficients(identity).items() if key in index}
            tolerance = identity.tolerance if abs(identity.residual) <= identity.tolerance or _fails(identity) \
                else 2 * identity.tolerance  # within reach of rounding: neither to mend nor to break
            relations.append(Relation(coefs, identity.residual, tolerance))
        lower = [min(self._lowest(self.cells[k]) for k in members) for members in groups]
        return Component([i for i in mine if _fails(i)], mine, groups, Problem(relations, lower),
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

    # -- doubtful readings -----------------------------------------------------------------
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
            share = needed / max(1, self._filled(table))
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
        main = self._tables_by_failures(component)[0]
        touching = [r for r in component.problem.relations if r.fails and any(
            component.groups[g][0][0] == main for g in r.coefs)]
        out[main] = lower_bound(Problem(touching, component.problem.lower))
        return out

    def _filled(self, code: str) -> int:
        t = self.report.tables[code]
        return int(t.data[t.columns].notna().to_numpy().sum()) if len(t.data) else 0

    def _scale(self, table: str, components: list[Component]) -> float | None:
        """The factor (元 printed under a 万元 heading, or the reverse) that, applied to every
        figure of `table`, makes all its identities hold: a unit error, not a misreading."""
        mine = {id(i): i for c in components for i in c.constraints if table in {x.table for _, x in i.terms}}
        within = [i for i in mine.values() if {x.table for _, x in i.terms} == {table}]
        across = [i for i in mine.values() if {x.table for _, x in i.terms} != {table}]
        if any(_fails(i) for i in within) or not any(_fails(i) for i in across):
            return None  # a unit error leaves the table adding up in itself, and only its pairs fail

        def holds(i: Identity, factor: float) -> bool:
            inside = [(coef, c) for coef, c in i.terms if c.table == table]
            shifted = i.residual + sum(coef * (c.value or 0.0) * (factor - 1) for coef, c in inside)
            return abs(shifted) <= i.tolerance + len(inside) * PRINTED_HALF_UNIT

        return next((factor for factor in SCALES if all(holds(i, factor) for i in across)), None)

    def _scale_finding(self, table: str, factor: float, components: list[Component]) -> Finding:
        mine = [i for c in components for i in c.identities if table in {x.table for _, x in i.terms}]
        name = self._table_place(table)
        times = f"{1 / factor:,.0f} 倍" if factor < 1 else f"1/{factor:,.0f}"
        cells = [c for i in mine for _, c in i.terms if c.table == table]
        f = finding(self.scale_rule or self.doubt_rule, "error", name,
                    f"{name} 的数字是其他表同项数字的 {times}：疑为金额单位有误（如表头为万元，数字按元填列）；"
                    f"按 {factor:g} 换算后，本表与他表的 {len(mine)} 项不成立的勾稽关系全部成立",
                    f"{table}:scale", tables=[table], page=self.report.tables[table].page,
                    line=self.report.tables[table].line, expected=None, actual=None, difference=None,
                    cells=[self.engine.record(c) for c in {_key(c): c for c in cells}.values()])
        self._link([i for i in mine if i.finding is not None and i.finding.cause is None], f)
        self._link_narrative(f, lambda c: c["value"] * factor if c["table"] == table and c["value"] else None,
                             PRINTED_HALF_UNIT * 2)
        return f

    def _doubtful_findings(self, components: list[Component], doubtful: dict[str, int]) -> list[Finding]:
        if not self.doubt_rule:
            return []
        out = []
        for table, needed in sorted(doubtful.items()):
            t = self.report.tables[table]
            mine = [i for c in components for i in c.identities if table in {x.table for _, x in i.terms}]
            counts: dict[str, int] = defaultdict(int)
            for i in mine:
                counts[i.rule.title] += 1
            listed = "；".join(f"{title}（{n} 处）" for title, n in sorted(counts.items(), key=lambda x: -x[1]))
            name = self._table_place(table)
            f = finding(self.doubt_rule, "error", name,
                        f"{name}：{len(mine)} 项勾稽关系不成立，要使其全部成立至少须改动 {needed} 个单元格"
                        f"（本表已填 {self._filled(table)} 格），远多于报表通常的差错：疑为读取有误（缺列、错行或"
                        f"表格右半未读），本表结论须对照原件核对；各项不符列为提示。不成立的关系：{listed}",
                        table, tables=[table], page=t.page, line=t.line, expected=None, actual=needed, difference=None)
            out.append(f)
            self._link([i for i in mine if i.finding is not None and i.finding.cause is None], f)
        return out

    # -- causes ------------------------------------------------------------------------------
    def _split(self, component: Component, solution: Solution) -> tuple[list[Cause], list[list[Slot]]]:
        """What the identities settle (causes) and what they leave open (the smallest sets
        without the settled changes; empty when everything is settled)."""
        sets = [self._slots(component, alternative, spans)
                for alternative, spans in zip(solution.alternatives, solution.spans)]
        unique = len(sets) == 1 and solution.complete
        if unique and all(len(s.cells) == 1 for s in sets[0]):
            return [self._cause(s.cells[0], s, component) for s in sets[0]], []
        chosen = [c for c in (self._misprinted(slots, component) for slots in sets) if c]
        if len(chosen) == 1 and (unique or solution.complete):
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
            causes = [self._cause(s.cells[0], s, component) for s in slots]
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

    def _misprinted(self, slots: list[Slot], component: Component) -> list[Cause] | None:
        """One cell per change whose figure is a typical misprint of the implied value, when
        exactly one cell of each change is."""
        causes = []
        for slot in slots:
            fitting = [c for c in (self._cause(cell, slot, component) for cell in slot.cells) if c.misprint]
            if len(fitting) != 1:
                return None
            causes.append(fitting[0])
        return causes

    def _cause(self, cell: Cell, slot: Slot, component: Component) -> Cause:
        """The value a change implies: a typical misprint of the printed figure when the
        figures allow it, else the value that makes the tightest failing relation exact; None
        when the range is open or wide (several cells of one relation changing together)."""
        if not math.isfinite(slot.high - slot.low) or slot.high - slot.low > slot.reach + 1e-9:
            return Cause(cell, None, component=component)
        factor, decimals = self._factor(cell), self._decimals(cell)
        printed = cell.value or 0.0
        implied = round((printed + slot.best) / factor, decimals)
        for value, kind in _misprints_of(round(printed / factor, decimals), decimals):
            # a changed digit only when it is the very value implied (a change of a few units is
            # a one-digit change by chance); the other misprints anywhere the figures allow
            fits = value == implied if kind == MISPRINTS["digit"] else \
                slot.low - 1e-9 <= value * factor - printed <= slot.high + 1e-9
            if fits:
                return Cause(cell, round(value, decimals), kind, component)
        return Cause(cell, implied, component=component)

    def _factor(self, cell: Cell) -> float:
        counted = cell.key in COUNT_ROWS.get(cell.table, ())
        return 1.0 if counted else self.engine.factor(self.report.tables[cell.table])

    def _decimals(self, cell: Cell) -> int:
        if cell.key in COUNT_ROWS.get(cell.table, ()):
            return 0
        return self.report.tables[cell.table].decimals.get((cell.key, cell.column), PRINTED_DECIMALS)

    # -- findings ----------------------------------------------------------------------------
    def _cell_findings(self, causes: list[Cause]) -> dict[Key, Finding]:
        """One finding per cause: cells printing the same figure where the same value is
        implied (and by the same misprint) are one cause in several places.  {cell: its finding}"""
        if not self.cell_rule:
            return {}
        groups: dict[tuple, list[Cause]] = defaultdict(list)
        for cause in causes:
            groups[(round(cause.cell.value or 0.0, 6), cause.implied, cause.misprint)].append(cause)
        out = {}
        for members in groups.values():
            f = self._cell_finding(members)
            keys = {_key(m.cell) for m in members}
            self._link([i for m in members for i in m.component.identities
                        if i.finding and i.finding.cause is None and keys & {_key(c) for _, c in i.terms}], f)
            out.update({k: f for k in keys})
        return out

    def _cell_finding(self, members: list[Cause]) -> Finding:
        first = members[0]
        cell, implied = first.cell, first.implied
        printed = (cell.value or 0.0) / self._factor(cell)
        components = list({id(m.component): m.component for m in members}.values())
        keys = {_key(m.cell) for m in members}
        mine = [i for c in components for i in c.identities if keys & {_key(x) for _, x in i.terms}]
        where = "、".join(self._place(m.cell) for m in members) + (f" {len(members)} 处均" if len(members) > 1 else "")
        if implied is None:
            said = f"{where}列示 {_num(printed)}，须与同一关系中的其他单元格一并改动"
        else:
            said = f"{where}列示 {_num(printed)}，按勾稽关系应为 {_num(implied)}" + (
                f"（{first.misprint}）" if first.misprint else "")
        titles = "；".join(dict.fromkeys(i.rule.title for i in mine))
        said += (f"：改动{'此处' if len(members) == 1 else '这几处'}即可使 {len(mine)} 项不成立的关系全部成立，"
                 f"且不破坏其余 {sum(c.holding for c in components)} 项已成立的关系（{titles}）")
        if first.alternatives:
            others = sum(len(s.cells) for slots in first.alternatives for s in slots) - len(members)
            said += f"；另有 {others} 处改动同样可使关系成立，但只有此处的差异是常见的录入错误"
        doubt = self._ocr_doubt(cell, implied)
        f = finding(self.cell_rule, "warning" if doubt else "error", self._place(cell),
                    said + (f"；{doubt}" if doubt else ""), "|".join(":".join(k) for k in sorted(keys)),
                    tables=sorted({m.cell.table for m in members}), page=cell.page, line=cell.line,
                    expected=implied, actual=round(printed, 6), cells=[self.engine.record(m.cell) for m in members])
        f.implied = implied
        if first.alternatives:
            f.candidates = self._candidate_records(first.alternatives, first.component)
        return f

    def _candidates_finding(self, component: Component, sets: list[list[Slot]], complete: bool) -> list[Finding]:
        if not self.candidates_rule:
            return []
        open_identities = [i for i in component.identities if i.finding and i.finding.cause is None]
        tables = self._tables_by_failures(component, open_identities)
        first = next((i for i in open_identities if i.finding.tables[0] == tables[0]), open_identities[0]) \
            if open_identities else component.identities[0]
        size = len(sets[0])
        options = "；".join(f"{_circled(n)} " + "、".join(self._slot_text(s) for s in slots)
                           for n, slots in enumerate(sets))
        more = "" if complete else "；可能还有其他同样少的改法"
        again = "还" if len(open_identities) < len(component.identities) else ""
        typical = [f"{self._place(c.cell).split(' ', 1)[1].rsplit(' ', 1)[0]}（{_num(c.cell.value / self._factor(c.cell))}"
                   f" → {_num(c.implied)}，{c.misprint}）"
                   for slots in sets for s in slots for c in (self._cause(x, s, component) for x in s.cells) if c.misprint]
        message = (f"{len(open_identities)} 项勾稽关系不成立，要使其全部成立{again}须改动至少 {size} 处，"
                   f"勾稽关系无法确定是哪{'一' if size == 1 else '几'}处。可能的改法：{options}{more}")
        if typical:
            message += f"。其中差异为常见录入错误的：{'、'.join(dict.fromkeys(typical))}"
        f = finding(self.candidates_rule, "error", self._table_place(tables[0]), message,
                    first.finding.key.split("@", 1)[-1], tables=tables, page=first.finding.page,
                    line=first.finding.line, expected=None, actual=None, difference=None,
                    cells=[self.engine.record(c) for c in {_key(c): c for slots in sets for s in slots
                                                           for c in s.cells}.values()])
        f.candidates = self._candidate_records(sets, component)
        self._link(open_identities, f)
        return [f]

    def _candidate_records(self, sets: list[list[Slot]], component: Component) -> list[list[dict]]:
        """Each smallest set as cell records (with the value implied, where it is); a change
        any of several cells may carry gives one set per cell (at most `CANDIDATE_SETS`, the
        message names the rest)."""
        out = []
        for slots in sets:
            for choice in _product([s.cells for s in slots], limit=CANDIDATE_SETS):
                out.append([{**self.engine.record(c), "implied": self._cause(c, s, component).implied}
                            for c, s in zip(choice, slots)])
        return out[:CANDIDATE_SETS]

    def _link(self, identities: list[Identity], cause: Finding) -> None:
        """The identities' findings become symptoms of `cause`: warnings listed under it."""
        for identity in identities:
            self._symptom(identity.finding, cause)
        if cause.implied is not None:
            keys = {(c["table"], c["row"], c["column"]) for c in cause.cells}
            self._link_narrative(cause, lambda c: cause.implied if (c["table"], c["row"], c["column"]) in keys else None)

    def _symptom(self, symptom: Finding, cause: Finding) -> None:
        symptom.cause = cause.key
        symptom.severity = "warning"
        cause.symptoms.append(symptom.key)

    def _link_narrative(self, cause: Finding, implied, within: float = 0.0051) -> None:
        """A narrative figure restating a cause's cell and agreeing with the value the cause
        implies for it (`implied`: cell record → value, None for a cell it is not about) is a symptom too: the narrative
        confirms that the table misprints."""
        for f in self.ctx.findings:
            if not (f.id.startswith("NARR.") and f.cause is None and isinstance(f.actual, (int, float))):
                continue
            if any(implied(c) is not None and abs(f.actual - implied(c)) <= within for c in f.cells):
                self._symptom(f, cause)

    def _ocr_doubt(self, cell: Cell, implied: float | None) -> str | None:
        """On a scan, a cell read with low confidence, or whose figure one confusable
        character turns into the implied value, is a misreading to check, not the document's error."""
        if self.report.input_kind != "scan":
            return None
        doubt = low_confidence(self.report, cell)
        if doubt or implied is None:
            return doubt
        factor = self._factor(cell)
        if any(abs(alt / factor - implied) < 0.005 for alt in misreadings(cell.value or 0.0)):
            return (f"疑为识别误差：{cell.name} 识别为 {_num((cell.value or 0.0) / factor)}，"
                    f"若为 {_num(implied)} 则相符，须对照原件核对")
        return None

    # -- names -------------------------------------------------------------------------------
    def _place(self, cell: Cell) -> str:
        """表名 · 行名 · 栏名, the row's code first when it has one."""
        t = self.report.tables[cell.table]
        code = t.data.at[cell.key, "code"] if t.has(cell.key) and "code" in t.data.columns else ""
        column = t.spec.column_names.get(cell.column, cell.column)
        row = f"{code} {cell.name}" if code and code != cell.name else cell.name
        return f"{t.label or _table_name(cell.table)} {row} {column}"

    def _table_place(self, code: str) -> str:
        t = self.report.tables[code]
        return f"{t.label or _table_name(code)} {t.title or ''}".strip()

    def _slot_text(self, slot: Slot) -> str:
        """A change as the auditor reads it: its cell, or the cells any one of which may carry
        it (named by their common parent row when they are its 款 or 项)."""
        if len(slot.cells) == 1:
            return self._place(slot.cells[0])
        parent = self._parent(slot.cells)
        if parent:
            return f"{parent} 所属 {len(slot.cells)} 行中的某一行"
        names = [self._place(c) for c in slot.cells]
        return f"{'、'.join(names[:3])}{' 等' if len(names) > 3 else ''} {len(names)} 处中的某一处"

    def _parent(self, cells: list[Cell]) -> str | None:
        """`公开06表 301 工资福利支出 决算数` when every cell is a row under that code, in one column."""
        c0 = cells[0]
        if any((c.table, c.column) != (c0.table, c0.column) for c in cells):
            return None
        codes = {c.key for c in cells}
        prefix = min(codes, key=len)[:-2] if all(k.isdigit() for k in codes) else ""
        t = self.report.tables[c0.table]
        if not prefix or not t.has(prefix) or not all(k.startswith(prefix) and len(k) == len(prefix) + 2 for k in codes):
            return None
        return self._place(Cell(c0.table, prefix, c0.column, None, str(t.data.at[prefix, "name"]), None, None, 0.0))

    def _tables_by_failures(self, component: Component, identities: list[Identity] | None = None) -> list[str]:
        """The component's tables, the one most of its (or these) failing identities start in first."""
        count: dict[str, int] = defaultdict(int)
        for i in component.identities if identities is None else identities:
            if i.finding:
                count[i.finding.tables[0]] += 1
        return sorted(component.tables, key=lambda t: (-count.get(t, 0), t))


def _fails(identity: Identity) -> bool:
    """An identity whose difference is an error (beyond twice its rounding allowance)."""
    return abs(identity.residual) > 2 * identity.tolerance


def _key(c: Cell) -> Key:
    return c.table, c.key, c.column


def _coefficients(identity: Identity) -> dict[Key, float]:
    out: dict[Key, float] = defaultdict(float)
    for coef, c in identity.terms:
        out[_key(c)] += coef
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
        mine = [index[_key(c)] for _, c in identity.terms if _key(c) in index]
        for g in mine[1:]:
            parent[root(g)] = root(mine[0])
    out: dict[int, list[list[Key]]] = defaultdict(list)
    for g, members in enumerate(groups):
        out[root(g)].append(members)
    return list(out.values())


@lru_cache(maxsize=4096)
def _misprints_of(value: float, decimals: int) -> tuple[tuple[float, str], ...]:
    """The figures whose typical misprint `value` is: two adjacent digits swapped, one digit
    wrong, one digit of the integer part lost or added, the decimal point moved."""
    text = f"{abs(value):.{decimals}f}"
    sign = -1 if value < 0 else 1
    digits = text.replace(".", "")
    point = len(text.split(".")[0])

    def number(ds: str, at: int) -> float | None:
        if not ds or at <= 0 or at > len(ds):
            return None
        return sign * float(f"{ds[:at]}.{ds[at:]}" if at < len(ds) else ds)

    out: list[tuple[float | None, str]] = []
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            out.append((number(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:], point), MISPRINTS["swap"]))
    for i in range(len(digits)):
        out += [(number(digits[:i] + d + digits[i + 1:], point), MISPRINTS["digit"]) for d in "0123456789"
                if d != digits[i]]
    for i in range(point + 1):
        out += [(number(digits[:i] + d + digits[i:], point + 1), MISPRINTS["lost"]) for d in "0123456789"]
    for i in range(point):
        out.append((number(digits[:i] + digits[i + 1:], point - 1), MISPRINTS["extra"]))
    out += [(round(value * f, decimals), MISPRINTS["point"]) for f in (10, 100, 0.1, 0.01)
            if abs(round(value * f, decimals) - value * f) < 1e-9]  # the same digits, the point elsewhere
    return tuple((v, kind) for v, kind in out if v is not None and v != value)


def _product(choices: list[list[Cell]], limit: int) -> list[tuple[Cell, ...]]:
    out: list[tuple[Cell, ...]] = [()]
    for options in choices:
        out = [(*prefix, c) for prefix in out for c in options][:limit]
    return out


def _circled(n: int) -> str:
    return "①②③④⑤⑥⑦⑧⑨"[n] if n < 9 else f"({n + 1})"


def _table_name(code: str) -> str:
    return f"公开{code[1:]}表" if code.startswith("T") else code


def _num(v: float) -> str:
    return f"{v:,.2f}"
