"""A 编制单位 wrapped inside its cell, as a converter's text leaves it.

A table's head prints the department in a narrow cell beside 年度 and 公开NN表; a long name
wraps ("编制单位：南浦市文" / "化广电旅游局").  A PDF reader sees where each piece stands
(pdf_text); a converter's text does not: pdfplumber puts the pieces on the lines of the cells
beside them ("编制单位：南 2021 公开06表" / "浦市文化广电 年度" / "旅游局"), Chromium's
pdftotext wraps 年度 too ("2021年" / "市文化广电旅游 公开06表" / "度" / "局").  Which pieces
are the name cannot be told from the text alone, so the reader keeps the first line's part
as the name and the words of the next lines as the pieces it may continue with; once the
report's department is known (its cover), a name that is the start of it is completed when
the pieces spell the rest in order.  A name left a start of the department is not another
department's: the rule then has nothing certain to report (rules/consistency.department).
"""

from __future__ import annotations

import re

from auditlib.model import ReadingNote, Table
from auditlib.schema import department_key

# the lines after the 编制单位 line that may hold the rest of its cell
WINDOW = 6
# a word that may be a piece of a name: CJK characters and brackets only (no figure, no colon)
PIECE = re.compile(r"[\u4e00-\u9fff（）()]+")


def pieces(lines: list[str]) -> tuple[str, ...]:
    """The words of `lines` (the lines after the 编制单位 line) a wrapped name may continue
    with, in printed order."""
    words = (w for line in lines[:WINDOW] for w in line.split())
    return tuple(w for w in words if PIECE.fullmatch(w))


def complete(tables: dict[str, Table], department: str | None) -> None:
    """Complete each table's 编制单位 that is the start of the report's `department` from
    its pieces when they spell the rest in order; note the ones left in part."""
    own = department_key(department)
    for table in tables.values():
        name = department_key(table.department)
        if not own or not name or name == own or not own.startswith(name):
            continue
        if _spells(own[len(name):], table.department_pieces):
            table.department = department
        else:
            table.reading_notes.append(ReadingNote(
                table.code, table.page, table.line,
                f"编制单位折行，只读出“{table.department}”（其余文字未能确定），未与本部门名称比对"))


def _spells(rest: str, words: tuple[str, ...]) -> bool:
    """Whether some of `words`, in order, make up `rest` exactly (the others are the
    neighbouring cells' text)."""
    for word in words:
        key = department_key(word)
        if key and rest.startswith(key):
            rest = rest[len(key):]
    return not rest
