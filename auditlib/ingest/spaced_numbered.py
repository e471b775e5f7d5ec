"""Plain `pdftotext`'s flow of a table of labelled rows numbered by 行次 (公开07表, 公开10表):
labels and figures as streams that do not stand beside each other (auditlib/ingest/spaced.py).

A producer that wraps several rows' labels into one text block (LibreOffice Writer) has
pdftotext print those labels together, then each row's 行次 and figures — or several
行次 in one block and their figures in the next ("9" "10" / "0" "5").  Joining cells up to
the next label then puts several rows in one.  What is left to read is the two streams:

- the numbers, in order: 行次 1, 2, … N, each followed by its row's figures (one per value
  column: a figure, a dash or a count) — several consecutive 行次 before their figures
  only where a row has one figure (else which is whose is not known).  Every way the
  stream parses so is listed; it is read when all give the same figures (and not when
  there are too many ways to list: one not listed might give others);
- the labels: every row the table's template has, found in the words in its order
  (N must be that many rows).

Anything else — a 栏次 number alone on its line, a row missing, a figure too many — parses
no way (the table stays unread with the reason it had) or differently (unread: UNNUMBERED).
"""

from __future__ import annotations

import re

from auditlib.ingest.spaced_tables import head_phrases, is_head
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line, Placed, words
from auditlib.schema import QUOTES

NUMBERS = ("fig", "dash", "int")
MAX_PARSES = 64  # ways the number stream parses, listed at most: more, and which is whose is not known
# why a table numbered by 行次 printed a cell a line is not read
UNNUMBERED = ("每格一行印出（pdftotext），行次与金额的先后不能唯一地分成各行，无法确定"
              "（printed a cell a line: the 行次 and figures do not split into rows one way only）")



def numbered_rows(lines: list[Line], tpl: Template) -> tuple[list[Row] | None, str]:
    """The rows of a labelled table with 行次 printed a cell a line (`lines`: as printed,
    head included), read from its streams of numbers and labels, in `tpl`'s slots (its
    行次 dropped when the header did not show one); None and why when they give several
    readings ("" when they give none: the table is not printed so)."""
    spec = tpl.spec
    labels = _labels(lines, tpl)
    if labels is None:
        return None, ""
    stream = [(line, t) for line in lines if line.tokens and all(t.kind in NUMBERS for t in line.tokens)
              for t in line.tokens]
    columns = sum(s.role == "value" for s in tpl.slots)
    parses = _parses(stream, len(spec.rows), columns)
    if not parses:
        return None, ""
    if len(parses) > MAX_PARSES or len({tuple(t.text for row in p for _, t in row[1]) for p in parses}) != 1:
        return None, UNNUMBERED  # the parses not listed might give other figures
    out = []
    for label, (number, figures) in zip(labels, parses[0]):
        values = iter(t.text for _, t in figures)
        cells = tuple(label if s.role == "label" else number[1].text if s.role == "rowno" else next(values)
                      for s in tpl.slots)
        out.append(Row(cells, number[0], (number[0], *dict.fromkeys(line for line, _ in figures))))
    return out, ""


def _labels(lines: list[Line], tpl: Template) -> list[str] | None:
    """Each row's label as the words print it, in the template's order (the header a later
    page repeats, maybe amid a label broken over the page, left out; else every header
    line left out: a narrow header printed after the first label's first line, "一、车辆数" /
    "栏" / "次" / "决" / "算" / "数" / "合计(台、辆)"); None when the table has no single list
    of rows or a row's label is not found after the one before it."""
    spec = tpl.spec
    if spec.halves or not spec.rows or any(r.after for r in spec.rows):
        return None
    phrases = head_phrases(spec)
    later = [line for line in lines if line.page == lines[0].page or not is_head(line, phrases)]
    found = _found_labels(later, tpl)
    return found if found is not None else _found_labels([line for line in lines if not is_head(line, phrases)], tpl)


def _found_labels(lines: list[Line], tpl: Template) -> list[str] | None:
    """Each row's label found in the words of `lines` after the one before it, or None."""
    text = QUOTES.sub("", words(lines))
    out, at = [], 0
    for row in tpl.spec.rows:
        found = re.search(row.pattern, text[at:])
        if found is None:
            return None
        out.append(found.group())
        at += found.end()
    return out


def _parses(stream: list[Placed], rows: int, columns: int) -> list[list[tuple[Placed, list[Placed]]]]:
    """Every way the stream is 行次 1 … `rows` each with `columns` figures (several 行次
    in a row before their figures only when `columns` is 1), MAX_PARSES + 1 at most (one
    more tells there are more)."""
    found: list[list[tuple[Placed, list[Placed]]]] = []

    def walk(i: int, n: int, acc: list[tuple[Placed, list[Placed]]]) -> None:
        if len(found) > MAX_PARSES:
            return
        if n > rows:
            if i == len(stream):
                found.append(list(acc))
            return
        m = 0
        while i + m < len(stream) and n + m <= rows and stream[i + m][1].text == str(n + m) and (m == 0 or columns == 1):
            m += 1
            start = i + m
            figures = stream[start:start + m * columns]
            if len(figures) == m * columns:
                rows_read = [(stream[i + r], figures[r * columns:(r + 1) * columns]) for r in range(m)]
                walk(start + m * columns, n + m, acc + rows_read)

    walk(0, 1, [])
    return found
