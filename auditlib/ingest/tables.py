"""Assemble the ten standard tables from the rows of a `SourceDocument`.

Tables are found by title (and 公开NN表 label), never by position.  Rows are
read by content rather than fixed offsets — a code is a run of digits before the
name, values are the cells after the name — so the text form, tabula's cells and
the regional layouts (行次 columns or not, split 类/款/项 cells, blank for zero)
all go through the same code.
"""


from __future__ import annotations

import re

import numpy as np
import pandas as pd

from auditlib.ingest.bare_tables import settle_bare, span
from auditlib.ingest.budget_rows import LAYOUT_PARSERS
from auditlib.ingest.lines import SourceLine
from auditlib.ingest.regions import BUDGET_END, FINAL_END, LABEL, Region, continued, find_anchors, has_figures, regions
from auditlib.ingest.table_rows import PARSERS, Notes, Row, fresh_key, where
from auditlib.ingest.wrapped_name import pieces
from auditlib.kinds import FINAL, Kind, kind_named, spec_of
from auditlib.model import ROW_META, ReadingNote, Table
from auditlib.numbers import decimals, is_blank, is_number, parse_number
from auditlib.schema import TableSpec, spec_row_name

# the name ends before the next field: a year, a unit, 公开NN表, two spaces — or a word with a colon after a
# space, the rest of a field wrapped in its narrow cell ("编制单位：南昌市大数据发展管理局 位：万": 金额单/位：万/元)
DEPARTMENT = re.compile(r"编制(?:单位|部门)\s*[:：]\s*(.+?)(?=\s*\d{4}\s*年|\s+\d{4}(?:\s|$)|\s*(?:金额)?单位\s*[:：]|\s*公开|\s{2,}"
                        r"|\s+[^\s:：]*[:：]|$)")
YEAR = re.compile(r"(\d{4})\s*年度")
UNIT = re.compile(r"(?<!编制)单位\s*[:：]\s*(万元|千元|亿元|元|[^\s\d:：]{1,8})")
UNIT_WORD = re.compile(r"[万千亿]?元|[台辆套]")
NOTE = re.compile(r"^(注\s*[:：\d]|说明\s*[:：]|无.*的，仍保留该表)")
WHOLE = re.compile(r"\d+")
COUNTED = ("T07", "T10")  # tables of counts (批次, 人次, 辆, 台): their figures may have no decimals
# a printed amount: two-decimal money as every money table prints it (counts, codes,
# years and 行次 have no decimals, so they never count as figures)
FIGURE = re.compile(r"(?<![\d.])-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{1,2}(?![\d.])")
# a budget prints whole 元 too: a comma-grouped whole number is an amount as well (a code or
# a year never has a comma)
BUDGET_FIGURE = re.compile(r"(?<![\d.,])-?(?:(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{1,2}|\d{1,3}(?:,\d{3})+)(?![\d.,])")


def _unit(texts: list[str]) -> str | None:
    """The table's unit: the first printed that a unit word names (万元 …, 台、辆、套), else the
    first printed (an odd one is reported: META.unit).  A 编制单位 wrapped in its narrow cell
    leaves "单位：柳" on a line of its own ("编制" / "单位：柳" / "州市文化…": WPS in plain
    pdftotext) above the head's 金额单位：万元."""
    found = [m.group(1).strip() for t in texts if (m := UNIT.search(t))]
    return next((u for u in found if UNIT_WORD.search(u)), found[0] if found else None)


def _first(pattern: re.Pattern, texts: list[str]) -> str | None:
    for t in texts:
        m = pattern.search(t)
        if m:
            return m.group(1).strip()
    return None


# a line of the table's head that is not the rest of a wrapped 编制单位 (nor is a column's 合计, which
# plain pdftotext may print right under it — "编制单位：南昌市大数据发展管理局" / "合计" —, nor the 度 of
# a 年度 wrapped in its cell: "2021年" / "度")
HEAD_FIELD = re.compile(r"\d|单位|年度|公开|项目|科目|行次|栏次|表$|^[合总]计|^度$")


def _department(lines: list[SourceLine]) -> tuple[str | None, tuple[str, ...]]:
    """The 编制单位, with the spaces a PDF puts inside names removed, and the words of the
    lines after it the name may have wrapped onto (wrapped_name).  A name that wrapped
    inside its (merged, unruled) cell continues at the start of the next line, before the
    next field of the head (年度, 单位 …) printed beside it."""
    for n, line in enumerate(lines):
        m = DEPARTMENT.search(line.text)
        if not m:
            continue
        name = re.sub(r"\s+", "", m.group(1))
        if m.end() == len(line.text) and n + 1 < len(lines) and not lines[n + 1].is_row:
            rest = re.sub(r"\s+", "", lines[n + 1].text)
            field = HEAD_FIELD.search(rest)
            name += rest[: field.start() if field else len(rest)][:20]
        return name, pieces([l.text for l in lines[n + 1:]])
    return None, ()


REQUIRED = {
    "T01": ("income_total", "expense_total"),
    "T04": ("income_total", "expense_total"),
    "T06": ("personnel_total", "public_total"),
    "T07": ("total",),
    "T10": ("vehicles_total",),
}


def to_frame(spec: TableSpec, rows: list[Row]) -> pd.DataFrame:
    """Rows to the table's DataFrame: index = row key, value columns + ROW_META."""
    columns = list(dict.fromkeys(c for r in rows for c in r.values)) or list(spec.columns)
    records = []
    for r in rows:
        rec = {c: (np.nan if r.values.get(c) is None else r.values[c]) for c in columns}
        rec.update(code=r.code, name=r.name, level=r.level, side=r.side, label=r.label,
                   line=r.source.line, page=r.source.page)
        records.append(rec)
    frame = pd.DataFrame(records, index=pd.Index([r.key for r in rows], dtype=object),
                         columns=[*columns, *ROW_META])
    frame[columns] = frame[columns].astype(float)
    frame.index.name = "key"
    return frame


def printed_layout(spec: TableSpec, lines: list[SourceLine]) -> TableSpec:
    """The spec of the layout the table is printed in: the first of its `layouts` whose
    keyword the table prints (a province's template), else its own."""
    printed = "".join(re.sub(r"\s+", "", line.text) for line in lines)
    return next((alt for keyword, alt in spec.layouts if keyword in printed), spec)


def build_table(region: Region, kind: Kind) -> Table:
    """Read one region into a Table of `kind` with its metadata and status (a printed amount
    of a 决算 or of a budget looks different: counted to tell a table read from one that could
    not be)."""
    figure = FIGURE if kind.name == FINAL else BUDGET_FIGURE
    spec = printed_layout(spec_of(region.anchor.code), region.lines)
    body = region.lines
    notes_at = next((i for i, l in enumerate(body) if NOTE.match(l.cells[0] if l.cells else "")), len(body))
    table_lines, note_lines = body[:notes_at], body[notes_at:]
    texts = [l.text for l in table_lines if not has_figures(l)]
    header_text = " ".join(re.sub(r"\s+", "", t) for t in texts)
    notes = Notes(spec)
    rows = _unique_keys((PARSERS | LAYOUT_PARSERS)[spec.kind](spec, table_lines, header_text, notes), notes)
    # a 决算's 公开NN表 is printed under its title; a budget's in it or above it (regions.number_above)
    label = _first(LABEL, [l.text for l in table_lines[:8]]) if kind.name == FINAL else region.anchor.number
    year = _first(YEAR, texts)
    department, wraps = _department([l for l in table_lines if not has_figures(l)])
    table = Table(
        code=spec.code,
        title=region.anchor.title or None,
        label=f"公开{int(label):02d}表" if label else None,
        department=department,
        department_pieces=wraps,
        year=int(year) if year else None,
        unit=_unit(texts),
        line=None,
        page=None,
        data=to_frame(spec, rows),
        boxes=cell_boxes(rows),
        confidence=cell_confidence(rows),
        decimals=cell_decimals(rows),
        notes=[l.text for l in note_lines if len(l.text) < 400],
        reading_notes=notes.found,
    )
    if label and kind.name == FINAL and f"T{int(label):02d}" != spec.code:
        notes.add(region.lines[0] if region.lines else None,
                  f"标题为“{spec.title}”（公开{spec.code[1:]}表），表号却印作公开{int(label):02d}表；按标题读取")
    # rows of bare figures printed after the notes (the columns of a table continued on a
    # later page that could not be joined to its rows) are printed under the title too
    stray = [l for l in note_lines if l.is_row and all(not c or is_number(c) or is_blank(c) for c in l.cells)]
    # a form's 指标值 cells hold targets ("≥80.00(%)"), not amounts: only its figure cells count
    figures = sum(len(figure.findall(c)) for line in table_lines + stray for c in line.cells
                  if spec.kind != "forms" or is_number(c))
    table.coverage = {"rows": len(table.data), "figures": figures, "amounts": len(table.amounts())}
    table.status = _status(spec, table)
    if region.at_end and not note_lines and table.status == "parsed" and not _forms_complete(spec, table):
        table.status = "partial"
        table.problems.append("文件在本表中结束，本表可能被截断")
    return table


def _forms_complete(spec: TableSpec, table: Table) -> bool:
    """Project forms (the document's last pages, as often as not) whose last form holds as many
    amounts as the fullest: the document ends after a whole form, not inside one."""
    if spec.kind != "forms" or not len(table.data):
        return False
    per_form = pd.Series([str(k).rsplit(":", 1)[-1] for k in table.data.index]).value_counts(sort=False)
    return per_form.iloc[-1] == per_form.max()


def _printed_cells(rows: list[Row]):
    """(row key, column key, source line, cell index) of every read cell: a row's
    values were taken from the cells after its label, left to right, so the k-th
    figure cell there holds the k-th value read; the label cell is the row's `name`.  The
    search starts at the row's own first cell: the expense half's 总计 is not the income
    half's."""
    for row in rows:
        src = row.source
        name_at = next((i for i in range(row.start, len(src.cells)) if row.name and src.cells[i] == row.name), None)
        k = name_at + 1 if name_at is not None else row.start  # a right half's figures follow its own label
        for column, value in row.values.items():
            if value is None:
                continue
            while k < len(src.cells) and not (is_number(src.cells[k]) and parse_number(src.cells[k]) == value):
                k += 1
            if k < len(src.cells):
                yield row.key, column, src, k
            k += 1
        if name_at is not None:
            yield row.key, "name", src, name_at


def cell_boxes(rows: list[Row]) -> dict[tuple[str, str], tuple[int, float, float, float, float]]:
    """Where each read cell was printed (PDF): (page, x0, top, x1, bottom); a cell of a
    table continued to the right carries its own page in its box."""
    return {(key, column): src.boxes[k] if len(src.boxes[k]) == 5 else (src.page, *src.boxes[k])
            for key, column, src, k in _printed_cells(rows) if src.boxes and src.page is not None and src.boxes[k]}


def cell_confidence(rows: list[Row]) -> dict[tuple[str, str], float]:
    """The OCR confidence of each read cell of a scan (cells read from a text layer
    are certain and not listed)."""
    return {(key, column): src.scores[k] for key, column, src, k in _printed_cells(rows)
            if src.scores and src.scores[k] < 1.0}


def cell_decimals(rows: list[Row]) -> dict[tuple[str, str], int]:
    """How many decimals each read figure is printed with: its rounding allowance is half a
    unit of its last digit."""
    return {(key, column): decimals(src.cells[k]) for key, column, src, k in _printed_cells(rows) if column != "name"}


def _unique_keys(rows: list[Row], notes: Notes) -> list[Row]:
    """A row key printed twice (a repeated line) keeps the first; later ones get the
    line they came from appended, so every cell stays addressable."""
    seen: set[str] = set()
    for row in rows:
        new = fresh_key(row.key, where(row.source), seen)
        if new != row.key:
            name = f"{row.code} {row.name}".strip() if row.code != row.name else row.name
            notes.add(row.source, f"“{name or spec_row_name(notes.spec, row.key)}”一行重复印出，两行都保留，分别核对")
            row.key = new
        seen.add(row.key)
    return rows


def _status(spec: TableSpec, table: Table) -> str:
    """`unread` when fewer amounts were read than are printed (a reading that failed
    must never pass for an empty or a checked table), `empty` only when nothing is
    printed."""
    seen, read = table.coverage["figures"], table.coverage["amounts"]
    if seen and read < seen:
        table.problems.append(f"表下印有 {seen} 个金额，只读出 {read} 个")
        return "unread"
    if not table.amounts():
        return "empty"
    required = REQUIRED.get(spec.code, spec.required)
    missing = [k for k in required if not table.has(k)]
    if missing:
        table.problems.append(f"没有 {'、'.join(spec_row_name(spec, k) for k in missing)} 行，表被截断或不完整")
        return "partial"
    return "parsed"


def _counts_alone(region: Region) -> int:
    """The whole numbers printed as lines of their own under a title (a converter that
    prints each cell on a line: pdftotext), two or more — one alone is a page number.  In
    公开07/10表, whose figures are counts without decimals, they are what tells a table that
    could not be read from an empty one."""
    n = sum(1 for line in region.lines if not line.is_row and WHOLE.fullmatch(line.text.strip()))
    return n if n >= 2 else 0


def _misnumbered(tables: dict[str, Table], kind: Kind) -> None:
    """A reading note on a budget table whose 公开NN表 is not its number in the layout its
    printed tables fit (Jiangsu numbers twelve tables in its own order; a 决算's are checked
    against their T-codes in build_table)."""
    found = sorted((t for t in tables.values() if t.status != "missing"), key=lambda t: (t.page or 0, t.line or 0))
    numbers = kind.numbering([t.code for t in found])
    for t in found:
        label = int(LABEL.search(t.label).group(1)) if t.label else None
        if label and t.code in numbers and numbers[t.code] != label:
            t.reading_notes.append(ReadingNote(t.code, t.page, t.line, f"标题为“{t.title}”（本格式第 {numbers[t.code]} 表），"
                                                                      f"表号却印作{t.label}；按标题读取"))


def build_tables(lines: list[SourceLine], unread: dict[str, str] | None = None, kind: Kind | None = None,
                 notes: dict[str, str] | None = None) -> tuple[dict[str, Table], int | None]:
    """All the tables of the document's kind (default 决算: the ten; absent ones with status
    missing) and the index of the last line that belongs to a table.  `unread`: the tables a
    reader saw but could not read though no figure under them went unread (code → why);
    `notes`: a reader's note on a whole table (code → note), put where the table is printed."""
    kind = kind or kind_named(FINAL)
    anchors = find_anchors(lines, kind)
    repeated: list[ReadingNote] = []
    tables: dict[str, Table] = {code: Table(code=code) for code in kind.specs}
    end_at = FINAL_END if kind.name == FINAL else BUDGET_END
    for region in continued(regions(lines, anchors, end_at)):
        first = lines[region.anchor.index]
        if not region.anchor.code:
            continue  # a table outside the ten (regions.other_of): its lines belong to none of them
        if region.anchor.duplicate and tables[region.anchor.code].status == "missing":
            pass  # the first title had no table under it (a 目录 line): this one heads the table
        elif region.anchor.duplicate:
            repeated.append(ReadingNote(region.anchor.code, first.page, first.line,
                                        f"“{spec_of(region.anchor.code).title}”又印了一次（此处），采用第一次印出的表"))
            continue
        table = build_table(region, kind)
        table.line, table.page = first.line, first.page
        if table.code in (notes or {}):
            table.reading_notes.append(ReadingNote(table.code, None, None, notes[table.code]))
        for note in table.reading_notes:  # a note about the whole table: where it is printed
            if note.line is None and note.page is None:
                note.line, note.page = first.line, first.page
        counts = _counts_alone(region) if table.code in COUNTED and not table.amounts() else 0
        if counts:
            table.coverage["figures"] = counts
            table.problems.append(f"表下印有 {counts} 个数字，未能读出")
            table.status = "unread"
        elif table.code in (unread or {}):
            table.problems.append(unread[table.code])
            table.status = "unread"
        elif not len(table.data) and not table.coverage["figures"] and not any(l.is_row for l in region.lines):
            table.status = "missing"
            table.problems.append("只有标题，其后没有表格")
        if kind.name != FINAL and table.status in ("missing", "empty") and not table.amounts():
            settle_bare(table, span(lines, anchors, region.anchor), spec_of(table.code))
        tables[table.code] = table
    for note in repeated:
        tables[note.table].reading_notes.append(note)
    if kind.name != FINAL:
        _misnumbered(tables, kind)
    last = None
    if anchors:
        tail = regions(lines, anchors[-1:], end_at)[0]
        last = anchors[-1].index + len(tail.lines)
    return tables, last
