"""Tables of a converter's text read no further, or read empty, whatever their lines say
(auditlib/ingest/spaced.py): what would read them in part or put a row where none is.

- rows of a coded table after its note (CONTINUED): Calc's wide 公开06表 printed down, then
  across, ends its left half's last page with the note and begins the right half's under a
  bare "公开06表" too near the title above to be one (regions.find_anchors); read without
  them the table lacked every row of that page (302 商品和服务支出 … 30229), `partial`;
- a -layout table some of whose pages print a cell a line (MIXED): the lines joined from
  those cells have no places on one line, and read by places their figures were lost;
- 公开06表 printed a cell a line is read from its halves' streams only (spaced_flow_halves),
  never as the lines its cells were joined into (`from_flow_only`);
- a coded table printing no amount at all is read `empty` (`put_empty`, spaced_figureless'
  printed_empty), its header's words never a row.
"""

from __future__ import annotations

from auditlib.ingest.lines import SourceLine
from auditlib.ingest.row_codes import CODE
from auditlib.ingest.spaced_figureless import printed_empty
from auditlib.ingest.spaced_flow_halves import HALVES
from auditlib.ingest.spaced_tables import Table, head_phrases, is_head
from auditlib.ingest.spaced_template import Template
from auditlib.ingest.spaced_tokens import Line, squash
from auditlib.kinds import spec_of

# why a table with rows of it printed after its note is not read (a problem of the table)
CONTINUED = ("表的一部分印在本表注释之后（续页只印“公开NN表”而无标题），未能接续读取，所读的行不全"
             "（rows of the table printed after its note, under a bare label: not joined, the rows read are not all）")
# why a -layout table with lines joined from a cell a line is not read
MIXED = ("本表部分页面每格一行印出，无法按各词在行中的位置读取"
         "（some pages of the table print a cell a line: their words have no places on a line to read them by）")


def rows_after_note(code: str, lines: list[Line]) -> bool:
    """Whether rows of one of the ten tables stand after its note (`lines`): two lines or
    more each beginning with a code, printed a row a line (pdftotext's flow puts figures
    and codes after a note of its own accord: spaced_flow_halves.after_note)."""
    return code.startswith("T") and sum(
        bool(line.tokens) and line.tokens[0].kind == "int" and CODE.fullmatch(line.tokens[0].text) is not None
        for line in lines) >= 2


def cut_out(tables: list[Table], laid: list[bool], warnings: list[str]) -> tuple[list[Table], list[bool]]:
    """The tables to read, each with whether it is in -layout's form: those cut (CONTINUED,
    or MIXED: one of the ten in -layout with lines joined from a cell a line) left out, a
    warning saying why (the builder reports them `unread`)."""
    for table, layout in zip(tables, laid):
        if layout and table.code.startswith("T") and any(line.more for line in table.body):
            table.cut = table.cut or MIXED
    warnings += [f"公开{t.code[1:]}表 {spec_of(t.code).title}：{t.cut}，本表未读取" for t in tables if t.cut]
    return [t for t in tables if not t.cut], [layout for t, layout in zip(tables, laid) if not t.cut]


def from_flow_only(table: Table) -> None:
    """公开06表 printed a cell a line read from its halves' streams only (its rows read as lines
    dropped, whatever else is read as it was): each line its cells
    were joined into holds one half's cells (the halves of a printed row come out one after
    the other), and a coded row fits either half alike (spaced_template.meaning), so every
    row would be read as a 人员经费 one — the 公用经费 rows under 人员经费 and a total glued
    onto the row above it (Chromium's Nanchang print)."""
    if table.cells and table.code in HALVES:
        table.rows, table.unbound, table.readings, table.modes = None, None, {}, ()


def put_empty(table: Table, tpl: Template, replaced: dict[int, SourceLine], inserted: dict[int, SourceLine],
              dropped: set[int]) -> bool:
    """Whether a table is printed empty — no amount anywhere (spaced_figureless.printed_empty),
    or printed a cell a line with words of its header only —, then put back as one header row
    under its head (its body's lines dropped: words of its header, never rows) and its 合计
    row, blank, where printed."""
    total = printed_empty(table, tpl) if tpl.blank and table.head else None
    if total is None and not (table.cells and tpl.blank and table.head and all(
            is_head(line, head_phrases(tpl.spec)) for line in table.body)):
        return False
    total = total or ()
    dropped |= {i for line in (*table.body, *total) for i in (line.index, *line.more)}
    inserted[table.head[-1].index] = SourceLine(cells=tpl.header_row(), line=table.head[-1].number)
    for line in [line for line in total if line.index > table.head[-1].index][:1]:  # a row under the header
        cells = tuple(squash(line.text) if s.role == "label" else "" for s in tpl.slots)
        replaced[line.index] = SourceLine(cells=cells, line=line.number)
    return True
