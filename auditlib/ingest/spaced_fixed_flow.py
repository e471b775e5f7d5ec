"""Plain `pdftotext`'s flow of a fixed-row table with 行次 (公开01表, 公开04表): its labels,
行次 and figures as streams that do not stand beside each other (auditlib/ingest/spaced.py).

Without -layout, pdftotext prints these tables a cell a line in the order of the PDF's text
blocks: "项目（按功能分类）/ 1 / 栏次 / 756.57 / 一、一般公共服务支出 / 行次 / 决算数 / 2 / 32 /
0.00 / 1,500.85 二、外交支出 / 33 …" — the income half's rows (行次 1…M) and the expense
half's (M+1…2M) mixed, a figure now before, now after the other half's, a page's totals
ahead of its other rows.  What the producers keep (Calc, Chromium, Writer) is read this way:

- the rows: the template's, in its fixed order, as the labels print them
  (spaced_fixed_labels);
- every cell of a printed row holds a figure (0.00 for nothing), a blank row none;
- each half's figures follow each other in its rows' order, an expense row's figures
  one after the other; a figure stands near its 行次 (after the 行次 three rows up, before
  the 行次 three rows down; the 行次 being, of a number printed more than once, the place
  that keeps the numbers in order: a header's 栏次 1, 2, 3 … are none).  Where no reading
  stands so, wider hypotheses, each holding every reading of the one before, are tried in
  turn and the first with a reading counts: near also the 行次 three rows with figures up
  and down (Writer prints the 行次 of the blank rows 61–63 ahead of 总计's figures, or
  年末结转和结余's after them); then one figure printed after every 行次 taken as a
  one-figure row's (Chromium prints 公开04表's 本年收入合计 after 总计); then each figure
  printed on one line before an expense row's label ("33.53 二、外交支出") taken as the
  income row's beside it (Calc prints 公开01表's 二、三 after 四、五、六 when these hold
  wider figures: pdftotext groups those with the other half's block).

Where a producer keeps no such order, no reading holds and the table stays unread.

公开01表 printed without 行次 (WPS) is read the same way, each label's place in the flow
standing in for its row's 行次 and blank cells absent (spaced_fixed_labels): a figure
stands after its own row's label, before the next label printed, and a row may hold none.
WPS's 公开04表 without 行次 keeps even less: pdftotext regroups its cells by column, so a
row's figures may stand before its label ("264.87 / 264.87 / 八、社会保障和就业支出", the
264.87 一、一般公共服务支出's; 本年收入合计's figure ahead of its label).  Only each half's
figures in its rows' order are kept there, an expense row printing its 合计 and the funds it
has (blank cells absent); its identities alone then never tell one 类 from another, so it
is read only within what the tables read whole print of its cells (ANYWHERE): 公开05/08/09表
each fund's column of every 类 and of 本年支出合计, 公开01表 its 财政拨款 income rows
(spaced_evidence.funds).  Where even those leave two readings it stays unread: planning's
9746.50 printed thrice on the income side is 一般公共预算财政拨款, 本年收入合计 and 总计 — or
年初结转和结余 and its 一般公共预算财政拨款 and 总计, every identity holding, when its 公开01表
is not read to say which (spaced_joint then reads them together: `fixed_readings` lists
each one's readings).

The figures are split between the halves in every way those allow; a reading is the
figures each row then holds.  The one reading that makes every identity of the table hold
(本年收入合计 = Σ收入, 总计 = 合计 + 结转…, 本年支出合计 = Σ类, the two 总计 equal; 公开04表's
row totals and each fund's opening + income = expenditure + closing) is taken when it is
the only one; otherwise the table is not read (`unread`, with why).  Nothing is guessed.
The splits are followed figure by figure, each identity checked once its last cell is
filled, splits that agree on what is left to check merged.  公开01表's identities are sums
alone: two placings of its income figures often hold both; it is then read again within what
the tables read whole print of its rows (`bounded_rows`, spaced_evidence.totals), else unread.
How the splits are followed: spaced_fixed_splits.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlib.ingest.spaced_bind import Bounds
from auditlib.ingest.spaced_evidence import fixed
from auditlib.ingest.spaced_fixed_labels import Slot, found_labels, in_turn, label_half, label_patterns, layout
from auditlib.ingest.spaced_fixed_moves import Placed, beside_flows, late_flows
from auditlib.ingest.spaced_fixed_splits import Limits, Reading, readings, values
from auditlib.ingest.spaced_flow import FIGURES
from auditlib.ingest.spaced_identities import FUNDS, Check
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line

# why a fixed-row table printed in pdftotext's flow is not read (a warning under its table's name)
UNFIXED = ("每格一行印出（pdftotext），行次、项目与金额分散排列，没有唯一一种把金额放回各行的读法使本表勾稽关系成立，无法确定"
           "（printed a cell a line: no single placing of the figures on the numbered rows satisfies the table's identities）")
# each half's sums: (total, parts) by row key; "inc_*" every income row, "类" every function 类
SUMS = {
    "T01": (("income_total", ("inc_*",)), ("income_grand_total", ("income_total", "use_nonfiscal_balance", "opening_balance")),
            ("expense_total", ("类",)), ("expense_grand_total", ("expense_total", "surplus_distribution", "closing_balance"))),
    "T04": (("income_total", ("inc_*",)), ("opening_balance", ("opening_*",)),
            ("income_grand_total", ("income_total", "opening_balance")),
            ("expense_total", ("类",)), ("expense_grand_total", ("expense_total", "closing_balance"))),
}
FIXED = tuple(SUMS)  # the tables read here (a budget's 收支总表 has other rows and sums)
BOUNDED = ("T01",)  # those read after the others, whose figures then bound theirs (spaced_evidence.totals)
# those read within the tables read whole when their identities alone do not tell
# (spaced_evidence.fixed): 公开04表 before 公开01表 (which it bounds), or in the round after it
WITHIN = ("T01", "T04")
LABELLED = ("T01", "T04")  # those read without 行次 too (by WPS: blank cells absent; spaced_fixed_labels)
ANYWHERE = ("T04",)  # those of them whose figures' places WPS's flow does not tie to their labels


def bounded_rows(lines: list[Line], tpl: Template,
                 read: dict[str, tuple[list[Row], Template]]) -> tuple[list[Row] | None, str, tuple[str, ...]]:
    """`fixed_rows` by the table's identities alone when they give one reading (the checks
    between tables then still catch an error in it); else, for 公开01/04表, within what the
    tables read whole (`read`: code → rows, template) print of its cells (spaced_evidence),
    and the codes of those tables (the reading then agrees with them whatever it printed)."""
    rows, why = fixed_rows(lines, tpl)
    found = fixed(tpl.spec.code, read) if tpl.spec.code in WITHIN else {}
    by = tuple(sorted(found))
    if rows is not None or not by:
        return rows, why, ()
    rows, _ = fixed_rows(lines, tpl, together(found.values()))
    return (rows, "", by) if rows is not None else (None, _unfixed(by), ())


def together(found: Iterable[Bounds]) -> Bounds:
    """What several tables say of the cells together: each cell within all of them."""
    out: Bounds = {}
    for bounds in found:
        for cell, (low, high) in bounds.items():
            was = out.get(cell, (low, high))
            out[cell] = (max(low, was[0]), min(high, was[1]))
    return out


def _unfixed(by: tuple[str, ...]) -> str:
    """Why 公开01/04表 is not read even within the figures of the tables `by` (codes)."""
    names = "、".join(f"公开{code[1:]}表" for code in by)
    return (f"每格一行印出（pdftotext），行次、项目与金额分散排列，没有唯一一种把金额放回各行的读法使本表勾稽关系成立"
            f"且与{names}的数字相符，无法确定（printed a cell a line: no single placing of the figures on the numbered "
            f"rows satisfies the table's identities and agrees with {names}）")


def fixed_rows(lines: list[Line], tpl: Template, bounds: Bounds | None = None) -> tuple[list[Row] | None, str]:
    """The printed rows of 公开01/04表 printed a cell a line (`lines`: its lines as printed,
    head included), read from its streams of 行次 and figures, each cell within what other
    tables say of it (`bounds`: (row key, column) → least, most); None and why when
    they do not give one reading."""
    found, context = _found(lines, tpl, bounds, 2)
    if found is None or len(found) != 1:
        return None, UNFIXED
    return _rows(found[0], *context, tpl)


def fixed_readings(lines: list[Line], tpl: Template, bounds: Bounds, most: int) -> list[list[Row]] | None:
    """Every reading of 公开01/04表 printed a cell a line (`fixed_rows`'s, however many) within
    `bounds`, `most` at most: the rows of each (an empty list: surely none); None when
    there are more, or they cannot be listed.  Without 行次 (WPS), where no placing keeps
    each totals-block figure after its label (planning's 公开01表 prints 9759.38 before
    本年支出合计, 112.88 after 结余分配), the readings with those figures anywhere in their
    half's order (their labels printed somewhere): more of them, each for spaced_joint to
    weigh against the other tables."""
    found, context = _found(lines, tpl, bounds, most + 1)
    if not found and tpl.spec.code in LABELLED and tpl.spec.code not in ANYWHERE:
        found, context = _found(lines, tpl, bounds, most + 1, loose=True)
    out = {} if found is not None else None
    for reading in found or ():
        rows = _rows(reading, *context, tpl)[0]
        if rows is None:
            return None
        out.setdefault(tuple(row.cells for row in rows), rows)  # splits that print alike are one reading
    return None if out is None or len(out) > most else list(out.values())


def _found(lines: list[Line], tpl: Template, bounds: Bounds | None, most: int, loose: bool = False
           ) -> tuple[list[Reading] | None, tuple]:
    """The readings of the table's flow within `bounds` (`most` at most in each state the
    splits reach: `readings`), and what `_rows` puts them back with (the halves, the rows
    of one half, each row's place); `loose`, without 行次, with the totals-block rows'
    figures anywhere (`fixed_readings`)."""
    places, figures, half = _flow(lines)
    blanks = not half and tpl.spec.code in LABELLED  # no 行次: rows by their labels, blank cells absent
    half = label_half(lines, tpl) if blanks else half
    halves = layout(lines, tpl, half) if half else None
    if halves is None:
        return None, ()
    left, right = halves
    columns = tpl.spec.halves[0][1], tpl.spec.halves[1][1]
    at = {key: n for n, (_, key, _) in enumerate([*left, *right])}
    checks = _checks(at, len(left), columns, tpl.spec.code)
    limits = {(at[key], column): bound for (key, column), bound in (bounds or {}).items() if key in at}
    free: frozenset[int] = frozenset()
    if blanks:  # every label found in its order, or where a row stands is not told
        anywhere = tpl.spec.code in ANYWHERE
        labels = found_labels(lines, halves, label_patterns(tpl), not (anywhere or loose))
        places = {n: (f.place, f.line) for n, f in labels.items()}
        if len(places) != len(left) + len(right) or (anywhere and not limits):
            return None, ()  # a label not found; 公开04表's identities alone never tell one 类 from another
        free = frozenset(n for n, key, _ in [*left, *right] if loose and not key.startswith(("inc_", "类")))
        label_places, places = places, in_turn(places, half) if anywhere or loose else places
    context = halves, half, places
    if not checks:
        return None, context
    if blanks:
        near = {} if tpl.spec.code in ANYWHERE else label_places, False
        return readings(figures, halves, columns[1], near, checks, limits, blanks, most, free), context
    return _placings(figures, halves, columns[1], (places, half), checks, limits, most), context


def _flow(lines: list[Line]) -> tuple[dict[int, tuple[int, Line]], list[Placed], int]:
    """Where each 行次 stands in the flow (its place and line: `_chain`), the figures in the
    flow's order, and the rows of one half."""
    places: dict[int, list[tuple[int, Line]]] = {}
    figures: list[Placed] = []
    at = 0
    for line in lines:
        for token in line.tokens:
            at += 1
            if token.kind == "int" and len(token.text) <= 3:
                places.setdefault(int(token.text), []).append((at, line))
            elif token.kind in FIGURES:
                figures.append((at, line, token))
    half = _half(places)
    return _chain(places, 1, half) | _chain(places, half + 1, 2 * half), figures, half


def _chain(places: dict[int, list[tuple[int, Line]]], first: int, last: int) -> dict[int, tuple[int, Line]]:
    """Which of a number's places is a half's 行次: from its last row up, the last place
    before the row below's (the 栏次 1, 2, 3 … of a header, printed above the rows or again
    on the next page, are no 行次); a number without one is left out."""
    out: dict[int, tuple[int, Line]] = {}
    below = 1 << 30
    for number in range(last, first - 1, -1):
        place = max((p for p in places.get(number, []) if p[0] < below), default=None, key=lambda p: p[0])
        if place is not None:
            out[number], below = place, place[0]
    return out


def _half(places: dict) -> int:
    """The rows of one half (M): every 行次 1…2M is printed; 0 when they are not."""
    n = 0
    while n + 1 in places:
        n += 1
    return n // 2 if n >= 4 else 0


def _placings(figures: list[Placed], halves: tuple[list[Slot], list[Slot]], columns: tuple[str, ...],
              rows: tuple[dict[int, tuple[int, Line]], int], checks: list[Check],
              limits: Limits, most: int = 2) -> list[Reading] | None:
    """The readings (`_readings`, `most` at most in each state) of the figures as printed,
    each near its row's 行次; if none, within the wide bounds (`_bounds`); if none, with one
    figure printed after every 行次 taken as printed after a one-figure row's 行次 instead
    (Chromium prints 公开04表's 本年收入合计 figure after the whole table): each wider
    hypothesis holds every reading of the narrower.  If none still, with the figures
    printed on a line before an expense row's label put at the 行次 of the income row
    beside it (`spaced_fixed_moves`).  The readings are all those of the first of these
    that has any; None when there are too many to follow.  `rows`: where each 行次 stands,
    and the rows of one half."""
    places, half = rows
    tiers = (([figures], False), ([figures], True), (late_flows(figures, halves, places, len(columns)), True),
             (beside_flows(figures, halves, rows), True))
    for flows, wide in tiers:
        found: list[Reading] = []
        for flow in flows:
            more = readings(flow, halves, columns, (places, wide), checks, limits, most=most)
            if more is None:
                return None
            found += [r for r in more if all(values(r) != values(k) for k in found)]
        if found:
            return found
    return []


def _checks(at: dict[str, int], split: int, columns: tuple[tuple[str, ...], ...], table: str) -> list[Check] | None:
    """The table's identities over its rows (`at`: each key's row, the expense half's from
    `split`): each half's sums, the two 总计 equal, 公开04表's row totals and each fund's
    opening + income = expenditure + closing; None when a total they need is not printed."""
    out: list[Check] = []
    for total, parts in SUMS[table]:
        if total not in at:
            return None
        rows = [n for key, n in at.items() if key != total and any(_fits(key, p) for p in parts)]
        for column in columns[at[total] >= split]:
            out.append(((at[total], column, 1), *((n, column, -1) for n in rows)))
    grand = columns[1][0]
    out.append(((at["income_grand_total"], "amount", 1), (at["expense_grand_total"], grand, -1)))
    if table == "T04":
        out += [((n, "total", 1), *((n, f, -1) for f in FUNDS)) for n in range(split, len(at))]
        for fund in FUNDS:
            if f"inc_{fund}" not in at or f"opening_{fund}" not in at:
                return None
            out.append(((at[f"inc_{fund}"], "amount", 1), (at[f"opening_{fund}"], "amount", 1),
                        (at["expense_total"], fund, -1), (at["closing_balance"], fund, -1)))
    return out


def _fits(key: str, part: str) -> bool:
    """Whether a row key is one of a sum's parts ("inc_*": every income row, "类": every 类)."""
    if part.endswith("*"):
        return key.startswith(part[:-1])
    return key.startswith("类") if part == "类" else key == part


def _rows(reading: Reading, halves: tuple[list[Slot], list[Slot]], half: int,
          places: dict[int, tuple[int, Line]], tpl: Template) -> tuple[list[Row] | None, str]:
    """The printed rows 1…M of the one reading, each at the line of its 行次 or label (the first
    after the row above's: they must follow each other down the text; the expense half's
    where the income half's is not in order — Writer prints 行次 15 and 18 of blank income
    rows after 59), with every line it was read from; a row blank in both halves whose
    行次 is not in order left out."""
    left, right = halves
    cells = {number: (label, ()) for number, _, label in [*left, *right]}  # a label no figure follows: blank
    cells |= {number: (label, (placed,)) for (number, _, label), placed in zip(left, reading[0]) if placed}
    cells |= {number: (label, group) for (number, _, label), group in zip(right, reading[1]) if group}
    out: list[Row] = []
    after, below = 0, -1
    for number in range(1, half + 1):
        place = next((p for p in (places.get(number), places.get(number + half))
                      if p is not None and p[0] > after and p[1].index > below), None)
        if place is None and number not in cells and number + half not in cells:
            continue  # a blank row (Chromium prints its 行次 30 after 总计's 31): nothing to put back
        if place is None:
            return None, UNFIXED
        (after, anchor), below = place, place[1].index
        row: list[str] = []
        mine = [anchor]
        for side, printed in enumerate((number, number + half)):
            label, placed = cells.get(printed, ("", ()))
            values = iter(p[2].text if p else "" for p in placed)
            mine += [p[1] for p in placed if p]
            row += [label if s.role == "label" else str(printed) if s.role == "rowno" else next(values, "")
                    for s in tpl.slots if s.half == side]
        out.append(Row(tuple(row), anchor, tuple(dict.fromkeys(mine))))
    return out, ""
