"""Plain `pdftotext`'s flow of 公开07表 printed without its blank cells (LibreOffice Calc's
"blank for zero": a nil cell is not printed at all), read from its stream of 行次 and
figures (auditlib/ingest/spaced_numbered.py).

Each 行次 is still followed by its row's figures, but by fewer than the columns where a
cell is blank: "2" / "3" / "0.75" is row 2 printed empty and row 3 with one figure, in
年初预算数 or in 决算数 — the stream does not say which.  Every way the stream parses into
行次 1 … N each with at most one figure per column is listed (a whole number equal to the
next 行次 is tried as that 行次 and as a count of the row before); a row with fewer
figures than columns may hold them in any of its columns, in their order, and the table's
identities (“三公” = 因公出国 + 公务用车 + 公务接待, 公务用车 = 购置 + 运行维护, 公务接待 =
国内 + 国（境）外: spaced_identities.spending_checks) choose (spaced_bind).  The table is read
when every parse that some binding makes hold gives the same cells and none leaves several
bindings; else it stays unread with the reason.

Only 公开07表 is read so: its identities catch a figure pdftotext set apart from its row
and printed in a later row with a blank cell (synth-000011's 公开07表 prints 公务接待's
决算数 3.87 after row 10; where it came from is then not certain — 国内接待费 or 国（境）外
接待费 hold it alike — and the table stays unread).  公开10表 has no identity to catch that:
a figure moved so would be read in the wrong row, and it is not read without its blank cells.
"""

from __future__ import annotations

from itertools import combinations

from auditlib.ingest.spaced_bind import NONE, SEVERAL, bind
from auditlib.ingest.spaced_template import Row, Template
from auditlib.ingest.spaced_tokens import Line, Placed

NUMBERS = ("fig", "dash", "int")
MAX_PARSES = 64  # parses of the stream listed at most: more, and which is whose is not known
BLANK_TABLES = ("T07",)  # the tables whose identities catch a figure set apart into another row
# why a 公开07表 printed a cell a line without its blank cells is not read
UNCUT = ("每格一行印出（pdftotext）且空白栏未印出，行次与金额不能分成各行（或有金额与其行分开印出），无法确定"
         "（printed a cell a line without its blank cells: the 行次 and figures do not split into rows）")
MANY = ("每格一行印出（pdftotext）且空白栏未印出，行次与金额分成各行的方式过多，无法确定"
        "（printed a cell a line without its blank cells: too many ways to split the 行次 and figures into rows）")
Parse = list[tuple[Placed, list[Placed]]]  # each row's 行次 and figures


def number_stream(lines: list[Line]) -> list[Placed]:
    """The tokens of the lines that print numbers only (行次, figures, dashes, counts), in order."""
    return [(line, t) for line in lines if line.tokens and all(t.kind in NUMBERS for t in line.tokens)
            for t in line.tokens]


def blank_numbered(lines: list[Line], tpl: Template, labels: list[str]) -> tuple[list[Row] | None, str]:
    """The rows of 公开07表 (`labels`: each row's label) read from the number stream of
    `lines` with blank cells not printed, their figures bound to columns by its identities;
    None and why when no parse binds, or parses or bindings differ."""
    if tpl.spec.code not in BLANK_TABLES:
        return None, ""
    columns = sum(s.role == "value" for s in tpl.slots)
    parses = _walk(number_stream(lines), len(labels), columns)
    if not parses or len(parses) > MAX_PARSES:
        return None, MANY if parses else UNCUT  # the parses not listed might give other figures
    read: list[list[Row]] = []
    for parse in parses:
        rows, why = bind(_rows(parse, labels, tpl), tpl)
        if rows is None and why != NONE:
            return None, why  # one parse binds several ways: which is the table's is not known
        if rows is not None:
            read.append(rows)
    if not read:
        return None, NONE
    if len({tuple(r.cells for r in rows) for rows in read}) != 1:
        return None, SEVERAL
    return read[0], ""


def _walk(stream: list[Placed], rows: int, columns: int) -> list[Parse]:
    """Every way `stream` is 行次 1 … `rows`, each followed by at most `columns` figures
    (a token equal to the next 行次 tried both ways), MAX_PARSES + 1 at most."""
    found: list[Parse] = []

    def walk(i: int, n: int, acc: Parse) -> None:
        if len(found) > MAX_PARSES or i >= len(stream) or stream[i][1].kind != "int" or stream[i][1].text != str(n):
            return
        for k in range(columns + 1):
            end = i + 1 + k
            if end > len(stream) or any(t.kind not in NUMBERS for _, t in stream[i + 1:end]):
                return
            row = acc + [(stream[i], stream[i + 1:end])]
            if n == rows:
                if end == len(stream):
                    found.append(row)
            else:
                walk(end, n + 1, row)

    walk(0, 1, [])
    return found


def _rows(parse: Parse, labels: list[str], tpl: Template) -> list[Row]:
    """Each row of a parse in the template's slots: a row printing fewer figures than
    columns with every placement of them in its columns, in their order (`Row.alts`)."""
    at = [k for k, s in enumerate(tpl.slots) if s.role == "value"]
    out = []
    for label, (number, figures) in zip(labels, parse):
        base = [label if s.role == "label" else number[1].text if s.role == "rowno" else "" for s in tpl.slots]
        placements = []
        for chosen in combinations(at, len(figures)):
            cells = list(base)
            for k, (_, token) in zip(chosen, figures):
                cells[k] = token.text
            placements.append(tuple(cells))
        lines = (number[0], *dict.fromkeys(line for line, _ in figures))
        out.append(Row(placements[0], number[0], lines, tuple(placements) if len(placements) > 1 else ()))
    return out
