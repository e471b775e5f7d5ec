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
of order or unknown) leaves the table unread, as before.  A coded row's name is the one the
classification, a table read whole or a figureless table printing its codes beside their
names row by row gives the code, where this table prints it; else it is read without it.
"""

from __future__ import annotations

import re

from auditlib.ingest.spaced_fixed_flow import ENUMERATED, FIXED, named_classes, printed_row
from auditlib.ingest.spaced_flow_halves import HALVES, blank_halves_rows
from auditlib.ingest.spaced_pages import with_parents
from auditlib.ingest.spaced_tables import Table, head_phrases, is_head, is_meta
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line, squash, words
from auditlib.ingest.table_rows import CODE, TOTAL
from auditlib.schema import FUNCTION_CLASSES, RowLabel

Slot = tuple[int, str]  # a row of one half: its place among the printed rows, the pattern of its label


def figureless_rows(table: Table, tpl: Template, names: dict[str, str]) -> list[Row] | None:
    """The rows a table printed a cell a line without a figure prints, each blank, when its
    flow says them one way only; else None (`names`: a code's name as the classification
    or other tables print it)."""
    if tpl.spec.code in HALVES:
        return blank_halves_rows(table.flow, tpl)
    if tpl.spec.kind == "hierarchy":
        return _coded_rows(table.flow, tpl, names)
    if tpl.spec.code in FIXED:
        return _fixed_rows(table.flow, tpl)
    return None


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
    """公开01/04表's blank rows side by side as the template prints them: each half's labels
    found down the flow in the template's order, every other line of it a header's or a
    heading field's; each printed row at the first line of its labels (they must follow
    each other down the text)."""
    layout = _fixed_layout(words(lines), tpl)
    found = [_found(lines, half) for half in layout] if layout else []
    if not found or None in found:
        return None
    used = {i for half in found for _, _, spans in half for i in spans}
    phrases = head_phrases(tpl.spec)
    if any(i not in used and line.tokens and not is_meta(line) and not is_head(line, phrases)
           for i, line in enumerate(lines)):
        return None
    labels = [{number: (text, spans) for number, text, spans in half} for half in found]
    out: list[Row] = []
    for number in sorted({n for half in labels for n in half}):
        mine = sorted({i for half in labels for i in half.get(number, ("", set()))[1]})
        if out and lines[mine[0]].index <= out[-1].line.index:
            return None
        cells = tuple(labels[s.half].get(number, ("", set()))[0] if s.role == "label" else "" for s in tpl.slots)
        out.append(Row(cells, lines[mine[0]], tuple(lines[i] for i in mine)))
    return out


def _fixed_layout(text: str, tpl: Template) -> tuple[list[Slot], list[Slot]] | None:
    """Each half's printed rows (row, pattern of its label) in the template's fixed order,
    from the labels the text prints (spaced_fixed_flow._layout, without 行次): the income
    rows numbered 一、… beside the function 类, each half's totals block from the row after
    the last 类, both 总计 on the last row."""
    incomes, expenses = tpl.spec.halves[0][2], tpl.spec.halves[1][2]
    classes = named_classes(text)
    heads = [r for r in incomes if r.key.startswith("inc_") and re.search(ENUMERATED + r.pattern, text)]
    tails = [r for r in incomes if not r.key.startswith("inc_") and printed_row(r, text)]
    spent = [r for r in expenses if printed_row(r, text)]
    if not classes or not heads or not tails or not spent or len(heads) > len(classes):
        return None
    last = len(classes) + max(len(tails), len(spent))
    left = [(n + 1, ENUMERATED + r.pattern) for n, r in enumerate(heads)]
    right = [(n + 1, re.escape(label)) for n, (_, label) in enumerate(classes)]
    for side, block in ((left, tails), (right, spent)):
        side += [(len(classes) + n + 1, _pattern(r)) for n, r in enumerate(block[:-1])]
        side.append((last, _pattern(block[-1])))
    return left, right


def _pattern(row: RowLabel) -> str:
    """What a totals-block row's label is found by: its pattern, numbered when it repeats an
    income row's name (公开04表's 年初结转和结余 by fund), its open ends cut (a label is
    found as printed, not run on into the next)."""
    pattern = row.pattern.replace(".*", "")
    return ENUMERATED + pattern if row.after else pattern


def _found(lines: list[Line], half: list[Slot]) -> list[tuple[int, str, set[int]]] | None:
    """Each row's label found down the flow's text (its lines run together), each after the
    one above: (row, label as printed, the flow's lines it spans); None when one is not."""
    bounds, text = [], ""
    for line in lines:
        bounds.append((len(text), len(text) + len(squash(line.text))))
        text += squash(line.text)
    out, at = [], 0
    for number, pattern in half:
        m = re.compile(pattern).search(text, at)
        if m is None:
            return None
        out.append((number, m.group(0), {i for i, (start, end) in enumerate(bounds) if start < m.end() and end > m.start()}))
        at = m.end()
    return out
