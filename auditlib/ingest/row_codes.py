"""A table row's code: a run of digits before its name — in one cell, in 类/款/项 cells of
their own, glued to the name, or misprinted short — and where the cells after it begin
(auditlib/ingest/table_rows.py reads the name and the figures from there)."""

from __future__ import annotations

import re
from auditlib.ingest.lines import SourceLine
from auditlib.numbers import is_number
from auditlib.schema import LEVELS

CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
CODE_AND_NAME = re.compile(r"(\d{3}(?:\d{2}){0,2})\s*(\D.*)")


def row_code(line: SourceLine, budget: bool) -> tuple[tuple[str, ...], str, int, str, str] | None:
    """The row's cells (a code glued to its name cut apart), its code ("" for none), the index
    of the first non-blank cell after the code, the code's level and a reading note ("" for
    none: a misprinted code); None for a one-cell line that starts with no code.  A budget's coded row that came out as one line of text is cut
    into its cells (`one_line_row`)."""
    cells = line.cells
    if len(cells) == 1:
        if not CODE_AND_NAME.fullmatch(cells[0]):
            return None
        cells = one_line_row(cells[0]) if budget else cells
    code, i = split_code(cells)
    m = CODE_AND_NAME.fullmatch(cells[0]) if not code and cells else None
    if m and not is_number(cells[0]):
        cells = (m.group(1), m.group(2), *cells[1:])
        code, i = m.group(1), 1
    level, note = LEVELS.get(len(code), ""), ""
    if not code:
        code, i, level, note = misprinted_code(cells)
    while i < len(cells) and cells[i] == "":
        i += 1
    return cells, code, i, level, note


def _short_part(cells: tuple[str, ...], i: int, parts: list[str]) -> bool:
    """A 款 cell printed without its leading 0 ("301 | 2 | 津贴补贴" is 30102): one digit right
    after a 类 cell and before the name (never a figure, which a name would follow)."""
    return (len(parts) == 1 and len(parts[0]) == 3 and re.fullmatch(r"\d", cells[i]) is not None
            and i + 1 < len(cells) and bool(cells[i + 1]) and not is_number(cells[i + 1]))


def split_code(cells: tuple[str, ...]) -> tuple[str, int]:
    """The function/economic code at the start of a row (joined when 类/款/项 sit
    in separate cells) and the index of the first cell after it."""
    parts: list[str] = []
    i = 0
    while i < len(cells) and (cells[i] == "" or re.fullmatch(r"\d{2,7}", cells[i]) or _short_part(cells, i, parts)):
        if cells[i]:
            parts.append(cells[i].zfill(2))
        i += 1
    code = "".join(parts)
    if parts and CODE.fullmatch(code) and (len(parts) == 1 or all(len(p) == 2 for p in parts[1:])):
        return code, i
    return "", 0


# a coded row that came out as one line of text ("30108 机关事业单位基本养老保险缴费 1,326.81": the
# first row on a page of a table continued without its header): code, name, then figures
# (amounts only: comma-grouped or with decimals, so that "1 10.00" — 110.00 broken by the text
# join — is no row of two figures but a line left unread)
ONE_LINE_ROW = re.compile(r"(\d{3}(?:\d{2}){0,2})\s*(\D(?:.*?[^\d\s])?)((?:\s+-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+))+)")


def one_line_row(text: str) -> tuple[str, ...]:
    """A one-line coded row split into its cells (code, name, figures…); the line as it is
    when it ends in no figure.  Used on budgets only so far: on a 决算 it would change the goldens
    (it reads 14 more amounts of the unruled Nanchang fixture's 公开02表) — the lead's call."""
    m = ONE_LINE_ROW.fullmatch(text.strip())
    return (m.group(1), m.group(2).strip(), *m.group(3).split()) if m else (text,)


def misprinted_code(cells: tuple[str, ...]) -> tuple[str, int, str, str]:
    """A 项 row whose 类 cell is misprinted short ("7 | 11 | 02 | 事业单位医疗", the 类 210 printed
    as 7): read with its code as printed, so that its figures are read and the rules see the
    项 outside every 类, and the reading note saying so; ("", 0, "", "") for anything else."""
    if (len(cells) > 3 and re.fullmatch(r"\d{1,2}", cells[0]) and all(re.fullmatch(r"\d{2}", c) for c in cells[1:3])
            and cells[3] and not is_number(cells[3])):
        return "".join(cells[:3]), 3, "项", f"功能分类科目编码印为“{' | '.join(cells[:3])}”，其类编码有误，按印出的编码读取"
    return "", 0, "", ""


