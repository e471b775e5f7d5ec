"""Tables printed in whole 元 (auditlib/ingest/spaced.py): their amounts have no decimal point
("2,932,700", "0"), so the words of a line (`spaced_tokens`) take them for whole numbers —
codes, 行次, counts — and no row of such a table is read.

A whole number is an amount only where the table itself says so, never for a whole document
(a budget in 万元 prints 25 beside 47.91), and in a budget's tables only (a 决算's are read as
before: none in whole 元 has been seen to test it on): the table's
heading fields state 单位：元, no figure with decimals stands in it, and some amount is printed
with thousands groups ("2,932,700": no code, 行次 or count is printed so).  In such a table a
line's whole numbers after one of its words or amounts are amounts ("201 05 07 专项普查活动
257,700 257,700 0 0 0": the codes before the name stay codes); those before any word or
grouped amount stay whole numbers (codes, 栏次)."""

from __future__ import annotations

import re
from dataclasses import replace

from auditlib.ingest.spaced_tokens import Line, Token
from auditlib.ingest.tables import UNIT

GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
# an amount glued to the label after it: not a 1. or 1、 of an enumerated label, nor a unit or year
GLUED = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?=[^\d,.．、:：%年月日万元个])")


def in_whole_yuan(code: str, lines: list[Line]) -> bool:
    """Whether the lines under a budget table's title (`code` B…) are a table in whole 元: its
    unit 元 stated, no figure with decimals, and an amount printed with thousands groups."""
    if not code.startswith("B"):
        return False
    units = {m.group(1) for line in lines for m in [UNIT.search(line.text)] if m}
    tokens = [t for line in lines for t in line.tokens]
    return units == {"元"} and not any(t.kind == "fig" for t in tokens) \
        and any(GROUPED.fullmatch(t.text) for t in tokens)


def as_amounts(line: Line) -> Line:
    """`line` with the whole numbers that are amounts of a table in whole 元 made figures: a
    grouped one anywhere, a bare one after a word or an amount of the line — also one glued to
    the label after it ("29,737,000一、社会保障和就业支出", "0三、住房保障支出": pdfplumber runs a
    side-by-side table's halves together), which is cut from it."""
    out: list[Token] = []
    after = False  # a word or an amount stands before
    for token in line.tokens:
        glued = GLUED.match(token.text) if after and token.kind == "text" else None
        if glued:
            mid = token.start + len(glued.group(1)) if token.start >= 0 else -1
            out.append(Token(glued.group(1), "fig", token.start, mid))
            token = Token(token.text[glued.end(1):], "text", mid, token.end)
        elif GROUPED.fullmatch(token.text) or (after and token.kind == "int"):
            token = replace(token, kind="fig")
        after = True if token.kind in ("text", "fig") else after
        out.append(token)
    return replace(line, tokens=tuple(out))
