"""Plain `pdftotext`'s flow of a fixed-row table with 行次 (公开01表, 公开04表): its labels,
行次 and figures as streams that do not stand beside each other (auditlib/ingest/spaced.py).

Without -layout, pdftotext prints these tables a cell a line in the order of the PDF's text
blocks: "项目（按功能分类）/ 1 / 栏次 / 756.57 / 一、一般公共服务支出 / 行次 / 决算数 / 2 / 32 /
0.00 / 1,500.85 二、外交支出 / 33 …" — the income half's rows (行次 1…M) and the expense
half's (M+1…2M) mixed, a figure now before, now after the other half's, a page's totals
ahead of its other rows.  What the producers keep (Calc, Chromium) is read this way:

- the rows: the template's, in its fixed order — the income rows the table prints
  (一、… 八、) from 行次 1, the function 类 it names (一、一般公共服务支出 …) from M+1, each
  half's totals block on the lines of 本年支出合计 and after, 总计 on the last line;
- every cell of a printed row holds a figure (0.00 for nothing), a blank row none;
- each half's figures follow each other in its rows' order, an expense row's figures
  one after the other; a figure stands near its 行次 (after the 行次 three rows up, before
  the 行次 three rows down; the 行次 being, of a number printed more than once, the place
  that keeps the numbers in order: a header's 栏次 1, 2, 3 … are none).

Where a producer does not keep that order (Chromium prints 公开04表's 本年收入合计 after
总计; Calc may print 公开01表's 四、五、六 before 二、三 when these hold wider figures), no
reading holds and the table stays unread.

The figures are split between the halves in every way those allow; a reading is the
figures each row then holds.  The one reading that makes every identity of the table hold
(本年收入合计 = Σ收入, 总计 = 合计 + 结转…, 本年支出合计 = Σ类, the two 总计 equal; 公开04表's
row totals and each fund's opening + income = expenditure + closing) is taken when it is
the only one; otherwise the table is not read (`unread`, with why).  Nothing is guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from auditlib.ingest.spaced_bind import holds_all
from auditlib.ingest.spaced_identities import FUNDS, Check
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line, Token, squash
from auditlib.numbers import parse_number
from auditlib.schema import FUNCTION_CODE_BY_NAME, RowLabel, shown_label

FIGURES = ("fig", "dash")
MAX_READINGS = 4096  # distinct readings followed at most: more, and the flow says too little
NEAR = (3, 3)  # a figure stands after the 行次 this many rows up, before the one this many down
ENUMERATED = "[一二三四五六七八九十]+、"
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
Placed = tuple[int, Line, Token]  # a figure: its place in the flow, its line, itself
Slot = tuple[int, str, str]  # a row of one half: its 行次, key, label
Reading = tuple[tuple[Placed, ...], tuple[tuple[Placed, ...], ...]]  # each half's cells' figures


def fixed_rows(lines: list[Line], tpl: Template) -> tuple[list[Row] | None, str]:
    """The printed rows of 公开01/04表 printed a cell a line (`lines`: its lines as printed,
    head included, notes too), read from its streams of 行次 and figures; None and why when
    they do not give one reading."""
    places, figures, half = _flow(lines)
    layout = _layout(lines, tpl, half) if half else None
    if layout is None:
        return None, UNFIXED
    left, right = layout
    width = sum(s.role == "value" and s.half == 1 for s in tpl.slots)
    readings = _readings(figures, left, right, width, places)
    found = [r for r in readings if _holds(r, left, right, tpl)] if readings is not None else []
    if len(found) != 1:
        return None, UNFIXED
    return _rows(found[0], left, right, half, places, tpl)


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


def _layout(lines: list[Line], tpl: Template, half: int) -> tuple[list[Slot], list[Slot]] | None:
    """Each half's printed rows (行次, key, label) by the template's fixed order, from the
    labels the text prints; None when they do not fit the 行次 printed."""
    text = squash("".join(t.text for line in lines for t in line.tokens if t.kind == "text"))
    incomes, expenses = tpl.spec.halves[0][2], tpl.spec.halves[1][2]
    classes = _classes(text)
    heads = [r for r in incomes if r.key.startswith("inc_") and re.search(ENUMERATED + r.pattern, text)]
    tails = [r for r in incomes if not r.key.startswith("inc_") and _printed(r, text)]
    spent = [r for r in expenses if _printed(r, text)]
    top = half + len(classes) + 1  # the line of 本年支出合计, where both halves' totals begin
    if not classes or not heads or len(tails) < 2 or len(spent) < 2:
        return None
    left = [(n + 1, r.key, shown_label(r.pattern)) for n, r in enumerate(heads)]
    left += [(top - half + n, r.key, shown_label(r.pattern)) for n, r in enumerate(tails[:-1])]
    left.append((half, tails[-1].key, shown_label(tails[-1].pattern)))
    right = [(half + n + 1, f"类{code}", label) for n, (code, label) in enumerate(classes)]
    right += [(top + n, r.key, shown_label(r.pattern)) for n, r in enumerate(spent[:-1])]
    right.append((2 * half, spent[-1].key, shown_label(spent[-1].pattern)))
    if len(heads) >= top - half or left[-2][0] >= half or right[-2][0] >= 2 * half:
        return None
    return left, right


def _printed(row: RowLabel, text: str) -> bool:
    """Whether the text prints a totals-block row: a row repeating the income rows' names
    (公开04表's 年初结转和结余 by fund) where such a name is numbered twice."""
    if row.after:
        return len(re.findall(ENUMERATED + row.pattern, text)) >= 2
    return re.search(row.pattern, text) is not None


def _classes(text: str) -> list[tuple[str, str]]:
    """The function 类 the text names, numbered (一、一般公共服务支出), in printed order:
    (code, label); none when one is named twice."""
    names = "|".join(sorted(map(re.escape, FUNCTION_CODE_BY_NAME), key=len, reverse=True))
    found = [(FUNCTION_CODE_BY_NAME[m.group(1)], m.group(0)) for m in re.finditer(f"{ENUMERATED}({names})", text)]
    return found if len({c for c, _ in found}) == len(found) else []


def _readings(figures: list[Placed], left: list[Slot], right: list[Slot], width: int,
              places: dict[int, tuple[int, Line]]) -> list[Reading] | None:
    """Every split of the figures between the halves (each half's in its rows' order, an
    expense row's figures together, each near its 行次), one per distinct set of values;
    None when there are too many to follow."""
    if len(figures) != len(left) + width * len(right):
        return None
    bounds = _bounds(left, places), _bounds(right, places)

    def near(figure: Placed, bound: tuple[int, int]) -> bool:
        return bound[0] < figure[0] < bound[1]

    @lru_cache(maxsize=None)
    def rest(i: int, a: int, b: int) -> dict:
        """The splits of figures i… with the income half's cells a… and the expense half's b…
        left, by their values ({None: None}: too many)."""
        if i == len(figures):
            return {((), ()): ((), ())}
        out: dict = {}
        if a < len(left) and near(figures[i], bounds[0][a]):
            _extend(out, rest(i + 1, a + 1, b), figures[i:i + 1], 0)
        if b < len(right) and all(near(f, bounds[1][b]) for f in figures[i:i + width]) and len(figures) - i >= width:
            _extend(out, rest(i + width, a, b + 1), figures[i:i + width], 1)
        return out if len(out) <= MAX_READINGS and None not in out else {None: None}

    found = rest(0, 0, 0)
    return None if None in found else list(found.values())


def _extend(out: dict, tails: dict, placed: list[Placed], side: int) -> None:
    """Adds to `out` the splits `tails` with `placed` first on `side` (0 income, 1 expense),
    by values (`None` in `out`: too many to follow)."""
    if None in tails:
        out[None] = None
        return
    values = tuple(t.text for _, _, t in placed)
    for (left_values, right_values), (left_cells, right_cells) in tails.items():
        if side == 0:
            out.setdefault(((values[0], *left_values), right_values), ((placed[0], *left_cells), right_cells))
        else:
            out.setdefault((left_values, (values, *right_values)), (left_cells, (tuple(placed), *right_cells)))


def _bounds(slots: list[Slot], places: dict[int, tuple[int, Line]]) -> list[tuple[int, int]]:
    """Where each row's figures may stand in the flow: after the 行次 NEAR[0] rows up, before
    the one NEAR[1] rows down, of the same half (no bound past its ends or where not found)."""
    first, last = slots[0][0], slots[-1][0]
    out = []
    for number, _, _ in slots:
        up, down = number - NEAR[0], number + NEAR[1]
        low = places[up][0] if up >= first and up in places else 0
        high = places[down][0] if down <= last and down in places else 1 << 30
        out.append((low, high))
    return out


def _holds(reading: Reading, left: list[Slot], right: list[Slot], tpl: Template) -> bool:
    """Whether every identity of the table holds with the rows holding the reading's figures."""
    columns = tpl.spec.halves[0][1], tpl.spec.halves[1][1]
    values = [{c: _value(p) for c in columns[0]} for p in reading[0]]
    values += [{c: _value(p) for c, p in zip(columns[1], cells)} for cells in reading[1]]
    at = {key: n for n, (_, key, _) in enumerate([*left, *right])}
    checks = _checks(at, len(left), columns, tpl.spec.code)
    return checks is not None and holds_all(values, checks)


def _value(placed: Placed) -> float:
    return parse_number(placed[2].text) or 0.0


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


def _rows(reading: Reading, left: list[Slot], right: list[Slot], half: int,
          places: dict[int, tuple[int, Line]], tpl: Template) -> tuple[list[Row] | None, str]:
    """The printed rows 1…M of the one reading, each at the line of its 行次 (the first
    after the row above's: they must follow each other down the text), with every line it
    was read from."""
    cells = {number: (label, (placed,)) for (number, _, label), placed in zip(left, reading[0])}
    cells |= {number: (label, group) for (number, _, label), group in zip(right, reading[1])}
    out: list[Row] = []
    after, below = 0, -1
    for number in range(1, half + 1):
        place = places.get(number)
        if place is None or place[0] <= after or place[1].index <= below:
            return None, UNFIXED
        (after, anchor), below = place, place[1].index
        row: list[str] = []
        mine = [anchor]
        for side, printed in enumerate((number, number + half)):
            label, placed = cells.get(printed, ("", ()))
            values = iter(t.text for _, _, t in placed)
            mine += [line for _, line, _ in placed]
            row += [label if s.role == "label" else str(printed) if s.role == "rowno" else next(values, "")
                    for s in tpl.slots if s.half == side]
        out.append(Row(tuple(row), anchor, tuple(dict.fromkeys(mine))))
    return out, ""
