"""公开01表 printed a cell a line without 行次 (WPS prints no 行次 column): where each row's
label stands in plain `pdftotext`'s flow stands in for its 行次 (spaced_fixed_flow.py).

WPS writes each cell as a text block of its own: a row's label, then its figure, a blank
cell as nothing at all — "八、社会保障和就业支出" / "10.82" / "九、卫生健康支出" / "2.71" /
"十、节能环保支出" / "十一、城乡社区支出" / … / "十九、住房保障支出" / "29.42".  So the rows are
the template's, named by the labels the text prints, and a figure stands after its own
row's label and before the label three rows down (NEAR_LABELS); a row whose label no
figure follows is blank.  Which figures are whose is then what the table's identities and
the other tables' figures leave (spaced_fixed_flow._readings, blank rows allowed): one
placing is read, several leave the table unread.  The totals block WPS may print out of
step ("使用非财政拨款结余" / "年初结转和结余" / "9759.38", 本年支出合计's figure) is such a case
unless the other tables settle it.
"""

from __future__ import annotations

import re

from auditlib.ingest.spaced_tokens import Line, squash

NEAR_LABELS = (0, 1)  # a figure stands after its own row's label, before the next row's
Slot = tuple[int, str, str]  # a row of one half: its number, key, label
Place = tuple[int, Line]  # where a token stands in the flow (as spaced_fixed_flow._flow counts) and its line


def label_places(lines: list[Line], halves: tuple[list[Slot], list[Slot]], patterns: dict[str, str]) -> dict[int, Place]:
    """Where each row's label begins in the flow, by row number: each half's labels found
    in its order, each after the one before it (`patterns`: a row key's label pattern; a
    类 row's printed label else); a label not found has no place (its figures no bound)."""
    text, owners = "", []
    at = 0
    for line in lines:
        for token in line.tokens:
            at += 1
            if token.kind == "text":
                piece = squash(token.text)
                text += piece
                owners += [(at, line)] * len(piece)
    out: dict[int, Place] = {}
    for slots in halves:
        start = 0
        for number, key, label in slots:
            pattern = re.sub(r"(?<!\\)([*+])(?!\?)", r"\1?", patterns.get(key) or re.escape(squash(label)))
            found = re.compile(pattern).search(text, start)  # lazily: a label's ".*" runs into the next ones
            if found is not None:
                out[number], start = owners[found.start()], found.end()
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
