"""Which rows plain `pdftotext`'s flow of 公开01/04表 prints, from its labels
(auditlib/ingest/spaced_fixed_flow.py reads their figures back on them).

The rows are the template's, in its fixed order: the income rows the table prints
(一、… 八、) from 行次 1, the function 类 it names (一、一般公共服务支出 …) in code order from
M+1, each half's totals block on the lines of 本年支出合计 and after, 总计 on the last line.
A label is looked for in the words of the flow run together, as the cells wrap it.  Writer
wraps a label over lines and pdftotext may print its last line apart, with the next page's
header ("本年收入合" … "计", "二十五、债" … "务付息支出"): a totals row is then found by
what is left of it where more is left than cut off, a 类 by its number followed by the one
name not found that what follows and a line printed alone make up — taken only where the
numbers then run 一、二、三 … down the 类 in code order.

Where a label stands in the flow says which figures may be its row's when no 行次 is printed
(WPS writes each cell as a text block of its own: a row's label, then its figure, a blank
cell as nothing at all — "八、社会保障和就业支出" / "10.82" / "九、卫生健康支出" / "2.71" / "十、节能环保支出"
/ … / "十九、住房保障支出" / "29.42"): a figure stands after its own row's label and before the
next label printed, of either half (`label_bounds`), and a row whose label no figure follows
is blank (spaced_fixed_flow reads the figures so).  WPS's 公开04表 keeps no order among its
labels either (八、社会保障和就业支出 ahead of 一、一般公共服务支出): a label is then also found
before the one above it, and the rows stand at the labels' places in turn (`in_turn`).  A
blank template's rows are those whose labels it prints (spaced_figureless).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from auditlib.ingest.prose import cn_number
from auditlib.ingest.spaced_template import Template
from auditlib.ingest.spaced_tokens import Line, squash, words
from auditlib.schema import FUNCTION_CODE_BY_NAME, RowLabel, shown_label

ENUMERATED = "[一二三四五六七八九十]+、"
HAN = re.compile("[\u4e00-\u9fff]+")  # a word of Chinese characters alone
Slot = tuple[int, str, str]  # a row of one half: its 行次, key, label
Bound = Callable[[int], bool]  # whether a figure at this place in the flow may be a row's


@dataclass(frozen=True)
class Found:
    """A row's label found in the flow."""

    place: int  # where its first character's token stands (as spaced_fixed_flow._flow counts)
    line: Line  # the line it begins on
    text: str  # the label as printed
    lines: tuple[int, ...]  # the flow's lines it spans, by position in the flow


def layout(lines: list[Line], tpl: Template, half: int) -> tuple[list[Slot], list[Slot]] | None:
    """Each half's printed rows (行次, key, label) by the template's fixed order, from the
    labels the text prints; None when they do not fit the 行次 printed."""
    text, alone = words(lines), _alone(lines)
    incomes, expenses = tpl.spec.halves[0][2], tpl.spec.halves[1][2]
    classes = _classes(text, alone)
    heads = [r for r in incomes if r.key.startswith("inc_") and re.search(ENUMERATED + r.pattern, text)]
    tails = [r for r in incomes if not r.key.startswith("inc_") and _printed(r, text, alone)]
    spent = [r for r in expenses if _printed(r, text, alone)]
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


def label_half(lines: list[Line], tpl: Template) -> int:
    """The rows of one half of a table printed without 行次: the 类 it names, then the
    longer of its two totals blocks (`layout` then numbers them as it would by 行次)."""
    text, alone = words(lines), _alone(lines)
    incomes, expenses = tpl.spec.halves[0][2], tpl.spec.halves[1][2]
    tails = sum(not r.key.startswith("inc_") and _printed(r, text, alone) for r in incomes)
    return len(_classes(text, alone)) + max(tails, sum(_printed(r, text, alone) for r in expenses))


def label_patterns(tpl: Template) -> dict[str, str]:
    """Each row key's label as the flow prints it: the income rows, and the totals-block rows
    repeating their names (公开04表's 年初结转和结余 by fund), numbered (一、…); a label's open
    end cut (it is found as printed, not run on into the next ones)."""
    return {r.key: (ENUMERATED if r.key.startswith("inc_") or r.after else "") + r.pattern.replace(".*", "")
            for _, _, rows in tpl.spec.halves for r in rows}


def found_labels(lines: list[Line], halves: tuple[list[Slot], list[Slot]], patterns: dict[str, str],
                 ordered: bool = True) -> dict[int, Found]:
    """Each row's label found in the flow's words run together, by row number: each half's
    labels in its order, each after the one before it — or, not `ordered`, one not found
    so anywhere before (WPS prints 公开04表's 八、九 ahead of 一) — (`patterns`: a row key's
    label pattern; a 类 row's printed label else); a label not found is left out."""
    text, owners = "", []
    at = 0
    for n, line in enumerate(lines):
        for token in line.tokens:
            at += 1
            if token.kind == "text":
                piece = squash(token.text)
                text += piece
                owners += [(at, n)] * len(piece)
    out: dict[int, Found] = {}
    for slots in halves:
        start = 0
        for number, key, label in slots:
            pattern = re.compile(patterns.get(key) or re.escape(squash(label)))
            found = pattern.search(text, start) or (None if ordered else pattern.search(text[:start]))
            if found is not None and found.end() > found.start():
                spans = tuple(dict.fromkeys(n for _, n in owners[found.start():found.end()]))
                place, first = owners[found.start()]
                out[number], start = Found(place, lines[first], found.group(), spans), max(start, found.end())
    return out


def in_turn(places: dict[int, tuple[int, Line]], half: int) -> dict[int, tuple[int, Line]]:
    """Each printed row's place (`places`: each row's label's, by number; row n of the
    income half beside n + `half` of the expense half) where the rows' labels stand in no
    order (公开04表 by WPS): the rows' first labels' places given to the rows in turn, so that
    each row stands at a label's line and the rows follow each other down the text."""
    rows = sorted({n if n <= half else n - half for n in places})
    firsts = sorted(min(p for p in (places.get(r), places.get(r + half)) if p is not None) for r in rows)
    at = dict(zip(rows, firsts))
    return {n: at[n if n <= half else n - half] for n in places}


def label_bounds(slots: list[Slot], places: dict[int, tuple[int, Line]],
                 free: frozenset[int] = frozenset()) -> list[Bound]:
    """Where each row's figure may stand in a flow without 行次 (a test of a figure's place):
    after its own label and before the next label printed, of either half — WPS writes a
    row's cells left to right and its rows down, so a figure is the cell of the label
    right before it (one after 八、其他收入 is no 七、文化旅游体育与传媒支出's, one after
    八、社会保障和就业支出 no 八、其他收入's) — or anywhere after every label (below the
    note: 本年支出合计's figure).  `places`: every row's label's (each is found); the rows
    `free` (by number) anywhere (spaced_joint lists 公开01表's readings so where WPS prints
    its totals block out of order)."""
    marks = sorted({place for place, _ in places.values()})
    out: list[Bound] = []
    for number, _, _ in slots:
        if number in free:
            out.append(lambda at: True)
            continue
        low = places[number][0]
        high = next((m for m in marks if m > low), 1 << 30)
        out.append(lambda at, low=low, high=high: low < at and (at < high or at > marks[-1]))
    return out


def _printed(row: RowLabel, text: str, alone: set[str]) -> bool:
    """Whether the text prints a totals-block row (its last line maybe printed apart:
    `_cut`): a row repeating the income rows' names (公开04表's 年初结转和结余 by fund)
    where such a name is numbered twice."""
    if row.after:
        return len(re.findall(ENUMERATED + row.pattern, text)) >= 2
    return re.search(_cut(row.pattern, alone), text) is not None


def _alone(lines: list[Line]) -> set[str]:
    """The words printed as a line of their own (a wrapped label's last line: "出", "计",
    "急管理支出")."""
    return {line.tokens[0].text for line in lines if len(line.tokens) == 1 and HAN.fullmatch(line.tokens[0].text)}


def _cut(pattern: str, alone: set[str]) -> str:
    """A totals row's pattern whose last line may be missing where it is printed alone
    somewhere (`alone`): Writer wraps "本年收入合计" as "本年收入合" / "计", and pdftotext
    may print that last line with the next page's header — where more of it is left than
    cut off."""
    cuts = [word for word in alone if pattern.endswith(word) and len(shown_label(pattern)) > 2 * len(word)]
    if not cuts:
        return pattern
    cut = max(cuts, key=len)
    return f"{pattern[:-len(cut)]}(?:{cut})?"


def _classes(text: str, alone: set[str]) -> list[tuple[str, str]]:
    """The function 类 the text names, numbered (一、一般公共服务支出), in the table's order,
    the codes' (Calc may print a label after the next page's: 四、公共安全支出 after 十五、):
    (code, label); none when one is named twice.  Where a number names no 类, the one 类
    whose name is what follows it and a line printed alone elsewhere (`_joined`) is named."""
    names = "|".join(sorted(map(re.escape, FUNCTION_CODE_BY_NAME), key=len, reverse=True))
    found = [(m.group(2), m.group(1)) for m in re.finditer(f"({ENUMERATED})({names})", text)]
    found += _joined(text, alone, found)
    out = sorted((FUNCTION_CODE_BY_NAME[name], number + name) for name, number in found)
    return out if len({c for c, _ in out}) == len(out) else []


def _joined(text: str, alone: set[str], found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The 类 named in two pieces, (name, number): Writer wraps "二十五、债务付息支出" as
    "二十五、债" / "务付息支出", and pdftotext may print the last line with the next page's
    header.  A number that names no 类 (of `found`: name, number) names the one 类 not found
    whose name is what follows it and a line printed alone (`alone`); taken when then the
    numbers run 一、二、三 … down the 类 in code order, and no 类 is named so twice."""
    numbers, named = {number for _, number in found}, {name for name, _ in found}
    out: list[tuple[str, str]] = []
    for m in re.finditer(f"({ENUMERATED})", text):
        if m.group(1) in numbers:
            continue
        after = text[m.end():]
        fits = [name for name in FUNCTION_CODE_BY_NAME if name not in named and any(
            after.startswith(name[:k]) and name[k:] in alone for k in range(1, len(name)))]
        if len(fits) == 1:
            out.append((fits[0], m.group(1)))
    order = [cn_number(number[:-1]) for _, number in sorted((FUNCTION_CODE_BY_NAME[name], number)
                                                            for name, number in [*found, *out])]
    if not out or order != list(range(1, len(order) + 1)) or len({name for name, _ in out}) < len(out):
        return []
    return out
