"""Where a producer prints a figure of 公开01/04表 away from its row's 行次 in plain
`pdftotext`'s flow: the flows with such figures put back by its row, each a hypothesis
spaced_fixed_flow tries only when the figures as printed give no reading (and which holds
every reading of the narrower ones).

- Chromium prints 公开04表's 本年收入合计 figure after the whole table (`late_flows`);
- Calc prints 公开01表's 二、三's wider figures with the expense half's block, on one line
  before an expense row's label ("33.53 二、外交支出": `beside_flows`).
"""

from __future__ import annotations

import re

from auditlib.ingest.spaced_fixed_labels import ENUMERATED, Slot
from auditlib.ingest.spaced_tokens import Line, Token, squash

Placed = tuple[int, Line, Token]  # a figure: its place in the flow, its line, itself


def late_flows(figures: list[Placed], halves: tuple[list[Slot], list[Slot]], places: dict[int, tuple[int, Line]],
          width: int) -> list[list[Placed]]:
    """The flows with one figure printed after every 行次 put where a one-figure row's
    行次 stands (the income half's rows; the expense half's too when one figure each),
    one flow for each such figure and row."""
    last = max((place for place, _ in places.values()), default=0)
    rows = [n for n, _, _ in halves[0]] + ([n for n, _, _ in halves[1]] if width == 1 else [])
    out = []
    for late in (f for f in figures if f[0] > last):
        rest = [f for f in figures if f is not late]
        for n in (n for n in rows if n in places):
            out.append(sorted([*rest, (places[n][0], late[1], late[2])], key=lambda f: f[0]))
    return out


def beside_flows(figures: list[Placed], halves: tuple[list[Slot], list[Slot]],
            rows: tuple[dict[int, tuple[int, Line]], int]) -> list[list[Placed]]:
    """The flow with each figure printed on one line before the label of an expense row
    ("33.53 二、外交支出") put at the 行次 of the income row printed beside that row: words
    stand on one line where they share the printed row, and a figure left of the expense
    half's label is the income half's (Calc prints 公开01表's 二、三's wider figures with
    the expense half's block, after 四、五、六's); none when no figure is printed so.  The
    label is told by the start of its first line, unnumbered, the start of one row's label
    only (总计 is both halves', 一、一般公 both 一般公共预算财政拨款's and 一般公共服务支出's)."""
    (left, right), (places, half) = halves, rows
    incomes = {n for n, _, _ in left}
    moved = {}
    for figure in figures:
        line, token = figure[1], figure[2]
        after = line.tokens[next(k for k, t in enumerate(line.tokens) if t is token) + 1:][:1]
        word = _unnumbered(after[0].text) if after and after[0].kind == "text" else ""
        named = [n for n, _, label in (*left, *right) if len(word) >= 2 and _unnumbered(label).startswith(word)]
        row = named[0] - half if len(named) == 1 and named[0] > half else None
        if row in incomes and row in places:
            moved[id(figure)] = (places[row][0], line, token)
    if not moved:
        return []
    return [sorted((moved.get(id(f), f) for f in figures), key=lambda f: f[0])]


def _unnumbered(label: str) -> str:
    """A label squashed, without its number (一、)."""
    return re.sub(f"^{ENUMERATED}", "", squash(label))
