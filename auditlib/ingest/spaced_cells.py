"""Plain `pdftotext`'s reading order: a table printed a cell a line, each cell a block of
lines between blank lines, joined back into lines of rows (auditlib/ingest/spaced.py)."""

from __future__ import annotations

from auditlib.ingest.pdf_text import glue
from auditlib.ingest.spaced_tokens import Line, Token, squash, tokens
from auditlib.ingest.table_rows import CODE, TOTAL
from auditlib.schema import ENUMERATOR, TableSpec

COUNTS = ("T07", "T10")  # the tables whose whole numbers are figures too (counts of trips, cars)
BESIDE = ("T01", "T04")  # those whose income figure may print on the line of the expense label beside it


def one_cell_a_line(region: list[Line], gaps: list[bool], spec: TableSpec) -> bool:
    """pdftotext's reading order: each cell a block of lines between blank lines, a
    figure alone on its line (a count, in the tables of counts).  A table without
    figures: its words alone on their lines, but for a few (a column printed as a run of
    lines, no blank line between its cells)."""
    if not region:
        return False
    figures = [line for line in region if line.figures]
    counts = [line for line in region if any(t.kind == "int" for t in line.tokens)] if spec.code in COUNTS else []
    if not figures and not _counts_alone(counts):
        worded = [line for line in region if line.tokens]  # a template's "… …" leaves none
        return sum(len(line.tokens) == 1 for line in worded) * 20 >= len(worded) * 19
    figures = figures or counts
    alone = sum(len(line.tokens) == 1 or spec.code in BESIDE and _beside_label(line) for line in figures)
    return sum(gaps[line.index] for line in region) * 5 >= len(region) * 2 and alone * 5 >= len(figures) * 4


def _beside_label(line: Line) -> bool:
    """A figure followed by words only: 公开01/04表's income figure pdftotext printed on the
    line of the expense row's label beside it ("3,670.49 一、一般公共服务支出": Calc, WPS)."""
    return line.tokens[0].kind == "fig" and len(line.tokens) > 1 and all(t.kind == "text" for t in line.tokens[1:])


def _counts_alone(counts: list[Line]) -> bool:
    """A table of counts printed a cell a line: more whole numbers alone on their lines
    (行次 and counts) than its 栏次 alone would print."""
    alone = [line for line in counts if len(line.tokens) == 1]
    return len(alone) > 6 and len(alone) * 5 >= len(counts) * 4


def joined_cells(region: list[Line], gaps: list[bool], spec: TableSpec) -> list[Line]:
    """The lines of rows a table printed a cell a line makes: a cell's lines glued (a
    wrapped label), and cells joined up to the next row's first cell: a code in a coded
    table, 合计, a numbered label ("一、", "1.") in a table of labelled rows, else words
    after a figure (a whole number is a figure only in a table of counts)."""
    blocks: list[list[Line]] = []
    for line in region:
        if blocks and not gaps[line.index] and not TOTAL.fullmatch(squash(line.text)):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    coded = spec.kind == "hierarchy" or spec.code == "T06"
    ends = ("fig", "dash") if coded else ("fig", "dash", "int")
    rows: list[list[tuple[list[Line], str, tuple[Token, ...]]]] = []
    for block in blocks:
        text = ""
        for line in block:
            text = glue(text, line.text)
        toks = tokens(text, False)
        if not toks:
            continue
        first = toks[0]
        code = coded and first.kind == "int" and CODE.fullmatch(first.text) is not None
        total = TOTAL.fullmatch(squash(text)) is not None  # 合计 under the header's last cell
        numbered = not coded and first.kind == "text" and ENUMERATOR.match(text) is not None
        if not rows or code or total or numbered or (first.kind == "text" and rows[-1][-1][2][-1].kind in ends):
            rows.append([])
        rows[-1].append((block, text, toks))
    out = []
    for row in rows:
        lines = [line for block, _, _ in row for line in block]
        out.append(Line(lines[0].index, lines[0].number, lines[0].page, " ".join(t for _, t, _ in row),
                        tuple(t for _, _, toks in row for t in toks), tuple(line.index for line in lines[1:])))
    return out


def numbers_columns(line: Line) -> bool:
    """A header joined from cells (a cell a line) by the 栏次 numbers 1, 2, 3 … it holds."""
    ints = [int(t.text) for t in line.tokens if t.kind == "int" and len(t.text) <= 2]
    return not line.figures and len(ints) >= 2 and ints == list(range(ints[0], ints[0] + len(ints)))
