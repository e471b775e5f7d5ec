"""Plain `pdftotext`'s flow of a table printed without a figure — a blank template, its rows
printed with their codes and names only (auditlib/ingest/spaced.py).

Printed a cell a line, such a table has no figure to join its cells into rows by
(spaced_cells): which name stands beside which code is not told.  Its streams still say
which rows it prints, and a table without figures is its rows: the builder reads it
`empty` with them, as the PDF reader does.  They are read where the flow says them one way
only:

- a coded table: its codes, each printed whole (3, 5 or 7 digits alone on a line: a code
  wrapped or cut may have lost its tail) and once, in code order, with the 类 and 款 above
  each (a code missing from the stream would leave a child without them); its 合计 row
  when the flow prints one 合计 more than the header has columns so named (the header's
  printed first, the row's last), right before the first code or after the last;
- 公开06表: each half's economic codes so printed, and both totals (spaced_flow_halves);
- 公开01/04表: the rows of the template whose labels the text prints (spaced_fixed_flow's
  layout), each found down the flow in the template's order, no other line but the
  header's words and the heading fields; side by side as printed.

Anything else (codes out of order, a code cut, two 合计 more than the header's, a label out
of order or unknown, an amount printed after all: a figure below the note, a whole number
too short for a code) leaves the table unread, as before.  A coded row's name is the one the
classification, a table read whole or a figureless table printing its codes beside their
names row by row gives the code, where this table prints it; else it is read without it.
"""

from __future__ import annotations


from auditlib.ingest.spaced_fixed_flow import FIXED
from auditlib.ingest.spaced_fixed_labels import found_labels, label_half, label_patterns, layout
from auditlib.ingest.spaced_flow import FIGURES
from auditlib.ingest.spaced_flow_halves import HALVES, blank_halves_rows
from auditlib.ingest.spaced_pages import with_parents
from auditlib.ingest.spaced_tables import Table, head_phrases, is_head, is_meta
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line, squash, words
from auditlib.ingest.row_codes import CODE
from auditlib.ingest.table_rows import TOTAL
from auditlib.schema import FUNCTION_CLASSES


def figureless_rows(table: Table, tpl: Template, names: dict[str, str]) -> list[Row] | None:
    """The rows a table printed a cell a line without a figure prints, each blank, when its
    flow says them one way only; else None (`names`: a code's name as the classification
    or other tables print it) — None too when its flow prints an amount after all
    (`_amounts`): the table is then no empty one."""
    if _amounts(table):
        return None
    if tpl.spec.code in HALVES:
        return blank_halves_rows(table.flow, tpl)
    if tpl.spec.kind == "hierarchy":
        return _coded_rows(table.flow, tpl, names)
    if tpl.spec.code in FIXED:
        return _fixed_rows(table.flow, tpl)
    return None


def printed_empty(table: Table, tpl: Template) -> tuple[Line, ...] | None:
    """A coded table printed without an amount at all, whichever rows its cells make: no
    figure, no dash (a "-" may stand for an amount), no code (no row but its 合计 then), and no
    whole number but the 栏次 numbers (1, 2, 3 …, each once, at least one per value column) —
    outside its heading fields.  Then it is read `empty` (the PDF reader's status for it),
    with its 合计 row when a line prints "栏次合计" (the row's label cell, the 栏次 row's merged
    into it: no column head reads so); a 合计 alone may be a column's head, no row.  The lines
    of that 合计 row (none without one); None for any other table."""
    lines = [line for line in (table.flow if table.cells else (*table.head, *table.body)) if not is_meta(line)]
    if tpl.spec.kind != "hierarchy" or any(t.kind in (*FIGURES, "dash") for line in lines for t in line.tokens):
        return None
    numbers = sorted(int(t.text) for line in lines for t in line.tokens if t.kind == "int")
    columns = sum(s.role == "value" for s in tpl.slots)
    if numbers and (numbers != list(range(1, len(numbers) + 1)) or len(numbers) < columns):
        return None
    return tuple(line for line in lines if squash(line.text) == "栏次合计")


def _amounts(table: Table) -> bool:
    """Whether a table whose body's words hold no figure prints an amount after all: a
    figure below the note (where pdftotext puts a table's last one), or a whole number of
    one or two digits — too short for a code, an amount printed without decimals ("12") —
    outside its header and heading fields."""
    head = {i for line in table.head for i in (line.index, *line.more)}
    return any(t.kind in FIGURES or t.kind == "int" and len(t.text) < 3 and line.index not in head and not is_meta(line)
               for line in table.flow for t in line.tokens)


def printed_names(tables: list[Table]) -> dict[str, str]:
    """The names tables printed a cell a line print beside their codes, in a table whose every
    code but a 类 (the classification names those) is joined with exactly one name — the
    flow printed it row by row, a code's cell and its name's ("20502 普通教育") — and no
    other table prints another name for that code."""
    seen: dict[str, set[str]] = {}
    for table in tables:
        pairs: dict[str, str] = {}
        codes: set[str] = set()
        for line in (*table.head, *table.body):
            toks = line.tokens
            codes |= {t.text for t in toks if t.kind == "int" and len(t.text) >= 3}
            if len(toks) == 2 and toks[0].kind == "int" and CODE.fullmatch(toks[0].text) and toks[1].kind == "text":
                pairs[toks[0].text] = squash(toks[1].text)
        if codes - FUNCTION_CLASSES.keys() <= pairs.keys():
            for code, name in pairs.items():
                seen.setdefault(code, set()).add(name)
    return {code: next(iter(found)) for code, found in seen.items() if len(found) == 1}


def _coded_rows(lines: list[Line], tpl: Template, names: dict[str, str]) -> list[Row] | None:
    """A coded table's blank rows: its 合计 (when printed) and its codes, at their lines."""
    codes = _whole_codes(lines)
    listed = [code for code, _ in codes]
    if not codes or listed != sorted(set(listed)) or with_parents(listed) != listed:
        return None
    totals = [line for line in lines if TOTAL.fullmatch(squash(line.text))]
    named = sum(TOTAL.fullmatch(squash(s.name)) is not None for s in tpl.slots if s.role == "value")
    if len(totals) - named not in (0, 1) or len(totals) > named and not _beside(totals[-1], codes, lines):
        return None
    keyed = [*codes, *([("", totals[-1])] if len(totals) > named else [])]
    text = words(lines)
    out = []
    for key, line in sorted(keyed, key=lambda pair: pair[1].index):
        name = "合计" if not key else names.get(key, "")
        label = name if name and squash(name) in text else ""
        cells = tuple(key if s.role == "code" else label if s.role == "label" else "" for s in tpl.slots)
        out.append(Row(cells, line, (line,)))
    return out


def _beside(total: Line, codes: list[tuple[str, Line]], lines: list[Line]) -> bool:
    """Whether a 合计 stands where a 合计 row does, beside the rows: after the last code, or
    right before the first (a header's 合计 — 本年支出's over 基本支出 and 项目支出 — stands
    among the header's other words)."""
    after = [line for line in lines if line.tokens and line.index > total.index]
    return total.index > codes[-1][1].index or bool(after) and after[0] is codes[0][1]


def _whole_codes(lines: list[Line]) -> list[tuple[str, Line]]:
    """The codes the flow prints, each with its line, when every number of three digits or
    more is a code alone on its line; none else (a code wrapped over two lines, cut by a
    page, or printed beside its name is not read without figures)."""
    out = []
    for line in lines:
        for token in line.tokens:
            if token.kind == "int" and len(token.text) >= 3:
                if len(line.tokens) > 1 or not CODE.fullmatch(token.text):
                    return []
                out.append((token.text, line))
    return out


def _fixed_rows(lines: list[Line], tpl: Template) -> list[Row] | None:
    """公开01/04表's blank rows side by side as the template prints them (spaced_fixed_flow's
    layout, numbered as without 行次): each half's labels found down the flow in the
    template's order (spaced_fixed_labels), every other line of it a header's or a heading
    field's; each printed row at the first line of its labels (they must follow each other
    down the text)."""
    half = label_half(lines, tpl)
    halves = layout(lines, tpl, half) if half else None
    found = found_labels(lines, halves, label_patterns(tpl)) if halves else {}
    if not halves or len(found) != len(halves[0]) + len(halves[1]):
        return None
    used = {i for label in found.values() for i in label.lines}
    phrases = head_phrases(tpl.spec)
    if any(i not in used and line.tokens and not is_meta(line) and not is_head(line, phrases)
           for i, line in enumerate(lines)):
        return None
    out: list[Row] = []
    for number in range(1, half + 1):
        mine = {side: found[n] for side, n in enumerate((number, number + half)) if n in found}
        spans = sorted({i for label in mine.values() for i in label.lines})
        if not spans:
            continue
        if out and lines[spans[0]].index <= out[-1].line.index:
            return None
        cells = tuple(mine[s.half].text if s.role == "label" and s.half in mine else "" for s in tpl.slots)
        out.append(Row(cells, lines[spans[0]], tuple(lines[i] for i in spans)))
    return out
