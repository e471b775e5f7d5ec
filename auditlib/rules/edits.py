"""Error localization as numbers (the Fellegi–Holt principle): the fewest variables whose
change makes every relation hold, while every relation that holds keeps holding.

A `Problem` is linear relations over changes d_j of printed figures: relation i holds when
|residual_i + Σ_j a_ij d_j| ≤ tolerance_i.  A variable may have a lowest change (a figure
printed ≥ 0 should not become negative).  What is wanted is the smallest weighted set of
variables allowed to change — all of the smallest sets, when several tie, because an
auditor must be told when the relations cannot tell two cells apart —, the variables every
smallest set contains, and the range each change must lie in (a narrow range is a value the
relations *imply*).

One change is found by intersecting intervals (every failing relation must contain the
variable); two or more by a small mixed-integer program solved by HiGHS (`highspy`, the
HiGHS team's own binding; scipy's copy of HiGHS costs a quarter second to import), every
solve within what is left of one deadline.  Nothing here knows about tables: `auditlib.rules.localize` builds the problems.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

EPS = 1e-9
Span = tuple[float, float]


@dataclass
class Relation:
    """Σ coefs[j] × d_j + residual must end within ±tolerance."""

    coefs: dict[int, float]
    residual: float
    tolerance: float

    @property
    def fails(self) -> bool:
        return abs(self.residual) > self.tolerance

    def window(self, j: int) -> Span:
        """The changes of variable j alone that make this relation hold."""
        a = self.coefs[j]
        lo, hi = (-self.tolerance - self.residual) / a, (self.tolerance - self.residual) / a
        return (lo, hi) if a > 0 else (hi, lo)


@dataclass
class Problem:
    relations: list[Relation]
    lower: list[float]  # the lowest change of each variable (−inf: unbounded)
    weights: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.weights:
            self.weights = [1.0] * len(self.lower)

    @property
    def size(self) -> int:
        return len(self.lower)

    @property
    def failing(self) -> list[Relation]:
        return [r for r in self.relations if r.fails]

    def unbounded(self) -> Problem:
        return Problem(self.relations, [-math.inf] * self.size, self.weights)


@dataclass
class Solution:
    """The smallest sets found (`alternatives`, sorted tuples of variables) and their cost;
    `complete` when every set of that cost was found, or (no set) when there is none at all;
    `necessary`: the variables every smallest set contains; `spans`: for each set, the range
    of each change worked out (one change: always; several: for the necessary variables, and
    for every variable of a set that is the only one); `lower_bound` when no set was found
    within the limits."""

    cost: float
    alternatives: list[tuple[int, ...]]
    complete: bool
    necessary: tuple[int, ...] = ()
    spans: list[dict[int, Span]] = field(default_factory=list)
    lower_bound: float = 0.0


def fewest_changes(problem: Problem, *, most: int = 3, deadline: float | None = None,
                   enough: float = math.inf) -> Solution:
    """The smallest sets (up to `most` of them; only the first when it costs more than
    `enough`, as nothing more is needed of it), the solver stopping at `deadline`
    (time.monotonic()).  The lowest changes are a preference: when no set can respect them,
    they are dropped."""
    limits = _Limits(deadline if deadline is not None else time.monotonic() + 2.0, most, enough)
    solution = _fewest(problem, limits)
    if not solution.alternatives and solution.complete and any(math.isfinite(lo) for lo in problem.lower):
        return _fewest(problem.unbounded(), limits)
    return solution


@dataclass(frozen=True)
class _Limits:
    deadline: float
    most: int
    enough: float

    @property
    def seconds(self) -> float:
        return self.deadline - time.monotonic()


def _fewest(problem: Problem, limits: _Limits) -> Solution:
    if not problem.failing:
        return Solution(0.0, [()], True, spans=[{}])
    singles = single_changes(problem)
    if singles:
        cheapest = min(problem.weights[j] for j in singles)
        chosen = [j for j in sorted(singles) if problem.weights[j] == cheapest]
        return Solution(cheapest, [(j,) for j in chosen], True, chosen if len(chosen) == 1 else (),
                        [{j: singles[j]} for j in chosen])
    return _Program(problem, limits).solve()


def single_changes(problem: Problem) -> dict[int, Span]:
    """Every variable whose change alone makes all relations hold, with the range of that
    change: the intersection of its relations' windows (relations without it must hold already)."""
    failing = problem.failing
    out: dict[int, Span] = {}
    for j in range(problem.size):
        if any(j not in r.coefs for r in failing):
            continue
        lo, hi = problem.lower[j], math.inf
        for r in problem.relations:
            if j in r.coefs:
                w_lo, w_hi = r.window(j)
                lo, hi = max(lo, w_lo), min(hi, w_hi)
        if lo <= hi + EPS:
            out[j] = (lo, max(lo, hi))
    return out


def lower_bound(problem: Problem) -> int:
    """At least this many variables must change: failing relations that share no variable
    each need one of their own (greedy, smallest relations first)."""
    used: set[int] = set()
    count = 0
    for r in sorted(problem.failing, key=lambda r: len(r.coefs)):
        if not used & r.coefs.keys():
            used |= r.coefs.keys()
            count += 1
    return count


class _Program:
    """The mixed-integer program: a change d_j and a switch z_j per variable; the relations
    on d; lower_j z_j ≤ d_j ≤ M z_j; minimise Σ weight_j z_j.  M bounds every change a
    smallest set can need (the relations' residuals and tolerances summed, doubled) and is
    kept that small so that HiGHS's integrality tolerance cannot let a change through a
    switch left at 1e-7.  Each set found is cut off and the program solved again."""

    def __init__(self, problem: Problem, limits: _Limits) -> None:
        self.p = problem
        self.limits = limits
        self.big = 2 * sum(abs(r.residual) + r.tolerance for r in problem.relations) + 1
        self.lower = [max(lo, -self.big) if math.isfinite(lo) else -self.big for lo in problem.lower]

    def solve(self) -> Solution:
        h = self._highs(integral=True)
        alternatives: list[tuple[int, ...]] = []
        cost = math.inf
        while len(alternatives) < self.limits.most:
            found = self._run(h)
            if found is None:
                if not alternatives:  # beyond the limits (or none at all): how many changes at least
                    status = h.getModelStatus()
                    bound = h.getInfo().mip_dual_bound if status == _status("kTimeLimit") else math.inf
                    return Solution(math.inf, [], status == _status("kInfeasible"),
                                    lower_bound=max(bound, float(lower_bound(self.p))))
                return self._solution(cost, alternatives, h.getModelStatus() == _status("kInfeasible"))
            value = sum(self.p.weights[j] for j in found)
            if value > cost + EPS:
                return self._solution(cost, alternatives, True)
            cost = value
            alternatives.append(found)
            if cost > self.limits.enough:
                return Solution(cost, alternatives, False, spans=[{}])
            n = self.p.size
            h.addRow(-h.getInfinity(), len(found) - 1, len(found), [n + j for j in found], [1.0] * len(found))
        return self._solution(cost, alternatives, False)

    def _solution(self, cost: float, alternatives: list[tuple[int, ...]], complete: bool) -> Solution:
        """With the necessary variables and the spans they allow."""
        if len(alternatives) == 1 and complete:
            return Solution(cost, alternatives, True, alternatives[0], [self.ranges(alternatives[0])])
        common = set(alternatives[0]).intersection(*alternatives[1:])
        necessary = tuple(j for j in sorted(common) if self._needed(j, cost))
        return Solution(cost, alternatives, complete, necessary,
                        [self.ranges(alt, necessary) for alt in alternatives])

    def _needed(self, j: int, cost: float) -> bool:
        """Whether every smallest set contains j: without it the cost rises (or no set exists)."""
        h = self._highs(integral=True)
        n = self.p.size
        h.changeColBounds(n + j, 0.0, 0.0)
        found = self._run(h)
        return found is None or sum(self.p.weights[k] for k in found) > cost + EPS

    def ranges(self, support: tuple[int, ...], of: tuple[int, ...] | None = None) -> dict[int, Span]:
        """The range of each change (of `of`, default all of `support`) when only `support` changes."""
        h = self._highs(integral=False)
        n = self.p.size
        others = [j for j in range(n) if j not in support]
        if others:
            h.changeColsBounds(len(others), others, [0.0] * len(others), [0.0] * len(others))
        out = {}
        for j in support if of is None else [j for j in of if j in support]:
            ends = []
            for sign in (1.0, -1.0):
                h.changeColsCost(n, list(range(n)), [sign if k == j else 0.0 for k in range(n)])
                if self.limits.seconds <= 0:
                    return {}
                h.setOptionValue("time_limit", self.limits.seconds)
                h.run()
                if h.getModelStatus() != _status("kOptimal"):
                    return {}
                ends.append(h.getSolution().col_value[j])
            out[j] = (min(ends), max(ends))
        return out

    def _run(self, h) -> tuple[int, ...] | None:
        """One solve within what is left of the time: None when nothing (more) was found."""
        if self.limits.seconds <= 0:
            return None
        h.setOptionValue("time_limit", self.limits.seconds)
        h.run()
        if h.getModelStatus() != _status("kOptimal"):
            return None
        n = self.p.size
        z = h.getSolution().col_value[n:]
        return tuple(j for j in range(n) if z[j] > 0.5)

    def _highs(self, integral: bool):
        from highspy import _core  # the plain binding: `highspy.Highs()` prints a banner to stdout

        h = _core._Highs()
        h.setOptionValue("output_flag", False)
        # one thread (no pool to outlive a fork); exact optimum; tight tolerances (see the class);
        # no feasibility-jump heuristic, which costs 4/5 of a solve of these small programs
        for option, value in (("threads", 1), ("random_seed", 0),
                              ("mip_abs_gap", 0.5 * min(self.p.weights)), ("mip_rel_gap", 0.0),
                              ("mip_feasibility_tolerance", 1e-9), ("primal_feasibility_tolerance", 1e-9),
                              ("mip_heuristic_run_feasibility_jump", False)):
            h.setOptionValue(option, value)
        n, inf = self.p.size, h.getInfinity()
        h.addVars(n, self.lower, [self.big] * n)
        if integral:
            h.addVars(n, [0.0] * n, [1.0] * n)
            h.changeColsIntegrality(n, list(range(n, 2 * n)), [_core.HighsVarType.kInteger] * n)
            h.changeColsCost(n, list(range(n, 2 * n)), list(self.p.weights))
            for j in range(n):  # d_j ≤ M z_j and d_j ≥ lower_j z_j
                h.addRow(-inf, 0.0, 2, [j, n + j], [1.0, -self.big])
                h.addRow(0.0, inf, 2, [j, n + j], [1.0, -self.lower[j]])
        for r in self.p.relations:
            idx = list(r.coefs)
            h.addRow(-r.tolerance - r.residual, r.tolerance - r.residual, len(idx), idx, [r.coefs[j] for j in idx])
        return h


def _status(name: str):
    from highspy import _core

    return getattr(_core.HighsModelStatus, name)
