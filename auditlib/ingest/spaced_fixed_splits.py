"""How the figures of plain `pdftotext`'s flow of 公开01/04表 split between the rows of its
two halves (auditlib/ingest/spaced_fixed_flow.py reads the table with them).

A split puts each half's figures in its rows' order, an expense row's figures together,
each near its row's 行次 or label (`Near`); blank cells absent (WPS), a row may hold none
and an expense row of several columns only the cells it prints, its 合计 first.  The
splits are followed figure by figure, an identity checked as soon as its last cell is
filled (or passed blank), splits that agree on what is left to check merged, and every
cell kept within what other tables say of it (`Limits`): a cell they say is not blank is
neither passed by a split nor left behind with no figure left that fits it.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations

from auditlib.ingest.spaced_fixed_labels import Bound, Slot, label_bounds
from auditlib.ingest.spaced_fixed_moves import Placed
from auditlib.ingest.spaced_identities import Check
from auditlib.ingest.spaced_tokens import Line
from auditlib.numbers import parse_number

MAX_READINGS = 512  # splits followed at once at most: more, and the flow says too little
NEAR = (3, 3)  # a figure stands after the 行次 this many rows up, before the one this many down
# each half's cells' figures (None: a blank cell)
Reading = tuple[tuple[Placed | None, ...], tuple[tuple[Placed | None, ...], ...]]
Limits = dict[tuple[int, str], tuple[float, float]]  # (row, column) → least, most: what other tables say
Cells = dict[tuple[int, str], list[tuple[int, int]]]  # (row, column) → the identities it is a term of, and how
Near = tuple[dict[int, tuple[int, Line]], bool]  # where each 行次 stands, and whether `_bounds` are wide


def readings(figures: list[Placed], halves: tuple[list[Slot], list[Slot]], columns: tuple[str, ...],
             near: Near, checks: list[Check], limits: Limits, blanks: bool = False,
             most: int = 2, free: frozenset[int] = frozenset()) -> list[Reading] | None:
    """The splits of the figures between the halves (each half's in its rows' order, an
    expense row's figures together, each near its 行次 — or, `blanks`, its label — and
    there a row may hold none) under which every identity holds and every cell is within
    its `limits`, at most `most` of distinct values in each state the splits reach (two
    tell there is more than one; spaced_joint lists more); None when there are too many
    to follow.  `free`: the rows (by 行次) whose figures may stand anywhere in the flow.
    Splits are followed figure by figure, an identity checked as soon as its last cell is
    filled (or passed blank), and splits that agree on what is left to check (each open
    identity's sum so far) merged."""
    left, right = halves
    width, split = len(columns), len(left)
    if not blanks and len(figures) != split + width * len(right):
        return None
    bounds = tuple(_where(slots, near, blanks, free) for slots in halves)
    ends, last = _ends(limits, (split, len(right)), blanks), _unmet(limits, figures, split)
    rules = checks, limits, _cells(checks), most
    states: dict[tuple, list[Reading]] = {(0, 0, 0, (0,) * len(checks)): [((), ())]}
    for i in range(len(figures)):
        now = {k: v for k, v in states.items() if k[0] == i}
        if len(now) > MAX_READINGS:
            return None
        for (_, a, b, sums), splits in now.items():
            del states[(i, a, b, sums)]
            if last[i][0] >= a or last[i][1] >= b:
                continue  # a cell ahead that may not be blank and no figure left fits it
            for row in range(a, ends[0][a]):
                if bounds[0][row](figures[i][0]):
                    grown = [((*cells, *(None,) * (row - a), figures[i]), groups) for cells, groups in splits]
                    _step(states, (i + 1, row + 1, b), sums, {(row, "amount"): figures[i]}, grown, rules, split)
            for group in _groups(figures[i:i + width], width, blanks):
                for row in range(b, ends[1][b]):
                    if all(bounds[1][row](f[0]) for f in group if f):
                        grown = [(cells, (*groups, *(None,) * (row - b), group)) for cells, groups in splits]
                        _step(states, (i + sum(f is not None for f in group), a, row + 1), sums,
                              dict(zip(((split + row, c) for c in columns), group)), grown, rules, split)
    return [r for (i, a, b, sums), v in states.items() if i == len(figures) and _closed(sums, checks)
            and all(limits[(row, col)][0] <= 0 <= limits[(row, col)][1] for row, col in limits
                    if a <= row < split or row >= split + b) for r in v]


def _unmet(limits: Limits, figures: list[Placed], split: int) -> list[tuple[int, int]]:
    """For each figure, the last row of each half (-1: none) with a cell that may not be
    blank (its `limits` hold off 0) and that none of the figures from this one on fits."""
    must = [(row, low, high) for (row, _), (low, high) in limits.items() if not low <= 0 <= high]
    out = []
    for i in range(len(figures) + 1):
        values = [_value(f) for f in figures[i:]]
        unmet = [row for row, low, high in must if not any(low <= v <= high for v in values)]
        out.append((max((r for r in unmet if r < split), default=-1),
                    max((r - split for r in unmet if r >= split), default=-1)))
    return out


def _ends(limits: Limits, sizes: tuple[int, int], blanks: bool) -> tuple[list[int], ...]:
    """For each half and each row a split has reached, the end of the rows its next figure
    may be put in: the next row only; or, blank cells absent (`blanks`), up to the first
    row that may not be blank (a cell its `limits` hold off 0), which cannot be passed."""
    must = {row for (row, _), (low, high) in limits.items() if not low <= 0 <= high}
    out = []
    for offset, size in zip((0, sizes[0]), sizes):
        out.append([next((k + 1 for k in range(r, size) if k + offset in must), size) if blanks else min(r + 1, size)
                    for r in range(size + 1)])
    return tuple(out)


def _where(slots: list[Slot], near: Near, blanks: bool, free: frozenset[int]) -> list[Bound]:
    """Where each row's figures may stand in the flow: near its 行次 (`_bounds`), or, without
    行次 (`blanks`), by its label's place (`label_bounds`; the rows `free` anywhere) —
    anywhere where no place is given (公开04表 by WPS: ANYWHERE)."""
    places, wide = near
    if not blanks:
        return _bounds(slots, places, wide)
    return label_bounds(slots, places, free) if places else [lambda at: True] * len(slots)


def _groups(figures: list[Placed], width: int, blanks: bool) -> list[tuple[Placed | None, ...]]:
    """The ways the next figures may fill an expense row's `width` cells: all of them, in
    order; or, blank cells absent (`blanks`), the first k in k of its cells in order, the
    first (合计, which every other sums into) among them (None: a blank cell)."""
    if not blanks or width == 1:
        return [tuple(figures)] if len(figures) == width else []
    out: list[tuple[Placed | None, ...]] = []
    for k in range(1, len(figures) + 1):
        for rest in combinations(range(1, width), k - 1):
            cells = dict(zip((0, *rest), figures))
            out.append(tuple(cells.get(n) for n in range(width)))
    return out


def _closed(sums: tuple[int, ...], checks: list[Check]) -> bool:
    """Whether every identity still open holds with the cells not filled blank (each
    identity's sum so far, in cents, within its rounding)."""
    return all(abs(total) <= 0.5 * len(check) + 1e-9 for total, check in zip(sums, checks))


def _step(states: dict, at: tuple[int, int, int], sums: tuple[int, ...], filled: dict[tuple[int, str], Placed],
          readings: list[Reading], rules: tuple[list[Check], Limits, Cells, int], split: int) -> None:
    """Adds the splits `readings`, whose cells `filled` were just filled, to the state they
    reach (`at`: the figures and each half's rows passed), unless a cell is out of its
    limits: each identity's sum so far (in cents), an identity whose last cell this was
    checked (and its sum forgotten, so that splits agreeing on the rest merge)."""
    checks, limits, cells, most = rules
    if any(not limits[cell][0] <= _value(placed) <= limits[cell][1] for cell, placed in filled.items() if cell in limits):
        return
    out = list(sums)
    touched = set()
    for cell, placed in filled.items():
        for n, k in cells.get(cell, ()):
            out[n] += k * round(_value(placed) * 100)
            touched.add(n)
    for n in sorted(touched):
        if _complete(checks[n], at[1:], split):
            if not _closed((out[n],), [checks[n]]):
                return
            out[n] = 0
    key = (*at, tuple(out))
    kept = states.setdefault(key, [])
    for reading in readings:
        if len(kept) < most and all(values(reading) != values(k) for k in kept):
            kept.append(reading)


def _cells(checks: list[Check]) -> Cells:
    """The identities each cell is a term of: (identity's index, its coefficient) by cell."""
    out: Cells = {}
    for n, check in enumerate(checks):
        for row, col, k in check:
            out.setdefault((row, col), []).append((n, k))
    return out


def _complete(check: Check, at: tuple[int, int], split: int) -> bool:
    """Whether every cell of an identity is filled once `at` cells of each half are."""
    return all(row < at[0] if row < split else row - split < at[1] for row, _, _ in check)


def values(reading: Reading) -> tuple:
    """What a reading puts in the cells (the figures' texts): two splits that place the same
    texts are one reading."""
    return (tuple(p[2].text if p else "" for p in reading[0]),
            tuple(tuple(p[2].text if p else "" for p in g) if g else () for g in reading[1]))


def _bounds(slots: list[Slot], places: dict[int, tuple[int, Line]], wide: bool) -> list[Bound]:
    """Where each row's figures may stand in the flow (a test of a figure's place): after the
    行次 NEAR[0] rows up, before the one NEAR[1] rows down, of the same half (no bound past
    its ends or where not found); `wide`, also after the 行次 of the row with figures NEAR[0]
    rows up, before that of the one NEAR[1] rows down (Writer prints the 行次 of the blank
    rows 61–63 ahead of 总计's figures, or 年末结转和结余's after them: rows that hold no
    figure say little of where the others' stand) — wider bounds, which hold every figure
    the narrow ones do."""
    numbers = [number for number, _, _ in slots]
    out: list[Bound] = []
    for n, number in enumerate(numbers):
        ups, downs = [number - NEAR[0]], [number + NEAR[1]]
        if wide:
            ups.append(numbers[n - NEAR[0]] if n >= NEAR[0] else 0)
            downs.append(numbers[n + NEAR[1]] if n + NEAR[1] < len(numbers) else 0)
        low = min(places[up][0] if up >= numbers[0] and up in places else 0 for up in ups)
        high = max(places[down][0] if numbers[0] <= down <= numbers[-1] and down in places else 1 << 30
                   for down in downs)
        out.append(lambda at, low=low, high=high: low < at < high)
    return out


def _value(placed: Placed | None) -> float:
    """A placed figure's amount for the identities (a dash, a blank cell: 0)."""
    return _amount(placed[2].text) if placed else 0.0


@cache
def _amount(text: str) -> float:
    """A figure's amount (a dash: 0), parsed once: the splits weigh each figure many times."""
    return parse_number(text) or 0.0
