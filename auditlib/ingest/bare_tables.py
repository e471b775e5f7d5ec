"""What a budget table nothing was read from shows: printed empty, printed but not read, or not printed.

A converter's text (pdfplumber, pdftotext, -layout) prints a budget table's rows as lines of words
without tab-separated cells, which the budget parsers cannot split; its amounts may be whole 元
(`537000`, no decimal point to count them by) and a row label such as "一、财政拨款" closes the
table's region like a numbered heading.  So "no row read and no figure counted" does not show
the table was published empty, nor that only its title is printed: that reading made a table
printed with its header and a blank 合计 row `missing` (未公开, a false COMPL error), and a table
of whole 元 `empty` (its rules passed unchecked).  This module looks at every line between the
title and the next title (or part, note or sentence) instead: a number other than a year, a
栏次 or a page number there is a table printed and not read (`unread`, with its reason); none
under a printed header is a table printed empty (`empty`, as the PDF reader reads it); none and
no header is a title alone (`missing`, as before).
"""

from __future__ import annotations

import re

from auditlib.ingest.lines import SourceLine
from auditlib.ingest.regions import PART, Anchor
from auditlib.ingest.table_rows import is_seq_row
from auditlib.model import Table
from auditlib.schema import TableSpec

# words a table's header is made of (besides its own column names)
HEAD_WORDS = ("科目编码", "科目代码", "科目名称", "项目", "金额", "合计", "功能分类", "经济分类", "预算数", "收入", "支出")
# numbers that are no cell of the table: a year, a 公开NN表 label, a date
NOT_CELLS = re.compile(r"\d{4}\s*年(?:度)?|公开\s*\d+\s*表|\d{4}[-./]\d{1,2}[-./]\d{1,2}")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
PAGE_NUMBER = re.compile(r"^[-—\s]*(?:第\s*)?\d{1,3}\s*(?:页)?[-—\s]*(?:共\s*\d+\s*页)?$")
# what closes a table's lines: a note under it or a sentence of the narrative
CLOSES = re.compile(r"^(?:注\s*[:：\d]|说明\s*[:：])|。")
READ_NONE = "表下印有 {n} 个数字，一个也未能读出（表格行未能拆分为单元格）"


def span(lines: list[SourceLine], anchors: list[Anchor], anchor: Anchor) -> list[SourceLine]:
    """The lines under `anchor`'s title up to the next title, a part, a note or a sentence: all
    its table may print, past a row label that closed its region ("一、财政拨款")."""
    end = min((a.index for a in anchors if a.index > anchor.index), default=len(lines))
    out = []
    for line in lines[anchor.index + 1:end]:
        if PART.match(line.text) or CLOSES.search(line.text):
            break
        out.append(line)
    return out


def printed_numbers(lines: list[SourceLine]) -> int:
    """How many numbers other than zero, a year, a label, a 栏次 row or a page number the lines
    print: each is a code or an amount of a row."""
    count = 0
    for line in lines:
        text = NOT_CELLS.sub(" ", line.text)
        if PAGE_NUMBER.match(line.text.strip()) or is_seq_row(tuple(text.split())):
            continue
        count += sum(1 for n in NUMBER.findall(text) if n.strip("0.,"))
    return count


def has_head(lines: list[SourceLine], spec: TableSpec) -> bool:
    """Whether a line of the table's header is printed (a column name or a header word)."""
    words = (*HEAD_WORDS, *spec.column_names.values())
    return any(w in re.sub(r"\s+", "", line.text) for line in lines for w in words)


def settle_bare(table: Table, lines: list[SourceLine], spec: TableSpec) -> None:
    """Set the status of a budget table nothing was read from (`missing` or `empty` so far) from
    the `lines` under its title (`span`): `unread` with its reason when numbers are printed there,
    `empty` when only its header is, else it stays as it is."""
    n = printed_numbers(lines)
    if n:
        table.status = "unread"
        table.problems = [READ_NONE.format(n=n)]
    elif has_head(lines, spec):
        table.status = "empty"
        table.problems = []
