"""公开01表 printed a cell a line without 行次 (WPS prints no 行次 column): where each row's
label stands in plain `pdftotext`'s flow stands in for its 行次 (spaced_fixed_flow.py).

WPS writes each cell as a text block of its own: a row's label, then its figure, a blank
cell as nothing at all — "八、社会保障和就业支出" / "10.82" / "九、卫生健康支出" / "2.71" /
"十、节能环保支出" / "十一、城乡社区支出" / … / "十九、住房保障支出" / "29.42".  So the rows are
the template's, named by the labels the text prints, and a figure stands after its own
row's label and before the next label printed, of either half (`label_bounds`); a row
whose label no figure follows is blank.  Which figures are whose is then what the table's
identities and the other tables' figures leave (spaced_fixed_flow._readings, blank rows
allowed): one placing is read, several leave the table unread.  The totals block WPS may print out of
step ("使用非财政拨款结余" / "年初结转和结余" / "9759.38", 本年支出合计's figure) is such a case
unless the other tables settle it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from auditlib.ingest.spaced_template import Template
from auditlib.ingest.spaced_tokens import Line, squash

ENUMERATED = "[一二三四五六七八九十]+、"  # the numbering of 公开01/04表's income rows (一、一般公共预算…)
Slot = tuple[int, str, str]  # a row of one half: its number, key, label
Bound = Callable[[int], bool]  # whether a figure at this place in the flow may be a row's
Place = tuple[int, Line]  # where a token stands in the flow (as spaced_fixed_flow._flow counts) and its line


@dataclass(frozen=True)
class Found:
    """A row's label found in the flow."""

    place: int  # where its first character's token stands (as spaced_fixed_flow._flow counts)
    line: Line  # the line it begins on
    text: str  # the label as printed
    lines: tuple[int, ...]  # the flow's lines it spans, by position in the flow


def label_patterns(tpl: Template) -> dict[str, str]:
    """Each row key's label as the flow prints it: the income rows, and the totals-block rows
    repeating their names (公开04表's 年初结转和结余 by fund), numbered (一、…); a label's open
    end cut (it is found as printed, not run on into the next ones)."""
    return {r.key: (ENUMERATED if r.key.startswith("inc_") or r.after else "") + r.pattern.replace(".*", "")
            for _, _, rows in tpl.spec.halves for r in rows}


def found_labels(lines: list[Line], halves: tuple[list[Slot], list[Slot]], patterns: dict[str, str]) -> dict[int, Found]:
    """Each row's label found in the flow's words run together, by row number: each half's
    labels in its order, each after the one before it (`patterns`: a row key's label
    pattern; a 类 row's printed label else); a label not found is left out."""
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
            found = re.compile(patterns.get(key) or re.escape(squash(label))).search(text, start)
            if found is not None and found.end() > found.start():
                spans = tuple(dict.fromkeys(n for _, n in owners[found.start():found.end()]))
                place, first = owners[found.start()]
                out[number], start = Found(place, lines[first], found.group(), spans), found.end()
    return out


def row_anchors(places: dict[int, Place], half: int) -> dict[int, Place]:
    """Each printed row's place: the first of its two halves' labels (row n holds the
    income half's row n and the expense half's n + `half`)."""
    out: dict[int, Place] = {}
    for number in range(1, half + 1):
        found = [places[n] for n in (number, number + half) if n in places]
        if found:
            out[number] = min(found, key=lambda place: place[0])
    return out


def label_bounds(slots: list[Slot], places: dict[int, Place]) -> list[Bound]:
    """Where each row's figure may stand in a flow without 行次 (a test of a figure's place):
    after its own label and before the next label printed, of either half — WPS writes a
    row's cells left to right and its rows down, so a figure is the cell of the label
    right before it (one after 八、其他收入 is no 七、文化旅游体育与传媒支出's, one after
    八、社会保障和就业支出 no 八、其他收入's) — or anywhere after every label (below the
    note: 本年支出合计's figure).  `places`: every row's label's (each is found)."""
    marks = sorted({place for place, _ in places.values()})
    out: list[Bound] = []
    for number, _, _ in slots:
        low = places[number][0]
        high = next((m for m in marks if m > low), 1 << 30)
        out.append(lambda at, low=low, high=high: low < at and (at < high or at > marks[-1]))
    return out
